/* Unit tests for src/warc: fields, HTTP helpers, writer/reader round trips
 * in all three formats, digests against independent values, dictionaries,
 * cut files and recompress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "warc/warc.h"

/* Independent values, computed when the test was written:
 *   printf 'HTTP/1.1 200 OK\r\n...0\r\n\r\n' | sha1sum -> af78f1e8... ;
 *   base32 by python3 base64.b32encode. */
static const char chunked_block[] =
	"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
#define CHUNKED_BLOCK_SHA1 "sha1:V54PD2ED6X6IV7LSWFT5GOLSTAPWB2AF"
#define HELLO_WORLD_SHA1 "sha1:FKXGYNOJJ7H3IFO35FPUBC445EPOQRXN"
#define EMPTY_SHA1 "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"

static char tmpdir[256];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-warc-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_fields(void **state)
{
	struct warc_fields f;

	(void)state;
	warc_fields_init(&f);
	assert_int_equal(warc_fields_add(&f, "WARC-Type", "response"), 0);
	assert_int_equal(warc_fields_add(&f, "X-Evil", " a\r\nWARC-Type: x\rb\x01" "c \r\n"), 0);
	assert_string_equal(warc_fields_get(&f, "x-evil"), "a  WARC-Type: x b c");
	assert_int_equal(warc_fields_add(&f, "WARC-Concurrent-To", "<urn:uuid:1>"), 0);
	assert_int_equal(warc_fields_add(&f, "warc-concurrent-to", "<urn:uuid:2>"), 0);
	assert_string_equal(warc_fields_get_nth(&f, "WARC-CONCURRENT-TO", 1), "<urn:uuid:2>");
	assert_null(warc_fields_get_nth(&f, "WARC-Concurrent-To", 2));
	assert_int_equal(warc_fields_add(&f, "Bad Name", "x"), -1);
	assert_int_equal(warc_fields_add(&f, "Bad:Name", "x"), -1);
	assert_int_equal(warc_fields_set(&f, "WARC-Concurrent-To", "<urn:uuid:3>"), 0);
	assert_string_equal(warc_fields_get(&f, "WARC-Concurrent-To"), "<urn:uuid:3>");
	assert_null(warc_fields_get_nth(&f, "WARC-Concurrent-To", 1));
	assert_int_equal(warc_fields_remove(&f, "x-evil"), 1);
	assert_null(warc_fields_get(&f, "X-Evil"));
	assert_int_equal(warc_type_parse("Revisit"), WARC_T_REVISIT);
	assert_int_equal(warc_type_parse("bogus"), WARC_T_UNKNOWN);
	assert_int_equal(warc_profile_kind("http://netpreserve.org/warc/0.18/revisit/identical-payload-digest"), 1);
	assert_int_equal(warc_profile_kind("http://netpreserve.org/warc/1.0/revisit/uri-agnostic-identical-payload-digest"), 1);
	assert_int_equal(warc_profile_kind(WARC_PROFILE_NOT_MODIFIED), 2);
	warc_fields_release(&f);
}

static void test_http(void **state)
{
	struct warc_http h;
	struct buf out = BUF_INIT(0);
	struct err e;
	char mime[64];

	(void)state;
	warc_http_init(&h);
	assert_int_equal(warc_http_parse(chunked_block, sizeof(chunked_block) - 1, &h, &e), 0);
	assert_int_equal(h.status, 200);
	assert_int_equal(h.chunked, 1);
	assert_string_equal(warc_fields_get(&h.headers, "content-type"), "text/plain");
	assert_int_equal(warc_http_payload(chunked_block, sizeof(chunked_block) - 1, &h, 1, &out, &e), 0);
	assert_int_equal(out.len, 11);
	assert_memory_equal(out.data, "hello world", 11);
	buf_reset(&out);
	/* says chunked, stored de-chunked (pywb iana.warc.gz): kept as is */
	{
		static const char b[] = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n<html>x</html>";

		assert_int_equal(warc_http_parse(b, sizeof(b) - 1, &h, &e), 0);
		assert_int_equal(warc_http_payload(b, sizeof(b) - 1, &h, 1, &out, &e), 0);
		assert_string_equal(out.data, "<html>x</html>");
		assert_int_equal(warc_looks_chunked("<html>", 6), 0);
	}
	buf_reset(&out);
	/* Content-Encoding: br (made with BrotliEncoderCompress, quality 11);
	 * cut short, it is an error, not a short payload */
	{
		static const char b[] = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n"
			"\x1b\x2b\x00\xf8\x8d\xd4\x61\xcd\x9d\x07\x72\x1b\x5b\xb7"
			"\x35\xc4\x37\x5a\x05\x46\x11\xc6\x4b\x43\x40\x8b\x30\x02"
			"\x49\x01\x30\x01\x46\x28\x8f\x38\x0f\x8e\xf9\x6b\x75\x00"
			"\xd1";

		assert_int_equal(warc_http_parse(b, sizeof(b) - 1, &h, &e), 0);
		assert_int_equal(warc_http_payload(b, sizeof(b) - 1, &h, 1, &out, &e), 0);
		assert_string_equal(out.data, "<html><body><p>brotli body</p></body></html>");
		buf_reset(&out);
		assert_int_equal(warc_http_payload(b, sizeof(b) - 6, &h, 1, &out, &e), -1);
		assert_string_equal(e.msg, "bad br content encoding");
	}
	buf_reset(&out);
	assert_int_equal(warc_dechunk("3\r\naa\r\n0\r\n\r\n", 12, &out), -1);
	assert_int_equal(warc_looks_chunked("3\r\naa\r\n0\r\n\r\n", 12), 1);
	buf_reset(&out);
	assert_int_equal(warc_dechunk("2;x=y\r\nab\r\n0\r\n\r\n", 16, &out), 0);
	assert_string_equal(out.data, "ab");
	{
		static const char req[] = "GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n";

		assert_int_equal(warc_http_parse(req, sizeof(req) - 1, &h, &e), 0);
		assert_int_equal(h.is_request, 1);
		assert_string_equal(h.method, "GET");
		assert_string_equal(h.target, "/a?b");
	}
	assert_int_equal(warc_http_parse("HTTP/1.0 302 \r\r\nA: b\r\r\n\r\r\n", 26, &h, &e), 0);
	assert_int_equal(h.status, 302);
	assert_string_equal(h.reason, "");
	assert_int_equal(warc_http_parse("<html>", 6, &h, &e), -1);
	warc_mime_only(" Text/HTML; charset=utf-8", mime, sizeof(mime));
	assert_string_equal(mime, "text/html");
	warc_http_release(&h);
	buf_release(&out);
}

/* ---- round trips -------------------------------------------------------- */

struct expect {
	struct warc_record_out out;
	enum warc_type type;
	const char *uri;
	const char *ctype;
	struct buf block;
	const char *payload;        /* expected WARC-Payload-Digest or NULL */
};

static const char big_head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 300000\r\n\r\n";

static int make_spool(size_t n)
{
	char path[300];
	int fd;
	size_t i;

	snprintf(path, sizeof(path), "%s/spool", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	unlink(path);
	for (i = 0; i < n; i++) {
		char c = (char)('a' + (i * 7 + i / 13) % 26);

		assert_int_equal(write(fd, &c, 1), 1);
	}
	return fd;
}

static void write_all_types(struct warc_writer *w, struct expect *ex, size_t *nex)
{
	struct warc_record_in in;
	struct warc_fields extra;
	struct err e;
	const char *date = "2024-10-21T01:02:03.123456Z";
	int fd = make_spool(300000);
	size_t n = 0;

	warc_fields_init(&extra);
	warc_fields_add(&extra, "WARC-Protocol", "http/1.1");
	warc_fields_add(&extra, "WARC-Protocol", "tls/1.3");

	/* request */
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_REQUEST;
	in.target_uri = "<https://www.dpmc.govt.nz/a b>";
	in.date = date;
	in.head = "GET /a%20b HTTP/1.1\r\nHost: www.dpmc.govt.nz\r\n\r\n";
	in.head_len = strlen(in.head);
	in.ip_address = "192.0.2.1";
	assert_int_equal(warc_writer_write(w, &in, &ex[n].out, &e), 0);
	ex[n].type = in.type; ex[n].uri = "https://www.dpmc.govt.nz/a b";
	ex[n].ctype = "application/http;msgtype=request";
	buf_init(&ex[n].block, 0); buf_adds(&ex[n].block, in.head);
	ex[n].payload = NULL;
	n++;

	/* response, chunked, as two pieces */
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_RESPONSE;
	in.target_uri = "https://www.dpmc.govt.nz/a b";
	in.date = date;
	in.concurrent_to = ex[0].out.id;
	in.ip_address = "192.0.2.1";
	in.head = chunked_block;
	in.head_len = 73;
	in.body = chunked_block + 73;
	in.body_len = sizeof(chunked_block) - 1 - 73;
	in.extra = &extra;
	assert_int_equal(warc_writer_write(w, &in, &ex[n].out, &e), 0);
	assert_string_equal(ex[n].out.block_digest, CHUNKED_BLOCK_SHA1);
	assert_string_equal(ex[n].out.payload_digest, HELLO_WORLD_SHA1);
	ex[n].type = in.type; ex[n].uri = "https://www.dpmc.govt.nz/a b";
	ex[n].ctype = "application/http;msgtype=response";
	buf_init(&ex[n].block, 0); buf_adds(&ex[n].block, chunked_block);
	ex[n].payload = HELLO_WORLD_SHA1;
	n++;

	/* response with a spooled 300 kB body */
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_RESPONSE;
	in.target_uri = "https://www.dpmc.govt.nz/big.pdf";
	in.head = big_head;
	in.head_len = strlen(big_head);
	in.body_fd = fd;
	in.body_fd_len = 300000;
	assert_int_equal(warc_writer_write(w, &in, &ex[n].out, &e), 0);
	ex[n].type = in.type; ex[n].uri = in.target_uri;
	ex[n].ctype = "application/http;msgtype=response";
	buf_init(&ex[n].block, 0); buf_adds(&ex[n].block, big_head);
	{
		char tmp[65536];
		ssize_t got;
		off_t at = 0;

		while ((got = pread(fd, tmp, sizeof(tmp), at)) > 0) {
			buf_add(&ex[n].block, tmp, (size_t)got);
			at += got;
		}
	}
	ex[n].payload = "";    /* computed: checked by verify below */
	n++;

	/* revisit (identical payload, headers only) */
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_REVISIT;
	in.target_uri = "https://www.dpmc.govt.nz/a b";
	in.date = "2024-11-21T01:02:03.5Z";
	in.profile = WARC_PROFILE_IDENTICAL;
	in.refers_to = ex[1].out.id;
	in.refers_to_target_uri = "https://www.dpmc.govt.nz/a b";
	in.refers_to_date = date;
	in.truncated = "length";
	in.payload_digest = HELLO_WORLD_SHA1;
	in.head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
	in.head_len = strlen(in.head);
	assert_int_equal(warc_writer_write(w, &in, &ex[n].out, &e), 0);
	ex[n].type = in.type; ex[n].uri = in.target_uri;
	ex[n].ctype = "application/http;msgtype=response";
	buf_init(&ex[n].block, 0); buf_adds(&ex[n].block, in.head);
	ex[n].payload = HELLO_WORLD_SHA1;
	n++;

	/* metadata, resource, an empty resource */
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_METADATA;
	in.target_uri = "https://www.dpmc.govt.nz/a b";
	in.concurrent_to = ex[1].out.id;
	in.body = "outlink: https://x/ L a/@href\r\n";
	in.body_len = strlen(in.body);
	assert_int_equal(warc_writer_write(w, &in, &ex[n].out, &e), 0);
	ex[n].type = in.type; ex[n].uri = in.target_uri;
	ex[n].ctype = "application/warc-fields";
	buf_init(&ex[n].block, 0); buf_adds(&ex[n].block, in.body);
	ex[n].payload = NULL;
	n++;

	memset(&in, 0, sizeof(in));
	in.type = WARC_T_RESOURCE;
	in.target_uri = "urn:x-govarch:crawl-log";
	in.content_type = "text/plain\r\nWARC-Type: evil";
	in.body = "hello world";
	in.body_len = 11;
	assert_int_equal(warc_writer_write(w, &in, &ex[n].out, &e), 0);
	assert_string_equal(ex[n].out.block_digest, HELLO_WORLD_SHA1);
	ex[n].type = in.type; ex[n].uri = in.target_uri;
	ex[n].ctype = "text/plain  WARC-Type: evil";
	buf_init(&ex[n].block, 0); buf_adds(&ex[n].block, "hello world");
	ex[n].payload = NULL;
	n++;

	memset(&in, 0, sizeof(in));
	in.type = WARC_T_RESOURCE;
	in.target_uri = "urn:x-govarch:empty";
	assert_int_equal(warc_writer_write(w, &in, &ex[n].out, &e), 0);
	assert_string_equal(ex[n].out.block_digest, EMPTY_SHA1);
	ex[n].type = in.type; ex[n].uri = in.target_uri;
	ex[n].ctype = NULL;
	buf_init(&ex[n].block, 0);
	ex[n].payload = NULL;
	n++;

	close(fd);
	warc_fields_release(&extra);
	*nex = n;
}

static void check_record(const struct warc_record *rec, const struct expect *x)
{
	assert_int_equal(rec->offset, x->out.offset);
	assert_int_equal(rec->length, x->out.length);
	assert_string_equal(rec->version, "1.1");
	assert_int_equal(rec->type, x->type);
	assert_string_equal(rec->record_id, x->out.id);
	assert_string_equal(rec->date, x->out.date);
	assert_string_equal(rec->target_uri, x->uri);
	if (x->ctype)
		assert_string_equal(rec->content_type, x->ctype);
	else
		assert_null(rec->content_type);
	assert_int_equal(rec->block.len, x->block.len);
	assert_memory_equal(rec->block.data, x->block.data, x->block.len);
	assert_string_equal(warc_fields_get(&rec->fields, "WARC-Block-Digest"),
			    x->out.block_digest);
	if (x->payload && *x->payload)
		assert_string_equal(warc_fields_get(&rec->fields, "WARC-Payload-Digest"),
				    x->payload);
	else if (!x->payload)
		assert_null(warc_fields_get(&rec->fields, "WARC-Payload-Digest"));
	assert_int_equal(rec->problems.len, 0);
	assert_non_null(warc_fields_get(&rec->fields, "WARC-Warcinfo-ID"));
	if (x->type == WARC_T_RESPONSE && x->out.payload_digest[0] == 's' &&
	    strstr(rec->block.data, "chunked")) {
		assert_string_equal(warc_fields_get_nth(&rec->fields, "WARC-Protocol", 1), "tls/1.3");
		assert_string_equal(warc_fields_get(&rec->fields, "WARC-Concurrent-To"),
				    warc_fields_get(&rec->fields, "WARC-Concurrent-To"));
	}
	if (x->type == WARC_T_REVISIT) {
		assert_string_equal(warc_fields_get(&rec->fields, "WARC-Profile"), WARC_PROFILE_IDENTICAL);
		assert_string_equal(warc_fields_get(&rec->fields, "WARC-Truncated"), "length");
		assert_non_null(warc_fields_get(&rec->fields, "WARC-Refers-To"));
		assert_string_equal(warc_fields_get(&rec->fields, "WARC-Refers-To-Date"),
				    "2024-10-21T01:02:03.123456Z");
	}
}

static void count_cb(void *ctx, const char *path, uint64_t off, int note,
		     const char *what)
{
	(void)path;
	if (!note) {
		print_message("problem at %llu: %s\n", (unsigned long long)off, what);
		(*(int *)ctx)++;
	}
}

static void round_trip(enum warc_format fmt)
{
	struct warc_writer_opts o;
	struct warc_writer *w;
	struct warc_reader *r;
	struct warc_record *rec;
	struct expect ex[16];
	struct warc_verify_stats st;
	char path[600], name[256];
	struct err e;
	size_t n = 0, i;
	int problems = 0;

	memset(&o, 0, sizeof(o));
	o.dir = tmpdir;
	o.prefix = fmt == WARC_FMT_ZST ? "rtz" : fmt == WARC_FMT_GZ ? "rtg" : "rtp";
	o.format = fmt;
	o.warcinfo = "software: govarch test\r\nformat: WARC File Format 1.1\r\n";
	w = warc_writer_open(&o, &e);
	assert_non_null(w);
	assert_non_null(strstr(warc_writer_path(w), ".open"));
	write_all_types(w, ex, &n);
	snprintf(name, sizeof(name), "%s", ex[0].out.filename);
	assert_int_equal(warc_writer_close(w, &e), 0);
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_int_equal(access(path, F_OK), 0);
	assert_non_null(strstr(name, warc_format_ext(fmt)));

	r = warc_reader_open(path, &e);
	assert_non_null(r);
	assert_int_equal(warc_reader_compression(r),
			 fmt == WARC_FMT_ZST ? WARC_C_ZSTD : fmt == WARC_FMT_GZ ? WARC_C_GZIP : WARC_C_PLAIN);
	assert_int_equal(warc_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->type, WARC_T_WARCINFO);
	assert_string_equal(warc_fields_get(&rec->fields, "WARC-Filename"), name);
	assert_string_equal(rec->block.data, o.warcinfo);
	for (i = 0; i < n; i++) {
		assert_int_equal(warc_reader_next(r, &rec, &e), 1);
		check_record(rec, &ex[i]);
	}
	assert_int_equal(warc_reader_next(r, &rec, &e), 0);
	/* random access, backwards */
	for (i = n; i-- > 0;) {
		assert_int_equal(warc_reader_seek(r, ex[i].out.offset, &e), 0);
		assert_int_equal(warc_reader_next(r, &rec, &e), 1);
		check_record(rec, &ex[i]);
	}
	warc_reader_free(r);
	memset(&st, 0, sizeof(st));
	assert_int_equal(warc_verify_file(path, count_cb, &problems, &st), 0);
	assert_int_equal(problems, 0);
	assert_int_equal(st.records, n + 1);
	for (i = 0; i < n; i++)
		buf_release(&ex[i].block);
}

static void test_round_trip_zst(void **state) { (void)state; round_trip(WARC_FMT_ZST); }
static void test_round_trip_gz(void **state) { (void)state; round_trip(WARC_FMT_GZ); }
static void test_round_trip_plain(void **state) { (void)state; round_trip(WARC_FMT_PLAIN); }

/* A page like the site's: a big shared menu and a varying body. */
static void make_page(struct buf *b, unsigned i)
{
	unsigned k;

	buf_addf(b, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><nav>");
	for (k = 0; k < 300; k++)
		buf_addf(b, "<li><a href=\"/section-%u/page-%u\">Section %u page %u</a></li>\n",
			 k % 17, k, k % 17, k);
	buf_addf(b, "</nav><main><h1>Page %u</h1>", i);
	for (k = 0; k < 40; k++)
		buf_addf(b, "<p>Paragraph %u of page %u: %u</p>\n", k, i, (i * 2654435761u + k) % 100000);
	buf_adds(b, "</main></html>");
}

static void test_dictionary(void **state)
{
	struct warc_writer_opts o;
	struct warc_writer *w;
	struct warc_reader *r;
	struct warc_record *rec;
	struct warc_record_out out;
	struct warc_record_in in;
	struct buf page = BUF_INIT(0), dict = BUF_INIT(0);
	char files[2][256], path[600], dpath[4096];
	struct err e;
	unsigned i, nrec = 0;
	DIR *d;
	struct dirent *de;
	int nfiles = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/dict", tmpdir);
	mkdir(path, 0755);
	memset(&o, 0, sizeof(o));
	o.dir = tmpdir;
	o.prefix = "auto";
	o.train_bytes = 400000;
	o.dict_dir = path;
	w = warc_writer_open(&o, &e);
	assert_non_null(w);
	for (i = 0; i < 60; i++) {
		char uri[64];

		buf_reset(&page);
		make_page(&page, i);
		snprintf(uri, sizeof(uri), "http://127.0.0.1/p%u", i);
		memset(&in, 0, sizeof(in));
		in.type = WARC_T_RESPONSE;
		in.target_uri = uri;
		in.body = page.data;
		in.body_len = page.len;
		assert_int_equal(warc_writer_write(w, &in, &out, &e), 0);
		if (nfiles == 0 || strcmp(files[nfiles - 1], out.filename)) {
			assert_true(nfiles < 2);
			snprintf(files[nfiles++], sizeof(files[0]), "%s", out.filename);
		}
	}
	assert_int_equal(warc_writer_close(w, &e), 0);
	assert_int_equal(nfiles, 2);   /* rotated to a file with the dictionary */
	assert_int_equal(warc_dict_load_latest(path, &dict, dpath, &e), 1);
	assert_true(warc_dict_id(dict.data, dict.len) != 0);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i]);
		r = warc_reader_open(path, &e);
		assert_non_null(r);
		assert_int_equal(warc_reader_dict_id(r),
				 i == 0 ? 0 : warc_dict_id(dict.data, dict.len));
		while (warc_reader_next(r, &rec, &e) > 0)
			nrec++;
		warc_reader_free(r);
	}
	assert_int_equal(nrec, 60 + 2);
	/* no stray .open files */
	d = opendir(tmpdir);
	while ((de = readdir(d)))
		assert_null(strstr(de->d_name, "auto-") && strstr(de->d_name, ".open") ? de->d_name : NULL);
	closedir(d);
	buf_release(&page);
	buf_release(&dict);
}

static void test_cut_and_mend(void **state)
{
	struct warc_writer_opts o;
	struct warc_writer *w;
	struct warc_record_in in;
	struct warc_record_out out[20];
	struct warc_recompress_result res;
	struct warc_reader *r;
	struct warc_record *rec;
	struct buf page = BUF_INIT(0);
	char path[600], cut[600], mended[600];
	struct err e;
	unsigned i, n = 0;
	int rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.dir = tmpdir;
	o.prefix = "cut";
	w = warc_writer_open(&o, &e);
	assert_non_null(w);
	for (i = 0; i < 10; i++) {
		buf_reset(&page);
		make_page(&page, i);
		memset(&in, 0, sizeof(in));
		in.type = WARC_T_RESPONSE;
		in.target_uri = "http://127.0.0.1/";
		in.body = page.data;
		in.body_len = page.len;
		assert_int_equal(warc_writer_write(w, &in, &out[i], &e), 0);
	}
	snprintf(path, sizeof(path), "%s", warc_writer_path(w));
	/* like a crash: the .open file stays; cut it inside record 7 */
	snprintf(cut, sizeof(cut), "%s/cut-copy.warc.zst.open", tmpdir);
	{
		char cmd[1400];

		snprintf(cmd, sizeof(cmd), "head -c %llu '%s' > '%s'",
			 (unsigned long long)(out[7].offset + out[7].length / 2), path, cut);
		assert_int_equal(system(cmd), 0);
	}
	warc_writer_abort(w);
	r = warc_reader_open(cut, &e);
	assert_non_null(r);
	while ((rc = warc_reader_next(r, &rec, &e)) > 0)
		n++;
	assert_int_equal(rc, -1);
	assert_int_equal(n, 8);     /* warcinfo + 7 */
	assert_int_equal(warc_reader_good_end(r), out[7].offset);
	warc_reader_free(r);
	snprintf(mended, sizeof(mended), "%s/mended.warc.gz", tmpdir);
	assert_int_equal(warc_recompress(cut, mended, &res, &e), 0);
	assert_int_equal(res.mended, 1);
	assert_int_equal(res.records, 8);
	assert_int_equal(res.dropped, out[7].length / 2);
	buf_release(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_round_trip_zst),
		cmocka_unit_test(test_round_trip_gz),
		cmocka_unit_test(test_round_trip_plain),
		cmocka_unit_test(test_dictionary),
		cmocka_unit_test(test_cut_and_mend),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
