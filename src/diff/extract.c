/* extract: main text, links and dates of an HTML page (see extract.h).
 *
 * libxml2 parses (recovering from anything); extract-walk.c turns the
 * chosen subtree into blocks.  This file holds the page struct, the XPath
 * helpers, the dates found by rule and by wording, the choice of the main
 * content and the entry point, diff_extract.  Nodes that rules remove are
 * marked through node->_private, so nothing is unlinked while XPath results
 * still point into the tree.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "diff/extract.h"
#include "diff/extract-internal.h"
#include "util/digest.h"
#include "util/url.h"

#define MAX_NODES_PER_XPATH 64

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

/* ---- XPath helpers ---- */

struct ex {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	const struct diff_rules *rules;
	struct walker w;
	char *self;
	xmlNodePtr roots[MAX_NODES_PER_XPATH];   /* the main content */
	size_t n_roots;
	int body;
};

/* libxml2's XPath context, made when an expression first needs it. */
static xmlXPathContextPtr xpath_ctx(struct ex *x)
{
	if (!x->ctx && (x->ctx = xmlXPathNewContext(x->doc))) {
		x->ctx->error = xml_quiet_structured;
		xmlXPathContextSetCache(x->ctx, 1, -1, 0);
	}
	return x->ctx;
}

/* Up to max nodes (elements; a text or attribute node gives its parent),
 * expr evaluated at node (NULL: the document).  The shapes html_sel knows
 * (every generic candidate and the usual rules) are matched by its walk,
 * the others by libxml2: the same nodes either way. */
static size_t xpath_nodes_at(struct ex *x, const char *expr, xmlNodePtr at,
			     xmlNodePtr *out, size_t max)
{
	struct html_sel *sel = html_sel_compile(expr);
	xmlXPathObjectPtr o;
	size_t n = 0;
	int i;

	if (sel) {
		n = html_sel_find(sel, x->doc, at, out, max);
		html_sel_free(sel);
		return n;
	}
	if (!xpath_ctx(x))
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
			nodes[k]->_private = &diff_skip_mark;
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
		diff_norm_add(&b, &pending, (const char *)c);
	xmlFree(c);
	return buf_detach(&b, NULL);
}

/* First <time datetime> at or under n (bounded search). */
static const char *find_time(xmlNodePtr root)
{
	xmlNodePtr n;
	int budget = 4096;
	const char *v;

	for (n = root; n && budget-- > 0; n = html_next(n, root, 1))
		if (n->type == XML_ELEMENT_NODE && n->name &&
		    !strcmp((const char *)n->name, "time") &&
		    (v = html_attr(n, "datetime")))
			return v;
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
			nodes[k]->_private = &diff_skip_mark;
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

/* Offset after a leading label ("Last updated: on ", "Last updated | " in
 * a table row), or 0. */
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
		if (t[p] == ':' || t[p] == '|')     /* '|': a table row */
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
			diff_walk(all, root);
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
	diff_walker_reset(&x->w);
	diff_walk_roots(&x->w, nodes, m, 0);
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
	diff_walker_reset(&x->w);
	if (m)
		diff_walk_roots(&x->w, nodes, 1, 1);
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

static void doc_setup(struct ex *x, const struct html_doc *d)
{
	x->doc = d->tree;
	/* links are normalised: so is the page's own URL they are told from */
	if (d->url && url_normalize(d->url, HTML_MAX_URL, &x->self, NULL) < 0)
		x->self = NULL;
}

/* The walk and the rules mark nodes through _private: clear the marks so
 * the next reader of the document sees it as parsed. */
static void clear_marks(xmlNodePtr n)
{
	for (; n; n = html_next(n, NULL, 1))
		n->_private = NULL;
}

static int finish_page(struct ex *x, struct diff_page *out)
{
	struct buf text = BUF_INIT(0);
	xmlNodePtr nodes[1];
	size_t i;

	out->title = xpath_nodes(x, "//title", nodes, 1) ?
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

int diff_extract_doc(struct html_doc *d,
		     const struct diff_rules *rules, const char *force_rule,
		     struct diff_page *out, struct err *e)
{
	const char *url = d->url ? d->url : "page";
	struct ex x;
	struct walker all;
	int rc = -1;

	diff_page_init(out);
	memset(&x, 0, sizeof(x));
	x.rules = rules;
	if (d->cut)
		return err_set(e, "%s: HTML over the %u-byte extraction cap",
			       url, DIFF_MAX_HTML);
	doc_setup(&x, d);
	diff_walker_init(&all, 1, 0, NULL, NULL);
	diff_walker_init(&x.w, 0, 1, d, x.self);
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
			diff_walker_reset(&x.w);
			diff_walk_roots(&x.w, x.roots, x.n_roots, x.body);
		}
	}
	if (find_date(&x, &all, rules ? rules->date : NULL,
		      rules ? rules->n_date : 0, updated_words,
		      &out->updated) < 0 ||
	    find_date(&x, &all, rules ? rules->issue_date : NULL,
		      rules ? rules->n_issue_date : 0, issued_words,
		      &out->issued) < 0)
		goto nomem;
	if (x.w.oom || all.oom || finish_page(&x, out) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	diff_page_release(out);
	rc = err_set(e, "%s: out of memory extracting text", url);
out:
	clear_marks(xmlDocGetRootElement(x.doc));
	diff_walker_release(&x.w);
	diff_walker_release(&all);
	if (x.ctx)
		xmlXPathFreeContext(x.ctx);
	free(x.self);
	return rc;
}
