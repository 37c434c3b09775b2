/*
 * parread: cutting a file into parts, the threads that read them, and the
 * calling thread's reading around them.
 *
 * Reading stops before the first row that starts at or after the end of
 * its part; where that row starts, and how many lines come before it, is
 * where the next part must begin for its rows to be those of one pass.
 *
 * A part's rows carry their true line numbers: before reading, the thread
 * of part i counts the line ends of the bytes from the start of part
 * i - 1 (of the file, for i = 1) to its own, and adds the counts of the
 * threads before it.  Line ends are counted as rdbuf counts them, whatever
 * the quotes: each "\n", "\r\n" and lone "\r".  Each byte is counted once,
 * all threads at once, so this costs a small part of the reading.
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

/* The line ends counted by the threads, each in the span before its part. */
struct counts {
	pthread_mutex_t mu;
	pthread_cond_t  cv;
	unsigned long   n[MAX_PARTS];
	signed char     state[MAX_PARTS]; /* 0 counting, 1 counted, -1 failed */
};

/* A part of the file, and what its thread found. */
struct part {
	const struct cli_reader *rd;
	const struct recin      *like;
	void                    *ctx; /* forked for the part */
	struct counts           *counts;
	unsigned                 i;    /* the part's number, from 1 */
	uint64_t                 from; /* the start of the span before it */
	uint64_t                 start;
	uint64_t                 end;
	unsigned long            first; /* lines before start */
	uint64_t                 stop;  /* the first row not taken, or AT_END */
	unsigned long            lines; /* before stop */
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

/*
 * Count the line ends in bytes [from, to) of path, to being just past a
 * "\n": each "\n", and each "\r" not followed by one.  Returns 0, or -1
 * when path cannot be read.
 */
static int
count_lines(const char *path, uint64_t from, uint64_t to, unsigned long *n)
{
	char        buf[65536];
	const char *p, *end;
	ssize_t     got;
	int         fd = open(path, O_RDONLY);

	*n = 0;
	if (fd < 0)
		return -1;
	while (from < to) {
		got = pread(fd, buf,
		    to - from < sizeof(buf) ? (size_t)(to - from) : sizeof(buf),
		    (off_t)from);
		if (got <= 0)
			break;
		/* A "\r" ending the chunk is looked at with the next one. */
		if (got > 1 && buf[got - 1] == '\r' &&
		    from + (uint64_t)got < to)
			got--;
		end = buf + got;
		for (p = buf; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;
		     p++)
			++*n;
		for (p = buf; (p = memchr(p, '\r', (size_t)(end - p))) != NULL;
		     p++)
			if (p + 1 == end || p[1] != '\n')
				++*n;
		from += (uint64_t)got;
	}
	close(fd);
	return from < to ? -1 : 0;
}

/*
 * Set pt->first, the number of lines before pt->start: count those of the
 * span before it and add those that the threads of the parts before have
 * counted.  Returns 0, or -1 when a span could not be counted.
 */
static int
lines_before(struct part *pt)
{
	struct counts *c = pt->counts;
	unsigned long  n;
	int            st, rc = 0;
	unsigned       i;

	st = count_lines(recin_name(pt->like), pt->from, pt->start, &n) == 0
	    ? 1
	    : -1;
	pthread_mutex_lock(&c->mu);
	c->n[pt->i] = n;
	c->state[pt->i] = (signed char)st;
	pthread_cond_broadcast(&c->cv);
	pt->first = 0;
	for (i = 1; i <= pt->i; i++) {
		while (c->state[i] == 0)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->state[i] < 0)
			rc = -1;
		pt->first += c->n[i];
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

static void *
read_part(void *arg)
{
	struct part  *pt = arg;
	struct ci_err e;
	struct recin *r = NULL;

	pt->ok = lines_before(pt) == 0 &&
	    (r = recin_open_at(pt->like, pt->start, pt->first, &e)) != NULL &&
	    read_rows(r, pt->rd, pt->ctx, pt->end, NULL, NULL, &pt->rows,
	        &pt->stop, &pt->lines, &e) == 0;
	recin_free(r);
	return NULL;
}

/* The offset just past the first "\n" at or after off, or size. */
static uint64_t
cut_after_line(int fd, uint64_t off, uint64_t size)
{
	char        buf[16384];
	const char *nl;
	ssize_t     n;

	while (off < size) {
		if ((n = pread(fd, buf, sizeof(buf), (off_t)off)) <= 0)
			return size;
		if ((nl = memchr(buf, '\n', (size_t)n)) != NULL)
			return off + (uint64_t)(nl - buf) + 1;
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
	struct counts counts;
	struct recin *s;
	uint64_t      cut[MAX_PARTS + 1], pos;
	unsigned long line = 0;
	unsigned      n = rd->fork != NULL ? plan(r, o, cut) : 1, i;
	int           rc;

	memset(&counts, 0, sizeof(counts));
	if (n > 1) {
		pthread_mutex_init(&counts.mu, NULL);
		pthread_cond_init(&counts.cv, NULL);
	}
	for (i = 1; i < n; i++) {
		struct part *pt = &parts[i];

		memset(pt, 0, sizeof(*pt));
		pt->rd = rd;
		pt->like = r;
		pt->ctx = rd->fork(rd->ctx);
		pt->counts = &counts;
		pt->i = i;
		pt->from = i > 1 ? cut[i - 1] : 0;
		pt->start = cut[i];
		pt->end = cut[i + 1];
		pt->started =
		    pthread_create(&pt->tid, NULL, read_part, pt) == 0;
		if (!pt->started) { /* the threads after it cannot count */
			pthread_mutex_lock(&counts.mu);
			counts.state[i] = -1;
			pthread_cond_broadcast(&counts.cv);
			pthread_mutex_unlock(&counts.mu);
		}
	}
	rc = read_rows(r, rd, rd->ctx, n > 1 ? cut[1] : AT_END, rj, p, rows,
	    &pos, &line, e);
	for (i = 1; i < n; i++) {
		struct part *pt = &parts[i];

		if (pt->started)
			pthread_join(pt->tid, NULL);
		if (rc == 0 && pt->started && pt->ok && pos == pt->start &&
		    line == pt->first) {
			rd->join(rd->ctx, pt->ctx);
			pos = pt->stop;
			line = pt->lines;
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
	if (n > 1) {
		pthread_mutex_destroy(&counts.mu);
		pthread_cond_destroy(&counts.cv);
	}
	return rc;
}
