/*
 * tmpfd: memfd_create() or mkstemp() and unlink(), and whole reads and
 * writes at an offset (pread and pwrite, so that threads may share a file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tmpfd.h"

int
tmpfd_open(bool in_memory, struct ci_err *e)
{
	const char *dir = getenv("TMPDIR");
	char        path[4096];
	int         fd;

#ifdef MFD_CLOEXEC
	if (in_memory && (fd = memfd_create("ci-tmp", MFD_CLOEXEC)) >= 0)
		return fd;
#else
	(void)in_memory;
#endif
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/ci-tmp.XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0)
		return ci_err_set(e, CI_EXIT_IO, path, 0,
		    "cannot create a temporary file: %s", strerror(errno));
	unlink(path);
	return fd;
}

int
tmpfd_write(int fd, uint64_t off, const void *s, size_t len, struct ci_err *e)
{
	const char *p = s;
	ssize_t     n;

	while (len > 0) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ci_err_set(e, CI_EXIT_IO, "temporary file", 0,
			    "write error: %s",
			    n < 0 ? strerror(errno) : "nothing written");
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int
tmpfd_read(int fd, uint64_t off, void *to, size_t len, struct ci_err *e)
{
	char   *p = to;
	ssize_t n;

	while (len > 0) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ci_err_set(e, CI_EXIT_IO, "temporary file", 0,
			    "read error: %s",
			    n < 0 ? strerror(errno) : "file shrank");
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}
