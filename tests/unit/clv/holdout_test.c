/*
 * holdout_test: the repeat purchases of a holdout period: distinct order
 * days per customer in (asof, end], the end given or at the latest
 * order's day, days in a zone, events that are not orders, bad rows, and
 * --asof as ci-features reads it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "civil.h"
#include "holdout.h"
#include "tap.h"
#include "timeparse.h"

static char path[] = "/tmp/holdout_testXXXXXX";

static const char events[] =
    "customer_id,ts,type,amount\n"
    "A,2026-03-30T10:00:00Z,order,5\n" /* before asof */
    "A,2026-04-01T10:00:00Z,order,5\n"
    "A,2026-04-01T18:00:00Z,,7\n" /* same day, no type: an order */
    "A,2026-04-05T09:00:00Z,Order,3\n"
    "A,2026-04-06T09:00:00Z,refund,-3\n" /* not an order */
    "B,2026-05-01T08:00:00Z,order,9\n"
    "C,2026-04-02T08:00:00Z,visit,\n"
    "D,2026-04-01T20:00:00Z,order,1\n"
    "D,2026-04-02T01:00:00Z,order,1\n" /* another day in UTC only */
    ",2026-04-03T08:00:00Z,order,1\n"  /* no customer */
    "E,yesterday,order,1\n";           /* bad ts */

/* The asof at which read_events() keeps the days before it too. */
static int64_t asof_all = INT64_MIN;

/* What holdout_each_day() hands over, written "day:repeat " in order. */
static void
each_day(void *ctx, int64_t day, bool repeat)
{
	char  d[CIVIL_ISO_MAX];
	char *s = ctx;

	civil_format_date(d, day);
	snprintf(s + strlen(s), 200 - strlen(s), "%s:%d ", d + 5, repeat);
}

static uint64_t
days(struct holdout *h, const char *id)
{
	return holdout_days(h, id, strlen(id));
}

/* A holdout from asof over the events, with rows read and rejects. */
static struct holdout *
read_events(int64_t from, int64_t to, bool latest, const struct tz *tz,
    uint64_t *rows, uint64_t *bad)
{
	struct recin_opts o = { 0 };
	struct ci_err     e;
	struct rejects   *rj = rejects_open("/dev/null", NULL, &e);
	struct holdout   *h = holdout_new(from, to, latest, tz);

	if (from == asof_all)
		holdout_keep_all(h);
	*rows = 0;
	if (holdout_read(h, path, &o, rj, rows, &e) == -1)
		diag("%s", e.msg);
	*bad = rejects_count(rj);
	rejects_close(rj, &e);
	return h;
}

int
main(void)
{
	struct tz      *sh;
	struct holdout *h;
	struct ci_err   e;
	const char     *why;
	int64_t         asof = 0, t = 0;
	uint64_t        rows, bad;
	char            iso[CIVIL_ISO_MAX];
	FILE           *fp;
	int             fd, rc;

	char seen[200] = "";

	plan(16);
	fd = mkstemp(path);
	fp = fdopen(fd, "w");
	fputs(events, fp);
	fclose(fp);

	ok(timeparse_asof("2026-03-31", NULL, &asof, &why) == 0,
	    "a date is an asof");
	civil_format_iso(iso, asof);
	is_str(iso, "2026-03-31T23:59:59Z", "a date means the end of its day");
	sh = tz_load("+08:00", &e);
	timeparse_asof("2026-03-31", sh, &t, &why);
	civil_format_iso(iso, t);
	is_str(iso, "2026-03-31T15:59:59Z", "... in the zone given");
	why = "";
	rc = timeparse_asof("soon", NULL, &t, &why);
	ok(rc == -1 && strcmp(why, "unrecognised date") == 0,
	    "a bad asof is refused: %s", why);

	h = read_events(asof, 0, true, NULL, &rows, &bad);
	is_int(rows, 11, "11 rows read");
	is_int(bad, 2,
	    "a row without customer_id and one with a bad ts are "
	    "rejected");
	civil_format_iso(iso, holdout_end(h));
	is_str(iso, "2026-05-01T23:59:59Z",
	    "the period ends with the day of the latest order");
	ok(days(h, "A") == 2 && days(h, "B") == 1,
	    "A bought on 2 days after asof (orders of one day are one), B on "
	    "1");
	ok(days(h, "C") == 0 && days(h, "Z") == 0,
	    "a visit is no purchase, an unknown customer has none");
	is_int(days(h, "D"), 2, "D's orders fall on two days in UTC");
	is_int(holdout_customers(h), 3, "3 customers bought");
	holdout_free(h);

	h = read_events(asof, asof + 3 * 86400, false, NULL, &rows, &bad);
	ok(days(h, "A") == 1 && days(h, "B") == 0 &&
	        holdout_end(h) == asof + 3 * 86400,
	    "a period of 3 days holds A's first day only");
	holdout_free(h);

	h = read_events(asof, 0, true, sh, &rows, &bad);
	is_int(days(h, "D"), 1, "... and on one day in UTC+8");
	civil_format_iso(iso, holdout_end(h));
	is_str(iso, "2026-05-01T15:59:59Z", "the end of the day is UTC+8's");
	holdout_free(h);

	asof_all = asof;
	h = read_events(asof, 0, true, NULL, &rows, &bad);
	ok(days(h, "A") == 2 && days(h, "D") == 2,
	    "keeping all days leaves the period's counts alone");
	holdout_each_day(h, each_day, seen);
	is_str(seen, "03-30:0 04-01:1 04-05:1 04-01:0 04-02:1 ",
	    "each distinct day of the customers asked about, the first no "
	    "repeat; B, never asked about, is left out");
	holdout_free(h);
	tz_free(sh);
	unlink(path);
	return done_testing();
}
