/* outlinks: a growable list of a capture's outlinks. */
#include "crawl/outlinks.h"

#include <stdlib.h>
#include <string.h>

#define OUTLINKS_FIRST_ALLOC 32

int outlinks_add(struct outlinks *o, const char *url, int kind, int hops,
		 int redirs)
{
	if (o->n == o->alloc) {
		size_t na = o->alloc ? o->alloc * 2 : OUTLINKS_FIRST_ALLOC;
		struct outlink *nv = realloc(o->v, na * sizeof(*nv));

		if (!nv)
			return -1;
		o->v = nv;
		o->alloc = na;
	}
	o->v[o->n].url = strdup(url);
	if (!o->v[o->n].url)
		return -1;
	o->v[o->n].kind = kind;
	o->v[o->n].hops = hops;
	o->v[o->n].redirs = redirs;
	o->n++;
	return 0;
}

void outlinks_release(struct outlinks *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i].url);
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/* Without buf_addf's formatting: a page has ~400 links, and that was 2% of
 * a crawl. */
void outlinks_format(struct buf *meta, const struct outlinks *o)
{
	size_t i;

	for (i = 0; o && i < o->n; i++)
		if (buf_add(meta, "outlink: ", 9) < 0 ||
		    buf_adds(meta, o->v[i].url) < 0 ||
		    buf_add(meta, "\r\n", 2) < 0)
			return;
}
