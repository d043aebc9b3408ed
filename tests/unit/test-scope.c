/* Unit tests for src/crawl/scope: scope, excludes and trap rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crawl/scope.h"

static const char *const HOSTS[] = { "www.dpmc.govt.nz", "127.0.0.1:8000" };
static const char *const EXCLUDES[] = {
	"/search(-results)?\\?",
	"[?&]f(%5B|\\[)",
	"\\.ics$",
};

static struct crawl_scope *dpmc_scope(void)
{
	struct crawl_scope_config c;
	struct err e = { "" };
	struct crawl_scope *s;

	crawl_scope_config_init(&c);
	c.hosts = HOSTS;
	c.nhosts = 2;
	c.excludes = EXCLUDES;
	c.nexcludes = 3;
	c.max_hops = 3;
	c.max_path_depth = 6;
	c.max_query_variants = 3;
	s = crawl_scope_new(&c, &e);
	if (!s)
		fail_msg("%s", e.msg);
	return s;
}

#define CHECK(s, url, hops, req, via, expect) \
	assert_string_equal(crawl_scope_reason_name( \
		crawl_scope_check((s), (url), (hops), (req), (via))), (expect))

static void test_hosts(void **state)
{
	struct crawl_scope *s = dpmc_scope();

	(void)state;
	CHECK(s, "https://www.dpmc.govt.nz/", 0, 0, 0, "accept");
	CHECK(s, "http://www.dpmc.govt.nz/about", 1, 0, 0, "accept");
	CHECK(s, "http://127.0.0.1:8000/a", 1, 0, 0, "accept");
	CHECK(s, "http://127.0.0.1:9000/a", 1, 0, 0, "out-of-scope");
	CHECK(s, "http://127.0.0.1/a", 1, 0, 0, "out-of-scope");
	CHECK(s, "https://d7.dpmc.govt.nz/", 1, 0, 0, "out-of-scope");
	CHECK(s, "https://example.org/", 1, 0, 0, "out-of-scope");
	CHECK(s, "mailto:x@y", 1, 0, 0, "bad-url");
	assert_int_equal(crawl_scope_in_scope(s, "https://www.dpmc.govt.nz/x"), 1);
	assert_int_equal(crawl_scope_in_scope(s, "https://example.org/x"), 0);
	crawl_scope_free(s);
	crawl_scope_free(NULL);
}

static void test_requisites(void **state)
{
	struct crawl_scope *s = dpmc_scope();

	(void)state;
	/* an image on a CDN, embedded by an in-scope page */
	CHECK(s, "https://cdn.example.net/logo.png", 1, 1, 1, "accept");
	/* embedded by an out-of-scope resource: no second hop */
	CHECK(s, "https://fonts.example.net/a.woff2", 2, 1, 0, "out-of-scope");
	/* linked, not embedded */
	CHECK(s, "https://cdn.example.net/page.html", 1, 0, 1, "out-of-scope");
	/* requisites of the deepest pages still come */
	CHECK(s, "https://www.dpmc.govt.nz/deep", 3, 0, 0, "accept");
	CHECK(s, "https://www.dpmc.govt.nz/deeper", 4, 0, 0, "too-deep");
	CHECK(s, "https://www.dpmc.govt.nz/style.css", 4, 1, 1, "accept");
	CHECK(s, "https://www.dpmc.govt.nz/style2.css", 5, 1, 1, "too-deep");
	/* excludes apply to requisites too */
	CHECK(s, "https://cdn.example.net/cal.ics", 1, 1, 1, "excluded");
	crawl_scope_free(s);
}

static void test_prefixes_and_wildcards(void **state)
{
	static const char *const hosts[] = { "*.dpmc.govt.nz" };
	static const char *const prefixes[] = {
		"/news/", "http://127.0.0.1:8000/site/",
	};
	struct crawl_scope_config c;
	struct crawl_scope *s;

	(void)state;
	crawl_scope_config_init(&c);
	c.prefixes = prefixes;
	c.nprefixes = 2;
	s = crawl_scope_new(&c, NULL);
	assert_non_null(s);
	CHECK(s, "https://any.host/news/item", 1, 0, 0, "accept");
	CHECK(s, "https://any.host/newsletter", 1, 0, 0, "out-of-scope");
	CHECK(s, "http://127.0.0.1:8000/site/a", 1, 0, 0, "accept");
	CHECK(s, "http://127.0.0.1:8000/other", 1, 0, 0, "out-of-scope");
	crawl_scope_free(s);

	crawl_scope_config_init(&c);
	c.hosts = hosts;
	c.nhosts = 1;
	s = crawl_scope_new(&c, NULL);
	CHECK(s, "https://dpmc.govt.nz/", 0, 0, 0, "accept");
	CHECK(s, "https://www.dpmc.govt.nz/", 0, 0, 0, "accept");
	CHECK(s, "https://d7.DPMC.govt.nz/", 0, 0, 0, "accept");
	CHECK(s, "https://notdpmc.govt.nz/", 0, 0, 0, "out-of-scope");
	CHECK(s, "https://dpmc.govt.nz.evil.com/", 0, 0, 0, "out-of-scope");
	crawl_scope_free(s);
}

static void test_excludes(void **state)
{
	struct crawl_scope *s = dpmc_scope();
	static const char *const bad[] = { "(unclosed" };
	struct crawl_scope_config c;
	struct err e = { "" };

	(void)state;
	CHECK(s, "https://www.dpmc.govt.nz/search?q=x", 1, 0, 0, "excluded");
	CHECK(s, "https://www.dpmc.govt.nz/search-results?f%5B0%5D=a", 1, 0, 0,
	      "excluded");
	CHECK(s, "https://www.dpmc.govt.nz/news?page=2&f%5B1%5D=b", 1, 0, 0,
	      "excluded");
	CHECK(s, "https://www.dpmc.govt.nz/search", 1, 0, 0, "accept");
	CHECK(s, "https://www.dpmc.govt.nz/news?page=2", 1, 0, 0, "accept");
	crawl_scope_free(s);

	crawl_scope_config_init(&c);
	c.excludes = bad;
	c.nexcludes = 1;
	assert_null(crawl_scope_new(&c, &e));
	assert_non_null(strstr(e.msg, "(unclosed"));
}

static void test_path_rules(void **state)
{
	struct crawl_scope *s = dpmc_scope();

	(void)state;
	assert_int_equal(crawl_scope_path_depth("/"), 1);
	assert_int_equal(crawl_scope_path_depth("/a/b/c"), 3);
	assert_int_equal(crawl_scope_path_depth("/a/b/"), 3);
	CHECK(s, "https://www.dpmc.govt.nz/1/2/3/4/5/6", 1, 0, 0, "accept");
	CHECK(s, "https://www.dpmc.govt.nz/1/2/3/4/5/6/7", 1, 0, 0, "path-too-deep");

	/* Heritrix's .*?/(.*?/)\1{2,}.* : three in a row */
	assert_int_equal(crawl_scope_path_repeats("/a/a/b", 2), 0);
	assert_int_equal(crawl_scope_path_repeats("/a/a/a/b", 2), 1);
	assert_int_equal(crawl_scope_path_repeats("/a/a/a", 2), 0);
	assert_int_equal(crawl_scope_path_repeats("/x/a/b/a/b/a/b/", 2), 1);
	assert_int_equal(crawl_scope_path_repeats("/x/a/b/a/b/c/a/b/", 2), 0);
	assert_int_equal(crawl_scope_path_repeats("/ab/a/b/", 2), 0);
	assert_int_equal(crawl_scope_path_repeats("/a/a/b", 1), 1);
	assert_int_equal(crawl_scope_path_repeats("/a/a/a/a", 0), 0);
	assert_int_equal(crawl_scope_path_repeats("//////", 2), 1);
	CHECK(s, "https://www.dpmc.govt.nz/en/en/en/x", 1, 0, 0, "path-repetition");
	CHECK(s, "https://www.dpmc.govt.nz/en/en/x", 1, 0, 0, "accept");
	crawl_scope_free(s);
}

static void test_too_long(void **state)
{
	struct crawl_scope *s = dpmc_scope();
	char url[2100];

	(void)state;
	memset(url, 'a', sizeof(url));
	memcpy(url, "https://www.dpmc.govt.nz/", 25);
	url[2083] = '\0';
	CHECK(s, url, 1, 0, 0, "accept");
	url[2083] = 'a';
	url[2084] = '\0';
	CHECK(s, url, 1, 0, 0, "too-long");
	crawl_scope_free(s);
}

static void test_query_variants(void **state)
{
	struct crawl_scope *s = dpmc_scope();
	char url[128];
	int i;

	(void)state;
	/* the endless calendar: ?year=&month= forever */
	for (i = 0; i < 3; i++) {
		snprintf(url, sizeof(url),
			 "http://127.0.0.1:8000/calendar?year=2024&month=%d", i + 1);
		CHECK(s, url, 1, 0, 0, "accept");
		assert_int_equal(crawl_scope_count(s, url), i + 1);
	}
	CHECK(s, "http://127.0.0.1:8000/calendar?year=2024&month=4", 1, 0, 0,
	      "query-variants");
	/* the path itself, other paths, and other hosts are unaffected */
	CHECK(s, "http://127.0.0.1:8000/calendar", 1, 0, 0, "accept");
	assert_int_equal(crawl_scope_count(s, "http://127.0.0.1:8000/calendar"), 0);
	CHECK(s, "http://127.0.0.1:8000/calendar2?year=1", 1, 0, 0, "accept");
	CHECK(s, "https://www.dpmc.govt.nz/calendar?year=1", 1, 0, 0, "accept");
	/* the counter survives growth */
	for (i = 0; i < 5000; i++) {
		snprintf(url, sizeof(url), "http://127.0.0.1:8000/p%d?x=1", i);
		assert_int_equal(crawl_scope_count(s, url), 1);
	}
	assert_int_equal(crawl_scope_count(s,
		"http://127.0.0.1:8000/calendar?year=2025"), 4);
	assert_int_equal(crawl_scope_count(s, "http://127.0.0.1:8000/p4999?x=2"), 2);
	crawl_scope_free(s);
}

static void test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(crawl_scope_reason_name(CRAWL_SCOPE_ACCEPT), "accept");
	assert_string_equal(crawl_scope_reason_name(CRAWL_SCOPE_OUT_OF_SCOPE),
			    "out-of-scope");
	assert_string_equal(crawl_scope_reason_name(CRAWL_SCOPE_QUERY_VARIANTS),
			    "query-variants");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_requisites),
		cmocka_unit_test(test_prefixes_and_wildcards),
		cmocka_unit_test(test_excludes),
		cmocka_unit_test(test_path_rules),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_query_variants),
		cmocka_unit_test(test_reason_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
