#!/bin/sh
# A disk that fills during a crawl, simulated with a file-size limit
# (ulimit -f, SIGXFSZ ignored: every write past it fails with EFBIG as
# one past a full disk fails with ENOSPC): at the first limit the write
# that fails is the state's, at the second the catalog's (both grow faster
# than a WARC file, so a WARC write failing is not reached this way).  Each time the
# crawl stops with exit 1 and one error line naming the file, plus the
# resume hint; started again without the limit it resumes the same crawl
# to its end: every WARC verifies, every page and requisite is captured
# exactly once, one complete crawl.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
site_start v1
ARGS="--delay 0 --set rotate-size=100k --set exclude=/stream/ --set exclude=/reports/slow --quiet"
n=0
for blocks in 600 3000; do
	n=$((n + 1))
	(trap '' XFSZ; ulimit -f $blocks; exec "$GOVARCH" crawl -c "$TOP/config/test.conf" \
		--seed "$SITE_URL/" --archive "$A" --set total-timeout=5 $ARGS) \
		>"$T/full$n.out" 2>&1
	rc=$?
	[ $rc -eq 1 ] || fail "limit $blocks: exit $rc, not 1: $(cat "$T/full$n.out")"
	grep -v -e '^govarch: crawl: resuming interrupted crawl 1$' \
		-e '^govarch: crawl: state saved; resume with: govarch crawl --resume --archive ' \
		"$T/full$n.out" >"$T/err"
	[ "$(wc -l <"$T/err")" -eq 1 ] &&
		grep -q "^govarch: crawl: $A/[^ ]*: " "$T/err" ||
		fail "limit $blocks: not one error line naming a file: $(cat "$T/full$n.out")"
	echo "limit $blocks blocks: $(cat "$T/err")"
done
crawl_run "$A" $ARGS >"$T/final.out" 2>&1 ||
	fail "the crawl after the full disk exited $?: $(tail -n 3 "$T/final.out")"
ls "$A" | grep -q '\.open$' && fail ".open file left"
crawl_verify "$A" || fail "verify found problems"
crawl_captures $(crawl_warcs "$A") | awk '{ print $2 }' | crawl_paths |
	LC_ALL=C sort >"$T/got"
dups=$(uniq -d "$T/got")
[ -z "$dups" ] || fail "captured more than once: $(echo "$dups" | head -n 5)"
{ site_list pages v1; site_list requisites v1; } | LC_ALL=C sort -u >"$T/want"
LC_ALL=C comm -23 "$T/want" "$T/got" >"$T/missing"
[ ! -s "$T/missing" ] || fail "missing: $(head -n 5 "$T/missing")"
"$GOVARCH" crawls --archive "$A" | cut -f1,6 >"$T/crawls"
[ "$(cat "$T/crawls")" = "$(printf '1\tcomplete')" ] || fail "crawls: $(cat "$T/crawls")"
exit 0
