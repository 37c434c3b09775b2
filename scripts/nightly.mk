# nightly.mk: the nightly pipeline as a Makefile, so that a night reruns
# only the steps whose inputs changed (an export that did not change, a
# model that need not be refitted).  From the top of the repository:
#
#   make -f scripts/nightly.mk DATA=/path/to/exports OUT=/path/to/work
#
# DATA holds tonight's exports and the source maps customers.yaml and
# events.yaml (as scripts/gen-sample.c writes them); OUT gets every
# intermediate file and OUT/report/ the report.  Last night's summary is
# kept as OUT/summary-previous.json, so the report shows the changes since.
# BIN is where the programs are (build/bin); scripts/nightly.cron has the
# cron line.  The exports are named by CUSTOMER_FILES and EVENT_FILES.

DATA	?= data
OUT	?= out
BIN	?= build/bin
ASOF_TRAIN ?= 2026-04-30
PLAYBOOK ?= testdata/churn-playbook.yaml
CUSTOMER_FILES ?= crm-customers.csv shop-accounts.csv store-members.csv \
	desk-contacts.csv
EVENT_FILES ?= shop-orders.ndjson store-sales.csv desk-tickets.csv

export PATH := $(abspath $(BIN)):$(PATH)
SHELL	= /bin/sh
.SHELLFLAGS = -ec
.DELETE_ON_ERROR:

O	= $(OUT)
REPORT_IN = $(O)/churn.csv $(O)/quality-customers.json \
	$(O)/quality-events.json $(O)/crosswalk.csv $(O)/outlook.csv \
	$(O)/events.csv $(O)/profiles.csv

.PHONY: all
all: $(O)/report/report.html

$(O)/.dir:
	mkdir -p $(O)
	touch $@

# Canonical records, one ci-ingest run for the customer exports and one
# for the event exports, so that new orders leave the customers alone.
$(O)/customers.csv $(O)/quality-customers.json &: \
    $(DATA)/customers.yaml $(addprefix $(DATA)/,$(CUSTOMER_FILES)) | $(O)/.dir
	cd $(DATA) && ci-ingest -q --map customers.yaml \
	    --customers $(abspath $(O))/customers.csv \
	    --rejects $(abspath $(O))/rejects-customers.ndjson \
	    --quality $(abspath $(O))/quality-customers.json \
	    --max-errors 2% $(CUSTOMER_FILES)

$(O)/events-by-source.csv $(O)/quality-events.json &: \
    $(DATA)/events.yaml $(addprefix $(DATA)/,$(EVENT_FILES)) | $(O)/.dir
	cd $(DATA) && ci-ingest -q --map events.yaml \
	    --events $(abspath $(O))/events-by-source.csv \
	    --rejects $(abspath $(O))/rejects-events.ndjson \
	    --quality $(abspath $(O))/quality-events.json \
	    --max-errors 2% $(EVENT_FILES)

# One customer_id per person; ci-dedupe keeps last night's ids.
$(O)/people.csv $(O)/crosswalk.csv &: $(O)/customers.csv
	prior=""; [ ! -f $(O)/crosswalk.csv ] || { \
	    cp $(O)/crosswalk.csv $(O)/crosswalk-previous.csv; \
	    prior="--prior $(O)/crosswalk-previous.csv"; }; \
	ci-dedupe -q $$prior --crosswalk $(O)/crosswalk.csv \
	    $(O)/customers.csv >$(O)/people.csv

# An event of a customer no export has (yet) is kept in the rejects.
$(O)/events.csv: $(O)/events-by-source.csv $(O)/crosswalk.csv
	ci-dedupe apply -q --format csv --crosswalk $(O)/crosswalk.csv \
	    --rejects $(O)/rejects-apply.ndjson --max-errors 1% \
	    $(O)/events-by-source.csv >$@

$(O)/features.csv: $(O)/events.csv
	ci-features -q $< >$@

$(O)/clv-model.json: $(O)/features.csv
	ci-score fit -q --spend gamma-gamma $< >$@

$(O)/scored.csv: $(O)/clv-model.json $(O)/features.csv
	ci-score predict -q --model $^ >$@

$(O)/outlook.csv: $(O)/clv-model.json $(O)/features.csv
	ci-score forecast -q --model $^ --horizon 13 --by week >$@

$(O)/segments.csv $(O)/profiles.csv &: $(O)/scored.csv
	ci-segment -q --profiles $(O)/profiles.csv $< >$(O)/segments.csv

# The churn model learns from the customers' outcome after ASOF_TRAIN.
$(O)/churn-model.json: $(O)/events.csv
	ci-features -q --asof $(ASOF_TRAIN) --label-window 90d $< \
	    >$(O)/churn-train.csv
	ci-churn train -q --label label_active --positive 0 \
	    $(O)/churn-train.csv >$@

$(O)/churn.csv: $(O)/churn-model.json $(O)/segments.csv $(PLAYBOOK)
	ci-churn predict -q --model $< --playbook $(PLAYBOOK) \
	    $(O)/segments.csv >$@

$(O)/report/report.html: $(REPORT_IN)
	prev=""; [ ! -f $(O)/report/summary.json ] || { \
	    cp $(O)/report/summary.json $(O)/summary-previous.json; \
	    prev="--previous $(O)/summary-previous.json"; }; \
	ci-report -q -o $(O)/report --customers $(O)/churn.csv $$prev \
	    --quality $(O)/quality-customers.json \
	    --quality $(O)/quality-events.json \
	    --dedupe-stats $(O)/crosswalk.csv --outlook $(O)/outlook.csv \
	    --events $(O)/events.csv --profiles $(O)/profiles.csv
	echo $(abspath $@)
