#!/bin/sh
# test-site: the DPMC replica (govarch-site) itself, before anything relies
# on it: its ground-truth lists, every listed page in every version, the
# differences between versions, conditional requests, robots.txt, the
# 503/429 sequences, gzip, sitemaps and the request log.
. "$TOP/tests/cli/lib.sh"

tmpdir T
UA="govarch-test/1.0 (+http://127.0.0.1/)"

# ---- ground truth, without a server ----
for v in v1 v2 v3; do
	site_list pages $v >"$T/pages-$v" || fail "--list pages $v"
	site_list requisites $v >"$T/req-$v" || fail "--list requisites $v"
	[ "$(wc -l <"$T/pages-$v")" -gt 400 ] || fail "--list pages $v: too few"
	[ "$(wc -l <"$T/req-$v")" -gt 10 ] || fail "--list requisites $v: too few"
	LC_ALL=C sort -c "$T/pages-$v" || fail "--list pages $v: not in C order"
	grep -qx / "$T/pages-$v" || fail "--list pages $v: no home page"
	grep -qx /news/five-country-ministerial-2024 "$T/pages-$v" ||
		fail "--list pages $v: no Five Country Ministerial 2024"
	grep -qx '/themes/custom/dpmc/css/style.css' "$T/req-$v" ||
		fail "--list requisites $v: no CSS"
	grep -q '\.pdf$' "$T/req-$v" || fail "--list requisites $v: no PDF"
done
site_list disallowed >"$T/disallowed"
grep -qx /internal/staff-directory "$T/disallowed" || fail "--list disallowed"
site_list hostile >"$T/hostile"
[ "$(wc -l <"$T/hostile")" -ge 12 ] || fail "--list hostile: too few"

for step in "v1 v2" "v2 v3"; do
	# shellcheck disable=SC2086
	site_changes $step >"$T/changes"
	LC_ALL=C sort -c "$T/changes" || fail "--changes $step: not in C order"
	for kind in added removed moved edited silent date-only; do
		grep -q "^$kind	/" "$T/changes" || fail "--changes $step: no $kind"
	done
	n=$(grep -cv '^sitewide' "$T/changes")
	pages=$(wc -l <"$T/pages-v1")
	[ "$n" -lt $((pages / 5)) ] || fail "--changes $step: $n changes, too many"
done
# (into files, not $(...): a failing govarch-site must fail the test)
site_changes v1 v2 >"$T/changes-12"
site_changes v2 v3 >"$T/changes-23"
site_changes v2 v2 >"$T/changes-22"
[ "$(grep -c '^sitewide' "$T/changes-12")" = 0 ] ||
	fail "--changes v1 v2: no site-wide change expected"
[ "$(grep -c '^sitewide	-	' "$T/changes-23")" = 2 ] ||
	fail "--changes v2 v3: two site-wide changes expected (footer, menu link)"
[ ! -s "$T/changes-22" ] || fail "--changes v2 v2 is not empty"

# ---- every listed page and requisite answers 200 in its version ----
status_of() { # FILE-OF-PATHS: "STATUS PATH" lines, one curl, one connection
	sed "s|.*|url = \"$SITE_URL&\"\\noutput = /dev/null|" "$1" >"$T/curl.cfg"
	curl -s -K "$T/curl.cfg" -A "$UA" -w '%{http_code} %{url_effective}\n' |
		sed "s|$SITE_URL||"
}

site_start v1
for v in v1 v2 v3; do
	site_version $v
	cat "$T/pages-$v" "$T/req-$v" >"$T/all"
	status_of "$T/all" >"$T/status"
	bad=$(grep -v '^200 ' "$T/status" | head -n 3)
	[ -z "$bad" ] || fail "$v: not 200: $bad"
	[ "$(wc -l <"$T/status")" = "$(wc -l <"$T/all")" ] || fail "$v: missing answers"
done

# ---- the differences are really there ----
main_text() { # PATH: <main> without the "Last updated" line
	curl -s "$SITE_URL$1" | sed -n '/<main/,/<\/main>/p' |
		grep -v 'field--name-field-last-updated'
}
updated() { # PATH: the "Last updated" line
	curl -s "$SITE_URL$1" | grep 'field--name-field-last-updated'
}
site_changes v1 v2 >"$T/changes"
for kind in edited silent date-only; do
	p=$(grep "^$kind	" "$T/changes" | head -n 1 | cut -f 2)
	site_version v1
	main_text "$p" >"$T/main1"
	updated "$p" >"$T/date1"
	site_version v2
	main_text "$p" >"$T/main2"
	updated "$p" >"$T/date2"
	cmp -s "$T/main1" "$T/main2"; same_text=$?
	cmp -s "$T/date1" "$T/date2"; same_date=$?
	case "$kind:$same_text:$same_date" in
	edited:1:1 | silent:1:0 | date-only:0:1) ;;
	*) fail "$kind $p: text changed=$same_text, date changed=$same_date" ;;
	esac
done
grep -q 'Last updated <time datetime="20[0-9-]*T12:00:00Z">[A-Z][a-z]*day, [0-9]* [A-Z][a-z]* 20[0-9][0-9]</time>' "$T/date2" ||
	fail "unexpected Last updated markup: $(cat "$T/date2")"
p=$(grep '^removed	' "$T/changes" | head -n 1 | cut -f 2)
[ "$(curl -s -o /dev/null -w '%{http_code}' "$SITE_URL$p")" = 404 ] ||
	fail "removed $p does not answer 404 in v2"
grep '^moved	' "$T/changes" | head -n 1 | cut -f 2,3 >"$T/moved"
IFS='	' read -r from to <"$T/moved"
curl -s -o /dev/null -w '%{http_code} %{redirect_url}\n' "$SITE_URL$from" >"$T/r"
[ "$(cat "$T/r")" = "301 $SITE_URL$to" ] || fail "moved $from: $(cat "$T/r")"
site_version v1
main_text "$from" | grep -v 'Breadcrumb\|breadcrumb' >"$T/main1"
site_version v2
main_text "$to" | grep -v 'Breadcrumb\|breadcrumb' >"$T/main2"
cmp -s "$T/main1" "$T/main2" || fail "moved page $from changed its text"

# The site-wide edit of v3 is outside <main>.
p=$(grep -vx / "$T/pages-v3" | head -n 1)
site_version v2
curl -s "$SITE_URL$p" >"$T/page2"
site_version v3
curl -s "$SITE_URL$p" >"$T/page3"
grep -q 'Copyright Department' "$T/page2" || fail "v2 footer wording"
grep -q 'Crown copyright' "$T/page3" || fail "v3 footer wording"

# ---- conditional requests ----
site_version v1
etag=$(curl -s -D - -o /dev/null "$SITE_URL/about-dpmc" | tr -d '\r' |
	sed -n 's/^ETag: //ip')
lastmod=$(curl -s -D - -o /dev/null "$SITE_URL/about-dpmc" | tr -d '\r' |
	sed -n 's/^Last-Modified: //ip')
if [ -z "$etag" ] || [ -z "$lastmod" ]; then
	fail "no ETag or Last-Modified"
fi
code() { curl -s -o /dev/null -w '%{http_code}' -A "$UA" "$@"; }
[ "$(code -H "If-None-Match: $etag" "$SITE_URL/about-dpmc")" = 304 ] ||
	fail "If-None-Match $etag: no 304"
[ "$(code -H 'If-None-Match: "other"' "$SITE_URL/about-dpmc")" = 200 ] ||
	fail "If-None-Match with another tag: no 200"
[ "$(code -H "If-Modified-Since: $lastmod" "$SITE_URL/about-dpmc")" = 304 ] ||
	fail "If-Modified-Since $lastmod: no 304"
[ "$(code -H "If-Modified-Since: $lastmod" "$SITE_URL/themes/custom/dpmc/logo.png")" = 304 ] ||
	fail "If-Modified-Since on the logo: no 304"

# ---- robots.txt ----
cat >"$T/robots.want" <<EOF
User-agent: *
Disallow: /internal/
Disallow: /search\$
Disallow: /search?
Disallow: /user/login

User-agent: BadBot
Disallow: /

Sitemap: $SITE_URL/sitemap.xml
EOF
curl -s "$SITE_URL/robots.txt" | grep -v '^#' | sed '/./,$!d' >"$T/robots"
diff "$T/robots.want" "$T/robots" || fail "robots.txt differs"

# ---- hostile endpoints ----
seq_of() { # PATH: status and Retry-After of two requests in a row
	for _ in 1 2; do
		curl -s -D - -o /dev/null "$SITE_URL$1" | tr -d '\r' |
			sed -n 's/^HTTP\/1.1 \([0-9]*\).*/\1/p; s/^Retry-After: //ip'
	done | tr '\n' ' '
}
[ "$(seq_of /reports/temporarily-unavailable)" = "503 2 200 " ] ||
	fail "503 sequence: $(seq_of /reports/temporarily-unavailable)"
[ "$(seq_of /reports/rate-limited)" = "429 1 200 " ] || fail "429 sequence"
site_version v1     # a version switch re-arms the first-request errors
[ "$(seq_of /reports/temporarily-unavailable)" = "503 2 200 " ] ||
	fail "503 sequence after a version switch"
[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$SITE_URL/loop/a")" = \
  "302 $SITE_URL/loop/b" ] || fail "redirect loop"
curl -s -H 'Accept-Encoding: gzip' -D "$T/gzh" -o "$T/home.gz" "$SITE_URL/"
grep -qi '^Content-Encoding: gzip' "$T/gzh" || fail "home page: no gzip"
curl -s -o "$T/home" "$SITE_URL/"
gzip -dc "$T/home.gz" | cmp -s - "$T/home" || fail "gzip body differs"
curl -s "$SITE_URL/session/start" | grep -o 'jsessionid=[0-9a-f]*' >"$T/s1"
curl -s "$SITE_URL/session/start" | grep -o 'jsessionid=[0-9a-f]*' >"$T/s2"
grep -qx 'jsessionid=[0-9a-f]\{32\}' "$T/s1" || fail "no session id"
cmp -s "$T/s1" "$T/s2" && fail "session ids are not fresh"
curl -s -D - -o /dev/null "$SITE_URL/archive/legacy-windows-1252" |
	grep -qi 'charset=windows-1252' || fail "windows-1252 page"
curl -s -D - -o /dev/null "$SITE_URL/reports/chunked" |
	grep -qi '^Transfer-Encoding: chunked' || fail "chunked page"
n=$(curl -s -m 1 "$SITE_URL/stream/endless" | head -c 200000 | wc -c)
[ "$n" = 200000 ] || fail "endless stream ended after $n bytes"
curl -s "$SITE_URL/events/calendar?year=1999&month=1" |
	grep -q 'href="/events/calendar?year=1998&amp;month=12"' || fail "calendar"

# ---- sitemaps ----
curl -s "$SITE_URL/sitemap.xml" | grep -c '<sitemap>' | grep -qx 2 ||
	fail "sitemap index"
n=$(curl -s "$SITE_URL/sitemap-pages.xml" | grep -c '<lastmod>20')
[ "$n" -gt 400 ] || fail "sitemap-pages: $n entries"
curl -s "$SITE_URL/sitemap-news.xml.gz" | gzip -dc | grep -q '<loc>' ||
	fail "sitemap-news.xml.gz"

# ---- the request log ----
: >"$SITE_LOG"
curl -s -o /dev/null -A "$UA" -H 'If-None-Match: "x"' \
	-H 'Accept-Encoding: gzip' "$SITE_URL/about-dpmc?x=1"
sleep 0.2
line=$(site_log | tail -n 1)
fields=$(printf '%s\n' "$line" | awk -F'\t' '{ print NF }')
[ "$fields" = 9 ] || fail "log line has $fields fields: $line"
printf '%s\n' "$line" | cut -f 3- >"$T/logged"
printf 'GET\t/about-dpmc?x=1\t200\t%s\t"x"\t-\tgzip\n' "$UA" >"$T/log.want"
diff "$T/log.want" "$T/logged" || fail "log columns"
printf '%s\n' "$line" |
	awk -F'\t' '$1 !~ /^[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]$/ || $2 < $1 { exit 1 }' ||
	fail "log times: $line"

# ---- options ----
# --menu-from v1: pages the step did not change keep their bytes in v2.
p=/about-dpmc/who-we-are
site_changes v1 v2 | cut -f 2 | grep -qx "$p" && fail "$p changes in v2"
site_start v1 --menu-from v1
curl -s "$SITE_URL$p" >"$T/frozen1"
site_version v2
curl -s "$SITE_URL$p" >"$T/frozen2"
cmp -s "$T/frozen1" "$T/frozen2" || fail "--menu-from v1: $p differs in v2"
site_start v1
curl -s "$SITE_URL$p" | sed -n '/<main/,/<\/main>/p' >"$T/own1"
site_version v2
curl -s "$SITE_URL$p" >"$T/own2"
cmp -s "$T/own2" "$T/frozen2" && fail "without --menu-from the v2 menu is v1's"
sed -n '/<main/,/<\/main>/p' "$T/own2" | cmp -s - "$T/own1" ||
	fail "$p: main text differs between v1 and v2"

site_start v2 --crawl-delay 3
curl -s "$SITE_URL/robots.txt" | grep -qx 'Crawl-delay: 3' || fail "--crawl-delay"
site_start v1 --robots-status 503
[ "$(code "$SITE_URL/robots.txt")" = 503 ] || fail "--robots-status 503"
site_stop
echo "ok"
