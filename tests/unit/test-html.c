/* Unit tests for src/html, and the same links and main text as before on
 * every fixture and replica page.
 *
 * `test-html --dump FILE URL CONTENT-TYPE` prints what the extraction finds
 * in one page (links, title, rule, dates, text blocks, boilerplate);
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
 *     broken.html's "after main") is main text, not boilerplate.
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

		buf_addf(out, "boiler\t%.*s\n", (int)n, boiler.data + i);
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
		{ "tests/fuzz/corpus-links", "broken.html" },
		{ "tests/fuzz/corpus-links", "every-tag.html" },
		{ "tests/fuzz/corpus-links", "windows-1252.html" },
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

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_as_before),
	};

	if (argc == 5 && !strcmp(argv[1], "--dump"))
		return dump_file(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "--digest"))
		return digest_dir(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
