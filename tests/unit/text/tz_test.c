/*
 * tests/unit/text/tz_test.c: the tz module checked against glibc, which serves
 * as the oracle (TZ, tzset, localtime_r and mktime are allowed here and
 * only here).  Real zones are compared at tens of thousands of instants
 * from 1950 to 2100 and around every transition; TZif files written by
 * the test into a private TZDIR cover the file versions, the POSIX TZ
 * footer forms and broken files.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "tz.h"

#define T1950 (-631152000LL)
#define T2100 4102444800LL
#define HOUR 3600
#define DAY 86400

/* splitmix64: a fixed-seed generator so that every run sees the same. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t
rnd_range(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo));
}

static void
use_tz(const char *tzval)
{
	setenv("TZ", tzval, 1);
	tzset();
}

/* glibc's offset at t in the zone TZ names. */
static int32_t
g_off(int64_t t)
{
	time_t    tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return INT32_MIN;
	return (int32_t)tm.tm_gmtoff;
}

static int
is_dst(int64_t t)
{
	time_t    tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return tm.tm_isdst > 0;
}

/* glibc's mktime() with tm_isdst = -1 for local seconds local. */
static int64_t
g_mktime(int64_t local)
{
	time_t    tt = (time_t)local;
	struct tm tm;

	gmtime_r(&tt, &tm);
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/*
 * The instants glibc's offsets say show local: candidates local - o for
 * each offset o seen within a day and a bit, kept when glibc agrees that
 * o is in force at local - o.  Returns how many there are (0, 1 or 2)
 * and the earliest in *first.
 */
static int
g_instants(int64_t local, int64_t *first)
{
	int32_t cand[6];
	int64_t seen[6];
	int     nc = 0, ns = 0;

	cand[nc++] = g_off(local - 26 * HOUR);
	cand[nc++] = g_off(local);
	cand[nc++] = g_off(local + 26 * HOUR);
	for (int i = 0; i < 3; i++)
		cand[nc++] = g_off(local - cand[i]);
	for (int i = 0; i < nc; i++) {
		int64_t t = local - cand[i];
		bool    dup = false;

		if (g_off(t) != cand[i])
			continue;
		for (int j = 0; j < ns; j++)
			dup |= seen[j] == t;
		if (!dup)
			seen[ns++] = t;
	}
	for (int j = 0; j < ns; j++)
		if (j == 0 || seen[j] < *first)
			*first = seen[j];
	return ns;
}

/*
 * The instants of glibc's offset changes in [lo, hi), found by stepping
 * a day at a time and bisecting; returns how many were stored in out.
 */
static size_t
g_transitions(int64_t lo, int64_t hi, int64_t *out, size_t max)
{
	size_t  n = 0;
	int32_t prev = g_off(lo);

	for (int64_t t = lo + DAY; t < hi && n < max; t += DAY) {
		int32_t o = g_off(t);
		int64_t a = t - DAY, b = t;

		if (o == prev)
			continue;
		/* The change lies in (a, b]. */
		while (b - a > 1) {
			int64_t m = a + (b - a) / 2;

			if (g_off(m) == prev)
				a = m;
			else
				b = m;
		}
		out[n++] = b;
		prev = o;
	}
	return n;
}

struct l2u_stats {
	long checked, unique, folds, gaps, std_gaps, bad;
	char first_bad[160];
};

/* Check tz_local_to_utc(z, local) against glibc; tally in *st. */
static void
check_local(const struct tz *z, int64_t local, struct l2u_stats *st)
{
	int64_t want = 0, got = tz_local_to_utc(z, local), mk;
	int     n = g_instants(local, &want);
	bool    good;

	st->checked++;
	mk = g_mktime(local);
	if (n == 1) {
		st->unique++;
		good = got == want && mk == want;
	} else if (n == 2) {
		/* mktime() may pick either; ours must be the earlier. */
		st->folds++;
		good = got == want && mk + g_off(mk) == local;
	} else {
		/*
		 * A skipped time is read with the offset from before the
		 * change, which is what mktime() does when daylight saving
		 * starts.  When only the standard offset moves, glibc reads
		 * it with the offset after, one gap earlier; that is counted
		 * but not held against tz.
		 */
		int64_t before = local - 26 * HOUR;

		st->gaps++;
		want = local - g_off(before);
		good = got == want;
		if (mk != want) {
			if (is_dst(before) != is_dst(local + 26 * HOUR))
				good = false;
			else
				st->std_gaps++;
		}
	}
	if (!good) {
		if (st->bad == 0)
			snprintf(st->first_bad, sizeof(st->first_bad),
			    "local %lld: got %lld, want %lld (mktime %lld, "
			    "%d instants)",
			    (long long)local, (long long)got, (long long)want,
			    (long long)mk, n);
		st->bad++;
	}
}

static void
zone_vs_glibc(const char *name, bool changes)
{
	static int64_t   trans[4096];
	struct ci_err    e = { 0 };
	struct tz       *z = tz_load(name, &e);
	struct l2u_stats st = { 0 };
	uint64_t         seed = 20261101;
	size_t           nt;
	long             n = 0, bad = 0;
	int64_t          bad_t = 0;

	ok(z != NULL, "%s: loads", name);
	if (z == NULL) {
		diag("  %s", e.msg);
		return;
	}
	use_tz(name);
	for (int i = 0; i < 30000; i++, n++) {
		int64_t t = rnd_range(&seed, T1950, T2100);

		if (tz_offset_at(z, t) != g_off(t) && bad++ == 0)
			bad_t = t;
	}
	nt = g_transitions(T1950, T2100, trans, 4096);
	for (size_t i = 0; i < nt; i++)
		for (int64_t d = -2 * HOUR; d <= 2 * HOUR; d += 300) {
			int64_t ts[3] = { trans[i] + d, trans[i] + d - 1,
				trans[i] + d + 1 };

			for (int k = 0; k < 3; k++, n++)
				if (tz_offset_at(z, ts[k]) != g_off(ts[k]) &&
				    bad++ == 0)
					bad_t = ts[k];
		}
	ok(bad == 0,
	    "%s: tz_offset_at equals glibc at %ld instants, "
	    "around %zu transitions",
	    name, n, nt);
	if (bad != 0)
		diag("  %ld differ, first at %lld: got %d, want %d", bad,
		    (long long)bad_t, tz_offset_at(z, bad_t), g_off(bad_t));
	for (int i = 0; i < 20000; i++)
		check_local(z, rnd_range(&seed, T1950, T2100), &st);
	for (size_t i = 0; i < nt; i++) {
		int32_t before = g_off(trans[i] - 1), after = g_off(trans[i]);

		for (int64_t d = -2 * HOUR; d <= 2 * HOUR; d += 900) {
			check_local(z, trans[i] + before + d, &st);
			check_local(z, trans[i] + after + d, &st);
		}
		check_local(z, trans[i] + before - 1, &st);
		check_local(z, trans[i] + before, &st);
		check_local(z, trans[i] + after - 1, &st);
		check_local(z, trans[i] + after, &st);
	}
	ok(st.bad == 0,
	    "%s: tz_local_to_utc equals glibc for %ld local times "
	    "(%ld unique, %ld repeated, %ld skipped)",
	    name, st.checked, st.unique, st.folds, st.gaps);
	if (st.bad != 0)
		diag("  %ld differ, first: %s", st.bad, st.first_bad);
	if (st.std_gaps != 0)
		diag("  %s: glibc's mktime() reads %ld times skipped by a "
		     "change of standard offset one gap earlier",
		    name, st.std_gaps);
	if (changes)
		ok(nt > 0 && st.folds > 0 && st.gaps > 0,
		    "%s: %zu changes of offset from 1950 to 2100 were "
		    "exercised",
		    name, nt);
	else
		ok(nt == 0 && st.folds == 0 && st.gaps == 0,
		    "%s: no change of offset from 1950 to 2100", name);
	tz_free(z);
}

static void
bad_name(const char *name)
{
	struct ci_err e = { 0 };
	struct tz    *z = tz_load(name, &e);
	char          want[300];

	snprintf(want, sizeof(want), "unknown time zone '%s'", name);
	ok(z == NULL && e.code == CI_EXIT_USAGE && strcmp(e.msg, want) == 0,
	    "'%s' is refused as an unknown time zone", name);
	if (z != NULL || strcmp(e.msg, want) != 0)
		diag("  got code %d, '%s'", e.code, e.msg);
	tz_free(z);
}

static void
fixed(const char *name, int32_t want)
{
	struct ci_err e = { 0 };
	struct tz    *z = tz_load(name, &e);
	bool          good;

	good = z != NULL && strcmp(tz_name(z), name) == 0 &&
	    tz_offset_at(z, 0) == want && tz_offset_at(z, T2100) == want &&
	    tz_offset_at(z, INT64_MIN) == want &&
	    tz_local_to_utc(z, 1000000) == 1000000 - want;
	ok(good, "'%s' is a fixed offset of %d s", name, (int)want);
	if (z == NULL)
		diag("  %s", e.msg);
	else if (!good)
		diag("  name '%s', offset %d", tz_name(z), tz_offset_at(z, 0));
	tz_free(z);
}

/* A TZif file under construction. */
struct tzif {
	unsigned char b[8192];
	size_t        n;
};

static void
put(struct tzif *f, const void *p, size_t n)
{
	if (n == 0)
		return;
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

static void
put32(struct tzif *f, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24),
		(unsigned char)(v >> 16), (unsigned char)(v >> 8),
		(unsigned char)v };

	put(f, b, 4);
}

static void
put64(struct tzif *f, int64_t v)
{
	put32(f, (uint32_t)((uint64_t)v >> 32));
	put32(f, (uint32_t)v);
}

struct block {
	size_t         ntrans, ntypes, nleap;
	const int64_t *at;
	const uint8_t *idx;
	const int32_t *utoff;
	const uint8_t *isdst;
};

/* Header (with version byte v) and data block with tsize-byte times. */
static void
put_block(struct tzif *f, char v, const struct block *bl, int tsize)
{
	put(f, "TZif", 4);
	put(f, &v, 1);
	put(f, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15);
	put32(f, (uint32_t)bl->ntypes); /* isutcnt */
	put32(f, (uint32_t)bl->ntypes); /* isstdcnt */
	put32(f, (uint32_t)bl->nleap);
	put32(f, (uint32_t)bl->ntrans);
	put32(f, (uint32_t)bl->ntypes);
	put32(f, 4); /* charcnt: "LMT\0" shared by every type */
	for (size_t i = 0; i < bl->ntrans; i++) {
		if (tsize == 8)
			put64(f, bl->at[i]);
		else
			put32(f, (uint32_t)(int32_t)bl->at[i]);
	}
	put(f, bl->idx, bl->ntrans);
	for (size_t i = 0; i < bl->ntypes; i++) {
		unsigned char rest[2] = { bl->isdst[i], 0 };

		put32(f, (uint32_t)bl->utoff[i]);
		put(f, rest, 2);
	}
	put(f, "LMT", 4);
	for (size_t i = 0; i < bl->nleap; i++) {
		if (tsize == 8)
			put64(f, 78796800 + (int64_t)i * 15778800);
		else
			put32(f, (uint32_t)(78796800 + i * 15778800));
		put32(f, (uint32_t)(i + 1));
	}
	for (size_t i = 0; i < 2 * bl->ntypes; i++)
		put(f, "\0", 1);
}

/* The private TZDIR and the files written into it, removed at the end. */
static char tzdir[64];
static char written[32][16];
static int  nwritten;

static void
write_zone(const char *name, const struct tzif *f)
{
	char  path[128];
	FILE *fp;
	int   i;

	for (i = 0; i < nwritten && strcmp(written[i], name) != 0; i++)
		;
	if (i == nwritten && nwritten < 32)
		snprintf(written[nwritten++], sizeof(written[0]), "%s", name);
	snprintf(path, sizeof(path), "%s/%s", tzdir, name);
	fp = fopen(path, "wb");
	if (fp == NULL || fwrite(f->b, 1, f->n, fp) != f->n || fclose(fp) != 0)
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
}

static void
remove_tzdir(void)
{
	char path[sizeof(tzdir) + sizeof(written)];

	for (int i = 0; i < nwritten; i++) {
		snprintf(path, sizeof(path), "%s/%s", tzdir, written[i]);
		unlink(path);
	}
	rmdir(tzdir);
}

/* A version-2+ file of no transitions, one type and the footer footer. */
static void
write_rule_zone(const char *name, char v, int32_t utoff, const char *footer)
{
	static const uint8_t zero = 0;
	struct block         bl = { 0, 1, 0, NULL, NULL, &utoff, &zero };
	struct tzif          f = { .n = 0 };

	put_block(&f, v, &bl, 4);
	put_block(&f, v, &bl, 8);
	put(&f, "\n", 1);
	put(&f, footer, strlen(footer));
	put(&f, "\n", 1);
	write_zone(name, &f);
}

/*
 * Compare the zone made of footer alone with glibc reading the same POSIX
 * string as TZ, 1800 to 2600, at random and around each transition.
 */
static void
footer_vs_glibc(const char *footer)
{
	static int64_t trans[4096];
	struct ci_err  e = { 0 };
	struct tz     *z;
	uint64_t       seed = 7;
	long           n = 0, bad = 0;
	int64_t        bad_t = 0, lo = 31536000, hi = 19880899200LL;
	size_t         nt;

	write_rule_zone("Rule", '2', 0, footer);
	z = tz_load("Rule", &e);
	if (!ok(z != NULL, "footer '%s': loads", footer)) {
		diag("  %s", e.msg);
		return;
	}
	use_tz(footer);
	nt = g_transitions(lo, hi, trans, 4096);
	for (int i = 0; i < 20000; i++, n++) {
		int64_t t = rnd_range(&seed, lo, hi);

		if (tz_offset_at(z, t) != g_off(t) && bad++ == 0)
			bad_t = t;
	}
	for (size_t i = 0; i < nt; i++)
		for (int64_t d = -1; d <= 1; d++, n++)
			if (tz_offset_at(z, trans[i] + d) !=
			        g_off(trans[i] + d) &&
			    bad++ == 0)
				bad_t = trans[i] + d;
	ok(bad == 0 && nt > 1000,
	    "footer '%s': equals glibc at %ld instants, %zu transitions",
	    footer, n, nt);
	if (bad != 0)
		diag("  %ld differ, first at %lld: got %d, want %d", bad,
		    (long long)bad_t, tz_offset_at(z, bad_t), g_off(bad_t));
	tz_free(z);
}

static int32_t
offset_in(const char *name, int64_t t)
{
	struct ci_err e = { 0 };
	struct tz    *z = tz_load(name, &e);
	int32_t       o;

	if (z == NULL)
		return INT32_MIN;
	o = tz_offset_at(z, t);
	tz_free(z);
	return o;
}

static void
test_files(void)
{
	/* Version 1: 32-bit data only, no footer. */
	static const int64_t at1[] = { -1000000, 0, 1000000 };
	static const uint8_t idx1[] = { 1, 2, 1 };
	static const int32_t off1[] = { 3600, 7200, 10800 };
	static const uint8_t dst1[] = { 0, 0, 1 };
	struct block         v1 = { 3, 3, 0, at1, idx1, off1, dst1 };
	/*
	 * Version 2 with a decoy first block: the 64-bit block's transitions
	 * lie before 1901, where 32 bits cannot reach, and it has leap
	 * second records to skip.
	 */
	static const int64_t at2[] = { -5000000000LL, -3000000000LL };
	static const uint8_t idx2[] = { 1, 2 };
	static const int32_t off2[] = { 100, 200, 28800 };
	static const uint8_t dst2[] = { 0, 0, 0 };
	struct block         b64 = { 2, 3, 2, at2, idx2, off2, dst2 };
	static const int32_t decoy_off[] = { -36000 };
	static const uint8_t decoy_dst[] = { 0 };
	struct block  decoy = { 0, 1, 0, NULL, NULL, decoy_off, decoy_dst };
	struct tzif   f = { .n = 0 };
	struct ci_err e = { 0 };
	struct tz    *z;
	char          want[256];
	int           good;

	put_block(&f, 0, &v1, 4);
	write_zone("V1", &f);
	ok(offset_in("V1", -2000000) == 3600 &&
	        offset_in("V1", -1000000) == 7200 &&
	        offset_in("V1", 5) == 10800 &&
	        offset_in("V1", 999999) == 10800 &&
	        offset_in("V1", 1000000) == 7200 &&
	        offset_in("V1", INT64_MAX) == 7200,
	    "version 1 file: type 0 before, last type after the transitions");

	for (char v = '2'; v <= '4'; v++) {
		char zn[8] = { 'V', v, '\0' };

		f.n = 0;
		put_block(&f, v, &decoy, 4);
		put_block(&f, v, &b64, 8);
		put(&f, "\n<+08>-8\n", 9);
		write_zone(zn, &f);
		ok(offset_in(zn, -6000000000LL) == 100 &&
		        offset_in(zn, -4000000000LL) == 200 &&
		        offset_in(zn, -3000000000LL) == 28800 &&
		        offset_in(zn, 0) == 28800 &&
		        offset_in(zn, INT64_MAX) == 28800,
		    "version %c file: the 64-bit block is read, the 32-bit "
		    "one skipped",
		    v);
	}

	/* The footer's rule takes over after the last transition. */
	f.n = 0;
	put_block(&f, '2', &decoy, 4);
	put_block(&f, '2', &b64, 8);
	put(&f, "\nEST5EDT,M3.2.0,M11.1.0\n", 24);
	write_zone("Slim", &f);
	ok(offset_in("Slim", -4000000000LL) == 200 &&
	        offset_in("Slim", 1783000000) == -14400 &&
	        offset_in("Slim", 1798000000) == -18000 &&
	        offset_in("Slim", 7000000000LL) == -14400 &&
	        offset_in("Slim", 7000000000LL + 700 * 12622780800LL) ==
	            -14400 &&
	        offset_in("Slim", 7008000000LL + 700 * 12622780800LL) ==
	            -18000 &&
	        offset_in("Slim", 7000000000LL - 900 * 12622780800LL) == 100,
	    "slim file: transitions, then the footer's rule for ever");

	/* A footer that is not a TZ string leaves the last type in force. */
	f.n = 0;
	put_block(&f, '2', &decoy, 4);
	put_block(&f, '2', &b64, 8);
	put(&f, "\nEST5EDT,M3.2.0,\n", 17);
	write_zone("BadFooter", &f);
	ok(offset_in("BadFooter", 1783000000) == 28800,
	    "a broken footer is ignored");

	/*
	 * Without transitions the footer governs all time (RFC 8536), even
	 * before 1970, where glibc cannot serve as the oracle.
	 */
	write_rule_zone("Old", '2', -18000, "EST5EDT,M3.2.0,M11.1.0");
	ok(offset_in("Old", -3771144000LL) == -14400 &&
	        offset_in("Old", -3786782400LL) == -18000,
	    "a footer alone governs before 1970 too");

	/*
	 * A file whose transitions end long before its rule's years: the
	 * rule covers the stretch after them, and a "big bang" transition
	 * at -2^59 costs nothing.
	 */
	{
		static const int64_t old_at[] = { -(1LL << 59), -3786807600LL };
		static const uint8_t old_idx[] = { 1, 2 };
		static const int32_t old_off[] = { -17762, -18001, -18000 };
		static const uint8_t old_dst[] = { 0, 0, 0 };
		struct block         ob = { 2, 3, 0, old_at, old_idx, old_off,
			        old_dst };

		f.n = 0;
		put_block(&f, '2', &decoy, 4);
		put_block(&f, '2', &ob, 8);
		put(&f, "\nEST5EDT,M3.2.0,M11.1.0\n", 24);
		write_zone("Ancient", &f);
		ok(offset_in("Ancient", -(1LL << 60)) == -17762 &&
		        offset_in("Ancient", -(1LL << 58)) == -18001 &&
		        offset_in("Ancient", -3786807601LL) == -18001 &&
		        offset_in("Ancient", -3786807600LL) == -18000 &&
		        offset_in("Ancient", -3771144000LL) == -14400 &&
		        offset_in("Ancient", -3000000000LL) == -18000 &&
		        offset_in("Ancient", 1783000000) == -14400,
		    "transitions ending in 1850 hand over to the rule");
	}

	/* Daylight saving all year: RFC 8536, section 3.3.1. */
	write_rule_zone("AllYear", '3', -18000, "EST5EDT,0/0,J365/25");
	good = 1;
	for (int64_t t = 1700000000; t < 1900000000; t += 3600 * 7)
		good &= offset_in("AllYear", t) == -14400;
	ok(good, "'EST5EDT,0/0,J365/25' is daylight saving all year");

	f.n = 0;
	put_block(&f, '2', &decoy, 4);
	f.n -= 10;
	write_zone("Short", &f);
	z = tz_load("Short", &e);
	snprintf(want, sizeof(want), "bad time zone file '%s/Short': truncated",
	    tzdir);
	ok(z == NULL && e.code == CI_EXIT_IO && strcmp(e.msg, want) == 0,
	    "a truncated file is an I/O error");
	if (z != NULL || strcmp(e.msg, want) != 0)
		diag("  got '%s'", e.msg);
	tz_free(z);

	f.n = 0;
	{
		static const uint8_t bad_idx[] = { 1, 7 };
		struct block         bb = b64;

		bb.idx = bad_idx;
		put_block(&f, '2', &decoy, 4);
		put_block(&f, '2', &bb, 8);
		write_zone("BadIdx", &f);
	}
	z = tz_load("BadIdx", &e);
	ok(z == NULL && strstr(e.msg, "bad type index") != NULL,
	    "a type index past the types is refused");
	tz_free(z);

	f.n = 0;
	{
		static const int64_t back[] = { -3000000000LL, -5000000000LL };
		struct block         bb = b64;

		bb.at = back;
		put_block(&f, '2', &decoy, 4);
		put_block(&f, '2', &bb, 8);
		write_zone("Backwards", &f);
	}
	z = tz_load("Backwards", &e);
	ok(z == NULL && strstr(e.msg, "out of order") != NULL,
	    "transitions out of order are refused");
	tz_free(z);

	f.n = 0;
	put(&f, "# not a zone\n", 13);
	write_zone("zone.tab", &f);
	bad_name("zone.tab");
	bad_name("Missing");
}

static void
test_footers(void)
{
	static const char *const footers[] = {
		"EST5EDT,M3.2.0,M11.1.0",
		"CET-1CEST,M3.5.0,M10.5.0/3",
		"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
		"AEST-10AEDT,M10.1.0,M4.1.0/3",
		"NZST-12NZDT,M9.5.0,M4.1.0/3",
		"<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
		"IST-2IDT,M3.4.4/26,M10.5.0",
		"<+0330>-3:30<+0430>,J79/24,J263/24",
		"STD3DST,59/2,300/2",
		"<-01>1<+00>,M3.5.0/0,M10.5.0/1",
		"<+13>-13<+14>,M9.5.0/3,M4.1.0/4",
		"AAA-1:30BBB-3:15:30,M2.5.6/23:59:59,M11.2.3/0:00:01",
	};

	for (size_t i = 0; i < sizeof(footers) / sizeof(footers[0]); i++)
		footer_vs_glibc(footers[i]);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Local days and their last seconds, in a fixed zone and in UTC. */
static void
test_days(void)
{
	struct ci_err e = { 0 };
	struct tz    *z = tz_load("+08:00", &e);
	/* 2026-01-01T00:00:00Z is day 20454; in +08:00 it is 08:00 that day,
	 * and 2025-12-31T16:00:00Z is already 2026-01-01 there. */
	const int64_t t0 = 1767225600;

	ok(tz_day(NULL, t0) == 20454 && tz_day(NULL, t0 - 1) == 20453,
	    "tz_day in UTC: midnight starts the day");
	ok(z != NULL && tz_day(z, t0 - 8 * 3600) == 20454 &&
	        tz_day(z, t0 - 8 * 3600 - 1) == 20453,
	    "tz_day in +08:00: 16:00 UTC starts the next day");
	ok(tz_day_end(NULL, 20454) == t0 + 86399 && z != NULL &&
	        tz_day_end(z, 20454) == t0 + 86399 - 8 * 3600,
	    "tz_day_end: the last second of the local day, in UTC");
	tz_free(z);
}

static void
test_extremes_and_speed(void)
{
	struct ci_err e = { 0 };
	struct tz    *z = tz_load("America/New_York", &e);
	int32_t       hi, lo;
	int64_t       sink = 0, t0 = 1767225600, n = 2000000;
	double        t;

	if (z == NULL)
		return;
	hi = tz_offset_at(z, INT64_MAX);
	lo = tz_offset_at(z, INT64_MIN);
	ok((hi == -18000 || hi == -14400) && lo == -17762 &&
	        tz_local_to_utc(z, INT64_MAX) == INT64_MAX &&
	        tz_local_to_utc(z, INT64_MIN) == INT64_MIN - (int64_t)-17762,
	    "the ends of int64 give sane offsets and saturate");
	t = now_ns();
	for (int64_t i = 0; i < n; i++)
		sink += tz_offset_at(z, t0 + i * 15);
	diag("tz_offset_at: %.1f ns per call (America/New_York, 2026)",
	    (now_ns() - t) / (double)n);
	t = now_ns();
	for (int64_t i = 0; i < n; i++)
		sink += tz_local_to_utc(z, t0 + i * 15);
	diag("tz_local_to_utc: %.1f ns per call (America/New_York, 2026)",
	    (now_ns() - t) / (double)n);
	tz_free(z);
	z = tz_load("+08:00", &e);
	t = now_ns();
	for (int64_t i = 0; i < n; i++)
		sink += tz_offset_at(z, t0 + i * 15);
	diag("tz_offset_at: %.1f ns per call (+08:00) [%lld]",
	    (now_ns() - t) / (double)n, (long long)(sink & 1));
	tz_free(z);
}

int
main(void)
{
	static const struct {
		const char *name;
		bool        changes;
	} zones[] = {
		{ "Asia/Shanghai", true },
		{ "America/New_York", true },
		{ "Europe/Berlin", true },
		{ "Australia/Lord_Howe", true },
		{ "America/Sao_Paulo", true },
		{ "Pacific/Apia", true },
		{ "Asia/Kolkata", false },
		{ "UTC", false },
	};

	plan(8 * 4 + 13 + 10 + 14 + 12 * 2 + 1 + 3);
	unsetenv("TZDIR");
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		zone_vs_glibc(zones[i].name, zones[i].changes);

	bad_name("Nowhere/Atlantis");
	bad_name("../etc/passwd");
	bad_name("Asia/../../etc/passwd");
	bad_name("/etc/passwd");
	bad_name("");
	bad_name("Asia");
	bad_name("Asia/Shanghai x");
	bad_name("+25");
	bad_name("UTC+");

	fixed("UTC", 0);
	fixed("Z", 0);
	fixed("GMT", 0);
	fixed("+00:00", 0);
	fixed("-00", 0);
	fixed("+08:00", 28800);
	fixed("-0530", -19800);
	fixed("UTC+8", 28800);
	fixed("UTC-03:30", -12600);
	fixed("+8", 28800);
	bad_name("+8:5");
	bad_name("+123");
	bad_name("+08:60");
	bad_name("+1830");

	snprintf(tzdir, sizeof(tzdir), "/tmp/tz_test.XXXXXX");
	if (mkdtemp(tzdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("TZDIR", tzdir, 1);
	test_files();
	test_footers();
	unsetenv("TZDIR");
	test_days();
	test_extremes_and_speed();
	remove_tzdir();
	return done_testing();
}
