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
