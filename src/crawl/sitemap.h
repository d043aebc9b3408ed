/* sitemap: sitemaps.org XML sitemaps and sitemap indexes (and plain-text
 * sitemaps, one URL a line), gzip-compressed or not.
 *
 * Parsed as a stream with libxml2's reader: no network, no DTD loading, no
 * entity substitution (an XXE or "billion laughs" sitemap yields nothing
 * from its entities).  The protocol's limits are enforced: at most
 * CRAWL_SITEMAP_MAX_ENTRIES entries and CRAWL_SITEMAP_MAX_BYTES of
 * (uncompressed) input; past either the parse stops, keeps what it has and
 * says so.  <loc> values of CRAWL_SITEMAP_MAX_LOC characters or more, and
 * ones that are not http(s) URLs, are skipped and counted.  Locations are
 * resolved against the sitemap's own URL and normalised (url_resolve).
 */
#ifndef GOVARCH_CRAWL_SITEMAP_H
#define GOVARCH_CRAWL_SITEMAP_H

#include <stddef.h>
#include <time.h>

#include "util/err.h"

#define CRAWL_SITEMAP_MAX_ENTRIES 50000
#define CRAWL_SITEMAP_MAX_BYTES (50u * 1024 * 1024)
#define CRAWL_SITEMAP_MAX_LOC 2048

struct crawl_sitemap_entry {
	char *loc;            /* absolute normalised URL (malloc'd) */
	time_t lastmod;       /* UTC; valid when has_lastmod */
	int has_lastmod;
};

struct crawl_sitemap {
	struct crawl_sitemap_entry *v;
	size_t n, cap;
	int is_index;         /* <sitemapindex>: the locs are sitemaps */
	int truncated;        /* stopped at a protocol limit */
	size_t skipped;       /* entries dropped: no/bad/too long <loc> */
};

void crawl_sitemap_init(struct crawl_sitemap *sm);
void crawl_sitemap_release(struct crawl_sitemap *sm);   /* back to empty */

/* Parse len bytes (gzip or plain) fetched from src_url into sm (emptied
 * first).  Returns 0; 1 when a limit was reached (entries kept up to it,
 * e says which limit); -1 with e set when the input is neither a sitemap
 * nor a sitemap index (e.g. an HTML page or broken gzip), or out of
 * memory. */
int crawl_sitemap_parse(struct crawl_sitemap *sm, const void *data,
			size_t len, const char *src_url, struct err *e);

/* W3C datetime (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD,
 * YYYY-MM-DDThh:mm:ssTZD, YYYY-MM-DDThh:mm:ss.sTZD; TZD "Z" or "+hh:mm" /
 * "-hh:mm", taken as UTC when missing) to UTC seconds; surrounding
 * whitespace allowed.  0 and *t set, or -1. */
int crawl_sitemap_parse_datetime(const char *s, time_t *t);

#endif
