#!/bin/sh
# govarch explain on each kind of decision (in scope, excluded by a pattern,
# disallowed by robots.txt with its line, trap rules, out of scope), with
# robots.txt fetched once with the crawl's User-Agent when the archive has
# none cached, and govarch config check on a file with every kind of bad
# line (exact messages, line numbers, exit 2) and on a good one.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
C=$TOP/config/test.conf
site_start v1
U=$SITE_URL
H=127.0.0.1:$SITE_PORT
S="1,0,0,127:$SITE_PORT)"

# explain WANT_EXIT URL [OPTIONS...]: stdout into $T/got
explain() {
	_want=$1
	_url=$2
	shift 2
	"$GOVARCH" explain -c "$C" --seed "$U/" --archive "$A" "$@" "$_url" \
		>"$T/got" 2>"$T/err"
	_rc=$?
	[ $_rc -eq "$_want" ] ||
		fail "explain $_url: exit $_rc, not $_want: $(cat "$T/err" "$T/got")"
}
same() {
	cmp -s "$T/want" "$T/got" ||
		fail "explain $1 differs: $(diff "$T/want" "$T/got")"
}
TRAPS_OK="path-repetition: none, max-path-repeat 2: ok"

explain 0 "$U/about"
cat >"$T/want" <<OUT
url: $U/about
normalised: $U/about
surt: $S/about
scope: in scope: scope-host $H (--seed (its host))
exclude: no exclude pattern matches (2 checked)
hops: 1 (not a seed), max-depth 20: ok
path-depth: 1, max-path-depth 20: ok
$TRAPS_OK
url-length: $((${#U} + 6)), max-url-length 2083: ok
query-variants: no query
robots: allowed: no rule matches in $U/robots.txt, status 200, fetched now
verdict: fetch
OUT
same "in scope"
# robots.txt was fetched once, politely, as the crawl would
site_log | awk -F'\t' '{ print $3, $4, $5, $6 }' >"$T/requests"
[ "$(cat "$T/requests")" = "GET /robots.txt 200 govarch-test/$("$GOVARCH" --version | cut -d' ' -f2) (+https://github.com/govarch/govarch/tests)" ] ||
	fail "requests made by explain: $(cat "$T/requests")"

explain 1 "$U/search?f[0]=type:news"
cat >"$T/want" <<OUT
url: $U/search?f[0]=type:news
normalised: $U/search?f%5B0%5D=type:news
surt: $S/search?f[0]=type:news
scope: in scope: scope-host $H (--seed (its host))
exclude: matches exclude [?&]f(\[|%5[Bb])[0-9]*(\]|%5[Dd])= ($C:5)
hops: 1 (not a seed), max-depth 20: ok
path-depth: 1, max-path-depth 20: ok
$TRAPS_OK
url-length: $((${#U} + 26)), max-url-length 2083: ok
query-variants: 0 of this path in the last crawl, max-query-variants 10: ok
robots: not checked
verdict: not fetched: excluded
OUT
same "excluded"

explain 1 "$U/internal/staff-only"
cat >"$T/want" <<OUT
url: $U/internal/staff-only
normalised: $U/internal/staff-only
surt: $S/internal/staff-only
scope: in scope: scope-host $H (--seed (its host))
exclude: no exclude pattern matches (2 checked)
hops: 1 (not a seed), max-depth 20: ok
path-depth: 2, max-path-depth 20: ok
$TRAPS_OK
url-length: $((${#U} + 20)), max-url-length 2083: ok
query-variants: no query
robots: disallowed by line 8 "Disallow: /internal/" of the group "User-agent: *" (line 7) in $U/robots.txt, status 200, fetched now
verdict: not fetched: robots
OUT
same "robots"

explain 1 "$U/a/b/a/b/a/b/page"
cat >"$T/want" <<OUT
url: $U/a/b/a/b/a/b/page
normalised: $U/a/b/a/b/a/b/page
surt: $S/a/b/a/b/a/b/page
scope: in scope: scope-host $H (--seed (its host))
exclude: no exclude pattern matches (2 checked)
hops: 1 (not a seed), max-depth 20: ok
path-depth: 7, max-path-depth 20: ok
path-repetition: a run of segments repeats more often, max-path-repeat 2: refused
url-length: $((${#U} + 17)), max-url-length 2083: ok
query-variants: no query
robots: not checked
verdict: not fetched: path-repetition
OUT
same "path repetition"

explain 1 "$U/about" --hops 21
grep -qx 'hops: 21, max-depth 20: refused' "$T/got" &&
	grep -qx 'verdict: not fetched: too-deep' "$T/got" ||
	fail "--hops 21: $(cat "$T/got")"

explain 1 "http://other.example/"
cat >"$T/want" <<OUT
url: http://other.example/
normalised: http://other.example/
surt: example,other)/
scope: out of scope: other.example is not in scope-host $H
exclude: not checked
hops: 1 (not a seed), max-depth 20: ok
path-depth: 1, max-path-depth 20: ok
$TRAPS_OK
url-length: 21, max-url-length 2083: ok
query-variants: no query
robots: not checked
verdict: not fetched: out-of-scope
OUT
same "out of scope"
[ ! -e "$A" ] || fail "explain created the archive"

# once the archive has crawled, robots.txt comes from its cache
crawl_run "$A" --set max-pages=3 --quiet >"$T/crawl" 2>&1 || fail "crawl: $(cat "$T/crawl")"
: >"$SITE_LOG"
"$GOVARCH" explain --archive "$A" "$U/internal/x" >"$T/got" 2>&1
[ $? -eq 1 ] || fail "explain from the saved crawl: $(cat "$T/got")"
grep -qx "robots: disallowed by line 8 \"Disallow: /internal/\" of the group \"User-agent: \\*\" (line 7) in $U/robots.txt, status 200, cached in $A/state.sqlite" "$T/got" ||
	fail "not from the cache: $(grep robots "$T/got")"
[ -z "$(site_log)" ] || fail "explain fetched with a cache: $(site_log)"

# ---- config check ------------------------------------------------------------------------
cat >"$T/bad.conf" <<'CONF'
# every kind of bad line
seed = http://127.0.0.1:1/
delay = fast
colour = blue
exclude = /(unclosed
scope-prefix = 127.0.0.1:18080/py
main = //div[
max-pages = -3
just some words
format = rar
seed = ftp://example.org/
max-response-bytes = 10X
CONF
"$GOVARCH" config check -c "$T/bad.conf" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 2 ] || fail "config check of a bad file: exit $rc"
[ ! -s "$T/out" ] || fail "config check printed on stdout: $(cat "$T/out")"
B=$T/bad.conf
cat >"$T/want" <<OUT
$B:3: delay: 'fast' is not a number of seconds
$B:4: unknown key 'colour'
$B:5: exclude '/(unclosed': Unmatched ( or \(
$B:6: scope-prefix '127.0.0.1:18080/py': give a path (/news/) or a URL with its scheme (http://127.0.0.1:18080/py)
$B:7: extraction rule main: bad XPath: //div[
$B:8: max-pages: '-3' is not a count
$B:9: expected 'key = value'
$B:10: format: 'rar' is not zst, gz or warc
$B:11: seed 'ftp://example.org/': not an http:// or https:// URL
$B:12: max-response-bytes: '10X' is not a size
OUT
cmp -s "$T/want" "$T/err" || fail "config check: $(diff "$T/want" "$T/err")"
for f in "$TOP/config/dpmc.conf" "$C"; do
	[ "$("$GOVARCH" config check -c "$f")" = "$f: ok" ] ||
		fail "config check $f is not ok"
done
"$GOVARCH" config check -c "$T/missing.conf" 2>"$T/err"
[ $? -eq 2 ] && grep -q "missing.conf: No such file" "$T/err" ||
	fail "config check of a missing file: $(cat "$T/err")"
echo "explain: in scope, excluded, robots, traps, out of scope; config check: 10 bad lines"
exit 0
