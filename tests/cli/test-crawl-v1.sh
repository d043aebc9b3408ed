#!/bin/sh
# govarch crawl of the replica's v1 (config/test.conf, delay 0.05 s):
#  - every page and requisite of `govarch-site --list pages|requisites v1`
#    is captured, and nothing else but the traps, robots.txt and sitemaps;
#  - nothing robots.txt disallows is requested;
#  - the calendar, the redirect loop and the faceted search stay bounded;
#  - the 503 is retried after its Retry-After and then captured;
#  - the endless response is recorded cut, with WARC-Truncated: length;
#  - `govarch verify` finds nothing wrong;
#  - the server's log: never two requests at once, gaps >= the delay,
#    the configured User-Agent on every request;
#  - the crawl log and `govarch crawls` tell the same story, and the log's
#    fetch start times show the same gaps (the first fetches, held for the
#    dictionary, included);
#  - each HTML page fetched is parsed once (the summary's html line).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
DELAY=0.05
site_start v1

# delay-factor 5 (config/test.conf has 0): after a response the server ends
# late (the trickling stream, cut by the crawler), the factor's longer wait
# keeps the next request clear of its end stamp's slack below
crawl_run "$A" --delay $DELAY --set delay-factor=5 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "crawl exited $rc: $(tail -n 5 "$T/err")"
grep -q '^crawl 1 complete: ' "$T/out" || fail "no summary: $(cat "$T/out")"
crawl_parsed_once "$T/out" $(crawl_warcs "$A")

# ---- the captured set -------------------------------------------------------
crawl_captures $(crawl_warcs "$A") >"$T/caps"
awk '{ print $2 }' "$T/caps" | crawl_paths | LC_ALL=C sort >"$T/got-all"
dups=$(uniq -d "$T/got-all")
[ -z "$dups" ] || fail "captured more than once: $dups"
{ site_list pages v1; site_list requisites v1; } | LC_ALL=C sort -u >"$T/want"
site_list hostile | cut -f1 | sed 's/?.*//' >"$T/hostile-paths"
# traps and bookkeeping files are not in the ground truth: leave them out
awk 'FILENAME == ARGV[1] { w[$0] = 1; next }
     FILENAME == ARGV[2] { h[$0] = 1; next }
     ($0 in w) { print; next }
     { p = $0; sub(/[?;].*/, "", p) }
     p == "/robots.txt" || p ~ /^\/sitemap/ { next }
     (p in h) || p ~ /^\/(events\/calendar|loop\/|session\/|stream\/|search)/ { next }
     { print }' "$T/want" "$T/hostile-paths" "$T/got-all" | LC_ALL=C sort >"$T/got"
if ! cmp -s "$T/want" "$T/got"; then
	echo "missing:"; LC_ALL=C comm -23 "$T/want" "$T/got" | head -n 20
	echo "extra:"; LC_ALL=C comm -13 "$T/want" "$T/got" | head -n 20
	fail "captured set differs from the replica's pages + requisites"
fi
echo "captured: $(wc -l <"$T/want") pages and requisites, as listed"

# ---- robots.txt ---------------------------------------------------------------
site_log >"$T/log"
site_list disallowed | while IFS= read -r p; do
	awk -F'\t' -v p="$p" 'index($4, p) == 1' "$T/log" | grep -q . &&
		echo "$p"
done >"$T/disallowed-fetched"
[ ! -s "$T/disallowed-fetched" ] ||
	fail "fetched what robots.txt disallows: $(cat "$T/disallowed-fetched")"
crawl_log "$A" 1 >"$T/crawl.log" || fail "no crawl log"
grep -q ' robots\( via:.*\)\{0,1\}$' "$T/crawl.log" || fail "no robots refusal in the crawl log"

# ---- traps bounded --------------------------------------------------------------
qv=$(sed -n 's/^max-query-variants *= *//p' "$TOP/config/test.conf")
cal=$(grep -c '^/events/calendar?' "$T/got-all")
[ "$cal" -ge 1 ] && [ "$cal" -le "$qv" ] ||
	fail "calendar: $cal captures, limit $qv"
loop=$(grep -c '^/loop/' "$T/got-all")
[ "$loop" -le 2 ] || fail "redirect loop: $loop captures"
facets=$(awk -F'\t' '$4 ~ /^\/search/' "$T/log" | wc -l)
[ "$facets" -le "$qv" ] || fail "faceted search: $facets requests"
sess=$(grep -c '^/session/' "$T/got-all")
[ "$sess" -le 10 ] || fail "session ids: $sess captures"
echo "traps: calendar $cal, loop $loop, facets $facets, session $sess"

# ---- 503 then Retry-After, 429 ------------------------------------------------
awk -F'\t' '$4 == "/reports/temporarily-unavailable" { print $1, $2, $5 }' \
	"$T/log" >"$T/503"
[ "$(wc -l <"$T/503")" -eq 2 ] || fail "503 endpoint: $(cat "$T/503")"
awk 'NR == 1 { if ($3 != 503) exit 1; out = $2 }
     NR == 2 { if ($3 != 200 || $1 - out < 2.0) exit 1 }' "$T/503" ||
	fail "503 not retried after Retry-After 2: $(cat "$T/503")"
grep -q '^response .*/reports/temporarily-unavailable$' "$T/caps" ||
	fail "503 page not captured after the retry"
grep -q '^response .*/reports/rate-limited$' "$T/caps" ||
	fail "429 page not captured after the retry"

# ---- endless response: cut and marked --------------------------------------------
for f in $(crawl_warcs "$A"); do
	"$GOVARCH" ls "$f" | awk -F'\t' -v f="$f" \
		'$3 == "response" && $5 ~ /\/stream\/endless$/ { print f, $1 }'
done >"$T/endless"
[ -s "$T/endless" ] || fail "/stream/endless not recorded"
read -r ef eo <"$T/endless"
"$GOVARCH" cat "$ef" "$eo" | head -n 20 | grep -q '^WARC-Truncated: length' ||
	fail "/stream/endless record has no WARC-Truncated: length"
grep -q 'stream/endless .* truncated(length)' "$T/crawl.log" ||
	fail "crawl log does not say truncated(length)"

# ---- verify ------------------------------------------------------------------------
crawl_verify "$A" || fail "verify found problems"

# ---- politeness from the server's side --------------------------------------------
ua=$(sed -n 's/^user-agent *= *//p' "$TOP/config/test.conf")
contact=$(sed -n 's/^contact *= *//p' "$TOP/config/test.conf")
version=$("$GOVARCH" version | awk 'NR == 1 { print $2 }')
want_ua=$(printf '%s' "$ua" | sed "s|%v|$version|; s|%c|$contact|")
bad_ua=$(awk -F'\t' -v ua="$want_ua" '$6 != ua' "$T/log" | head -n 3)
[ -z "$bad_ua" ] || fail "requests with another User-Agent: $bad_ua"
# The replica stamps a request's start when it arrives, and its end when
# libmicrohttpd's completion callback runs: after the last write, measured
# up to tens of ms after the crawler has read the last byte when both
# processes share a loaded machine.  So the strict check is on starts:
# consecutive requests start at least the delay apart (the crawler waits
# the delay after each response, itself after its request started).  No
# overlap is checked against the end stamps with 0.1 s of slack for that
# lateness; a crawler sending two requests at once would overlap a whole
# response.
sort -n "$T/log" | awk -F'\t' -v d=$DELAY '
	NR > 1 {
		if ($1 - prev_in < d) {
			printf "starts %.4f s apart: %s\n", $1 - prev_in, $4; bad = 1
		}
		if ($1 < out - 0.1) { print "overlap: " prev " / " $4; bad = 1 }
	}
	{ prev_in = $1; out = $2; prev = $4 }
	END { exit bad }' >"$T/polite" ||
	fail "politeness: $(head -n 5 "$T/polite")"
echo "politeness: $(wc -l <"$T/log") requests, one at a time, gaps >= $DELAY s"

# ---- crawl log, crawls -------------------------------------------------------
n=$(grep -c ' ok$\| ok via:' "$T/crawl.log")
[ "$n" -ge "$(wc -l <"$T/want")" ] || fail "crawl log has $n ok lines"
# START DURATION of every fetch of the replica (one host: one at a time),
# in start order: each starts at least the delay after the one before.
awk -v site="$SITE_URL/" '
	function days(y, m, d) {
		if (m <= 2) { y--; m += 12 }
		return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d
	}
	index($4, site) == 1 && $5 != "-" {
		if ($5 !~ /^[0-9]+ms$/) { print "bad duration: " $0; exit 1 }
		split(substr($1, 1, 10), d, "-")
		t = days(d[1] + 0, d[2] + 0, d[3] + 0) * 86400
		t += substr($1, 12, 2) * 3600 + substr($1, 15, 2) * 60 + substr($1, 18, 9)
		printf "%.6f %s\n", t, $4
	}' "$T/crawl.log" >"$T/starts" || fail "crawl log: $(cat "$T/starts")"
[ "$(wc -l <"$T/starts")" -ge "$n" ] || fail "crawl log: $(wc -l <"$T/starts") fetches"
sort -n "$T/starts" | awk -v d=$DELAY '
	NR > 1 && $1 - prev < d {
		printf "fetches started %.4f s apart: %s\n", $1 - prev, $2; bad = 1
	}
	{ prev = $1 }
	END { exit bad }' >"$T/logpolite" ||
	fail "crawl log: $(head -n 5 "$T/logpolite")"
echo "crawl log: $(wc -l <"$T/starts") fetches, starts >= $DELAY s apart"
"$GOVARCH" crawls --archive "$A" | grep -q '^1[[:space:]].*complete' ||
	fail "govarch crawls: $("$GOVARCH" crawls --archive "$A")"
exit 0
