#!/bin/sh
# The WARC corpus (../shared/warc-corpus): verify names exactly the known
# problems, ls lists the right records (counts per type as in MANIFEST.md's
# "auto" column; exact listings for a selection), cat returns the stored
# bytes, and nothing crashes.
set -u
C="${SHARED:-}/warc-corpus"
if [ ! -f "$C/MANIFEST.md" ]; then
	echo "skip: no WARC corpus at $C (../shared/warc-corpus absent)"
	exit 77
fi
E="$TOP/tests/cli/expected"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# 1. verify of the whole corpus: exact lines (problems and notes), exit 1.
(cd "$C" && "$GOVARCH" verify .) > "$T/verify.out" 2> "$T/verify.err"
rc=$?
[ $rc -eq 1 ] || bad "verify of the corpus exited $rc, wanted 1"
[ -s "$T/verify.err" ] && { bad "verify wrote to stderr"; cat "$T/verify.err"; }
if ! diff -u "$E/warc-corpus-verify.txt" "$T/verify.out"; then
	bad "verify output differs from tests/cli/expected/warc-corpus-verify.txt"
fi

# 2. well-formed files verify clean, each on its own (exit 0).
for f in warcio__example.warc warcio__example.warc.gz warcio__post-test.warc.gz \
	 jwarc__cc.warc.gz pywb__example2.warc.gz pywb__iana.warc.gz \
	 webarchive-commons__IAH-urls-wget.warc.gz warcat__at.warc.gz \
	 warc-specifications__hello-world.warc warc-specifications__hello-world.warc.gz \
	 py-wacz__example-collection.warc py-wacz__example-warcinfo-metadata.warc \
	 outbackcdx__test1.warc.gz cdxj-indexer__cc.warc.gz warcio.js__redirect.warc \
	 warcio__example-iana.org-chunked.warc generated/example.per-record.warc.zst \
	 generated/example.with-extension-frame.warc.zst \
	 generated/iana-80.dict-compressed.warc.zst generated/iana-80.dict-uncompressed.warc.zst \
	 generated/wget-1.21.3-run1.warc.gz gowarc__good.warc.gz.open; do
	out=$(cd "$C" && "$GOVARCH" verify "$f") || bad "verify $f: $out"
done

# 3. the mislabeled whole-file gzip named .bad (not found by the dir walk)
(cd "$C" && "$GOVARCH" verify warcio__example-bad.warc.gz.bad) > "$T/bad.out"
grep -q '^warcio__example-bad.warc.gz.bad: note: records are not one per gzip member' "$T/bad.out" ||
	bad "example-bad.warc.gz.bad: no whole-file gzip note"
grep -q '^verify: 1 files, 6 records, 0 problems' "$T/bad.out" || bad "example-bad.warc.gz.bad: $(tail -1 "$T/bad.out")"

# 4. record counts per type against MANIFEST.md's auto column.
for f in $(cd "$C" && find . -type f \( -name '*.warc*' -o -name '*.open' -o -name '*.bad' \) | sed 's|^\./||' | sort); do
	"$GOVARCH" ls "$C/$f" > "$T/ls.out" 2> "$T/ls.err"
	rc=$?
	[ $rc -le 1 ] || bad "ls $f exited $rc"
	python3 - "$C/MANIFEST.md" "$f" "$T/ls.out" <<'PY' || fail=1
import re, sys, collections
manifest, name, lsout = sys.argv[1:]
base = name.split('/')[-1]
want = None
for line in open(manifest, encoding='utf-8'):
    if line.startswith('| `' + name + '`') or line.startswith('| `' + base + '`') and '/' not in name:
        auto = line.rstrip().rstrip('|').split('|')[-1]
        m = re.findall(r'(\w+)×(\d+)', auto)
        if m:
            want = collections.Counter({k: int(v) for k, v in m})
        break
got = collections.Counter(l.split('\t')[2] for l in open(lsout) if l.strip())
if want is not None and want != got:
    print('FAIL: ls %s: types %s, MANIFEST says %s' % (name, dict(got), dict(want)))
    sys.exit(1)
PY
done

# 5. exact listings of a selection (offsets, lengths, types, dates, URIs,
#    statuses, mimes).
for f in warcio__example.warc.gz pywb__example.warc outbackcdx__test1.warc.gz \
	 gowarc__test.warc.bz2 generated/iana-80.dict-compressed.warc.zst \
	 generated/example.with-extension-frame.warc.zst pywb__missing-status-text.warc \
	 warcio__example-bad-non-chunked.warc.gz cdxj-indexer__missing-http.warc.gz; do
	exp="$E/warc-ls-$(echo "$f" | tr / _).txt"
	"$GOVARCH" ls "$C/$f" > "$T/ls.out" 2>&1
	diff -u "$exp" "$T/ls.out" || bad "ls $f differs from $exp"
done

# 6. a file needing a dictionary it lacks says so (and exits 1).
if "$GOVARCH" ls "$C/generated/iana-80.MISSING-dict.warc.zst" > /dev/null 2> "$T/err"; then
	bad "ls of iana-80.MISSING-dict succeeded"
fi
grep -q 'iana-80.MISSING-dict.warc.zst:0: zstd frame needs dictionary ID 1234567, which is not in the file' "$T/err" ||
	bad "MISSING-dict message: $(cat "$T/err")"
"$GOVARCH" cat "$C/generated/iana-80.MISSING-dict.warc.zst" 0 > /dev/null 2> "$T/err" && bad "cat of MISSING-dict succeeded"
grep -q 'which is not in the file' "$T/err" || bad "cat MISSING-dict message: $(cat "$T/err")"

# 7. cat returns the stored bytes: the gzip member at OFFSET/LENGTH, unzipped.
f="$C/warcio__example.warc.gz"
"$GOVARCH" ls "$f" | while IFS="	" read -r off len rest; do
	tail -c +$((off + 1)) "$f" | head -c "$len" | gzip -dc > "$T/want" 2>/dev/null
	"$GOVARCH" cat "$f" "$off" > "$T/got" || echo "FAIL: cat $off" >> "$T/catfail"
	cmp -s "$T/want" "$T/got" || echo "FAIL: cat $f $off differs from the member" >> "$T/catfail"
done
[ -f "$T/catfail" ] && { cat "$T/catfail"; fail=1; }
# zstd with a compressed dictionary: the same record as in the gzip original
"$GOVARCH" cat "$C/generated/iana-80.dict-compressed.warc.zst" 6359 > "$T/a" || bad "cat zst"
off=$("$GOVARCH" ls "$C/pywb__iana.warc.gz" | awk -F'\t' '$3=="response"{print $1; exit}')
"$GOVARCH" cat "$C/pywb__iana.warc.gz" "$off" > "$T/b" || bad "cat iana"
cmp -s "$T/a" "$T/b" || bad "iana first response differs between zst and gz"
# whole-file gzip and bz2: cat by the offset ls shows (read in order)
off=$("$GOVARCH" ls "$C/gowarc__good.warc.gz.open" | sed -n 3p | cut -f1)
"$GOVARCH" cat "$C/gowarc__good.warc.gz.open" "$off" | head -1 | grep -q '^WARC/1.1' || bad "cat whole-file gzip at $off"
"$GOVARCH" cat "$C/gowarc__test.warc.bz2" 490 | cmp -s - "$T/bz" 2>/dev/null
"$GOVARCH" cat "$C/gowarc__test.warc" 490 > "$T/p1" && "$GOVARCH" cat "$C/gowarc__test.warc.bz2" 490 > "$T/p2" &&
	cmp -s "$T/p1" "$T/p2" || bad "cat bz2 490 differs from plain"

# 8. cat --payload: de-chunked (wget raw chunks), content-decoded (gzip).
off=$("$GOVARCH" ls "$C/warcio__example.warc.gz" | awk -F'\t' '$3=="response"{print $1}')
"$GOVARCH" cat "$C/warcio__example.warc.gz" "$off" --payload > "$T/p" || bad "cat --payload"
grep -q '<title>Example Domain</title>' "$T/p" || bad "payload of example.com not decoded"
off=$("$GOVARCH" ls "$C/warcio__example-iana.org-chunked.warc" | awk -F'\t' '$3=="response"{print $1}')
"$GOVARCH" cat "$C/warcio__example-iana.org-chunked.warc" "$off" --payload > "$T/p" || bad "cat --payload chunked"
head -c 15 "$T/p" | grep -q '<!doctype html>' || bad "chunked payload: $(head -c 40 "$T/p")"
tail -c 8 "$T/p" | grep -q '</html>' || bad "chunked payload end: $(tail -c 40 "$T/p" | od -c | tail -3)"

# 9. bad input never crashes: every command exits 0, 1 or 2 on every file.
#    (Under `make asan` a sanitizer report also fails the test.)
san() { grep -q -e 'Sanitizer' -e 'runtime error:' "$T/err" && { bad "$1: sanitizer report"; head -20 "$T/err"; }; }
for f in $(cd "$C" && find . -type f | sort); do
	offs="0 1 100 999999 $("$GOVARCH" ls "$C/$f" 2>/dev/null | head -12 | cut -f1 | tr '\n' ' ')"
	for off in $offs; do
		"$GOVARCH" cat "$C/$f" $off > /dev/null 2> "$T/err"; rc=$?
		[ $rc -le 2 ] || bad "cat $f $off exited $rc"
		san "cat $f $off"
		"$GOVARCH" cat "$C/$f" $off --payload > /dev/null 2> "$T/err"; rc=$?
		[ $rc -le 2 ] || bad "cat --payload $f $off exited $rc"
		san "cat --payload $f $off"
	done
	"$GOVARCH" verify "$C/$f" > /dev/null 2> "$T/err"; rc=$?
	[ $rc -le 1 ] || bad "verify $f exited $rc"
	san "verify $f"
	"$GOVARCH" ls "$C/$f" > /dev/null 2> "$T/err"
	san "ls $f"
	"$GOVARCH" recompress "$C/$f" "$T/out.warc.zst" > /dev/null 2> "$T/err"; rc=$?
	[ $rc -le 1 ] || bad "recompress $f exited $rc"
	san "recompress $f"
	rm -f "$T/out.warc.zst"
done

[ $fail -eq 0 ] && echo "ok"
exit $fail
