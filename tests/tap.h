/*
 * tap.h: the Test Anything Protocol for the unit tests, read by prove(1).
 * Header-only so that each tests/unit/<module>_test.c is one file.
 */
#ifndef CI_TAP_H
#define CI_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct tap_state {
	int planned;
	int run;
	int failed;
};

static struct tap_state tap_st;

static inline void
plan(int n)
{
	tap_st.planned = n;
	printf("1..%d\n", n);
}

static inline int
tap_result(int pass, const char *fmt, va_list ap)
{
	tap_st.run++;
	if (!pass)
		tap_st.failed++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_st.run);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	return pass;
}

static inline int __attribute__((format(printf, 2, 3)))
ok(int pass, const char *fmt, ...)
{
	va_list ap;
	int     r;

	va_start(ap, fmt);
	r = tap_result(pass, fmt, ap);
	va_end(ap);
	return r;
}

#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

#define is_int(got, want, ...) \
	do { \
		long long got_ = (long long)(got), want_ = (long long)(want); \
		if (!ok(got_ == want_, __VA_ARGS__)) \
			diag("  got %lld, want %lld", got_, want_); \
	} while (0)

#define is_str(got, want, ...) \
	do { \
		const char *got_ = (got), *want_ = (want); \
		int         same_ = \
		    got_ != NULL && want_ != NULL && strcmp(got_, want_) == 0; \
		if (!ok(same_ || (got_ == NULL && want_ == NULL), \
		        __VA_ARGS__)) \
			diag("  got '%s', want '%s'", got_ ? got_ : "(null)", \
			    want_ ? want_ : "(null)"); \
	} while (0)

/* |got - want| <= tol */
#define is_near(got, want, tol, ...) \
	do { \
		double got_ = (got), want_ = (want); \
		if (!ok(fabs(got_ - want_) <= (tol), __VA_ARGS__)) \
			diag("  got %.10g, want %.10g (tolerance %g)", got_, \
			    want_, (double)(tol)); \
	} while (0)

static inline int
done_testing(void)
{
	if (tap_st.planned != tap_st.run) {
		printf("# planned %d tests but ran %d\n", tap_st.planned,
		    tap_st.run);
		return 1;
	}
	return tap_st.failed != 0;
}

#endif
