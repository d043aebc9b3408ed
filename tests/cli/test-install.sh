#!/bin/sh
# make install / make uninstall into a DESTDIR:
#  - exactly these files, with these modes, under PREFIX (and nothing else);
#  - the systemd service and the cron wrapper carry the prefix's paths;
#  - the installed binary runs and finds its example configuration under
#    PREFIX/share/govarch (GOVARCH_CONFIG points away from any system one);
#  - make uninstall leaves no file behind.
. "$TOP/tests/cli/lib.sh"

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
command -v make >/dev/null 2>&1 || skip "make is not installed"
tmpdir T
R=$T/root

make -s -C "$TOP" O="$O" PREFIX=/opt/gv DESTDIR="$R" install >"$T/out" 2>&1 ||
	fail "make install: $(tail -n 5 "$T/out")"
(cd "$R" && find . -type f -printf '%m %p\n' | LC_ALL=C sort) >"$T/files"
cat >"$T/want" <<'LIST'
644 ./opt/gv/lib/systemd/system/govarch.service
644 ./opt/gv/lib/systemd/system/govarch.timer
644 ./opt/gv/share/bash-completion/completions/govarch
644 ./opt/gv/share/govarch/dpmc.conf
644 ./opt/gv/share/man/man1/govarch.1
644 ./opt/gv/share/man/man5/govarch.conf.5
755 ./opt/gv/bin/govarch
755 ./opt/gv/lib/govarch/govarch-cron
LIST
LC_ALL=C sort -o "$T/want" "$T/want"
diff "$T/want" "$T/files" >"$T/d" || fail "installed files (< want, > got):
$(cat "$T/d")"

S=$R/opt/gv/lib/systemd/system/govarch.service
grep -qx 'ExecStart=/opt/gv/lib/govarch/govarch-cron --archive /var/lib/govarch/archive' "$S" ||
	fail "service: $(grep Exec "$S")"
grep -q '@' "$S" && fail "service has unfilled placeholders: $(grep '@' "$S")"
grep -qx 'installed_govarch=/opt/gv/bin/govarch' "$R/opt/gv/lib/govarch/govarch-cron" ||
	fail "cron wrapper: govarch path not filled in"
sh -n "$R/opt/gv/lib/govarch/govarch-cron" || fail "cron wrapper: syntax"

"$R/opt/gv/bin/govarch" version | head -n 1 | grep -q '^govarch ' ||
	fail "installed binary does not run"
# the example configuration is found beside the installed binary: with it
# loaded, the crawl stops at the unknown --set key (without it, at "no
# config") before touching the network
(unset GOVARCH_CONFIG; cd "$T" &&
	"$R/opt/gv/bin/govarch" crawl --archive "$T/a" --set bogus-key=1) \
	>"$T/crawl.out" 2>&1
if [ ! -e /etc/govarch/govarch.conf ]; then
	grep -q "unknown key 'bogus-key'" "$T/crawl.out" ||
		fail "installed crawl: $(cat "$T/crawl.out")"
fi

make -s -C "$TOP" O="$O" PREFIX=/opt/gv DESTDIR="$R" uninstall >"$T/out" 2>&1 ||
	fail "make uninstall: $(tail -n 5 "$T/out")"
left=$(find "$R" -type f)
[ -z "$left" ] || fail "left after uninstall: $left"
echo "ok"
