# crossbench - a terminal workbench for cross-compiling Rust.
#
#   make            build ./crossbench
#   make run        install build dependencies, build, open the workbench on samples/
#   make check      install test dependencies, build, run every test
#   make install    PREFIX=/usr/local DESTDIR=
#   make V=1        show the commands
#
# Sources are found by wildcard: core/*.c is the engine, tui/*.c the front
# ends, tests/unit/test_*.c the unit tests, tests/fuzz/fuzz_*.c the fuzzers.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/crossbench
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
# Debian's clang-14 package installs clang-14, not clang; its sanitizer
# and fuzzer runtimes (libclang-rt-14-dev) are the ones .ci/deps installs.
CLANG   ?= $(shell command -v clang-14 2>/dev/null || echo clang)
CFLAGS  ?= -O2 -g
# Variant builds (sanitizers, fuzzers) put everything under their own B.
B       ?= build/default
BIN     ?= crossbench

VERSION := 0.1.0
PKGS    := ncursesw libgit2 libpcre2-8 jansson

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wformat=2 -Wno-unused-parameter
ifeq ($(CI),true)
WARN += -Werror
endif

# Recursive (=) so pkg-config runs only when a compile needs it: `make check`
# on a fresh machine installs the -dev packages first, then builds.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))

ALL_CPPFLAGS = -std=c11 -D_GNU_SOURCE -Icore -Itui -I$(B)/gen \
               -DCB_VERSION='"$(VERSION)"' -DCB_DATADIR='"$(DATADIR)"' \
               $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(WARN) $(CFLAGS) $(SANFLAGS)
ALL_LDFLAGS  = $(LDFLAGS) $(SANFLAGS)

ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-7s %s\n'
endif

CORE_SRC := $(sort $(wildcard core/*.c))
TUI_SRC  := $(sort $(wildcard tui/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
HELP_SRC := $(sort $(wildcard tests/lib/*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
HELP_BIN := $(HELP_SRC:tests/lib/%.c=$(B)/tests/%)
CORE_LIB := $(B)/libcbcore.a

.PHONY: all run check test unit cli integration e2e asan fuzz fuzz-smoke \
        diagnose-report lint-man man-keys deps deps-run deps-test install uninstall clean bench
.DEFAULT_GOAL := all

all: $(BIN) $(HELP_BIN)

$(BIN): $(TUI_OBJ) $(CORE_LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(TUI_OBJ) $(CORE_LIB) $(PKG_LIBS) -lm

$(CORE_LIB): $(CORE_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $(CORE_OBJ)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/test_%: tests/unit/test_%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) \
		-MMD -MP -o $@ $< $(CORE_LIB) $(PKG_LIBS) $(shell pkg-config --libs cmocka) -lm

# Data files compiled in, each line a C string without comments: the
# built-in theme is themes/dark.theme itself (an install without data files
# looks as the default theme file says), the floors core/presets/floors.conf.
$(B)/gen/dark_theme.inc: themes/dark.theme
$(B)/gen/floors.inc: core/presets/floors.conf
$(B)/gen/dark_theme.inc $(B)/gen/floors.inc:
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)sed -e 's/\(^\|[[:space:]]\)#.*//' -e 's/[[:space:]][[:space:]]*/ /g' \
		-e 's/^ //' -e 's/ $$//' -e '/^$$/d' -e 's/[\\"]/\\&/g' -e 's/.*/"&",/' \
		$< > $@.tmp && mv $@.tmp $@
$(B)/core/theme.o: $(B)/gen/dark_theme.inc
$(B)/core/floor.o: $(B)/gen/floors.inc

# Small programs the tests use (a fake cargo's helpers, generators).
# They may use core (savehammer saves settings as the workbench does).
$(B)/tests/%: tests/lib/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(CORE_LIB) $(PKG_LIBS) -lpthread -lm

-include $(CORE_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(HELP_BIN:=.d)

# ---------------------------------------------------------------- set-up
# .ci/deps installs what is missing with apt-get when run as root, or prints
# the exact command and stops.  Then make runs itself again, so pkg-config
# sees the libraries it just installed.

deps:
	@sh .ci/deps build

deps-run:
	@sh .ci/deps run

deps-test:
	@sh .ci/deps test

# The workbench on the bundled sample (the article's case: ring's build
# script needs a C cross compiler).
RUN_DIR ?= samples/hello-ring
run: deps-run
	@$(MAKE) --no-print-directory all
	@# The samples come with this tree, which make has just built and run:
	@# trusted for this run (a project from elsewhere asks first).
	./$(BIN) --trust -C $(RUN_DIR)

check: deps-test
	@$(MAKE) --no-print-directory test

# ---------------------------------------------------------------- tests
# Every suite prints one line per test; a failure prints the test's output.

RUNNER = sh tests/lib/runner.sh

test: all unit cli integration e2e asan fuzz-smoke diagnose-report lint-man
	@echo "make check: all suites passed"

unit: $(UNIT_BIN)
	$(Q)$(RUNNER) unit $(UNIT_BIN)

cli: all
	$(Q)CROSSBENCH=$(CURDIR)/$(BIN) TESTBIN=$(CURDIR)/$(B)/tests $(RUNNER) cli tests/cli/*.sh

integration: all
	$(Q)CROSSBENCH=$(CURDIR)/$(BIN) TESTBIN=$(CURDIR)/$(B)/tests $(RUNNER) integration tests/integration/*.sh

e2e: all
	$(Q)CROSSBENCH=$(CURDIR)/$(BIN) TESTBIN=$(CURDIR)/$(B)/tests $(RUNNER) e2e tests/e2e/*.sh

# The unit and CLI suites again, built with clang's AddressSanitizer and
# UndefinedBehaviorSanitizer; any report fails the run.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan:
	$(Q)$(MAKE) --no-print-directory B=build/asan BIN=build/asan/crossbench \
		CC=$(CLANG) CFLAGS="-O1 -g" SANFLAGS="$(SAN)" \
		build/asan/crossbench $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%) \
		$(HELP_SRC:tests/lib/%.c=build/asan/tests/%)
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(RUNNER) unit-asan $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		CROSSBENCH=$(CURDIR)/build/asan/crossbench TESTBIN=$(CURDIR)/build/asan/tests \
		$(RUNNER) cli-asan tests/cli/*.sh
	@# The workbench under the sanitizers too; in tmux its reports would only
	@# reach the screen, so they go to files and any file is a failure.
	$(Q)rm -rf build/asan/e2e-reports && mkdir -p build/asan/e2e-reports
	$(Q)ASAN_OPTIONS=detect_leaks=1:log_path=$(CURDIR)/build/asan/e2e-reports/asan \
		UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/build/asan/e2e-reports/ubsan \
		CROSSBENCH=$(CURDIR)/build/asan/crossbench TESTBIN=$(CURDIR)/build/asan/tests \
		$(RUNNER) e2e-asan tests/e2e/*.sh
	$(Q)if ls build/asan/e2e-reports/* >/dev/null 2>&1; then \
		cat build/asan/e2e-reports/*; echo "asan: the workbench reported errors"; exit 1; fi

# libFuzzer targets: core compiled with coverage, each fuzz_X.c linked
# against it.  `make fuzz` runs each for FUZZ_SECONDS; `make check` runs a
# fixed number of inputs from the committed corpus plus new mutations.
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 5000
FUZZ_B       := build/fuzz
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_B)/%)
FUZZ_FLAGS   := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer

# The core library is built by a sub-make (its own flags and objects), so
# make cannot see through it: a fuzzer is stale whenever core changed.
$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRC) $(wildcard core/*.h)
	$(Q)$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(CLANG) CFLAGS="-O1 -g" \
		SANFLAGS="$(FUZZ_FLAGS)" $(FUZZ_B)/libcbcore.a
	$(say) FUZZ $@
	$(Q)$(CLANG) $(ALL_CPPFLAGS) $(WARN) -O1 -g \
		-fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
		-o $@ $< $(FUZZ_B)/libcbcore.a $(PKG_LIBS) -lm

fuzz: $(FUZZ_BIN)
	@# Crashes land in build/fuzz-artifacts/, never in the source tree.
	$(Q)for f in $(FUZZ_BIN); do n=$${f##*/}; mkdir -p build/fuzz-corpus/$$n build/fuzz-artifacts/$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		    -artifact_prefix=build/fuzz-artifacts/$$n/ \
		    build/fuzz-corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

fuzz-smoke: $(FUZZ_BIN)
	$(Q)FUZZ_RUNS=$(FUZZ_RUNS) $(RUNNER) fuzz $(FUZZ_BIN)

# Top-1 category accuracy on every fixture log, misses listed; fails
# below 100 % on the logs made here or 95 % on the posted ones.
diagnose-report: all
	$(Q)sh tests/diagnose-report.sh $(CURDIR)/$(BIN)

lint-man: all
	$(Q)CROSSBENCH=$(CURDIR)/$(BIN) $(RUNNER) man tests/lib/lint-man.sh

# The KEYS section of crossbench(1) is the key table's own output.
man-keys: all
	$(Q)awk -v keys="$$(./$(BIN) keys --mdoc)" \
		'/^\.\\" KEYS:/ { print; print keys; skip = 1; next } \
		 /^\.\\" END KEYS/ { skip = 0 } !skip' man/crossbench.1 > man/crossbench.1.tmp && \
		mv man/crossbench.1.tmp man/crossbench.1

# The benchmarks build projects they made themselves (under TMPDIR) and
# the bundled samples: trusted for the run, nothing recorded.
bench: all
	$(Q)for s in bench/*.sh; do CROSSBENCH_TRUST="$${TMPDIR:-/tmp}:$(CURDIR)/samples" sh $$s || exit 1; done

# ---------------------------------------------------------------- install

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules \
		$(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(DATADIR)/presets \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/crossbench
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 core/rules/*.rules $(DESTDIR)$(DATADIR)/rules/
	install -m 644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -m 644 core/presets/* $(DESTDIR)$(DATADIR)/presets/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/crossbench $(DESTDIR)$(MANDIR)/man1/crossbench.1 \
		$(DESTDIR)$(MANDIR)/man5/crossbench.conf.5 $(DESTDIR)$(MANDIR)/man5/crossbench-rules.5
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build crossbench
