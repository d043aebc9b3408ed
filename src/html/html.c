/* html: parse a page once (charset, caps, base URL); see html.h. */
#include "html/html.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/encoding.h>

#include "util/url.h"
#include "warc/warc.h"

#define PRESCAN_BYTES 1024      /* WHATWG's <meta> prescan window */

/* ---- charset labels ---- */

/* WHATWG label -> the name libxml2 (iconv) decodes, for the labels that
 * differ from their name or that browsers read differently from iconv. */
static const struct { const char *label, *name; } LABELS[] = {
	{ "ansi_x3.4-1968", "windows-1252" }, { "ascii", "windows-1252" },
	{ "cp1252", "windows-1252" }, { "cp819", "windows-1252" },
	{ "csisolatin1", "windows-1252" }, { "ibm819", "windows-1252" },
	{ "iso-8859-1", "windows-1252" }, { "iso-ir-100", "windows-1252" },
	{ "iso8859-1", "windows-1252" }, { "iso88591", "windows-1252" },
	{ "iso_8859-1", "windows-1252" }, { "iso_8859-1:1987", "windows-1252" },
	{ "l1", "windows-1252" }, { "latin1", "windows-1252" },
	{ "latin-1", "windows-1252" }, { "us-ascii", "windows-1252" },
	{ "windows-1252", "windows-1252" }, { "x-cp1252", "windows-1252" },
	{ "unicode-1-1-utf-8", "UTF-8" }, { "unicode11utf8", "UTF-8" },
	{ "unicode20utf8", "UTF-8" }, { "utf-8", "UTF-8" }, { "utf8", "UTF-8" },
	{ "x-unicode20utf8", "UTF-8" },
	{ "csunicode", "UTF-16LE" }, { "iso-10646-ucs-2", "UTF-16LE" },
	{ "ucs-2", "UTF-16LE" }, { "unicode", "UTF-16LE" },
	{ "unicodefeff", "UTF-16LE" }, { "utf-16", "UTF-16LE" },
	{ "utf-16le", "UTF-16LE" }, { "unicodefffe", "UTF-16BE" },
	{ "utf-16be", "UTF-16BE" },
	{ "iso-8859-9", "windows-1254" }, { "latin5", "windows-1254" },
	{ "iso-8859-11", "windows-874" }, { "tis-620", "windows-874" },
	{ "gb2312", "GBK" }, { "gb_2312", "GBK" }, { "chinese", "GBK" },
	{ "x-gbk", "GBK" }, { "ks_c_5601-1987", "EUC-KR" },
	{ "x-sjis", "SHIFT_JIS" }, { "ms_kanji", "SHIFT_JIS" },
	{ "windows-31j", "SHIFT_JIS" }, { "x-mac-roman", "MACINTOSH" },
};

/* The decoder's name for a label (s[0..n), trimmed, any case) into
 * name[32], or NULL when libxml2 has no decoder for it. */
static const char *label_name(const char *s, size_t n, char name[32])
{
	char low[32];
	size_t i, o = 0;
	xmlCharEncodingHandlerPtr h;

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n || n >= sizeof(low))
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && !strchr("-_.:", c))
			return NULL;
		low[o++] = (char)tolower(c);
	}
	low[o] = 0;
	for (i = 0; i < sizeof(LABELS) / sizeof(*LABELS); i++)
		if (!strcmp(low, LABELS[i].label))
			return LABELS[i].name;
	h = xmlFindCharEncodingHandler(low);
	if (!h)
		return NULL;
	xmlCharEncCloseFunc(h);
	memcpy(name, low, o + 1);
	return name;
}

static int is_utf16(const char *name)
{
	return !strncmp(name, "UTF-16", 6);
}

/* Bytes that read as UTF-16: some NUL in the first bytes (markup is
 * mostly ASCII, which UTF-16 writes with a NUL per character). */
static int looks_utf16(const char *s, size_t n)
{
	return memchr(s, 0, n < 256 ? n : 256) != NULL;
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

/* ---- the <meta> prescan (WHATWG "prescan a byte stream") ---- */

struct pattr {
	const char *name, *value;
	size_t nlen, vlen;
};

/* One attribute at s[*i] inside a tag: 1 found, 0 at the tag's end. */
static int prescan_attr(const char *s, size_t n, size_t *i, struct pattr *a)
{
	size_t p = *i;

	while (p < n && (isspace((unsigned char)s[p]) || s[p] == '/'))
		p++;
	if (p >= n || s[p] == '>')
		return 0;
	a->name = s + p;
	while (p < n && !isspace((unsigned char)s[p]) && s[p] != '=' &&
	       s[p] != '>' && (s[p] != '/' || p == (size_t)(a->name - s)))
		p++;
	a->nlen = (size_t)(s + p - a->name);
	a->value = "";
	a->vlen = 0;
	while (p < n && isspace((unsigned char)s[p]))
		p++;
	if (p < n && s[p] == '=') {
		p++;
		while (p < n && isspace((unsigned char)s[p]))
			p++;
		if (p < n && (s[p] == '"' || s[p] == '\'')) {
			char q = s[p++];

			a->value = s + p;
			while (p < n && s[p] != q)
				p++;
			a->vlen = (size_t)(s + p - a->value);
			if (p < n)
				p++;
		} else {
			a->value = s + p;
			while (p < n && !isspace((unsigned char)s[p]) && s[p] != '>')
				p++;
			a->vlen = (size_t)(s + p - a->value);
		}
	}
	*i = p;
	return 1;
}

static int attr_is(const struct pattr *a, const char *name)
{
	return a->nlen == strlen(name) && !strncasecmp(a->name, name, a->nlen);
}

/* The charset in a Content-Type value ("text/html; charset=x"). */
static const char *charset_in_content(const char *s, size_t n, size_t *len)
{
	size_t i;

	for (i = 0; i + 7 <= n; i++) {
		size_t p, b;

		if (strncasecmp(s + i, "charset", 7))
			continue;
		p = i + 7;
		while (p < n && isspace((unsigned char)s[p]))
			p++;
		if (p >= n || s[p] != '=')
			continue;
		p++;
		while (p < n && isspace((unsigned char)s[p]))
			p++;
		if (p < n && (s[p] == '"' || s[p] == '\'')) {
			char q = s[p++];

			b = p;
			while (p < n && s[p] != q)
				p++;
		} else {
			b = p;
			while (p < n && !isspace((unsigned char)s[p]) && s[p] != ';')
				p++;
		}
		*len = p - b;
		return s + b;
	}
	return NULL;
}

/* The charset a <meta> declares in s[0..n), or NULL. */
static const char *prescan(const char *s, size_t n, char name[32])
{
	size_t i = 0;

	while (i < n) {
		if (i + 4 <= n && !memcmp(s + i, "<!--", 4)) {
			const char *end = memmem(s + i + 4, n - i - 4, "-->", 3);

			i = end ? (size_t)(end - s) + 3 : n;
		} else if (i + 6 <= n && !strncasecmp(s + i, "<meta", 5) &&
			   (isspace((unsigned char)s[i + 5]) || s[i + 5] == '/')) {
			struct pattr a;
			const char *cs = NULL, *content = NULL, *r;
			size_t cslen = 0, clen = 0;
			int pragma = 0;

			i += 5;
			while (prescan_attr(s, n, &i, &a)) {
				if (attr_is(&a, "charset") && !cs) {
					cs = a.value;
					cslen = a.vlen;
				} else if (attr_is(&a, "content") && !content) {
					content = a.value;
					clen = a.vlen;
				} else if (attr_is(&a, "http-equiv") &&
					   a.vlen == 12 &&
					   !strncasecmp(a.value, "content-type", 12)) {
					pragma = 1;
				}
			}
			if (!cs && pragma && content)
				cs = charset_in_content(content, clen, &cslen);
			if (cs && (r = label_name(cs, cslen, name)))
				return is_utf16(r) ? "UTF-8" : r;
		} else if (s[i] == '<' && i + 1 < n &&
			   (isalpha((unsigned char)s[i + 1]) ||
			    (s[i + 1] == '/' && i + 2 < n &&
			     isalpha((unsigned char)s[i + 2])))) {
			struct pattr a;

			i += 2;
			while (i < n && !isspace((unsigned char)s[i]) && s[i] != '>')
				i++;
			while (prescan_attr(s, n, &i, &a))
				;
		} else {
			i++;
		}
	}
	return NULL;
}

/* The charset for html[0..len) (see html.h) into name[32]. */
static enum html_charset_from charset_decide(const char *html, size_t len,
					     const char *content_type,
					     char name[32])
{
	const unsigned char *u = (const unsigned char *)html;
	char cs[64];
	const char *r;

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		snprintf(name, 32, "UTF-8");
		return HTML_CHARSET_BOM;
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			 (u[0] == 0xFE && u[1] == 0xFF))) {
		snprintf(name, 32, "%s", u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
		return HTML_CHARSET_BOM;
	}
	warc_charset_of(content_type, cs, sizeof(cs));
	if (cs[0] && (r = label_name(cs, strlen(cs), name)) &&
	    (!is_utf16(r) || looks_utf16(html, len))) {
		if (r != name)
			snprintf(name, 32, "%s", r);
		return HTML_CHARSET_HTTP;
	}
	if ((r = prescan(html, len < PRESCAN_BYTES ? len : PRESCAN_BYTES, name))) {
		if (r != name)
			snprintf(name, 32, "%s", r);
		return HTML_CHARSET_META;
	}
	if (valid_utf8(u, len)) {
		snprintf(name, 32, "UTF-8");
		return HTML_CHARSET_UTF8_CHECK;
	}
	snprintf(name, 32, "windows-1252");
	return HTML_CHARSET_DEFAULT;
}

/* ---- the document ---- */

/* libxml2 reports some problems (a failed charset conversion) through its
 * global error handlers, stderr by default: library code never prints. */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

void html_silence(void)
{
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
}

const char *html_attr(const xmlNode *n, const char *name)
{
	xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->name && !strcasecmp((const char *)a->name, name))
			return a->children && a->children->content ?
				(const char *)a->children->content : "";
	return NULL;
}

xmlNode *html_next(xmlNode *n, const xmlNode *root, int descend)
{
	if (descend && n->type == XML_ELEMENT_NODE && n->children)
		return n->children;
	while (n != root && !n->next)
		if (!(n = n->parent))
			return NULL;
	return n == root ? NULL : n->next;
}

/* The first <base> element with an href, in document order. */
static const char *first_base_href(xmlNode *root)
{
	xmlNode *n;
	const char *v;

	for (n = root; n; n = html_next(n, NULL, 1))
		if (n->type == XML_ELEMENT_NODE && n->name &&
		    !strcmp((const char *)n->name, "base") &&
		    (v = html_attr(n, "href")))
			return v;
	return NULL;
}

void html_free(struct html_doc *d)
{
	if (!d)
		return;
	html_resolved_free(d);
	xmlFreeDoc(d->tree);
	free(d->url);
	free(d->base);
	free(d);
}

static xmlDoc *read_doc(const char *html, size_t len, const char *url,
			const char *enc)
{
	/* NODEFDTD: no DOCTYPE invented for a page without one (replay
	 * serialises the tree back, and a DOCTYPE changes how it renders) */
	const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			 HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
			 HTML_PARSE_COMPACT | HTML_PARSE_NODEFDTD;

	return htmlReadMemory(len ? html : "", (int)len, url, enc, opts);
}

int html_parse(const char *html, size_t len, const char *content_type,
	       const char *url, size_t max, struct html_doc **out,
	       struct err *e)
{
	struct html_doc *d = calloc(1, sizeof(*d));
	const char *href;

	*out = NULL;
	if (!d)
		goto nomem;
	if (!max || max > INT32_MAX)
		max = max ? INT32_MAX : HTML_MAX_BYTES;
	if (len > max) {
		len = max;
		d->cut = 1;
	}
	if (url && !(d->url = strdup(url)))
		goto nomem;
	d->charset_from = charset_decide(html, len, content_type, d->charset);
	html_silence();
	d->tree = read_doc(html, len, url, d->charset);
	if (!d->tree)           /* the decoder gave up: let libxml2 guess */
		d->tree = read_doc(html, len, url, NULL);
	if (!d->tree && !(d->tree = htmlNewDocNoDtD(NULL, NULL)))
		goto nomem;
	if (!xmlDocGetRootElement(d->tree)) {
		xmlNode *root = xmlNewDocNode(d->tree, NULL,
					      (const xmlChar *)"html", NULL);

		if (!root)
			goto nomem;
		xmlDocSetRootElement(d->tree, root);
	}
	href = first_base_href(xmlDocGetRootElement(d->tree));
	if (url && href &&
	    url_resolve(url, href, HTML_MAX_URL, &d->base, NULL) < 0)
		d->base = NULL;
	if (url && !d->base && url_normalize(url, HTML_MAX_URL, &d->base,
					     NULL) < 0)
		d->base = NULL;
	*out = d;
	return 0;
nomem:
	html_free(d);
	return err_set(e, "%s: out of memory parsing HTML", url ? url : "page");
}
