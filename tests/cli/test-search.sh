#!/bin/sh
# govarch search over three crawls of the replica (v1, v2, v3):
#  - a paragraph a v2 edit wrote (on a page v3 leaves alone) is found on
#    that page only, first in crawl 2, last in crawl 3, "now: yes";
#  - a paragraph a v3 edit removed (on a page v2 left alone) is found on
#    that page only, first in crawl 1, last in crawl 2, "now: no";
#  - a prefix phrase, OR, NOT with parentheses, --prefix, --from/--to;
#  - phrases checked on the texts (the index keeps no word positions): the
#    words of a paragraph reversed are not the phrase; case and accents
#    as the index folds them; x.y is the phrase "x y"; NOT a phrase; the
#    check of all-ASCII texts without the tokenizer answers as with it,
#    and so does the check in two threads;
#  - malformed queries are usage errors (exit 2) with exact messages;
#  - `index --rebuild`, a catalog with the old index (word positions) and a
#    catalog made before the index (the index dropped, the schema set
#    back) give byte-identical answers.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
site_start v1
for v in v1 v2 v3; do
	[ $v = v1 ] || site_version $v
	crawl_run "$A" --delay 0.02 --set exclude=/stream/ --set exclude=/reports/ \
		--quiet >"$T/out-$v" 2>&1 || fail "crawl of $v: $(tail -n 5 "$T/out-$v")"
done

{ site_changes v1 v2; echo; } | awk -F'\t' 'NF' >"$T/ch12"
{ site_changes v2 v3; echo; } | awk -F'\t' 'NF' >"$T/ch23"
cut -f2 "$T/ch12" | LC_ALL=C sort -u >"$T/paths12"
cut -f2 "$T/ch23" | LC_ALL=C sort -u >"$T/paths23"
# P: edited v1->v2, untouched v2->v3; Q: edited v2->v3, untouched v1->v2
P=$(awk -F'\t' '$1 == "edited" { print $2 }' "$T/ch12" | LC_ALL=C sort |
	LC_ALL=C comm -23 - "$T/paths23" | head -n 1)
Q=$(awk -F'\t' '$1 == "edited" || $1 == "silent" { print $2 }' "$T/ch23" |
	LC_ALL=C sort | LC_ALL=C comm -23 - "$T/paths12" | head -n 1)
[ -n "$P" ] && [ -n "$Q" ] || fail "no edited pages to search for (P='$P' Q='$Q')"

# the paragraph an edit added (+) or removed (-), as diff shows it
para() { # URL FROM TO +|-
	"$GOVARCH" diff --archive "$A" "$1" "$2" "$3" >"$T/diff" ||
		fail "diff $1 $2 $3"
	grep "^$4[^-+]" "$T/diff" | head -n 1 | cut -c2-
}
NEW=$(para "$SITE_URL$P" 1 2 +)
OLD=$(para "$SITE_URL$Q" 2 3 -)
[ -n "$NEW" ] && [ -n "$OLD" ] || fail "no edited paragraph in the diffs"
case "$NEW$OLD" in *'"'*) fail "a paragraph with a quote: $NEW $OLD" ;; esac

# "ISO-DATE #CRAWL" of URL's capture in crawl N (history: TS CRAWL ...)
cap() { # URL N
	"$GOVARCH" history --archive "$A" "$1" |
		awk -F'\t' -v n="$2" '$2 == n { d = $1 } END { print d " #" n }'
}
LP="$SITE_URL$P	first: $(cap "$SITE_URL$P" 2)	last: $(cap "$SITE_URL$P" 3)	now: yes"
LQ="$SITE_URL$Q	first: $(cap "$SITE_URL$Q" 1)	last: $(cap "$SITE_URL$Q" 2)	now: no"

s() { "$GOVARCH" search --archive "$A" "$@"; }
expect() { # NAME EXPECTED-FILE, output on stdin
	cat >"$T/got"
	cmp -s "$2" "$T/got" ||
		fail "$1: expected$(printf '\n'; cat "$2")$(printf '\n')got$(printf '\n'; cat "$T/got")"
}

printf '# search crawls 1 to 3: 1 page\n%s\n' "$LP" >"$T/e1"
s "\"$NEW\"" | expect "phrase added in v2" "$T/e1"
printf '# search crawls 1 to 3: 1 page\n%s\n' "$LQ" >"$T/e2"
s "\"$OLD\"" | expect "phrase removed in v3" "$T/e2"

# a phrase prefix: the paragraph without its last word's end
CUT=$(printf '%s' "$NEW" | sed 's/[^A-Za-z]*$//; s/...$//')
s "\"$CUT\"*" | expect "prefix" "$T/e1"
# the same without the '*' matches nothing (the last word is cut)
printf '# search crawls 1 to 3: 0 pages\n' >"$T/e0"
s "\"$CUT\"" | expect "cut phrase without *" "$T/e0"

# the index keeps no word positions: a phrase is checked on the texts
# with the index's tokenizer.  The paragraph's words in reverse order are
# all on P's page (its words, ANDed, find it) but not side by side
REV=$(printf '%s\n' "$NEW" | tr -cs 'A-Za-z0-9' '\n' | sed '/^$/d' | sed -n '1!G;h;$p' | tr '\n' ' ')
WORDS=$(printf '%s\n' "$NEW" | tr -cs 'A-Za-z0-9' ' ')
[ "$(printf '%s\n' "$REV" | wc -w)" -ge 3 ] || fail "a paragraph of fewer than 3 words: $NEW"
s "$WORDS" --prefix "$SITE_URL$P" | expect "the words of the paragraph" "$T/e1"
s "\"$REV\"" --prefix "$SITE_URL$P" | expect "the words reversed, as a phrase" "$T/e0"
s "\"$REV\"" | expect "the words reversed, as a phrase, everywhere" "$T/e0"
# case and accents as the index has them: upper case, an accented E
UP=$(printf '%s' "$NEW" | tr 'a-z' 'A-Z' | sed 's/E/É/')
s "\"$UP\"" | expect "the phrase in upper case with an accent" "$T/e1"
# a word that the tokenizer cuts in two (x.y) is a phrase: the first two
# words of the paragraph joined by a '.' find what the phrase of them finds
W1=$(printf '%s\n' "$WORDS" | cut -d' ' -f1)
W2=$(printf '%s\n' "$WORDS" | cut -d' ' -f2)
s "\"$W1 $W2\"" >"$T/w12" || fail "search \"$W1 $W2\""
grep -q "^$SITE_URL$P	" "$T/w12" || fail "\"$W1 $W2\" does not find P: $(cat "$T/w12")"
s "$W1.$W2" | expect "$W1.$W2" "$T/w12"
# a phrase that is on pages, NOT a phrase: only the first phrase's pages
s "\"$NEW\" NOT \"$REV\"" | expect "NOT a reversed phrase" "$T/e1"
s "\"$NEW\" NOT \"$W1 $W2\"" | expect "NOT a phrase of the same page" "$T/e0"

if [ "$(printf '%s\n%s\n' "$SITE_URL$P" "$SITE_URL$Q" | LC_ALL=C sort | head -n 1)" = "$SITE_URL$P" ]; then
	printf '# search crawls 1 to 3: 2 pages\n%s\n%s\n' "$LP" "$LQ" >"$T/e3"
else
	printf '# search crawls 1 to 3: 2 pages\n%s\n%s\n' "$LQ" "$LP" >"$T/e3"
fi
s "\"$NEW\" OR \"$OLD\"" | expect "OR" "$T/e3"
s "(\"$NEW\" OR \"$OLD\") NOT \"$OLD\"" | expect "NOT" "$T/e1"
s "\"$NEW\" OR \"$OLD\"" --prefix "$SITE_URL$Q" | expect "--prefix" "$T/e2"

# --from/--to: crawl 3 alone no longer has OLD; up to crawl 2 NEW is
# first and last in crawl 2 and still there
printf '# search crawls 3 to 3: 0 pages\n' >"$T/e4"
s "\"$OLD\"" --from 3 | expect "--from 3" "$T/e4"
printf '# search crawls 1 to 2: 1 page\n%s\tfirst: %s\tlast: %s\tnow: yes\n' \
	"$SITE_URL$P" "$(cap "$SITE_URL$P" 2)" "$(cap "$SITE_URL$P" 2)" >"$T/e5"
s "\"$NEW\"" --to 2 | expect "--to 2" "$T/e5"

# json: the same captures, with their WARC records
s "\"$OLD\"" --format json >"$T/json" || fail "search --format json"
grep -q "^{\"url\":\"$SITE_URL$Q\",\"first\":{\"crawl\":1,.*\"last\":{\"crawl\":2,.*\"now\":\"no\"}$" \
	"$T/json" || fail "json: $(cat "$T/json")"
F=$(sed -n 's/.*"last":{[^}]*"file":"\([^"]*\)","offset":\([0-9]*\)}.*/\1 \2/p' "$T/json")
# shellcheck disable=SC2086
"$GOVARCH" cat "$A/${F% *}" ${F#* } | grep -q "^WARC-Target-URI: $SITE_URL$Q" ||
	fail "json's last capture is not a record of $Q: $F"

# malformed queries: usage errors, exact messages, no SQL
bad() { # QUERY MESSAGE
	s "$1" >"$T/bout" 2>"$T/berr"
	rc=$?
	[ $rc -eq 2 ] || fail "search '$1' exited $rc"
	[ "$(head -n 1 "$T/berr")" = "govarch: search: malformed query: $2" ] ||
		fail "search '$1': $(cat "$T/berr")"
	[ ! -s "$T/bout" ] || fail "search '$1' printed: $(cat "$T/bout")"
}
bad '"Cabinet Manual' "a '\"' without its closing '\"'"
bad 'text:cabinet' "':' is not supported (words, \"phrases\", word*, AND, OR, NOT, parentheses)"
bad 'NOT cabinet' 'NOT needs a word or phrase before it'
bad 'cabinet AND' 'an operator at the end'
bad '(cabinet' "'(' without ')'"
bad 'cabinet)' "')' without '('"
bad '*' "'*' must follow a word or phrase (prefix: word*)"
bad 'cab*net' "'*' inside a word (prefix: word* at its end)"
bad '   ' 'no word or phrase to search for'
bad '^cabinet' "'^' is not supported (words, \"phrases\", word*, AND, OR, NOT, parentheses)"

# rebuilt from the WARCs alone: the same answers, byte for byte
queries="\"$NEW\"|\"$OLD\"|cabinet manual|secretar* OR honours NOT iwi|\"the Cabinet\"*|\"$UP\"|\"Cabinet Manual\" NOT \"Manual Cabinet\"|(\"$W1 $W2\" OR iwi) NOT \"$OLD\""
answers() { # OUT
	: >"$1"
	echo "$queries" | tr '|' '\n' | while IFS= read -r q; do
		s "$q" >>"$1" || fail "search $q"
		s "$q" --format json >>"$1" || fail "search $q --format json"
	done
}
answers "$T/before"
[ "$(grep -c '^# search crawls 1 to 3: [1-9]' "$T/before")" -eq 8 ] ||
	fail "a query found nothing: $(grep '^#' "$T/before")"
# a phrase in an all-ASCII text is checked without the tokenizer (its
# tokens there are the runs of letters and digits): every text through
# the tokenizer gives the same answers
export GOVARCH_TEST_SEARCH_TOKENIZER=1
answers "$T/tokenizer"
unset GOVARCH_TEST_SEARCH_TOKENIZER
cmp -s "$T/before" "$T/tokenizer" ||
	fail "the ASCII check and the tokenizer differ: $(diff "$T/before" "$T/tokenizer" | head)"
# two threads check the candidates when there are many (over 1,000):
# the same answers, in the same order
export GOVARCH_TEST_SEARCH_THREADS=1
answers "$T/threads"
export GOVARCH_TEST_SEARCH_TOKENIZER=1
answers "$T/threads-tokenizer"
unset GOVARCH_TEST_SEARCH_THREADS GOVARCH_TEST_SEARCH_TOKENIZER
cmp -s "$T/before" "$T/threads" ||
	fail "the check in two threads differs: $(diff "$T/before" "$T/threads" | head)"
cmp -s "$T/before" "$T/threads-tokenizer" ||
	fail "the tokenizer in two threads differs: $(diff "$T/before" "$T/threads-tokenizer" | head)"
"$GOVARCH" index --archive "$A" --rebuild >"$T/rb" 2>&1 || fail "index --rebuild: $(cat "$T/rb")"
answers "$T/after"
cmp -s "$T/before" "$T/after" || fail "search after index --rebuild differs: $(diff "$T/before" "$T/after" | head)"

# a catalog with the index of schema 8 (word positions: detail=full):
# migration 9 builds the index again when it is first opened, read-only
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$A/catalog.sqlite" "DROP TABLE texts_fts;
		CREATE VIRTUAL TABLE texts_fts USING fts5(text, content='',
		 tokenize='unicode61 remove_diacritics 2', detail=full);
		DROP TABLE extracted;
		DELETE FROM schema_version WHERE version >= 9" ||
		fail "sqlite3 could not set the schema back to 8"
	answers "$T/migrated8"
	cmp -s "$T/before" "$T/migrated8" || fail "search after migration 9 differs"
	[ "$(sqlite3 "$A/catalog.sqlite" "SELECT sql LIKE '%detail=none%' FROM sqlite_master WHERE name = 'texts_fts'")" = 1 ] ||
		fail "migration 9 did not make the index again"
fi

# a catalog from before the index (schema 5: the index is migration 6,
# repacking's tables 7, crawl reasons and exclusions 8, the index without
# positions 9): built when it is first opened
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$A/catalog.sqlite" "DROP TABLE texts_fts; DROP TABLE search_pending;
		DROP INDEX caps_text; DROP TABLE repack_plans; DROP TABLE repacked;
		DROP TABLE exclusions; ALTER TABLE crawls DROP COLUMN reason;
		DROP TABLE extracted;
		DELETE FROM schema_version WHERE version >= 6" ||
		fail "sqlite3 could not set the schema back"
	answers "$T/migrated"
	cmp -s "$T/before" "$T/migrated" || fail "search after the migration differs"
fi
exit 0
