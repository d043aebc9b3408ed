#!/bin/sh
# robots.txt outcomes and Crawl-delay, seen from the replica's log:
#  - Crawl-delay: 1 is honoured over a smaller configured delay;
#  - robots.txt answering 503 (unreachable): nothing else is fetched, the
#    URLs fail (exit 3);
#  - robots.txt answering 404 (unavailable): everything is allowed, even
#    the path the replica's robots.txt would disallow;
#  - --scope PREFIX limits pages to that prefix.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T

# ---- Crawl-delay ---------------------------------------------------------------
site_start v1 --crawl-delay 1
crawl_run "$T/a1" --delay 0.05 --max-pages 4 --quiet >"$T/out1" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "crawl-delay crawl exited $rc: $(cat "$T/out1")"
site_log | sort -n | awk -F'\t' 'NR > 1 && $1 - prev < 1.0 {
	printf "%.3f s after the previous start: %s\n", $1 - prev, $4; bad = 1 }
	{ prev = $1 } END { exit bad }' >"$T/cd" ||
	fail "Crawl-delay 1 not honoured: $(head -n 3 "$T/cd")"
[ "$(site_log | wc -l)" -ge 4 ] || fail "too few requests: $(site_log)"

# ---- robots.txt 503: disallow all -------------------------------------------------
site_start v1 --robots-status 503
crawl_run "$T/a2" --delay 0.05 --quiet >"$T/out2" 2>&1
rc=$?
[ $rc -eq 3 ] || fail "robots 503: exit $rc, not 3: $(cat "$T/out2")"
other=$(site_log | awk -F'\t' '$4 != "/robots.txt"' | head -n 3)
[ -z "$other" ] || fail "fetched despite robots.txt 503: $other"
crawl_log "$T/a2" 1 | grep -q 'failed:robots-unreachable' ||
	fail "crawl log: $(crawl_log "$T/a2" 1)"

# ---- robots.txt 404: allow all ----------------------------------------------------
site_start v1 --robots-status 404
crawl_run "$T/a3" --delay 0 --max-pages 40 --quiet \
	--seed "$SITE_URL/internal/staff-directory" >"$T/out3" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "robots 404: exit $rc: $(cat "$T/out3")"
site_log | awk -F'\t' '$4 == "/internal/staff-directory"' | grep -q . ||
	fail "robots 404 should allow /internal/staff-directory"

# ---- --scope PREFIX -----------------------------------------------------------------
site_start v1
"$GOVARCH" crawl -c "$TOP/config/test.conf" --archive "$T/a4" --delay 0 \
	--seed "$SITE_URL/about-dpmc" --scope "$SITE_URL/about-dpmc" --quiet \
	>"$T/out4" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "--scope crawl exited $rc: $(cat "$T/out4")"
crawl_captures $(crawl_warcs "$T/a4") | awk '{ print $2 }' | crawl_paths |
	grep -v '^/robots.txt$' >"$T/scoped"
[ -s "$T/scoped" ] || fail "--scope: nothing captured"
bad=$(grep -v '^/about-dpmc' "$T/scoped" | grep -v -E '\.(css|js|png|ico|woff2|pdf|jpg|svg)$' | head -n 3)
[ -z "$bad" ] || fail "--scope: pages outside the prefix: $bad"
exit 0
