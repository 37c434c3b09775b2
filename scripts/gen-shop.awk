# gen-shop.awk: a web shop's order export whose customers make a
# geometric number of orders, the data of issue 12's first case.  Each of
# n customers (default 20000) first orders on a day drawn uniformly from
# the year before 2025-12-01, then 1 + floor(Exp(mean 3)) orders in all,
# at days drawn uniformly within a span of Exp(mean 120) days from the
# first (orders after 2025-11-30 are not written).  The number of orders
# is geometric with a stopping chance of 1 - e^(-1/3) = 0.283 after each,
# the same for every customer: the BG/NBD dropout distribution of these
# data is a point mass, which its fit reaches with a and b running to
# infinity.
#
#   awk -v n=20000 -v seed=12 -f scripts/gen-lib.awk -f scripts/gen-shop.awk \
#       > orders.csv
#
# The stream and the dates are those of gen-lib.awk, given first.  No
# input is read.

function expo(mean) {
	return -mean * log(rnd())
}

BEGIN {
	if (n == "")
		n = 20000
	state = seed == "" ? 12 : seed
	asof = 20423		# 2025-12-01
	print "customer_id,ts,type,amount"
	for (c = 1; c <= n; c++) {
		first = asof - 365 + int(365 * rnd())
		orders = 1 + int(expo(3))
		span = expo(120)
		for (k = 0; k < orders; k++) {
			day = k == 0 ? first : first + int(span * rnd())
			amount = 5 + expo(40)
			if (day >= asof)
				continue
			printf "C%06d,%sT%02d:%02d:00Z,order,%.2f\n", c, \
			    date(day), 8 + int(12 * rnd()), int(60 * rnd()), \
			    amount
		}
	}
}
