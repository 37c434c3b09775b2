/*
 * parread: cutting a file into parts, the threads that read them, and the
 * calling thread's reading around them.
 *
 * Reading stops before the first row that starts at or after the end of
 * its part; where that row starts, and how many lines come before it, is
 * where the next part must begin for its rows to be those of one pass.
 *
 * A thread counts the lines of its part from the part's start, so that no
 * one need count the lines before it first; the count before the part is
 * known when it is joined, and handed to the join.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "parread.h"
#include "recio.h"
#include "rejects.h"

#define MAX_PARTS 8
#define AT_END UINT64_MAX /* where reading stopped at the end of input */

unsigned
parread_cpus(unsigned max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (unsigned long)n > max ? max : (unsigned)n;
}

/* A part of the file, and what its thread found. */
struct part {
	const struct cli_reader *rd;
	const struct recin      *like;
	void                    *ctx; /* forked for the part */
	uint64_t                 start;
	uint64_t                 end;
	uint64_t                 stop;  /* the first row not taken, or AT_END */
	unsigned long            lines; /* from start to stop */
	uint64_t                 rows;  /* taken */
	bool                     ok;    /* read up to stop */
	bool                     started;
	pthread_t                tid;
};

/*
 * Read r's rows into ctx until one starts at or after end, which is left
 * for the next reader: *stop is where it starts and *lines the number of
 * lines before it.  At the end of input *stop is AT_END.  With rj, a bad
 * or refused row is rejected and reading goes on; without, reading stops
 * at it as at end.  Returns 0, or -1 with *e when r cannot be read further.
 */
static int
read_rows(struct recin *r, const struct cli_reader *rd, void *ctx, uint64_t end,
    struct rejects *rj, struct progress *p, uint64_t *rows, uint64_t *stop,
    unsigned long *lines, struct ci_err *e)
{
	struct rec    rec;
	struct ci_err bad;
	const char   *raw;
	size_t        len;
	uint64_t      at, next;
	unsigned long line;
	int           got;

	for (;;) {
		if ((got = recin_read(r, &rec, &bad)) == 0) {
			*stop = AT_END;
			return 0;
		}
		if (got == -2) {
			*e = bad;
			return -1;
		}
		line = got == 1 ? rec.line : bad.line;
		if (!recin_offsets(r, &at, &next))
			at = 0; /* stdin: read in one pass, to the end */
		if (end != AT_END && at >= end) {
			*stop = at;
			*lines = line - 1;
			return 0;
		}
		if (got == 1 && rd->row(ctx, &rec, recin_name(r), &bad) == 0) {
			++*rows;
			if (p != NULL)
				progress_tick(p, *rows);
			continue;
		}
		if (rj == NULL) {
			*stop = at;
			*lines = line - 1;
			return 0;
		}
		++*rows;
		raw = recin_raw(r, &len);
		rejects_add_err(rj, &bad, raw, len);
	}
}

static void *
read_part(void *arg)
{
	struct part  *pt = arg;
	struct ci_err e;
	struct recin *r = recin_open_at(pt->like, pt->start, 0, &e);

	pt->ok = r != NULL &&
	    read_rows(r, pt->rd, pt->ctx, pt->end, NULL, NULL, &pt->rows,
	        &pt->stop, &pt->lines, &e) == 0;
	recin_free(r);
	return NULL;
}

/*
 * The offset just past the first "\n" at or after off and the empty lines
 * after it (where the reading before it will stop, since it skips them),
 * or size.
 */
static uint64_t
cut_after_line(int fd, uint64_t off, uint64_t size)
{
	char    buf[16384];
	ssize_t n, i;
	bool    found = false;

	while (off < size) {
		if ((n = pread(fd, buf, sizeof(buf), (off_t)off)) <= 0)
			return size;
		for (i = 0; i < n; i++) {
			if (!found)
				found = buf[i] == '\n';
			else if (buf[i] != '\n' && buf[i] != '\r')
				return off + (uint64_t)i;
		}
		off += (uint64_t)n;
	}
	return size;
}

/*
 * Cut r's file into parts: part i runs from cut[i] to cut[i + 1], the last
 * to the end.  Returns the number of parts; 1 means read it in one pass.
 */
static unsigned
plan(const struct recin *r, const struct parread_opts *o, uint64_t *cut)
{
	struct stat st;
	uint64_t    rec, next, size, at;
	unsigned    n, i, k;
	int         fd;

	if (o->threads < 2 || recin_ncols(r) == 0 ||
	    !recin_offsets(r, &rec, &next) || stat(recin_name(r), &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return 1;
	size = (uint64_t)st.st_size;
	if (size <= next || (size - next) / 2 < o->min_part)
		return 1;
	n = o->threads < MAX_PARTS ? o->threads : MAX_PARTS;
	if ((size - next) / n < o->min_part)
		n = (unsigned)((size - next) / o->min_part);
	if ((fd = open(recin_name(r), O_RDONLY)) < 0)
		return 1;
	cut[0] = next;
	for (i = k = 1; i < n; i++) {
		at = cut_after_line(fd, next + (size - next) / n * i, size);
		if (at > cut[k - 1] && at < size)
			cut[k++] = at;
	}
	close(fd);
	cut[k] = AT_END;
	return k;
}

int
parread_input(struct recin *r, const struct cli_reader *rd,
    const struct parread_opts *o, struct rejects *rj, struct progress *p,
    uint64_t *rows, struct ci_err *e)
{
	struct part   parts[MAX_PARTS];
	struct recin *s;
	uint64_t      cut[MAX_PARTS + 1], pos;
	unsigned long line = 0;
	unsigned      n = rd->fork != NULL ? plan(r, o, cut) : 1, i;
	int           rc;

	for (i = 1; i < n; i++) {
		struct part *pt = &parts[i];

		memset(pt, 0, sizeof(*pt));
		pt->rd = rd;
		pt->like = r;
		pt->ctx = rd->fork(rd->ctx);
		pt->start = cut[i];
		pt->end = cut[i + 1];
		pt->started =
		    pthread_create(&pt->tid, NULL, read_part, pt) == 0;
	}
	rc = read_rows(r, rd, rd->ctx, n > 1 ? cut[1] : AT_END, rj, p, rows,
	    &pos, &line, e);
	for (i = 1; i < n; i++) {
		struct part *pt = &parts[i];

		if (pt->started)
			pthread_join(pt->tid, NULL);
		if (rc == 0 && pt->started && pt->ok && pos == pt->start) {
			rd->join(rd->ctx, pt->ctx, line);
			pos = pt->stop;
			line += pt->lines;
			*rows += pt->rows;
		} else {
			rd->drop(pt->ctx);
		}
		if (rc == 0 && pos < pt->end) {
			s = recin_open_at(r, pos, line, e);
			rc = s == NULL ? -1
			               : read_rows(s, rd, rd->ctx, pt->end, rj,
			                     p, rows, &pos, &line, e);
			recin_free(s);
		}
	}
	return rc;
}
