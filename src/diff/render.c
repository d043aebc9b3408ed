/* render: text (unified), word, json renderers and the summary.
 * (html lives in render-html.c.) */
#include <stdio.h>
#include <string.h>

#include "diff/render.h"
#include "diff/render-internal.h"

int diff_format_parse(const char *s)
{
	static const char *const n[] = { "text", "word", "html", "json" };
	int i;

	for (i = 0; s && i < 4; i++)
		if (!strcmp(s, n[i]))
			return i;
	return -1;
}

/* ---- hunks (shared by text and word) ---- */

static size_t old_count(const struct diff_block_op *o)
{
	return o->op == DIFF_OP_EQUAL || o->op == DIFF_OP_DELETE ||
		o->op == DIFF_OP_CHANGE || (o->op == DIFF_OP_MOVE && !o->side);
}

static size_t new_count(const struct diff_block_op *o)
{
	return o->op == DIFF_OP_EQUAL || o->op == DIFF_OP_INSERT ||
		o->op == DIFF_OP_CHANGE || (o->op == DIFF_OP_MOVE && o->side);
}

static int range(struct buf *out, char sign, size_t before, size_t count)
{
	size_t start = count ? before + 1 : before;

	if (count == 1)
		return buf_addf(out, "%c%zu", sign, start);
	return buf_addf(out, "%c%zu,%zu", sign, start, count);
}

int diff_hunks(const struct diff_result *r, const struct diff_render_opts *o,
	       struct buf *out, hunk_line_fn line)
{
	size_t n = r->n_ops, i = 0, j, start, end, last, prev_end = 0;
	size_t ctx = o->context == 0 ? 2 : o->context < 0 ? 0 :
		(size_t)o->context;
	size_t of = 0, nf = 0;       /* old/new items before op prev_end */

	while (i < n) {
		size_t ob, nb, oc = 0, nc = 0;

		if (r->ops[i].op == DIFF_OP_EQUAL) {
			i++;
			continue;
		}
		start = i > prev_end + ctx ? i - ctx : prev_end;
		for (last = i, j = i + 1; j < n && j <= last + 2 * ctx + 1; j++)
			if (r->ops[j].op != DIFF_OP_EQUAL)
				last = j;
		end = last + ctx + 1 < n ? last + ctx + 1 : n;
		for (j = prev_end; j < start; j++) {
			of += old_count(&r->ops[j]);
			nf += new_count(&r->ops[j]);
		}
		ob = of;
		nb = nf;
		for (j = start; j < end; j++) {
			oc += old_count(&r->ops[j]);
			nc += new_count(&r->ops[j]);
		}
		if (buf_adds(out, "@@ ") < 0 || range(out, '-', ob, oc) < 0 ||
		    buf_addc(out, ' ') < 0 || range(out, '+', nb, nc) < 0 ||
		    buf_adds(out, " @@\n") < 0)
			return -1;
		for (j = start; j < end; j++)
			if (line(r, &r->ops[j], out) < 0)
				return -1;
		of += oc;
		nf += nc;
		prev_end = i = end;
	}
	return 0;
}

/* ---- text and word ---- */

static const char *ymd_or_null(const struct diff_page *p)
{
	return p && p->updated.ymd[0] ? p->updated.ymd : NULL;
}

int diff_render_header(const struct diff_result *r,
		       const struct diff_render_opts *o, struct buf *out)
{
	const char *url = o->url ? o->url : "";
	const char *ts[2] = { o->from_timestamp, o->to_timestamp };
	const struct diff_page *p[2] = { r->from, r->to };
	int k;

	for (k = 0; k < 2; k++) {
		const char *d = ymd_or_null(p[k]);

		if (buf_adds(out, k ? "+++ " : "--- ") < 0 ||
		    buf_adds(out, url) < 0 ||
		    (ts[k] && *ts[k] && buf_addf(out, "\t%s", ts[k]) < 0) ||
		    (d ? buf_addf(out, " (last updated %s)\n", d)
		       : buf_adds(out, " (no last updated date)\n")) < 0)
			return -1;
	}
	return 0;
}

static const char *text_of(const struct diff_page *p, long i)
{
	return i >= 0 && (size_t)i < p->n_blocks ? p->blocks[i].text : "";
}

static int text_line(const struct diff_result *r, const struct diff_block_op *o,
		     struct buf *out)
{
	const char *f = text_of(r->from, o->from_index);
	const char *t = text_of(r->to, o->to_index);

	switch (o->op) {
	case DIFF_OP_EQUAL:
		return buf_addf(out, " %s\n", f);
	case DIFF_OP_DELETE:
		return buf_addf(out, "-%s\n", f);
	case DIFF_OP_INSERT:
		return buf_addf(out, "+%s\n", t);
	case DIFF_OP_CHANGE:
		return buf_addf(out, "-%s\n+%s\n", f, t);
	case DIFF_OP_MOVE:
		return o->side ? buf_addf(out, "+%s\n", t)
			       : buf_addf(out, "-%s\n", f);
	}
	return 0;
}

static int word_line(const struct diff_result *r, const struct diff_block_op *o,
		     struct buf *out)
{
	const char *f = text_of(r->from, o->from_index);
	const char *t = text_of(r->to, o->to_index);
	size_t i;

	switch (o->op) {
	case DIFF_OP_EQUAL:
		return buf_addf(out, "%s\n", f);
	case DIFF_OP_DELETE:
		return buf_addf(out, "[-%s-]\n", f);
	case DIFF_OP_INSERT:
		return buf_addf(out, "{+%s+}\n", t);
	case DIFF_OP_MOVE:
		return o->side ? buf_addf(out, "{+%s+}\n", t)
			       : buf_addf(out, "[-%s-]\n", f);
	case DIFF_OP_CHANGE:
		for (i = 0; i < o->words.n; i++) {
			const struct diff_word *w = &o->words.w[i];
			int rc = w->op == DIFF_EQUAL ? buf_adds(out, w->text) :
				w->op == DIFF_DELETE ?
					buf_addf(out, "[-%s-]", w->text) :
					buf_addf(out, "{+%s+}", w->text);

			if (rc < 0)
				return -1;
		}
		return buf_addc(out, '\n');
	}
	return 0;
}

static int too_big(struct err *e)
{
	return err_set(e, "diff output over its size cap");
}

int diff_render_text(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e)
{
	if (diff_render_header(r, o, out) < 0 ||
	    (!r->text_changed && buf_adds(out, "no text change\n") < 0) ||
	    diff_hunks(r, o, out, text_line) < 0)
		return too_big(e);
	return 0;
}

int diff_render_word(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e)
{
	if (diff_render_header(r, o, out) < 0 ||
	    (!r->text_changed && buf_adds(out, "no text change\n") < 0) ||
	    diff_hunks(r, o, out, word_line) < 0)
		return too_big(e);
	return 0;
}

int diff_render(enum diff_format fmt, const struct diff_result *r,
		const struct diff_render_opts *o, struct buf *out,
		struct err *e)
{
	switch (fmt) {
	case DIFF_FMT_TEXT: return diff_render_text(r, o, out, e);
	case DIFF_FMT_WORD: return diff_render_word(r, o, out, e);
	case DIFF_FMT_HTML: return diff_render_html(r, o, out, e);
	case DIFF_FMT_JSON: return diff_render_json(r, o, out, e);
	}
	return err_set(e, "diff: unknown output format %d", (int)fmt);
}
