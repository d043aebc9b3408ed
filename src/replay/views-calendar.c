/* views-calendar: /calendar/URL - every capture of a URL with its date,
 * "Last updated" and change kind (history's words), each linking to its
 * replay and to the diff with the capture before it, under a timeline. */
#include <string.h>

#include "replay/views.h"
#include "replay/views-int.h"

static const char *record_type(enum catalog_rtype t)
{
	return t == CATALOG_REVISIT ? "revisit" :
		t == CATALOG_RESOURCE ? "resource" : "response";
}

static void row(struct buf *out, const struct catalog_history_entry *v,
		size_t i, long prev_text)
{
	const struct catalog_capture *k = &v[i].cap;
	const char *kn = catalog_kind_name(v[i].kind);
	char iso[32];

	vw_iso(k->ts, iso);
	buf_addf(out, "<tr class=\"k-%s\"><td>", kn);
	vw_a_replay(out, k->ts, k->url, iso);
	buf_addf(out, "</td><td>%lld</td><td>%d</td><td>%s</td><td>"
		 "<span class=\"k-%s\">%s</span>", (long long)k->crawl_id,
		 k->status, k->last_updated[0] ? k->last_updated : "\xE2\x80\x94",
		 kn, kn);
	if (v[i].kind == CATALOG_REDIRECTED && k->redirect) {
		buf_adds(out, " to ");
		vw_a_calendar(out, k->redirect);
	}
	buf_addf(out, "</td><td>%s</td><td>", record_type(k->type));
	if (prev_text >= 0 && k->text_digest &&
	    strcmp(v[prev_text].cap.ts, k->ts)) {
		buf_adds(out, "<a href=\"");
		vw_href_diff(out, v[prev_text].cap.ts, k->ts, k->url);
		buf_adds(out, "\">diff</a>");
	}
	buf_adds(out, "</td></tr>\n");
}

int view_calendar(struct catalog *c, const char *url, struct buf *out)
{
	struct catalog_history_entry *v = NULL;
	size_t n = 0, i, changes = 0;
	long prev_text = -1;
	struct err e;

	if (!url || !*url)
		return vw_message(out, 400, "No URL",
				  "The calendar needs a URL: /calendar/URL.");
	if (catalog_history(c, url, &v, &n, &e) < 0)
		return vw_message(out, 500, "The catalog could not be read",
				  e.msg);
	if (!n) {
		catalog_history_free(v, n);
		return view_not_found(c, NULL, url, out);
	}
	for (i = 0; i < n; i++)
		changes += vw_kind_is_change(v[i].kind);
	vw_begin(out, v[n - 1].cap.url);
	buf_adds(out, "<h1>Captures of ");
	vw_esc(out, v[n - 1].cap.url);
	buf_addf(out, "</h1>\n<p>%zu capture%s, %zu change%s (first capture "
		 "included). ", n, n == 1 ? "" : "s", changes,
		 changes == 1 ? "" : "s");
	buf_adds(out, "<a href=\"/timemap/link/");
	vw_url(out, v[n - 1].cap.url);
	buf_adds(out, "\">TimeMap</a></p>\n");
	vw_svg_timeline(out, v[n - 1].cap.url, v, n);
	buf_adds(out, "<table class=\"calendar\">\n<tr><th>Captured</th>"
		 "<th>Crawl</th><th>HTTP</th><th>Last updated</th><th>Change"
		 "</th><th>Record</th><th>Diff</th></tr>\n");
	for (i = 0; i < n; i++) {
		row(out, v, i, prev_text);
		if (v[i].cap.text_digest)
			prev_text = (long)i;
	}
	buf_adds(out, "</table>\n");
	vw_end(out);
	catalog_history_free(v, n);
	return 200;
}
