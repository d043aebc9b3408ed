/* extract: main text, links and dates of an HTML page (see extract.h).
 *
 * libxml2 parses (recovering from anything); an iterative walk (no
 * recursion: hostile pages nest deeply) turns the chosen subtree into
 * blocks.  Nodes that rules remove are marked through node->_private, so
 * nothing is unlinked while XPath results still point into the tree.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>

#include "diff/extract.h"
#include "diff/extract-internal.h"
#include "diff/intern.h"
#include "util/digest.h"

#define KSTACK 64
#define MAX_NODES_PER_XPATH 64

static char skip_mark;          /* node->_private == &skip_mark: removed */

struct xblock {
	enum diff_block_kind kind;
	char *text;
	size_t len;
	char *time_dt;          /* first <time datetime> inside, or NULL */
};

struct walker {
	int all;                /* date search: skip only scripts and head */
	int links;              /* collect links */
	const char *base;       /* for links */
	const char *self;       /* page URL without fragment */
	struct buf cur;
	int pending;            /* a space is owed before the next text */
	char *cur_time;
	int kstack[KSTACK];
	int sp;
	int mainlike;           /* open main/article/[role=main] (or root) */
	struct xblock *b;
	size_t n, alloc;
	size_t text_total;
	char **link;
	size_t n_links, alloc_links;
	struct diff_intern linkset;
	int truncated;
	int oom;
};

void diff_xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void xml_quiet_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

static const char *const kind_names[DIFF_BK_COUNT] = {
	"text", "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th",
	"dt", "dd", "quote", "pre", "caption",
};

const char *diff_block_kind_name(enum diff_block_kind k)
{
	return (unsigned)k < DIFF_BK_COUNT ? kind_names[k] : "text";
}

int diff_block_kind_parse(const char *s, size_t n)
{
	int i;

	for (i = 0; i < DIFF_BK_COUNT; i++)
		if (strlen(kind_names[i]) == n && memcmp(kind_names[i], s, n) == 0)
			return i;
	return -1;
}

/* ---- element classes ---- */

enum { EL_INLINE = 0, EL_BLOCK = 1, EL_SKIP = 2, EL_SKIP_ALWAYS = 4 };

/* Elements that are not inline, sorted for bsearch: their class and the
 * block kind they give their text (-1: none). */
static const struct elinfo {
	const char *name;
	int cls, kind;
} elements[] = {
	{ "address", EL_BLOCK, -1 },
	{ "article", EL_BLOCK, -1 },
	{ "aside", EL_BLOCK | EL_SKIP, -1 },
	{ "audio", EL_BLOCK | EL_SKIP, -1 },
	{ "blockquote", EL_BLOCK, DIFF_BK_QUOTE },
	{ "body", EL_BLOCK, -1 },
	{ "button", EL_BLOCK | EL_SKIP, -1 },
	{ "canvas", EL_BLOCK | EL_SKIP, -1 },
	{ "caption", EL_BLOCK, DIFF_BK_CAPTION },
	{ "center", EL_BLOCK, -1 },
	{ "datalist", EL_BLOCK | EL_SKIP, -1 },
	{ "dd", EL_BLOCK, DIFF_BK_DD },
	{ "details", EL_BLOCK, -1 },
	{ "dialog", EL_BLOCK, -1 },
	{ "dir", EL_BLOCK, -1 },
	{ "div", EL_BLOCK, -1 },
	{ "dl", EL_BLOCK, -1 },
	{ "dt", EL_BLOCK, DIFF_BK_DT },
	{ "embed", EL_BLOCK | EL_SKIP, -1 },
	{ "fieldset", EL_BLOCK, -1 },
	{ "figcaption", EL_BLOCK, DIFF_BK_CAPTION },
	{ "figure", EL_BLOCK, -1 },
	{ "footer", EL_BLOCK | EL_SKIP, -1 },
	{ "form", EL_BLOCK | EL_SKIP, -1 },
	{ "frameset", EL_BLOCK, -1 },
	{ "h1", EL_BLOCK, DIFF_BK_H1 },
	{ "h2", EL_BLOCK, DIFF_BK_H2 },
	{ "h3", EL_BLOCK, DIFF_BK_H3 },
	{ "h4", EL_BLOCK, DIFF_BK_H4 },
	{ "h5", EL_BLOCK, DIFF_BK_H5 },
	{ "h6", EL_BLOCK, DIFF_BK_H6 },
	{ "head", EL_SKIP_ALWAYS, -1 },
	{ "header", EL_BLOCK, -1 },
	{ "hgroup", EL_BLOCK, -1 },
	{ "hr", EL_BLOCK, -1 },
	{ "html", EL_BLOCK, -1 },
	{ "iframe", EL_BLOCK | EL_SKIP, -1 },
	{ "input", EL_BLOCK | EL_SKIP, -1 },
	{ "legend", EL_BLOCK, -1 },
	{ "li", EL_BLOCK, DIFF_BK_LI },
	{ "main", EL_BLOCK, -1 },
	{ "map", EL_BLOCK | EL_SKIP, -1 },
	{ "menu", EL_BLOCK, -1 },
	{ "nav", EL_BLOCK | EL_SKIP, -1 },
	{ "noscript", EL_SKIP_ALWAYS, -1 },
	{ "object", EL_BLOCK | EL_SKIP, -1 },
	{ "ol", EL_BLOCK, -1 },
	{ "optgroup", EL_BLOCK, -1 },
	{ "option", EL_BLOCK, -1 },
	{ "p", EL_BLOCK, DIFF_BK_P },
	{ "pre", EL_BLOCK, DIFF_BK_PRE },
	{ "script", EL_SKIP_ALWAYS, -1 },
	{ "section", EL_BLOCK, -1 },
	{ "select", EL_BLOCK | EL_SKIP, -1 },
	{ "style", EL_SKIP_ALWAYS, -1 },
	{ "summary", EL_BLOCK, -1 },
	{ "svg", EL_BLOCK | EL_SKIP, -1 },
	{ "table", EL_BLOCK, -1 },
	{ "tbody", EL_BLOCK, -1 },
	{ "td", EL_BLOCK, DIFF_BK_TD },
	{ "template", EL_SKIP_ALWAYS, -1 },
	{ "textarea", EL_BLOCK | EL_SKIP, -1 },
	{ "tfoot", EL_BLOCK, -1 },
	{ "th", EL_BLOCK, DIFF_BK_TH },
	{ "thead", EL_BLOCK, -1 },
	{ "title", EL_SKIP_ALWAYS, -1 },
	{ "tr", EL_BLOCK, -1 },
	{ "ul", EL_BLOCK, -1 },
	{ "video", EL_BLOCK | EL_SKIP, -1 },
};

static int cmp_el(const void *key, const void *el)
{
	return strcmp(key, ((const struct elinfo *)el)->name);
}

static const struct elinfo inline_el = { "", EL_INLINE, -1 };

static const struct elinfo *elem_info(const char *name)
{
	const struct elinfo *x = bsearch(name, elements,
		sizeof(elements) / sizeof(*elements), sizeof(*elements), cmp_el);

	return x ? x : &inline_el;
}

static const char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	for (a = n->properties; a; a = a->next)
		if (a->name && strcasecmp((const char *)a->name, name) == 0)
			return a->children && a->children->content ?
				(const char *)a->children->content : "";
	return NULL;
}

static int is_mainlike(xmlNodePtr n)
{
	const char *name = (const char *)n->name, *role;

	/* a <header> inside these is not the site's banner (HTML-AAM) */
	if (!strcmp(name, "main") || !strcmp(name, "article") ||
	    !strcmp(name, "section"))
		return 1;
	role = attr(n, "role");
	return role && strcasecmp(role, "main") == 0;
}

/* Generic removals that depend on attributes. */
static int attr_skip(xmlNodePtr n)
{
	const char *v;

	if (attr(n, "hidden"))
		return 1;
	if ((v = attr(n, "aria-hidden")) && strcasecmp(v, "true") == 0)
		return 1;
	if ((v = attr(n, "role")) &&
	    (!strcasecmp(v, "navigation") || !strcasecmp(v, "banner") ||
	     !strcasecmp(v, "contentinfo") || !strcasecmp(v, "complementary") ||
	     !strcasecmp(v, "search")))
		return 1;
	if ((v = attr(n, "aria-label")) && strcasestr(v, "readcrumb"))
		return 1;
	if ((v = attr(n, "class")) && strcasestr(v, "breadcrumb"))
		return 1;
	return 0;
}

/* ---- text ---- */

/* Append s with whitespace collapsed; NBSP and other Unicode spaces are
 * spaces, zero-width characters and soft hyphens vanish. */
static int norm_add(struct buf *b, int *pending, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = 1;
		int space = 0, drop = 0;

		/* fast path: a run of plain characters */
		while (p[n - 1] > 0x20 && p[n - 1] != 0x7F && p[n - 1] != 0xC2 &&
		       p[n - 1] != 0xE2 && p[n - 1] != 0xE3 && p[n - 1] != 0xEF)
			n++;
		if (--n) {
			if ((*pending && buf_addc(b, ' ') < 0) ||
			    buf_add(b, p, n) < 0)
				return -1;
			*pending = 0;
			p += n;
			continue;
		}
		n = 1;

		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v') {
			space = 1;
		} else if (*p < 0x20 || *p == 0x7F) {
			drop = 1;       /* control characters: never in text */
		} else if (p[0] == 0xC2 && (p[1] == 0xA0 || p[1] == 0xAD ||
					    (p[1] >= 0x80 && p[1] <= 0x9F))) {
			n = 2;
			space = p[1] == 0xA0;
			drop = !space;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] &&
			   ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF ||
			    p[2] == 0xA8 || p[2] == 0xA9)) {
			n = 3;
			space = 1;
		} else if ((p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x8B &&
			    p[2] <= 0x8D) ||
			   (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)) {
			n = 3;
			drop = 1;
		} else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			n = 3;
			space = 1;
		}
		if (space) {
			if (b->len)
				*pending = 1;
		} else if (!drop) {
			if (*pending && buf_addc(b, ' ') < 0)
				return -1;
			*pending = 0;
			if (buf_add(b, p, n) < 0)
				return -1;
		}
		p += n;
	}
	return 0;
}

static int flush(struct walker *w)
{
	struct xblock *x;
	int k = w->sp ? w->kstack[(w->sp > KSTACK ? KSTACK : w->sp) - 1]
		      : DIFF_BK_TEXT;

	w->pending = 0;
	if (!w->cur.len)
		goto out;       /* an empty block takes its <time> along */
	if (w->n >= DIFF_MAX_BLOCKS || w->text_total + w->cur.len > DIFF_MAX_TEXT) {
		w->truncated = 1;
		goto out;
	}
	if (w->n == w->alloc) {
		size_t na = w->alloc ? w->alloc * 2 : 64;
		struct xblock *nb = realloc(w->b, na * sizeof(*nb));

		if (!nb) {
			w->oom = 1;
			goto out;
		}
		w->b = nb;
		w->alloc = na;
	}
	x = &w->b[w->n];
	x->kind = k;
	x->len = w->cur.len;
	x->text = buf_detach(&w->cur, NULL);
	x->time_dt = w->cur_time;
	w->cur_time = NULL;
	w->text_total += x->len;
	w->n++;
	return 0;
out:
	buf_reset(&w->cur);
	free(w->cur_time);
	w->cur_time = NULL;
	return 0;
}

/* ---- links ---- */

static char *resolve(const char *base, const char *href)
{
	size_t n;
	char *h, *u = NULL, *hash;
	xmlChar *r;

	while (*href == ' ' || *href == '\t' || *href == '\n' || *href == '\r')
		href++;
	n = strlen(href);
	while (n && (href[n - 1] == ' ' || href[n - 1] == '\t' ||
		     href[n - 1] == '\n' || href[n - 1] == '\r'))
		n--;
	if (!n || href[0] == '#' || !strncasecmp(href, "javascript:", 11) ||
	    !strncasecmp(href, "data:", 5) || !strncasecmp(href, "about:", 6) ||
	    !strncasecmp(href, "blob:", 5))
		return NULL;
	h = strndup(href, n);
	if (!h)
		return NULL;
	r = xmlBuildURI((const xmlChar *)h, (const xmlChar *)base);
	if (r) {
		u = strdup((const char *)r);
		xmlFree(r);
	} else if (strstr(h, "://")) {
		u = h;
		h = NULL;
	}
	free(h);
	if (u && (hash = strchr(u, '#')))
		*hash = '\0';
	return u;
}

static void add_link(struct walker *w, const char *href)
{
	char *u = resolve(w->base, href);
	int fresh = 0;

	if (!u)
		return;
	if ((w->self && strcmp(u, w->self) == 0) || !*u) {
		free(u);
		return;
	}
	if (w->n_links >= DIFF_MAX_LINKS) {
		w->truncated = 1;
		free(u);
		return;
	}
	if (w->n_links == w->alloc_links) {
		size_t na = w->alloc_links ? w->alloc_links * 2 : 32;
		char **nl = realloc(w->link, na * sizeof(*nl));

		if (!nl) {
			w->oom = 1;
			free(u);
			return;
		}
		w->link = nl;
		w->alloc_links = na;
	}
	if (diff_intern_id(&w->linkset, u, strlen(u), &fresh) < 0) {
		w->oom = 1;
		free(u);
		return;
	}
	if (fresh)
		w->link[w->n_links++] = u;
	else
		free(u);
}

/* ---- the walk ---- */

/* Returns 1 when the element was entered (leave() will be called). */
static int enter(struct walker *w, xmlNodePtr n, int is_root)
{
	const char *name, *v;
	const struct elinfo *el;
	int cls;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content && norm_add(&w->cur, &w->pending,
					   (const char *)n->content) < 0)
			w->truncated = 1;
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return 0;
	name = (const char *)n->name;
	el = elem_info(name);
	cls = el->cls;
	if (!is_root) {
		if (cls & EL_SKIP_ALWAYS)
			return 0;
		if (!w->all && (n->_private == &skip_mark || (cls & EL_SKIP) ||
				(!w->mainlike && !strcmp(name, "header")) ||
				attr_skip(n))) {
			if (cls & EL_BLOCK)
				flush(w);
			return 0;
		}
	}
	if (!strcmp(name, "br")) {
		if (w->cur.len)
			w->pending = 1;
		return 1;
	}
	if (cls & EL_BLOCK)
		flush(w);
	if (el->kind >= 0) {
		if (w->sp < KSTACK)
			w->kstack[w->sp] = el->kind;
		w->sp++;
	}
	if (is_mainlike(n))
		w->mainlike++;
	if (w->links && (!strcmp(name, "a") || !strcmp(name, "area")) &&
	    (v = attr(n, "href")))
		add_link(w, v);
	if (!strcmp(name, "time") && !w->cur_time && (v = attr(n, "datetime")))
		w->cur_time = strdup(v);
	return 1;
}

static void leave(struct walker *w, xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	const struct elinfo *el;

	if (n->type != XML_ELEMENT_NODE || !name || !strcmp(name, "br"))
		return;
	el = elem_info(name);
	if (el->cls & EL_BLOCK)
		flush(w);
	if (el->kind >= 0 && w->sp > 0)
		w->sp--;
	if (is_mainlike(n) && w->mainlike > 0)
		w->mainlike--;
}

static void walk(struct walker *w, xmlNodePtr root)
{
	xmlNodePtr n = root;

	for (;;) {
		int entered = enter(w, n, n == root);

		if (entered && n->children) {
			n = n->children;
			continue;
		}
		if (entered)
			leave(w, n);
		while (n != root && !n->next) {
			n = n->parent;
			leave(w, n);
		}
		if (n == root)
			break;
		n = n->next;
	}
	flush(w);
}

static void walker_init(struct walker *w, int all, int links,
			const char *base, const char *self)
{
	memset(w, 0, sizeof(*w));
	w->all = all;
	w->links = links;
	w->base = base;
	w->self = self;
	buf_init(&w->cur, DIFF_MAX_TEXT);
	if (diff_intern_init(&w->linkset, 64) < 0)
		w->oom = 1;
}

static void walker_reset(struct walker *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->b[i].text);
		free(w->b[i].time_dt);
	}
	w->n = 0;
	w->text_total = 0;
	diff_intern_release(&w->linkset);
	for (i = 0; i < w->n_links; i++)
		free(w->link[i]);
	w->n_links = 0;
	if (diff_intern_init(&w->linkset, 64) < 0)
		w->oom = 1;
	buf_reset(&w->cur);
	free(w->cur_time);
	w->cur_time = NULL;
	w->sp = 0;
	w->mainlike = 0;
	w->pending = 0;
	w->truncated = 0;
}

static void walker_release(struct walker *w)
{
	walker_reset(w);
	free(w->b);
	free(w->link);
	diff_intern_release(&w->linkset);
	buf_release(&w->cur);
}

/* Walk every root (skipping ones inside an earlier root). */
static void walk_roots(struct walker *w, xmlNodePtr *roots, size_t n,
		       int body)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		int nested = 0;

		for (j = 0; j < i && !nested; j++) {
			xmlNodePtr p;
			int depth = 0;

			for (p = roots[i]->parent; p && depth < 4096;
			     p = p->parent, depth++)
				if (p == roots[j]) {
					nested = 1;
					break;
				}
		}
		if (nested)
			continue;
		w->mainlike = !body;
		walk(w, roots[i]);
	}
}

/* ---- pages ---- */

void diff_page_init(struct diff_page *p)
{
	memset(p, 0, sizeof(*p));
}

void diff_page_release(struct diff_page *p)
{
	size_t i;

	if (!p)
		return;
	free(p->title);
	for (i = 0; i < p->n_blocks; i++)
		free(p->blocks[i].text);
	free(p->blocks);
	for (i = 0; i < p->n_links; i++)
		free(p->links[i]);
	free(p->links);
	free(p->updated.raw);
	free(p->issued.raw);
	memset(p, 0, sizeof(*p));
}

int diff_page_text(const struct diff_page *p, struct buf *out)
{
	size_t i;

	for (i = 0; i < p->n_blocks; i++)
		if ((i && buf_addc(out, '\n') < 0) ||
		    buf_add(out, p->blocks[i].text, p->blocks[i].len) < 0)
			return -1;
	return 0;
}

/* ---- charset ---- */

static const char *canon_charset(const char *cs, size_t n, char tmp[64])
{
	static const char *const latin1[] = {
		"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1",
		"l1", "cp819", "ibm819", "us-ascii", "ascii", "iso-ir-100",
		"cp1252", "x-cp1252", "windows-1252",
	};
	size_t i, o = 0;

	for (i = 0; i < n && o < 63; i++) {
		unsigned char c = (unsigned char)cs[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
			break;
		tmp[o++] = (char)tolower(c);
	}
	tmp[o] = '\0';
	if (!o)
		return NULL;
	for (i = 0; i < sizeof(latin1) / sizeof(*latin1); i++)
		if (!strcmp(tmp, latin1[i]))
			return "windows-1252";   /* as browsers do (WHATWG) */
	if (!strcmp(tmp, "utf8") || !strcmp(tmp, "utf-8"))
		return "UTF-8";
	return tmp;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, need;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		need = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 :
			(c >> 3) == 30 ? 3 : 0;
		if (!need || c == 0xC0 || c == 0xC1 || i + need >= n)
			return 0;
		for (k = 1; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

/* HTTP charset, BOM, <meta> in the first 4 KiB, UTF-8 if valid, else
 * windows-1252 (the web's default). */
static const char *pick_encoding(const char *charset, const char *html,
				 size_t len, char tmp[64])
{
	const unsigned char *u = (const unsigned char *)html;
	size_t i, lim = len < 4096 ? len : 4096;
	const char *c;

	if (charset && (c = canon_charset(charset, strlen(charset), tmp)))
		return c;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return "UTF-8";
	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
		return "UTF-16LE";
	if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
		return "UTF-16BE";
	for (i = 0; i + 8 < lim; i++) {
		size_t j;

		if (strncasecmp(html + i, "charset", 7) != 0)
			continue;
		j = i + 7;
		while (j < lim && html[j] == ' ')
			j++;
		if (j >= lim || html[j] != '=')
			continue;
		j++;
		while (j < lim && (html[j] == ' ' || html[j] == '"' ||
				   html[j] == '\''))
			j++;
		if ((c = canon_charset(html + j, lim - j, tmp)))
			return c;
	}
	return valid_utf8(u, len) ? "UTF-8" : "windows-1252";
}

/* ---- XPath helpers ---- */

struct ex {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	const struct diff_rules *rules;
	struct walker w;
	char *base;
	char *self;
	xmlNodePtr roots[MAX_NODES_PER_XPATH];   /* the main content */
	size_t n_roots;
	int body;
};

/* Up to max nodes (elements; a text or attribute node gives its parent),
 * expr evaluated at node (NULL: the document). */
static size_t xpath_nodes_at(struct ex *x, const char *expr, xmlNodePtr at,
			     xmlNodePtr *out, size_t max)
{
	xmlXPathObjectPtr o;
	size_t n = 0;
	int i;

	if (!x->ctx)
		return 0;
	x->ctx->node = at ? at : (xmlNodePtr)x->doc;
	o = xmlXPathEvalExpression((const xmlChar *)expr, x->ctx);
	x->ctx->node = (xmlNodePtr)x->doc;
	if (!o)
		return 0;
	if (o->type == XPATH_NODESET && o->nodesetval) {
		for (i = 0; i < o->nodesetval->nodeNr && n < max; i++) {
			xmlNodePtr p = o->nodesetval->nodeTab[i];

			if (p && p->type != XML_ELEMENT_NODE)
				p = p->parent;
			if (p && p->type == XML_ELEMENT_NODE)
				out[n++] = p;
		}
	}
	xmlXPathFreeObject(o);
	return n;
}

static size_t xpath_nodes(struct ex *x, const char *expr, xmlNodePtr *out,
			  size_t max)
{
	return xpath_nodes_at(x, expr, NULL, out, max);
}

/* "//a[..] | //b" -> ".//a[..] | .//b", to search under the main content
 * only (a whole-document scan costs as much as the parse on DPMC pages,
 * whose menu has thousands of elements).  0, or -1 when expr has another
 * shape (then it is evaluated on the whole document). */
static int relative_xpath(const char *expr, struct buf *out)
{
	int depth = 0, start = 1;
	char quote = 0;

	for (; *expr; expr++) {
		char c = *expr;

		if (start && c != ' ') {
			if (expr[0] != '/' || expr[1] != '/')
				return -1;
			if (buf_addc(out, '.') < 0)
				return -1;
			start = 0;
		}
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '[' || c == '(') {
			depth++;
		} else if (c == ']' || c == ')') {
			depth--;
		} else if (c == '|' && depth == 0) {
			start = 1;
		}
		if (buf_addc(out, c) < 0)
			return -1;
	}
	return start ? -1 : 0;
}

/* Nodes expr selects.  where: 0 under the main content, else in the whole
 * document; 1 under the main content only; 2 in the whole document only.
 * An expression that cannot be made relative is always evaluated on the
 * whole document. */
static size_t rule_nodes(struct ex *x, const char *expr, int where,
			 xmlNodePtr *out, size_t max)
{
	struct buf rel = BUF_INIT(4096);
	size_t i, n = 0;
	int inside_only = where == 1;

	if (where != 2 && relative_xpath(expr, &rel) == 0) {
		for (i = 0; i < x->n_roots && n < max; i++)
			n += xpath_nodes_at(x, rel.data, x->roots[i], out + n,
					    max - n);
		buf_release(&rel);
		if (n || inside_only)
			return n;
	}
	buf_release(&rel);
	return xpath_nodes(x, expr, out, max);
}

/* The rules' removals (only under the main content matters); the number
 * of nodes marked. */
static size_t mark_removed(struct ex *x, char *const *xps, size_t n)
{
	xmlNodePtr nodes[1024];
	size_t i, k, m, total = 0;

	for (i = 0; i < n; i++) {
		m = rule_nodes(x, xps[i], 1, nodes, 1024);
		for (k = 0; k < m; k++)
			nodes[k]->_private = &skip_mark;
		total += m;
	}
	return total;
}

/* Normalised text of a subtree (capped). */
static char *node_text(xmlNodePtr n)
{
	xmlChar *c = xmlNodeGetContent(n);
	struct buf b = BUF_INIT(4096);
	int pending = 0;

	if (c)
		norm_add(&b, &pending, (const char *)c);
	xmlFree(c);
	return buf_detach(&b, NULL);
}

/* First <time datetime> at or under n (bounded search). */
static const char *find_time(xmlNodePtr root)
{
	xmlNodePtr n = root;
	int budget = 4096;

	while (n && budget-- > 0) {
		const char *v;

		if (n->type == XML_ELEMENT_NODE && n->name &&
		    !strcmp((const char *)n->name, "time") &&
		    (v = attr(n, "datetime")))
			return v;
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next)
			n = n->parent;
		if (n == root)
			break;
		n = n->next;
	}
	return NULL;
}

/* Rules' date XPaths: the first node holding a date; it is then removed.
 * where: as rule_nodes. */
static int rule_date(struct ex *x, char *const *xps, size_t n,
		     struct diff_date *out, int where)
{
	xmlNodePtr nodes[MAX_NODES_PER_XPATH];
	size_t i, k, m;

	for (i = 0; i < n; i++) {
		m = rule_nodes(x, xps[i], where, nodes,
			       MAX_NODES_PER_XPATH);
		for (k = 0; k < m; k++) {
			const char *dt = find_time(nodes[k]);
			char *text = node_text(nodes[k]);
			char ymd[11];
			int ok;

			if (!text)
				return -1;
			ok = diff_date_find(text, strlen(text), x->rules, ymd) >= 0 ||
				(dt && diff_date_iso(dt, ymd) == 0);
			if (!ok) {
				free(text);
				continue;
			}
			memcpy(out->ymd, ymd, 11);
			out->raw = text;
			nodes[k]->_private = &skip_mark;
			return 1;
		}
	}
	return 0;
}

/* ---- dates by their wording ---- */

static const char *const updated_words[] = {
	"page last updated", "page last modified", "last updated",
	"last modified", "updated", NULL
};
static const char *const issued_words[] = {
	"issue date", "date issued", "date of issue", NULL
};

/* Offset after a leading label ("Last updated: on "), or 0. */
static size_t skip_label(const char *t, const char *const *words)
{
	size_t p, wl;

	for (; *words; words++) {
		wl = strlen(*words);
		if (strncasecmp(t, *words, wl) != 0 ||
		    isalnum((unsigned char)t[wl]))
			continue;
		p = wl;
		while (t[p] == ' ')
			p++;
		if (t[p] == ':')
			p++;
		while (t[p] == ' ')
			p++;
		if (!strncasecmp(t + p, "on ", 3))
			p += 3;
		return p;
	}
	return 0;
}

/* A date at b->text + off with at most a short tail ("at 3pm", ".").  The
 * date as printed wins over a <time datetime>, which may be a UTC instant
 * on another calendar day; the attribute serves when the text has none. */
static int date_tail(const struct xblock *b, size_t off,
		     const struct diff_rules *r, char ymd[11])
{
	long k = diff_date_match(b->text + off, b->len - off, r, ymd);

	if (k >= 0)
		return b->len - off - (size_t)k <= 20 ? 0 : -1;
	if (b->time_dt && b->len - off <= 40 && diff_date_iso(b->time_dt, ymd) == 0)
		return 0;
	return -1;
}

/* Find "LABEL DATE" or "LABEL" + "DATE" blocks; fill out, set *count.
 * Returns the first block's index or -1. */
static long worded(const struct xblock *b, size_t n,
		   const char *const *words, const struct diff_rules *r,
		   struct diff_date *out, size_t *count)
{
	size_t i, off;
	char ymd[11];
	struct buf raw = BUF_INIT(4096);

	for (i = 0; i < n; i++) {
		off = skip_label(b[i].text, words);
		if (!off)
			continue;
		if (off == b[i].len) {
			if (i + 1 >= n || date_tail(&b[i + 1], 0, r, ymd) < 0)
				continue;
			*count = 2;
			buf_add(&raw, b[i].text, b[i].len);
			buf_addc(&raw, ' ');
			buf_add(&raw, b[i + 1].text, b[i + 1].len);
		} else {
			if (date_tail(&b[i], off, r, ymd) < 0)
				continue;
			*count = 1;
			buf_add(&raw, b[i].text, b[i].len);
		}
		memcpy(out->ymd, ymd, 11);
		out->raw = buf_detach(&raw, NULL);
		return (long)i;
	}
	return -1;
}

static void drop_blocks(struct walker *w, size_t at, size_t count)
{
	size_t i;

	for (i = at; i < at + count; i++) {
		free(w->b[i].text);
		free(w->b[i].time_dt);
		w->text_total -= w->b[i].len;
	}
	memmove(&w->b[at], &w->b[at + count],
		(w->n - at - count) * sizeof(*w->b));
	w->n -= count;
}

/* The date by its wording in the main blocks (which are then removed; also
 * when a rule found the date already, so no dated line stays in the
 * text).  1 when found here. */
static int worded_main(struct ex *x, const char *const *words,
		       struct diff_date *out)
{
	struct diff_date extra = { "", NULL };
	size_t count = 0;
	long at;

	at = worded(x->w.b, x->w.n, words, x->rules, out->raw ? &extra : out,
		    &count);
	free(extra.raw);
	if (at < 0)
		return 0;
	drop_blocks(&x->w, (size_t)at, count);
	return 1;
}

/* The date by its wording anywhere in the page. */
static void worded_page(struct ex *x, struct walker *all,
			const char *const *words, struct diff_date *out)
{
	size_t count = 0;

	if (out->raw)
		return;
	if (!all->b && !all->oom) {
		xmlNodePtr root = xmlDocGetRootElement(x->doc);

		if (root)
			walk(all, root);
	}
	worded(all->b, all->n, words, x->rules, out, &count);
}

/* Order: the rule under the main content (done before), the rule in the
 * whole document, the wording in the main text, the wording anywhere. */
static int find_date(struct ex *x, struct walker *all, char *const *xps,
		     size_t n, const char *const *words, struct diff_date *out)
{
	if (!out->raw && rule_date(x, xps, n, out, 2) < 0)
		return -1;
	if (worded_main(x, words, out) || out->raw)
		return 0;
	worded_page(x, all, words, out);
	return 0;
}

/* ---- choosing the main content ---- */

static const struct {
	const char *label, *xpath;
	int single;             /* only when exactly one node matches */
} generic[] = {
	{ "generic:main", "//main", 0 },
	{ "generic:role-main", "//*[@role='main']", 0 },
	{ "generic:main-id", "//*[@id='main' or @id='main-content']", 0 },
	{ "generic:article", "//article", 1 },
};

static void rule_label(const struct diff_rules *r, size_t i, char out[80])
{
	const char *name = r->name ? r->name : "site";

	if (i == 0)
		snprintf(out, 80, "rule:%.60s", name);
	else
		snprintf(out, 80, "rule:%.60s:%d", name, (int)(i + 1) % 100);
}

/* Walk what expr selects; 1 when that gave text. */
static int try_xpath(struct ex *x, const char *expr, size_t max, int single)
{
	xmlNodePtr nodes[MAX_NODES_PER_XPATH];
	size_t m = xpath_nodes(x, expr, nodes, single ? 2 : max);

	if (!m || (single && m != 1))
		return 0;
	memcpy(x->roots, nodes, m * sizeof(*nodes));
	x->n_roots = m;
	x->body = 0;
	walker_reset(&x->w);
	walk_roots(&x->w, nodes, m, 0);
	return x->w.n > 0;
}

static int try_generic(struct ex *x, size_t g)
{
	return try_xpath(x, generic[g].xpath, 1, generic[g].single);
}

static void use_body(struct ex *x)
{
	xmlNodePtr nodes[1];
	size_t m = xpath_nodes(x, "//body", nodes, 1);

	if (!m && (nodes[0] = xmlDocGetRootElement(x->doc)))
		m = 1;
	x->roots[0] = nodes[0];
	x->n_roots = m;
	x->body = 1;
	walker_reset(&x->w);
	if (m)
		walk_roots(&x->w, nodes, 1, 1);
}

static void choose_main(struct ex *x, const char *force, char label[80])
{
	const struct diff_rules *r = x->rules;
	size_t i;

	if (force && !strcmp(force, "generic:body"))
		goto body;
	for (i = 0; force && r && i < r->n_main; i++) {
		rule_label(r, i, label);
		if (!strcmp(label, force) &&
		    try_xpath(x, r->main[i], MAX_NODES_PER_XPATH, 0))
			return;
	}
	for (i = 0; force && i < sizeof(generic) / sizeof(*generic); i++) {
		if (!strcmp(generic[i].label, force) && try_generic(x, i)) {
			snprintf(label, 80, "%s", generic[i].label);
			return;
		}
	}
	for (i = 0; r && i < r->n_main; i++) {
		rule_label(r, i, label);
		if (try_xpath(x, r->main[i], MAX_NODES_PER_XPATH, 0))
			return;
	}
	for (i = 0; i < sizeof(generic) / sizeof(*generic); i++) {
		if (try_generic(x, i)) {
			snprintf(label, 80, "%s", generic[i].label);
			return;
		}
	}
body:
	snprintf(label, 80, "generic:body");
	use_body(x);
}

/* ---- the entry point ---- */

static void doc_setup(struct ex *x, const char *url)
{
	xmlNodePtr nodes[1];
	const char *href;

	x->ctx = xmlXPathNewContext(x->doc);
	if (x->ctx) {
		x->ctx->error = xml_quiet_structured;
		xmlXPathContextSetCache(x->ctx, 1, -1, 0);
	}
	if (url) {
		char *hash;

		x->self = strdup(url);
		if (x->self && (hash = strchr(x->self, '#')))
			*hash = '\0';
	}
	if (xpath_nodes(x, "//base[@href]", nodes, 1) &&
	    (href = attr(nodes[0], "href")) && *href) {
		xmlChar *b = xmlBuildURI((const xmlChar *)href,
					 (const xmlChar *)url);

		if (b) {
			x->base = strdup((const char *)b);
			xmlFree(b);
		}
	}
	if (!x->base && url)
		x->base = strdup(url);
}

static int finish_page(struct ex *x, struct diff_page *out)
{
	struct buf text = BUF_INIT(0);
	xmlNodePtr nodes[1];
	size_t i;

	out->title = x->ctx && xpath_nodes(x, "//title", nodes, 1) ?
		node_text(nodes[0]) : strdup("");
	out->blocks = calloc(x->w.n ? x->w.n : 1, sizeof(*out->blocks));
	if (!out->title || !out->blocks)
		return -1;
	for (i = 0; i < x->w.n; i++) {
		out->blocks[i].kind = x->w.b[i].kind;
		out->blocks[i].text = x->w.b[i].text;
		out->blocks[i].len = x->w.b[i].len;
		x->w.b[i].text = NULL;
	}
	out->n_blocks = x->w.n;
	out->links = x->w.link;
	out->n_links = x->w.n_links;
	x->w.link = NULL;
	x->w.n_links = x->w.alloc_links = 0;
	out->truncated = x->w.truncated;
	if (diff_page_text(out, &text) < 0)
		return -1;
	digest_sha1_label(text.data, text.len, out->text_digest);
	buf_release(&text);
	return 0;
}

int diff_extract(const char *html, size_t len, const char *charset,
		 const char *url, const struct diff_rules *rules,
		 const char *force_rule, struct diff_page *out, struct err *e)
{
	struct ex x;
	struct walker all;
	char tmp[64];
	const char *enc;
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
		HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
	int rc = -1;

	diff_page_init(out);
	memset(&x, 0, sizeof(x));
	x.rules = rules;
	if (len > DIFF_MAX_HTML)
		return err_set(e, "%s: %zu bytes of HTML, over the %u-byte "
			       "extraction cap", url ? url : "page", len,
			       DIFF_MAX_HTML);
	if (len > 0x7fffffff)
		len = 0x7fffffff;
	enc = html && len ? pick_encoding(charset, html, len, tmp) : NULL;
	xmlSetGenericErrorFunc(NULL, diff_xml_quiet);
	xmlSetStructuredErrorFunc(NULL, xml_quiet_structured);
	if (html && len) {
		x.doc = htmlReadMemory(html, (int)len, url, enc, opts);
		if (!x.doc && enc)
			x.doc = htmlReadMemory(html, (int)len, url, NULL, opts);
	}
	walker_init(&all, 1, 0, NULL, NULL);
	if (x.doc)
		doc_setup(&x, url);
	walker_init(&x.w, 0, 1, x.base, x.self);
	if (!x.doc || !xmlDocGetRootElement(x.doc)) {
		snprintf(out->rule, sizeof(out->rule), "generic:body");
		goto finish;
	}
	choose_main(&x, force_rule, out->rule);
	if (rules) {
		/* removals and dated elements, then the main content again */
		size_t marked = mark_removed(&x, rules->remove, rules->n_remove);
		int d1 = rule_date(&x, rules->date, rules->n_date,
				   &out->updated, 1);
		int d2 = rule_date(&x, rules->issue_date, rules->n_issue_date,
				   &out->issued, 1);

		if (d1 < 0 || d2 < 0)
			goto nomem;
		if (marked || d1 || d2) {
			walker_reset(&x.w);
			walk_roots(&x.w, x.roots, x.n_roots, x.body);
		}
	}
	if (find_date(&x, &all, rules ? rules->date : NULL,
		      rules ? rules->n_date : 0, updated_words,
		      &out->updated) < 0 ||
	    find_date(&x, &all, rules ? rules->issue_date : NULL,
		      rules ? rules->n_issue_date : 0, issued_words,
		      &out->issued) < 0)
		goto nomem;
finish:
	if (x.w.oom || all.oom || finish_page(&x, out) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	diff_page_release(out);
	rc = err_set(e, "%s: out of memory extracting text", url ? url : "page");
out:
	walker_release(&x.w);
	walker_release(&all);
	if (x.ctx)
		xmlXPathFreeContext(x.ctx);
	if (x.doc)
		xmlFreeDoc(x.doc);
	free(x.base);
	free(x.self);
	return rc;
}
