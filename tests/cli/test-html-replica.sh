#!/bin/sh
# test-html-replica: on every replica page of every version, src/html finds
# the same links, main text, dates and boilerplate as the parsers it
# replaced (tests/cli/expected/html-replica.txt, one line of digests per
# page, made by them).  Pages are fetched as www.dpmc.govt.nz so the digests
# do not depend on the port.
. "$TOP/tests/cli/lib.sh"

tmpdir T
[ -x "$O/tests/test-html" ] || skip "unit test binary not built: $O/tests/test-html"
site_start v1
for v in v1 v2 v3; do
	site_version $v
	mkdir "$T/$v"
	site_list pages $v >"$T/pages-$v" || fail "--list pages $v"
	awk -v d="$T/$v" -v u="$SITE_URL" '{
		printf "url = \"%s%s\"\noutput = \"%s/%05d.html\"\n", u, $0, d, NR }' \
		"$T/pages-$v" >"$T/curl.cfg"
	curl -s -K "$T/curl.cfg" -H 'Host: www.dpmc.govt.nz' \
		-w '%{content_type}\n' >"$T/types-$v" || fail "fetching $v"
	paste "$T/pages-$v" "$T/types-$v" | awk -F'\t' -v d="$T/$v" '{
		printf "https://www.dpmc.govt.nz%s\t%s\n", $1, $2 \
			>(d "/" sprintf("%05d", NR) ".url") }'
done
for v in v1 v2 v3; do
	"$O/tests/test-html" --digest "$T/$v" >"$T/got-$v" ||
		fail "digest of $v"
	sed "s/^/$v /" "$T/got-$v"
done >"$T/got"
[ "$(wc -l <"$T/got")" -gt 1200 ] || fail "too few pages digested"
diff -u "$TOP/tests/cli/expected/html-replica.txt" "$T/got" >"$T/diff" || {
	head -40 "$T/diff"
	fail "extraction differs from before on $(grep -c '^+v' "$T/diff") pages"
}
echo "$(wc -l <"$T/got") pages as before"
