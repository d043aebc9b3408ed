#!/bin/sh
# An archive indexed by an older extractor (extract_version NULL, as
# catalogs before the version column read, and texts that reader made)
# shows no spurious edits once upgraded:
# the first command that opens it re-extracts those captures from their
# WARC records, so `changes`, `diff` and `history` compare like with like
# and answer what they answered for an archive made by this version.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is not installed"

tmpdir T
A=$T/archive
X="--delay 0 --set exclude=/stream/ --set exclude=/reports/ --quiet"
site_start v1 --menu-from v1
# shellcheck disable=SC2086
crawl_run "$A" $X >"$T/out1" 2>&1 || fail "first crawl: $(tail -n 3 "$T/out1")"
site_version v2
# shellcheck disable=SC2086
crawl_run "$A" $X >"$T/out2" 2>&1 || fail "second crawl: $(tail -n 3 "$T/out2")"
edited=$SITE_URL$(site_changes v1 v2 | awk -F'\t' '$1 == "edited" && !n++ { print $2 }')

answers() { # OUT-PREFIX
	"$GOVARCH" changes --archive "$A" >"$1.changes" || fail "changes"
	"$GOVARCH" changes --archive "$A" --format json >"$1.json" ||
		fail "changes --format json"
	"$GOVARCH" diff --archive "$A" "$edited" >"$1.diff" || fail "diff"
	"$GOVARCH" history --archive "$A" "$edited" >"$1.history" ||
		fail "history"
}
answers "$T/want"
grep -q '^edited	' "$T/want.changes" || fail "no edited page to compare"

# The first crawl's captures as the older extractor left them: other
# texts, boilerplate and links (its links kept mailto:, its boilerplate
# raw entities), no version (NULL reads as version 1); the catalog
# records that its texts are that reader's.
sqlite3 "$A/catalog.sqlite" <<'SQL' || fail "sqlite3 could not age the catalog"
UPDATE extracted SET version = 1;
CREATE TEMP TABLE old AS SELECT id FROM captures WHERE crawl = 1
  OR orig IN (SELECT id FROM captures WHERE crawl = 1);
INSERT OR IGNORE INTO texts SELECT 'sha1:OLD' || substr(digest, 6),
  body || 'p' || char(9) || 'Read by the older extractor' || char(10)
  FROM texts WHERE digest IN (SELECT text_digest FROM captures
  WHERE id IN (SELECT id FROM old));
INSERT OR IGNORE INTO boilers SELECT 'sha1:OLD' || substr(digest, 6),
  body || 'Copyright &copy; DPMC' || char(10)
  FROM boilers WHERE digest IN (SELECT boiler_digest FROM captures
  WHERE id IN (SELECT id FROM old));
INSERT OR IGNORE INTO linksets SELECT 'sha1:OLD' || substr(digest, 6),
  body || 'mailto:info@dpmc.govt.nz' || char(10)
  FROM linksets WHERE digest IN (SELECT links_digest FROM captures
  WHERE id IN (SELECT id FROM old));
UPDATE captures SET text_digest = 'sha1:OLD' || substr(text_digest, 6),
  boiler_digest = 'sha1:OLD' || substr(boiler_digest, 6),
  links_digest = 'sha1:OLD' || substr(links_digest, 6),
  extract_version = NULL
  WHERE id IN (SELECT id FROM old) AND text_digest IS NOT NULL;
SQL
n=$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM captures WHERE text_digest LIKE 'sha1:OLD%'")
[ "$n" -gt 400 ] || fail "only $n captures aged"

answers "$T/got"
for f in changes json diff history; do
	cmp -s "$T/want.$f" "$T/got.$f" || {
		diff "$T/want.$f" "$T/got.$f" | head -20
		fail "$f differs after the upgrade"
	}
done
n=$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM captures WHERE text_digest LIKE 'sha1:OLD%' OR (text_digest IS NOT NULL AND coalesce(extract_version, 0) != 4)")
[ "$n" -eq 0 ] || fail "$n captures left with an older extraction"
[ "$(sqlite3 "$A/catalog.sqlite" "SELECT group_concat(version) FROM extracted")" = 4 ] ||
	fail "the catalog does not record its texts as extractor 4's"
echo "changes, diff and history as before after the upgrade"
