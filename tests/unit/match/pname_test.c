/* tests/unit/match/pname_test.c: name forms, pinyin and simplified. */
#include <string.h>

#include "hanzi.h"
#include "pname.h"
#include "tap.h"

static const char *
key_of(const char *s, struct buf *k, struct buf *r)
{
	pname_forms(s, strlen(s), k, r);
	return buf_str(k);
}

int
main(void)
{
	struct buf k = { 0 }, r = { 0 }, j = { 0 };

	plan(10);
	is_str(hanzi_pinyin(0x5f20), "zhang", "张 reads zhang");
	is_int((int)hanzi_simplified(0x5f35), 0x5f20, "張 simplifies to 张");
	is_int((int)hanzi_simplified(0x41), 0x41, "A is left alone");
	is_str(key_of("張 偉", &k, &r), "张伟", "key: simplified, no space");
	is_str(buf_str(&r), "zhang wei", "roman of 張偉");
	key_of("王小明", &k, &r);
	is_str(buf_str(&r), "wang xiaoming", "given name is one word");
	is_str(key_of("José  GARCÍA", &k, &r), "jose garcia",
	    "folded, accents stripped");
	key_of("Wei Zhang", &k, &r);
	pname_join(r.data, r.len, 1, 0, &j);
	is_str(buf_str(&j), "zhangwei", "reversed words joined");
	buf_reset(&j);
	pname_join(r.data, r.len, 2, ' ', &j);
	is_str(buf_str(&j), "wei zhang", "sorted words");
	is_int((int)pname_words(r.data, r.len), 2, "two words");
	buf_release(&k);
	buf_release(&r);
	buf_release(&j);
	return done_testing();
}
