/* render-json: operations and figures as one JSON object, and the
 * one-line summary for `changes` listings. */
#include <string.h>

#include "diff/render.h"
#include "diff/render-internal.h"
#include "util/escape.h"

static int jstr(struct buf *out, const char *s)
{
	if (!s)
		return buf_adds(out, "null");
	return escape_json(out, s, strlen(s));
}

static int side(struct buf *out, const char *name, const char *ts,
		const struct diff_page *p)
{
	if (buf_addf(out, "\"%s\":{\"timestamp\":", name) < 0 ||
	    jstr(out, ts) < 0 || buf_adds(out, ",\"last_updated\":") < 0 ||
	    jstr(out, p->updated.ymd[0] ? p->updated.ymd : NULL) < 0 ||
	    buf_adds(out, ",\"text_digest\":") < 0 ||
	    jstr(out, p->text_digest[0] ? p->text_digest : NULL) < 0)
		return -1;
	return buf_addc(out, '}');
}

static int index_or_null(struct buf *out, long i)
{
	return i >= 0 ? buf_addf(out, "%ld", i) : buf_adds(out, "null");
}

static int one_op(const struct diff_result *r, const struct diff_block_op *o,
		  struct buf *out)
{
	const char *f = o->from_index >= 0 ? r->from->blocks[o->from_index].text
					   : NULL;
	const char *t = o->to_index >= 0 ? r->to->blocks[o->to_index].text
					 : NULL;
	size_t i;

	if (buf_addf(out, "{\"op\":\"%s\",\"from_index\":", diff_op_name(o->op)) < 0 ||
	    index_or_null(out, o->from_index) < 0 ||
	    buf_adds(out, ",\"to_index\":") < 0 ||
	    index_or_null(out, o->to_index) < 0 ||
	    buf_adds(out, ",\"old\":") < 0 || jstr(out, f) < 0 ||
	    buf_adds(out, ",\"new\":") < 0 || jstr(out, t) < 0)
		return -1;
	if (o->op == DIFF_OP_CHANGE) {
		if (buf_adds(out, ",\"words\":[") < 0)
			return -1;
		for (i = 0; i < o->words.n; i++) {
			const struct diff_word *w = &o->words.w[i];

			if (buf_addf(out, "%s{\"op\":\"%s\",\"text\":", i ? "," : "",
				     w->op == DIFF_EQUAL ? "equal" :
				     w->op == DIFF_DELETE ? "delete" : "insert") < 0 ||
			    escape_json(out, w->text, w->len) < 0 ||
			    buf_addc(out, '}') < 0)
				return -1;
		}
		if (buf_addc(out, ']') < 0)
			return -1;
	}
	return buf_addc(out, '}');
}

static int links(struct buf *out, const char *name, char **l, size_t n)
{
	size_t i;

	if (buf_addf(out, ",\"%s\":[", name) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((i && buf_addc(out, ',') < 0) || jstr(out, l[i]) < 0)
			return -1;
	return buf_addc(out, ']');
}

int diff_render_json(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e)
{
	const struct diff_figures *f = &r->fig;
	size_t i;
	int first = 1;

	if (buf_adds(out, "{\"url\":") < 0 || jstr(out, o->url ? o->url : "") < 0 ||
	    buf_addc(out, ',') < 0 ||
	    side(out, "from", o->from_timestamp, r->from) < 0 ||
	    buf_addc(out, ',') < 0 ||
	    side(out, "to", o->to_timestamp, r->to) < 0 ||
	    buf_addf(out, ",\"figures\":{\"blocks_added\":%zu,\"blocks_removed\":%zu,"
		     "\"blocks_changed\":%zu,\"blocks_moved\":%zu,"
		     "\"chars_changed\":%zu,\"links_added\":%zu,"
		     "\"links_removed\":%zu},\"operations\":[",
		     f->blocks_added, f->blocks_removed, f->blocks_changed,
		     f->blocks_moved, f->chars_changed, f->links_added,
		     f->links_removed) < 0)
		goto big;
	for (i = 0; i < r->n_ops; i++) {
		/* a move is listed once, where the block left */
		if (r->ops[i].op == DIFF_OP_MOVE && r->ops[i].side)
			continue;
		if ((!first && buf_addc(out, ',') < 0) ||
		    one_op(r, &r->ops[i], out) < 0)
			goto big;
		first = 0;
	}
	if (buf_addc(out, ']') < 0 ||
	    links(out, "links_added", r->links_added, r->n_links_added) < 0 ||
	    links(out, "links_removed", r->links_removed, r->n_links_removed) < 0 ||
	    buf_adds(out, "}\n") < 0)
		goto big;
	return 0;
big:
	return err_set(e, "diff output over its size cap");
}

/* ---- summary ---- */

static int family(enum diff_block_kind k)
{
	switch (k) {
	case DIFF_BK_P: case DIFF_BK_TEXT: case DIFF_BK_QUOTE:
		return 0;
	case DIFF_BK_H1: case DIFF_BK_H2: case DIFF_BK_H3:
	case DIFF_BK_H4: case DIFF_BK_H5: case DIFF_BK_H6:
		return 1;
	case DIFF_BK_LI:
		return 2;
	case DIFF_BK_TD: case DIFF_BK_TH:
		return 3;
	default:
		return 4;
	}
}

static const char *noun(int fam, size_t n)
{
	static const char *const one[] = { "paragraph", "heading", "list item",
					   "table cell", "block" };
	static const char *const many[] = { "paragraphs", "headings",
					    "list items", "table cells",
					    "blocks" };

	return n == 1 ? one[fam] : many[fam];
}

static int part(struct buf *out, int *first, size_t n, int fam,
		const char *verb)
{
	if (!n)
		return 0;
	if (*first) {
		*first = 0;
		return buf_addf(out, "%zu %s %s", n, noun(fam, n), verb);
	}
	return buf_addf(out, ", %zu %s", n, verb);
}

int diff_summary(const struct diff_result *r, struct buf *out)
{
	const struct diff_figures *f = &r->fig;
	size_t i;
	int fam = -1, first = 1;

	for (i = 0; i < r->n_ops; i++) {
		const struct diff_block_op *o = &r->ops[i];
		const struct diff_block *b;
		int k;

		if (o->op == DIFF_OP_EQUAL)
			continue;
		b = o->from_index >= 0 ? &r->from->blocks[o->from_index]
				       : &r->to->blocks[o->to_index];
		k = family(b->kind);
		fam = fam < 0 || fam == k ? k : 4;
	}
	if (fam < 0)
		fam = 4;
	if (!r->text_changed) {
		if (buf_adds(out, "no text change") < 0)
			return -1;
	} else {
		const size_t n[4] = { f->blocks_changed, f->blocks_added,
				      f->blocks_removed, f->blocks_moved };
		static const char *const verb[4] = { "changed", "added",
						     "removed", "moved" };

		for (i = 0; i < 4; i++) {
			int was_first = first;

			if (part(out, &first, n[i], fam, verb[i]) < 0)
				return -1;
			/* characters once, after the first phrase */
			if (was_first && !first &&
			    (f->chars_added || f->chars_removed) &&
			    buf_addf(out, " (+%zu/-%zu chars)", f->chars_added,
				     f->chars_removed) < 0)
				return -1;
		}
	}
	if (f->links_added &&
	    buf_addf(out, "; %zu link%s added", f->links_added,
		     f->links_added == 1 ? "" : "s") < 0)
		return -1;
	if (f->links_removed &&
	    buf_addf(out, "%s %zu link%s removed",
		     f->links_added ? "," : ";", f->links_removed,
		     f->links_removed == 1 ? "" : "s") < 0)
		return -1;
	return 0;
}
