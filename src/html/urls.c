/* html urls: the walk over every URL-bearing attribute and text of a
 * document, one callback per reference, each replaceable (see html.h). */
#include "html/html.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/hashmap.h"
#include "util/url.h"

enum value_shape { ONE_URL, SRCSET, REFRESH, CSS };

static const struct attr_rule {
	const char *elem, *attr, *source;
	enum html_ref_use use;
	enum value_shape shape;
} RULES[] = {
	{ "a", "href", "a/@href", HTML_REF_PAGE, ONE_URL },
	{ "area", "href", "area/@href", HTML_REF_PAGE, ONE_URL },
	{ "img", "src", "img/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "img", "srcset", "img/@srcset", HTML_REF_REQUISITE, SRCSET },
	{ "img", "data-src", "img/@data-src", HTML_REF_REQUISITE, ONE_URL },
	{ "img", "data-srcset", "img/@data-srcset", HTML_REF_REQUISITE, SRCSET },
	{ "script", "src", "script/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "iframe", "src", "iframe/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "frame", "src", "frame/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "source", "src", "source/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "source", "srcset", "source/@srcset", HTML_REF_REQUISITE, SRCSET },
	{ "video", "poster", "video/@poster", HTML_REF_REQUISITE, ONE_URL },
	{ "video", "src", "video/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "audio", "src", "audio/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "track", "src", "track/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "object", "data", "object/@data", HTML_REF_REQUISITE, ONE_URL },
	{ "embed", "src", "embed/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "input", "src", "input/@src", HTML_REF_REQUISITE, ONE_URL },
	{ "body", "background", "body/@background", HTML_REF_REQUISITE, ONE_URL },
	{ "base", "href", "base/@href", HTML_REF_OTHER, ONE_URL },
	{ "form", "action", "form/@action", HTML_REF_OTHER, ONE_URL },
	{ "button", "formaction", "button/@formaction", HTML_REF_OTHER, ONE_URL },
	{ "input", "formaction", "input/@formaction", HTML_REF_OTHER, ONE_URL },
	{ "blockquote", "cite", "blockquote/@cite", HTML_REF_OTHER, ONE_URL },
	{ "q", "cite", "q/@cite", HTML_REF_OTHER, ONE_URL },
	{ "del", "cite", "del/@cite", HTML_REF_OTHER, ONE_URL },
	{ "ins", "cite", "ins/@cite", HTML_REF_OTHER, ONE_URL },
};

/* A data-* attribute the table does not name, holding a URL. */
static int data_url(const xmlNode *n, const xmlAttr *a, const char **v)
{
	const char *name = (const char *)a->name;
	size_t i;

	if (strncmp(name, "data-", 5) || !a->children || !a->children->content)
		return 0;
	for (i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++)
		if (!strcmp(name, RULES[i].attr) &&
		    !strcmp((const char *)n->name, RULES[i].elem))
			return 0;
	*v = (const char *)a->children->content;
	return !strncasecmp(*v, "http:", 5) || !strncasecmp(*v, "https:", 6) ||
		(*v)[0] == '/';
}

static int rel_is_requisite(const char *rel)
{
	static const char *const req[] = {
		"stylesheet", "icon", "apple-touch-icon",
		"apple-touch-icon-precomposed", "mask-icon", "preload",
		"modulepreload", "manifest",
	};
	const char *p = rel;
	size_t i;

	while (*p) {
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		n = strcspn(p, " \t\r\n\f");
		for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
			if (n && strlen(req[i]) == n && !strncasecmp(p, req[i], n))
				return 1;
		p += n;
	}
	return 0;
}

/* The references of one value (an attribute's or a <style>'s text): each
 * goes to the callback; replacements are spliced in afterwards. */
struct value {
	struct html_ref ref;       /* template: elem, attr, source, use */
	const char *s;
	html_ref_fn fn;
	void *ctx;
	struct buf out;            /* the value rewritten, once one is */
	size_t done;               /* bytes of s already in out */
	int changed, oom;
};

static int emit(struct value *v, size_t off, size_t len)
{
	struct html_ref r = v->ref;
	int rc;

	r.value = v->s + off;
	r.len = len;
	r.replacement = NULL;
	rc = v->fn(v->ctx, &r);
	if (r.replacement) {
		if (buf_add(&v->out, v->s + v->done, off - v->done) < 0 ||
		    buf_adds(&v->out, r.replacement) < 0)
			v->oom = 1;
		v->done = off + len;
		v->changed = 1;
		free(r.replacement);
	}
	return rc < 0 || v->oom ? -1 : 0;
}

static int css_ref(void *ctx, int is_import, size_t off, size_t len)
{
	struct value *v = ctx;
	const char *keep = v->ref.source;
	int rc;

	if (!strcmp(keep, "style/url") && is_import)
		v->ref.source = "style/@import";
	rc = emit(v, off, len);
	v->ref.source = keep;
	return rc;
}

/* srcset: "a.jpg 1x, b.jpg 2x" (URLs may contain commas, not spaces). */
static int srcset(struct value *v)
{
	const char *s = v->s;
	size_t i = 0, n = strlen(s);

	while (i < n) {
		size_t b, e;
		int depth = 0;

		while (i < n && (isspace((unsigned char)s[i]) || s[i] == ','))
			i++;
		b = i;
		while (i < n && !isspace((unsigned char)s[i]))
			i++;
		e = i;
		if (e > b && s[e - 1] == ',') {
			while (e > b && s[e - 1] == ',')
				e--;
		} else {
			/* skip the descriptors up to the next top-level ',' */
			while (i < n && (s[i] != ',' || depth)) {
				depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
				i++;
			}
		}
		if (e > b && emit(v, b, e - b) < 0)
			return -1;
	}
	return 0;
}

/* <meta http-equiv="refresh" content="5; url='/next'"> */
static int refresh(struct value *v)
{
	const char *c = v->s, *p = c, *end;

	while (isspace((unsigned char)*p))
		p++;
	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	while (isspace((unsigned char)*p) || *p == ';' || *p == ',')
		p++;
	if (!strncasecmp(p, "url", 3)) {
		const char *q = p + 3;

		while (isspace((unsigned char)*q))
			q++;
		if (*q == '=') {
			p = q + 1;
			while (isspace((unsigned char)*p))
				p++;
		}
	}
	if (*p == '"' || *p == '\'') {
		char quote = *p++;

		end = strchr(p, quote);
		if (!end)
			end = p + strlen(p);
	} else {
		end = p + strlen(p);
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
	}
	if (end == p)
		return 0;
	return emit(v, (size_t)(p - c), (size_t)(end - p));
}

/* Every reference of value s (shaped as shape); then, when the callback
 * replaced some, the new value is written back. */
static int value_refs(xmlNode *elem, const char *attr, const char *source,
		      enum html_ref_use use, enum value_shape shape,
		      const char *s, html_ref_fn fn, void *ctx)
{
	struct value v;
	int rc;

	memset(&v, 0, sizeof(v));
	v.ref.elem = elem;
	v.ref.attr = attr;
	v.ref.source = source;
	v.ref.use = use;
	v.ref.css = shape == CSS;
	v.s = s;
	v.fn = fn;
	v.ctx = ctx;
	buf_init(&v.out, 0);
	switch (shape) {
	case ONE_URL:
		rc = emit(&v, 0, strlen(s));
		break;
	case SRCSET:
		rc = srcset(&v);
		break;
	case REFRESH:
		rc = refresh(&v);
		break;
	default:
		rc = html_css_scan(s, strlen(s), css_ref, &v);
		break;
	}
	if (v.changed && !v.oom) {
		if (buf_adds(&v.out, s + v.done) < 0) {
			rc = -1;
		} else if (attr) {
			if (!xmlSetProp(elem, (const xmlChar *)attr,
					(const xmlChar *)v.out.data))
				rc = -1;
		} else {
			xmlNode *t = xmlNewDocTextLen(elem->doc,
						      (const xmlChar *)v.out.data,
						      (int)v.out.len);

			if (!t) {
				rc = -1;
			} else {
				while (elem->children) {
					xmlNode *c = elem->children;

					xmlUnlinkNode(c);
					xmlFreeNode(c);
				}
				xmlAddChild(elem, t);
			}
		}
	}
	buf_release(&v.out);
	return rc < 0 || v.oom ? -1 : 0;
}

/* The references of one element, in the order html.h promises. */
static int element_refs(xmlNode *n, html_ref_fn fn, void *ctx)
{
	const char *name = (const char *)n->name, *v, *rel;
	xmlAttr *a;
	size_t i;

	for (i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++)
		if (!strcmp(name, RULES[i].elem) &&
		    (v = html_attr(n, RULES[i].attr)) &&
		    value_refs(n, RULES[i].attr, RULES[i].source, RULES[i].use,
			       RULES[i].shape, v, fn, ctx) < 0)
			return -1;
	if (!strcmp(name, "link") && (v = html_attr(n, "href"))) {
		rel = html_attr(n, "rel");
		if (value_refs(n, "href", "link/@href",
			       rel && rel_is_requisite(rel) ? HTML_REF_REQUISITE :
			       HTML_REF_PAGE, ONE_URL, v, fn, ctx) < 0)
			return -1;
	}
	if (!strcmp(name, "meta") && (v = html_attr(n, "http-equiv")) &&
	    !strcasecmp(v, "refresh") && (v = html_attr(n, "content")) &&
	    value_refs(n, "content", "meta/refresh", HTML_REF_PAGE, REFRESH, v,
		       fn, ctx) < 0)
		return -1;
	if (!strcmp(name, "style")) {
		xmlChar *text = xmlNodeGetContent(n);
		int rc = value_refs(n, NULL, "style/url", HTML_REF_REQUISITE,
				    CSS, text ? (const char *)text : "", fn, ctx);

		xmlFree(text);
		if (rc < 0)
			return -1;
	}
	if ((v = html_attr(n, "style")) &&
	    value_refs(n, "style", "@style/url", HTML_REF_REQUISITE, CSS, v,
		       fn, ctx) < 0)
		return -1;
	for (a = n->properties; a; a = a->next)
		if (data_url(n, a, &v) &&
		    value_refs(n, (const char *)a->name, "@data-*",
			       HTML_REF_OTHER, ONE_URL, v, fn, ctx) < 0)
			return -1;
	return 0;
}

int html_walk_urls(struct html_doc *d, html_ref_fn fn, void *ctx)
{
	xmlNode *n;

	/* a <style>'s text is scanned as CSS by element_refs: not entered */
	for (n = xmlDocGetRootElement(d->tree); n;
	     n = html_next(n, NULL, n->name &&
			   strcmp((const char *)n->name, "style"))) {
		if (n->type == XML_ELEMENT_NODE && n->name &&
		    element_refs(n, fn, ctx) < 0)
			return -1;
	}
	return 0;
}

/* ---- references resolved once per document ---- */

#define RESOLVED_MAX 65536      /* references kept per document */

/* The entry for ref (added empty when new: *fresh set), NULL when the map
 * is full; -1 when out of memory. */
static int resolved_entry(struct html_doc *d, const char *ref,
			  struct hmap_entry **ent, int *fresh)
{
	int rc;

	*ent = NULL;
	*fresh = 0;
	if (!d->resolved) {
		if (!(d->resolved = malloc(sizeof(*d->resolved))))
			return -1;
		hmap_init(d->resolved, HMAP_COPY_KEYS, RESOLVED_MAX);
	}
	rc = hmap_put(d->resolved, ref, strlen(ref), ent);
	if (rc == HMAP_FULL) {
		*ent = NULL;
		return 0;
	}
	if (rc < 0)
		return -1;
	*fresh = rc == 1;
	return 0;
}

int html_resolve(struct html_doc *d, const char *ref, char **url)
{
	struct hmap_entry *ent;
	char *u = NULL;
	int fresh;

	*url = NULL;
	if (!d->base)
		return 0;
	if (resolved_entry(d, ref, &ent, &fresh) < 0)
		return -1;
	if (ent && !fresh) {
		if (ent->ptr && !(*url = strdup(ent->ptr)))
			return -1;
		return 0;
	}
	if (url_resolve(d->base, ref, HTML_MAX_URL, &u, NULL) < 0)
		u = NULL;
	if (ent && u && !(ent->ptr = strdup(u))) {
		free(u);
		return -1;
	}
	*url = u;                   /* ent (when kept) says NULL: refused */
	return 0;
}

int html_resolve_known(struct html_doc *d, const char *ref, const char *url)
{
	struct hmap_entry *ent;
	int fresh;

	if (!d->base)
		return 0;
	if (resolved_entry(d, ref, &ent, &fresh) < 0)
		return -1;
	if (ent && fresh && url && !(ent->ptr = strdup(url)))
		return -1;
	return 0;
}

void html_resolved_free(struct html_doc *d)
{
	struct hmap_entry *ent;
	size_t pos = 0;

	if (!d->resolved)
		return;
	while ((ent = hmap_next(d->resolved, &pos)))
		free(ent->ptr);
	hmap_release(d->resolved);
	free(d->resolved);
	d->resolved = NULL;
}
