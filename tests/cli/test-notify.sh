#!/bin/sh
# Notifications after a crawl that found changes:
#  - the first crawl (nothing to compare with) notifies nobody;
#  - after the replica changes (v1 -> v2) the next crawl POSTs the report to
#    `notify` (a local receiver answering 503 once: the one retry gets it)
#    with Content-Type application/json and the crawl's User-Agent, and
#    feeds it to `notify-command`: both exactly `govarch changes --from 1
#    --to 2 --format json`; the crawl log has a "notify" line for each;
#  - a receiver that is not there and a command exiting 3 (v2 -> v3): the
#    crawl still exits 0, says so in one line on stderr, and logs
#    notify-failed lines.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

tmpdir T
A=$T/archive
R=$T/receiver
mkdir "$R"
site_start v1

cat >"$T/receiver.py" <<'PY'
import http.server, os, sys

out, fail_first = sys.argv[1], int(sys.argv[2])

class Receiver(http.server.BaseHTTPRequestHandler):
    n = 0

    def do_POST(self):
        Receiver.n += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(os.path.join(out, "requests"), "a") as f:
            f.write("%s %s\t%s\t%s\n" % (self.command, self.path,
                    self.headers.get("Content-Type"),
                    self.headers.get("User-Agent")))
        if Receiver.n <= fail_first:
            self.send_response(503)
            self.end_headers()
            return
        with open(os.path.join(out, "body.%d" % Receiver.n), "wb") as f:
            f.write(body)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
with open(os.path.join(out, "port.tmp"), "w") as f:
    f.write(str(server.server_port))
os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
server.serve_forever()
PY
python3 "$T/receiver.py" "$R" 1 2>"$T/receiver.err" &
_lib_pids="$_lib_pids $!"
i=0
until [ -s "$R/port" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "receiver did not start: $(cat "$T/receiver.err")"
	sleep 0.1
done
RURL=http://127.0.0.1:$(cat "$R/port")/hook

crawl() { # [OPTIONS...]: a fast crawl of the replica; exit 0 or 3 expected
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$SITE_URL/" \
		--archive "$A" --delay 0 --set delay-factor=0 \
		--set 'exclude=/stream/' --quiet "$@" >"$T/crawl.out" 2>"$T/crawl.err"
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 3 ] ||
		fail "crawl exited $rc: $(tail -n 5 "$T/crawl.err")"
}

crawl --set "notify=$RURL" --set "notify-command=cat >'$T/mail'"
[ ! -e "$R/requests" ] || fail "first crawl notified: $(cat "$R/requests")"
[ ! -e "$T/mail" ] || fail "first crawl ran the command"

site_version v2
crawl --set "notify=$RURL" --set "notify-command=cat >'$T/mail'"
[ ! -s "$T/crawl.err" ] || fail "crawl 2 stderr: $(cat "$T/crawl.err")"
"$GOVARCH" changes --archive "$A" --from 1 --to 2 --format json >"$T/want" ||
	fail "changes 1 2"
[ "$(wc -c <"$T/want")" -gt 100 ] || fail "no changes between v1 and v2?"
ua="govarch-test/$("$GOVARCH" --version | cut -d' ' -f2) (+https://github.com/govarch/govarch/tests)"
printf 'POST /hook\tapplication/json\t%s\nPOST /hook\tapplication/json\t%s\n' \
	"$ua" "$ua" >"$T/requests.want"
cmp -s "$T/requests.want" "$R/requests" ||
	fail "requests: $(cat "$R/requests")"
cmp -s "$T/want" "$R/body.2" || fail "POSTed report differs from changes --format json"
cmp -s "$T/want" "$T/mail" || fail "the command's input differs from changes --format json"
crawl_log "$A" 2 | grep -c " notify\$" | grep -qx 2 ||
	fail "crawl log: $(crawl_log "$A" 2 | grep notify)"

site_version v3
crawl --set notify=http://127.0.0.1:1/hook --set 'notify-command=exit 3'
[ "$(wc -l <"$T/crawl.err")" -eq 1 ] &&
	grep -q '^govarch: crawl: notification failed: POST http://127.0.0.1:1/hook failed twice' "$T/crawl.err" ||
	fail "crawl 3 stderr: $(cat "$T/crawl.err")"
crawl_log "$A" 3 | grep -q ' http://127.0.0.1:1/hook .* notify-failed:unreachable$' &&
	crawl_log "$A" 3 | grep -q ' command: .* notify-failed:exit-3$' ||
	fail "crawl log: $(crawl_log "$A" 3 | grep notify)"
echo "notified by POST (after one 503) and by command; failures logged, crawl exit 0"
exit 0
