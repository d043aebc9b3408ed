/* extract-boiler: the text around a page's main content (header, footer,
 * side boxes), one block per line (see diff_boilerplate in extract.h).
 * A walk over the parsed document: the text is decoded in the page's
 * charset with every entity, as the main text is. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff/extract.h"
#include "diff/extract-internal.h"

#define BOILER_MAX_LINE (16u << 10)
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

int diff_boilerplate(const struct html_doc *d, const struct diff_rules *rules,
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
	buf_release(&b.line);
	for (i = 0; i < b.nids; i++)
		free(b.ids[i]);
	return rc;
}
