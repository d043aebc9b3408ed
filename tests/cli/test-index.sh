#!/bin/sh
# index on WARCs written by other tools (../shared/warc-corpus), no crawl:
#  - `index --cdxj` lines are pywb's own for pywb's sample iana.warc.gz
#    (spot-checked lines: a response, a revisit, a redirect), byte-sorted,
#    one per response/revisit/resource;
#  - `index --rebuild` makes "imported" crawls, history follows revisits;
#  - a plain `index` reads only files the catalog does not know;
#  - `crawls`, `changes --from/--to`, `history`, `diff` answer on them.
. "$TOP/tests/cli/lib.sh"

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
C=$SHARED/warc-corpus
[ -f "$C/pywb__iana.warc.gz" ] || skip "no $C (the shared WARC corpus)"
tmpdir T
A=$T/archive
mkdir -p "$A"
cp "$C/pywb__example.warc.gz" "$C/pywb__iana.warc.gz" "$A/"

"$GOVARCH" index --cdxj --archive "$A" >"$T/cdxj" || fail "index --cdxj"
LC_ALL=C sort -c "$T/cdxj" || fail "CDXJ not byte-sorted"
n=$(grep -c '"filename": "pywb__iana.warc.gz"' "$T/cdxj")
[ "$n" -eq 171 ] || fail "iana: $n CDXJ lines, want 171 (48 responses, 123 revisits)"
for want in \
'org,iana)/_js/2013.1/iana.js 20140126200653 {"url": "http://www.iana.org/_js/2013.1/iana.js", "mime": "application/x-javascript", "status": "200", "digest": "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", "length": "456", "offset": "325380", "filename": "pywb__iana.warc.gz"}' \
'org,iana)/_img/bookmark_icon.ico 20140126201310 {"url": "https://www.iana.org/_img/bookmark_icon.ico", "mime": "warc/revisit", "digest": "sha1:PG3PAWWE72JQ37CXJSPCJNNF7QI3SNX7", "length": "548", "offset": "785806", "filename": "pywb__iana.warc.gz"}' \
'org,iana)/domains/root/db 20140126200927 {"url": "http://www.iana.org/domains/root/db/", "mime": "text/html", "status": "302", "digest": "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", "length": "446", "offset": "671278", "filename": "pywb__iana.warc.gz"}' \
'com,example)/?example=1 20140103030341 {"url": "http://example.com?example=1", "mime": "warc/revisit", "digest": "sha1:B2LTWWPUOYAH7UIPQ7ZUPQ4VMBSVC36A", "length": "553", "offset": "1864", "filename": "pywb__example.warc.gz"}'
do
	grep -qxF "$want" "$T/cdxj" || fail "CDXJ lacks: $want"
done

"$GOVARCH" index --rebuild --archive "$A" 2>"$T/err" ||
	fail "index --rebuild: $(cat "$T/err")"
grep -q '^index: 2 files, .* 174 captures in 2 crawls' "$T/err" ||
	fail "index --rebuild: $(cat "$T/err")"
"$GOVARCH" crawls --archive "$A" >"$T/crawls" || fail "crawls"
[ "$(cut -f1,6 "$T/crawls" | tr '\t\n' ' ')" = "1 imported 2 imported " ] ||
	fail "crawls: $(cat "$T/crawls")"
# revisits copy what their original says: unchanged
"$GOVARCH" history --archive "$A" http://www.iana.org/_css/2013.1/print.css >"$T/h" ||
	fail "history"
[ "$(wc -l <"$T/h")" -ge 10 ] || fail "history print.css: $(cat "$T/h")"
[ "$(sed -n 1p "$T/h")" = "# http://www.iana.org/_css/2013.1/print.css" ] ||
	fail "history print.css: no '# URL' line: $(sed -n 1p "$T/h")"
[ "$(sed 1d "$T/h" | cut -f5 | sort -u | tr '\n' ' ')" = "first unchanged " ] ||
	fail "history print.css: $(cat "$T/h")"
"$GOVARCH" history --archive "$A" http://www.iana.org/domains/root/db/ | cut -f3 |
	grep -qx 302 || fail "history of a redirect"
# imported crawls are never the default pair of changes
"$GOVARCH" changes --archive "$A" >/dev/null 2>&1 &&
	fail "changes without complete crawls should fail"
"$GOVARCH" changes --archive "$A" --from 1 --to 2 --format json >"$T/ch" ||
	fail "changes --from 1 --to 2"
grep -q '"kind":"added"' "$T/ch" || fail "changes 1->2: $(head -c 300 "$T/ch")"
# nothing new: a plain index reads no file; a new file is read alone
"$GOVARCH" index --archive "$A" 2>"$T/err" || fail "index: $(cat "$T/err")"
grep -q '^index: 0 files' "$T/err" || fail "index re-read files: $(cat "$T/err")"
cp "$C/warc-specifications__20141129-heritrix-original.warc.gz" "$A/"
"$GOVARCH" index --archive "$A" 2>"$T/err" || fail "index: $(cat "$T/err")"
grep -q '^index: 1 files, .* 1 captures in 1 crawls' "$T/err" ||
	fail "index of a new file: $(cat "$T/err")"
[ "$("$GOVARCH" crawls --archive "$A" | wc -l)" -eq 3 ] || fail "no third crawl"
# bad input: a catalog that is missing, a URL never captured
"$GOVARCH" history --archive "$T/none" http://x/ 2>"$T/err" && fail "history without catalog"
grep -q 'catalog.sqlite' "$T/err" || fail "history without catalog: $(cat "$T/err")"
"$GOVARCH" diff --archive "$A" http://never.example/ 2>"$T/err" && fail "diff of an unknown URL"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "error not one line: $(cat "$T/err")"
"$GOVARCH" changes --archive "$A" --from yesterday 2>/dev/null; [ $? -eq 2 ] ||
	fail "bad --from: not exit 2"
"$GOVARCH" changes --archive "$A" --format xml 2>/dev/null; [ $? -eq 2 ] ||
	fail "bad --format: not exit 2"
echo "ok"
