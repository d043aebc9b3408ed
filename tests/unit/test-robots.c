/* Unit tests for src/crawl/robots: RFC 9309 parsing, matching, policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crawl/robots.h"

static struct crawl_robots *parse(const char *txt, const char *agent)
{
	struct crawl_robots *r = crawl_robots_parse(txt, strlen(txt), agent);

	assert_non_null(r);
	return r;
}

#define ALLOWED(r, p) assert_int_equal(crawl_robots_allowed((r), (p)), 1)
#define DENIED(r, p) assert_int_equal(crawl_robots_allowed((r), (p)), 0)

/* RFC 9309 section 5.1 */
static const char RFC_SIMPLE[] =
	"User-Agent: *\n"
	"Disallow: *.gif$\n"
	"Disallow: /example/\n"
	"Allow: /publications/\n"
	"\n"
	"User-Agent: foobot\n"
	"Disallow:/\n"
	"Allow:/example/page.html\n"
	"Allow:/example/allowed.gif\n"
	"\n"
	"User-Agent: barbot\n"
	"User-Agent: bazbot\n"
	"Disallow: /example/page.html\n"
	"\n"
	"User-Agent: quxbot\n"
	"\n"
	"EOF\n";

static void test_rfc_simple_example(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse(RFC_SIMPLE, "foobot");
	ALLOWED(r, "/example/page.html");
	ALLOWED(r, "/example/allowed.gif");
	DENIED(r, "/");
	DENIED(r, "/publications/");
	DENIED(r, "/example/other.html");
	crawl_robots_free(r);

	r = parse(RFC_SIMPLE, "barbot");
	DENIED(r, "/example/page.html");
	ALLOWED(r, "/example/other.html");
	ALLOWED(r, "/a.gif");
	crawl_robots_free(r);
	r = parse(RFC_SIMPLE, "BazBot/2.1");
	DENIED(r, "/example/page.html");
	ALLOWED(r, "/");
	crawl_robots_free(r);

	/* an empty group for us: everything allowed, '*' not consulted */
	r = parse(RFC_SIMPLE, "quxbot");
	ALLOWED(r, "/example/page.html");
	ALLOWED(r, "/x.gif");
	assert_int_equal(crawl_robots_rule_count(r), 0);
	crawl_robots_free(r);

	/* anyone else gets the '*' group */
	r = parse(RFC_SIMPLE, "govarch/0.1 (+https://example.org/bot)");
	DENIED(r, "/x.gif");
	ALLOWED(r, "/publications/cover.gif");  /* longer Allow wins */
	ALLOWED(r, "/x.gif?size=2");            /* $ anchors the end */
	DENIED(r, "/example/");
	DENIED(r, "/example/page.html");
	ALLOWED(r, "/publications/");
	ALLOWED(r, "/");
	crawl_robots_free(r);
}

/* RFC 9309 section 5.2 */
static void test_rfc_longest_match(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse("User-Agent: foobot\n"
		  "Allow: /example/page/\n"
		  "Disallow: /example/page/disallowed.gif\n", "foobot");
	ALLOWED(r, "/example/page/");
	ALLOWED(r, "/example/page/other.gif");
	DENIED(r, "/example/page/disallowed.gif");
	crawl_robots_free(r);
}

static void test_tie_allow_wins(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse("user-agent: *\ndisallow: /page\nallow: /page\n", "x");
	ALLOWED(r, "/page");
	crawl_robots_free(r);
	r = parse("user-agent: *\nallow: /pag*\ndisallow: /page\n", "x");
	ALLOWED(r, "/page");        /* same length, 5 octets each */
	crawl_robots_free(r);
	r = parse("user-agent: *\nallow: /\ndisallow: /cgi-bin\n", "x");
	DENIED(r, "/cgi-bin/x");
	ALLOWED(r, "/cgi");
	crawl_robots_free(r);
}

static void test_groups(void **state)
{
	struct crawl_robots *r;
	const char *txt =
		"Disallow: /before-any-agent\n"
		"User-agent: GovArch\n"
		"Disallow: /one\n"
		"User-agent: other\n"
		"Disallow: /other\n"
		"User-agent: govarch\n"
		"Disallow: /two\n"
		"User-agent: *\n"
		"Disallow: /\n";

	(void)state;
	r = parse(txt, "govarch");
	DENIED(r, "/one");
	DENIED(r, "/two");          /* merged with the earlier group */
	ALLOWED(r, "/other");
	ALLOWED(r, "/before-any-agent");
	ALLOWED(r, "/");
	crawl_robots_free(r);
	r = parse(txt, "nobody");
	DENIED(r, "/");
	crawl_robots_free(r);
	/* no group for us and no '*': no rules */
	r = parse("User-agent: other\nDisallow: /\n", "govarch");
	ALLOWED(r, "/");
	crawl_robots_free(r);
	/* product token only: "govarch-bot" is someone else */
	r = parse("User-agent: govarch-bot\nDisallow: /\n", "govarch");
	ALLOWED(r, "/");
	crawl_robots_free(r);
	r = parse("User-agent: govarch/1.0\nDisallow: /x\n", "govarch");
	DENIED(r, "/x");
	crawl_robots_free(r);
	/* an agent line after rules starts a new group */
	r = parse("User-agent: a\nDisallow: /a\nUser-agent: b\nDisallow: /b\n", "b");
	ALLOWED(r, "/a");
	DENIED(r, "/b");
	crawl_robots_free(r);
}

/* explain names the deciding line and its group, as written */
static void test_explain(void **state)
{
	struct crawl_robots *r;
	struct crawl_robots_why w;
	const char *txt =
		"# comment\n"
		"User-agent: other\n"
		"Disallow: /\n"
		"User-agent: GovArch\n"
		"user-agent: *\n"
		"Disallow: /private/  # staff only\n"
		"Allow: /private/open\n";

	(void)state;
	r = parse(txt, "govarch");
	assert_int_equal(crawl_robots_explain(r, "/private/x", &w), 0);
	assert_int_equal(w.line, 6);
	assert_string_equal(w.text, "Disallow: /private/");
	assert_string_equal(w.group, "User-agent: GovArch, user-agent: *");
	assert_int_equal(w.group_line, 4);
	assert_int_equal(w.fixed, 0);
	assert_int_equal(crawl_robots_explain(r, "/private/open/1", &w), 1);
	assert_int_equal(w.line, 7);
	assert_string_equal(w.text, "Allow: /private/open");
	assert_int_equal(crawl_robots_explain(r, "/public", &w), 1);
	assert_int_equal(w.line, 0);
	assert_null(w.text);
	crawl_robots_free(r);
	r = crawl_robots_disallow_all();
	assert_int_equal(crawl_robots_explain(r, "/a", &w), 0);
	assert_int_equal(w.fixed, -1);
	assert_int_equal(w.line, 0);
	crawl_robots_free(r);
}

static void test_wildcards(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse("User-agent: *\n"
		  "Disallow: /search*\n"
		  "Disallow: /*?f%5b\n"
		  "Disallow: /*/print$\n"
		  "Disallow: /this/*/exactly\n"
		  "Disallow: /fish$\n", "x");
	DENIED(r, "/search");
	DENIED(r, "/search-results?x=1");
	DENIED(r, "/news?f%5B0%5D=type");
	DENIED(r, "/a/b/print");
	ALLOWED(r, "/a/b/print/more");
	DENIED(r, "/this/is/exactly");
	DENIED(r, "/this/a/b/exactly/too");
	DENIED(r, "/fish");
	ALLOWED(r, "/fish.html");
	ALLOWED(r, "/Fish");        /* paths are case-sensitive */
	ALLOWED(r, "/");
	crawl_robots_free(r);
	/* '$' in the middle is a literal */
	r = parse("User-agent: *\nDisallow: /a$b\n", "x");
	DENIED(r, "/a$b/c");
	ALLOWED(r, "/a");
	crawl_robots_free(r);
	/* pathological patterns stay fast */
	r = parse("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*b\n", "x");
	{
		char path[4002];

		path[0] = '/';
		memset(path + 1, 'a', 4000);
		path[4001] = '\0';
		ALLOWED(r, path);
	}
	crawl_robots_free(r);
}

static void test_comments_and_format(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse("\xEF\xBB\xBF# leading comment\r\n"
		  "USER-AGENT : * # everyone\r\n"
		  "disallow:/private # keep out\r"
		  "Disallow:\n"               /* empty: no rule */
		  "Allow: \n"
		  "nonsense line\n"
		  "Foo: bar\n"
		  "Disallow: private2\n"     /* rooted */
		  "Dissallow: /typo\n", "x");
	DENIED(r, "/private");
	DENIED(r, "/private/x");
	DENIED(r, "/private2");
	DENIED(r, "/typo");
	ALLOWED(r, "/public");
	assert_int_equal(crawl_robots_rule_count(r), 3);
	crawl_robots_free(r);
}

static void test_percent_encoding(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse("User-agent: *\n"
		  "Disallow: /foo/bar?baz=https://foo.bar\n"
		  "Disallow: /foo/bar/\xE3\x83\x84\n"
		  "Disallow: /%7ejoe/\n"
		  "Disallow: /a%2fb\n", "x");
	/* RFC 9309 2.2.2 table */
	DENIED(r, "/foo/bar?baz=https://foo.bar");
	DENIED(r, "/foo/bar/%E3%83%84");
	DENIED(r, "/foo/bar/%e3%83%84");
	DENIED(r, "/foo/bar/\xE3\x83\x84");
	DENIED(r, "/~joe/index.html");
	DENIED(r, "/%7Ejoe/index.html");
	DENIED(r, "/a%2Fb");
	ALLOWED(r, "/a/b");         /* %2F is not a slash */
	crawl_robots_free(r);
	r = parse("User-agent: *\nDisallow: /foo/bar/%62%61%7A\n", "x");
	DENIED(r, "/foo/bar/baz");
	crawl_robots_free(r);
}

static void test_robots_txt_always_allowed(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse("User-agent: *\nDisallow: /\n", "x");
	ALLOWED(r, "/robots.txt");
	DENIED(r, "/");
	DENIED(r, "");
	crawl_robots_free(r);
	r = crawl_robots_disallow_all();
	ALLOWED(r, "/robots.txt");
	DENIED(r, "/");
	DENIED(r, "/anything");
	crawl_robots_free(r);
	r = crawl_robots_allow_all();
	ALLOWED(r, "/anything");
	crawl_robots_free(r);
	crawl_robots_free(NULL);
}

static void test_url_form(void **state)
{
	struct crawl_robots *r;

	(void)state;
	r = parse("User-agent: *\nDisallow: /calendar?year=\n", "x");
	assert_int_equal(crawl_robots_allowed_url(r,
		"http://127.0.0.1:8000/calendar?year=2024"), 0);
	assert_int_equal(crawl_robots_allowed_url(r,
		"http://127.0.0.1:8000/calendar"), 1);
	assert_int_equal(crawl_robots_allowed_url(r, "not a url"), 0);
	crawl_robots_free(r);
}

static void test_delay_and_sitemaps(void **state)
{
	struct crawl_robots *r;
	const char *txt =
		"Sitemap: https://www.dpmc.govt.nz/sitemap.xml\n"
		"User-agent: *\n"
		"Crawl-delay: 10\n"
		"Disallow: /x\n"
		"User-agent: govarch\n"
		"Crawl-delay: 2.5\n"
		"Sitemap: https://www.dpmc.govt.nz/sitemap2.xml.gz # second\n"
		"Disallow: /y\n";

	(void)state;
	r = parse(txt, "govarch");
	assert_true(crawl_robots_crawl_delay(r) == 2.5);
	assert_int_equal(crawl_robots_sitemap_count(r), 2);
	assert_string_equal(crawl_robots_sitemap(r, 0),
			    "https://www.dpmc.govt.nz/sitemap.xml");
	assert_string_equal(crawl_robots_sitemap(r, 1),
			    "https://www.dpmc.govt.nz/sitemap2.xml.gz");
	assert_null(crawl_robots_sitemap(r, 2));
	crawl_robots_free(r);
	r = parse(txt, "other");
	assert_true(crawl_robots_crawl_delay(r) == 10);
	crawl_robots_free(r);
	r = parse("User-agent: *\nCrawl-delay: soon\nCrawl-delay: -3\n", "x");
	assert_true(crawl_robots_crawl_delay(r) == -1);
	crawl_robots_free(r);
}

static void test_size_limit(void **state)
{
	size_t big = CRAWL_ROBOTS_MAX_BYTES + 4096, n;
	char *txt = malloc(big + 64);
	struct crawl_robots *r;
	const char *head = "User-agent: *\nDisallow: /early\n";

	(void)state;
	assert_non_null(txt);
	n = strlen(head);
	memcpy(txt, head, n);
	/* comment filler up to just before the limit */
	while (n < CRAWL_ROBOTS_MAX_BYTES - 100) {
		memcpy(txt + n, "# filler filler filler filler filler filler\n", 44);
		n += 44;
	}
	memcpy(txt + n, "Disallow: /inside\n", 18);
	n += 18;
	while (n < CRAWL_ROBOTS_MAX_BYTES - 10)
		txt[n++] = '\n';
	/* a rule straddling the limit, then one beyond it */
	memcpy(txt + n, "Disallow: /straddle\n", 20);
	n += 20;
	while (n < big)
		txt[n++] = '\n';
	memcpy(txt + n, "Disallow: /beyond\n", 18);
	n += 18;
	r = crawl_robots_parse(txt, n, "x");
	assert_non_null(r);
	DENIED(r, "/early");
	DENIED(r, "/inside");
	ALLOWED(r, "/straddle");
	ALLOWED(r, "/beyond");
	crawl_robots_free(r);
	free(txt);
}

static void test_garbage(void **state)
{
	struct crawl_robots *r;
	const char bin[] = "\x00\xff\xfe:::\n\x01User-agent:\n:\n#\n";

	(void)state;
	r = crawl_robots_parse(bin, sizeof(bin) - 1, "x");
	assert_non_null(r);
	ALLOWED(r, "/");
	crawl_robots_free(r);
	r = crawl_robots_parse("", 0, "x");
	ALLOWED(r, "/");
	crawl_robots_free(r);
	/* an HTML error page served as 200 */
	r = parse("<html><body>Not here: sorry</body></html>", "x");
	ALLOWED(r, "/");
	crawl_robots_free(r);
}

static void test_fetch_policy(void **state)
{
	(void)state;
	assert_int_equal(crawl_robots_policy(200, 0), CRAWL_ROBOTS_PARSE);
	assert_int_equal(crawl_robots_policy(204, 0), CRAWL_ROBOTS_PARSE);
	assert_int_equal(crawl_robots_policy(301, 0), CRAWL_ROBOTS_FOLLOW);
	assert_int_equal(crawl_robots_policy(302, 4), CRAWL_ROBOTS_FOLLOW);
	assert_int_equal(crawl_robots_policy(307, 5), CRAWL_ROBOTS_ALLOW_ALL);
	assert_int_equal(crawl_robots_policy(400, 0), CRAWL_ROBOTS_ALLOW_ALL);
	assert_int_equal(crawl_robots_policy(401, 0), CRAWL_ROBOTS_ALLOW_ALL);
	assert_int_equal(crawl_robots_policy(403, 0), CRAWL_ROBOTS_ALLOW_ALL);
	assert_int_equal(crawl_robots_policy(404, 0), CRAWL_ROBOTS_ALLOW_ALL);
	assert_int_equal(crawl_robots_policy(410, 0), CRAWL_ROBOTS_ALLOW_ALL);
	assert_int_equal(crawl_robots_policy(429, 0), CRAWL_ROBOTS_DISALLOW_ALL);
	assert_int_equal(crawl_robots_policy(500, 0), CRAWL_ROBOTS_DISALLOW_ALL);
	assert_int_equal(crawl_robots_policy(503, 0), CRAWL_ROBOTS_DISALLOW_ALL);
	assert_int_equal(crawl_robots_policy(599, 0), CRAWL_ROBOTS_DISALLOW_ALL);
	assert_int_equal(crawl_robots_policy(0, 0), CRAWL_ROBOTS_DISALLOW_ALL);
	assert_int_equal(crawl_robots_policy(100, 0), CRAWL_ROBOTS_DISALLOW_ALL);
	assert_string_equal(crawl_robots_action_name(CRAWL_ROBOTS_ALLOW_ALL),
			    "allow-all");
	assert_string_equal(crawl_robots_action_name(CRAWL_ROBOTS_DISALLOW_ALL),
			    "disallow-all");
}

static void test_ttl(void **state)
{
	(void)state;
	assert_int_equal(crawl_robots_ttl(CRAWL_ROBOTS_PARSE, -1), 86400);
	assert_int_equal(crawl_robots_ttl(CRAWL_ROBOTS_PARSE, 600), 600);
	assert_int_equal(crawl_robots_ttl(CRAWL_ROBOTS_PARSE, 7 * 86400), 86400);
	assert_int_equal(crawl_robots_ttl(CRAWL_ROBOTS_ALLOW_ALL, -1), 86400);
	assert_int_equal(crawl_robots_ttl(CRAWL_ROBOTS_DISALLOW_ALL, -1), 3600);
	assert_int_equal(crawl_robots_ttl(CRAWL_ROBOTS_DISALLOW_ALL, 60), 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_simple_example),
		cmocka_unit_test(test_rfc_longest_match),
		cmocka_unit_test(test_tie_allow_wins),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_wildcards),
		cmocka_unit_test(test_comments_and_format),
		cmocka_unit_test(test_percent_encoding),
		cmocka_unit_test(test_robots_txt_always_allowed),
		cmocka_unit_test(test_url_form),
		cmocka_unit_test(test_delay_and_sitemaps),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_fetch_policy),
		cmocka_unit_test(test_ttl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
