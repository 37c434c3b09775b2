/*
 * progress_test: the row count on stderr is drawn only on a terminal and
 * never with --quiet.  The terminal is a pseudo-terminal whose other end
 * the test reads: nothing before a second has passed, then the count and
 * the rate, and the line cleared at the end.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"
#include "tap.h"

/*
 * In a child with stderr on fd: show the progress of 2^20 rows, after a
 * second's wait when wait is set.  Returns 1 when it was on, 0 when off,
 * -1 when the child failed.
 */
static int
draw(int fd, bool quiet, bool wait)
{
	struct timespec second = { 1, 100000000 };
	struct progress p;
	pid_t           pid = fork();
	int             st;

	if (pid == 0) {
		if (dup2(fd, STDERR_FILENO) < 0)
			_exit(99);
		progress_init(&p, quiet);
		progress_tick(&p, 1u << 16); /* too soon to draw */
		if (wait)
			nanosleep(&second, NULL);
		progress_tick(&p, 1u << 20);
		progress_done(&p);
		_exit(p.on ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void
test_file(void)
{
	char path[] = "/tmp/progress_test.XXXXXX";
	int  fd = mkstemp(path);

	ok(fd >= 0 && draw(fd, false, false) == 0 &&
	        lseek(fd, 0, SEEK_END) == 0,
	    "stderr to a file: off, and nothing written");
	ok(draw(fd, true, false) == 0 && lseek(fd, 0, SEEK_END) == 0,
	    "nor with --quiet");
	close(fd);
	unlink(path);
}

static void
test_terminal(void)
{
	char    got[512], want[512];
	int     master = posix_openpt(O_RDWR | O_NOCTTY), slave = -1, st;
	ssize_t n, k = 0;

	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0) {
		for (st = 0; st < 3; st++)
			ok(1, "# SKIP no pseudo-terminal here");
		return;
	}
	st = draw(slave, false, true);
	close(slave);
	while (k < (ssize_t)sizeof(got) - 1 &&
	    (n = read(master, got + k, sizeof(got) - 1 - (size_t)k)) > 0)
		k += n;
	got[k < 0 ? 0 : k] = '\0';
	close(master);
	ok(st == 1, "stderr on a terminal: on");
	snprintf(want, sizeof(want), "\r%s: 1048576 rows, ", diag_progname());
	ok(strncmp(got, want, strlen(want)) == 0 &&
	        strstr(got, " rows/s ") != NULL,
	    "after a second: the count and the rate, drawn once");
	ok(k > 4 && strcmp(got + k - 4, "\r\033[K") == 0,
	    "the line is cleared at the end");
}

int
main(void)
{
	plan(5);
	test_file();
	test_terminal();
	return done_testing();
}
