#!/bin/sh
# Archives written by the WARC writer (tests/unit/test-warc-write) in all
# three formats verify clean and list the same records; recompress between
# the formats keeps every record byte for byte; cut and .open files are
# mended with a warning; OUT is never left partial.
set -u
W="$(dirname "$GOVARCH")/tests/test-warc-write"
[ -x "$W" ] || { echo "skip: $W not built"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
cd "$T" || exit 1
mkdir zst gz warc
"$W" zst zst 40 || bad "writing zst"
"$W" gz gz 40 || bad "writing gz"
"$W" warc warc 40 || bad "writing warc"
ls zst/*.open gz/*.open warc/*.open 2>/dev/null && bad "writer left .open files"
[ "$(ls zst/*.warc.zst | wc -l)" -eq 2 ] || bad "zst: wanted 2 files (before and after the dictionary): $(ls zst)"
ls zst/dict/*.zdict.zst > /dev/null || bad "zst: no dictionary kept in zst/dict"

# verify: clean, every format
for d in zst gz warc; do
	out=$("$GOVARCH" verify $d) || bad "verify $d: $out"
	echo "$out" | tail -1 | grep -q ' 0 problems, 0 notes$' || bad "verify $d: $out"
done
"$GOVARCH" verify zst gz warc | tail -1 | grep -qx 'verify: 4 files, 367 records, 0 problems, 0 notes' ||
	bad "verify all: $("$GOVARCH" verify zst gz warc | tail -1)"

# ls: same records (type, date, URI, status, mime) in every format
for d in zst gz warc; do
	for f in $d/*.warc*; do "$GOVARCH" ls "$f"; done | awk -F'\t' '$3 != "warcinfo"' |
		cut -f3- > ls-$d.txt
done
cmp -s ls-zst.txt ls-gz.txt || bad "ls zst and gz differ"
cmp -s ls-gz.txt ls-warc.txt || bad "ls gz and warc differ"
[ "$(wc -l < ls-warc.txt)" -eq 121 ] || bad "ls: $(wc -l < ls-warc.txt) records, wanted 121"
grep -c '^revisit	' ls-warc.txt | grep -qx 8 || bad "wanted 8 revisits"
head -2 ls-warc.txt | tail -1 | grep -q '^response	2024-10-21T01:02:03.123456Z	http://127.0.0.1:8000/our-programmes/page-0	200	text/html$' ||
	bad "ls response line: $(head -2 ls-warc.txt | tail -1)"

# recompress chain: zst -> warc -> gz -> zst -> warc, byte-identical records
z=$(ls zst/*.warc.zst | tail -1)
"$GOVARCH" recompress "$z" a.warc 2> err || bad "recompress zst->warc: $(cat err)"
[ -s err ] && bad "unexpected warning: $(cat err)"
"$GOVARCH" recompress a.warc b.warc.gz || bad "recompress warc->gz"
"$GOVARCH" recompress b.warc.gz c.warc.zst || bad "recompress gz->zst"
"$GOVARCH" recompress c.warc.zst d.warc || bad "recompress zst->warc"
cmp -s a.warc d.warc || bad "records changed along zst->warc->gz->zst->warc"
for f in a.warc b.warc.gz c.warc.zst d.warc; do
	"$GOVARCH" verify $f > /dev/null || bad "verify $f: $("$GOVARCH" verify $f)"
done
# the plain file holds exactly what the writer's zst holds
"$GOVARCH" ls "$z" | cut -f3- > l1; "$GOVARCH" ls a.warc | cut -f3- > l2
cmp -s l1 l2 || bad "ls differs after recompress"
# payloads survive, also de-chunked (page-1 is chunked)
off=$("$GOVARCH" ls c.warc.zst | awk -F'\t' '$3=="response"{print $1; exit}')
"$GOVARCH" cat c.warc.zst "$off" --payload | head -c 15 | grep -q '<!DOCTYPE html>' || bad "cat --payload"
off=$("$GOVARCH" ls b.warc.gz | awk -F'\t' '$3=="response"{print $1; exit}')
"$GOVARCH" cat b.warc.gz "$off" > /dev/null || bad "cat gz"

# bz2 and xz inputs (through libarchive): same records, read in order
for c in bzip2 xz; do
	command -v $c > /dev/null || continue
	$c -c a.warc > a.warc.$c
	"$GOVARCH" ls a.warc.$c | cut -f3- > l3
	cmp -s l2 l3 || bad "ls of a.warc.$c differs"
	off=$("$GOVARCH" ls a.warc.$c | sed -n 5p | cut -f1)
	"$GOVARCH" cat a.warc "$off" > c1 && "$GOVARCH" cat a.warc.$c "$off" > c2 && cmp -s c1 c2 ||
		bad "cat a.warc.$c $off differs"
	"$GOVARCH" recompress a.warc.$c from-$c.warc && cmp -s a.warc from-$c.warc || bad "recompress $c"
done

# a zst cut in the middle: mended, with a warning naming the dropped bytes
size=$(wc -c < c.warc.zst)
head -c $((size / 2)) c.warc.zst > cut.warc.zst.open
"$GOVARCH" ls cut.warc.zst.open > cut.ls 2> cut.err && bad "ls of a cut file succeeded"
grep -q 'record cut short' cut.err || bad "cut: $(cat cut.err)"
last=$(tail -1 cut.ls | cut -f1); lastlen=$(tail -1 cut.ls | cut -f2)
good=$((last + lastlen)); drop=$((size / 2 - good))
"$GOVARCH" recompress cut.warc.zst.open mended.warc.gz 2> warn || bad "recompress cut: $(cat warn)"
[ "$(wc -l < warn)" -eq 1 ] || bad "wanted one warning line: $(cat warn)"
grep -q "^govarch: recompress: warning: cut.warc.zst.open: mended: kept $(wc -l < cut.ls) records up to offset $good, dropped $drop bytes" warn ||
	bad "warning: $(cat warn) (wanted offset $good, $drop bytes)"
"$GOVARCH" verify mended.warc.gz > v.out || bad "mended file: $(cat v.out)"
[ "$("$GOVARCH" ls mended.warc.gz | wc -l)" -eq "$(wc -l < cut.ls)" ] || bad "mended record count"

# a cut plain file and a cut gz: same
size=$(wc -c < a.warc)
head -c $((size - 1000)) a.warc > cutp.warc
"$GOVARCH" recompress cutp.warc cutp.warc.zst 2> warn || bad "recompress cut plain"
grep -q 'mended: kept .* dropped [1-9][0-9]* bytes' warn || bad "cut plain warning: $(cat warn)"
"$GOVARCH" verify cutp.warc.zst > /dev/null || bad "verify cutp.warc.zst"

# never a partial OUT
printf 'this is not a WARC file\n' > junk.warc
"$GOVARCH" recompress junk.warc out.warc.gz 2> err && bad "recompress of junk succeeded"
[ -e out.warc.gz ] || [ -e out.warc.gz.tmp ] && bad "junk: OUT or OUT.tmp left behind"
"$GOVARCH" recompress a.warc out.txt 2> err; rc=$?
[ $rc -ne 0 ] || bad "recompress to .txt succeeded"
[ -e out.txt ] && bad "out.txt written"

# gowarc's .open fixtures: mended, warning, output verifies
C="${SHARED:-}/warc-corpus"
if [ -d "$C" ]; then
	for f in "$C"/gowarc__*.open; do
		n=$(basename "$f" .warc.gz.open)
		if [ "$n" = gowarc__empty ]; then
			"$GOVARCH" recompress "$f" $n.warc.gz 2> err && bad "$n: recompress of an empty file succeeded"
			[ -e $n.warc.gz ] && bad "$n: OUT written"
			continue
		fi
		"$GOVARCH" recompress "$f" $n.warc.gz 2> err || { bad "$n: $(cat err)"; continue; }
		grep -q "^govarch: recompress: warning: .*$n.warc.gz.open: mended: kept [0-9]* records" err || bad "$n: warning: $(cat err)"
		"$GOVARCH" verify $n.warc.gz > v.out || bad "$n: $(cat v.out)"
	done
	"$GOVARCH" recompress "$C/gowarc__corrupted-mid-record.warc.gz.open" x.warc 2> err
	grep -q 'kept 12 records up to offset 1219, dropped 34 bytes' err || bad "corrupted-mid-record: $(cat err)"
	"$GOVARCH" recompress "$C/gowarc__corrupted-trailing-bytes.warc.gz.open" y.warc.zst 2> err
	grep -q 'kept 30 records up to offset 2362, dropped 55 bytes' err || bad "corrupted-trailing-bytes: $(cat err)"
	[ "$("$GOVARCH" ls y.warc.zst | wc -l)" -eq 30 ] || bad "y.warc.zst records"
fi

[ $fail -eq 0 ] && echo ok
exit $fail
