# stance: one static library (build/libstance.a) and one thin executable per stage (bin/).
# `make` builds, `make check` runs the Check suites and the end-to-end scripts,
# `make sanitize` does the same in build-san/ under ASan+UBSan, `make bench` measures.

CC      ?= cc
CXX     ?= g++
PKGS    := jansson check
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L
CXXWARN := -Wall -Wextra -Werror -Wshadow
OPT     ?= -O2
CFLAGS  ?=
CXXFLAGS ?=
LDFLAGS ?=

BUILD   ?= build
BIN     ?= bin

override CFLAGS  += -pthread $(STD) $(WARN) $(OPT) -Iinclude -MMD -MP $(shell pkg-config --cflags jansson 2>/dev/null)
# One C++ file (pipeline/svmguard.cpp) keeps libsvm's and liblinear's exceptions out of C.
override CXXFLAGS += -pthread -std=c++17 $(CXXWARN) $(OPT) -MMD -MP
SHARED_LIBS := -pthread -lsvm -llinear -lstemmer $(shell pkg-config --libs jansson 2>/dev/null) -lstdc++ -lm
# The stages and the unit tests link libsvm, liblinear (with the BLAS it calls), libstemmer,
# jansson and libstdc++ from their static archives when all are installed (the -dev packages
# and g++): mapping and relocating five shared libraries, libstdc++ the largest, was half of
# stance-tag's start-up on a short article (bench/startup.sh). LINK=shared links the shared
# libraries instead; the sanitizer and fuzzing builds always do.
DEP_ARCHIVES := libsvm.a liblinear.a libblas.a libstemmer.a libjansson.a libstdc++.a
LINK    ?= $(if $(filter-out /%,$(foreach a,$(DEP_ARCHIVES),$(shell $(CC) -print-file-name=$(a)))),shared,static)
STATIC_LIBS := -pthread -Wl,-Bstatic -lsvm -llinear -lblas -lstemmer -ljansson -lstdc++ -Wl,-Bdynamic -lm
LIBS    := $(if $(filter static,$(LINK)),$(STATIC_LIBS),$(SHARED_LIBS))
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

# Layers: the library (pipeline/*.c, *.cpp) under the stages (pipeline/stages/<stage>_main.c,
# each linked with the shared pipeline/stages/stage.c and the library).
STAGES  := $(patsubst pipeline/stages/%_main.c,%,$(wildcard pipeline/stages/*_main.c))
STAGE_COMMON_OBJ := $(patsubst pipeline/stages/%.c,$(BUILD)/stages/%.o,$(filter-out %_main.c,$(wildcard pipeline/stages/*.c)))
LIB_SRC := $(wildcard pipeline/*.c)
LIB_CXX_SRC := $(wildcard pipeline/*.cpp)
LIB_OBJ := $(LIB_SRC:pipeline/%.c=$(BUILD)/%.o) $(LIB_CXX_SRC:pipeline/%.cpp=$(BUILD)/%.o)
LIB     := $(BUILD)/libstance.a
EXES    := $(STAGES:%=$(BIN)/stance-%)
TEST_SRC := $(wildcard tests/unit/check_*.c)
TEST_OBJ := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%.o)
TEST_EXE := $(BUILD)/check_stance

.PHONY: all deps stages check unit e2e sanitize sanitize-clang valgrind bench clean model demo eval-seeds eval-real
.PHONY: browser-check slurm-check
all: deps
	@$(MAKE) --no-print-directory stages

stages: $(LIB) $(EXES)

# Installs missing Debian packages (as root), or says which command would.
deps:
	@scripts/deps.sh

$(BUILD)/%.o: pipeline/%.c | $(BUILD)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: pipeline/%.cpp | $(BUILD)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(BUILD)/stages/%.o: pipeline/stages/%.c $(BUILD)/install-dirs | $(BUILD)/stages
	$(CC) $(CFLAGS) $(STAGE_DEFS) -c $< -o $@

$(BUILD)/tests/%.o: tests/unit/%.c | $(BUILD)/tests
	$(CC) $(CFLAGS) $(shell pkg-config --cflags check 2>/dev/null) -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BIN)/stance-%: $(BUILD)/stages/%_main.o $(STAGE_COMMON_OBJ) $(LIB) | $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(STAGE_COMMON_OBJ) $(LIB) $(LIBS) -o $@

# The suites test the library and the stages' shared stage.c.
$(TEST_EXE): $(TEST_OBJ) $(STAGE_COMMON_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) $(TEST_OBJ) $(STAGE_COMMON_OBJ) $(LIB) $(LIBS) $(CHECK_LIBS) -o $@

$(BUILD) $(BUILD)/stages $(BUILD)/tests $(BIN):
	mkdir -p $@

check: deps
	$(MAKE) unit e2e

unit: $(TEST_EXE)
	cd tests && ../$(TEST_EXE)

e2e: $(EXES)
	LC_ALL=C BIN=$(abspath $(BIN)) tests/e2e/run.sh

# stance-report's page in headless Chromium (skipped without chromium; too slow for e2e): every
# card in the DOM, hostile text kept as text, no network request, a screenshot in
# build/report-browser/, a 1,000-article page loaded.
browser-check: $(EXES)
	LC_ALL=C BIN=$(abspath $(BIN)) tests/e2e/run.sh $(abspath tests/e2e/browser/t_report_browser.sh)

# The Slurm job-array recipe (scripts/slurm/) on a one-node cluster started for the test, as
# root (tests/slurm/run.sh; skipped, with the reason, where it cannot run; too slow for e2e).
slurm-check: $(EXES)
	BIN=$(abspath $(BIN)) tests/slurm/run.sh

# Same suites under AddressSanitizer + UndefinedBehaviorSanitizer, in separate dirs; the e2e
# scripts skip their memory-limit cases for a BIN under build-san*. sanitize-clang builds with
# clang, whose UBSan checks more than gcc's (a null pointer plus zero, caught first by the
# fuzzers, which are built with clang).
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_BUILD ?= build-san
sanitize:
	CK_FORK=no ASAN_OPTIONS=detect_leaks=1 $(MAKE) check LINK=shared BUILD=$(SAN_BUILD) BIN=$(SAN_BUILD)/bin OPT="-O1 -g" \
	  CFLAGS="$(SAN_FLAGS)" CXXFLAGS="$(SAN_FLAGS) $(SAN_CXXFLAGS)" LDFLAGS="-fsanitize=address,undefined"

sanitize-clang:
	$(MAKE) sanitize CC=clang CXX=clang++ SAN_BUILD=build-san-clang SAN_CXXFLAGS=-fno-sanitize=vptr

# The end-to-end tests with every executable run under valgrind (any error or leak fails).
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
valgrind: all
	LC_ALL=C BIN=$(abspath $(BIN)) WRAP="$(VALGRIND)" tests/e2e/run.sh

bench: all
	$(MAKE) -C bench

# The shipped model: fixed settings and seed, so running it twice gives identical files.
MODEL_OPTS := --seed 1 --folds 5 --min-df 2 --c-grid 0.25,0.5,1,2,4 --nb-weight --stopwords none --actors labels/actors.txt --actors-applies -j 2 --quiet
model: all
	$(BIN)/stance-train --codebook labels/codebook.json -o models/default $(MODEL_OPTS) labels/passages.jsonl

# Tags the example articles with the shipped model.
demo: all
	$(BIN)/stance-tag -m models/default --no-text examples/

# Scores the shipped model on the real articles in ../shared/seeds/.
SEEDS ?= ../shared/seeds
eval-seeds: all
	$(BIN)/stance-tag -m models/default --no-text $(SEEDS) > build/seeds.pred.jsonl
	$(BIN)/stance-eval --codebook labels/codebook.json --gold $(SEEDS)/gold.jsonl build/seeds.pred.jsonl

# Scores the shipped model on every real article it never saw: the 36 of ../shared/real/ and
# the 3 of ../shared/seeds/, all passages together and headline and body apart (--by kind).
# Their gold writes null where no tone applies (--null-means-none).
REAL ?= ../shared/real
eval-real: all
	$(BIN)/stance-tag -m models/default --no-text $(REAL)/articles $(SEEDS) > build/real.pred.jsonl
	cat $(REAL)/gold.jsonl $(SEEDS)/gold.jsonl > build/real.gold.jsonl
	$(BIN)/stance-eval --codebook labels/codebook.json --null-means-none --by kind \
	    --gold build/real.gold.jsonl build/real.pred.jsonl

clean:
	rm -rf build build-san build-san-clang bin

# ---- install (begin): make install / make uninstall under PREFIX, staged in DESTDIR ----
# The stages are built with PREFIX compiled in (stance-tag's default model is
# $(PKGDATADIR)/models/default): build and install with the same PREFIX; a new PREFIX
# rebuilds them. Man pages: help2man runs each stage's --help (one page per bin/stance-*,
# with man/stance-<stage>.h2m if there is one); stance(7) is man/stance.7. install.sh notes
# every file and directory it makes in $(PKGDATADIR)/installed, and uninstall removes those.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
PKGDATADIR := $(DATADIR)/stance
VERSION    := $(shell sed -n 's/^\#define STANCE_VERSION "\(.*\)"$$/\1/p' include/stance/version.h)
STAGE_DEFS := -DSTANCE_PKGDATADIR='"$(PKGDATADIR)"'
MAN_DIR    := $(BUILD)/man
MAN1       := $(STAGES:%=$(MAN_DIR)/stance-%.1)
MAN7       := $(MAN_DIR)/stance.7
PC         := $(BUILD)/stance.pc

.PHONY: install uninstall install-check man man-pages FORCE

# The places compiled in: rewritten only when one changes, so that the stages (and stance.pc)
# are rebuilt only then.
INSTALL_DIRS := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(PKGDATADIR)
$(BUILD)/install-dirs: FORCE | $(BUILD)
	@printf '%s\n' $(INSTALL_DIRS) | cmp -s - $@ || printf '%s\n' $(INSTALL_DIRS) > $@

FORCE:

man: stages
	@scripts/deps.sh man help2man
	@$(MAKE) --no-print-directory man-pages

man-pages: $(MAN1) $(MAN7)

# The stages, one a line: rewritten when one comes or goes, to remake every page's SEE ALSO.
$(MAN_DIR)/stages: FORCE | $(MAN_DIR)
	@printf '%s\n' $(STAGES) > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# A page: NAME, ENVIRONMENT, FILES, EXAMPLES from man/stance-<stage>.h2m if there is one, and
# SEE ALSO stance(7) and the other stages.
$(MAN_DIR)/stance-%.1: $(BIN)/stance-% $(MAN_DIR)/stages $(wildcard man/*.h2m) | $(MAN_DIR)
	{ $(if $(wildcard man/stance-$*.h2m),sed 's|@PKGDATADIR@|$(PKGDATADIR)|g' man/stance-$*.h2m;) \
	  printf '%s\n' '[SEE ALSO]' '.BR \%stance (7),'; \
	  grep -vx '$*' $(MAN_DIR)/stages | sed -e 's/.*/.BR \\%stance\\-& (1),/' -e '$$s/,$$//'; \
	} > $@.h2m
	help2man --no-info --no-discard-stderr --section=1 --include=$@.h2m --output=$@.tmp $<
	mv $@.tmp $@

$(MAN7): man/stance.7 include/stance/version.h | $(MAN_DIR)
	sed 's|@VERSION@|$(VERSION)|g' $< > $@

$(PC): stance.pc.in include/stance/version.h $(BUILD)/install-dirs | $(BUILD)
	sed -e '/^#/d' -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

$(MAN_DIR):
	mkdir -p $@

INSTALL_ENV = DESTDIR='$(DESTDIR)' BINDIR='$(BINDIR)' LIBDIR='$(LIBDIR)' INCLUDEDIR='$(INCLUDEDIR)' \
    MANDIR='$(MANDIR)' PKGDATADIR='$(PKGDATADIR)'

install: man $(PC)
	@$(INSTALL_ENV) EXES='$(EXES)' LIB='$(LIB)' PC='$(PC)' MAN1='$(MAN1)' MAN7='$(MAN7)' \
	    HEADERS='$(wildcard include/stance/*.h)' MODEL='$(wildcard models/default/*)' \
	    scripts/install.sh install

uninstall:
	@$(INSTALL_ENV) scripts/install.sh uninstall

# Installs into a temporary DESTDIR (building in a scratch directory) and uses what it installed.
install-check: stages
	BIN=$(abspath $(BIN)) tests/install.sh
# ---- install (end) ----

# ---- fuzz (begin): libFuzzer targets in tests/fuzz/, built with clang in build-fuzz/ ----
# `make fuzz-build` builds them; `make fuzz` runs each in turn for FUZZ_SECONDS (default 30)
# on a scratch copy of its seed corpus (build-fuzz/corpus/<target>, kept between runs) and
# fails if any target finds a crash, leak, undefined behaviour, timeout or memory blow-up
# (inputs in build-fuzz/artifacts/<target>/). `make fuzz FUZZ_TARGETS="vector codebook"`
# runs some. tests/fuzz/README.md says what each covers.
CLANG        ?= clang
CLANGXX      ?= clang++
FUZZ_DIR     := build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS  := $(STD) $(WARN) -g -O1 -fno-omit-frame-pointer -pthread -Iinclude -MMD -MP \
                -fsanitize=address,undefined -fno-sanitize-recover=all \
                $(shell pkg-config --cflags jansson 2>/dev/null)
# The C++ shim is linked by the C driver, which leaves out UBSan's C++ runtime: no vptr checks.
FUZZ_CXXFLAGS := -std=c++17 $(CXXWARN) -g -O1 -fno-omit-frame-pointer -pthread -MMD -MP \
                -fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all
FUZZ_LIB     := $(FUZZ_DIR)/libstance.a
FUZZ_LIB_OBJ := $(LIB_SRC:pipeline/%.c=$(FUZZ_DIR)/obj/%.o) $(LIB_CXX_SRC:pipeline/%.cpp=$(FUZZ_DIR)/obj/%.o)
FUZZ_EXES    := $(patsubst tests/fuzz/fuzz_%.c,$(FUZZ_DIR)/fuzz_%,$(wildcard tests/fuzz/fuzz_*.c))
# Longest input (-max_len): whole articles and JSON Lines files may be long, the rest small.
FUZZ_MAX_LEN         := 65536
FUZZ_MAX_LEN_article := 1048576
FUZZ_MAX_LEN_jsonl   := 262144
FUZZ_MAX_LEN_labeled := 262144
FUZZ_OPTS = -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=30 -print_final_stats=1

# One target's run: scratch corpus, dictionary if any, log; a failure is remembered.
define fuzz_run
mkdir -p $(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/artifacts/$(1) $(FUZZ_DIR)/tmp; \
cp -n tests/fuzz/corpus/$(1)/* $(FUZZ_DIR)/corpus/$(1)/ 2>/dev/null; \
echo "fuzz: $(1) for $(FUZZ_SECONDS) s (log: $(FUZZ_DIR)/$(1).log)"; \
if TMPDIR=$(abspath $(FUZZ_DIR)/tmp) $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_OPTS) \
     -max_len=$(or $(FUZZ_MAX_LEN_$(1)),$(FUZZ_MAX_LEN)) \
     $(if $(wildcard tests/fuzz/$(1).dict),-dict=tests/fuzz/$(1).dict) \
     -artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)/ $(FUZZ_DIR)/corpus/$(1) \
     > $(FUZZ_DIR)/$(1).log 2>&1; \
then grep -aE '^Done|^stat::(number_of_executed_units|peak_rss)' $(FUZZ_DIR)/$(1).log | sed 's/^/  /'; \
     echo "  corpus: $$(ls $(FUZZ_DIR)/corpus/$(1) | wc -l) files"; \
else failed="$$failed $(1)"; tail -n 40 $(FUZZ_DIR)/$(1).log; fi;
endef

.PHONY: fuzz fuzz-build fuzz-clean
fuzz-build: $(FUZZ_EXES)

fuzz: fuzz-build
	@failed=; $(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t))) \
	if [ -n "$$failed" ]; then echo "fuzz: findings in:$$failed (inputs in $(FUZZ_DIR)/artifacts/)"; exit 1; fi

fuzz-clean:
	rm -rf $(FUZZ_DIR)

$(FUZZ_DIR)/obj/%.o: pipeline/%.c | $(FUZZ_DIR)/obj
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/obj/%.o: pipeline/%.cpp | $(FUZZ_DIR)/obj
	$(CLANGXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) | $(FUZZ_DIR)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_LIB) $(SHARED_LIBS) -o $@

$(FUZZ_DIR) $(FUZZ_DIR)/obj:
	mkdir -p $@

-include $(wildcard $(FUZZ_DIR)/*.d $(FUZZ_DIR)/obj/*.d)
# ---- fuzz (end) ----

.SECONDARY: # keep the stage objects make would treat as intermediate

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(STAGE_COMMON_OBJ:.o=.d) $(STAGES:%=$(BUILD)/stages/%_main.d)
