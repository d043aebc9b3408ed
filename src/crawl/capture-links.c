/* capture-links: what a capture points at: its links (an HTML page parsed
 * once, its extraction handed on for the catalog), Location and sitemap
 * entries, or for a revisit those the catalog stored with its original. */
#include "crawl/capture.h"

#include <stdlib.h>
#include <string.h>

#include "crawl/sitemap-glue.h"
#include "util/url.h"

#define LINKS_MAX 10000         /* links kept per page */

void capture_links_init(struct capture_links *l, struct catalog *cat,
			struct crawl_stats *st)
{
	memset(l, 0, sizeof(*l));
	l->cat = cat;
	l->st = st;
}

void capture_links_release(struct capture_links *l)
{
	crawl_links_memo_free(l->memo);
	l->memo = NULL;
}

static int is_type(const char *ct, const char *what)
{
	return ct && strcasestr(ct, what) != NULL;
}

struct sm_ctx {
	struct outlinks *out;
	int hops;
};

static int sm_add(void *ctx, const char *url, int is_sitemap)
{
	struct sm_ctx *s = ctx;

	return outlinks_add(s->out, url, is_sitemap ? CRAWL_KIND_SITEMAP :
			    CRAWL_KIND_PAGE, is_sitemap ? s->hops : s->hops + 1,
			    0);
}

/* An HTML page, parsed once: its links into out (unless offsite) and its
 * extraction for the catalog into *ex. */
static void html_page(struct capture_links *c, const struct job *j,
		      const char *ct, const struct buf *payload,
		      struct outlinks *out, struct catalog_extraction **ex)
{
	const struct crawl_url *u = &j->u;
	struct crawl_links l;
	struct html_doc *d;
	size_t i;

	if (html_parse(payload->data, payload->len, ct, u->url, 0, &d,
		       NULL) < 0)
		return;
	c->st->html_parses++;
	if (u->kind != CRAWL_KIND_OFFSITE) {
		crawl_links_init(&l, LINKS_MAX);
		if (!c->memo)           /* NULL (out of memory): no memo */
			c->memo = crawl_links_memo_new();
		l.memo = c->memo;
		crawl_links_from_doc(&l, d, NULL);
		for (i = 0; i < l.n; i++)
			outlinks_add(out, l.v[i].url,
				     l.v[i].kind == CRAWL_LINK_REQUISITE ?
				     CRAWL_KIND_REQUISITE : CRAWL_KIND_PAGE,
				     u->hops + 1, 0);
		crawl_links_release(&l);
	}
	if (catalog_extract(c->cat, d, ex, NULL) < 0)
		*ex = NULL;
	html_free(d);
}

int capture_links_find(struct capture_links *c, const struct job *j,
			int status, const char *ct, const struct buf *payload,
			struct outlinks *out, struct catalog_extraction **ex)
{
	const struct crawl_url *u = &j->u;
	char loc[CRAWL_HEADER_MAX], *abs = NULL;
	size_t i;

	if (status >= 300 && status < 400 &&
	    crawl_fetch_header(j->f, "Location", loc, sizeof(loc)) &&
	    url_resolve(u->url, loc, 0, &abs, NULL) == 0) {
		outlinks_add(out, abs, u->kind, u->hops, u->redirs + 1);
		free(abs);
	}
	if (status >= 200 && status < 300 && u->kind != CRAWL_KIND_SITEMAP &&
	    is_type(ct, "html")) {
		c->st->html_pages++;
		if (payload)        /* else spooled: the catalog reads it back */
			html_page(c, j, ct, payload, out, ex);
		return 0;
	}
	if (status < 200 || status >= 300 || !payload ||
	    u->kind == CRAWL_KIND_OFFSITE)
		return 0;
	if (u->kind == CRAWL_KIND_SITEMAP) {
		struct sm_ctx sc = { out, u->hops };

		return crawl_sitemap_glue(payload->data, payload->len, u->url,
					  ct, sm_add, &sc) == 1;
	}
	if (is_type(ct, "css")) {
		struct crawl_links l;

		crawl_links_init(&l, LINKS_MAX);
		if (!c->memo)
			c->memo = crawl_links_memo_new();
		l.memo = c->memo;
		crawl_links_from_css(&l, payload->data, payload->len, u->url,
				     NULL);
		for (i = 0; i < l.n; i++)
			outlinks_add(out, l.v[i].url, CRAWL_KIND_REQUISITE,
				     u->hops + 1, 0);
		crawl_links_release(&l);
	}
	return 0;
}

int capture_links_unchanged(struct capture_links *c, const struct job *j,
			    struct outlinks *out)
{
	struct buf b = BUF_INIT(0);
	char *p, *nl;

	if (!j->have_prev || !j->prev.record_id ||
	    catalog_outlinks(c->cat, j->prev.record_id, &b, NULL) <= 0) {
		buf_release(&b);
		return 0;
	}
	for (p = b.data; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = 0;
		if (p[0] && p[1] == ' ')
			outlinks_add(out, p + 2, p[0] == 'r' ?
				     CRAWL_KIND_REQUISITE : CRAWL_KIND_PAGE,
				     j->u.hops + 1, 0);
	}
	buf_release(&b);
	return 1;
}

int capture_links_text(const struct outlinks *ol, struct buf *out)
{
	size_t i;

	for (i = 0; i < ol->n; i++) {
		const struct outlink *o = &ol->v[i];

		if (o->redirs || (o->kind != CRAWL_KIND_PAGE &&
				  o->kind != CRAWL_KIND_REQUISITE))
			continue;
		if (buf_addc(out, o->kind == CRAWL_KIND_PAGE ? 'p' : 'r') < 0 ||
		    buf_addc(out, ' ') < 0 || buf_adds(out, o->url) < 0 ||
		    buf_addc(out, '\n') < 0)
			return -1;
	}
	return 0;
}
