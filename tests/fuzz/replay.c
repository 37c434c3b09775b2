/*
 * replay: run a fuzz target over files without libFuzzer, printing TAP, so
 * that make check replays the corpus under the sanitizers.
 *
 *   replay FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char *argv[])
{
	int i;

	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		FILE          *fp = fopen(argv[i], "rb");
		unsigned char *data = NULL;
		size_t         n = 0, cap = 0, got;

		if (fp == NULL) {
			printf("not ok %d - %s: cannot open\n", i, argv[i]);
			continue;
		}
		do {
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				data = realloc(data, cap);
				if (data == NULL)
					return 3;
			}
			got = fread(data + n, 1, cap - n, fp);
			n += got;
		} while (got > 0);
		fclose(fp);
		LLVMFuzzerTestOneInput(data, n);
		free(data);
		printf("ok %d - %s\n", i, argv[i]);
	}
	return 0;
}
