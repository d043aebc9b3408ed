/* Unit tests for src/crawl/sitemap: sitemaps, indexes, gzip, limits, XXE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "crawl/sitemap.h"

#define SRC "https://www.dpmc.govt.nz/sitemap.xml"

static const char URLSET[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n"
	"        xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">\n"
	"  <url>\n"
	"    <loc>https://www.dpmc.govt.nz/</loc>\n"
	"    <lastmod>2024-10-21</lastmod>\n"
	"    <changefreq>daily</changefreq><priority>1.0</priority>\n"
	"  </url>\n"
	"  <url><loc>\n   https://www.dpmc.govt.nz/about-dpmc?b=2&amp;a=1  \n</loc>"
	"<lastmod>2024-10-21T09:30:15+13:00</lastmod>"
	"<image:image><image:loc>https://www.dpmc.govt.nz/img.png</image:loc>"
	"</image:image></url>\n"
	"  <url><loc><![CDATA[https://www.dpmc.govt.nz/news#frag]]></loc>"
	"<lastmod>not a date</lastmod></url>\n"
	"  <url><lastmod>2024</lastmod></url>\n"
	"  <url><loc>mailto:someone@example.org</loc></url>\n"
	"  <url><loc>/relative/page</loc></url>\n"
	"  <url/>\n"
	"</urlset>\n";

static void test_urlset(void **state)
{
	struct crawl_sitemap sm;
	struct err e = { "" };

	(void)state;
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, URLSET, sizeof(URLSET) - 1,
					     SRC, &e), 0);
	assert_int_equal(sm.is_index, 0);
	assert_int_equal(sm.truncated, 0);
	assert_int_equal(sm.n, 4);
	assert_string_equal(sm.v[0].loc, "https://www.dpmc.govt.nz/");
	assert_int_equal(sm.v[0].has_lastmod, 1);
	assert_int_equal(sm.v[0].lastmod, 1729468800);
	assert_string_equal(sm.v[1].loc, "https://www.dpmc.govt.nz/about-dpmc?b=2&a=1");
	assert_int_equal(sm.v[1].lastmod, 1729456215);
	assert_string_equal(sm.v[2].loc, "https://www.dpmc.govt.nz/news");
	assert_int_equal(sm.v[2].has_lastmod, 0);
	assert_int_equal(sm.v[2].lastmod, 0);
	assert_string_equal(sm.v[3].loc, "https://www.dpmc.govt.nz/relative/page");
	assert_int_equal(sm.skipped, 3);     /* no loc, mailto:, empty */
	crawl_sitemap_release(&sm);
	assert_int_equal(sm.n, 0);
}

static const char INDEX[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
	"<sitemap><loc>https://www.dpmc.govt.nz/sitemap.xml?page=1</loc>"
	"<lastmod>2024-10-21T09:30Z</lastmod></sitemap>\n"
	"<sitemap><loc>https://www.dpmc.govt.nz/sitemap-2.xml.gz</loc></sitemap>\n"
	"</sitemapindex>\n";

static void test_index(void **state)
{
	struct crawl_sitemap sm;

	(void)state;
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, INDEX, sizeof(INDEX) - 1, SRC,
					     NULL), 0);
	assert_int_equal(sm.is_index, 1);
	assert_int_equal(sm.n, 2);
	assert_string_equal(sm.v[0].loc,
			    "https://www.dpmc.govt.nz/sitemap.xml?page=1");
	assert_int_equal(sm.v[0].lastmod, 1729503000);
	assert_string_equal(sm.v[1].loc, "https://www.dpmc.govt.nz/sitemap-2.xml.gz");
	assert_int_equal(sm.v[1].has_lastmod, 0);
	crawl_sitemap_release(&sm);
}

/* gzip (not zlib) wrapping of len bytes; malloc'd, length in *out_len. */
static unsigned char *gzip(const void *data, size_t len, size_t *out_len)
{
	z_stream z;
	size_t cap = len / 100 + 1024 * 64;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 9,
				      Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

static void test_gzip(void **state)
{
	struct crawl_sitemap sm;
	struct err e = { "" };
	size_t zlen;
	unsigned char *z = gzip(INDEX, sizeof(INDEX) - 1, &zlen);

	(void)state;
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, z, zlen, SRC ".gz", &e), 0);
	assert_int_equal(sm.is_index, 1);
	assert_int_equal(sm.n, 2);
	assert_string_equal(sm.v[1].loc, "https://www.dpmc.govt.nz/sitemap-2.xml.gz");
	/* a cut download is an error, not a crash */
	assert_int_equal(crawl_sitemap_parse(&sm, z, zlen / 2, SRC ".gz", &e), -1);
	assert_non_null(strstr(e.msg, "gzip"));
	assert_int_equal(sm.n, 0);
	crawl_sitemap_release(&sm);
	free(z);
}

static void test_datetime(void **state)
{
	static const struct { const char *s; long long t; } ok[] = {
		{ "2024", 1704067200 },
		{ "2024-10", 1727740800 },
		{ "2024-10-21", 1729468800 },
		{ "2024-10-21T09:30Z", 1729503000 },
		{ "2024-10-21T09:30+00:00", 1729503000 },
		{ "2024-10-21T09:30:15Z", 1729503015 },
		{ " 2024-10-21T09:30:15Z\n", 1729503015 },
		{ "2024-10-21T09:30:15", 1729503015 },
		{ "2024-10-21T09:30:15+13:00", 1729456215 },
		{ "2024-10-21T09:30:15.123-04:30", 1729519215 },
		{ "2024-10-21T09:30:15.5Z", 1729503015 },
		{ "2000-02-29", 951782400 },
		{ "1970-01-01", 0 },
	};
	static const char *const bad[] = {
		"", "24-10-21", "2024-13", "2024-00-01", "2024-10-32",
		"2023-02-29", "2024-10-21T9:30Z", "2024-10-21T09:30:15.Z",
		"2024-10-21T25:00Z", "2024-10-21T09:30+1300x", "2024/10/21",
		"Mon, 21 Oct 2024 09:30:15 GMT", "2024-10-21 junk",
	};
	size_t i;
	time_t t;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (crawl_sitemap_parse_datetime(ok[i].s, &t) != 0)
			fail_msg("refused \"%s\"", ok[i].s);
		if ((long long)t != ok[i].t)
			fail_msg("\"%s\": got %lld, want %lld", ok[i].s,
				 (long long)t, ok[i].t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (crawl_sitemap_parse_datetime(bad[i], &t) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void test_entry_limit(void **state)
{
	struct crawl_sitemap sm;
	struct err e = { "" };
	size_t cap = 4u << 20, n = 0, i;
	char *x = malloc(cap);

	(void)state;
	assert_non_null(x);
	n += (size_t)snprintf(x + n, cap - n, "<urlset>");
	for (i = 0; i < CRAWL_SITEMAP_MAX_ENTRIES + 10; i++)
		n += (size_t)snprintf(x + n, cap - n,
				      "<url><loc>http://h/p%zu</loc></url>", i);
	n += (size_t)snprintf(x + n, cap - n, "</urlset>");
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, x, n, "http://h/s.xml", &e), 1);
	assert_int_equal(sm.n, CRAWL_SITEMAP_MAX_ENTRIES);
	assert_int_equal(sm.truncated, 1);
	assert_string_equal(sm.v[CRAWL_SITEMAP_MAX_ENTRIES - 1].loc, "http://h/p49999");
	assert_string_equal(e.msg,
		"http://h/s.xml: more than 50000 entries, the rest ignored");
	crawl_sitemap_release(&sm);
	free(x);
}

static void test_size_limit(void **state)
{
	static const char head[] = "<urlset><url><loc>http://h/early</loc></url>";
	static const char tail[] = "<url><loc>http://h/late</loc></url></urlset>";
	size_t n = CRAWL_SITEMAP_MAX_BYTES + 4096, zlen;
	char *x = malloc(n);
	unsigned char *z;
	struct crawl_sitemap sm;
	struct err e = { "" };

	(void)state;
	assert_non_null(x);
	memset(x, ' ', n);
	memcpy(x, head, sizeof(head) - 1);
	memcpy(x + n - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, x, n, "http://h/s.xml", &e), 1);
	assert_int_equal(sm.n, 1);
	assert_string_equal(sm.v[0].loc, "http://h/early");
	assert_int_equal(sm.truncated, 1);
	assert_string_equal(e.msg, "http://h/s.xml: larger than 52428800 bytes "
				   "uncompressed, the rest ignored");
	/* the same as a gzip bomb: inflation stops at the limit */
	z = gzip(x, n, &zlen);
	assert_true(zlen < 1024 * 1024);
	e.msg[0] = '\0';
	assert_int_equal(crawl_sitemap_parse(&sm, z, zlen, "http://h/s.xml.gz",
					     &e), 1);
	assert_int_equal(sm.n, 1);
	assert_int_equal(sm.truncated, 1);
	assert_non_null(strstr(e.msg, "larger than 52428800 bytes"));
	crawl_sitemap_release(&sm);
	free(z);
	free(x);
}

static void test_long_loc(void **state)
{
	char *x = malloc(10000), loc[2100];
	struct crawl_sitemap sm;

	(void)state;
	memset(loc, 'a', sizeof(loc));
	memcpy(loc, "http://h/", 9);
	loc[2047] = '\0';          /* 2047 characters: kept */
	snprintf(x, 10000, "<urlset><url><loc>%s</loc></url>", loc);
	loc[2047] = 'a';
	loc[2048] = '\0';          /* 2048: skipped */
	snprintf(x + strlen(x), 10000 - strlen(x),
		 "<url><loc>%s</loc></url></urlset>", loc);
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, x, strlen(x), "http://h/", NULL), 0);
	assert_int_equal(sm.n, 1);
	assert_int_equal(strlen(sm.v[0].loc), 2047);
	assert_int_equal(sm.skipped, 1);
	crawl_sitemap_release(&sm);
	free(x);
}

static void test_xxe_not_expanded(void **state)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE urlset [\n"
		"  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
		"  <!ENTITY remote SYSTEM \"http://127.0.0.1:1/evil.dtd\">\n"
		"  <!ENTITY internal \"http://evil.example/\">\n"
		"]>\n"
		"<urlset>\n"
		"<url><loc>&xxe;</loc></url>\n"
		"<url><loc>&remote;</loc></url>\n"
		"<url><loc>&internal;</loc></url>\n"
		"<url><loc>http://h/x&internal;</loc></url>\n"
		"<url><loc>http://h/ok?a=1&amp;b=2</loc></url>\n"
		"</urlset>\n";
	static const char laughs[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE urlset [\n"
		"  <!ENTITY lol \"lol\">\n"
		"  <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		"  <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		"  <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		"]>\n"
		"<urlset><url><loc>http://h/&lol4;</loc></url></urlset>\n";
	struct crawl_sitemap sm;
	struct err e = { "" };
	size_t i;

	(void)state;
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, xxe, sizeof(xxe) - 1,
					     "http://h/s.xml", &e), 0);
	assert_int_equal(sm.n, 2);
	assert_string_equal(sm.v[0].loc, "http://h/x");
	assert_string_equal(sm.v[1].loc, "http://h/ok?a=1&b=2");
	assert_int_equal(sm.skipped, 3);
	/* entity expansion bombs are refused or left unexpanded */
	if (crawl_sitemap_parse(&sm, laughs, sizeof(laughs) - 1,
				"http://h/s.xml", &e) < 0)
		assert_non_null(strstr(e.msg, "http://h/s.xml: not a sitemap: line"));
	for (i = 0; i < sm.n; i++)
		assert_null(strstr(sm.v[i].loc, "lollol"));
	crawl_sitemap_release(&sm);
}

static void test_not_a_sitemap(void **state)
{
	static const char html[] = "<!DOCTYPE html><html><body>404</body></html>";
	static const char text[] =
		"https://www.dpmc.govt.nz/a\r\n\n  https://www.dpmc.govt.nz/b  \n"
		"ftp://x/y\n";
	struct crawl_sitemap sm;
	struct err e = { "" };

	(void)state;
	crawl_sitemap_init(&sm);
	assert_int_equal(crawl_sitemap_parse(&sm, html, sizeof(html) - 1, SRC, &e), -1);
	assert_string_equal(e.msg, SRC ": not a sitemap (no <urlset> or <sitemapindex>)");
	assert_int_equal(crawl_sitemap_parse(&sm, "<urlset><url><loc>http://h/a",
					     28, SRC, &e), 0);   /* cut: kept nothing */
	assert_int_equal(sm.n, 0);
	assert_int_equal(crawl_sitemap_parse(&sm, "\x1f\x8bjunk", 6, SRC, &e), -1);
	/* plain-text sitemap */
	assert_int_equal(crawl_sitemap_parse(&sm, text, sizeof(text) - 1, SRC, &e), 0);
	assert_int_equal(sm.n, 2);
	assert_string_equal(sm.v[0].loc, "https://www.dpmc.govt.nz/a");
	assert_string_equal(sm.v[1].loc, "https://www.dpmc.govt.nz/b");
	assert_int_equal(sm.skipped, 1);
	crawl_sitemap_release(&sm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urlset),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_entry_limit),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_long_loc),
		cmocka_unit_test(test_xxe_not_expanded),
		cmocka_unit_test(test_not_a_sitemap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
