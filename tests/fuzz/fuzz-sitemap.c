/* libFuzzer target: a sitemap or sitemap index, plain or gzip, parsed with its limits.  `make fuzz` builds it; `make fuzz-regress`
 * replays tests/fuzz/corpus/sitemap/ through it under ASan+UBSan.  Run it with
 * new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-sitemap && build-fuzz/fuzz-sitemap -max_total_time=600 /tmp/fuzz-sitemap tests/fuzz/corpus/sitemap
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crawl/sitemap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crawl_sitemap sm;
	struct err e;
	char *s;
	time_t t;

	crawl_sitemap_init(&sm);
	crawl_sitemap_parse(&sm, data, size,
			    "https://www.dpmc.govt.nz/sitemap.xml", &e);
	crawl_sitemap_release(&sm);
	/* the input as a <lastmod> value too */
	if (size < 256 && (s = malloc(size + 1))) {
		memcpy(s, data, size);
		s[size] = '\0';
		(void)crawl_sitemap_parse_datetime(s, &t);
		free(s);
	}
	return 0;
}
