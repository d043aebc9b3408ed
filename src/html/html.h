/* html: the one HTML front end.  A page is parsed once into a document
 * that every reader walks: link extraction (crawl), main text, dates and
 * boilerplate (diff), and later replay's link rewriting.
 *
 * html_parse owns what all readers must agree on:
 *   - the charset, decided as WHATWG's encoding sniffing does: a BOM, then
 *     the HTTP Content-Type charset, then a <meta charset> / <meta
 *     http-equiv=Content-Type> in the first 1024 bytes (comments skipped),
 *     then UTF-8 when the bytes are valid UTF-8, else windows-1252.  Labels
 *     are read as WHATWG names them (latin1, iso-8859-1, ascii, cp1252 ...
 *     all mean windows-1252; utf8 means UTF-8).  A label the decoder does
 *     not know is passed over, and so is a UTF-16 label on bytes that are
 *     not UTF-16 (a server that says UTF-16 and sends ASCII): the next step
 *     decides.  A <meta> naming UTF-16 means UTF-8 (WHATWG: the prescan
 *     only reads ASCII-compatible bytes).
 *   - the size cap: at most max bytes are parsed (doc->cut says the page
 *     was longer);
 *   - libxml2's options (HTML_PARSE_RECOVER|NONET|NOERROR|NOWARNING|
 *     COMPACT) with its global error output silenced: library code never
 *     prints;
 *   - the page URL and the base for its links: the first <base href>, even
 *     after some links, resolved against the URL with url_resolve.
 *
 * Walks over the document:
 *   html_walk_urls (urls.c): every URL-bearing attribute and text, one
 *     callback per URL, which may replace it (replay's rewriting);
 *   html_css_scan (css.c): url() and @import references of CSS text, in the
 *     same shape;
 *   html_sel_find (select.c): the elements a simple XPath selects.
 * The main text, dates and boilerplate are walks in src/diff (extract.h).
 */
#ifndef GOVARCH_HTML_H
#define GOVARCH_HTML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "util/err.h"

struct hmap;

#define HTML_MAX_BYTES (16u << 20)  /* default cap on the bytes parsed */
#define HTML_MAX_URL   8192         /* longer references are passed over */

/* Where the charset came from. */
enum html_charset_from {
	HTML_CHARSET_BOM, HTML_CHARSET_HTTP, HTML_CHARSET_META,
	HTML_CHARSET_UTF8_CHECK, HTML_CHARSET_DEFAULT,
};

struct html_doc {
	xmlDoc *tree;          /* never NULL after html_parse succeeds (an
				* empty page is an empty <html>) */
	char *url;             /* the page's URL as given */
	char *base;            /* base for its links: <base href> resolved,
				* else the URL normalised; NULL when neither
				* is an http(s) URL */
	char charset[32];      /* "UTF-8", "windows-1252", "ISO-8859-2"... */
	enum html_charset_from charset_from;
	int cut;               /* the input was longer than the cap */
	struct hmap *resolved; /* private: html_resolve's answers (lazily) */
};

/* Parse html[0..len): content_type is the HTTP header value ("text/html;
 * charset=utf-8", may be NULL), url the page's URL (may be NULL), max the
 * cap on the bytes parsed (0: HTML_MAX_BYTES).  Broken markup is not an
 * error.  Returns 0 and *out (free with html_free), or -1 with e naming the
 * URL when memory runs out. */
int html_parse(const char *html, size_t len, const char *content_type,
	       const char *url, size_t max, struct html_doc **out,
	       struct err *e);
void html_free(struct html_doc *d);

/* Send libxml2's global error output nowhere (html_parse does; call it
 * before other libxml2 work such as compiling an XPath). */
void html_silence(void);

/* Attribute value of an element (case-insensitive name): "" when present
 * without a value, NULL when absent. */
const char *html_attr(const xmlNode *n, const char *name);
/* The node after n in document order, entering n's children when descend
 * is set and n is an element; inside root's subtree (root NULL: the whole
 * document).  NULL at the end.  The one tree walk for simple readers. */
xmlNode *html_next(xmlNode *n, const xmlNode *root, int descend);

/* ---- simple XPath selectors (select.c) ---- */

/* The XPath shapes site rules and main-content candidates use, matched by
 * one walk that tests each element in place (libxml2's engine builds,
 * sorts and copies node sets and attribute strings at every step):
 *   a union ('|') of paths that all start "//" (from the document) or all
 *   ".//" (from a context node), each a chain of '//' steps NAME or '*',
 *   each step with predicates made of @a, @a='v', 'v'=@a, contains(@a,
 *   'v'), not(...), and, or, parentheses.
 * html_sel_compile returns NULL for any other shape (positions, child
 * steps '/', functions, prefixes...): evaluate those with libxml2. */
struct html_sel;
struct html_sel *html_sel_compile(const char *xpath);
void html_sel_free(struct html_sel *s);
/* The elements s selects, as libxml2's XPath gives them: in document
 * order, at most max.  at: the context node of a ".//" selector (NULL: the
 * document); a "//" selector ignores it. */
size_t html_sel_find(const struct html_sel *s, xmlDoc *doc, xmlNode *at,
		     xmlNode **out, size_t max);

/* ---- URL-bearing attributes and texts (urls.c) ---- */

/* How a reference is used: a page to visit, a requisite needed to render
 * this one (fetched even from other hosts), or a URL the page names that
 * a crawler does not follow (a form's action, <base>, a cite, a data-*
 * attribute holding a URL) but a replay rewrites. */
enum html_ref_use { HTML_REF_PAGE, HTML_REF_REQUISITE, HTML_REF_OTHER };

/* One reference as written in the document.  For CSS (a <style> text or a
 * style attribute) value is the url()/@import reference with its CSS
 * backslash escapes still in (html_css_unescape removes them). */
struct html_ref {
	xmlNode *elem;             /* the element holding it */
	const char *attr;          /* attribute name, NULL for <style> text */
	const char *source;        /* static: "a/@href", "img/@srcset",
				    * "meta/refresh", "style/url",
				    * "style/@import", "@style/url" */
	enum html_ref_use use;
	int css;                   /* value is a CSS reference */
	const char *value;         /* not NUL-terminated */
	size_t len;
	/* Set by the callback to replace this reference (malloc'd; the walk
	 * frees it and writes the attribute or text back once all its
	 * references were seen). */
	char *replacement;
};

/* Called per reference in document order (an element's attributes in the
 * order the table in urls.c lists them; a <style>'s text before its own
 * style attribute).  Return 0 to go on, -1 to stop (the walk returns -1). */
typedef int (*html_ref_fn)(void *ctx, struct html_ref *r);

/* Every reference the document holds:
 *   page:      a/@href  area/@href  link/@href (other rel)  meta/refresh
 *   requisite: link/@href (rel stylesheet, icon, apple-touch-icon,
 *              mask-icon, preload, modulepreload, manifest)
 *              img/@src img/@srcset img/@data-src img/@data-srcset
 *              script/@src  iframe/@src  frame/@src  source/@src
 *              source/@srcset  video/@src  video/@poster  audio/@src
 *              track/@src  object/@data  embed/@src  input/@src
 *              body/@background  style/url  style/@import  @style/url
 *   other:     base/@href  form/@action  button/@formaction
 *              input/@formaction  blockquote/@cite  q/@cite  del/@cite
 *              ins/@cite  @data-* (any other data- attribute whose value
 *              starts with http:, https:, // or /)
 * (a srcset gives one reference per candidate; a refresh its url part).
 * Returns 0, or -1 when fn stopped it or memory ran out. */
int html_walk_urls(struct html_doc *d, html_ref_fn fn, void *ctx);

/* What ref (NUL-terminated, passed to url_resolve as it is) resolves to
 * against d->base (url_resolve, at most HTML_MAX_URL), kept in d so that
 * each walk over the page (the crawler's links, the main text's) asks
 * url_resolve once per distinct reference.  Returns 0 with *url (malloc'd,
 * the caller's; NULL when url_resolve refuses it or d has no base), or -1
 * when out of memory.  html_resolve_known records an answer found
 * elsewhere (url NULL: refused), such as a memo kept across pages; it must
 * be exactly what url_resolve(d->base, ref, HTML_MAX_URL) gives.  0, or -1
 * when out of memory. */
int html_resolve(struct html_doc *d, const char *ref, char **url);
int html_resolve_known(struct html_doc *d, const char *ref, const char *url);
/* Forget them (html_free does). */
void html_resolved_free(struct html_doc *d);

/* ---- CSS text (css.c) ---- */

/* A url() or @import reference at css[off..off+len) (inside its quotes). */
typedef int (*html_css_fn)(void *ctx, int is_import, size_t off, size_t len);

/* Each url() and @import reference of a stylesheet, in order; comments
 * and strings outside them are passed over.  Returns 0, or -1 when fn
 * returned -1. */
int html_css_scan(const char *css, size_t len, html_css_fn fn, void *ctx);

/* s[0..n) without CSS backslash escapes ("a\)b" -> "a)b") into out (at
 * least n+1 bytes, NUL-terminated); its length. */
size_t html_css_unescape(const char *s, size_t n, char *out);

#endif
