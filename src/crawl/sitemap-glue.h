/* sitemap-glue: the URLs a fetched sitemap lists, for the engine.
 * Calls add(ctx, url, is_sitemap) for each <loc> of a urlset (is_sitemap 0)
 * or a sitemapindex (1); gzip-compressed sitemaps are handled.  Uses the
 * discovery module's sitemap parser (sitemap.h).  0, 1 when the sitemap
 * was larger than CRAWL_SITEMAP_MAX_BYTES (decoded) and only the entries
 * within were added, -1 on error. */
#ifndef GOVARCH_CRAWL_SITEMAP_GLUE_H
#define GOVARCH_CRAWL_SITEMAP_GLUE_H

#include <stddef.h>

int crawl_sitemap_glue(const char *data, size_t len, const char *url,
		       const char *content_type,
		       int (*add)(void *ctx, const char *url, int is_sitemap),
		       void *ctx);

#endif
