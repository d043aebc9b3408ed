/* replay rewrite: an archived page made to stay inside the archive.  HTML
 * goes through the one parser (html_parse) and its URL walk
 * (html_walk_urls), which replaces each reference with /TS<mod>/ABSOLUTE;
 * the document is then serialised (UTF-8) and the banner put right after
 * <body>.  CSS references (url(), @import) are found by html_css_scan and
 * replaced in the text.  Nothing else in the page is changed. */
#include <ctype.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/HTMLtree.h>

#include "html/html.h"
#include "replay/replay.h"
#include "util/url.h"

int replay_url(struct buf *out, const char *ts, const char *mod,
	       const char *url)
{
	return buf_addf(out, "/%s%s/%s", ts, mod ? mod : "", url);
}

/* References that stay as they are: fragments, and schemes that load
 * nothing from the web (or that the CSP blocks anyway). */
static int keep_ref(const char *s, size_t n)
{
	static const char *const keep[] = {
		"#", "javascript:", "data:", "mailto:", "tel:", "blob:",
		"about:", "sms:",
	};
	size_t i;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	if (!n)
		return 1;
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (n >= strlen(keep[i]) && !strncasecmp(s, keep[i],
							 strlen(keep[i])))
			return 1;
	return 0;
}

/* The archive address of ref (resolved against base) into out, reset
 * first: 1 done, 0 left as it is (not an http(s) URL, too long), -1 out of
 * memory.  In CSS, characters that would end the reference are escaped. */
static int address(const char *base, const char *ref, size_t n, int css,
		   const char *ts, const char *mod, struct buf *out)
{
	char *tmp, *abs = NULL;
	size_t i;
	int rc;

	buf_reset(out);
	if (!base || keep_ref(ref, n))
		return 0;
	if (!(tmp = malloc(n + 1)))
		return -1;
	if (css) {
		html_css_unescape(ref, n, tmp);
	} else {
		memcpy(tmp, ref, n);
		tmp[n] = '\0';
	}
	rc = url_resolve(base, tmp, HTML_MAX_URL, &abs, NULL);
	free(tmp);
	if (rc < 0)
		return 0;
	if (buf_addf(out, "/%s%s/", ts, mod) < 0) {
		free(abs);
		return -1;
	}
	for (i = 0; abs[i]; i++) {
		unsigned char c = (unsigned char)abs[i];

		if (css && (c == '"' || c == '\'' || c == '(' || c == ')' ||
			    c == '\\' || isspace(c)))
			rc = url_add_escape(out, c);
		else
			rc = buf_addc(out, (char)c);
		if (rc < 0)
			break;
	}
	free(abs);
	return rc < 0 ? -1 : 1;
}

/* The modifier a reference gets: what it is loaded as. */
static const char *mod_of(const struct html_ref *r)
{
	const char *el = (const char *)r->elem->name;
	const char *rel;

	if (r->use != HTML_REF_REQUISITE)
		return "";
	if (!strcmp(r->source, "style/@import"))
		return "cs_";
	if (r->css)
		return "im_";
	if (!strcmp(el, "script"))
		return "js_";
	if (!strcmp(el, "iframe") || !strcmp(el, "frame"))
		return "if_";
	if (!strcmp(el, "object") || !strcmp(el, "embed"))
		return "oe_";
	if (!strcmp(el, "link")) {
		rel = html_attr(r->elem, "rel");
		if (rel && strcasestr(rel, "stylesheet"))
			return "cs_";
		if (rel && strcasestr(rel, "modulepreload"))
			return "js_";
	}
	return "im_";
}

struct walk {
	const char *base, *ts;
	struct buf tmp;
	int oom;
};

static int on_ref(void *ctx, struct html_ref *r)
{
	struct walk *w = ctx;
	int rc = address(w->base, r->value, r->len, r->css, w->ts, mod_of(r),
			 &w->tmp);

	if (rc < 0) {
		w->oom = 1;
		return -1;
	}
	if (rc > 0 && !(r->replacement = strdup(w->tmp.data))) {
		w->oom = 1;
		return -1;
	}
	return 0;
}

/* The banner's place holder: a comment no archived page can know (random
 * per process), replaced with the banner after serialising. */
static char marker[40];
static pthread_once_t marker_once = PTHREAD_ONCE_INIT;

static void marker_init(void)
{
	unsigned char r[12] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t i;

	if (fd < 0 || read(fd, r, sizeof(r)) != (ssize_t)sizeof(r)) {
		unsigned long x = (unsigned long)getpid() ^
				  (unsigned long)(size_t)&r;

		for (i = 0; i < sizeof(r); i++, x = x * 6364136223846793005UL + 1)
			r[i] ^= (unsigned char)(x >> 33);
	}
	if (fd >= 0)
		close(fd);
	memcpy(marker, "govarch-banner-", 15);
	for (i = 0; i < sizeof(r); i++)
		snprintf(marker + 15 + 2 * i, 3, "%02x", r[i]);
}

static xmlNode *find_body(xmlDoc *doc)
{
	xmlNode *n;

	for (n = xmlDocGetRootElement(doc); n; n = html_next(n, NULL, 1))
		if (n->type == XML_ELEMENT_NODE && n->name &&
		    !strcasecmp((const char *)n->name, "body"))
			return n;
	return NULL;
}

/* The document is sent as UTF-8: its own <meta charset> and <meta
 * http-equiv=Content-Type> say so too. */
static int meta_utf8(xmlDoc *doc)
{
	xmlNode *n;
	const char *v;

	for (n = xmlDocGetRootElement(doc); n; n = html_next(n, NULL, 1)) {
		if (n->type != XML_ELEMENT_NODE || !n->name ||
		    strcasecmp((const char *)n->name, "meta"))
			continue;
		if (html_attr(n, "charset") &&
		    !xmlSetProp(n, (const xmlChar *)"charset",
				(const xmlChar *)"utf-8"))
			return -1;
		if ((v = html_attr(n, "http-equiv")) &&
		    !strcasecmp(v, "content-type") &&
		    (v = html_attr(n, "content")) && strcasestr(v, "charset") &&
		    !xmlSetProp(n, (const xmlChar *)"content",
				(const xmlChar *)"text/html; charset=utf-8"))
			return -1;
	}
	return 0;
}

int replay_rewrite_html(const char *html, size_t len, const char *content_type,
			const char *url, const char *ts, const char *banner,
			struct buf *out, struct err *e)
{
	struct html_doc *d = NULL;
	struct walk w;
	xmlOutputBuffer *ob = NULL;
	xmlNode *body, *mark = NULL;
	const xmlChar *bytes;
	size_t n;
	int rc = -1;

	pthread_once(&marker_once, marker_init);
	if (html_parse(html, len, content_type, url, REPLAY_MAX_PAYLOAD, &d,
		       e) < 0)
		return -1;
	memset(&w, 0, sizeof(w));
	w.base = d->base;
	w.ts = ts;
	buf_init(&w.tmp, 0);
	if (html_walk_urls(d, on_ref, &w) < 0) {
		err_set(e, "%s: out of memory rewriting the page", url);
		goto out;
	}
	if (meta_utf8(d->tree) < 0) {
		err_set(e, "%s: out of memory rewriting the page", url);
		goto out;
	}
	if (banner && (body = find_body(d->tree))) {
		mark = xmlNewDocComment(d->tree, (const xmlChar *)marker);
		if (!mark) {
			err_set(e, "out of memory");
			goto out;
		}
		if (body->children)
			xmlAddPrevSibling(body->children, mark);
		else
			xmlAddChild(body, mark);
	}
	/* UTF-8 out (no encoder: libxml2's own encoding), whatever the page
	 * came in; the server says charset=utf-8 */
	ob = xmlAllocOutputBuffer(NULL);
	if (!ob) {
		err_set(e, "out of memory");
		goto out;
	}
	htmlDocContentDumpFormatOutput(ob, d->tree, NULL, 0);
	xmlOutputBufferFlush(ob);
	bytes = xmlOutputBufferGetContent(ob);
	n = xmlOutputBufferGetSize(ob);
	if (mark) {
		char *m = memmem(bytes, n, marker, strlen(marker));
		size_t at;

		if (m && m - 4 >= (char *)bytes) {
			at = (size_t)(m - 4 - (char *)bytes);
			if (buf_add(out, bytes, at) < 0 ||
			    buf_adds(out, banner) < 0 ||
			    buf_add(out, m + strlen(marker) + 3,
				    n - at - 4 - strlen(marker) - 3) < 0)
				goto nomem;
			rc = 0;
			goto out;
		}
	}
	if (buf_add(out, bytes, n) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	err_set(e, "%s: rewritten page too large", url);
out:
	if (ob)
		xmlOutputBufferClose(ob);
	buf_release(&w.tmp);
	html_free(d);
	return rc;
}

struct css_walk {
	const char *css, *base, *ts;
	struct buf *out, tmp;
	size_t done;
	int oom;
};

static int on_css(void *ctx, int is_import, size_t off, size_t len)
{
	struct css_walk *w = ctx;
	int rc = address(w->base, w->css + off, len, 1, w->ts,
			 is_import ? "cs_" : "im_", &w->tmp);

	if (rc < 0)
		goto oom;
	if (rc == 0)
		return 0;
	if (buf_add(w->out, w->css + w->done, off - w->done) < 0 ||
	    buf_add(w->out, w->tmp.data, w->tmp.len) < 0)
		goto oom;
	w->done = off + len;
	return 0;
oom:
	w->oom = 1;
	return -1;
}

int replay_rewrite_css(const char *css, size_t len, const char *url,
		       const char *ts, struct buf *out, struct err *e)
{
	struct css_walk w;
	char *base = NULL;
	int rc;

	memset(&w, 0, sizeof(w));
	if (url_normalize(url, 0, &base, NULL) < 0)
		base = NULL;
	w.css = css;
	w.base = base;
	w.ts = ts;
	w.out = out;
	buf_init(&w.tmp, 0);
	rc = html_css_scan(css, len, on_css, &w);
	if (rc == 0 && !w.oom && buf_add(out, css + w.done, len - w.done) < 0)
		w.oom = 1;
	buf_release(&w.tmp);
	free(base);
	if (rc < 0 || w.oom)
		return err_set(e, "%s: rewritten stylesheet too large", url);
	return 0;
}
