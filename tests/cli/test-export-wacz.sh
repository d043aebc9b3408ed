#!/bin/sh
# govarch export --wacz: two crawls of the replica (v1, then v2: mostly
# revisits of crawl 1's records), exported as WACZ files and read back:
# the zip's entries exactly, stored WARCs, datapackage hashes and sizes,
# pages.jsonl against the replica's own pages and titles, index.cdxj lines
# that resolve (and equal `govarch index --cdxj` of the extracted WARCs),
# every revisit's original inside the export, `govarch verify`, warcio;
# then the failures (/dev/full, a missing directory, no such crawl, usage).
set -u
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/crawl-lib.sh"
command -v unzip > /dev/null || skip "unzip not installed"
command -v python3 > /dev/null || skip "python3 not installed"
command -v sha256sum > /dev/null || skip "sha256sum not installed"
tmpdir
cd "$T" || exit 1
A=$T/arc

site_start v1
crawl_run "$A" --delay 0 > crawl1.out 2>&1 || fail "crawl 1: $(tail -3 crawl1.out)"
crawl_warcs "$A" > files1
site_version v2
crawl_run "$A" --delay 0 > crawl2.out 2>&1 || fail "crawl 2: $(tail -3 crawl2.out)"
crawl_warcs "$A" > files2
grep -vxF -f files1 files2 > new2
[ -s new2 ] || fail "crawl 2 wrote no WARC file"

# the entry a WARC file becomes
entry_of() { sed -e 's|.*/||' -e 's/\.warc\.zst$//' -e 's|^|archive/|' -e 's/$/.warc.gz/'; }

# ---- default: the newest complete crawl (2) --------------------------------
"$GOVARCH" export --archive "$A" --wacz out.wacz > out.stdout 2> out.stderr ||
	fail "export: $(cat out.stderr)"
[ -s out.stdout ] && fail "export wrote on stdout: $(head -2 out.stdout)"
grep -q '^export: out.wacz: crawl 2, [0-9]* records ([1-9][0-9]* originals of revisits from earlier crawls) in [0-9]* WARC files ([0-9]* bytes), [0-9]* pages$' out.stderr ||
	fail "summary line: $(cat out.stderr)"
[ -e out.wacz.tmp ] && fail "out.wacz.tmp left behind"
ls -a | grep -q '^out\.wacz\.d-' && fail "temporary directory left behind"

# every file of the archive: crawl 2's, and crawl 1's (its revisits' originals)
{ entry_of < files2; echo indexes/index.cdxj; echo pages/pages.jsonl
  echo datapackage.json; echo datapackage-digest.json; } | sort > want.entries
unzip -Z1 out.wacz | sort > got.entries
cmp -s want.entries got.entries || { diff want.entries got.entries; fail "zip entries"; }
# the WARCs stored, not deflated
unzip -Zv out.wacz | awk '/^Central directory entry #/ { n = "" }
	/^  [^ ]/ && n == "" && !/^  There/ { n = $1 }
	/compression method:/ { if (n ~ /^archive\// && $0 !~ /none \(stored\)/) print n }' > deflated
[ -s deflated ] && fail "not stored: $(cat deflated)"
unzip -lv out.wacz | awk '$NF ~ /^archive\// && $2 != "Stored" { print $NF, $2 }' > deflated
[ -s deflated ] && fail "not stored (unzip -lv): $(cat deflated)"
unzip -lv out.wacz | awk '$NF ~ /^archive\// && $2 == "Stored"' | wc -l > n.stored
[ "$(cat n.stored)" -eq "$(wc -l < files2)" ] || fail "stored WARC entries: $(cat n.stored)"

mkdir x && (cd x && unzip -q ../out.wacz) || fail "unzip"

# ---- datapackage.json and its digest ---------------------------------------
VERSION=$("$GOVARCH" version | sed -n '1s/^govarch \([^ ]*\).*/\1/p')
python3 - x "$SITE_URL/" "$VERSION" > dp.out <<'PY' || fail "datapackage: $(cat dp.out)"
import hashlib, json, os, re, sys
d, main, version = sys.argv[1:4]
dp = json.load(open(os.path.join(d, 'datapackage.json')))
want = {'profile', 'wacz_version', 'title', 'created', 'software',
        'mainPageUrl', 'mainPageDate', 'resources'}
assert set(dp) == want, sorted(dp)
assert dp['profile'] == 'data-package', dp['profile']
assert dp['wacz_version'] == '1.1.1', dp['wacz_version']
assert dp['title'] == 'govarch crawl 2', dp['title']
assert dp['software'] == 'govarch ' + version, dp['software']
assert dp['mainPageUrl'] == main, dp['mainPageUrl']
iso = r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$'
assert re.match(iso, dp['created']) and re.match(iso, dp['mainPageDate'])
paths = []
for r in dp['resources']:
    assert set(r) == {'name', 'path', 'hash', 'bytes'}, r
    assert r['name'] == os.path.basename(r['path']), r
    b = open(os.path.join(d, r['path']), 'rb').read()
    assert r['hash'] == 'sha256:' + hashlib.sha256(b).hexdigest(), r['path']
    assert r['bytes'] == len(b), r['path']
    paths.append(r['path'])
print('\n'.join(sorted(paths)))
dd = json.load(open(os.path.join(d, 'datapackage-digest.json')))
b = open(os.path.join(d, 'datapackage.json'), 'rb').read()
assert dd == {'path': 'datapackage.json',
              'hash': 'sha256:' + hashlib.sha256(b).hexdigest()}, dd
PY
grep -v '^datapackage' want.entries > want.resources
cmp -s dp.out want.resources || { diff want.resources dp.out; fail "datapackage resources"; }
# the same hashes by sha256sum
for p in $(cat want.resources); do
	h=$(sha256sum "x/$p" | cut -d' ' -f1)
	grep -q "\"path\": \"$p\", \"hash\": \"sha256:$h\", \"bytes\": $(wc -c < "x/$p")}" x/datapackage.json ||
		fail "$p: sha256 $h or its size is not in datapackage.json"
done

# ---- pages.jsonl: the v2 pages, their crawl-2 dates, the replica's titles ---
# (the hostile endpoints the crawl also found as HTML pages: titles from
# the records, as `govarch cat --payload` gives them; a revisit's from
# crawl 1's response)
for f in $(cat new2); do "$GOVARCH" ls "$f" | sed "s|^|$f	|"; done |
	awk -F'\t' '($4 == "response" && $7 ~ /^2/ || $4 == "revisit" && ($7 ~ /^2/ || $7 == 304)) && $8 == "text/html" { print $6 "\t" $5 "\t" $1 "\t" $2 "\t" $4 }' > page-dates
site_list pages v2 > v2.pages
python3 - "$SITE_URL" v2.pages page-dates "$GOVARCH" > want.pages <<'PY' || fail "expected pages"
import html, json, re, subprocess, sys, urllib.request
base, pages, dates, govarch = sys.argv[1:5]
rec = {}
for line in open(dates):
    u, d, f, off, typ = line.rstrip('\n').split('\t')
    rec[u] = (re.sub(r'\.\d+Z$', 'Z', d), f, off, typ)
def title(body):
    t = re.search(r'<title>(.*?)</title>', body, re.S)
    return ' '.join(html.unescape(t.group(1)).split())
out = []
known = set()
for p in open(pages):
    u = base + p.strip()
    known.add(u)
    body = urllib.request.urlopen(u).read().decode('utf-8')
    out.append((rec[u][0], u, title(body)))
for u, (d, f, off, typ) in rec.items():
    if u in known:
        continue
    if typ == 'revisit':        # crawl 1's response holds the page
        for f1 in open('files1').read().split():
            for l in subprocess.run([govarch, 'ls', f1], check=True,
                                    capture_output=True, text=True).stdout.splitlines():
                c = l.split('\t')
                if c[2] == 'response' and c[4] == u:
                    f, off = f1, c[0]
    b = subprocess.run([govarch, 'cat', f, off, '--payload'], check=True,
                       capture_output=True).stdout
    try:
        body = b.decode('utf-8')
    except UnicodeDecodeError:
        body = b.decode('cp1252')
    out.append((d, u, title(body)))
print(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}, separators=(',', ':')))
for d, u, t in sorted(out):
    print(json.dumps({"url": u, "ts": d, "title": t}, separators=(',', ':'), ensure_ascii=False))
PY
cmp -s want.pages x/pages/pages.jsonl || { diff want.pages x/pages/pages.jsonl | head; fail "pages.jsonl"; }

# ---- index.cdxj: sorted, resolving, what index --cdxj says of the WARCs -----
LC_ALL=C sort -c x/indexes/index.cdxj || fail "index.cdxj not sorted"
mkdir ia && cp x/archive/*.warc.gz ia/
"$GOVARCH" index --cdxj --archive ia > ia.cdxj || fail "index --cdxj of the extracted WARCs"
cmp -s ia.cdxj x/indexes/index.cdxj || { diff ia.cdxj x/indexes/index.cdxj | head; fail "index.cdxj differs from index --cdxj"; }
python3 - x > resolve.out <<'PY' || fail "index.cdxj: $(tail -3 resolve.out)"
import json, os, re, sys, zlib
d = sys.argv[1]
lines = open(os.path.join(d, 'indexes/index.cdxj')).read().splitlines()
assert lines
files = {}
for l in lines:
    surt, ts, j = l.split(' ', 2)
    j = json.loads(j)
    if j['filename'] not in files:
        files[j['filename']] = open(os.path.join(d, 'archive', j['filename']), 'rb').read()
    off, n = int(j['offset']), int(j['length'])
    z = zlib.decompressobj(31)
    rec = z.decompress(files[j['filename']][off:off + n])
    assert z.eof and not z.unused_data, l       # exactly one gzip member
    head = rec.split(b'\r\n\r\n', 1)[0].decode()
    assert head.startswith('WARC/1.'), l
    uri = re.search(r'^WARC-Target-URI: (\S+)', head, re.M).group(1).strip('<>')
    assert uri == j['url'], (uri, l)
# every revisit's original is in the export
ids, refs = set(), []
for name in os.listdir(os.path.join(d, 'archive')):
    data = open(os.path.join(d, 'archive', name), 'rb').read()
    while data:
        z = zlib.decompressobj(31)
        rec = z.decompress(data)
        data = z.unused_data
        head = rec.split(b'\r\n\r\n', 1)[0].decode()
        ids.add(re.search(r'^WARC-Record-ID: (\S+)', head, re.M).group(1).strip())
        m = re.search(r'^WARC-Refers-To: (\S+)', head, re.M)
        if m:
            refs.append(m.group(1).strip())
missing = [r for r in refs if r not in ids]
assert refs and not missing, ('%d revisits, missing' % len(refs), missing[:3])
print(len(lines), 'lines,', len(refs), 'revisits')
PY

# ---- govarch verify and warcio read the WARCs inside ----------------------
"$GOVARCH" verify x/archive/*.warc.gz > verify.out 2>&1 || { grep -v ': note: ' verify.out; fail "verify"; }
. "$TOP/tests/cli/npm-warcio.sh" || true
warcio_ok=0
if [ -x "$WARCIO" ]; then
	for f in x/archive/*.warc.gz; do
		"$WARCIO" cdx-index "$f" || fail "warcio cdx-index $f"
	done > warcio.cdxj 2> warcio.err
	# the same records (url, offset, length) as index.cdxj
	python3 - warcio.cdxj x/indexes/index.cdxj <<'PY' || fail "warcio disagrees with index.cdxj"
import json, sys
def keys(p):
    s = set()
    for l in open(p):
        j = json.loads(l.split(' ', 2)[2])
        if j['url'].startswith('http'):
            s.add((j['url'], j['offset'], j['length']))
    return s
a, b = keys(sys.argv[1]), keys(sys.argv[2])
if a != b:
    print(sorted(a - b)[:3], sorted(b - a)[:3])
    sys.exit(1)
PY
	warcio_ok=1
fi

# ---- --crawl 1: crawl 1's files only, no originals from elsewhere ---------
"$GOVARCH" export --archive "$A" --wacz one.wacz --crawl 1 2> one.stderr || fail "export --crawl 1: $(cat one.stderr)"
grep -q '^export: one.wacz: crawl 1, [0-9]* records (0 originals of revisits from earlier crawls) in [0-9]* WARC files ([0-9]* bytes), [0-9]* pages$' one.stderr ||
	fail "--crawl 1 summary: $(cat one.stderr)"
entry_of < files1 | sort > want1
unzip -Z1 one.wacz | grep '^archive/' | sort > got1
cmp -s want1 got1 || { diff want1 got1; fail "--crawl 1 entries"; }
# the HTML 2xx captures in crawl 1's files (the v1 pages among them)
for f in $(cat files1); do "$GOVARCH" ls "$f"; done |
	awk -F'\t' '($3 == "response" && $6 ~ /^2/ || $3 == "revisit" && ($6 ~ /^2/ || $6 == 304)) && $7 == "text/html" { print $5 }' | sort > pages1
site_list pages v1 | sed "s|^|$SITE_URL|" | sort > v1.pages
[ -z "$(comm -13 pages1 v1.pages)" ] || fail "crawl 1 missed v1 pages: $(comm -13 pages1 v1.pages | head -3)"
unzip -p one.wacz pages/pages.jsonl | sed -n 's/^{"url":"\([^"]*\)".*/\1/p' | sort > got1.pages
cmp -s pages1 got1.pages || { diff pages1 got1.pages | head; fail "--crawl 1: pages.jsonl's URLs"; }
n1=$(unzip -p one.wacz pages/pages.jsonl | wc -l)
unzip -p one.wacz datapackage.json | grep -q '"title": "govarch crawl 1",' || fail "--crawl 1 title"
# --from 1 --to 2: both crawls' pages
"$GOVARCH" export --archive "$A" --wacz both.wacz --from 1 --to '#2' 2> both.stderr || fail "export --from --to: $(cat both.stderr)"
nb=$(unzip -p both.wacz pages/pages.jsonl | wc -l)
[ "$nb" -eq $((n1 + $(wc -l < want.pages) - 1)) ] || fail "--from 1 --to 2: $nb lines in pages.jsonl"
unzip -p both.wacz datapackage.json | grep -q '"title": "govarch crawls 1 to 2",' || fail "--from/--to title"
# --progress: lines "export: N of M records", the last one complete
"$GOVARCH" export --archive "$A" --wacz p.wacz --progress 2> p.stderr || fail "export --progress"
tail -2 p.stderr | head -1 | grep -qE '^export: ([0-9]+) of \1 records$' || fail "progress: $(cat p.stderr)"

# ---- failures: one line, exit 1, nothing left behind ------------------------
"$GOVARCH" export --archive "$A" --wacz /dev/full > full.out 2>&1
rc=$?
[ $rc -eq 1 ] || fail "/dev/full: exit $rc"
[ "$(wc -l < full.out)" -eq 1 ] && grep -q '^govarch: export: .*/dev/full' full.out || fail "/dev/full: $(cat full.out)"
"$GOVARCH" export --archive "$A" --wacz nodir/x.wacz > nodir.out 2>&1
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l < nodir.out)" -eq 1 ] || fail "missing directory: exit $rc: $(cat nodir.out)"
"$GOVARCH" export --archive "$A" --wacz nine.wacz --crawl 9 > nine.out 2>&1
rc=$?
[ $rc -eq 1 ] && [ ! -e nine.wacz ] && [ ! -e nine.wacz.tmp ] || fail "--crawl 9: exit $rc"
grep -qx "govarch: export: $A/catalog.sqlite: no crawl 9" nine.out || fail "--crawl 9: $(cat nine.out)"
ls -a | grep -q '\.wacz\.d-' && fail "a temporary directory was left behind"
"$GOVARCH" export --archive "$A" > usage.out 2>&1
[ $? -eq 2 ] && grep -qx 'govarch: export: missing --wacz OUT.wacz' usage.out || fail "no --wacz: $(cat usage.out)"
"$GOVARCH" export --archive "$A" --wacz u.wacz --crawl 1 --from 1 > usage.out 2>&1
[ $? -eq 2 ] || fail "--crawl with --from: $(cat usage.out)"
"$GOVARCH" export --archive "$A" --wacz u.wacz --crawl x1 > usage.out 2>&1
[ $? -eq 2 ] || fail "--crawl x1: $(cat usage.out)"
"$GOVARCH" export --archive "$T/empty" --wacz u.wacz > usage.out 2>&1
[ $? -eq 1 ] && [ ! -e u.wacz ] || fail "no catalog: $(cat usage.out)"

[ $warcio_ok -eq 1 ] || skip "all checks passed but warcio: npm could not install it"
echo ok
