#!/bin/sh
# Exact change semantics and reports over many crawls, on three real crawls
# of the replica (v1, v2, v3):
#  - FROM and TO naming the same crawl or capture is an error saying so;
#  - history matches the path case-sensitively and says which URL it
#    matched; its JSON and the changes JSON name each capture's WARC file
#    and offset, and that record is the capture;
#  - index --rebuild gives byte-identical changes and history answers.
. "$TOP/tests/cli/lib.sh"

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
command -v jq >/dev/null 2>&1 || skip "jq is not installed"

tmpdir T
A=$T/archive

crawl() { # crawl with the test config, fast
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --archive "$A" --delay 0 \
		--set delay-factor=0 --set 'exclude=/stream/' --quiet \
		--seed "$SITE_URL/" "$@" >"$T/crawl.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] ||
		fail "crawl exited $rc: $(tail -n 5 "$T/crawl.out")"
}

site_start v1
crawl
site_version v2
crawl
site_version v3
crawl

# ---- a <pre> edit is one changed line in the diff ----
n=0
for p in $(site_changes v1 v2 | awk -F'\t' '$1 == "edited" || $1 == "silent" { print $2 }'); do
	"$GOVARCH" diff --archive "$A" "$SITE_URL$p" 1 2 >"$T/d" || fail "diff $p 1 2"
	grep -q '^ *[-+ ]*revision = ' "$T/d" || continue
	n=$((n + 1))
	[ "$(grep -c '^-revision = [0-9]*\.0$' "$T/d")" = 1 ] &&
	[ "$(grep -c '^+revision = [0-9]*\.2$' "$T/d")" = 1 ] ||
		fail "diff $p: the <pre> line is not one changed line:
$(cat "$T/d")"
	! grep -q '^[-+].*\(section = \|reviewed-by = \|retention = \|publishing settings\)' "$T/d" ||
		fail "diff $p shows unchanged <pre> lines:
$(grep '^[-+]' "$T/d")"
done
[ $n -ge 3 ] || fail "only $n edited pages with a <pre> block"

# ---- a moved page is one line; the new URL is not added ----
site_changes v1 v2 | awk -F'\t' '$1 == "moved"' >"$T/moved"
[ "$(wc -l <"$T/moved")" -eq 1 ] || fail "the generator moves no page v1->v2"
IFS='	' read -r k old new <"$T/moved"
"$GOVARCH" changes --archive "$A" --from 1 --to 2 >"$T/ch-1-2" || fail "changes 1 2"
grep -F "$new" "$T/ch-1-2" >"$T/got" || true
grep -F "$old" "$T/ch-1-2" >>"$T/got" || true
[ "$(LC_ALL=C sort -u "$T/got" | cut -f1,2,5)" = "moved	$SITE_URL$old	-> $SITE_URL$new (HTTP 301, same text)" ] ||
	fail "changes 1 2, the move $old -> $new: $(cat "$T/got")"
! grep -q "^added	$SITE_URL$new	" "$T/ch-1-2" || fail "$new is added too"

# ---- a menu rename is one sitewide line naming the link; the footer's
# rewording another; the pages added and removed with their menu links are
# reported on their own (test-changes), not as menu edits ----
"$GOVARCH" changes --archive "$A" --from 2 --to 3 >"$T/ch-2-3" || fail "changes 2 3"
grep '^sitewide' "$T/ch-2-3" >"$T/sw"
n=$(sed -n 's/.* on \([0-9]*\) pages.*/\1/p' "$T/sw" | sort -u)
site_list pages v2 >"$T/p2"
site_list pages v3 >"$T/p3"
[ "$(echo "$n" | wc -l)" = 1 ] && [ "$n" -ge "$(comm -12 "$T/p2" "$T/p3" | wc -l)" ] ||
	fail "changes 2 3: site-wide lines not on every page: $(cat "$T/sw")"
cat >"$T/sw.want" <<EOF
sitewide	-	-	-	menu link renamed "Media" -> "Media centre" ($SITE_URL/news) on $n pages
sitewide	-	-	-	outside the main text on $n pages: -"© Copyright Department of the Prime Minister and Cabinet." -"Your feedback is very important in helping us improve the..." +"© Crown copyright, Department of the Prime Minister and ..." +"Tell us what you think of the DPMC website: your feedback..."
EOF
diff "$T/sw.want" "$T/sw" >"$T/d-sw" || fail "changes 2 3 site-wide lines (< want, > got):
$(cat "$T/d-sw")"
"$GOVARCH" changes --archive "$A" --from 2 --to 3 --format json >"$T/ch-2-3.json" ||
	fail "changes 2 3 json"
jq -c '[.changes[] | select(.kind == "sitewide") | {pages, removed, added, link}]' \
	"$T/ch-2-3.json" >"$T/sw.json"
cat >"$T/sw.json.want" <<EOF
[{"pages":$n,"removed":["Media"],"added":["Media centre"],"link":{"url":"$SITE_URL/news","change":"renamed"}},{"pages":$n,"removed":["© Copyright Department of the Prime Minister and Cabinet.","Your feedback is very important in helping us improve the DPMC website."],"added":["© Crown copyright, Department of the Prime Minister and Cabinet (DPMC).","Tell us what you think of the DPMC website: your feedback helps us improve it."],"link":null}]
EOF
cmp -s "$T/sw.json.want" "$T/sw.json" || fail "changes 2 3 json site-wide: $(cat "$T/sw.json")"
"$GOVARCH" changes --archive "$A" --from 2 --to 3 --format html >"$T/ch-2-3.html" ||
	fail "changes 2 3 html"
grep -qF "<td>menu link renamed &quot;Media&quot; -&gt; &quot;Media centre&quot; ($SITE_URL/news) on $n pages</td>" "$T/ch-2-3.html" ||
	fail "changes 2 3 html: no menu rename row"
"$GOVARCH" changes --archive "$A" --from 2 --to 3 --format atom >"$T/ch-2-3.atom" ||
	fail "changes 2 3 atom"
grep -qxF "<title>sitewide: menu link renamed $SITE_URL/news</title>" "$T/ch-2-3.atom" &&
grep -qxF "<summary>sitewide: menu link renamed &quot;Media&quot; -&gt; &quot;Media centre&quot; ($SITE_URL/news) on $n pages</summary>" "$T/ch-2-3.atom" ||
	fail "changes 2 3 atom: no menu rename entry"
[ -z "$(grep '^<id>' "$T/ch-2-3.atom" | sort | uniq -d)" ] ||
	fail "changes 2 3 atom: two entries with one id"

# ---- over three crawls: each page once, with every change it went through ----
{ site_changes v1 v2; site_changes v2 v3; } | awk -F'\t' '
  $1 != "sitewide" { if ($2 in k) k[$2] = k[$2] "," $1; else k[$2] = $1 }
  END { for (p in k) print p "\t" k[p] }' | LC_ALL=C sort >"$T/want-span"
"$GOVARCH" changes --archive "$A" --from 1 --to 3 --format json >"$T/span.json" ||
	fail "changes --from 1 --to 3"
jq -r --arg b "$SITE_URL" '.changes[] | select(.url != null) |
  "\(.url | ltrimstr($b))\t\(.kinds | join(","))"' "$T/span.json" |
	LC_ALL=C sort >"$T/got-span"
diff "$T/want-span" "$T/got-span" >"$T/d-span" ||
	fail "changes 1 -> 3 over 3 crawls (< want, > got): $(head -n 20 "$T/d-span")"
grep -q ',' "$T/got-span" || fail "no page changed twice over v1..v3"
[ "$(jq -c '[.crawls[].crawl]' "$T/span.json")" = "[1,2,3]" ] ||
	fail "changes 1 -> 3: crawls $(jq -c .crawls "$T/span.json")"
# each step names its crawl, and a page's steps are its pair changes
jq -e '[.changes[] | select(.url != null) | .steps | length ==
  (map(.crawl) | unique | length)] | all' "$T/span.json" >/dev/null ||
	fail "changes 1 -> 3: a step without its own crawl"
# the site-wide changes of v3 (footer, menu link) are an entry each, seen
# in crawl 3
[ "$(jq -c '[.changes[] | select(.url == null) | [.kinds, .steps[0].crawl]]' "$T/span.json")" = \
  '[[["sitewide"],3],[["sitewide"],3]]' ] ||
	fail "changes 1 -> 3: site-wide $(jq -c '[.changes[] | select(.url == null)]' "$T/span.json" | head -c 300)"
"$GOVARCH" changes --archive "$A" --from 1 --to 3 >"$T/span.txt" || fail "changes 1 3 text"
sed -n 1p "$T/span.txt" | grep -q '^# changes from crawl 1 (.*) to crawl 3 (.*) over 3 crawls: [0-9]*$' ||
	fail "changes 1 3 header: $(sed -n 1p "$T/span.txt")"
[ -z "$(sed 1d "$T/span.txt" | cut -f2 | grep -v '^-$' | sort | uniq -d)" ] ||
	fail "changes 1 3 lists a page twice"
[ "$(sed 1d "$T/span.txt" | wc -l)" = "$(jq '.changes | length' "$T/span.json")" ] ||
	fail "changes 1 3: text and json differ in length"
"$GOVARCH" changes --archive "$A" --from 1 --to 3 --format html >"$T/span.html" ||
	fail "changes 1 3 html"
"$GOVARCH" changes --archive "$A" --from 1 --to 3 --format atom >/dev/null ||
	fail "changes 1 3 atom"

# ---- html links each change to its diff page; the feed says kind and
# summary; diffs the feed no longer links are pruned after a crawl ----
"$GOVARCH" changes --archive "$A" --from 1 --to 2 --format html >"$T/ch.html" ||
	fail "changes --format html"
grep -o 'href="diffs/[^"]*"' "$T/ch.html" | sed 's/^href="//; s/"$//' >"$T/links"
[ "$(wc -l <"$T/links")" = "$(site_changes v1 v2 | grep -c '^edited\|^silent\|^date-only')" ] ||
	fail "changes html: $(wc -l <"$T/links") diff links"
while read -r l; do
	[ -s "$A/$l" ] || fail "changes html links $l, which is not in the archive"
done <"$T/links"
! grep -q '<code>govarch diff' "$T/ch.html" || fail "changes html still shows a diff command"
grep -o 'href="diffs/[^"]*"' "$T/span.html" | sed 's/^href="//; s/"$//' |
	while read -r l; do [ -s "$A/$l" ] || { echo "$l"; break; }; done >"$T/bad"
[ ! -s "$T/bad" ] || fail "changes 1 3 html links $(cat "$T/bad"), not in the archive"
grep -q '<summary>edited: [0-9]* paragraph' "$A/changes.atom" ||
	fail "the feed's entries do not say kind and summary"
mkdir -p "$A/diffs/98-99"
echo stale >"$A/diffs/98-99/0123456789abcdef.html"
echo stale >"$A/diffs/1-2/0123456789abcdef.html"
echo mine >"$A/diffs/1-2/notes.txt"

# ---- a crawl stopped at a limit is partial; its unreached pages are not
# removed ----
crawl --max-pages 30
"$GOVARCH" crawls --archive "$A" >"$T/crawls" || fail "crawls"
[ "$(cut -f1,6,7 "$T/crawls" | tr '\t\n' ' ')" = \
  "1 complete 2 complete 3 complete 4 partial max-pages 30 reached " ] ||
	fail "crawls: $(cat "$T/crawls")"
"$GOVARCH" crawls --archive "$A" --format json | jq -r '.[] | "\(.status) \(.reason)"' |
	tr '\n' ' ' | grep -qx "complete null complete null complete null partial max-pages 30 reached " ||
	fail "crawls json: $("$GOVARCH" crawls --archive "$A" --format json)"
"$GOVARCH" changes --archive "$A" --from 3 --to 4 >"$T/ch-3-4" || fail "changes 3 4"
start3=$(awk -F'\t' '$1 == 3 { print $2 }' "$T/crawls")
start4=$(awk -F'\t' '$1 == 4 { print $2 }' "$T/crawls")
sed -n 1p "$T/ch-3-4" | grep -qxF "# changes from crawl 3 ($start3) to crawl 4 ($start4, partial: max-pages 30 reached): $(($(wc -l <"$T/ch-3-4") - 1))" ||
	fail "changes 3 4 header: $(sed -n 1p "$T/ch-3-4")"
! grep -q '^removed' "$T/ch-3-4" || fail "changes 3 4 reports removed pages:
$(grep '^removed' "$T/ch-3-4" | head -n 5)"
"$GOVARCH" changes --archive "$A" --from 3 --to 4 --format json |
	jq -e '.to.status == "partial" and .to.reason == "max-pages 30 reached" and
	  .from.status == "complete" and .from.reason == null' >/dev/null ||
	fail "changes 3 4 json: the crawls' status"
# the crawl pruned the diffs its feed does not link, and kept the others
[ ! -e "$A/diffs/98-99" ] || fail "diffs/98-99 (no such crawls) not pruned"
[ ! -e "$A/diffs/1-2/0123456789abcdef.html" ] || fail "an unlinked diff not pruned"
[ -e "$A/diffs/1-2/notes.txt" ] || fail "prune removed a file that is not a diff"
grep -o 'href="diffs/[^"]*"' "$A/changes.atom" | sed 's/^href="//; s/"$//' |
	while read -r l; do [ -s "$A/$l" ] || { echo "$l"; break; }; done >"$T/bad"
[ ! -s "$T/bad" ] || fail "the feed links $(cat "$T/bad"), pruned"
# the default pair stays the last two complete crawls
"$GOVARCH" changes --archive "$A" | sed -n 1p | grep -q '^# changes from crawl 2 .* to crawl 3 ' ||
	fail "changes: the default pair is not 2 -> 3"

# ---- pages a crawl leaves out because of a rule are excluded, with the
# rule, not removed: an exclude pattern (checked when the known pages are
# queued) and robots.txt (this crawl obeys the BadBot group: Disallow: /) ----
pat=/our-programmes/the-policy-project/
crawl --set "exclude=$pat" --set robots-token=BadBot
"$GOVARCH" crawls --archive "$A" | awk -F'\t' '$1 == 5 { print $6 }' | grep -qx complete ||
	fail "crawl 5 is not complete: $("$GOVARCH" crawls --archive "$A")"
"$GOVARCH" changes --archive "$A" --from 3 --to 5 >"$T/ch-3-5" || fail "changes 3 5"
"$GOVARCH" crawls --archive "$A" --urls 3 | awk -v p="$pat" '{
	print "excluded\t" $0 "\t" (index($0, p) ? "exclude = " p : "robots.txt disallows it") }' |
	LC_ALL=C sort >"$T/want-3-5"
# documents are not known pages: one the pages of crawl 3 linked to was not
# reached because every page linking to it is excluded now - excluded too,
# with the rules of those pages, not removed
site_version v3
site_list pages v3 | while read -r p; do
	curl -s "$SITE_URL$p" | grep -o 'href="[^"]*\.pdf"' | sort -u |
		sed "s|^href=\"\\(.*\\)\"\$|\\1	$SITE_URL$p|"
done | LC_ALL=C sort -t '	' -k1,1 -k2,2 | awk -F'\t' -v p="$pat" -v b="$SITE_URL" '
	{ r = index($2, p) ? "exclude = " p : "robots.txt disallows it"
	  u = b $1
	  if (!(u in rules)) { rules[u] = r; order[++n] = u }
	  else if (index("; " rules[u] "; ", "; " r "; ") == 0) rules[u] = rules[u] "; " r }
	END { for (i = 1; i <= n; i++)
		print "excluded\t" order[i] "\tlinked only from excluded pages: " rules[order[i]] }' \
	>>"$T/want-3-5.tmp"
LC_ALL=C sort "$T/want-3-5" "$T/want-3-5.tmp" >"$T/want-3-5.all"
mv "$T/want-3-5.all" "$T/want-3-5"
grep -q "\\.pdf	linked only from excluded pages: exclude = $pat\$" "$T/want-3-5" ||
	fail "no document linked only from pages under $pat"
sed 1d "$T/ch-3-5" | cut -f1,2,5 | LC_ALL=C sort >"$T/got-3-5"
diff "$T/want-3-5" "$T/got-3-5" >"$T/d-3-5" ||
	fail "changes 3 5 (< want, > got): $(head -n 10 "$T/d-3-5")"
grep -q "exclude = $pat" "$T/got-3-5" || fail "no page excluded by the pattern"

# ---- FROM == TO ----
"$GOVARCH" changes --archive "$A" --from 2 --to '#2' >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "changes --from 2 --to #2 exited $rc"
[ ! -s "$T/out" ] || fail "changes --from 2 --to #2 printed $(cat "$T/out")"
[ "$(cat "$T/err")" = "govarch: changes: FROM and TO are the same crawl (2): nothing to compare" ] ||
	fail "changes --from 2 --to #2 said: $(cat "$T/err")"
page=$(site_list pages v1 | grep -v '^/$' | grep '[a-z]' | head -n 1)
"$GOVARCH" diff --archive "$A" "$SITE_URL$page" 3 3 >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "diff URL 3 3 exited $rc"
grep -qx "govarch: diff: $SITE_URL$page: FROM and TO are the same capture (20[0-9T:-]*Z, crawl 3): nothing to compare" "$T/err" ||
	fail "diff URL 3 3 said: $(cat "$T/err")"
# a crawl and the timestamp of its capture are the same capture
ts3=$("$GOVARCH" history --archive "$A" "$SITE_URL$page" --format json |
	jq -r '.[] | select(.crawl == 3) | .timestamp')
"$GOVARCH" diff --archive "$A" "$SITE_URL$page" "$ts3" 3 >"$T/out" 2>"$T/err"
[ $? -eq 1 ] && grep -q 'the same capture' "$T/err" ||
	fail "diff URL $ts3 3: $(cat "$T/err")"
"$GOVARCH" diff --archive "$A" "$SITE_URL$page" 1 3 --exit-code >/dev/null 2>&1
[ $? -le 1 ] || fail "diff URL 1 3 --exit-code failed"
"$GOVARCH" diff --archive "$A" "$SITE_URL$page" 3 3 --exit-code >/dev/null 2>&1
[ $? -eq 2 ] || fail "diff URL 3 3 --exit-code: trouble is not exit 2"

# ---- history: case-sensitive path, the URL matched ----
"$GOVARCH" history --archive "$A" "$SITE_URL$page" >"$T/hist" ||
	fail "history $page"
[ "$(sed -n 1p "$T/hist")" = "# $SITE_URL$page" ] ||
	fail "history $page: first line $(sed -n 1p "$T/hist")"
sed 1d "$T/hist" | cut -f2 | tr '\n' ' ' | grep -q '^1 2 3 ' ||
	fail "history $page: $(cat "$T/hist")"
upper=$(printf '%s' "$page" | tr a-z A-Z)
"$GOVARCH" history --archive "$A" "$SITE_URL$upper" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && [ ! -s "$T/out" ] ||
	fail "history $upper (case differs) exited $rc: $(head -n 3 "$T/out")"
grep -qF "no capture of this URL" "$T/err" || fail "history $upper: $(cat "$T/err")"
# the host stays case-insensitive
uhost=$(printf '%s' "$SITE_URL" | sed 's,^http://,HTTP://,')
sed 1d "$T/hist" >"$T/hist.body"
"$GOVARCH" history --archive "$A" "$uhost$page" >"$T/hist.up" ||
	fail "history with the scheme in capitals"
sed 1d "$T/hist.up" | cmp -s - "$T/hist.body" || fail "history $uhost$page differs"

# ---- JSON names each side's record; the record is the capture ----
check_record() { # FILE OFFSET URL
	"$GOVARCH" cat "$A/$1" "$2" 2>/dev/null | head -c 4096 | tr -d '\r' |
		grep -qxF "WARC-Target-URI: $3" ||
		fail "$1 at $2 is not a record of $3"
}
"$GOVARCH" history --archive "$A" "$SITE_URL$page" --format json >"$T/hist.json" ||
	fail "history --format json"
jq -r '.[] | "\(.crawl) \(.url)"' "$T/hist.json" | tr '\n' ' ' |
  grep -qF "1 $SITE_URL$page 2 $SITE_URL$page 3 $SITE_URL$page " ||
	fail "history json: $(cat "$T/hist.json")"
jq -r '.[] | "\(.file) \(.offset)"' "$T/hist.json" | while read -r f o; do
	check_record "$f" "$o" "$SITE_URL$page"
done || exit 1
"$GOVARCH" changes --archive "$A" --from 1 --to 2 --format json >"$T/ch.json" ||
	fail "changes --format json"
jq -r '.changes[] | select(.kind != "sitewide") |
  "\(.kind) \(.url) \(.from_file) \(.from_offset) \(.to_file) \(.to_offset) \(.target)"' \
	"$T/ch.json" >"$T/recs"
grep -q '^edited ' "$T/recs" || fail "changes json: no edited page"
while read -r k u ff fo tf to tg; do
	case $k in
	added) [ "$ff $fo" = "null null" ] || fail "added $u has a FROM record" ;;
	*) check_record "$ff" "$fo" "$u" ;;
	esac
	# a move's TO side is the new URL's capture
	[ "$k" = moved ] && u=$tg
	check_record "$tf" "$to" "$u"
done <"$T/recs"

# ---- cat --payload on a revisit prints the payload it refers to ----
"$GOVARCH" index --cdxj --archive "$A" >"$T/index.cdxj" || fail "index --cdxj"
grep '"mime": "warc/revisit"' "$T/index.cdxj" | grep -v '/robots.txt"' |
	head -n 1 >"$T/rev"
[ -s "$T/rev" ] || fail "no revisit in the archive"
rj=$(cut -d' ' -f3- "$T/rev")
rurl=$(printf '%s' "$rj" | jq -r .url)
rdig=$(printf '%s' "$rj" | jq -r .digest)
rts=$(cut -d' ' -f2 "$T/rev")
# the original: the last response of that URL and digest at or before it
jq -R -r --arg u "$rurl" --arg d "$rdig" --arg t "$rts" '
  (split(" ") | .[1]) as $ts | (split(" ") | .[2:] | join(" ") | fromjson) |
  select(.url == $u and .digest == $d and .mime != "warc/revisit" and
    $ts <= $t) | "\(.filename) \(.offset)"' "$T/index.cdxj" | tail -n 1 >"$T/orig"
read -r of oo <"$T/orig" || fail "no original for the revisit of $rurl"
"$GOVARCH" cat "$A/$(printf '%s' "$rj" | jq -r .filename)" \
	"$(printf '%s' "$rj" | jq -r .offset)" --payload --archive "$A" \
	>"$T/rev.payload" 2>"$T/err" || fail "cat --payload of a revisit: $(cat "$T/err")"
"$GOVARCH" cat "$A/$of" "$oo" --payload --archive "$A" >"$T/orig.payload" ||
	fail "cat --payload $of $oo"
[ -s "$T/orig.payload" ] || fail "the original of $rurl has no payload"
cmp -s "$T/rev.payload" "$T/orig.payload" ||
	fail "cat --payload of the revisit of $rurl is not its original's"
# found through the catalog beside the file too (no --archive)
(cd "$T" && "$GOVARCH" cat "archive/$(printf '%s' "$rj" | jq -r .filename)" \
	"$(printf '%s' "$rj" | jq -r .offset)" --payload --archive /nonexistent) |
	cmp -s - "$T/orig.payload" || fail "cat --payload without --archive"
# without a catalog that knows it: an error, not an empty success
mkdir "$T/lone"
cp "$A/$(printf '%s' "$rj" | jq -r .filename)" "$T/lone/"
"$GOVARCH" cat "$T/lone/$(basename "$(printf '%s' "$rj" | jq -r .filename)")" \
	"$(printf '%s' "$rj" | jq -r .offset)" --payload --archive "$T/lone" \
	>"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && [ ! -s "$T/out" ] && grep -q "a revisit of $rurl; no catalog" "$T/err" ||
	fail "cat --payload of a revisit without a catalog: exit $rc, $(cat "$T/err")"

# ---- rebuild: the same answers, byte for byte ----
save() { # DIR
	mkdir -p "$1"
	"$GOVARCH" crawls --archive "$A" --format json >"$1/crawls.json"
	for p in "1 2" "2 3" "1 3" "3 4" "3 5"; do
		set -- "$1" $p
		for f in text json html atom; do
			"$GOVARCH" changes --archive "$A" --from "$2" --to "$3" \
				--format $f >"$1/changes-$2-$3.$f" 2>&1
		done
	done
	"$GOVARCH" history --archive "$A" "$SITE_URL$page" >"$1/hist" 2>&1
	"$GOVARCH" history --archive "$A" "$SITE_URL$page" --format json \
		>"$1/hist.json" 2>&1
}
save "$T/before"
rm -f "$A/catalog.sqlite" "$A/catalog.sqlite-wal" "$A/catalog.sqlite-shm"
"$GOVARCH" index --rebuild --archive "$A" 2>"$T/rebuild.err" ||
	fail "index --rebuild: $(cat "$T/rebuild.err")"
save "$T/after"
for f in "$T"/before/*; do
	cmp -s "$f" "$T/after/${f##*/}" ||
		fail "${f##*/} differs after index --rebuild:
$(diff "$f" "$T/after/${f##*/}" | head -n 10)"
done
echo "ok"
