# Helpers for the crawl tests (sourced by tests/cli/test-crawl-*.sh).
# Env from tests/run-all: GOVARCH, SITE_BIN, TOP, O.
set -u
: "${GOVARCH:?}" "${SITE_BIN:?}" "${TOP:?}"

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
[ -x "$SITE_BIN" ] || skip "no $SITE_BIN (replica server not built)"
command -v sqlite3 >/dev/null || skip "sqlite3 not installed"

T=$(mktemp -d "${TMPDIR:-/tmp}/govarch-crawl-test.XXXXXX")
SITE_PID=""
cleanup() {
	[ -n "$SITE_PID" ] && kill "$SITE_PID" 2>/dev/null
	[ -n "${CRAWL_PID:-}" ] && kill -9 "$CRAWL_PID" 2>/dev/null
	wait 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

# crawl_site_start [VERSION [EXTRA ARGS]]: the replica on a free port;
# sets SITE (base URL, no trailing slash) and SITE_LOG.
crawl_site_start() {
	v=${1:-v1}; shift 2>/dev/null || true
	SITE_LOG="$T/site.log"
	rm -f "$T/port"
	"$SITE_BIN" --port 0 --port-file "$T/port" --log "$SITE_LOG" \
		--site-version "$v" "$@" >"$T/site.out" 2>&1 &
	SITE_PID=$!
	i=0
	while [ ! -s "$T/port" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "replica did not start: $(cat "$T/site.out")"
		sleep 0.05
	done
	SITE="http://127.0.0.1:$(cat "$T/port")"
}

crawl_site_version() { # v2
	curl -fsS "$SITE/__control/version?set=$1" >/dev/null || fail "can't switch the replica to $1"
}

# The crawl with the test config: crawl_run ARCHIVE [ARGS...]
crawl_run() {
	a=$1; shift
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$SITE/" --archive "$a" "$@"
}

# URLs with response or revisit records in the WARCs of an archive, with
# counts: "N URL" lines (via govarch ls: offset length type date uri ...).
crawl_captures() { # ARCHIVE
	for f in "$1"/*.warc.zst "$1"/*.warc.gz "$1"/*.warc; do
		[ -f "$f" ] || continue
		"$GOVARCH" ls "$f"
	done | awk '$3 == "response" || $3 == "revisit" { print $5 }' |
		sort | uniq -c | awk '{ print $1, $2 }'
}
