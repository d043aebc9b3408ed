#!/bin/sh
# PDF documents compared by their text (replica v1 -> v2, tests/site/site-pdf.c):
#  - a document whose text an edit changed is `edited` in `changes`, its
#    diff shows the one paragraph changed (the new one as the v2 file has
#    it), `history` says edited;
#  - a document re-exported with the same text (new bytes) is unchanged in
#    `history` and absent from `changes`; one served byte for byte the same
#    too;
#  - `search` finds the new paragraph inside the document;
#  - hostile documents (encrypted, truncated, malformed, 600 pages) give a
#    note on their capture in `history` and the crawl completes;
#  - poppler-glib is loaded only to read a PDF (govarch is not linked with
#    it); when it cannot be loaded, each PDF gets a note naming it and the
#    crawl completes.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
site_start v1
site_list requisites v1 | grep '\.pdf$' >"$T/pdfs1"
site_list requisites v2 | grep '\.pdf$' | LC_ALL=C comm -12 "$T/pdfs1" - >"$T/pdfs"
[ "$(wc -l <"$T/pdfs")" -gt 20 ] || fail "too few PDFs on the replica"
fetch_all() { # DIR
	mkdir -p "$1"
	while IFS= read -r p; do
		curl -fsS -o "$1/$(echo "$p" | tr / _)" "$SITE_URL$p" || fail "curl $p"
	done <"$T/pdfs"
}
fetch_all "$T/v1"
crawl_run "$A" --delay 0.02 --set exclude=/stream/ --set exclude=/reports/ \
	--quiet >"$T/out1" 2>&1 || fail "crawl v1: $(tail -n 5 "$T/out1")"
site_version v2
fetch_all "$T/v2"
crawl_run "$A" --delay 0.02 --set exclude=/stream/ --set exclude=/reports/ \
	--quiet >"$T/out2" 2>&1 || fail "crawl v2: $(tail -n 5 "$T/out2")"

{ site_changes v1 v2; echo; } | awk -F'\t' '$1 == "edited" && $2 ~ /\.pdf$/ { print $2 }' \
	>"$T/edited"
[ -s "$T/edited" ] || fail "no edited PDF between v1 and v2"
E=$(head -n 1 "$T/edited")
R= S=
while IFS= read -r p; do
	f=$(echo "$p" | tr / _)
	grep -qxF "$p" "$T/edited" && continue
	if cmp -s "$T/v1/$f" "$T/v2/$f"; then
		[ -n "$S" ] || S=$p
	else
		[ -n "$R" ] || R=$p
	fi
done <"$T/pdfs"
[ -n "$R" ] && [ -n "$S" ] || fail "no re-exported (R='$R') or same (S='$S') PDF"

"$GOVARCH" changes --archive "$A" >"$T/changes" || fail "changes"
grep -q "^edited	$SITE_URL$E	-	-	1 paragraph changed (" "$T/changes" ||
	fail "$E is not edited in changes: $(grep -F "$E" "$T/changes")"
for p in $(cat "$T/edited"); do
	grep -q "^edited	$SITE_URL$p	" "$T/changes" || fail "$p not edited in changes"
done
grep -F "$R" "$T/changes" && fail "re-exported $R is in changes"
grep -F "$S" "$T/changes" && fail "unchanged $S is in changes"

# history: edited / unchanged (re-exported) / unchanged
last_kind() { "$GOVARCH" history --archive "$A" "$SITE_URL$1" | tail -n 1 | cut -f2,3,5; }
[ "$(last_kind "$E")" = "2	200	edited" ] || fail "history $E: $(last_kind "$E")"
[ "$(last_kind "$R")" = "2	200	unchanged" ] || fail "history $R (re-exported): $(last_kind "$R")"
[ "$(last_kind "$S")" = "2	304	unchanged" ] || fail "history $S: $(last_kind "$S")"

# diff: one paragraph out, one in; the new one is the v2 file's
"$GOVARCH" diff --archive "$A" "$SITE_URL$E" 1 2 >"$T/diff" || fail "diff $E"
[ "$(grep -c '^-[^-]' "$T/diff")" -eq 1 ] && [ "$(grep -c '^+[^+]' "$T/diff")" -eq 1 ] ||
	fail "diff $E is not one paragraph: $(cat "$T/diff")"
NEW=$(grep '^+[^+]' "$T/diff" | cut -c2-)
OLD=$(grep '^-[^-]' "$T/diff" | cut -c2-)
head30=$(printf '%s' "$NEW" | cut -c1-30)
grep -qaF "($head30" "$T/v2/$(echo "$E" | tr / _)" ||
	fail "the new paragraph is not in the v2 file: $head30"
grep -qaF "($head30" "$T/v1/$(echo "$E" | tr / _)" &&
	fail "the new paragraph was in the v1 file already: $head30"

# search: the new paragraph inside the document, from crawl 2 on
D2=$("$GOVARCH" history --archive "$A" "$SITE_URL$E" | awk -F'\t' '$2 == 2 { print $1 }')
printf '# search crawls 1 to 2: 1 page\n%s\tfirst: %s #2\tlast: %s #2\tnow: yes\n' \
	"$SITE_URL$E" "$D2" "$D2" >"$T/want"
"$GOVARCH" search --archive "$A" "\"$NEW\"" >"$T/got" || fail "search"
cmp -s "$T/want" "$T/got" || fail "search: $(cat "$T/got")"
D1=$("$GOVARCH" history --archive "$A" "$SITE_URL$E" | awk -F'\t' '$2 == 1 { print $1 }')
printf '# search crawls 1 to 2: 1 page\n%s\tfirst: %s #1\tlast: %s #1\tnow: no\n' \
	"$SITE_URL$E" "$D1" "$D1" >"$T/want"
"$GOVARCH" search --archive "$A" "\"$OLD\"" >"$T/got" || fail "search old"
cmp -s "$T/want" "$T/got" || fail "search old paragraph: $(cat "$T/got")"

# hostile documents: notes, and the crawl completes
H=$T/hostile
HP=/sites/default/files/hostile
"$GOVARCH" crawl -c "$TOP/config/test.conf" --archive "$H" --scope "$HP/" \
	--seed "$SITE_URL$HP/encrypted.pdf" --seed "$SITE_URL$HP/truncated.pdf" \
	--seed "$SITE_URL$HP/malformed.pdf" --seed "$SITE_URL$HP/pages-600.pdf" \
	--seed "$SITE_URL$HP/good.pdf" --delay 0.02 >"$T/hout" 2>&1 ||
	fail "crawl of the hostile PDFs exited $?: $(tail -n 5 "$T/hout")"
grep -q '^crawl 1 complete: ' "$T/hout" || fail "no summary: $(cat "$T/hout")"
note() { # NAME NOTE
	got=$("$GOVARCH" history --archive "$H" "$SITE_URL$HP/$1" | sed 1d | cut -f2-)
	[ "$got" = "1	200	-	first$2" ] || fail "history $1: '$got'"
}
note encrypted.pdf '	note: pdf: encrypted (a password is needed)'
note truncated.pdf '	note: pdf: damaged or unreadable (poppler could not open it)'
note malformed.pdf '	note: pdf: damaged or unreadable (poppler could not open it)'
note pages-600.pdf '	note: pdf: 600 pages, only the first 500 read'
note good.pdf ''
s() { "$GOVARCH" search --archive "$H" "$@" | sed "s|$SITE_URL$HP/||" | cut -f1; }
[ "$(s '"hostile document"' | tr '\n' ' ')" = "# search crawls 1 to 1: 2 pages good.pdf pages-600.pdf " ] ||
	fail "search hostile document: $(s '"hostile document"')"
[ "$(s '"page 500 of"' | tr '\n' ' ')" = "# search crawls 1 to 1: 1 page pages-600.pdf " ] ||
	fail "page 500 not found: $(s '"page 500 of"')"
[ "$(s '"page 501 of"' | tr '\n' ' ')" = "# search crawls 1 to 1: 0 pages " ] ||
	fail "page 501 found: $(s '"page 501 of"')"

# poppler-glib not loadable: a note on each document, the crawl goes on
if command -v readelf >/dev/null 2>&1; then
	readelf -d "$GOVARCH" | grep -q 'NEEDED.*libpoppler' &&
		fail "govarch is linked with poppler-glib"
fi
N=$T/nolib
GOVARCH_TEST_POPPLER=libgovarch-test-missing.so.0 "$GOVARCH" crawl \
	-c "$TOP/config/test.conf" --archive "$N" --scope "$HP/" \
	--seed "$SITE_URL$HP/good.pdf" --seed "$SITE_URL$HP/encrypted.pdf" \
	--delay 0.02 >"$T/nout" 2>&1 ||
	fail "crawl without poppler-glib exited $?: $(tail -n 5 "$T/nout")"
grep -q '^crawl 1 complete: ' "$T/nout" || fail "no summary: $(cat "$T/nout")"
for f in good.pdf encrypted.pdf; do
	got=$("$GOVARCH" history --archive "$N" "$SITE_URL$HP/$f" | sed 1d | cut -f2-)
	[ "$got" = "1	200	-	first	note: pdf: not read: libgovarch-test-missing.so.0: cannot open shared object file: No such file or directory" ] ||
		fail "history $f without poppler-glib: '$got'"
done
exit 0
