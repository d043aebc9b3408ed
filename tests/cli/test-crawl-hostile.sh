#!/bin/sh
# A crawl of the hostile site (govarch-site --hostile: gzip bombs, a
# trickling and an endless body, broken status lines and lengths, a 1 MB
# header, a 50-redirect chain, weird URLs, lying charsets, redirects off
# the site) ends on its own, under 128 MB of peak RSS, with:
#  - exit 3 (some URLs failed) and each URL recorded as expected: the
#    bombs whole (their 1 MB as received) with links from the decoded
#    part within the caps (+decoded-cut), the trickle cut by the
#    low-speed limit (WARC-Truncated: time), the endless body cut at
#    max-response-bytes (WARC-Truncated: length), broken answers failed;
#  - govarch verify clean;
#  - no request outside the site or against robots.txt, none twice, no
#    request target with a raw space or control byte or over
#    max-url-length, and no header line forged from page data in any
#    record.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed (scripts/install-deps)"
tmpdir T

# ---- the hostile site ---------------------------------------------------------
"$SITE_BIN" --hostile --port 0 --port-file "$T/port" --log "$T/requests.log" \
	2>"$T/site.err" &
SITE_PID=$!
_lib_pids="$_lib_pids $SITE_PID"
i=0
while [ ! -s "$T/port" ]; do
	kill -0 "$SITE_PID" 2>/dev/null || fail "govarch-site --hostile exited: $(cat "$T/site.err")"
	i=$((i + 1))
	[ $i -lt 300 ] || fail "govarch-site --hostile did not start in 30 s"
	sleep 0.1
done
SITE_URL=http://127.0.0.1:$(cat "$T/port")
curl -fsS -o "$T/bomb.gz" "$SITE_URL/bomb" || fail "the hostile site does not answer"
site_log_reset "$T/requests.log"   # only the crawl's requests

# ---- the crawl ----------------------------------------------------------------
timeout 120 /usr/bin/time -f %M -o "$T/maxrss" \
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$SITE_URL/" \
	--archive "$T/a" --delay 0 --quiet \
	--set max-response-bytes=2M --set max-decoded-bytes=4M \
	--set low-speed-limit=100 --set low-speed-time=2 \
	--set total-timeout=30 --set max-tries=1 --set max-delay=0.05 \
	--set host-pause=1 \
	>"$T/out" 2>&1
rc=$?
[ $rc -eq 3 ] || fail "crawl exited $rc, not 3: $(cat "$T/out")"
rss=$(tail -n 1 "$T/maxrss")
[ "$rss" -lt 131072 ] || fail "peak RSS $rss kB, over 128 MB"

crawl_log "$T/a" 1 >"$T/crawl.log" || fail "no crawl log"

# ---- how each URL was recorded --------------------------------------------------
# PATH STATUS OUTCOME from the crawl log; the links of /weird-urls and
# /bad-utf8 depend on the HTML parser's repairs and are checked below.
awk -v site="$SITE_URL" '{ u = $4; sub("^" site, "", u); print u, $2, $6 }' \
	"$T/crawl.log" | grep -v -e '^/weird/' -e '^/utf8-' |
	LC_ALL=C sort >"$T/outcomes"
i=1
while [ $i -le 11 ]; do
	echo "/redirect/$i 302 ok"
	i=$((i + 1))
done >"$T/expected.redirects"
{
	cat "$T/expected.redirects"
	cat <<EOF
/ 200 ok
/absurd-length 200 ok
/bad-status/four-digits - failed:unsupported-protocol
/bad-status/letters - failed:unsupported-protocol
/bad-status/no-status - failed:unsupported-protocol
/bad-utf8 200 ok
/big-header - failed:head-too-large
/bomb 200 ok+decoded-cut
/bomb-link 200 ok
/endless 200 truncated(length)
/lying-charset 200 ok
/negative-length - failed:weird-server-reply
/private/secret - robots
/redirect-file 302 ok
/redirect-javascript 302 ok
/redirect-offsite 302 ok
/redirect/12 - out-of-scope(too-many-redirects)
/robots.txt 200 ok
/sitemap-bomb.xml.gz 200 ok+decoded-cut
/sitemap-link 200 ok
/trickle 200 truncated(time)
/weird-urls 200 ok
http://localhost:$(cat "$T/port")/offsite-target - out-of-scope(out-of-scope)
EOF
} | LC_ALL=C sort >"$T/expected"
diff "$T/expected" "$T/outcomes" >"$T/diff" ||
	fail "crawl log outcomes differ (expected < > got): $(cat "$T/diff")"
# every endpoint the site lists was met (/redirect-end lies past the
# crawler's 10-redirect limit)
"$SITE_BIN" --list hostile-site | cut -f1 | grep -v '^/redirect-end$' |
	while read -r path; do
		grep -q "^$path " "$T/outcomes" || echo "$path"
	done >"$T/missed"
[ ! -s "$T/missed" ] || fail "endpoints not met: $(cat "$T/missed")"

# ---- the WARC -------------------------------------------------------------------
crawl_verify "$T/a" || fail "verify found problems"
# Each response: "URI TRUNCATED PAYLOAD-DIGEST"; a WARC header, or a
# request's HTTP head, with a line made from page data fails.
i=0
for f in $(crawl_warcs "$T/a"); do
	i=$((i + 1))
	"$GOVARCH" recompress "$f" "$T/plain$i.warc" 2>>"$T/recompress.err" ||
		fail "recompress $f: $(cat "$T/recompress.err")"
done
python3 - "$SITE_URL" "$T"/plain*.warc >"$T/records" <<'PY' || fail "a header forged from page data"
import re, sys
site, bad = sys.argv[1], 0
for name in sys.argv[2:]:
    data = open(name, "rb").read()
    at = 0
    while at < len(data):
        end = data.index(b"\r\n\r\n", at)
        head = data[at:end].decode("utf-8", "replace").split("\r\n")
        fields = dict(l.split(": ", 1) for l in head[1:])
        block = data[end + 4:end + 4 + int(fields["Content-Length"])]
        at = end + 4 + len(block) + 4
        lines = head[1:]
        if fields["WARC-Type"] == "request":
            lines += block.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        for l in lines:
            if re.match(r"(?i)injected|warc-type: forged", l):
                print("forged:", name, l, file=sys.stderr)
                bad = 1
        if fields["WARC-Type"] == "response":
            uri = fields["WARC-Target-URI"]
            print(uri[len(site):] if uri.startswith(site) else uri,
                  fields.get("WARC-Truncated", "-"),
                  fields.get("WARC-Payload-Digest", "-"))
sys.exit(bad)
PY
grep -v -e '^/weird/' -e '^/utf8-' "$T/records" | cut -d' ' -f1,2 |
	LC_ALL=C sort >"$T/truncated"
awk '$2 ~ /^[0-9]/ { t = "-" }
	$3 == "truncated(time)" { t = "time" }
	$3 == "truncated(length)" { t = "length" }
	$2 ~ /^[0-9]/ { print $1, t }' "$T/expected" >"$T/expected.truncated"
diff "$T/expected.truncated" "$T/truncated" >"$T/diff" ||
	fail "WARC-Truncated differs (expected < > got): $(cat "$T/diff")"

# The bomb is kept as received: its payload digest is that of the 1 MB
# the server sends, not of what it decodes to.
want=$(python3 -c 'import base64, hashlib, sys
print("sha1:" + base64.b32encode(hashlib.sha1(open(sys.argv[1], "rb").read()).digest()).decode())' "$T/bomb.gz")
got=$(awk '$1 == "/bomb" { print $3 }' "$T/records")
[ "$got" = "$want" ] || fail "bomb payload digest $got, want $want"

# ---- what the site was asked --------------------------------------------------------
awk -F'\t' '{ print $4 }' "$T/requests.log" | LC_ALL=C sort >"$T/asked"
dup=$(uniq -d "$T/asked")
[ -z "$dup" ] || fail "requested more than once: $dup"
bad=$(grep -e 'offsite-target' -e '^/private/' -e 'passwd' -e 'alert' "$T/asked")
[ -z "$bad" ] || fail "requests outside the scope or robots.txt: $bad"
bad=$(LC_ALL=C grep -n -e ' ' -e "$(printf '\r')" -e "$(printf '[\001-\037]')" "$T/asked")
[ -z "$bad" ] || fail "request targets with raw spaces or control bytes: $bad"
bad=$(awk 'length($0) > 2083' "$T/asked" | cut -c1-80)
[ -z "$bad" ] || fail "request targets over max-url-length: $bad"
# every path of the crawl log (fetched or failed) was asked once, nothing else
awk '$2 != "-" || $3 ~ /^failed:/ { print $1 }' "$T/expected" | LC_ALL=C sort >"$T/expected.asked"
grep -v -e '^/weird/' -e '^/utf8-' "$T/asked" >"$T/asked.site"
diff "$T/expected.asked" "$T/asked.site" >"$T/diff" ||
	fail "requests differ (expected < > got): $(cat "$T/diff")"
exit 0
