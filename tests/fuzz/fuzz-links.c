/* libFuzzer target for src/crawl/links: extract links from any bytes, as
 * HTML (with and without a declared charset) and as CSS.  Not built by
 * default; build and run with:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *     tests/fuzz/fuzz-links.c src/crawl/links.c src/util/url.c \
 *     src/util/buf.c src/util/err.c \
 *     $(pkg-config --cflags --libs libxml-2.0 libcurl) -o fuzz-links
 *   ./fuzz-links -max_total_time=60 tests/fuzz/corpus-links
 */
#include <stddef.h>
#include <stdint.h>

#include "crawl/links.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *base = "https://www.dpmc.govt.nz/news/item";
	struct crawl_links l;
	struct err e;

	crawl_links_init(&l, 1000);
	crawl_links_from_html(&l, s, size, base, NULL, &e);
	crawl_links_from_html(&l, s, size, base,
			      "text/html; charset=windows-1252", &e);
	crawl_links_from_css(&l, s, size, base, &e);
	crawl_links_release(&l);
	return 0;
}
