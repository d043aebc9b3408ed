/* libFuzzer target for src/html and src/crawl/links: links from any bytes,
 * as HTML (no charset, windows-1252, a lying UTF-16) and as CSS.  Not built by
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
	for (int i = 0; i < 3; i++) {
		static const char *const types[] = { NULL,
			"text/html; charset=windows-1252",
			"text/html; charset=utf-16" };
		struct html_doc *d;

		if (html_parse(s, size, types[i], base, 0, &d, &e) < 0)
			continue;
		crawl_links_from_doc(&l, d, &e);
		html_free(d);
	}
	crawl_links_from_css(&l, s, size, base, &e);
	crawl_links_release(&l);
	return 0;
}
