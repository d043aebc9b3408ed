/* Unit tests for src/diff: histogram diff, Myers fallback, word diff,
 * page diff (moves, changes, links), every renderer's exact output, the
 * summary line and the escapers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff/diff.h"
#include "diff/render.h"
#include "test-helpers.h"

static char *load(const char *name, size_t *len)
{
	return test_load("tests/unit/data/diff", name, len);
}

/* The next step of a small linear congruential generator (the random
 * tests must be the same on every run). */
static void lcg(unsigned *seed)
{
	*seed = *seed * 1103515245 + 12345;
}

static void page_from(const char *s, struct diff_page *p)
{
	struct err e;

	assert_int_equal(diff_page_parse(s, strlen(s), p, &e), 0);
}

static void page_file(const char *name, struct diff_page *p)
{
	size_t n;
	char *s = load(name, &n);
	struct err e;

	assert_int_equal(diff_page_parse(s, n, p, &e), 0);
	free(s);
}

/* Edit script as "=3 -1 +2 ..." for compact assertions. */
static char *script_str(const struct diff_script *s)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct diff_edit *x = &s->edits[i];
		char c = x->op == DIFF_EQUAL ? '=' : x->op == DIFF_DELETE ? '-' : '+';

		buf_addf(&b, "%s%c%zu", i ? " " : "", c,
			 x->op == DIFF_INSERT ? x->b_len : x->a_len);
	}
	return buf_detach(&b, NULL);
}

static void check_lines(const char *a, const char *b, const char *want)
{
	const char *av[64], *bv[64];
	char *ac = strdup(a), *bc = strdup(b), *tok, *save, *got;
	size_t na = 0, nb = 0;
	struct diff_script s = { 0 };
	struct err e;

	for (tok = strtok_r(ac, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		av[na++] = tok;
	for (tok = strtok_r(bc, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		bv[nb++] = tok;
	assert_int_equal(diff_strings(av, na, bv, nb, &s, &e), 0);
	got = script_str(&s);
	assert_string_equal(got, want);
	free(got);
	diff_script_release(&s);
	free(ac);
	free(bc);
}

static void test_histogram_basic(void **state)
{
	(void)state;
	check_lines("a b c", "a b c", "=3");
	check_lines("", "a b", "+2");
	check_lines("a b", "", "-2");
	check_lines("a b c d", "a x c d", "=1 -1 +1 =2");
	check_lines("a b c", "x a b c y", "+1 =3 +1");
	/* deletions come before insertions in a changed stretch */
	check_lines("p q", "r s", "-2 +2");
}

/* The classic case: two functions swap places.  Myers matches the braces
 * and blank lines and interleaves both functions; histogram anchors on
 * the unique lines and keeps each function whole. */
static void test_histogram_readability(void **state)
{
	(void)state;
	check_lines("F1 { a1 a2 } . F2 { b1 }",
		    "F2 { b1 } . F1 { a1 a2 }",
		    "+5 =4 -5 =1");   /* the common last "}" is matched first */
	/* a unique line moved up: it is the anchor, the rest re-diffed */
	check_lines("x y z u", "u x y z", "+1 =3 -1");
}

/* Common elements that all occur more than 64 times: Myers fallback. */
static void test_myers_fallback(void **state)
{
	const char *a[71], *b[71];
	struct diff_script s = { 0 };
	struct err e;
	char *got;
	int i;

	(void)state;
	for (i = 0; i < 70; i++)
		a[i] = b[i + 1] = "x";
	a[70] = "p";
	b[0] = "q";
	assert_int_equal(diff_strings(a, 71, b, 71, &s, &e), 0);
	got = script_str(&s);
	assert_string_equal(got, "+1 =70 -1");
	free(got);
	diff_script_release(&s);
}

/* Any script must turn a into b: check on random small alphabets (these
 * hit both histogram and the Myers fallback). */
static void test_histogram_random(void **state)
{
	uint32_t a[400], b[400];
	unsigned seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 300; round++) {
		size_t na, nb, i, ia = 0, ib = 0;
		uint32_t alpha = 2 + round % 9;
		struct diff_script s = { 0 };
		struct err e;

		lcg(&seed);
		na = (seed >> 8) % 400;
		lcg(&seed);
		nb = (seed >> 8) % 400;
		for (i = 0; i < na; i++) {
			lcg(&seed);
			a[i] = (seed >> 16) % alpha;
		}
		for (i = 0; i < nb; i++) {
			lcg(&seed);
			/* b: mostly a, with edits */
			b[i] = i < na && (seed >> 16) % 4 ? a[i] : (seed >> 20) % alpha;
		}
		assert_int_equal(diff_histogram(a, na, b, nb, &s, &e), 0);
		for (i = 0; i < s.n; i++) {
			const struct diff_edit *x = &s.edits[i];
			size_t k;

			assert_int_equal(x->a_start, ia);
			assert_int_equal(x->b_start, ib);
			if (x->op == DIFF_EQUAL) {
				assert_int_equal(x->a_len, x->b_len);
				for (k = 0; k < x->a_len; k++)
					assert_int_equal(a[ia + k], b[ib + k]);
			}
			ia += x->a_len;
			ib += x->b_len;
		}
		assert_int_equal(ia, na);
		assert_int_equal(ib, nb);
		diff_script_release(&s);
	}
}

static char *words_str(const struct diff_words *w)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	for (i = 0; i < w->n; i++)
		buf_addf(&b, w->w[i].op == DIFF_EQUAL ? "%s" :
			 w->w[i].op == DIFF_DELETE ? "[-%s-]" : "{+%s+}",
			 w->w[i].text);
	return buf_detach(&b, NULL);
}

static void check_words(const char *a, const char *b, const char *want,
			size_t added, size_t removed)
{
	struct diff_words w;
	struct err e;
	char *got;

	assert_int_equal(diff_word_diff(a, strlen(a), b, strlen(b), &w, &e), 0);
	got = words_str(&w);
	assert_string_equal(got, want);
	assert_int_equal(w.chars_added, added);
	assert_int_equal(w.chars_removed, removed);
	free(got);
	diff_words_release(&w);
}

static void test_word_diff(void **state)
{
	(void)state;
	check_words("The quick brown fox", "The quick red fox jumps",
		    "The quick [-brown-]{+red+} fox{+ jumps+}", 9, 5);
	/* a lone space between two changes joins them, as git --word-diff */
	check_words("the old cat sat", "the new dog sat",
		    "the [-old cat-]{+new dog+} sat", 7, 7);
	/* punctuation is its own token; numbers and contractions stay whole */
	check_words("We don't pay $1,000.50 now.", "We don't pay $1,200.50 now!",
		    "We don't pay $[-1,000.50-]{+1,200.50+} now[-.-]{+!+}", 9, 9);
	/* code points, not bytes */
	check_words("Tēnā koe", "Tēnā koutou", "Tēnā [-koe-]{+koutou+}", 6, 3);
	/* two insertions around a space stay apart */
	check_words("a c", "a X b Y c", "a {+X b Y +}c", 6, 0);
	check_words("one two", "one X two Y", "one {+X +}two{+ Y+}", 4, 0);
	check_words("same", "same", "same", 0, 0);
	check_words("", "new", "{+new+}", 3, 0);
}

static const char A_PAGE[] =
	"@updated\t2024-10-21\tLast updated Monday, 21 October 2024\n"
	"@digest\tsha1:AAAA\n"
	"h1\tTitle\n"
	"p\tOne paragraph here.\n"
	"p\tTwo paragraph here.\n";

static void test_date_only(void **state)
{
	struct diff_page a, b;
	struct diff_result r;
	struct diff_render_opts o = { "https://example.govt.nz/p",
				      "2024-10-21T01:02:03Z",
				      "2024-11-05T04:05:06Z", 0 };
	struct buf out = BUF_INIT(0);
	struct err e;
	char *to = strdup(A_PAGE);

	(void)state;
	memcpy(strstr(to, "2024-10-21"), "2024-11-05", 10);
	page_from(A_PAGE, &a);
	page_from(to, &b);
	assert_int_equal(diff_pages(&a, &b, &r, &e), 0);
	assert_int_equal(r.text_changed, 0);
	assert_int_equal(r.date_changed, 1);
	assert_int_equal(diff_render_text(&r, &o, &out, &e), 0);
	assert_string_equal(out.data,
		"--- https://example.govt.nz/p\t2024-10-21T01:02:03Z (last updated 2024-10-21)\n"
		"+++ https://example.govt.nz/p\t2024-11-05T04:05:06Z (last updated 2024-11-05)\n"
		"no text change\n");
	buf_reset(&out);
	assert_int_equal(diff_render_word(&r, &o, &out, &e), 0);
	assert_string_equal(out.data,
		"--- https://example.govt.nz/p\t2024-10-21T01:02:03Z (last updated 2024-10-21)\n"
		"+++ https://example.govt.nz/p\t2024-11-05T04:05:06Z (last updated 2024-11-05)\n"
		"no text change\n");
	buf_reset(&out);
	assert_int_equal(diff_summary(&r, &out), 0);
	assert_string_equal(out.data, "no text change");
	buf_reset(&out);
	assert_int_equal(diff_render_html(&r, &o, &out, &e), 0);
	assert_non_null(strstr(out.data, "<tr><th>Last updated</th><td>2024-10-21"
			       "</td><td>2024-11-05</td></tr>"));
	assert_non_null(strstr(out.data, "Date changed, no text change"));
	diff_result_release(&r);
	diff_page_release(&b);
	/* no date at all */
	page_from("h1\tTitle\n", &b);
	assert_int_equal(diff_pages(&b, &b, &r, &e), 0);
	buf_reset(&out);
	o.from_timestamp = NULL;
	assert_int_equal(diff_render_text(&r, &o, &out, &e), 0);
	assert_string_equal(out.data,
		"--- https://example.govt.nz/p (no last updated date)\n"
		"+++ https://example.govt.nz/p\t2024-11-05T04:05:06Z (no last updated date)\n"
		"no text change\n");
	diff_result_release(&r);
	diff_page_release(&a);
	diff_page_release(&b);
	buf_release(&out);
	free(to);
}

static void test_pair_renderers(void **state)
{
	static const char *const fmt[] = { "text", "word", "json", "html" };
	struct diff_page a, b;
	struct diff_result r;
	struct diff_render_opts o = { "https://example.govt.nz/p",
				      "2024-10-21T01:02:03Z",
				      "2024-11-05T04:05:06Z", 1 };
	struct err e;
	size_t i;

	(void)state;
	page_file("pair-from.page", &a);
	page_file("pair-to.page", &b);
	assert_int_equal(diff_pages(&a, &b, &r, &e), 0);
	assert_int_equal(r.fig.blocks_changed, 1);
	assert_int_equal(r.fig.blocks_added, 1);
	assert_int_equal(r.fig.blocks_removed, 1);
	assert_int_equal(r.fig.blocks_moved, 1);
	assert_int_equal(r.fig.chars_added, 41);
	assert_int_equal(r.fig.chars_removed, 25);
	assert_int_equal(r.n_links_added, 1);
	assert_string_equal(r.links_added[0], "https://a.example/three");
	assert_string_equal(r.links_removed[0], "https://a.example/two");
	for (i = 0; i < 4; i++) {
		struct buf out = BUF_INIT(0);
		char name[32];
		char *want;

		snprintf(name, sizeof(name), "pair.%s", fmt[i]);
		want = load(name, NULL);
		assert_int_equal(diff_render(diff_format_parse(fmt[i]), &r, &o,
					     &out, &e), 0);
		assert_string_equal(out.data, want);
		free(want);
		buf_release(&out);
	}
	diff_result_release(&r);
	diff_page_release(&a);
	diff_page_release(&b);
}

static void test_hunks(void **state)
{
	struct buf s = BUF_INIT(0), t = BUF_INIT(0), out = BUF_INIT(0);
	struct diff_page a, b;
	struct diff_result r;
	struct diff_render_opts o = { "u", NULL, NULL, 0 };
	struct err e;
	int i;

	(void)state;
	for (i = 1; i <= 20; i++) {
		buf_addf(&s, "p\tblock %d\n", i);
		buf_addf(&t, "p\tblock %d%s\n", i, i == 3 ? " edited" : "");
		if (i == 15)
			buf_addf(&t, "p\tnew block\n");
	}
	page_from(s.data, &a);
	page_from(t.data, &b);
	assert_int_equal(diff_pages(&a, &b, &r, &e), 0);
	assert_int_equal(diff_render_text(&r, &o, &out, &e), 0);
	assert_string_equal(out.data,
		"--- u (no last updated date)\n"
		"+++ u (no last updated date)\n"
		"@@ -1,5 +1,5 @@\n"
		" block 1\n block 2\n-block 3\n+block 3 edited\n block 4\n block 5\n"
		"@@ -14,4 +14,5 @@\n"
		" block 14\n block 15\n+new block\n block 16\n block 17\n");
	buf_reset(&out);
	assert_int_equal(diff_summary(&r, &out), 0);
	assert_string_equal(out.data, "1 paragraph changed (+16/-0 chars), 1 added");
	diff_result_release(&r);
	diff_page_release(&a);
	diff_page_release(&b);
	buf_release(&s);
	buf_release(&t);
	buf_release(&out);
}

static void summary_of(const char *from, const char *to, const char *want)
{
	struct diff_page a, b;
	struct diff_result r;
	struct buf out = BUF_INIT(0);
	struct err e;

	page_from(from, &a);
	page_from(to, &b);
	assert_int_equal(diff_pages(&a, &b, &r, &e), 0);
	assert_int_equal(diff_summary(&r, &out), 0);
	assert_string_equal(out.data, want);
	diff_result_release(&r);
	diff_page_release(&a);
	diff_page_release(&b);
	buf_release(&out);
}

static void test_summary(void **state)
{
	(void)state;
	summary_of("p\tone two three\np\tfour five six\n",
		   "p\tone 2 three\np\tfour five six seven\n",
		   "2 paragraphs changed (+7/-3 chars)");
	summary_of("h2\tA heading\n", "h2\tA heading\nh2\tAnother heading\n",
		   "1 heading added (+15/-0 chars)");
	summary_of("li\tone\nli\ttwo\nli\tthree\n", "li\tone\nli\tthree\n",
		   "1 list item removed (+0/-3 chars)");
	summary_of("@link\thttp://a/\np\tx\n", "@link\thttp://b/\n@link\thttp://c/\np\tx\n",
		   "no text change; 2 links added, 1 link removed");
	/* one paragraph rewritten in place: a change, however different */
	summary_of("h1\tT\np\tAlpha beta.\nli\tx\n", "h1\tT\np\tGamma delta.\nli\tx\n",
		   "1 paragraph changed (+11/-10 chars)");
	summary_of("p\tfirst block of text\np\tsecond\np\tthird\n",
		   "p\tsecond\np\tthird\np\tfirst block of text\n",
		   "1 paragraph moved");
}

/* On random page pairs the ops walk both pages in order: every from block
 * once (equal, delete, change, move where it left), every to block once
 * (equal, insert, change, move where it arrived); moves join equal texts. */
static void test_ops_cover_both_pages(void **state)
{
	static const char *const words[] = { "alpha", "beta", "gamma", "delta",
					     "one two", "one three", "x" };
	unsigned seed = 777;
	int round;

	(void)state;
	for (round = 0; round < 300; round++) {
		struct buf s = BUF_INIT(0), t = BUF_INIT(0);
		struct diff_page a, b;
		struct diff_result r;
		struct err e;
		size_t i, na, nb, fi = 0, ti = 0;

		lcg(&seed);
		na = (seed >> 8) % 30;
		lcg(&seed);
		nb = (seed >> 8) % 30;
		for (i = 0; i < na; i++) {
			lcg(&seed);
			buf_addf(&s, "p\t%s %u\n", words[(seed >> 16) % 7],
				 (seed >> 20) % 4);
		}
		for (i = 0; i < nb; i++) {
			lcg(&seed);
			buf_addf(&t, "p\t%s %u\n", words[(seed >> 16) % 7],
				 (seed >> 20) % 4);
		}
		page_from(s.data, &a);
		page_from(t.data, &b);
		assert_int_equal(diff_pages(&a, &b, &r, &e), 0);
		for (i = 0; i < r.n_ops; i++) {
			const struct diff_block_op *o = &r.ops[i];
			int old_side = o->op == DIFF_OP_EQUAL || o->op == DIFF_OP_DELETE ||
				o->op == DIFF_OP_CHANGE ||
				(o->op == DIFF_OP_MOVE && !o->side);
			int new_side = o->op == DIFF_OP_EQUAL || o->op == DIFF_OP_INSERT ||
				o->op == DIFF_OP_CHANGE ||
				(o->op == DIFF_OP_MOVE && o->side);

			if (old_side)
				assert_int_equal(o->from_index, (long)fi++);
			if (new_side)
				assert_int_equal(o->to_index, (long)ti++);
			if (o->op == DIFF_OP_EQUAL || o->op == DIFF_OP_MOVE)
				assert_string_equal(a.blocks[o->from_index].text,
						    b.blocks[o->to_index].text);
		}
		assert_int_equal(fi, na);
		assert_int_equal(ti, nb);
		diff_result_release(&r);
		diff_page_release(&a);
		diff_page_release(&b);
		buf_release(&s);
		buf_release(&t);
	}
}

static void test_format_names(void **state)
{
	(void)state;
	assert_int_equal(diff_format_parse("json"), DIFF_FMT_JSON);
	assert_int_equal(diff_format_parse("pdf"), -1);
}

/* Hostile sizes: big pages with nothing in common, a huge block. */
static void test_big_inputs(void **state)
{
	struct buf s = BUF_INIT(0), t = BUF_INIT(0);
	struct diff_page a, b;
	struct diff_result r;
	struct err e;
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		buf_addf(&s, "p\tsame %d\np\told %d\n", i % 7, i);
		buf_addf(&t, "p\tsame %d\np\tnew %d\n", i % 5, i);
	}
	buf_adds(&s, "p\t");
	buf_adds(&t, "p\t");
	for (i = 0; i < DIFF_MAX_TOKENS; i++) {
		buf_adds(&s, "w ");
		buf_adds(&t, "v ");
	}
	buf_adds(&s, "end\n");
	buf_adds(&t, "end\n");
	page_from(s.data, &a);
	page_from(t.data, &b);
	assert_int_equal(diff_pages(&a, &b, &r, &e), 0);
	assert_int_equal(r.text_changed, 1);
	diff_result_release(&r);
	diff_page_release(&a);
	diff_page_release(&b);
	buf_release(&s);
	buf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_histogram_basic),
		cmocka_unit_test(test_histogram_readability),
		cmocka_unit_test(test_myers_fallback),
		cmocka_unit_test(test_histogram_random),
		cmocka_unit_test(test_word_diff),
		cmocka_unit_test(test_date_only),
		cmocka_unit_test(test_pair_renderers),
		cmocka_unit_test(test_hunks),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_ops_cover_both_pages),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_big_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
