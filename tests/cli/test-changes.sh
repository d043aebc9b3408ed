#!/bin/sh
# changes, diff, history, index --rebuild and index --cdxj against three
# real crawls of the replica (v1, v2, v3):
#  - `changes --from A --to B --format json`, mapped to KIND<TAB>PATH[<TAB>
#    TARGET], equals `govarch-site --changes vA vB` exactly (v2->v3 with its
#    site-wide line);
#  - `diff` of an edited page shows the changed paragraphs and nothing from
#    the menu, breadcrumb or footer; of a date-only page the two dates and
#    no text change; `history` says edited / date-only;
#  - after deleting catalog.sqlite, `index --rebuild` gives the same
#    `changes` output byte for byte (text, json, html);
#  - `index --cdxj` is byte-sorted and its offsets/lengths are records.
. "$TOP/tests/cli/lib.sh"

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"

tmpdir T
A=$T/archive

crawl() { # crawl with the test config, fast; the crawler itself requests
	  # again every page the last crawl saw (so removals and moves are seen)
	set -- --seed "$SITE_URL/"
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --archive "$A" --delay 0 \
		--set delay-factor=0 --set 'exclude=/stream/' --quiet "$@" \
		>"$T/crawl.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] ||
		fail "crawl exited $rc: $(tail -n 5 "$T/crawl.out")"
}

# JSON changes -> the generator's KIND<TAB>PATH[<TAB>TARGET] lines
map_changes() { # FILE
	jq -r --arg b "$SITE_URL" '.changes[] |
	  if .kind == "sitewide" then "sitewide\t-"
	  elif .kind == "redirected" or .kind == "moved" then
	    "\(.kind)\t\(.url | ltrimstr($b))\t\(.target | ltrimstr($b))"
	  else "\(.kind)\t\(.url | ltrimstr($b))" end' "$1" | LC_ALL=C sort
}

truth() { # VA VB: ground truth, the site-wide line cut to its two fields
	site_changes "$1" "$2" | cut -f1,2 | awk -F'\t' '
	  $1 == "redirected" || $1 == "moved" { next } { print }' >"$T/truth.tmp"
	site_changes "$1" "$2" | awk -F'\t' '$1 == "redirected" || $1 == "moved"' \
		>>"$T/truth.tmp"
	LC_ALL=C sort "$T/truth.tmp"
}

site_start v1
crawl
site_version v2
crawl
site_version v3
crawl

"$GOVARCH" crawls --archive "$A" >"$T/crawls" || fail "crawls"
[ "$(cut -f1,6 "$T/crawls" | tr '\t\n' ' ')" = "1 complete 2 complete 3 complete " ] ||
	fail "crawls: $(cat "$T/crawls")"

for p in "1 2 v1 v2" "2 3 v2 v3"; do
	set -- $p
	"$GOVARCH" changes --archive "$A" --from "$1" --to "$2" --format json \
		>"$T/changes-$1-$2.json" || fail "changes --from $1 --to $2"
	map_changes "$T/changes-$1-$2.json" >"$T/got-$1-$2"
	truth "$3" "$4" >"$T/want-$1-$2"
	diff "$T/want-$1-$2" "$T/got-$1-$2" >"$T/diff-$1-$2" ||
		fail "changes $1->$2 differ from the generator's $3->$4 (< want, > got):
$(head -n 30 "$T/diff-$1-$2")"
	for f in text html atom; do
		"$GOVARCH" changes --archive "$A" --from "$1" --to "$2" \
			--format $f >"$T/changes-$1-$2.$f" || fail "changes --format $f"
	done
done
grep -q '^sitewide' "$T/want-2-3" || fail "the generator lists no site-wide change v2->v3"
[ "$(wc -l <"$T/got-2-3")" -gt 10 ] || fail "too few changes v2->v3"
# the default pair is the last two complete crawls
"$GOVARCH" changes --archive "$A" --format json | cmp -s - "$T/changes-2-3.json" ||
	fail "changes without --from/--to is not crawls 2->3"

# ---- diff and history of an edited page and a date-only page ----
edited=$(awk -F'\t' '$1 == "edited" { print $2; exit }' "$T/want-1-2")
dateonly=$(awk -F'\t' '$1 == "date-only" { print $2; exit }' "$T/want-1-2")
[ -n "$edited" ] && [ -n "$dateonly" ] || fail "no edited/date-only page v1->v2"

"$GOVARCH" diff --archive "$A" "$SITE_URL$edited" 1 2 >"$T/diff-edited" ||
	fail "diff $edited"
grep -q '^+[^+]' "$T/diff-edited" || fail "diff $edited: no added line
$(cat "$T/diff-edited")"
grep -q '^-[^-]' "$T/diff-edited" || fail "diff $edited: no removed line"
# each changed line is main text of the page (v2 for +, v1 for -) ...
site_version v2
curl -fsS "$SITE_URL$edited" >"$T/page-v2.html" || fail "fetch $edited"
site_version v1
curl -fsS "$SITE_URL$edited" >"$T/page-v1.html" || fail "fetch $edited"
check_lines() { # SIGN PAGE
	grep "^$1[^$1]" "$T/diff-edited" | cut -c2- | head -n 20 |
	while IFS= read -r l; do
		w=$(printf '%s' "$l" | cut -c1-40)
		grep -qF -- "$w" "$2" || { echo "$l"; break; }
	done
}
bad=$(check_lines + "$T/page-v2.html")
[ -z "$bad" ] || fail "diff $edited: '+$bad' is not in the v2 page"
bad=$(check_lines - "$T/page-v1.html")
[ -z "$bad" ] || fail "diff $edited: '-$bad' is not in the v1 page"
# ... and nothing from the menu, breadcrumb, header or footer is in the diff
for s in "Help us improve DPMC" "Your feedback is very important" \
	 "Copyright Department" "Skip to main content" "Latest news" \
	 "Toitū carbon" "Our business units" "Departmental agency"; do
	grep -qF -- "$s" "$T/diff-edited" && fail "diff $edited shows '$s'"
done
grep -q '^@@\|^ ' "$T/diff-edited" || true
grep -q 'last updated 20' "$T/diff-edited" || fail "diff $edited: no dates
$(head -n 3 "$T/diff-edited")"

"$GOVARCH" diff --archive "$A" "$SITE_URL$dateonly" 1 2 >"$T/diff-date" ||
	fail "diff $dateonly"
grep -q 'no text change' "$T/diff-date" || fail "diff $dateonly: text change?
$(cat "$T/diff-date")"
[ "$(grep -c 'last updated 20' "$T/diff-date")" -eq 2 ] ||
	fail "diff $dateonly: the two dates are not shown"
d1=$(sed -n 1p "$T/diff-date" | sed 's/.*last updated \([0-9-]*\).*/\1/')
d2=$(sed -n 2p "$T/diff-date" | sed 's/.*last updated \([0-9-]*\).*/\1/')
[ "$d1" != "$d2" ] || fail "diff $dateonly: same dates $d1"
for f in word html json; do
	"$GOVARCH" diff --archive "$A" "$SITE_URL$edited" 1 2 --format $f \
		>"$T/diff.$f" || fail "diff --format $f"
done
jq -e . "$T/diff.json" >/dev/null || fail "diff --format json is not JSON"

"$GOVARCH" history --archive "$A" "$SITE_URL$edited" >"$T/hist" ||
	fail "history $edited"
[ "$(sed 1d "$T/hist" | cut -f2,5 | sed -n 1,2p | tr '\t\n' ' ')" = "1 first 2 edited " ] ||
	fail "history $edited: $(cat "$T/hist")"
"$GOVARCH" history --archive "$A" "$SITE_URL$dateonly" | sed -n 3p |
	cut -f5 | grep -qx date-only || fail "history $dateonly: not date-only"

# ---- the feed the crawler writes after each crawl ----
[ -s "$A/changes.atom" ] || fail "no changes.atom"
grep -q '<feed xmlns="http://www.w3.org/2005/Atom">' "$A/changes.atom" ||
	fail "changes.atom is not an Atom feed"
grep -qF "govarch diff $SITE_URL$edited" "$A/changes.atom" ||
	fail "changes.atom has no diff command for $edited"

# ---- rebuild: same answers, byte for byte ----
rm -f "$A/catalog.sqlite" "$A/catalog.sqlite-wal" "$A/catalog.sqlite-shm"
"$GOVARCH" index --rebuild --archive "$A" 2>"$T/rebuild.err" ||
	fail "index --rebuild: $(cat "$T/rebuild.err")"
for p in "1 2" "2 3"; do
	set -- $p
	for f in json text html; do
		ext=$f
		"$GOVARCH" changes --archive "$A" --from "$1" --to "$2" \
			--format $f >"$T/after.$ext" || fail "changes after rebuild"
		cmp -s "$T/after.$ext" "$T/changes-$1-$2.$ext" ||
			fail "changes $1->$2 --format $f differs after rebuild:
$(diff "$T/changes-$1-$2.$ext" "$T/after.$ext" | head -n 10)"
	done
done
"$GOVARCH" history --archive "$A" "$SITE_URL$edited" | cmp -s - "$T/hist" ||
	fail "history differs after rebuild"

# ---- CDXJ: sorted, offsets and lengths are records ----
"$GOVARCH" index --cdxj --archive "$A" >"$T/index.cdxj" || fail "index --cdxj"
[ -s "$T/index.cdxj" ] || fail "empty CDXJ"
LC_ALL=C sort -c "$T/index.cdxj" || fail "CDXJ not byte-sorted"
n=0
awk 'NR % 25 == 1' "$T/index.cdxj" | while IFS= read -r line; do
	json=${line#* * }
	url=$(printf '%s' "$json" | jq -r .url)
	file=$(printf '%s' "$json" | jq -r .filename)
	off=$(printf '%s' "$json" | jq -r .offset)
	len=$(printf '%s' "$json" | jq -r .length)
	"$GOVARCH" cat "$A/$file" "$off" 2>/dev/null | head -c 4096 |
		tr -d '\r' | grep -qxF "WARC-Target-URI: $url" ||
		{ echo "FAIL: cdxj: $file $off is not $url"; exit 1; }
	end=$((off + len))
	size=$(wc -c <"$A/$file")
	[ "$end" -le "$size" ] || { echo "FAIL: cdxj: $file $off+$len past the end"; exit 1; }
	if [ "$end" -lt "$size" ]; then
		"$GOVARCH" cat "$A/$file" "$end" 2>/dev/null | head -n 1 |
			grep -q '^WARC/1' ||
			{ echo "FAIL: cdxj: $file $off+$len is not a record end"; exit 1; }
	fi
done || exit 1
grep -q '"mime": "warc/revisit"' "$T/index.cdxj" || fail "no revisit in the CDXJ"
echo "ok: changes v1->v2 $(wc -l <"$T/got-1-2"), v2->v3 $(wc -l <"$T/got-2-3") lines"
