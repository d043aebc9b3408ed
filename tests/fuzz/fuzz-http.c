/* libFuzzer target: an HTTP message as stored in a WARC record (status line, headers, chunked and Content-Encoding gzip/deflate bodies) parsed, its payload decoded under a cap.  `make fuzz` builds it; `make fuzz-regress`
 * replays tests/fuzz/corpus/http/ through it under ASan+UBSan.  Run it with
 * new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-http && build-fuzz/fuzz-http -max_total_time=600 /tmp/fuzz-http tests/fuzz/corpus/http
 */
#include <stddef.h>
#include <stdint.h>

#include "warc/warc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct warc_http h;
	struct buf out = BUF_INIT(1u << 22);
	char mime[128], cs[64];
	struct err e;

	warc_http_init(&h);
	if (warc_http_parse(data, size, &h, &e) == 0) {
		const char *ct = warc_fields_get(&h.headers, "Content-Type");

		warc_http_payload(data, size, &h, 0, &out, &e);
		buf_reset(&out);
		warc_http_payload(data, size, &h, 1, &out, &e);
		if (ct) {
			warc_mime_only(ct, mime, sizeof(mime));
			warc_charset_of(ct, cs, sizeof(cs));
		}
	}
	(void)warc_looks_chunked(data, size);
	warc_http_release(&h);
	buf_release(&out);
	return 0;
}
