/* sitemap-glue: sitemap URLs for the engine (see sitemap-glue.h), through
 * the sitemap module (sitemap.h: urlset/index, gzip, protocol limits). */
#include "crawl/sitemap-glue.h"

#include "crawl/sitemap.h"

int crawl_sitemap_glue(const char *data, size_t len, const char *url,
		       const char *content_type,
		       int (*add)(void *ctx, const char *url, int is_sitemap),
		       void *ctx)
{
	struct crawl_sitemap sm;
	size_t i;
	int rc, cut;

	(void)content_type;
	crawl_sitemap_init(&sm);
	rc = crawl_sitemap_parse(&sm, data, len, url, NULL) < 0 ? -1 : 0;
	/* truncated with room for more entries: cut at the byte limit */
	cut = sm.truncated && sm.n < CRAWL_SITEMAP_MAX_ENTRIES;
	for (i = 0; rc == 0 && i < sm.n; i++)
		if (add(ctx, sm.v[i].loc, sm.is_index) < 0)
			rc = -1;
	if (rc == 0 && cut)
		rc = 1;
	crawl_sitemap_release(&sm);
	return rc;
}
