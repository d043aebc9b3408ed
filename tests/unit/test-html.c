/* Unit tests for src/html, and the same links and main text as before on
 * every fixture and replica page.
 *
 * `test-html --dump FILE URL CONTENT-TYPE` prints what the extraction finds
 * in one page (links, title, rule, dates, text blocks, boilerplate);
 * `test-html --select FILE...` checks html_sel against libxml2's XPath on
 * any pages (as test_select_as_libxml2 does on the fixtures);
 * `test-html --digest DIR` prints it as one line of digests per page for
 * every file under DIR (NAME.html beside NAME.url holding its URL and
 * Content-Type): tests/cli/test-html-replica.sh compares that with what the
 * three parsers this module replaced gave on every replica page.
 *
 * The expected data was first made by those parsers (the SAX link parser,
 * the diff extraction's own parse and charset sniffing, the catalog's tag
 * scanner for boilerplate); it differs from what they gave only where the
 * one front end is meant to read a page differently:
 *   - the main text's links ("a" lines) are resolved by url_resolve, as
 *     the crawler's always were: mailto: and tel: are not listed, URLs are
 *     normalised ("HTTPS://Other.EXAMPLE.org:443/x" is
 *     "https://other.example.org/x"), and references libxml2's
 *     xmlBuildURI refused are listed ("/caf\xc3\xa9" in windows-1252.html,
 *     the quoted "\"eight\"" in broken.html, and "/search?f[0]=type:news"
 *     on the replica's 9 news listing pages, v1-v3);
 *   - boilerplate comes from the parsed tree: every entity is decoded
 *     ("&raquo;" in dpmc-d7.html, "&#160;" in no-landmarks.html) in the
 *     page's charset, and text the parser puts inside <main> (diff/
 *     broken.html's "after main") is main text, not boilerplate;
 *   - since extractor version 4 the links outside the main text are
 *     listed with their texts ("navlink" lines, new data).
 * Nothing else changed: the same crawl links with the same sources, main
 * text, titles, rules and dates on every fixture and every replica page. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/HTMLtree.h>
#include <libxml/xpath.h>

#include "crawl/links.h"
#include "diff/extract.h"
#include "html/html.h"
#include "util/digest.h"
#include "test-helpers.h"

/* Everything extracted from one page, as text: one parse, three walks. */
static int describe(const char *html, size_t len, const char *url,
		    const char *ct, struct buf *out)
{
	struct crawl_links l;
	struct diff_page p;
	struct buf boiler = BUF_INIT(0);
	struct html_doc *d;
	struct err e;
	size_t i;

	if (html_parse(html, len, ct, url, 0, &d, &e) < 0)
		return buf_addf(out, "parse-error\t%s\n", e.msg);
	crawl_links_init(&l, 10000);
	if (crawl_links_from_doc(&l, d, &e) < 0)
		buf_addf(out, "links-error\t%s\n", e.msg);
	for (i = 0; i < l.n; i++)
		buf_addf(out, "link\t%s\t%s\t%s\n",
			 crawl_link_kind_name(l.v[i].kind), l.v[i].source,
			 l.v[i].url);
	crawl_links_release(&l);
	if (diff_extract_doc(d, NULL, NULL, &p, &e) < 0) {
		buf_addf(out, "extract-error\t%s\n", e.msg);
	} else {
		buf_addf(out, "title\t%s\nrule\t%s\nupdated\t%s\t%s\n"
			 "issued\t%s\t%s\ndigest\t%s\n", p.title, p.rule,
			 p.updated.ymd, p.updated.raw ? p.updated.raw : "",
			 p.issued.ymd, p.issued.raw ? p.issued.raw : "",
			 p.text_digest);
		for (i = 0; i < p.n_links; i++)
			buf_addf(out, "a\t%s\n", p.links[i]);
		for (i = 0; i < p.n_blocks; i++)
			buf_addf(out, "%s\t%s\n",
				 diff_block_kind_name(p.blocks[i].kind),
				 p.blocks[i].text);
		diff_page_release(&p);
	}
	diff_boilerplate(d, NULL, &boiler);
	html_free(d);
	for (i = 0; i < boiler.len;) {
		const char *nl = memchr(boiler.data + i, '\n', boiler.len - i);
		size_t n = nl ? (size_t)(nl - boiler.data) - i : boiler.len - i;

		/* a link outside the main text is "URL\tTEXT" (extractor
		 * version 4): its own line kind, so the boilerplate's text
		 * lines digest as before */
		buf_addf(out, "%s\t%.*s\n", memchr(boiler.data + i, '\t', n)
			 ? "navlink" : "boiler", (int)n, boiler.data + i);
		i += n + 1;
	}
	buf_release(&boiler);
	return 0;
}

/* Lines of d starting with prefix, digested: "sha1:..." (of "" when none). */
static void digest_of(const struct buf *d, const char *prefix, char out[40])
{
	struct buf b = BUF_INIT(0);
	size_t i = 0, pl = strlen(prefix);

	while (i < d->len) {
		const char *nl = memchr(d->data + i, '\n', d->len - i);
		size_t n = (size_t)(nl - d->data) - i + 1;

		if (n >= pl && !memcmp(d->data + i, prefix, pl))
			buf_add(&b, d->data + i, n);
		i += n;
	}
	digest_sha1_label(b.len ? b.data : "", b.len, out);
	buf_release(&b);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT(0);
	char tmp[65536];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	buf_addc(&b, 0);
	*len = b.len - 1;
	return buf_detach(&b, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One line per NAME.html in dir, in C order of names. */
static int digest_dir(const char *dir)
{
	static const char *const parts[] = { "link\t", "title\t", "rule\t",
		"updated\t", "issued\t", "digest\t", "a\t", "boiler\t" };
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, k;

	if (!d)
		return 1;
	while ((de = readdir(d))) {
		size_t nl = strlen(de->d_name);

		if (nl > 5 && !strcmp(de->d_name + nl - 5, ".html")) {
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strndup(de->d_name, nl - 5);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		char path[4096], meta[8192], *html, *m, *tab;
		struct buf out = BUF_INIT(0);
		size_t len, mlen;

		snprintf(path, sizeof(path), "%s/%s.url", dir, names[i]);
		if (!(m = read_file(path, &mlen)))
			return 1;
		snprintf(meta, sizeof(meta), "%s", m);
		free(m);
		meta[strcspn(meta, "\n")] = 0;
		if (!(tab = strchr(meta, '\t')))
			return 1;
		*tab++ = 0;
		snprintf(path, sizeof(path), "%s/%s.html", dir, names[i]);
		if (!(html = read_file(path, &len)))
			return 1;
		describe(html, len, meta, tab, &out);
		printf("%s", meta);
		for (k = 0; k < sizeof(parts) / sizeof(*parts); k++) {
			char dg[40];

			digest_of(&out, parts[k], dg);
			printf(" %.*s=%.12s", (int)strcspn(parts[k], "\t"), parts[k],
			       dg + 5);
		}
		printf("\n");
		buf_release(&out);
		free(html);
		free(names[i]);
	}
	free(names);
	return 0;
}

static int dump_file(const char *path, const char *url, const char *ct)
{
	struct buf out = BUF_INIT(0);
	size_t len;
	char *html = read_file(path, &len);

	if (!html)
		return 1;
	describe(html, len, url, ct, &out);
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	free(html);
	return 0;
}

/* ---- charsets ---- */

/* The charset html_parse decides, and the text of the page's <p>. */
static void expect_charset(const char *html, size_t len, const char *ct,
			   const char *want, enum html_charset_from from,
			   const char *text)
{
	struct html_doc *d;
	struct err e;
	xmlChar *got;

	assert_int_equal(html_parse(html, len, ct, "http://ex.com/", 0, &d, &e),
			 0);
	if (strcmp(d->charset, want) || d->charset_from != from)
		fail_msg("%s: got %s (from %d), want %s (from %d)",
			 ct ? ct : "no header", d->charset, d->charset_from,
			 want, from);
	if (text) {
		got = xmlNodeGetContent(xmlDocGetRootElement(d->tree));
		if (!got || !strstr((const char *)got, text))
			fail_msg("%s: text \"%s\" not in \"%s\"", want, text,
				 got ? (const char *)got : "");
		xmlFree(got);
	}
	html_free(d);
}

#define CAFE_UTF8 "Caf\xc3\xa9 \xe2\x82\xac"   /* "Cafe EUR" in UTF-8 */

static void test_charset_bom(void **state)
{
	static const char utf8[] = "\xef\xbb\xbf<p>Caf\xc3\xa9 \xe2\x82\xac";
	static const char utf16le[] = "\xff\xfe<\0p\0>\0\xe9\0";

	(void)state;
	/* a BOM wins over the header and the document */
	expect_charset(utf8, sizeof(utf8) - 1, "text/html; charset=windows-1252",
		       "UTF-8", HTML_CHARSET_BOM, CAFE_UTF8);
	expect_charset(utf16le, sizeof(utf16le) - 1, NULL, "UTF-16LE",
		       HTML_CHARSET_BOM, "\xc3\xa9");
}

static void test_charset_header_and_meta(void **state)
{
	static const char cp1252[] = "<p>Caf\xe9 \x80";
	static const char meta[] = "<!-- <meta charset=utf-8> --><head>"
		"<meta http-equiv=\"Content-Type\" content=\"text/html; "
		"charset=iso-8859-1\"></head><p>Caf\xe9 \x80";
	static const char meta5[] = "<meta charset='latin1'><p>Caf\xe9 \x80";
	static const char meta16[] = "<meta charset=\"utf-16\"><p>Caf\xc3\xa9 "
		"\xe2\x82\xac";

	(void)state;
	/* the header's label, read as WHATWG names it */
	expect_charset(cp1252, sizeof(cp1252) - 1, "text/html; charset=\"Latin1\"",
		       "windows-1252", HTML_CHARSET_HTTP, CAFE_UTF8);
	expect_charset(cp1252, sizeof(cp1252) - 1, "text/html;charset=cp1252",
		       "windows-1252", HTML_CHARSET_HTTP, CAFE_UTF8);
	/* <meta http-equiv> after a comment that names another charset */
	expect_charset(meta, sizeof(meta) - 1, "text/html", "windows-1252",
		       HTML_CHARSET_META, CAFE_UTF8);
	expect_charset(meta5, sizeof(meta5) - 1, NULL, "windows-1252",
		       HTML_CHARSET_META, CAFE_UTF8);
	/* a <meta> saying UTF-16 means UTF-8 */
	expect_charset(meta16, sizeof(meta16) - 1, NULL, "UTF-8",
		       HTML_CHARSET_META, CAFE_UTF8);
}

static void test_charset_mislabelled(void **state)
{
	static const char ascii[] = "<p>Caf\xc3\xa9 \xe2\x82\xac</p>";
	static const char cp1252[] = "<p>Caf\xe9 \x80";

	(void)state;
	/* a server that says UTF-16 and sends UTF-8: the label is passed over */
	expect_charset(ascii, sizeof(ascii) - 1, "text/html; charset=UTF-16",
		       "UTF-8", HTML_CHARSET_UTF8_CHECK, CAFE_UTF8);
	/* a label no decoder knows: the next step decides */
	expect_charset(cp1252, sizeof(cp1252) - 1, "text/html; charset=x-klingon",
		       "windows-1252", HTML_CHARSET_DEFAULT, CAFE_UTF8);
	/* a header saying UTF-8 on windows-1252 bytes does not crash and keeps
	 * the text up to the bad byte */
	expect_charset(cp1252, sizeof(cp1252) - 1, "text/html; charset=utf-8",
		       "UTF-8", HTML_CHARSET_HTTP, NULL);
}

static void test_charset_utf8_check(void **state)
{
	static const char utf8[] = "<p>Caf\xc3\xa9 \xe2\x82\xac";
	static const char bad[] = "<p>Caf\xe9 \x80";           /* not UTF-8 */
	static const char cut[] = "<p>Caf\xc3";                 /* cut sequence */
	static const char overlong[] = "<p>\xc0\xaf";          /* overlong '/' */

	(void)state;
	expect_charset(utf8, sizeof(utf8) - 1, NULL, "UTF-8",
		       HTML_CHARSET_UTF8_CHECK, CAFE_UTF8);
	expect_charset(bad, sizeof(bad) - 1, NULL, "windows-1252",
		       HTML_CHARSET_DEFAULT, CAFE_UTF8);
	expect_charset(cut, sizeof(cut) - 1, NULL, "windows-1252",
		       HTML_CHARSET_DEFAULT, "Caf\xc3\x83");
	expect_charset(overlong, sizeof(overlong) - 1, NULL, "windows-1252",
		       HTML_CHARSET_DEFAULT, NULL);
	/* nothing at all: an empty document, UTF-8 */
	expect_charset("", 0, NULL, "UTF-8", HTML_CHARSET_UTF8_CHECK, NULL);
}

/* ---- <base>, caps ---- */

static void expect_base(const char *html, const char *url, const char *want)
{
	struct html_doc *d;
	struct err e;

	assert_int_equal(html_parse(html, strlen(html), NULL, url, 0, &d, &e), 0);
	if (want)
		assert_string_equal(d->base, want);
	else
		assert_null(d->base);
	html_free(d);
}

static void test_base(void **state)
{
	(void)state;
	/* none: the URL, normalised */
	expect_base("<a href=x>", "HTTP://Ex.com:80/a/b", "http://ex.com/a/b");
	/* the first <base href>, even after links and in the body */
	expect_base("<a href=x></a><base href=/dir/><base href=/other/>",
		    "http://ex.com/a/b", "http://ex.com/dir/");
	/* relative to the URL; a <base> without href does not count */
	expect_base("<base target=_top><base href=\"../up/\">",
		    "http://ex.com/a/b/c", "http://ex.com/a/up/");
	/* a base that does not resolve to http(s) leaves the URL */
	expect_base("<base href=\"javascript:void(0)\">", "http://ex.com/a",
		    "http://ex.com/a");
	/* no URL, or not an http(s) one: no base, so no links */
	expect_base("<base href=/x/>", NULL, NULL);
	expect_base("<a href=x>", "ftp://ex.com/", NULL);
}

static void test_cap(void **state)
{
	static const char html[] = "<p>one</p><p>two</p>";
	struct html_doc *d;
	struct err e;
	xmlChar *text;

	(void)state;
	assert_int_equal(html_parse(html, sizeof(html) - 1, NULL, "http://ex.com/",
				    10, &d, &e), 0);
	assert_int_equal(d->cut, 1);
	text = xmlNodeGetContent(xmlDocGetRootElement(d->tree));
	assert_string_equal((const char *)text, "one");
	xmlFree(text);
	html_free(d);
}

/* ---- the URL walk: what replay will rewrite ---- */

static int list_refs(void *ctx, struct html_ref *r)
{
	struct buf *b = ctx;

	buf_addf(b, "%s %s%s %.*s\n", r->source,
		 r->use == HTML_REF_REQUISITE ? "r" :
		 r->use == HTML_REF_OTHER ? "o" : "p", r->css ? " css" : "",
		 (int)r->len, r->value);
	return 0;
}

static int rewrite_refs(void *ctx, struct html_ref *r)
{
	int *n = ctx;

	if (asprintf(&r->replacement, "/web/%d/%.*s", ++*n, (int)r->len,
		     r->value) < 0)
		return -1;
	return 0;
}

static void test_walk_and_rewrite(void **state)
{
	static const char html[] =
		"<html><head><base href=\"http://ex.com/d/\">"
		"<meta http-equiv=refresh content=\"5; url='next'\">"
		"<link rel=stylesheet href=s.css><link rel=next href=p2>"
		"<style>@import \"i.css\"; b { background: url( 'b\\).png' ) }"
		"</style></head>"
		"<body background=bg.gif><a href=\"a b\" style=\"x:url(c.png)\">a</a>"
		"<img src=i.png srcset=\"i1.png 1x, i2.png 2x\">"
		"<form action=/find><button formaction=go>b</button></form>"
		"<div data-href=\"/x\" data-n=\"3\" data-url=\"https://y/\">"
		"</div></body></html>";
	static const char *const want =
		"base/@href o http://ex.com/d/\n"
		"meta/refresh p next\n"
		"link/@href r s.css\n"
		"link/@href p p2\n"
		"style/@import r css i.css\n"
		"style/url r css b\\).png\n"
		"body/@background r bg.gif\n"
		"a/@href p a b\n"
		"@style/url r css c.png\n"
		"img/@src r i.png\n"
		"img/@srcset r i1.png\n"
		"img/@srcset r i2.png\n"
		"form/@action o /find\n"
		"button/@formaction o go\n"
		"@data-* o /x\n"
		"@data-* o https://y/\n";
	struct buf got = BUF_INIT(0);
	struct html_doc *d;
	struct err e;
	xmlBuffer *out;
	int n = 0;

	(void)state;
	assert_int_equal(html_parse(html, sizeof(html) - 1, NULL,
				    "http://ex.com/", 0, &d, &e), 0);
	assert_int_equal(html_walk_urls(d, list_refs, &got), 0);
	assert_string_equal(got.data, want);
	/* every reference replaced in place, the rest of each value kept */
	assert_int_equal(html_walk_urls(d, rewrite_refs, &n), 0);
	assert_int_equal(n, 16);
	buf_reset(&got);
	assert_int_equal(html_walk_urls(d, list_refs, &got), 0);
	assert_non_null(strstr(got.data, "meta/refresh p /web/2/next\n"));
	assert_non_null(strstr(got.data, "style/url r css /web/6/b\\).png\n"));
	assert_non_null(strstr(got.data, "img/@srcset r /web/12/i2.png\n"));
	assert_non_null(strstr(got.data, "@data-* o /web/16/https://y/\n"));
	out = xmlBufferCreate();
	htmlNodeDump(out, d->tree, xmlDocGetRootElement(d->tree));
	assert_non_null(strstr((const char *)xmlBufferContent(out),
			       "content=\"5; url='/web/2/next'\""));
	assert_non_null(strstr((const char *)xmlBufferContent(out),
			       "srcset=\"/web/11/i1.png 1x, /web/12/i2.png 2x\""));
	assert_non_null(strstr((const char *)xmlBufferContent(out),
			       "@import \"/web/5/i.css\"; b { background: url( "
			       "'/web/6/b\\).png' ) }"));
	assert_non_null(strstr((const char *)xmlBufferContent(out),
			       "<base href=\"/web/1/http://ex.com/d/\">"));
	assert_non_null(strstr((const char *)xmlBufferContent(out),
			       "data-n=\"3\""));
	xmlBufferFree(out);
	buf_release(&got);
	html_free(d);
}

#define FIXTURE_URL "https://www.dpmc.govt.nz/dir/page"

/* Each fixture gives what tests/unit/data/html/NAME.expected holds: what
 * the links, extraction and boilerplate code before src/html found. */
static void test_fixtures_as_before(void **state)
{
	static const char *const fixtures[][2] = {
		{ "tests/unit/data/diff", "article-only.html" },
		{ "tests/unit/data/diff", "broken.html" },
		{ "tests/unit/data/diff", "cp1252.html" },
		{ "tests/unit/data/diff", "dpmc-d7.html" },
		{ "tests/unit/data/diff", "dpmc-v1-redated.html" },
		{ "tests/unit/data/diff", "dpmc-v1.html" },
		{ "tests/unit/data/diff", "dpmc-v2.html" },
		{ "tests/unit/data/diff", "no-landmarks.html" },
		{ "tests/unit/data/diff", "pair.html" },
		{ "tests/fuzz/corpus/links", "broken.html" },
		{ "tests/fuzz/corpus/links", "every-tag.html" },
		{ "tests/fuzz/corpus/links", "windows-1252.html" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(*fixtures); i++) {
		struct buf got = BUF_INIT(0);
		char name[256], *html, *want;
		size_t len;

		html = test_load(fixtures[i][0], fixtures[i][1], &len);
		describe(html, len, FIXTURE_URL, "text/html", &got);
		buf_addc(&got, 0);
		snprintf(name, sizeof(name), "%s-%s.expected",
			 strrchr(fixtures[i][0], '/') + 1, fixtures[i][1]);
		want = test_load("tests/unit/data/html", name, NULL);
		if (strcmp(got.data, want))
			fail_msg("%s/%s: extraction differs from %s",
				 fixtures[i][0], fixtures[i][1], name);
		free(want);
		free(html);
		buf_release(&got);
	}
}

/* ---- simple XPath selectors ---- */

/* Shapes html_sel knows (the generic main-content candidates, dpmc.conf's
 * rules, and harder ones), and shapes it leaves to libxml2. */
static const char *const SEL_EXPRS[] = {
	"//main", "//*[@role='main']", "//*[@id='main' or @id='main-content']",
	"//article", "//body", "//title", "//a", "//*",
	"//main[@id='main-content']//article", "//main[@id='main-content']",
	"//nav[@aria-label='Breadcrumb']",
	"//*[contains(@class,'field--name-field-last-updated')]",
	"//*[contains(@class,'share') or contains(@class,'social')]",
	"//*[contains(@class,'field--name-field-issue-date')]",
	"//div[contains(@class, '')]", "//*[@class]", "//*[not(@class)]",
	"//div[@class and not(@id)][contains(@class,'a')]",
	"//*[('main' = @id or @id = \"content\") and (@class)]",
	"//ul//li//a[@href]", "//div//div", "//*//*//*", "//li | //a | //p",
	"//div//a | //ul//a", "//section[@id]//p", " // p [ @class ] ",
};
static const char *const SEL_REFUSED[] = {
	"//a[1]", "/html/body", "//div/p", "//a[@href!='x']", "//x:a",
	"//a | .//b", "//a[starts-with(@href,'x')]", "//a[text()='x']",
	"main", "//a[@href='x'", "//a[contains(@href)]", "", "//a[@href=x]",
	"//a[@href='x']]", "//a or //b",
};

/* What libxml2's XPath selects at at (NULL: the document), as
 * xpath_nodes_at in src/diff/extract.c reads it. */
static size_t libxml2_nodes(xmlDoc *doc, const char *expr, xmlNode *at,
			    xmlNode **out, size_t max)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	size_t n = 0;
	int i;

	ctx->node = at ? at : (xmlNode *)doc;
	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (o && o->type == XPATH_NODESET && o->nodesetval)
		for (i = 0; i < o->nodesetval->nodeNr && n < max; i++)
			out[n++] = o->nodesetval->nodeTab[i];
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

#define SEL_MAX_NODES 50000

/* html_sel against libxml2 on one page: every expression from the
 * document and, made relative (".//"), under the first elements the
 * generic candidates select, all nodes and the first two.  0, or 1 with
 * the first difference described in msg. */
static int select_check(const char *html, size_t len, char *msg, size_t ml)
{
	static xmlNode *a[SEL_MAX_NODES], *b[SEL_MAX_NODES];
	struct html_doc *d;
	struct err e;
	xmlNode *ctxs[8];
	size_t i, c, na, nb, nctx;
	int bad = 0;

	if (html_parse(html, len, "text/html", "http://ex.com/", 0, &d, &e) < 0)
		return snprintf(msg, ml, "parse: %.200s", e.msg), 1;
	ctxs[0] = NULL;
	nctx = 1 + libxml2_nodes(d->tree, "//main | //*[@role='main'] | "
				 "//article | //body | //div", NULL, ctxs + 1, 7);
	for (i = 0; !bad && i < sizeof(SEL_EXPRS) / sizeof(*SEL_EXPRS); i++) {
		char rel[512], *p;
		struct html_sel *s = html_sel_compile(SEL_EXPRS[i]), *r;

		snprintf(rel, sizeof(rel), ".%s", SEL_EXPRS[i] +
			 strspn(SEL_EXPRS[i], " "));
		while ((p = strstr(rel, "| //"))) {
			memmove(p + 3, p + 2, strlen(p + 2) + 1);
			p[2] = '.';
		}
		r = html_sel_compile(rel);
		for (c = 0; !bad && c < nctx; c++) {
			const struct html_sel *use = c ? r : s;
			const char *expr = c ? rel : SEL_EXPRS[i];

			if (!use) {
				snprintf(msg, ml, "refused: %.200s", expr);
				bad = 1;
				break;
			}
			na = html_sel_find(use, d->tree, ctxs[c], a, SEL_MAX_NODES);
			nb = libxml2_nodes(d->tree, expr, ctxs[c], b, SEL_MAX_NODES);
			if (na != nb || memcmp(a, b, na * sizeof(*a)))
				bad = snprintf(msg, ml, "%.200s at %s: %zu nodes, "
					       "libxml2 %zu", expr, c ?
					       (const char *)ctxs[c]->name : "/",
					       na, nb) > 0;
			else if ((na = html_sel_find(use, d->tree, ctxs[c], a, 2)) !=
				 (nb < 2 ? nb : 2) || memcmp(a, b, na * sizeof(*a)))
				bad = snprintf(msg, ml, "%.200s: the first two differ",
					       expr) > 0;
		}
		html_sel_free(s);
		html_sel_free(r);
	}
	html_free(d);
	return bad;
}

/* The same elements as libxml2 on every fixture; shapes it does not know
 * are refused. */
static void test_select_as_libxml2(void **state)
{
	static const char *const pages[][2] = {
		{ "tests/unit/data/diff", "article-only.html" },
		{ "tests/unit/data/diff", "broken.html" },
		{ "tests/unit/data/diff", "cp1252.html" },
		{ "tests/unit/data/diff", "dpmc-d7.html" },
		{ "tests/unit/data/diff", "dpmc-v1.html" },
		{ "tests/unit/data/diff", "dpmc-v2.html" },
		{ "tests/unit/data/diff", "no-landmarks.html" },
		{ "tests/fuzz/corpus/links", "every-tag.html" },
	};
	static const char attrs[] =
		"<html><body><div class=\"a share\" id=\"main\">x"
		"<p class=\"\">y</p><main id=\"main-content\"><article>z"
		"<div id=content class=b><a href=\"/q\">q</a></div></article>"
		"<svg><a href=\"/s\">s</a></svg></main></div>"
		"<ul><li><a href=\"/l\" class=social>l</a></li></ul>"
		"<section id=s><div><p>p</p></div></section></body></html>";
	char msg[512];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(SEL_REFUSED) / sizeof(*SEL_REFUSED); i++)
		if (html_sel_compile(SEL_REFUSED[i]))
			fail_msg("html_sel took \"%s\"", SEL_REFUSED[i]);
	if (select_check(attrs, sizeof(attrs) - 1, msg, sizeof(msg)))
		fail_msg("inline page: %s", msg);
	for (i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
		char *html = test_load(pages[i][0], pages[i][1], &len);

		if (select_check(html, len, msg, sizeof(msg)))
			fail_msg("%s/%s: %s", pages[i][0], pages[i][1], msg);
		free(html);
	}
}

/* `test-html --select FILE...`: the same check on any pages. */
static int select_files(int argc, char **argv)
{
	char msg[512];
	int i, bad = 0;

	for (i = 0; i < argc; i++) {
		size_t len;
		char *html = read_file(argv[i], &len);

		if (!html || select_check(html, len, msg, sizeof(msg))) {
			printf("%s: %s\n", argv[i], html ? msg : "unreadable");
			bad = 1;
		}
		free(html);
	}
	return bad;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_charset_bom),
		cmocka_unit_test(test_charset_header_and_meta),
		cmocka_unit_test(test_charset_mislabelled),
		cmocka_unit_test(test_charset_utf8_check),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_walk_and_rewrite),
		cmocka_unit_test(test_fixtures_as_before),
		cmocka_unit_test(test_select_as_libxml2),
	};

	if (argc == 5 && !strcmp(argv[1], "--dump"))
		return dump_file(argv[2], argv[3], argv[4]);
	if (argc >= 3 && !strcmp(argv[1], "--select"))
		return select_files(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "--digest"))
		return digest_dir(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
