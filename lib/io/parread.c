/*
 * parread: cutting a file into chunks, the threads that read them, and the
 * calling thread's reading around them.
 *
 * Reading stops before the first row that starts at or after the end of
 * its part; where that row starts, and how many lines come before it, is
 * where the next part must begin for its rows to be those of one pass.
 *
 * The file is cut into chunks, and each thread is given an even share of
 * them, in a row.  A thread reads its chunks from the front, one part into
 * one context, taking the next chunk as it reaches the end of the last.
 * A thread that runs out takes the back half of the chunks that another
 * has not started, as a part of its own: so a thread on a slower processor
 * (a busy neighbour, a throttled core) holds no one up for long.  The
 * parts, each a run of whole chunks, tile the file and are joined in file
 * order, which is all the one-pass outcome needs.
 *
 * A thread counts the lines of its part from the part's start, so that no
 * one need count the lines before it first; the count before the part is
 * known when it is joined, and handed to the join.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parread.h"
#include "progress.h"
#include "recin.h"
#include "rejects.h"
#include "xalloc.h"

#define MAX_THREADS 8
#define MAX_CHUNKS (MAX_THREADS * 32) /* chunks a file is cut into, at most */
#define AT_END UINT64_MAX /* where reading stopped at the end of input */

unsigned
parread_cpus(unsigned max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (unsigned long)n > max ? max : (unsigned)n;
}

/* A run of chunks read into one context, and what its reading found. */
struct part {
	void         *ctx;   /* the caller's for the first, else forked */
	unsigned      first; /* its chunks: first to end - 1 */
	unsigned      end;
	uint64_t      stop;  /* the first row not taken */
	unsigned long lines; /* from its start to stop */
	uint64_t      rows;  /* taken */
	bool          ok;    /* read up to stop */
};

/* A file's chunks, each thread's share of them, and the parts read. */
struct split {
	const struct parread_reader *rd;
	const struct recin          *like;
	uint64_t        cut[MAX_CHUNKS + 1]; /* chunk i: cut[i] to cut[i + 1] */
	unsigned        nchunks;
	unsigned        nthreads;
	pthread_mutex_t lock;               /* for what follows */
	unsigned        front[MAX_THREADS]; /* thread t's chunks not started: */
	unsigned        back[MAX_THREADS];  /* front[t] to back[t] - 1 */
	struct part     parts[MAX_CHUNKS];  /* a chunk or more each */
	unsigned        nparts;
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
	struct split                *sp; /* when end may move on: */
	unsigned                     t;  /* thread t's */
	struct part                 *pt; /* part */
};

/*
 * Move g's end to that of the next chunk of its thread's share, when that
 * is the one after its part's last; false when there is none.
 */
static bool
extend(struct reading *g)
{
	struct split *sp = g->sp;
	bool          more;

	if (sp == NULL)
		return false;
	pthread_mutex_lock(&sp->lock);
	more =
	    sp->front[g->t] < sp->back[g->t] && sp->front[g->t] == g->pt->end;
	if (more) {
		sp->front[g->t]++;
		g->pt->end++;
		g->end = sp->cut[g->pt->end];
	}
	pthread_mutex_unlock(&sp->lock);
	return more;
}

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
read_rows(struct recin *r, struct reading *g, uint64_t *stop,
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
		while (g->end != AT_END && at >= g->end) {
			if (extend(g))
				continue;
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

/*
 * Give thread t the back half of the chunks not started of the thread that
 * has most of them; false when no thread has any, or when the parts are
 * already four for each thread (each costs the program a context, and
 * halving leaves few to take by then).  Called locked.
 */
static bool
steal(struct split *sp, unsigned t)
{
	unsigned v, best = t, most = 0;

	if (sp->nparts >= 4 * sp->nthreads)
		return false;
	for (v = 0; v < sp->nthreads; v++)
		if (sp->back[v] - sp->front[v] > most) {
			most = sp->back[v] - sp->front[v];
			best = v;
		}
	if (most == 0)
		return false;
	sp->front[t] = sp->back[best] - (most + 1) / 2;
	sp->back[t] = sp->back[best];
	sp->back[best] = sp->front[t];
	return true;
}

/*
 * Start a part at thread t's next chunk, or at a stolen one; NULL when
 * every chunk is taken.  The first chunk's part reads into the caller's
 * context, every other into one forked for it.
 */
static struct part *
next_part(struct split *sp, unsigned t)
{
	struct part *pt = NULL;

	pthread_mutex_lock(&sp->lock);
	if (sp->front[t] < sp->back[t] || steal(sp, t)) {
		pt = &sp->parts[sp->nparts++];
		memset(pt, 0, sizeof(*pt));
		pt->first = sp->front[t]++;
		pt->end = pt->first + 1;
		pt->ctx =
		    pt->first == 0 ? sp->rd->ctx : sp->rd->fork(sp->rd->ctx);
	}
	pthread_mutex_unlock(&sp->lock);
	return pt;
}

/* Read part pt as thread t, from its own opening of the file. */
static void
read_part(struct split *sp, unsigned t, struct part *pt)
{
	struct ci_err  e;
	struct recin  *r = recin_open_at(sp->like, sp->cut[pt->first], 0, &e);
	struct reading g = { sp->rd, pt->ctx, sp->cut[pt->end], true, NULL,
		NULL, &pt->rows, sp, t, pt };

	pt->ok = r != NULL && read_rows(r, &g, &pt->stop, &pt->lines, &e) == 0;
	recin_free(r);
}

/* A thread's work: parts, its own then stolen, until none is left. */
struct worker {
	struct split *sp;
	unsigned      t;
	pthread_t     tid;
	bool          started;
};

static void *
read_parts(void *arg)
{
	struct worker *w = arg;
	struct part   *pt;

	while ((pt = next_part(w->sp, w->t)) != NULL)
		read_part(w->sp, w->t, pt);
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
 * Cut r's file into chunks, of min_part bytes at least, for o->threads
 * threads at most, each given an even share.  Returns the split, or NULL
 * to read the file in one pass.
 */
static struct split *
plan(const struct recin *r, const struct parread_reader *rd,
    const struct parread_opts *o)
{
	struct split *sp;
	struct stat   st;
	uint64_t      rec, next, size, at;
	unsigned      n, i, k, t;
	int           fd;

	if (o->threads < 2 || recin_ncols(r) == 0 ||
	    !recin_offsets(r, &rec, &next) || stat(recin_name(r), &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return NULL;
	size = (uint64_t)st.st_size;
	if (size <= next || (size - next) / 2 < o->min_part)
		return NULL;
	t = o->threads < MAX_THREADS ? o->threads : MAX_THREADS;
	n = t * (MAX_CHUNKS / MAX_THREADS);
	if ((size - next) / n < o->min_part)
		n = (unsigned)((size - next) / o->min_part);
	if ((fd = open(recin_name(r), O_RDONLY)) < 0)
		return NULL;
	sp = xcalloc(1, sizeof(*sp));
	sp->cut[0] = next;
	for (i = k = 1; i < n; i++) {
		at = cut_after_line(fd, next + (size - next) / n * i, size);
		if (at > sp->cut[k - 1] && at < size)
			sp->cut[k++] = at;
	}
	close(fd);
	sp->cut[k] = AT_END;
	sp->nchunks = k;
	sp->nthreads = t < k ? t : k;
	if (sp->nthreads < 2) {
		free(sp);
		return NULL;
	}
	for (i = 0; i < sp->nthreads; i++) {
		sp->front[i] = k * i / sp->nthreads;
		sp->back[i] = k * (i + 1) / sp->nthreads;
	}
	sp->rd = rd;
	sp->like = r;
	pthread_mutex_init(&sp->lock, NULL);
	return sp;
}

/*
 * Read on in this thread as g says, from *pos (after *line lines) to end,
 * from a new opening of r's file; *pos and *line then say where reading
 * stopped, as read_rows() does.
 */
static int
read_on(const struct recin *r, struct reading *g, uint64_t end, uint64_t *pos,
    unsigned long *line, struct ci_err *e)
{
	struct recin *s = recin_open_at(r, *pos, *line, e);
	int           rc;

	g->end = end;
	rc = s == NULL ? -1 : read_rows(s, g, pos, line, e);
	recin_free(s);
	return rc;
}

static int
cmp_part(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

int
parread_input(struct recin *r, const struct parread_reader *rd,
    const struct parread_opts *o, struct rejects *rj, struct progress *p,
    uint64_t *rows, struct ci_err *e)
{
	struct worker  w[MAX_THREADS];
	struct reading g = { rd, rd->ctx, AT_END, false, rj, p, rows, NULL, 0,
		NULL };
	struct split  *sp =
            rd->fork != NULL && o != NULL ? plan(r, rd, o) : NULL;
	struct part  *pt;
	uint64_t      pos;
	unsigned long line = 0;
	unsigned      i;
	int           rc;

	if (sp != NULL) {
		/* The first chunk is this thread's, into the caller's context
		 * and with the rejects, before any other thread can start. */
		g.sp = sp;
		g.pt = next_part(sp, 0);
		g.end = sp->cut[g.pt->end];
		for (i = 1; i < sp->nthreads; i++) {
			w[i] = (struct worker){ .sp = sp, .t = i };
			w[i].started = pthread_create(&w[i].tid, NULL,
			                   read_parts, &w[i]) == 0;
		}
	}
	rc = read_rows(r, &g, &pos, &line, e);
	if (sp == NULL)
		return rc;
	/* Then parts taken from the others, as a thread does. */
	w[0] = (struct worker){ .sp = sp, .t = 0 };
	if (rc == 0)
		read_parts(&w[0]);
	for (i = 1; i < sp->nthreads; i++)
		if (w[i].started)
			pthread_join(w[i].tid, NULL);
	/* A thread that could not start left its share to the others. */
	qsort(sp->parts, sp->nparts, sizeof(*sp->parts), cmp_part);
	g.sp = NULL;
	for (i = 1; i < sp->nparts; i++) {
		pt = &sp->parts[i];
		if (rc == 0 && pt->ok && pos == sp->cut[pt->first]) {
			rd->join(rd->ctx, pt->ctx, line);
			pos = pt->stop;
			line += pt->lines;
			*rows += pt->rows;
		} else {
			rd->drop(pt->ctx);
		}
		if (rc == 0 && pos < sp->cut[pt->end])
			rc = read_on(r, &g, sp->cut[pt->end], &pos, &line, e);
	}
	/* Chunks at the end no part took (a thread that could not start, the
	 * parts at their most): read here. */
	if (rc == 0 && pos != AT_END)
		rc = read_on(r, &g, AT_END, &pos, &line, e);
	pthread_mutex_destroy(&sp->lock);
	free(sp);
	return rc;
}

int
parread_files(const struct parread_files *f, const struct parread_reader *rd,
    struct rejects *rj, uint64_t *rows, struct ci_err *e)
{
	const struct parread_opts o = { parread_cpus(MAX_THREADS), 4u << 20 };
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
