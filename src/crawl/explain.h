/* explain: why `govarch crawl` would or would not fetch a URL.
 *
 * The same decisions as the crawl, in its order: the URL normalised (and
 * its SURT key, what the catalog stores it under), the scope (which
 * scope-host / scope-prefix matched), the exclude patterns (which one
 * matched, and where it was set), the trap rules (hops, path depth, repeated
 * path segments, URL length, query variants counted by the archive's last
 * crawl), then robots.txt (the deciding line and its user-agent group):
 * from the archive's cache (ARCHIVE/state.sqlite, at most 24 h old) when it
 * has one, else fetched once with the configured User-Agent and timeouts,
 * redirects followed as the crawl follows them.  robots.txt is only read
 * when every other rule lets the URL through.  Nothing is written.
 */
#ifndef GOVARCH_CRAWL_EXPLAIN_H
#define GOVARCH_CRAWL_EXPLAIN_H

#include "crawl/config.h"
#include "util/buf.h"
#include "util/err.h"

struct crawl_explain_opts {
	const struct crawl_config *cfg;
	const char *archive;    /* need not exist */
	int hops;               /* links from a seed; -1: 0 for a seed, else 1 */
	int requisite;          /* embedded by an in-scope page (CSS, image) */
};

/* Explain url as "name: text" lines in out (url, normalised, surt, scope,
 * exclude, hops, path-depth, path-repetition, url-length, query-variants,
 * robots, verdict).  Returns 1 when it would be fetched, 0 when not, -1
 * with e (out of memory, the archive's state unreadable). */
int crawl_explain(const struct crawl_explain_opts *o, const char *url,
		  struct buf *out, struct err *e);

#endif
