/* sitemap-glue: the URLs a fetched sitemap lists, for the engine.
 * Calls add(ctx, url, is_sitemap) for each <loc> of a urlset (is_sitemap 0)
 * or a sitemapindex (1); gzip-compressed sitemaps are handled.  Uses the
 * discovery module's sitemap parser (sitemap.h). */
#ifndef GOVARCH_CRAWL_SITEMAP_GLUE_H
#define GOVARCH_CRAWL_SITEMAP_GLUE_H

#include <stddef.h>

int crawl_sitemap_glue(const char *data, size_t len, const char *url,
		       const char *content_type,
		       int (*add)(void *ctx, const char *url, int is_sitemap),
		       void *ctx);

#endif
