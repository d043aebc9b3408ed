#!/bin/sh
# Several hostile hosts in one crawl: govarch-site --hostile on 127.0.0.1,
# 127.0.0.2 and 127.0.0.3 (all loopback), seeded together, so their gzip
# bombs, trickling and endless bodies, 1 MB headers and redirect chains
# are fetched at the same time.  The crawl must end on its own (its own
# total-timeout and low-speed limit cut what never ends; `timeout` is only
# a safety net) with exit 3, under 128 MB of peak RSS, each host's URLs
# recorded with the same outcomes as the other hosts' (the bombs
# +decoded-cut, the trickle truncated(time), the endless body
# truncated(length), the broken answers failed), and verify clean.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed (scripts/install-deps)"
command -v timeout >/dev/null 2>&1 || skip "timeout is not installed"
tmpdir T
# 127.0.0.2 and .3 are loopback on Linux; elsewhere they may not be
for h in 1 2 3; do
	"$SITE_BIN" --hostile --bind 127.0.0.$h --port 0 --port-file "$T/port$h" \
		--log "$T/requests$h.log" 2>"$T/site$h.err" &
	pid=$!
	_lib_pids="$_lib_pids $pid"
	i=0
	while [ ! -s "$T/port$h" ]; do
		if ! kill -0 $pid 2>/dev/null; then
			[ $h -gt 1 ] && skip "127.0.0.$h: $(cat "$T/site$h.err")"
			fail "govarch-site --hostile exited: $(cat "$T/site$h.err")"
		fi
		i=$((i + 1))
		[ $i -lt 300 ] || fail "govarch-site --hostile on 127.0.0.$h did not start"
		sleep 0.1
	done
done
U1=http://127.0.0.1:$(cat "$T/port1")
U2=http://127.0.0.2:$(cat "$T/port2")
U3=http://127.0.0.3:$(cat "$T/port3")
for u in $U1 $U2 $U3; do
	curl -fsS -o /dev/null "$u/" || skip "$u does not answer (loopback alias missing?)"
done
for h in 1 2 3; do
	site_log_reset "$T/requests$h.log"   # only the crawl's requests
done

timeout 300 /usr/bin/time -f %M -o "$T/maxrss" \
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$U1/" --seed "$U2/" \
	--seed "$U3/" --archive "$T/a" --delay 0 --quiet \
	--set max-response-bytes=2M --set max-decoded-bytes=4M \
	--set low-speed-limit=100 --set low-speed-time=2 \
	--set total-timeout=30 --set max-tries=1 --set max-delay=0.05 \
	--set host-pause=1 \
	>"$T/out" 2>&1
rc=$?
[ $rc -eq 3 ] || fail "crawl exited $rc, not 3 (124: still running after 300 s): $(tail -n 5 "$T/out")"
rss=$(tail -n 1 "$T/maxrss")
echo "three hostile hosts: peak RSS $rss kB"
[ "$rss" -lt 131072 ] || fail "peak RSS $rss kB, over 128 MB"

crawl_log "$T/a" 1 >"$T/crawl.log" || fail "no crawl log"

# PATH STATUS OUTCOME per host (the weird URLs and UTF-8 links aside, and
# the off-site redirect target, which names each host's own port)
for h in 1 2 3; do
	eval "u=\$U$h"
	awk -v site="$u" 'index($4, site) == 1 { p = substr($4, length(site) + 1);
		print p, $2, $6 }' "$T/crawl.log" |
		grep -v -e '^/weird/' -e '^/utf8-' | LC_ALL=C sort >"$T/outcomes$h"
	[ -s "$T/outcomes$h" ] || fail "nothing of $u in the crawl log"
done
for h in 2 3; do
	diff "$T/outcomes1" "$T/outcomes$h" >"$T/diff" ||
		fail "127.0.0.$h's outcomes differ from 127.0.0.1's: $(cat "$T/diff")"
done
for want in "/bomb 200 ok+decoded-cut" "/sitemap-bomb.xml.gz 200 ok+decoded-cut" \
	"/trickle 200 truncated(time)" "/endless 200 truncated(length)" \
	"/big-header - failed:head-too-large" "/redirect/12 - out-of-scope(too-many-redirects)"; do
	grep -qxF "$want" "$T/outcomes1" || fail "no '$want' in the outcomes: $(cat "$T/outcomes1")"
done
crawl_verify "$T/a" || fail "verify found problems"
# nothing asked twice of any host
for h in 1 2 3; do
	dup=$(awk -F'\t' '{ print $4 }' "$T/requests$h.log" | LC_ALL=C sort | uniq -d)
	[ -z "$dup" ] || fail "127.0.0.$h was asked more than once: $dup"
done
exit 0
