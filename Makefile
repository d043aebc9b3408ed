# govarch: one non-recursive Makefile. `make check` installs what is missing,
# builds and runs every test; `make demo` crawls the bundled replica site.
O        ?= build
CC       ?= cc
SHARED   ?= $(abspath ../shared)
PKGS     := libcurl libxml-2.0 libzstd zlib libbrotlidec libarchive sqlite3 libcrypto \
            libmicrohttpd
# poppler-glib: compiled against, not linked; src/diff/pdflib.c loads it by
# its soname (read from the library the headers belong to) when a PDF is read
POPPLER_SONAME := $(shell objdump -p $$(pkg-config --variable=libdir poppler-glib \
                    2>/dev/null)/libpoppler-glib.so 2>/dev/null | sed -n 's/^ *SONAME *//p')
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) poppler-glib 2>/dev/null) \
              $(if $(POPPLER_SONAME),-DPDFLIB_SONAME='"$(POPPLER_SONAME)"')
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
WERROR   := $(if $(CI),-Werror)
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) $(CFLAGS) $(EXTRA_CFLAGS) \
             -Isrc -I$(O) $(PKG_CFLAGS) -MMD -MP
LDFLAGS  ?=
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)

LIB_SRC  := $(sort $(wildcard src/util/*.c src/warc/*.c src/crawl/*.c \
                    src/html/*.c src/catalog/*.c src/diff/*.c src/replay/*.c))
CMD_SRC  := $(sort $(wildcard src/cmd-*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(O)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(O)/%.o) $(O)/src/govarch.o
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
SITE_SRC := $(sort $(wildcard tests/site/*.c))
SITE_OBJ := $(SITE_SRC:%.c=$(O)/%.o)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))

.PHONY: all deps check check-unit check-cli demo asan sanitized fuzz-regress clean fuzz site \
        install uninstall deb poppler-soname check-package check-browser
all: $(O)/govarch $(O)/govarch-site

deps:
	@./scripts/install-deps

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The command table is generated from the cmd_entry each src/cmd-*.c exports,
# so adding a command means adding one file.
$(O)/cmd-table.h: $(CMD_SRC) Makefile
	@mkdir -p $(O)
	@{ for f in $(CMD_SRC); do \
	     sed -n 's/^const struct cmd_entry \(cmd_[a-z0-9_]*_entry\) = {.*/\1/p' $$f; \
	   done; } | sort > $@.names
	@{ sed 's/.*/extern const struct cmd_entry &;/' $@.names; \
	   printf '#define CMD_TABLE_ENTRIES'; sed 's/.*/ \&&,/' $@.names | tr -d '\n'; echo; } > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp $@.names

$(O)/src/govarch.o: $(O)/cmd-table.h

$(O)/libgovarch.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(O)/govarch: $(CMD_OBJ) $(O)/libgovarch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJ) $(O)/libgovarch.a $(PKG_LIBS)

$(O)/govarch-site: $(SITE_OBJ) $(O)/libgovarch.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(SITE_OBJ) $(O)/libgovarch.a $(PKG_LIBS) \
	    $(shell pkg-config --libs libmicrohttpd 2>/dev/null)
site: $(O)/govarch-site

$(O)/tests/test-%: tests/unit/test-%.c $(O)/libgovarch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(O)/libgovarch.a $(PKG_LIBS) -lcmocka

# The same library, unit tests and fuzz targets under AddressSanitizer and
# UndefinedBehaviorSanitizer, in their own build directory.  The fuzz
# targets are linked with tests/fuzz/regress-main.c instead of libFuzzer, so
# gcc builds them and they replay their corpus (tests/fuzz/corpus/NAME/).
ASAN_O    := build-asan
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz-%.c=%)
SAN_MAKE   = $(MAKE) --no-print-directory O=$(ASAN_O) CFLAGS="-O1 -g" \
             EXTRA_CFLAGS="$(SAN_FLAGS)" EXTRA_LDFLAGS="$(SAN_FLAGS)"

$(O)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/regress-main.c $(O)/libgovarch.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/regress-main.c \
	    $(O)/libgovarch.a $(PKG_LIBS)

sanitized: deps
	+@$(SAN_MAKE) $(UNIT_BIN:$(O)/%=$(ASAN_O)/%) $(FUZZ_NAMES:%=$(ASAN_O)/fuzz/fuzz-%)

# Every corpus file through every fuzz target, under the sanitizers.
fuzz-regress: sanitized
	@O=$(O) ASAN_O=$(ASAN_O) SHARED=$(SHARED) ./tests/run-all fuzz

# Unit and command tests, the unit tests again under the sanitizers, the
# fuzz corpora, and the WARC reader's unit test under valgrind.  Both
# builds compile as many files at a time as there are CPUs unless -j is
# given; run-all runs the tests two at a time (TEST_JOBS).
CHECK_J = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 2))
check: deps
	@$(MAKE) --no-print-directory $(CHECK_J) all $(UNIT_BIN)
	+@$(MAKE) --no-print-directory $(CHECK_J) sanitized
	@O=$(O) ASAN_O=$(ASAN_O) SHARED=$(SHARED) ./tests/run-all

check-unit: $(UNIT_BIN)
	@O=$(O) ./tests/run-all unit

check-cli: all
	@O=$(O) SHARED=$(SHARED) ./tests/run-all cli

# In a real browser: Debian's chromium, driven headless by the npm package
# playwright-core (pinned, installed into $(O)/npm): a WACZ export opened in
# ReplayWeb.page, and `govarch replay`.  Not part of `make check`.
check-browser: all
	@./scripts/install-deps chromium nodejs npm
	@O=$(O) ./tests/browser/run.sh

# The whole suite (command tests too) with the sanitized binaries.
asan: sanitized
	+@$(SAN_MAKE) all
	@O=$(ASAN_O) SHARED=$(SHARED) ASAN_OPTIONS=detect_leaks=1 ./tests/run-all

# Fuzz targets (libFuzzer): `make fuzz` builds build-fuzz/fuzz-*; run one with
# e.g. build-fuzz/fuzz-robots -max_total_time=600 /tmp/new tests/fuzz/corpus/robots
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined
fuzz: deps
	@$(MAKE) --no-print-directory O=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" \
	    build-fuzz/libgovarch.a
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	    echo "clang $$f -> build-fuzz/$$n"; \
	    clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	        -Isrc $(PKG_CFLAGS) -o build-fuzz/$$n $$f build-fuzz/libgovarch.a $(PKG_LIBS) || exit 1; \
	done

# ---- install: `make install PREFIX=/usr DESTDIR=/tmp/root` ----------------
# The binary finds PREFIX/share/govarch/dpmc.conf relative to itself, so one
# build installs under any PREFIX; /etc/govarch/govarch.conf, when present,
# is read first.  The systemd units are installed, not enabled.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR      = $(PREFIX)/bin
LIBEXECDIR  = $(PREFIX)/lib/govarch
DATADIR     = $(PREFIX)/share/govarch
MANDIR      = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
UNITDIR    ?= $(PREFIX)/lib/systemd/system
ARCHIVEDIR ?= /var/lib/govarch/archive
INSTALLED  := $(BINDIR)/govarch $(LIBEXECDIR)/govarch-cron \
              $(DATADIR)/dpmc.conf $(MANDIR)/man1/govarch.1 \
              $(MANDIR)/man5/govarch.conf.5 $(BASHCOMPDIR)/govarch \
              $(UNITDIR)/govarch.service $(UNITDIR)/govarch.timer

install: $(O)/govarch
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR)
	install -m 755 $(O)/govarch $(DESTDIR)$(BINDIR)/govarch
	sed -e 's|^installed_govarch=$$|installed_govarch=$(BINDIR)/govarch|' \
	    -e 's|^installed_archive=$$|installed_archive=$(ARCHIVEDIR)|' \
	    scripts/govarch-cron > $(DESTDIR)$(LIBEXECDIR)/govarch-cron
	chmod 755 $(DESTDIR)$(LIBEXECDIR)/govarch-cron
	install -m 644 config/dpmc.conf $(DESTDIR)$(DATADIR)/dpmc.conf
	install -m 644 man/govarch.1 $(DESTDIR)$(MANDIR)/man1/govarch.1
	install -m 644 man/govarch.conf.5 $(DESTDIR)$(MANDIR)/man5/govarch.conf.5
	install -m 644 scripts/govarch.bash-completion $(DESTDIR)$(BASHCOMPDIR)/govarch
	sed -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' -e 's|@ARCHIVEDIR@|$(ARCHIVEDIR)|g' \
	    scripts/govarch.service.in > $(DESTDIR)$(UNITDIR)/govarch.service
	chmod 644 $(DESTDIR)$(UNITDIR)/govarch.service
	install -m 644 scripts/govarch.timer $(DESTDIR)$(UNITDIR)/govarch.timer

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR) 2>/dev/null

# A Debian package from the tree (dpkg-deb; lintian checked): build/*.deb.
# check-package installs it system-wide, crawls the replica as the govarch
# user and removes it again, so it is not part of `make check`.
deb: all
	@./scripts/make-deb $(O)

poppler-soname:
	@echo $(POPPLER_SONAME)

check-package: deb
	@O=$(O) ./scripts/check-package

demo: deps all
	@./scripts/demo

clean:
	rm -rf $(O) $(ASAN_O) build-fuzz

-include $(shell find $(O) -name '*.d' 2>/dev/null)
