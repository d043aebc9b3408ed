/* test-warc-repack: warc_repack (govarch compact's WARC half): every record
 * of several files copied in order into one .warc.zst, each its own frame
 * at the offset the moves say, byte for byte; a damaged input refused with
 * nothing left behind; an existing output never overwritten. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "warc/warc.h"
#include "test-helpers.h"

/* A file of n request/response pairs (pages differ in a counter), path in
 * out (4096 bytes); plain or zst. */
static void write_file(const char *dir, const char *prefix, unsigned n,
		       enum warc_format fmt, char *out)
{
	struct warc_writer_opts o;
	struct warc_writer *w;
	struct buf body = BUF_INIT(0);
	char uri[128];
	struct err e;
	unsigned i;

	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.prefix = prefix;
	o.format = fmt;
	w = warc_writer_open(&o, &e);
	assert_non_null(w);
	snprintf(out, 4096, "%s", warc_writer_path(w));
	for (i = 0; i < n; i++) {
		struct warc_record_in in;
		static const char head[] = "HTTP/1.1 200 OK\r\n"
			"Content-Type: text/html\r\n\r\n";
		unsigned k;

		snprintf(uri, sizeof(uri), "http://127.0.0.1/%s/page-%u", prefix, i);
		memset(&in, 0, sizeof(in));
		in.type = WARC_T_REQUEST;
		in.target_uri = uri;
		in.head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
		in.head_len = strlen(in.head);
		assert_int_equal(warc_writer_write(w, &in, NULL, &e), 0);
		buf_reset(&body);
		for (k = 0; k < 200; k++)
			buf_addf(&body, "<p>line %u of page %u, the same menu</p>\n",
				 k, i);
		memset(&in, 0, sizeof(in));
		in.type = WARC_T_RESPONSE;
		in.target_uri = uri;
		in.head = head;
		in.head_len = sizeof(head) - 1;
		in.body = body.data;
		in.body_len = body.len;
		assert_int_equal(warc_writer_write(w, &in, NULL, &e), 0);
	}
	assert_int_equal(warc_writer_close(w, &e), 0);
	/* the closed file has lost its .open */
	out[strlen(out) - 5] = '\0';
	buf_release(&body);
}

/* Every record of path in order: header and block bytes, and offsets. */
struct recs {
	struct buf bytes[64];
	uint64_t off[64];
	size_t n;
};

static void read_all(const char *path, struct recs *r)
{
	struct warc_reader *rd;
	struct warc_record *rec;
	struct err e;

	rd = warc_reader_open(path, &e);
	assert_non_null(rd);
	while (warc_reader_next(rd, &rec, &e) > 0) {
		assert_true(r->n < 64);
		r->bytes[r->n] = (struct buf)BUF_INIT(0);
		buf_add(&r->bytes[r->n], rec->header_raw.data, rec->header_raw.len);
		buf_add(&r->bytes[r->n], rec->block.data, rec->block.len);
		r->off[r->n++] = rec->offset;
	}
	warc_reader_free(rd);
}

static void recs_release(struct recs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		buf_release(&r->bytes[i]);
	r->n = 0;
}

static void test_repack(void **state)
{
	char tmpl[] = "/tmp/test-warc-repack.XXXXXX", a[4096], b[4096];
	char out[4200], bad[4200];
	const char *in[2];
	struct warc_repack_result res;
	struct recs ra = { 0 }, rb = { 0 }, ro = { 0 };
	struct stat st;
	struct err e;
	size_t i;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	write_file(tmpl, "a", 12, WARC_FMT_ZST, a);
	write_file(tmpl, "b", 9, WARC_FMT_PLAIN, b);
	in[0] = a;
	in[1] = b;
	snprintf(out, sizeof(out), "%s/out-c.warc.zst", tmpl);
	assert_int_equal(warc_repack(in, 2, out, 19, &res, &e), 0);
	read_all(a, &ra);
	read_all(b, &rb);
	read_all(out, &ro);
	/* warcinfo + 24 records, warcinfo + 18 */
	assert_int_equal(ra.n, 25);
	assert_int_equal(rb.n, 19);
	assert_int_equal(res.n, 44);
	assert_int_equal(ro.n, 44);
	assert_int_not_equal(res.dict_id, 0);
	for (i = 0; i < res.n; i++) {
		const struct recs *src = res.moves[i].in ? &rb : &ra;
		size_t k = res.moves[i].in ? i - 25 : i;

		assert_int_equal(res.moves[i].in, i < 25 ? 0 : 1);
		assert_int_equal(res.moves[i].old_offset, src->off[k]);
		assert_int_equal(res.moves[i].offset, ro.off[i]);
		assert_int_equal(ro.bytes[i].len, src->bytes[k].len);
		assert_memory_equal(ro.bytes[i].data, src->bytes[k].data,
				    src->bytes[k].len);
	}
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal((uint64_t)st.st_size, res.bytes_out);
	warc_repack_release(&res);

	/* an existing output is not overwritten, and not removed */
	assert_int_equal(warc_repack(in, 2, out, 19, &res, &e), -1);
	assert_int_equal(stat(out, &st), 0);

	/* a damaged input: refused, no output left */
	snprintf(bad, sizeof(bad), "%s/bad.warc", tmpl);
	f = fopen(bad, "wb");
	assert_non_null(f);
	for (i = 0; i < rb.n; i++) {
		fwrite(rb.bytes[i].data, 1, rb.bytes[i].len - (i == 5 ? 7 : 0), f);
		fputs("\r\n\r\n", f);
	}
	fclose(f);
	in[1] = bad;
	snprintf(out, sizeof(out), "%s/out2-c.warc.zst", tmpl);
	assert_int_equal(warc_repack(in, 2, out, 19, &res, &e), -1);
	assert_int_equal(stat(out, &st), -1);
	recs_release(&ra);
	recs_release(&rb);
	recs_release(&ro);
	test_rmrf(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_repack) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
