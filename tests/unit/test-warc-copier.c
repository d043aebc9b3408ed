/* Unit tests for warc_copier (src/warc/recompress.c): chosen records of a
 * .warc.zst copied into a .warc.gz, each one gzip member at the offset and
 * length it reports, byte for byte the same record (header and block), so
 * verify finds no problem; a second open of the same path fails (O_EXCL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "warc/warc.h"

static char dir[256];

static void noop_cb(void *ctx, const char *path, uint64_t off, int note,
		    const char *what)
{
	(void)path;
	(void)off;
	(void)what;
	if (!note)
		(*(int *)ctx)++;
}

/* One gzip member at data[0..n): its inflated bytes into out; 0 when the
 * member is exactly n bytes long. */
static int inflate_member(const unsigned char *data, size_t n, struct buf *out)
{
	z_stream z;
	unsigned char chunk[4096];
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 31) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)n;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc == Z_OK);
	inflateEnd(&z);
	return rc == Z_STREAM_END && z.avail_in == 0 ? 0 : -1;
}

static void test_copy_chosen(void **state)
{
	struct warc_writer_opts o;
	struct warc_writer *w;
	struct warc_reader *r;
	struct warc_record *rec;
	struct warc_copier *cp;
	struct warc_verify_stats vs;
	struct err e;
	char src[512], dst[512];
	uint64_t off[8], len[8], at = 0;
	struct buf want[8], got = BUF_INIT(0), file = BUF_INIT(0);
	size_t i, n = 0;
	int problems = 0;
	FILE *f;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.format = WARC_FMT_ZST;
	w = warc_writer_open(&o, &e);
	assert_non_null(w);
	for (i = 0; i < 8; i++) {
		struct warc_record_in in;
		char uri[64], body[128];

		memset(&in, 0, sizeof(in));
		snprintf(uri, sizeof(uri), "http://example.net/page-%zu", i);
		snprintf(body, sizeof(body), "HTTP/1.1 200 OK\r\nContent-Type: "
			 "text/plain\r\n\r\nbody of page %zu\n", i);
		in.type = WARC_T_RESPONSE;
		in.target_uri = uri;
		in.head = body;
		in.head_len = strlen(body);
		assert_int_equal(warc_writer_write(w, &in, NULL, &e), 0);
	}
	snprintf(src, sizeof(src), "%s", warc_writer_path(w));
	assert_int_equal(warc_writer_close(w, &e), 0);
	src[strlen(src) - 5] = '\0';        /* without .open */

	/* every other response: pages 1, 3, 5, 7 */
	snprintf(dst, sizeof(dst), "%s/out.warc.gz", dir);
	cp = warc_copier_open(dst, WARC_FMT_GZ, &e);
	assert_non_null(cp);
	assert_null(warc_copier_open(dst, WARC_FMT_GZ, &e));  /* O_EXCL */
	r = warc_reader_open(src, &e);
	assert_non_null(r);
	i = 0;
	while (warc_reader_next(r, &rec, &e) == 1) {
		if (rec->type != WARC_T_RESPONSE || i++ % 2 == 0)
			continue;
		buf_init(&want[n], 0);
		buf_add(&want[n], rec->header_raw.data, rec->header_raw.len);
		buf_add(&want[n], rec->block.data, rec->block.len);
		buf_adds(&want[n], "\r\n\r\n");
		assert_int_equal(warc_copier_add(cp, rec, &off[n], &len[n], &e), 0);
		assert_int_equal(off[n], at);
		at += len[n];
		assert_int_equal(warc_copier_size(cp), at);
		n++;
	}
	warc_reader_free(r);
	assert_int_equal(n, 4);
	assert_int_equal(warc_copier_close(cp, &e), 0);

	/* each record is one member exactly where it was reported */
	f = fopen(dst, "rb");
	assert_non_null(f);
	{
		char chunk[4096];
		size_t k;

		while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&file, chunk, k);
	}
	fclose(f);
	assert_int_equal(file.len, at);
	for (i = 0; i < n; i++) {
		buf_reset(&got);
		assert_int_equal(inflate_member((unsigned char *)file.data +
						off[i], len[i], &got), 0);
		assert_int_equal(got.len, want[i].len);
		assert_memory_equal(got.data, want[i].data, got.len);
		buf_release(&want[i]);
	}
	memset(&vs, 0, sizeof(vs));
	assert_int_equal(warc_verify_file(dst, noop_cb, &problems, &vs), 0);
	assert_int_equal(problems, 0);
	assert_int_equal(vs.records, 4);
	buf_release(&got);
	buf_release(&file);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test-warc-copier-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_chosen),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
