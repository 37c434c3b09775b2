/*
 * civil: the proleptic Gregorian calendar (H. Hinnant's era-based day
 * counts) and the ISO 8601 writing of dates and UTC instants.
 */
#ifndef CI_CIVIL_H
#define CI_CIVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1..12; day 1
 * and up, a day past the month's end running on into the next), negative
 * before 1970.  Year 0 is 1 BC.  Exact for |y| up to 10^15.
 */
int64_t civil_to_days(int64_t y, unsigned m, unsigned d);

/* The date of days since 1970-01-01, for any int64 days. */
void civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* Days in month m (1..12) of year y; 0 when m is out of range. */
unsigned civil_days_in_month(int64_t y, unsigned m);

/* Floor division of UTC seconds into days since the epoch. */
int64_t civil_day(int64_t utc);

/*
 * Write utc as "2026-11-01T08:30:05Z" to dst (at least CIVIL_ISO_MAX bytes)
 * with its NUL; return the length.  Years outside 0000 to 9999 are
 * written as ISO 8601 expands them, with a sign ("+10000-01-01T...",
 * "-0001-12-31T...").
 */
#define CIVIL_ISO_MAX 32
size_t civil_format_iso(char *dst, int64_t utc);

/*
 * Write days since the epoch as "2026-11-01" with its NUL; return the
 * length.  dst needs 11 bytes for the years 0000 to 9999 and CIVIL_ISO_MAX
 * for any days.
 */
size_t civil_format_date(char *dst, int64_t days);

/*
 * Whether utc falls in 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z, the
 * instants civil_format_iso() writes with four-digit years, which every
 * reader of ISO 8601 (timeparse among them) reads back.
 */
bool civil_writable(int64_t utc);

#endif
