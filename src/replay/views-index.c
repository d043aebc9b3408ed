/* views-index: `/` - the crawls, a picture of the pages each changed, a
 * search by URL prefix - and the 404 page of a URL never captured, which
 * offers the archived URLs nearest to it by prefix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/views.h"
#include "replay/views-int.h"

#define CRAWLS_MAX 200      /* crawls listed on the index, newest first */

/* ---- URLs by prefix ---- */

static void hit_item(struct buf *out, const struct catalog_url_hit *h,
		     const char *ts)
{
	char iso[32];

	buf_adds(out, "<li>");
	vw_a_calendar(out, h->url);
	buf_addf(out, " \xE2\x80\x94 %zu capture%s, ", h->captures,
		 h->captures == 1 ? "" : "s");
	if (ts) {
		vw_a_replay(out, ts, h->url, "replay");
	} else {
		vw_iso(h->ts, iso);
		buf_adds(out, "newest ");
		vw_a_replay(out, h->ts, h->url, iso);
	}
	buf_adds(out, "</li>\n");
}

long vw_prefix_list(struct catalog *c, const char *prefix, const char *ts,
		    size_t max, struct buf *out, struct err *e)
{
	static const char *const schemes[] = { "http://", "https://" };
	const int bare = !strstr(prefix, "://");
	struct catalog_url_hit *v;
	size_t n, total, all = 0, shown = 0, k;
	int s;

	for (s = 0; s < (bare ? 2 : 1); s++) {
		struct buf p = BUF_INIT(0);
		int rc;

		if (bare)
			buf_adds(&p, schemes[s]);
		buf_adds(&p, prefix);
		rc = catalog_urls_by_prefix(c, p.data, max - shown, &v, &n,
					    &total, e);
		buf_release(&p);
		if (rc < 0)
			return -1;
		if (n && !shown)
			buf_adds(out, "<ul class=\"urls\">\n");
		for (k = 0; k < n; k++)
			hit_item(out, &v[k], ts);
		catalog_url_hits_free(v, n);
		shown += n;
		all += total;
	}
	if (shown)
		buf_adds(out, "</ul>\n");
	if (all > shown)
		buf_addf(out, "<p class=\"more\">%zu more</p>\n", all - shown);
	return (long)all;
}

/* ---- / ---- */

static void crawl_ref(struct buf *out, int64_t id)
{
	if (id >= 1900)
		buf_adds(out, "%23");
	buf_addf(out, "%lld", (long long)id);
}

static void crawls_table(struct buf *out, const struct catalog_crawl *v,
			 size_t n)
{
	size_t i, shown = 0;
	char a[32], b[32];

	if (!n) {
		buf_adds(out, "<p>No crawl yet.</p>\n");
		return;
	}
	buf_adds(out, "<table class=\"crawls\">\n<tr><th>Crawl</th><th>Started"
		 "</th><th>Ended</th><th>Status</th><th>Pages</th><th>Changes"
		 "</th></tr>\n");
	for (i = n; i-- > 0 && shown < CRAWLS_MAX; shown++) {
		vw_iso(v[i].start, a);
		vw_iso(v[i].end, b);
		buf_addf(out, "<tr><td>%lld</td><td>", (long long)v[i].id);
		vw_esc(out, a);
		buf_adds(out, "</td><td>");
		vw_esc(out, v[i].end[0] ? b : "\xE2\x80\x94");
		buf_adds(out, "</td><td>");
		vw_esc(out, v[i].status);
		buf_addf(out, "</td><td>%llu</td><td>",
			 (unsigned long long)v[i].pages);
		if (i > 0) {
			buf_adds(out, "<a href=\"/changes?from=");
			crawl_ref(out, v[i - 1].id);
			buf_adds(out, "&amp;to=");
			crawl_ref(out, v[i].id);
			buf_addf(out, "\">since crawl %lld</a>",
				 (long long)v[i - 1].id);
		}
		buf_adds(out, "</td></tr>\n");
	}
	buf_adds(out, "</table>\n");
	if (n > shown)
		buf_addf(out, "<p class=\"more\">%zu older crawls not shown</p>\n",
			 n - shown);
}

int view_index(struct catalog *c, const char *prefix, struct buf *out)
{
	struct catalog_crawl *cr = NULL;
	struct catalog_crawl_counts *cnt = NULL;
	size_t ncr = 0, ncnt = 0;
	struct err e;
	long found;

	if (catalog_crawls(c, &cr, &ncr, &e) < 0 ||
	    catalog_change_counts(c, VIEW_BARS_MAX, &cnt, &ncnt, &e) < 0) {
		free(cr);
		return vw_message(out, 500, "The catalog could not be read",
				  e.msg);
	}
	vw_begin(out, prefix && *prefix ? prefix : "The archive");
	buf_adds(out, "<h1>The archive</h1>\n<h2>Search by URL prefix</h2>\n"
		 "<form class=\"search\" method=\"get\" action=\"/\"><label "
		 "for=\"prefix\">URL prefix</label> <input type=\"text\" "
		 "id=\"prefix\" name=\"prefix\" value=\"");
	vw_esc(out, prefix);
	buf_adds(out, "\" placeholder=\"https://www.dpmc.govt.nz/news/\"> "
		 "<button type=\"submit\">Search</button></form>\n");
	if (prefix && *prefix) {
		buf_adds(out, "<div class=\"results\">\n");
		found = vw_prefix_list(c, prefix, NULL, VIEW_PREFIX_MAX, out, &e);
		if (found < 0) {
			buf_adds(out, "<p>");
			vw_esc(out, e.msg);
			buf_adds(out, "</p>\n");
		} else if (!found) {
			buf_adds(out, "<p>No archived URL starts with <code>");
			vw_esc(out, prefix);
			buf_adds(out, "</code>.</p>\n");
		}
		buf_adds(out, "</div>\n");
	}
	buf_adds(out, "<h2>Pages changed per crawl</h2>\n");
	vw_svg_crawl_bars(out, cnt, ncnt);
	buf_adds(out, "<h2>Crawls</h2>\n");
	crawls_table(out, cr, ncr);
	vw_end(out);
	free(cr);
	free(cnt);
	return 200;
}

/* ---- the 404 page ---- */

/* The end of a URL's authority (the first '/' after "://"), or 0. */
static size_t authority_end(const char *url)
{
	const char *p = strstr(url, "://"), *q;

	if (!p)
		return 0;
	q = strchr(p + 3, '/');
	return q ? (size_t)(q - url) : strlen(url);
}

/* The next shorter prefix to try after url[0..len): the query dropped,
 * then one path segment at a time ("/a/b/c" -> "/a/b/" -> "/a/" -> "/");
 * 0 when there is none shorter. */
static size_t shorter(const char *url, size_t len, size_t auth)
{
	size_t i;

	for (i = auth; i < len; i++)
		if (url[i] == '?' || url[i] == '#')
			return i;
	if (len <= auth + 1)
		return 0;
	i = len - 1;                    /* drop a trailing '/' first */
	while (i > auth && url[i - 1] != '/')
		i--;
	return i > auth ? i : auth + 1;
}

int view_not_found(struct catalog *c, const char *ts, const char *url,
		   struct buf *out)
{
	struct buf p = BUF_INIT(0), list = BUF_INIT(0);
	size_t len, auth;
	long found = 0;
	struct err e;

	if (!url)
		url = "";
	if (ts && !vw_is_ts14(ts))
		ts = NULL;
	vw_begin(out, "Not in the archive");
	buf_adds(out, "<h1>Not in the archive</h1>\n<p><code>");
	vw_esc(out, url);
	buf_adds(out, "</code> was never captured.</p>\n");
	auth = authority_end(url);
	len = strlen(url);
	while (auth && len > 0) {
		buf_reset(&p);
		buf_reset(&list);
		buf_add(&p, url, len);
		found = vw_prefix_list(c, p.data, ts, VIEW_SUGGEST_MAX, &list, &e);
		if (found != 0)
			break;
		len = shorter(url, len, auth);
	}
	if (!auth && *url) {        /* not a URL: try it as a bare prefix */
		buf_reset(&p);
		buf_adds(&p, url);
		found = vw_prefix_list(c, url, ts, VIEW_SUGGEST_MAX, &list, &e);
	}
	if (found > 0) {
		buf_adds(out, "<h2>Archived URLs nearest to it</h2>\n<p>Under "
			 "<code>");
		vw_esc(out, p.data);
		buf_adds(out, "</code>:</p>\n");
		buf_add(out, list.data, list.len);
	} else if (found < 0) {
		buf_adds(out, "<p>");
		vw_esc(out, e.msg);
		buf_adds(out, "</p>\n");
	} else {
		buf_adds(out, "<p>Nothing archived starts with any part of this "
			 "URL. <a href=\"/\">Search the archive</a>.</p>\n");
	}
	vw_end(out);
	buf_release(&p);
	buf_release(&list);
	return 404;
}
