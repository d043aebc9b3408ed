#!/bin/sh
# Several hosts at once: two replicas (two host:port pairs) seeded
# together, each with a 0.2 s delay.  Each host sees one request at a time
# with starts at least the delay apart, while the two hosts are crawled in
# parallel (the crawl takes about as long as one host's share, not the sum).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
site_start v1
URL1=$SITE_URL
LOG1=$SITE_LOG
# a second replica, started by hand (lib.sh runs one)
"$SITE_BIN" --port 0 --port-file "$T/port2" --site-version v1 \
	--log "$T/log2" 2>"$T/err2" &
pid2=$!
i=0
while [ ! -s "$T/port2" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { kill $pid2; fail "second replica: $(cat "$T/err2")"; }
	sleep 0.1
done
URL2=http://127.0.0.1:$(cat "$T/port2")

N=12
start=$(date +%s.%N)
"$GOVARCH" crawl -c "$TOP/config/test.conf" --archive "$T/a" --delay 0.2 \
	--set delay-factor=0 --max-pages $((2 * N)) --quiet \
	--seed "$URL1/" --seed "$URL2/" >"$T/out" 2>&1
rc=$?
end=$(date +%s.%N)
kill $pid2 2>/dev/null
wait $pid2 2>/dev/null
[ $rc -eq 0 ] || fail "crawl exited $rc: $(cat "$T/out")"

# (the replica may log lib.sh's /__control request late: leave it out)
awk -F'\t' '$4 !~ /^\/__control\//' "$LOG1" >"$T/log1"
for log in "$T/log1" "$T/log2"; do
	n=$(wc -l <"$log")
	[ "$n" -ge $((N / 2)) ] || fail "$log: only $n requests"
	sort -n "$log" | awk -F'\t' 'NR > 1 && $1 - prev < 0.2 {
		printf "%.3f s between starts: %s\n", $1 - prev, $4; bad = 1 }
		{ prev = $1 } END { exit bad }' >"$T/bad" ||
		fail "one host asked too often: $(head -n 3 "$T/bad")"
done
# in parallel: the two hosts' request times interleave
first2=$(sort -n "$T/log2" | head -n 1 | cut -f1)
last1=$(sort -n "$T/log1" | tail -n 1 | cut -f1)
awk -v a="$first2" -v b="$last1" 'BEGIN { exit !(a < b) }' ||
	fail "hosts crawled one after the other, not at once"
n1=$(wc -l <"$T/log1")
n2=$(wc -l <"$T/log2")
secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
echo "two hosts: $n1 + $n2 requests in $secs s"
exit 0
