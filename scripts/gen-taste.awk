# gen-taste.awk: purchase data with latent tastes, for ci-recommend.  Each
# of n customers (default 5000) belongs to one of g taste groups (default
# 20); a group prefers 25 of the m products (default 1000), drawn at
# random; each customer keeps 3 staples from its group's products, which
# it buys again and again.  Its orders (1 + Poisson-like, mean o, default
# 8) come every d days (d from 5 to 30 per customer, each gap 0.5 to 1.5
# d), from a start within the first 60 days of 2025; each has 1 to 6
# lines, each line a staple (probability 0.35), a product of the group
# (0.35) or a product drawn from the global popularity curve, Zipf with
# exponent z (default 0.9) (0.3).  With b above 0 (default 0), a line
# brings with probability b a second line of its product's companion (a
# product fixed for each, as sauce goes with pasta).  A line is refunded
# with probability 0.01.  Products fall into 20 categories.
#
#   awk -v n=5000 -v m=1000 -v seed=15 -f scripts/gen-lib.awk \
#       -f scripts/gen-taste.awk > taste.csv
#
# The stream and the dates are those of gen-lib.awk, given first.

function pick(k) {
	return 1 + int(k * rnd())
}

# A product from the global popularity curve (binary search of the CDF).
function zipf(	u, lo, hi, mid) {
	u = rnd() * cdf[m]
	lo = 1
	hi = m
	while (lo < hi) {
		mid = int((lo + hi) / 2)
		if (cdf[mid] < u)
			lo = mid + 1
		else
			hi = mid
	}
	return lo
}

function product(p) {
	return sprintf("P%05d", p)
}

# A line of product p in the current order (and, rarely, its refund).
function line(p,	ts) {
	ts = sprintf("%sT%02d:%02d:00Z", date(day), 8 + int(12 * rnd()), \
	    int(60 * rnd()))
	printf "C%06d,O%08d,%s,order,%s,cat%02d\n", c, order, ts, \
	    product(p), p % 20
	if (rnd() < 0.01)
		printf "C%06d,O%08d,%s,refund,%s,\n", c, order, ts, product(p)
}

BEGIN {
	if (n == "") n = 5000
	if (m == "") m = 1000
	if (g == "") g = 20
	if (o == "") o = 8
	if (z == "") z = 0.9
	if (b == "") b = 0
	state = seed == "" ? 15 : seed
	first = 20089		# 2025-01-01
	for (p = 1; p <= m; p++)
		cdf[p] = cdf[p - 1] + 1 / (p ^ z)
	for (k = 1; k <= g; k++)
		for (j = 1; j <= 25; j++)
			pref[k, j] = pick(m)
	print "customer_id,order_id,ts,type,product_id,category"
	order = 0
	for (c = 1; c <= n; c++) {
		grp = pick(g)
		for (j = 1; j <= 3; j++)
			staple[j] = pref[grp, pick(25)]
		every = 5 + int(26 * rnd())
		orders = 1
		while (rnd() < 1 - 1 / o)
			orders++
		day = first + int(60 * rnd())
		for (k = 0; k < orders && day < first + 365; k++) {
			order++
			lines = pick(6)
			for (l = 0; l < lines; l++) {
				u = rnd()
				if (u < 0.35)
					p = staple[pick(3)]
				else if (u < 0.7)
					p = pref[grp, pick(25)]
				else
					p = zipf()
				line(p)
				if (b > 0 && rnd() < b)
					line(1 + (p * 7919) % m)
			}
			day += int(every * (0.5 + rnd()))
		}
	}
}
