#!/bin/sh
# An independent reader agrees with ours: a .warc.gz made by govarch
# (recompress of a .warc.zst the writer wrote) is indexed by the npm package
# warcio (`warcio cdx-index`) with the same URLs, statuses, offsets, lengths
# and digests; and the payload digests match sha1 of the de-chunked payload
# computed here by python.
set -u
W="$(dirname "$GOVARCH")/tests/test-warc-write"
[ -x "$W" ] || { echo "skip: $W not built"; exit 77; }
command -v npm > /dev/null || { echo "skip: npm not installed"; exit 77; }
command -v python3 > /dev/null || { echo "skip: python3 not installed"; exit 77; }
if ! . "$TOP/tests/cli/npm-warcio.sh"; then
	tail -3 "$NPM/install.log"
	echo "skip: npm could not install warcio (no registry?)"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir arc
"$W" arc zst 40 || { echo "FAIL: writing"; exit 1; }
z=$(ls arc/*.warc.zst | tail -1)
"$GOVARCH" recompress "$z" g.warc.gz || { echo "FAIL: recompress"; exit 1; }
"$WARCIO" cdx-index g.warc.gz > warcio.cdxj 2> warcio.err || bad "warcio failed: $(cat warcio.err)"
[ -s warcio.cdxj ] || bad "warcio indexed nothing"

# our view: offset, length, URI, status, payload digest, sha1 of cat --payload
"$GOVARCH" ls g.warc.gz | awk -F'\t' '$3=="response" || $3=="revisit"' > ls.txt
while IFS="	" read -r off len type date uri status mime; do
	d=$("$GOVARCH" cat g.warc.gz "$off" | tr -d '\r' | sed -n 's/^WARC-Payload-Digest: sha1://p' | head -1)
	"$GOVARCH" cat g.warc.gz "$off" --payload > payload.bin
	printf '%s %s %s %s %s %s\n' "$off" "$len" "$uri" "$status" "$d" "$type"
	if [ "$type" = response ]; then
		calc=$(python3 -c 'import sys,hashlib,base64; print(base64.b32encode(hashlib.sha1(open(sys.argv[1],"rb").read()).digest()).decode())' payload.bin)
		[ "$calc" = "$d" ] || echo "FAIL: $off: payload digest $d, sha1 of the payload is $calc" >> fails
	fi
done < ls.txt > ours.txt
[ -f fails ] && { cat fails; fail=1; }

python3 - warcio.cdxj > theirs.txt <<'PY'
import json, sys
for line in open(sys.argv[1]):
    j = json.loads(line.split(' ', 2)[2])
    if not j['url'].startswith('http'):
        continue        # the resource record (crawl log)
    t = 'revisit' if j.get('mime') == 'warc/revisit' else 'response'
    print(j['offset'], j['length'], j['url'], j['status'], j['digest'].replace('sha1:', ''), t)
PY
sort ours.txt > a; sort theirs.txt > b
if ! cmp -s a b; then
	bad "warcio's index differs from ours"
	diff a b | head -20
fi
# the file with the dictionary holds the pages after the first ~1 MB
[ "$(wc -l < a)" -ge 20 ] || bad "wanted at least 20 indexed captures, got $(wc -l < a)"
grep -q ' http://127.0.0.1:8000/our-programmes/page-19 200 .* revisit$' b || bad "page-19 (revisit) missing from warcio's index"
grep -q ' http://127.0.0.1:8000/our-programmes/page-22 200 .* response$' b || bad "page-22 (chunked) missing from warcio's index"
[ $fail -eq 0 ] && echo ok
exit $fail
