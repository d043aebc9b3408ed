/* libFuzzer target for src/crawl/links: extract links from any bytes, as
 * HTML (with and without a declared charset) and as CSS.  Not built by
 * default; `make fuzz` builds it (clang, against the whole library);
 * run it with new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-links && build-fuzz/fuzz-links -max_total_time=60 /tmp/fuzz-links tests/fuzz/corpus/links
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
