/* catalog boiler: the text around a page's main content (header, footer,
 * side boxes), one block per line.  A wording change there is the same on
 * every page: `changes` reports it once as a site-wide change instead of
 * on each page.  Left out: the main content (<main>, role=main, the ids
 * main/main-content and any id the rules' main XPaths name), link texts
 * (menus change whenever pages come and go; those changes are reported as
 * added/removed pages), scripts, styles, forms' options, and lines holding
 * a date (a "Last updated" line outside the main content is per page).
 *
 * A small tag scanner, not a DOM: the page is already parsed once for the
 * main text, and this runs on every capture (a parse costs ~10 ms on a
 * DPMC page, this well under one).  Only consistency matters here: two
 * versions of a page are scanned the same way. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/catalog-int.h"

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

struct scan {
	const char *p, *end;
	struct buf *out;
	struct buf line;
	const struct diff_rules *rules;
	char *ids[MAX_IDS];         /* ids the rules' main XPaths name */
	size_t nids;
};

/* One tag: name (lower case), closing, self-closing, and the values of
 * id and role. */
struct tag {
	char name[32];
	int closing, selfclose;
	char id[128], role[32];
};

static void flush(struct scan *s)
{
	char ymd[11];

	while (s->line.len && s->line.data[s->line.len - 1] == ' ')
		buf_setlen(&s->line, s->line.len - 1);
	if (s->line.len &&
	    diff_date_find(s->line.data, s->line.len, s->rules, ymd) < 0) {
		buf_add(s->out, s->line.data, s->line.len);
		buf_addc(s->out, '\n');
	}
	buf_reset(&s->line);
}

static void add_char(struct scan *s, char c)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
		if (s->line.len && s->line.data[s->line.len - 1] != ' ')
			buf_addc(&s->line, ' ');
		return;
	}
	buf_addc(&s->line, c);
}

static void add_entity(struct scan *s)
{
	static const struct { const char *n; const char *v; } ents[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" },
		{ "quot;", "\"" }, { "apos;", "'" }, { "#39;", "'" },
		{ "nbsp;", " " }, { "copy;", "\xc2\xa9" },
	};
	size_t i;

	for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		size_t n = strlen(ents[i].n);

		if ((size_t)(s->end - s->p) > n && !strncasecmp(s->p + 1, ents[i].n, n)) {
			const char *v;

			for (v = ents[i].v; *v; v++)
				add_char(s, *v);
			s->p += n + 1;
			return;
		}
	}
	add_char(s, *s->p++);
}

/* Attribute value after '=' at p; copies into out. */
static const char *attr_value(const char *p, const char *end, char *out,
			      size_t outsz)
{
	size_t n = 0;
	char q = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p < end && (*p == '"' || *p == '\''))
		q = *p++;
	for (; p < end && (q ? *p != q : !strchr(" \t\r\n>", *p)); p++)
		if (n + 1 < outsz)
			out[n++] = *p;
	out[n] = '\0';
	return q && p < end ? p + 1 : p;
}

/* Parse the tag at s->p ('<' then a letter or '/'); leaves p after '>'. */
static void read_tag(struct scan *s, struct tag *t)
{
	const char *p = s->p + 1, *end = s->end;
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	if (p < end && *p == '/') {
		t->closing = 1;
		p++;
	}
	while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == ':')) {
		if (n + 1 < sizeof(t->name))
			t->name[n++] = (char)tolower((unsigned char)*p);
		p++;
	}
	while (p < end && *p != '>') {
		char an[16];
		size_t k = 0;

		if (*p == '/' && p + 1 < end && p[1] == '>')
			t->selfclose = 1;
		if (!isalpha((unsigned char)*p)) {
			p++;
			continue;
		}
		while (p < end && (isalnum((unsigned char)*p) || *p == '-')) {
			if (k + 1 < sizeof(an))
				an[k++] = (char)tolower((unsigned char)*p);
			p++;
		}
		an[k] = '\0';
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		if (p < end && *p == '=') {
			char val[128];

			p = attr_value(p + 1, end, val, sizeof(val));
			if (!strcmp(an, "id"))
				memcpy(t->id, val, sizeof(t->id));
			else if (!strcmp(an, "role"))
				snprintf(t->role, sizeof(t->role), "%.31s", val);
		}
	}
	s->p = p < end ? p + 1 : end;
}

/* Skip to just after the close tag of name, counting nested ones. */
static void skip_element(struct scan *s, const char *name)
{
	size_t n = strlen(name);
	int depth = 1;

	while (s->p < s->end && depth > 0) {
		const char *lt = memchr(s->p, '<', (size_t)(s->end - s->p));

		if (!lt) {
			s->p = s->end;
			return;
		}
		s->p = lt;
		if ((size_t)(s->end - lt) > n + 1 && !strncasecmp(lt + 1, name, n) &&
		    !isalnum((unsigned char)lt[n + 1])) {
			struct tag t;

			read_tag(s, &t);
			if (!t.selfclose)
				depth++;
		} else if ((size_t)(s->end - lt) > n + 2 && lt[1] == '/' &&
			   !strncasecmp(lt + 2, name, n) &&
			   !isalnum((unsigned char)lt[n + 2])) {
			struct tag t;

			read_tag(s, &t);
			depth--;
		} else {
			s->p = lt + 1;
		}
	}
}

/* Raw-text elements (script, style...): to "</name". */
static void skip_raw(struct scan *s, const char *name)
{
	size_t n = strlen(name);

	for (; s->p + n + 2 <= s->end; s->p++)
		if (s->p[0] == '<' && s->p[1] == '/' &&
		    !strncasecmp(s->p + 2, name, n)) {
			struct tag t;

			read_tag(s, &t);
			return;
		}
	s->p = s->end;
}

static int is_main(const struct scan *s, const struct tag *t)
{
	size_t i;

	if (!strcmp(t->name, "main") || !strcasecmp(t->role, "main") ||
	    !strcmp(t->id, "main-content") || !strcmp(t->id, "main"))
		return 1;
	for (i = 0; i < s->nids; i++)
		if (t->id[0] && !strcmp(t->id, s->ids[i]))
			return 1;
	return 0;
}

/* Ids named in the rules' main XPaths (@id='X' or @id="X"). */
static void rule_ids(struct scan *s)
{
	size_t i;

	for (i = 0; s->rules && i < s->rules->n_main; i++) {
		const char *p = s->rules->main[i];

		while ((p = strstr(p, "@id=")) && s->nids < MAX_IDS) {
			char q = p[4];
			const char *e;

			p += 5;
			if ((q != '\'' && q != '"') || !(e = strchr(p, q)))
				break;
			s->ids[s->nids] = strndup(p, (size_t)(e - p));
			if (s->ids[s->nids])
				s->nids++;
			p = e;
		}
	}
}

int cat_boilerplate(const char *html, size_t len, const char *charset,
		    const struct diff_rules *rules, struct buf *out)
{
	struct scan s;
	struct tag t;
	size_t i;

	(void)charset;      /* bytes compared as they are: same page, same coding */
	memset(&s, 0, sizeof(s));
	s.p = html;
	s.end = html + len;
	s.out = out;
	s.rules = rules;
	buf_init(&s.line, BOILER_MAX_LINE);
	rule_ids(&s);
	while (s.p < s.end) {
		if (*s.p == '&') {
			add_entity(&s);
			continue;
		}
		if (*s.p != '<') {
			add_char(&s, *s.p++);
			continue;
		}
		if (s.end - s.p >= 4 && !memcmp(s.p, "<!--", 4)) {
			const char *e = memmem(s.p + 4, (size_t)(s.end - s.p - 4),
					       "-->", 3);

			s.p = e ? e + 3 : s.end;
			continue;
		}
		if (s.p + 1 < s.end && (s.p[1] == '!' || s.p[1] == '?')) {
			const char *e = memchr(s.p, '>', (size_t)(s.end - s.p));

			s.p = e ? e + 1 : s.end;
			continue;
		}
		if (s.p + 1 >= s.end || !(isalpha((unsigned char)s.p[1]) ||
					  s.p[1] == '/')) {
			add_char(&s, *s.p++);
			continue;
		}
		read_tag(&s, &t);
		if (in_list(BLOCK, t.name))
			flush(&s);
		if (t.closing || t.selfclose)
			continue;
		if (!strcmp(t.name, "script") || !strcmp(t.name, "style"))
			skip_raw(&s, t.name);
		else if (in_list(SKIP, t.name) || is_main(&s, &t))
			skip_element(&s, t.name);
		else
			continue;
		flush(&s);
	}
	flush(&s);
	buf_release(&s.line);
	for (i = 0; i < s.nids; i++)
		free(s.ids[i]);
	return 0;
}
