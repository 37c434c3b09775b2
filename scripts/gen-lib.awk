# gen-lib.awk: what the data generators share (gen-shop.awk,
# gen-taste.awk), given to awk before them:
#
#   awk -v seed=15 -f scripts/gen-lib.awk -f scripts/gen-taste.awk
#
# The stream is the MINSTD generator (Park & Miller), exact in the doubles
# of every awk, so that mawk and gawk write the same bytes; the caller
# sets state (its seed) first.

# The next number of the stream, in (0, 1).
function rnd() {
	state = (48271 * state) % 2147483647
	return (state - 0.5) / 2147483646
}

# The civil date of day d since 1970-01-01 (Hinnant's algorithm).
function date(d,	z, era, doe, yoe, y, doy, mp, dd, mm) {
	z = d + 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - \
	    int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	dd = doy - int((153 * mp + 2) / 5) + 1
	mm = mp < 10 ? mp + 3 : mp - 9
	return sprintf("%04d-%02d-%02d", y + (mm <= 2), mm, dd)
}
