/* views-int: what the replay server's pages share (not part of the API):
 * the one page frame, escaping shortcuts, the server's link forms, and the
 * SVG pictures. */
#ifndef GOVARCH_REPLAY_VIEWS_INT_H
#define GOVARCH_REPLAY_VIEWS_INT_H

#include <stddef.h>

#include "catalog/catalog.h"
#include "util/buf.h"

#define VIEW_PREFIX_MAX   100   /* URLs listed for a prefix search */
#define VIEW_SUGGEST_MAX  20    /* nearest URLs offered by the 404 page */
#define VIEW_BARS_MAX     60    /* crawls drawn in the changes-per-crawl SVG */

/* ---- views-layout.c ---- */

/* The frame every page but the banner has: doctype, head (title escaped,
 * the shared CSS), the navigation header; then the page's own body, then
 * vw_end. */
void vw_begin(struct buf *out, const char *title);
void vw_end(struct buf *out);
/* A whole page saying one thing: heading TITLE, paragraph TEXT (both
 * escaped; a catalog message's leading ".../catalog.sqlite: " left out, the
 * server's paths are nobody's business); returns status. */
int vw_message(struct buf *out, int status, const char *title,
	       const char *text);
/* s (NULL: "") HTML-escaped. */
void vw_esc(struct buf *out, const char *s);
/* An archived URL as it goes after the server's path prefix inside an
 * attribute: bytes a URL may not hold (space, controls, 8-bit, quotes,
 * <>\^`{|}, '#') percent-encoded, then HTML-escaped. */
void vw_url(struct buf *out, const char *url);
/* A query value: everything but unreserved characters percent-encoded. */
void vw_query(struct buf *out, const char *s);
/* Attribute values for the server's links (no quotes written). */
void vw_href_replay(struct buf *out, const char *ts, const char *url);
void vw_href_calendar(struct buf *out, const char *url);
void vw_href_diff(struct buf *out, const char *from_ts, const char *to_ts,
		  const char *url);
/* <a href="/TS/URL">TEXT</a>, TEXT escaped. */
void vw_a_replay(struct buf *out, const char *ts, const char *url,
		 const char *text);
/* <a href="/calendar/URL">URL</a> */
void vw_a_calendar(struct buf *out, const char *url);
/* A 14-digit timestamp (or WARC-Date) as ISO 8601 UTC. */
void vw_iso(const char *ts, char out[32]);
/* 1 when s is exactly 14 digits. */
int vw_is_ts14(const char *s);

/* ---- views-svg.c ---- */

/* The timeline of one URL's captures (history order): one mark per
 * capture, placed by time, linking to its replay; changes drawn large and
 * coloured by kind, unchanged small and grey, failures as crosses; a
 * legend, a <title> per mark, a <desc> summing it up. */
void vw_svg_timeline(struct buf *out, const char *url,
		     const struct catalog_history_entry *v, size_t n);
/* Stacked bars of added/edited/silent/removed pages per crawl. */
void vw_svg_crawl_bars(struct buf *out, const struct catalog_crawl_counts *v,
		       size_t n);
/* 1 when a history kind is a change (drawn to stand out). */
int vw_kind_is_change(enum catalog_kind k);

/* ---- views-index.c ---- */

/* The URLs starting with prefix as a list (each: its calendar, its newest
 * capture or, when ts is given, the replay at ts), at most max, then "N
 * more".  Scheme-less prefixes are tried under http:// and https://.
 * Returns how many matched in all, or -1 (e). */
long vw_prefix_list(struct catalog *c, const char *prefix, const char *ts,
		    size_t max, struct buf *out, struct err *e);

#endif
