/* Unit tests for src/replay/views*.c and the catalog queries behind them
 * (catalog_urls_by_prefix, catalog_change_counts): a small catalog of three
 * crawls built through catalog_add_capture, each page the replay server
 * draws itself, with exact statuses, exact link sets and exact fragments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/catalog.h"
#include "replay/views.h"
#include "util/buf.h"
#include "util/digest.h"
#include "test-helpers.h"

#define HOST "http://site.test"
#define NEWS_EXTRA 105      /* more than one prefix page (100) of URLs */

/* ---- fixture ---- */

static char *page(const char *title, const char *para, const char *updated)
{
	struct buf b = BUF_INIT(0);

	buf_addf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		 "<title>%s | Site</title></head><body>\n<header><a href=\"/\">"
		 "Home</a></header>\n<nav aria-label=\"Main\"><ul><li><a "
		 "href=\"/a\">Alpha</a></li></ul></nav>\n<main id=\"main-"
		 "content\">\n<h1>%s</h1>\n<p>%s</p>\n<p>A second paragraph "
		 "that stays the same.</p>\n", title, title, para);
	if (updated)
		buf_addf(&b, "<div class=\"last-updated\">Last updated %s</div>\n",
			 updated);
	buf_adds(&b, "</main>\n<footer><p>Footer</p></footer>\n</body></html>\n");
	return buf_detach(&b, NULL);
}

static int64_t g_offset;

static void add_html(struct catalog *c, int64_t crawl, const char *path,
		     const char *date, const char *title, const char *para,
		     const char *updated)
{
	struct catalog_capture_in in;
	struct catalog_http h;
	struct buf head = BUF_INIT(0);
	char url[256], rid[64], dg[48], *html = page(title, para, updated);
	struct err e;

	snprintf(url, sizeof(url), HOST "%s", path);
	snprintf(rid, sizeof(rid), "<urn:uuid:test-%lld>", (long long)++g_offset);
	digest_sha1_label(html, strlen(html), dg);
	buf_addf(&head, "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
		 "charset=utf-8\r\n\r\n");
	memset(&in, 0, sizeof(in));
	in.crawl_id = crawl;
	in.url = url;
	in.date = date;
	in.type = CATALOG_RESPONSE;
	in.record_id = rid;
	in.payload_digest = dg;
	in.warc_file = "test.warc";
	in.offset = (uint64_t)g_offset * 1000;
	in.length = 999;
	assert_int_equal(catalog_capture_http(&in, head.data, head.len, html,
					      strlen(html), &h, &e), 0);
	if (catalog_add_capture(c, &in, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_http_release(&h);
	buf_release(&head);
	free(html);
}

/* A capture without a page: a status (404, 301...) or an image. */
static void add_other(struct catalog *c, int64_t crawl, const char *path,
		      const char *date, int status, const char *ctype,
		      const char *location)
{
	struct catalog_capture_in in;
	char url[256], rid[64];
	struct err e;

	snprintf(url, sizeof(url), HOST "%s", path);
	snprintf(rid, sizeof(rid), "<urn:uuid:test-%lld>", (long long)++g_offset);
	memset(&in, 0, sizeof(in));
	in.crawl_id = crawl;
	in.url = url;
	in.date = date;
	in.status = status;
	in.content_type = ctype;
	in.payload_digest = "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	in.type = CATALOG_RESPONSE;
	in.record_id = rid;
	in.warc_file = "test.warc";
	in.offset = (uint64_t)g_offset * 1000;
	in.location = location;
	if (catalog_add_capture(c, &in, NULL, &e) < 0)
		fail_msg("%s", e.msg);
}

static void add_revisit304(struct catalog *c, int64_t crawl, const char *path,
			   const char *date)
{
	struct catalog_capture_in in;
	struct catalog_prev prev;
	char url[256], rid[64];
	struct err e;

	snprintf(url, sizeof(url), HOST "%s", path);
	assert_int_equal(catalog_previous(c, url, &prev, &e), 1);
	snprintf(rid, sizeof(rid), "<urn:uuid:test-%lld>", (long long)++g_offset);
	memset(&in, 0, sizeof(in));
	in.crawl_id = crawl;
	in.url = url;
	in.date = date;
	in.status = 304;
	in.type = CATALOG_REVISIT;
	in.record_id = rid;
	in.payload_digest = prev.payload_digest;
	in.refers_to = prev.record_id;
	in.refers_to_target = prev.target;
	in.refers_to_date = prev.date;
	in.warc_file = "test.warc";
	in.offset = (uint64_t)g_offset * 1000;
	if (catalog_add_capture(c, &in, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_prev_release(&prev);
}

static void crawl(struct catalog *c, int64_t want, const char *start,
		  const char *end)
{
	int64_t id = 0;
	struct err e;

	if (catalog_crawl_begin(c, start, "test.conf",
				"main = //main[@id='main-content']\n", &id, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(id, want);
	(void)end;
}

static void finish(struct catalog *c, int64_t id, const char *end)
{
	struct err e;

	if (catalog_crawl_end(c, id, end, "complete", 7, 7000, 0, &e) < 0)
		fail_msg("%s", e.msg);
}

#define WEIRD "/s?q=<script>\"&x"

/* Crawl 1: /a /b /gone /news/one /news/two WEIRD /old, NEWS_EXTRA images under
 * /img/; crawl 2: /a edited, /b silent, /gone 404, /new added, /old a
 * redirect to /news/one, WEIRD unchanged; crawl 3: /a not modified (revisit), /b unchanged. */
struct fx {
	char *dir;
	struct catalog *c;
};

static int setup(void **state)
{
	char tmpl[] = "/tmp/govarch-views.XXXXXX";
	struct fx *f = calloc(1, sizeof(*f));
	struct err e;
	int i;

	assert_non_null(f);
	assert_non_null(mkdtemp(tmpl));
	f->dir = strdup(tmpl);
	f->c = catalog_open(f->dir, CATALOG_CREATE, &e);
	assert_non_null(f->c);

	crawl(f->c, 1, "2024-10-21T09:00:00Z", NULL);
	add_html(f->c, 1, "/a", "2024-10-21T09:00:01Z", "Alpha",
		 "Alpha text, first version.", "Monday, 21 October 2024");
	add_html(f->c, 1, "/b", "2024-10-21T09:00:02Z", "Beta",
		 "Beta text, first version.", "Tuesday, 1 October 2024");
	add_html(f->c, 1, "/gone", "2024-10-21T09:00:03Z", "Gone",
		 "Soon removed.", NULL);
	add_html(f->c, 1, "/news/one", "2024-10-21T09:00:04Z", "One",
		 "News one.", NULL);
	add_html(f->c, 1, "/news/two", "2024-10-21T09:00:05Z", "Two",
		 "News two.", NULL);
	add_html(f->c, 1, WEIRD, "2024-10-21T09:00:06Z", "Weird <b>",
		 "Hostile URL.", NULL);
	add_html(f->c, 1, "/old", "2024-10-21T09:00:08Z", "Old",
		 "An old page.", NULL);
	for (i = 0; i < NEWS_EXTRA; i++) {
		char p[64];

		snprintf(p, sizeof(p), "/img/%03d.png", i);
		add_other(f->c, 1, p, "2024-10-21T09:00:07Z", 200, "image/png",
			  NULL);
	}
	finish(f->c, 1, "2024-10-21T09:30:00Z");

	crawl(f->c, 2, "2024-10-22T09:00:00Z", NULL);
	add_html(f->c, 2, "/a", "2024-10-22T09:00:01Z", "Alpha",
		 "Alpha text, second version.", "Tuesday, 22 October 2024");
	add_html(f->c, 2, "/b", "2024-10-22T09:00:02Z", "Beta",
		 "Beta text, quietly changed.", "Tuesday, 1 October 2024");
	add_other(f->c, 2, "/gone", "2024-10-22T09:00:03Z", 404, "text/html",
		  NULL);
	add_html(f->c, 2, "/new", "2024-10-22T09:00:04Z", "New",
		 "A new page.", NULL);
	add_html(f->c, 2, "/news/one", "2024-10-22T09:00:05Z", "One",
		 "News one.", NULL);
	add_html(f->c, 2, "/news/two", "2024-10-22T09:00:06Z", "Two",
		 "News two.", NULL);
	add_html(f->c, 2, WEIRD, "2024-10-22T09:00:07Z", "Weird <b>",
		 "Hostile URL.", NULL);
	add_other(f->c, 2, "/old", "2024-10-22T09:00:08Z", 301, "text/html",
		  "/news/one");
	finish(f->c, 2, "2024-10-22T09:30:00Z");

	crawl(f->c, 3, "2024-10-23T09:00:00Z", NULL);
	add_revisit304(f->c, 3, "/a", "2024-10-23T09:00:01Z");
	add_html(f->c, 3, "/b", "2024-10-23T09:00:02Z", "Beta",
		 "Beta text, quietly changed.", "Tuesday, 1 October 2024");
	finish(f->c, 3, "2024-10-23T09:30:00Z");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	catalog_close(f->c);
	test_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ---- helpers ---- */

/* Every href="..." value of s in order, one per line. */
static char *hrefs(const char *s)
{
	struct buf b = BUF_INIT(0);
	const char *p = s, *q;

	while ((p = strstr(p, "href=\"")) != NULL) {
		p += 6;
		q = strchr(p, '"');
		assert_non_null(q);
		buf_add(&b, p, (size_t)(q - p));
		buf_addc(&b, '\n');
		p = q + 1;
	}
	return buf_detach(&b, NULL);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (; (s = strstr(s, needle)) != NULL; s += strlen(needle))
		n++;
	return n;
}

/* The part of s from the first `from` up to (not including) the next
 * `to`, as a malloc'd string. */
static char *between(const char *s, const char *from, const char *to)
{
	const char *a = strstr(s, from), *b;

	assert_non_null(a);
	b = strstr(a, to);
	assert_non_null(b);
	return strndup(a, (size_t)(b - a));
}

#define FRAME_LINKS "/\n/\n/changes\n"

/* ---- tests ---- */

static void test_calendar(void **state)
{
	struct fx *f = *state;
	struct buf out = BUF_INIT(0);
	char *svg, *table, *h;

	assert_int_equal(view_calendar(f->c, HOST "/a", &out), 200);
	assert_non_null(strstr(out.data, "<h1>Captures of http://site.test/a"
			       "</h1>\n<p>3 captures, 2 changes (first capture "
			       "included). "));
	/* the timeline: one mark per capture, the changes distinguished */
	svg = between(out.data, "<svg class=\"timeline\"", "</svg>");
	assert_int_equal(count(svg, "class=\"mark "), 3);
	assert_int_equal(count(svg, "class=\"mark changed k-first\""), 1);
	assert_int_equal(count(svg, "class=\"mark changed k-edited\""), 1);
	assert_int_equal(count(svg, "class=\"mark same k-unchanged\""), 1);
	assert_int_equal(count(svg, "r=\"8\""), 2);     /* changes: large */
	assert_non_null(strstr(svg, "<title>2024-10-22T09:00:01Z edited, last "
			       "updated 2024-10-22, HTTP 200</title>"));
	assert_non_null(strstr(svg, "<desc id=\"tl-desc\">3 captures from "
			       "2024-10-21T09:00:01Z to 2024-10-23T09:00:01Z, 2 "
			       "of them changes"));
	assert_null(strstr(svg, "<script"));
	h = hrefs(svg);
	/* unchanged marks first, the changes drawn over them */
	assert_string_equal(h, "/20241023090001/http://site.test/a\n"
			    "/20241021090001/http://site.test/a\n"
			    "/20241022090001/http://site.test/a\n");
	free(h);
	free(svg);
	/* the table: kinds in history's words, replay and diff links */
	table = between(out.data, "<table class=\"calendar\">", "</table>");
	assert_non_null(strstr(table, "<td>2024-10-21</td><td><span class=\""
			       "k-first\">first</span></td><td>response</td>"));
	assert_non_null(strstr(table, "<td>2024-10-22</td><td><span class=\""
			       "k-edited\">edited</span></td><td>response</td>"));
	assert_non_null(strstr(table, "<td>2024-10-22</td><td><span class=\""
			       "k-unchanged\">unchanged</span></td><td>revisit"
			       "</td>"));
	h = hrefs(table);
	assert_string_equal(h,
		"/20241021090001/http://site.test/a\n"
		"/20241022090001/http://site.test/a\n"
		"/diff/20241021090001/20241022090001/http://site.test/a\n"
		"/20241023090001/http://site.test/a\n"
		"/diff/20241022090001/20241023090001/http://site.test/a\n");
	free(h);
	free(table);
	buf_release(&out);

	/* silent and removed in their own words */
	assert_int_equal(view_calendar(f->c, HOST "/b", &out), 200);
	assert_non_null(strstr(out.data, "<span class=\"k-silent\">silent"));
	assert_int_equal(count(out.data, "class=\"mark changed k-silent\""), 1);
	buf_release(&out);
	assert_int_equal(view_calendar(f->c, HOST "/gone", &out), 200);
	assert_non_null(strstr(out.data, "<td>404</td><td>\xE2\x80\x94</td><td>"
			       "<span class=\"k-removed\">removed</span>"));
	buf_release(&out);

	assert_int_equal(view_calendar(f->c, HOST "/old", &out), 200);
	assert_non_null(strstr(out.data, "<td>301</td><td>\xE2\x80\x94</td><td>"
			       "<span class=\"k-redirected\">redirected</span> to "
			       "<a href=\"/calendar/http://site.test/news/one\">"
			       "http://site.test/news/one</a></td>"));
	assert_int_equal(count(out.data, "class=\"mark changed k-redirected\""),
			 1);
	buf_release(&out);

	/* never captured: the 404 page */
	assert_int_equal(view_calendar(f->c, HOST "/nothing", &out), 404);
	assert_non_null(strstr(out.data, "was never captured"));
	buf_release(&out);
}

static void test_banner(void **state)
{
	struct fx *f = *state;
	struct buf out = BUF_INIT(0);
	char *h;

	view_banner(f->c, HOST "/a", "20241022090001", &out);
	h = hrefs(out.data);
	assert_string_equal(h, "/\n"
		"/20241021090001/http://site.test/a\n"
		"/20241023090001/http://site.test/a\n"
		"/calendar/http://site.test/a\n"
		"/diff/20241021090001/20241022090001/http://site.test/a\n");
	free(h);
	assert_non_null(strstr(out.data, "<a rel=\"prev\" title=\"2024-10-21T"
			       "09:00:01Z\" href=\"/20241021090001/http://site."
			       "test/a\">\xE2\x97\x80 Previous</a>"));
	assert_non_null(strstr(out.data, "<a rel=\"next\" title=\"2024-10-23T"
			       "09:00:01Z\" href=\"/20241023090001/http://site."
			       "test/a\">Next \xE2\x96\xB6</a>"));
	assert_non_null(strstr(out.data, "<span>Captured <b>2024-10-22T09:00:01Z"
			       "</b></span><span>Last updated <b>2024-10-22</b>"
			       "</span><span>Change <b class=\"k\">edited</b>"));
	assert_non_null(strstr(out.data, "All captures (3)</a>"));
	/* self-contained: styles only under its ids, a spacer, no script */
	assert_memory_equal(out.data, "<style>#govarch-banner,#govarch-banner *"
			    "{all:initial}", 50);
	assert_non_null(strstr(out.data, "position:fixed;"));
	assert_non_null(strstr(out.data, "height:32px"));
	assert_non_null(strstr(out.data, "<div id=\"govarch-banner-spacer\">"
			       "</div>"));
	assert_null(strstr(out.data, "<script"));
	assert_null(strstr(out.data, "@import"));
	assert_null(strstr(out.data, "url("));
	{
		/* every selector is scoped under the banner's ids */
		char *css = between(out.data, "<style>", "</style>");
		const char *p = css + 7;

		while (*p) {
			assert_true(!strncmp(p, "#govarch-banner", 15));
			p = strchr(p, '}');
			assert_non_null(p);
			p++;
		}
		free(css);
	}
	buf_release(&out);

	/* the first capture: no previous, no diff */
	view_banner(f->c, HOST "/a", "20241021090001", &out);
	h = hrefs(out.data);
	assert_string_equal(h, "/\n"
		"/20241022090001/http://site.test/a\n"
		"/calendar/http://site.test/a\n");
	free(h);
	assert_non_null(strstr(out.data, "first capture"));
	buf_release(&out);

	/* the last one (a revisit): diff with the one before, no next */
	view_banner(f->c, HOST "/a", "20241023090001", &out);
	h = hrefs(out.data);
	assert_string_equal(h, "/\n"
		"/20241022090001/http://site.test/a\n"
		"/calendar/http://site.test/a\n"
		"/diff/20241022090001/20241023090001/http://site.test/a\n");
	free(h);
	assert_non_null(strstr(out.data, "latest capture"));
	buf_release(&out);
}

static void test_escaping(void **state)
{
	struct fx *f = *state;
	struct buf out = BUF_INIT(0);
	char *h;

	assert_int_equal(view_calendar(f->c, HOST WEIRD, &out), 200);
	assert_null(strstr(out.data, "<script"));
	assert_null(strstr(out.data, "\"&x"));
	assert_non_null(strstr(out.data, "<h1>Captures of http://site.test/s?q="
			       "&lt;script&gt;&quot;&amp;x</h1>"));
	h = hrefs(out.data);
	assert_non_null(strstr(h, "/20241021090006/http://site.test/s?q="
			       "%3Cscript%3E%22&amp;x\n"));
	free(h);
	buf_release(&out);

	view_banner(f->c, HOST WEIRD, "20241021090006", &out);
	assert_null(strstr(out.data, "<script"));
	assert_non_null(strstr(out.data, "href=\"/calendar/http://site.test/s?q="
			       "%3Cscript%3E%22&amp;x\""));
	buf_release(&out);

	assert_int_equal(view_index(f->c, "<script>\"&", &out), 200);
	assert_null(strstr(out.data, "<script"));
	assert_non_null(strstr(out.data, "value=\"&lt;script&gt;&quot;&amp;\""));
	assert_non_null(strstr(out.data, "<title>&lt;script&gt;&quot;&amp; "));
	buf_release(&out);

	assert_int_equal(view_not_found(f->c, NULL, "http://evil.test/<script>"
					"\"&", &out), 404);
	assert_null(strstr(out.data, "<script"));
	assert_non_null(strstr(out.data, "<code>http://evil.test/&lt;script&gt;"
			       "&quot;&amp;</code> was never captured."));
	buf_release(&out);
}

static void test_not_found(void **state)
{
	struct fx *f = *state;
	struct buf out = BUF_INIT(0);
	char *h;

	/* walks up: /news/three/x/ and /news/three/ match nothing, /news/ does */
	assert_int_equal(view_not_found(f->c, NULL, HOST "/news/three/x?y=1",
					&out), 404);
	assert_non_null(strstr(out.data, "<code>http://site.test/news/three/x"
			       "?y=1</code> was never captured."));
	assert_non_null(strstr(out.data, "<p>Under <code>http://site.test/news/"
			       "</code>:</p>"));
	h = hrefs(out.data);
	assert_string_equal(h, FRAME_LINKS
		"/calendar/http://site.test/news/one\n"
		"/20241022090005/http://site.test/news/one\n"
		"/calendar/http://site.test/news/two\n"
		"/20241022090006/http://site.test/news/two\n");
	free(h);
	assert_non_null(strstr(out.data, "one</a> \xE2\x80\x94 2 captures, "
			       "newest <a href=\"/20241022090005/http://site."
			       "test/news/one\">2024-10-22T09:00:05Z</a></li>"));
	buf_release(&out);

	/* with a timestamp the replay links keep it */
	assert_int_equal(view_not_found(f->c, "20241021000000",
					HOST "/news/nine", &out), 404);
	h = hrefs(out.data);
	assert_string_equal(h, FRAME_LINKS
		"/calendar/http://site.test/news/one\n"
		"/20241021000000/http://site.test/news/one\n"
		"/calendar/http://site.test/news/two\n"
		"/20241021000000/http://site.test/news/two\n");
	free(h);
	buf_release(&out);

	/* up to the host: capped, then "N more" */
	assert_int_equal(view_not_found(f->c, NULL, HOST "/zzz", &out), 404);
	assert_int_equal(count(out.data, "<li>"), 20);
	/* 105 images + a b gone new news/one news/two s?.. old = 113 URLs */
	assert_non_null(strstr(out.data, "<p class=\"more\">93 more</p>"));
	buf_release(&out);

	/* nothing anywhere */
	assert_int_equal(view_not_found(f->c, NULL, "https://other.test/a/b",
					&out), 404);
	assert_non_null(strstr(out.data, "Nothing archived starts with any "
			       "part of this URL."));
	assert_int_equal(count(out.data, "<li>"), 0);
	buf_release(&out);
}

static void test_changes(void **state)
{
	struct fx *f = *state;
	struct buf out = BUF_INIT(0);
	char *h;

	assert_int_equal(view_changes(f->c, "1", "2", &out), 200);
	assert_non_null(strstr(out.data, "<h1>Changes from crawl 1 (2024-10-21T"
			       "09:00:00Z) to crawl 2 (2024-10-22T09:00:00Z)</h1>"
			       "\n<p>5 changes. "));
	h = hrefs(strstr(out.data, "<h2"));
	assert_string_equal(h,
		/* added */
		"/calendar/http://site.test/new\n"
		"/20241022090004/http://site.test/new\n"
		/* removed */
		"/calendar/http://site.test/gone\n"
		"/20241021090003/http://site.test/gone\n"
		"/20241022090003/http://site.test/gone\n"
		/* redirected, with its target */
		"/calendar/http://site.test/old\n"
		"/calendar/http://site.test/news/one\n"
		"/20241021090008/http://site.test/old\n"
		"/20241022090008/http://site.test/old\n"
		/* edited */
		"/calendar/http://site.test/a\n"
		"/20241021090001/http://site.test/a\n"
		"/20241022090001/http://site.test/a\n"
		"/diff/20241021090001/20241022090001/http://site.test/a\n"
		/* silent */
		"/calendar/http://site.test/b\n"
		"/20241021090002/http://site.test/b\n"
		"/20241022090002/http://site.test/b\n"
		"/diff/20241021090002/20241022090002/http://site.test/b\n");
	free(h);
	assert_non_null(strstr(out.data, "<h2 class=\"k-silent\">silent</h2>"));
	assert_non_null(strstr(out.data, "<td class=\"d\">2024-10-01 "
			       "\xE2\x86\x92 2024-10-01"
			       "</td>"));
	assert_non_null(strstr(out.data, "href=\"/changes?from=1&amp;to=2\""));
	buf_release(&out);

	/* defaults: the last two complete crawls; crawl 3 (complete) no
	 * longer found four pages of crawl 2, nor its redirect /old */
	assert_int_equal(view_changes(f->c, NULL, "", &out), 200);
	assert_non_null(strstr(out.data, "<h1>Changes from crawl 2"));
	assert_non_null(strstr(out.data, "<p>5 changes. "));
	assert_int_equal(count(out.data, "<tr class=\"k-removed\">"), 5);
	buf_release(&out);

	/* a bad FROM: 400 with the CLI's message */
	assert_int_equal(view_changes(f->c, "x<y", NULL, &out), 400);
	assert_non_null(strstr(out.data, "<p>&#39;x&lt;y&#39;: not a crawl id "
			       "(N, #N) or a timestamp (2024, 20241021, "
			       "20241021T0930, 2024-10-21T09:30:00Z)</p>"));
	buf_release(&out);
	assert_int_equal(view_changes(f->c, "1", "#9", &out), 404);
	assert_non_null(strstr(out.data, "<p>no crawl 9</p>"));
	assert_null(strstr(out.data, f->dir));
	buf_release(&out);
}

static void test_diff(void **state)
{
	struct fx *f = *state;
	struct buf out = BUF_INIT(0);
	char *nav, *h;

	assert_int_equal(view_diff(f->c, "20241021090001", "20241022090001",
				   HOST "/a", &out), 200);
	/* the change report's rendering, links to both captures after <body> */
	assert_memory_equal(out.data, "<!DOCTYPE html>", 15);
	assert_non_null(strstr(out.data, "<h1>Changes to http://site.test/a</h1>"));
	assert_non_null(strstr(out.data, "<del>first</del>"));
	assert_non_null(strstr(out.data, "<ins>second</ins>"));
	nav = between(out.data, "<body>\n<nav", "</nav>");
	h = hrefs(nav);
	assert_string_equal(h, "/\n/20241021090001/http://site.test/a\n"
			    "/20241022090001/http://site.test/a\n"
			    "/calendar/http://site.test/a\n");
	free(h);
	free(nav);
	buf_release(&out);

	assert_int_equal(view_diff(f->c, "20241021090001", "20241021090001",
				   HOST "/a", &out), 400);
	assert_non_null(strstr(out.data, "FROM and TO are the same capture"));
	buf_release(&out);
	assert_int_equal(view_diff(f->c, "2024", "20241022090001", HOST "/a",
				   &out), 404);
	assert_non_null(strstr(out.data, "14-digit timestamps"));
	buf_release(&out);
	assert_int_equal(view_diff(f->c, "20200101000000", "20241022090001",
				   HOST "/a", &out), 404);
	assert_non_null(strstr(out.data, "This URL has no capture at "
			       "2020-01-01T00:00:00Z."));
	assert_non_null(strstr(out.data, "href=\"/calendar/http://site.test/a\""));
	buf_release(&out);
	/* a 404 capture has no text */
	assert_int_equal(view_diff(f->c, "20241021090003", "20241022090003",
				   HOST "/gone", &out), 404);
	assert_non_null(strstr(out.data, "cannot be compared"));
	buf_release(&out);
	assert_int_equal(view_diff(f->c, "20241021090003", "20241022090003",
				   HOST "/never", &out), 404);
	assert_non_null(strstr(out.data, "was never captured"));
	buf_release(&out);
}

static void test_index(void **state)
{
	struct fx *f = *state;
	struct catalog_crawl_counts *v;
	struct buf out = BUF_INIT(0);
	size_t n;
	struct err e;
	char *h, *svg, *crawls;

	assert_int_equal(catalog_change_counts(f->c, 60, &v, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].crawl, 1);
	assert_int_equal(v[0].added, 7);
	assert_int_equal(v[0].edited + v[0].silent + v[0].removed, 0);
	assert_int_equal(v[1].added, 1);
	assert_int_equal(v[1].edited, 1);
	assert_int_equal(v[1].silent, 1);
	assert_int_equal(v[1].removed, 1);
	/* what `changes --from 2 --to 3` reports: crawl 3 is complete and
	 * no longer found /new, /news/one, /news/two, WEIRD and /old */
	assert_int_equal(v[2].added + v[2].edited + v[2].silent, 0);
	assert_int_equal(v[2].removed, 5);
	free(v);

	assert_int_equal(view_index(f->c, HOST "/news/", &out), 200);
	svg = between(out.data, "<div class=\"results\">", "</div>");
	h = hrefs(svg);
	free(svg);
	assert_string_equal(h,
		"/calendar/http://site.test/news/one\n"
		"/20241022090005/http://site.test/news/one\n"
		"/calendar/http://site.test/news/two\n"
		"/20241022090006/http://site.test/news/two\n");
	free(h);
	svg = between(out.data, "<svg class=\"crawl-bars\"", "</svg>");
	assert_int_equal(count(svg, "<g class=\"bar\""), 3);
	assert_non_null(strstr(svg, "<title>crawl 2: 1 added</title>"));
	assert_non_null(strstr(svg, "<title>crawl 2: 1 edited</title>"));
	assert_non_null(strstr(svg, "<title>crawl 2: 1 silent</title>"));
	assert_non_null(strstr(svg, "<title>crawl 2: 1 removed</title>"));
	assert_non_null(strstr(svg, "<title>crawl 1: 7 added</title>"));
	assert_int_equal(count(svg, "<title>crawl 3:"), 1);
	assert_non_null(strstr(svg, "<title>crawl 3: 5 removed</title>"));
	/* scaled to crawl 3 (5 changes); the first crawl drawn cut */
	assert_non_null(strstr(svg, "<text x=\"52\" y=\"17\" font-size=\"10\" "
			       "text-anchor=\"middle\">7\xE2\x80\xA6</text>"));
	assert_non_null(strstr(svg, "<text x=\"86\" y=\"49\" font-size=\"10\" "
			       "text-anchor=\"middle\">4</text>"));
	assert_non_null(strstr(svg, "<text x=\"120\" y=\"17\" font-size=\"10\" "
			       "text-anchor=\"middle\">5</text>"));
	assert_non_null(strstr(svg, "3 crawls: 8 pages added, 1 edited, 1 "
			       "edited silently (text changed, \"Last updated\" "
			       "did not), 6 removed."));
	free(svg);
	crawls = between(out.data, "<table class=\"crawls\">", "</table>");
	assert_int_equal(count(crawls, "<tr><td>"), 3);
	assert_non_null(strstr(crawls, "<tr><td>3</td><td>2024-10-23T09:00:00Z"
			       "</td><td>2024-10-23T09:30:00Z</td><td>complete"
			       "</td><td>7</td>"));
	h = hrefs(crawls);
	assert_string_equal(h, "/changes?from=2&amp;to=3\n"
			    "/changes?from=1&amp;to=2\n");
	free(h);
	free(crawls);
	buf_release(&out);

	/* a scheme-less prefix, capped at 100 with "N more" */
	assert_int_equal(view_index(f->c, "site.test/img/", &out), 200);
	assert_int_equal(count(out.data, "<li>"), 100);
	assert_non_null(strstr(out.data, "<p class=\"more\">5 more</p>"));
	buf_release(&out);
	assert_int_equal(view_index(f->c, "http://nowhere.test/", &out), 200);
	assert_non_null(strstr(out.data, "No archived URL starts with <code>"
			       "http://nowhere.test/</code>."));
	buf_release(&out);
	/* no prefix: no results part */
	assert_int_equal(view_index(f->c, NULL, &out), 200);
	assert_null(strstr(out.data, "class=\"results\""));
	buf_release(&out);

	/* the handle's cached counts follow a new capture (last test: this
	 * changes the fixture) */
	add_html(f->c, 3, "/news/one", "2024-10-23T09:00:05Z", "One",
		 "News one, corrected.", NULL);
	assert_int_equal(catalog_change_counts(f->c, 60, &v, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[2].edited, 1);
	assert_int_equal(v[2].removed, 4);
	assert_int_equal(v[2].added + v[2].silent, 0);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_banner),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_index),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
