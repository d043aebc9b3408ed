/* libFuzzer target for src/diff: extract any bytes as HTML (generic and
 * with DPMC-like rules, with and without a charset), store and re-read the
 * result, diff it against a fixed page and render every format.  Not built
 * by default; `make fuzz` builds it (clang, against the whole library);
 * run it with new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-extract && build-fuzz/fuzz-extract -max_total_time=60 /tmp/fuzz-extract tests/fuzz/corpus/extract tests/unit/data/diff
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diff/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_page[] =
	"@updated\t2024-10-21\tLast updated Monday, 21 October 2024\n"
	"@link\thttps://www.dpmc.govt.nz/a\n"
	"h1\tFive Country Ministerial 2024\n"
	"p\tThe Five Countries remain steadfast in our commitment.\n"
	"li\tLawful Access\n";

static void diff_all(const struct diff_page *a, const struct diff_page *b)
{
	struct diff_render_opts o = { "https://www.dpmc.govt.nz/x",
				      "2024-10-21T01:02:03Z", NULL, 1 };
	struct diff_result r;
	struct buf out = BUF_INIT(1 << 24);
	struct err e;
	int f;

	if (diff_pages(a, b, &r, &e) < 0)
		return;
	for (f = DIFF_FMT_TEXT; f <= DIFF_FMT_JSON; f++) {
		diff_render((enum diff_format)f, &r, &o, &out, &e);
		buf_reset(&out);
	}
	diff_summary(&r, &out);
	buf_release(&out);
	diff_result_release(&r);
}

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *url = "https://www.dpmc.govt.nz/news/item";
	struct diff_rules rules;
	struct diff_page p, q, base;
	struct buf stored = BUF_INIT(0);
	struct err e;
	char ymd[11];

	diff_rules_init(&rules);
	diff_rules_parse_line(&rules, "name = dpmc", &e);
	diff_rules_parse_line(&rules, "main = //main[@id='main']", &e);
	diff_rules_parse_line(&rules, "remove = //nav", &e);
	diff_rules_parse_line(&rules, "date = //div[contains(@class,'last-updated')]", &e);
	diff_rules_parse_line(&rules, "date-format = l, j F Y", &e);
	diff_page_parse(base_page, sizeof(base_page) - 1, &base, &e);

	if (extract_bytes(s, size, NULL, url, NULL, NULL, &p, &e) == 0) {
		diff_page_serialize(&p, &stored);
		if (diff_page_parse(stored.data, stored.len, &q, &e) == 0) {
			diff_all(&p, &q);
			diff_page_release(&q);
		}
		diff_all(&base, &p);
		diff_all(&p, &base);
		diff_page_release(&p);
	}
	if (extract_bytes(s, size, "windows-1252", url, &rules, "rule:dpmc",
			 &p, &e) == 0)
		diff_page_release(&p);
	/* the same bytes as a stored page and as date text */
	if (diff_page_parse(s, size, &q, &e) == 0) {
		diff_all(&base, &q);
		diff_page_release(&q);
	}
	diff_date_find(s, size, &rules, ymd);

	buf_release(&stored);
	diff_page_release(&base);
	diff_rules_release(&rules);
	return 0;
}
