/*
 * cdnow.h: the CDNOW sample's customer summaries for the unit tests of the
 * customer-lifetime-value models, computed here from the raw transactions
 * the way Fader, Hardie & Lee (2005) and lifetimes define them, so that
 * the tests check the published figures from the raw data.
 *
 * The file is ../shared/data/cdnow_sample.txt from the directory the tests
 * run in (the project root under make check), or $CI_SHARED_DATA/
 * cdnow_sample.txt.  Its lines are "ID SEQ YYYYMMDD CDS DOLLARS" with CRLF
 * ends; SEQ numbers the 2,357 customers 0001..2357 (lifetimes' customer
 * ids; customer 0001 is ID 00004).  Calibration ends 1997-09-30: per
 * customer, x is the number of distinct purchase days up to then less one,
 * t_x and T the days from the first purchase day to the last one and to
 * 1997-09-30, over 7 (weeks), and m the mean over the repeat purchase days
 * of the dollars spent that day (the first day left out).  holdout counts
 * the distinct purchase days after 1997-09-30.
 */
#ifndef CI_TEST_CDNOW_H
#define CI_TEST_CDNOW_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

struct cdnow_cust {
	char   id[8], seq[8];
	double x, tx, T, m;
	int    holdout;
};

struct cdnow {
	size_t             n;
	struct cdnow_cust *c;
};

struct cdnow_line {
	int    seq;
	long   day;
	double dollars;
	char   id[8];
};

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's). */
static long
cdnow_days(int y, int m, int d)
{
	long     era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static int
cdnow_cmp(const void *pa, const void *pb)
{
	const struct cdnow_line *a = pa, *b = pb;

	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return (a->day > b->day) - (a->day < b->day);
}

/*
 * Fill *cd with the 2,357 summaries in customer order.  Returns 1, 0 when
 * the file is absent, -1 when it does not read as expected.
 */
static int
cdnow_load(struct cdnow *cd)
{
	const char        *dir = getenv("CI_SHARED_DATA");
	char               path[4096], id[32], seq[32], date[32];
	struct cdnow_line *l = NULL;
	size_t             n = 0, cap = 0, i, j;
	long               cal = cdnow_days(1997, 9, 30);
	int                cds, y, mo, d;
	double             v;
	FILE              *f;

	snprintf(path, sizeof(path), "%s/cdnow_sample.txt",
	    dir != NULL ? dir : "../shared/data");
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (
	    fscanf(f, "%31s %31s %31s %d %lf", id, seq, date, &cds, &v) == 5) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8192;
			l = realloc(l, cap * sizeof(*l));
			if (l == NULL)
				abort();
		}
		if (strlen(id) >= sizeof(l->id) ||
		    sscanf(date, "%4d%2d%2d", &y, &mo, &d) != 3)
			goto bad;
		strcpy(l[n].id, id);
		l[n].seq = atoi(seq);
		l[n].day = cdnow_days(y, mo, d);
		l[n].dollars = v;
		n++;
	}
	if (!feof(f))
		goto bad;
	fclose(f);
	qsort(l, n, sizeof(*l), cdnow_cmp);
	cd->n = 0;
	cd->c = calloc(n ? n : 1, sizeof(*cd->c));
	for (i = 0; i < n; i = j) {
		struct cdnow_cust *c = &cd->c[cd->n++];
		long               first = l[i].day, last = first, prev = first;
		double             repeat = 0;

		snprintf(c->id, sizeof(c->id), "%s", l[i].id);
		snprintf(c->seq, sizeof(c->seq), "%04d", l[i].seq);
		for (j = i; j < n && l[j].seq == l[i].seq; j++) {
			if (l[j].day > cal) {
				if (l[j].day != prev)
					c->holdout++;
			} else if (l[j].day != first) {
				if (l[j].day != prev)
					c->x++;
				repeat += l[j].dollars;
				last = l[j].day;
			}
			prev = l[j].day;
		}
		c->tx = (double)(last - first) / 7;
		c->T = (double)(cal - first) / 7;
		c->m = c->x > 0 ? repeat / c->x : 0;
	}
	free(l);
	return 1;
bad:
	fclose(f);
	free(l);
	return -1;
}

/* Report n tests skipped because the data set is absent. */
static void
cdnow_skip(int n)
{
	while (n-- > 0) {
		tap_st.run++;
		printf("ok %d # SKIP shared data absent\n", tap_st.run);
	}
}

static void
cdnow_release(struct cdnow *cd)
{
	free(cd->c);
	cd->c = NULL;
	cd->n = 0;
}

#endif
