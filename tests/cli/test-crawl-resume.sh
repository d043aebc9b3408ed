#!/bin/sh
# Interrupting and resuming a crawl:
#  - while a crawl runs, a second one on the same archive exits 75 at once,
#    naming the holder's pid;
#  - SIGTERM: exit 143, a message saying how to resume, no .open file left;
#  - kill -9 at several moments (before the site dictionary exists, and
#    later), each time followed by another start;
#  - then `crawl --resume` (and the plain starts before it, which say they
#    are resuming) completes the one crawl: every WARC verifies, every URL
#    has exactly one response or revisit record, every page and requisite
#    of the replica is there, and `govarch crawls` shows one complete crawl.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
site_start v1
ARGS="--delay 0.05 --set exclude=/stream/ --set exclude=/reports/slow"

# ---- the lock -------------------------------------------------------------------
crawl_bg "$A" "$T/run1.out" $ARGS --quiet
pid=$CRAWL_PID
i=0
until [ -s "$A/lock" ] && [ "$(tr -d '\n' <"$A/lock")" = "$pid" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "no lock file naming $pid"
	sleep 0.05
done
sleep 0.5
crawl_run "$A" $ARGS >"$T/second.out" 2>&1
rc=$?
[ $rc -eq 75 ] || fail "second crawl exited $rc, not 75: $(cat "$T/second.out")"
grep -q "pid $pid" "$T/second.out" ||
	fail "second crawl does not name pid $pid: $(cat "$T/second.out")"

# ---- SIGTERM ----------------------------------------------------------------------
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "SIGTERM: exit $rc, not 143: $(cat "$T/run1.out")"
grep -q 'govarch crawl --resume' "$T/run1.out" ||
	fail "no resume hint after SIGTERM: $(cat "$T/run1.out")"
ls "$A" | grep -q '\.open$' && fail "SIGTERM left an .open file"
"$GOVARCH" crawls --archive "$A" | grep -q '^1[[:space:]].*interrupted' ||
	fail "crawl 1 not interrupted: $("$GOVARCH" crawls --archive "$A")"

# ---- kill -9 at several moments -------------------------------------------------------
n=0
for t in 0.7 1.5 3 5; do
	n=$((n + 1))
	crawl_bg "$A" "$T/kill$n.out" $ARGS --quiet
	pid=$CRAWL_PID
	sleep $t
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	grep -q 'resuming interrupted crawl 1' "$T/kill$n.out" ||
		fail "start $n did not say it resumes: $(cat "$T/kill$n.out")"
done

# ---- resume to the end ----------------------------------------------------------------
crawl_run "$A" $ARGS --resume >"$T/final.out" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "resume exited $rc: $(tail -n 5 "$T/final.out")"
grep -q 'resuming interrupted crawl 1' "$T/final.out" ||
	fail "no resume message: $(cat "$T/final.out")"
grep -q '^crawl 1 complete' "$T/final.out" || fail "$(cat "$T/final.out")"
ls "$A" | grep -q '\.open$' && fail ".open file left after the crawl"

crawl_verify "$A" || fail "verify found problems"
crawl_captures $(crawl_warcs "$A") | awk '{ print $2 }' | crawl_paths |
	LC_ALL=C sort >"$T/got"
dups=$(uniq -d "$T/got")
[ -z "$dups" ] || fail "captured more than once: $(echo "$dups" | head -n 5)"
{ site_list pages v1; site_list requisites v1; } | LC_ALL=C sort -u >"$T/want"
LC_ALL=C comm -23 "$T/want" "$T/got" >"$T/missing"
[ ! -s "$T/missing" ] || fail "missing after resume: $(head -n 5 "$T/missing")"
"$GOVARCH" crawls --archive "$A" >"$T/crawls"
[ "$(wc -l <"$T/crawls")" -eq 1 ] && grep -q '^1[[:space:]].*complete' "$T/crawls" ||
	fail "crawls: $(cat "$T/crawls")"
# a URL fetched in an earlier run was not fetched again (the log shows
# each page's 200 once)
site_log | awk -F'\t' '$5 == 200 { print $4 }' | LC_ALL=C sort | uniq -d |
	grep -v '^/robots.txt$' >"$T/refetched"
echo "resumed: $(wc -l <"$T/got") captures, $(wc -l <"$T/refetched") URLs fetched again (fetches cut by kill -9)"
exit 0
