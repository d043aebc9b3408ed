/* capture-queue: what a capture points at (outlinks from its links,
 * Location and sitemap entries, or a 304's original read back) and
 * handing URLs to the frontier: scope checks and the run's seen-set and
 * link memo. */
#include "crawl/crawl-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawl/links.h"
#include "crawl/sitemap-glue.h"
#include "util/url.h"

int capture_out_add(struct outlinks *o, const char *url, int kind, int hops,
		    int redirs)
{
	if (o->n == o->alloc) {
		size_t na = o->alloc ? o->alloc * 2 : 32;
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

void capture_out_release(struct outlinks *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i].url);
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/* scheme://host[:port] of a URL, malloc'd, or NULL. */
static char *host_key(const char *url)
{
	const char *sep = strstr(url, "://");
	char *hp = url_hostport(url), *k = NULL;

	if (sep && hp && asprintf(&k, "%.*s://%s", (int)(sep - url), url,
				  hp) < 0)
		k = NULL;
	free(hp);
	return k;
}

/* 1 when url was seen before in this run, else remember it and 0.  A
 * requisite seen first as a page link is not "seen" as a requisite: the
 * key carries the kind. */
static int seen_check(struct crawl *c, const char *url, int kind)
{
	struct hmap_entry *x;
	char *k;
	int n, rc;

	if ((n = asprintf(&k, "%d %s", kind, url)) < 0)
		return 0;
	rc = hmap_put(&c->seen, k, (size_t)n, &x);
	free(k);
	return rc == 0;
}

void capture_seen_free(struct crawl *c)
{
	hmap_release(&c->seen);
	crawl_links_memo_free(c->link_memo);
	c->link_memo = NULL;
}

int capture_queue(struct crawl *c, const char *url, int hops, int redirs,
		  const char *via, int kind, int via_in_scope, int normalised,
		  struct err *e)
{
	enum crawl_scope_verdict v;
	const char *reason = NULL;
	char *norm = NULL, *host = NULL, *q, outcome[96];
	int requisite = kind == CRAWL_KIND_REQUISITE || kind == CRAWL_KIND_OFFSITE;
	int rc = 0, status = URL_PENDING;

	if (kind != CRAWL_KIND_SITEMAP && seen_check(c, url, kind))
		return 0;
	if (normalised)
		norm = strdup(url);
	else if (url_normalize(url, (size_t)c->cfg->max_url_length * 4, &norm,
			       NULL) < 0)
		norm = NULL;
	if (!norm || !(host = host_key(norm))) {
		crawllog_line(c->log, 0, 0, url, 0, "out-of-scope(bad-url)", via);
		goto out;
	}
	if (frontier_is_done(c->fr, norm))
		goto out;
	v = crawl_scope_check(c->scope, norm, hops, requisite, via_in_scope);
	if (v != CRAWL_SCOPE_ACCEPT) {
		reason = crawl_scope_reason_name(v);
	} else if (redirs > 10) {
		reason = "too-many-redirects";
	} else if (kind != CRAWL_KIND_SITEMAP && c->cfg->max_query_variants > 0 &&
		   (q = strchr(norm, '?'))) {
		char *pk = strndup(norm, (size_t)(q - norm));

		if (pk && frontier_query_variants(c->fr, pk) >=
			  c->cfg->max_query_variants)
			reason = "query-variants";
		free(pk);
	}
	if (!reason && requisite && !crawl_scope_in_scope(c->scope, norm))
		kind = CRAWL_KIND_OFFSITE;
	if (reason) {
		status = URL_SKIPPED;
		snprintf(outcome, sizeof(outcome), "out-of-scope(%s)", reason);
	}
	rc = frontier_add(c->fr, norm, host, hops, redirs, via, kind, status,
			  reason ? outcome : NULL, e);
	if (rc > 0 && reason) {
		crawllog_line(c->log, 0, 0, norm, 0, outcome, via);
		c->st->skipped++;
	} else if (rc > 0) {
		c->hosts_dirty = 1;
	}
out:
	free(norm);
	free(host);
	return rc < 0 ? -1 : 0;
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

	return capture_out_add(s->out, url, is_sitemap ? CRAWL_KIND_SITEMAP :
			       CRAWL_KIND_PAGE,
			       is_sitemap ? s->hops : s->hops + 1, 0);
}

/* A 304 or identical-payload revisit: the outlinks the catalog stored
 * with the original response (same URL, same payload), not parsed again.
 * 1 found, 0 none stored (a capture from before they were). */
int capture_stored_outlinks(struct crawl *c, struct job *j,
			    struct outlinks *out)
{
	struct buf b = BUF_INIT(0);
	char *p, *nl;

	if (!j->prev.p.record_id ||
	    catalog_outlinks(c->cat, j->prev.p.record_id, &b, NULL) <= 0) {
		buf_release(&b);
		return 0;
	}
	for (p = b.data; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = 0;
		if (p[0] && p[1] == ' ')
			capture_out_add(out, p + 2, p[0] == 'r' ?
					CRAWL_KIND_REQUISITE : CRAWL_KIND_PAGE,
					j->u.hops + 1, 0);
	}
	buf_release(&b);
	return 1;
}

/* The outlinks of a response as the catalog keeps them ("p URL" / "r URL"
 * lines, catalog_capture_in.outlinks): the links found in its body. */
int capture_outlinks_text(const struct outlinks *ol, struct buf *out)
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

/* An HTML page, parsed once: its links into out (unless offsite) and its
 * extraction for the catalog into *ex. */
static void html_page(struct crawl *c, struct job *j, const char *ct,
		      const struct buf *payload, struct outlinks *out,
		      struct catalog_extraction **ex)
{
	struct crawl_url *u = &j->u;
	struct crawl_links l;
	struct html_doc *d;
	size_t i;

	if (html_parse(payload->data, payload->len, ct, u->url, 0, &d,
		       NULL) < 0)
		return;
	c->st->html_parses++;
	if (u->kind != CRAWL_KIND_OFFSITE) {
		crawl_links_init(&l, 10000);
		if (!c->link_memo)      /* NULL (out of memory): no memo */
			c->link_memo = crawl_links_memo_new();
		l.memo = c->link_memo;
		crawl_links_from_doc(&l, d, NULL);
		for (i = 0; i < l.n; i++)
			capture_out_add(out, l.v[i].url,
				l.v[i].kind == CRAWL_LINK_REQUISITE ?
				CRAWL_KIND_REQUISITE : CRAWL_KIND_PAGE,
				u->hops + 1, 0);
		crawl_links_release(&l);
	}
	if (catalog_extract(c->cat, d, ex, NULL) < 0)
		*ex = NULL;
	html_free(d);
}

/* Links, Location, sitemap entries: what this capture points at; an HTML
 * page's extraction for the catalog into *ex. */
void capture_find_outlinks(struct crawl *c, struct job *j, int status,
			   const char *ct, const struct buf *payload,
			   struct outlinks *out, struct catalog_extraction **ex)
{
	struct crawl_url *u = &j->u;
	char loc[4096], *abs = NULL;
	size_t i;

	if (status >= 300 && status < 400 &&
	    crawl_fetch_header(j->f, "Location", loc, sizeof(loc)) &&
	    url_resolve(u->url, loc, 0, &abs, NULL) == 0) {
		capture_out_add(out, abs, u->kind, u->hops, u->redirs + 1);
		free(abs);
	}
	if (status >= 200 && status < 300 && u->kind != CRAWL_KIND_SITEMAP &&
	    is_type(ct, "html")) {
		c->st->html_pages++;
		if (payload)        /* else spooled: the catalog reads it back */
			html_page(c, j, ct, payload, out, ex);
		return;
	}
	if (status < 200 || status >= 300 || !payload ||
	    u->kind == CRAWL_KIND_OFFSITE)
		return;
	if (u->kind == CRAWL_KIND_SITEMAP) {
		struct sm_ctx sc = { out, u->hops };

		crawl_sitemap_glue(payload->data, payload->len, u->url, ct,
				   sm_add, &sc);
		return;
	}
	if (is_type(ct, "css")) {
		struct crawl_links l;

		crawl_links_init(&l, 10000);
		if (!c->link_memo)
			c->link_memo = crawl_links_memo_new();
		l.memo = c->link_memo;
		crawl_links_from_css(&l, payload->data, payload->len, u->url,
				     NULL);
		for (i = 0; i < l.n; i++)
			capture_out_add(out, l.v[i].url, CRAWL_KIND_REQUISITE,
					u->hops + 1, 0);
		crawl_links_release(&l);
	}
}
