/* catalog boiler: the text around a page's main content (header, footer,
 * side boxes), one block per line.  A wording change there is the same on
 * every page: `changes` reports it once as a site-wide change instead of
 * on each page.  Link texts are left out: menus change whenever pages come
 * and go, and those changes are reported as added/removed pages. */
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "catalog/catalog-int.h"

#define BOILER_MAX_BYTES (256u << 10)
#define BOILER_MAX_DEPTH 200

static const char *const SKIP[] = { "main", "a", "script", "style", "noscript",
	"template", "svg", "select", "option", "textarea", "iframe", "head",
	"object", "video", "audio", "canvas", NULL };
static const char *const BLOCK[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6",
	"li", "td", "th", "dt", "dd", "div", "section", "header", "footer",
	"nav", "aside", "ul", "ol", "dl", "table", "tr", "form", "label",
	"button", "blockquote", "pre", "figure", "figcaption", "caption", "br",
	"hr", "address", "article", "body", NULL };

static int in_list(const char *const *l, const char *name)
{
	for (; *l; l++)
		if (!strcasecmp(*l, name))
			return 1;
	return 0;
}

struct walk {
	struct buf *out;
	struct buf line;
	int full;
};

static void flush(struct walk *w)
{
	if (w->line.len && !w->full) {
		if (buf_add(w->out, w->line.data, w->line.len) < 0 ||
		    buf_addc(w->out, '\n') < 0)
			w->full = 1;
	}
	buf_reset(&w->line);
}

/* Append text with whitespace (and NBSP) collapsed to single spaces. */
static void add_text(struct walk *w, const unsigned char *s)
{
	for (; *s && !w->full; s++) {
		int space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
			    *s == '\f' || (s[0] == 0xC2 && s[1] == 0xA0);

		if (space) {
			if (s[0] == 0xC2)
				s++;
			if (w->line.len && w->line.data[w->line.len - 1] != ' ')
				buf_addc(&w->line, ' ');
			continue;
		}
		if (buf_addc(&w->line, (char)*s) < 0)
			w->full = 1;
	}
}

static int is_main(xmlNode *n)
{
	xmlChar *role, *id;
	int yes = 0;

	if (n->_private)
		return 1;
	role = xmlGetProp(n, (const xmlChar *)"role");
	id = xmlGetProp(n, (const xmlChar *)"id");
	if ((role && !strcasecmp((char *)role, "main")) ||
	    (id && (!strcmp((char *)id, "main-content") ||
		    !strcmp((char *)id, "main"))))
		yes = 1;
	xmlFree(role);
	xmlFree(id);
	return yes;
}

static void walk(struct walk *w, xmlNode *n, int depth)
{
	for (; n && !w->full; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			add_text(w, n->content ? n->content : (const xmlChar *)"");
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (in_list(SKIP, (const char *)n->name) || is_main(n))
			continue;
		if (in_list(BLOCK, (const char *)n->name)) {
			flush(w);
			if (depth < BOILER_MAX_DEPTH)
				walk(w, n->children, depth + 1);
			flush(w);
		} else if (depth < BOILER_MAX_DEPTH) {
			walk(w, n->children, depth + 1);
		}
	}
}

/* Mark the nodes the rules' main XPaths select, so they are skipped. */
static void mark_rules_main(xmlDoc *doc, const struct diff_rules *rules)
{
	xmlXPathContext *ctx;
	size_t i;
	int k;

	if (!rules || !rules->n_main)
		return;
	ctx = xmlXPathNewContext(doc);
	if (!ctx)
		return;
	for (i = 0; i < rules->n_main; i++) {
		xmlXPathObject *o = xmlXPathEvalExpression(
			(const xmlChar *)rules->main[i], ctx);

		if (o && o->nodesetval)
			for (k = 0; k < o->nodesetval->nodeNr; k++)
				o->nodesetval->nodeTab[k]->_private = (void *)1;
		xmlXPathFreeObject(o);
	}
	xmlXPathFreeContext(ctx);
}

int cat_boilerplate(const char *html, size_t len, const char *charset,
		    const struct diff_rules *rules, struct buf *out)
{
	xmlDoc *doc;
	xmlNode *root;
	struct walk w = { out, BUF_INIT(BOILER_MAX_BYTES), 0 };

	if (len > DIFF_MAX_HTML || len > (size_t)2147483647)
		return -1;
	doc = htmlReadMemory(html, (int)len, NULL,
			     charset && *charset ? charset : NULL,
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	mark_rules_main(doc, rules);
	if (root)
		walk(&w, root->children, 0);
	flush(&w);
	buf_release(&w.line);
	xmlFreeDoc(doc);
	return 0;
}
