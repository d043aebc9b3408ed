#!/bin/sh
# The manual pages and the bash completion against the binary:
#  - every command `govarch help` lists is an item of govarch(1), and every
#    option in each command's synopsis (`govarch help CMD`) is in it too
#    (the config keys are checked against the parser's own table by
#    tests/unit/test-crawl-engine.c);
#  - mandoc -T lint finds no warning, man -l renders without one;
#  - the completion offers the commands govarch help lists, each command's
#    formats, and the crawl ids of the archive on the line.
. "$TOP/tests/cli/lib.sh"

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
tmpdir T
M1=$TOP/man/govarch.1
M5=$TOP/man/govarch.conf.5

"$GOVARCH" help | awk '/^  [a-z]/ { print $1 }' >"$T/cmds"
[ "$(wc -l <"$T/cmds")" -ge 12 ] || fail "govarch help: $(cat "$T/cmds")"
while read -r c; do
	grep -Eq "^\.(It )?Cm $c( |\$)" "$M1" || fail "command $c is not in govarch(1)"
	"$GOVARCH" help "$c" | head -n 1 | grep -oE -- '(^| |\[)--?[a-z][a-z-]*' |
		sed 's/^[ []*//' | sort -u >"$T/opts"
	while read -r o; do
		grep -Eq -- "Fl $(printf '%s' "$o" | cut -c2-)( |\$)" "$M1" ||
			fail "option $o of $c is not in govarch(1)"
	done <"$T/opts"
done <"$T/cmds"

if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint -W warning "$M1" "$M5" >"$T/lint" 2>&1 ||
		fail "mandoc -T lint: $(cat "$T/lint")"
	[ ! -s "$T/lint" ] || fail "mandoc -T lint: $(cat "$T/lint")"
else
	echo "mandoc is not installed: lint not run"
fi
if command -v man >/dev/null 2>&1; then
	for m in "$M1" "$M5"; do
		MANWIDTH=80 man --warnings -l "$m" >"$T/page" 2>"$T/warn" ||
			fail "man -l $m: $(cat "$T/warn")"
		[ ! -s "$T/warn" ] || fail "man -l $m warns: $(cat "$T/warn")"
		[ "$(wc -l <"$T/page")" -gt 100 ] || fail "man -l $m: too short"
	done
fi

command -v bash >/dev/null 2>&1 || skip "bash is not installed (the pages passed)"
# an archive with one crawl, for crawl-id completion
A=$T/a
mkdir -p "$A"
printf 'software: hand\r\n' >"$T/info"
{ printf 'WARC/1.1\r\nWARC-Type: warcinfo\r\n'
  printf 'WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n'
  printf 'WARC-Date: 2024-10-21T09:30:00Z\r\nContent-Type: application/warc-fields\r\n'
  printf 'Content-Length: %s\r\n\r\n' "$(wc -c <"$T/info")"
  cat "$T/info"; printf '\r\n\r\n'; } >"$A/hand.warc"
"$GOVARCH" index --rebuild --archive "$A" 2>/dev/null || fail "index --rebuild"
mkdir -p "$T/bin"
ln -s "$GOVARCH" "$T/bin/govarch"
cat >"$T/complete.bash" <<'EOF'
. "$TOP/scripts/govarch.bash-completion"
t() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _govarch; echo "${COMPREPLY[*]}"; }
t govarch ""
t govarch changes --format ""
t govarch diff --format ""
t govarch crawl --format ""
t govarch ls --format ""
t govarch --archive "$A" changes --from ""
t govarch help ver
t govarch crawls --u
EOF
PATH=$T/bin:$PATH A=$A bash "$T/complete.bash" >"$T/got" 2>&1 || fail "completion: $(cat "$T/got")"
{
	echo "$(tr '\n' ' ' <"$T/cmds")--archive --help --version"
	echo "text json atom html"
	echo "text word html json"
	echo "zst gz warc"
	echo "text json"
	echo "1"
	echo "verify version"
	echo "--urls"
} >"$T/want"
diff "$T/want" "$T/got" >"$T/d" || fail "completion (< want, > got):
$(cat "$T/d")"
echo "ok"
