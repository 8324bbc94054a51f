# Makefile — plain GNU make for improve.
#
#   make              build ./improve (optimised)
#   make check        set up, build with ASan+UBSan, run every test that fits in 10 minutes
#   make check-full   check, then the long runs: fuzzing (FULL_FUZZ_SECONDS each), national
#                     scale, crash loops, load, and the whole suite under valgrind unsanitised
#   make demo         set up, build, run `improve demo`
#   make bench        run the benchmarks in bench/ (figures, never pass/fail)
#   make fuzz         libFuzzer harnesses, FUZZ_SECONDS each (default 300)
#   make coverage     test coverage report with gcovr (coverage/index.html)
#   make format       clang-format every source file in place
#   make lint         clang-format check and cppcheck
#
# Sources are found by wildcard: a new file in src/<room>/ is built without
# editing this file; tests/unit/test_<name>.c becomes one cmocka binary each.

SHELL    := /bin/bash
# `make V=1` shows the full compiler command lines.
Q        := $(if $(V),,@)
CC       ?= cc
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
LIBS_PKG := sqlite3 libxml-2.0 libsodium jansson gsl libmicrohttpd xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(LIBS_PKG) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(LIBS_PKG) 2>/dev/null) -lm -lpthread
TEST_LIBS  := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN     := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wno-format-nonliteral
BASEFLAGS := -std=c17 -D_GNU_SOURCE -DIMPROVE_VERSION='"$(VERSION)"' -Isrc $(WARN) $(PKG_CFLAGS) -MMD -MP
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Build flavours: rel (optimised), asan (sanitised, for make check), cov (coverage),
# dbg (unsanitised -O1 -g, for valgrind).
CFLAGS_rel  := -O2 -g
CFLAGS_asan := -O1 -g $(SANFLAGS)
CFLAGS_cov  := -O0 -g --coverage
CFLAGS_dbg  := -O1 -g
LDFLAGS_asan := $(SANFLAGS)
LDFLAGS_cov  := --coverage
# improve itself: libraries it calls only through src/core/lazylib.c (libxml2, libmicrohttpd,
# libxlsxwriter) are left out of its start-up (about 5 ms a process; docs/internals.md).
IMPROVE_LDFLAGS := -Wl,--as-needed

SRCS      := $(sort $(shell find src -name '*.c'))
LIB_SRCS  := $(filter-out src/main.c,$(SRCS))
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_NAMES := $(patsubst tests/unit/%.c,%,$(TEST_SRCS))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 300
# make check-full fuzzes each harness this long (make fuzz: FUZZ_SECONDS).
FULL_FUZZ_SECONDS ?= 120
# Where objects and binaries go (another directory lets two checkouts' builds not collide).
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all check check-full demo bench fuzz fuzz-brief coverage format lint setup clean \
	unit-asan unit-dbg valgrind national crash-loop browser-test

all: improve

# Keep object files that pattern chains would otherwise delete as intermediates.
.SECONDARY:

# ---------------------------------------------------------------- build rules
define flavour
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(BASEFLAGS) $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/libimprove.a: $$(patsubst %.c,$(BUILD)/$(1)/%.o,$$(LIB_SRCS))
	@rm -f $$@
	$$(Q)ar rcs $$@ $$^

$(BUILD)/$(1)/improve: $(BUILD)/$(1)/src/main.o $(BUILD)/$(1)/libimprove.a $(BUILD)/$(1)/web/assets_data.o
	$$(Q)$$(CC) $$(CFLAGS_$(1)) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(IMPROVE_LDFLAGS) $$(PKG_LIBS)

$(BUILD)/$(1)/web/assets_data.o: $(BUILD)/web/assets_data.c
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(BASEFLAGS) $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/tests/%: $(BUILD)/$(1)/tests/unit/%.o $(BUILD)/$(1)/libimprove.a
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CC) $$(CFLAGS_$(1)) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(TEST_LIBS) $$(PKG_LIBS)

unit-$(1): $(BUILD)/$(1)/improve $$(addprefix $(BUILD)/$(1)/tests/,$$(TEST_NAMES))
endef
$(foreach f,rel asan cov dbg,$(eval $(call flavour,$(f))))

improve: $(BUILD)/rel/improve
	cp $< $@

# Web assets for `improve serve` (GOV.UK Frontend compiled with sass), linked into improve only.
$(BUILD)/web/assets_data.c: scripts/gen-assets web/improve.scss web/init.js web/package-lock.json \
		$(wildcard web/node_modules/.package-lock.json)
	$(Q)scripts/gen-assets $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

setup:
	@scripts/setup

# ---------------------------------------------------------------- tests
# The last line of `make check` is the runner's "N passed, N failed" summary.
check: setup
	@$(MAKE) --no-print-directory -j$(JOBS) unit-asan $(BUILD)/fuzz/ok
	@tests/run --build $(BUILD)/asan --fuzz-dir $(BUILD)/fuzz --fuzz-seconds 5

check-full: setup
	@$(MAKE) --no-print-directory -j$(JOBS) unit-asan unit-dbg $(BUILD)/rel/improve $(BUILD)/fuzz/ok
	@tests/run --build $(BUILD)/asan --fuzz-dir $(BUILD)/fuzz --fuzz-seconds $(FULL_FUZZ_SECONDS) \
		--long --valgrind $(BUILD)/dbg

# The browser tests alone (tests/run runs them too, in make check), against the sanitised build.
browser-test: setup
	@$(MAKE) --no-print-directory $(BUILD)/asan/improve
	@tests/browser/run --improve $(BUILD)/asan/improve

# ---------------------------------------------------------------- fuzzing (clang + libFuzzer)
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc -g -O1 $(PKG_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined
$(BUILD)/fuzz/lib/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -DIMPROVE_VERSION='"$(VERSION)"' -MMD -MP -c $< -o $@

$(BUILD)/fuzz/libimprove.a: $(patsubst %.c,$(BUILD)/fuzz/lib/%.o,$(LIB_SRCS))
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/fuzz/libimprove.a
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP -MF $@.d -MT $@ -o $@ $(filter %.c %.a,$^) $(PKG_LIBS)

$(BUILD)/fuzz/ok: $(addprefix $(BUILD)/fuzz/,$(FUZZ_NAMES))
	@mkdir -p $(dir $@) && touch $@

fuzz: setup $(BUILD)/fuzz/ok
	@for f in $(FUZZ_NAMES); do \
		echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
		mkdir -p $(BUILD)/fuzz/corpus-$$f; \
		$(BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/fuzz/corpus-$$f tests/fuzz/seeds/$$f >$(BUILD)/fuzz/$$f.log 2>&1 \
			|| { tail -40 $(BUILD)/fuzz/$$f.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units' $(BUILD)/fuzz/$$f.log || true; \
	done

# ---------------------------------------------------------------- other
demo: setup improve
	./improve demo

bench: setup improve
	@for b in bench/*/run; do echo "== $$b"; $$b || exit 1; done

coverage: setup
	@$(MAKE) --no-print-directory unit-cov
	@find $(BUILD)/cov -name '*.gcda' -delete
	@tests/run --build $(BUILD)/cov --fuzz-seconds 0 || true
	@mkdir -p coverage
	gcovr --root . --filter src/ --object-directory $(BUILD)/cov --html-details coverage/index.html --print-summary

FORMAT_FILES = $(shell find src tests bench -name '*.[ch]')
format:
	clang-format -i $(FORMAT_FILES)

lint:
	clang-format --dry-run -Werror $(FORMAT_FILES)
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 --inline-suppr -D__GNUC__ -Isrc --suppress=missingIncludeSystem src tests

clean:
	rm -rf $(BUILD) improve coverage
