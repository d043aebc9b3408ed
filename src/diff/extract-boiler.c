/* extract-boiler: the text around a page's main content (header, footer,
 * side boxes), one block per line, then its links with their texts (see
 * diff_boilerplate in extract.h).
 * A walk over the parsed document: the text is decoded in the page's
 * charset with every entity, as the main text is. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff/extract.h"
#include "diff/extract-internal.h"
#include "util/hashmap.h"
#include "util/url.h"

#define BOILER_MAX_LINE (16u << 10)
#define BOILER_MAX_LINK_TEXT 200     /* bytes of a link's text kept */
#define MAX_IDS 16

static const char *const SKIP[] = { "script", "style", "noscript",
	"template", "svg", "select", "textarea", "iframe", "title", "object",
	"video", "audio", "canvas", "math", "a", NULL };
static const char *const BLOCK[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6",
	"li", "td", "th", "dt", "dd", "div", "section", "header", "footer",
	"nav", "aside", "ul", "ol", "dl", "table", "tr", "form", "label",
	"button", "blockquote", "pre", "figure", "figcaption", "caption", "br",
	"hr", "address", "article", "body", "main", "option", NULL };

static int in_list(const char *const *l, const char *name)
{
	for (; *l; l++)
		if (!strcmp(*l, name))
			return 1;
	return 0;
}

struct boiler {
	struct buf *out;
	struct buf line;
	struct buf links;           /* "URL\tTEXT" lines, unique */
	struct hmap seen;            /* links kept */
	size_t nlinks;
	struct html_doc *doc;        /* its links resolved through html_resolve */
	const struct diff_rules *rules;
	char *ids[MAX_IDS];         /* ids the rules' main XPaths name */
	size_t nids;
};

/* The line ends: kept unless it is empty or holds a date (a "Last
 * updated" line outside the main content is per page). */
static int flush(struct boiler *b)
{
	char ymd[11];
	int rc = 0;

	while (b->line.len && b->line.data[b->line.len - 1] == ' ')
		buf_setlen(&b->line, b->line.len - 1);
	if (b->line.len &&
	    diff_date_find(b->line.data, b->line.len, b->rules, ymd) < 0 &&
	    (buf_add(b->out, b->line.data, b->line.len) < 0 ||
	     buf_addc(b->out, '\n') < 0))
		rc = -1;
	buf_reset(&b->line);
	return rc;
}

/* Text with whitespace (and NBSP) collapsed into single spaces; a line
 * longer than the cap is cut. */
static void add_text(struct boiler *b, const char *s)
{
	for (; *s; s++) {
		int space = *s == ' ' || *s == '\t' || *s == '\n' ||
			*s == '\r' || *s == '\f';

		if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
			space = 1;
			s++;
		}
		if (!space)
			buf_addc(&b->line, *s);
		else if (b->line.len && b->line.data[b->line.len - 1] != ' ')
			buf_addc(&b->line, ' ');
	}
}

/* The text of a link: its text nodes (an image's alt when it has none),
 * whitespace collapsed, appended to t (which holds at bytes before it). */
static void link_text(xmlNodePtr a, struct buf *t, size_t at, int alt)
{
	xmlNodePtr n;

	for (n = a->children; n; n = n->next) {
		const char *s = NULL;

		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
		    && !alt)
			s = (const char *)n->content;
		else if (n->type == XML_ELEMENT_NODE && n->name &&
			 !strcmp((const char *)n->name, "img") && alt)
			s = html_attr(n, "alt");
		else if (n->type == XML_ELEMENT_NODE && n->name &&
			 !in_list(SKIP, (const char *)n->name))
			link_text(n, t, at, alt);
		for (; s && *s; s++) {
			int space = *s == ' ' || *s == '\t' || *s == '\n' ||
				*s == '\r' || *s == '\f';

			if ((unsigned char)s[0] == 0xC2 &&
			    (unsigned char)s[1] == 0xA0) {
				space = 1;
				s++;
			}
			if (!space)
				buf_addc(t, *s);
			else if (t->len > at && t->data[t->len - 1] != ' ')
				buf_addc(t, ' ');
		}
	}
}

/* A link outside the main content: "URL\tTEXT" once per page (a link to
 * a fragment of the page itself is not kept). */
static int add_link(struct boiler *b, xmlNodePtr a)
{
	const char *href = html_attr(a, "href");
	struct buf l = BUF_INIT(0);
	struct hmap_entry *x;
	char *u = NULL, *hash;
	size_t at, n;
	int fresh, rc = 0;

	while (href && (*href == ' ' || *href == '\t' || *href == '\n' ||
			*href == '\r'))
		href++;
	if (!href || !*href || *href == '#' || b->nlinks >= DIFF_MAX_LINKS)
		return 0;
	/* the crawler's walk resolved the same links: answered from d */
	if (html_resolve(b->doc, href, &u) < 0)
		return -1;
	if (!u)
		return 0;
	if ((hash = strchr(u, '#')))
		*hash = '\0';
	if (buf_addf(&l, "%s\t", u) < 0)
		goto nomem;
	at = l.len;
	for (int alt = 0; alt < 2 && l.len == at; alt++) {
		link_text(a, &l, at, alt);
		while (l.len > at && l.data[l.len - 1] == ' ')
			buf_setlen(&l, l.len - 1);
	}
	n = l.len - at > BOILER_MAX_LINK_TEXT ? at + BOILER_MAX_LINK_TEXT : l.len;
	while (n > at && n < l.len && ((unsigned char)l.data[n] & 0xC0) == 0x80)
		n--;
	buf_setlen(&l, n);
	fresh = hmap_put(&b->seen, l.data, l.len, &x);
	if (fresh < 0 || (fresh && (buf_add(&b->links, l.data, l.len) < 0 ||
				    buf_addc(&b->links, '\n') < 0)))
		goto nomem;
	b->nlinks += fresh;
	goto out;
nomem:
	rc = -1;
out:
	buf_release(&l);
	free(u);
	return rc;
}

static int is_main(const struct boiler *b, xmlNodePtr n)
{
	const char *id = html_attr(n, "id"), *role = html_attr(n, "role");
	size_t i;

	if (!strcmp((const char *)n->name, "main") ||
	    (role && !strcasecmp(role, "main")) ||
	    (id && (!strcmp(id, "main-content") || !strcmp(id, "main"))))
		return 1;
	for (i = 0; id && *id && i < b->nids; i++)
		if (!strcmp(id, b->ids[i]))
			return 1;
	return 0;
}

/* Ids named in the rules' main XPaths (@id='X' or @id="X"). */
static void rule_ids(struct boiler *b)
{
	size_t i;

	for (i = 0; b->rules && i < b->rules->n_main; i++) {
		const char *p = b->rules->main[i];

		while ((p = strstr(p, "@id=")) && b->nids < MAX_IDS) {
			char q = p[4];
			const char *e;

			p += 5;
			if ((q != '\'' && q != '"') || !(e = strchr(p, q)))
				break;
			b->ids[b->nids] = strndup(p, (size_t)(e - p));
			if (b->ids[b->nids])
				b->nids++;
			p = e;
		}
	}
}

int diff_boilerplate(struct html_doc *d, const struct diff_rules *rules,
		     struct buf *out)
{
	struct boiler b;
	xmlNodePtr root = xmlDocGetRootElement(d->tree), n = root;
	size_t i;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.out = out;
	b.rules = rules;
	buf_init(&b.line, BOILER_MAX_LINE);
	buf_init(&b.links, 0);
	hmap_init(&b.seen, HMAP_COPY_KEYS, 0);
	b.doc = d;
	rule_ids(&b);
	while (n && rc == 0) {
		const char *name = (const char *)n->name;
		int enter = 0;

		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    n->content) {
			add_text(&b, (const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE && name) {
			if (in_list(BLOCK, name))
				rc = flush(&b);
			if (!strcmp(name, "a") && !rc)
				rc = add_link(&b, n);
			if (in_list(SKIP, name) || is_main(&b, n))
				rc = rc ? rc : flush(&b);
			else
				enter = n->children != NULL;
		}
		if (enter) {
			n = n->children;
			continue;
		}
		/* leaving n, then every parent that has no next sibling */
		while (n && n != root && !n->next) {
			n = n->parent;
			if (n->name && in_list(BLOCK, (const char *)n->name) &&
			    flush(&b) < 0)
				rc = -1;
		}
		n = n && n != root ? n->next : NULL;
	}
	if (flush(&b) < 0)
		rc = -1;
	if (rc == 0 && b.links.len &&
	    buf_add(out, b.links.data, b.links.len) < 0)
		rc = -1;
	buf_release(&b.line);
	buf_release(&b.links);
	hmap_release(&b.seen);
	for (i = 0; i < b.nids; i++)
		free(b.ids[i]);
	return rc;
}
