/* Unit tests for src/crawl/links: outlinks from HTML and CSS.
 * Fixtures live in tests/fuzz/corpus/links/ (they seed the fuzzer too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crawl/links.h"
#include "html/html.h"
#include "test-helpers.h"

/* Parse a page with src/html and add its links (what the crawler does). */
static int links_from_html(struct crawl_links *l, const char *html,
			   size_t len, const char *url, const char *ct,
			   struct err *e)
{
	struct html_doc *d;
	int rc;

	if (html_parse(html, len, ct, url, 0, &d, e) < 0)
		return -1;
	rc = crawl_links_from_doc(l, d, e);
	html_free(d);
	return rc;
}

static char *slurp(const char *name, size_t *len)
{
	return test_load("tests/fuzz/corpus/links", name, len);
}

/* Compare l with lines "kind source url". */
static void expect(const struct crawl_links *l, const char *const *want,
		   size_t nwant)
{
	char line[9000];
	size_t i;

	for (i = 0; i < l->n && i < nwant; i++) {
		snprintf(line, sizeof(line), "%s %s %s",
			 crawl_link_kind_name(l->v[i].kind), l->v[i].source,
			 l->v[i].url);
		if (strcmp(line, want[i]))
			fail_msg("link %zu: got \"%s\", want \"%s\"", i, line,
				 want[i]);
	}
	if (l->n != nwant)
		fail_msg("got %zu links, want %zu", l->n, nwant);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DPMC "https://www.dpmc.govt.nz/"

static void test_every_tag(void **state)
{
	static const char *const want[] = {
		"requisite link/@href " DPMC "base/dir/css/site.css",
		"requisite link/@href " DPMC "favicon.ico",
		"page link/@href " DPMC "canonical",
		"page link/@href " DPMC "base/dir/feed.xml",
		"page meta/refresh " DPMC "base/dir/refresh-target",
		"requisite script/@src " DPMC "base/dir/js/app.js",
		"requisite style/@import " DPMC "base/dir/print.css",
		"requisite style/url " DPMC "base/dir/img/bg.png",
		"requisite body/@background " DPMC "base/dir/img/body-bg.gif",
		"page a/@href " DPMC "base/dir/page1",
		"page a/@href https://other.example.org/x?b=1&a=2",
		"page area/@href " DPMC "base/dir/area-target",
		"requisite img/@src " DPMC "base/dir/img/a.png",
		"requisite img/@srcset " DPMC "base/dir/img/a-1x.png",
		"requisite img/@srcset " DPMC "base/dir/img/a-2x.png",
		"requisite img/@data-src " DPMC "base/dir/img/lazy.png",
		"requisite img/@srcset " DPMC "base/dir/img/w,comma.jpg",
		"requisite img/@srcset " DPMC "base/dir/img/w2.jpg",
		"requisite iframe/@src https://video.example.net/embed/1",
		"requisite frame/@src " DPMC "base/dir/frame.html",
		"requisite source/@srcset " DPMC "base/dir/img/p.webp",
		"requisite source/@src " DPMC "base/dir/img/p.avif",
		"requisite video/@poster " DPMC "base/dir/img/poster.jpg",
		"requisite video/@src " DPMC "base/dir/media/v.mp4",
		"requisite track/@src " DPMC "base/dir/media/v.vtt",
		"requisite audio/@src " DPMC "base/dir/media/a.mp3",
		"requisite object/@data " DPMC "base/dir/docs/report.pdf",
		"requisite embed/@src " DPMC "base/dir/media/anim.swf",
		"requisite input/@src " DPMC "base/dir/img/button.png",
		"requisite @style/url " DPMC "base/dir/img/inline.png",
		"page a/@href " DPMC "about/",
	};
	struct crawl_links l;
	struct err e = { "" };
	size_t len;
	char *html = slurp("every-tag.html", &len);

	(void)state;
	crawl_links_init(&l, 0);
	assert_int_equal(links_from_html(&l, html, len, DPMC "news/item",
					       "text/html; charset=UTF-8", &e), 0);
	expect(&l, want, N(want));
	assert_int_equal(l.truncated, 0);
	crawl_links_release(&l);
	assert_int_equal(l.n, 0);
	free(html);
}

static void test_css(void **state)
{
	static const char *const want[] = {
		"requisite css/@import " DPMC "news/base.css",
		"requisite css/@import " DPMC "news/theme.css",
		"requisite css/url " DPMC "img/bg.png",
		"requisite css/url " DPMC "news/logo.svg",
		"requisite css/url " DPMC "news/logo-2x.png",
		"requisite css/url " DPMC "fonts/x.woff2",
		"requisite css/url " DPMC "fonts/x.woff",
		"requisite css/url " DPMC "news/with)paren.png",
	};
	struct crawl_links l;
	size_t len;
	char *css = slurp("site.css", &len);

	(void)state;
	crawl_links_init(&l, 0);
	assert_int_equal(crawl_links_from_css(&l, css, len, DPMC "news/site.css",
					      NULL), 0);
	expect(&l, want, N(want));
	crawl_links_release(&l);
	free(css);
}

/* The links of html[0..len) served from http://127.0.0.1:8000/ with this
 * Content-Type are want[0..n). */
static void local_links(const char *html, size_t len, const char *ctype,
			const char *const *want, size_t n)
{
	struct crawl_links l;

	crawl_links_init(&l, 0);
	assert_int_equal(links_from_html(&l, html, len,
		"http://127.0.0.1:8000/", ctype, NULL), 0);
	expect(&l, want, n);
	crawl_links_release(&l);
}

static void test_windows_1252(void **state)
{
	static const char *const want[] = {
		"page a/@href http://127.0.0.1:8000/caf%C3%A9",
		"page a/@href http://127.0.0.1:8000/price%E2%82%AC",
	};
	static const char *const latin2[] = {
		"page a/@href http://127.0.0.1:8000/caf%C3%A9",
		"page a/@href http://127.0.0.1:8000/price%C2%80",
	};
	static const char meta_charset[] =
		"<!doctype html><meta charset=\"windows-1252\">"
		"<a href=\"/caf\xe9\">x</a><a href=\"/price\x80\">y</a>";
	size_t len;
	char *html = slurp("windows-1252.html", &len);

	(void)state;
	/* declared by <meta http-equiv> only */
	local_links(html, len, "text/html", want, N(want));
	/* declared by the HTTP header */
	local_links(html, len, "text/html; charset=\"Windows-1252\"", want,
		    N(want));
	/* the HTTP header wins over the document (in ISO-8859-2, 0x80 is
	 * U+0080 and 0xE9 is still e-acute) */
	local_links(html, len, "text/html;charset=ISO-8859-2", latin2,
		    N(latin2));
	/* ISO-8859-1 is read as windows-1252, as browsers do (WHATWG) */
	local_links(html, len, "text/html;charset=ISO-8859-1", want, N(want));
	/* an unknown charset name falls back to the document's */
	local_links(html, len, "text/html; charset=no-such-thing", want,
		    N(want));
	/* HTML5 <meta charset> */
	local_links(meta_charset, sizeof(meta_charset) - 1, NULL, want, N(want));
	free(html);
}

static void test_broken_html(void **state)
{
	static const char *const want[] = {
		"page a/@href " DPMC "news/one",
		"page a/@href " DPMC "news/two",
		"page a/@href " DPMC "news/three",
		"page a/@href " DPMC "news/four",
		"requisite img/@src " DPMC "news/six.png",
		"page a/@href " DPMC "news/seven",
		"page a/@href " DPMC "news/%22eight%22",
	};
	struct crawl_links l;
	size_t len;
	char *html = slurp("broken.html", &len);
	static const char bin[] = "\x00\xff<a href=x>\x00</a><<<>>>&&&;<a";

	(void)state;
	crawl_links_init(&l, 0);
	assert_int_equal(links_from_html(&l, html, len, DPMC "news/item",
					       NULL, NULL), 0);
	expect(&l, want, N(want));
	crawl_links_release(&l);
	/* binary garbage and empty input: no crash, no links required */
	links_from_html(&l, bin, sizeof(bin) - 1, DPMC, NULL, NULL);
	crawl_links_release(&l);
	assert_int_equal(links_from_html(&l, "", 0, DPMC, NULL, NULL), 0);
	assert_int_equal(l.n, 0);
	free(html);
}

static void test_dedupe_and_kinds(void **state)
{
	static const char html[] =
		"<a href=\"/doc.pdf\">pdf</a><a href=\"/x\">x</a>"
		"<a href=\"/x#frag\">x</a><a href=\"/X\">X</a>"
		"<object data=\"/doc.pdf\"></object>"
		"<a href=\"http://ex.com:80/x\">x</a>";
	static const char *const want[] = {
		"requisite a/@href http://ex.com/doc.pdf",
		"page a/@href http://ex.com/x",
		"page a/@href http://ex.com/X",
	};
	struct crawl_links l;

	(void)state;
	crawl_links_init(&l, 0);
	assert_int_equal(links_from_html(&l, html, sizeof(html) - 1,
					       "http://ex.com/", NULL, NULL), 0);
	expect(&l, want, N(want));
	/* links accumulate across calls, still deduplicated */
	assert_int_equal(crawl_links_add(&l, "http://ex.com/", "x", 1,
					 CRAWL_LINK_PAGE, "extra"), 0);
	assert_int_equal(crawl_links_add(&l, "http://ex.com/", "y", 1,
					 CRAWL_LINK_PAGE, "extra"), 1);
	assert_int_equal(crawl_links_add(&l, "http://ex.com/", "mailto:a@b", 10,
					 CRAWL_LINK_PAGE, "extra"), 0);
	assert_int_equal(l.n, 4);
	crawl_links_release(&l);
}

static void test_max_links(void **state)
{
	char html[20000];
	size_t n = 0;
	struct crawl_links l;
	int i;

	(void)state;
	for (i = 0; i < 500; i++)
		n += (size_t)snprintf(html + n, sizeof(html) - n,
				      "<a href=\"/p%d\">p</a>", i);
	crawl_links_init(&l, 100);
	assert_int_equal(links_from_html(&l, html, n, "http://ex.com/",
					       NULL, NULL), 0);
	assert_int_equal(l.n, 100);
	assert_int_equal(l.truncated, 1);
	assert_string_equal(l.v[99].url, "http://ex.com/p99");
	crawl_links_release(&l);
}

static void test_refresh_and_srcset_forms(void **state)
{
	static const char html[] =
		"<meta http-equiv=\"Refresh\" content=\"0;url=/a\">"
		"<meta http-equiv=\"refresh\" content=\"5\">"
		"<meta http-equiv=\"refresh\" content=\"3, /b \">"
		"<meta http-equiv=\"refresh\" content='1; URL=\"/c\"'>"
		"<img srcset=\"  /s1.png 1x,/s2.png 2x , /s3.png\">"
		"<img srcset=\"/img.php?size=(1,2) 1x\">";
	static const char *const want[] = {
		"page meta/refresh http://ex.com/a",
		"page meta/refresh http://ex.com/b",
		"page meta/refresh http://ex.com/c",
		"requisite img/@srcset http://ex.com/s1.png",
		"requisite img/@srcset http://ex.com/s2.png",
		"requisite img/@srcset http://ex.com/s3.png",
		"requisite img/@srcset http://ex.com/img.php?size=(1,2)",
	};
	struct crawl_links l;

	(void)state;
	crawl_links_init(&l, 0);
	assert_int_equal(links_from_html(&l, html, sizeof(html) - 1,
					       "http://ex.com/", NULL, NULL), 0);
	expect(&l, want, N(want));
	crawl_links_release(&l);
}

#define EX "https://www.example.org/late/"

/* The parse is streamed (no tree): a <base> after the links still sets
 * their base, a <style>'s text comes before its own @style, elements after
 * </html> and a <style> cut by the end of the file still count. */
static void test_streamed_order(void **state)
{
	static const char html[] =
		"<!DOCTYPE html><html><head><link rel=\"stylesheet\" "
		"href=\"a.css\"><style style=\"background:url(s-attr.png)\">"
		"@import \"imp.css\"; p{background:url(s.png)}</style></head>"
		"<body><a href=x1>1</a><a href>e</a><a HREF=\"x2\">2</a>"
		"<base href=\"/late/\"><base href=\"/second/\"><img src=i.png "
		"style=\"background:url(inl.png)\"><meta http-equiv=Refresh "
		"content=\"0;url=r\"></body></html><a href=after>z</a>"
		"<style>div{background:url(cut.png)}";
	static const char *const want[] = {
		"requisite link/@href " EX "a.css",
		"requisite style/@import " EX "imp.css",
		"requisite style/url " EX "s.png",
		"requisite @style/url " EX "s-attr.png",
		"page a/@href " EX "x1",
		"page a/@href " EX "x2",
		"requisite img/@src " EX "i.png",
		"requisite @style/url " EX "inl.png",
		"page meta/refresh " EX "r",
		"page a/@href " EX "after",
		"requisite style/url " EX "cut.png",
	};
	struct crawl_links l;

	(void)state;
	crawl_links_init(&l, 0);
	assert_int_equal(links_from_html(&l, html, strlen(html),
					       "https://www.example.org/a/b?c",
					       NULL, NULL), 0);
	expect(&l, want, N(want));
	crawl_links_release(&l);
}

/* The memo gives exactly the links a crawl without it finds: across pages
 * of one origin, not across origins (port, userinfo, scheme), and never
 * for references that name a host ("//h", "\\h", "/<TAB>/h"). */
static void test_memo(void **state)
{
	static const char html[] =
		"<a href='/a/./b?x=1#f'>1</a><a href='//other.example/p'>2</a>"
		"<a href='/\\evil.example/q'>3</a><a href='\\\\evil2/q'>4</a>"
		"<a href='/\t/evil3/r'>5</a><a href='/'>6</a>"
		"<a href='/%7euser/%zz'>7</a><a href='rel/x'>8</a>"
		"<a href='/javascript:x'>9</a><a href='/a b'>10</a>";
	static const char *const bases[] = {
		"https://www.dpmc.govt.nz/one/page", "https://www.dpmc.govt.nz/two",
		"https://www.dpmc.govt.nz:8443/one", "http://www.dpmc.govt.nz/one",
		"https://u:p@www.dpmc.govt.nz/one", "https://WWW.dpmc.govt.nz/x/y",
		"https://www.dpmc.govt.nz/one/page",
	};
	struct crawl_links_memo *m = crawl_links_memo_new();
	size_t b, i;

	(void)state;
	assert_non_null(m);
	for (b = 0; b < N(bases); b++) {
		struct crawl_links plain, memo;

		crawl_links_init(&plain, 0);
		crawl_links_init(&memo, 0);
		memo.memo = m;
		assert_int_equal(links_from_html(&plain, html,
						       strlen(html), bases[b],
						       NULL, NULL), 0);
		assert_int_equal(links_from_html(&memo, html, strlen(html),
						       bases[b], NULL, NULL), 0);
		assert_int_equal(memo.n, plain.n);
		for (i = 0; i < plain.n; i++)
			assert_string_equal(memo.v[i].url, plain.v[i].url);
		crawl_links_release(&memo);
		assert_ptr_equal(memo.memo, m);
		crawl_links_release(&plain);
	}
	crawl_links_memo_free(m);
	crawl_links_memo_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_tag),
		cmocka_unit_test(test_css),
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_broken_html),
		cmocka_unit_test(test_dedupe_and_kinds),
		cmocka_unit_test(test_max_links),
		cmocka_unit_test(test_refresh_and_srcset_forms),
		cmocka_unit_test(test_memo),
		cmocka_unit_test(test_streamed_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
