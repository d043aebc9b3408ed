/* extract-walk: the walk that turns an HTML subtree into text blocks and
 * links (see extract.h for what is kept and what is removed).
 *
 * Element classes (block, inline, always skipped, skipped in the main
 * content), whitespace normalisation, link resolution, and an iterative
 * walk (no recursion: hostile pages nest deeply).  Nodes that rules remove
 * carry node->_private == &diff_skip_mark.
 */
#include <stdlib.h>
#include <string.h>

#include "diff/extract.h"
#include "diff/extract-internal.h"
#include "diff/intern.h"
#include "util/url.h"

char diff_skip_mark;

/* ---- element classes ---- */

enum { EL_INLINE = 0, EL_BLOCK = 1, EL_SKIP = 2, EL_SKIP_ALWAYS = 4 };

/* Elements that are not inline, sorted for bsearch: their class and the
 * block kind they give their text (-1: none). */
static const struct elinfo {
	const char *name;
	int cls, kind;
} elements[] = {
	{ "address", EL_BLOCK, -1 },
	{ "article", EL_BLOCK, -1 },
	{ "aside", EL_BLOCK | EL_SKIP, -1 },
	{ "audio", EL_BLOCK | EL_SKIP, -1 },
	{ "blockquote", EL_BLOCK, DIFF_BK_QUOTE },
	{ "body", EL_BLOCK, -1 },
	{ "button", EL_BLOCK | EL_SKIP, -1 },
	{ "canvas", EL_BLOCK | EL_SKIP, -1 },
	{ "caption", EL_BLOCK, DIFF_BK_CAPTION },
	{ "center", EL_BLOCK, -1 },
	{ "datalist", EL_BLOCK | EL_SKIP, -1 },
	{ "dd", EL_BLOCK, DIFF_BK_DD },
	{ "details", EL_BLOCK, -1 },
	{ "dialog", EL_BLOCK, -1 },
	{ "dir", EL_BLOCK, -1 },
	{ "div", EL_BLOCK, -1 },
	{ "dl", EL_BLOCK, -1 },
	{ "dt", EL_BLOCK, DIFF_BK_DT },
	{ "embed", EL_BLOCK | EL_SKIP, -1 },
	{ "fieldset", EL_BLOCK, -1 },
	{ "figcaption", EL_BLOCK, DIFF_BK_CAPTION },
	{ "figure", EL_BLOCK, -1 },
	{ "footer", EL_BLOCK | EL_SKIP, -1 },
	{ "form", EL_BLOCK | EL_SKIP, -1 },
	{ "frameset", EL_BLOCK, -1 },
	{ "h1", EL_BLOCK, DIFF_BK_H1 },
	{ "h2", EL_BLOCK, DIFF_BK_H2 },
	{ "h3", EL_BLOCK, DIFF_BK_H3 },
	{ "h4", EL_BLOCK, DIFF_BK_H4 },
	{ "h5", EL_BLOCK, DIFF_BK_H5 },
	{ "h6", EL_BLOCK, DIFF_BK_H6 },
	{ "head", EL_SKIP_ALWAYS, -1 },
	{ "header", EL_BLOCK, -1 },
	{ "hgroup", EL_BLOCK, -1 },
	{ "hr", EL_BLOCK, -1 },
	{ "html", EL_BLOCK, -1 },
	{ "iframe", EL_BLOCK | EL_SKIP, -1 },
	{ "input", EL_BLOCK | EL_SKIP, -1 },
	{ "legend", EL_BLOCK, -1 },
	{ "li", EL_BLOCK, DIFF_BK_LI },
	{ "main", EL_BLOCK, -1 },
	{ "map", EL_BLOCK | EL_SKIP, -1 },
	{ "menu", EL_BLOCK, -1 },
	{ "nav", EL_BLOCK | EL_SKIP, -1 },
	{ "noscript", EL_SKIP_ALWAYS, -1 },
	{ "object", EL_BLOCK | EL_SKIP, -1 },
	{ "ol", EL_BLOCK, -1 },
	{ "optgroup", EL_BLOCK, -1 },
	{ "option", EL_BLOCK, -1 },
	{ "p", EL_BLOCK, DIFF_BK_P },
	{ "pre", EL_BLOCK, DIFF_BK_PRE },
	{ "script", EL_SKIP_ALWAYS, -1 },
	{ "section", EL_BLOCK, -1 },
	{ "select", EL_BLOCK | EL_SKIP, -1 },
	{ "style", EL_SKIP_ALWAYS, -1 },
	{ "summary", EL_BLOCK, -1 },
	{ "svg", EL_BLOCK | EL_SKIP, -1 },
	{ "table", EL_BLOCK, -1 },
	{ "tbody", EL_BLOCK, -1 },
	{ "td", EL_BLOCK, DIFF_BK_TD },
	{ "template", EL_SKIP_ALWAYS, -1 },
	{ "textarea", EL_BLOCK | EL_SKIP, -1 },
	{ "tfoot", EL_BLOCK, -1 },
	{ "th", EL_BLOCK, DIFF_BK_TH },
	{ "thead", EL_BLOCK, -1 },
	{ "title", EL_SKIP_ALWAYS, -1 },
	{ "tr", EL_BLOCK, -1 },
	{ "ul", EL_BLOCK, -1 },
	{ "video", EL_BLOCK | EL_SKIP, -1 },
};

static int cmp_el(const void *key, const void *el)
{
	return strcmp(key, ((const struct elinfo *)el)->name);
}

static const struct elinfo inline_el = { "", EL_INLINE, -1 };

static const struct elinfo *elem_info(const char *name)
{
	const struct elinfo *x = bsearch(name, elements,
		sizeof(elements) / sizeof(*elements), sizeof(*elements), cmp_el);

	return x ? x : &inline_el;
}

static int is_mainlike(xmlNodePtr n)
{
	const char *name = (const char *)n->name, *role;

	/* a <header> inside these is not the site's banner (HTML-AAM) */
	if (!strcmp(name, "main") || !strcmp(name, "article") ||
	    !strcmp(name, "section"))
		return 1;
	role = html_attr(n, "role");
	return role && strcasecmp(role, "main") == 0;
}

/* Generic removals that depend on attributes. */
static int attr_skip(xmlNodePtr n)
{
	const char *v;

	if (html_attr(n, "hidden"))
		return 1;
	if ((v = html_attr(n, "aria-hidden")) && strcasecmp(v, "true") == 0)
		return 1;
	if ((v = html_attr(n, "role")) &&
	    (!strcasecmp(v, "navigation") || !strcasecmp(v, "banner") ||
	     !strcasecmp(v, "contentinfo") || !strcasecmp(v, "complementary") ||
	     !strcasecmp(v, "search")))
		return 1;
	if ((v = html_attr(n, "aria-label")) && strcasestr(v, "readcrumb"))
		return 1;
	if ((v = html_attr(n, "class")) && strcasestr(v, "breadcrumb"))
		return 1;
	return 0;
}

/* ---- text ---- */

/* Append s with whitespace collapsed; NBSP and other Unicode spaces are
 * spaces, zero-width characters and soft hyphens vanish. */
int diff_norm_add(struct buf *b, int *pending, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = 1;
		int space = 0, drop = 0;

		/* fast path: a run of plain characters */
		while (p[n - 1] > 0x20 && p[n - 1] != 0x7F && p[n - 1] != 0xC2 &&
		       p[n - 1] != 0xE2 && p[n - 1] != 0xE3 && p[n - 1] != 0xEF)
			n++;
		if (--n) {
			if ((*pending && buf_addc(b, ' ') < 0) ||
			    buf_add(b, p, n) < 0)
				return -1;
			*pending = 0;
			p += n;
			continue;
		}
		n = 1;

		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v') {
			space = 1;
		} else if (*p < 0x20 || *p == 0x7F) {
			drop = 1;       /* control characters: never in text */
		} else if (p[0] == 0xC2 && (p[1] == 0xA0 || p[1] == 0xAD ||
					    (p[1] >= 0x80 && p[1] <= 0x9F))) {
			n = 2;
			space = p[1] == 0xA0;
			drop = !space;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && p[2] &&
			   ((p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xAF ||
			    p[2] == 0xA8 || p[2] == 0xA9)) {
			n = 3;
			space = 1;
		} else if ((p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x8B &&
			    p[2] <= 0x8D) ||
			   (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)) {
			n = 3;
			drop = 1;
		} else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			n = 3;
			space = 1;
		}
		if (space) {
			if (b->len)
				*pending = 1;
		} else if (!drop) {
			if (*pending && buf_addc(b, ' ') < 0)
				return -1;
			*pending = 0;
			if (buf_add(b, p, n) < 0)
				return -1;
		}
		p += n;
	}
	return 0;
}

static int flush(struct walker *w)
{
	struct xblock *x;
	int k = w->sp ? w->kstack[(w->sp > KSTACK ? KSTACK : w->sp) - 1]
		      : DIFF_BK_TEXT;

	w->pending = 0;
	if (!w->cur.len)
		goto out;       /* an empty block takes its <time> along */
	if (w->n >= DIFF_MAX_BLOCKS || w->text_total + w->cur.len > DIFF_MAX_TEXT) {
		w->truncated = 1;
		goto out;
	}
	if (w->n == w->alloc) {
		size_t na = w->alloc ? w->alloc * 2 : 64;
		struct xblock *nb = realloc(w->b, na * sizeof(*nb));

		if (!nb) {
			w->oom = 1;
			goto out;
		}
		w->b = nb;
		w->alloc = na;
	}
	x = &w->b[w->n];
	x->kind = k;
	x->len = w->cur.len;
	x->text = buf_detach(&w->cur, NULL);
	x->time_dt = w->cur_time;
	w->cur_time = NULL;
	w->text_total += x->len;
	w->n++;
	return 0;
out:
	buf_reset(&w->cur);
	free(w->cur_time);
	w->cur_time = NULL;
	return 0;
}

/* Text inside <pre>: each line its own block (whitespace inside a line
 * collapsed as elsewhere), so a diff of code shows the changed line. */
static void pre_text(struct walker *w, const char *s)
{
	const char *nl;
	char *line;

	for (;;) {
		nl = strchr(s, '\n');
		if (!nl) {
			if (diff_norm_add(&w->cur, &w->pending, s) < 0)
				w->truncated = 1;
			return;
		}
		line = strndup(s, (size_t)(nl - s));
		if (!line) {
			w->oom = 1;
			return;
		}
		if (diff_norm_add(&w->cur, &w->pending, line) < 0)
			w->truncated = 1;
		free(line);
		flush(w);
		s = nl + 1;
	}
}

/* ---- links ---- */

static void add_link(struct walker *w, const char *href)
{
	char *u = NULL;
	int fresh = 0;

	while (*href == ' ' || *href == '\t' || *href == '\n' || *href == '\r')
		href++;
	if (!w->doc || !*href || href[0] == '#')
		return;
	if (html_resolve(w->doc, href, &u) < 0) {
		w->oom = 1;
		return;
	}
	if (!u)
		return;
	if ((w->self && strcmp(u, w->self) == 0) || !*u) {
		free(u);
		return;
	}
	if (w->n_links >= DIFF_MAX_LINKS) {
		w->truncated = 1;
		free(u);
		return;
	}
	if (w->n_links == w->alloc_links) {
		size_t na = w->alloc_links ? w->alloc_links * 2 : 32;
		char **nl = realloc(w->link, na * sizeof(*nl));

		if (!nl) {
			w->oom = 1;
			free(u);
			return;
		}
		w->link = nl;
		w->alloc_links = na;
	}
	if (diff_intern_id(&w->linkset, u, strlen(u), &fresh) < 0) {
		w->oom = 1;
		free(u);
		return;
	}
	if (fresh)
		w->link[w->n_links++] = u;
	else
		free(u);
}

/* ---- the walk ---- */

/* Returns 1 when the element was entered (leave() will be called). */
static int enter(struct walker *w, xmlNodePtr n, int is_root)
{
	const char *name, *v;
	const struct elinfo *el;
	int cls;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content && w->pre && !w->row)
			pre_text(w, (const char *)n->content);
		else if (n->content && diff_norm_add(&w->cur, &w->pending,
					   (const char *)n->content) < 0)
			w->truncated = 1;
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return 0;
	name = (const char *)n->name;
	el = elem_info(name);
	cls = el->cls;
	if (!is_root) {
		if (cls & EL_SKIP_ALWAYS)
			return 0;
		if (!w->all && (n->_private == &diff_skip_mark || (cls & EL_SKIP) ||
				(!w->mainlike && !strcmp(name, "header")) ||
				attr_skip(n))) {
			if (cls & EL_BLOCK)
				flush(w);
			return 0;
		}
	}
	if (!strcmp(name, "br")) {
		if (w->pre && !w->row)
			flush(w);       /* a line of its own, as in <pre> */
		else if (w->cur.len)
			w->pending = 1;
		return 1;
	}
	if (w->row && (!strcmp(name, "td") || !strcmp(name, "th"))) {
		/* "a | b", an empty cell "a | | b"; the row's kind is its
		 * first cell's (th: a header row) */
		if (w->cur.len) {
			int sep = w->cur.len >= 2 &&
				  !memcmp(w->cur.data + w->cur.len - 2, "| ", 2);

			if (buf_adds(&w->cur, sep ? "| " : " | ") < 0)
				w->truncated = 1;
		} else if (w->row == 1 && w->row_k < KSTACK) {
			w->kstack[w->row_k] = name[1] == 'h' ? DIFF_BK_TH
							     : DIFF_BK_TD;
		}
		w->pending = 0;
	} else if (w->row && (cls & EL_BLOCK)) {
		if (w->cur.len)
			w->pending = 1; /* a block inside a cell: same row */
	} else if (cls & EL_BLOCK) {
		flush(w);
	}
	if (!strcmp(name, "tr")) {
		if (w->sp < KSTACK)
			w->kstack[w->sp] = DIFF_BK_TD;
		if (!w->row)
			w->row_k = w->sp;
		w->sp++;
		w->row++;
	}
	if (!strcmp(name, "pre"))
		w->pre++;
	if (el->kind >= 0) {
		if (w->sp < KSTACK)
			w->kstack[w->sp] = el->kind;
		w->sp++;
	}
	if (is_mainlike(n))
		w->mainlike++;
	if (w->links && (!strcmp(name, "a") || !strcmp(name, "area")) &&
	    (v = html_attr(n, "href")))
		add_link(w, v);
	if (!strcmp(name, "time") && !w->cur_time && (v = html_attr(n, "datetime")))
		w->cur_time = strdup(v);
	return 1;
}

static void leave(struct walker *w, xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	const struct elinfo *el;

	if (n->type != XML_ELEMENT_NODE || !name || !strcmp(name, "br"))
		return;
	el = elem_info(name);
	if (!strcmp(name, "tr")) {
		if (w->row <= 1) {
			/* trailing empty cells leave no separator */
			size_t len = w->cur.len;

			while (len && (w->cur.data[len - 1] == ' ' ||
				       w->cur.data[len - 1] == '|'))
				len--;
			buf_setlen(&w->cur, len);
			flush(w);
		} else if (w->cur.len) {
			w->pending = 1; /* a nested table's row: the outer row */
		}
		if (w->row > 0)
			w->row--;
		if (w->sp > 0)
			w->sp--;
	} else if ((el->cls & EL_BLOCK) && !w->row) {
		flush(w);
	} else if ((el->cls & EL_BLOCK) && w->cur.len) {
		w->pending = 1;
	}
	if (!strcmp(name, "pre") && w->pre > 0)
		w->pre--;
	if (el->kind >= 0 && w->sp > 0)
		w->sp--;
	if (is_mainlike(n) && w->mainlike > 0)
		w->mainlike--;
}

void diff_walk(struct walker *w, xmlNodePtr root)
{
	xmlNodePtr n = root;

	for (;;) {
		int entered = enter(w, n, n == root);

		if (entered && n->children) {
			n = n->children;
			continue;
		}
		if (entered)
			leave(w, n);
		while (n != root && !n->next) {
			n = n->parent;
			leave(w, n);
		}
		if (n == root)
			break;
		n = n->next;
	}
	flush(w);
}

void diff_walker_init(struct walker *w, int all, int links,
		      struct html_doc *doc, const char *self)
{
	memset(w, 0, sizeof(*w));
	w->all = all;
	w->links = links;
	w->doc = doc;
	w->self = self;
	buf_init(&w->cur, DIFF_MAX_TEXT);
	if (diff_intern_init(&w->linkset, 64) < 0)
		w->oom = 1;
}

void diff_walker_reset(struct walker *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->b[i].text);
		free(w->b[i].time_dt);
	}
	w->n = 0;
	w->text_total = 0;
	diff_intern_release(&w->linkset);
	for (i = 0; i < w->n_links; i++)
		free(w->link[i]);
	w->n_links = 0;
	if (diff_intern_init(&w->linkset, 64) < 0)
		w->oom = 1;
	buf_reset(&w->cur);
	free(w->cur_time);
	w->cur_time = NULL;
	w->sp = 0;
	w->mainlike = 0;
	w->pending = 0;
	w->truncated = 0;
}

void diff_walker_release(struct walker *w)
{
	diff_walker_reset(w);
	free(w->b);
	free(w->link);
	diff_intern_release(&w->linkset);
	buf_release(&w->cur);
}

/* Walk every root (skipping ones inside an earlier root). */
void diff_walk_roots(struct walker *w, xmlNodePtr *roots, size_t n,
		     int body)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		int nested = 0;

		for (j = 0; j < i && !nested; j++) {
			xmlNodePtr p;
			int depth = 0;

			for (p = roots[i]->parent; p && depth < 4096;
			     p = p->parent, depth++)
				if (p == roots[j]) {
					nested = 1;
					break;
				}
		}
		if (nested)
			continue;
		w->mainlike = !body;
		diff_walk(w, roots[i]);
	}
}
