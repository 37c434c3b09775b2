/*
 * gentx: write a synthetic transaction export for the benchmarks, the same
 * bytes on every machine (a fixed splitmix64 stream, no libc rand()).
 *
 *   gentx ROWS CUSTOMERS > tx.csv
 *
 * Columns: customer_id, order_id, ts (ISO 8601 UTC, 2024-01-01 .. 2026-10-31),
 * amount (two decimals, skewed), product_id, channel.  Customers buy at
 * different rates (a few buy often, most rarely), so per-customer work is
 * realistic.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 20261101;

static uint64_t
next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
uniform(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

static void
civil(int64_t days, int *y, int *m, int *d)
{
	int64_t  z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp;

	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
main(int argc, char *argv[])
{
	static const char *const channels[] = { "web", "app", "store", "wechat",
		"marketplace", "phone" };
	long                     rows, customers, i;
	int64_t     first = 19723, span = 1034; /* 2024-01-01, ~34 months */
	static char out[1 << 16];

	if (argc != 3 || (rows = atol(argv[1])) <= 0 ||
	    (customers = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: gentx rows customers\n");
		return 2;
	}
	setvbuf(stdout, out, _IOFBF, sizeof(out));
	puts("customer_id,order_id,ts,amount,product_id,channel");
	for (i = 0; i < rows; i++) {
		/* Squaring a uniform skews purchases to low customer numbers. */
		double  u = uniform();
		long    c = (long)(u * u * (double)customers);
		int64_t day = first + (int64_t)(uniform() * (double)span);
		int64_t sec = (int64_t)(next() % 86400);
		int     y, m, d;
		double  amount = 5.0 + 400.0 * uniform() * uniform();

		civil(day, &y, &m, &d);
		printf("C%07ld,O%09ld,%04d-%02d-%02dT%02d:%02d:%02dZ,%.2f,"
		       "P%05" PRIu64 ",%s\n",
		    c, i + 1, y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
		    (int)(sec % 60), amount, next() % 20000,
		    channels[next() % 6]);
	}
	return ferror(stdout) ? 1 : 0;
}
