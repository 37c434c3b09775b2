/*
 * gen-sample: the sample data of `make demo`, the same bytes everywhere (a
 * fixed splitmix64 stream; no libc rand()).  Four systems, each with its
 * own customer keys, export into DIR:
 *
 *   crm-customers.csv    the CRM's customer export (keys K...): Chinese
 *                        headers, names in Chinese and Western writing,
 *                        phones in every common form, some ID numbers, a
 *                        few broken values
 *   shop-accounts.csv    the web shop's accounts (keys W...): the same
 *                        people, phones and e-mail written its own way
 *   shop-orders.ndjson   the web shop's order feed, by account
 *   store-members.csv    the stores' loyalty members (keys P...)
 *   store-sales.csv      the stores' POS export, semicolon-separated, with
 *                        "销售"/"退货" types and amounts like "¥1,234.50"
 *   desk-contacts.csv    the service desk's contacts (keys D...)
 *   desk-tickets.csv     its tickets and complaints, with their text
 *   customers.yaml,      the source maps of the customer exports and of
 *   events.yaml          the event exports: each event source has the name
 *                        of the customer source its keys belong to, so
 *                        that ci-dedupe's crosswalk rekeys its events
 *   sources.yaml         one map of all seven exports, for a run of
 *                        ci-ingest without ci-dedupe (each system's keys
 *                        stay its own customers)
 *
 * Most people are in the CRM and in the system where they buy (some only
 * in the shop); one in five has written to the service desk.  So one
 * person is two to four records, which ci-dedupe joins.
 *
 * Customers buy as in the BG/NBD story (Fader, Hardie & Lee 2005): each has
 * a purchase rate drawn from a gamma distribution and, after each purchase,
 * a chance drawn from a beta distribution of becoming inactive, so the
 * sample has the mix of loyal, lapsing and one-off buyers that the later
 * stages (features, CLV, segments) are about.
 *
 * A web-shop order has one to three lines.  The 400 SKUs come in blocks of
 * ten whose first three are a bundle bought together; each customer has
 * one of eight tastes, five bundles it mostly buys from, so that
 * ci-recommend finds basket rules and personal tastes to learn.
 *
 *   gen-sample DIR [CUSTOMERS]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 20261123;

/* The next value of the splitmix64 stream whose state is *s. */
static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
next(void)
{
	return splitmix(&state);
}

static double
uniform(void)
{
	return ((double)(next() >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* Gamma(shape, 1) by Marsaglia & Tsang (2000). */
static double
gamma_draw(double shape)
{
	double d, c, x, v, u;

	if (shape < 1)
		return gamma_draw(shape + 1) * pow(uniform(), 1 / shape);
	d = shape - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = normal();
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = uniform();
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

static double
beta_draw(double a, double b)
{
	double x = gamma_draw(a);

	return x / (x + gamma_draw(b));
}

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨",
	"黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
	"高", "罗", "欧阳", "司马" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽",
	"强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
	"秀英", "小明", "建华", "晓燕", "子涵", "浩然", "一诺" };
static const char *const western_first[] = { "Emily", "James", "Olivia",
	"Liam", "Sophia", "Noah", "Anna", "David", "Grace", "Lucas" };
static const char *const western_last[] = { "Smith", "Chen", "Wong",
	"Johnson", "Lee", "Brown", "Garcia", "Miller", "Tan", "Wilson" };
static const char *const cities[] = { "北京", "上海", "上海市", "广州",
	"深圳", "杭州", "成都", "南京", "武汉", "西安", "苏州", "重庆" };
static const char *const provinces[] = { "110105", "310104", "440106",
	"440306", "330106", "510107", "320106", "420106", "610113",
	"320508", "500103" };
static const char *const mail_domains[] = { "qq.com", "163.com",
	"126.com", "gmail.com", "sina.com", "outlook.com" };
static const char *const categories[] = { "服装", "鞋包", "美妆", "家居",
	"数码", "食品", "母婴", "运动" };
static const char *const shop_channels[] = { "web", "app", "小程序",
	"Tmall", "JD" };
static const char *const stores[] = { "门店", "线下", "POS" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(a) ((a)[next() % NELEM(a)])

struct customer {
	char          key[16];  /* the CRM's key */
	char          name[64]; /* as the CRM writes it */
	char          mail[96];
	unsigned long mobile; /* 11 digits */
	int           female;
	int           western;
	int           in_crm;  /* has a CRM record */
	int           in_desk; /* has written to the service desk */
	double        rate;    /* purchases per day while active */
	double        p_drop;  /* chance of becoming inactive after a purchase */
	double        spend;   /* mean order value */
	int           first;   /* day of the first purchase, since 2024-01-01 */
	int           last;    /* day of the last purchase */
	int           store;   /* shops in stores rather than online */
	int           taste;   /* 0-7: the bundles 5 taste .. 5 taste + 4 */
};

/* The lines of an order beyond the first come from a stream of their own,
 * so that the customers and their orders are those of a one-line sample. */
static uint64_t lines_state = 20261207;

static uint64_t
next_line(void)
{
	return splitmix(&lines_state);
}

/* The first SKU of an order from the draw r: mostly one of the taste's
 * bundles, else any. */
static int
first_sku(const struct customer *c, uint64_t r)
{
	if (r % 10 < 7)
		return (int)(10 * (5 * (uint64_t)c->taste + r / 10 % 5) +
		    r / 50 % 3);
	return (int)(r / 10 % 400);
}

/* Another SKU of the order of SKU sku: mostly from the same bundle. */
static int
other_sku(int sku, uint64_t r)
{
	if (r % 10 < 7)
		return 10 * (sku / 10) + (int)((sku % 10 + 1 + r / 10 % 2) % 3);
	return (int)(r / 10 % 400);
}

/* Days since 2024-01-01 to a civil date. */
static void
civil(int day, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int yy = 2024, mm = 0, leap;

	for (;;) {
		leap = yy % 4 == 0 && (yy % 100 != 0 || yy % 400 == 0);
		if (day < 365 + leap)
			break;
		day -= 365 + leap;
		yy++;
	}
	for (;;) {
		int n = mdays[mm] + (mm == 1 && leap);

		if (day < n)
			break;
		day -= n;
		mm++;
	}
	*y = yy;
	*m = mm + 1;
	*d = day + 1;
}

static char
check_char(const char *s17)
{
	static const int w[] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
		8, 4, 2 };
	int i, sum = 0;

	for (i = 0; i < 17; i++)
		sum += (s17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* The mobile n in the writing number w of those exports use. */
static void
phone(char *out, size_t size, unsigned long n, int w)
{
	unsigned long a = n / 100000000, b = n / 10000 % 10000, c = n % 10000;

	switch (w % 7) {
	case 0:
		snprintf(out, size, "%lu", n);
		break;
	case 1:
		snprintf(out, size, "%lu-%04lu-%04lu", a, b, c);
		break;
	case 2:
		snprintf(out, size, "+86 %lu %04lu %04lu", a, b, c);
		break;
	case 3:
		snprintf(out, size, "(+86)%lu", n);
		break;
	case 4:
		snprintf(out, size, "0086-%lu", n);
		break;
	case 5:
		snprintf(out, size, "%lu %04lu %04lu", a, b, c);
		break;
	default:
		snprintf(out, size, "%s", w % 50 == 6 ? "1380013" : "");
		break;
	}
}

/* Who customer i is: name, e-mail, mobile, sex. */
static void
make_person(struct customer *c, int i)
{
	c->taste = (int)(next_line() % 8);
	c->female = next() % 2;
	c->western = next() % 8 == 0;
	if (c->western) {
		snprintf(c->name, sizeof(c->name), "%s %s", PICK(western_first),
		    PICK(western_last));
		snprintf(c->mail, sizeof(c->mail), "%.40s.%d@%s", c->name, i,
		    PICK(mail_domains));
		c->mail[strcspn(c->mail, " ")] = '.';
	} else {
		/* Some exports put a space inside Chinese names. */
		snprintf(c->name, sizeof(c->name), "%s%s%s", PICK(surnames),
		    next() % 6 == 0 ? " " : "", PICK(given));
		snprintf(c->mail, sizeof(c->mail), "%s%d@%s",
		    next() % 3 ? "user" : "VIP.User", 10000 + i,
		    PICK(mail_domains));
	}
	/* A Chinese mobile: 1, then 3 to 9, then nine digits. */
	c->mobile = 10000000000UL +
	    (unsigned long)(3 + next() % 7) * 1000000000UL +
	    (unsigned long)(next() % 1000000000UL);
}

static void
write_customers(FILE *fp, struct customer *cs, int n)
{
	int i;

	fputs("客户编号,姓名,手机,邮箱,身份证号,性别,城市,注册时间,会员等级\n",
	    fp);
	for (i = 0; i < n; i++) {
		const struct customer *c = &cs[i];
		char tel[40], mail[96], id[24], born[32];
		const char *sex = c->female ? "女" : "男";
		int y, m, d, by, bm, bd;

		if (!c->in_crm)
			continue;
		snprintf(mail, sizeof(mail), "%s", c->mail);
		if (i % 40 == 7)
			strcpy(mail, "no-at-sign.example.com");
		phone(tel, sizeof(tel), c->mobile, i);
		id[0] = '\0';
		if (next() % 3 == 0) {
			by = 1950 + (int)(next() % 55);
			bm = 1 + (int)(next() % 12);
			bd = 1 + (int)(next() % 28);
			snprintf(id, sizeof(id), "%s%04d%02d%02d%03d",
			    PICK(provinces), by, bm, bd,
			    (int)(next() % 500) * 2 + !c->female);
			id[18] = '\0';
			id[17] = check_char(id);
			if (i % 60 == 11)
				id[17] = id[17] == '0' ? '1' : '0';
		}
		civil(c->first - (int)(next() % 30), &y, &m, &d);
		switch (i % 4) {
		case 0:
			snprintf(born, sizeof(born), "%d年%d月%d日", y, m, d);
			break;
		case 1:
			snprintf(born, sizeof(born), "%d/%d/%d", y, m, d);
			break;
		default:
			snprintf(born, sizeof(born), "%04d-%02d-%02d", y, m, d);
			break;
		}
		fprintf(fp, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", i % 97 == 13 ?
		    "" : c->key, c->name, tel, mail, id,
		    next() % 10 == 0 ? "" : sex, PICK(cities), born,
		    next() % 4 == 0 ? "金卡" : next() % 2 ? "银卡" : "普通");
	}
}

/* A date "YYYY-MM-DD" of day. */
static void
date_of(char *out, size_t size, int day)
{
	int y, m, d;

	civil(day, &y, &m, &d);
	snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

/*
 * The other systems' customer records: the shop's accounts of the online
 * buyers, the stores' members, the desk's contacts, each with its own key
 * and its own writing of the same person.
 */
static void
write_accounts(FILE *shop, FILE *members, FILE *desk, struct customer *cs,
    int n)
{
	int i;

	fputs("account_id,nickname,mobile,email,signup\n", shop);
	fputs("card_no,name,tel,joined\n", members);
	fputs("contact_id,contact_name,phone,email\n", desk);
	for (i = 0; i < n; i++) {
		const struct customer *c = &cs[i];
		char tel[40], day[16], mail[96];
		size_t k;

		date_of(day, sizeof(day), c->first);
		if (!c->store) {
			/* The shop writes e-mail in capitals now and then. */
			snprintf(mail, sizeof(mail), "%s", c->mail);
			if (i % 5 == 1)
				for (k = 0; mail[k] != '\0'; k++)
					if (mail[k] >= 'a' && mail[k] <= 'z')
						mail[k] = (char)(mail[k] - 32);
			phone(tel, sizeof(tel), c->mobile, 2 + i % 3);
			fprintf(shop, "W%06d,%s,%s,%s,%s\n", i + 1, c->name, tel,
			    mail, day);
		} else {
			phone(tel, sizeof(tel), c->mobile, 1);
			fprintf(members, "P%06d,%s,%s,%s\n", i + 1, c->name, tel,
			    day);
		}
		if (c->in_desk) {
			phone(tel, sizeof(tel), c->mobile, 0);
			fprintf(desk, "D%06d,%s,%s,%s\n", i + 1, c->name, tel,
			    i % 3 ? c->mail : "");
		}
	}
}

static const char *const praise[] = { "客服态度很好，谢谢", "物流很快，满意",
	"Great service, thank you", "问题很快解决了" };
static const char *const questions[] = { "请问什么时候发货？",
	"How do I change my delivery address?", "发票怎么开？",
	"会员积分怎么用？" };
static const char *const complaints[] = { "快递太慢了，很失望",
	"退货流程太复杂，不会再买了", "The jacket arrived damaged",
	"客服不回复，非常生气", "Charged twice for one order" };

/* The tickets of a customer who wrote to the desk. */
static void
write_tickets(FILE *fp, const struct customer *c, int i, long *ticket_no)
{
	int k, nt = 1 + (int)(next() % 3);

	for (k = 0; k < nt; k++) {
		int  day = c->first + (int)(uniform() * (c->last - c->first + 30));
		int  y, m, d, kind = (int)(next() % 10);
		const char *text = kind < 3 ? PICK(complaints)
		    : kind < 5              ? PICK(praise)
		                            : PICK(questions);

		if (day > 1034)
			day = 1034;
		civil(day, &y, &m, &d);
		(*ticket_no)++;
		fprintf(fp, "T%06ld,D%06d,%04d-%02d-%02d %02d:%02d,%s,%s,\"%s\"\n",
		    *ticket_no, i + 1, y, m, d, 9 + (int)(next() % 9),
		    (int)(next() % 60), kind < 3 ? "投诉" : "工单",
		    next() % 2 ? "phone" : "wechat", text);
	}
}

/*
 * One web-shop order of the given total: one to three lines, the first
 * SKU from the customer's taste and the others mostly of its bundle, the
 * total split among them; a refund refunds every line, a rating is on the
 * first.
 */
static void
write_shop_order(FILE *shop, const struct customer *c, int i, long order_no,
    const char *paid_at, double amount, const char *cat)
{
	const char *channel = PICK(shop_channels);
	const char *status = next() % 30 == 0 ? "refund" : "paid";
	const char *rating = next() % 5 == 0 ? "5" : "null";
	uint64_t    u = next_line() % 10;
	int         n = u < 5 ? 1 : u < 8 ? 2 : 3, sku[3], k;
	double      w[3], sum = 0, left = amount, line;

	sku[0] = first_sku(c, next());
	for (k = 1; k < n; k++)
		sku[k] = other_sku(sku[0], next_line());
	for (k = 0; k < n; k++)
		sum += w[k] = 1 + (double)(next_line() % 100) / 100;
	for (k = 0; k < n; k++) {
		line = k + 1 < n ? round(amount * w[k] / sum * 100) / 100 : left;
		left -= line;
		fprintf(shop,
		    "{\"order_id\":\"W%07ld\",\"buyer\":\"W%06d\","
		    "\"paid_at\":\"%s\",\"total\":%.2f,"
		    "\"sku\":\"SKU-%04d\",\"category\":\"%s\","
		    "\"channel\":\"%s\",\"status\":\"%s\","
		    "\"rating\":%s}\n",
		    order_no, i + 1, paid_at, line, sku[k], cat, channel,
		    status, k == 0 ? rating : "null");
	}
}

/* Purchases of one customer: a Poisson process until dropout. */
static void
write_orders(FILE *shop, FILE *pos, struct customer *c, int i, int last_day,
    long *order_no)
{
	double t = c->first;
	int    first = 1;

	for (;;) {
		int    day = (int)t, y, m, d, h = 8 + (int)(next() % 14),
		    mi = (int)(next() % 60);
		double amount = c->spend * gamma_draw(4) / 4;
		const char *cat = PICK(categories);

		if (day > last_day)
			break;
		c->last = day;
		civil(day, &y, &m, &d);
		(*order_no)++;
		if (c->store) {
			fprintf(pos,
			    "S%07ld;P%06d;%d/%d/%d %d:%02d;¥%.2f;%s;%s;%s\n",
			    *order_no, i + 1, y, m, d, h, mi, amount,
			    next() % 25 == 0 ? "退货" : "销售", cat,
			    PICK(stores));
		} else {
			char paid_at[32];

			snprintf(paid_at, sizeof(paid_at),
			    "%04d-%02d-%02dT%02d:%02d:00+08:00", y, m, d, h, mi);
			write_shop_order(shop, c, i, *order_no, paid_at, amount,
			    cat);
		}
		if (!first && uniform() < c->p_drop)
			break;
		first = 0;
		t += -log(uniform()) / c->rate;
	}
}

/* Open DIR/name for writing, or exit 3. */
static FILE *
create(const char *dir, const char *name)
{
	char  path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(3);
	}
	return fp;
}

static const char customers_yaml[] =
    "# The sample's customer exports: one source per system.\n"
    "defaults:\n"
    "  tz: Asia/Shanghai\n"
    "  region: CN\n"
    "sources:\n"
    "  - name: crm\n"
    "    kind: customer\n"
    "    files: crm-*.csv\n"
    "    fields:\n"
    "      source_key: 客户编号\n"
    "      name: 姓名\n"
    "      phone: 手机\n"
    "      email: 邮箱\n"
    "      id_number: 身份证号\n"
    "      gender: 性别\n"
    "      city: 城市\n"
    "      created_at: 注册时间\n"
    "    values:\n"
    "      city: { 上海市: 上海 }\n"
    "  - name: shop\n"
    "    kind: customer\n"
    "    files: shop-accounts.csv\n"
    "    fields:\n"
    "      source_key: account_id\n"
    "      name: nickname\n"
    "      phone: mobile\n"
    "      created_at: signup\n"
    "  - name: store\n"
    "    kind: customer\n"
    "    files: store-members.csv\n"
    "    fields:\n"
    "      source_key: card_no\n"
    "      phone: tel\n"
    "      created_at: joined\n"
    "  - name: desk\n"
    "    kind: customer\n"
    "    files: desk-contacts.csv\n"
    "    fields:\n"
    "      source_key: contact_id\n"
    "      name: contact_name\n";

static const char events_yaml[] =
    "# The sample's event exports, each named after the system whose\n"
    "# customer keys it carries.\n"
    "defaults:\n"
    "  tz: Asia/Shanghai\n"
    "sources:\n"
    "  - name: shop\n"
    "    kind: event\n"
    "    files: shop-orders.ndjson\n"
    "    fields:\n"
    "      customer_id: buyer\n"
    "      ts: paid_at\n"
    "      amount: total\n"
    "      product_id: sku\n"
    "      type: status\n"
    "    values:\n"
    "      type: { paid: order }\n"
    "  - name: store\n"
    "    kind: event\n"
    "    files: store-sales.csv\n"
    "    delimiter: \";\"\n"
    "    fields:\n"
    "      customer_id: 会员号\n"
    "      ts: 时间\n"
    "      amount: 金额\n"
    "      order_id: 单号\n"
    "      type: 类型\n"
    "      category: 品类\n"
    "      channel: 渠道\n"
    "  - name: desk\n"
    "    kind: event\n"
    "    files: desk-tickets.csv\n"
    "    fields:\n"
    "      customer_id: contact\n"
    "      ts: created\n"
    "      type: kind\n"
    "      order_id: ticket_id\n"
    "      text: description\n";

/*
 * sources.yaml: both maps in one, the event sources renamed after their
 * exports, since a map names each source once.
 */
static void
write_sources(const char *dir)
{
	FILE       *fp = create(dir, "sources.yaml");
	const char *line = strstr(events_yaml, "  - name: ");

	fputs("# All the sample's exports in one map.\n", fp);
	fputs(strstr(customers_yaml, "defaults:"), fp);
	while (*line != '\0') {
		size_t n = strcspn(line, "\n");

		fwrite(line, 1, n, fp);
		if (strncmp(line, "  - name: ", 10) == 0)
			fputs("-events", fp);
		fputc('\n', fp);
		line += n + (line[n] == '\n');
	}
	fclose(fp);
}

int
main(int argc, char *argv[])
{
	FILE *shop, *pos, *accounts, *members, *contacts, *tickets, *fp;
	struct customer *cs;
	int n, i, last_day = 1034; /* 2026-10-31 */
	long order_no = 0, ticket_no = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen-sample dir [customers]\n");
		return 2;
	}
	n = argc == 3 ? atoi(argv[2]) : 3000;
	if (n <= 0)
		return 2;
	cs = calloc((size_t)n, sizeof(*cs));
	if (cs == NULL)
		return 3;
	for (i = 0; i < n; i++) {
		snprintf(cs[i].key, sizeof(cs[i].key), "K%06d", i + 1);
		cs[i].rate = gamma_draw(0.9) / 45.0;
		cs[i].p_drop = beta_draw(0.8, 3.0);
		cs[i].spend = 60 + 400 * gamma_draw(2) / 2;
		cs[i].first = (int)(uniform() * 900);
		cs[i].store = next() % 3 == 0;
		make_person(&cs[i], i);
		/* Some online buyers never reached the CRM. */
		cs[i].in_crm = cs[i].store || next() % 7 != 0;
		cs[i].in_desk = next() % 5 == 0;
	}
	shop = create(argv[1], "shop-orders.ndjson");
	pos = create(argv[1], "store-sales.csv");
	fputs("单号;会员号;时间;金额;类型;品类;渠道\n", pos);
	for (i = 0; i < n; i++)
		write_orders(shop, pos, &cs[i], i, last_day, &order_no);
	/* A few rows of the kind every export has. */
	fputs("{\"order_id\":\"W9999998\",\"buyer\":\"\",\"paid_at\":"
	      "\"2026-05-01T10:00:00+08:00\",\"total\":10,\"sku\":\"SKU-0001\","
	      "\"category\":\"食品\",\"channel\":\"web\",\"status\":\"paid\","
	      "\"rating\":null}\n",
	    shop);
	fputs("S9999999;P000001;2026/13/01 10:00;¥12.00;销售;食品;门店\n", pos);
	fclose(shop);
	fclose(pos);
	fp = create(argv[1], "crm-customers.csv");
	write_customers(fp, cs, n);
	fclose(fp);
	accounts = create(argv[1], "shop-accounts.csv");
	members = create(argv[1], "store-members.csv");
	contacts = create(argv[1], "desk-contacts.csv");
	write_accounts(accounts, members, contacts, cs, n);
	fclose(accounts);
	fclose(members);
	fclose(contacts);
	tickets = create(argv[1], "desk-tickets.csv");
	fputs("ticket_id,contact,created,kind,channel,description\n", tickets);
	for (i = 0; i < n; i++)
		if (cs[i].in_desk)
			write_tickets(tickets, &cs[i], i, &ticket_no);
	fclose(tickets);
	fp = create(argv[1], "customers.yaml");
	fputs(customers_yaml, fp);
	fclose(fp);
	fp = create(argv[1], "events.yaml");
	fputs(events_yaml, fp);
	fclose(fp);
	write_sources(argv[1]);
	free(cs);
	return 0;
}
