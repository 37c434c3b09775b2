/*
 * idcard: PRC resident identity card numbers (GB 11643-1999).
 *
 * An 18-character number is six digits of administrative region, eight of
 * birth date (YYYYMMDD), three of sequence (odd for men, even for women)
 * and a check character computed with ISO 7064 MOD 11-2 over the first 17
 * ("X" stands for 10).  A 15-digit first-generation number (YYMMDD birth
 * date, born 19YY, no check character) is accepted and converted to 18.
 *
 * Checks: length and characters; the province (first two digits) is one of
 * the codes in use (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82,
 * 83); the birth date is a real date, not before 1900-01-01 and not after
 * the given reference day; the check character.
 */
#ifndef CI_IDCARD_H
#define CI_IDCARD_H

#include <stddef.h>
#include <stdint.h>

/* Room for a normalised number with its NUL. */
#define IDCARD_MAX 19

enum idcard_status {
	IDCARD_OK = 0,
	IDCARD_BAD_FORMAT, /* length or characters */
	IDCARD_BAD_REGION, /* unknown province code */
	IDCARD_BAD_BIRTH,  /* impossible or implausible birth date */
	IDCARD_BAD_CHECK   /* check character does not match */
};

struct idcard {
	char    number[IDCARD_MAX]; /* 18 characters, 'X' upper case */
	int64_t birth_day;          /* days since 1970-01-01 */
	char    gender;             /* 'M' or 'F', from the sequence */
};

/*
 * Check the len bytes at s (blanks around it ignored, lower-case 'x'
 * accepted), with today_days (days since the epoch) as the latest
 * plausible birth date.  Fills *out when the result is IDCARD_OK; out may
 * be NULL to check only.  The checks run in the order format, province,
 * birth date, check character, and the first that fails is returned.
 */
enum idcard_status
idcard_check(const char *s, size_t len, int64_t today_days, struct idcard *out);

/*
 * The ISO 7064 MOD 11-2 check character ('0'..'9' or 'X') of the 17 digits
 * at digits17, or '\0' when one of them is not a digit.
 */
char idcard_check_char(const char *digits17);

/* A static phrase for a status, e.g. "invalid check character". */
const char *idcard_strerror(enum idcard_status st);

#endif
