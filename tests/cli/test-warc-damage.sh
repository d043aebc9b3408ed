#!/bin/sh
# Damage inside a WARC loses only the damaged records: one flipped byte in
# two records of a .warc.zst and a .warc.gz (each record its own frame or
# member), and a broken Content-Length in two records of a plain .warc.  verify names each
# damaged record, says where reading picks up again and how many records
# were read after the damage; recompress keeps every other record, in
# order, says what it left out and exits 1.
set -u
. "$TOP/tests/cli/lib.sh"
W="$(dirname "$GOVARCH")/tests/test-warc-write"
[ -x "$W" ] || skip "skip: $W not built"
command -v python3 > /dev/null || skip "skip: python3 not installed"
tmpdir
cd "$T" || exit 1
mkdir arc
"$W" arc zst 40 > /dev/null || fail "writing the archive"
src=$(ls arc/*.warc.zst | tail -1)
cp "$src" good.warc.zst
"$GOVARCH" recompress good.warc.zst good.warc.gz || fail "recompress to gz"
"$GOVARCH" recompress good.warc.zst good.warc || fail "recompress to warc"

# damage FORMAT: break records 4 and 11 (0-based, in ls order); prints the
# expected verify problems' offsets, then checks verify and recompress.
damage() {
	fmt=$1
	"$GOVARCH" ls "good.$fmt" > ls.good || fail "$fmt: ls"
	n=$(wc -l < ls.good)
	python3 - "good.$fmt" "bad.$fmt" "$fmt" ls.good <<'PY' || fail "$fmt: damaging"
import sys
src, dst, fmt, lsf = sys.argv[1:]
d = bytearray(open(src, 'rb').read())
rows = [l.split('\t') for l in open(lsf)]
for i in (4, 11):
    off, ln = int(rows[i][0]), int(rows[i][1])
    if fmt == 'warc':              # Content-Length: 560 -> x60
        d[d.index(b'Content-Length: ', off) + 16] = ord('x')
    else:
        d[off + ln // 2] ^= 0x55   # one flipped byte inside the frame
open(dst, 'wb').write(d)
PY
	off4=$(sed -n 5p ls.good | cut -f1)
	off5=$(sed -n 6p ls.good | cut -f1)
	off11=$(sed -n 12p ls.good | cut -f1)
	off12=$(sed -n 13p ls.good | cut -f1)
	"$GOVARCH" verify "bad.$fmt" > verify.out
	rc=$?
	[ $rc -eq 1 ] || fail "$fmt: verify exit $rc, want 1"
	# a problem's wording depends on where the byte landed: keep its offset
	grep -v ': note: Transfer-Encoding' verify.out |
		sed 's/^\(bad[^:]*:[0-9]*:\) [^n].*/\1 damaged/; s/^\(bad[^:]*:[0-9]*:\) n[^o].*/\1 damaged/' > got
	what=damaged
	{
		printf 'bad.%s:%s: %s\n' "$fmt" "$off4" "$what"
		printf 'bad.%s:%s: note: next readable record after the damage\n' "$fmt" "$off5"
		printf 'bad.%s:%s: %s\n' "$fmt" "$off11" "$what"
		printf 'bad.%s:%s: note: next readable record after the damage\n' "$fmt" "$off12"
		printf 'bad.%s: note: %d records read after the damage\n' "$fmt" $((n - 6))
		printf 'verify: 1 files, %d records, 2 problems, 3 notes\n' $((n - 2))
	} > want
	diff want got > /dev/null || { diff want got; fail "$fmt: verify output"; }
	"$GOVARCH" recompress "bad.$fmt" "kept.$fmt.warc.gz" 2> err
	rc=$?
	[ $rc -eq 1 ] || fail "$fmt: recompress exit $rc, want 1"
	grep -q "^govarch: recompress: bad.$fmt: 2 damaged stretches (.* bytes) left out, the first: bad.$fmt:$off4: .*; every readable record after it was kept\$" err ||
		fail "$fmt: recompress said: $(cat err)"
	cut -f3- ls.good | sed '5d;12d' > want
	"$GOVARCH" ls "kept.$fmt.warc.gz" | cut -f3- > got
	diff want got > /dev/null || { diff want got | head; fail "$fmt: records kept"; }
	"$GOVARCH" verify "kept.$fmt.warc.gz" > /dev/null || fail "$fmt: the kept records do not verify"
}
damage warc.zst
damage warc.gz
damage warc
echo "ok: verify and recompress read on after damaged records (zst, gz, warc)"
