#!/bin/sh
# Accept-Encoding, seen from the replica's request log:
#  - by default every request says `Accept-Encoding: identity`, and the
#    home page (which the replica gzips when asked) is stored uncompressed;
#  - `accept-encoding = gzip` sends `gzip`; the gzip body is stored exactly
#    as received (Content-Encoding: gzip, digests valid) and catalogued.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"

tmpdir T
site_start v1

# home_record ARCHIVE: "FILE OFFSET" of the response record for /.
home_record() {
	for _f in $(crawl_warcs "$1"); do
		"$GOVARCH" ls "$_f" | awk -F'\t' -v f="$_f" -v u="$SITE_URL/" \
			'$3 == "response" && $5 == u { print f, $1 }'
	done
}

for enc in identity gzip; do
	A=$T/$enc
	: >"$SITE_LOG"
	set -- --delay 0 --set max-pages=12 --quiet
	[ $enc = identity ] || set -- "$@" --set accept-encoding=$enc
	crawl_run "$A" "$@" >"$T/out-$enc" 2>&1 ||
		fail "$enc crawl failed: $(tail -n 5 "$T/out-$enc")"
	site_log >"$T/log-$enc"
	[ -s "$T/log-$enc" ] || fail "$enc: no request logged"
	other=$(awk -F'\t' -v want=$enc '$9 != want { print $4 ": " $9 }' \
		"$T/log-$enc" | head -n 3)
	[ -z "$other" ] || fail "$enc crawl sent another Accept-Encoding: $other"
	crawl_verify "$A" || fail "$enc: verify found problems"
	read -r f o <<EOF
$(home_record "$A")
EOF
	[ -n "$f" ] || fail "$enc: / not captured"
	"$GOVARCH" cat "$f" "$o" >"$T/home-$enc" || fail "$enc: cat $f $o"
	ce=$(sed -n '/^HTTP\//,/^\r$/p' "$T/home-$enc" |
		sed -n 's/^Content-Encoding: *\([^\r]*\)\r$/\1/p')
	want_ce=
	[ $enc = identity ] || want_ce=gzip
	[ "$ce" = "$want_ce" ] ||
		fail "$enc: / stored with Content-Encoding '$ce', want '$want_ce'"
	"$GOVARCH" history --archive "$A" "$SITE_URL/" | grep -q '	first' ||
		fail "$enc: / not in the catalog"
done
grep -q '<title>' "$T/home-identity" || fail "identity body is not plain HTML"
grep -q '<title>' "$T/home-gzip" && fail "gzip body was stored decoded"
echo "Accept-Encoding: identity by default, gzip when configured"
exit 0
