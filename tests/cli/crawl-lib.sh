# crawl-lib.sh: helpers shared by tests/cli/test-crawl-*.sh (sourced after
# lib.sh).  Not a test itself (run-all runs only test-*.sh).

[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
command -v sqlite3 >/dev/null 2>&1 || true

# crawl_run ARCHIVE [ARGS...]: the test config against the running replica.
crawl_run() {
	_a=$1
	shift
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$SITE_URL/" \
		--archive "$_a" --set total-timeout=5 "$@"
}

# A crawl's log: plain while the crawl runs or after an interruption,
# crawl-ID.log.zst once it has finished.
crawl_log() { # ARCHIVE ID
	cat "$1/logs/crawl-$2.log" 2>/dev/null ||
		zstdcat "$1/logs/crawl-$2.log.zst" 2>/dev/null
}

# The WARC files of an archive, one per line, in name order.
crawl_warcs() { # ARCHIVE
	ls "$1" | grep -E '\.warc(\.gz|\.zst)?$' | sed "s|^|$1/|"
}

# "TYPE URL" for every response and revisit record of the given files.
crawl_captures() { # FILE...
	for _f in "$@"; do
		"$GOVARCH" ls "$_f" || fail "ls $_f"
	done | awk -F'\t' '$3 == "response" || $3 == "revisit" { print $3, $5 }'
}

# Paths (and queries) of URLs on the replica, read from stdin.
crawl_paths() {
	sed "s|^$SITE_URL||"
}

# govarch verify on an archive must find no problem (notes are fine: a body
# the crawler cut on purpose is a note).  Prints the problems on failure.
crawl_verify() { # ARCHIVE
	"$GOVARCH" verify "$1" >"$T/verify.out" 2>&1 && return 0
	grep -v ': note: ' "$T/verify.out"
	return 1
}

# crawl_bg ARCHIVE OUTFILE [ARGS...]: crawl_run in the background; the
# crawler's own pid in CRAWL_PID.
crawl_bg() {
	_a=$1
	_o=$2
	shift 2
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$SITE_URL/" \
		--archive "$_a" --set total-timeout=5 "$@" >"$_o" 2>&1 &
	CRAWL_PID=$!
	# stopped by lib.sh's exit trap too, should the test fail first
	_lib_pids="$_lib_pids $CRAWL_PID"
}

# Each HTML page the crawl fetched was parsed exactly once: the summary's
# "html: N pages, M parses" has M = N = the 2xx text/html response records
# it wrote (revisits are not parsed: their links come from the catalog).
crawl_parsed_once() { # SUMMARY-FILE WARC...
	_s=$1
	shift
	_l=$(grep '^html: [0-9]* pages, [0-9]* parses$' "$_s") ||
		fail "no 'html: N pages, N parses' line in the crawl summary"
	_pages=$(echo "$_l" | cut -d' ' -f2)
	_parses=$(echo "$_l" | cut -d' ' -f4)
	_recs=$(for _f in "$@"; do "$GOVARCH" ls "$_f"; done | awk -F'\t' '
		$3 == "response" && $6 ~ /^2/ &&
		($7 == "text/html" || $7 == "application/xhtml+xml")' | wc -l)
	[ "$_pages" -gt 0 ] || fail "no HTML page fetched: $_l"
	[ "$_parses" -eq "$_pages" ] || fail "HTML parsed more than once: $_l"
	[ "$_pages" -eq "$_recs" ] ||
		fail "$_l, but $_recs HTML response records written"
}

# The catalog's answers, in one file: `crawls`, the `history` of several
# replica URLs and `changes` (when two crawls are complete), each exactly
# as printed, so two catalogs (live, rebuilt) can be compared byte for byte.
crawl_answers() { # ARCHIVE OUTFILE
	{
		echo "## crawls"
		"$GOVARCH" crawls --archive "$1" || echo "crawls: exit $?"
		for _p in / /about-dpmc /about-dpmc/careers /news /robots.txt; do
			echo "## history $_p"
			"$GOVARCH" history --archive "$1" "$SITE_URL$_p" ||
				echo "history: exit $?"
		done
		echo "## changes"
		"$GOVARCH" changes --archive "$1" 2>&1 || echo "changes: exit $?"
		echo "## changes json"
		"$GOVARCH" changes --archive "$1" --format json 2>&1 ||
			echo "changes: exit $?"
	} >"$2"
}

# The WARC files of crawl ID: those whose warcinfo says isPartOf
# govarch-crawl-ID.
crawl_files_of() { # ARCHIVE ID
	for _f in $(crawl_warcs "$1"); do
		_off=$("$GOVARCH" ls "$_f" | awk -F'\t' '$3 == "warcinfo" { print $1; exit }')
		[ -n "$_off" ] && "$GOVARCH" cat "$_f" "$_off" 2>/dev/null | tr -d '\r' |
			grep -qx "isPartOf: govarch-crawl-$2" && echo "$_f"
	done
}

# replay_start ARCHIVE OUT: `govarch replay` on a free port, its output in
# OUT; sets RPID and R (its base URL, http://127.0.0.1:PORT) once it says
# where it listens
replay_start() {
	"$GOVARCH" replay --archive "$1" --port 0 >"$2" 2>"$2.err" &
	RPID=$!
	_lib_pids="$_lib_pids $RPID"
	_i=0
	until grep -qs '^replaying ' "$2"; do
		kill -0 $RPID 2>/dev/null || fail "replay exited: $(cat "$2.err")"
		_i=$((_i + 1))
		[ $_i -lt 100 ] || fail "replay did not start: $(cat "$2" "$2.err")"
		sleep 0.1
	done
	_port=$(sed -n 's|^replaying .* on http://127.0.0.1:\([0-9]*\)/ .*|\1|p' "$2")
	[ -n "$_port" ] || fail "no port in: $(cat "$2")"
	R=http://127.0.0.1:$_port
}
