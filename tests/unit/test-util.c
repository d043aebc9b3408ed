/* Unit tests for src/util: buf, digest/base32, timeutil, uuid, sqlite,
 * hashmap, fpset, escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/digest.h"
#include "util/escape.h"
#include "util/fdio.h"
#include "util/fpset.h"
#include "util/hashmap.h"
#include "util/timeutil.h"
#include "util/sqlite.h"
#include "util/uuid.h"

#include "test-helpers.h"

static void test_buf_cap(void **state)
{
	struct buf b = BUF_INIT(8);

	(void)state;
	assert_string_equal(b.data, "");
	assert_int_equal(buf_adds(&b, "abcd"), 0);
	assert_int_equal(buf_addf(&b, "%d", 123), 0);
	assert_string_equal(b.data, "abcd123");
	assert_int_equal(buf_adds(&b, "xy"), -1);   /* would be 9 > 8 */
	assert_string_equal(b.data, "abcd123");
	assert_int_equal(buf_addc(&b, 'z'), 0);
	assert_int_equal(b.len, 8);
	buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
}

static void test_buf_addi(void **state)
{
	struct buf b = BUF_INIT(0);
	const long long v[] = { 0, 7, -7, 10, 1234567890123LL,
				9223372036854775807LL, -9223372036854775807LL - 1 };
	char want[256] = "";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(buf_addi(&b, v[i]), 0);
		assert_int_equal(buf_addc(&b, ','), 0);
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "%lld,", v[i]);
	}
	assert_string_equal(b.data, want);
	buf_release(&b);
}

static void test_sha1_base32(void **state)
{
	char label[40];
	uint8_t raw[DIGEST_MAX];
	enum digest_alg alg;
	size_t n;

	(void)state;
	/* sha1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709 */
	digest_sha1_label("", 0, label);
	assert_string_equal(label, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
	assert_int_equal(digest_parse(label, &alg, raw, &n), 0);
	assert_int_equal(alg, DIGEST_SHA1);
	assert_int_equal(n, 20);
	assert_int_equal(raw[0], 0xda);
	assert_int_equal(digest_parse("sha-1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
				      &alg, raw, &n), 0);
	assert_int_equal(raw[19], 0x09);
	assert_int_equal(digest_parse("sha1:2jmj7l5rSw0yVb/vlWAYkK/YBwk=", &alg, raw, &n), 0);
	assert_int_equal(raw[1], 0x39);
	assert_int_equal(digest_parse("crc32:abcd", &alg, raw, &n), -1);
}

/* time_iso as it was, parsing and printing every date (its fast path
 * for dates already in form must answer the same). */
static void iso_slow(const char *s, char out[32])
{
	struct tm tm;
	time_t t;

	if (time_parse_warc_date(s, &t) < 0 && time_parse_ts(s, &t) < 0) {
		snprintf(out, 32, "%s", s);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void test_time_iso(void **state)
{
	static const char *const in[] = {
		"2024-10-01T00:02:03Z", "2024-02-29T12:00:00Z",
		"2023-02-29T12:00:00Z", "1900-02-29T00:00:00Z",
		"2000-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
		"2024-12-31T23:59:59Z", "2024-13-01T00:00:00Z",
		"2024-00-10T00:00:00Z", "2024-01-00T00:00:00Z",
		"2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z",
		"2024-06-30T23:59:60Z", "0999-01-01T00:00:00Z",
		"1000-01-01T00:00:00Z", "2024-10-01T00:02:03.5Z",
		"2024-10-01T00:02Z", "2024-10-01T00:02:03", "20241001000203",
		"2024-10-01T00:02:03Zx", "2024-1O-01T00:02:03Z", "", "nonsense" };
	char got[32], want[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		time_iso(in[i], got);
		iso_slow(in[i], want);
		if (strcmp(got, want))
			fail_msg("time_iso(\"%s\") = \"%s\", want \"%s\"", in[i],
				 got, want);
	}
}

static void test_time(void **state)
{
	struct timespec t = { 1729472523, 123456000 };
	char out[32];
	time_t p;

	(void)state;
	time_warc_date(t, out);
	assert_string_equal(out, "2024-10-21T01:02:03.123456Z");
	assert_int_equal(time_parse_warc_date(out, &p), 0);
	assert_int_equal(p, 1729472523);
	assert_int_equal(time_parse_warc_date("2024-10-21T01:02:03Z", &p), 0);
	assert_int_equal(p, 1729472523);
	time_ts14(p, out);
	assert_string_equal(out, "20241021010203");
	assert_int_equal(time_parse_ts("20241021T0102", &p), 0);
	assert_int_equal(p, 1729472520);
	assert_int_equal(time_parse_ts("2024", &p), 0);
	assert_int_equal(p, 1704067200);
	/* the full ISO 8601 form FROM/TO take: 14 digits, then Z */
	assert_int_equal(time_parse_ts("2024-10-21T01:02:03Z", &p), 0);
	assert_int_equal(p, 1729472523);
	assert_int_equal(time_parse_ts("2024-10-21T01:02:03ZZ", &p), -1);
	assert_int_equal(time_parse_http_date("Mon, 21 Oct 2024 01:02:03 GMT", &p), 0);
	assert_int_equal(p, 1729472523);
	assert_int_equal(time_parse_ts("20x4", &p), -1);
}

static void test_uuid(void **state)
{
	char a[48], b[48];

	(void)state;
	uuid_record_id(a);
	uuid_record_id(b);
	assert_int_equal(strlen(a), 47);
	assert_memory_equal(a, "<urn:uuid:", 10);
	assert_int_equal(a[24], '4');
	assert_string_not_equal(a, b);
}

static void test_fpset(void **state)
{
	struct fpset s;
	uint64_t i;

	(void)state;
	fpset_init(&s);
	for (i = 0; i < 100000; i++)
		assert_int_equal(fpset_add(&s, i * 0x100000001ull), 1);
	assert_int_equal(fpset_count(&s), 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(fpset_add(&s, i * 0x100000001ull), 0);
	/* 0 is stored as 1: both are one member */
	assert_int_equal(fpset_add(&s, 1), 0);
	assert_int_equal(fpset_add(&s, UINT64_MAX), 1);
	assert_int_equal(fpset_count(&s), 100001);
	/* at most half the slots used, so a member costs 16 to 32 bytes */
	assert_true(s.nslots >= 2 * fpset_count(&s));
	assert_true(s.nslots <= 4 * fpset_count(&s));
	fpset_release(&s);
	assert_int_equal(fpset_count(&s), 0);
	assert_int_equal(fpset_add(&s, 7), 1);
	fpset_release(&s);
}

static void test_sqlite(void **state)
{
	char dir[] = "/tmp/govarch-test-util-XXXXXX", path[64], bad[80], want[128];
	struct db d, ro;
	struct err e = { "" };
	sqlite3_stmt *a = NULL, *b = NULL;
	static const char sql[] = "SELECT v FROM t WHERE k = ?";

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.sqlite", dir);
	snprintf(bad, sizeof(bad), "%s/missing/x.sqlite", dir);
	assert_int_equal(db_open(&d, bad, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, bad));
	assert_null(strchr(e.msg, '\n'));
	assert_int_equal(db_open(&ro, path, DB_READONLY, NULL, &e), -1);
	assert_int_equal(db_open(&d, path, 0, NULL, &e), 0);
	assert_int_equal(db_exec(&d, "CREATE TABLE t(k TEXT, v TEXT);"
				 "INSERT INTO t VALUES('a', 'b')", &e), 0);
	/* the same statement every time, reset and unbound */
	assert_int_equal(db_cached(&d, sql, &a, &e), 0);
	db_bind_str(a, 1, "a");
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(db_cached(&d, sql, &b, &e), 0);
	assert_ptr_equal(a, b);
	assert_int_equal(sqlite3_step(b), SQLITE_DONE);   /* k = NULL */
	sqlite3_reset(b);
	assert_int_equal(db_exec(&d, "SELECT nosuch FROM t", &e), -1);
	snprintf(want, sizeof(want), "%s: no such column: nosuch", path);
	assert_string_equal(e.msg, want);
	assert_int_equal(db_open(&ro, path, DB_READONLY, NULL, &e), 0);
	assert_int_equal(db_exec(&ro, "INSERT INTO t VALUES('c', 'd')", &e), -1);
	assert_non_null(strstr(e.msg, "readonly"));
	db_close(&ro);
	db_close(&d);
	test_rmrf(dir);
}

static void test_hmap_grow_and_find(void **state)
{
	struct hmap m = HMAP_INIT(HMAP_COPY_KEYS, 0);
	struct hmap_entry *x;
	char key[32];
	size_t pos = 0, seen = 0;
	uint64_t sum = 0;
	int i;

	(void)state;
	assert_null(hmap_get(&m, "a", 1));
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(hmap_put(&m, key, strlen(key), &x), 1);
		assert_int_equal(x->num, 0);
		x->num = (uint64_t)i;
	}
	assert_int_equal(hmap_count(&m), 10000);
	snprintf(key, sizeof(key), "k%d", 1234);
	assert_int_equal(hmap_put(&m, key, strlen(key), &x), 0);
	assert_int_equal(x->num, 1234);
	assert_string_equal(x->key, "k1234");   /* a copy, NUL-terminated */
	assert_non_null(x = hmap_get(&m, "k9999", 5));
	assert_int_equal(x->num, 9999);
	assert_null(hmap_get(&m, "k10000", 6));
	assert_null(hmap_get(&m, "k1", 1));     /* a prefix is another key */
	while ((x = hmap_next(&m, &pos))) {
		seen++;
		sum += x->num;
	}
	assert_int_equal(seen, 10000);
	assert_int_equal(sum, 10000ull * 9999 / 2);
	hmap_release(&m);
	assert_int_equal(hmap_count(&m), 0);
	assert_null(hmap_get(&m, "k1", 2));
}

static void test_hmap_borrowed_cap_bytes(void **state)
{
	static const char a[] = "x\0y", b[] = "x\0z";
	struct hmap m;
	struct hmap_entry *x;
	int v = 7;

	(void)state;
	hmap_init(&m, 0, 2);
	assert_int_equal(hmap_put(&m, a, 3, &x), 1);   /* bytes, NUL inside */
	assert_ptr_equal(x->key, a);                    /* borrowed */
	x->ptr = &v;
	assert_int_equal(hmap_put(&m, b, 3, &x), 1);
	assert_int_equal(hmap_put(&m, "", 0, &x), HMAP_FULL);
	assert_int_equal(hmap_put(&m, a, 3, &x), 0);    /* known keys still found */
	assert_ptr_equal(x->ptr, &v);
	assert_null(hmap_get(&m, "x", 1));
	assert_int_equal(hmap_count(&m), 2);
	hmap_release(&m);
	/* the empty key is a key like any other */
	assert_int_equal(hmap_reserve(&m, 100), 0);
	assert_int_equal(hmap_put(&m, "", 0, &x), 1);
	assert_non_null(hmap_get(&m, "", 0));
	hmap_release(&m);
}

static void test_hmap_hash(void **state)
{
	(void)state;
	/* FNV-1a 64 test vectors, from FNV's own offset basis */
	assert_int_equal(hmap_hash_more(0xcbf29ce484222325ull, "a", 1),
			 0xaf63dc4c8601ec8cull);
	assert_int_equal(hmap_hash_more(0xcbf29ce484222325ull, "foobar", 6),
			 0x85944171f73967e8ull);
	assert_int_equal(hmap_hash_more(hmap_hash_more(HMAP_HASH_BASIS, "fo", 2),
					"obar", 4),
			 hmap_hash_more(HMAP_HASH_BASIS, "foobar", 6));
}

/* fd_read_all: across short reads (a pipe written in two pieces), and
 * fewer bytes at end of file */
static void test_fd_read_all(void **state)
{
	char got[16];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fd_write_all(fds[1], "abc", 3), 0);
	assert_int_equal(fd_write_all(fds[1], "defg", 4), 0);
	assert_int_equal(fd_read_all(fds[0], got, 5), 5);
	assert_memory_equal(got, "abcde", 5);
	close(fds[1]);
	assert_int_equal(fd_read_all(fds[0], got, sizeof(got)), 2);
	assert_memory_equal(got, "fg", 2);
	assert_int_equal(fd_read_all(fds[0], got, sizeof(got)), 0);
	close(fds[0]);
	assert_int_equal(fd_read_all(-1, got, 1), -1);
}

/* fd_replace_file: the whole file replaced, nothing left beside it; into
 * a missing directory one line naming the .tmp it could not make */
static void test_fd_replace_file(void **state)
{
	char dir[] = "/tmp/govarch-test-util-XXXXXX", path[64], tmp[72],
	     bad[80], got[16];
	struct err e = { "" };
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(bad, sizeof(bad), "%s/missing/f", dir);
	assert_int_equal(fd_replace_file(path, "longer one", 10, 0, &e), 0);
	assert_int_equal(fd_replace_file(path, "new", 3, 1, &e), 0);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(got, 1, sizeof(got), f);
	fclose(f);
	assert_int_equal(n, 3);
	assert_memory_equal(got, "new", 3);
	assert_null(fopen(tmp, "rb"));
	assert_int_equal(fd_replace_file(bad, "x", 1, 0, &e), -1);
	assert_non_null(strstr(e.msg, "/missing/f.tmp: "));
	assert_null(strchr(e.msg, '\n'));
	unlink(path);
	rmdir(dir);
}

static void test_escaping(void **state)
{
	struct buf b = BUF_INIT(0);

	(void)state;
	assert_int_equal(escape_json(&b, "a\"b\\c\n\x01\x7f\xff \xc3\xa9 "
				     "\xed\xa0\x80</", 18), 0);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001\\u007f\xef\xbf\xbd "
			    "\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd</\"");
	buf_reset(&b);
	assert_int_equal(escape_html(&b, "<script>&'\"\xc0", 12), 0);
	assert_string_equal(b.data, "&lt;script&gt;&amp;&#39;&quot;\xef\xbf\xbd");
	buf_release(&b);
	buf_init(&b, 4);                /* the cap holds */
	assert_int_equal(escape_json(&b, "abcdef", 6), -1);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_addi),
		cmocka_unit_test(test_sha1_base32),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_time_iso),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_sqlite),
		cmocka_unit_test(test_hmap_grow_and_find),
		cmocka_unit_test(test_hmap_borrowed_cap_bytes),
		cmocka_unit_test(test_hmap_hash),
		cmocka_unit_test(test_fpset),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_fd_read_all),
		cmocka_unit_test(test_fd_replace_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
