#!/bin/sh
# make check-browser: govarch's output in a real browser (headless Debian
# chromium driven by the npm package playwright-core).
#  1. the replica crawled twice (v1, v2), the second crawl (mostly revisits)
#     exported with `govarch export --wacz`, opened in
#     ReplayWeb.page (npm replaywebpage, its built ui.js and sw.js) served
#     with the WACZ from 127.0.0.1 by serve.mjs (Range requests): wacz.mjs;
#  2. `govarch replay` on the same archive: replay.mjs (skipped, saying so,
#     when this govarch has no replay command).
# npm packages (pinned) go into $O/npm; screenshots into $O/check-browser/.
# Exit 0 pass, 1 fail, 77 skip (npm registry unreachable).
set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${O:=build}"
export TOP O
. "$TOP/tests/cli/lib.sh"
[ -x "$GOVARCH" ] || skip "no $GOVARCH (build first)"
[ -x /usr/bin/chromium ] || skip "no /usr/bin/chromium (./scripts/install-deps chromium)"
command -v node > /dev/null && command -v npm > /dev/null || skip "node and npm are needed"
PW_VERSION=1.65.1
RWP_VERSION=2.5.3
case "$O" in /*) B="$O" ;; *) B="$TOP/$O" ;; esac
NPM=$B/npm
SHOTS=$B/check-browser
mkdir -p "$NPM" "$SHOTS"
start=$(date +%s)

if [ "$(node -p "try{require('$NPM/node_modules/playwright-core/package.json').version}catch(e){''}")" != "$PW_VERSION" ]; then
	npm install --prefix "$NPM" --no-audit --no-fund "playwright-core@$PW_VERSION" > "$NPM/install-pw.log" 2>&1 || {
		tail -3 "$NPM/install-pw.log"
		skip "npm could not install playwright-core@$PW_VERSION (no registry?)"
	}
fi
RWP=$NPM/replaywebpage-$RWP_VERSION
if [ ! -f "$RWP/package/sw.js" ] || [ ! -f "$RWP/package/ui.js" ]; then
	rm -rf "$RWP" && mkdir -p "$RWP"
	(cd "$RWP" && npm pack "replaywebpage@$RWP_VERSION" > pack.log 2>&1 &&
	 tar xzf "replaywebpage-$RWP_VERSION.tgz" package/ui.js package/sw.js) || {
		tail -3 "$RWP/pack.log"
		rm -rf "$RWP"
		skip "npm could not fetch replaywebpage@$RWP_VERSION (no registry?)"
	}
fi
# the scripts beside node_modules, so `import 'playwright-core'` finds it
cp "$TOP"/tests/browser/*.mjs "$NPM/"

tmpdir T
A=$T/arc
site_start v1
"$GOVARCH" crawl -c "$TOP/config/test.conf" --seed "$SITE_URL/" --archive "$A" \
	--set total-timeout=5 --delay 0 > "$T/crawl.out" 2>&1 || fail "crawl: $(tail -3 "$T/crawl.out")"
# a second crawl after the switch to v2: mostly revisits (the WACZ of crawl
# 2 must resolve them), and a calendar with changes on its timeline
site_version v2
"$GOVARCH" crawl --archive "$A" --set total-timeout=5 --delay 0 > "$T/crawl2.out" 2>&1 ||
	fail "crawl 2: $(tail -3 "$T/crawl2.out")"
HOME_URL=$SITE_URL/
# what the archive holds from here on: nothing may come from the live site
site_stop

# ---- 1. the WACZ in ReplayWeb.page ---------------------------------------
W=$T/www
mkdir -p "$W/replay"
"$GOVARCH" export --archive "$A" --wacz "$W/export.wacz" 2> "$T/export.err" || fail "export: $(cat "$T/export.err")"
cp "$RWP/package/ui.js" "$W/ui.js"
cp "$RWP/package/sw.js" "$W/replay/sw.js"
cat > "$W/index.html" <<HTML
<!doctype html>
<html><head><meta charset="utf-8"><title>govarch WACZ</title>
<script src="/ui.js"></script>
<style>html, body { margin: 0; height: 100%; } replay-web-page { display: block; height: 100vh; }</style>
</head><body>
<replay-web-page source="/export.wacz" url="$HOME_URL" replayBase="/replay/" embed="replayonly"></replay-web-page>
</body></html>
HTML
TITLE=$(unzip -p "$W/export.wacz" pages/pages.jsonl |
	node -e 'const l=require("fs").readFileSync(0,"utf8").split("\n").slice(1).filter(Boolean).map(JSON.parse);const p=l.find(x=>x.url===process.argv[1]);console.log(p?p.title:"")' "$HOME_URL")
[ -n "$TITLE" ] || fail "the home page is not in pages.jsonl"
node "$NPM/serve.mjs" "$W" > "$T/serve.out" 2>&1 &
_lib_pids="$_lib_pids $!"
i=0
while ! grep -q '^port ' "$T/serve.out"; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "serve.mjs did not start: $(cat "$T/serve.out")"
	sleep 0.1
done
PORT=$(sed -n 's/^port //p' "$T/serve.out")
node "$NPM/wacz.mjs" "http://127.0.0.1:$PORT" "$HOME_URL" "$TITLE" \
	"Prime Minister" "$SHOTS/wacz.png" || fail "ReplayWeb.page did not show the exported home page"

# ---- 2. govarch replay in the browser ---------------------------------------
if "$GOVARCH" help replay > /dev/null 2>&1; then
	RP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$GOVARCH" replay --archive "$A" --port "$RP" > "$T/replay.out" 2>&1 &
	_lib_pids="$_lib_pids $!"
	i=0
	until curl -s -o /dev/null "http://127.0.0.1:$RP/"; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "govarch replay did not start: $(cat "$T/replay.out")"
		sleep 0.1
	done
	TS=$("$GOVARCH" crawls --archive "$A" --format json |
		node -e 'const c=JSON.parse(require("fs").readFileSync(0,"utf8"));const x=Array.isArray(c)?c:c.crawls;console.log(x[x.length-1].start.replace(/[^0-9]/g,"").slice(0,14))')
	node "$NPM/replay.mjs" "http://127.0.0.1:$RP" "$TS" "$HOME_URL" "$SHOTS" ||
		fail "govarch replay in the browser"
else
	echo "skip: replay part: this govarch has no 'replay' command"
fi
echo "check-browser: $(($(date +%s) - start)) s"
echo ok
