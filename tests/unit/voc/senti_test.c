/* tests/unit/voc/senti_test.c: the sentiment scorer's rules. */
#include <stdlib.h>
#include <string.h>

#include "senti.h"
#include "tap.h"
#include "textnorm.h"

struct ctx {
	struct senti s;
	uint32_t    *cp;
	size_t       cap;
	struct buf   norm;
};

/* The score of s as ci-ingest gives it: NFKC, folded; -9 for none. */
static double
score(struct ctx *c, const char *text)
{
	size_t n;
	double v;

	buf_reset(&c->norm);
	if (textnorm_text(text, strlen(text), &c->norm) < 0)
		return -99;
	n = ptrie_fold(
	    &c->s.fold, buf_str(&c->norm), c->norm.len, &c->cp, &c->cap);
	return senti_score(&c->s, c->cp, n, &v) ? v : -9;
}

int
main(void)
{
	struct ctx    c = { 0 };
	struct ci_err e = { 0 };
	const char   *lex;

	plan(36);
	is_int(senti_init(&c.s, &e), 0, "the built-in lexicon loads");
	ok(score(&c, "好吃") > 0.3, "好吃 is positive");
	ok(score(&c, "不好吃") < -0.3, "不好吃 is negative");
	ok(score(&c, "不好吃") > -score(&c, "好吃") - 1e-9,
	    "negation weighs a little less than the word");
	ok(score(&c, "不差") > 0, "不差 is faint praise");
	ok(score(&c, "不是不好") > 0, "two negations cancel");
	ok(score(&c, "好") < score(&c, "很好"), "好 < 很好");
	ok(score(&c, "很好") < score(&c, "非常好"), "很好 < 非常好");
	ok(score(&c, "有点贵") > score(&c, "贵"), "有点贵 is milder than 贵");
	ok(score(&c, "不太好") < 0 && score(&c, "不太好") > score(&c, "不好"),
	    "不太好 is milder than 不好");
	ok(score(&c, "送餐很快，但是菜是凉的") < 0,
	    "送餐很快，但是菜是凉的 is negative");
	ok(score(&c, "菜是凉的，但是送餐很快") > 0,
	    "the clause after the contrast weighs more");
	ok(score(&c, "东西不错，就是物流太慢") < 0, "就是 at a clause's start");
	ok(score(&c, "就是好") > 0, "就是 inside a clause is no contrast");
	is_near(score(&c, "服務很好"), score(&c, "服务很好"), 1e-12,
	    "服務很好 scores as 服务很好");
	ok(score(&c, "質量太差了") < -0.5, "traditional complaint");
	ok(score(&c, "Great service, very friendly staff") > 0.5,
	    "English praise");
	ok(score(&c, "The product is NOT good") < -0.3, "English negation");
	ok(score(&c, "Terrible. Never again!") < -0.5, "English complaint");
	ok(score(&c, "good") < score(&c, "very good"), "very good > good");
	is_int((int)score(&c, "goods"), -9, "whole words only: goods");
	is_int((int)score(&c, ""), -9, "empty text has no score");
	is_int((int)score(&c, "订单号 12345"), -9, "no opinion, no score");
	is_int((int)score(&c, "好像"), -9, "好像 holds no 好");
	is_int((int)score(&c, "快递"), -9, "快递 holds no 快");
	ok(score(&c, "😀") > 0.3, "a smiling emoji alone is positive");
	ok(score(&c, "👎👎") < -0.3, "thumbs down alone is negative");
	ok(score(&c, "好!!!") > score(&c, "好"), "exclamation marks amplify");
	lex = "# shop slang\n好吃\t-1\n绝绝子\t3\n";
	is_int(senti_add(&c.s, lex, strlen(lex), "x.tsv", &e), 0,
	    "a lexicon adds and overrides");
	ok(score(&c, "绝绝子") > 0.5 && score(&c, "好吃") < 0,
	    "its entries are used");
	lex = "ok\t1\nbad\t9\n";
	is_int(senti_add(&c.s, lex, strlen(lex), "x.tsv", &e), -1,
	    "a weight out of range");
	is_str(e.msg, "bad weight '9' for 'bad': want a number from -5 to 5",
	    "says which");
	is_int((int)e.line, 2, "at its line");
	lex = "a\t1\nA\t2\n";
	is_int(senti_add(&c.s, lex, strlen(lex), "x.tsv", &e), -1,
	    "a word given twice, up to case");
	is_str(e.msg, "'A' is given twice (first on line 1)", "says where");
	lex = "alone\n";
	is_int(senti_add(&c.s, lex, strlen(lex), "x.tsv", &e) == -1 &&
	        e.code == CI_EXIT_USAGE,
	    1, "a line without a weight");
	free(c.cp);
	buf_release(&c.norm);
	senti_release(&c.s);
	return done_testing();
}
