#!/usr/bin/awk -f
# gen-anomaly.awk: feature rows of customers (the columns ci-features
# writes that ci-segment --anomaly reads) with planted anomalies of three
# kinds, 1% each, and the truth in the column `planted` (none, burst,
# refund, spend):
#
#   awk -v n=20000 -v seed=7 -f scripts/gen-anomaly.awk > customers.csv
#
# burst: a sudden run of 15 to 40 orders in the last 30 days;
# refund: 5 to 15 refunds taking back 70% to 100% of the spend, with
#   complaints;
# spend: orders 30 to 100 times the usual size.
# The random numbers come from the Park-Miller generator, computed exactly
# in doubles, so every awk gives the same rows for a seed.
function rnd() {
	state = (16807 * state) % 2147483647
	return state / 2147483647
}
function normal() {
	return sqrt(-2 * log(rnd())) * cos(6.283185307179586 * rnd())
}
function geom(mean,  k) {
	k = 0
	while (rnd() > 1 / (1 + mean))
		k++
	return k
}
function uniform(a, b) {
	return a + (b - a) * rnd()
}
function money(x) {
	return sprintf("%.2f", x)
}
BEGIN {
	if (n == "")
		n = 20000
	state = (seed == "" ? 1 : seed) % 2147483646 + 1
	print "customer_id,recency_days,purchase_days,monetary_total," \
	    "monetary_avg,orders_30d,spend_trend,refunds,refund_amount," \
	    "refund_rate,tickets,complaints,planted"
	for (i = 1; i <= n; i++) {
		u = rnd()
		kind = u < 0.01 ? "burst" : u < 0.02 ? "refund" \
		    : u < 0.03 ? "spend" : "none"
		days = 1 + geom(4)
		avg = exp(4.2 + 0.5 * normal())
		recency = int(uniform(0, 365))
		o30 = recency < 30 ? 1 + geom(0.5) : 0
		trend = exp(0.4 * normal())
		refunds = rnd() < 0.1 ? 1 : 0
		back = refunds * avg * uniform(0.2, 1)
		tickets = geom(0.3)
		complaints = rnd() < 0.3 ? (tickets > 0 ? 1 : 0) : 0
		if (kind == "burst") {
			o30 = 15 + int(uniform(0, 26))
			days += o30
			recency = int(uniform(0, 3))
			trend = uniform(5, 20)
		} else if (kind == "refund") {
			refunds = 5 + int(uniform(0, 11))
			days += refunds
			complaints = 2 + int(uniform(0, 5))
			tickets += complaints
		} else if (kind == "spend") {
			avg *= uniform(30, 100)
		}
		total = days * avg
		if (kind == "refund")
			back = total * uniform(0.7, 1)
		printf "C%06d,%d,%d,%s,%s,%d,%.3f,%d,%s,%.3f,%d,%d,%s\n", i,
		    recency, days, money(total), money(avg), o30, trend,
		    refunds, money(back), back / total, tickets, complaints,
		    kind
	}
}
