/* Unit tests for src/diff extraction: main content by rules and landmarks,
 * blocks, links, "Last updated"/"Issue date", charsets, broken and hostile
 * HTML, the rules parser and the storable form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff/extract.h"
#include "html/html.h"
#include "util/digest.h"
#include "test-helpers.h"

#define URL "https://www.dpmc.govt.nz/news/five-country-ministerial-2024"

/* Parse with src/html, then extract: charset as an HTTP header would
 * give it (NULL: none). */
static int extract_bytes(const char *html, size_t len, const char *charset,
			 const char *url, const struct diff_rules *r,
			 const char *force, struct diff_page *p, struct err *e)
{
	char ct[96];
	struct html_doc *d;
	int rc;

	snprintf(ct, sizeof(ct), "text/html%s%s", charset ? "; charset=" : "",
		 charset ? charset : "");
	diff_page_init(p);
	if (html_parse(html, len, ct, url, 0, &d, e) < 0)
		return -1;
	rc = diff_extract_doc(d, r, force, p, e);
	html_free(d);
	return rc;
}

static char *load(const char *name, size_t *len)
{
	return test_load("tests/unit/data/diff", name, len);
}

static void extract_file(const char *name, const char *charset,
			 const struct diff_rules *r, const char *force,
			 struct diff_page *p)
{
	size_t len;
	char *html = load(name, &len);
	struct err e;

	assert_int_equal(extract_bytes(html, len, charset, URL, r, force, p, &e), 0);
	free(html);
}

/* "kind\ttext" per block, one a line. */
static char *blocks_of(const struct diff_page *p)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	for (i = 0; i < p->n_blocks; i++)
		buf_addf(&b, "%s\t%s\n", diff_block_kind_name(p->blocks[i].kind),
			 p->blocks[i].text);
	return buf_detach(&b, NULL);
}

static char *links_of(const struct diff_page *p)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	for (i = 0; i < p->n_links; i++)
		buf_addf(&b, "%s\n", p->links[i]);
	return buf_detach(&b, NULL);
}

#define assert_blocks(p, want) do { char *got_ = blocks_of(p); \
	assert_string_equal(got_, want); free(got_); } while (0)
#define assert_links(p, want) do { char *got_ = links_of(p); \
	assert_string_equal(got_, want); free(got_); } while (0)

static void rules_dpmc(struct diff_rules *r)
{
	static const char *const lines[] = {
		"# DPMC (Drupal 10)",
		"name = dpmc",
		"main = //main[@id='main']",
		"remove = //div[contains(@class,'share-links')]",
		"extract-remove = //span[@class='content-type']",
		"date = //div[contains(@class,'last-updated')]",
		"issue-date = //div[contains(@class,'field--issue-date')]",
	};
	struct err e;
	size_t i;

	diff_rules_init(r);
	for (i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		assert_int_equal(diff_rules_parse_line(r, lines[i], &e), i ? 1 : 0);
}

/* dpmc-v1.html's main text, after the breadcrumb and before the share
 * links (what the generic and the DPMC rules agree on). */
#define V1_MAIN_BLOCKS \
	"h1\tFive Country Ministerial 2024\n" \
	"text\tPublished by:\n" \
	"text\tDepartment of the Prime Minister and Cabinet (DPMC)\n" \
	"h2\tFive Country Ministerial Communiqu\xc3\xa9\n" \
	"p\tWe, the Home Affairs, Interior, Security and Immigration " \
	"Ministers of Australia, Canada, New Zealand, the United Kingdom, " \
	"and the United States (the \xe2\x80\x98" "Five Countries\xe2\x80\x99) " \
	"remain steadfast in our commitment.\n" \
	"h3\tCyber Security\n" \
	"p\tThe increase in malicious and sophisticated cyber security " \
	"threats is impacting the daily lives of citizens.\n" \
	"li\tLawful Access\n" \
	"li\tFive Country Ministerial Statement on Irregular Migration\n" \
	"th\tCountry | Minister\n" \
	"td\tNew Zealand\n"

/* dpmc-v1.html's "Last updated" and "Issue date". */
static void assert_v1_dates(const struct diff_page *p)
{
	assert_string_equal(p->updated.ymd, "2024-10-21");
	assert_string_equal(p->updated.raw, "Last updated Monday, 21 October 2024");
	assert_string_equal(p->issued.ymd, "2024-10-21");
	assert_string_equal(p->issued.raw, "Issue date: Monday, 21 October 2024");
}

static void test_dpmc_generic(void **state)
{
	struct diff_page p;

	(void)state;
	extract_file("dpmc-v1.html", NULL, NULL, NULL, &p);
	assert_string_equal(p.rule, "generic:main");
	assert_string_equal(p.title, "Five Country Ministerial 2024 | Department "
			    "of the Prime Minister and Cabinet (DPMC)");
	assert_blocks(&p,
		"text\tNews\n"
		V1_MAIN_BLOCKS
		"text\tShare on X\n");
	assert_links(&p,
		"https://www.ncsc.govt.nz/\n"
		"https://www.dpmc.govt.nz/sites/default/files/2024-10/statement.pdf\n"
		"https://twitter.com/intent/tweet?url=x\n");
	/* the printed date wins over the UTC datetime attribute (20 Oct) */
	assert_v1_dates(&p);
	assert_int_equal(p.truncated, 0);
	diff_page_release(&p);
}

static void test_dpmc_rules(void **state)
{
	struct diff_rules r;
	struct diff_page p;

	(void)state;
	rules_dpmc(&r);
	extract_file("dpmc-v1.html", "utf-8", &r, NULL, &p);
	assert_string_equal(p.rule, "rule:dpmc");
	assert_blocks(&p, V1_MAIN_BLOCKS);
	assert_links(&p,
		"https://www.ncsc.govt.nz/\n"
		"https://www.dpmc.govt.nz/sites/default/files/2024-10/statement.pdf\n");
	assert_v1_dates(&p);
	assert_string_equal(p.text_digest, "sha1:7YM4VKMKSLYWZPI2ZAHDJ4HNYTHSF4MM");
	diff_page_release(&p);
	diff_rules_release(&r);
}

static void test_date_only_change_same_digest(void **state)
{
	struct diff_rules r;
	struct diff_page a, b;

	(void)state;
	rules_dpmc(&r);
	extract_file("dpmc-v1.html", NULL, &r, NULL, &a);
	extract_file("dpmc-v1-redated.html", NULL, &r, NULL, &b);
	assert_string_equal(a.text_digest, b.text_digest);
	assert_string_equal(b.updated.ymd, "2024-11-05");
	assert_string_equal(b.updated.raw, "Last updated Tuesday, 5 November 2024");
	diff_page_release(&a);
	diff_page_release(&b);
	/* the same without rules: the wording fallback removes the line */
	extract_file("dpmc-v1.html", NULL, NULL, NULL, &a);
	extract_file("dpmc-v1-redated.html", NULL, NULL, NULL, &b);
	assert_string_equal(a.text_digest, b.text_digest);
	assert_string_equal(b.updated.ymd, "2024-11-05");
	diff_page_release(&a);
	diff_page_release(&b);
	diff_rules_release(&r);
}

static void test_drupal7(void **state)
{
	struct diff_rules r;
	struct diff_page p;
	struct err e;

	(void)state;
	extract_file("dpmc-d7.html", NULL, NULL, NULL, &p);
	/* <a id="main-content"> is empty, so #main is used, sidebar and all */
	assert_string_equal(p.rule, "generic:main-id");
	assert_blocks(&p,
		"h1\tCabinet Manual\n"
		"p\tThe Cabinet Manual is the primary source of information on "
		"the conventions, key principles and procedures of executive "
		"government.\n"
		"p\tIt is endorsed by each incoming government at its first "
		"Cabinet meeting. See the foreword.\n"
		"dt\tEdition\n"
		"dd\t2017\n"
		"h2\tRelated\n"
		"p\tCabinet Office\n");
	assert_string_equal(p.updated.ymd, "2017-06-28");
	assert_string_equal(p.updated.raw, "Last updated: Wednesday, 28 June 2017");
	assert_links(&p, "https://www.dpmc.govt.nz/cabinet/manual?x=1\n");
	diff_page_release(&p);

	diff_rules_init(&r);
	assert_int_equal(diff_rules_set(&r, "name", "dpmc-d7", &e), 1);
	assert_int_equal(diff_rules_set(&r, "main", "//div[@id='nomatch']", &e), 1);
	assert_int_equal(diff_rules_set(&r, "main", "//div[@id='content']", &e), 1);
	assert_int_equal(diff_rules_set(&r, "date",
		"//div[contains(@class,'field-name-field-last-updated')]", &e), 1);
	assert_int_equal(diff_rules_set(&r, "date-format", "l, j F Y", &e), 1);
	assert_string_equal(r.date_format[0], "%A, %d %B %Y");
	extract_file("dpmc-d7.html", NULL, &r, NULL, &p);
	assert_string_equal(p.rule, "rule:dpmc-d7:2");
	assert_blocks(&p,
		"h1\tCabinet Manual\n"
		"p\tThe Cabinet Manual is the primary source of information on "
		"the conventions, key principles and procedures of executive "
		"government.\n"
		"p\tIt is endorsed by each incoming government at its first "
		"Cabinet meeting. See the foreword.\n"
		"dt\tEdition\n"
		"dd\t2017\n");
	assert_string_equal(p.updated.ymd, "2017-06-28");
	assert_string_equal(p.updated.raw, "Last updated: Wednesday, 28 June 2017");
	diff_page_release(&p);
	diff_rules_release(&r);
}

static void test_article_only(void **state)
{
	struct diff_page p;

	(void)state;
	extract_file("article-only.html", NULL, NULL, NULL, &p);
	assert_string_equal(p.rule, "generic:article");
	assert_string_equal(p.title, "Speech: Budget 2023");
	assert_blocks(&p,
		"h1\tBudget 2023 speech\n"
		"p\tFri 10 Feb 2023\n"
		"p\tT\xc4\x93n\xc4\x81 koutou katoa. Today we deliver a Budget for "
		"the future.\n"
		"quote\tText quoted directly.\n"
		"p\tA quoted paragraph.\n"
		"pre\tline one\n"
		"pre\tline two\n");
	/* outside the article: found by its wording anywhere in the page */
	assert_string_equal(p.updated.ymd, "2023-02-14");
	assert_string_equal(p.updated.raw, "Page last updated: 14 February 2023");
	assert_null(p.issued.raw);
	assert_string_equal(p.issued.ymd, "");
	assert_int_equal(p.n_links, 0);
	diff_page_release(&p);
}

static void test_no_landmarks(void **state)
{
	struct diff_page p;

	(void)state;
	extract_file("no-landmarks.html", NULL, NULL, NULL, &p);
	assert_string_equal(p.rule, "generic:body");
	assert_string_equal(p.title, "Plain page");
	assert_blocks(&p,
		"li\tHome\n"
		"h1\tPlain page\n"
		"text\tLoose text in the body.\n"
		"text\tFirst bold italic words.\n"
		"p\tSee the other site and email us or nothing.\n");
	/* links are http(s) URLs resolved by url_resolve: no mailto: */
	assert_links(&p,
		"https://www.dpmc.govt.nz/\n"
		"http://other.example/x?y=1\n");
	assert_string_equal(p.updated.ymd, "2024-11-05");
	assert_string_equal(p.updated.raw, "Updated 2024-11-05");
	diff_page_release(&p);
}

static void test_windows_1252(void **state)
{
	static const char *const charsets[] = { "windows-1252", "ISO-8859-1",
						NULL };
	struct diff_page p;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		extract_file("cp1252.html", charsets[i], NULL, NULL, &p);
		assert_string_equal(p.title, "Caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9");
		assert_blocks(&p,
			"p\t\xe2\x80\x9cSmart quotes\xe2\x80\x9d \xe2\x80\x93 en dash, "
			"\xe2\x82\xac euro, na\xc3\xafve caf\xc3\xa9.\n");
		assert_string_equal(p.updated.ymd, "2024-10-21");
		assert_string_equal(p.updated.raw, "Last modified 21/10/2024");
		diff_page_release(&p);
	}
}

static void test_broken(void **state)
{
	struct diff_page p;
	struct err e;

	(void)state;
	extract_file("broken.html", NULL, NULL, NULL, &p);
	assert_string_equal(p.rule, "generic:main");
	assert_blocks(&p,
		"p\tUnclosed paragraph bold both italic?\n"
		"p\tSecond < not a tag & stray ampersand &bogus; entity\n"
		"li\torphan item\n"
		"td\torphan cell\n"
		"p\tafter main\n");
	diff_page_release(&p);
	/* nothing at all, and bytes that are no HTML */
	assert_int_equal(extract_bytes("", 0, NULL, URL, NULL, NULL, &p, &e), 0);
	assert_int_equal(p.n_blocks, 0);
	assert_string_equal(p.rule, "generic:body");
	assert_string_equal(p.text_digest, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
	diff_page_release(&p);
	assert_int_equal(extract_bytes("\0\xff\xfe<\x01\x1b[31m", 9, NULL, NULL,
				      NULL, NULL, &p, &e), 0);
	diff_page_release(&p);
	/* a page html_parse had to cut is not extracted */
	{
		struct html_doc *d;

		assert_int_equal(html_parse("<p>abc", 6, NULL, URL, 3, &d, &e), 0);
		assert_int_equal(d->cut, 1);
		assert_int_equal(diff_extract_doc(d, NULL, NULL, &p, &e), -1);
		assert_non_null(strstr(e.msg, URL));
		html_free(d);
	}
}

static void test_hostile_nesting(void **state)
{
	struct buf b = BUF_INIT(0);
	struct diff_page p;
	struct err e;
	int i;

	(void)state;
	buf_adds(&b, "<html><body><main><p>before</p>");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "<div><li><b>");
	buf_adds(&b, "deep</main></body></html>");
	assert_int_equal(extract_bytes(b.data, b.len, NULL, URL, NULL, NULL, &p, &e), 0);
	assert_true(p.n_blocks <= DIFF_MAX_BLOCKS);
	diff_page_release(&p);
	/* many blocks: capped */
	buf_reset(&b);
	buf_adds(&b, "<main>");
	for (i = 0; i < DIFF_MAX_BLOCKS + 10; i++)
		buf_addf(&b, "<p>%d</p>", i);
	assert_int_equal(extract_bytes(b.data, b.len, NULL, URL, NULL, NULL, &p, &e), 0);
	assert_int_equal(p.n_blocks, DIFF_MAX_BLOCKS);
	assert_int_equal(p.truncated, 1);
	diff_page_release(&p);
	/* control characters never reach the text */
	buf_reset(&b);
	buf_adds(&b, "<main><p>a\x1b[31mb\x07 c\xc2\x9b" "d</p></main>");
	assert_int_equal(extract_bytes(b.data, b.len, "utf-8", URL, NULL, NULL, &p, &e), 0);
	assert_blocks(&p, "p\ta[31mb cd\n");
	diff_page_release(&p);
	buf_release(&b);
}

static void test_force_rule(void **state)
{
	static const char html[] =
		"<body><main><p>main text</p></main>"
		"<article><p>article text</p></article></body>";
	struct diff_page p;
	struct err e;

	(void)state;
	assert_int_equal(extract_bytes(html, sizeof(html) - 1, NULL, URL, NULL,
				      "generic:article", &p, &e), 0);
	assert_string_equal(p.rule, "generic:article");
	assert_blocks(&p, "p\tarticle text\n");
	diff_page_release(&p);
	assert_int_equal(extract_bytes(html, sizeof(html) - 1, NULL, URL, NULL,
				      "generic:body", &p, &e), 0);
	assert_string_equal(p.rule, "generic:body");
	assert_blocks(&p, "p\tmain text\np\tarticle text\n");
	diff_page_release(&p);
	/* a label that no longer selects anything: the usual order */
	assert_int_equal(extract_bytes(html, sizeof(html) - 1, NULL, URL, NULL,
				      "rule:gone", &p, &e), 0);
	assert_string_equal(p.rule, "generic:main");
	diff_page_release(&p);
}

/* <header>: the site's goes with the body, a section's or an article's
 * stays. */
static void test_headers(void **state)
{
	static const char body[] =
		"<body><header><a href=\"/\">Site name</a></header>"
		"<div><section><header><h2>Section</h2></header><p>Text.</p>"
		"</section></div><footer>Foot</footer></body>";
	static const char art[] =
		"<body><header>Site</header><article><header><h1>Title</h1>"
		"</header><p>Body <span hidden>secret</span>text.</p></article>"
		"</body>";
	struct diff_page p;
	struct err e;

	(void)state;
	assert_int_equal(extract_bytes(body, sizeof(body) - 1, NULL, URL, NULL,
				      NULL, &p, &e), 0);
	assert_string_equal(p.rule, "generic:body");
	assert_blocks(&p, "h2\tSection\np\tText.\n");
	diff_page_release(&p);
	assert_int_equal(extract_bytes(art, sizeof(art) - 1, NULL, URL, NULL,
				      NULL, &p, &e), 0);
	assert_string_equal(p.rule, "generic:article");
	assert_blocks(&p, "h1\tTitle\np\tBody text.\n");
	diff_page_release(&p);
}

/* A rule finds the date elsewhere: a dated line in the text still goes. */
static void test_rule_date_and_line(void **state)
{
	static const char html[] =
		"<body><div class=\"meta-date\">Updated <time datetime=\"2024-11-05\">"
		"yesterday</time></div><main><p>Body.</p>"
		"<p>Last updated 4 November 2024</p></main></body>";
	struct diff_rules r;
	struct diff_page p;
	struct err e;

	(void)state;
	diff_rules_init(&r);
	assert_int_equal(diff_rules_set(&r, "date", "//div[@class='meta-date']", &e), 1);
	assert_int_equal(extract_bytes(html, sizeof(html) - 1, NULL, URL, &r, NULL,
				      &p, &e), 0);
	assert_string_equal(p.rule, "generic:main");
	assert_string_equal(p.updated.ymd, "2024-11-05");
	assert_string_equal(p.updated.raw, "Updated yesterday");
	assert_blocks(&p, "p\tBody.\n");
	diff_page_release(&p);
	/* a removal that cannot be made relative still applies */
	assert_int_equal(diff_rules_set(&r, "remove", "(//p)[1]", &e), 1);
	assert_int_equal(extract_bytes(html, sizeof(html) - 1, NULL, URL, &r, NULL,
				      &p, &e), 0);
	assert_int_equal(p.n_blocks, 0);
	diff_page_release(&p);
	diff_rules_release(&r);
}

static void test_dates(void **state)
{
	static const struct { const char *in, *ymd; } t[] = {
		{ "Last updated Monday, 21 October 2024", "2024-10-21" },
		{ "Wednesday, 28 June 2017", "2017-06-28" },
		{ "Fri 10 Feb 2023", "2023-02-10" },
		{ "on 21 Oct 2024.", "2024-10-21" },
		{ "October 21, 2024", "2024-10-21" },
		{ "2024-10-21T10:00:00+13:00", "2024-10-21" },
		{ "21/10/2024", "2024-10-21" },
		{ "1st Sept 2023", "2023-09-01" },
		{ "21 October, 2024", "2024-10-21" },
		{ "2024/10/21", "2024-10-21" },
		{ "Thursday 29 February 2024", "2024-02-29" },
		{ "29 February 2023", "" },
		{ "31 February 2024", "" },
		{ "21 Octember 2024", "" },
		{ "12021 October 2024", "" },
		{ "version 2.1 of 2024", "" },
	};
	char ymd[11];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		long k = diff_date_find(t[i].in, strlen(t[i].in), NULL, ymd);

		if (*t[i].ymd) {
			assert_true(k > 0);
			assert_string_equal(ymd, t[i].ymd);
		} else {
			assert_int_equal(k, -1);
		}
	}
}

static void test_rules_parse(void **state)
{
	struct diff_rules r;
	struct err e;

	(void)state;
	diff_rules_init(&r);
	assert_int_equal(diff_rules_parse_line(&r, "", &e), 0);
	assert_int_equal(diff_rules_parse_line(&r, "  # comment", &e), 0);
	assert_int_equal(diff_rules_parse_line(&r, "delay = 2", &e), 0);
	assert_int_equal(diff_rules_parse_line(&r, "main=//main  \n", &e), 1);
	assert_string_equal(r.main[0], "//main");
	assert_int_equal(diff_rules_parse_line(&r, "remove = //div[", &e), -1);
	assert_string_equal(e.msg, "extraction rule remove: bad XPath: //div[");
	assert_int_equal(diff_rules_parse_line(&r, "date-format = %d.%m.%Y", &e), 1);
	assert_string_equal(r.date_format[0], "%d.%m.%Y");
	assert_int_equal(diff_rules_parse_line(&r, "date =", &e), -1);
	diff_rules_release(&r);
	diff_rules_release(NULL);
}

/* ignore-text: compiled when set (a bad one names itself), matched per
 * block; split moves exactly the matching blocks, in order. */
static void test_ignore_text(void **state)
{
	static const char *const texts[] = { "Viewed 12 times", "Body text.",
		"Not Viewed 3 times", "Updated 5 minutes ago", "Viewed 9 times" };
	struct diff_rules r;
	struct diff_page p, ign;
	struct err e;
	size_t i;

	(void)state;
	diff_rules_init(&r);
	assert_int_equal(diff_rules_parse_line(&r,
		"ignore-text = ^Viewed [0-9]+ times$", &e), 1);
	assert_int_equal(diff_rules_set(&r, "extract-ignore-text",
					"[0-9]+ minutes? ago$", &e), 1);
	assert_int_equal(diff_rules_set(&r, "ignore-text", "([0-9]", &e), -1);
	assert_non_null(strstr(e.msg, "extraction rule ignore-text: bad "
			       "regular expression '([0-9]': "));
	assert_int_equal(diff_rules_set(&r, "ignore-text", "", &e), -1);
	/* glibc's regcomp takes memory exponential in stacked repetitions */
	assert_int_equal(diff_rules_set(&r, "ignore-text", "a++++++++++", &e), -1);
	assert_non_null(strstr(e.msg, "a repetition operator after another"));
	assert_int_equal(r.n_ignore_text, 2);
	assert_int_equal(diff_rules_ignored(&r, "Viewed 12 times"), 0);
	assert_int_equal(diff_rules_ignored(&r, "Viewed 12 times."), -1);
	assert_int_equal(diff_rules_ignored(&r, "Updated 1 minute ago"), 1);
	assert_int_equal(diff_rules_ignored(NULL, "Viewed 1 times"), -1);

	diff_page_init(&p);
	diff_page_init(&ign);
	p.blocks = calloc(5, sizeof(*p.blocks));
	assert_non_null(p.blocks);
	for (i = 0; i < 5; i++) {
		p.blocks[i].kind = DIFF_BK_P;
		p.blocks[i].text = strdup(texts[i]);
		p.blocks[i].len = strlen(texts[i]);
	}
	p.n_blocks = 5;
	assert_int_equal(diff_page_split_ignored(&p, &r, &ign), 0);
	assert_int_equal(p.n_blocks, 2);
	assert_string_equal(p.blocks[0].text, "Body text.");
	assert_string_equal(p.blocks[1].text, "Not Viewed 3 times");
	assert_int_equal(ign.n_blocks, 3);
	assert_string_equal(ign.blocks[0].text, "Viewed 12 times");
	assert_string_equal(ign.blocks[1].text, "Updated 5 minutes ago");
	assert_string_equal(ign.blocks[2].text, "Viewed 9 times");
	diff_page_release(&p);
	diff_page_release(&ign);
	diff_rules_release(&r);
}

static void test_store_roundtrip(void **state)
{
	struct diff_page p, q;
	struct buf a = BUF_INIT(0), b = BUF_INIT(0);
	struct err e;

	(void)state;
	extract_file("dpmc-v1.html", NULL, NULL, NULL, &p);
	assert_int_equal(diff_page_serialize(&p, &a), 0);
	assert_int_equal(strncmp(a.data,
		"@title\tFive Country Ministerial 2024 | Department of the Prime "
		"Minister and Cabinet (DPMC)\n@rule\tgeneric:main\n"
		"@updated\t2024-10-21\tLast updated Monday, 21 October 2024\n"
		"@issued\t2024-10-21\tIssue date: Monday, 21 October 2024\n"
		"@digest\tsha1:", 212), 0);
	assert_int_equal(diff_page_parse(a.data, a.len, &q, &e), 0);
	assert_int_equal(diff_page_serialize(&q, &b), 0);
	assert_string_equal(a.data, b.data);
	assert_int_equal(q.n_blocks, p.n_blocks);
	assert_int_equal(q.blocks[1].kind, DIFF_BK_H1);
	assert_string_equal(q.updated.ymd, "2024-10-21");
	diff_page_release(&q);
	assert_int_equal(diff_page_parse("@future\tx\nzz\ttext\n", 18, &q, &e), -1);
	assert_string_equal(e.msg, "stored page text, line 2: malformed");
	diff_page_release(&p);
	buf_release(&a);
	buf_release(&b);
}

static void test_digest_is_text(void **state)
{
	struct diff_page p;
	struct buf t = BUF_INIT(0);
	char label[40];

	(void)state;
	extract_file("no-landmarks.html", NULL, NULL, NULL, &p);
	assert_int_equal(diff_page_text(&p, &t), 0);
	assert_string_equal(t.data, "Home\nPlain page\nLoose text in the body.\n"
			    "First bold italic words.\n"
			    "See the other site and email us or nothing.");
	digest_sha1_label(t.data, t.len, label);
	assert_string_equal(p.text_digest, label);
	diff_page_release(&p);
	buf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpmc_generic),
		cmocka_unit_test(test_dpmc_rules),
		cmocka_unit_test(test_date_only_change_same_digest),
		cmocka_unit_test(test_drupal7),
		cmocka_unit_test(test_article_only),
		cmocka_unit_test(test_no_landmarks),
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_hostile_nesting),
		cmocka_unit_test(test_force_rule),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_rule_date_and_line),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_rules_parse),
		cmocka_unit_test(test_ignore_text),
		cmocka_unit_test(test_store_roundtrip),
		cmocka_unit_test(test_digest_is_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
