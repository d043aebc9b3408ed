/* render-html: one self-contained page (inline CSS, no script, no external
 * resource), the two versions side by side, changed words marked with
 * <del>/<ins>.  Everything from the page is escaped. */
#include <string.h>

#include "diff/render.h"
#include "diff/render-internal.h"
#include "util/escape.h"

static const char css[] =
	"body{font:15px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}"
	"h1{font-size:1.2em;word-break:break-all}"
	"table{border-collapse:collapse}"
	".meta td,.meta th{padding:2px 10px;text-align:left;vertical-align:top}"
	".diff{width:100%;table-layout:fixed;margin-top:1em}"
	".diff td{vertical-align:top;padding:4px 8px;border-top:1px solid #eee;"
	"overflow-wrap:anywhere}"
	".diff td.n{width:3em;color:#999;text-align:right;font-size:.85em}"
	".diff th{text-align:left;padding:4px 8px}"
	"tr.delete td.old,tr.move td.old{background:#fdecea}"
	"tr.insert td.new,tr.move td.new{background:#e9f7ec}"
	"tr.change td{background:#fffbe6}"
	"del{background:#f8c4c0;text-decoration:line-through}"
	"ins{background:#b9ecc4;text-decoration:none}"
	".k-h1,.k-h2,.k-h3,.k-h4,.k-h5,.k-h6{font-weight:bold}"
	".k-li:before{content:'\\2022  '}"
	".tag{color:#777;font-size:.8em}"
	".summary{font-weight:bold}";

static int esc(struct buf *out, const char *s)
{
	return escape_html(out, s ? s : "", s ? strlen(s) : 0);
}

static int meta_row(struct buf *out, const char *label, const char *a,
		    const char *b)
{
	if (buf_addf(out, "<tr><th>%s</th><td>", label) < 0 ||
	    esc(out, a && *a ? a : "\xE2\x80\x94") < 0 ||
	    buf_adds(out, "</td><td>") < 0 ||
	    esc(out, b && *b ? b : "\xE2\x80\x94") < 0)
		return -1;
	return buf_adds(out, "</td></tr>\n");
}

static int cell(struct buf *out, const struct diff_page *p, long i,
		const char *cls, const struct diff_words *w, int old_side)
{
	const struct diff_block *b;
	size_t k;

	if (i < 0)
		return buf_addf(out, "<td class=\"n\"></td><td class=\"%s\"></td>",
				cls);
	b = &p->blocks[i];
	if (buf_addf(out, "<td class=\"n\">%ld</td><td class=\"%s k-%s\">",
		     i + 1, cls, diff_block_kind_name(b->kind)) < 0)
		return -1;
	if (!w) {
		if (escape_html(out, b->text, b->len) < 0)
			return -1;
	} else {
		for (k = 0; k < w->n; k++) {
			const struct diff_word *x = &w->w[k];
			const char *tag = x->op == DIFF_DELETE ? "del" :
				x->op == DIFF_INSERT ? "ins" : NULL;

			if ((x->op == DIFF_DELETE && !old_side) ||
			    (x->op == DIFF_INSERT && old_side))
				continue;
			if ((tag && buf_addf(out, "<%s>", tag) < 0) ||
			    escape_html(out, x->text, x->len) < 0 ||
			    (tag && buf_addf(out, "</%s>", tag) < 0))
				return -1;
		}
	}
	return buf_adds(out, "</td>");
}

static int row(const struct diff_result *r, const struct diff_block_op *o,
	       struct buf *out)
{
	const struct diff_words *w = o->op == DIFF_OP_CHANGE ? &o->words : NULL;
	long fi = o->from_index, ti = o->to_index;

	if (o->op == DIFF_OP_MOVE) {
		/* each side shows the block where it is in that version */
		if (o->side)
			fi = -1;
		else
			ti = -1;
	}
	if (buf_addf(out, "<tr class=\"%s\">", diff_op_name(o->op)) < 0 ||
	    cell(out, r->from, fi, "old", w, 1) < 0 ||
	    cell(out, r->to, ti, "new", w, 0) < 0)
		return -1;
	if (o->op == DIFF_OP_MOVE &&
	    buf_addf(out, "<td class=\"tag\">moved %s block %ld</td>",
		     o->side ? "from" : "to",
		     (o->side ? o->from_index : o->to_index) + 1) < 0)
		return -1;
	return buf_adds(out, "</tr>\n");
}

static int link_list(struct buf *out, const char *title, char **l, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	if (buf_addf(out, "<h2>%s</h2>\n<ul>\n", title) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (buf_adds(out, "<li>") < 0 || esc(out, l[i]) < 0 ||
		    buf_adds(out, "</li>\n") < 0)
			return -1;
	return buf_adds(out, "</ul>\n");
}

int diff_render_html(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e)
{
	size_t i;

	if (buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n<title>Changes: ") < 0 ||
	    esc(out, o->url) < 0 ||
	    buf_addf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n"
		     "<h1>Changes to ", css) < 0 ||
	    esc(out, o->url) < 0 ||
	    buf_adds(out, "</h1>\n<table class=\"meta\">\n"
		     "<tr><th></th><th>From</th><th>To</th></tr>\n") < 0 ||
	    meta_row(out, "Captured", o->from_timestamp, o->to_timestamp) < 0 ||
	    meta_row(out, "Last updated", r->from->updated.ymd,
		     r->to->updated.ymd) < 0 ||
	    meta_row(out, "Title", r->from->title, r->to->title) < 0 ||
	    meta_row(out, "Text digest", r->from->text_digest,
		     r->to->text_digest) < 0 ||
	    buf_adds(out, "</table>\n<p class=\"summary\">") < 0 ||
	    (r->date_changed && !r->text_changed &&
	     buf_adds(out, "Date changed, ") < 0) ||
	    diff_summary(r, out) < 0 ||
	    buf_adds(out, "</p>\n<table class=\"diff\">\n<colgroup><col style=\"width:3em\">"
		     "<col><col style=\"width:3em\"><col><col style=\"width:9em\">"
		     "</colgroup>\n") < 0)
		goto big;
	for (i = 0; i < r->n_ops; i++)
		if (row(r, &r->ops[i], out) < 0)
			goto big;
	if (buf_adds(out, "</table>\n") < 0 ||
	    link_list(out, "Links added", r->links_added, r->n_links_added) < 0 ||
	    link_list(out, "Links removed", r->links_removed,
		      r->n_links_removed) < 0 ||
	    buf_adds(out, "</body>\n</html>\n") < 0)
		goto big;
	return 0;
big:
	return err_set(e, "diff output over its size cap");
}
