/* links: outlink extraction from HTML (libxml2) and CSS (by hand). */
#include "crawl/links.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "util/buf.h"
#include "util/url.h"
#include "warc/warc.h"

/* ---- the list and its dedupe set ---------------------------------- */

void crawl_links_init(struct crawl_links *l, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->max = max;
}

void crawl_links_release(struct crawl_links *l)
{
	struct crawl_links_memo *memo = l->memo;
	size_t i, max = l->max;

	for (i = 0; i < l->n; i++)
		free(l->v[i].url);
	free(l->v);
	free(l->set);
	free(l->memo_base);
	free(l->memo_origin);
	crawl_links_init(l, max);
	l->memo = memo;
}

const char *crawl_link_kind_name(enum crawl_link_kind k)
{
	return k == CRAWL_LINK_REQUISITE ? "requisite" : "page";
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Slot of url in the set (holding index+1, 0 when free). */
static size_t *set_slot(const struct crawl_links *l, const char *url)
{
	size_t i = hash_str(url) & (l->setcap - 1);

	while (l->set[i] && strcmp(l->v[l->set[i] - 1].url, url))
		i = (i + 1) & (l->setcap - 1);
	return &l->set[i];
}

static int set_grow(struct crawl_links *l)
{
	size_t ncap = l->setcap ? l->setcap * 2 : 64, i;
	size_t *old = l->set, oldcap = l->setcap;

	l->set = calloc(ncap, sizeof(*l->set));
	if (!l->set) {
		l->set = old;
		return -1;
	}
	l->setcap = ncap;
	for (i = 0; i < oldcap; i++)
		if (old[i])
			*set_slot(l, l->v[old[i] - 1].url) = old[i];
	free(old);
	return 0;
}

/* Take ownership of url (absolute): 1 added, 0 duplicate or full, -1 OOM. */
static int add_url(struct crawl_links *l, char *url, enum crawl_link_kind kind,
		   const char *source)
{
	size_t *slot;

	if ((l->n + 1) * 2 > l->setcap && set_grow(l) < 0)
		goto oom;
	slot = set_slot(l, url);
	if (*slot) {
		if (kind == CRAWL_LINK_REQUISITE)
			l->v[*slot - 1].kind = kind;
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
	l->v[l->n].url = url;
	l->v[l->n].kind = kind;
	l->v[l->n].source = source;
	*slot = ++l->n;
	return 1;
oom:
	free(url);
	return -1;
}

/* ---- the memo of resolved references -------------------------------- */

struct memo_ent {
	uint64_t h;
	char *key;                 /* origin '\0' ref '\0', one allocation */
	char *url;                 /* NULL: url_resolve refused it */
};

struct crawl_links_memo {
	struct memo_ent *v;        /* open addressing, cap a power of two */
	size_t cap, n, bytes;
};

struct crawl_links_memo *crawl_links_memo_new(void)
{
	struct crawl_links_memo *m = calloc(1, sizeof(*m));

	if (m && !(m->v = calloc(2 * CRAWL_LINKS_MEMO_MAX, sizeof(*m->v)))) {
		free(m);
		return NULL;
	}
	if (m)
		m->cap = 2 * CRAWL_LINKS_MEMO_MAX;
	return m;
}

static void memo_clear(struct crawl_links_memo *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->v[i].key);
		free(m->v[i].url);
	}
	memset(m->v, 0, m->cap * sizeof(*m->v));
	m->n = m->bytes = 0;
}

void crawl_links_memo_free(struct crawl_links_memo *m)
{
	if (!m)
		return;
	memo_clear(m);
	free(m->v);
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

static struct memo_ent *memo_slot(struct crawl_links_memo *m, uint64_t h,
				  const char *origin, size_t olen,
				  const char *ref)
{
	size_t i = h & (m->cap - 1);

	while (m->v[i].key && (m->v[i].h != h || strcmp(m->v[i].key, origin) ||
			       strcmp(m->v[i].key + olen + 1, ref)))
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

/* url_resolve through the memo: 0 with *url (malloc'd, NULL when refused),
 * -1 when out of memory. */
static int memo_resolve(struct crawl_links *l, const char *base,
			const char *ref, char **url)
{
	struct crawl_links_memo *m = l->memo;
	const char *origin;
	struct memo_ent *s;
	size_t olen, rlen;
	uint64_t h;

	*url = NULL;
	if (!m || !memoisable(ref) || !(origin = memo_origin(l, base))) {
		if (url_resolve(base, ref, CRAWL_LINKS_MAX_URL, url, NULL) < 0)
			*url = NULL;
		return 0;
	}
	olen = strlen(origin);
	rlen = strlen(ref);
	h = hash_str(origin) * 31 ^ hash_str(ref);
	s = memo_slot(m, h, origin, olen, ref);
	if (!s->key) {
		if (m->n >= CRAWL_LINKS_MEMO_MAX || m->bytes > CRAWL_LINKS_MEMO_BYTES) {
			memo_clear(m);
			s = memo_slot(m, h, origin, olen, ref);
		}
		if (url_resolve(base, ref, CRAWL_LINKS_MAX_URL, &s->url, NULL) < 0)
			s->url = NULL;
		if (!(s->key = malloc(olen + rlen + 2))) {
			free(s->url);
			s->url = NULL;
			return -1;
		}
		memcpy(s->key, origin, olen + 1);
		memcpy(s->key + olen + 1, ref, rlen + 1);
		s->h = h;
		m->n++;
		m->bytes += olen + rlen + 2 + (s->url ? strlen(s->url) + 1 : 0);
	}
	if (s->url && !(*url = strdup(s->url)))
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

/* ---- CSS ------------------------------------------------------------ */

/* Read a CSS string starting at quote s[*i]; returns its bounds. */
static void css_string(const char *s, size_t n, size_t *i, size_t *b, size_t *e)
{
	char q = s[(*i)++];

	*b = *i;
	while (*i < n && s[*i] != q && s[*i] != '\n') {
		if (s[*i] == '\\' && *i + 1 < n)
			(*i)++;
		(*i)++;
	}
	*e = *i;
	if (*i < n)
		(*i)++;
}

/* At s[*i] just after "url(": the reference's bounds. */
static void css_url(const char *s, size_t n, size_t *i, size_t *b, size_t *e)
{
	while (*i < n && isspace((unsigned char)s[*i]))
		(*i)++;
	if (*i < n && (s[*i] == '"' || s[*i] == '\'')) {
		css_string(s, n, i, b, e);
		while (*i < n && s[*i] != ')')
			(*i)++;
	} else {
		*b = *i;
		while (*i < n && s[*i] != ')') {
			if (s[*i] == '\\' && *i + 1 < n)
				(*i)++;
			(*i)++;
		}
		*e = *i;
		while (*e > *b && isspace((unsigned char)s[*e - 1]))
			(*e)--;
	}
	if (*i < n)
		(*i)++;
}

static int add_css_ref(struct crawl_links *l, const char *base, const char *s,
		       size_t b, size_t e, const char *source)
{
	/* drop backslash escapes ("a\)b" -> "a)b"); hex escapes are rare */
	char tmp[1024], *p = tmp;
	size_t k;

	if (e - b >= sizeof(tmp) || !memchr(s + b, '\\', e - b))
		return crawl_links_add(l, base, s + b, e - b,
				       CRAWL_LINK_REQUISITE, source) < 0 ? -1 : 0;
	for (k = b; k < e; k++) {
		if (s[k] == '\\' && k + 1 < e)
			k++;
		*p++ = s[k];
	}
	return crawl_links_add(l, base, tmp, (size_t)(p - tmp),
			       CRAWL_LINK_REQUISITE, source) < 0 ? -1 : 0;
}

static int css_scan(struct crawl_links *l, const char *s, size_t n,
		    const char *base, const char *src_url, const char *src_imp)
{
	size_t i = 0, b, e;

	while (i < n) {
		char c = s[i];

		if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			const char *end = NULL;
			size_t k;

			for (k = i + 2; k + 1 < n; k++)
				if (s[k] == '*' && s[k + 1] == '/') {
					end = s + k;
					break;
				}
			i = end ? (size_t)(end - s) + 2 : n;
		} else if (c == '"' || c == '\'') {
			css_string(s, n, &i, &b, &e);
		} else if ((c == 'u' || c == 'U') && i + 4 <= n &&
			   !strncasecmp(s + i, "url(", 4) &&
			   (i == 0 || !(isalnum((unsigned char)s[i - 1]) ||
					s[i - 1] == '-' || s[i - 1] == '_'))) {
			i += 4;
			css_url(s, n, &i, &b, &e);
			if (add_css_ref(l, base, s, b, e, src_url) < 0)
				return -1;
		} else if (c == '@' && i + 7 <= n && !strncasecmp(s + i, "@import", 7)) {
			i += 7;
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				css_string(s, n, &i, &b, &e);
			} else if (i + 4 <= n && !strncasecmp(s + i, "url(", 4)) {
				i += 4;
				css_url(s, n, &i, &b, &e);
			} else {
				continue;
			}
			if (add_css_ref(l, base, s, b, e, src_imp) < 0)
				return -1;
		} else {
			i++;
		}
	}
	return 0;
}

int crawl_links_from_css(struct crawl_links *l, const char *css, size_t len,
			 const char *base_url, struct err *e)
{
	if (css_scan(l, css, len, base_url, "css/url", "css/@import") < 0)
		return err_set(e, "%s: out of memory extracting CSS links",
			       base_url);
	return 0;
}

/* ---- HTML ----------------------------------------------------------- */

/* srcset: "a.jpg 1x, b.jpg 2x" (URLs may contain commas, not spaces). */
static int add_srcset(struct crawl_links *l, const char *base, const char *s,
		      const char *source)
{
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
		if (e > b && crawl_links_add(l, base, s + b, e - b,
					     CRAWL_LINK_REQUISITE, source) < 0)
			return -1;
	}
	return 0;
}

/* <meta http-equiv="refresh" content="5; url='/next'"> */
static int add_refresh(struct crawl_links *l, const char *base, const char *c)
{
	const char *p = c, *end;

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
	return crawl_links_add(l, base, p, (size_t)(end - p), CRAWL_LINK_PAGE,
			       "meta/refresh") < 0 ? -1 : 0;
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

struct attr_rule {
	const char *elem, *attr, *source;
	enum crawl_link_kind kind;
	int srcset;
};

static const struct attr_rule RULES[] = {
	{ "a", "href", "a/@href", CRAWL_LINK_PAGE, 0 },
	{ "area", "href", "area/@href", CRAWL_LINK_PAGE, 0 },
	{ "img", "src", "img/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "img", "srcset", "img/@srcset", CRAWL_LINK_REQUISITE, 1 },
	{ "img", "data-src", "img/@data-src", CRAWL_LINK_REQUISITE, 0 },
	{ "img", "data-srcset", "img/@data-srcset", CRAWL_LINK_REQUISITE, 1 },
	{ "script", "src", "script/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "iframe", "src", "iframe/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "frame", "src", "frame/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "source", "src", "source/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "source", "srcset", "source/@srcset", CRAWL_LINK_REQUISITE, 1 },
	{ "video", "poster", "video/@poster", CRAWL_LINK_REQUISITE, 0 },
	{ "video", "src", "video/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "audio", "src", "audio/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "track", "src", "track/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "object", "data", "object/@data", CRAWL_LINK_REQUISITE, 0 },
	{ "embed", "src", "embed/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "input", "src", "input/@src", CRAWL_LINK_REQUISITE, 0 },
	{ "body", "background", "body/@background", CRAWL_LINK_REQUISITE, 0 },
};

/* The page is parsed by libxml2's SAX interface, without building a tree:
 * each element's references are noted in document order (ops), and
 * resolved once the parse is done, against the first <base href>
 * wherever it stands. */
enum op_type { OP_REF, OP_SRCSET, OP_REFRESH, OP_CSS, OP_STYLE_ATTR };

struct op {
	enum op_type type;
	enum crawl_link_kind kind;  /* OP_REF */
	const char *source;         /* OP_REF, OP_SRCSET */
	char *v;
};

struct sax_state {
	struct op *ops;
	size_t n, cap;
	int oom;
	int have_base;              /* a <base href> was seen */
	char *base_href;
	int in_style;               /* inside <style>: its text collects */
	struct buf style;
	char *style_attr;           /* the <style> element's own @style */
};

static void note(struct sax_state *st, enum op_type type,
		 enum crawl_link_kind kind, const char *source, const char *v,
		 size_t len)
{
	struct op *o;

	if (st->oom)
		return;
	if (st->n == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 64;
		struct op *nv = realloc(st->ops, ncap * sizeof(*nv));

		if (!nv) {
			st->oom = 1;
			return;
		}
		st->ops = nv;
		st->cap = ncap;
	}
	o = &st->ops[st->n];
	o->type = type;
	o->kind = kind;
	o->source = source;
	if (!(o->v = strndup(v, len))) {
		st->oom = 1;
		return;
	}
	st->n++;
}

static void note_str(struct sax_state *st, enum op_type type,
		     enum crawl_link_kind kind, const char *source,
		     const char *v)
{
	note(st, type, kind, source, v, strlen(v));
}

/* An attribute's value as xmlGetProp would give it: "" for a bare
 * attribute, NULL when absent (names are lower case already). */
static const char *attr(const xmlChar **atts, const char *name)
{
	size_t i;

	for (i = 0; atts && atts[i]; i += 2)
		if (!strcmp((const char *)atts[i], name))
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

/* The end of a <style>: its text, then its own @style attribute. */
static void style_end(struct sax_state *st)
{
	if (!st->in_style)
		return;
	st->in_style = 0;
	note(st, OP_CSS, CRAWL_LINK_REQUISITE, NULL,
	     st->style.len ? st->style.data : "", st->style.len);
	buf_reset(&st->style);
	if (st->style_attr)
		note_str(st, OP_STYLE_ATTR, CRAWL_LINK_REQUISITE, NULL,
			 st->style_attr);
	free(st->style_attr);
	st->style_attr = NULL;
}

static void sax_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct sax_state *st = ((htmlParserCtxtPtr)ctx)->_private;
	const char *name = (const char *)xname, *v, *rel, *content;
	size_t i;

	style_end(st);              /* raw text: nothing nests in <style> */
	if (!strcmp(name, "base") && !st->have_base && (v = attr(atts, "href"))) {
		st->have_base = 1;
		if (!(st->base_href = strdup(v)))
			st->oom = 1;
	}
	for (i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++)
		if (!strcmp(name, RULES[i].elem) &&
		    (v = attr(atts, RULES[i].attr)))
			note_str(st, RULES[i].srcset ? OP_SRCSET : OP_REF,
				 RULES[i].kind, RULES[i].source, v);
	if (!strcmp(name, "link") && (v = attr(atts, "href"))) {
		rel = attr(atts, "rel");
		note_str(st, OP_REF, rel && rel_is_requisite(rel) ?
			 CRAWL_LINK_REQUISITE : CRAWL_LINK_PAGE, "link/@href", v);
	}
	if (!strcmp(name, "meta") && (v = attr(atts, "http-equiv")) &&
	    !strcasecmp(v, "refresh") && (content = attr(atts, "content")))
		note_str(st, OP_REFRESH, CRAWL_LINK_PAGE, NULL, content);
	v = attr(atts, "style");
	if (!strcmp(name, "style")) {
		st->in_style = 1;
		if (v && !(st->style_attr = strdup(v)))
			st->oom = 1;
	} else if (v) {
		note_str(st, OP_STYLE_ATTR, CRAWL_LINK_REQUISITE, NULL, v);
	}
}

static void sax_end(void *ctx, const xmlChar *name)
{
	struct sax_state *st = ((htmlParserCtxtPtr)ctx)->_private;

	if (!strcmp((const char *)name, "style"))
		style_end(st);
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
	struct sax_state *st = ((htmlParserCtxtPtr)ctx)->_private;

	if (st->in_style && len > 0 &&
	    buf_add(&st->style, (const char *)ch, (size_t)len) < 0)
		st->oom = 1;
}

static void sax_release(struct sax_state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->ops[i].v);
	free(st->ops);
	free(st->base_href);
	free(st->style_attr);
	buf_release(&st->style);
	memset(st, 0, sizeof(*st));
	buf_init(&st->style, 0);
}

/* libxml2 reports some problems (a failed charset conversion) through its
 * global error handler, stderr by default: library code never prints. */
static void links_xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Parse html noting its references into st; the document (no elements),
 * or NULL when libxml2 cannot parse it, as htmlReadMemory would. */
static xmlDoc *sax_parse(const char *html, size_t len, const char *url,
			 const char *charset, struct sax_state *st)
{
	const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			 HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
			 HTML_PARSE_NOIMPLIED;
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	xmlDoc *doc;

	xmlSetGenericErrorFunc(NULL, links_xml_quiet);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!ctxt)
		return NULL;
	ctxt->sax->startElement = sax_start;
	ctxt->sax->endElement = sax_end;
	ctxt->sax->characters = sax_text;
	ctxt->sax->cdataBlock = sax_text;
	ctxt->sax->ignorableWhitespace = sax_text;
	ctxt->sax->comment = NULL;
	ctxt->sax->processingInstruction = NULL;
	ctxt->_private = st;
	doc = htmlCtxtReadMemory(ctxt, html, (int)len, url, charset, opts);
	style_end(st);              /* a <style> cut by the end of the file */
	htmlFreeParserCtxt(ctxt);
	return doc;
}

/* Resolve what was noted, in order, against base. */
static int replay(struct crawl_links *l, const struct sax_state *st,
		  const char *base)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < st->n && rc >= 0; i++) {
		const struct op *o = &st->ops[i];

		switch (o->type) {
		case OP_REF:
			rc = crawl_links_add(l, base, o->v, strlen(o->v),
					     o->kind, o->source);
			break;
		case OP_SRCSET:
			rc = add_srcset(l, base, o->v, o->source);
			break;
		case OP_REFRESH:
			rc = add_refresh(l, base, o->v);
			break;
		case OP_CSS:
			rc = css_scan(l, o->v, strlen(o->v), base, "style/url",
				      "style/@import");
			break;
		case OP_STYLE_ATTR:
			rc = css_scan(l, o->v, strlen(o->v), base, "@style/url",
				      "@style/url");
			break;
		}
	}
	return rc < 0 ? -1 : 0;
}

int crawl_links_from_html(struct crawl_links *l, const char *html, size_t len,
			  const char *base_url, const char *content_type,
			  struct err *e)
{
	char cs[64], *charset, *base = NULL;
	struct sax_state st;
	xmlDoc *doc = NULL;
	int rc = -1;

	warc_charset_of(content_type, cs, sizeof(cs));
	charset = cs[0] ? cs : NULL;
	memset(&st, 0, sizeof(st));
	buf_init(&st.style, 0);
	if (len > (size_t)INT32_MAX) {
		err_set(e, "%s: HTML too large to parse", base_url);
		goto out;
	}
	doc = sax_parse(html, len, base_url, charset, &st);
	if (!doc && charset) {      /* an unknown charset name: let libxml2 guess */
		sax_release(&st);
		doc = sax_parse(html, len, base_url, NULL, &st);
	}
	if (!doc) {
		if (len == 0) {
			rc = 0;
			goto out;
		}
		err_set(e, "%s: HTML could not be parsed", base_url);
		goto out;
	}
	if (st.have_base && st.base_href &&
	    url_resolve(base_url, st.base_href, CRAWL_LINKS_MAX_URL, &base,
			NULL) < 0)
		base = NULL;
	if (st.oom || replay(l, &st, base ? base : base_url) < 0) {
		err_set(e, "%s: out of memory extracting links", base_url);
		goto out;
	}
	rc = 0;
out:
	xmlFreeDoc(doc);
	sax_release(&st);
	free(base);
	return rc;
}
