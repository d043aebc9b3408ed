#!/bin/sh
# The PDF reader's server process (src/diff/pdf-server.c), forked when a
# crawl starts, reads every document through a child of its own:
#  - killed with SIGKILL during a crawl, it is started again and every
#    document still gets its text (no note), the crawl completes;
#  - a kill -9 of the crawl leaves no process of it behind.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
site_start v1
site_list requisites v1 | grep '\.pdf$' | head -n 20 >"$T/pdfs"
[ "$(wc -l <"$T/pdfs")" -eq 20 ] || fail "too few PDFs on the replica"
SCOPE=/sites/default/files/
set --
while IFS= read -r p; do
	set -- "$@" --seed "$SITE_URL$p"
done <"$T/pdfs"

# the crawl's server: its child named govarch-pdf, waited for (20 s at most)
server_of() { # PID
	_i=0
	while :; do
		_s=$(pgrep -x -P "$1" govarch-pdf | head -n 1)
		[ -n "$_s" ] && { echo "$_s"; return 0; }
		kill -0 "$1" 2>/dev/null || return 1
		_i=$((_i + 1))
		[ $_i -lt 200 ] || return 1
		sleep 0.1
	done
}

# crawl_pdfs ARCHIVE OUT SEED-OPTIONS...: the crawl of the PDFs, in the
# background (C: its pid), and S: its server
crawl_pdfs() {
	_a=$1 _o=$2
	shift 2
	"$GOVARCH" crawl -c "$TOP/config/test.conf" --archive "$_a" \
		--scope "$SCOPE" "$@" --delay 0.3 >"$_o" 2>&1 &
	C=$!
	_lib_pids="$_lib_pids $C"
	S=$(server_of "$C") || fail "no govarch-pdf process under the crawl of $_a"
}

gone() { # PID: exited (or a zombie waiting for its reaper)
	_st=$(ps -o stat= -p "$1" 2>/dev/null)
	case "$_st" in ''|Z*) return 0 ;; esac
	return 1
}

# 1. the server killed: restarted, every document read
A=$T/a
crawl_pdfs "$A" "$T/out1" "$@"
kill -9 "$S"
wait "$C" || fail "crawl exited $?: $(tail -n 5 "$T/out1")"
grep -q '^crawl 1 complete: ' "$T/out1" || fail "no summary: $(cat "$T/out1")"
while IFS= read -r p; do
	got=$("$GOVARCH" history --archive "$A" "$SITE_URL$p" | sed 1d | cut -f2-)
	[ "$got" = "1	200	-	first" ] || fail "history $p: '$got'"
done <"$T/pdfs"

# 2. kill -9 of the crawl: its server and the server's children go too
B=$T/b
crawl_pdfs "$B" "$T/out2" "$@"
sleep 1
kids=$(pgrep -P "$S" | tr '\n' ' ')
kill -9 "$C"
wait "$C" 2>/dev/null
i=0
for p in $S $kids; do
	while ! gone "$p"; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "process $p of the killed crawl still runs: $(ps -o pid,stat,comm -p "$p")"
		sleep 0.1
	done
done
exit 0
