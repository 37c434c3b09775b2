/*
 * tests/unit/report/custagg_test.c: the customer aggregates: counts,
 * groups in the tools' order, who is at risk, the masked top list and the
 * bins of the CLV distribution.
 */
#include <math.h>
#include <string.h>

#include "tap.h"
#include "custagg.h"

static struct custagg_str
s(const char *v)
{
	return (struct custagg_str){ v, strlen(v) };
}

static void
add(struct custagg *a, const char *id, double rev, double clv, double rec,
    const char *tier, const char *band, const char *name)
{
	struct custagg_row r;

	memset(&r, 0, sizeof(r));
	r.id = s(id);
	r.revenue = rev;
	r.clv = clv;
	r.recency = rec;
	r.churn_risk = NAN;
	r.sentiment = NAN;
	r.negative = NAN;
	r.seg[CUSTAGG_TIER] = s(tier);
	r.seg[CUSTAGG_BAND] = s(band);
	r.name = s(name);
	custagg_add(a, &r);
}

int
main(void)
{
	struct custagg a;
	double         edges[11];
	size_t         counts[10], n, i, total = 0;

	plan(13);
	custagg_init(&a, 365, CUSTAGG_RISK_BAND);
	add(&a, "c3", 100, 50, 10, "general", "high", "张伟");
	add(&a, "c1", 900, 800, 20, "high-value", "critical", "Emily Chen");
	add(&a, "c2", 500, 800, 30, "churn-risk", "low", "李娜");
	add(&a, "c4", 0, 5, 900, "", "critical", "王芳");
	add(&a, "c5", 10, NAN, 40, "potential", "medium", "");
	custagg_finish(&a);
	is_int(a.customers, 5, "customers");
	is_int(a.active, 4, "active: bought within 365 days");
	ok(a.revenue == 1510, "revenue summed");
	ok(a.clv_n == 4 && a.clv_sum == 1655, "CLV of the rows that have one");
	is_int(a.at_risk, 2, "at risk: high or critical, and still active");
	ok(a.at_risk_revenue == 1000, "the revenue they carry");
	is_str(a.top[0].id, "c1", "the at-risk customer of most value first");
	is_str(a.top[0].name, "E**** C***", "names are masked");
	is_str(a.groups[CUSTAGG_TIER].g[0].name, "high-value",
	    "tiers in the tool's order");
	is_str(a.groups[CUSTAGG_TIER].g[4].name, "",
	    "rows without a tier come last");
	is_str(a.groups[CUSTAGG_BAND].g[3].name, "critical", "bands in order");
	custagg_clv_bins(&a, 10, edges, counts, &n);
	for (i = 0; i < n; i++)
		total += counts[i];
	ok(n >= 2 && n <= 10 && total == 4 && isinf(edges[n]),
	    "every CLV in a bin, the last open (%zu bins)", n);
	ok(edges[1] > 0 && fmod(edges[1], 1) == 0, "bins of a round width (%g)",
	    edges[1]);
	custagg_release(&a);
	return done_testing();
}
