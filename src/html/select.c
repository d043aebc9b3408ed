/* html select: the XPath shapes that site rules and the main-content
 * candidates use, matched by one walk of the tree (see html.h).
 *
 * libxml2's XPath engine builds a node set per step, sorts it, and turns
 * each attribute it tests into a string copy; for the short expressions
 * rules hold ("//main[@id='main-content']//article", "//div[contains(
 * @class,'share') or contains(@class,'social')]") a walk that tests each element
 * in place does the same work without allocating.  What it matches is
 * exactly what XPath 1.0 (as libxml2 evaluates it on an HTML document)
 * selects; any other shape is refused and the caller evaluates it with
 * libxml2.
 */
#include "html/html.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define SEL_MAX_PATHS 8     /* paths of a union */
#define SEL_MAX_STEPS 8     /* steps of a path */
#define SEL_MAX_TERMS 32    /* predicate terms of an expression */

enum term_op { T_HAS, T_EQ, T_CONTAINS, T_NOT, T_AND, T_OR };

struct term {
	enum term_op op;
	char *attr;         /* T_HAS, T_EQ, T_CONTAINS */
	char *lit;          /* T_EQ, T_CONTAINS */
	int a, b;           /* operands (T_NOT: a; T_AND, T_OR: a and b) */
};

struct step {
	char *name;         /* NULL: '*' */
	int pred;           /* root term, -1 when none */
};

struct path {
	struct step steps[SEL_MAX_STEPS];
	size_t n;
};

struct html_sel {
	int relative;       /* every path starts ".//" */
	struct path paths[SEL_MAX_PATHS];
	size_t n_paths;
	struct term terms[SEL_MAX_TERMS];
	size_t n_terms;
};

/* ---- parsing ---- */

struct parser {
	const char *s;
	struct html_sel *sel;
	int bad;
};

static void skip_ws(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

/* p->s starts with tok (after white space): consume it. */
static int take(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(p);
	if (strncmp(p->s, tok, n) != 0)
		return 0;
	p->s += n;
	return 1;
}

static int name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* An NCName (no prefix: a ':' after it refuses the expression). */
static char *take_name(struct parser *p)
{
	const char *b;
	char *r;

	skip_ws(p);
	if (!name_start(*p->s))
		return NULL;
	for (b = p->s; name_char(*p->s); p->s++)
		;
	if (*p->s == ':') {
		p->bad = 1;
		return NULL;
	}
	if (!(r = strndup(b, (size_t)(p->s - b))))
		p->bad = 1;
	return r;
}

/* The name after p->s, without consuming it: is it word? */
static int next_word(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	skip_ws(p);
	return strncmp(p->s, word, n) == 0 && !name_char(p->s[n]);
}

static char *take_literal(struct parser *p)
{
	const char *b, *e;
	char q, *r;

	skip_ws(p);
	q = *p->s;
	if (q != '\'' && q != '"')
		return NULL;
	b = p->s + 1;
	if (!(e = strchr(b, q)))
		return NULL;
	p->s = e + 1;
	if (!(r = strndup(b, (size_t)(e - b))))
		p->bad = 1;
	return r;
}

static int new_term(struct parser *p, enum term_op op)
{
	struct html_sel *s = p->sel;

	if (s->n_terms >= SEL_MAX_TERMS) {
		p->bad = 1;
		return -1;
	}
	memset(&s->terms[s->n_terms], 0, sizeof(s->terms[0]));
	s->terms[s->n_terms].op = op;
	return (int)s->n_terms++;
}

static int parse_or(struct parser *p);

/* '@' NAME */
static char *take_attr(struct parser *p)
{
	if (!take(p, "@"))
		return NULL;
	return take_name(p);
}

/* '(' or ')' | not(or) | contains(@a, 'lit') | @a ['=' 'lit'] | 'lit' = @a */
static int parse_unary(struct parser *p)
{
	int t, a;
	char *attr, *lit;

	if (p->bad)
		return -1;
	if (take(p, "(")) {
		t = parse_or(p);
		return t >= 0 && take(p, ")") ? t : -1;
	}
	if (next_word(p, "not")) {
		p->s += 3;
		if (!take(p, "(") || (a = parse_or(p)) < 0 || !take(p, ")"))
			return -1;
		if ((t = new_term(p, T_NOT)) >= 0)
			p->sel->terms[t].a = a;
		return t;
	}
	if (next_word(p, "contains")) {
		p->s += 8;
		if (!take(p, "(") || (t = new_term(p, T_CONTAINS)) < 0)
			return -1;
		if (!(p->sel->terms[t].attr = take_attr(p)) || !take(p, ",") ||
		    !(p->sel->terms[t].lit = take_literal(p)) || !take(p, ")"))
			return -1;
		return t;
	}
	skip_ws(p);
	if (*p->s == '\'' || *p->s == '"') {
		if (!(lit = take_literal(p)) || (t = new_term(p, T_EQ)) < 0) {
			free(lit);
			return -1;
		}
		p->sel->terms[t].lit = lit;
		if (!take(p, "=") || take(p, "=") ||
		    !(p->sel->terms[t].attr = take_attr(p)))
			return -1;
		return t;
	}
	if (!(attr = take_attr(p)))
		return -1;
	skip_ws(p);
	if (*p->s == '!' || *p->s == '<' || *p->s == '>') {
		free(attr);
		return -1;
	}
	if ((t = new_term(p, take(p, "=") ? T_EQ : T_HAS)) < 0) {
		free(attr);
		return -1;
	}
	p->sel->terms[t].attr = attr;
	if (p->sel->terms[t].op == T_EQ &&
	    !(p->sel->terms[t].lit = take_literal(p)))
		return -1;
	return t;
}

static int parse_and(struct parser *p)
{
	int t = parse_unary(p), u, r;

	while (t >= 0 && next_word(p, "and")) {
		p->s += 3;
		if ((u = parse_unary(p)) < 0 || (r = new_term(p, T_AND)) < 0)
			return -1;
		p->sel->terms[r].a = t;
		p->sel->terms[r].b = u;
		t = r;
	}
	return t;
}

static int parse_or(struct parser *p)
{
	int t = parse_and(p), u, r;

	while (t >= 0 && next_word(p, "or")) {
		p->s += 2;
		if ((u = parse_and(p)) < 0 || (r = new_term(p, T_OR)) < 0)
			return -1;
		p->sel->terms[r].a = t;
		p->sel->terms[r].b = u;
		t = r;
	}
	return t;
}

/* NAME|'*' ('[' or ']')* */
static int parse_step(struct parser *p, struct step *st)
{
	int t, r;

	st->pred = -1;
	if (take(p, "*"))
		st->name = NULL;
	else if (!(st->name = take_name(p)))
		return -1;
	while (take(p, "[")) {
		if ((t = parse_or(p)) < 0 || !take(p, "]"))
			return -1;
		if (st->pred < 0) {
			st->pred = t;
		} else {        /* [a][b]: no positions, so a and b */
			if ((r = new_term(p, T_AND)) < 0)
				return -1;
			p->sel->terms[r].a = st->pred;
			p->sel->terms[r].b = t;
			st->pred = r;
		}
	}
	return 0;
}

/* ('//' | './/') step ('//' step)* */
static int parse_path(struct parser *p, struct path *pa, int *relative)
{
	int rel;

	skip_ws(p);
	rel = p->s[0] == '.';
	if (rel)
		p->s++;
	if (!take(p, "//"))
		return -1;
	if (*relative >= 0 && *relative != rel)
		return -1;      /* a union of both kinds: left to libxml2 */
	*relative = rel;
	do {
		if (pa->n >= SEL_MAX_STEPS ||
		    parse_step(p, &pa->steps[pa->n++]) < 0)
			return -1;
		skip_ws(p);
		if (p->s[0] == '/' && p->s[1] != '/')
			return -1;      /* a child step */
	} while (take(p, "//"));
	return 0;
}

struct html_sel *html_sel_compile(const char *xpath)
{
	struct html_sel *s = calloc(1, sizeof(*s));
	struct parser p = { xpath, s, 0 };
	int relative = -1;

	if (!s)
		return NULL;
	do {
		if (s->n_paths >= SEL_MAX_PATHS ||
		    parse_path(&p, &s->paths[s->n_paths++], &relative) < 0)
			goto refuse;
	} while (take(&p, "|"));
	skip_ws(&p);
	if (*p.s || p.bad)
		goto refuse;
	s->relative = relative;
	return s;
refuse:
	html_sel_free(s);
	return NULL;
}

void html_sel_free(struct html_sel *s)
{
	size_t i, k;

	if (!s)
		return;
	for (i = 0; i < s->n_paths; i++)
		for (k = 0; k < s->paths[i].n; k++)
			free(s->paths[i].steps[k].name);
	for (i = 0; i < s->n_terms; i++) {
		free(s->terms[i].attr);
		free(s->terms[i].lit);
	}
	free(s);
}

/* ---- matching ---- */

/* The attribute XPath's @name finds: no prefix, so no namespace or the
 * default one; case as written (the HTML parser lowercases names). */
static const xmlAttr *find_attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->name && !strcmp((const char *)a->name, name) &&
		    (!a->ns || !a->ns->prefix))
			return a;
	return NULL;
}

/* An attribute's string value, tested by fn against lit.  The HTML parser
 * gives an attribute one text child (or none: ""); anything else is
 * joined first. */
static int attr_test(const xmlAttr *a, const char *lit, int contains)
{
	const char *v = "";
	xmlChar *joined = NULL;
	int r;

	if (a->children && (a->children->next ||
			    a->children->type != XML_TEXT_NODE)) {
		joined = xmlNodeGetContent((const xmlNode *)a);
		v = joined ? (const char *)joined : "";
	} else if (a->children && a->children->content) {
		v = (const char *)a->children->content;
	}
	r = contains ? strstr(v, lit) != NULL : strcmp(v, lit) == 0;
	xmlFree(joined);
	return r;
}

static int term_true(const struct html_sel *s, int t, const xmlNode *n)
{
	const struct term *x = &s->terms[t];
	const xmlAttr *a;

	switch (x->op) {
	case T_HAS:
		return find_attr(n, x->attr) != NULL;
	case T_EQ:
		return (a = find_attr(n, x->attr)) && attr_test(a, x->lit, 0);
	case T_CONTAINS:        /* contains("", lit): lit is "" */
		return (a = find_attr(n, x->attr)) ? attr_test(a, x->lit, 1) :
		       !*x->lit;
	case T_NOT:
		return !term_true(s, x->a, n);
	case T_AND:
		return term_true(s, x->a, n) && term_true(s, x->b, n);
	case T_OR:
		return term_true(s, x->a, n) || term_true(s, x->b, n);
	}
	return 0;
}

static int step_match(const struct html_sel *s, const struct step *st,
		      const xmlNode *n)
{
	if (st->name && (n->ns || !n->name || n->name[0] != st->name[0] ||
			 strcmp((const char *)n->name, st->name)))
		return 0;
	return st->pred < 0 || term_true(s, st->pred, n);
}

/* n matches the path's last step, and its ancestors below ctx the ones
 * before, in order (each '//' step: the nearest ancestor that matches
 * leaves the most room for the steps above it). */
static int path_match(const struct html_sel *s, const struct path *pa,
		      const xmlNode *n, const xmlNode *ctx)
{
	size_t k = pa->n;

	if (!step_match(s, &pa->steps[--k], n))
		return 0;
	while (k > 0) {
		k--;
		for (n = n->parent; n && n != ctx; n = n->parent)
			if (n->type == XML_ELEMENT_NODE &&
			    step_match(s, &pa->steps[k], n))
				break;
		if (!n || n == ctx)
			return 0;
	}
	return 1;
}

size_t html_sel_find(const struct html_sel *s, xmlDoc *doc, xmlNode *at,
		     xmlNode **out, size_t max)
{
	xmlNode *ctx = s->relative && at ? at : (xmlNode *)doc, *n;
	size_t got = 0, i;

	if (!ctx || !max)
		return 0;
	for (n = ctx->children; n; n = html_next(n, ctx, 1)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < s->n_paths; i++)
			if (path_match(s, &s->paths[i], n, ctx))
				break;
		if (i < s->n_paths) {
			out[got++] = n;
			if (got == max)
				break;
		}
	}
	return got;
}
