#!/bin/sh
# A second crawl after the site changed (replica v1 -> v2, menu kept from v1
# so unchanged pages keep their bytes):
#  - every page unchanged between v1 and v2 is a revisit record in the
#    second crawl's WARCs, with WARC-Refers-To/-Target-URI/-Date;
#  - each crawl's log is compressed (crawl-ID.log.zst) as the crawl ends;
#  - the second crawl sent conditional requests (If-None-Match and
#    If-Modified-Since from the first capture);
#  - pages added, edited, silently edited or re-dated in v2 are full
#    responses;
#  - each new HTML page of the second crawl is parsed once, revisits not
#    at all (their links come from the catalog);
#  - both crawls' WARCs verify.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
site_start v1 --menu-from v1

crawl_run "$A" --delay 0.02 --set exclude=/stream/ --set exclude=/reports/ --quiet >"$T/out1" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "first crawl exited $rc: $(tail -n 5 "$T/out1")"
crawl_warcs "$A" >"$T/warcs1"

site_version v2
: >"$SITE_LOG"
crawl_run "$A" --delay 0.02 --set exclude=/stream/ --set exclude=/reports/ >"$T/out2" 2>&1
rc=$?
[ $rc -eq 0 ] || fail "second crawl exited $rc: $(tail -n 5 "$T/out2")"
grep -q '^crawl 2 complete: ' "$T/out2" || fail "no summary: $(cat "$T/out2")"
crawl_warcs "$A" | grep -vxF -f "$T/warcs1" >"$T/warcs2"
[ -s "$T/warcs2" ] || fail "the second crawl wrote no WARC file"
crawl_parsed_once "$T/out2" $(cat "$T/warcs2")

crawl_captures $(cat "$T/warcs2") | sed "s| $SITE_URL| |" |
	LC_ALL=C sort -k2 >"$T/caps2"
site_changes v1 v2 >"$T/changes"
site_list pages v1 >"$T/pages1"
site_list pages v2 >"$T/pages2"

# unchanged pages: in both versions, not named by --changes
cut -f2 "$T/changes" | LC_ALL=C sort -u >"$T/changed-paths"
LC_ALL=C comm -12 "$T/pages1" "$T/pages2" |
	LC_ALL=C comm -23 - "$T/changed-paths" >"$T/unchanged"
[ "$(wc -l <"$T/unchanged")" -gt 100 ] || fail "too few unchanged pages?"
awk 'NR == FNR { t[$2] = $1; next }
     !($0 in t) { print "not captured: " $0; next }
     t[$0] != "revisit" { print t[$0] ": " $0 }' "$T/caps2" "$T/unchanged" \
	>"$T/bad-unchanged"
[ ! -s "$T/bad-unchanged" ] ||
	fail "unchanged pages not revisits: $(head -n 5 "$T/bad-unchanged")"

# new and changed pages: full responses
awk -F'\t' '$1 == "added" || $1 == "edited" || $1 == "silent" ||
	    $1 == "date-only" { print $2 }' "$T/changes" >"$T/new"
[ -s "$T/new" ] || fail "no added/changed pages in --changes v1 v2"
awk 'NR == FNR { t[$2] = $1; next }
     !($0 in t) { print "missing: " $0; next }
     t[$0] != "response" { print t[$0] ": " $0 }' \
	"$T/caps2" "$T/new" >"$T/bad-new"
[ ! -s "$T/bad-new" ] ||
	fail "changed pages not full responses: $(head -n 5 "$T/bad-new")"

# conditional requests, from the server's side
site_log >"$T/log2"
n_inm=$(awk -F'\t' '$7 != "-" && $7 != ""' "$T/log2" | wc -l)
n_ims=$(awk -F'\t' '$8 != "-" && $8 != ""' "$T/log2" | wc -l)
n_304=$(awk -F'\t' '$5 == 304' "$T/log2" | wc -l)
[ "$n_inm" -ge "$(wc -l <"$T/unchanged")" ] ||
	fail "only $n_inm requests with If-None-Match"
[ "$n_ims" -ge "$(wc -l <"$T/unchanged")" ] ||
	fail "only $n_ims requests with If-Modified-Since"
for p in $(head -n 5 "$T/unchanged"); do
	awk -F'\t' -v p="$p" '$4 == p && $7 != "-" && $5 == 304' "$T/log2" |
		grep -q . || fail "no conditional 304 for $p"
done

# a revisit names its original
f=$(head -n 1 "$T/warcs2")
"$GOVARCH" ls "$f" | awk -F'\t' '$3 == "revisit" { print $1; exit }' >"$T/off"
[ -s "$T/off" ] || fail "no revisit record in $f"
"$GOVARCH" cat "$f" "$(cat "$T/off")" | head -n 25 >"$T/rev"
for h in WARC-Refers-To WARC-Refers-To-Target-URI WARC-Refers-To-Date \
	 WARC-Profile WARC-Payload-Digest; do
	grep -q "^$h: " "$T/rev" || fail "revisit without $h: $(cat "$T/rev")"
done

crawl_verify "$A" || fail "verify found problems"

# each crawl's log was compressed as the crawl ended; none stays plain
for i in 1 2; do
	[ -f "$A/logs/crawl-$i.log" ] && fail "crawl-$i.log left uncompressed"
	zstd -t -q "$A/logs/crawl-$i.log.zst" || fail "crawl-$i.log.zst does not decompress"
done
zstdcat "$A/logs/crawl-1.log.zst" | grep -q ' ok$' || fail "crawl-1.log.zst has no ok line"
zstdcat "$A/logs/crawl-2.log.zst" | grep -q ' not-modified$' || fail "crawl-2.log.zst has no not-modified line"
echo "crawl 2: $(grep -c '^revisit' "$T/caps2") revisits, $(grep -c '^response' "$T/caps2") responses, $n_304 304s; $(wc -l <"$T/unchanged") unchanged, $(wc -l <"$T/new") new/changed pages"
exit 0
