/* libFuzzer target for src/crawl/robots: parse any bytes, then ask about a
 * few paths.  Not built by default; `make fuzz` builds it (clang, against the whole library);
 * run it with new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-robots && build-fuzz/fuzz-robots -max_total_time=60 /tmp/fuzz-robots tests/fuzz/corpus/robots
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crawl/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/", "/robots.txt", "/a/b?c=d", "/%7Ejoe/x.gif", "/x$",
		"/search-results?f%5B0%5D=type", "",
	};
	struct crawl_robots *r;
	size_t i;

	r = crawl_robots_parse((const char *)data, size, "govarch/0.1");
	if (!r)
		return 0;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		crawl_robots_allowed(r, paths[i]);
	/* the input's own first line as a path too */
	if (size && size < 4096 && data[0] == '/' && !memchr(data, 0, size)) {
		char path[4097];

		memcpy(path, data, size);
		path[size] = '\0';
		path[strcspn(path, "\r\n")] = '\0';
		crawl_robots_allowed(r, path);
	}
	(void)crawl_robots_crawl_delay(r);
	for (i = 0; i < crawl_robots_sitemap_count(r); i++)
		(void)crawl_robots_sitemap(r, i);
	crawl_robots_free(r);
	return 0;
}
