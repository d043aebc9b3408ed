#!/bin/sh
# govarch replay over two crawls of the replica (v1, then v2 with v1's menu so
# unchanged pages are revisits), queried with curl:
#  - /TS/URL: the exact capture (200), a nearby time redirected (302) to the
#    nearest capture (ties: the earlier), timestamp prefixes;
#  - id_ bytes equal `govarch cat --payload` (page, image, script);
#  - a revisit replayed from its original with its own date;
#  - the home page's links rewritten: the exact set of <a href>, nothing
#    left pointing outside the archive; CSS url() rewritten; the banner;
#  - an archived 301 replayed as a redirect inside the archive;
#  - a page archived gzip-encoded served decoded (id_ too) and rewritten;
#  - Memento headers, TimeGate, timemaps (link, json) exact;
#  - /cdx exact against `govarch index --cdxj`;
#  - hostile requests get their 4xx; a URL never captured 404;
#  - the server, started after the first crawl, answers while the second
#    crawl writes, and sees its captures without a restart.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
A=$T/archive
site_start v1 --menu-from v1
crawl_run "$A" --delay 0.02 --set exclude=/stream/ --set exclude=/reports/ \
	--quiet >"$T/out1" 2>&1 || fail "first crawl: $(tail -n 5 "$T/out1")"
U=$SITE_URL

# the server starts after the first crawl and keeps serving while the
# second one writes (the catalog read-only, answers rendered and cached)
replay_start "$A" "$T/replay.out"
RPORT=${R##*:}
curl -s -o "$T/during.1" -w '%{http_code}' -L "$R/2999/$U/" >"$T/during.code"
[ "$(cat "$T/during.code")" = 200 ] || fail "replay after crawl 1: $(cat "$T/during.code")"
site_version v2
crawl_bg "$A" "$T/out2" --delay 0.02 --set exclude=/stream/ --set exclude=/reports/ --quiet
n=0
while kill -0 $CRAWL_PID 2>/dev/null; do
	c=$(curl -s -o /dev/null -w '%{http_code}' -L "$R/2999/$U/")
	[ "$c" = 200 ] || fail "replay during crawl 2 answered $c"
	n=$((n + 1))
	sleep 0.2
done
wait $CRAWL_PID || fail "second crawl: $(tail -n 5 "$T/out2")"
[ $n -gt 3 ] || fail "only $n requests while the crawl ran"
[ ! -s "$T/replay.err" ] || fail "replay wrote on stderr: $(cat "$T/replay.err")"

get() { curl -s --path-as-is "$R$1"; }
code() { curl -s --path-as-is -o /dev/null -w '%{http_code}' "$@"; }
# the response headers (lower-case names, no CR), for a GET of $1
heads() { curl -s --path-as-is -D - -o /dev/null "$R$1" | tr -d '\r'; }
header() { # PATH NAME: one header's value
	heads "$1" | awk -v n="$2" 'BEGIN { n = tolower(n) ": " }
		index(tolower($0), n) == 1 { print substr($0, length(n) + 1) }'
}
ts14() { echo "$1" | tr -d -- '-:TZ'; }
httpdate() { date -u -d "$1" '+%a, %d %b %Y %H:%M:%S GMT'; }
epoch() { date -u -d "$(echo "$1" | sed -E 's/(....)(..)(..)(..)(..)(..)/\1-\2-\3 \4:\5:\6/')" +%s; }
ts_at() { date -u -d "@$1" +%Y%m%d%H%M%S; }
expect() { # WHAT EXPECTED ACTUAL
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}
"$GOVARCH" index --archive "$A" --cdxj >"$T/cdxj" || fail "index --cdxj"
# cdxj FIELD LINE
cdxj_field() { echo "$2" | sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p"; }

# ---- the home page: two captures, the second a revisit ----------------------
# (history names the URL it matched on a "# URL" line first)
"$GOVARCH" history --archive "$A" "$U/" >"$T/hist.all"
[ "$(sed -n 1p "$T/hist.all")" = "# $U/" ] || fail "home history URL line: $(sed -n 1p "$T/hist.all")"
grep -v '^#' "$T/hist.all" >"$T/hist"
[ "$(wc -l <"$T/hist")" -eq 2 ] || fail "home history: $(cat "$T/hist")"
D1=$(sed -n 1p "$T/hist" | cut -f1)
D2=$(sed -n 2p "$T/hist" | cut -f1)
T1=$(ts14 "$D1")
T2=$(ts14 "$D2")
E1=$(epoch "$T1")
E2=$(epoch "$T2")
[ $((E2 - E1)) -ge 4 ] || fail "crawls too close: $T1 $T2"
L1=$(grep "^1,0,0,127:$SITE_PORT)/ $T1 " "$T/cdxj")
L2=$(grep "^1,0,0,127:$SITE_PORT)/ $T2 " "$T/cdxj")
[ -n "$L1" ] && [ -n "$L2" ] || fail "home not in index --cdxj"
expect "second capture is a revisit" warc/revisit "$(cdxj_field mime "$L2")"

expect "exact capture" 200 "$(code "$R/$T1/$U/")"
expect "exact capture (revisit)" 200 "$(code "$R/$T2/$U/")"
# nearest: one second off each, the midpoint (tie: the earlier), after both
expect "near T1" "/$T1/$U/" "$(header "/$(ts_at $((E1 + 1)))/$U/" Location)"
expect "near T2" "/$T2/$U/" "$(header "/$(ts_at $((E2 - 1)))/$U/" Location)"
MID=$(( (E1 + E2) / 2 ))
if [ $(( (E1 + E2) % 2 )) -eq 0 ]; then
	expect "tie" "/$T1/$U/" "$(header "/$(ts_at $MID)/$U/" Location)"
fi
expect "redirect status" 302 "$(code "$R/$(ts_at $((E1 + 1)))/$U/")"
# prefixes: the year (its first moment: the first capture), far future
Y=$(echo "$T1" | cut -c1-4)
expect "prefix $Y" "/$T1/$U/" "$(header "/$Y/$U/" Location)"
expect "prefix 2999" "/$T2/$U/" "$(header "/2999/$U/" Location)"
expect "prefix minute of T2" "/$T2/$U/" \
	"$(header "/$(ts_at $((E2 + 60)) | cut -c1-12)/$U/" Location)"
# modifiers keep their place in the redirect
expect "mp_ redirect" "/${T1}mp_/$U/" "$(header "/${Y}mp_/$U/" Location)"

# id_: the archived payload, byte for byte
F1=$(cdxj_field filename "$L1")
O1=$(cdxj_field offset "$L1")
"$GOVARCH" cat --payload "$A/$F1" "$O1" >"$T/home.payload" || fail "cat"
get "/${T1}id_/$U/" >"$T/home.id"
cmp -s "$T/home.payload" "$T/home.id" || fail "id_ bytes differ from cat --payload"
# the revisit: the original's bytes
get "/${T2}id_/$U/" >"$T/home2.id"
cmp -s "$T/home.payload" "$T/home2.id" || fail "revisit id_ is not the original's payload"
grep -q govarch-banner "$T/home.id" && fail "a banner in id_"
CT1=$("$GOVARCH" cat "$A/$F1" "$O1" | tr -d '\r' | grep -i '^content-type: ' | tail -n 1 | cut -d' ' -f2-)
expect "id_ content type (as archived)" "$CT1" \
	"$(header "/${T1}id_/$U/" Content-Type)"

# ---- rewritten page ----------------------------------------------------------
get "/$T1/$U/" >"$T/home.html"
grep -q 'id="govarch-banner"' "$T/home.html" || fail "no banner in the replayed page"
[ "$(grep -c 'id="govarch-banner"' "$T/home.html")" -eq 1 ] || fail "banner twice"
hrefs() { grep -o '<a [^>]*>' | sed -n 's/.* href="\([^"]*\)".*/\1/p' | LC_ALL=C sort -u; }
hrefs <"$T/home.payload" | awk -v ts="$T1" -v u="$U" '
	/^#/ { print; next }
	/^\/\// { print "/" ts "/http:" $0; next }
	/^\// { print "/" ts "/" u $0; next }
	/^https?:/ { print "/" ts "/" $0; next }
	{ print "unexpected original href " $0 }' | LC_ALL=C sort -u >"$T/hrefs.want"
[ "$(wc -l <"$T/hrefs.want")" -gt 20 ] || fail "too few links on the home page"
# exact on the page without the banner (if_: a frame's rewriting, no
# banner); with the banner, the page's links are all there too (the banner's
# own are the views' business)
get "/${T1}if_/$U/" >"$T/home.if"
grep -q govarch-banner "$T/home.if" && fail "a banner in if_"
hrefs <"$T/home.if" >"$T/hrefs.got"
diff "$T/hrefs.want" "$T/hrefs.got" >"$T/hrefs.diff" ||
	fail "rewritten links differ: $(head -n 10 "$T/hrefs.diff")"
hrefs <"$T/home.html" | LC_ALL=C comm -23 "$T/hrefs.want" - >"$T/hrefs.missing"
[ ! -s "$T/hrefs.missing" ] ||
	fail "links missing from the page with its banner: $(head -n 5 "$T/hrefs.missing")"
# nothing (href, src, srcset, action, poster, url()) leaves the archive
grep -oE '(href|src|srcset|action|poster|content)="[^"]*"' "$T/home.html" |
	grep -E '="(https?:)?//' >"$T/outside"
[ ! -s "$T/outside" ] || fail "references outside the archive: $(head -n 5 "$T/outside")"
grep -q "href=\"/${T1}cs_/$U/themes/custom/dpmc/css/style.css\"" "$T/home.html" ||
	fail "stylesheet link not rewritten with cs_"
# the revisit replays the same page with its own timestamp
get "/$T2/$U/" | grep -o "href=\"/$T2/$U/news\"" | head -n 1 >"$T/rev.href"
expect "revisit links" "href=\"/$T2/$U/news\"" "$(cat "$T/rev.href")"

# ---- requisites ---------------------------------------------------------------
CSS=$U/themes/custom/dpmc/css/style.css
LC=$(grep "\"url\": \"$CSS\"" "$T/cdxj" | head -n 1)
[ -n "$LC" ] || fail "stylesheet not archived"
TC=$(echo "$LC" | cut -d' ' -f2)
expect "css" 200 "$(code "$R/${TC}cs_/$CSS")"
expect "css type" "text/css" "$(header "/${TC}cs_/$CSS" Content-Type | cut -d';' -f1)"
get "/${TC}cs_/$CSS" >"$T/style.css"
"$GOVARCH" cat --payload "$A/$(cdxj_field filename "$LC")" "$(cdxj_field offset "$LC")" >"$T/style.orig"
grep -o 'url([^)]*)' "$T/style.orig" | sed 's/url(["'\'']*//; s/["'\'']*)$//' |
	grep -v '^data:' | while read -r ref; do
	case $ref in
	/*) echo "/${TC}im_/$U$ref" ;;
	../*) echo "/${TC}im_/$U/themes/custom/dpmc/${ref#../}" ;;
	*) echo "/${TC}im_/$U/themes/custom/dpmc/css/$ref" ;;
	esac
done | LC_ALL=C sort -u >"$T/css.want"
[ -s "$T/css.want" ] || fail "no url() in the replica's stylesheet"
grep -o 'url([^)]*)' "$T/style.css" | sed 's/url(["'\'']*//; s/["'\'']*)$//' |
	grep -v '^data:' | LC_ALL=C sort -u >"$T/css.got"
diff "$T/css.want" "$T/css.got" >"$T/css.diff" ||
	fail "CSS url() not rewritten as expected: $(head -n 6 "$T/css.diff")"
# an image and a script: served as archived (id_ and im_/js_ alike)
for ext in png js; do
	LI=$(grep "\"url\": \"$U/[^\"]*\.$ext\"" "$T/cdxj" | grep -v warc/revisit | head -n 1)
	[ -n "$LI" ] || fail "no .$ext archived"
	UI=$(cdxj_field url "$LI")
	TI=$(echo "$LI" | cut -d' ' -f2)
	"$GOVARCH" cat --payload "$A/$(cdxj_field filename "$LI")" "$(cdxj_field offset "$LI")" >"$T/req.orig"
	for m in id_ im_ js_; do
		get "/$TI$m/$UI" >"$T/req.got"
		cmp -s "$T/req.orig" "$T/req.got" || fail "$m of $UI differs from the archived bytes"
	done
done

# ---- an archived redirect -------------------------------------------------------
site_changes v1 v2 >"$T/changes"
awk -F'\t' '$1 == "redirected" || $1 == "moved" { print $2 "\t" $3; exit }' "$T/changes" >"$T/moved"
[ -s "$T/moved" ] || fail "no moved or redirected page between v1 and v2"
MP=$(cut -f1 "$T/moved")
MT=$(cut -f2 "$T/moved")
TM=$("$GOVARCH" history --archive "$A" "$U$MP" | awk -F'\t' '$3 == 301 { print $1 }')
[ -n "$TM" ] || fail "no 301 capture of $MP"
TM=$(ts14 "$TM")
expect "archived redirect" 301 "$(code "$R/$TM/$U$MP")"
expect "archived redirect target" "/$TM/$U$MT" "$(header "/$TM/$U$MP" Location)"

# ---- Memento -------------------------------------------------------------------
H1=$(httpdate "$D1")
H2=$(httpdate "$D2")
expect "Memento-Datetime (T1)" "$H1" "$(header "/$T1/$U/" Memento-Datetime)"
expect "Memento-Datetime (revisit)" "$H2" "$(header "/$T2/$U/" Memento-Datetime)"
LINK0="<$U/>; rel=\"original\", </timegate/$U/>; rel=\"timegate\", </timemap/link/$U/>; rel=\"timemap\"; type=\"application/link-format\""
expect "Link (T1)" "$LINK0, </$T1/$U/>; rel=\"first memento\"; datetime=\"$H1\", </$T2/$U/>; rel=\"last next memento\"; datetime=\"$H2\"" \
	"$(header "/$T1/$U/" Link)"
expect "Link (T2)" "$LINK0, </$T1/$U/>; rel=\"first prev memento\"; datetime=\"$H1\", </$T2/$U/>; rel=\"last memento\"; datetime=\"$H2\"" \
	"$(header "/$T2/$U/" Link)"
# TimeGate
AD=$(httpdate "@$((E1 + 1))")
curl -s -D - -o /dev/null -H "Accept-Datetime: $AD" "$R/timegate/$U/" | tr -d '\r' >"$T/tg"
expect "timegate status" "HTTP/1.1 302 Found" "$(head -n 1 "$T/tg")"
expect "timegate location" "Location: /$T1/$U/" "$(grep '^Location: ' "$T/tg")"
expect "timegate vary" "Vary: accept-datetime" "$(grep '^Vary: ' "$T/tg")"
expect "timegate link" "Link: <$U/>; rel=\"original\", </timemap/link/$U/>; rel=\"timemap\"; type=\"application/link-format\"" \
	"$(grep '^Link: ' "$T/tg")"
expect "timegate /URL (latest)" "/$T2/$U/" "$(header "/$U/" Location)"
expect "bad Accept-Datetime" 400 "$(code -H 'Accept-Datetime: yesterday' "$R/timegate/$U/")"
expect "bad Accept-Datetime (RFC 850)" 400 \
	"$(code -H 'Accept-Datetime: Sunday, 06-Nov-94 08:49:37 GMT' "$R/timegate/$U/")"
# timemaps
printf '%s\n' "<$U/>; rel=\"original\"," \
	"</timemap/link/$U/>; rel=\"self\"; type=\"application/link-format\"; from=\"$H1\"; until=\"$H2\"," \
	"</timegate/$U/>; rel=\"timegate\"," \
	"</$T1/$U/>; rel=\"first memento\"; datetime=\"$H1\"," \
	"</$T2/$U/>; rel=\"last memento\"; datetime=\"$H2\"" >"$T/tm.want"
get "/timemap/link/$U/" >"$T/tm.got"
cmp -s "$T/tm.want" "$T/tm.got" || fail "timemap/link: $(diff "$T/tm.want" "$T/tm.got")"
expect "timemap type" "application/link-format" "$(header "/timemap/link/$U/" Content-Type)"
I1=$(echo "$D1" | cut -c1-19)Z
I2=$(echo "$D2" | cut -c1-19)Z
M1="{\"datetime\": \"$I1\", \"uri\": \"/$T1/$U/\"}"
M2="{\"datetime\": \"$I2\", \"uri\": \"/$T2/$U/\"}"
expect "timemap/json" "{\"original_uri\": \"$U/\", \"timegate_uri\": \"/timegate/$U/\", \"timemap_uri\": {\"link_format\": \"/timemap/link/$U/\", \"json_format\": \"/timemap/json/$U/\"}, \"mementos\": {\"first\": $M1, \"last\": $M2, \"list\": [$M1, $M2]}}" \
	"$(get "/timemap/json/$U/")"

# ---- CDX ------------------------------------------------------------------------
K="1,0,0,127:$SITE_PORT)"
get "/cdx?url=$U/" >"$T/cdx.got"
printf '%s\n%s\n' "$L1" "$L2" >"$T/cdx.want"
cmp -s "$T/cdx.want" "$T/cdx.got" || fail "cdx exact: $(diff "$T/cdx.want" "$T/cdx.got")"
get "/cdx?url=127.0.0.1:$SITE_PORT/&matchType=host" >"$T/cdx.got"
cmp -s "$T/cdxj" "$T/cdx.got" || fail "cdx host differs from index --cdxj"
grep "^$K/news" "$T/cdxj" >"$T/cdx.want"
get "/cdx?url=$U/news&matchType=prefix" >"$T/cdx.got"
cmp -s "$T/cdx.want" "$T/cdx.got" || fail "cdx prefix: $(diff "$T/cdx.want" "$T/cdx.got" | head -n 5)"
get "/cdx?url=$U/news*" >"$T/cdx.got"
cmp -s "$T/cdx.want" "$T/cdx.got" || fail "cdx url*"
head -n 3 "$T/cdx.want" >"$T/cdx.want3"
get "/cdx?url=$U/news&matchType=prefix&limit=3" >"$T/cdx.got"
cmp -s "$T/cdx.want3" "$T/cdx.got" || fail "cdx limit"
expect "cdx from" "$L2" "$(get "/cdx?url=$U/&from=$T2")"
expect "cdx to" "$L1" "$(get "/cdx?url=$U/&to=$T1")"
J1=$(echo "$L1" | sed 's/^\([^ ]*\) \([0-9]*\) {/{"urlkey": "\1", "timestamp": "\2", /')
expect "cdx json" "$J1" "$(get "/cdx?url=$U/&to=$T1&output=json")"
expect "cdx bad matchType" 400 "$(code "$R/cdx?url=$U/&matchType=nope")"
expect "cdx no url" 400 "$(code "$R/cdx")"
expect "cdx bad limit" 400 "$(code "$R/cdx?url=$U/&limit=x")"

# ---- not captured, hostile requests -----------------------------------------------
expect "never captured" 404 "$(code "$R/$T1/http://nowhere.invalid/")"
expect "never captured (timegate)" 404 "$(code "$R/http://nowhere.invalid/")"
LONG=$(head -c 20000 /dev/zero | tr '\0' a)
expect "20 KB URL" 414 "$(code "$R/$T1/$U/$LONG")"
expect ".." 400 "$(code "$R/$T1/$U/../etc/passwd")"
expect "encoded .." 400 "$(code "$R/$T1/$U/%2e%2e/etc/passwd")"
expect "..%2f" 400 "$(code "$R/$T1/$U/..%2fetc")"
expect "%00" 400 "$(code "$R/$T1/$U/a%00b")"
expect "bad percent-encoding" 400 "$(code "$R/$T1/$U/a%zzb")"
expect "cut percent-encoding" 400 "$(code "$R/$T1/$U/a%4")"
expect "15-digit timestamp" 400 "$(code "$R/202401010000001/$U/")"
expect "unknown modifier" 400 "$(code "$R/${T1}xx_/$U/")"
expect "POST" 405 "$(code -X POST -d x=1 "$R/$T1/$U/")"
expect "HEAD" 200 "$(code -I "$R/$T1/$U/")"
# archived headers that would act on the reader are not live headers
heads "/$T1/$U/" >"$T/h"
grep -qi '^content-security-policy: default-src '\''self'\''' "$T/h" || fail "no CSP"
grep -iE '^(set-cookie|strict-transport-security|public-key-pins|alt-svc|clear-site-data):' "$T/h" &&
	fail "a live header passed through"
# a page archived gzip-encoded: replayed decoded (id_ too), rewritten
A2=$T/archive-gzip
crawl_run "$A2" --max-pages 4 --set accept-encoding=gzip --quiet >"$T/out3" 2>&1 ||
	fail "gzip crawl: $(tail -n 5 "$T/out3")"
"$GOVARCH" index --archive "$A2" --cdxj >"$T/gz.all"
grep "^$K/ " "$T/gz.all" >"$T/gz.cdxj"
[ "$(wc -l <"$T/gz.cdxj")" -eq 1 ] || fail "gzip crawl: home not captured once: $(cut -c1-80 "$T/gz.all")"
LG=$(cat "$T/gz.cdxj")
TG=$(echo "$LG" | cut -d' ' -f2)
FG=$A2/$(cdxj_field filename "$LG")
OG=$(cdxj_field offset "$LG")
"$GOVARCH" cat "$FG" "$OG" | tr -d '\r' | grep -qi '^content-encoding: gzip$' ||
	fail "the gzip crawl's home record is not gzip-encoded"
"$GOVARCH" cat --payload "$FG" "$OG" >"$T/gz.payload"
RPID1=$RPID R1=$R
replay_start "$A2" "$T/replay2.out"
RPID2=$RPID R2=$R RPID=$RPID1 R=$R1
curl -s -D "$T/gz.h" -o "$T/gz.id" "$R2/${TG}id_/$U/"
cmp -s "$T/gz.payload" "$T/gz.id" || fail "id_ of a gzip-encoded page is not its decoded payload"
grep -qi '^content-encoding' "$T/gz.h" && fail "Content-Encoding sent with a decoded body"
curl -s "$R2/$TG/$U/" >"$T/gz.html"
grep -q 'id="govarch-banner"' "$T/gz.html" || fail "gzip-encoded page not rewritten"
grep -q "href=\"/$TG/$U/news\"" "$T/gz.html" || fail "gzip-encoded page's links not rewritten"
kill $RPID2

# usage and start-up errors
"$GOVARCH" replay --archive "$A" --port 70000 >/dev/null 2>"$T/err"
expect "bad port exit" 2 "$?"
expect "bad port message" "govarch: replay: '70000' is not a port (0 to 65535)" "$(head -n 1 "$T/err")"
"$GOVARCH" replay --archive "$A" --bind nowhere --port 0 >/dev/null 2>"$T/err"
expect "bad address exit" 1 "$?"
expect "bad address message" "govarch: replay: 'nowhere' is not an IPv4 or IPv6 address" "$(cat "$T/err")"
"$GOVARCH" replay --archive "$A" --port "$RPORT" >/dev/null 2>"$T/err"
expect "port in use exit" 1 "$?"
"$GOVARCH" replay --archive "$T/none" --port 0 >/dev/null 2>"$T/err"
expect "no catalog exit" 1 "$?"
grep -q "catalog.sqlite" "$T/err" || fail "no catalog: $(cat "$T/err")"
# still alive after all that
expect "alive" 200 "$(code "$R/$T1/$U/")"
kill -TERM $RPID
wait $RPID
rc=$?
expect "exit after SIGTERM" 0 "$rc"
echo "replay: home $T1/$T2, $(wc -l <"$T/hrefs.got") links, $(wc -l <"$T/cdxj") CDX lines"
exit 0
