/*
 * gen-sample: the sample data of `make demo`, the same bytes everywhere (a
 * fixed splitmix64 stream; no libc rand()).  Writes into DIR:
 *
 *   crm-customers.csv   the CRM's customer export: Chinese headers, names
 *                       in Chinese and Western writing, phones in every
 *                       common form, some ID numbers, a few broken values
 *   shop-orders.ndjson  the web shop's order feed (customers by CRM key)
 *   store-sales.csv     the stores' POS export, semicolon-separated, with
 *                       "销售"/"退货" types and amounts like "¥1,234.50"
 *   sources.yaml        the source map describing the three
 *
 * Customers buy as in the BG/NBD story (Fader, Hardie & Lee 2005): each has
 * a purchase rate drawn from a gamma distribution and, after each purchase,
 * a chance drawn from a beta distribution of becoming inactive, so the
 * sample has the mix of loyal, lapsing and one-off buyers that the later
 * stages (features, CLV, segments) are about.
 *
 *   gen-sample DIR [CUSTOMERS]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 20261123;

static uint64_t
next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
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
	char   key[16];
	double rate;   /* purchases per day while active */
	double p_drop; /* chance of becoming inactive after a purchase */
	double spend;  /* mean order value */
	int    first;  /* day of the first purchase, days since 2024-01-01 */
	int    store;  /* shops in stores rather than online */
};

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

/* A phone number of customer i in one of the writings exports use. */
static void
phone(char *out, size_t size, int i)
{
	/* A Chinese mobile: 1, then 3 to 9, then nine digits. */
	unsigned long n = 10000000000UL +
	    (unsigned long)(3 + next() % 7) * 1000000000UL +
	    (unsigned long)(next() % 1000000000UL);
	unsigned long a = n / 100000000, b = n / 10000 % 10000, c = n % 10000;

	switch (i % 7) {
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
		snprintf(out, size, "%s", i % 50 == 6 ? "1380013" : "");
		break;
	}
}

static void
write_customers(FILE *fp, struct customer *cs, int n)
{
	int i;

	fputs("客户编号,姓名,手机,邮箱,身份证号,性别,城市,注册时间,会员等级\n",
	    fp);
	for (i = 0; i < n; i++) {
		char name[64], tel[40], mail[96], id[24], born[32];
		const char *sex = next() % 2 ? "男" : "女";
		int y, m, d, by, bm, bd, western = next() % 8 == 0;

		if (western) {
			snprintf(name, sizeof(name), "%s %s",
			    PICK(western_first), PICK(western_last));
			snprintf(mail, sizeof(mail), "%.40s.%d@%s", name, i,
			    PICK(mail_domains));
			mail[strcspn(mail, " ")] = '.';
		} else {
			/* Some exports put a space inside Chinese names. */
			snprintf(name, sizeof(name), "%s%s%s", PICK(surnames),
			    next() % 6 == 0 ? " " : "", PICK(given));
			snprintf(mail, sizeof(mail), "%s%d@%s",
			    next() % 3 ? "user" : "VIP.User", 10000 + i,
			    PICK(mail_domains));
		}
		if (i % 40 == 7)
			strcpy(mail, "no-at-sign.example.com");
		phone(tel, sizeof(tel), i);
		id[0] = '\0';
		if (next() % 3 == 0) {
			by = 1950 + (int)(next() % 55);
			bm = 1 + (int)(next() % 12);
			bd = 1 + (int)(next() % 28);
			snprintf(id, sizeof(id), "%s%04d%02d%02d%03d",
			    PICK(provinces), by, bm, bd,
			    (int)(next() % 500) * 2 + (sex[0] == "男"[0] &&
			    sex[1] == "男"[1] && sex[2] == "男"[2]));
			id[18] = '\0';
			id[17] = check_char(id);
			if (i % 60 == 11)
				id[17] = id[17] == '0' ? '1' : '0';
		}
		civil(cs[i].first - (int)(next() % 30), &y, &m, &d);
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
		    "" : cs[i].key, name, tel, mail, id,
		    next() % 10 == 0 ? "" : sex, PICK(cities), born,
		    next() % 4 == 0 ? "金卡" : next() % 2 ? "银卡" : "普通");
	}
}

/* Purchases of one customer: a Poisson process until dropout. */
static void
write_orders(FILE *shop, FILE *pos, const struct customer *c, int last_day,
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
		civil(day, &y, &m, &d);
		(*order_no)++;
		if (c->store) {
			fprintf(pos,
			    "S%07ld;%s;%d/%d/%d %d:%02d;¥%.2f;%s;%s;%s\n",
			    *order_no, c->key, y, m, d, h, mi, amount,
			    next() % 25 == 0 ? "退货" : "销售", cat,
			    PICK(stores));
		} else {
			fprintf(shop,
			    "{\"order_id\":\"W%07ld\",\"buyer\":\"%s\","
			    "\"paid_at\":\"%04d-%02d-%02dT%02d:%02d:00+08:00\","
			    "\"total\":%.2f,\"sku\":\"SKU-%04d\","
			    "\"category\":\"%s\",\"channel\":\"%s\","
			    "\"status\":\"%s\",\"rating\":%s}\n",
			    *order_no, c->key, y, m, d, h, mi, amount,
			    (int)(next() % 400), cat, PICK(shop_channels),
			    next() % 30 == 0 ? "refund" : "paid",
			    next() % 5 == 0 ? "5" : "null");
		}
		if (!first && uniform() < c->p_drop)
			break;
		first = 0;
		t += -log(uniform()) / c->rate;
	}
}

int
main(int argc, char *argv[])
{
	char path[4096];
	FILE *fp, *shop, *pos;
	struct customer *cs;
	int n, i, last_day = 1034; /* 2026-10-31 */
	long order_no = 0;

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
	}
	snprintf(path, sizeof(path), "%s/crm-customers.csv", argv[1]);
	if ((fp = fopen(path, "w")) == NULL)
		return 3;
	write_customers(fp, cs, n);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/shop-orders.ndjson", argv[1]);
	shop = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/store-sales.csv", argv[1]);
	pos = fopen(path, "w");
	if (shop == NULL || pos == NULL)
		return 3;
	fputs("单号;会员号;时间;金额;类型;品类;渠道\n", pos);
	for (i = 0; i < n; i++)
		write_orders(shop, pos, &cs[i], last_day, &order_no);
	/* A few rows of the kind every export has. */
	fputs("{\"order_id\":\"W9999998\",\"buyer\":\"\",\"paid_at\":"
	      "\"2026-05-01T10:00:00+08:00\",\"total\":10,\"sku\":\"SKU-0001\","
	      "\"category\":\"食品\",\"channel\":\"web\",\"status\":\"paid\","
	      "\"rating\":null}\n",
	    shop);
	fputs("S9999999;K000001;2026/13/01 10:00;¥12.00;销售;食品;门店\n", pos);
	fclose(shop);
	fclose(pos);
	snprintf(path, sizeof(path), "%s/sources.yaml", argv[1]);
	if ((fp = fopen(path, "w")) == NULL)
		return 3;
	fputs("# The sample's three source systems.\n"
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
	      "    kind: event\n"
	      "    files: shop-*.ndjson\n"
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
	      "    files: store-*.csv\n"
	      "    delimiter: \";\"\n"
	      "    fields:\n"
	      "      customer_id: 会员号\n"
	      "      ts: 时间\n"
	      "      amount: 金额\n"
	      "      order_id: 单号\n"
	      "      type: 类型\n"
	      "      category: 品类\n"
	      "      channel: 渠道\n",
	    fp);
	fclose(fp);
	free(cs);
	return 0;
}
