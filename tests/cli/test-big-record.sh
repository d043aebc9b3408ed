#!/bin/sh
# A 200 MiB record is read in bounded memory: `cat --payload` streams the
# body (the same bytes), `cat` the record, `ls`, `index --rebuild` (which
# extracts from at most CATALOG_PAYLOAD_MAX of a body) and `index --cdxj`
# keep only its start.  Peak RSS (GNU time's %M) under 64 MB each; the
# record is a .warc.zst of zeros (one zstd frame, a few kB on disk) and a
# plain .warc of the same record.
. "$TOP/tests/cli/lib.sh"
[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
[ -x /usr/bin/time ] || skip "GNU time (/usr/bin/time) is not installed"
command -v zstd >/dev/null 2>&1 || skip "zstd (the command) is not installed"

tmpdir T
N=$((200 * 1024 * 1024))
LIMIT_KB=65536
head="HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: $N\r\n\r\n"
hlen=$(printf "$head" | wc -c)
mkdir "$T/a"
{
	printf "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789abc>\r\nWARC-Date: 2024-01-02T03:04:05Z\r\nWARC-Target-URI: http://example.com/big.bin\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: $((hlen + N))\r\n\r\n"
	printf "$head"
	head -c $N /dev/zero
	printf "\r\n\r\n"
} | tee "$T/big.warc" | zstd -q -c >"$T/a/big.warc.zst" || fail "writing the record"
zeros=$(head -c $N /dev/zero | md5sum)

# rss WHAT CMD...: run CMD (stdout to $T/out), fail when it fails or its
# peak RSS passes the limit
rss() {
	_what=$1
	shift
	/usr/bin/time -f %M -o "$T/rss" "$@" >"$T/out" 2>"$T/err" ||
		fail "$_what: exit $?: $(cat "$T/err")"
	_kb=$(tail -n 1 "$T/rss")
	echo "$_what: peak RSS $_kb kB"
	[ "$_kb" -lt $LIMIT_KB ] || fail "$_what: peak RSS $_kb kB, not under $LIMIT_KB kB"
}

for f in "$T/a/big.warc.zst" "$T/big.warc"; do
	rss "cat --payload $(basename "$f")" "$GOVARCH" cat "$f" 0 --payload
	[ "$(md5sum <"$T/out")" = "$zeros" ] || fail "cat --payload $f: not the $N zero bytes"
	rss "cat $(basename "$f")" "$GOVARCH" cat "$f" 0
	cmp -s "$T/out" "$T/big.warc" || fail "cat $f: not the record as stored"
	rss "ls $(basename "$f")" "$GOVARCH" ls "$f"
	[ "$(cut -f 3,5,6,7 "$T/out")" = "$(printf 'response\thttp://example.com/big.bin\t200\tapplication/octet-stream')" ] ||
		fail "ls $f: $(cat "$T/out")"
done
rss "index --rebuild" "$GOVARCH" index --rebuild --archive "$T/a"
[ "$(cat "$T/err")" = "index: 1 files, 1 records, 1 captures in 1 crawls, 0 records not indexed, 0 problems" ] ||
	fail "index --rebuild: $(cat "$T/err")"
rss "history" "$GOVARCH" history --archive "$T/a" http://example.com/big.bin
[ "$(grep -v '^#' "$T/out" | cut -f 2,3)" = "$(printf '1\t200')" ] || fail "history: $(cat "$T/out")"
rss "index --cdxj" "$GOVARCH" index --cdxj --archive "$T/a"
[ "$(cat "$T/out")" = "com,example)/big.bin 20240102030405 {\"url\": \"http://example.com/big.bin\", \"mime\": \"application/octet-stream\", \"status\": \"200\", \"length\": \"$(stat -c %s "$T/a/big.warc.zst")\", \"offset\": \"0\", \"filename\": \"big.warc.zst\"}" ] ||
	fail "index --cdxj: $(cat "$T/out")"
# a full disk still fails the streamed output
"$GOVARCH" cat "$T/a/big.warc.zst" 0 --payload >/dev/full 2>"$T/err" &&
	fail "cat --payload >/dev/full exited 0"
exit 0
