/*
 * feature: the customer state, its update per event, the table of the
 * output columns, the derivation of the feature row at the point in time,
 * and partial states.
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
 * customer's state is three lists and a set: its days with events (order
 * lines, events, spend), its days with service events (refunds, tickets,
 * complaints, ratings), its orders (an entry per order id, day, channel
 * and category, counting lines; the lines without an order id, each an
 * order, in entries of no order id) and its products.  The day lists are
 * sorted by day and searched; a new day is inserted in place, which costs
 * at most one move per distinct day.  The order list is appended to, the
 * lines of an order merging as they come one after another (and entries of
 * no order id, when the list fills, by sorting it); an order whose lines
 * came apart is put together when its row is made.  Money is integer amount units
 * (1/10000) throughout, ratings too, so every sum is exact and
 * independent of the order of the events: a record whose count or sum
 * would pass its type continues in another record of the same day (or
 * order entry), and the rows sum the records in 64-bit counts and 128-bit
 * money, which no input can overflow.
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
#include "keysort.h"
#include "numfmt.h"
#include "parread.h"
#include "pool.h"
#include "rdbuf.h"
#include "recin.h"
#include "recout.h"
#include "senti.h"
#include "spill.h"
#include "timeparse.h"
#include "tmpfd.h"
#include "topics.h"
#include "u32map.h"
#include "xalloc.h"

#define DAY 86400
#define NO_TIME INT64_MIN

/* Number of 30-day blocks of the volatility features. */
#define MONTHS 12

/* The version of the partial state's format (its header says it). */
#define PARTIAL_VERSION 3

enum etype { ET_ORDER, ET_REFUND, ET_TICKET, ET_COMPLAINT, ET_OTHER };

/*
 * One day with events of one customer, in 16 bytes since there is one per
 * active day of every customer of a partition.  A day whose counts would
 * pass UINT16_MAX, or whose spend would pass int64, continues in another
 * record for the same day, so sums stay exact.
 */
struct dayrec {
	int64_t  spend;  /* order amounts, units */
	int32_t  day;    /* local days since 1970-01-01 */
	uint16_t lines;  /* order lines */
	uint16_t events; /* of any type */
};

/*
 * One day with service events of one customer (most customers have none),
 * continued in another record of the day as a dayrec is.
 */
struct svcday {
	int64_t  refund_amount; /* units, absolute values */
	int64_t  rating_sum;    /* ratings, 1/10000 units */
	int64_t  senti_sum;     /* sentiment scores, 1/1000 units */
	int32_t  day;
	uint32_t refunds;
	uint32_t tickets;
	uint32_t complaints;
	uint32_t ratings;
	uint32_t texts;     /* events with a sentiment score */
	uint32_t negatives; /* of them, those at or below SENTI_NEGATIVE */
};

/*
 * The fields of a service day, in the order the records and the partial
 * state's "service" entries (after the day) hold them: a count (uint32_t)
 * or a sum (int64_t) at offset at of struct svcday, and the values a
 * reader of partial states takes.  The encoders, decoders and the
 * overflow checks all walk this table.
 */
struct sfield {
	size_t  at;
	bool    sum;
	int64_t min, max;
};

#define SD(m) offsetof(struct svcday, m)

static const struct sfield sfields[] = {
	{ SD(refunds), false, 0, UINT32_MAX },
	{ SD(refund_amount), true, 0, INT64_MAX },
	{ SD(tickets), false, 0, UINT32_MAX },
	{ SD(complaints), false, 0, UINT32_MAX },
	{ SD(ratings), false, 0, UINT32_MAX },
	{ SD(rating_sum), true, INT64_MIN, INT64_MAX },
	{ SD(texts), false, 0, UINT32_MAX },
	{ SD(senti_sum), true, INT64_MIN, INT64_MAX },
	{ SD(negatives), false, 0, UINT32_MAX },
};

#define NSFIELDS (sizeof(sfields) / sizeof(sfields[0]))

/*
 * Order lines of one customer with the same order id, day, channel and
 * category.  The order id is its bytes, kept in the worker's arena at
 * offset at (NO_ORDER: none, the lines are orders by themselves), and 32
 * bits of their hash, which settle most comparisons; channels and
 * categories are ids of the accumulator's item names plus one, 0 for none.
 */
struct oline {
	uint32_t key; /* hash of the order id; 0 with none */
	uint32_t at;  /* where the order id is in the worker's arena */
	int32_t  day;
	uint32_t channel;
	uint32_t category;
	uint32_t lines;
};

#define NO_ORDER UINT32_MAX

/*
 * The key of a day and a topic (its index in the topic dictionary) in a
 * customer's counts of negative texts by topic: the day plus NT_DAY0 in
 * 26 bits (2^25 days either way of 1970: any day of a four-digit year),
 * the topic in 6.  The counts are 32 bits: a customer would need more
 * than four billion negative texts of one topic in one day to pass them.
 */
#define NT_DAY0 (1 << 25)
#define NT_KEY(day, t) ((uint32_t)((day) + NT_DAY0) << 6 | (uint32_t)(t))
#define NT_DAY(key) ((int32_t)((key) >> 6) - NT_DAY0)
#define NT_TOPIC(key) ((key)&63)

/* The items of an order line: its product, category and channel. */
enum item { IT_PRODUCT, IT_CATEGORY, IT_CHANNEL, ITEMS };

struct cust {
	int64_t        last_event; /* NO_TIME: none at or before asof */
	struct dayrec *days;       /* sorted by day */
	struct svcday *svc;        /* sorted by day */
	struct oline  *ol;
	uint32_t       ndays;
	uint32_t       capdays;
	uint32_t       nsvc;
	uint32_t       capsvc;
	uint32_t       nol;
	uint32_t       capol;
	struct u32map  products;  /* product ids */
	struct u32map  negtopics; /* NT_KEY(day, topic): negative texts */
	bool           label;     /* an order in (asof, asof + window] */
	bool           anon;      /* an order entry of no order id */
};

/*
 * The partial state of a customer (feature_write_partial) is a JSON object
 * of the fields of pfields, in its order.  The writer (put_customer) and
 * the reader (feature_merge) walk this table, so a field is listed here
 * and nowhere else.  Its kind says what it holds and how two states merge:
 */
enum pkind {
	PF_KEY,      /* the customer_id of the state */
	PF_LAST,     /* last_event, null for NO_TIME: the later wins */
	PF_LABEL,    /* label, a JSON boolean: true if either is */
	PF_DAYS,     /* [[day, lines, events, spend], ...]: summed by day */
	PF_SERVICE,  /* [[day, the fields of sfields], ...]: summed by day */
	PF_ORDERS,   /* [[order_id, day, channel, category, lines], ...], the
	               names or null: lines summed by the rest */
	PF_PRODUCTS, /* ["name", ...]: the union */
	PF_NEGTOPICS /* [[day, topic, count], ...], the topic by its index in
	                the header's "topics": summed by day and topic */
};

struct pfield {
	const char *name;
	enum pkind  kind;
};

static const struct pfield pfields[] = {
	{ "customer_id", PF_KEY },
	{ "last_event", PF_LAST },
	{ "label", PF_LABEL },
	{ "days", PF_DAYS },
	{ "service", PF_SERVICE },
	{ "orders", PF_ORDERS },
	{ "products", PF_PRODUCTS },
	{ "neg_topics", PF_NEGTOPICS },
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
 *   then, for one event (REC_EVENT), whose day is that of its last event:
 *   [the fields of sfields, in order]     with REC_SERVICE
 *   [amount, order id length and bytes,   with REC_ORDER
 *    then for each enum item its id + 1,
 *    or 0 for none]
 *   [topic count, then each topic's index] with REC_TOPICS
 *   or else (a merged state):
 *   day count, then per day: day, lines, events, spend
 *   service day count, then per day: day, the fields of sfields
 *   order count, then per entry: order id length and bytes, day,
 *     channel id + 1, category id + 1, lines
 *   product count, then per product: its id
 *   negative-topic count, then per entry: NT_KEY, count
 *
 * Item ids are those of the names of their kind, interned while reading,
 * so that the second pass only reads them.  Order ids travel as bytes,
 * which the worker that builds the partition keeps in an arena with 32
 * bits of their hash: no table of every order id is ever built.
 */
enum {
	REC_LAST = 1,
	REC_LABEL = 2,
	REC_SERVICE = 4,
	REC_EVENT = 8,
	REC_ORDER = 16,
	REC_TOPICS = 32
};

/* The most bytes a record takes besides its key, order id and, for a
 * merged state, its lists (a varint takes 10 bytes at most). */
#define REC_FIXED \
	(10 + 1 + 10 + NSFIELDS * 10 + 10 + 10 + ITEMS * 10 + 40 + 10 + \
	    TOPICS_MAX * 2)

/* The most bytes one entry of each list of a merged state takes. */
#define REC_DAY 40
#define REC_SVCDAY (10 + NSFIELDS * 10)
#define REC_ORDER_ENTRY 50
#define REC_PRODUCT 10
#define REC_NEGTOPIC 20

/*
 * A customer to sort: the first 8 bytes of its key, big-endian, its key
 * (in a worker's keys) and its formatted row or partial state (in a
 * worker's text file; row is its offset there until finish() maps it).
 */
struct sortkey {
	uint64_t    prefix; /* first, for keysort() */
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
 * The orders of one customer by item (channel or category, enum tally),
 * in arrays indexed by the item's id: the count, the order (run) that
 * last counted it, so that an order counts an item once however many of
 * its lines have it, and the items counted, to find the top one and to
 * clear the counts.
 */
enum tally { TALLY_CHANNEL, TALLY_CATEGORY, TALLIES };

struct tallies {
	uint64_t *count[TALLIES];
	uint64_t *stamp[TALLIES];
	uint32_t *seen[TALLIES];
	size_t    nseen[TALLIES];
	size_t    size[TALLIES]; /* ids the arrays hold */
	uint64_t  run;           /* orders (runs) counted so far */
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
	struct pool           pool;  /* customers' lists and product sets */
	struct hmap           ids;   /* customer_id -> index into cs */
	struct buf            arena; /* the partition's order ids, each a
	                                 uint32_t length and its bytes */
	uint32_t             *seen;  /* a table of order entries (index +
	                                 1), zero between customers */
	size_t                capseen;
	struct cust          *cs;
	size_t                capcs;
	struct buf            keys;    /* the partition's keys */
	struct buf            rd;      /* blocks read from the spill file */
	struct buf            scratch; /* a name being written */
	struct tallies        tally;
	char                **text; /* chunks holding the keys formatted */
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

/* An output column: its entry in coldefs (and its id, at hand) and its
 * window or channel. */
struct outcol {
	const struct coldef *def;
	unsigned             id;  /* def->id */
	uint32_t             arg; /* window index, or channel id */
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
	char     **own_topics;
	bool       sentiment; /* an input had the column sentiment */
	/* output */
	char         **cols;
	struct outcol *outcols;
	size_t         ncols;
};

/* ------------------------------------------------------ the columns */

/*
 * The output columns, in order: this table is the one list of them.  It
 * makes the header (feature_columns), says which value each row writes in
 * each column (write_row walks the columns it made), and is what
 * feature_describe() prints; ci-features(1) has the same table, and a test
 * compares the two.  A name or definition may hold "<n>", the length of a
 * window, and a unit "<unit>", that of --unit; the columns of a set other
 * than CS_ONE are written for each window, each channel, or with a label
 * window only.  Consecutive CS_WINDOW columns are repeated together, window
 * after window.
 */
enum colid {
	C_CUSTOMER_ID,
	C_RECENCY,
	C_ORDERS,
	C_ORDER_LINES,
	C_PURCHASE_DAYS,
	C_MONETARY_TOTAL,
	C_MONETARY_AVG,
	C_FIRST_ORDER,
	C_LAST_ORDER,
	C_TENURE,
	C_X,
	C_T_X,
	C_T,
	C_REPEAT_VALUE,
	C_ORDERS_WINDOW,
	C_SPEND_WINDOW,
	C_SPEND_PREV_90D,
	C_SPEND_TREND,
	C_SPEND_CV_3M,
	C_SPEND_CV_12M,
	C_GAP_MEAN,
	C_GAP_SD,
	C_LAST_GAP,
	C_DISTINCT_PRODUCTS,
	C_DISTINCT_CATEGORIES,
	C_TOP_CATEGORY,
	C_TOP_CHANNEL,
	C_SHARE,
	C_REFUNDS,
	C_REFUND_AMOUNT,
	C_NET_SPEND,
	C_NET_SPEND_365D,
	C_REFUND_RATE,
	C_TICKETS,
	C_TICKETS_30D,
	C_TICKETS_90D,
	C_COMPLAINTS,
	C_COMPLAINTS_90D,
	C_DAYS_SINCE_COMPLAINT,
	C_RATING_MEAN,
	C_RATING_MEAN_90D,
	C_RATING_TREND,
	C_SENTIMENT_MEAN_90D,
	C_NEGATIVE_TEXTS_90D,
	C_LAST_SENTIMENT,
	C_NEG_TOPIC,
	C_DAYS_SINCE_EVENT,
	C_EVENTS_30D,
	C_EVENTS_PREV_30D,
	C_UNIT,
	C_LABEL
};

enum colset { CS_ONE, CS_WINDOW, CS_CHANNEL, CS_LABEL, CS_SENTI, CS_TOPIC };

struct coldef {
	const char *name;
	enum colid  id;
	enum colset set;
	const char *unit;
	const char *def;
	const char *empty; /* when the column is empty; NULL: never */
};

static const struct coldef coldefs[] = {
	{ "customer_id", C_CUSTOMER_ID, CS_ONE, "id",
	    "the customer's key, as in the input", NULL },
	{ "recency_days", C_RECENCY, CS_ONE, "days",
	    "days from the last order to the point in time", "no order" },
	{ "orders", C_ORDERS, CS_ONE, "count",
	    "orders: the lines of one order share its order_id, and a line "
	    "without an order_id is an order by itself",
	    NULL },
	{ "order_lines", C_ORDER_LINES, CS_ONE, "count",
	    "order events (lines), whatever their order_id", NULL },
	{ "purchase_days", C_PURCHASE_DAYS, CS_ONE, "count",
	    "distinct days with an order line", NULL },
	{ "monetary_total", C_MONETARY_TOTAL, CS_ONE, "money",
	    "the sum of the amounts of the order lines, gross: refunds are "
	    "not deducted",
	    NULL },
	{ "monetary_avg", C_MONETARY_AVG, CS_ONE, "money",
	    "monetary_total per order, the average order value", "no order" },
	{ "first_order", C_FIRST_ORDER, CS_ONE, "date",
	    "the day of the first order line, YYYY-MM-DD", "no order" },
	{ "last_order", C_LAST_ORDER, CS_ONE, "date",
	    "the day of the last order line, YYYY-MM-DD", "no order" },
	{ "tenure_days", C_TENURE, CS_ONE, "days",
	    "days from the first order to the point in time", "no order" },
	{ "x", C_X, CS_ONE, "count", "repeat purchase days: purchase_days - 1",
	    "no order" },
	{ "t_x", C_T_X, CS_ONE, "<unit>",
	    "from the first to the last purchase day", "no order" },
	{ "T", C_T, CS_ONE, "<unit>",
	    "from the first purchase day to the point in time", "no order" },
	{ "repeat_value", C_REPEAT_VALUE, CS_ONE, "money",
	    "the mean spend per repeat purchase day (the first purchase day "
	    "left out, the lines of one day summed)",
	    "x is 0" },
	{ "orders_<n>d", C_ORDERS_WINDOW, CS_WINDOW, "count",
	    "orders with a line in the last <n> days", NULL },
	{ "spend_<n>d", C_SPEND_WINDOW, CS_WINDOW, "money",
	    "the amounts of the order lines of the last <n> days", NULL },
	{ "spend_prev_90d", C_SPEND_PREV_90D, CS_ONE, "money",
	    "the amounts of the order lines of the 90 days before the last 90",
	    NULL },
	{ "spend_trend", C_SPEND_TREND, CS_ONE, "ratio",
	    "spend in the last 90 days over spend_prev_90d",
	    "spend_prev_90d is 0" },
	{ "spend_cv_3m", C_SPEND_CV_3M, CS_ONE, "ratio",
	    "coefficient of variation (population standard deviation over "
	    "mean) of the spend in the last 3 whole 30-day blocks before the "
	    "point in time that lie within the tenure",
	    "below 2 purchase days or 2 whole blocks, or a mean not above 0" },
	{ "spend_cv_12m", C_SPEND_CV_12M, CS_ONE, "ratio",
	    "the same over the last 12 whole 30-day blocks", "as spend_cv_3m" },
	{ "gap_days_mean", C_GAP_MEAN, CS_ONE, "days",
	    "mean of the days between consecutive purchase days",
	    "below 2 purchase days" },
	{ "gap_days_sd", C_GAP_SD, CS_ONE, "days",
	    "sample standard deviation of the days between consecutive "
	    "purchase days",
	    "below 3 purchase days" },
	{ "days_between_last_two", C_LAST_GAP, CS_ONE, "days",
	    "days between the last two purchase days",
	    "below 2 purchase days" },
	{ "distinct_products", C_DISTINCT_PRODUCTS, CS_ONE, "count",
	    "distinct products ordered", NULL },
	{ "distinct_categories", C_DISTINCT_CATEGORIES, CS_ONE, "count",
	    "distinct categories ordered", NULL },
	{ "top_category", C_TOP_CATEGORY, CS_ONE, "text",
	    "the category in the most orders; ties go to the first in byte "
	    "order",
	    "no category" },
	{ "top_channel", C_TOP_CHANNEL, CS_ONE, "text",
	    "the channel of the most orders; ties go to the first in byte "
	    "order",
	    "no channel" },
	{ "share_<channel>", C_SHARE, CS_CHANNEL, "ratio",
	    "the share of the orders with a line through the channel: a "
	    "column for each channel of --channels, else for each seen on an "
	    "order, in byte order",
	    "no order" },
	{ "refunds", C_REFUNDS, CS_ONE, "count", "refund events", NULL },
	{ "refund_amount", C_REFUND_AMOUNT, CS_ONE, "money",
	    "the sum of the refunds' amounts, as absolute values", NULL },
	{ "net_spend", C_NET_SPEND, CS_ONE, "money",
	    "monetary_total minus refund_amount", NULL },
	{ "net_spend_365d", C_NET_SPEND_365D, CS_ONE, "money",
	    "the amounts of the order lines minus those of the refunds, of the "
	    "last 365 days",
	    NULL },
	{ "refund_rate", C_REFUND_RATE, CS_ONE, "ratio",
	    "refund_amount over monetary_total", "monetary_total not above 0" },
	{ "tickets", C_TICKETS, CS_ONE, "count", "events of type ticket",
	    NULL },
	{ "tickets_30d", C_TICKETS_30D, CS_ONE, "count",
	    "tickets in the last 30 days", NULL },
	{ "tickets_90d", C_TICKETS_90D, CS_ONE, "count",
	    "tickets in the last 90 days", NULL },
	{ "complaints", C_COMPLAINTS, CS_ONE, "count",
	    "events of type complaint", NULL },
	{ "complaints_90d", C_COMPLAINTS_90D, CS_ONE, "count",
	    "complaints in the last 90 days", NULL },
	{ "days_since_last_complaint", C_DAYS_SINCE_COMPLAINT, CS_ONE, "days",
	    "days from the last complaint to the point in time",
	    "no complaint" },
	{ "rating_mean", C_RATING_MEAN, CS_ONE, "rating",
	    "the mean of the ratings given, on events of any type",
	    "no rating" },
	{ "rating_mean_90d", C_RATING_MEAN_90D, CS_ONE, "rating",
	    "the mean of the ratings given in the last 90 days",
	    "no rating in them" },
	{ "rating_trend", C_RATING_TREND, CS_ONE, "rating",
	    "rating_mean_90d minus the mean of the ratings of the 90 days "
	    "before",
	    "no rating in either" },
	{ "sentiment_mean_90d", C_SENTIMENT_MEAN_90D, CS_SENTI, "score",
	    "the mean sentiment of the texts of the last 90 days (ci-ingest "
	    "--sentiment); this column and the next three only when the "
	    "events have a sentiment column",
	    "no scored text in them" },
	{ "negative_texts_90d", C_NEGATIVE_TEXTS_90D, CS_SENTI, "count",
	    "texts of the last 90 days with a sentiment of -0.3 or less",
	    NULL },
	{ "last_sentiment", C_LAST_SENTIMENT, CS_SENTI, "score",
	    "the mean sentiment of the texts of the last day with a scored "
	    "text",
	    "no scored text" },
	{ "neg_topic_<topic>_90d", C_NEG_TOPIC, CS_TOPIC, "count",
	    "negative texts of the last 90 days that name the topic (column "
	    "topics): a column for each topic of the dictionary (--topics), "
	    "in its order",
	    NULL },
	{ "days_since_last_event", C_DAYS_SINCE_EVENT, CS_ONE, "days",
	    "days from the last event of any type to the point in time", NULL },
	{ "events_30d", C_EVENTS_30D, CS_ONE, "count",
	    "events of any type in the last 30 days", NULL },
	{ "events_prev_30d", C_EVENTS_PREV_30D, CS_ONE, "count",
	    "events of any type in the 30 days before", NULL },
	{ "unit", C_UNIT, CS_ONE, "day or week",
	    "the time unit of x, t_x and T (--unit), which ci-score checks "
	    "against its model",
	    NULL },
	{ "label_active", C_LABEL, CS_LABEL, "0 or 1",
	    "1 when the customer places an order in (asof, asof + "
	    "--label-window], else 0; with --label-window only",
	    NULL },
};

#define NCOLDEFS (sizeof(coldefs) / sizeof(coldefs[0]))

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
	c->order_id = recin_find(r, "order_id");
	c->amount = recin_find(r, "amount");
	c->product_id = recin_find(r, "product_id");
	c->category = recin_find(r, "category");
	c->channel = recin_find(r, "channel");
	c->rating = recin_find(r, "rating");
	c->sentiment = recin_find(r, "sentiment");
	c->topics = recin_find(r, "topics");
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
	return (int32_t)tz_day(f->o.tz, utc);
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

/*
 * Make room for one more of the *n elements of size bytes at *a, of
 * capacity *cap, from pool: grown by half (most customers have a few).
 */
static void
pool_room(struct pool *pool, void *a, uint32_t n, uint32_t *cap, size_t size)
{
	void   **p = a;
	uint32_t c;

	if (n < *cap)
		return;
	c = *cap < 2 ? 2 : *cap + *cap / 2;
	if (c > UINT32_MAX / 2 / size)
		xalloc_fail(SIZE_MAX);
	*p = pool_grow(pool, *p, *cap * size, c * size);
	*cap = c;
}

/* Insert an empty record for day at position at of c's days. */
static struct dayrec *
insert_day(struct pool *pool, struct cust *c, uint32_t at, int32_t day)
{
	pool_room(pool, &c->days, c->ndays, &c->capdays, sizeof(*c->days));
	memmove(
	    &c->days[at + 1], &c->days[at], (c->ndays - at) * sizeof(*c->days));
	memset(&c->days[at], 0, sizeof(c->days[at]));
	c->days[at].day = day;
	c->ndays++;
	return &c->days[at];
}

/* Add order lines, events and spend to day in c's sorted day records. */
static void
day_add(struct pool *pool, struct cust *c, int32_t day, uint32_t lines,
    uint32_t events, int64_t spend)
{
	uint32_t       lo = 0, hi = c->ndays, mid, n;
	struct dayrec *d;
	int64_t        sum;

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
	if (__builtin_add_overflow(d->spend, spend, &sum)) {
		d = insert_day(pool, c, lo++, day);
		sum = spend;
	}
	d->spend = sum;
	for (;;) {
		n = UINT16_MAX - d->lines;
		n = lines < n ? lines : n;
		d->lines += (uint16_t)n;
		lines -= n;
		n = UINT16_MAX - d->events;
		n = events < n ? events : n;
		d->events += (uint16_t)n;
		events -= n;
		if (lines == 0 && events == 0)
			return;
		d = insert_day(pool, c, lo++, day);
	}
}

/* Whether every field of v can be added to those of d. */
static bool
svc_fits(const struct svcday *d, const struct svcday *v)
{
	const struct sfield *sf;
	int64_t              s;

	for (sf = sfields; sf < sfields + NSFIELDS; sf++) {
		const char *a = (const char *)d + sf->at;
		const char *b = (const char *)v + sf->at;

		if (sf->sum ? __builtin_add_overflow(
		                  *(const int64_t *)a, *(const int64_t *)b, &s)
		            : *(const uint32_t *)a >
		            UINT32_MAX - *(const uint32_t *)b)
			return false;
	}
	return true;
}

/* Add the service day v (its fields within their types) to c's. */
static void
svc_add(struct pool *pool, struct cust *c, const struct svcday *v)
{
	const struct sfield *sf;
	uint32_t             lo = 0, hi = c->nsvc, mid;
	struct svcday       *d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->svc[mid].day <= v->day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && c->svc[lo - 1].day == v->day &&
	    svc_fits(&c->svc[lo - 1], v)) {
		d = &c->svc[lo - 1];
		for (sf = sfields; sf < sfields + NSFIELDS; sf++) {
			char       *a = (char *)d + sf->at;
			const char *b = (const char *)v + sf->at;

			if (sf->sum)
				*(int64_t *)a += *(const int64_t *)b;
			else
				*(uint32_t *)a += *(const uint32_t *)b;
		}
		return;
	}
	pool_room(pool, &c->svc, c->nsvc, &c->capsvc, sizeof(*c->svc));
	memmove(&c->svc[lo + 1], &c->svc[lo], (c->nsvc - lo) * sizeof(*c->svc));
	c->svc[lo] = *v;
	c->nsvc++;
}

/* The order id of e, kept in arena. */
static inline const char *
order_bytes(const char *arena, const struct oline *e, uint32_t *len)
{
	memcpy(len, arena + e->at, sizeof(*len));
	return arena + e->at + sizeof(*len);
}

/* Whether a and b have the same order id (none being the same as none). */
static inline bool
same_order(const char *arena, const struct oline *a, const struct oline *b)
{
	const char *x, *y;
	uint32_t    lx, ly;

	if (a->key != b->key || (a->at == NO_ORDER) != (b->at == NO_ORDER))
		return false;
	if (a->at == NO_ORDER || a->at == b->at)
		return true;
	x = order_bytes(arena, a, &lx);
	y = order_bytes(arena, b, &ly);
	return lx == ly && memcmp(x, y, lx) == 0;
}

/*
 * Order entries by order (none first, then by key, then bytewise), day,
 * channel and category: an order's entries come together, by day.
 */
static int
cmp_oline(const void *x, const void *y, void *arena)
{
	const struct oline *a = x, *b = y;
	const char         *sa, *sb;
	uint32_t            la, lb;
	int                 c;

	if ((a->at == NO_ORDER) != (b->at == NO_ORDER))
		return a->at == NO_ORDER ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->at != NO_ORDER && a->at != b->at) {
		sa = order_bytes(arena, a, &la);
		sb = order_bytes(arena, b, &lb);
		if ((c = memcmp(sa, sb, la < lb ? la : lb)) != 0 ||
		    (c = (la > lb) - (la < lb)) != 0)
			return c;
	}
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->channel != b->channel)
		return a->channel < b->channel ? -1 : 1;
	if (a->category != b->category)
		return a->category < b->category ? -1 : 1;
	return 0;
}

/*
 * Sort the n order entries at o and merge the equal ones (while their
 * lines fit); returns how many are left.
 */
static uint32_t
compact_orders(const char *arena, struct oline *o, uint32_t n)
{
	uint32_t i, j, k;

	if (n <= 24) {
		for (i = 1; i < n; i++) {
			struct oline t = o[i];

			for (j = i; j > 0 &&
			     cmp_oline(&o[j - 1], &t, (void *)arena) > 0;
			     j--)
				o[j] = o[j - 1];
			o[j] = t;
		}
	} else {
		qsort_r(o, n, sizeof(*o), cmp_oline, (void *)arena);
	}
	for (i = 0, k = 0; i < n; i++) {
		if (k > 0 && cmp_oline(&o[k - 1], &o[i], (void *)arena) == 0 &&
		    o[k - 1].lines <= UINT32_MAX - o[i].lines)
			o[k - 1].lines += o[i].lines;
		else
			o[k++] = o[i];
	}
	return k;
}

/*
 * Add the order entry e to those of c.  The lines of an order mostly come
 * one after another, and merge as they come; entries of no order id, of
 * which there may be many alike, are merged when the list fills.  Other
 * entries of one order wait until the row to be found (see sum_orders).
 */
static void
order_add(struct worker *w, struct cust *c, const struct oline *e)
{
	struct oline *l = c->nol > 0 ? &c->ol[c->nol - 1] : NULL;

	if (l != NULL && l->day == e->day && l->channel == e->channel &&
	    l->category == e->category && same_order(w->arena.data, l, e) &&
	    l->lines <= UINT32_MAX - e->lines) {
		l->lines += e->lines;
		return;
	}
	c->anon |= e->at == NO_ORDER;
	if (c->nol == c->capol && c->capol >= 16 && c->anon) {
		/* Full: merge the equal entries, growing only when that
		 * leaves less than half free, so that each entry is sorted
		 * a few times at most. */
		c->nol = compact_orders(w->arena.data, c->ol, c->nol);
		if (c->nol <= c->capol / 2) {
			c->ol[c->nol++] = *e;
			return;
		}
	}
	if (c->nol == c->capol) {
		uint32_t cap = c->capol < 4 ? 4 : c->capol * 2;

		if (cap > UINT32_MAX / 2 / sizeof(*c->ol))
			xalloc_fail(SIZE_MAX);
		c->ol = pool_grow(&w->pool, c->ol, c->capol * sizeof(*c->ol),
		    cap * sizeof(*c->ol));
		c->capol = cap;
	}
	c->ol[c->nol++] = *e;
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

/*
 * Encode the fields of the service day s at p, in the order of sfields.
 * Unrolled (the kinds and offsets it reads are constants), the walk
 * compiles to the encoding one would write by hand, so the table costs
 * the events nothing.
 */
static char *
put_service(char *p, const struct svcday *s)
{
	const struct sfield *sf;

#pragma GCC unroll 8
	for (sf = sfields; sf < sfields + NSFIELDS; sf++) {
		const char *at = (const char *)s + sf->at;

		if (sf->sum)
			p = put_sv(p, *(const int64_t *)at);
		else
			p = put_uv(p, *(const uint32_t *)at);
	}
	return p;
}

/* Read the fields of a service day encoded at p into s; returns their
 * end.  Unrolled as put_service() is. */
static const char *
get_service(const char *p, struct svcday *s)
{
	const struct sfield *sf;
	uint64_t             u;
	int64_t              v;

#pragma GCC unroll 8
	for (sf = sfields; sf < sfields + NSFIELDS; sf++) {
		char *at = (char *)s + sf->at;

		if (sf->sum) {
			p = get_sv(p, &v);
			*(int64_t *)at = v;
		} else {
			p = get_uv(p, &u);
			*(uint32_t *)at = (uint32_t)u;
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

/*
 * Set the order id of e to the len bytes at s (none when len is 0), kept
 * in w's arena.
 */
static inline void
set_order(struct worker *w, struct oline *e, const char *s, uint64_t len)
{
	uint32_t n = (uint32_t)len;

	if (len == 0) {
		e->key = 0;
		e->at = NO_ORDER;
		return;
	}
	if (w->arena.len + sizeof(n) + len >= NO_ORDER)
		xalloc_fail(SIZE_MAX); /* 4 GiB of order ids in a partition */
	e->key = (uint32_t)hmap_hash(s, len);
	e->at = (uint32_t)w->arena.len;
	buf_add(&w->arena, (const char *)&n, sizeof(n));
	buf_add(&w->arena, s, len);
}

/* Apply the record at p, from source src, to its customer's state;
 * returns its end. */
static const char *
apply(struct worker *w, const struct source *src, const char *p)
{
	struct cust  *c;
	struct svcday sv;
	struct oline  o;
	const char   *key;
	uint64_t      len, n, id, u[4], flags;
	size_t        i;
	int64_t       v[2], last = NO_TIME;

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
	if (flags & REC_EVENT) {
		int32_t day = local_day(w->f, last);

		if (flags & REC_SERVICE) {
			p = get_service(p, &sv);
			sv.day = day;
			svc_add(&w->pool, c, &sv);
		}
		if (flags & REC_TOPICS) {
			for (p = get_uv(p, &n); n > 0; n--) {
				p = get_uv(p, &id);
				u32map_add(&c->negtopics, &w->pool,
				    NT_KEY(day, id), 1);
			}
		}
		if (!(flags & REC_ORDER)) {
			day_add(&w->pool, c, day, 0, 1, 0);
			return p;
		}
		p = get_sv(p, &v[1]);
		p = get_uv(p, &len);
		set_order(w, &o, p, len);
		p += len;
		p = get_uv(p, &u[IT_PRODUCT]);
		p = get_uv(p, &u[IT_CATEGORY]);
		p = get_uv(p, &u[IT_CHANNEL]);
		day_add(&w->pool, c, day, 1, 1, v[1]);
		o.day = day;
		o.category = u[IT_CATEGORY] == 0
		    ? 0
		    : 1 + item_id(src, IT_CATEGORY, u[IT_CATEGORY] - 1);
		o.channel = u[IT_CHANNEL] == 0
		    ? 0
		    : 1 + item_id(src, IT_CHANNEL, u[IT_CHANNEL] - 1);
		o.lines = 1;
		order_add(w, &w->cs[i], &o);
		if (u[IT_PRODUCT] > 0)
			u32map_add(&c->products, &w->pool,
			    item_id(src, IT_PRODUCT, u[IT_PRODUCT] - 1), 1);
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
		p = get_sv(p, &v[0]);
		p = get_service(p, &sv);
		sv.day = (int32_t)v[0];
		svc_add(&w->pool, c, &sv);
	}
	for (p = get_uv(p, &n); n > 0; n--) {
		p = get_uv(p, &len);
		set_order(w, &o, p, len);
		p += len;
		p = get_sv(p, &v[0]);
		p = get_uv(p, &u[0]);
		p = get_uv(p, &u[1]);
		p = get_uv(p, &u[2]);
		o.day = (int32_t)v[0];
		o.channel =
		    u[0] == 0 ? 0 : 1 + item_id(src, IT_CHANNEL, u[0] - 1);
		o.category =
		    u[1] == 0 ? 0 : 1 + item_id(src, IT_CATEGORY, u[1] - 1);
		o.lines = (uint32_t)u[2];
		order_add(w, &w->cs[i], &o);
	}
	for (p = get_uv(p, &n); n > 0; n--) {
		p = get_uv(p, &id);
		u32map_add(
		    &c->products, &w->pool, item_id(src, IT_PRODUCT, id), 1);
	}
	for (p = get_uv(p, &n); n > 0; n--) {
		p = get_uv(p, &id);
		p = get_uv(p, &u[0]);
		u32map_add(
		    &c->negtopics, &w->pool, (uint32_t)id, (uint32_t)u[0]);
	}
	return p;
}

/*
 * The indices in the topic dictionary of the topics named in the column
 * topics of rec ('|'-separated), each once, into t (*n of them).  Returns
 * 0, or -1 with (*s, *len) the column's value when a name is not in it.
 */
static int
topic_ids(const struct feature *f, const struct feature_cols *c,
    const struct rec *rec, uint32_t *t, size_t *n, const char **s, size_t *len)
{
	const char *p, *end, *bar;
	size_t      i, k;

	rec_field(rec, c->topics, s, len);
	for (p = *s, end = *s + *len; p < end; p = bar + 1) {
		bar = memchr(p, '|', (size_t)(end - p));
		if (bar == NULL)
			bar = end;
		if (bar == p)
			continue;
		for (i = 0; i < f->o.ntopics; i++)
			if (strlen(f->o.topics[i]) == (size_t)(bar - p) &&
			    memcmp(f->o.topics[i], p, (size_t)(bar - p)) == 0)
				break;
		if (i == f->o.ntopics)
			return -1;
		for (k = 0; k < *n && t[k] != i; k++)
			;
		if (k == *n)
			t[(*n)++] = (uint32_t)i;
	}
	return 0;
}

int
feature_add(struct feature *f, const struct feature_cols *c,
    const struct rec *rec, const char *file, struct ci_err *e)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, f->o.tz };
	struct tp_result t;
	struct amount    a = { 0, "", false };
	struct svcday    sv = { 0 };
	const char      *id, *s, *why, *item[ITEMS], *oid = NULL;
	size_t           idlen, len, ilen[ITEMS] = { 0 }, oidlen = 0, k;
	enum etype       type;
	int64_t          rating = 0, senti = 0;
	bool             has_rating = false, has_senti = false, after;
	uint32_t         topic[TOPICS_MAX];
	size_t           ntopic = 0;
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
	/* A refund counts as its absolute value, which must fit. */
	if (type == ET_REFUND && a.units == INT64_MIN)
		return bad(e, file, rec, "amount", s, len, "refund too large");
	rec_field(rec, c->rating, &s, &len);
	if (len > 0) {
		double r;

		if (!numfmt_parse(s, len, &r) || fabs(r) > 1e12)
			return bad(
			    e, file, rec, "rating", s, len, "not a number");
		rating = llround(r * 1e4);
		has_rating = true;
	}
	rec_field(rec, c->sentiment, &s, &len);
	if (len > 0) {
		double r;

		if (!numfmt_parse(s, len, &r) || !(fabs(r) <= 1))
			return bad(e, file, rec, "sentiment", s, len,
			    "not a number from -1 to 1");
		senti = llround(r * 1e3);
		has_senti = true;
	}
	if (has_senti && senti <= llround(SENTI_NEGATIVE * 1e3) &&
	    topic_ids(f, c, rec, topic, &ntopic, &s, &len) < 0)
		return bad(e, file, rec, "topics", s, len,
		    "a topic not in the topic dictionary (see --topics)");
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
		*p++ = 0; /* service days */
		*p++ = 0; /* orders */
		*p++ = 0; /* products */
		*p++ = 0; /* negative topics */
		return rec_end(f, p, h);
	}
	if (t.utc > f->latest)
		f->latest = t.utc;
	if (type == ET_ORDER) {
		rec_field(rec, c->order_id, &oid, &oidlen);
		rec_field(
		    rec, c->category, &item[IT_CATEGORY], &ilen[IT_CATEGORY]);
		rec_field(
		    rec, c->channel, &item[IT_CHANNEL], &ilen[IT_CHANNEL]);
	}
	if ((p = rec_begin(f, id, idlen, h, oidlen, e)) == NULL)
		return -1;
	flags = p++;
	*flags = REC_LAST | REC_EVENT | (type == ET_ORDER ? REC_ORDER : 0);
	p = put_sv(p, t.utc);
	if (type == ET_REFUND || type == ET_TICKET || type == ET_COMPLAINT ||
	    has_rating || has_senti) {
		*flags |= REC_SERVICE;
		sv.refunds = type == ET_REFUND;
		if (type == ET_REFUND)
			sv.refund_amount = a.units < 0 ? -a.units : a.units;
		sv.tickets = type == ET_TICKET;
		sv.complaints = type == ET_COMPLAINT;
		sv.ratings = has_rating;
		sv.rating_sum = rating;
		sv.texts = has_senti;
		sv.senti_sum = senti;
		sv.negatives =
		    has_senti && senti <= llround(SENTI_NEGATIVE * 1e3);
		p = put_service(p, &sv);
	}
	if (ntopic > 0) {
		*flags |= REC_TOPICS;
		p = put_uv(p, ntopic);
		for (k = 0; k < ntopic; k++)
			p = put_uv(p, topic[k]);
	}
	if (type == ET_ORDER) {
		p = put_sv(p, a.units);
		p = put_bytes(p, oid, oidlen);
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

/*
 * Append to b the text s with "<n>" replaced by the window n and "<unit>"
 * by that of --unit.
 */
static void
expand(struct buf *b, const char *s, uint32_t n, int unit_days)
{
	const char *lt;

	while ((lt = strchr(s, '<')) != NULL) {
		buf_add(b, s, (size_t)(lt - s));
		if (strncmp(lt, "<n>", 3) == 0) {
			buf_addf(b, "%" PRIu32, n);
			s = lt + 3;
		} else if (strncmp(lt, "<unit>", 6) == 0) {
			buf_addstr(b, unit_days == 1 ? "days" : "weeks");
			s = lt + 6;
		} else {
			buf_addc(b, '<');
			s = lt + 1;
		}
	}
	buf_addstr(b, s);
}

/* Add the column of def for window index or channel arg, named name. */
static void
add_col(
    struct feature *f, const struct coldef *def, uint32_t arg, const char *name)
{
	f->cols = xreallocarray(f->cols, f->ncols + 1, sizeof(*f->cols));
	f->outcols =
	    xreallocarray(f->outcols, f->ncols + 1, sizeof(*f->outcols));
	f->cols[f->ncols] = xstrdup(name);
	f->outcols[f->ncols++] = (struct outcol){ def, def->id, arg };
}

/*
 * Make f's columns from coldefs: the share columns for the channels of the
 * options, else for those seen, in byte order; with templates and neither,
 * one column share_<channel> that stands for them (for the description).
 */
static void
make_columns(struct feature *f, bool templates)
{
	const struct coldef *d, *end;
	struct buf           name = { 0 };
	uint32_t            *chans = NULL;
	size_t               i, j, nchans;

	if (f->o.channels != NULL) {
		nchans = f->o.nchannels;
		chans = xcalloc(nchans + 1, sizeof(*chans));
		for (i = 0; i < nchans; i++)
			chans[i] = (uint32_t)hmap_intern(&f->channels,
			    f->o.channels[i], strlen(f->o.channels[i]), NULL);
	} else {
		nchans = hmap_count(&f->channels);
		chans = xcalloc(nchans + 1, sizeof(*chans));
		for (i = 0; i < nchans; i++)
			chans[i] = (uint32_t)i;
		sort_ids(&f->channels, chans, nchans);
	}
	for (d = coldefs; d < coldefs + NCOLDEFS; d = end) {
		end = d + 1;
		switch (d->set) {
		case CS_ONE:
			add_col(f, d, 0, d->name);
			break;
		case CS_WINDOW:
			while (
			    end < coldefs + NCOLDEFS && end->set == CS_WINDOW)
				end++;
			for (i = 0; i < f->o.nwindows; i++) {
				for (j = 0; j < (size_t)(end - d); j++) {
					buf_reset(&name);
					expand(&name, d[j].name,
					    f->o.windows[i], f->o.unit_days);
					add_col(f, &d[j], (uint32_t)i,
					    buf_str(&name));
				}
			}
			break;
		case CS_CHANNEL:
			if (templates && f->o.channels == NULL) {
				add_col(f, d, UINT32_MAX, d->name);
				break;
			}
			for (i = 0; i < nchans; i++) {
				buf_reset(&name);
				buf_addstr(&name, "share_");
				buf_addstr(&name,
				    hmap_key(&f->channels, chans[i], NULL));
				add_col(f, d, chans[i], buf_str(&name));
			}
			break;
		case CS_LABEL:
			if (f->o.label_window > 0)
				add_col(f, d, 0, d->name);
			break;
		case CS_SENTI:
			if (templates || f->sentiment)
				add_col(f, d, 0, d->name);
			break;
		case CS_TOPIC:
			if (templates) {
				add_col(f, d, UINT32_MAX, d->name);
				break;
			}
			for (i = 0; f->sentiment && i < f->o.ntopics; i++) {
				buf_reset(&name);
				buf_addf(
				    &name, "neg_topic_%s_90d", f->o.topics[i]);
				add_col(f, d, (uint32_t)i, buf_str(&name));
			}
			break;
		}
	}
	buf_release(&name);
	free(chans);
}

size_t
feature_columns(struct feature *f, const char *const **cols)
{
	if (f->cols == NULL)
		make_columns(f, false);
	*cols = (const char *const *)f->cols;
	return f->ncols;
}

int
feature_describe(struct feature *f, struct recout *w, struct ci_err *e)
{
	const struct coldef *d;
	struct buf           b = { 0 };
	size_t               i;
	int                  rc = 0;

	if (f->cols == NULL)
		make_columns(f, true);
	for (i = 0; i < f->ncols && rc == 0; i++) {
		uint32_t n = 0;

		d = f->outcols[i].def;
		if (d->set == CS_WINDOW)
			n = f->o.windows[f->outcols[i].arg];
		recout_str(w, f->cols[i], strlen(f->cols[i]));
		buf_reset(&b);
		expand(&b, d->unit, n, f->o.unit_days);
		recout_str(w, b.data, b.len);
		buf_reset(&b);
		expand(&b, d->def, n, f->o.unit_days);
		if (d->empty != NULL)
			buf_addf(&b, " (empty: %s)", d->empty);
		recout_str(w, b.data, b.len);
		rc = recout_end(w, e);
	}
	buf_release(&b);
	return rc;
}

/* ---------------------------------------------------------------- rows */

/* One distinct day of a customer: its records summed. */
struct dayagg {
	int32_t  day;
	uint64_t lines;
	uint64_t events;
	__int128 spend;
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
		d->lines += c->days[*k].lines;
		d->events += c->days[*k].events;
		d->spend += c->days[*k].spend;
	}
	return true;
}

/* One distinct service day of a customer: its records summed. */
struct svcagg {
	int32_t  day;
	uint64_t count[NSFIELDS]; /* the counts of sfields, by index */
	__int128 sum[NSFIELDS];   /* its sums, by index */
};

/* The next distinct service day of c from record *k on. */
static bool
next_svc(const struct cust *c, uint32_t *k, struct svcagg *d)
{
	size_t j;

	if (*k >= c->nsvc)
		return false;
	memset(d, 0, sizeof(*d));
	d->day = c->svc[*k].day;
	for (; *k < c->nsvc && c->svc[*k].day == d->day; (*k)++) {
		for (j = 0; j < NSFIELDS; j++) {
			const char *at =
			    (const char *)&c->svc[*k] + sfields[j].at;

			if (sfields[j].sum)
				d->sum[j] += *(const int64_t *)at;
			else
				d->count[j] += *(const uint32_t *)at;
		}
	}
	return true;
}

/* The indices of the service fields in sfields. */
enum {
	SF_REFUNDS,
	SF_REFUND_AMOUNT,
	SF_TICKETS,
	SF_COMPLAINTS,
	SF_RATINGS,
	SF_RATING_SUM,
	SF_TEXTS,
	SF_SENTI_SUM,
	SF_NEGATIVES
};

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

/* Money in units, which may be a sum past int64. */
static void
put_money(struct recout *w, __int128 units)
{
	char   tmp[AMOUNT_WIDE_MAX];
	size_t n;

	if (units == 0) {
		/* Many money columns of many rows are 0. */
		recout_number(w, "0.00", 4);
		return;
	}
	n = amount_format_wide(tmp, units);
	/* No input has the 2^40 events of one customer it takes to pass
	 * NUMFMT_MAX digits; were it to, the text is still exact. */
	if (n <= NUMFMT_MAX)
		recout_number(w, tmp, n);
	else
		recout_str(w, tmp, n);
}

/* The double nearest v, without the slower 128-bit conversion for the v
 * that fit int64, the common case. */
static inline double
wide_double(__int128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX ? (double)(int64_t)v
	                                        : (double)v;
}

/* The double value of money in units. */
static inline double
money(__int128 units)
{
	return wide_double(units) / AMOUNT_SCALE;
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
 * the spend in the last nblocks 30-day blocks before asof, of the whole
 * blocks that lie within the customer's tenure; undefined with fewer than
 * two such blocks or a mean not above 0.
 */
static bool
spend_cv(const __int128 *block, int whole_blocks, int nblocks, double *cv)
{
	int    n = whole_blocks < nblocks ? whole_blocks : nblocks, i;
	double mean = 0, var = 0, v[MONTHS];

	if (n < 2)
		return false;
	for (i = 0; i < n; i++)
		mean += v[i] = money(block[i]);
	mean /= n;
	if (!(mean > 0))
		return false;
	for (i = 0; i < n; i++) {
		double d = v[i] - mean;

		var += d * d;
	}
	*cv = sqrt(var / n) / mean;
	return true;
}

/* What a customer's row is made of, from its state at asof. */
struct summary {
	int32_t  asof_day;
	int32_t  first, last, prev; /* purchase days: prev is the one before
	                               last */
	uint64_t pdays, lines, orders, ev30, ev60;
	__int128 spend, first_spend, s90, s180, s365;
	__int128 win_spend[FEATURE_MAX_WINDOWS];
	uint64_t win_orders[FEATURE_MAX_WINDOWS];
	__int128 block[MONTHS];
	double   gsum, gsq;
	uint64_t svc[NSFIELDS]; /* the counts of sfields */
	__int128 svcsum[NSFIELDS];
	uint64_t tickets30, tickets90, complaints90, ratings90, ratings180;
	__int128 refunds365, rating90, rating180;
	int32_t  last_complaint;
	bool     complained;
	uint64_t texts90, negatives90, last_texts;
	__int128 senti90, last_senti;
	uint64_t negtopic[TOPICS_MAX]; /* in the last 90 days, by topic */
	uint32_t top[2]; /* channel and category ids + 1; 0: none */
};

/* Sum the days of c into s. */
static void
sum_days(const struct feature *f, const struct cust *c, struct summary *s)
{
	struct dayagg d;
	uint32_t      k = 0;
	size_t        j;
	double        gap;

	while (next_day(c, &k, &d)) {
		int32_t age = s->asof_day - d.day;

		if (age < 30)
			s->ev30 += d.events;
		else if (age < 60)
			s->ev60 += d.events;
		if (d.lines == 0)
			continue;
		s->lines += d.lines;
		s->spend += d.spend;
		if (s->pdays == 0) {
			s->first = d.day;
			s->first_spend = d.spend;
		} else {
			gap = d.day - s->last;
			s->gsum += gap;
			s->gsq += gap * gap;
		}
		s->prev = s->last;
		s->last = d.day;
		s->pdays++;
		for (j = 0; j < f->o.nwindows; j++)
			if (age < (int32_t)f->o.windows[j])
				s->win_spend[j] += d.spend;
		if (age < 90)
			s->s90 += d.spend;
		else if (age < 180)
			s->s180 += d.spend;
		if (age < 365)
			s->s365 += d.spend;
		if (age >= 0 && age < 30 * MONTHS)
			s->block[age / 30] += d.spend;
	}
}

/* Sum the service days of c into s. */
static void
sum_service(const struct cust *c, struct summary *s)
{
	struct svcagg d;
	uint32_t      k = 0;
	size_t        j;

	while (next_svc(c, &k, &d)) {
		int32_t age = s->asof_day - d.day;

		for (j = 0; j < NSFIELDS; j++) {
			s->svc[j] += d.count[j];
			s->svcsum[j] += d.sum[j];
		}
		if (age < 365)
			s->refunds365 += d.sum[SF_REFUND_AMOUNT];
		if (age < 30)
			s->tickets30 += d.count[SF_TICKETS];
		if (age < 90) {
			s->tickets90 += d.count[SF_TICKETS];
			s->complaints90 += d.count[SF_COMPLAINTS];
			s->ratings90 += d.count[SF_RATINGS];
			s->rating90 += d.sum[SF_RATING_SUM];
		} else if (age < 180) {
			s->ratings180 += d.count[SF_RATINGS];
			s->rating180 += d.sum[SF_RATING_SUM];
		}
		if (d.count[SF_COMPLAINTS] > 0) {
			s->last_complaint = d.day;
			s->complained = true;
		}
		if (age < 90) {
			s->texts90 += d.count[SF_TEXTS];
			s->senti90 += d.sum[SF_SENTI_SUM];
			s->negatives90 += d.count[SF_NEGATIVES];
		}
		if (d.count[SF_TEXTS] > 0) {
			s->last_texts = d.count[SF_TEXTS];
			s->last_senti = d.sum[SF_SENTI_SUM];
		}
	}
}

/* Count c's negative texts of the last 90 days by topic into s. */
static void
sum_negtopics(const struct cust *c, struct summary *s)
{
	uint32_t pos = 0, key, n;

	while (u32map_next(&c->negtopics, &pos, &key, &n))
		if (s->asof_day - NT_DAY(key) < 90)
			s->negtopic[NT_TOPIC(key)] += n;
}

/* Make w's tallies hold the ids of the items seen (their number is
 * settled before the rows are written). */
static void
tally_init(struct worker *w)
{
	struct tallies *t = &w->tally;
	size_t          k, n;

	for (k = 0; k < TALLIES; k++) {
		n = hmap_count(
		    k == TALLY_CHANNEL ? &w->f->channels : &w->f->categories);
		t->count[k] = xcalloc(n + 1, sizeof(*t->count[k]));
		t->stamp[k] = xcalloc(n + 1, sizeof(*t->stamp[k]));
		t->seen[k] = xcalloc(n + 1, sizeof(*t->seen[k]));
		t->size[k] = n;
	}
}

/* Count n orders of item id + 1 (0: none) in tally k, once per run. */
static inline void
tally_add(struct tallies *t, int k, uint32_t id, uint64_t n)
{
	if (id-- == 0 || t->stamp[k][id] == t->run)
		return;
	t->stamp[k][id] = t->run;
	if (t->count[k][id] == 0)
		t->seen[k][t->nseen[k]++] = id;
	t->count[k][id] += n;
}

/* The item of tally k in the most orders, ties going to the first name,
 * as its id + 1; 0 with none. */
static uint32_t
tally_top(const struct tallies *t, int k, const struct hmap *names)
{
	uint32_t best = 0, id, top;
	size_t   i;

	for (i = 0; i < t->nseen[k]; i++) {
		id = t->seen[k][i];
		top = best - 1;
		if (best == 0 || t->count[k][id] > t->count[k][top] ||
		    (t->count[k][id] == t->count[k][top] &&
		        cmp_name(&id, &top, (void *)names) < 0))
			best = id + 1;
	}
	return best;
}

/* Clear the counts of the items tallied. */
static void
tally_clear(struct tallies *t)
{
	size_t k, i;

	for (k = 0; k < TALLIES; k++) {
		for (i = 0; i < t->nseen[k]; i++)
			t->count[k][t->seen[k][i]] = 0;
		t->nseen[k] = 0;
	}
}

/*
 * Whether an order id of c has several entries (lines on several days,
 * through several channels or of several categories, or apart in the
 * input), by a table of its entries that is empty again on return.
 */
static bool
has_repeat(struct worker *w, const struct cust *c)
{
	const char *arena = w->arena.data;
	size_t      size = 16, j;
	uint32_t    i, k, *t;
	bool        found = false;

	if (c->nol <= 8) {
		/* A few entries, most customers': compared pairwise. */
		for (i = 1; i < c->nol; i++)
			for (k = 0; k < i; k++)
				if (c->ol[i].at != NO_ORDER &&
				    same_order(arena, &c->ol[i], &c->ol[k]))
					return true;
		return false;
	}
	while (size < 2 * (size_t)c->nol)
		size *= 2;
	if (size > w->capseen) {
		free(w->seen);
		w->seen = xcalloc(size, sizeof(*w->seen));
		w->capseen = size;
	}
	t = w->seen;
	for (i = 0; i < c->nol && !found; i++) {
		const struct oline *o = &c->ol[i];

		if (o->at == NO_ORDER)
			continue;
		for (j = o->key & (size - 1); t[j] != 0;
		     j = (j + 1) & (size - 1))
			if (same_order(arena, &c->ol[t[j] - 1], o)) {
				found = true;
				break;
			}
		t[j] = i + 1;
	}
	memset(t, 0, size * sizeof(*t));
	return found;
}

/*
 * Count the orders of c into s, overall and in each window, and tally
 * them by channel and category.  An order is the run of the entries of
 * its id (its lines), found by sorting them when an id has several; an
 * entry of no order id is as many orders as it has lines.  An order is in
 * a window when its last line is.
 */
static void
sum_orders(struct worker *w, struct cust *c, struct summary *s)
{
	const struct feature *f = w->f;
	struct tallies       *t = &w->tally;
	const struct oline   *o, *run, *end;
	size_t                j;
	int32_t               age;
	uint64_t              n;
	bool                  repeat = has_repeat(w, c);

	tally_clear(t);
	if (c->nol == 0)
		return;
	if (repeat)
		c->nol = compact_orders(w->arena.data, c->ol, c->nol);
	end = c->ol + c->nol;
	for (o = c->ol; o < end; o = run) {
		run = o + 1;
		if (repeat && o->at != NO_ORDER)
			while (run < end && same_order(w->arena.data, run, o))
				run++;
		n = o->at == NO_ORDER ? o->lines : 1;
		age = s->asof_day - run[-1].day;
		s->orders += n;
		for (j = 0; j < f->o.nwindows; j++)
			if (age < (int32_t)f->o.windows[j])
				s->win_orders[j] += n;
		t->run++;
		for (; o < run; o++) {
			tally_add(t, TALLY_CHANNEL, o->channel, n);
			tally_add(t, TALLY_CATEGORY, o->category, n);
		}
	}
	s->top[0] = tally_top(t, TALLY_CHANNEL, &f->channels);
	s->top[1] = tally_top(t, TALLY_CATEGORY, &f->categories);
}

static int
write_row(struct worker *wk, struct recout *w, uint32_t i, int64_t asof,
    struct ci_err *e)
{
	const struct feature *f = wk->f;
	struct cust          *c = &wk->cs[i];
	const struct outcol  *col, *end;
	struct summary        s;
	double                unit = f->o.unit_days, cv = 0;
	const char           *id, *name;
	size_t                n;
	int32_t               whole;
	bool                  defined;

	if (c->last_event == NO_TIME)
		return 0; /* only events after asof */
	memset(&s, 0, sizeof(s));
	s.asof_day = local_day(f, asof);
	sum_days(f, c, &s);
	if (s.pdays == 0 && f->o.label_window > 0)
		return 0; /* training rows need an order at or before asof */
	sum_service(c, &s);
	sum_negtopics(c, &s);
	if (wk->tally.count[0] == NULL)
		tally_init(wk);
	sum_orders(wk, c, &s);
	whole = (s.asof_day - s.first + 1) / 30;
	for (col = f->outcols, end = col + f->ncols; col < end; col++) {
		switch ((enum colid)col->id) {
		case C_CUSTOMER_ID:
			id = hmap_key(&wk->ids, i, &n);
			recout_str(w, id, n);
			break;
		case C_RECENCY:
			if (s.pdays > 0)
				recout_int(w, s.asof_day - s.last);
			else
				recout_null(w);
			break;
		case C_ORDERS:
			recout_int(w, (int64_t)s.orders);
			break;
		case C_ORDER_LINES:
			recout_int(w, (int64_t)s.lines);
			break;
		case C_PURCHASE_DAYS:
			recout_int(w, (int64_t)s.pdays);
			break;
		case C_MONETARY_TOTAL:
			put_money(w, s.spend);
			break;
		case C_MONETARY_AVG:
			put_double(
			    w, s.orders > 0, money(s.spend) / (double)s.orders);
			break;
		case C_FIRST_ORDER:
		case C_LAST_ORDER:
			if (s.pdays > 0)
				put_date(w,
				    col->id == C_FIRST_ORDER ? s.first
				                             : s.last);
			else
				recout_null(w);
			break;
		case C_TENURE:
			if (s.pdays > 0)
				recout_int(w, s.asof_day - s.first);
			else
				recout_null(w);
			break;
		case C_X:
			if (s.pdays > 0)
				recout_int(w, (int64_t)s.pdays - 1);
			else
				recout_null(w);
			break;
		case C_T_X:
			put_double(w, s.pdays > 0, (s.last - s.first) / unit);
			break;
		case C_T:
			put_double(
			    w, s.pdays > 0, (s.asof_day - s.first) / unit);
			break;
		case C_REPEAT_VALUE:
			put_double(w, s.pdays > 1,
			    money(s.spend - s.first_spend) /
			        (double)(s.pdays - 1));
			break;
		case C_ORDERS_WINDOW:
			recout_int(w, (int64_t)s.win_orders[col->arg]);
			break;
		case C_SPEND_WINDOW:
			put_money(w, s.win_spend[col->arg]);
			break;
		case C_SPEND_PREV_90D:
			put_money(w, s.s180);
			break;
		case C_SPEND_TREND:
			put_double(w, s.s180 != 0,
			    wide_double(s.s90) / wide_double(s.s180));
			break;
		case C_SPEND_CV_3M:
		case C_SPEND_CV_12M:
			/* Settled before the call reads cv. */
			defined = s.pdays > 1 &&
			    spend_cv(s.block, whole,
			        col->id == C_SPEND_CV_3M ? 3 : MONTHS, &cv);
			put_double(w, defined, cv);
			break;
		case C_GAP_MEAN:
			put_double(
			    w, s.pdays > 1, s.gsum / (double)(s.pdays - 1));
			break;
		case C_GAP_SD:
			put_double(w, s.pdays > 2,
			    sqrt(fmax(0,
			        (s.gsq -
			            s.gsum * s.gsum / (double)(s.pdays - 1)) /
			            (double)(s.pdays - 2))));
			break;
		case C_LAST_GAP:
			if (s.pdays > 1)
				recout_int(w, s.last - s.prev);
			else
				recout_null(w);
			break;
		case C_DISTINCT_PRODUCTS:
			recout_int(w, u32map_count(&c->products));
			break;
		case C_DISTINCT_CATEGORIES:
			recout_int(w, (int64_t)wk->tally.nseen[TALLY_CATEGORY]);
			break;
		case C_TOP_CATEGORY:
		case C_TOP_CHANNEL:
			n = col->id == C_TOP_CHANNEL ? 0 : 1;
			if (s.top[n] == 0) {
				recout_null(w);
				break;
			}
			name = hmap_key(n == 0 ? &f->channels : &f->categories,
			    s.top[n] - 1, &n);
			recout_str(w, name, n);
			break;
		case C_SHARE:
			put_double(w, s.orders > 0,
			    (double)wk->tally.count[TALLY_CHANNEL][col->arg] /
			        (double)s.orders);
			break;
		case C_REFUNDS:
			recout_int(w, (int64_t)s.svc[SF_REFUNDS]);
			break;
		case C_REFUND_AMOUNT:
			put_money(w, s.svcsum[SF_REFUND_AMOUNT]);
			break;
		case C_NET_SPEND:
			put_money(w, s.spend - s.svcsum[SF_REFUND_AMOUNT]);
			break;
		case C_NET_SPEND_365D:
			put_money(w, s.s365 - s.refunds365);
			break;
		case C_REFUND_RATE:
			put_double(w, s.spend > 0,
			    wide_double(s.svcsum[SF_REFUND_AMOUNT]) /
			        wide_double(s.spend));
			break;
		case C_TICKETS:
			recout_int(w, (int64_t)s.svc[SF_TICKETS]);
			break;
		case C_TICKETS_30D:
			recout_int(w, (int64_t)s.tickets30);
			break;
		case C_TICKETS_90D:
			recout_int(w, (int64_t)s.tickets90);
			break;
		case C_COMPLAINTS:
			recout_int(w, (int64_t)s.svc[SF_COMPLAINTS]);
			break;
		case C_COMPLAINTS_90D:
			recout_int(w, (int64_t)s.complaints90);
			break;
		case C_DAYS_SINCE_COMPLAINT:
			if (s.complained)
				recout_int(w, s.asof_day - s.last_complaint);
			else
				recout_null(w);
			break;
		case C_RATING_MEAN:
			put_double(w, s.svc[SF_RATINGS] > 0,
			    wide_double(s.svcsum[SF_RATING_SUM]) / 1e4 /
			        (double)s.svc[SF_RATINGS]);
			break;
		case C_RATING_MEAN_90D:
			put_double(w, s.ratings90 > 0,
			    wide_double(s.rating90) / 1e4 /
			        (double)s.ratings90);
			break;
		case C_RATING_TREND:
			put_double(w, s.ratings90 > 0 && s.ratings180 > 0,
			    wide_double(s.rating90) / 1e4 /
			            (double)s.ratings90 -
			        wide_double(s.rating180) / 1e4 /
			            (double)s.ratings180);
			break;
		case C_SENTIMENT_MEAN_90D:
			put_double(w, s.texts90 > 0,
			    wide_double(s.senti90) / 1e3 / (double)s.texts90);
			break;
		case C_NEGATIVE_TEXTS_90D:
			recout_int(w, (int64_t)s.negatives90);
			break;
		case C_LAST_SENTIMENT:
			put_double(w, s.last_texts > 0,
			    wide_double(s.last_senti) / 1e3 /
			        (double)s.last_texts);
			break;
		case C_NEG_TOPIC:
			recout_int(w, (int64_t)s.negtopic[col->arg]);
			break;
		case C_DAYS_SINCE_EVENT:
			recout_int(w, s.asof_day - local_day(f, c->last_event));
			break;
		case C_EVENTS_30D:
			recout_int(w, (int64_t)s.ev30);
			break;
		case C_EVENTS_PREV_30D:
			recout_int(w, (int64_t)s.ev60);
			break;
		case C_UNIT:
			recout_str(w, f->o.unit_days == 1 ? "day" : "week",
			    f->o.unit_days == 1 ? 3 : 4);
			break;
		case C_LABEL:
			recout_int(w, c->label);
			break;
		}
	}
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
	size_t i;

	for (i = 0; i < hmap_count(&w->ids); i++) {
		struct cust *c = &w->cs[i];

		pool_free(&w->pool, c->days, c->capdays * sizeof(*c->days));
		pool_free(&w->pool, c->svc, c->capsvc * sizeof(*c->svc));
		pool_free(&w->pool, c->ol, c->capol * sizeof(*c->ol));
		u32map_release(&c->products, &w->pool);
		u32map_release(&c->negtopics, &w->pool);
	}
	hmap_clear(&w->ids);
	buf_reset(&w->arena);
	buf_reset(&w->keys);
	if (w->sink.rows != NULL)
		recout_mem_clear(w->sink.rows);
	buf_reset(&w->sink.text);
}

/* Start loading the first bytes of each list of c. */
static inline void
prefetch_customer(const struct cust *c)
{
	__builtin_prefetch(c->days);
	__builtin_prefetch(c->ol);
	if (c->svc != NULL)
		__builtin_prefetch(c->svc);
}

/*
 * Make room in w's sorted customers for its share of all partitions, at
 * n customers each (its first's with any), and a tenth more, mapped at
 * once: grown a customer at a time, the array would be copied and its
 * fresh pages faulted in one by one.  More than that still fit, grown as
 * usual.
 */
static void
reserve_order(struct worker *w, size_t n)
{
	size_t cap = n * PARTS / w->f->nworkers;

	cap += cap / 10 + 1;
	w->order = xmalloc_huge(cap * sizeof(*w->order));
	w->caporder = cap;
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
	if (w->order == NULL && hmap_count(&w->ids) > 0)
		reserve_order(w, hmap_count(&w->ids));
	for (i = 0; i < hmap_count(&w->ids); i++) {
		/* The states were built long ago, as far as the cache goes:
		 * the next customer's lists are loaded while this one's row
		 * is made. */
		if (i + 1 < hmap_count(&w->ids))
			prefetch_customer(&w->cs[i + 1]);
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
	if (w->rc == 0)
		keysort(w->order, w->norder, sizeof(*w->order), cmp_sortkey);
	if (w->rc == 0)
		w->rc = map_rows(w, &w->err);
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
	jsonw_int(w, PARTIAL_VERSION);
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
	jsonw_key(w, "topics");
	jsonw_arr_begin(w);
	for (i = 0; i < f->o.ntopics; i++)
		jsonw_str(w, f->o.topics[i]);
	jsonw_arr_end(w);
}

/* The part of a wide count that fits uint32_t, taken from it. */
static uint32_t
take_count(uint64_t *n)
{
	uint32_t v = *n < UINT32_MAX ? (uint32_t)*n : UINT32_MAX;

	*n -= v;
	return v;
}

/* The part of a wide sum that fits int64_t, taken from it. */
static int64_t
take_sum(__int128 *s)
{
	int64_t v = *s > INT64_MAX ? INT64_MAX
	    : *s < INT64_MIN       ? INT64_MIN
	                           : (int64_t)*s;

	*s -= v;
	return v;
}

/*
 * The days of c as [[day, lines, events, spend], ...], a day in one entry
 * unless its sums pass what an entry holds (then in the fewest, each as
 * full as it can be), so that equal states are written alike.
 */
static void
put_days(struct jsonw *w, const struct cust *c)
{
	struct dayagg d;
	uint32_t      k = 0;

	jsonw_arr_begin(w);
	while (next_day(c, &k, &d)) {
		do {
			jsonw_arr_begin(w);
			jsonw_int(w, d.day);
			jsonw_int(w, take_count(&d.lines));
			jsonw_int(w, take_count(&d.events));
			jsonw_int(w, take_sum(&d.spend));
			jsonw_arr_end(w);
		} while (d.lines != 0 || d.events != 0 || d.spend != 0);
	}
	jsonw_arr_end(w);
}

/* The service days of c as [[day, the fields of sfields], ...], split as
 * put_days() splits days. */
static void
put_service_days(struct jsonw *w, const struct cust *c)
{
	struct svcagg d;
	uint32_t      k = 0;
	size_t        j;
	bool          more;

	jsonw_arr_begin(w);
	while (next_svc(c, &k, &d)) {
		do {
			more = false;
			jsonw_arr_begin(w);
			jsonw_int(w, d.day);
			for (j = 0; j < NSFIELDS; j++) {
				if (sfields[j].sum) {
					jsonw_int(w, take_sum(&d.sum[j]));
					more |= d.sum[j] != 0;
				} else {
					jsonw_int(w, take_count(&d.count[j]));
					more |= d.count[j] != 0;
				}
			}
			jsonw_arr_end(w);
		} while (more);
	}
	jsonw_arr_end(w);
}

/* Two optional names (ids + 1, 0 for none, which comes first). */
static int
cmp_opt_name(const struct hmap *names, uint32_t a, uint32_t b)
{
	if (a == 0 || b == 0)
		return (a != 0) - (b != 0);
	a--;
	b--;
	return cmp_name(&a, &b, (void *)names);
}

/* Order entries by their order ids (none first, then bytewise), days,
 * channels and categories by name (qsort_r, with the worker). */
static int
cmp_oline_names(const void *x, const void *y, void *ctx)
{
	const struct oline  *a = x, *b = y;
	const struct worker *w = ctx;
	const char          *sa, *sb;
	uint32_t             la, lb;
	int                  c;

	if ((a->at == NO_ORDER) != (b->at == NO_ORDER))
		return a->at == NO_ORDER ? -1 : 1;
	if (a->at != NO_ORDER) {
		sa = order_bytes(w->arena.data, a, &la);
		sb = order_bytes(w->arena.data, b, &lb);
		if ((c = memcmp(sa, sb, la < lb ? la : lb)) != 0 ||
		    (c = (la > lb) - (la < lb)) != 0)
			return c;
	}
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if ((c = cmp_opt_name(&w->f->channels, a->channel, b->channel)) != 0)
		return c;
	return cmp_opt_name(&w->f->categories, a->category, b->category);
}

/* The order id of e, or null. */
static void
put_order_id(struct jsonw *w, const char *arena, const struct oline *e)
{
	const char *s;
	uint32_t    len;

	if (e->at == NO_ORDER) {
		jsonw_null(w);
		return;
	}
	s = order_bytes(arena, e, &len);
	jsonw_strn(w, s, len);
}

/* A name of names, by its id + 1, or null for 0. */
static void
put_opt_name(struct jsonw *w, const struct hmap *names, uint32_t id)
{
	size_t      len;
	const char *s;

	if (id == 0) {
		jsonw_null(w);
		return;
	}
	s = hmap_key(names, id - 1, &len);
	jsonw_strn(w, s, len);
}

/*
 * The orders of c as [[order_id, day, channel, category, lines], ...],
 * sorted by the names (null first), equal entries in one unless their
 * lines pass what one holds.  Sorts c's entries.
 */
static void
put_orders(struct worker *wk, struct jsonw *w, struct cust *c)
{
	const struct feature *f = wk->f;
	uint32_t              i, j;
	uint64_t              lines;

	if (c->nol > 1)
		qsort_r(c->ol, c->nol, sizeof(*c->ol), cmp_oline_names, wk);
	jsonw_arr_begin(w);
	for (i = 0; i < c->nol; i = j) {
		lines = 0;
		for (j = i; j < c->nol &&
		     cmp_oline_names(&c->ol[i], &c->ol[j], wk) == 0;
		     j++)
			lines += c->ol[j].lines;
		do {
			jsonw_arr_begin(w);
			put_order_id(w, wk->arena.data, &c->ol[i]);
			jsonw_int(w, c->ol[i].day);
			put_opt_name(w, &f->channels, c->ol[i].channel);
			put_opt_name(w, &f->categories, c->ol[i].category);
			jsonw_int(w, take_count(&lines));
			jsonw_arr_end(w);
		} while (lines != 0);
	}
	jsonw_arr_end(w);
}

/* The products of c as ["name", ...], sorted. */
static void
put_products(struct jsonw *w, const struct hmap *names, const struct u32map *m)
{
	uint32_t  n = u32map_count(m), i;
	uint32_t *k = xcalloc(n + 1, sizeof(*k));

	u32map_entries(m, k, NULL);
	sort_ids(names, k, n);
	jsonw_arr_begin(w);
	for (i = 0; i < n; i++)
		jsonw_str(w, hmap_key(names, k[i], NULL));
	jsonw_arr_end(w);
	free(k);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The negative texts by day and topic as [[day, topic, count], ...], in
 * the order of their keys: by day, then topic. */
static void
put_negtopics(struct jsonw *w, const struct u32map *m)
{
	uint32_t  n = u32map_count(m), i;
	uint32_t *k = xcalloc((size_t)n + 1, sizeof(*k));

	u32map_entries(m, k, NULL);
	qsort(k, n, sizeof(*k), cmp_u32);
	jsonw_arr_begin(w);
	for (i = 0; i < n; i++) {
		jsonw_arr_begin(w);
		jsonw_int(w, NT_DAY(k[i]));
		jsonw_int(w, NT_TOPIC(k[i]));
		jsonw_int(w, u32map_get(m, k[i]));
		jsonw_arr_end(w);
	}
	jsonw_arr_end(w);
	free(k);
}

/* Customer i's partial state: a JSON object of the fields of pfields. */
static void
put_customer(struct worker *wk, struct jsonw *w, uint32_t i)
{
	struct cust         *c = &wk->cs[i];
	const struct pfield *pf;
	const char          *id;
	size_t               n;

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
		case PF_DAYS:
			put_days(w, c);
			break;
		case PF_SERVICE:
			put_service_days(w, c);
			break;
		case PF_ORDERS:
			put_orders(wk, w, c);
			break;
		case PF_PRODUCTS:
			put_products(w, &wk->f->products, &c->products);
			break;
		case PF_NEGTOPICS:
			put_negtopics(w, &c->negtopics);
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
	jsonw_key(&w, "sentiment");
	jsonw_bool(&w, f->sentiment);
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

/*
 * Check the format version of a partial's header object h: a state of
 * another version is refused (CI_EXIT_MODEL), for its fields would be
 * read wrongly.
 */
static int
check_version(json_t *h, const char *path, unsigned long line, struct ci_err *e)
{
	json_t *v = json_object_get(h, "ci_features_partial");

	if (!json_is_integer(v))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad format version in the partial state's header");
	if (json_integer_value(v) != PARTIAL_VERSION)
		return ci_err_set(e, CI_EXIT_MODEL, path, line,
		    "partial state of format version %lld; this ci-features "
		    "reads version %d only",
		    (long long)json_integer_value(v), PARTIAL_VERSION);
	return 0;
}

/* Check the windows of a header (1 to FEATURE_MAX_WINDOWS lengths, each
 * longer than the one before) into f. */
static bool
adopt_windows(struct feature *f, json_t *wins)
{
	size_t  i, n = json_array_size(wins);
	int64_t v;

	if (!json_is_array(wins) || n == 0 || n > FEATURE_MAX_WINDOWS)
		return false;
	for (i = 0; i < n; i++) {
		if (!get_int(json_array_get(wins, i), 1, 36500, &v) ||
		    (i > 0 && v <= f->o.windows[i - 1]))
			return false;
		f->o.windows[i] = (uint32_t)v;
	}
	f->o.nwindows = n;
	return true;
}

/*
 * A header's list of distinct names (at most max) as an owned array in
 * *own, of *n names; false when it is not such a list.
 */
static bool
adopt_names(json_t *names, size_t max, char ***own, size_t *n)
{
	size_t i, j;

	if (!json_is_array(names) || json_array_size(names) > max)
		return false;
	*n = json_array_size(names);
	for (i = 0; i < *n; i++) {
		json_t *c = json_array_get(names, i);

		if (!json_is_string(c) || json_string_length(c) == 0)
			return false;
		for (j = 0; j < i; j++)
			if (json_equal(c, json_array_get(names, j)))
				return false;
	}
	*own = xcalloc(*n + 1, sizeof(**own));
	for (i = 0; i < *n; i++)
		(*own)[i] =
		    xstrdup(json_string_value(json_array_get(names, i)));
	return true;
}

/* Check the channels of a header (null, or distinct names) into f. */
static bool
adopt_channels(struct feature *f, json_t *chans)
{
	if (json_is_null(chans))
		return true;
	if (!adopt_names(chans, SIZE_MAX, &f->own_channels, &f->o.nchannels))
		return false;
	f->o.channels = f->own_channels;
	return true;
}

/* Check the topics of a header (distinct names) into f. */
static bool
adopt_topics(struct feature *f, json_t *names)
{
	if (!adopt_names(names, TOPICS_MAX, &f->own_topics, &f->o.ntopics))
		return false;
	f->o.topics = f->own_topics;
	return true;
}

/* Take the options of f from a partial's header object h. */
static int
adopt_options(struct feature *f, json_t *h, const char *path,
    unsigned long line, struct ci_err *e)
{
	struct tp_opts   tp = { TP_ORDER_AUTO, NULL };
	struct tp_result t;
	json_t          *asof = json_object_get(h, "asof");
	json_t          *zone = json_object_get(h, "tz");
	const char      *why;
	int64_t          v;

	if (!json_is_string(asof) ||
	    timeparse(json_string_value(asof), json_string_length(asof), &tp,
	        &t, &why) < 0 ||
	    !get_int(json_object_get(h, "unit_days"), 1, 7, &v) ||
	    (v != 1 && v != 7) || !json_is_string(zone))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad options in the partial state's header");
	f->o.has_asof = true;
	f->o.asof = t.utc;
	f->o.unit_days = (int)v;
	if (!adopt_windows(f, json_object_get(h, "windows")))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad windows in the partial state's header: want 1 to %d "
		    "increasing lengths in days",
		    FEATURE_MAX_WINDOWS);
	if (!get_int(json_object_get(h, "label_window"), 0, INT64_MAX / 2,
	        &f->o.label_window))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad label window in the partial state's header");
	if ((f->own_tz = tz_load(json_string_value(zone), e)) == NULL)
		return ci_err_set(e, CI_EXIT_DATA, path, line, "%s",
		    "bad zone "
		    "in the partial state's header");
	f->o.tz = f->own_tz;
	if (!adopt_channels(f, json_object_get(h, "channels")))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad channels in the partial state's header: want null "
		    "or distinct names");
	if (!adopt_topics(f, json_object_get(h, "topics")))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad topics in the partial state's header: want at most "
		    "%d distinct names",
		    TOPICS_MAX);
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
		    "windows, label window, zone, channels or topics) than "
		    "the first");
	return 0;
}

/*
 * A customer line of a partial state as checked by read_field(), field by
 * field, on its way to a record.
 */
struct pstate {
	json_t *key;
	json_t *last; /* an integer, or null */
	bool    label;
	json_t *days;
	json_t *service;
	json_t *orders;
	json_t *products;
	json_t *negtopics;
	size_t  size;    /* the most bytes its lists take */
	int64_t asof;    /* no event of a state comes after it */
	int32_t max_day; /* nor after its local day */
	size_t  ntopics; /* of the topic dictionary */
};

/*
 * Whether a is an array of n elements whose integers (at the indices
 * whose lo[i] <= hi[i]) lie in [lo[i], hi[i]].
 */
static bool
read_tuple(json_t *a, size_t n, const int64_t *lo, const int64_t *hi)
{
	int64_t v;
	size_t  i;

	if (!json_is_array(a) || json_array_size(a) != n)
		return false;
	for (i = 0; i < n; i++)
		if (lo[i] <= hi[i] &&
		    !get_int(json_array_get(a, i), lo[i], hi[i], &v))
			return false;
	return true;
}

/* Check the days (the value of "days"). */
static bool
read_days(json_t *days, struct pstate *s)
{
	/* The range of day, lines, events and spend. */
	const int64_t lo[4] = { INT32_MIN, 0, 0, INT64_MIN };
	const int64_t hi[4] = { s->max_day, UINT32_MAX, UINT32_MAX, INT64_MAX };
	size_t        k;

	if (!json_is_array(days))
		return false;
	for (k = 0; k < json_array_size(days); k++)
		if (!read_tuple(json_array_get(days, k), 4, lo, hi))
			return false;
	s->size += json_array_size(days) * REC_DAY;
	return true;
}

/* Check the service days (the value of "service"). */
static bool
read_service(json_t *svc, struct pstate *s)
{
	int64_t lo[1 + NSFIELDS] = { INT32_MIN },
	               hi[1 + NSFIELDS] = { s->max_day };
	size_t k;

	for (k = 0; k < NSFIELDS; k++) {
		lo[1 + k] = sfields[k].min;
		hi[1 + k] = sfields[k].max;
	}
	if (!json_is_array(svc))
		return false;
	for (k = 0; k < json_array_size(svc); k++)
		if (!read_tuple(json_array_get(svc, k), 1 + NSFIELDS, lo, hi))
			return false;
	s->size += json_array_size(svc) * REC_SVCDAY;
	return true;
}

/* Whether j is a name (a non-empty string) or null. */
static bool
is_name(json_t *j)
{
	return json_is_null(j) ||
	    (json_is_string(j) && json_string_length(j) > 0);
}

/* Check the orders (the value of "orders"). */
static bool
read_orders(json_t *orders, struct pstate *s)
{
	/* The range of the day and the lines; the names are checked apart. */
	const int64_t lo[5] = { 1, INT32_MIN, 1, 1, 1 };
	const int64_t hi[5] = { 0, s->max_day, 0, 0, UINT32_MAX };
	json_t       *o;
	size_t        k;

	if (!json_is_array(orders))
		return false;
	for (k = 0; k < json_array_size(orders); k++) {
		o = json_array_get(orders, k);
		if (!read_tuple(o, 5, lo, hi) ||
		    !is_name(json_array_get(o, 0)) ||
		    !is_name(json_array_get(o, 2)) ||
		    !is_name(json_array_get(o, 3)))
			return false;
		s->size +=
		    REC_ORDER_ENTRY + json_string_length(json_array_get(o, 0));
	}
	return true;
}

/* Check the products (the value of "products"). */
static bool
read_products(json_t *products, size_t *size)
{
	size_t k;

	if (!json_is_array(products))
		return false;
	for (k = 0; k < json_array_size(products); k++) {
		json_t *p = json_array_get(products, k);

		if (!json_is_string(p) || json_string_length(p) == 0)
			return false;
	}
	*size += json_array_size(products) * REC_PRODUCT;
	return true;
}

/* Check the negative texts by topic (the value of "neg_topics"). */
static bool
read_negtopics(json_t *nt, struct pstate *s)
{
	/* The range of day, topic and count. */
	const int64_t lo[3] = { -NT_DAY0, 0, 1 };
	const int64_t hi[3] = { s->max_day, (int64_t)s->ntopics - 1,
		UINT32_MAX };
	size_t        k;

	if (!json_is_array(nt))
		return false;
	for (k = 0; k < json_array_size(nt); k++)
		if (!read_tuple(json_array_get(nt, k), 3, lo, hi))
			return false;
	s->size += json_array_size(nt) * REC_NEGTOPIC;
	return true;
}

/* Check the value j of field pf into *s; false when it is malformed. */
static bool
read_field(const struct pfield *pf, json_t *j, struct pstate *s)
{
	switch (pf->kind) {
	case PF_KEY:
		s->key = j;
		return json_is_string(j) && json_string_length(j) > 0;
	case PF_LAST:
		s->last = j;
		return json_is_null(j) ||
		    (json_is_integer(j) && json_integer_value(j) <= s->asof);
	case PF_LABEL:
		s->label = json_is_true(j);
		return true;
	case PF_DAYS:
		s->days = j;
		return read_days(j, s);
	case PF_SERVICE:
		s->service = j;
		return read_service(j, s);
	case PF_ORDERS:
		s->orders = j;
		return read_orders(j, s);
	case PF_PRODUCTS:
		s->products = j;
		return read_products(j, &s->size);
	case PF_NEGTOPICS:
		s->negtopics = j;
		return read_negtopics(j, s);
	}
	return false;
}

/* The integer at index i of the array a. */
static int64_t
at_int(json_t *a, size_t i)
{
	return json_integer_value(json_array_get(a, i));
}

/* The id + 1 of the name j (or 0 for null) in names. */
static uint64_t
name_id(struct hmap *names, json_t *j)
{
	if (json_is_null(j))
		return 0;
	return 1 +
	    hmap_intern(
	        names, json_string_value(j), json_string_length(j), NULL);
}

/* Encode the lists of a checked state s at p. */
static char *
put_lists(struct feature *f, char *p, const struct pstate *s)
{
	struct svcday sv;
	json_t       *a;
	size_t        k, j;

	p = put_uv(p, json_array_size(s->days));
	for (k = 0; k < json_array_size(s->days); k++) {
		a = json_array_get(s->days, k);
		p = put_sv(p, at_int(a, 0));
		p = put_uv(p, (uint64_t)at_int(a, 1));
		p = put_uv(p, (uint64_t)at_int(a, 2));
		p = put_sv(p, at_int(a, 3));
	}
	p = put_uv(p, json_array_size(s->service));
	for (k = 0; k < json_array_size(s->service); k++) {
		a = json_array_get(s->service, k);
		p = put_sv(p, at_int(a, 0));
		for (j = 0; j < NSFIELDS; j++) {
			char *at = (char *)&sv + sfields[j].at;

			if (sfields[j].sum)
				*(int64_t *)at = at_int(a, 1 + j);
			else
				*(uint32_t *)at = (uint32_t)at_int(a, 1 + j);
		}
		p = put_service(p, &sv);
	}
	p = put_uv(p, json_array_size(s->orders));
	for (k = 0; k < json_array_size(s->orders); k++) {
		json_t *o;

		a = json_array_get(s->orders, k);
		o = json_array_get(a, 0);
		if (json_is_null(o))
			p = put_uv(p, 0);
		else
			p = put_bytes(
			    p, json_string_value(o), json_string_length(o));
		p = put_sv(p, at_int(a, 1));
		p = put_uv(p, name_id(&f->channels, json_array_get(a, 2)));
		p = put_uv(p, name_id(&f->categories, json_array_get(a, 3)));
		p = put_uv(p, (uint64_t)at_int(a, 4));
	}
	p = put_uv(p, json_array_size(s->products));
	for (k = 0; k < json_array_size(s->products); k++) {
		a = json_array_get(s->products, k);
		p = put_uv(p,
		    hmap_intern(&f->products, json_string_value(a),
		        json_string_length(a), NULL));
	}
	p = put_uv(p, json_array_size(s->negtopics));
	for (k = 0; k < json_array_size(s->negtopics); k++) {
		a = json_array_get(s->negtopics, k);
		p = put_uv(p, NT_KEY(at_int(a, 0), at_int(a, 1)));
		p = put_uv(p, (uint64_t)at_int(a, 2));
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
	size_t               len;
	char                *p, *flags;
	uint64_t             h;

	/* Nothing of a state comes after the point in time it was made at. */
	s.asof = f->o.asof;
	s.max_day = local_day(f, f->o.asof);
	s.ntopics = f->o.ntopics;
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
	p = put_lists(f, p, &s);
	return rec_end(f, p, h);
}

/*
 * Whether the events of a partial had sentiment, from its header h into
 * f, and then out of h: it is no option, and partials with and without
 * it merge.
 */
static int
take_sentiment(struct feature *f, json_t *h, const char *path,
    unsigned long line, struct ci_err *e)
{
	json_t *v = json_object_get(h, "sentiment");

	if (!json_is_boolean(v))
		return ci_err_set(e, CI_EXIT_DATA, path, line,
		    "bad sentiment in the partial state's header: want true "
		    "or false");
	if (json_is_true(v))
		f->sentiment = true;
	json_object_del(h, "sentiment");
	return 0;
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
			rc = check_version(o, path, line, e);
			if (rc == 0)
				rc = take_sentiment(f, o, path, line, e);
			if (rc == 0 && f->o.from_partials && !f->adopted)
				rc = adopt_options(f, o, path, line, e);
			else if (rc == 0)
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
	hmap_release(&w->ids);
	buf_release(&w->arena);
	free(w->seen);
	free(w->cs);
	recout_close(w->sink.rows, NULL);
	buf_release(&w->sink.text);
	buf_release(&w->keys);
	buf_release(&w->rd);
	buf_release(&w->scratch);
	for (i = 0; i < TALLIES; i++) {
		free(w->tally.count[i]);
		free(w->tally.stamp[i]);
		free(w->tally.seen[i]);
	}
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
	free(f->outcols);
	tz_free(f->own_tz);
	for (i = 0; i < f->o.nchannels && f->own_channels != NULL; i++)
		free(f->own_channels[i]);
	free(f->own_channels);
	for (i = 0; i < f->o.ntopics && f->own_topics != NULL; i++)
		free(f->own_topics[i]);
	free(f->own_topics);
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
	if (feature_bind(r, &g->c, e) < 0)
		return -1;
	if (g->c.sentiment >= 0)
		g->f->sentiment = true;
	return 0;
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
