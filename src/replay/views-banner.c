/* views-banner: the bar put right after <body> of a replayed page.  It must
 * not disturb the archived page: a fixed bar of fixed height whose styles
 * are all under #govarch-banner (reset with `all: initial`, so the page's
 * CSS reaches none of it), a spacer of the same height in the flow so
 * nothing is hidden under it, no script, no font from anywhere. */
#include <string.h>

#include "replay/views.h"
#include "replay/views-int.h"

#define BANNER_H "32px"

static const char banner_css[] =
	"<style>"
	"#govarch-banner,#govarch-banner *{all:initial}"
	"#govarch-banner{position:fixed;top:0;left:0;right:0;z-index:2147483647;"
	"display:block;box-sizing:border-box;height:" BANNER_H ";"
	"overflow:hidden;white-space:nowrap;padding:0 10px;background:#1d2b36;"
	"color:#e8eef3;font:13px/" BANNER_H " sans-serif;text-align:left;"
	"border-bottom:1px solid #0b1218}"
	"#govarch-banner span{display:inline;font:inherit;color:inherit;"
	"margin-right:14px;white-space:nowrap}"
	"#govarch-banner b{display:inline;font:inherit;font-weight:bold;"
	"color:#fff}"
	"#govarch-banner a{display:inline;font:inherit;color:#9cd3ff;"
	"text-decoration:underline;cursor:pointer}"
	"#govarch-banner .k{color:#ffd27f}"
	"#govarch-banner-spacer{all:initial;display:block;height:" BANNER_H "}"
	"</style>";

/* The capture at ts among v (the last at exactly ts, else the last before
 * it, else the first). */
static size_t current(const struct catalog_history_entry *v, size_t n,
		      const char *ts)
{
	size_t i, best = 0;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].cap.ts, ts) <= 0)
			best = i;
	return best;
}

/* A link to a neighbouring capture: TEXT, its date in the tooltip. */
static void link(struct buf *out, const char *href_ts, const char *url,
		 const char *text, const char *rel)
{
	char iso[32];

	vw_iso(href_ts, iso);
	buf_addf(out, "<a rel=\"%s\" title=\"%s\" href=\"", rel, iso);
	vw_href_replay(out, href_ts, url);
	buf_adds(out, "\">");
	vw_esc(out, text);
	buf_adds(out, "</a>");
}

void view_banner(struct catalog *c, const char *url, const char *ts,
		 struct buf *out)
{
	struct catalog_history_entry *v = NULL;
	size_t n = 0, i, k;
	long prev = -1, next = -1, prev_text = -1;
	char iso[32];
	struct err e;

	if (!ts)
		ts = "";
	if (catalog_history(c, url, &v, &n, &e) < 0)
		n = 0;
	buf_adds(out, banner_css);
	buf_adds(out, "<div id=\"govarch-banner\" aria-label=\"govarch archive: "
		 "about this capture\"><span><a href=\"/\">govarch archive</a>"
		 "</span>");
	if (!n) {
		vw_iso(ts, iso);
		buf_adds(out, "<span>Captured <b>");
		vw_esc(out, iso);
		buf_adds(out, "</b></span>");
	} else {
		const struct catalog_capture *cur;

		i = current(v, n, ts);
		cur = &v[i].cap;
		for (k = i; k-- > 0;) {
			if (strcmp(v[k].cap.ts, cur->ts) >= 0)
				continue;
			if (prev < 0)
				prev = (long)k;
			if (v[k].cap.text_digest) {
				prev_text = (long)k;
				break;
			}
		}
		for (k = i + 1; k < n; k++)
			if (strcmp(v[k].cap.ts, cur->ts) > 0) {
				next = (long)k;
				break;
			}
		vw_iso(cur->ts, iso);
		buf_adds(out, "<span>Captured <b>");
		vw_esc(out, iso);
		buf_adds(out, "</b></span><span>Last updated <b>");
		vw_esc(out, cur->last_updated[0] ? cur->last_updated : "none");
		buf_addf(out, "</b></span><span>Change <b class=\"k\">%s</b>"
			 "</span><span>", catalog_kind_name(v[i].kind));
		if (prev >= 0)
			link(out, v[prev].cap.ts, url,
			     "\xE2\x97\x80 Previous", "prev");
		else
			buf_adds(out, "first capture");
		buf_adds(out, "</span><span>");
		if (next >= 0)
			link(out, v[next].cap.ts, url, "Next \xE2\x96\xB6",
			     "next");
		else
			buf_adds(out, "latest capture");
		buf_adds(out, "</span>");
	}
	buf_adds(out, "<span><a href=\"");
	vw_href_calendar(out, url);
	buf_addf(out, "\">All captures (%zu)</a></span>", n);
	if (prev_text >= 0 && n && v[current(v, n, ts)].cap.text_digest) {
		buf_adds(out, "<span><a href=\"");
		vw_href_diff(out, v[prev_text].cap.ts,
			     v[current(v, n, ts)].cap.ts, url);
		buf_adds(out, "\">Changes since previous</a></span>");
	}
	buf_adds(out, "</div><div id=\"govarch-banner-spacer\"></div>");
	catalog_history_free(v, n);
}
