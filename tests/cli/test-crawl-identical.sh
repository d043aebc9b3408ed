#!/bin/sh
# Identical-payload revisits: a tiny server (python3) that sends no ETag or
# Last-Modified and ignores conditional requests, so a second crawl gets
# 200s with the same bodies.  Those become revisit records with the
# identical-payload-digest profile, the HTTP headers only and
# WARC-Truncated: length; a page that did change is a full response.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

tmpdir T
cat >"$T/server.py" <<'EOF'
import http.server, sys, os
STATE = sys.argv[2]
PAGES = {
    "/": b'<html><body><a href="/a">a</a> <a href="/b">b</a></body></html>',
    "/a": b'<html><body><p>page a</p><a href="/b">b</a></body></html>',
    "/b": b'<html><body><p>page b</p></body></html>',
    "/robots.txt": b"User-agent: *\nDisallow:\n",
}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = PAGES.get(self.path)
        if self.path == "/b" and os.path.exists(STATE):
            body = b'<html><body><p>page b, changed</p></body></html>'
        if body is None:
            self.send_response(404); body = b"no"
        else:
            self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path.endswith(".txt") else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
EOF
python3 "$T/server.py" "$T/port" "$T/changed" 2>"$T/server.err" &
spid=$!
i=0
while [ ! -s "$T/port" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { kill $spid; fail "server: $(cat "$T/server.err")"; }
	sleep 0.1
done
URL=http://127.0.0.1:$(cat "$T/port")
crawl() {
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$URL/" \
		--archive "$T/a" --delay 0 --quiet >"$T/out" 2>&1 ||
		{ kill $spid; fail "crawl: $(cat "$T/out")"; }
}
crawl
crawl_warcs "$T/a" >"$T/first"
touch "$T/changed"
crawl
kill $spid
wait $spid 2>/dev/null
f=$(crawl_warcs "$T/a" | grep -vxF -f "$T/first")
[ -n "$f" ] || fail "no WARC from the second crawl"
"$GOVARCH" ls $f >"$T/ls"
for p in / /a; do
	off=$(awk -F'\t' -v u="$URL$p" '$3 == "revisit" && $5 == u { print $1 }' "$T/ls")
	[ -n "$off" ] || fail "$p is not a revisit: $(cat "$T/ls")"
	"$GOVARCH" cat $f "$off" >"$T/rec"
	grep -q '^WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest' "$T/rec" &&
	grep -q '^WARC-Truncated: length' "$T/rec" &&
	grep -q '^WARC-Refers-To: ' "$T/rec" &&
	grep -q '^WARC-Refers-To-Date: ' "$T/rec" &&
	grep -q '^WARC-Payload-Digest: sha1:' "$T/rec" ||
		fail "$p revisit record: $(cat "$T/rec")"
	grep -q 'page a\|href=' "$T/rec" && fail "$p revisit carries the body"
done
awk -F'\t' -v u="$URL/b" '$3 == "response" && $5 == u' "$T/ls" | grep -q . ||
	fail "changed /b is not a full response: $(cat "$T/ls")"
crawl_verify "$T/a" || fail "verify found problems"
exit 0
