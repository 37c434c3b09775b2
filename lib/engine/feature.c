/*
 * feature: the customer state, its update per event, the derivation of
 * the feature row at the point in time, and partial states.
 *
 * Two passes.  Reading, each event (or merged customer state) is checked
 * and encoded as a record of what it adds to its customer's state, and the
 * record goes to one of PARTS partitions by the hash of the customer's key
 * (lib/spill).  Parts of a large input may be read on other threads into
 * forks of the accumulator (feature_fork), each with its own partitions
 * and item names; joining one keeps its partitions as another source of
 * records, with a map from its item ids to the joined accumulator's.
 * Finishing takes the partitions in turn: their records are
 * applied to the states of the partition's customers, a few thousand that
 * stay in the cache, where one pass over the events in input order would
 * reach a random place in memory for every event; each customer's row (or
 * partial state) is then formatted and the partition's states are freed.
 * Partitions share nothing, so workers on several threads take them in
 * turn; at the end the rows are written in key order, merged from the
 * workers' sorted lists.  Memory holds one partition's states per worker,
 * the formatted rows (in a memory file per worker) and the spills'
 * budgets.
 *
 * Days are local days (in the zone given) numbered from 1970-01-01.  A
 * customer's day records are kept sorted by day, found by binary search; a
 * new day is inserted in place, which costs at most one move per distinct
 * day.  Money is integer amount units (1/10000) throughout, ratings too, so
 * every sum is exact and independent of the order of the events.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <stdarg.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "amount.h"
#include "buf.h"
#include "civil.h"
#include "feature.h"
#include "hmap.h"
#include "jsonw.h"
#include "numfmt.h"
#include "parread.h"
#include "pool.h"
#include "rdbuf.h"
#include "recin.h"
#include "recout.h"
#include "spill.h"
#include "timeparse.h"
#include "tmpfd.h"
#include "u32map.h"
#include "xalloc.h"

#define DAY 86400
#define NO_TIME INT64_MIN

/* Number of 30-day blocks of the volatility features. */
#define MONTHS 12

enum etype { ET_ORDER, ET_REFUND, ET_TICKET, ET_COMPLAINT, ET_OTHER };

/*
 * One day with events of one customer, in 16 bytes since there is one per
 * active day of every customer.  A day whose counts would pass UINT16_MAX
 * continues in another record for the same day, so sums stay exact.
 */
struct dayrec {
	int64_t  spend; /* order amounts, units */
	int32_t  day;   /* local days since 1970-01-01 */
	uint16_t orders;
	uint16_t events; /* of any type */
};

/* The service side of a customer, which most customers never have. */
struct service {
	int64_t  refund_amount;
	int64_t  rating_sum; /* ratings, 1/10000 units */
	uint32_t refunds;
	uint32_t tickets;
	uint32_t complaints;
	uint32_t ratings;
};

static const struct service no_service;

/* The items of an order: its product, category and channel. */
enum item { IT_PRODUCT, IT_CATEGORY, IT_CHANNEL, ITEMS };

struct cust {
	int64_t         last_event; /* NO_TIME: none at or before asof */
	struct service *svc;        /* NULL until needed */
	struct dayrec  *days;       /* sorted by day */
	uint32_t        ndays;
	uint32_t        capdays;
	struct u32map   items[ITEMS]; /* item id -> orders, by enum item */
	bool            label;        /* an order in (asof, asof + window] */
};

/*
 * The partial state of a customer (feature_write_partial) is a JSON object
 * of the fields of pfields, in its order.  The writer, the reader
 * (feature_merge) and the records of service counts all walk this table,
 * so a field is described here and nowhere else.  Its kind says where the
 * field lives in struct cust and how two states merge:
 */
enum pkind {
	PF_KEY,   /* the customer_id of the state */
	PF_LAST,  /* last_event, null for NO_TIME: the later wins */
	PF_LABEL, /* label, a JSON boolean: true if either is */
	PF_COUNT, /* the uint32_t of *svc at offset at: summed */
	PF_SUM,   /* the int64_t of *svc at offset at: summed */
	PF_DAYS,  /* days, each [day, orders, events, spend]: summed by day */
	PF_ITEMS  /* items[at], as {"name": orders, ...}: summed by name */
};

struct pfield {
	const char *name;
	enum pkind  kind;
	size_t      at;       /* see enum pkind */
	int64_t     min, max; /* the numbers a reader takes (PF_COUNT, PF_SUM;
	                         PF_ITEMS: each item's orders) */
};

#define SVC(m) offsetof(struct service, m)

static const struct pfield pfields[] = {
	{ "customer_id", PF_KEY, 0, 0, 0 },
	{ "last_event", PF_LAST, 0, 0, 0 },
	{ "label", PF_LABEL, 0, 0, 0 },
	{ "refunds", PF_COUNT, SVC(refunds), 0, UINT32_MAX },
	{ "refund_amount", PF_SUM, SVC(refund_amount), 0, INT64_MAX / 4 },
	{ "tickets", PF_COUNT, SVC(tickets), 0, UINT32_MAX },
	{ "complaints", PF_COUNT, SVC(complaints), 0, UINT32_MAX },
	{ "ratings", PF_COUNT, SVC(ratings), 0, UINT32_MAX },
	{ "rating_sum", PF_SUM, SVC(rating_sum), INT64_MIN / 4, INT64_MAX / 4 },
	{ "days", PF_DAYS, 0, 0, 0 },
	{ "products", PF_ITEMS, IT_PRODUCT, 1, UINT32_MAX },
	{ "categories", PF_ITEMS, IT_CATEGORY, 1, UINT32_MAX },
	{ "channels", PF_ITEMS, IT_CHANNEL, 1, UINT32_MAX },
};

#define NPFIELDS (sizeof(pfields) / sizeof(pfields[0]))

/* Partitions of the customers (by the top bits of their keys' hash). */
#define PARTS 256
#define PART_OF(h) ((unsigned)((h) >> 56))

/*
 * A record of what one event or merged state adds to a customer, in
 * variable-length integers (zigzag for signed ones):
 *
 *   key length, key bytes, flags (REC_*),
 *   [last event]                          with REC_LAST
 *   [the service fields of pfields        with REC_SERVICE
 *    (PF_COUNT, PF_SUM), in its order]
 *   then, for one event (REC_EVENT), whose day is that of its last event:
 *   [amount, then for each enum item       with REC_ORDER
 *    its id + 1, or 0 for none]
 *   or else (a merged state):
 *   day count, then per day: day, orders, events, spend
 *   item count, then per item: kind (enum item), count, and its id
 *
 * Item ids are those of the names of their kind, interned while reading,
 * so that the second pass only reads them.
 */
enum {
	REC_LAST = 1,
	REC_LABEL = 2,
	REC_SERVICE = 4,
	REC_EVENT = 8,
	REC_ORDER = 16
};

/*
 * The most bytes a record takes besides its key and item names (a service
 * field is 4 bytes or more, and takes 10 bytes at most as a varint).
 */
#define REC_FIXED \
	(16 + sizeof(struct service) / 4 * 10 + 10 + 4 * 10 + 10 + ITEMS * 31)

/*
 * A customer to sort: the first 8 bytes of its key, big-endian, its key
 * (in a worker's keys) and its formatted row or partial state (in a
 * worker's text file; row is its offset there until finish() maps it).
 */
struct sortkey {
	uint64_t    prefix;
	const char *key;
	const char *row;
	uint32_t    keylen;
	uint32_t    rowlen;
};

/* Where a worker formats each customer: rows through a memory writer, or
 * partial states as NDJSON lines in text. */
struct sink {
	struct recout *rows; /* or NULL */
	struct buf     text;
	int64_t        asof;
};

/*
 * A worker of the second pass: the states of the partition it is
 * building, the text of the customers it has formatted, and their order.
 * Workers take the next partition not taken until there is none, each on
 * a thread of its own, and share nothing else they write.
 */
struct worker {
	const struct feature *f;
	atomic_uint          *next_part; /* f's */
	struct sink           sink;
	struct pool           pool; /* customers' days and item maps */
	struct hmap           ids;  /* customer_id -> index into cs */
	struct cust          *cs;
	size_t                capcs;
	struct buf            keys;    /* the partition's keys */
	struct buf            rd;      /* blocks read from the spill file */
	struct buf            scratch; /* a name being written */
	char                **text;    /* chunks holding the keys formatted */
	size_t                ntext;
	size_t                captext;
	char                 *textcur; /* free room in the last chunk */
	size_t                textleft;
	int                   textfd; /* the rows formatted, or -1 */
	uint64_t              textlen;
	char                 *textmap; /* textfd mapped, once all are in */
	struct sortkey       *order;   /* the customers formatted, sorted */
	size_t                norder;
	size_t                caporder;
	size_t                ncustomers;
	struct ci_err         err;
	int                   rc;
};

/*
 * Encoded events: those added to this accumulator (remap NULL), or those
 * of a part joined, whose item ids are its own: remap[kind][id] is the id
 * of the same name here.
 */
struct source {
	struct spill *spill;
	uint32_t     *remap[ITEMS];
};

struct feature {
	struct feature_opts o;
	struct source      *src; /* src[0]: this accumulator's own events */
	size_t              nsrc;
	size_t              capsrc;
	char               *rec_at;     /* the record being encoded */
	struct hmap         channels;   /* every channel seen: their ids */
	int64_t             latest;     /* latest event at or before asof */
	size_t              ncustomers; /* once finished */
	struct hmap         products;
	struct hmap         categories;
	struct hmap        *names[ITEMS]; /* item names by enum item */
	struct worker      *workers;      /* of the second pass */
	size_t              nworkers;
	atomic_uint         next_part; /* the next partition a worker takes */
	/* options taken from a partial state, owned */
	bool       adopted;
	struct tz *own_tz;
	char     **own_channels;
	/* output */
	char    **cols;
	size_t    ncols;
	uint32_t *chan_cols; /* channel id of each share column */
	size_t    nchan_cols;
};

struct feature *
feature_new(const struct feature_opts *o)
{
	struct feature *f = xcalloc(1, sizeof(*f));

	f->o = *o;
	f->latest = NO_TIME;
	xgrow(&f->src, &f->capsrc, 1, sizeof(*f->src));
	f->src[0] = (struct source){ spill_new(PARTS, 0), { NULL } };
	f->nsrc = 1;
	f->names[IT_PRODUCT] = &f->products;
	f->names[IT_CATEGORY] = &f->categories;
	f->names[IT_CHANNEL] = &f->channels;
	return f;
}

size_t
feature_customers(const struct feature *f)
{
	return f->ncustomers;
}

int
feature_bind(const struct recin *r, struct feature_cols *c, struct ci_err *e)
{
	if ((c->customer_id = recin_require(r, "customer_id", NULL, e)) < 0 &&
	    recin_ncols(r) > 0)
		return -1;
	if ((c->ts = recin_require(r, "ts", NULL, e)) < 0 && recin_ncols(r) > 0)
		return -1;
	c->type = recin_find(r, "type");
	c->amount = recin_find(r, "amount");
	c->product_id = recin_find(r, "product_id");
	c->category = recin_find(r, "category");
	c->channel = recin_find(r, "channel");
	c->rating = recin_find(r, "rating");
	return 0;
}

static enum etype
event_type(const char *s, size_t len)
{
	if (len == 0 || (len == 5 && strncasecmp(s, "order", 5) == 0))
		return ET_ORDER;
	if (len == 6 && strncasecmp(s, "refund", 6) == 0)
		return ET_REFUND;
	if (len == 6 && strncasecmp(s, "ticket", 6) == 0)
		return ET_TICKET;
	if (len == 9 && strncasecmp(s, "complaint", 9) == 0)
		return ET_COMPLAINT;
	return ET_OTHER;
}

/* The local day of the instant utc. */
static int32_t
local_day(const struct feature *f, int64_t utc)
{
	int64_t off = f->o.tz != NULL ? tz_offset_at(f->o.tz, utc) : 0;

	return (int32_t)civil_day(utc + off);
}

/* The index of the customer with key (s, len) and hash h, added if new. */
static size_t
customer(struct worker *w, const char *s, size_t len, uint64_t h)
{
	bool   is_new;
	size_t i = hmap_intern_hashed(&w->ids, s, len, h, &is_new);

	if (is_new) {
		xgrow(&w->cs, &w->capcs, i + 1, sizeof(*w->cs));
		memset(&w->cs[i], 0, sizeof(w->cs[i]));
		w->cs[i].last_event = NO_TIME;
	}
	return i;
}

/* Insert an empty record for day at position at of c's days. */
static struct dayrec *
insert_day(struct pool *pool, struct cust *c, uint32_t at, int32_t day)
{
	if (c->ndays == c->capdays) {
		/* Grow by half: most customers have a few days. */
		uint32_t cap = c->capdays < 2 ? 2 : c->capdays + c->capdays / 2;

		if (cap > UINT32_MAX / 2 / sizeof(*c->days))
			xalloc_fail(SIZE_MAX);
		c->days = pool_grow(pool, c->days,
		    c->capdays * sizeof(*c->days), cap * sizeof(*c->days));
		c->capdays = cap;
	}
	memmove(
	    &c->days[at + 1], &c->days[at], (c->ndays - at) * sizeof(*c->days));
	memset(&c->days[at], 0, sizeof(c->days[at]));
	c->days[at].day = day;
	c->ndays++;
	return &c->days[at];
}

/* Add orders, events and spend to day in c's sorted day records. */
static void
day_add(struct pool *pool, struct cust *c, int32_t day, uint32_t orders,
    uint32_t events, int64_t spend)
{
	uint32_t       lo = 0, hi = c->ndays, mid, n;
	struct dayrec *d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->days[mid].day <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* lo is past the last record of day, if there is one. */
	if (lo > 0 && c->days[lo - 1].day == day)
		d = &c->days[lo - 1];
	else
		d = insert_day(pool, c, lo++, day);
	d->spend += spend;
	for (;;) {
		n = UINT16_MAX - d->orders;
		n = orders < n ? orders : n;
		d->orders += (uint16_t)n;
		orders -= n;
		n = UINT16_MAX - d->events;
		n = events < n ? events : n;
		d->events += (uint16_t)n;
		events -= n;
		if (orders == 0 && events == 0)
			return;
		d = insert_day(pool, c, lo++, day);
	}
}

static int
bad(struct ci_err *e, const char *file, const struct rec *rec, const char *what,
    const char *s, size_t len, const char *why)
{
	return ci_err_set(e, CI_EXIT_DATA, file, rec->line, "bad %s '%.*s': %s",
	    what, (int)(len > 60 ? 60 : len), s, why);
}

/* ------------------------------------------------------------ records */

static inline char *
put_uv(char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (char)v;
	return p;
}

static inline char *
put_sv(char *p, int64_t v)
{
	/* zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ... */
	return put_uv(p, v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1);
}

static inline const char *
get_uv(const char *p, uint64_t *v)
{
	uint64_t x = 0;
	int      shift = 0;

	while ((unsigned char)*p >= 0x80) {
		x |= (uint64_t)((unsigned char)*p++ & 0x7f) << shift;
		shift += 7;
	}
	*v = x | (uint64_t)(unsigned char)*p++ << shift;
	return p;
}

static inline const char *
get_sv(const char *p, int64_t *v)
{
	uint64_t u;

	p = get_uv(p, &u);
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return p;
}

static inline char *
put_bytes(char *p, const char *s, size_t len)
{
	p = put_uv(p, len);
	memcpy(p, s, len);
	return p + len;
}

/*
 * Begin a record for the customer (key, len) whose hash is h, in place in
 * its partition, with room for extra more bytes; returns where the flags
 * go, or NULL with *e filled.
 */
static char *
rec_begin(struct feature *f, const char *key, size_t len, uint64_t h,
    size_t extra, struct ci_err *e)
{
	char *p = spill_reserve(
	    f->src[0].spill, PART_OF(h), len + REC_FIXED + extra, e);

	if (p == NULL)
		return NULL;
	f->rec_at = p;
	return put_bytes(p, key, len);
}

/* End the record begun for the customer of hash h at end. */
static int
rec_end(struct feature *f, const char *end, uint64_t h)
{
	spill_commit(f->src[0].spill, PART_OF(h), (size_t)(end - f->rec_at));
	return 0;
}

static struct service *
service(struct cust *c)
{
	if (c->svc == NULL)
		c->svc = xcalloc(1, sizeof(*c->svc));
	return c->svc;
}

/* The service field pf of s. */
static inline int64_t
service_get(const struct service *s, const struct pfield *pf)
{
	const char *at = (const char *)s + pf->at;

	if (pf->kind == PF_COUNT)
		return *(const uint32_t *)at;
	return *(const int64_t *)at;
}

/* Add v to the service field pf of s. */
static inline void
service_add(struct service *s, const struct pfield *pf, int64_t v)
{
	char *at = (char *)s + pf->at;

	if (pf->kind == PF_COUNT)
		*(uint32_t *)at += (uint32_t)v;
	else
		*(int64_t *)at += v;
}

/*
 * Encode the service fields of s at p, in the order of pfields.  Unrolled
 * (the kinds and offsets it reads are constants), the walk compiles to the
 * encoding one would write by hand, so the table costs the events nothing.
 */
static char *
put_service(char *p, const struct service *s)
{
	const struct pfield *pf;

#pragma GCC unroll 16
	for (pf = pfields; pf < pfields + NPFIELDS; pf++) {
		if (pf->kind == PF_COUNT)
			p = put_uv(p, (uint64_t)service_get(s, pf));
		else if (pf->kind == PF_SUM)
			p = put_sv(p, service_get(s, pf));
	}
	return p;
}

/* Add the service fields encoded at p to s; returns their end.  Unrolled
 * as put_service() is. */
static const char *
get_service(const char *p, struct service *s)
{
	const struct pfield *pf;
	uint64_t             u;
	int64_t              v;

#pragma GCC unroll 16
	for (pf = pfields; pf < pfields + NPFIELDS; pf++) {
		if (pf->kind == PF_COUNT) {
			p = get_uv(p, &u);
			service_add(s, pf, (int64_t)u);
		} else if (pf->kind == PF_SUM) {
			p = get_sv(p, &v);
			service_add(s, pf, v);
		}
	}
	return p;
}

/* The id here of item id of kind in src's names. */
static inline uint32_t
item_id(const struct source *src, uint64_t kind, uint64_t id)
{
	return (uint32_t)(src->remap[kind] != NULL ? src->remap[kind][id] : id);
}

/* Apply the record at p, from source src, to its customer's state;
 * returns its end. */
static const char *
apply(struct worker *w, const struct source *src, const char *p)
{
	struct cust *c;
	const char  *key;
	uint64_t     len, n, kind, count, id, flags, u[2];
	size_t       i;
	int64_t      v[2], last = NO_TIME;

	p = get_uv(p, &len);
	key = p;
	p += len;
	i = customer(w, key, len, hmap_hash(key, len));
	c = &w->cs[i]; /* after customer(), which may move w->cs */
	flags = (unsigned char)*p++;
	if (flags & REC_LAST) {
		p = get_sv(p, &last);
		if (last > c->last_event)
			c->last_event = last;
	}
	if (flags & REC_LABEL)
		c->label = true;
	if (flags & REC_SERVICE)
		p = get_service(p, service(c));
	if (flags & REC_EVENT) {
		v[1] = 0;
		if (flags & REC_ORDER)
			p = get_sv(p, &v[1]);
		day_add(&w->pool, c, local_day(w->f, last),
		    (flags & REC_ORDER) != 0, 1, v[1]);
		for (kind = 0; kind < ITEMS && (flags & REC_ORDER); kind++) {
			p = get_uv(p, &id);
			if (id > 0)
				u32map_add(&c->items[kind], &w->pool,
				    item_id(src, kind, id - 1), 1);
		}
		return p;
	}
	for (p = get_uv(p, &n); n > 0; n--) {
		p = get_sv(p, &v[0]);
		p = get_uv(p, &u[0]);
		p = get_uv(p, &u[1]);
		p = get_sv(p, &v[1]);
		day_add(&w->pool, c, (int32_t)v[0], (uint32_t)u[0],
		    (uint32_t)u[1], v[1]);
	}
	for (p = get_uv(p, &n); n > 0; n--) {
		p = get_uv(p, &kind);
		p = get_uv(p, &count);
		p = get_uv(p, &id);
		u32map_add(&c->items[kind], &w->pool, item_id(src, kind, id),
		    (uint32_t)count);
	}
	return p;
}

/*
 * Encode the service an event of type adds (amount in units, a rating if
 * has_rating) at p.
 */
static char *
put_event_service(
    char *p, enum etype type, int64_t amount, bool has_rating, int64_t rating)
{
	struct service sv = { 0 };

	sv.refunds = type == ET_REFUND;
	if (type == ET_REFUND)
		sv.refund_amount = amount < 0 ? -amount : amount;
	sv.tickets = type == ET_TICKET;
	sv.complaints = type == ET_COMPLAINT;
	sv.ratings = has_rating;
	sv.rating_sum = rating;
	return put_service(p, &sv);
}

int
feature_add(struct feature *f, const struct feature_cols *c,
    const struct rec *rec, const char *file, struct ci_err *e)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, f->o.tz };
	struct tp_result t;
	struct amount    a = { 0, "", false };
	const char      *id, *s, *why, *item[ITEMS];
	size_t           idlen, len, ilen[ITEMS] = { 0 }, k;
	enum etype       type;
	int64_t          rating = 0;
	bool             has_rating = false, after;
	char            *p, *flags;
	uint64_t         h, hp, hk;

	rec_field(rec, c->customer_id, &id, &idlen);
	if (idlen == 0)
		return ci_err_set(
		    e, CI_EXIT_DATA, file, rec->line, "missing customer_id");
	/* The product's slot is loaded while the rest is parsed. */
	rec_field(rec, c->product_id, &item[IT_PRODUCT], &ilen[IT_PRODUCT]);
	hp = hmap_hash(item[IT_PRODUCT], ilen[IT_PRODUCT]);
	hmap_prefetch(&f->products, hp);
	rec_field(rec, c->ts, &s, &len);
	if (timeparse(s, len, &tp, &t, &why) < 0)
		return bad(e, file, rec, "ts", s, len, why);
	rec_field(rec, c->type, &s, &len);
	type = event_type(s, len);
	rec_field(rec, c->amount, &s, &len);
	if (len > 0 && amount_parse(s, len, false, &a, &why) < 0)
		return bad(e, file, rec, "amount", s, len, why);
	rec_field(rec, c->rating, &s, &len);
	if (len > 0) {
		double r;

		if (!numfmt_parse(s, len, &r) || fabs(r) > 1e12)
			return bad(
			    e, file, rec, "rating", s, len, "not a number");
		rating = llround(r * 1e4);
		has_rating = true;
	}
	after = f->o.has_asof && t.utc > f->o.asof;
	if (after &&
	    !(type == ET_ORDER && f->o.label_window > 0 &&
	        t.utc <= f->o.asof + f->o.label_window))
		return 0; /* after the point in time: only a label uses it */
	h = hmap_hash(id, idlen);
	if (after) {
		if ((p = rec_begin(f, id, idlen, h, 0, e)) == NULL)
			return -1;
		*p++ = REC_LABEL;
		*p++ = 0; /* days */
		*p++ = 0; /* items */
		return rec_end(f, p, h);
	}
	if (t.utc > f->latest)
		f->latest = t.utc;
	if (type == ET_ORDER) {
		rec_field(
		    rec, c->category, &item[IT_CATEGORY], &ilen[IT_CATEGORY]);
		rec_field(
		    rec, c->channel, &item[IT_CHANNEL], &ilen[IT_CHANNEL]);
	}
	if ((p = rec_begin(f, id, idlen, h, 0, e)) == NULL)
		return -1;
	flags = p++;
	*flags = REC_LAST | REC_EVENT | (type == ET_ORDER ? REC_ORDER : 0);
	p = put_sv(p, t.utc);
	if (type == ET_REFUND || type == ET_TICKET || type == ET_COMPLAINT ||
	    has_rating) {
		*flags |= REC_SERVICE;
		p = put_event_service(p, type, a.units, has_rating, rating);
	}
	if (type == ET_ORDER) {
		p = put_sv(p, a.units);
		for (k = 0; k < ITEMS; k++) {
			if (ilen[k] == 0) {
				p = put_uv(p, 0);
				continue;
			}
			hk = k == IT_PRODUCT ? hp : hmap_hash(item[k], ilen[k]);
			p = put_uv(p,
			    1 +
			        hmap_intern_hashed(
			            f->names[k], item[k], ilen[k], hk, NULL));
		}
	}
	return rec_end(f, p, h);
}

struct feature *
feature_fork(const struct feature *f)
{
	return feature_new(&f->o);
}

void
feature_join(struct feature *f, struct feature *part)
{
	struct source s = { part->src[0].spill, { NULL } };
	const char   *name;
	size_t        k, i, n, len;

	for (k = 0; k < ITEMS; k++) {
		n = hmap_count(part->names[k]);
		s.remap[k] = xcalloc(n + 1, sizeof(*s.remap[k]));
		for (i = 0; i < n; i++) {
			name = hmap_key(part->names[k], i, &len);
			s.remap[k][i] =
			    (uint32_t)hmap_intern(f->names[k], name, len, NULL);
		}
	}
	xgrow(&f->src, &f->capsrc, f->nsrc + 1, sizeof(*f->src));
	f->src[f->nsrc++] = s;
	part->src[0].spill = NULL;
	if (part->latest > f->latest)
		f->latest = part->latest;
	feature_free(part);
}

bool
feature_asof(const struct feature *f, int64_t *asof)
{
	if (f->o.has_asof) {
		*asof = f->o.asof;
		return true;
	}
	*asof = f->latest;
	return f->latest != NO_TIME;
}

/* ------------------------------------------------------------- columns */

static void add_col(struct feature *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
add_col(struct feature *f, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list    ap;
	int        n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	f->cols = xreallocarray(f->cols, f->ncols + 1, sizeof(*f->cols));
	f->cols[f->ncols++] = b.data;
}

/* Order ids of an interning table by their names, bytewise (qsort_r). */
static int
cmp_name(const void *a, const void *b, void *names)
{
	size_t      la, lb;
	const char *sa = hmap_key(names, *(const uint32_t *)a, &la);
	const char *sb = hmap_key(names, *(const uint32_t *)b, &lb);
	int         c = memcmp(sa, sb, la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

static void
sort_ids(const struct hmap *names, uint32_t *ids, size_t n)
{
	qsort_r(ids, n, sizeof(*ids), cmp_name, (void *)names);
}

size_t
feature_columns(struct feature *f, const char *const **cols)
{
	size_t i;

	if (f->cols != NULL) {
		*cols = (const char *const *)f->cols;
		return f->ncols;
	}
	add_col(f, "customer_id");
	add_col(f, "recency_days");
	add_col(f, "orders");
	add_col(f, "purchase_days");
	add_col(f, "monetary_total");
	add_col(f, "monetary_avg");
	add_col(f, "first_order");
	add_col(f, "last_order");
	add_col(f, "tenure_days");
	add_col(f, "x");
	add_col(f, "t_x");
	add_col(f, "T");
	add_col(f, "repeat_value");
	for (i = 0; i < f->o.nwindows; i++) {
		add_col(f, "orders_%" PRIu32 "d", f->o.windows[i]);
		add_col(f, "spend_%" PRIu32 "d", f->o.windows[i]);
	}
	add_col(f, "spend_trend");
	add_col(f, "spend_cv_3m");
	add_col(f, "spend_cv_12m");
	add_col(f, "gap_days_mean");
	add_col(f, "gap_days_sd");
	add_col(f, "distinct_products");
	add_col(f, "distinct_categories");
	add_col(f, "top_category");
	if (f->o.channels != NULL) {
		f->nchan_cols = f->o.nchannels;
		f->chan_cols =
		    xcalloc(f->nchan_cols + 1, sizeof(*f->chan_cols));
		for (i = 0; i < f->o.nchannels; i++)
			f->chan_cols[i] = (uint32_t)hmap_intern(&f->channels,
			    f->o.channels[i], strlen(f->o.channels[i]), NULL);
	} else {
		f->nchan_cols = hmap_count(&f->channels);
		f->chan_cols =
		    xcalloc(f->nchan_cols + 1, sizeof(*f->chan_cols));
		for (i = 0; i < f->nchan_cols; i++)
			f->chan_cols[i] = (uint32_t)i;
		sort_ids(&f->channels, f->chan_cols, f->nchan_cols);
	}
	for (i = 0; i < f->nchan_cols; i++)
		add_col(f, "share_%s",
		    hmap_key(&f->channels, f->chan_cols[i], NULL));
	add_col(f, "refunds");
	add_col(f, "refund_amount");
	add_col(f, "tickets");
	add_col(f, "complaints");
	add_col(f, "rating_mean");
	add_col(f, "days_since_last_event");
	add_col(f, "events_30d");
	add_col(f, "events_prev_30d");
	if (f->o.label_window > 0)
		add_col(f, "label_active");
	*cols = (const char *const *)f->cols;
	return f->ncols;
}

/* ---------------------------------------------------------------- rows */

/* One distinct day of a customer: its records summed. */
struct dayagg {
	int32_t  day;
	uint64_t orders;
	uint64_t events;
	int64_t  spend;
};

/* The next distinct day of c from record *k on; false at the end. */
static bool
next_day(const struct cust *c, uint32_t *k, struct dayagg *d)
{
	if (*k >= c->ndays)
		return false;
	memset(d, 0, sizeof(*d));
	d->day = c->days[*k].day;
	for (; *k < c->ndays && c->days[*k].day == d->day; (*k)++) {
		d->orders += c->days[*k].orders;
		d->events += c->days[*k].events;
		d->spend += c->days[*k].spend;
	}
	return true;
}

static int
cmp_sortkey(const void *a, const void *b)
{
	const struct sortkey *x = a, *y = b;
	int                   c;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	c = memcmp(
	    x->key, y->key, x->keylen < y->keylen ? x->keylen : y->keylen);
	return c != 0 ? c : (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

/*
 * Note customer i of the partition, whose formatted row or state is the
 * bytes [from, to) of the sink, for sorting; its key and row are offsets
 * until the partition's text is kept.  Most comparisons are settled by
 * the 8-byte prefixes held in the sorted array itself (keys hold no NUL
 * bytes, so padding a short key with zeros keeps the order).
 */
static void
note_customer(struct worker *w, uint32_t i, size_t from, size_t to)
{
	struct sortkey *k;
	const char     *key;
	size_t          len, j;

	xgrow(&w->order, &w->caporder, w->norder + 1, sizeof(*w->order));
	k = &w->order[w->norder++];
	key = hmap_key(&w->ids, i, &len);
	k->prefix = 0;
	for (j = 0; j < 8; j++)
		k->prefix =
		    k->prefix << 8 | (j < len ? (unsigned char)key[j] : 0);
	k->key = (const char *)(uintptr_t)w->keys.len;
	k->keylen = (uint32_t)len;
	k->row = (const char *)(uintptr_t)from;
	k->rowlen = (uint32_t)(to - from);
	buf_add(&w->keys, key, len);
}

static void
put_money(struct recout *w, int64_t units)
{
	char tmp[AMOUNT_MAX];

	recout_number(w, tmp, amount_format(tmp, units));
}

static void
put_date(struct recout *w, int32_t day)
{
	char tmp[CIVIL_ISO_MAX];

	recout_str(w, tmp, civil_format_date(tmp, day));
}

/* A number, or an empty field when defined is false. */
static void
put_double(struct recout *w, bool defined, double v)
{
	if (defined)
		recout_double(w, v);
	else
		recout_null(w);
}

/*
 * Coefficient of variation (population standard deviation over mean) of
 * the spend in the nblocks 30-day blocks before asof that lie within the
 * customer's tenure; undefined with fewer than two blocks or no spend.
 */
static bool
spend_cv(const int64_t *block, int tenure_blocks, int nblocks, double *cv)
{
	int    n = tenure_blocks < nblocks ? tenure_blocks : nblocks, i;
	double mean = 0, var = 0;

	if (n < 2)
		return false;
	for (i = 0; i < n; i++)
		mean += amount_to_double(block[i]);
	mean /= n;
	if (mean == 0)
		return false;
	for (i = 0; i < n; i++) {
		double d = amount_to_double(block[i]) - mean;

		var += d * d;
	}
	*cv = sqrt(var / n) / mean;
	return true;
}

/* The category with the most orders; ties go to the smallest name. */
static bool
top_item(const struct hmap *names, const struct u32map *m, struct buf *out)
{
	uint32_t pos = 0, key, val, best = 0, most = 0;
	bool     any = false;

	while (u32map_next(m, &pos, &key, &val)) {
		if (!any || val > most ||
		    (val == most && cmp_name(&key, &best, (void *)names) < 0)) {
			best = key;
			most = val;
			any = true;
		}
	}
	if (any) {
		buf_reset(out);
		buf_addstr(out, hmap_key(names, best, NULL));
	}
	return any;
}

static int
write_row(struct worker *wk, struct recout *w, uint32_t i, int64_t asof,
    struct ci_err *e)
{
	const struct feature *f = wk->f;
	const struct cust    *c = &wk->cs[i];
	const struct service *v = c->svc != NULL ? c->svc : &no_service;
	struct dayagg         d;
	int32_t     asof_day = local_day(f, asof), first = 0, last = 0;
	int32_t     prev = 0;
	int64_t     spend = 0, first_spend = 0, s90 = 0, s180 = 0;
	int64_t     win_spend[FEATURE_MAX_WINDOWS] = { 0 };
	int64_t     block[MONTHS] = { 0 };
	uint64_t    orders = 0, pdays = 0, ev30 = 0, ev60 = 0;
	uint64_t    win_orders[FEATURE_MAX_WINDOWS] = { 0 };
	uint32_t    k = 0;
	double      unit = f->o.unit_days, gsum = 0, gsq = 0, gap;
	double      cv3 = 0, cv12 = 0;
	bool        has_cv3, has_cv12;
	const char *id;
	size_t      j, n;

	if (c->last_event == NO_TIME)
		return 0; /* only events after asof */
	while (next_day(c, &k, &d)) {
		int32_t age = asof_day - d.day;

		if (age < 30)
			ev30 += d.events;
		else if (age < 60)
			ev60 += d.events;
		if (d.orders == 0)
			continue;
		orders += d.orders;
		spend += d.spend;
		if (pdays == 0) {
			first = d.day;
			first_spend = d.spend;
		} else {
			gap = d.day - prev;
			gsum += gap;
			gsq += gap * gap;
		}
		prev = last = d.day;
		pdays++;
		for (j = 0; j < f->o.nwindows; j++) {
			if (age < (int32_t)f->o.windows[j]) {
				win_orders[j] += d.orders;
				win_spend[j] += d.spend;
			}
		}
		if (age < 90)
			s90 += d.spend;
		else if (age < 180)
			s180 += d.spend;
		if (age < 30 * MONTHS)
			block[age / 30] += d.spend;
	}
	if (pdays == 0 && f->o.label_window > 0)
		return 0; /* training rows need an order at or before asof */
	id = hmap_key(&wk->ids, i, &n);
	recout_str(w, id, n);
	if (pdays > 0) {
		recout_int(w, asof_day - last);
		recout_int(w, orders);
		recout_int(w, pdays);
		put_money(w, spend);
		recout_double(w, amount_to_double(spend) / (double)orders);
		put_date(w, first);
		put_date(w, last);
		recout_int(w, asof_day - first);
		recout_int(w, (int64_t)pdays - 1);
		recout_double(w, (last - first) / unit);
		recout_double(w, (asof_day - first) / unit);
		put_double(w, pdays > 1,
		    amount_to_double(spend - first_spend) /
		        (double)(pdays - 1));
	} else {
		recout_null(w);
		recout_int(w, 0);
		recout_int(w, 0);
		put_money(w, 0);
		for (j = 0; j < 8; j++) /* monetary_avg .. repeat_value */
			recout_null(w);
	}
	for (j = 0; j < f->o.nwindows; j++) {
		recout_int(w, win_orders[j]);
		put_money(w, win_spend[j]);
	}
	put_double(w, s180 != 0, (double)s90 / (double)s180);
	has_cv3 =
	    pdays > 0 && spend_cv(block, (asof_day - first) / 30 + 1, 3, &cv3);
	has_cv12 = pdays > 0 &&
	    spend_cv(block, (asof_day - first) / 30 + 1, MONTHS, &cv12);
	put_double(w, has_cv3, cv3);
	put_double(w, has_cv12, cv12);
	put_double(w, pdays > 1, gsum / (double)(pdays - 1));
	put_double(w, pdays > 2,
	    sqrt(fmax(0,
	        (gsq - gsum * gsum / (double)(pdays - 1)) /
	            (double)(pdays - 2))));
	recout_int(w, u32map_count(&c->items[IT_PRODUCT]));
	recout_int(w, u32map_count(&c->items[IT_CATEGORY]));
	if (top_item(&f->categories, &c->items[IT_CATEGORY], &wk->scratch))
		recout_str(w, wk->scratch.data, wk->scratch.len);
	else
		recout_null(w);
	for (j = 0; j < f->nchan_cols; j++)
		put_double(w, orders > 0,
		    (double)u32map_get(&c->items[IT_CHANNEL], f->chan_cols[j]) /
		        (double)orders);
	recout_int(w, v->refunds);
	put_money(w, v->refund_amount);
	recout_int(w, v->tickets);
	recout_int(w, v->complaints);
	put_double(w, v->ratings > 0, (double)v->rating_sum / 1e4 / v->ratings);
	recout_int(w, asof_day - local_day(f, c->last_event));
	recout_int(w, (int64_t)ev30);
	recout_int(w, (int64_t)ev60);
	if (f->o.label_window > 0)
		recout_int(w, c->label);
	return recout_end(w, e);
}

/* ---------------------------------------------------------- finishing */

/* The chunks of the keys formatted. */
#define TEXT_CHUNK (1u << 20)

/* The most workers of the second pass. */
#define MAX_WORKERS 8

/* Keep a copy of the len bytes at s with w's other formatted text. */
static char *
keep_text(struct worker *w, const char *s, size_t len)
{
	char *to;

	if (len > w->textleft || w->ntext == 0) {
		size_t size = len > TEXT_CHUNK ? len : TEXT_CHUNK;

		xgrow(&w->text, &w->captext, w->ntext + 1, sizeof(*w->text));
		w->textcur = w->text[w->ntext++] = xmalloc_huge(size);
		w->textleft = size;
	}
	to = w->textcur;
	if (len > 0)
		memcpy(to, s, len);
	w->textcur += len;
	w->textleft -= len;
	return to;
}

/*
 * Append the len bytes at s to w's text file: a memfd, since the rows
 * are many and, written through a file, cost no page fault each.
 */
static int
keep_rows(struct worker *w, const char *s, size_t len)
{
	if (w->textfd < 0 && (w->textfd = tmpfd_open(true, &w->err)) < 0)
		return -1;
	if (tmpfd_write(w->textfd, w->textlen, s, len, &w->err) < 0)
		return -1;
	w->textlen += len;
	return 0;
}

/* Map w's text file and point its customers' rows into it. */
static int
map_rows(struct worker *w, struct ci_err *e)
{
	size_t i;

	if (w->textlen == 0)
		return 0;
	w->textmap = mmap(NULL, w->textlen, PROT_READ,
	    MAP_SHARED | MAP_POPULATE, w->textfd, 0);
	if (w->textmap == MAP_FAILED) {
		w->textmap = NULL;
		return ci_err_set(e, CI_EXIT_IO, "temporary file", 0,
		    "cannot map: %s", strerror(errno));
	}
	for (i = 0; i < w->norder; i++)
		w->order[i].row = w->textmap + (uintptr_t)w->order[i].row;
	return 0;
}

/* The bytes w has formatted in its sink since the last partition. */
static const char *
sink_text(const struct worker *w, size_t *len)
{
	if (w->sink.rows != NULL)
		return recout_mem(w->sink.rows, len);
	*len = w->sink.text.len;
	return buf_str(&w->sink.text);
}

static void put_customer(struct worker *wk, struct jsonw *w, uint32_t i);

/* Free the states of the partition's customers. */
static void
reset_partition(struct worker *w)
{
	size_t i, k;

	for (i = 0; i < hmap_count(&w->ids); i++) {
		struct cust *c = &w->cs[i];

		pool_free(&w->pool, c->days, c->capdays * sizeof(*c->days));
		free(c->svc);
		for (k = 0; k < ITEMS; k++)
			u32map_release(&c->items[k], &w->pool);
	}
	hmap_release(&w->ids);
	buf_reset(&w->keys);
	if (w->sink.rows != NULL)
		recout_mem_clear(w->sink.rows);
	buf_reset(&w->sink.text);
}

/*
 * Build the states of partition part's customers from its records, format
 * each, keep the text, and free the states.
 */
static int
build(struct worker *w, unsigned part)
{
	const struct source *src;
	const char          *data, *p, *text;
	char                *keys;
	size_t               pos, len, from, i, first = w->norder;
	struct jsonw         jw;
	int                  rc;

	for (src = w->f->src; src < w->f->src + w->f->nsrc; src++) {
		for (pos = 0; (rc = spill_next(src->spill, part, &pos, &data,
		                   &len, &w->rd, &w->err)) > 0;)
			for (p = data; p < data + len;)
				p = apply(w, src, p);
		if (rc < 0)
			return -1;
		spill_drop(src->spill, part);
	}
	w->ncustomers += hmap_count(&w->ids);
	for (i = 0; i < hmap_count(&w->ids); i++) {
		sink_text(w, &from);
		if (w->sink.rows != NULL) {
			if (write_row(w, w->sink.rows, (uint32_t)i,
			        w->sink.asof, &w->err) < 0)
				return -1;
		} else {
			jsonw_init(&jw, &w->sink.text, 0);
			put_customer(w, &jw, (uint32_t)i);
			buf_addc(&w->sink.text, '\n');
		}
		if (sink_text(w, &len), len > from)
			note_customer(w, (uint32_t)i, from, len);
	}
	/* The rows go to the text file, the keys to chunks that never
	 * move, so that no one large buffer is copied as it grows. */
	text = sink_text(w, &len);
	if (keep_rows(w, text, len) < 0)
		return -1;
	keys = keep_text(w, buf_str(&w->keys), w->keys.len);
	for (i = first; i < w->norder; i++) {
		w->order[i].row = (const char *)((uintptr_t)w->order[i].row +
		    (uintptr_t)(w->textlen - len));
		w->order[i].key = keys + (uintptr_t)w->order[i].key;
	}
	reset_partition(w);
	return 0;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	unsigned       part;

	while (w->rc == 0 && (part = atomic_fetch_add(w->next_part, 1)) < PARTS)
		w->rc = build(w, part);
	if (w->rc == 0 && w->norder > 0)
		qsort(w->order, w->norder, sizeof(*w->order), cmp_sortkey);
	return NULL;
}

/*
 * The second pass, once: the partitions built and formatted by workers on
 * as many threads as there are processors (at most MAX_WORKERS), each
 * worker's customers sorted.  Rows are formatted by memory writers of fmt
 * and the columns; without cols, partial states.
 */
static int
finish(struct feature *f, enum rec_fmt fmt, const char *const *cols,
    size_t ncols, int64_t asof, struct ci_err *e)
{
	pthread_t tid[MAX_WORKERS];
	bool      started[MAX_WORKERS] = { false };
	size_t    i;

	f->nworkers = parread_cpus(MAX_WORKERS);
	f->workers = xcalloc(f->nworkers, sizeof(*f->workers));
	for (i = 0; i < f->nworkers; i++) {
		struct worker *w = &f->workers[i];

		w->f = f;
		w->next_part = &f->next_part;
		w->sink.asof = asof;
		w->textfd = -1;
		if (cols != NULL) {
			w->sink.rows = recout_open_mem(fmt, cols, ncols);
			recout_set_digits(w->sink.rows, f->o.digits);
		}
	}
	/* A worker whose thread cannot start runs here. */
	for (i = 1; i < f->nworkers; i++)
		started[i] =
		    pthread_create(&tid[i], NULL, work, &f->workers[i]) == 0;
	for (i = 0; i < f->nworkers; i++) {
		if (i == 0 || !started[i])
			work(&f->workers[i]);
		else
			pthread_join(tid[i], NULL);
	}
	for (i = 0; i < f->nworkers; i++) {
		f->ncustomers += f->workers[i].ncustomers;
		if (f->workers[i].rc < 0) {
			*e = f->workers[i].err;
			return -1;
		}
		if (map_rows(&f->workers[i], e) < 0)
			return -1;
	}
	return 0;
}

/*
 * The next customer in key order over all workers, advancing the cursors
 * at[]; NULL at the end.
 */
static const struct sortkey *
next_sorted(const struct feature *f, size_t *at)
{
	const struct sortkey *best = NULL, *k;
	size_t                i, from = 0;

	for (i = 0; i < f->nworkers; i++) {
		if (at[i] >= f->workers[i].norder)
			continue;
		k = &f->workers[i].order[at[i]];
		if (best == NULL || cmp_sortkey(k, best) < 0) {
			best = k;
			from = i;
		}
	}
	if (best != NULL)
		at[from]++;
	return best;
}

int
feature_write(struct feature *f, struct recout *w, struct ci_err *e)
{
	const char *const    *cols;
	const struct sortkey *k;
	struct iovec          rows[1024];
	size_t                n = feature_columns(f, &cols);
	size_t                at[MAX_WORKERS] = { 0 };
	int64_t               asof;
	int                   rc = 0, m = 0;

	if (!feature_asof(f, &asof))
		return 0;
	if (finish(f, recout_format(w), cols, n, asof, e) < 0)
		return -1;
	while (rc == 0) {
		if ((k = next_sorted(f, at)) != NULL) {
			rows[m].iov_base = (void *)(uintptr_t)k->row;
			rows[m++].iov_len = k->rowlen;
			if (m < (int)(sizeof(rows) / sizeof(rows[0])))
				continue;
		}
		rc = recout_rawv(w, rows, m, e);
		m = 0;
		if (k == NULL)
			break;
	}
	return rc;
}

/* ------------------------------------------------------------ partials */

/* The options a partial state records, which a merge must share. */
static void
put_options(struct feature *f, struct jsonw *w)
{
	char   tmp[CIVIL_ISO_MAX];
	size_t i;

	jsonw_key(w, "ci_features_partial");
	jsonw_int(w, 1);
	jsonw_key(w, "asof");
	jsonw_strn(w, tmp, civil_format_iso(tmp, f->o.asof));
	jsonw_key(w, "unit_days");
	jsonw_int(w, f->o.unit_days);
	jsonw_key(w, "windows");
	jsonw_arr_begin(w);
	for (i = 0; i < f->o.nwindows; i++)
		jsonw_int(w, f->o.windows[i]);
	jsonw_arr_end(w);
	jsonw_key(w, "label_window");
	jsonw_int(w, f->o.label_window);
	jsonw_key(w, "tz");
	jsonw_str(w, f->o.tz != NULL ? tz_name(f->o.tz) : "UTC");
	jsonw_key(w, "channels");
	if (f->o.channels == NULL) {
		jsonw_null(w);
	} else {
		jsonw_arr_begin(w);
		for (i = 0; i < f->o.nchannels; i++)
			jsonw_str(w, f->o.channels[i]);
		jsonw_arr_end(w);
	}
}

/* An item map as {"name": orders, ...}, names sorted. */
static void
put_items(struct jsonw *w, const struct hmap *names, const struct u32map *m)
{
	uint32_t  n = u32map_count(m), i;
	uint32_t *k = xcalloc(n + 1, sizeof(*k));

	u32map_entries(m, k, NULL);
	sort_ids(names, k, n);
	jsonw_obj_begin(w);
	for (i = 0; i < n; i++) {
		jsonw_key(w, hmap_key(names, k[i], NULL));
		jsonw_int(w, u32map_get(m, k[i]));
	}
	jsonw_obj_end(w);
	free(k);
}

/* The days of c as [[day, orders, events, spend], ...]. */
static void
put_days(struct jsonw *w, const struct cust *c)
{
	struct dayagg d;
	uint32_t      k = 0;

	jsonw_arr_begin(w);
	while (next_day(c, &k, &d)) {
		jsonw_arr_begin(w);
		jsonw_int(w, d.day);
		jsonw_int(w, (int64_t)d.orders);
		jsonw_int(w, (int64_t)d.events);
		jsonw_int(w, d.spend);
		jsonw_arr_end(w);
	}
	jsonw_arr_end(w);
}

/* Customer i's partial state: a JSON object of the fields of pfields. */
static void
put_customer(struct worker *wk, struct jsonw *w, uint32_t i)
{
	const struct cust    *c = &wk->cs[i];
	const struct service *v = c->svc != NULL ? c->svc : &no_service;
	const struct pfield  *pf;
	const char           *id;
	size_t                n;

	jsonw_obj_begin(w);
	for (pf = pfields; pf < pfields + NPFIELDS; pf++) {
		jsonw_key(w, pf->name);
		switch (pf->kind) {
		case PF_KEY:
			id = hmap_key(&wk->ids, i, &n);
			jsonw_strn(w, id, n);
			break;
		case PF_LAST:
			if (c->last_event == NO_TIME)
				jsonw_null(w);
			else
				jsonw_int(w, c->last_event);
			break;
		case PF_LABEL:
			jsonw_bool(w, c->label);
			break;
		case PF_COUNT:
		case PF_SUM:
			jsonw_int(w, service_get(v, pf));
			break;
		case PF_DAYS:
			put_days(w, c);
			break;
		case PF_ITEMS:
			put_items(w, wk->f->names[pf->at], &c->items[pf->at]);
			break;
		}
	}
	jsonw_obj_end(w);
}

int
feature_write_partial(
    struct feature *f, FILE *fp, const char *name, struct ci_err *e)
{
	const struct sortkey *k;
	struct buf            out = { 0 };
	struct jsonw          w;
	size_t                at[MAX_WORKERS] = { 0 };
	int rc = finish(f, REC_FMT_NDJSON, NULL, 0, f->o.asof, e);

	jsonw_init(&w, &out, 0);
	jsonw_obj_begin(&w);
	put_options(f, &w);
	jsonw_obj_end(&w);
	buf_addc(&out, '\n');
	while (rc == 0) {
		if ((k = next_sorted(f, at)) != NULL) {
			buf_add(&out, k->row, k->rowlen);
			if (out.len < 1 << 16)
				continue;
		}
		if (fwrite(out.data, 1, out.len, fp) != out.len)
			rc = ci_err_set(e, CI_EXIT_IO, name, 0,
			    "write error: %s", strerror(errno));
		buf_reset(&out);
		if (k == NULL)
			break;
	}
	buf_release(&out);
	return rc;
}

/* Whether j is an integer in [lo, hi], then in *v. */
static bool
get_int(json_t *j, int64_t lo, int64_t hi, int64_t *v)
{
	if (!json_is_integer(j))
		return false;
	*v = json_integer_value(j);
	return *v >= lo && *v <= hi;
}

/* Take the options of f from a partial's header object h. */
static int
adopt_options(struct feature *f, json_t *h, const char *path,
    unsigned long line, struct ci_err *e)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, NULL };
	struct tp_result t;
	json_t          *asof = json_object_get(h, "asof");
	json_t          *wins = json_object_get(h, "windows");
	json_t          *zone = json_object_get(h, "tz");
	json_t          *chans = json_object_get(h, "channels");
	const char      *why;
	int64_t          v;
	size_t           i;

	if (!json_is_string(asof) ||
	    timeparse(json_string_value(asof), json_string_length(asof), &tp,
	        &t, &why) < 0 ||
	    !get_int(json_object_get(h, "unit_days"), 1, 7, &v) ||
	    (v != 1 && v != 7) || !json_is_array(wins) ||
	    json_array_size(wins) > FEATURE_MAX_WINDOWS ||
	    !json_is_string(zone) ||
	    !(json_is_null(chans) || json_is_array(chans)))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad options in the partial state's header");
	f->o.has_asof = true;
	f->o.asof = t.utc;
	f->o.unit_days = (int)v;
	f->o.nwindows = json_array_size(wins);
	for (i = 0; i < f->o.nwindows; i++) {
		json_t *w = json_array_get(wins, i);

		if (!json_is_integer(w) || json_integer_value(w) < 1 ||
		    json_integer_value(w) > 36500)
			return ci_err_set(e, CI_EXIT_DATA, path, line,
			    "bad windows in the partial state's header");
		f->o.windows[i] = (uint32_t)json_integer_value(w);
	}
	if (!get_int(json_object_get(h, "label_window"), 0, INT64_MAX / 2,
	        &f->o.label_window))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad label window in the partial state's header");
	if ((f->own_tz = tz_load(json_string_value(zone), e)) == NULL)
		return ci_err_set(e, CI_EXIT_DATA, path, line, "%s",
		    "bad zone "
		    "in the partial state's header");
	f->o.tz = f->own_tz;
	if (json_is_array(chans)) {
		f->o.nchannels = json_array_size(chans);
		f->own_channels =
		    xcalloc(f->o.nchannels + 1, sizeof(*f->own_channels));
		for (i = 0; i < f->o.nchannels; i++) {
			json_t *c = json_array_get(chans, i);

			if (!json_is_string(c))
				return ci_err_set(e, CI_EXIT_DATA, path, line,
				    "bad channels in the partial state's "
				    "header");
			f->own_channels[i] = xstrdup(json_string_value(c));
		}
		f->o.channels = f->own_channels;
	}
	f->adopted = true;
	return 0;
}

/* Check that the partial's options (header object h) are f's. */
static int
check_options(struct feature *f, json_t *h, const char *path,
    unsigned long line, struct ci_err *e)
{
	struct buf   b = { 0 };
	struct jsonw w;
	json_t      *mine;
	int          same;

	jsonw_init(&w, &b, 0);
	jsonw_obj_begin(&w);
	put_options(f, &w);
	jsonw_obj_end(&w);
	mine = json_loadb(b.data, b.len, 0, NULL);
	buf_release(&b);
	same = mine != NULL && json_equal(mine, h);
	json_decref(mine);
	if (!same)
		return ci_err_set(e, CI_EXIT_USAGE, path, line,
		    "partial state made with other options (asof, unit, "
		    "windows, label window, zone or channels) than the first");
	return 0;
}

/*
 * A customer line of a partial state as checked by read_field(), field by
 * field, on its way to a record.
 */
struct pstate {
	json_t        *key;
	json_t        *last; /* an integer, or null */
	bool           label;
	struct service svc;
	bool           service; /* svc counts anything */
	json_t        *days;
	json_t        *items[ITEMS];
	size_t         nitems;
	size_t         size; /* the most bytes its days and items take */
};

/* Check the days (the value of "days"), adding their size to *size. */
static bool
read_days(json_t *days, size_t *size)
{
	/* The range of day, orders, events and spend. */
	static const int64_t lo[4] = { INT32_MIN, 0, 0, INT64_MIN };
	static const int64_t hi[4] = { INT32_MAX, UINT32_MAX, UINT32_MAX,
		INT64_MAX };
	json_t              *d;
	int64_t              v;
	size_t               k, j;

	if (!json_is_array(days))
		return false;
	for (k = 0; k < json_array_size(days); k++) {
		d = json_array_get(days, k);
		if (!json_is_array(d) || json_array_size(d) != 4)
			return false;
		for (j = 0; j < 4; j++)
			if (!get_int(json_array_get(d, j), lo[j], hi[j], &v))
				return false;
	}
	*size += json_array_size(days) * 40;
	return true;
}

/* Check the items of field pf (an object of names), counting them in s. */
static bool
read_items(const struct pfield *pf, json_t *items, struct pstate *s)
{
	const char *name;
	void       *it;
	int64_t     v;

	if (!json_is_object(items))
		return false;
	for (it = json_object_iter(items); it != NULL;
	     it = json_object_iter_next(items, it)) {
		name = json_object_iter_key(it);
		if (!get_int(
		        json_object_iter_value(it), pf->min, pf->max, &v) ||
		    name[0] == '\0')
			return false;
		s->size += 31 + strlen(name);
		s->nitems++;
	}
	s->items[pf->at] = items;
	return true;
}

/* Check the value j of field pf into *s; false when it is malformed. */
static bool
read_field(const struct pfield *pf, json_t *j, struct pstate *s)
{
	int64_t v;

	switch (pf->kind) {
	case PF_KEY:
		s->key = j;
		return json_is_string(j) && json_string_length(j) > 0;
	case PF_LAST:
		s->last = j;
		return json_is_integer(j) || json_is_null(j);
	case PF_LABEL:
		s->label = json_is_true(j);
		return true;
	case PF_COUNT:
	case PF_SUM:
		if (!get_int(j, pf->min, pf->max, &v))
			return false;
		service_add(&s->svc, pf, v);
		s->service |= v != 0;
		return true;
	case PF_DAYS:
		s->days = j;
		return read_days(j, &s->size);
	case PF_ITEMS:
		return read_items(pf, j, s);
	}
	return false;
}

/* Encode the days (checked by read_days()) at p. */
static char *
put_days_rec(char *p, json_t *days)
{
	json_t *d;
	size_t  k;

	p = put_uv(p, json_array_size(days));
	for (k = 0; k < json_array_size(days); k++) {
		d = json_array_get(days, k);
		p = put_sv(p, json_integer_value(json_array_get(d, 0)));
		p = put_uv(
		    p, (uint64_t)json_integer_value(json_array_get(d, 1)));
		p = put_uv(
		    p, (uint64_t)json_integer_value(json_array_get(d, 2)));
		p = put_sv(p, json_integer_value(json_array_get(d, 3)));
	}
	return p;
}

/* Encode the items of kind (checked by read_items()) at p. */
static char *
put_items_rec(struct feature *f, char *p, json_t *items, enum item kind)
{
	const char *name;
	void       *it;

	for (it = json_object_iter(items); it != NULL;
	     it = json_object_iter_next(items, it)) {
		name = json_object_iter_key(it);
		p = put_uv(p, kind);
		p = put_uv(p,
		    (uint64_t)json_integer_value(json_object_iter_value(it)));
		p = put_uv(
		    p, hmap_intern(f->names[kind], name, strlen(name), NULL));
	}
	return p;
}

/*
 * Check one customer line of a partial state and send it as a record:
 * 0, 1 when it is malformed, or -1 with *e when the record cannot be
 * kept.
 */
static int
merge_customer(struct feature *f, json_t *o, struct ci_err *e)
{
	const struct pfield *pf;
	struct pstate        s = { 0 };
	const char          *key;
	size_t               len, k;
	char                *p, *flags;
	uint64_t             h;

	for (pf = pfields; pf < pfields + NPFIELDS; pf++)
		if (!read_field(pf, json_object_get(o, pf->name), &s))
			return 1;

	key = json_string_value(s.key);
	len = json_string_length(s.key);
	h = hmap_hash(key, len);
	if ((p = rec_begin(f, key, len, h, s.size, e)) == NULL)
		return -1;
	flags = p++;
	*flags = 0;
	if (json_is_integer(s.last)) {
		*flags |= REC_LAST;
		p = put_sv(p, json_integer_value(s.last));
		if (json_integer_value(s.last) > f->latest)
			f->latest = json_integer_value(s.last);
	}
	if (s.label)
		*flags |= REC_LABEL;
	if (s.service) {
		*flags |= REC_SERVICE;
		p = put_service(p, &s.svc);
	}
	p = put_days_rec(p, s.days);
	p = put_uv(p, s.nitems);
	for (k = 0; k < ITEMS; k++)
		p = put_items_rec(f, p, s.items[k], k);
	return rec_end(f, p, h);
}

int
feature_merge(struct feature *f, const char *path, struct ci_err *e)
{
	struct rdbuf *in = rdbuf_open(path, NULL, e);
	json_error_t  jerr;
	const char   *s;
	size_t        len, term;
	json_t       *o;
	int           rc;
	bool          header = true;

	if (in == NULL)
		return -1;
	/* Each line is a record of its own: without the mark, rdbuf would
	 * keep every line read, and refuse a file past RDBUF_MAX_RECORD. */
	for (rdbuf_mark(in); (rc = rdbuf_line(in, &s, &len, &term, e)) > 0;
	     rdbuf_mark(in)) {
		unsigned long line = rdbuf_lineno(in);

		o = json_loadb(s, len, 0, &jerr);
		if (o == NULL || !json_is_object(o)) {
			json_decref(o);
			rc = ci_err_set(e, CI_EXIT_DATA, path, line,
			    "not a partial state of ci-features");
			break;
		}
		if (json_object_get(o, "ci_features_partial") != NULL) {
			/* Concatenated partials repeat their header. */
			if (f->o.from_partials && !f->adopted)
				rc = adopt_options(f, o, path, line, e);
			else
				rc = check_options(f, o, path, line, e);
			header = false;
		} else if (header) {
			rc = ci_err_set(e, CI_EXIT_DATA, path, line,
			    "not a partial state of ci-features (made with "
			    "--partial)");
		} else if ((rc = merge_customer(f, o, e)) > 0) {
			rc = ci_err_set(e, CI_EXIT_DATA, path, line,
			    "malformed customer state");
		}
		json_decref(o);
		if (rc < 0)
			break;
	}
	if (rc == 0 && header)
		rc = ci_err_set(e, CI_EXIT_DATA, path, 0,
		    "empty file: not a partial state of ci-features");
	rdbuf_free(in);
	return rc < 0 ? -1 : 0;
}

/* Free what w holds. */
static void
worker_release(struct worker *w)
{
	size_t i;

	reset_partition(w);
	free(w->cs);
	recout_close(w->sink.rows, NULL);
	buf_release(&w->sink.text);
	buf_release(&w->keys);
	buf_release(&w->rd);
	buf_release(&w->scratch);
	for (i = 0; i < w->ntext; i++)
		free(w->text[i]);
	free(w->text);
	if (w->textmap != NULL)
		munmap(w->textmap, w->textlen);
	if (w->textfd >= 0)
		close(w->textfd);
	free(w->order);
	pool_release(&w->pool);
}

void
feature_free(struct feature *f)
{
	size_t i, k;

	if (f == NULL)
		return;
	for (i = 0; i < f->nworkers; i++)
		worker_release(&f->workers[i]);
	free(f->workers);
	for (i = 0; i < f->nsrc; i++) {
		spill_free(f->src[i].spill);
		for (k = 0; k < ITEMS; k++)
			free(f->src[i].remap[k]);
	}
	free(f->src);

	hmap_release(&f->products);
	hmap_release(&f->categories);
	hmap_release(&f->channels);
	for (i = 0; i < f->ncols; i++)
		free(f->cols[i]);
	free(f->cols);
	free(f->chan_cols);
	tz_free(f->own_tz);
	for (i = 0; i < f->o.nchannels && f->own_channels != NULL; i++)
		free(f->own_channels[i]);
	free(f->own_channels);
	free(f);
}

/* Reading events: each input's columns, and the format of the first. */
struct reading {
	struct feature     *f;
	struct feature_cols c;
	enum rec_fmt       *fmt;
};

static int
read_open(void *ctx, struct recin *r, size_t i, struct ci_err *e)
{
	struct reading *g = ctx;

	if (i == 0)
		*g->fmt = recin_format(r);
	return feature_bind(r, &g->c, e);
}

static enum rec_status
read_row(void *ctx, const struct rec *rec, const char *file, struct ci_err *e)
{
	struct reading *g = ctx;

	return feature_add(g->f, &g->c, rec, file, e) < 0 ? REC_BAD : REC_ROW;
}

/* A reading of a part of a large file, on another thread. */
static void *
read_fork(void *ctx)
{
	struct reading *g = ctx, *part = xmalloc(sizeof(*part));

	*part = *g;
	part->f = feature_fork(g->f);
	return part;
}

/*
 * The events keep no line numbers, so the join has no use for lines; the
 * parameter is the reader contract's.
 */
static void
read_join(void *ctx, void *part, unsigned long lines)
{
	struct reading *g = ctx, *p = part;

	(void)lines;
	feature_join(g->f, p->f);
	free(p);
}

static void
read_drop(void *part)
{
	struct reading *p = part;

	feature_free(p->f);
	free(p);
}

int
feature_read(struct feature *f, const struct parread_files *in,
    struct rejects *rj, uint64_t *rows, enum rec_fmt *fmt, struct ci_err *e)
{
	struct reading              g = { f, { 0 }, fmt };
	const struct parread_reader rd = { .open = read_open,
		.row = read_row,
		.ctx = &g,
		.fork = read_fork,
		.join = read_join,
		.drop = read_drop };

	return parread_files(in, &rd, rj, rows, e);
}
