# Shared by the benchmarks: build the helpers, make the data once, and time
# commands.  Sourced, not run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/build/bench
bin=$top/build/bin
mkdir -p "$bench"
export PATH="$bin:$PATH"

# The helper programs of scripts/bench, built with the system compiler.
build_helpers() {
	[ "$bench/gentx" -nt "$top/scripts/bench/gentx.c" ] ||
	    cc -O2 -o "$bench/gentx" "$top/scripts/bench/gentx.c"
	[ "$bench/csvpass" -nt "$top/scripts/bench/csvpass.c" ] ||
	    cc -O2 -o "$bench/csvpass" "$top/scripts/bench/csvpass.c" -lcsv
}

# The 5,000,000-row, 500,000-customer transaction file (about 300 MB).
tx_file() {
	build_helpers
	if [ ! -s "$bench/tx.csv" ]; then
		echo "bench: generating $bench/tx.csv" >&2
		"$bench/gentx" 5000000 500000 >"$bench/tx.csv.tmp"
		mv "$bench/tx.csv.tmp" "$bench/tx.csv"
	fi
	echo "$bench/tx.csv"
}

# measure NAME CMD...: run CMD with its stdout to /dev/null, and set
# T_NAME (seconds), M_NAME (peak resident KiB) and C_NAME (processor
# seconds, user and system: what the run cost when the machine is shared).
measure() {
	name=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$bench/time.out" "$@" >/dev/null
	read -r t m u s <"$bench/time.out"
	c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	eval "T_$name=$t M_$name=$m C_$name=$c"
}

# median A B C
median() {
	printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# The features of 500,000 web-shop customers (scripts/gen-shop.awk, seed
# 12, through ci-features), whose BG/NBD fit runs to a point-mass dropout.
shop_features() {
	shop=$bench/predict-shop.csv
	if [ ! -s "$shop" ] || [ "$top/scripts/gen-shop.awk" -nt "$shop" ]; then
		echo "bench: generating $shop" >&2
		awk -v n=500000 -v seed=12 -f "$top/scripts/gen-lib.awk" \
		    -f "$top/scripts/gen-shop.awk" |
		    ci-features -q --asof 2025-12-01 >"$shop.tmp"
		mv "$shop.tmp" "$shop"
	fi
	echo "$shop"
}

# 500,000 customers drawn from the BG/NBD with the CDNOW estimates (r
# 0.2426, alpha 4.414, a 0.7929, b 2.426) over 27 to 39 weeks, with Gamma
# spend; times in whole days, as ci-features writes them.
cdnow_features() {
	cdnow=$bench/predict-cdnow.csv
	if [ ! -s "$cdnow" ] || [ "$top/scripts/bench/lib.sh" -nt "$cdnow" ]; then
		echo "bench: generating $cdnow" >&2
		# MINSTD as in gen-shop.awk; Gamma by Marsaglia and Tsang (shape < 1
		# by the boost G(k) = G(k + 1) U^(1/k)).
		awk -v n=500000 '
		function rnd() { state = (48271 * state) % 2147483647
			return (state - 0.5) / 2147483646 }
		function norm() { return sqrt(-2 * log(rnd())) * cos(6.283185307179586 * rnd()) }
		function gam(k,	d, c, z, v, u) {
			if (k < 1) return gam(k + 1) * rnd() ^ (1 / k)
			d = k - 1 / 3; c = 1 / sqrt(9 * d)
			for (;;) { z = norm(); v = (1 + c * z) ^ 3
				if (v <= 0) continue
				u = rnd()
				if (log(u) < z * z / 2 + d - d * v + d * log(v)) return d * v } }
		BEGIN { state = 4; print "customer_id,x,t_x,T,repeat_value"
			for (i = 1; i <= n; i++) {
				lam = gam(0.2426) / 4.414; ga = gam(0.7929)
				p = ga / (ga + gam(2.426)); T = int(7 * (27 + 12 * rnd())) / 7
				x = 0; tx = 0; t = 0; s = 0; nu = gam(3.744) / 15.44
				while (lam > 0) { t += -log(rnd()) / lam
					if (t > T) break
					x++; tx = int(7 * t) / 7; s += gam(6.25) / nu
					if (rnd() < p) break }
				printf "K%06d,%d,%.17g,%.17g,", i, x, tx, T
				if (x > 0) printf "%.2f\n", s / x; else print "" } }' \
		    >"$cdnow.tmp"
		mv "$cdnow.tmp" "$cdnow"
	fi
	echo "$cdnow"
}
