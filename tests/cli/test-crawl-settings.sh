#!/bin/sh
# An archive remembers its crawl, and a crawl checks its settings first:
#  - a seed outside the scope, a scope-prefix without a scheme, and the
#    example contact on a crawl of a host other than loopback exit 2 with
#    one exact line, and create nothing;
#  - --dry-run prints every key, its value and where it came from;
#  - a crawl with --delay 0.3 --max-pages 40, stopped by SIGTERM, resumed
#    with a bare --resume, keeps delay 0.3 and max-pages 40 (every warcinfo
#    says so, and it stops at 40 captures);
#  - a plain `govarch crawl --archive A` repeats the saved crawl of the local
#    replica (its server sees the requests; the real site is never named);
#  - other seeds need --reconfigure; an unfinished crawl resumes with its
#    saved settings and says the options given are not used.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
C=$TOP/config/test.conf
site_start v1
HOST=127.0.0.1:$SITE_PORT

# expect_fail2 WANT CMD...: exit 2 and exactly the one line WANT on stderr
expect_fail2() {
	_want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	_rc=$?
	[ $_rc -eq 2 ] || fail "$*: exit $_rc, not 2: $(cat "$T/err")"
	[ "$(cat "$T/err")" = "$_want" ] ||
		fail "$*: stderr '$(cat "$T/err")', want '$_want'"
}

# ---- checks before anything is fetched -----------------------------------------
expect_fail2 "govarch: crawl: seed $SITE_URL/ is outside the scope (scope-prefix $SITE_URL/py)" \
	"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/" --scope "$SITE_URL/py" --archive "$A"
expect_fail2 "govarch: crawl: --scope: scope-prefix '$HOST/py': give a path (/news/) or a URL with its scheme (http://$HOST/py)" \
	"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/" --scope "$HOST/py" --archive "$A"
expect_fail2 "govarch: crawl: contact is still the example value 'https://github.com/govarch/govarch; archive@example.org': set contact (in the config, or --set contact=...) to a URL or mail address where the operators of https://www.dpmc.govt.nz/ can reach you" \
	"$GOVARCH" crawl --archive "$A"
expect_fail2 "govarch: crawl: contact is still the example value 'https://github.com/govarch/govarch': set contact (in the config, or --set contact=...) to a URL or mail address where the operators of http://192.0.2.7/ can reach you" \
	"$GOVARCH" crawl -c "$C" --seed http://192.0.2.7/ --set contact=https://github.com/govarch/govarch --archive "$A"
[ ! -e "$A" ] || fail "a refused crawl created $A"
# the example contact is fine on loopback
"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/" --set contact=ops@example.org \
	--dry-run --archive "$A" >/dev/null 2>"$T/err" ||
	fail "loopback crawl with the example contact refused: $(cat "$T/err")"

# ---- --dry-run ----------------------------------------------------------------------
cat >"$T/small.conf" <<'CONF'
# a small config
seed = http://127.0.0.1:1/
exclude = /private/
delay = 0.1
max-pages = 30
contact = https://archive.test-operator.nz/contact
name = site
main = //main
CONF
(cd "$T" && "$GOVARCH" crawl --dry-run -c small.conf --seed "$SITE_URL/" \
	--set max-pages=20 --archive none) >"$T/dry" 2>"$T/err" ||
	fail "--dry-run: $(cat "$T/err")"
sed "s/@HOST@/$HOST/g" "$TOP/tests/cli/expected/crawl-dry-run.txt" >"$T/dry.want"
cmp -s "$T/dry" "$T/dry.want" ||
	fail "--dry-run output differs: $(diff "$T/dry.want" "$T/dry" | head -n 10)"
[ ! -e "$T/none" ] || fail "--dry-run created the archive"
[ -n "$(site_log)" ] && fail "--dry-run made requests: $(site_log | head -n 3)"

# ---- resume keeps the interrupted crawl's delay and limits ---------------------------
"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/" --delay 0.3 --max-pages 40 \
	--set total-timeout=5 --archive "$A" >"$T/run1" 2>&1 &
pid=$!
_lib_pids="$_lib_pids $pid"
i=0
until [ "$(crawl_log "$A" 1 | grep -c ' ok')" -ge 5 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "crawl 1 made no progress: $(cat "$T/run1")"
	sleep 0.1
done
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "SIGTERM: exit $rc: $(cat "$T/run1")"
"$GOVARCH" crawl --resume --archive "$A" --quiet >"$T/run2" 2>&1 ||
	fail "resume: $(cat "$T/run2")"
grep -q '^govarch: crawl: resuming interrupted crawl 1$' "$T/run2" ||
	fail "no resume message: $(cat "$T/run2")"
"$GOVARCH" crawls --archive "$A" | awk '{ print $1, $4, $6 }' >"$T/crawls"
[ "$(cat "$T/crawls")" = "1 40 partial" ] ||
	fail "crawl 1 should end partial (at max-pages 40) with 40 pages: $(cat "$T/crawls")"
# each run wrote its own file opening with a warcinfo; once the crawl is
# finished (partial too), compaction (compact-level) repacks them as one
# file holding every record, those warcinfos included
ninfo=0
for f in $(crawl_warcs "$A"); do
	for off in $("$GOVARCH" ls "$f" | awk -F'\t' '$3 == "warcinfo" { print $1 }'); do
		ninfo=$((ninfo + 1))
		"$GOVARCH" cat "$f" "$off" >"$T/info" || fail "cat $f $off"
		grep -q '^govarch-config-delay: 0.3' "$T/info" &&
			grep -q '^govarch-config-max-pages: 40' "$T/info" ||
			fail "$f: warcinfo without delay 0.3 / max-pages 40: $(grep -a 'config-delay\|max-pages' "$T/info")"
	done
done
[ $ninfo -ge 2 ] || fail "expected a warcinfo record per run, found $ninfo"
grep -q "^seed = $SITE_URL/\$" "$A/crawl.conf" &&
	grep -q '^delay = 0.3$' "$A/crawl.conf" ||
	fail "crawl.conf: $(cat "$A/crawl.conf")"

# ---- a plain crawl repeats the saved one -------------------------------------------------
: >"$SITE_LOG"
"$GOVARCH" crawl --archive "$A" --quiet >"$T/run3" 2>&1 ||
	fail "plain crawl: $(cat "$T/run3")"
[ "$(site_log | awk -F'\t' '$4 == "/" { n++ } END { print n + 0 }')" -ge 1 ] ||
	fail "the plain crawl did not request the replica's home page"
crawl_log "$A" 2 | grep -q dpmc.govt.nz &&
	fail "the plain crawl went to the real site: $(crawl_log "$A" 2 | grep -m 3 dpmc.govt.nz)"
"$GOVARCH" crawls --archive "$A" | awk '{ print $1, $4, $6 }' >"$T/crawls"
[ "$(sed -n 2p "$T/crawls")" = "2 40 partial" ] ||
	fail "crawl 2 should repeat max-pages 40: $(cat "$T/crawls")"

# ---- other seeds need --reconfigure ----------------------------------------------------------
expect_fail2 "govarch: crawl: $A is crawled with other seeds or scope (seed $SITE_URL/ dropped; saved in $A/crawl.conf): give --reconfigure to change them, or no -c/--seed/--scope to repeat its crawl" \
	"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/news/" --archive "$A"
"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/news/" --reconfigure --dry-run \
	--archive "$A" >/dev/null 2>"$T/err" || fail "--reconfigure: $(cat "$T/err")"
# the same flags as the saved crawl (a cron line) are fine
"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/" --dry-run --archive "$A" \
	>/dev/null 2>"$T/err" || fail "same seeds refused: $(cat "$T/err")"

# ---- an unfinished crawl resumes with its saved settings ---------------------------------------
"$GOVARCH" crawl --archive "$A" >"$T/run4" 2>&1 &
pid=$!
_lib_pids="$_lib_pids $pid"
i=0
until [ "$(crawl_log "$A" 3 | grep -c ' ok\| not-modified')" -ge 2 ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "crawl 3 made no progress: $(cat "$T/run4")"
	sleep 0.1
done
kill -TERM $pid
wait $pid
"$GOVARCH" crawl --archive "$A" --delay 0.05 --dry-run >"$T/dry3" 2>"$T/err" ||
	fail "--dry-run of the unfinished crawl: $(cat "$T/err")"
grep -q "^# archive $A: crawl 3 is unfinished; it resumes with its saved settings\$" "$T/dry3" &&
	grep -q "$(printf '^delay\t0.3\t')" "$T/dry3" ||
	fail "unfinished crawl's dry run: $(head -n 4 "$T/dry3"; grep '^delay' "$T/dry3")"
[ "$(cat "$T/err")" = "govarch: crawl: the options given are not used: the unfinished crawl resumes with its saved settings" ] ||
	fail "no note about unused options: $(cat "$T/err")"
expect_fail2 "govarch: crawl: crawl 3 is unfinished: resume it (govarch crawl --archive $A) before changing its seeds or scope" \
	"$GOVARCH" crawl -c "$C" --seed "$SITE_URL/news/" --reconfigure --archive "$A"
echo "saved settings: resumed and repeated with delay 0.3, max-pages 40"
exit 0
