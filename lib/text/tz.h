/*
 * tz: time zones without global state.  A zone is read from the system's
 * compiled tz database (TZif files under $TZDIR or /usr/share/zoneinfo),
 * or given as a fixed offset, so that several zones can be used side by
 * side in one run (per-source zones in ci-ingest) and no call touches
 * the process's TZ.
 *
 * Instants are int64 seconds since 1970-01-01T00:00:00Z ("UTC seconds");
 * a local wall-clock time is given in the same unit as if it were UTC
 * ("local seconds").
 */
#ifndef CI_TZ_H
#define CI_TZ_H

#include <stdint.h>

#include "diag.h"

struct tz;

/*
 * Load the zone called name:
 *   "UTC", "Z", "GMT"                       UTC;
 *   "+08:00", "-0530", "+8", "UTC+8", "UTC-03:30"  a fixed offset east of UTC:
 *                                           an optional "UTC", a sign, one
 *                                           or two digits of hours, and
 *                                           optionally two of minutes after
 *                                           a colon or two-digit hours; at
 *                                           most 18:00 ("GMT+8" is not one
 *                                           of these but the IANA zone of
 *                                           that name, 8 hours west);
 *   an IANA name such as "Asia/Shanghai"    the TZif file of that name under
 *                                           $TZDIR, or /usr/share/zoneinfo
 *                                           when TZDIR is unset or empty.
 * Returns a new zone that the caller frees with tz_free(), or NULL with *e
 * filled (code CI_EXIT_USAGE, "unknown time zone 'X'") when the name is
 * neither.  Names containing ".." or starting with "/", or with characters
 * other than letters, digits and "/_-+.", are refused the same way, as
 * are files that are not TZif (zone.tab).  A TZif file that cannot be read
 * or is malformed gives code CI_EXIT_IO and "cannot read time zone file
 * 'PATH': REASON" or "bad time zone file 'PATH': REASON".
 *
 * TZif versions 1 to 4 are read (the 64-bit data of version 2 and later),
 * with the POSIX TZ footer governing after the last transition, including
 * the version 3 extensions (rule times from -167 to 167 hours, daylight
 * saving all year).  Leap-second records are skipped.
 */
struct tz *tz_load(const char *name, struct ci_err *e);

/* The zone's name as given to tz_load(); valid until tz_free(). */
const char *tz_name(const struct tz *z);

/*
 * The offset east of UTC, in seconds, in effect at the instant utc.  O(1)
 * for a fixed offset, else a binary search; z is never written, so one
 * zone may serve any number of threads.
 */
int32_t tz_offset_at(const struct tz *z, int64_t utc);

/*
 * The instant at which the wall clock in z shows local.  When the local
 * time occurs twice (clocks turned back) the earlier instant is returned;
 * when it does not occur (clocks turned forward) it is read with the
 * offset from before the change, which is the instant one gap later, as
 * mktime() does with tm_isdst = -1 on glibc when daylight saving starts.
 * (glibc's mktime() differs in two ways: which instant of a repeated time
 * it returns depends on its earlier calls, and a time skipped by a change
 * of standard offset, such as Pacific/Apia's in 1950, it reads one gap
 * earlier.)  Results beyond the int64 range saturate.
 */
int64_t tz_local_to_utc(const struct tz *z, int64_t local);

/*
 * The local day (days since 1970-01-01) of the instant utc in z, or in
 * UTC when z is NULL.
 */
int64_t tz_day(const struct tz *z, int64_t utc);

/*
 * The last second (UTC) of the local day day in z, or in UTC when z is
 * NULL: the instant a date without a time stands for when it ends a
 * period.
 */
int64_t tz_day_end(const struct tz *z, int64_t day);

/* Free z.  Safe on NULL. */
void tz_free(struct tz *z);

#endif
