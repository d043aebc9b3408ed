/* Unit tests for src/replay: the request target parser, query parameters,
 * Accept-Datetime, the nearest capture, Memento links and timemaps, and
 * HTML/CSS rewriting, with exact expected outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "replay/replay.h"

static void parse_ok(const char *raw, enum replay_route route, const char *ts,
		     const char *mod, const char *url, const char *query)
{
	struct replay_req r;
	struct err e = { "" };
	int rc = replay_parse_request(raw, &r, &e);

	if (rc)
		fail_msg("%s: %d %s", raw, rc, e.msg);
	assert_int_equal(r.route, route);
	assert_string_equal(r.ts, ts);
	assert_string_equal(r.mod, mod);
	if (url)
		assert_string_equal(r.url, url);
	else
		assert_null(r.url);
	if (query)
		assert_string_equal(r.query, query);
	else
		assert_null(r.query);
	replay_req_release(&r);
}

static void parse_bad(const char *raw, int status)
{
	struct replay_req r;
	struct err e = { "" };
	int rc = replay_parse_request(raw, &r, &e);

	if (rc != status)
		fail_msg("%s: expected %d, got %d", raw, status, rc);
	assert_true(e.msg[0] != '\0');
	assert_null(r.url);
	assert_null(r.query);
}

static void test_routes(void **state)
{
	(void)state;
	parse_ok("/20241021093000/https://www.dpmc.govt.nz/a?b=1&c=2",
		 REPLAY_R_REPLAY, "20241021093000", "",
		 "https://www.dpmc.govt.nz/a?b=1&c=2", NULL);
	parse_ok("/2024id_/http://x.nz/", REPLAY_R_REPLAY, "2024", "id_",
		 "http://x.nz/", NULL);
	parse_ok("/2024im_/x.nz/logo.png", REPLAY_R_REPLAY, "2024", "im_",
		 "http://x.nz/logo.png", NULL);
	parse_ok("/2024/http%3A%2F%2Fx.nz%2Fa", REPLAY_R_REPLAY, "2024", "",
		 "http://x.nz/a", NULL);
	parse_ok("/2024/https:/x.nz/a", REPLAY_R_REPLAY, "2024", "",
		 "https://x.nz/a", NULL);
	parse_ok("/http://x.nz/", REPLAY_R_TIMEGATE, "", "", "http://x.nz/",
		 NULL);
	parse_ok("/x.nz/a", REPLAY_R_TIMEGATE, "", "", "http://x.nz/a", NULL);
	parse_ok("/timegate/http://x.nz/", REPLAY_R_TIMEGATE, "", "",
		 "http://x.nz/", NULL);
	parse_ok("/timemap/link/http://x.nz/", REPLAY_R_TIMEMAP_LINK, "", "",
		 "http://x.nz/", NULL);
	parse_ok("/timemap/http://x.nz/", REPLAY_R_TIMEMAP_LINK, "", "",
		 "http://x.nz/", NULL);
	parse_ok("/timemap/json/http://x.nz/", REPLAY_R_TIMEMAP_JSON, "", "",
		 "http://x.nz/", NULL);
	parse_ok("/calendar/http://x.nz/a?b", REPLAY_R_CALENDAR, "", "",
		 "http://x.nz/a?b", NULL);
	parse_ok("/diff/20240101/20250101120000/http://x.nz/a", REPLAY_R_DIFF,
		 "20240101", "", "http://x.nz/a", NULL);
	parse_ok("/cdx?url=x.nz/*&output=json", REPLAY_R_CDX, "", "", NULL,
		 "url=x.nz/*&output=json");
	parse_ok("/cdx", REPLAY_R_CDX, "", "", NULL, NULL);
	parse_ok("/", REPLAY_R_INDEX, "", "", NULL, NULL);
	parse_ok("/?prefix=http%3A%2F%2Fx.nz%2Fnews", REPLAY_R_INDEX, "", "", NULL,
		 "prefix=http%3A%2F%2Fx.nz%2Fnews");
	parse_ok("/changes?from=1&to=2", REPLAY_R_CHANGES, "", "", NULL,
		 "from=1&to=2");
	parse_ok("/favicon", REPLAY_R_UNKNOWN, "", "", NULL, NULL);
}

static void test_refused(void **state)
{
	char big[REPLAY_MAX_URI + 10];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	parse_bad(big, 414);
	parse_bad("", 400);
	parse_bad("2024/http://x/", 400);
	parse_bad("/2024/http://x/../etc/passwd", 400);
	parse_bad("/2024/http://x/%2e%2E/etc", 400);
	parse_bad("/2024/http://x/..%2fetc", 400);
	parse_bad("/2024/http://x/..\\etc", 400);
	parse_bad("/2024/http://x/./a", 400);
	parse_bad("/2024/http%3A%2F%2Fx%2Fa%2F..%3Fb", 400);
	parse_bad("/2024/http://x/a%00", 400);
	parse_bad("/2024/http://x/a%zz", 400);
	parse_bad("/2024/http://x/a%4", 400);
	parse_bad("/2024/http://x/a\tb", 400);
	parse_bad("/123456789012345/http://x/", 400);
	parse_bad("/2024xx_/http://x/", 400);
	parse_bad("/2024id/http://x/", 400);
	parse_bad("/2024/", 400);
	parse_bad("/diff/2024/http://x/", 400);
	/* a query may hold what a path may not */
	parse_ok("/2024/http://x/a?p=../b", REPLAY_R_REPLAY, "2024", "",
		 "http://x/a?p=../b", NULL);
}

static void test_query(void **state)
{
	const char *q = "url=http%3A%2F%2Fx.nz%2F&matchType=prefix&q=a+b&e=&f";
	char *v;

	(void)state;
	assert_int_equal(replay_query_get(q, "url", &v), 1);
	assert_string_equal(v, "http://x.nz/");
	free(v);
	assert_int_equal(replay_query_get(q, "q", &v), 1);
	assert_string_equal(v, "a b");
	free(v);
	assert_int_equal(replay_query_get(q, "e", &v), 1);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(replay_query_get(q, "f", &v), 1);
	assert_string_equal(v, "");
	free(v);
	assert_int_equal(replay_query_get(q, "match", &v), 0);
	assert_null(v);
	assert_int_equal(replay_query_get(NULL, "url", &v), 0);
	assert_int_equal(replay_query_get("url=a%00", "url", &v), -1);
	assert_int_equal(replay_query_get("url=a%g0", "url", &v), -1);
}

static void test_accept_datetime(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(replay_accept_datetime("Thu, 01 Apr 2010 00:00:00 GMT",
						&t), 0);
	assert_int_equal(t, 1270080000);
	assert_int_equal(replay_accept_datetime("Sun, 06 Nov 1994 08:49:37 GMT",
						&t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(replay_accept_datetime("Mon, 06 Nov 1994 08:49:37 GMT",
						&t), -1);  /* wrong weekday */
	assert_int_equal(replay_accept_datetime("Sat, 31 Feb 2024 00:00:00 GMT",
						&t), -1);
	assert_int_equal(replay_accept_datetime("Sunday, 06-Nov-94 08:49:37 GMT",
						&t), -1);
	assert_int_equal(replay_accept_datetime("Sun Nov  6 08:49:37 1994", &t),
			 -1);
	assert_int_equal(replay_accept_datetime("Thu, 01 Apr 2010 00:00:00 UTC",
						&t), -1);
	assert_int_equal(replay_accept_datetime("Thu, 01 Apr 2010 24:00:00 GMT",
						&t), -1);
	assert_int_equal(replay_accept_datetime("Thu, 1 Apr 2010 00:00:00 GMT",
						&t), -1);
	assert_int_equal(replay_accept_datetime("", &t), -1);
	assert_int_equal(replay_accept_datetime(NULL, &t), -1);
}

static struct catalog_capture cap(int64_t id, const char *ts)
{
	struct catalog_capture c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	strcpy(c.ts, ts);
	return c;
}

static void test_nearest(void **state)
{
	struct catalog_capture v[3] = {
		cap(1, "20240101000000"), cap(2, "20240101000010"),
		cap(3, "20250101000000"),
	};
	time_t t;

	(void)state;
	assert_int_equal(replay_nearest(v, 0, 0), -1);
	assert_int_equal(replay_ts_time("2024", &t), 0);
	assert_int_equal(replay_nearest(v, 3, t), 0);
	assert_int_equal(replay_ts_time("20240101000004", &t), 0);
	assert_int_equal(replay_nearest(v, 3, t), 0);
	/* a tie: the earlier */
	assert_int_equal(replay_ts_time("20240101000005", &t), 0);
	assert_int_equal(replay_nearest(v, 3, t), 0);
	assert_int_equal(replay_ts_time("20240101000006", &t), 0);
	assert_int_equal(replay_nearest(v, 3, t), 1);
	assert_int_equal(replay_ts_time("2099", &t), 0);
	assert_int_equal(replay_nearest(v, 3, t), 2);
	assert_int_equal(replay_ts_time("1999", &t), 0);
	assert_int_equal(replay_nearest(v, 3, t), 0);
	assert_int_equal(replay_ts_time("2024x", &t), -1);
	assert_int_equal(replay_ts_time("", &t), -1);
	/* a revisit is served from the capture it refers to */
	v[2].type = CATALOG_REVISIT;
	v[2].orig_id = 2;
	assert_ptr_equal(replay_original(v, 3, 2), &v[1]);
	assert_ptr_equal(replay_original(v, 3, 0), &v[0]);
	v[2].orig_id = 99;
	assert_null(replay_original(v, 3, 2));
}

static void test_memento(void **state)
{
	struct catalog_capture v[3] = {
		cap(1, "20240101000000"), cap(2, "20240102000000"),
		cap(3, "20240103000000"),
	};
	struct buf b = BUF_INIT(0);
	const char *head = "<http://x/>; rel=\"original\", "
		"</timegate/http://x/>; rel=\"timegate\", "
		"</timemap/link/http://x/>; rel=\"timemap\"; "
		"type=\"application/link-format\"";
	char want[2048];

	(void)state;
	replay_memento_link(v, 3, 1, "http://x/", &b);
	snprintf(want, sizeof(want), "%s, "
		 "</20240101000000/http://x/>; rel=\"first prev memento\"; "
		 "datetime=\"Mon, 01 Jan 2024 00:00:00 GMT\", "
		 "</20240102000000/http://x/>; rel=\"memento\"; "
		 "datetime=\"Tue, 02 Jan 2024 00:00:00 GMT\", "
		 "</20240103000000/http://x/>; rel=\"last next memento\"; "
		 "datetime=\"Wed, 03 Jan 2024 00:00:00 GMT\"", head);
	assert_string_equal(b.data, want);
	buf_reset(&b);
	replay_memento_link(v, 1, 0, "http://x/", &b);
	snprintf(want, sizeof(want), "%s, "
		 "</20240101000000/http://x/>; rel=\"first last memento\"; "
		 "datetime=\"Mon, 01 Jan 2024 00:00:00 GMT\"", head);
	assert_string_equal(b.data, want);
	buf_reset(&b);
	replay_timemap_link(v, 2, "http://x/", &b);
	assert_string_equal(b.data,
		"<http://x/>; rel=\"original\",\n"
		"</timemap/link/http://x/>; rel=\"self\"; "
		"type=\"application/link-format\"; "
		"from=\"Mon, 01 Jan 2024 00:00:00 GMT\"; "
		"until=\"Tue, 02 Jan 2024 00:00:00 GMT\",\n"
		"</timegate/http://x/>; rel=\"timegate\",\n"
		"</20240101000000/http://x/>; rel=\"first memento\"; "
		"datetime=\"Mon, 01 Jan 2024 00:00:00 GMT\",\n"
		"</20240102000000/http://x/>; rel=\"last memento\"; "
		"datetime=\"Tue, 02 Jan 2024 00:00:00 GMT\"\n");
	buf_reset(&b);
	replay_timemap_json(v, 1, "http://x/\"", &b);
	assert_string_equal(b.data,
		"{\"original_uri\": \"http://x/\\\"\", "
		"\"timegate_uri\": \"/timegate/http://x/\\\"\", "
		"\"timemap_uri\": {\"link_format\": \"/timemap/link/http://x/\\\"\", "
		"\"json_format\": \"/timemap/json/http://x/\\\"\"}, "
		"\"mementos\": {\"first\": {\"datetime\": \"2024-01-01T00:00:00Z\", "
		"\"uri\": \"/20240101000000/http://x/\\\"\"}, "
		"\"last\": {\"datetime\": \"2024-01-01T00:00:00Z\", "
		"\"uri\": \"/20240101000000/http://x/\\\"\"}, "
		"\"list\": [{\"datetime\": \"2024-01-01T00:00:00Z\", "
		"\"uri\": \"/20240101000000/http://x/\\\"\"}]}}\n");
	buf_release(&b);
}

static void test_rewrite_html(void **state)
{
	const char *page =
		"<!DOCTYPE html>\n<html><head><base href=\"/dir/\">"
		"<link rel=\"stylesheet\" href=\"s.css\">"
		"<style>body{background:url('/bg.png')}@import \"i.css\";</style>"
		"<script src=\"//cdn.example.org/j.js\"></script>"
		"<meta http-equiv=\"refresh\" content=\"5; url=/next\">"
		"</head><body class=\"x\"><a href=\"page?a=1&amp;b=2\">p</a>"
		"<a href=\"#top\">t</a><a href=\"mailto:a@b\">m</a>"
		"<img src=\"i.png\" srcset=\"a.png 1x, b.png 2x\" "
		"style=\"background: url(c.png)\">"
		"<form action=\"/search\"></form><video poster=\"v.jpg\"></video>"
		"<div data-href=\"/d\">\xc3\xa9</div>"
		"<iframe src=\"https://other.org/f\"></iframe></body></html>\n";
	const char *want =
		"<!DOCTYPE html>\n<html><head>"
		"<base href=\"/20240101000000/http://x.nz/dir/\">"
		"<link rel=\"stylesheet\" href=\"/20240101000000cs_/http://x.nz/dir/s.css\">"
		"<style>body{background:url('/20240101000000im_/http://x.nz/bg.png')}"
		"@import \"/20240101000000cs_/http://x.nz/dir/i.css\";</style>"
		"<script src=\"/20240101000000js_/http://cdn.example.org/j.js\"></script>"
		"<meta http-equiv=\"refresh\" content=\"5; url=/20240101000000/http://x.nz/next\">"
		"</head><body class=\"x\"><div id=\"govarch-banner\">B</div>"
		"<a href=\"/20240101000000/http://x.nz/dir/page?a=1&amp;b=2\">p</a>"
		"<a href=\"#top\">t</a><a href=\"mailto:a@b\">m</a>"
		"<img src=\"/20240101000000im_/http://x.nz/dir/i.png\" "
		"srcset=\"/20240101000000im_/http://x.nz/dir/a.png 1x, "
		"/20240101000000im_/http://x.nz/dir/b.png 2x\" "
		"style=\"background: url(/20240101000000im_/http://x.nz/dir/c.png)\">"
		"<form action=\"/20240101000000/http://x.nz/search\"></form>"
		"<video poster=\"/20240101000000im_/http://x.nz/dir/v.jpg\"></video>"
		"<div data-href=\"/20240101000000/http://x.nz/d\">\xc3\xa9</div>"
		"<iframe src=\"/20240101000000if_/https://other.org/f\"></iframe>"
		"</body></html>\n";
	struct buf out = BUF_INIT(0);
	struct err e = { "" };

	(void)state;
	if (replay_rewrite_html(page, strlen(page), "text/html; charset=utf-8",
				"http://x.nz/a/b", "20240101000000",
				"<div id=\"govarch-banner\">B</div>", &out,
				&e) < 0)
		fail_msg("%s", e.msg);
	if (strcmp(out.data, want))
		fail_msg("got:\n%s\nwant:\n%s", out.data, want);
	buf_release(&out);
}

static void test_rewrite_css(void **state)
{
	const char *css = "@import url(\"a.css\");\n"
		"/* url(skip.png) */ .x { background: url( '../i m.png' ) }\n"
		".y { background: url(data:image/png;base64,AAAA) }\n"
		"@import 'b.css' screen;\n";
	const char *want = "@import url(\"/2024cs_/http://x.nz/css/a.css\");\n"
		"/* url(skip.png) */ .x { background: url( '/2024im_/http://x.nz/i%20m.png' ) }\n"
		".y { background: url(data:image/png;base64,AAAA) }\n"
		"@import '/2024cs_/http://x.nz/css/b.css' screen;\n";
	struct buf out = BUF_INIT(0);
	struct err e = { "" };

	(void)state;
	assert_int_equal(replay_rewrite_css(css, strlen(css),
					    "http://x.nz/css/s.css", "2024",
					    &out, &e), 0);
	assert_string_equal(out.data, want);
	buf_release(&out);
}

/* A page in another charset comes out as UTF-8 (the server says so). */
static void test_rewrite_charset(void **state)
{
	const char *page = "<html><head><meta charset=\"windows-1252\"></head>"
		"<body><p>caf\xe9 \x93q\x94</p></body></html>";
	struct buf out = BUF_INIT(0);
	struct err e = { "" };

	(void)state;
	assert_int_equal(replay_rewrite_html(page, strlen(page), "text/html",
					     "http://x.nz/", "2024", NULL,
					     &out, &e), 0);
	if (strcmp(out.data, "<html><head><meta charset=\"utf-8\"></head>"
		   "<body><p>caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d</p></body>"
		   "</html>\n"))
		fail_msg("got:\n%s", out.data);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_accept_datetime),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_memento),
		cmocka_unit_test(test_rewrite_html),
		cmocka_unit_test(test_rewrite_css),
		cmocka_unit_test(test_rewrite_charset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
