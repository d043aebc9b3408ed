/* views: the pages the replay server draws itself (not archived pages).
 * Each function appends one complete HTML document (or, for the banner, one
 * fragment) to OUT and returns the HTTP status to send (200, 404, 400).
 * Everything written is escaped; links point into the server's own URL space:
 *   /TS/URL (replay, TS = 14-digit timestamp), /TSid_/URL, /calendar/URL,
 *   /diff/FROM/TO/URL (FROM, TO = 14-digit capture timestamps), /changes?from=&to=,
 *   /timemap/link/URL, /cdx?url=...
 * The catalog is opened read-only by the caller, one handle per thread. */
#ifndef GOVARCH_REPLAY_VIEWS_H
#define GOVARCH_REPLAY_VIEWS_H
#include "catalog/catalog.h"
#include "util/buf.h"
/* `/`: the crawls, an SVG of changes per crawl, a search form by URL prefix;
 * PREFIX (may be NULL/"") lists the archived URLs starting with it. */
int view_index(struct catalog *c, const char *prefix, struct buf *out);
/* `/calendar/URL`: every capture of URL (date, "Last updated", change kind)
 * and an inline SVG timeline. */
int view_calendar(struct catalog *c, const char *url, struct buf *out);
/* `/diff/FROM/TO/URL`: the HTML diff the change report draws. */
int view_diff(struct catalog *c, const char *from_ts, const char *to_ts,
	      const char *url, struct buf *out);
/* `/changes?from=&to=`: the change report linking into replay and diffs;
 * FROM/TO as `govarch changes` takes them, NULL = its defaults. */
int view_changes(struct catalog *c, const char *from, const char *to,
		 struct buf *out);
/* The 404 page for a URL never captured (TS may be NULL): says so and offers
 * the nearest archived URLs by prefix. */
int view_not_found(struct catalog *c, const char *ts, const char *url,
		   struct buf *out);
/* The banner inserted right after <body> of a replayed HTML page: capture
 * date, the page's "Last updated", previous/next captures, diff against the
 * previous version, link to the calendar. TS = the capture's 14-digit
 * timestamp. A fragment, self-contained styles, must not disturb the page. */
void view_banner(struct catalog *c, const char *url, const char *ts,
		 struct buf *out);
#endif
