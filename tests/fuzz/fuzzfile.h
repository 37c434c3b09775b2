/*
 * fuzzfile.h: the input of a fuzz target as a file, for the loaders that
 * read a path (source maps, model files, partial states).  The file is
 * made once per process and rewritten for each input.
 */
#ifndef CI_FUZZFILE_H
#define CI_FUZZFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Write the size bytes at data to the process's file; return its path. */
static const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static char path[64];
	FILE       *fp;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/ci-fuzz.%ld", (long)getpid());
	if ((fp = fopen(path, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	return path;
}

#endif
