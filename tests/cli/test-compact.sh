#!/bin/sh
# govarch compact: a finished crawl's files repacked as one NAME-c.warc.zst
#  - the same records, byte for byte, in the same order; the file smaller;
#  - every capture found at its new file and offset (CDXJ the same but for
#    filename/offset/length, and each capture's record read back names its
#    URL); the old files gone; verify clean;
#  - compacting again does nothing; bad usage is refused;
#  - crash safety: compact killed at several moments leaves, after the next
#    writable open of the catalog, exactly the records there were and every
#    capture readable; a 'planned' leftover file and a 'switched' leftover
#    old file are removed by that open;
#  - compact-level (default 19) repacks a crawl's files when it completes.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is not installed"

tmpdir T
A=$T/archive
site_start v1 --menu-from v1
SKIP="--set exclude=/stream/ --set exclude=/reports/ --set exclude=/events/calendar --set exclude=/search"

# shellcheck disable=SC2086
crawl_run "$A" --delay 0 --max-pages 40 $SKIP --set compact-level=0 --quiet \
	>"$T/out1" 2>&1 || fail "first crawl: $(tail -n 5 "$T/out1")"
crawl_warcs "$A" >"$T/w1"
[ -s "$T/w1" ] || fail "no WARC file"
! grep -q -- '-c\.warc\.zst$' "$T/w1" || fail "compact-level=0 compacted: $(cat "$T/w1")"

# every record as stored (ls without offset/length; cat of each), in order
records() { # ARCHIVE OUT
	for f in $(crawl_warcs "$1"); do "$GOVARCH" ls "$f"; done | cut -f3- >"$2.ls"
	for f in $(crawl_warcs "$1"); do
		"$GOVARCH" ls "$f" | cut -f1 | while read -r off; do
			"$GOVARCH" cat "$f" "$off" | sha1sum
		done
	done >"$2.sums"
}
# CDXJ without the record's place
cdxj_places_out() {
	sed -E 's/, "length": "[0-9]+", "offset": "[0-9]+", "filename": "[^"]*"//'
}
# every capture's record, at its file and offset, names its URL
captures_read_back() { # ARCHIVE
	"$GOVARCH" index --cdxj --archive "$1" >"$T/cdxj" || return 1
	[ -s "$T/cdxj" ] || return 1
	sed -E 's/.*"url": "([^"]*)".*"offset": "([0-9]+)", "filename": "([^"]*)".*/\1 \2 \3/' \
		"$T/cdxj" | while read -r url off file; do
		"$GOVARCH" cat "$1/$file" "$off" 2>/dev/null | head -n 20 | tr -d '\r' |
			grep -qxF "WARC-Target-URI: $url" || { echo "$file:$off: not $url"; return 1; }
	done
}
# an archive's state: copies of its WARC files and its CDXJ
keep_state() { # ARCHIVE DIR
	mkdir "$2" || fail "mkdir $2"
	for f in $(crawl_warcs "$1"); do cp "$f" "$2/" || fail "cp $f"; done
	"$GOVARCH" index --cdxj --archive "$1" >"$2/cdxj" || fail "index --cdxj $1"
}
# ARCHIVE is in the state kept in DIR: the same WARC files, byte for byte,
# and the same CDXJ (each capture at the same file and offset), so its
# records and captures read back as they did in that state
in_state() { # ARCHIVE DIR
	[ "$(crawl_warcs "$1" | sed 's|.*/||')" = "$(crawl_warcs "$2" | sed 's|.*/||')" ] ||
		return 1
	for f in $(crawl_warcs "$1"); do cmp -s "$f" "$2/${f##*/}" || return 1; done
	"$GOVARCH" index --cdxj --archive "$1" | cmp -s - "$2/cdxj"
}
records "$A" "$T/before"
bad=$(captures_read_back "$A") || fail "captures before compact: $bad"
keep_state "$A" "$T/state-crawled"
"$GOVARCH" index --cdxj --archive "$A" | cdxj_places_out >"$T/cdxj.before"
before=$(cat $(cat "$T/w1") | wc -c)
nrec=$(wc -l <"$T/before.ls")
cp -a "$A" "$T/pristine"

# ---- compact -------------------------------------------------------------------
"$GOVARCH" compact --archive "$A" >"$T/c1" 2>&1 || fail "compact: $(cat "$T/c1")"
first=$(basename "$(head -n 1 "$T/w1")" .warc.zst)
grep -Eq "^crawl 1: $(wc -l <"$T/w1") files?, $before B -> $first-c\.warc\.zst: [0-9]+ B \(0\.[0-9]{3}\), $nrec records, [0-9.]+ MB uncompressed, [0-9.]+ s CPU$" "$T/c1" ||
	fail "compact said: $(cat "$T/c1")"
[ "$(wc -l <"$T/c1")" -eq 1 ] || fail "compact said more: $(cat "$T/c1")"
crawl_warcs "$A" >"$T/w2"
[ "$(cat "$T/w2")" = "$A/$first-c.warc.zst" ] || fail "files after compact: $(cat "$T/w2")"
after=$(wc -c <"$A/$first-c.warc.zst")
[ "$after" -lt "$before" ] || fail "not smaller: $before -> $after"
records "$A" "$T/after"
cmp -s "$T/before.ls" "$T/after.ls" || fail "records differ (ls): $(diff "$T/before.ls" "$T/after.ls" | head -n 5)"
cmp -s "$T/before.sums" "$T/after.sums" || fail "records differ (bytes)"
"$GOVARCH" index --cdxj --archive "$A" | cdxj_places_out >"$T/cdxj.after"
cmp -s "$T/cdxj.before" "$T/cdxj.after" || fail "CDXJ differs: $(diff "$T/cdxj.before" "$T/cdxj.after" | head -n 5)"
bad=$(captures_read_back "$A") || fail "captures after compact: $bad"
crawl_verify "$A" || fail "verify after compact"
keep_state "$A" "$T/state-compacted"
[ "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM repack_plans")" = 0 ] || fail "plan left"
[ "$(sqlite3 "$A/catalog.sqlite" "SELECT crawl, files, bytes_before, bytes_after FROM repacked")" = "1|$(wc -l <"$T/w1")|$before|$after" ] ||
	fail "repacked: $(sqlite3 "$A/catalog.sqlite" "SELECT * FROM repacked")"
"$GOVARCH" index --archive "$A" >"$T/idx" 2>&1 || fail "index: $(cat "$T/idx")"
grep -q '^index: 0 files, ' "$T/idx" || fail "index found new files after compact: $(cat "$T/idx")"

# again: nothing to do
"$GOVARCH" compact --archive "$A" >"$T/c2" 2>&1 || fail "compact again: $(cat "$T/c2")"
[ ! -s "$T/c2" ] || fail "compact again said: $(cat "$T/c2")"
"$GOVARCH" compact --crawl 1 --archive "$A" >"$T/c3" 2>&1 || fail "compact --crawl 1: $(cat "$T/c3")"
[ "$(cat "$T/c3")" = "crawl 1: compacted before" ] || fail "compact --crawl 1 said: $(cat "$T/c3")"
"$GOVARCH" compact --level 0 --archive "$A" >"$T/c4" 2>&1
[ $? -eq 2 ] || fail "--level 0 accepted"
"$GOVARCH" compact --crawl 9 --archive "$A" >"$T/c5" 2>&1
[ $? -eq 1 ] && grep -q "no crawl '9'" "$T/c5" || fail "--crawl 9: $(cat "$T/c5")"

# ---- leftovers of a crash are cleaned by the next writable open ---------------
cp "$A/$first-c.warc.zst" "$A/zz-partial-c.warc.zst"
cp "$A/$first-c.warc.zst" "$A/aa-old.warc.zst"
sqlite3 "$A/catalog.sqlite" "INSERT INTO repack_plans VALUES(7, 'x.warc.zst', 'zz-partial-c.warc.zst', 'planned');
	INSERT INTO repack_plans VALUES(8, 'aa-old.warc.zst', 'y-c.warc.zst', 'switched')"
"$GOVARCH" index --archive "$A" >"$T/idx" 2>&1 || fail "index: $(cat "$T/idx")"
grep -q '^index: 0 files, ' "$T/idx" || fail "a leftover was indexed: $(cat "$T/idx")"
[ ! -e "$A/zz-partial-c.warc.zst" ] || fail "planned new file left"
[ ! -e "$A/aa-old.warc.zst" ] || fail "switched old file left"
[ "$(sqlite3 "$A/catalog.sqlite" "SELECT count(*) FROM repack_plans")" = 0 ] || fail "plans left"

# ---- killed at each step, and at moments in between ---------------------------
# GOVARCH_TEST_CRASH=STEP: SIGKILL right after the plan is committed, after
# the new file is written and verified, after the switch is committed; then
# plain kill -9 at fractions of the time the compact above took.
t0=$(date +%s%N)
rm -rf "$T/k" && cp -a "$T/pristine" "$T/k"
"$GOVARCH" compact --archive "$T/k" >/dev/null 2>&1 || fail "timed compact"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
for d in planned written switched $((ms / 20)) $((ms / 3)) $((ms * 2 / 3)) $((ms * 9 / 10)) $((ms * 97 / 100)); do
	rm -rf "$T/k"
	cp -a "$T/pristine" "$T/k"
	case $d in
	[a-z]*)
		GOVARCH_TEST_CRASH=$d "$GOVARCH" compact --archive "$T/k" >"$T/kout" 2>&1
		[ $? -eq 137 ] || fail "GOVARCH_TEST_CRASH=$d: not killed: $(cat "$T/kout")" ;;
	*)
		"$GOVARCH" compact --archive "$T/k" >"$T/kout" 2>&1 &
		pid=$!
		sleep "$(echo "$d" | awk '{ printf "%.3f", $1 / 1000 }')"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		d="$d ms" ;;
	esac
	# the next writable open finishes or undoes it
	"$GOVARCH" index --archive "$T/k" >"$T/kidx" 2>&1 || fail "killed at $d: index: $(cat "$T/kidx")"
	grep -q '^index: 0 files, ' "$T/kidx" || fail "killed at $d: a leftover was indexed: $(cat "$T/kidx")"
	# the state before or after the compact, whose records and captures
	# were read back above; else read them back
	if ! in_state "$T/k" "$T/state-crawled" && ! in_state "$T/k" "$T/state-compacted"; then
		records "$T/k" "$T/kr"
		cmp -s "$T/before.ls" "$T/kr.ls" && cmp -s "$T/before.sums" "$T/kr.sums" ||
			fail "killed at $d: records differ: $(crawl_warcs "$T/k")"
		bad=$(captures_read_back "$T/k") || fail "killed at $d: $bad"
	fi
	n=$(crawl_warcs "$T/k" | grep -c -- '-c\.warc\.zst$')
	echo "killed at $d: $n compacted file(s)"
	case $d in
	planned|written) [ "$n" -eq 0 ] || fail "killed at $d: compacted" ;;
	switched) [ "$n" -eq 1 ] && [ "$(crawl_warcs "$T/k" | wc -l)" -eq 1 ] ||
		fail "killed at $d: $(crawl_warcs "$T/k")" ;;
	esac
done

# ---- after a crawl, by default ------------------------------------------------
# (config/test.conf turns compaction off for the other tests: here the test
# config without that line, so the level is the default's)
grep -v '^compact-level' "$TOP/config/test.conf" >"$T/default-level.conf"
grep -q '^compact-level' "$T/default-level.conf" && fail "compact-level still set"
# shellcheck disable=SC2086
"$GOVARCH" crawl -c "$T/default-level.conf" --seed "$SITE_URL/" --archive "$A" \
	--set total-timeout=5 --delay 0 --max-pages 40 $SKIP --quiet >"$T/out2" 2>&1 ||
	fail "second crawl: $(tail -n 5 "$T/out2")"
[ ! -s "$T/out2" ] || fail "second crawl said: $(cat "$T/out2")"
crawl_warcs "$A" >"$T/w3"
[ "$(grep -c -- '-c\.warc\.zst$' "$T/w3")" -eq "$(wc -l <"$T/w3")" ] &&
	[ "$(wc -l <"$T/w3")" -eq 2 ] || fail "files after the second crawl: $(cat "$T/w3")"
[ "$(sqlite3 "$A/catalog.sqlite" "SELECT group_concat(crawl) FROM repacked")" = "1,2" ] ||
	fail "repacked: $(sqlite3 "$A/catalog.sqlite" "SELECT * FROM repacked")"
crawl_verify "$A" || fail "verify after the second crawl"
bad=$(captures_read_back "$A") || fail "captures after the second crawl: $bad"
exit 0
