/*
 * spill: each partition fills a block of BLOCK bytes (larger for a larger
 * record); a full block is kept in memory while the budget allows, else
 * written to the end of the temporary file and its buffer reused.  Blocks
 * of BLOCK bytes are cut from slabs mapped at once (xmalloc_huge), which
 * are freed, and the file closed, once every partition is dropped; only
 * larger blocks are malloc'd and freed one by one.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spill.h"
#include "tmpfd.h"
#include "xalloc.h"

#define BLOCK (32u << 10)
#define SLAB (2u << 20)
#define DEFAULT_BUDGET (16u << 20)

/* A closed block: in memory, or at off in the file when mem is NULL. */
struct block {
	char    *mem;
	uint64_t off;
	size_t   len;
	size_t   held; /* bytes of memory it holds */
};

struct part {
	struct block *blocks;
	size_t        n;
	size_t        cap;
	char         *cur; /* the open block */
	size_t        len;
	size_t        size;
	bool          dropped;
};

struct spill {
	struct part  *parts;
	unsigned      nparts;
	size_t        budget;
	atomic_size_t in_mem;   /* bytes of closed blocks kept in memory */
	atomic_uint   ndropped; /* partitions dropped */
	int           fd;       /* -1 until the budget is spent */
	uint64_t      file_len;
	uint64_t      bytes;
	char        **slabs;
	size_t        nslabs;
	size_t        capslabs;
	size_t        slab_used; /* of the last slab */
};

/* A new block of size bytes. */
static char *
new_block(struct spill *s, size_t size)
{
	if (size > BLOCK)
		return xmalloc(size);
	if (s->nslabs == 0 || s->slab_used == SLAB) {
		xgrow(
		    &s->slabs, &s->capslabs, s->nslabs + 1, sizeof(*s->slabs));
		s->slabs[s->nslabs++] = xmalloc_huge(SLAB);
		s->slab_used = 0;
	}
	s->slab_used += BLOCK;
	return s->slabs[s->nslabs - 1] + s->slab_used - BLOCK;
}

/* Give back a block of size bytes (slab blocks go with their slab). */
static void
free_block(char *mem, size_t size)
{
	if (size > BLOCK)
		free(mem);
}

struct spill *
spill_new(unsigned nparts, size_t budget)
{
	struct spill *s = xcalloc(1, sizeof(*s));

	s->nparts = nparts;
	s->parts = xcalloc(nparts, sizeof(*s->parts));
	s->budget = budget > 0 ? budget : DEFAULT_BUDGET;
	s->fd = -1;
	return s;
}

/* Append len bytes at p to the file, creating it on first use. */
static int
write_out(struct spill *s, const char *p, size_t len, struct ci_err *e)
{
	if (s->fd < 0 && (s->fd = tmpfd_open(false, e)) < 0)
		return -1;
	if (tmpfd_write(s->fd, s->file_len, p, len, e) < 0)
		return -1;
	s->file_len += len;
	return 0;
}

/* Close p's open block: keep it, or write it out and reuse its buffer. */
static int
close_block(struct spill *s, struct part *p, struct ci_err *e)
{
	struct block *b;

	if (p->len == 0)
		return 0;
	xgrow(&p->blocks, &p->cap, p->n + 1, sizeof(*p->blocks));
	b = &p->blocks[p->n];
	if (s->in_mem + p->size <= s->budget) {
		b->mem = p->cur;
		b->len = p->len;
		b->held = p->size;
		s->in_mem += p->size;
		p->cur = NULL;
		p->len = p->size = 0;
		p->n++;
		return 0;
	}
	b->mem = NULL;
	b->off = s->file_len;
	b->len = p->len;
	b->held = 0;
	if (write_out(s, p->cur, p->len, e) < 0)
		return -1;
	p->n++;
	p->len = 0;
	if (p->size > BLOCK) { /* an outsize record's block */
		free_block(p->cur, p->size);
		p->cur = NULL;
		p->size = 0;
	}
	return 0;
}

char *
spill_reserve(struct spill *s, unsigned part, size_t len, struct ci_err *e)
{
	struct part *p = &s->parts[part];

	if (p->cur == NULL || len > p->size - p->len) {
		if (close_block(s, p, e) < 0)
			return NULL;
		if (p->cur == NULL || len > p->size) {
			free_block(p->cur, p->size);
			p->size = len > BLOCK ? len : BLOCK;
			p->cur = new_block(s, p->size);
		}
	}
	return p->cur + p->len;
}

void
spill_commit(struct spill *s, unsigned part, size_t len)
{
	s->parts[part].len += len;
	s->bytes += len;
}

int
spill_add(struct spill *s, unsigned part, const void *rec, size_t len,
    struct ci_err *e)
{
	char *to = spill_reserve(s, part, len, e);

	if (to == NULL)
		return -1;
	memcpy(to, rec, len);
	spill_commit(s, part, len);
	return 0;
}

int
spill_next(struct spill *s, unsigned part, size_t *pos, const char **data,
    size_t *len, struct buf *rd, struct ci_err *e)
{
	struct part  *p = &s->parts[part];
	struct block *b;

	if (*pos == p->n) {
		(*pos)++;
		*data = p->cur;
		*len = p->len;
		return p->len > 0;
	}
	if (*pos > p->n)
		return 0;
	b = &p->blocks[(*pos)++];
	if (b->mem == NULL) {
		buf_reset(rd);
		buf_grow(rd, b->len);
		if (tmpfd_read(s->fd, b->off, rd->data, b->len, e) < 0)
			return -1;
		*data = rd->data;
	} else {
		*data = b->mem;
	}
	*len = b->len;
	return 1;
}

/* Free the slabs and close the file, which no partition needs any more. */
static void
release(struct spill *s)
{
	size_t i;

	for (i = 0; i < s->nslabs; i++)
		free(s->slabs[i]);
	s->nslabs = 0;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

void
spill_drop(struct spill *s, unsigned part)
{
	struct part *p = &s->parts[part];
	size_t       i;

	if (p->dropped)
		return;
	for (i = 0; i < p->n; i++) {
		free_block(p->blocks[i].mem, p->blocks[i].held);
		s->in_mem -= p->blocks[i].held;
	}
	free(p->blocks);
	free_block(p->cur, p->size);
	memset(p, 0, sizeof(*p));
	p->dropped = true;
	/* The thread that drops the last partition gives back the rest, the
	 * file above all, which takes the system a while to delete. */
	if (atomic_fetch_add(&s->ndropped, 1) + 1 == s->nparts)
		release(s);
}

uint64_t
spill_bytes(const struct spill *s, uint64_t *on_disk)
{
	if (on_disk != NULL)
		*on_disk = s->file_len;
	return s->bytes;
}

void
spill_free(struct spill *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nparts; i++)
		spill_drop(s, i);
	free(s->parts);
	free(s->slabs);
	free(s);
}
