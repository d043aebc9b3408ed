#!/bin/sh
# test-site-synthetic: govarch-site --synthetic N (the replica grown to N
# HTML pages for scripts/bench-scale) is exact and deterministic: N pages
# listed, every generated page reachable from its parent's "In this
# section" links, and one page's bytes pinned.
. "$TOP/tests/cli/lib.sh"

tmpdir T
N=5000
site_list pages v1 >"$T/tree"
site_list pages v1 --synthetic $N >"$T/pages"
[ "$(wc -l <"$T/pages")" = $N ] || fail "--synthetic $N: $(wc -l <"$T/pages") pages listed"
LC_ALL=C sort -c -u "$T/pages" || fail "--synthetic $N: list not sorted or not unique"
LC_ALL=C comm -23 "$T/tree" "$T/pages" | grep . && fail "--synthetic $N: replica pages missing"
site_list requisites v1 --synthetic $N >"$T/req"
[ "$(wc -l <"$T/req")" -gt "$(site_list requisites v1 | wc -l)" ] ||
	fail "--synthetic $N: no requisites for the generated pages"
"$SITE_BIN" --synthetic 100 --list pages v1 >/dev/null 2>&1
[ $? = 2 ] || fail "--synthetic 100 (below the replica's size) is not a usage error"
"$SITE_BIN" --synthetic $N --site-version v2 --list pages v2 >/dev/null 2>&1
[ $? = 2 ] || fail "--synthetic with v2 is not a usage error"

site_start v1 --synthetic $N
# A sample of the generated pages answers 200 and links only listed pages.
: >"$T/links"
while read -r p; do
	curl -s -H 'Host: synthetic.test' -o "$T/body" -w '%{http_code}\n' \
		"$SITE_URL$p" >"$T/status"
	[ "$(cat "$T/status")" = 200 ] || fail "$p: status $(cat "$T/status")"
	sed -n '/<h2>In this section/,/<\/nav>/s|.*<a href="\([^"]*\)".*|\1|p' \
		"$T/body" >>"$T/links"
done <<EOT
$(LC_ALL=C comm -13 "$T/tree" "$T/pages" | awk 'NR % 97 == 1')
EOT
LC_ALL=C sort -u "$T/links" >"$T/linked"
[ -s "$T/linked" ] || fail "no 'In this section' links found"
LC_ALL=C comm -23 "$T/linked" "$T/pages" | grep . &&
	fail "links to pages that are not listed"
# Each generated page is linked from its parent: fetch every parent (the
# tree pages among them too).
LC_ALL=C comm -13 "$T/tree" "$T/pages" | sed 's|/[^/]*$||' | LC_ALL=C sort -u |
	sed "s|.*|url = \"$SITE_URL&\"|" >"$T/parents.cfg"
curl -s -K "$T/parents.cfg" -H 'Host: synthetic.test' |
	sed -n '/<h2>In this section/,/<\/nav>/s|.*<a href="\([^"]*\)".*|\1|p' |
	LC_ALL=C sort -u >"$T/all-linked"
LC_ALL=C comm -13 "$T/tree" "$T/pages" >"$T/generated"
LC_ALL=C comm -23 "$T/generated" "$T/all-linked" | grep . &&
	fail "generated pages no parent links"

# One generated page two levels below the tree, byte for byte.
P=$(LC_ALL=C comm -13 "$T/tree" "$T/pages" | awk -F/ 'NF == 5' | head -n 1)
curl -s -H 'Host: synthetic.test' "$SITE_URL$P" | sha1sum | cut -c1-40 >"$T/digest"
[ "$P" = "/about-dpmc/who-we-are/final-work-programme-2024/final-engagement-summary-2024" ] || fail "first depth-4 generated page: $P"
[ "$(cat "$T/digest")" = "dcb6e3a22e493949b1609e67014cfc0b1445cc21" ] || fail "$P: bytes changed (sha1 $(cat "$T/digest"))"

# One version only: the control request refuses another.
[ "$(curl -s -o /dev/null -w '%{http_code}' "$SITE_URL/__control/version?set=v2")" = 409 ] ||
	fail "version switch of a synthetic site not refused"
exit 0
