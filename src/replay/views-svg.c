/* views-svg: the pictures the server draws itself, as inline SVG (no
 * script, no font but the generic sans-serif): a URL's captures on a time
 * line, and each crawl's changes as stacked bars.  Every mark has a
 * <title> (the tooltip, read by screen readers) and the picture a <desc>. */
#include <string.h>
#include <time.h>

#include "replay/views-int.h"
#include "util/timeutil.h"

/* Kinds as history names them, with their colours. */
static const char *kind_colour(enum catalog_kind k)
{
	switch (k) {
	case CATALOG_FIRST: return "#555555";
	case CATALOG_ADDED: return "#2e7d32";
	case CATALOG_EDITED: return "#1565c0";
	case CATALOG_SILENT: return "#ef6c00";
	case CATALOG_DATE_ONLY: return "#8e24aa";
	case CATALOG_REDIRECTED: return "#00838f";
	case CATALOG_REMOVED: return "#c62828";
	case CATALOG_FAILED: return "#c62828";
	default: return "#b0b0b0";
	}
}

int vw_kind_is_change(enum catalog_kind k)
{
	return k != CATALOG_UNCHANGED && k != CATALOG_FAILED;
}

#define TL_W      900
#define TL_LEFT   40
#define TL_RIGHT  860
#define TL_AXIS   60

static void mark(struct buf *out, const struct catalog_history_entry *h,
		 const char *url, double x)
{
	const char *kn = catalog_kind_name(h->kind);
	const char *col = kind_colour(h->kind);
	char iso[32];

	vw_iso(h->cap.ts, iso);
	buf_adds(out, "<a href=\"");
	vw_href_replay(out, h->cap.ts, url);
	buf_adds(out, "\">");
	if (h->kind == CATALOG_FAILED)
		buf_addf(out, "<path class=\"mark failed k-%s\" d=\"M%.1f %d "
			 "l8 8 m0 -8 l-8 8\" stroke=\"%s\" stroke-width=\"2.5\">",
			 kn, x - 4, TL_AXIS + 14, col);
	else if (vw_kind_is_change(h->kind))
		buf_addf(out, "<circle class=\"mark changed k-%s\" cx=\"%.1f\" "
			 "cy=\"%d\" r=\"8\" fill=\"%s\" stroke=\"#000\" "
			 "stroke-width=\"1\">", kn, x, TL_AXIS - 16, col);
	else
		buf_addf(out, "<circle class=\"mark same k-%s\" cx=\"%.1f\" "
			 "cy=\"%d\" r=\"4\" fill=\"%s\">", kn, x, TL_AXIS, col);
	buf_addf(out, "<title>%s %s", iso, kn);
	if (h->cap.last_updated[0])
		buf_addf(out, ", last updated %s", h->cap.last_updated);
	buf_addf(out, ", HTTP %d</title>", h->cap.status);
	buf_adds(out, h->kind == CATALOG_FAILED ? "</path>" : "</circle>");
	buf_adds(out, "</a>\n");
}

static void legend(struct buf *out, int y)
{
	static const enum catalog_kind kinds[] = { CATALOG_FIRST,
		CATALOG_ADDED, CATALOG_EDITED, CATALOG_SILENT,
		CATALOG_DATE_ONLY, CATALOG_REDIRECTED, CATALOG_REMOVED,
		CATALOG_UNCHANGED, CATALOG_FAILED };
	size_t i;
	int x = TL_LEFT;

	buf_addf(out, "<g class=\"legend\" font-size=\"12\">\n");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *kn = catalog_kind_name(kinds[i]);

		if (kinds[i] == CATALOG_FAILED)
			buf_addf(out, "<path d=\"M%d %d l8 8 m0 -8 l-8 8\" "
				 "stroke=\"%s\" stroke-width=\"2.5\"/>", x - 4,
				 y - 4, kind_colour(kinds[i]));
		else
			buf_addf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" "
				 "fill=\"%s\"%s/>", x, y,
				 vw_kind_is_change(kinds[i]) ? 6 : 4,
				 kind_colour(kinds[i]),
				 vw_kind_is_change(kinds[i]) ?
				 " stroke=\"#000\"" : "");
		buf_addf(out, "<text x=\"%d\" y=\"%d\">%s</text>\n", x + 10,
			 y + 4, kn);
		x += 20 + 7 * (int)strlen(kn) + 12;
	}
	buf_adds(out, "</g>\n");
}

void vw_svg_timeline(struct buf *out, const char *url,
		     const struct catalog_history_entry *v, size_t n)
{
	time_t t0 = 0, t1 = 0, t;
	size_t i, changes = 0;
	char a[32], b[32];

	for (i = 0; i < n; i++) {
		if (time_parse_ts(v[i].cap.ts, &t) < 0)
			continue;
		if (!t0 || t < t0)
			t0 = t;
		if (t > t1)
			t1 = t;
		changes += vw_kind_is_change(v[i].kind);
	}
	vw_iso(n ? v[0].cap.ts : "", a);
	vw_iso(n ? v[n - 1].cap.ts : "", b);
	buf_addf(out, "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/"
		 "svg\" width=\"%d\" height=\"130\" viewBox=\"0 0 %d 130\" "
		 "role=\"img\" aria-labelledby=\"tl-title tl-desc\" "
		 "font-family=\"sans-serif\">\n<title id=\"tl-title\">Captures "
		 "of ", TL_W, TL_W);
	vw_esc(out, url);
	buf_addf(out, "</title>\n<desc id=\"tl-desc\">%zu captures from %s to "
		 "%s, %zu of them changes (large coloured marks); unchanged "
		 "captures are small grey dots.</desc>\n", n, a, b, changes);
	buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		 "stroke=\"#999\"/>\n", TL_LEFT - 10, TL_AXIS, TL_RIGHT + 10,
		 TL_AXIS);
	buf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%.10s</text>"
		 "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">"
		 "%.10s</text>\n", TL_LEFT - 10, TL_AXIS + 40, a, TL_RIGHT + 10,
		 TL_AXIS + 40, b);
	/* unchanged first, so changes are drawn over them */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			double x = (TL_LEFT + TL_RIGHT) / 2.0;

			if (vw_kind_is_change(v[i].kind) != pass)
				continue;
			if (t1 > t0 && time_parse_ts(v[i].cap.ts, &t) == 0)
				x = TL_LEFT + (double)(t - t0) /
					(double)(t1 - t0) * (TL_RIGHT - TL_LEFT);
			if (pass)
				buf_addf(out, "<line x1=\"%.1f\" y1=\"%d\" "
					 "x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>",
					 x, TL_AXIS - 8, x, TL_AXIS,
					 kind_colour(v[i].kind));
			mark(out, &v[i], url, x);
		}
	}
	legend(out, 118);
	buf_adds(out, "</svg>\n");
}

#define BAR_H      160  /* the tallest bar */
#define BAR_TOP    20
#define BAR_W      24
#define BAR_GAP    10
#define BAR_LEFT   40

void vw_svg_crawl_bars(struct buf *out, const struct catalog_crawl_counts *v,
		       size_t n)
{
	static const char *const names[] = { "added", "edited", "silent",
		"removed" };
	static const char *const colours[] = { "#2e7d32", "#1565c0",
		"#ef6c00", "#c62828" };
	size_t i, k, max = 1, first = n > VIEW_BARS_MAX ? n - VIEW_BARS_MAX : 0;
	size_t sum[4] = { 0, 0, 0, 0 };
	int w = BAR_LEFT + (int)(n - first) * (BAR_W + BAR_GAP) + 20, x, y;

	if (w < 420)
		w = 420;
	for (i = first; i < n; i++) {
		size_t t = v[i].added + v[i].edited + v[i].silent + v[i].removed;

		/* the archive's first crawl adds every page: it would flatten
		 * all the others, so it is drawn cut (scaled to the top) */
		if (t > max && (v[i].base || n == 1))
			max = t;
		sum[0] += v[i].added;
		sum[1] += v[i].edited;
		sum[2] += v[i].silent;
		sum[3] += v[i].removed;
	}
	buf_addf(out, "<svg class=\"crawl-bars\" xmlns=\"http://www.w3.org/"
		 "2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		 "role=\"img\" aria-labelledby=\"cb-title cb-desc\" "
		 "font-family=\"sans-serif\">\n<title id=\"cb-title\">Pages "
		 "changed per crawl</title>\n<desc id=\"cb-desc\">%zu crawls: "
		 "%zu pages added, %zu edited, %zu edited silently (text changed, "
		 "\"Last updated\" did not), %zu removed.</desc>\n", w,
		 BAR_TOP + BAR_H + 60, w, BAR_TOP + BAR_H + 60, n - first,
		 sum[0], sum[1], sum[2], sum[3]);
	buf_addf(out, "<text x=\"4\" y=\"%d\" font-size=\"11\">%zu</text>"
		 "<text x=\"4\" y=\"%d\" font-size=\"11\">0</text>\n",
		 BAR_TOP + 10, max, BAR_TOP + BAR_H);
	buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		 "stroke=\"#999\"/>\n", BAR_LEFT - 6, BAR_TOP + BAR_H, w - 10,
		 BAR_TOP + BAR_H);
	for (i = first; i < n; i++) {
		const size_t cnt[4] = { v[i].added, v[i].edited, v[i].silent,
					v[i].removed };

		const size_t tot = cnt[0] + cnt[1] + cnt[2] + cnt[3];
		const double scale = tot > max ? (double)tot : (double)max;

		x = BAR_LEFT + (int)(i - first) * (BAR_W + BAR_GAP);
		y = BAR_TOP + BAR_H;
		buf_addf(out, "<g class=\"bar\" data-crawl=\"%lld\">",
			 (long long)v[i].crawl);
		for (k = 0; k < 4; k++) {
			int h = (int)((double)cnt[k] / scale * BAR_H + 0.5);

			if (!cnt[k])
				continue;
			if (h < 1)
				h = 1;
			y -= h;
			buf_addf(out, "<rect class=\"%s\" x=\"%d\" y=\"%d\" "
				 "width=\"%d\" height=\"%d\" fill=\"%s\"><title>"
				 "crawl %lld: %zu %s</title></rect>", names[k], x,
				 y, BAR_W, h, colours[k], (long long)v[i].crawl,
				 cnt[k], names[k]);
		}
		if (tot)
			buf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"10\" "
				 "text-anchor=\"middle\">%zu%s</text>",
				 x + BAR_W / 2, y - 3, tot, tot > max ? "\xE2\x80\xA6"
				 : "");
		buf_addf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
			 "text-anchor=\"middle\">%lld</text></g>\n",
			 x + BAR_W / 2, BAR_TOP + BAR_H + 14,
			 (long long)v[i].crawl);
	}
	y = BAR_TOP + BAR_H + 40;
	buf_addf(out, "<g class=\"legend\" font-size=\"12\"><text x=\"%d\" "
		 "y=\"%d\">crawl</text>", BAR_LEFT - 36, BAR_TOP + BAR_H + 14);
	for (k = 0, x = BAR_LEFT; k < 4; k++) {
		buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
			 "fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>", x,
			 y - 10, colours[k], x + 16, y, names[k]);
		x += 90;
	}
	buf_adds(out, "</g>\n</svg>\n");
}
