/*
 * tz: time zones read from TZif files (RFC 8536, versions 1 to 4) or given
 * as fixed offsets, looked up without touching the process's TZ.
 *
 * A loaded zone is one sorted table of the instants at which the offset
 * changes, with the offset in effect from each of them (entries that do
 * not change it are dropped).  The table holds the file's own transitions
 * followed by those its POSIX TZ footer rule yields from RULE_FIRST to
 * RULE_HORIZON, so that the instants ci sees in practice cost one binary
 * search even for "slim" files, which stop listing transitions once a
 * rule takes over.  Outside those years the rule is evaluated directly.
 * A zone never changes once loaded, so it may be shared freely.
 *
 * Leap-second records are skipped: ci counts POSIX seconds throughout.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "tz.h"
#include "xalloc.h"

/* Rule transitions are tabulated over these years. */
#define RULE_FIRST 1900
#define RULE_HORIZON 2200

/* TZif files are a few KiB; anything much larger is not one. */
#define TZIF_MAX_BYTES (1 << 20)

/*
 * Offsets are held to the range RFC 8536 recommends (-24:59:59 through
 * +25:59:59), so that a local time has its instants within a day and a
 * bit on either side; OFF_WINDOW is that bound plus a second.
 */
#define OFF_MIN (-89999)
#define OFF_MAX 93599
#define OFF_WINDOW 93600

#define DAY 86400
/* Seconds in 400 Gregorian years, after which every rule repeats. */
#define CYCLE_SECS (146097LL * DAY)

/* One end of a daylight-saving period, as a POSIX TZ rule writes it. */
struct rule_date {
	char    kind; /* 'J' Julian 1..365, 'D' zero-based day, 'M' m.w.d */
	int     n;    /* day for 'J' and 'D' */
	int     m;    /* month 1..12 for 'M' */
	int     w;    /* week 1..5 (5 is the last) for 'M' */
	int     d;    /* weekday 0..6, Sunday 0, for 'M' */
	int32_t time; /* seconds after local midnight, -167h..167h */
};

/* A POSIX TZ string with daylight saving, offsets east of UTC. */
struct rule {
	int32_t          std_off;
	int32_t          dst_off;
	struct rule_date start; /* in local standard time */
	struct rule_date end;   /* in local daylight time */
};

struct tz {
	char    *name;
	size_t   n;         /* entries in at[] and off[] */
	int64_t *at;        /* instants the offset changes, ascending */
	int32_t *off;       /* offset in effect from at[i] */
	int32_t  off0;      /* offset before at[0], or always when n is 0 */
	bool     has_rule;  /* rule holds a footer with daylight saving */
	int64_t  rule_from; /* the rule governs from here on */
	/*
	 * The rule also governs [rule_lo, rule_hi) when the file's own
	 * transitions (if any) end before the tabulated years begin; rule_hi
	 * is INT64_MIN when they do not.
	 */
	int64_t     rule_lo, rule_hi;
	struct rule rule;
};

static int64_t
sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

/* The proleptic Gregorian year that the day count days falls in. */
static int64_t
year_of_days(int64_t days)
{
	int64_t  y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	return y;
}

/* The local date, as days since the epoch, on which rd falls in year y. */
static int64_t
rule_day(const struct rule_date *rd, int64_t y)
{
	int64_t jan1 = civil_to_days(y, 1, 1), first, day;
	int     dim, wd;

	switch (rd->kind) {
	case 'J':
		/* Julian days never count 29 February. */
		return jan1 + rd->n - 1 +
		    (civil_days_in_month(y, 2) == 29 && rd->n >= 60);
	case 'D':
		return jan1 + rd->n;
	default:
		first = civil_to_days(y, (unsigned)rd->m, 1);
		dim = (int)civil_days_in_month(y, (unsigned)rd->m);
		/* 1970-01-01 was a Thursday, weekday 4. */
		wd = (int)(((first % 7) + 7 + 4) % 7);
		day = first + (rd->d - wd + 7) % 7 + 7 * (rd->w - 1);
		if (day - first >= dim)
			day -= 7;
		return day;
	}
}

/*
 * The two transitions of year y: ev[0] the start of daylight saving, ev[1]
 * its end, as UTC seconds.  The start is written in standard time and the
 * end in daylight time, which is why each subtracts a different offset.
 */
static void
rule_events(const struct rule *r, int64_t y, int64_t ev[2])
{
	ev[0] = rule_day(&r->start, y) * DAY + r->start.time - r->std_off;
	ev[1] = rule_day(&r->end, y) * DAY + r->end.time - r->dst_off;
}

/*
 * The offset the rule gives at t, with the period [*start, *end) over
 * which it holds.  The rule repeats every 400 years, so t is first moved
 * into the cycle that begins in 1970; this keeps the arithmetic in range
 * for any int64 t.  Transitions of five years are weighed so that rules
 * whose times reach into a neighbouring year are still seen in order.
 * When an end and a start coincide (daylight saving all year, as
 * "EST5EDT,0/0,J365/25" writes it) the start wins.
 */
static int32_t
rule_period(const struct rule *r, int64_t t, int64_t *start, int64_t *end)
{
	int64_t tt, y, ev[2], lo = INT64_MIN, hi = INT64_MAX;
	int     lo_kind = 1, lo_rank = -1;

	tt = t % CYCLE_SECS;
	if (tt < 0)
		tt += CYCLE_SECS;
	y = year_of_days(civil_day(tt + r->std_off));
	for (int64_t yy = y - 2; yy <= y + 2; yy++) {
		rule_events(r, yy, ev);
		for (int i = 0; i < 2; i++) {
			/* At equal times a start (rank 1) follows an end. */
			int rank = i == 0 ? 1 : 0;

			if (ev[i] <= tt) {
				if (ev[i] > lo ||
				    (ev[i] == lo && rank > lo_rank)) {
					lo = ev[i];
					lo_kind = i;
					lo_rank = rank;
				}
			} else if (ev[i] < hi) {
				hi = ev[i];
			}
		}
	}
	/* t - tt is a whole number of cycles; lo - tt and hi - tt are small. */
	*start = lo == INT64_MIN ? INT64_MIN : sat_add(t, lo - tt);
	*end = hi == INT64_MAX ? INT64_MAX : sat_add(t, hi - tt);
	return lo_kind == 0 ? r->dst_off : r->std_off;
}

/* Index of the last entry of z's table at or before t; t >= z->at[0]. */
static size_t
find(const struct tz *z, int64_t t)
{
	size_t lo = 0, hi = z->n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int32_t
tz_offset_at(const struct tz *z, int64_t utc)
{
	int64_t s, e;

	if (z->n == 0)
		return z->off0;
	if (utc < z->rule_hi && utc >= z->rule_lo)
		return rule_period(&z->rule, utc, &s, &e);
	if (utc < z->at[0])
		return z->off0;
	if (z->has_rule && utc >= z->rule_from)
		return rule_period(&z->rule, utc, &s, &e);
	return z->off[find(z, utc)];
}

/* The offset at t with the period [*start, *end) over which it holds. */
static int32_t
period(const struct tz *z, int64_t t, int64_t *start, int64_t *end)
{
	int32_t off;
	size_t  i;

	if (z->n == 0) {
		*start = INT64_MIN;
		*end = INT64_MAX;
		return z->off0;
	}
	if (t < z->rule_hi && t >= z->rule_lo) {
		off = rule_period(&z->rule, t, start, end);
		if (*start < z->rule_lo)
			*start = z->rule_lo;
		if (*end > z->rule_hi)
			*end = z->rule_hi;
		return off;
	}
	if (t < z->at[0]) {
		*start = INT64_MIN;
		*end = z->at[0];
		return z->off0;
	}
	if (z->has_rule && t >= z->rule_from) {
		off = rule_period(&z->rule, t, start, end);
		if (*start < z->rule_from)
			*start = z->rule_from;
		return off;
	}
	i = find(z, t);
	*start = z->at[i];
	*end = i + 1 < z->n ? z->at[i + 1] : z->rule_from;
	return z->off[i];
}

int64_t
tz_local_to_utc(const struct tz *z, int64_t local)
{
	int64_t t, s, e, limit, cand, gap = 0;
	int32_t off, next;
	bool    in_gap = false;

	if (z->n == 0)
		return sat_add(local, -(int64_t)z->off0);
	/*
	 * Every instant that shows local lies within OFF_WINDOW of it, so the
	 * periods overlapping that window are all there is to weigh.  They
	 * are walked in time order, so the first that holds its candidate
	 * gives the earlier instant of a repeated time.
	 */
	t = sat_add(local, -OFF_WINDOW);
	limit = sat_add(local, OFF_WINDOW);
	off = period(z, t, &s, &e);
	for (;;) {
		cand = sat_add(local, -(int64_t)off);
		if (cand >= s && cand < e)
			return cand;
		if (e >= limit || e == INT64_MAX)
			break;
		next = period(z, e, &s, &e);
		/*
		 * A time skipped at this change is read with the offset from
		 * before it, which lands one gap later on the wall clock.  A
		 * later period might still hold the time itself, so the walk
		 * goes on.
		 */
		if (!in_gap && next > off && local >= sat_add(s, off) &&
		    local < sat_add(s, next)) {
			in_gap = true;
			gap = sat_add(local, -(int64_t)off);
		}
		off = next;
	}
	if (in_gap)
		return gap;
	return sat_add(local, -(int64_t)tz_offset_at(z, local));
}

int64_t
tz_day(const struct tz *z, int64_t utc)
{
	return civil_day(utc + (z != NULL ? tz_offset_at(z, utc) : 0));
}

int64_t
tz_day_end(const struct tz *z, int64_t day)
{
	int64_t next = (day + 1) * 86400;

	return (z != NULL ? tz_local_to_utc(z, next) : next) - 1;
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

void
tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->name);
	free(z->at);
	free(z->off);
	free(z);
}

/* Parse 1 to maxd decimal digits at *p into *v, advancing *p. */
static bool
digits(const char **p, int maxd, int *v)
{
	const char *s = *p;
	int         n = 0, x = 0;

	while (n < maxd && s[n] >= '0' && s[n] <= '9') {
		x = x * 10 + (s[n] - '0');
		n++;
	}
	if (n == 0)
		return false;
	*p = s + n;
	*v = x;
	return true;
}

/*
 * The fixed-offset names: "UTC", "Z", "GMT", and an optional "UTC" before
 * a sign, hours ("8" or "08") and optional minutes ("08:00" or "0800").
 * The offset may not exceed 18 hours, the widest any convention allows.
 */
static bool
fixed_offset(const char *name, int32_t *off)
{
	const char *p = name, *q;
	int         sign, h, m = 0;

	if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    strcmp(name, "GMT") == 0) {
		*off = 0;
		return true;
	}
	if (strncmp(p, "UTC", 3) == 0)
		p += 3;
	if (*p != '+' && *p != '-')
		return false;
	sign = *p++ == '-' ? -1 : 1;
	q = p;
	if (!digits(&p, 2, &h))
		return false;
	if (*p == ':' || (*p != '\0' && p - q == 2)) {
		/* Minutes are two digits, after a colon or after "08". */
		if (*p == ':')
			p++;
		q = p;
		if (!digits(&p, 2, &m) || p - q != 2)
			return false;
	}
	if (*p != '\0' || m > 59 || h * 60 + m > 18 * 60)
		return false;
	*off = sign * (h * 3600 + m * 60);
	return true;
}

/*
 * IANA names use letters, digits and "/_-+."; anything else, a leading
 * "/" or a ".." could reach outside the zone directory.
 */
static bool
safe_name(const char *name)
{
	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return false;
	for (const char *p = name; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		        (*p >= '0' && *p <= '9') ||
		        strchr("/_-+.", *p) != NULL))
			return false;
	return true;
}

static struct tz *
new_zone(const char *name)
{
	struct tz *z = xcalloc(1, sizeof(*z));

	z->name = xstrdup(name);
	z->rule_from = INT64_MAX;
	z->rule_lo = INT64_MIN;
	z->rule_hi = INT64_MIN;
	return z;
}

/* POSIX TZ string parsing, for the footer of TZif version 2 and later. */

/* A zone abbreviation: three or more letters, or "<...>" quoted. */
static bool
tzstr_name(const char **p)
{
	const char *s = *p;
	size_t      n = 0;

	if (*s == '<') {
		s++;
		while (s[n] != '>' && s[n] != '\0')
			n++;
		if (s[n] != '>' || n < 1)
			return false;
		*p = s + n + 1;
		return true;
	}
	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z'))
		n++;
	if (n < 3)
		return false;
	*p = s + n;
	return true;
}

/* [+-]hh[:mm[:ss]] with hours up to maxh, into seconds. */
static bool
tzstr_hms(const char **p, int maxh, int32_t *secs)
{
	const char *s = *p;
	int         sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!digits(&s, 3, &h) || h > maxh)
		return false;
	if (*s == ':') {
		s++;
		if (!digits(&s, 2, &m) || m > 59)
			return false;
		if (*s == ':') {
			s++;
			if (!digits(&s, 2, &sec) || sec > 59)
				return false;
		}
	}
	*secs = sign * (h * 3600 + m * 60 + sec);
	*p = s;
	return true;
}

/* A rule date "Jn", "n" or "Mm.w.d" with its optional "/time". */
static bool
tzstr_date(const char **p, struct rule_date *rd)
{
	const char *s = *p;

	rd->time = 7200;
	if (*s == 'J') {
		s++;
		rd->kind = 'J';
		if (!digits(&s, 3, &rd->n) || rd->n < 1 || rd->n > 365)
			return false;
	} else if (*s == 'M') {
		s++;
		rd->kind = 'M';
		if (!digits(&s, 2, &rd->m) || rd->m < 1 || rd->m > 12 ||
		    *s++ != '.' || !digits(&s, 1, &rd->w) || rd->w < 1 ||
		    rd->w > 5 || *s++ != '.' || !digits(&s, 1, &rd->d) ||
		    rd->d > 6)
			return false;
	} else {
		rd->kind = 'D';
		if (!digits(&s, 3, &rd->n) || rd->n > 365)
			return false;
	}
	if (*s == '/') {
		s++;
		/* Version 3 allows signed hours up to 167. */
		if (!tzstr_hms(&s, 167, &rd->time))
			return false;
	}
	*p = s;
	return true;
}

/*
 * Parse the footer string s.  Returns 1 for a rule with daylight saving
 * (in *r), 0 for a fixed offset (in *std), -1 when s is not a TZ string.
 */
static int
tzstr_parse(const char *s, struct rule *r, int32_t *std)
{
	int32_t west;

	if (!tzstr_name(&s) || !tzstr_hms(&s, 24, &west))
		return -1;
	r->std_off = -west;
	*std = -west;
	if (*s == '\0')
		return 0;
	if (!tzstr_name(&s))
		return -1;
	r->dst_off = r->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (!tzstr_hms(&s, 24, &west))
			return -1;
		r->dst_off = -west;
	}
	if (*s == '\0') {
		/* POSIX leaves the default rule open; this is glibc's. */
		s = ",M3.2.0,M11.1.0";
	}
	if (*s++ != ',' || !tzstr_date(&s, &r->start) || *s++ != ',' ||
	    !tzstr_date(&s, &r->end) || *s != '\0')
		return -1;
	if (r->std_off < OFF_MIN || r->std_off > OFF_MAX ||
	    r->dst_off < OFF_MIN || r->dst_off > OFF_MAX)
		return -1;
	return 1;
}

/* TZif reading. */

struct tzif_hdr {
	int      version; /* 0 for version 1, else the digit */
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static bool
tzif_hdr(const unsigned char *p, size_t len, struct tzif_hdr *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return false;
	h->version = p[4] == 0 ? 0 : p[4] - '0';
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	return true;
}

/* Bytes of the data block after h, with times of tsize bytes. */
static uint64_t
tzif_block(const struct tzif_hdr *h, int tsize)
{
	return (uint64_t)h->timecnt * (uint64_t)(tsize + 1) +
	    (uint64_t)h->typecnt * 6 + h->charcnt +
	    (uint64_t)h->leapcnt * (uint64_t)(tsize + 4) + h->isstdcnt +
	    h->isutcnt;
}

/* Append (t, o) to the table being built, growing it as needed. */
static void
push(struct tz *z, size_t *cap, int64_t t, int32_t o)
{
	if (z->n == *cap) {
		size_t c = *cap;

		xgrow(&z->at, &c, z->n + 1, sizeof(*z->at));
		xgrow(&z->off, cap, z->n + 1, sizeof(*z->off));
	}
	z->at[z->n] = t;
	z->off[z->n] = o;
	z->n++;
}

/*
 * Extend the table with the rule's transitions after its last entry, from
 * RULE_FIRST at the earliest up to RULE_HORIZON; the rule is evaluated
 * directly from the first transition after that on, and between the
 * file's last transition and the first tabulated one when the file's
 * transitions end before RULE_FIRST (or there are none).
 */
static void
add_rule_transitions(struct tz *z, size_t *cap)
{
	int64_t last = z->n > 0 ? z->at[z->n - 1] : INT64_MIN;
	int64_t y0 = RULE_FIRST, ev[2], s, e, t, lo = last;
	size_t  n0 = z->n;
	int32_t o;

	if (z->n > 0) {
		y0 = year_of_days(civil_day(last)) - 1;
		if (y0 > RULE_HORIZON)
			y0 = RULE_HORIZON;
	}
	if (y0 <= RULE_FIRST)
		y0 = RULE_FIRST;
	else
		lo = INT64_MAX; /* no stretch left to the rule */
	rule_events(&z->rule, RULE_HORIZON + 1, ev);
	z->rule_from = ev[0] < ev[1] ? ev[0] : ev[1];
	if (z->n > 0 && z->rule_from <= last)
		z->rule_from = last + 1;
	/* Walk period by period so that the order is the rule's own. */
	rule_events(&z->rule, y0, ev);
	t = ev[0] < ev[1] ? ev[0] : ev[1];
	if (z->n > 0 && t <= last)
		t = last + 1;
	while (t < z->rule_from) {
		o = rule_period(&z->rule, t, &s, &e);
		if (s > last || z->n == 0) {
			push(z, cap, s, o);
			last = s;
		}
		if (e == INT64_MAX)
			break;
		t = e;
	}
	if (lo != INT64_MAX && z->n > n0) {
		z->rule_lo = lo;
		z->rule_hi = z->at[n0];
	}
}

/* Drop the entries that do not change the offset. */
static void
collapse(struct tz *z)
{
	size_t  j = 0;
	int32_t prev = z->off0;

	for (size_t i = 0; i < z->n; i++) {
		/* The ends of the rule's stretch must stay entries. */
		if (z->off[i] == prev && z->at[i] != z->rule_lo &&
		    z->at[i] != z->rule_hi)
			continue;
		z->at[j] = z->at[i];
		z->off[j] = z->off[i];
		prev = z->off[i];
		j++;
	}
	z->n = j;
}

/*
 * Apply the footer "\nTZ\n" at d, which governs after the last
 * transition.  A footer that does not parse is ignored, as glibc does,
 * leaving the last type in force.
 */
static void
footer(
    struct tz *z, const unsigned char *d, const unsigned char *end, size_t *cap)
{
	const unsigned char *nl;
	char                 s[128];
	size_t               n;
	int32_t              std;
	int64_t              s0, e0;

	if (d >= end || *d != '\n' ||
	    (nl = memchr(d + 1, '\n', (size_t)(end - d - 1))) == NULL ||
	    (n = (size_t)(nl - d - 1)) == 0 || n >= sizeof(s) ||
	    memchr(d + 1, '\0', n) != NULL)
		return;
	memcpy(s, d + 1, n);
	s[n] = '\0';
	switch (tzstr_parse(s, &z->rule, &std)) {
	case 1:
		z->has_rule = true;
		if (z->n > 0)
			z->off[z->n - 1] =
			    rule_period(&z->rule, z->at[z->n - 1], &s0, &e0);
		add_rule_transitions(z, cap);
		break;
	case 0:
		if (z->n > 0)
			z->off[z->n - 1] = std;
		else
			z->off0 = std;
		break;
	default:
		break;
	}
}

/*
 * Build z from the TZif image p of len bytes.  Returns NULL on success or
 * a phrase saying what is wrong with the file.
 */
static const char *
tzif_parse(struct tz *z, const unsigned char *p, size_t len)
{
	struct tzif_hdr      h;
	const unsigned char *d, *types, *idx, *end = p + len;
	int                  tsize = 4;
	size_t               cap = 0;
	int64_t              prev = INT64_MIN;

	if (!tzif_hdr(p, len, &h))
		return "not a TZif file";
	if (tzif_block(&h, 4) > len - 44)
		return "truncated";
	d = p + 44;
	if (h.version >= 2) {
		/* Skip the 32-bit block; the 64-bit one follows it. */
		d += tzif_block(&h, 4);
		if (!tzif_hdr(d, (size_t)(end - d), &h))
			return "no second header";
		d += 44;
		tsize = 8;
		if (tzif_block(&h, 8) > (uint64_t)(end - d))
			return "truncated";
	}
	if (h.typecnt == 0 || h.typecnt > 256 ||
	    (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) ||
	    (h.isutcnt != 0 && h.isutcnt != h.typecnt))
		return "bad counts";
	idx = d + (size_t)h.timecnt * (size_t)tsize;
	types = idx + h.timecnt;
	for (uint32_t i = 0; i < h.typecnt; i++) {
		int32_t o = (int32_t)be32(types + 6 * i);

		if (o < OFF_MIN || o > OFF_MAX)
			return "offset out of range";
	}
	z->off0 = (int32_t)be32(types);
	for (uint32_t i = 0; i < h.timecnt; i++) {
		int64_t t = tsize == 8 ? be64(d + 8 * (size_t)i)
		                       : (int32_t)be32(d + 4 * (size_t)i);

		if (idx[i] >= h.typecnt)
			return "bad type index";
		if (t <= prev)
			return "transitions out of order";
		prev = t;
		push(z, &cap, t, (int32_t)be32(types + 6 * (size_t)idx[i]));
	}
	d += tzif_block(&h, tsize);
	if (h.version >= 2)
		footer(z, d, end, &cap);
	collapse(z);
	return NULL;
}

/* Read the file at path; returns its bytes or NULL with errno set. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE          *f;
	unsigned char *buf = NULL;
	size_t         cap = 0, n = 0, got;
	int            saved;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	do {
		if (n == cap)
			xgrow(&buf, &cap, cap == 0 ? 8192 : cap + 1, 1);
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0 && n <= TZIF_MAX_BYTES);
	saved = ferror(f) ? errno : n > TZIF_MAX_BYTES ? EFBIG : 0;
	fclose(f);
	if (saved != 0) {
		free(buf);
		errno = saved;
		return NULL;
	}
	*len = n;
	return buf;
}

struct tz *
tz_load(const char *name, struct ci_err *e)
{
	struct tz     *z;
	const char    *dir, *why;
	char           path[4096];
	unsigned char *data;
	size_t         len = 0;
	int32_t        off;
	int            n;

	if (fixed_offset(name, &off)) {
		z = new_zone(name);
		z->off0 = off;
		return z;
	}
	if (!safe_name(name))
		goto unknown;
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		goto unknown;
	if ((data = slurp(path, &len)) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR ||
		    errno == ENAMETOOLONG || errno == ELOOP || errno == EFBIG)
			goto unknown;
		ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "cannot read time zone file '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	/* Other files live beside the zones (zone.tab, tzdata.zi). */
	if (len < 4 || memcmp(data, "TZif", 4) != 0) {
		free(data);
		goto unknown;
	}
	z = new_zone(name);
	why = tzif_parse(z, data, len);
	free(data);
	if (why != NULL) {
		tz_free(z);
		ci_err_set(e, CI_EXIT_IO, NULL, 0,
		    "bad time zone file '%s': %s", path, why);
		return NULL;
	}
	return z;
unknown:
	ci_err_set(e, CI_EXIT_USAGE, NULL, 0, "unknown time zone '%s'", name);
	return NULL;
}
