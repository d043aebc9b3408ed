#!/bin/sh
# The command-line contract every command keeps:
#  - an unknown option, for every command in `govarch help`, and each
#    command's missing, malformed or stray arguments: one line naming the
#    problem, then the synopsis, exit 2;
#  - `govarch help`, `help COMMAND` (= COMMAND -h), global options before the
#    command (= after it, = $GOVARCH_ARCHIVE);
#  - exact JSON of crawls, history, ls and changes, and exact text of
#    crawls and changes, on a hand-made two-crawl archive (ISO 8601 times);
#  - diff --exit-code: 1 when the texts differ, 0 when not, 2 on trouble;
#  - output to a full device is an error, exit 1.
. "$TOP/tests/cli/lib.sh"

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
tmpdir T
G=$GOVARCH

# expect_usage FIRST-STDERR-LINE CMD...: exit 2, that line, then the synopsis
expect_usage() {
	_line=$1
	shift
	"$G" "$@" >"$T/out" 2>"$T/err"
	_rc=$?
	[ $_rc -eq 2 ] || fail "govarch $*: exit $_rc, not 2: $(cat "$T/err")"
	[ "$(head -n 1 "$T/err")" = "$_line" ] ||
		fail "govarch $*: said '$(head -n 1 "$T/err")', not '$_line'"
	[ ! -s "$T/out" ] || fail "govarch $*: printed on stdout: $(cat "$T/out")"
	case $(sed -n 2p "$T/err") in
	"usage: govarch "*|"") ;;
	*) fail "govarch $*: second line is not the synopsis: $(sed -n 2p "$T/err")" ;;
	esac
}

# ---- every command: an unknown option -------------------------------------
"$G" help >"$T/help" || fail "govarch help"
cmds=$(awk '/^  [a-z]/ { print $1 }' "$T/help")
[ "$(echo "$cmds" | wc -l)" -ge 12 ] || fail "govarch help lists: $cmds"
for c in $cmds; do
	"$G" "$c" --no-such-option >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 2 ] || fail "$c --no-such-option: exit $rc"
	head -n 1 "$T/err" | grep -q "^govarch: $c: .*'--no-such-option'" ||
		fail "$c --no-such-option: $(head -n 1 "$T/err")"
	"$G" help "$c" >"$T/h1" || fail "help $c"
	"$G" "$c" -h >"$T/h2" || fail "$c -h"
	cmp -s "$T/h1" "$T/h2" || fail "help $c differs from $c -h"
	head -n 1 "$T/h1" | grep -q "^usage: govarch $c" || fail "help $c: $(head -n 1 "$T/h1")"
done

# ---- missing, malformed and stray arguments -------------------------------
expect_usage "govarch: crawls: option '--format' needs a value" crawls --format
expect_usage "govarch: crawls: 'csv': no such format (text, json)" crawls --format csv
expect_usage "govarch: crawls: 'x1': not a crawl id (N, #N) or a timestamp (2024, 20241021, 20241021T0930, 2024-10-21T09:30:00Z)" crawls --urls x1
expect_usage "govarch: crawls: unexpected argument '3' (a crawl goes with --urls)" crawls 3
expect_usage "govarch: changes: 'yesterday': not a crawl id (N, #N) or a timestamp (2024, 20241021, 20241021T0930, 2024-10-21T09:30:00Z)" changes --from yesterday
expect_usage "govarch: changes: option '--to' needs a value" changes --to
expect_usage "govarch: diff: missing URL" diff
expect_usage "govarch: diff: '#x': not a crawl id (N, #N) or a timestamp (2024, 20241021, 20241021T0930, 2024-10-21T09:30:00Z)" diff http://example.test/ '#x'
expect_usage "govarch: diff: unexpected argument 'c'" diff u a b c
expect_usage "govarch: history: missing URL" history
expect_usage "govarch: history: 'xml': no such format (text, json)" history u --format xml
expect_usage "govarch: ls: missing FILE" ls
expect_usage "govarch: ls: unexpected argument 'b'" ls a b
expect_usage "govarch: cat: missing OFFSET" cat f
expect_usage "govarch: cat: '12x' is not an offset (a number of bytes, as ls shows it)" cat f 12x
expect_usage "govarch: cat: '-5' is not an offset (a number of bytes, as ls shows it)" cat f -- -5
expect_usage "govarch: verify: missing FILE or DIR" verify
expect_usage "govarch: recompress: missing OUT" recompress in
expect_usage "govarch: index: unexpected argument 'now'" index now
expect_usage "govarch: index: option '-c' needs a value" index -c
expect_usage "govarch: version: unexpected argument 'x'" version x
expect_usage "govarch: help: unknown command 'nope'" help nope
expect_usage "govarch: crawl: unexpected argument 'http://example.test/' (seeds go with --seed)" crawl http://example.test/
expect_usage "govarch: crawl: --set 'delay': expected KEY=VALUE" crawl --set delay
expect_usage "govarch: crawl: option '--seed' needs a value" crawl --seed
expect_usage "govarch: crawl: --delay: delay: 'soon' is not a number of seconds" crawl -c "$TOP/config/test.conf" --archive "$T/c" --delay soon
expect_usage "govarch: explain: missing URL" explain
expect_usage "govarch: explain: unexpected argument 'b'" explain a b
expect_usage "govarch: explain: --hops 'many': not a count" explain --hops many u
expect_usage "govarch: config: missing subcommand (check)" config
expect_usage "govarch: config: unknown subcommand 'lint' (check)" config lint
expect_usage "govarch: config: unexpected argument 'x'" config check x
expect_usage "govarch: unknown command 'crawlz' (see govarch help)" crawlz
expect_usage "govarch: unknown global option '--verbose' (see govarch help)" --verbose crawls
expect_usage "govarch: a directory must follow '--archive' (see govarch help)" --archive
expect_usage "govarch: crawls: --archive needs a directory" crawls --archive
"$G" >/dev/null 2>&1; [ $? -eq 2 ] || fail "govarch without a command: not exit 2"

# ---- a hand-made archive: two crawls of two pages -------------------------
rec() { # FILE TYPE N DATE URI CONTENT-TYPE BODYFILE
	_len=$(wc -c <"$7")
	{ printf 'WARC/1.1\r\nWARC-Type: %s\r\n' "$2"
	  printf 'WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-00000000000%s>\r\n' "$3"
	  printf 'WARC-Date: %s\r\n' "$4"
	  [ -z "$5" ] || printf 'WARC-Target-URI: %s\r\n' "$5"
	  printf 'Content-Type: %s\r\nContent-Length: %s\r\n\r\n' "$6" "$_len"
	  cat "$7"; printf '\r\n\r\n'; } >>"$1"
}
page() { # OUT TITLE TEXT DATE
	_b="<!DOCTYPE html><html><head><title>$2</title></head><body><nav>Menu</nav><main><h1>$2</h1><p>$3</p><p>Last updated $4</p></main></body></html>"
	printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %s\r\n\r\n%s' "${#_b}" "$_b" >"$1"
}
A=$T/a
mkdir -p "$A"
printf 'software: hand\r\nformat: WARC File Format 1.1\r\n' >"$T/info"
page "$T/p1" Budget "The budget is ten dollars." "21 October 2024"
page "$T/o1" About "About this office." "1 October 2024"
page "$T/p2" Budget "The budget is twelve dollars." "22 October 2024"
F1=$A/hand-20241021093000.warc
F2=$A/hand-20241022093000.warc
H="application/http; msgtype=response"
rec "$F1" warcinfo 1 2024-10-21T09:30:00Z "" application/warc-fields "$T/info"
rec "$F1" response 2 2024-10-21T09:30:01Z http://example.test/budget "$H" "$T/p1"
rec "$F1" response 3 2024-10-21T09:30:02Z http://example.test/about "$H" "$T/o1"
rec "$F2" warcinfo 4 2024-10-22T09:30:00Z "" application/warc-fields "$T/info"
rec "$F2" response 5 2024-10-22T09:30:01Z http://example.test/budget "$H" "$T/p2"
rec "$F2" response 6 2024-10-22T09:30:02Z http://example.test/about "$H" "$T/o1"
"$G" index --rebuild --archive "$A" 2>"$T/err" || fail "index --rebuild: $(cat "$T/err")"

check() { # NAME CMD... ; compares stdout with the here-document on stdin
	_name=$1
	shift
	cat >"$T/want"
	"$G" "$@" >"$T/got" 2>"$T/err" || fail "$_name: exit $?: $(cat "$T/err")"
	diff "$T/want" "$T/got" >"$T/d" || fail "$_name (< want, > got):
$(cat "$T/d")"
}
TAB=$(printf '\t')

check "crawls" --archive "$A" crawls <<EOF
1${TAB}2024-10-21T09:30:00Z${TAB}2024-10-21T09:30:02Z${TAB}2${TAB}1022${TAB}imported
2${TAB}2024-10-22T09:30:00Z${TAB}2024-10-22T09:30:02Z${TAB}2${TAB}1025${TAB}imported
EOF
check "crawls json" --archive "$A" crawls --format json <<'EOF'
[
{"id":1,"start":"2024-10-21T09:30:00Z","end":"2024-10-21T09:30:02Z","pages":2,"bytes":1022,"status":"imported","reason":null},
{"id":2,"start":"2024-10-22T09:30:00Z","end":"2024-10-22T09:30:02Z","pages":2,"bytes":1025,"status":"imported","reason":null}
]
EOF
check "history json" --archive "$A" history http://example.test/budget --format json <<'EOF'
[
{"timestamp":"2024-10-21T09:30:01Z","crawl":1,"status":200,"last_updated":"2024-10-21","change":"first","target":null,"url":"http://example.test/budget","file":"hand-20241021093000.warc","offset":240},
{"timestamp":"2024-10-22T09:30:01Z","crawl":2,"status":200,"last_updated":"2024-10-22","change":"edited","target":null,"url":"http://example.test/budget","file":"hand-20241022093000.warc","offset":240}
]
EOF
check "history" --archive "$A" history http://example.test/budget <<EOF
# http://example.test/budget
2024-10-21T09:30:01Z${TAB}1${TAB}200${TAB}2024-10-21${TAB}first
2024-10-22T09:30:01Z${TAB}2${TAB}200${TAB}2024-10-22${TAB}edited
EOF
check "changes json" --archive "$A" changes --from 1 --to 2 --format json <<'EOF'
{"from":{"crawl":1,"start":"2024-10-21T09:30:00Z","status":"imported","reason":null},"to":{"crawl":2,"start":"2024-10-22T09:30:00Z","status":"imported","reason":null},"changes":[
{"url":"http://example.test/budget","kind":"edited","from":"2024-10-21T09:30:01Z","to":"2024-10-22T09:30:01Z","from_file":"hand-20241021093000.warc","from_offset":240,"to_file":"hand-20241022093000.warc","to_offset":240,"last_updated_from":"2024-10-21","last_updated_to":"2024-10-22","summary":"1 paragraph changed (+6/-3 chars)"}
]}
EOF
check "changes" --archive "$A" changes --from 1 --to 2 <<EOF
# changes from crawl 1 (2024-10-21T09:30:00Z) to crawl 2 (2024-10-22T09:30:00Z): 1
edited${TAB}http://example.test/budget${TAB}2024-10-21${TAB}2024-10-22${TAB}1 paragraph changed (+6/-3 chars)
EOF
check "ls json" ls --format json "$F1" <<'EOF'
[
{"offset":0,"length":240,"type":"warcinfo","date":"2024-10-21T09:30:00Z","uri":null,"status":null,"mime":"application/warc-fields"},
{"offset":240,"length":517,"type":"response","date":"2024-10-21T09:30:01Z","uri":"http://example.test/budget","status":200,"mime":"text/html"},
{"offset":757,"length":505,"type":"response","date":"2024-10-21T09:30:02Z","uri":"http://example.test/about","status":200,"mime":"text/html"}
]
EOF
check "diff" --archive "$A" diff http://example.test/budget 1 2 <<'EOF'
--- http://example.test/budget	2024-10-21T09:30:01Z (last updated 2024-10-21)
+++ http://example.test/budget	2024-10-22T09:30:01Z (last updated 2024-10-22)
@@ -1,2 +1,2 @@
 Budget
-The budget is ten dollars.
+The budget is twelve dollars.
EOF

# ---- global options: before the command = after it = the environment -----
"$G" --archive "$A" crawls >"$T/g1" || fail "--archive before crawls"
"$G" crawls --archive="$A" >"$T/g2" || fail "--archive= after crawls"
GOVARCH_ARCHIVE=$A "$G" crawls >"$T/g3" || fail "GOVARCH_ARCHIVE"
cmp -s "$T/g1" "$T/g2" && cmp -s "$T/g1" "$T/g3" || fail "global options differ"
"$G" --archive "$A" --version | head -n 1 | grep -q '^govarch ' || fail "--version"
"$G" --help | cmp -s - "$T/help" || fail "--help differs from help"

# ---- diff --exit-code ------------------------------------------------------
"$G" --archive "$A" diff --exit-code http://example.test/budget 1 2 >/dev/null
[ $? -eq 1 ] || fail "diff --exit-code of changed texts: not 1"
"$G" --archive "$A" diff --exit-code http://example.test/about 1 2 >/dev/null
[ $? -eq 0 ] || fail "diff --exit-code of the same texts: not 0"
"$G" --archive "$A" diff --exit-code http://example.test/none 1 2 >/dev/null 2>&1
[ $? -eq 2 ] || fail "diff --exit-code of an unknown URL: not 2"
"$G" --archive "$A" diff http://example.test/budget 1 2 >/dev/null ||
	fail "diff without --exit-code: not 0"

# ---- a full device ---------------------------------------------------------
[ -w /dev/full ] || skip "no /dev/full here (everything else passed)"
for args in "crawls" "crawls --format json" "history http://example.test/budget" \
	    "changes --from 1 --to 2" "diff http://example.test/budget 1 2" \
	    "ls $F1" "cat $F1 240" "verify $F1" "help" "version"; do
	# shellcheck disable=SC2086
	"$G" --archive "$A" $args >/dev/full 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] || fail "$args > /dev/full: exit $rc"
	grep -q 'No space left on device' "$T/err" ||
		fail "$args > /dev/full: $(cat "$T/err")"
done
echo "ok"
