/*
 * schema: canonical columns and vocabularies.  The tables are the single
 * definition of the record kinds; ci(7) and ci-ingest(1) document them and
 * the tests hold the two together.
 */
#include <string.h>

#include "schema.h"

static const struct field_def customer_fields[] = {
	{ "source", FT_SOURCE, true, MASK_GENERIC, false },
	{ "source_key", FT_KEY, true, MASK_GENERIC, false },
	{ "name", FT_NAME, false, MASK_NAME, false },
	{ "email", FT_EMAIL, false, MASK_EMAIL, false },
	{ "phone", FT_PHONE, false, MASK_PHONE, false },
	{ "id_number", FT_IDNUM, false, MASK_IDCARD, false },
	{ "birth_date", FT_DATE, false, MASK_GENERIC, false },
	{ "gender", FT_GENDER, false, MASK_GENERIC, true },
	{ "city", FT_TEXT, false, MASK_GENERIC, false },
	{ "address", FT_TEXT, false, MASK_GENERIC, false },
	{ "created_at", FT_TIME, false, MASK_GENERIC, false },
};

static const struct field_def event_fields[] = {
	{ "customer_id", FT_KEY, true, MASK_GENERIC, false },
	{ "source", FT_SOURCE, true, MASK_GENERIC, false },
	{ "ts", FT_TIME, true, MASK_GENERIC, false },
	{ "type", FT_TYPE, false, MASK_GENERIC, true },
	{ "order_id", FT_KEY, false, MASK_GENERIC, false },
	{ "amount", FT_AMOUNT, false, MASK_GENERIC, false },
	{ "currency", FT_CURRENCY, false, MASK_GENERIC, true },
	{ "product_id", FT_KEY, false, MASK_GENERIC, false },
	{ "category", FT_TEXT, false, MASK_GENERIC, false },
	{ "channel", FT_CHANNEL, false, MASK_GENERIC, true },
	{ "rating", FT_NUMBER, false, MASK_GENERIC, false },
	{ "text", FT_TEXT, false, MASK_GENERIC, false },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const struct field_def *
schema_fields(enum ci_kind k, size_t *n)
{
	if (k == CI_KIND_CUSTOMER) {
		*n = NELEM(customer_fields);
		return customer_fields;
	}
	*n = NELEM(event_fields);
	return event_fields;
}

int
schema_field(enum ci_kind k, const char *name)
{
	size_t                  n, i;
	const struct field_def *f = schema_fields(k, &n);

	for (i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *
schema_kind_name(enum ci_kind k)
{
	return k == CI_KIND_CUSTOMER ? "customer" : "event";
}

int
schema_kind_parse(const char *s, enum ci_kind *k)
{
	if (strcmp(s, "customer") == 0 || strcmp(s, "customers") == 0)
		*k = CI_KIND_CUSTOMER;
	else if (strcmp(s, "event") == 0 || strcmp(s, "events") == 0)
		*k = CI_KIND_EVENT;
	else
		return -1;
	return 0;
}

/*
 * Genders: ISO/IEC 5218 codes (0 not known, 1 male, 2 female, 9 not
 * applicable) and the words exports use, English and Chinese.
 */
static const struct vocab_entry gender_vocab[] = {
	{ "male", "male" },
	{ "m", "male" },
	{ "man", "male" },
	{ "men", "male" },
	{ "1", "male" },
	{ "男", "male" },
	{ "男性", "male" },
	{ "先生", "male" },
	{ "female", "female" },
	{ "f", "female" },
	{ "woman", "female" },
	{ "women", "female" },
	{ "2", "female" },
	{ "女", "female" },
	{ "女性", "female" },
	{ "女士", "female" },
	{ "other", "other" },
	{ "o", "other" },
	{ "x", "other" },
	{ "diverse", "other" },
	{ "non-binary", "other" },
	{ "nonbinary", "other" },
	{ "其他", "other" },
	{ "0", "" },
	{ "9", "" },
	{ "u", "" },
	{ "unknown", "" },
	{ "n/a", "" },
	{ "未知", "" },
	{ "保密", "" },
	{ NULL, NULL },
};

static const struct vocab_entry type_vocab[] = {
	{ "order", "order" },
	{ "orders", "order" },
	{ "sale", "order" },
	{ "sales", "order" },
	{ "purchase", "order" },
	{ "buy", "order" },
	{ "paid", "order" },
	{ "订单", "order" },
	{ "下单", "order" },
	{ "购买", "order" },
	{ "销售", "order" },
	{ "成交", "order" },
	{ "refund", "refund" },
	{ "return", "refund" },
	{ "returns", "refund" },
	{ "returned", "refund" },
	{ "chargeback", "refund" },
	{ "退货", "refund" },
	{ "退款", "refund" },
	{ "退单", "refund" },
	{ "visit", "visit" },
	{ "pageview", "visit" },
	{ "page_view", "visit" },
	{ "session", "visit" },
	{ "访问", "visit" },
	{ "浏览", "visit" },
	{ "到店", "visit" },
	{ "ticket", "ticket" },
	{ "support", "ticket" },
	{ "case", "ticket" },
	{ "工单", "ticket" },
	{ "咨询", "ticket" },
	{ "complaint", "complaint" },
	{ "投诉", "complaint" },
	{ "review", "review" },
	{ "评价", "review" },
	{ "评论", "review" },
	{ NULL, NULL },
};

static const struct vocab_entry channel_vocab[] = {
	{ "web", "web" },
	{ "website", "web" },
	{ "online", "web" },
	{ "pc", "web" },
	{ "ecommerce", "web" },
	{ "e-commerce", "web" },
	{ "官网", "web" },
	{ "网站", "web" },
	{ "网店", "web" },
	{ "线上", "web" },
	{ "电商", "web" },
	{ "app", "app" },
	{ "mobile", "app" },
	{ "mobile app", "app" },
	{ "ios", "app" },
	{ "android", "app" },
	{ "手机", "app" },
	{ "客户端", "app" },
	{ "store", "store" },
	{ "shop", "store" },
	{ "retail", "store" },
	{ "offline", "store" },
	{ "pos", "store" },
	{ "in-store", "store" },
	{ "instore", "store" },
	{ "branch", "store" },
	{ "门店", "store" },
	{ "线下", "store" },
	{ "实体店", "store" },
	{ "店铺", "store" },
	{ "专柜", "store" },
	{ "phone", "phone" },
	{ "telephone", "phone" },
	{ "call", "phone" },
	{ "call center", "phone" },
	{ "callcenter", "phone" },
	{ "电话", "phone" },
	{ "热线", "phone" },
	{ "wechat", "wechat" },
	{ "weixin", "wechat" },
	{ "mini program", "wechat" },
	{ "miniprogram", "wechat" },
	{ "微信", "wechat" },
	{ "小程序", "wechat" },
	{ "公众号", "wechat" },
	{ "marketplace", "marketplace" },
	{ "tmall", "marketplace" },
	{ "taobao", "marketplace" },
	{ "jd", "marketplace" },
	{ "pinduoduo", "marketplace" },
	{ "amazon", "marketplace" },
	{ "天猫", "marketplace" },
	{ "淘宝", "marketplace" },
	{ "京东", "marketplace" },
	{ "拼多多", "marketplace" },
	{ "email", "email" },
	{ "e-mail", "email" },
	{ "edm", "email" },
	{ "邮件", "email" },
	{ "social", "social" },
	{ "douyin", "social" },
	{ "tiktok", "social" },
	{ "xiaohongshu", "social" },
	{ "weibo", "social" },
	{ "抖音", "social" },
	{ "小红书", "social" },
	{ "微博", "social" },
	{ NULL, NULL },
};

/* Currency words; three-letter codes are taken as written. */
static const struct vocab_entry currency_vocab[] = {
	{ "rmb", "CNY" },
	{ "人民币", "CNY" },
	{ "元", "CNY" },
	{ "¥", "CNY" },
	{ "$", "USD" },
	{ "us$", "USD" },
	{ "美元", "USD" },
	{ "€", "EUR" },
	{ "欧元", "EUR" },
	{ "£", "GBP" },
	{ "英镑", "GBP" },
	{ "hk$", "HKD" },
	{ "港币", "HKD" },
	{ "港元", "HKD" },
	{ "nt$", "TWD" },
	{ "日元", "JPY" },
	{ "₩", "KRW" },
	{ NULL, NULL },
};

const struct vocab_entry *
schema_vocab(enum field_type t)
{
	switch (t) {
	case FT_CURRENCY:
		return currency_vocab;
	case FT_GENDER:
		return gender_vocab;
	case FT_TYPE:
		return type_vocab;
	case FT_CHANNEL:
		return channel_vocab;
	default:
		return NULL;
	}
}

bool
schema_vocab_open(enum field_type t)
{
	return t == FT_TYPE || t == FT_CHANNEL;
}
