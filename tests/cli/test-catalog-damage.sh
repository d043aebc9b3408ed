#!/bin/sh
# A damaged catalog.sqlite or state.sqlite, and a catalog that lost its -wal
# file while a crawl was killed: each command says so in one line naming the
# file and the command that recovers, and that command works.
#  - catalog.sqlite truncated, its header overwritten, a b-tree page
#    overwritten: `crawls`, `history`, `changes`, `index` and `crawl` print
#    exactly "govarch: CMD: ARCHIVE/catalog.sqlite: damaged database (WHY);
#    recover with `govarch index --rebuild`", exit 1; after `index
#    --rebuild` every answer is the one before the damage, byte for byte;
#  - state.sqlite overwritten while a crawl was killed: `crawl` prints
#    "ARCHIVE/state.sqlite: damaged database (file is not a database);
#    recover: delete it ..."; once it is deleted the next crawl closes the
#    killed crawl as interrupted (its .open file mended) and completes a new
#    one: everything verifies, each page once in the new crawl;
#  - catalog.sqlite-wal deleted after a kill -9: `crawl` refuses to mend
#    ("does not know crawl N, which the crawl state resumes; recover with
#    `govarch index --rebuild`"); after the rebuild (which reads the .open
#    file) the crawl resumes to complete and a rebuild into a copy gives the
#    live catalog's answers.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 (the command) is not installed"

tmpdir T
A=$T/archive
site_start v1
ARGS="--delay 0 --set exclude=/stream/ --set exclude=/reports/slow --quiet"
crawl_run "$A" $ARGS >"$T/c1.out" 2>&1 || fail "crawl 1: $(tail -n 3 "$T/c1.out")"
site_version v2
crawl_run "$A" $ARGS >"$T/c2.out" 2>&1 || fail "crawl 2: $(tail -n 3 "$T/c2.out")"
crawl_answers "$A" "$T/before"
grep -q '^edited' "$T/before" || fail "no edited page between v1 and v2: the answers test nothing"
# everything into the main file, so damaging it damages the catalog
sqlite3 "$A/catalog.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null ||
	fail "checkpoint of the catalog"

# expect_damage WHY CMD ARGS...: the command fails with exactly the catalog's
# damage line
expect_damage() {
	_why=$1
	shift
	"$GOVARCH" "$@" --archive "$A" >"$T/out" 2>"$T/err"
	_rc=$?
	[ $_rc -eq 1 ] || fail "$1 on a damaged catalog: exit $_rc: $(cat "$T/err")"
	_want="govarch: $1: $A/catalog.sqlite: damaged database ($_why); recover with \`govarch index --rebuild\`"
	[ "$(cat "$T/err")" = "$_want" ] ||
		fail "$1: got '$(cat "$T/err")', want '$_want'"
}

damage_and_recover() { # WHY-OF-READERS WHY-OF-WRITERS
	expect_damage "$1" crawls
	expect_damage "$1" history "$SITE_URL/"
	expect_damage "$1" changes
	expect_damage "$2" index
	expect_damage "$2" crawl -c "$TOP/config/test.conf" --seed "$SITE_URL/" $ARGS
	"$GOVARCH" index --rebuild --archive "$A" 2>"$T/rebuild.err" ||
		fail "index --rebuild: $(cat "$T/rebuild.err")"
	crawl_answers "$A" "$T/after"
	cmp -s "$T/before" "$T/after" ||
		fail "answers after index --rebuild differ: $(diff "$T/before" "$T/after" | head -n 10)"
}

# ---- catalog.sqlite cut to half its size ---------------------------------------
size=$(stat -c %s "$A/catalog.sqlite")
truncate -s $((size / 2)) "$A/catalog.sqlite"
damage_and_recover "database disk image is malformed" "database disk image is malformed"

# ---- its header overwritten ------------------------------------------------------
printf 'this is not SQLite at all' | dd of="$A/catalog.sqlite" conv=notrunc 2>/dev/null
damage_and_recover "file is not a database" "file is not a database"

# ---- the root b-tree page of the captures table (caps) overwritten -----------------------------
# (readers find it when a statement reaches the page; writers by
# quick_check at open, whose report names the page)
psize=$(sqlite3 "$A/catalog.sqlite" 'PRAGMA page_size')
root=$(sqlite3 "$A/catalog.sqlite" "SELECT rootpage FROM sqlite_schema WHERE name='caps'")
[ -n "$root" ] && [ "$root" -gt 1 ] || fail "no caps table root page ($root)"
head -c "$psize" /dev/zero | tr '\0' '\377' |
	dd of="$A/catalog.sqlite" bs="$psize" seek=$((root - 1)) conv=notrunc 2>/dev/null
"$GOVARCH" index --archive "$A" 2>"$T/err" && fail "index on a damaged catalog exited 0"
grep -q "^govarch: index: $A/catalog.sqlite: damaged database (.*[Pp]age $root[^0-9].*); recover with \`govarch index --rebuild\`\$" "$T/err" ||
	fail "index: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "index: more than one line: $(cat "$T/err")"
"$GOVARCH" history --archive "$A" "$SITE_URL/" >/dev/null 2>"$T/err" &&
	fail "history on a damaged catalog exited 0"
[ "$(cat "$T/err")" = "govarch: history: $A/catalog.sqlite: damaged database (database disk image is malformed); recover with \`govarch index --rebuild\`" ] ||
	fail "history: $(cat "$T/err")"
"$GOVARCH" index --rebuild --archive "$A" 2>"$T/rebuild.err" ||
	fail "index --rebuild: $(cat "$T/rebuild.err")"
crawl_answers "$A" "$T/after"
cmp -s "$T/before" "$T/after" || fail "answers after the page damage and rebuild differ"

# ---- state.sqlite damaged while a crawl was killed ------------------------------------
# killed at a fixed point (inside the state's transaction of the 30th
# capture), not after a fixed time a fast crawl may outrun
GOVARCH_TEST_KILL_AT=state:30 crawl_run "$A" $ARGS >"$T/k.out" 2>&1
[ $? -eq 137 ] || fail "GOVARCH_TEST_KILL_AT=state:30 did not kill the crawl: $(tail -n 3 "$T/k.out")"
ls "$A" | grep -q '\.open$' || fail "the killed crawl left no .open file (killed too late?)"
printf 'this is not SQLite at all' | dd of="$A/state.sqlite" conv=notrunc 2>/dev/null
rm -f "$A/state.sqlite-wal" "$A/state.sqlite-shm"
crawl_run "$A" $ARGS >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || fail "crawl on a damaged state exited $rc, not 1: $(cat "$T/err")"
[ "$(cat "$T/err")" = "govarch: crawl: $A/state.sqlite: damaged database (file is not a database); recover: delete it (and its -wal and -shm files); the next \`govarch crawl\` starts again from what the WARC files hold" ] ||
	fail "crawl on a damaged state: $(cat "$T/err")"
"$GOVARCH" explain --archive "$A" "$SITE_URL/" >/dev/null 2>"$T/err" &&
	fail "explain on a damaged state exited 0"
grep -q "^govarch: explain: $A/state.sqlite: damaged database" "$T/err" ||
	fail "explain on a damaged state: $(cat "$T/err")"
rm -f "$A/state.sqlite" "$A/state.sqlite-wal" "$A/state.sqlite-shm"
crawl_run "$A" $ARGS >"$T/out" 2>&1 || fail "crawl after deleting the state: $(tail -n 3 "$T/out")"
ls "$A" | grep -q '\.open$' && fail ".open file left after the state was rebuilt"
"$GOVARCH" crawls --archive "$A" | cut -f1,6 >"$T/crawls"
printf '1\tcomplete\n2\tcomplete\n3\tinterrupted\n4\tcomplete\n' | cmp -s - "$T/crawls" ||
	fail "crawls after the state was deleted: $(cat "$T/crawls")"
crawl_verify "$A" || fail "verify after the state was deleted"
# the closed crawl 3 is what a rebuild finds of it (but for its start: the
# catalog has when it began, a rebuild its first warcinfo's date, a moment
# later), and everything else too
crawl_answers "$A" "$T/live"
rm -rf "$T/copy"
cp -r "$A" "$T/copy"
"$GOVARCH" index --rebuild --archive "$T/copy" 2>"$T/rebuild.err" ||
	fail "index --rebuild of the copy: $(cat "$T/rebuild.err")"
crawl_answers "$T/copy" "$T/rebuilt"
for f in live rebuilt; do
	awk -F'\t' -v OFS='\t' '/^## / { s = $0 } s == "## crawls" && $1 == 3 { $2 = "START" } { print }' \
		"$T/$f" >"$T/$f.masked"
	mv "$T/$f.masked" "$T/$f"
done
grep -q "^3	START	.*	interrupted$" "$T/live" || fail "crawl 3 not interrupted: $(cat "$T/live" | head -n 6)"
cmp -s "$T/live" "$T/rebuilt" ||
	fail "after the lost state, rebuilt answers differ: $(diff "$T/live" "$T/rebuilt" | head -n 10)"
# crawl 4 captured each URL once, every page and requisite of the site
crawl_captures $(crawl_files_of "$A" 4) | awk '{ print $2 }' | crawl_paths |
	LC_ALL=C sort >"$T/got"
[ -z "$(uniq -d "$T/got")" ] || fail "crawl 4 captured twice: $(uniq -d "$T/got" | head -n 3)"
{ site_list pages v2; site_list requisites v2; } | LC_ALL=C sort -u >"$T/want"
LC_ALL=C comm -23 "$T/want" "$T/got" >"$T/missing"
[ ! -s "$T/missing" ] || fail "crawl 4 misses $(wc -l <"$T/missing"): $(head -n 3 "$T/missing"); files: $(crawl_files_of "$A" 4); $(crawl_log "$A" 4 | grep -F "$(head -n 1 "$T/missing")")"

# ---- catalog.sqlite-wal deleted while a crawl was killed --------------------------------
# killed at a fixed point (the 20th capture's catalog row committed), not
# after a fixed time: later, SQLite may have checkpointed the crawl's rows
# into the database already, and then there is nothing the WAL held to lose
GOVARCH_TEST_KILL_AT=catalog:20 crawl_run "$A" $ARGS >"$T/k2.out" 2>&1
[ $? -eq 137 ] || fail "GOVARCH_TEST_KILL_AT=catalog:20 did not kill the crawl: $(tail -n 3 "$T/k2.out")"
[ -f "$A/catalog.sqlite-wal" ] || fail "no catalog.sqlite-wal to delete (killed too late?)"
rm -f "$A/catalog.sqlite-wal" "$A/catalog.sqlite-shm"
crawl_run "$A" $ARGS >"$T/out" 2>"$T/err" && fail "crawl on a catalog without its WAL exited 0"
[ "$(grep -v '^govarch: crawl: resuming' "$T/err")" = "govarch: crawl: $A/catalog.sqlite: does not know crawl 5, which the crawl state resumes; recover with \`govarch index --rebuild\`" ] ||
	fail "crawl on a catalog without its WAL: $(cat "$T/err")"
ls "$A" | grep -q '\.open$' || fail "the refused crawl mended the .open file"
"$GOVARCH" index --rebuild --archive "$A" 2>"$T/rebuild.err" ||
	fail "index --rebuild: $(cat "$T/rebuild.err")"
crawl_run "$A" $ARGS >"$T/out" 2>&1 || fail "crawl after the rebuild: $(tail -n 3 "$T/out")"
"$GOVARCH" crawls --archive "$A" | cut -f1,6 >"$T/crawls"
printf '1\tcomplete\n2\tcomplete\n3\tinterrupted\n4\tcomplete\n5\tcomplete\n' | cmp -s - "$T/crawls" ||
	fail "crawls after the WAL was lost: $(cat "$T/crawls")"
crawl_verify "$A" || fail "verify after the WAL was lost"
crawl_answers "$A" "$T/live"
rm -rf "$T/copy"
cp -r "$A" "$T/copy"
"$GOVARCH" index --rebuild --archive "$T/copy" 2>"$T/rebuild.err" ||
	fail "index --rebuild of the copy: $(cat "$T/rebuild.err")"
crawl_answers "$T/copy" "$T/rebuilt"
cmp -s "$T/live" "$T/rebuilt" ||
	fail "rebuilt answers differ from the live catalog: $(diff "$T/live" "$T/rebuilt" | head -n 10)"
exit 0
