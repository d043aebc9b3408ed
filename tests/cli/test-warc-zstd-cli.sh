#!/bin/sh
# The zstd command-line tool decodes a .warc.zst written by govarch, given
# the dictionary taken from the file's first (skippable) frame, to exactly
# the records govarch reads; without the dictionary it refuses.  Every
# record's frame carries content size, checksum and the dictionary ID.
set -u
W="$(dirname "$GOVARCH")/tests/test-warc-write"
[ -x "$W" ] || { echo "skip: $W not built"; exit 77; }
command -v zstd > /dev/null || { echo "skip: zstd CLI not installed"; exit 77; }
command -v python3 > /dev/null || { echo "skip: python3 not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir arc
"$W" arc zst 40 || { echo "FAIL: writing"; exit 1; }
z=$(ls arc/*.warc.zst | tail -1)
# the dictionary frame: magic 5D 2A 4D 18, u32 length, a zstd frame
python3 - "$z" <<'PY' || fail=1
import struct, sys
d = open(sys.argv[1], 'rb').read()
magic, n = struct.unpack('<II', d[:8])
if magic != 0x184D2A5D:
    print('FAIL: file does not start with a dictionary frame: %x' % magic); sys.exit(1)
open('dict.zst', 'wb').write(d[8:8 + n])
PY
zstd -q -d dict.zst -o dict || bad "the dictionary frame is not one zstd frame"
# the one kept in arc/dict is the same dictionary, zstd-compressed
zstd -q -d "$(ls arc/dict/*.zdict.zst | tail -1)" -o kept || bad "the kept dictionary does not decompress"
cmp -s dict kept || bad "the file's dictionary is not the one kept in arc/dict"
zstd -q -d -D dict "$z" -o cli.warc || bad "zstd -d -D failed"
"$GOVARCH" recompress "$z" ours.warc || bad "recompress"
cmp -s cli.warc ours.warc || bad "zstd CLI output differs from govarch's records"
if zstd -q -d "$z" -o nodict.warc 2> err; then
	bad "zstd decoded without the dictionary"
fi
grep -qi 'dictionary' err || bad "zstd without -D: $(cat err)"
# every record frame: content size, checksum, dictionary ID
"$GOVARCH" ls "$z" | cut -f1,2 > frames
python3 - "$z" frames <<'PY' || fail=1
import struct, sys
d = open(sys.argv[1], 'rb').read()
bad = 0
for line in open(sys.argv[2]):
    off, ln = map(int, line.split())
    if struct.unpack('<I', d[off:off + 4])[0] != 0xFD2FB528:
        print('FAIL: no zstd frame at', off); bad = 1; continue
    fhd = d[off + 4]
    fcs = (fhd >> 6) & 3
    single = (fhd >> 5) & 1
    checksum = (fhd >> 2) & 1
    dictid = fhd & 3
    if not (fcs or single) or not checksum or not dictid:
        print('FAIL: frame at %d: content size %d/%d checksum %d dictID %d' % (off, fcs, single, checksum, dictid)); bad = 1
    if off + ln > len(d):
        print('FAIL: frame at %d runs past the end' % off); bad = 1
sys.exit(bad)
PY
[ $fail -eq 0 ] && echo ok
exit $fail
