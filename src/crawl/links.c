/* links: outlinks of a parsed HTML document or a stylesheet, resolved,
 * deduplicated and capped (the references come from src/html). */
#include "crawl/links.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/url.h"

/* ---- the list and its dedupe set ---------------------------------- */

void crawl_links_init(struct crawl_links *l, size_t max)
{
	memset(l, 0, sizeof(*l));
	hmap_init(&l->set, 0, 0);
	l->max = max;
}

void crawl_links_release(struct crawl_links *l)
{
	struct crawl_links_memo *memo = l->memo;
	size_t i, max = l->max;

	for (i = 0; i < l->n; i++)
		free(l->v[i].url);
	free(l->v);
	hmap_release(&l->set);
	free(l->memo_base);
	free(l->memo_origin);
	crawl_links_init(l, max);
	l->memo = memo;
}

const char *crawl_link_kind_name(enum crawl_link_kind k)
{
	return k == CRAWL_LINK_REQUISITE ? "requisite" : "page";
}

/* Take ownership of url (absolute): 1 added, 0 duplicate or full, -1 OOM. */
static int add_url(struct crawl_links *l, char *url, enum crawl_link_kind kind,
		   const char *source)
{
	struct hmap_entry *ent = hmap_get(&l->set, url, strlen(url));

	if (ent) {
		if (kind == CRAWL_LINK_REQUISITE)
			l->v[ent->num - 1].kind = kind;
		free(url);
		return 0;
	}
	if (l->max && l->n >= l->max) {
		l->truncated = 1;
		free(url);
		return 0;
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		struct crawl_link *nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			goto oom;
		l->v = nv;
		l->cap = ncap;
	}
	if (hmap_put(&l->set, url, strlen(url), &ent) != 1)
		goto oom;
	l->v[l->n].url = url;
	l->v[l->n].kind = kind;
	l->v[l->n].source = source;
	ent->num = ++l->n;
	return 1;
oom:
	free(url);
	return -1;
}

/* ---- the memo of resolved references -------------------------------- */

/* Keys "origin\0ref" (copied), values the resolved URL (malloc'd) or NULL
 * when url_resolve refused the reference. */
struct crawl_links_memo {
	struct hmap map;
	size_t bytes;
};

struct crawl_links_memo *crawl_links_memo_new(void)
{
	struct crawl_links_memo *m = calloc(1, sizeof(*m));

	if (m)
		hmap_init(&m->map, HMAP_COPY_KEYS, CRAWL_LINKS_MEMO_MAX);
	return m;
}

static void memo_clear(struct crawl_links_memo *m)
{
	struct hmap_entry *ent;
	size_t pos = 0;

	while ((ent = hmap_next(&m->map, &pos)))
		free(ent->ptr);
	hmap_release(&m->map);
	hmap_init(&m->map, HMAP_COPY_KEYS, CRAWL_LINKS_MEMO_MAX);
	m->bytes = 0;
}

void crawl_links_memo_free(struct crawl_links_memo *m)
{
	if (!m)
		return;
	memo_clear(m);
	hmap_release(&m->map);
	free(m);
}

/* Only "/path" references: "//host" and "\\host" (a '\' becomes '/') name
 * another host, and tabs/newlines are dropped before resolution, so
 * "/<TAB>/host" is one too. */
static int memoisable(const char *ref)
{
	return ref[0] == '/' && (!ref[1] || !strchr("/\\\t\n\r", ref[1]));
}

/* The origin of base ("scheme://host:port", userinfo kept), computed once
 * per base; NULL when base does not resolve. */
static const char *memo_origin(struct crawl_links *l, const char *base)
{
	char *o = NULL;
	size_t n;

	if (l->memo_base && !strcmp(l->memo_base, base))
		return l->memo_origin;
	free(l->memo_base);
	free(l->memo_origin);
	l->memo_origin = NULL;
	if (!(l->memo_base = strdup(base)))
		return NULL;
	if (url_resolve(base, "/", CRAWL_LINKS_MAX_URL, &o, NULL) < 0)
		return NULL;
	n = strlen(o);              /* "scheme://authority/" */
	if (n && o[n - 1] == '/')
		o[n - 1] = 0;
	l->memo_origin = o;
	return o;
}

/* url_resolve through the memo: 0 with *url (malloc'd, NULL when refused),
 * -1 when out of memory. */
static int memo_resolve(struct crawl_links *l, const char *base,
			const char *ref, char **url)
{
	struct crawl_links_memo *m = l->memo;
	struct hmap_entry *ent;
	const char *origin;
	char key[2 * CRAWL_LINKS_MAX_URL + 2], *resolved;
	size_t olen, rlen;
	int rc;

	*url = NULL;
	if (!m || !memoisable(ref) || !(origin = memo_origin(l, base)) ||
	    (olen = strlen(origin)) + (rlen = strlen(ref)) + 2 > sizeof(key)) {
		if (l->doc && base == l->doc->base)  /* the main text's too */
			return html_resolve(l->doc, ref, url);
		if (url_resolve(base, ref, CRAWL_LINKS_MAX_URL, url, NULL) < 0)
			*url = NULL;
		return 0;
	}
	memcpy(key, origin, olen + 1);
	memcpy(key + olen + 1, ref, rlen + 1);
	if (!(ent = hmap_get(&m->map, key, olen + rlen + 1))) {
		if (m->bytes > CRAWL_LINKS_MEMO_BYTES)
			memo_clear(m);
		rc = hmap_put(&m->map, key, olen + rlen + 1, &ent);
		if (rc == HMAP_FULL) {
			memo_clear(m);
			rc = hmap_put(&m->map, key, olen + rlen + 1, &ent);
		}
		if (rc < 0)
			return -1;
		if (url_resolve(base, ref, CRAWL_LINKS_MAX_URL, &resolved,
				NULL) < 0)
			resolved = NULL;
		ent->ptr = resolved;
		m->bytes += olen + rlen + 2 +
			(ent->ptr ? strlen(ent->ptr) + 1 : 0);
	}
	/* the page's other walks (main text, boilerplate links) ask the page
	 * for the same references: the answer is shared with it */
	if (l->doc && base == l->doc->base &&
	    html_resolve_known(l->doc, ref, ent->ptr) < 0)
		return -1;
	if (ent->ptr && !(*url = strdup(ent->ptr)))
		return -1;
	return 0;
}

int crawl_links_add(struct crawl_links *l, const char *base, const char *ref,
		    size_t reflen, enum crawl_link_kind kind, const char *source)
{
	char *raw, *url = NULL;
	size_t i = 0;
	int rc;

	while (i < reflen && isspace((unsigned char)ref[i]))
		i++;
	if (i == reflen || ref[i] == '#' || reflen > CRAWL_LINKS_MAX_URL)
		return 0;
	if (!(raw = strndup(ref, reflen)))
		return -1;
	rc = memo_resolve(l, base, raw, &url);
	free(raw);
	if (rc < 0)
		return -1;
	if (!url)
		return 0;
	return add_url(l, url, kind, source);
}

/* ---- from the document ------------------------------------------- */

struct from_doc {
	struct crawl_links *l;
	const char *base;
	const char *css_source;    /* NULL: the reference's own source */
};

static int take_ref(void *ctx, struct html_ref *r)
{
	struct from_doc *f = ctx;
	enum crawl_link_kind kind = r->use == HTML_REF_REQUISITE ?
		CRAWL_LINK_REQUISITE : CRAWL_LINK_PAGE;
	char tmp[1024];

	if (r->use == HTML_REF_OTHER)
		return 0;           /* forms, cites, <base>: not followed */
	if (r->css && r->len < sizeof(tmp) && memchr(r->value, '\\', r->len))
		return crawl_links_add(f->l, f->base, tmp,
				       html_css_unescape(r->value, r->len, tmp),
				       kind, r->source) < 0 ? -1 : 0;
	return crawl_links_add(f->l, f->base, r->value, r->len, kind,
			       r->source) < 0 ? -1 : 0;
}

int crawl_links_from_doc(struct crawl_links *l, struct html_doc *d,
			 struct err *e)
{
	struct from_doc f = { l, d->base, NULL };

	int rc;

	if (!d->base)
		return 0;           /* no http(s) URL to resolve against */
	l->doc = d;
	rc = html_walk_urls(d, take_ref, &f);
	l->doc = NULL;
	if (rc < 0)
		return err_set(e, "%s: out of memory extracting links", d->url);
	return 0;
}

struct from_css {
	struct crawl_links *l;
	const char *css, *base;
};

static int take_css(void *ctx, int is_import, size_t off, size_t len)
{
	struct from_css *f = ctx;
	char tmp[1024];
	const char *v = f->css + off;
	const char *source = is_import ? "css/@import" : "css/url";

	if (len < sizeof(tmp) && memchr(v, '\\', len)) {
		len = html_css_unescape(v, len, tmp);
		v = tmp;
	}
	return crawl_links_add(f->l, f->base, v, len, CRAWL_LINK_REQUISITE,
			       source) < 0 ? -1 : 0;
}

int crawl_links_from_css(struct crawl_links *l, const char *css, size_t len,
			 const char *base_url, struct err *e)
{
	struct from_css f = { l, css, base_url };

	if (html_css_scan(css, len, take_css, &f) < 0)
		return err_set(e, "%s: out of memory extracting CSS links",
			       base_url);
	return 0;
}
