/* fuzz-warc-reader: libFuzzer target for the WARC reader, verify and the
 * HTTP helpers.  Not built by default; `make fuzz` builds it (clang, against the whole library);
 * run it with new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-warc-reader && build-fuzz/fuzz-warc-reader -max_len=65536 /tmp/fuzz-warc-reader tests/fuzz/corpus/warc-reader
 *
 * The input is written to a temporary file (the reader works on paths),
 * read record by record, every record verified, its HTTP head parsed and
 * payload decoded, then each record re-read by offset. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warc/warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_report(void *ctx, const char *path, uint64_t off, int note,
		      const char *what)
{
	(void)ctx; (void)path; (void)off; (void)note; (void)what;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct warc_reader *r;
	struct warc_record *rec;
	struct warc_verify_stats st;
	uint64_t offs[64];
	size_t n = 0, i;
	struct err e;
	FILE *f;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-warc-%d.warc", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	memset(&st, 0, sizeof(st));
	r = warc_reader_open(path, &e);
	if (!r)
		return 0;
	warc_reader_set_max_block(r, 1 << 20);
	while (n < 64 && warc_reader_next(r, &rec, &e) > 0) {
		struct warc_http h;
		struct buf out = BUF_INIT(1 << 22);

		offs[n++] = rec->offset;
		warc_verify_record(path, rec, no_report, NULL, &st);
		warc_http_init(&h);
		if (warc_http_parse(rec->block.data, rec->block.len, &h, &e) == 0)
			warc_http_payload(rec->block.data, rec->block.len, &h, 1, &out, &e);
		warc_http_release(&h);
		buf_release(&out);
	}
	for (i = 0; i < n && warc_reader_seekable(r); i++)
		if (warc_reader_seek(r, offs[i], &e) == 0)
			warc_reader_next(r, &rec, &e);
	warc_reader_free(r);
	return 0;
}
