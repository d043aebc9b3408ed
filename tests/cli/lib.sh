# lib.sh: shared helpers for the command-level tests (POSIX sh).
#
#   . "$TOP/tests/cli/lib.sh"
#
#   fail MSG...            print "FAIL: MSG" and exit 1
#   skip MSG...            print MSG as the last line and exit 77
#   tmpdir [VAR]           make a temporary directory, removed on exit; its
#                          path goes into $VAR (default T)
#   site_start VERSION [ARGS...]
#                          start $SITE_BIN (the DPMC replica) serving VERSION
#                          (v1, v2, v3) on a free port of 127.0.0.1, with ARGS
#                          passed on (--crawl-delay N, --robots-status N...);
#                          waits until it answers, then sets SITE_PORT,
#                          SITE_URL (http://127.0.0.1:PORT), SITE_LOG (its
#                          request log, empty at that point), SITE_PID
#   site_stop              stop it (also done on exit)
#   site_version VERSION   switch the running replica to VERSION
#   site_log               the request log without the /__control requests
#   site_list WHAT [VERSION]   ground truth: pages|requisites VERSION,
#                          disallowed, hostile (one path per line, C order)
#   site_changes VA VB     ground truth: KIND<TAB>PATH[<TAB>TARGET] lines
#
# Environment (set by tests/run-all): GOVARCH, SITE_BIN, SHARED, TOP, O.
# Everything started or created here is cleaned up by a trap on EXIT.

: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${O:=build}"
: "${GOVARCH:=$TOP/$O/govarch}"
: "${SITE_BIN:=$TOP/$O/govarch-site}"
export TOP O GOVARCH SITE_BIN

_lib_dirs=""
_lib_pids=""

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

_lib_cleanup() {
	_lib_rc=$?
	for _p in $_lib_pids; do
		kill "$_p" 2>/dev/null
	done
	for _p in $_lib_pids; do
		wait "$_p" 2>/dev/null
	done
	for _d in $_lib_dirs; do
		rm -rf "$_d"
	done
	exit $_lib_rc
}
trap _lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tmpdir() {
	_lib_d=$(mktemp -d "${TMPDIR:-/tmp}/govarch-test.XXXXXX") ||
		fail "cannot create a temporary directory"
	_lib_dirs="$_lib_dirs $_lib_d"
	eval "${1:-T}=\$_lib_d"
}

site_start() {
	[ $# -ge 1 ] || fail "site_start: which version?"
	[ -x "$SITE_BIN" ] || skip "replica server not built: $SITE_BIN"
	command -v curl >/dev/null 2>&1 || skip "curl is not installed"
	_lib_version=$1
	shift
	site_stop
	_lib_site_dir=
	tmpdir _lib_site_dir
	SITE_LOG=$_lib_site_dir/requests.log
	"$SITE_BIN" --port 0 --port-file "$_lib_site_dir/port" \
		--site-version "$_lib_version" --log "$SITE_LOG" "$@" \
		2>"$_lib_site_dir/stderr" &
	SITE_PID=$!
	_lib_pids="$_lib_pids $SITE_PID"
	_lib_i=0
	while [ ! -s "$_lib_site_dir/port" ]; do
		kill -0 "$SITE_PID" 2>/dev/null ||
			fail "govarch-site exited: $(cat "$_lib_site_dir/stderr")"
		_lib_i=$((_lib_i + 1))
		[ $_lib_i -lt 200 ] || fail "govarch-site did not start in 20 s"
		sleep 0.1
	done
	SITE_PORT=$(cat "$_lib_site_dir/port")
	SITE_URL=http://127.0.0.1:$SITE_PORT
	export SITE_PORT SITE_URL SITE_LOG SITE_PID
	_lib_i=0
	until [ "$(curl -fsS "$SITE_URL/__control/version" 2>/dev/null)" = "$_lib_version" ]; do
		_lib_i=$((_lib_i + 1))
		[ $_lib_i -lt 100 ] || fail "govarch-site does not answer on $SITE_URL"
		sleep 0.1
	done
	: >"$SITE_LOG"     # the server appends, so the log starts empty here
}

site_stop() {
	[ -n "${SITE_PID:-}" ] || return 0
	kill "$SITE_PID" 2>/dev/null
	wait "$SITE_PID" 2>/dev/null
	SITE_PID=
}

site_version() {
	[ -n "${SITE_URL:-}" ] || fail "site_version: no site started"
	_lib_answer=$(curl -fsS "$SITE_URL/__control/version?set=$1") ||
		fail "site_version $1: the control request failed"
	[ "$_lib_answer" = "$1" ] || fail "site_version $1: answered '$_lib_answer'"
}

# site_log_reset LOG: empty a site's request log once it holds the check
# request just made (the site logs a request once its answer is sent, which
# may be after curl has it: emptied before, the line would land later)
site_log_reset() {
	_i=0
	until grep -q . "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || fail "$1: the site never logged the check request"
		sleep 0.05
	done
	: >"$1"
}

site_log() {
	awk -F'\t' '$4 !~ /^\/__control\//' "$SITE_LOG"
}

site_list() {
	"$SITE_BIN" --list "$@" || fail "govarch-site --list $*"
}

site_changes() {
	"$SITE_BIN" --changes "$@" || fail "govarch-site --changes $*"
}
