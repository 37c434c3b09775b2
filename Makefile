# ci: customer-intelligence toolchain.
#
#   make            build every program into build/bin
#   make check      lint, unit and end-to-end tests, then the same tests
#                   again built with clang under ASan and UBSan
#   make demo       install dependencies, build, run the sample pipeline
#                   and print the path of its report.html
#   make screenshot the README's picture of the demo's report
#   make bench      the benchmarks in scripts/bench (never part of check)
#   make deps       install the Debian packages needed to build and test
#   make install    PREFIX=/usr/local: programs and man pages
#   make fuzz       FUZZ_SECONDS=60: fuzz the readers and parsers
#
# One template builds both variants: build/ with $(CC) and build/asan/ with
# clang and the sanitizers.  No recursive make; the generated sources are
# the hanzi tables of lib/text/hanzi.c, made from Debian's unicode-data, and
# the dictionaries of lib/voc (scripts/gen-embed).

# As many jobs as processors unless make is told how many: make check
# builds two variants and runs their tests side by side.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif

VERSION	= 0.1.0
PREFIX	?= /usr/local
CC	?= cc
SAN_CC	?= clang

WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wvla
# lib/ is a folder per group of modules (lib/README); file names are unique
# across the folders, so every folder is on the include path and an
# include names the file alone.
LIB_DIRS = $(sort $(patsubst %/,%,$(dir $(wildcard lib/*/*.h))))
GEN	= build/gen
CPPFLAGS_CI = $(addprefix -I,$(LIB_DIRS)) -I$(GEN) -D_GNU_SOURCE \
	  -DCI_VERSION='"$(VERSION)"'
CFLAGS	?= -O2 -g
# Link-time optimisation inlines across lib/ modules (the per-field record
# I/O calls); with gcc only, whose archiver gcc-ar understands LTO objects.
IS_GCC	:= $(shell $(CC) -v 2>&1 | grep -q '^gcc version' && echo yes)
LTO	?= $(if $(IS_GCC),-flto=auto,)
AR_LTO	= $(if $(IS_GCC),gcc-ar,ar)
LIBS	= -Wl,--as-needed -lcsv -ljansson -lyaml -lgsl -lgslcblas \
	  -lutf8proc -lsodium -lxxhash -lxgboost -llinear -lm -pthread
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=all

LIB_SRC	= $(sort $(wildcard lib/*/*.c))
LIB_HDR	= $(sort $(wildcard lib/*/*.h))
CMD_SRC	= $(sort $(wildcard cmd/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/*/*_test.c))
FUZZ_SRC = $(sort $(wildcard tests/fuzz/*_fuzz.c))
PROGS	= $(patsubst cmd/%.c,%,$(CMD_SRC))
MANS	= $(sort $(wildcard man/*.1 man/*.7))

# $(call variant,DIR,CC,CFLAGS,AR)
define variant
$(1)/obj/%.o: lib/%.c
	@mkdir -p $$(@D)
	$(2) -std=c17 $(3) $(WARN) $(CPPFLAGS_CI) -MMD -MP -c -o $$@ $$<

$(1)/obj/text/hanzi.o: $(GEN)/unihan-tab.h
$(1)/obj/voc/senti.o: $(GEN)/senti-lexicon.h
$(1)/obj/voc/topics.o: $(GEN)/topics-dict.h

$(1)/libci.a: $(patsubst lib/%.c,$(1)/obj/%.o,$(LIB_SRC))
	@rm -f $$@
	$(4) rcs $$@ $$^

$(1)/bin/%: cmd/%.c $(1)/libci.a
	@mkdir -p $$(@D)
	$(2) -std=c17 $(3) $(WARN) $(CPPFLAGS_CI) -MMD -MP -o $$@ $$< \
	    $(1)/libci.a $(LIBS)

$(1)/tests/%: tests/unit/%.c tests/tap.h $(1)/libci.a
	@mkdir -p $$(@D)
	$(2) -std=c17 $(3) $(WARN) $(CPPFLAGS_CI) -Itests -MMD -MP -o $$@ $$< \
	    $(1)/libci.a $(LIBS)

$(1)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(1)/libci.a
	@mkdir -p $$(@D)
	$(2) -std=c17 $(3) $(WARN) $(CPPFLAGS_CI) -MMD -MP -o $$@ $$< \
	    tests/fuzz/replay.c $(1)/libci.a $(LIBS)

$(1)-all: $(addprefix $(1)/bin/,$(PROGS)) \
    $(patsubst tests/unit/%.c,$(1)/tests/%,$(UNIT_SRC)) \
    $(patsubst tests/fuzz/%.c,$(1)/fuzz/%,$(FUZZ_SRC))

-include $$(wildcard $(1)/obj/*/*.d $(1)/bin/*.d $(1)/tests/*/*.d \
    $(1)/fuzz/*.d)
endef

# Pinyin readings and simplified forms of the ideographs (Unihan).
$(GEN)/unihan-tab.h: scripts/gen-unihan
	@mkdir -p $(@D)
	scripts/gen-unihan >$@.tmp && mv $@.tmp $@

# The sentiment lexicon and the topic dictionary, compiled in.
$(GEN)/senti-lexicon.h: lib/voc/senti-lexicon.tsv scripts/gen-embed
	@mkdir -p $(@D)
	scripts/gen-embed senti_lexicon_tsv lib/voc/senti-lexicon.tsv >$@.tmp && \
	    mv $@.tmp $@

$(GEN)/topics-dict.h: lib/voc/topics.tsv scripts/gen-embed
	@mkdir -p $(@D)
	scripts/gen-embed topics_dict_tsv lib/voc/topics.tsv >$@.tmp && \
	    mv $@.tmp $@

$(eval $(call variant,build,$(CC),$(CFLAGS) $(LTO),$(AR_LTO)))
$(eval $(call variant,build/asan,$(SAN_CC),$(SAN_FLAGS),ar))

.PHONY: all check test test-asan lint deps demo bench fuzz install clean \
    hdr-check screenshot
.DEFAULT_GOAL := all
.SECONDARY:

all: $(addprefix build/bin/,$(PROGS))

# The test runner runs unit tests, golden cases and doc checks for each
# build directory given, and ends with "N passed, N failed".
check: lint build-all build/asan-all
	@tests/run build >build/check.log 2>&1 & plain=$$!; \
	    tests/run build/asan; asan=$$?; \
	    wait $$plain; plain=$$?; cat build/check.log; \
	    test $$plain = 0 && test $$asan = 0

test: build-all
	tests/run build

test-asan: build/asan-all
	tests/run build/asan

lint: hdr-check
	clang-format --dry-run -Werror $(LIB_SRC) $(CMD_SRC) $(LIB_HDR) \
	    $(UNIT_SRC) $(FUZZ_SRC) tests/fuzz/replay.c tests/tap.h
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	    --enable=warning,portability,performance \
	    --suppress=missingIncludeSystem $(addprefix -I,$(LIB_DIRS)) \
	    -D_GNU_SOURCE lib cmd
	mandoc -Tlint -Wwarning $(MANS)

# Each header compiles on its own.
hdr-check:
	@for h in $(LIB_HDR); do \
	    printf '#include "%s"\n' "$${h##*/}" | \
	    $(CC) -std=c17 $(WARN) $(CPPFLAGS_CI) -fsyntax-only -x c - || \
	    exit 1; done

deps:
	scripts/deps

demo: deps all
	scripts/demo

# The README's picture of the report: the demo's, taken by the code of
# the rendering test (scripts/report-shot, headless Chromium).
screenshot: all
	scripts/demo >/dev/null
	scripts/report-shot --width 1000 --height 1500 --png doc/report.png \
	    build/demo/report/report.html

bench: deps all
	scripts/deps --bench
	scripts/bench/run

FUZZ_SECONDS ?= 60
fuzz: deps $(GEN)/unihan-tab.h $(GEN)/senti-lexicon.h $(GEN)/topics-dict.h
	LIBS='$(LIBS)' scripts/fuzz $(FUZZ_SECONDS)

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 755 $(addprefix build/bin/,$(PROGS)) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(PREFIX)/share/man/man7

clean:
	rm -rf build
