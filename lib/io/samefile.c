/*
 * samefile: device and inode of the output against those of each input.
 */
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "samefile.h"

static bool
is_std(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

/* Stat path, or the descriptor fd when path names a standard stream. */
static int
look(const char *path, int fd, struct stat *st)
{
	return is_std(path) ? fstat(fd, st) : stat(path, st);
}

int
samefile_check(const char *out, const char *opt, char *const *ins, size_t nins,
    struct ci_err *e)
{
	struct stat so, si;
	size_t      i, n = nins > 0 ? nins : 1;

	if (look(out, STDOUT_FILENO, &so) != 0 || !S_ISREG(so.st_mode))
		return 0;
	for (i = 0; i < n; i++) {
		const char *in = nins > 0 ? ins[i] : NULL;

		if (look(in, STDIN_FILENO, &si) == 0 &&
		    si.st_dev == so.st_dev && si.st_ino == so.st_ino)
			return ci_err_set(e, CI_EXIT_USAGE, NULL, 0,
			    "%s%s%s%s is the input '%s': writing it would "
			    "destroy what is read",
			    opt, is_std(out) ? "" : " '",
			    is_std(out) ? "" : out, is_std(out) ? "" : "'",
			    is_std(in) ? "stdin" : in);
	}
	return 0;
}
