/* outlinks: what one capture points at (links, Location, sitemap entries),
 * each with the hops and redirects it inherits, in the order found.  Filled
 * by the capture pipeline, queued through queue.h, listed in the metadata
 * record and sampled for the dictionary. */
#ifndef GOVARCH_CRAWL_OUTLINKS_H
#define GOVARCH_CRAWL_OUTLINKS_H

#include <stddef.h>

#include "util/buf.h"

struct outlink {
	char *url;
	int kind;                   /* CRAWL_KIND_* (frontier.h) */
	int hops, redirs;
};

struct outlinks {
	struct outlink *v;
	size_t n, alloc;
};

/* Append a copy of url.  0, or -1 on no memory (nothing added). */
int outlinks_add(struct outlinks *o, const char *url, int kind, int hops,
		 int redirs);
/* Free the URLs and the array; o is left empty. */
void outlinks_release(struct outlinks *o);
/* Append "outlink: URL\r\n" per link (a metadata record's lines); stops
 * quietly at meta's cap. */
void outlinks_format(struct buf *meta, const struct outlinks *o);

#endif
