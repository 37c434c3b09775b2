/*
 * csvpass: the reference of the ingest and features benchmarks: one pass
 * of a CSV file through libcsv with no work per field, in the 64 KiB
 * chunks ci's reader uses.  Prints the rows and fields seen.
 */
#include <csv.h>
#include <stdio.h>

struct counts {
	unsigned long fields, rows;
};

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct counts *)data)->rows++;
}

int
main(int argc, char *argv[])
{
	static char       chunk[1 << 16];
	struct csv_parser p;
	struct counts     n = { 0, 0 };
	FILE             *fp = argc > 1 ? fopen(argv[1], "rb") : stdin;
	size_t            len;

	if (fp == NULL || csv_init(&p, 0) != 0)
		return 3;
	while ((len = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (csv_parse(&p, chunk, len, on_field, on_row, &n) != len)
			return 1;
	csv_fini(&p, on_field, on_row, &n);
	csv_free(&p);
	printf("%lu rows, %lu fields\n", n.rows, n.fields);
	return 0;
}
