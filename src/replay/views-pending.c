/* views-pending: PLACEHOLDER implementations of views.h, only so the
 * replay branch links and its tests run before the views branch merges.
 * THE MERGE DELETES THIS FILE (the real pages are src/replay/views*.c). */
#include <string.h>

#include "replay/views.h"
#include "util/escape.h"

static int page(struct buf *out, const char *title, const char *a,
		const char *b, int status)
{
	buf_adds(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		 "<title>");
	escape_html(out, title, strlen(title));
	buf_adds(out, "</title></head><body><p>");
	if (a)
		escape_html(out, a, strlen(a));
	if (b) {
		buf_adds(out, " ");
		escape_html(out, b, strlen(b));
	}
	buf_adds(out, "</p></body></html>\n");
	return status;
}

int view_index(struct catalog *c, const char *prefix, struct buf *out)
{
	return page(out, "govarch replay", prefix, NULL, 200);
}

int view_calendar(struct catalog *c, const char *url, struct buf *out)
{
	return page(out, "Captures", url, NULL, 200);
}

int view_diff(struct catalog *c, const char *from_ts, const char *to_ts,
	      const char *url, struct buf *out)
{
	return page(out, "Diff", url, from_ts, 200);
}

int view_changes(struct catalog *c, const char *from, const char *to,
		 struct buf *out)
{
	return page(out, "Changes", from, to, 200);
}

int view_not_found(struct catalog *c, const char *ts, const char *url,
		   struct buf *out)
{
	return page(out, "Not in the archive", url, ts, 404);
}

void view_banner(struct catalog *c, const char *url, const char *ts,
		 struct buf *out)
{
	buf_adds(out, "<div id=\"govarch-banner\">");
	escape_html(out, ts, strlen(ts));
	buf_adds(out, "</div>");
}
