/* Unit tests for src/catalog: crawls, captures through catalog_add_capture
 * (hand-made HTML pages), revisits, history, every change kind, site-wide
 * changes, FROM/TO resolution, the previous capture, and rebuild from WARC
 * files written with the WARC writer giving the same answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <zstd.h>

#include "catalog/catalog.h"
#include "util/buf.h"
#include "util/digest.h"
#include "warc/warc.h"
#include "test-helpers.h"

#define HOST "http://site.test"

static char *mkarchive(void)
{
	char tmpl[] = "/tmp/govarch-catalog.XXXXXX";
	char *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

static void rmarchive(char *dir)
{
	test_rmrf(dir);
	free(dir);
}

/* A page in the shape of the DPMC theme: header, menu, breadcrumb inside
 * main, paragraphs, "Last updated" line, footer. */
static char *page(const char *title, const char *const *paras,
		  const char *updated, const char *footer)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	buf_addf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		 "<title>%s | Site</title></head><body>\n<header><a href=\"/\">"
		 "Home</a><p class=\"tagline\">A test department</p></header>\n"
		 "<nav aria-label=\"Main\"><ul><li><a href=\"/a\">Alpha</a></li>"
		 "<li><a href=\"/b\">Beta</a></li></ul></nav>\n"
		 "<main id=\"main-content\"><nav aria-label=\"Breadcrumb\" "
		 "class=\"breadcrumb\"><ol><li><a href=\"/\">Home</a></li></ol>"
		 "</nav>\n<h1>%s</h1>\n", title, title);
	for (i = 0; paras && paras[i]; i++)
		buf_addf(&b, "<p>%s</p>\n", paras[i]);
	if (updated)
		buf_addf(&b, "<div class=\"last-updated\">Last updated %s</div>\n",
			 updated);
	buf_addf(&b, "</main>\n<footer><p>%s</p><ul><li><a href=\"/contact\">"
		 "Contact</a></li></ul></footer>\n</body></html>\n", footer);
	return buf_detach(&b, NULL);
}

static int64_t g_offset;

/* Add a 200 HTML capture the way the crawler does (HTTP head + body). */
static void add_html(struct catalog *c, int64_t crawl, const char *path,
		     const char *date, const char *html)
{
	struct catalog_capture_in in;
	struct catalog_http h;
	struct buf head = BUF_INIT(0);
	char url[256], rid[64], dg[48];
	struct err e;

	snprintf(url, sizeof(url), HOST "%s", path);
	snprintf(rid, sizeof(rid), "<urn:uuid:test-%lld>", (long long)++g_offset);
	digest_sha1_label(html, strlen(html), dg);
	buf_addf(&head, "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
		 "charset=utf-8\r\nETag: \"%.12s\"\r\n\r\n", dg + 5);
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
	assert_int_equal(in.status, 200);
	if (catalog_add_capture(c, &in, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_http_release(&h);
	buf_release(&head);
}

static void add_status(struct catalog *c, int64_t crawl, const char *path,
		       const char *date, int status, const char *location)
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
	in.content_type = "text/html";
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

static int64_t begin(struct catalog *c, const char *start)
{
	int64_t id = 0;
	struct err e;

	if (catalog_crawl_begin(c, start, "test.conf",
				"main = //main[@id='main-content']\n", &id, &e) < 0)
		fail_msg("%s", e.msg);
	return id;
}

static void end(struct catalog *c, int64_t id, const char *date)
{
	struct err e;

	if (catalog_crawl_end(c, id, date, "complete", 10, 1000, 0, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_crawls(void **state)
{
	char *dir = mkarchive();
	struct catalog *c;
	struct catalog_crawl *v, one;
	struct buf b = BUF_INIT(0);
	size_t n;
	struct err e;

	(void)state;
	assert_null(catalog_open(dir, 0, &e));      /* no catalog yet */
	assert_non_null(strstr(e.msg, "catalog.sqlite"));
	c = catalog_open(dir, CATALOG_CREATE, &e);
	assert_non_null(c);
	assert_int_equal(begin(c, "2024-10-21T09:00:00Z"), 1);
	end(c, 1, "2024-10-21T09:30:00Z");
	assert_int_equal(begin(c, "2024-10-22T09:00:00Z"), 2);
	assert_int_equal(catalog_crawls(c, &v, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].status, "complete");
	assert_string_equal(v[0].end, "2024-10-21T09:30:00Z");
	assert_int_equal(v[0].pages, 10);
	assert_string_equal(v[1].status, "running");
	assert_string_equal(v[1].end, "");
	assert_string_equal(v[1].config_name, "test.conf");
	assert_memory_equal(v[1].config_digest, "sha1:", 5);
	free(v);
	assert_int_equal(catalog_crawl_get(c, 3, &one, &e), 0);
	assert_int_equal(catalog_crawl_summary_fields(c, 1, &b, &e), 0);
	assert_non_null(strstr(b.data, "govarch-crawl-id: 1\r\n"));
	assert_non_null(strstr(b.data, "govarch-crawl-status: complete\r\n"));
	assert_non_null(strstr(b.data, "govarch-crawl-pages: 10\r\n"));
	buf_release(&b);
	catalog_close(c);
	/* reopening keeps everything (schema already there) */
	c = catalog_open(dir, CATALOG_READONLY, &e);
	assert_non_null(c);
	assert_int_equal(catalog_crawl_get(c, 2, &one, &e), 1);
	assert_string_equal(one.start, "2024-10-22T09:00:00Z");
	catalog_close(c);
	rmarchive(dir);
}

static const char *const P1[] = { "First paragraph about cabinet.",
	"Second paragraph about policy.", NULL };
static const char *const P2[] = { "First paragraph about cabinet.",
	"Second paragraph about policy, revised in October.", NULL };

static void test_history_and_text(void **state)
{
	char *dir = mkarchive(), *h;
	struct catalog *c;
	struct catalog_history_entry *v;
	struct catalog_prev prev;
	struct buf t = BUF_INIT(0);
	size_t n;
	struct err e;

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	assert_non_null(c);
	begin(c, "2024-10-01T00:00:00Z");
	h = page("Alpha", P1, "Monday, 21 October 2024", "Footer one");
	add_html(c, 1, "/a", "2024-10-01T00:00:01Z", h);
	free(h);
	end(c, 1, "2024-10-01T01:00:00Z");
	begin(c, "2024-10-02T00:00:00Z");
	h = page("Alpha", P2, "Tuesday, 22 October 2024", "Footer one");
	add_html(c, 2, "/a", "2024-10-02T00:00:01Z", h);
	free(h);
	end(c, 2, "2024-10-02T01:00:00Z");
	begin(c, "2024-10-03T00:00:00Z");
	h = page("Alpha", P2, "Wednesday, 23 October 2024", "Footer one");
	add_html(c, 3, "/a", "2024-10-03T00:00:01Z", h);
	free(h);
	end(c, 3, "2024-10-03T01:00:00Z");
	begin(c, "2024-10-04T00:00:00Z");
	add_revisit304(c, 4, "/a", "2024-10-04T00:00:01Z");
	add_status(c, 4, "/a", "2024-10-04T00:00:05Z", 503, NULL);
	end(c, 4, "2024-10-04T01:00:00Z");
	begin(c, "2024-10-05T00:00:00Z");
	add_status(c, 5, "/a", "2024-10-05T00:00:01Z", 404, NULL);
	end(c, 5, "2024-10-05T01:00:00Z");

	assert_int_equal(catalog_history(c, HOST "/a", &v, &n, &e), 0);
	assert_int_equal(n, 6);
	assert_int_equal(v[0].kind, CATALOG_FIRST);
	assert_string_equal(v[0].cap.last_updated, "2024-10-21");
	assert_string_equal(v[0].cap.ts, "20241001000001");
	assert_int_equal(v[1].kind, CATALOG_EDITED);
	assert_int_equal(v[2].kind, CATALOG_DATE_ONLY);
	assert_int_equal(v[3].kind, CATALOG_UNCHANGED);    /* 304 revisit */
	assert_int_equal(v[3].cap.status, 304);
	assert_int_equal(v[3].cap.eff_status, 200);
	assert_string_equal(v[3].cap.last_updated, "2024-10-23");
	assert_int_equal(v[4].kind, CATALOG_FAILED);
	assert_int_equal(v[5].kind, CATALOG_REMOVED);
	/* the stored text: main content only, no menu, breadcrumb, footer,
	 * nor the "Last updated" line */
	assert_int_equal(catalog_text(c, v[1].cap.text_digest, &t, &e), 0);
	assert_string_equal(t.data, "Alpha\nFirst paragraph about cabinet.\n"
			    "Second paragraph about policy, revised in "
			    "October.\n");
	assert_string_equal(v[1].cap.title, "Alpha | Site");
	/* the revisit points at its original */
	assert_int_equal(v[3].cap.orig_id, v[2].cap.id);
	/* previous: the latest 2xx (the revisit), naming the original */
	assert_int_equal(catalog_previous(c, HOST "/a", &prev, &e), 1);
	assert_string_equal(prev.record_id, v[2].cap.record_id);
	assert_string_equal(prev.date, "2024-10-03T00:00:01Z");
	assert_non_null(prev.etag);
	catalog_prev_release(&prev);
	assert_int_equal(catalog_previous(c, HOST "/nothing", &prev, &e), 0);
	/* a URL given in another spelling is found by its SURT key */
	catalog_history_free(v, n);
	assert_int_equal(catalog_history(c, "http://SITE.test/a", &v, &n, &e), 0);
	assert_int_equal(n, 6);
	catalog_history_free(v, n);
	buf_release(&t);
	catalog_close(c);
	rmarchive(dir);
}

static void test_resolve(void **state)
{
	char *dir = mkarchive(), *h;
	struct catalog *c;
	struct catalog_capture *v;
	size_t n;
	int64_t id;
	struct err e;

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	h = page("Alpha", P1, NULL, "F");
	begin(c, "2024-10-21T09:30:00Z");
	add_html(c, 1, "/a", "2024-10-21T09:30:05Z", h);
	end(c, 1, NULL);
	begin(c, "2024-10-22T10:00:00Z");
	add_html(c, 2, "/a", "2024-10-22T10:00:05Z", h);
	end(c, 2, NULL);
	begin(c, "2024-11-02T10:00:00Z");
	add_html(c, 3, "/a", "2024-11-02T10:00:05Z", h);
	end(c, 3, NULL);
	free(h);
	assert_int_equal(catalog_resolve_crawl(c, "2", &id, &e), 1);
	assert_int_equal(id, 2);
	assert_int_equal(catalog_resolve_crawl(c, "#3", &id, &e), 1);
	assert_int_equal(id, 3);
	assert_int_equal(catalog_resolve_crawl(c, "crawl:1", &id, &e), 1);
	assert_int_equal(id, 1);
	assert_int_equal(catalog_resolve_crawl(c, "9", &id, &e), 0);
	assert_int_equal(catalog_resolve_crawl(c, "2024", &id, &e), 1);
	assert_int_equal(id, 3);    /* the last crawl within 2024 */
	assert_int_equal(catalog_resolve_crawl(c, "202410", &id, &e), 1);
	assert_int_equal(id, 2);
	assert_int_equal(catalog_resolve_crawl(c, "20241021T0930", &id, &e), 1);
	assert_int_equal(id, 1);
	assert_int_equal(catalog_resolve_crawl(c, "20241025", &id, &e), 1);
	assert_int_equal(id, 2);    /* none that day: the last before */
	assert_int_equal(catalog_resolve_crawl(c, "2023", &id, &e), 0);
	assert_true(catalog_resolve_crawl(c, "yesterday", &id, &e) < 0);

	assert_int_equal(catalog_captures_of(c, HOST "/a", &v, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(catalog_resolve_capture(c, v, n, "1", &e), 0);
	assert_int_equal(catalog_resolve_capture(c, v, n, "20241022", &e), 1);
	assert_int_equal(catalog_resolve_capture(c, v, n, "2024-11", &e), 2);
	assert_int_equal(catalog_resolve_capture(c, v, n, "20241030", &e), 1);
	assert_int_equal(catalog_resolve_capture(c, v, n, "20241022100005", &e),
			 1);
	assert_int_equal(catalog_resolve_capture(c, v, n, "2020", &e), -1);
	assert_int_equal(catalog_resolve_capture(c, v, n, "#7", &e), -1);
	catalog_captures_free(v, n);
	catalog_close(c);
	rmarchive(dir);
}

/* Two crawls with one page of each kind, a footer reworded on every page
 * and a newsletter line changed in the main text of 7 pages. */
static const char *const LEAK1 = "Subscribe to our newsletter.";
static const char *const LEAK2 = "Sign up to the weekly newsletter instead.";

static void kinds_page(struct catalog *c, int64_t crawl, const char *path,
		       const char *p2, const char *date, int leak)
{
	const char *paras[4] = { "Common opening words for this page.", p2,
		NULL, NULL };
	char ts[32], title[64];
	char *h;

	paras[2] = leak ? (crawl == 1 ? LEAK1 : LEAK2) : NULL;
	/* a moved page keeps its title: /gnew is /g's */
	snprintf(title, sizeof(title), "Page %s", strcmp(path, "/gnew") ?
		 path + 1 : "g");
	snprintf(ts, sizeof(ts), "2024-10-0%lldT00:00:%02dZ", (long long)crawl,
		 (int)(path[1] - 'a'));
	h = page(title, paras, date, crawl == 1 ? "Old footer wording."
		 : "New footer wording, 2024.");
	add_html(c, crawl, path, ts, h);
	free(h);
}

static void build_kinds(struct catalog *c)
{
	static const char *const same[] = { "/a", "/i", "/j", "/k", "/l", "/m" };
	const char *d1 = "Monday, 21 October 2024", *d2 = "Friday, 1 November 2024";
	int64_t k;
	size_t i;

	for (k = 1; k <= 2; k++) {
		begin(c, k == 1 ? "2024-10-01T00:00:00Z" : "2024-10-02T00:00:00Z");
		for (i = 0; i < 6; i++)
			kinds_page(c, k, same[i], "Unchanged text.", d1, 1);
		kinds_page(c, k, "/b", k == 1 ? "Old text of b." :
			   "Completely rewritten body of page b.", k == 1 ? d1 : d2, 1);
		kinds_page(c, k, "/c", k == 1 ? "Old text of c." :
			   "Quietly changed words of c.", d1, 0);
		kinds_page(c, k, "/d", "Same text of d.", k == 1 ? d1 : d2, 0);
		if (k == 1) {
			kinds_page(c, k, "/e", "Soon gone e.", d1, 0);
			kinds_page(c, k, "/f", "Soon unlinked f.", d1, 0);
			kinds_page(c, k, "/g", "Soon moved g.", d1, 0);
			kinds_page(c, k, "/r", "Soon replaced r.", d1, 0);
		} else {
			add_status(c, k, "/e", "2024-10-02T00:00:04Z", 404, NULL);
			add_status(c, k, "/g", "2024-10-02T00:00:06Z", 301,
				   "/gnew");
			kinds_page(c, k, "/gnew", "Soon moved g.", d1, 0);
			add_status(c, k, "/r", "2024-10-02T00:00:17Z", 301,
				   "/rnew");
			kinds_page(c, k, "/rnew", "Another page than r.", d2, 0);
			kinds_page(c, k, "/h", "Brand new h.", d2, 0);
		}
		end(c, k, k == 1 ? "2024-10-01T01:00:00Z" : "2024-10-02T01:00:00Z");
	}
}

/* A redirect a complete crawl no longer found is removed; a partial crawl
 * (stopped at a limit) reports nothing it did not reach as removed. */
static void test_changes_unreached(void **state)
{
	char *dir = mkarchive();
	struct catalog *c;
	struct catalog_changes ch;
	struct err e;
	int64_t k;

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	k = begin(c, "2024-10-01T00:00:00Z");
	kinds_page(c, k, "/a", "Text of a.", NULL, 0);
	kinds_page(c, k, "/b", "Text of b.", NULL, 0);
	add_status(c, k, "/r", "2024-10-01T00:00:17Z", 301, "/a");
	end(c, k, "2024-10-01T01:00:00Z");
	k = begin(c, "2024-10-02T00:00:00Z");
	kinds_page(c, k, "/a", "Text of a.", NULL, 0);
	end(c, k, "2024-10-02T01:00:00Z");
	k = begin(c, "2024-10-03T00:00:00Z");
	if (catalog_crawl_end(c, k, "2024-10-03T01:00:00Z", "partial", 0, 0, 0,
			      &e) < 0 ||
	    catalog_crawl_set_reason(c, k, "max-pages 1 reached", &e) < 0)
		fail_msg("%s", e.msg);

	if (catalog_changes(c, 1, 2, &ch, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(ch.n, 2);
	assert_int_equal(ch.v[0].kind, CATALOG_REMOVED);
	assert_string_equal(ch.v[0].url, HOST "/b");
	assert_int_equal(ch.v[1].kind, CATALOG_REMOVED);
	assert_string_equal(ch.v[1].url, HOST "/r");
	assert_string_equal(ch.v[1].summary, "no longer found");
	catalog_changes_release(&ch);

	if (catalog_changes(c, 2, 3, &ch, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(ch.n, 0);      /* /a not reached: not removed */
	assert_string_equal(ch.to_status, "partial");
	assert_string_equal(ch.to_reason, "max-pages 1 reached");
	catalog_changes_release(&ch);
	assert_true(catalog_changes(c, 2, 2, &ch, &e) < 0);
	assert_string_equal(e.msg, "FROM and TO are the same crawl (2): nothing "
			    "to compare");
	catalog_close(c);
	rmarchive(dir);
}

static void test_changes_kinds(void **state)
{
	char *dir = mkarchive();
	struct catalog *c;
	struct catalog_changes ch;
	struct buf out = BUF_INIT(0);
	struct err e;
	size_t i;
	static const char *const want[][2] = {
		{ "added", HOST "/h" },
		{ "added", HOST "/rnew" },
		{ "removed", HOST "/e" },
		{ "removed", HOST "/f" },
		{ "moved", HOST "/g" },
		{ "redirected", HOST "/r" },
		{ "edited", HOST "/b" },
		{ "silent", HOST "/c" },
		{ "date-only", HOST "/d" },
		{ "sitewide", "" },
		{ "sitewide", "" },
	};

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	build_kinds(c);
	if (catalog_changes(c, 0, 0, &ch, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(ch.from_crawl, 1);
	assert_int_equal(ch.to_crawl, 2);
	for (i = 0; i < ch.n; i++)
		print_message("%s %s %s\n", catalog_kind_name(ch.v[i].kind),
			      ch.v[i].url, ch.v[i].summary);
	/* /gnew, the redirect's target with /g's text, is the moved page:
	 * not added; /rnew, a new page /r now redirects to, is added */
	assert_int_equal(ch.n, 11);
	for (i = 0; i < ch.n; i++) {
		assert_string_equal(catalog_kind_name(ch.v[i].kind), want[i][0]);
		assert_string_equal(ch.v[i].url, want[i][1]);
	}
	/* history applies the same site-wide correction: /a's only text
	 * change is the newsletter line (site-wide), /b's is its own too */
	{
		struct catalog_history_entry *hv;
		size_t hn;

		assert_int_equal(catalog_history(c, HOST "/a", &hv, &hn, &e), 0);
		assert_int_equal(hn, 2);
		assert_int_equal(hv[1].kind, CATALOG_UNCHANGED);
		catalog_history_free(hv, hn);
		assert_int_equal(catalog_history(c, HOST "/b", &hv, &hn, &e), 0);
		assert_int_equal(hn, 2);
		assert_int_equal(hv[1].kind, CATALOG_EDITED);
		catalog_history_free(hv, hn);
	}
	assert_string_equal(ch.v[4].target, HOST "/gnew");
	assert_string_equal(ch.v[4].summary, "-> " HOST "/gnew (HTTP 301, same text)");
	assert_string_equal(ch.v[4].to_ts, "20241002000006");  /* /gnew's */
	assert_string_equal(ch.v[5].target, HOST "/rnew");
	/* /b's summary leaves out the site-wide newsletter line */
	assert_string_equal(ch.v[6].summary, "1 paragraph changed (+30/-8 chars)");
	assert_string_equal(ch.v[6].last_updated_from, "2024-10-21");
	assert_string_equal(ch.v[6].last_updated_to, "2024-11-01");
	assert_string_equal(ch.v[7].last_updated_to, "2024-10-21");
	assert_string_equal(ch.v[6].from_ts, "20241001000001");
	/* the two site-wide changes: the footer (6 + b, c, d = 9 compared
	 * pages) and the newsletter line (7 pages) */
	assert_int_equal(ch.v[9].pages + ch.v[10].pages, 9 + 7);
	assert_non_null(strstr(ch.v[9].removed, "ewsletter") ?
			ch.v[9].removed : ch.v[10].removed);
	assert_int_equal(catalog_changes_format(c, &ch, "json", &out, &e), 0);
	assert_non_null(strstr(out.data, "{\"url\":\"" HOST "/c\",\"kind\":"
			       "\"silent\",\"from\":\"2024-10-01T00:00:02Z\",\"to\":"
			       "\"2024-10-02T00:00:02Z\",\"from_file\":\"test.warc\","
			       "\"from_offset\":"));
	assert_non_null(strstr(out.data, ",\"to_file\":\"test.warc\",\"to_offset\":"));
	assert_non_null(strstr(out.data, ",\"last_updated_from\":"
			       "\"2024-10-21\",\"last_updated_to\":\"2024-10-21\""));
	buf_reset(&out);
	assert_int_equal(catalog_changes_format(c, &ch, "text", &out, &e), 0);
	assert_non_null(strstr(out.data, "\ndate-only\t" HOST "/d\t2024-10-21\t"
			       "2024-11-01\tno text change\n"));
	buf_reset(&out);
	assert_int_equal(catalog_changes_format(c, &ch, "atom", &out, &e), 0);
	assert_non_null(strstr(out.data, "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
	assert_non_null(strstr(out.data, "govarch diff " HOST "/b 20241001000001 "
			       "20241002000001"));
	catalog_changes_release(&ch);
	buf_release(&out);
	/* the feed file with its html diffs */
	assert_int_equal(catalog_write_atom(c, &e), 0);
	{
		char p[600];
		struct stat sb;

		snprintf(p, sizeof(p), "%s/changes.atom", dir);
		assert_int_equal(stat(p, &sb), 0);
		snprintf(p, sizeof(p), "%s/diffs/1-2", dir);
		assert_int_equal(stat(p, &sb), 0);
	}
	catalog_close(c);
	rmarchive(dir);
}

static void test_diff_render(void **state)
{
	char *dir = mkarchive();
	struct catalog *c;
	struct catalog_capture *v;
	struct buf out = BUF_INIT(0);
	size_t n;
	struct err e;

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	build_kinds(c);
	assert_int_equal(catalog_captures_of(c, HOST "/b", &v, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(catalog_render_diff(c, &v[0], &v[1], "text", &out, &e), 0);
	assert_non_null(strstr(out.data, "Completely rewritten body of page b."));
	assert_null(strstr(out.data, "footer"));
	assert_null(strstr(out.data, "Alpha"));     /* menu */
	assert_null(strstr(out.data, "Home"));      /* breadcrumb */
	assert_non_null(strstr(out.data, "2024-11-01"));
	catalog_captures_free(v, n);
	buf_reset(&out);
	assert_int_equal(catalog_captures_of(c, HOST "/d", &v, &n, &e), 0);
	assert_int_equal(catalog_render_diff(c, &v[0], &v[1], "text", &out, &e), 0);
	assert_non_null(strstr(out.data, "no text change"));
	assert_non_null(strstr(out.data, "2024-10-21"));
	assert_non_null(strstr(out.data, "2024-11-01"));
	catalog_captures_free(v, n);
	buf_release(&out);
	catalog_close(c);
	rmarchive(dir);
}

/* ---- rebuild from WARC files ---- */

struct wctx {
	struct catalog *c;
	struct warc_writer *w;
	const char *dir;
	int64_t crawl;
};

/* Write in to the WARC and start ci as the crawler would from what the
 * writer says: crawl, URL, date, type, record id and place. */
static void w_write(struct wctx *x, const struct warc_record_in *in,
		    struct warc_record_out *out, struct catalog_capture_in *ci,
		    enum catalog_rtype type)
{
	struct err e;

	if (warc_writer_write(x->w, in, out, &e) < 0)
		fail_msg("%s", e.msg);
	memset(ci, 0, sizeof(*ci));
	ci->crawl_id = x->crawl;
	ci->url = in->target_uri;
	ci->date = out->date;
	ci->type = type;
	ci->record_id = out->id;
	ci->warc_file = out->filename;
	ci->offset = out->offset;
	ci->length = out->length;
}

static void w_response(struct wctx *x, const char *path, const char *date,
		       int status, const char *extra_head, const char *html)
{
	struct warc_record_in in;
	struct warc_record_out out;
	struct catalog_capture_in ci;
	struct catalog_http h;
	struct buf head = BUF_INIT(0);
	char url[256];
	struct err e;

	snprintf(url, sizeof(url), HOST "%s", path);
	buf_addf(&head, "HTTP/1.1 %d X\r\nContent-Type: text/html; charset=utf-8"
		 "\r\n%s\r\n", status, extra_head ? extra_head : "");
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_RESPONSE;
	in.target_uri = url;
	in.date = date;
	in.head = head.data;
	in.head_len = head.len;
	in.body = html;
	in.body_len = html ? strlen(html) : 0;
	w_write(x, &in, &out, &ci, CATALOG_RESPONSE);
	ci.payload_digest = out.payload_digest;
	assert_int_equal(catalog_capture_http(&ci, head.data, head.len, html,
					      in.body_len, &h, &e), 0);
	if (!strcmp(path, "/c")) {
		/* as the crawler does for a body it spooled to disk: no
		 * payload, the catalog reads the record back */
		ci.payload = NULL;
		ci.payload_len = 0;
	}
	if (catalog_add_capture(x->c, &ci, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_http_release(&h);
	buf_release(&head);
}

static void w_revisit(struct wctx *x, const char *path, const char *date)
{
	struct warc_record_in in;
	struct warc_record_out out;
	struct catalog_capture_in ci;
	struct catalog_prev prev;
	struct catalog_http h;
	const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
	char url[256];
	struct err e;

	snprintf(url, sizeof(url), HOST "%s", path);
	assert_int_equal(catalog_previous(x->c, url, &prev, &e), 1);
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_REVISIT;
	in.target_uri = url;
	in.date = date;
	in.profile = WARC_PROFILE_IDENTICAL;
	in.truncated = "length";
	in.payload_digest = prev.payload_digest;
	in.refers_to = prev.record_id;
	in.refers_to_target_uri = prev.target;
	in.refers_to_date = prev.date;
	in.head = head;
	in.head_len = strlen(head);
	w_write(x, &in, &out, &ci, CATALOG_REVISIT);
	ci.payload_digest = prev.payload_digest;
	ci.refers_to = prev.record_id;
	ci.refers_to_target = prev.target;
	ci.refers_to_date = prev.date;
	assert_int_equal(catalog_capture_http(&ci, head, strlen(head), NULL, 0,
					      &h, &e), 0);
	if (catalog_add_capture(x->c, &ci, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_http_release(&h);
	catalog_prev_release(&prev);
}

static void w_crawl(struct wctx *x, int k, const char *conf)
{
	struct warc_writer_opts o;
	struct warc_record_in in;
	struct buf info = BUF_INIT(0), sum = BUF_INIT(0);
	char start[40], uri[64], digest[48], prefix[32];
	const char *d1 = "Monday, 21 October 2024", *d2 = "Friday, 1 November 2024";
	char *h;
	struct err e;
	static const char *const paras1[] = { "Opening.", "Body one.", NULL };
	static const char *const paras2[] = { "Opening.", "Body two.", NULL };

	snprintf(start, sizeof(start), "2024-10-0%dT00:00:00Z", k);
	x->crawl = 0;
	if (catalog_crawl_begin(x->c, start, "test.conf", conf, &x->crawl, &e) < 0)
		fail_msg("%s", e.msg);
	catalog_config_digest(conf, digest);
	buf_addf(&info, "software: test\r\nisPartOf: govarch-crawl-%lld\r\n"
		 "govarch-config-name: test.conf\r\ngovarch-config-digest: %s\r\n",
		 (long long)x->crawl, digest);
	memset(&o, 0, sizeof(o));
	o.dir = x->dir;
	snprintf(prefix, sizeof(prefix), "test%d", k);
	o.prefix = prefix;
	o.format = k == 1 ? WARC_FMT_GZ : WARC_FMT_ZST;
	o.warcinfo = info.data;
	x->w = warc_writer_open(&o, &e);
	if (!x->w)
		fail_msg("%s", e.msg);
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_METADATA;
	snprintf(uri, sizeof(uri), CATALOG_CONFIG_URI "%lld", (long long)x->crawl);
	in.target_uri = uri;
	in.content_type = "text/plain; charset=utf-8";
	in.body = conf;
	in.body_len = strlen(conf);
	assert_int_equal(warc_writer_write(x->w, &in, NULL, &e), 0);

	h = page("A", k == 1 ? paras1 : paras2, k == 1 ? d1 : d2, "Foot");
	w_response(x, "/a", k == 1 ? "2024-10-01T00:00:01Z" :
		   "2024-10-02T00:00:01Z", 200, NULL, h);
	free(h);
	h = page("B", paras1, d1, "Foot");
	if (k == 1)
		w_response(x, "/b", "2024-10-01T00:00:02Z", 200, NULL, h);
	else
		w_revisit(x, "/b", "2024-10-02T00:00:02Z");
	free(h);
	h = page("C", k == 1 ? paras1 : paras2, d1, "Foot");
	w_response(x, "/c", k == 1 ? "2024-10-01T00:00:03Z" :
		   "2024-10-02T00:00:03Z", 200, NULL, h);
	free(h);
	if (k == 1) {
		h = page("D", paras1, d1, "Foot");
		w_response(x, "/d", "2024-10-01T00:00:04Z", 200, NULL, h);
		free(h);
	} else {
		w_response(x, "/d", "2024-10-02T00:00:04Z", 301,
			   "Location: /d2\r\n", "moved");
	}
	if (catalog_crawl_end(x->c, x->crawl, k == 1 ? "2024-10-01T01:00:00Z" :
			      "2024-10-02T01:00:00Z", "complete", 4, 4000, 0,
			      &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(catalog_crawl_summary_fields(x->c, x->crawl, &sum, &e), 0);
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_METADATA;
	snprintf(uri, sizeof(uri), CATALOG_CRAWL_URI "%lld", (long long)x->crawl);
	in.target_uri = uri;
	in.body = sum.data;
	in.body_len = sum.len;
	assert_int_equal(warc_writer_write(x->w, &in, NULL, &e), 0);
	assert_int_equal(warc_writer_close(x->w, &e), 0);
	buf_release(&info);
	buf_release(&sum);
}

static void answers(struct catalog *c, struct buf *out)
{
	struct catalog_changes ch;
	struct catalog_history_entry *v;
	struct catalog_crawl *cr;
	size_t n, i;
	struct err e;

	if (catalog_changes(c, 0, 0, &ch, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(catalog_changes_format(c, &ch, "json", out, &e), 0);
	catalog_changes_release(&ch);
	assert_int_equal(catalog_history(c, HOST "/b", &v, &n, &e), 0);
	for (i = 0; i < n; i++)
		buf_addf(out, "%s %lld %d %s %s %s\n", v[i].cap.ts,
			 (long long)v[i].cap.crawl_id, v[i].cap.status,
			 v[i].cap.last_updated, catalog_kind_name(v[i].kind),
			 v[i].cap.text_digest ? v[i].cap.text_digest : "-");
	catalog_history_free(v, n);
	assert_int_equal(catalog_crawls(c, &cr, &n, &e), 0);
	for (i = 0; i < n; i++)
		buf_addf(out, "%lld %s %s %s %llu %llu\n", (long long)cr[i].id,
			 cr[i].start, cr[i].end, cr[i].status,
			 (unsigned long long)cr[i].pages,
			 (unsigned long long)cr[i].bytes);
	free(cr);
}

static void test_rebuild_same_answers(void **state)
{
	char *dir = mkarchive();
	struct catalog *c;
	struct catalog_rebuild_stats st;
	struct buf before = BUF_INIT(0), after = BUF_INIT(0), cdx = BUF_INIT(0);
	struct wctx x;
	struct err e;
	const char *conf = "seed = http://site.test/\n"
			   "main = //main[@id='main-content']\n"
			   "remove = //nav[@aria-label='Breadcrumb']\n";
	char *p, *nl, *prev = NULL;
	size_t lines = 0;

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	assert_non_null(c);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.dir = dir;
	w_crawl(&x, 1, conf);
	w_crawl(&x, 2, conf);
	answers(c, &before);
	catalog_close(c);
	assert_non_null(strstr(before.data, "\"kind\":\"redirected\""));
	assert_non_null(strstr(before.data, "\"kind\":\"silent\""));
	assert_non_null(strstr(before.data, "\"kind\":\"edited\""));

	if (catalog_rebuild(dir, NULL, &st, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(st.problems, 0);
	assert_int_equal(st.crawls, 2);
	assert_int_equal(st.captures, 8);
	c = catalog_open(dir, 0, &e);
	assert_non_null(c);
	answers(c, &after);
	catalog_close(c);
	assert_string_equal(before.data, after.data);

	/* a plain index adds a foreign WARC (no govarch warcinfo) as an
	 * imported crawl and changes nothing else */
	{
		struct warc_writer_opts o;
		struct warc_writer *w;
		struct warc_record_in in;
		struct buf again = BUF_INIT(0);
		const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
		const char *body = "<html><body><main><p>Foreign page.</p></main></body></html>";
		struct catalog_crawl cr;

		memset(&o, 0, sizeof(o));
		o.dir = dir;
		o.prefix = "zforeign";
		o.format = WARC_FMT_PLAIN;
		o.warcinfo = "software: other-tool/1.0\r\n";
		w = warc_writer_open(&o, &e);
		assert_non_null(w);
		memset(&in, 0, sizeof(in));
		in.type = WARC_T_RESPONSE;
		in.target_uri = "http://other.test/";
		in.date = "2024-09-01T00:00:00Z";
		in.head = head;
		in.head_len = strlen(head);
		in.body = body;
		in.body_len = strlen(body);
		assert_int_equal(warc_writer_write(w, &in, NULL, &e), 0);
		assert_int_equal(warc_writer_close(w, &e), 0);
		if (catalog_index_new(dir, NULL, &st, &e) < 0)
			fail_msg("%s", e.msg);
		assert_int_equal(st.files, 1);
		assert_int_equal(st.captures, 1);
		if (catalog_index_new(dir, NULL, &st, &e) < 0)
			fail_msg("%s", e.msg);
		assert_int_equal(st.files, 0);
		c = catalog_open(dir, 0, &e);
		assert_non_null(c);
		assert_int_equal(catalog_crawl_get(c, 3, &cr, &e), 1);
		assert_string_equal(cr.status, "imported");
		answers(c, &again);
		catalog_close(c);
		/* crawls 1 and 2 answer as before; crawl 3 is listed after */
		assert_memory_equal(again.data, after.data, after.len);
		buf_release(&again);
	}

	/* CDXJ: byte-sorted, one line per response/revisit, each offset and
	 * length pointing at its record */
	assert_int_equal(catalog_cdxj(dir, &cdx, NULL, &e), 0);
	assert_non_null(strstr(cdx.data, "\"mime\": \"warc/revisit\", "
			       "\"digest\": \"sha1:"));
	assert_non_null(strstr(cdx.data, "test,site)/a 20241001000001 {\"url\": "
			       "\"http://site.test/a\", \"mime\": \"text/html\", "
			       "\"status\": \"200\", \"digest\": \"sha1:"));
	for (p = cdx.data; *p; p = nl + 1) {
		struct warc_reader *r;
		struct warc_record *rec;
		char file[256], url[256], path[600];
		unsigned long long off, len;

		nl = strchr(p, '\n');
		assert_non_null(nl);
		*nl = '\0';
		if (prev)
			assert_true(strcmp(prev, p) < 0);
		prev = p;
		lines++;
		assert_int_equal(sscanf(strstr(p, "\"url\": \""),
					"\"url\": \"%255[^\"]", url), 1);
		assert_int_equal(sscanf(strstr(p, "\"length\": \""),
					"\"length\": \"%llu", &len), 1);
		assert_int_equal(sscanf(strstr(p, "\"offset\": \""),
					"\"offset\": \"%llu", &off), 1);
		assert_int_equal(sscanf(strstr(p, "\"filename\": \""),
					"\"filename\": \"%255[^\"]", file), 1);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		r = warc_reader_open(path, &e);
		assert_non_null(r);
		assert_int_equal(warc_reader_seek(r, off, &e), 0);
		assert_int_equal(warc_reader_next(r, &rec, &e), 1);
		assert_string_equal(rec->target_uri, url);
		assert_int_equal(rec->length, len);
		warc_reader_free(r);
	}
	assert_int_equal(lines, 9);
	buf_release(&before);
	buf_release(&after);
	buf_release(&cdx);
	rmarchive(dir);
}

/* Hostile payloads labelled text/html: never a crash, the capture kept. */
static void test_hostile_pages(void **state)
{
	char *dir = mkarchive();
	struct catalog *c;
	struct catalog_history_entry *v;
	struct buf b = BUF_INIT(0);
	uint32_t seed = 7;
	size_t n, i;
	char path[32];
	struct err e;

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	assert_non_null(c);
	begin(c, "2024-10-01T00:00:00Z");
	for (i = 0; i < 6; i++) {
		size_t k;

		buf_reset(&b);
		switch (i) {
		case 0:         /* random bytes */
			for (k = 0; k < 20000; k++) {
				seed = seed * 1103515245u + 12345u;
				buf_addc(&b, (char)((seed >> 16) | 1));
			}
			break;
		case 1:         /* an <a> never closed, then the footer */
			buf_adds(&b, "<html><body><a href=/x>menu<footer><p>F</p>"
				 "</footer><main><p>Text</p></main>");
			break;
		case 2:         /* very deep nesting */
			for (k = 0; k < 5000; k++)
				buf_adds(&b, "<div><span>");
			buf_adds(&b, "<main><p>deep</p></main>");
			break;
		case 3:         /* unterminated everything */
			buf_adds(&b, "<html><body><p>x<!-- never closed <script>");
			break;
		case 4:         /* one huge line of entities */
			for (k = 0; k < 20000; k++)
				buf_adds(&b, "&amp;&#x41;&bogus;<");
			break;
		default:        /* empty body */
			break;
		}
		snprintf(path, sizeof(path), "/h%zu", i);
		add_html(c, 1, path, "2024-10-01T00:00:01Z", b.len ? b.data : "");
	}
	end(c, 1, NULL);
	for (i = 0; i < 6; i++) {
		snprintf(path, sizeof(path), HOST "/h%zu", i);
		assert_int_equal(catalog_history(c, path, &v, &n, &e), 0);
		assert_int_equal(n, 1);
		catalog_history_free(v, n);
	}
	buf_release(&b);
	catalog_close(c);
	rmarchive(dir);
}

/* One value from the catalog file, read with SQLite directly. */
static long long sql_int(const char *dir, const char *sql)
{
	char path[4200];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, CATALOG_FILE);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Texts are stored as zstd frames, first without a dictionary, then (after
 * catalog_compact) all with the one trained on them; every text reads back
 * as it went in, before and after, and a capture added after compacting
 * too.  A row at the same (file, offset) is replaced, not doubled. */
static void test_compressed_texts(void **state)
{
	enum { N = 40 };
	char *dir = mkarchive(), *h, path[32], title[32], para[N][160];
	char want[N][512];
	struct catalog_history_entry *v;
	struct catalog *c;
	struct buf t = BUF_INIT(0);
	size_t n, i;
	struct err e;
	char digest[N][48];

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	assert_non_null(c);
	begin(c, "2024-10-01T00:00:00Z");
	for (i = 0; i < N; i++) {
		const char *paras[] = { para[i], "The office publishes "
					"guidance on national security.", NULL };

		snprintf(para[i], sizeof(para[i]), "Paragraph %zu on cabinet "
			 "policy and the public service, reviewed %zu times.",
			 i, i * 7);
		snprintf(want[i], sizeof(want[i]), "Page %zu\n%.159s\n%s\n", i,
			 para[i], paras[1]);
		snprintf(path, sizeof(path), "/p%zu", i);
		snprintf(title, sizeof(title), "Page %zu", i);
		h = page(title, paras, "Monday, 21 October 2024", "Footer");
		add_html(c, 1, path, "2024-10-01T00:00:01Z", h);
		free(h);
	}
	end(c, 1, "2024-10-01T01:00:00Z");
	for (i = 0; i < N; i++) {
		snprintf(path, sizeof(path), HOST "/p%zu", i);
		assert_int_equal(catalog_history(c, path, &v, &n, &e), 0);
		assert_int_equal(n, 1);
		snprintf(digest[i], sizeof(digest[i]), "%s", v[0].cap.text_digest);
		catalog_history_free(v, n);
		buf_reset(&t);
		assert_int_equal(catalog_text(c, digest[i], &t, &e), 0);
		assert_string_equal(t.data, want[i]);
	}
	assert_int_equal(sql_int(dir, "SELECT count(*) FROM texts WHERE "
				 "typeof(body) != 'blob'"), 0);
	assert_int_equal(sql_int(dir, "SELECT count(*) FROM zdicts"), 0);
	assert_int_equal(catalog_compact(c, &e), 0);
	assert_int_equal(sql_int(dir, "SELECT count(*) FROM zdicts"), 1);
	assert_int_equal(catalog_compact(c, &e), 0);    /* once only */
	assert_int_equal(sql_int(dir, "SELECT count(*) FROM zdicts"), 1);
	for (i = 0; i < N; i++) {
		buf_reset(&t);
		assert_int_equal(catalog_text(c, digest[i], &t, &e), 0);
		assert_string_equal(t.data, want[i]);
	}
	/* a new text after the dictionary, and the same record added twice */
	begin(c, "2024-10-02T00:00:00Z");
	{
		const char *paras[] = { "A new paragraph.", NULL };

		h = page("New", paras, NULL, "Footer");
		add_html(c, 2, "/new", "2024-10-02T00:00:01Z", h);
		g_offset--;
		add_html(c, 2, "/new", "2024-10-02T00:00:01Z", h);
		free(h);
	}
	end(c, 2, "2024-10-02T01:00:00Z");
	assert_int_equal(catalog_history(c, HOST "/new", &v, &n, &e), 0);
	assert_int_equal(n, 1);
	buf_reset(&t);
	assert_int_equal(catalog_text(c, v[0].cap.text_digest, &t, &e), 0);
	assert_string_equal(t.data, "New\nA new paragraph.\n");
	catalog_history_free(v, n);
	assert_int_equal(sql_int(dir, "SELECT count(*) FROM texts WHERE "
				 "typeof(body) != 'blob'"), 0);
	buf_release(&t);
	catalog_close(c);
	rmarchive(dir);
}

/* Texts stored without a dictionary, counted from SQLite directly: each
 * body's zstd frame names its dictionary or none. */
static long long texts_without_dict(const char *dir)
{
	char path[4200];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, CATALOG_FILE);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT body FROM texts", -1,
					    &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		n += !ZSTD_getDictID_fromFrame(sqlite3_column_blob(st, 0),
					       (size_t)sqlite3_column_bytes(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* A large first crawl: once 4 MB of main texts are stored the catalog
 * trains its dictionary there and then (every text so far compressed
 * again with it, every later one with it from the start), without waiting
 * for catalog_compact at the crawl's end, which then only vacuums; every
 * text reads back as it went in. */
static void test_texts_dict_trained_early(void **state)
{
	enum { N = 48, WORDS = 14000 };
	static const char *const vocab[] = { "cabinet", "policy", "minister",
		"security", "public", "service", "national", "office", "review",
		"guidance", "report", "council", "emergency", "honours" };
	char *dir = mkarchive(), *h, path[32], title[32];
	struct catalog *c;
	struct buf para = BUF_INIT(0), want = BUF_INIT(0), t = BUF_INIT(0);
	struct catalog_history_entry *v;
	unsigned seed = 1;
	size_t i, k, n;
	struct err e;

	(void)state;
	c = catalog_open(dir, CATALOG_CREATE, &e);
	assert_non_null(c);
	begin(c, "2024-10-01T00:00:00Z");
	for (i = 0; i < N; i++) {
		const char *paras[2] = { NULL, NULL };

		buf_reset(&para);
		for (k = 0; k < WORDS; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_addf(&para, "%s%s", k ? " " : "",
				 vocab[(seed >> 16) % 14]);
		}
		paras[0] = para.data;
		snprintf(path, sizeof(path), "/big%zu", i);
		snprintf(title, sizeof(title), "Page %zu", i);
		h = page(title, paras, NULL, "Footer");
		add_html(c, 1, path, "2024-10-01T00:00:01Z", h);
		free(h);
		if (i == 31) {  /* ~3.3 MB of texts: none yet */
			assert_int_equal(sql_int(dir, "SELECT count(*) FROM "
						 "zdicts"), 0);
			assert_int_equal(texts_without_dict(dir), 32);
		}
		if (i == N - 1) {
			buf_reset(&want);
			buf_addf(&want, "Page %zu\n%s\n", i, para.data);
		}
	}
	assert_int_equal(sql_int(dir, "SELECT count(*) FROM zdicts"), 1);
	assert_int_equal(texts_without_dict(dir), 0);
	end(c, 1, "2024-10-01T01:00:00Z");
	assert_int_equal(catalog_compact(c, &e), 0);
	assert_int_equal(sql_int(dir, "SELECT count(*) FROM zdicts"), 1);
	assert_int_equal(texts_without_dict(dir), 0);
	assert_int_equal(catalog_history(c, HOST "/big47", &v, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(catalog_text(c, v[0].cap.text_digest, &t, &e), 0);
	assert_string_equal(t.data, want.data);
	catalog_history_free(v, n);
	buf_release(&para);
	buf_release(&want);
	buf_release(&t);
	catalog_close(c);
	rmarchive(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crawls),
		cmocka_unit_test(test_history_and_text),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_changes_kinds),
		cmocka_unit_test(test_changes_unreached),
		cmocka_unit_test(test_diff_render),
		cmocka_unit_test(test_rebuild_same_answers),
		cmocka_unit_test(test_hostile_pages),
		cmocka_unit_test(test_compressed_texts),
		cmocka_unit_test(test_texts_dict_trained_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
