#!/bin/sh
# ignore-text: the replica's /counters/page-views has a "Viewed N times"
# line whose number differs in every version, and a real rewording in v3.
# Crawled in v1, v2 and v3, once with `ignore-text = ^Viewed [0-9]+ times$`
# in the config and once without:
#  - with the rule, v1->v2 is no change (changes, history), v2->v3 silent
#    with a one-paragraph summary; `diff` lists the counter line as ignored
#    (text, html, json) and `diff --exit-code` says "same" for v1->v2;
#  - without it, v1->v2 is silent (edited, same date) and the counter is an ordinary change;
#  - `index --rebuild` gives the same changes and history answers;
#  - the replay server's index counts per crawl are those of `changes`;
#  - a bad regex is a config error with FILE:LINE.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"

tmpdir T
P=/counters/page-views


crawl() { # CONF ARCHIVE
	"$GOVARCH" crawl -c "$1" --archive "$2" --seed "$SITE_URL$P" \
		--delay 0 --set delay-factor=0 --quiet >"$T/crawl.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] ||
		fail "crawl exited $rc: $(tail -n 5 "$T/crawl.out")"
}

site_start v1
# the test config, seeded at the page, every other path excluded
cp "$TOP/config/test.conf" "$T/plain.conf"
echo 'exclude = ://[^/]+/([^c]|c[^o]|co[^u]|$)' >>"$T/plain.conf"
cp "$T/plain.conf" "$T/ignore.conf"
echo 'ignore-text = ^Viewed [0-9]+ times$' >>"$T/ignore.conf"
crawl "$T/ignore.conf" "$T/ign"
crawl "$T/plain.conf" "$T/plain"
for v in v2 v3; do
	site_version $v
	crawl "$T/ignore.conf" "$T/ign"
	crawl "$T/plain.conf" "$T/plain"
done

U="$SITE_URL$P"
kinds() { # ARCHIVE FROM TO: KIND<TAB>PATH<TAB>SUMMARY of the changes
	"$GOVARCH" changes --archive "$1" --from "$2" --to "$3" --format json |
		jq -r --arg b "$SITE_URL" '.changes[] |
		"\(.kind)\t\(.url | ltrimstr($b))\t\(.summary)"'
}
history() { # ARCHIVE: the kinds of the page's captures
	"$GOVARCH" history --archive "$1" "$U" --format json |
		jq -r '.[].change' | tr '\n' ' '
}

# ---- with the rule ----
[ -z "$(kinds "$T/ign" 1 2)" ] ||
	fail "ignore-text: v1->v2 changes: $(kinds "$T/ign" 1 2)"
# the page keeps its "Last updated" date: a silent edit; the counter is
# not in the summary (+10: " this year")
want=$(printf 'silent\t%s\t1 paragraph changed (+10/-0 chars)' "$P")
[ "$(kinds "$T/ign" 2 3)" = "$want" ] ||
	fail "ignore-text: v2->v3: got '$(kinds "$T/ign" 2 3)', want '$want'"
[ "$(history "$T/ign")" = "first unchanged silent " ] ||
	fail "ignore-text: history: $(history "$T/ign")"

"$GOVARCH" diff --archive "$T/ign" "$U" 1 2 >"$T/diff12" || fail "diff 1 2"
grep -v '^---\|^+++' "$T/diff12" | grep '^[-+]' &&
	fail "ignore-text: diff 1 2 shows a changed line: $(cat "$T/diff12")"
cat >"$T/want-ign" <<'W'
ignored (ignore-text ^Viewed [0-9]+ times$): -Viewed 1037 times
ignored (ignore-text ^Viewed [0-9]+ times$): +Viewed 1074 times
W
grep '^ignored' "$T/diff12" | cmp -s - "$T/want-ign" ||
	fail "ignore-text: diff 1 2 ignored lines: $(grep '^ignored' "$T/diff12")"
"$GOVARCH" diff --archive "$T/ign" "$U" 1 2 --exit-code >/dev/null ||
	fail "ignore-text: diff --exit-code 1 2 says the texts differ"

"$GOVARCH" diff --archive "$T/ign" "$U" 2 3 >"$T/diff23" || fail "diff 2 3"
cat >"$T/want23" <<'W'
-This page reports how often it has been read.
+This page reports how often it has been read this year.
ignored (ignore-text ^Viewed [0-9]+ times$): -Viewed 1074 times
ignored (ignore-text ^Viewed [0-9]+ times$): +Viewed 1111 times
W
grep -v '^---\|^+++' "$T/diff23" | grep '^[-+i]' | cmp -s - "$T/want23" ||
	fail "ignore-text: diff 2 3:
$(cat "$T/diff23")"

"$GOVARCH" diff --archive "$T/ign" "$U" 1 2 --format json >"$T/d.json" ||
	fail "diff --format json"
[ "$(jq -r '.ignored[] | "\(.side) \(.pattern) \(.text)"' "$T/d.json")" = \
"from ^Viewed [0-9]+ times$ Viewed 1037 times
to ^Viewed [0-9]+ times$ Viewed 1074 times" ] ||
	fail "ignore-text: diff json ignored: $(jq -c .ignored "$T/d.json")"
"$GOVARCH" diff --archive "$T/ign" "$U" 1 2 --format html >"$T/d.html" ||
	fail "diff --format html"
grep -c '<li>ignored (ignore-text <code>^Viewed \[0-9\]+ times\$</code>): <\(del\|ins\)>Viewed 10[37][74] times</\(del\|ins\)></li>' \
	"$T/d.html" | grep -qx 2 || fail "ignore-text: diff html has no ignored section"
grep -q '</ul></section>$' "$T/d.html" && tail -n 2 "$T/d.html" | grep -q '</html>' ||
	fail "ignore-text: diff html section not before </body>"

# ---- without it ----
want=$(printf 'silent\t%s\t1 paragraph changed (+4/-4 chars)' "$P")
[ "$(kinds "$T/plain" 1 2)" = "$want" ] ||
	fail "no rule: v1->v2: got '$(kinds "$T/plain" 1 2)', want '$want'"
[ "$(history "$T/plain")" = "first silent silent " ] ||
	fail "no rule: history: $(history "$T/plain")"
"$GOVARCH" diff --archive "$T/plain" "$U" 1 2 >"$T/pdiff12" || fail "plain diff"
[ "$(grep -v '^---\|^+++' "$T/pdiff12" | grep '^[-+i]')" = "-Viewed 1037 times
+Viewed 1074 times" ] || fail "no rule: diff 1 2: $(cat "$T/pdiff12")"

# ---- index --rebuild answers the same ----
for f in text json; do
	"$GOVARCH" changes --archive "$T/ign" --from 1 --to 3 --format $f \
		>"$T/before.$f" || fail "changes 1..3"
done
"$GOVARCH" history --archive "$T/ign" "$U" >"$T/before.h" || fail "history"
rm -f "$T/ign/catalog.sqlite"*
"$GOVARCH" index --archive "$T/ign" --rebuild >/dev/null 2>&1 || fail "index --rebuild"
for f in text json; do
	"$GOVARCH" changes --archive "$T/ign" --from 1 --to 3 --format $f |
		cmp -s - "$T/before.$f" || fail "changes --format $f differs after index --rebuild"
done
"$GOVARCH" history --archive "$T/ign" "$U" | cmp -s - "$T/before.h" ||
	fail "history differs after index --rebuild"
[ -z "$(kinds "$T/ign" 1 2)" ] || fail "after rebuild: v1->v2 changes"

# ---- the replay server's index counts what `changes` reports: the
# hidden counter edit of v1->v2 is no change there either ----
replay_start "$T/ign" "$T/replay.out"
curl -s "$R/" >"$T/index.html" || fail "replay /"
kill $RPID
wait $RPID 2>/dev/null
grep -o '<title>crawl [0-9]*: [0-9]* [a-z]*</title>' "$T/index.html" |
	sed 's|<title>crawl \([0-9]*\): \([0-9]*\) \([a-z]*\)</title>|\1 \3 \2|' >"$T/bars"
for k in 2 3; do
	"$GOVARCH" changes --archive "$T/ign" --from $((k - 1)) --to $k --format json |
		jq -r --arg k $k '[.changes[].kind | select(. == "added" or . == "edited"
		  or . == "silent" or . == "removed")] | group_by(.) | .[] |
		  "\($k) \(.[0]) \(length)"'
done >"$T/want-bars"
[ "$(grep -v '^1 ' "$T/bars" | sort)" = "$(sort "$T/want-bars")" ] &&
[ "$(cat "$T/want-bars")" = "3 silent 1" ] ||
	fail "replay index counts (crawl kind n): $(cat "$T/bars"); changes: $(cat "$T/want-bars")"
[ "$(grep '^1 ' "$T/bars")" = "1 added 1" ] || fail "replay index, crawl 1: $(cat "$T/bars")"

# ---- a bad regex is a config error naming FILE:LINE ----
cp "$T/plain.conf" "$T/bad.conf"
echo 'ignore-text = ^Viewed ([0-9]+ times$' >>"$T/bad.conf"
n=$(wc -l <"$T/bad.conf")
"$GOVARCH" config check -c "$T/bad.conf" >"$T/check.out" 2>&1 &&
	fail "config check accepted a bad regex"
grep -q "$T/bad.conf:$n: .*ignore-text: bad regular expression" "$T/check.out" ||
	fail "config check: $(cat "$T/check.out")"
"$GOVARCH" crawl -c "$T/bad.conf" --archive "$T/bad" --seed "$U" \
	>"$T/badcrawl.out" 2>&1 && fail "crawl started with a bad regex"
grep -q "$T/bad.conf:$n: .*ignore-text: bad regular expression" "$T/badcrawl.out" ||
	fail "crawl with a bad regex: $(cat "$T/badcrawl.out")"
exit 0
