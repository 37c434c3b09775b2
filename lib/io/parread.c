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

#include "parread.h"
#include "progress.h"
#include "recin.h"
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
	const struct parread_reader *rd;
	const struct recin          *like;
	void                        *ctx; /* forked for the part */
	uint64_t                     start;
	uint64_t                     end;
	uint64_t                     stop;  /* the first row not taken */
	unsigned long                lines; /* from start to stop */
	uint64_t                     rows;  /* taken */
	bool                         ok;    /* read up to stop */
	bool                         started;
	pthread_t                    tid;
};

/*
 * One reading of rows into ctx, until a row starts at or after end, which
 * is left for the next reading.  A bad or refused row goes to rj (when not
 * NULL) and reading goes on, unless thread is set: a thread stops at such
 * a row as at end, for the calling thread to reject it.
 */
struct reading {
	const struct parread_reader *rd;
	void                        *ctx;
	uint64_t                     end;
	bool                         thread;
	struct rejects              *rj;
	struct progress             *p;
	uint64_t                    *rows;
};

/*
 * The reader failed with why.  A failure of the data (a record too long to
 * hold) costs the rest of the file, which goes to the rejects as one row,
 * and reading goes on with the next input; a failure to read stops the
 * run.  A thread leaves either to the calling thread.
 */
static int
rest_of_file(struct recin *r, const struct reading *g, const struct ci_err *why,
    uint64_t *stop, struct ci_err *e)
{
	if (why->code != CI_EXIT_DATA || g->thread) {
		*e = *why;
		return -1;
	}
	if (g->rj != NULL)
		rejects_add_rest(g->rj, recin_name(r), why->line, why->msg);
	if (g->rd->rejected != NULL)
		g->rd->rejected(g->ctx);
	++*g->rows;
	*stop = AT_END;
	return 0;
}

/*
 * Read r's rows as g says: *stop is where the first row left unread
 * starts and *lines the number of lines before it, or *stop is AT_END at
 * the end of input.  Returns 0, or -1 with *e when r cannot be read
 * further or the row callback failed.
 */
static int
read_rows(struct recin *r, const struct reading *g, uint64_t *stop,
    unsigned long *lines, struct ci_err *e)
{
	struct rec      rec;
	struct ci_err   bad;
	const char     *raw;
	size_t          len;
	uint64_t        at, next;
	unsigned long   line;
	enum rec_status got;

	for (;;) {
		if ((got = recin_read(r, &rec, &bad)) == REC_END) {
			*stop = AT_END;
			return 0;
		}
		if (got == REC_FAIL)
			return rest_of_file(r, g, &bad, stop, e);
		line = got == REC_ROW ? rec.line : bad.line;
		if (!recin_offsets(r, &at, &next))
			at = 0; /* stdin: read in one pass, to the end */
		if (g->end != AT_END && at >= g->end) {
			*stop = at;
			*lines = line - 1;
			return 0;
		}
		if (got == REC_ROW)
			got = g->rd->row(g->ctx, &rec, recin_name(r), &bad);
		if (got == REC_FAIL) {
			*e = bad;
			return -1;
		}
		if (got == REC_BAD && g->thread) {
			*stop = at;
			*lines = line - 1;
			return 0;
		}
		++*g->rows;
		if (got == REC_BAD) {
			raw = recin_raw(r, &len);
			if (g->rj != NULL)
				rejects_add_err(g->rj, &bad, raw, len);
			if (g->rd->rejected != NULL)
				g->rd->rejected(g->ctx);
		}
		if (g->p != NULL)
			progress_tick(g->p, *g->rows);
	}
}

static void *
read_part(void *arg)
{
	struct part         *pt = arg;
	struct ci_err        e;
	struct recin        *r = recin_open_at(pt->like, pt->start, 0, &e);
	const struct reading g = { pt->rd, pt->ctx, pt->end, true, NULL, NULL,
		&pt->rows };

	pt->ok = r != NULL && read_rows(r, &g, &pt->stop, &pt->lines, &e) == 0;
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
parread_input(struct recin *r, const struct parread_reader *rd,
    const struct parread_opts *o, struct rejects *rj, struct progress *p,
    uint64_t *rows, struct ci_err *e)
{
	struct part    parts[MAX_PARTS];
	struct reading g = { rd, rd->ctx, AT_END, false, rj, p, rows };
	struct recin  *s;
	uint64_t       cut[MAX_PARTS + 1], pos;
	unsigned long  line = 0;
	unsigned       n = rd->fork != NULL && o != NULL ? plan(r, o, cut) : 1;
	unsigned       i;
	int            rc;

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
	g.end = n > 1 ? cut[1] : AT_END;
	rc = read_rows(r, &g, &pos, &line, e);
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
			g.end = pt->end;
			s = recin_open_at(r, pos, line, e);
			rc = s == NULL ? -1 : read_rows(s, &g, &pos, &line, e);
			recin_free(s);
		}
	}
	return rc;
}

int
parread_files(const struct parread_files *f, const struct parread_reader *rd,
    struct rejects *rj, uint64_t *rows, struct ci_err *e)
{
	const struct parread_opts o = { parread_cpus(8), 16u << 20 };
	struct progress           p;
	struct recin             *r;
	size_t                    i, n = f->npaths ? f->npaths : 1;
	int                       rc = 0;

	progress_init(&p, f->quiet);
	for (i = 0; i < n && rc == 0; i++) {
		r = recin_open(f->npaths ? f->paths[i] : NULL, &f->opts, e);
		if (r == NULL && e->code == CI_EXIT_DATA) {
			/* An input that is not what it should be: skipped. */
			rejects_add_rest(rj, e->file, e->line, e->msg);
			++*rows;
			continue;
		}
		rc = r == NULL ? -1 : 0;
		if (rc == 0 && f->notes != NULL && recin_note(r) != NULL)
			buf_addf(f->notes, "%s\n", recin_note(r));
		if (rc == 0 && rd->open != NULL)
			rc = rd->open(rd->ctx, r, i, e);
		if (rc == 0)
			rc = parread_input(r, rd, &o, rj, &p, rows, e);
		recin_free(r);
	}
	progress_done(&p);
	return rc;
}
