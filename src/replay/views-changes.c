/* views-changes: /changes?from=&to= - the change report (catalog_changes,
 * the data `govarch changes` prints) linking each page to its replay and
 * its diff - and /diff/FROM/TO/URL, the HTML diff the change report draws
 * (catalog_render_diff) with links back to both captures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/views.h"
#include "replay/views-int.h"

/* ---- /diff/FROM/TO/URL ---- */

/* The last capture of v at exactly ts, or -1. */
static long at_ts(const struct catalog_capture *v, size_t n, const char *ts)
{
	long i;

	for (i = (long)n - 1; i >= 0; i--)
		if (!strcmp(v[i].ts, ts))
			return i;
	return -1;
}

static int diff_missing(struct buf *out, const char *url, const char *what)
{
	vw_begin(out, "No such capture");
	buf_adds(out, "<h1>No such capture</h1>\n<p>");
	vw_esc(out, what);
	buf_adds(out, "</p>\n<p>The captures there are: ");
	vw_a_calendar(out, url);
	buf_adds(out, "</p>\n");
	vw_end(out);
	return 404;
}

/* Links to both captures and the calendar, put right after the rendered
 * diff's <body> (its own CSS styles the rest). */
static void diff_nav(struct buf *out, const struct catalog_capture *a,
		     const struct catalog_capture *b)
{
	char ia[32], ib[32];

	vw_iso(a->ts, ia);
	vw_iso(b->ts, ib);
	buf_adds(out, "<nav class=\"gv\" style=\"margin-bottom:1em\"><a href=\"/\">"
		 "govarch archive</a> \xC2\xB7 From: ");
	vw_a_replay(out, a->ts, a->url, ia);
	buf_adds(out, " \xC2\xB7 To: ");
	vw_a_replay(out, b->ts, b->url, ib);
	buf_adds(out, " \xC2\xB7 <a href=\"");
	vw_href_calendar(out, b->url);
	buf_adds(out, "\">All captures</a></nav>\n");
}

int view_diff(struct catalog *c, const char *from_ts, const char *to_ts,
	      const char *url, struct buf *out)
{
	struct catalog_capture *v = NULL;
	struct buf html = BUF_INIT(0);
	size_t n = 0;
	long a, b;
	const char *body;
	struct err e;
	int rc;

	if (!vw_is_ts14(from_ts) || !vw_is_ts14(to_ts))
		return vw_message(out, 404, "Not a capture timestamp",
				  "A diff is /diff/FROM/TO/URL with FROM and TO "
				  "the 14-digit timestamps of two captures "
				  "(YYYYMMDDhhmmss), as the calendar links them.");
	if (!strcmp(from_ts, to_ts))
		return vw_message(out, 400, "Same capture twice",
				  "FROM and TO are the same capture: a diff "
				  "compares two different captures.");
	if (!url || !*url)
		return vw_message(out, 404, "No URL",
				  "A diff is /diff/FROM/TO/URL.");
	if (catalog_captures_of(c, url, &v, &n, &e) < 0)
		return vw_message(out, 500, "The catalog could not be read",
				  e.msg);
	if (!n) {
		catalog_captures_free(v, n);
		return view_not_found(c, NULL, url, out);
	}
	a = at_ts(v, n, from_ts);
	b = at_ts(v, n, to_ts);
	if (a < 0 || b < 0) {
		char iso[32], msg[96];

		vw_iso(a < 0 ? from_ts : to_ts, iso);
		snprintf(msg, sizeof(msg), "This URL has no capture at %s.", iso);
		rc = diff_missing(out, v[n - 1].url, msg);
		goto out;
	}
	if (catalog_render_diff(c, &v[a], &v[b], "html", &html, &e) < 0) {
		vw_begin(out, "No diff");
		buf_adds(out, "<h1>These captures cannot be compared</h1>\n<p>");
		vw_esc(out, e.msg);
		buf_adds(out, "</p>\n<p>Only pages (HTML answered 200) have a text "
			 "to compare. The captures there are: ");
		vw_a_calendar(out, v[n - 1].url);
		buf_adds(out, "</p>\n");
		vw_end(out);
		rc = 404;
		goto out;
	}
	/* the rendered page is ours (diff_render_html): one <body> */
	body = strstr(html.data, "<body>\n");
	if (!body) {
		buf_add(out, html.data, html.len);
	} else {
		body += strlen("<body>\n");
		buf_add(out, html.data, (size_t)(body - html.data));
		diff_nav(out, &v[a], &v[b]);
		buf_add(out, body, html.len - (size_t)(body - html.data));
	}
	rc = 200;
out:
	buf_release(&html);
	catalog_captures_free(v, n);
	return rc;
}

/* ---- /changes ---- */

static int has_diff(const struct catalog_change *c)
{
	return (c->kind == CATALOG_EDITED || c->kind == CATALOG_SILENT ||
		c->kind == CATALOG_DATE_ONLY) && c->from_ts[0] && c->to_ts[0] &&
		strcmp(c->from_ts, c->to_ts);
}

/* A crawl id as FROM/TO in a link (#N once N could read as a year). */
static void crawl_ref(struct buf *out, int64_t id)
{
	if (id >= 1900)
		buf_adds(out, "%23");
	buf_addf(out, "%lld", (long long)id);
}

static void lines(struct buf *out, const char *label, const char *s)
{
	if (!s || !*s)
		return;
	buf_addf(out, "<div>%s: <q>", label);
	vw_esc(out, s);
	buf_adds(out, "</q></div>");
}

static void change_row(struct buf *out, const struct catalog_change *c)
{
	const char *kn = catalog_kind_name(c->kind);
	char iso[32];

	buf_addf(out, "<tr class=\"k-%s\"><td class=\"url\">", kn);
	if (c->kind == CATALOG_SITEWIDE) {
		buf_addf(out, "%zu pages", c->pages);
	} else {
		vw_a_calendar(out, c->url);
		if (c->kind == CATALOG_REDIRECTED && c->target) {
			buf_adds(out, "<br>to ");
			vw_a_calendar(out, c->target);
		}
	}
	buf_adds(out, "</td><td class=\"d\">");
	if (c->from_ts[0] && c->url && *c->url) {
		vw_iso(c->from_ts, iso);
		vw_a_replay(out, c->from_ts, c->url, iso);
	}
	buf_adds(out, "</td><td class=\"d\">");
	if (c->to_ts[0] && c->url && *c->url) {
		vw_iso(c->to_ts, iso);
		vw_a_replay(out, c->to_ts, c->url, iso);
	}
	buf_addf(out, "</td><td class=\"d\">%s \xE2\x86\x92 %s</td><td>",
		 c->last_updated_from[0] ? c->last_updated_from : "-",
		 c->last_updated_to[0] ? c->last_updated_to : "-");
	vw_esc(out, c->summary);
	if (c->kind == CATALOG_SITEWIDE) {
		lines(out, "removed", c->removed);
		lines(out, "added", c->added);
	}
	buf_adds(out, "</td><td>");
	if (has_diff(c)) {
		buf_adds(out, "<a href=\"");
		vw_href_diff(out, c->from_ts, c->to_ts, c->url);
		buf_adds(out, "\">diff</a>");
	}
	buf_adds(out, "</td></tr>\n");
}

static void changes_form(struct buf *out, const char *from, const char *to)
{
	buf_adds(out, "<form class=\"search\" method=\"get\" action=\"/changes\">"
		 "<label for=\"from\">From crawl</label> <input type=\"text\" "
		 "id=\"from\" name=\"from\" size=\"22\" value=\"");
	vw_esc(out, from);
	buf_adds(out, "\"> <label for=\"to\">to</label> <input type=\"text\" "
		 "id=\"to\" name=\"to\" size=\"22\" value=\"");
	vw_esc(out, to);
	buf_adds(out, "\"> <button type=\"submit\">Compare</button> <small>a "
		 "crawl id (3, #3) or a timestamp prefix (2024, 20241021)"
		 "</small></form>\n");
}

int view_changes(struct catalog *c, const char *from, const char *to,
		 struct buf *out)
{
	struct catalog_changes ch;
	int64_t idf = 0, idt = 0;
	char tf[32], tt[32];
	struct err e;
	size_t i;
	int kind = -1, rc;

	if (from && !*from)
		from = NULL;
	if (to && !*to)
		to = NULL;
	if ((from && catalog_crawl_ref_parse(from, &e) < 0) ||
	    (to && catalog_crawl_ref_parse(to, &e) < 0))
		return vw_message(out, 400, "Bad crawl", e.msg);
	if (from && (rc = catalog_resolve_crawl(c, from, &idf, &e)) <= 0)
		return vw_message(out, rc < 0 ? 400 : 404, "No such crawl", e.msg);
	if (to && (rc = catalog_resolve_crawl(c, to, &idt, &e)) <= 0)
		return vw_message(out, rc < 0 ? 400 : 404, "No such crawl", e.msg);
	if (catalog_changes(c, idf, idt, &ch, &e) < 0)
		return vw_message(out, 404, "No changes to show", e.msg);
	vw_iso(ch.from_start, tf);
	vw_iso(ch.to_start, tt);
	vw_begin(out, "Changes");
	buf_addf(out, "<h1>Changes from crawl %lld (%s) to crawl %lld (%s)</h1>\n"
		 "<p>%zu change%s. ", (long long)ch.from_crawl, tf,
		 (long long)ch.to_crawl, tt, ch.n, ch.n == 1 ? "" : "s");
	buf_adds(out, "<a href=\"/changes?from=");
	crawl_ref(out, ch.from_crawl);
	buf_adds(out, "&amp;to=");
	crawl_ref(out, ch.to_crawl);
	buf_adds(out, "\">Link to this report</a></p>\n");
	changes_form(out, from, to);
	for (i = 0; i < ch.n; i++) {
		const struct catalog_change *x = &ch.v[i];

		if ((int)x->kind != kind) {
			if (kind >= 0)
				buf_adds(out, "</table>\n");
			kind = (int)x->kind;
			buf_addf(out, "<h2 class=\"k-%s\">%s</h2>\n<table><tr><th>"
				 "URL</th><th>Before</th><th>After</th><th>Last "
				 "updated</th><th>Summary</th><th>Diff</th></tr>\n",
				 catalog_kind_name(x->kind),
				 catalog_kind_name(x->kind));
		}
		change_row(out, x);
	}
	if (kind >= 0)
		buf_adds(out, "</table>\n");
	vw_end(out);
	catalog_changes_release(&ch);
	return 200;
}
