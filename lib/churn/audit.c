/*
 * audit: appending whole lines to a locked log, after checking that the
 * last line there is whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "xalloc.h"

static int
sys(struct ci_err *e, const char *path, const char *what)
{
	return ci_err_set(
	    e, CI_EXIT_IO, NULL, 0, "%s '%s': %s", what, path, strerror(errno));
}

/* The number of line ends in the file, for the torn line's number. */
static unsigned long
count_lines(int fd)
{
	char          b[65536];
	ssize_t       got;
	off_t         off = 0;
	unsigned long n = 0;

	while ((got = pread(fd, b, sizeof(b), off)) > 0) {
		ssize_t i;

		for (i = 0; i < got; i++)
			n += b[i] == '\n';
		off += got;
	}
	return n;
}

int
audit_open(struct audit *a, const char *path, struct ci_err *e)
{
	struct stat st;
	char        last;

	a->fd = -1;
	a->path = xstrdup(path);
	if ((a->fd = open(
	         path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return sys(e, path, "cannot open the audit log");
	if (flock(a->fd, LOCK_EX) == -1 || fstat(a->fd, &st) == -1)
		return sys(e, path, "cannot lock the audit log");
	if (st.st_size == 0)
		return 0;
	if (pread(a->fd, &last, 1, st.st_size - 1) != 1)
		return sys(e, path, "cannot read the audit log");
	if (last != '\n')
		return ci_err_set(e, CI_EXIT_IO, path, count_lines(a->fd) + 1,
		    "the last line of the audit log is incomplete (a run "
		    "stopped while writing it); nothing was appended: move "
		    "the log aside or end that line");
	return 0;
}

int
audit_append(struct audit *a, const char *s, size_t len, struct ci_err *e)
{
	while (len > 0) {
		ssize_t put = write(a->fd, s, len);

		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return sys(e, a->path, "cannot write the audit log");
		s += put;
		len -= (size_t)put;
	}
	return 0;
}

int
audit_close(struct audit *a, struct ci_err *e)
{
	int rc = 0;

	if (a->fd > 0) {
		if (fsync(a->fd) == -1 && errno != EINVAL)
			rc = sys(e, a->path, "cannot write the audit log");
		if (close(a->fd) == -1 && rc == 0)
			rc = sys(e, a->path, "cannot write the audit log");
	}
	free(a->path);
	a->fd = -1;
	a->path = NULL;
	return rc;
}
