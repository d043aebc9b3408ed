#!/bin/sh
# kill -9 at 7 named points (GOVARCH_TEST_KILL_AT) and then at 20 random
# moments of a crawl of the replica (delay 0, WARC files rotated every
# 100 kB), starting again after each: the moments are
# drawn by a seeded generator whose seed is printed (KILL_SEED=N replays
# a run); the named points cover the dictionary hold (the site's first
# fetches), the random moments fall mid-record, mid-transaction, during a
# start's mending and during rotation (should the crawl end by itself on a
# fast machine after more than 15 of them, the rest are dropped).  Then the
# crawl is resumed to its end and:
#  - every WARC file verifies and no .open file is left;
#  - every page and requisite of the site is captured, each exactly once;
#  - `govarch crawls` shows the one crawl complete;
#  - `index --rebuild` into a copy gives the live catalog's answers
#    (`crawls`, `history` of several URLs, `changes` against a second,
#    clean crawl of site v2), byte for byte.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
site_start v1
# (delay-factor 5, as the kill moments below were tuned to: config/test.conf
# has 0, and a faster crawl could end before its 20 kills)
ARGS="--delay 0 --set delay-factor=5 --set rotate-size=100k --set exclude=/stream/ --set exclude=/reports/slow --quiet"
# first the deterministic kill points (GOVARCH_TEST_KILL_AT, see
# src/crawl/capture.h): in the dictionary hold, between a fetch's records
# and its catalog row, between the row and the state, inside the state's
# transaction, right after a rotation
for at in hold:5 records:3 catalog:20 state:30 rotate:1 records:30 rotate:2; do
	GOVARCH_TEST_KILL_AT=$at crawl_run "$A" $ARGS >"$T/at.out" 2>&1
	rc=$?
	[ $rc -eq 137 ] || fail "GOVARCH_TEST_KILL_AT=$at: exit $rc, not 137 (SIGKILL): $(tail -n 3 "$T/at.out")"
done
ls "$A" | grep -q '\.open$' || fail "no .open file after the kill points"

seed=${KILL_SEED:-$(date +%s)}
echo "kill moments from seed $seed (replay with KILL_SEED=$seed)"
# 20 waits: 6 in the first 0.2 s of a start (its mending, the first
# fetches), 14 between 0.08 and 0.38 s
moments=$(awk -v s="$seed" 'BEGIN { srand(s);
	for (i = 0; i < 20; i++)
		printf "%.2f\n", i < 6 ? 0.02 + rand() * 0.18 : 0.08 + rand() * 0.3 }')
echo "moments:" $moments
n=0
done_early=
for t in $moments; do
	n=$((n + 1))
	crawl_bg "$A" "$T/kill$n.out" $ARGS
	pid=$CRAWL_PID
	sleep "$t"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	if [ $rc -eq 0 ]; then
		# a fast machine: the crawl ended before this kill; enough
		# kills happened before it to count
		[ $n -gt 15 ] ||
			fail "the crawl ended by itself at start $n, before its kill at ${t}s (seed $seed)"
		n=$((n - 1))
		done_early=1
		break
	fi
	[ $rc -eq 137 ] ||
		fail "start $n exited $rc before its kill at ${t}s (seed $seed): $(tail -n 3 "$T/kill$n.out")"
	# (a start killed early has not said anything yet)
	grep -v -e '^govarch: crawl: resuming interrupted crawl 1$' -e '^$' "$T/kill$n.out" |
		grep -q . && fail "start $n (seed $seed): $(cat "$T/kill$n.out")"
done
if [ -z "$done_early" ]; then
	ls "$A" | grep -q '\.open$' || fail "no .open file after the last kill"
	crawl_run "$A" $ARGS --resume >"$T/final.out" 2>&1 ||
		fail "resume exited $? (seed $seed): $(tail -n 5 "$T/final.out")"
fi
ls "$A" | grep -q '\.open$' && fail ".open file left after the crawl (seed $seed)"
[ "$(crawl_warcs "$A" | wc -l)" -ge 3 ] || fail "no rotation: $(crawl_warcs "$A")"
crawl_verify "$A" || fail "verify found problems (seed $seed)"
crawl_captures $(crawl_warcs "$A") | awk '{ print $2 }' | crawl_paths |
	LC_ALL=C sort >"$T/got"
dups=$(uniq -d "$T/got")
[ -z "$dups" ] || fail "captured more than once (seed $seed): $(echo "$dups" | head -n 5)"
{ site_list pages v1; site_list requisites v1; } | LC_ALL=C sort -u >"$T/want"
LC_ALL=C comm -23 "$T/want" "$T/got" >"$T/missing"
[ ! -s "$T/missing" ] || fail "missing after resume (seed $seed): $(head -n 5 "$T/missing")"
"$GOVARCH" crawls --archive "$A" | cut -f1,6 >"$T/crawls"
[ "$(cat "$T/crawls")" = "$(printf '1\tcomplete')" ] || fail "crawls: $(cat "$T/crawls")"

# a second crawl, so that `changes` has two crawls to compare
site_version v2
crawl_run "$A" $ARGS >"$T/c2.out" 2>&1 || fail "crawl 2: $(tail -n 3 "$T/c2.out")"
crawl_answers "$A" "$T/live"
grep -q '^edited' "$T/live" || fail "no edited page in changes: the comparison tests nothing"
cp -r "$A" "$T/copy"
"$GOVARCH" index --rebuild --archive "$T/copy" 2>"$T/rebuild.err" ||
	fail "index --rebuild: $(cat "$T/rebuild.err")"
crawl_answers "$T/copy" "$T/rebuilt"
cmp -s "$T/live" "$T/rebuilt" ||
	fail "rebuilt answers differ (seed $seed): $(diff "$T/live" "$T/rebuilt" | head -n 10)"
echo "7 kill points and $n random kills; $(wc -l <"$T/got") captures; $(crawl_warcs "$A" | wc -l) WARC files"
exit 0
