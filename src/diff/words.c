/* words: tokenising block text and the word diff of two blocks.
 *
 * Tokens: words (letters, digits, non-ASCII letters; "don't", "whole-of-
 * route", "1,000.5" stay whole), single punctuation characters, spaces.
 * The token sequences go through the same histogram diff as blocks (git
 * --word-diff's "one token per line" approach).
 */
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "diff/intern.h"
#include "diff/words-internal.h"

/* Code point at s (n bytes left), its length in *len; invalid bytes are
 * returned as themselves with length 1. */
static unsigned cp_at(const unsigned char *s, size_t n, size_t *len)
{
	unsigned c = s[0];
	size_t need = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 :
		(c >> 3) == 30 ? 3 : 9;
	size_t k;

	*len = 1;
	if (need == 0 || need == 9 || need >= n)
		return c;
	for (k = 1; k <= need; k++)
		if ((s[k] & 0xC0) != 0x80)
			return c;
	c &= 0x3F >> need;
	for (k = 1; k <= need; k++)
		c = (c << 6) | (s[k] & 0x3F);
	*len = need + 1;
	return c;
}

static int is_word_cp(unsigned c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			(c >= 'A' && c <= 'Z') || c == '_';
	/* Latin-1 punctuation, general punctuation, CJK punctuation */
	if ((c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 ||
	    (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0x20A0 && c <= 0x20CF) || c == 0xFFFD)
		return 0;
	return 1;
}

static int is_digit_cp(unsigned c)
{
	return c >= '0' && c <= '9';
}

size_t diff_tokenize(const char *text, size_t n, struct diff_tok *out,
		     size_t max)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, count = 0, l;

	while (i < n) {
		size_t start = i;
		unsigned c = cp_at(s + i, n - i, &l);

		if (c == ' ') {
			while (i < n && s[i] == ' ')
				i++;
		} else if (is_word_cp(c)) {
			unsigned prev = c;

			i += l;
			while (i < n) {
				size_t l2, l3;
				unsigned d = cp_at(s + i, n - i, &l2), e;

				if (is_word_cp(d)) {
					prev = d;
					i += l2;
					continue;
				}
				if (i + l2 >= n)
					break;
				e = cp_at(s + i + l2, n - i - l2, &l3);
				/* don't, whole-of-route, 1,000.50 */
				if (((d == '\'' || d == 0x2019 || d == '-') &&
				     is_word_cp(e)) ||
				    ((d == '.' || d == ',') && is_digit_cp(prev) &&
				     is_digit_cp(e))) {
					prev = e;
					i += l2 + l3;
					continue;
				}
				break;
			}
		} else {
			i += l;
		}
		if (count < max) {
			out[count].start = start;
			out[count].len = i - start;
		}
		count++;
	}
	return count;
}

size_t diff_utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

void diff_words_release(struct diff_words *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++)
		free(w->w[i].text);
	free(w->w);
	memset(w, 0, sizeof(*w));
}

static int add_word(struct diff_words *w, size_t *alloc, enum diff_edit_op op,
		    const char *s, size_t n)
{
	struct diff_word *x;

	if (!n)
		return 0;
	if (w->n == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 8;
		struct diff_word *nw = realloc(w->w, na * sizeof(*nw));

		if (!nw)
			return -1;
		w->w = nw;
		*alloc = na;
	}
	x = &w->w[w->n];
	if (!(x->text = malloc(n + 1)))
		return -1;
	memcpy(x->text, s, n);
	x->text[n] = '\0';
	x->len = n;
	x->op = op;
	w->n++;
	if (op == DIFF_DELETE)
		w->chars_removed += diff_utf8_chars(s, n);
	else if (op == DIFF_INSERT)
		w->chars_added += diff_utf8_chars(s, n);
	return 0;
}

/* Byte range of tokens [t0, t1). */
#define TOK_FROM(t, i) ((t)[i].start)
#define TOK_END(t, i) ((t)[(i) - 1].start + (t)[(i) - 1].len)

/* Does the changed stretch starting at edit k both delete and insert? */
static int replaces_next(const struct diff_script *s, size_t k)
{
	int del = 0, ins = 0;

	for (; k < s->n && s->edits[k].op != DIFF_EQUAL; k++) {
		del |= s->edits[k].op == DIFF_DELETE;
		ins |= s->edits[k].op == DIFF_INSERT;
	}
	return del && ins;
}

/* Emit the edit script over tokens, deletions before insertions; a lone
 * space between two replacements joins them ("[-old cat-]{+new dog+}"). */
static int emit(const struct diff_script *s, const char *a,
		const struct diff_tok *ta, const char *b,
		const struct diff_tok *tb, struct diff_words *out)
{
	size_t k, alloc = 0;
	size_t ga0 = 0, ga1 = 0, gb0 = 0, gb1 = 0;   /* open group, tokens */
	int open = 0;

	for (k = 0; k < s->n; k++) {
		const struct diff_edit *x = &s->edits[k];

		if (x->op == DIFF_EQUAL) {
			int lone_space = x->a_len == 1 && open &&
				ga1 > ga0 && gb1 > gb0 &&
				a[ta[x->a_start].start] == ' ' &&
				replaces_next(s, k + 1);

			if (lone_space) {
				ga1 = x->a_start + 1;
				gb1 = x->b_start + 1;
				continue;
			}
			if (open) {
				if ((ga1 > ga0 && add_word(out, &alloc, DIFF_DELETE,
					a + TOK_FROM(ta, ga0),
					TOK_END(ta, ga1) - TOK_FROM(ta, ga0)) < 0) ||
				    (gb1 > gb0 && add_word(out, &alloc, DIFF_INSERT,
					b + TOK_FROM(tb, gb0),
					TOK_END(tb, gb1) - TOK_FROM(tb, gb0)) < 0))
					return -1;
				open = 0;
			}
			if (add_word(out, &alloc, DIFF_EQUAL,
				     a + TOK_FROM(ta, x->a_start),
				     TOK_END(ta, x->a_start + x->a_len) -
				     TOK_FROM(ta, x->a_start)) < 0)
				return -1;
			continue;
		}
		if (!open) {
			open = 1;
			ga0 = ga1 = x->a_start;
			gb0 = gb1 = x->b_start;
		}
		if (x->op == DIFF_DELETE)
			ga1 = x->a_start + x->a_len;
		else
			gb1 = x->b_start + x->b_len;
	}
	if (open &&
	    ((ga1 > ga0 && add_word(out, &alloc, DIFF_DELETE, a + TOK_FROM(ta, ga0),
				    TOK_END(ta, ga1) - TOK_FROM(ta, ga0)) < 0) ||
	     (gb1 > gb0 && add_word(out, &alloc, DIFF_INSERT, b + TOK_FROM(tb, gb0),
				    TOK_END(tb, gb1) - TOK_FROM(tb, gb0)) < 0)))
		return -1;
	return 0;
}

static int intern_toks(struct diff_intern *t, const char *s,
		       const struct diff_tok *tok, size_t n, uint32_t *ids)
{
	size_t i;
	long id;

	for (i = 0; i < n; i++) {
		if ((id = diff_intern_id(t, s + tok[i].start, tok[i].len,
					 NULL)) < 0)
			return -1;
		ids[i] = (uint32_t)id;
	}
	return 0;
}

int diff_word_diff(const char *a, size_t alen, const char *b, size_t blen,
		   struct diff_words *out, struct err *e)
{
	struct diff_tok *ta = NULL, *tb = NULL;
	uint32_t *ia = NULL, *ib = NULL;
	struct diff_script s = { 0 };
	struct diff_intern t = { 0 };
	size_t na, nb, alloc = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	na = diff_tokenize(a, alen, NULL, 0);
	nb = diff_tokenize(b, blen, NULL, 0);
	if (na > DIFF_MAX_TOKENS || nb > DIFF_MAX_TOKENS) {
		/* too big to diff finely: the whole block changed */
		if (add_word(out, &alloc, DIFF_DELETE, a, alen) < 0 ||
		    add_word(out, &alloc, DIFF_INSERT, b, blen) < 0)
			goto nomem;
		return 0;
	}
	ta = malloc((na + 1) * sizeof(*ta));
	tb = malloc((nb + 1) * sizeof(*tb));
	ia = malloc((na + 1) * sizeof(*ia));
	ib = malloc((nb + 1) * sizeof(*ib));
	if (!ta || !tb || !ia || !ib || diff_intern_init(&t, na + nb) < 0)
		goto nomem;
	diff_tokenize(a, alen, ta, na);
	diff_tokenize(b, blen, tb, nb);
	if (intern_toks(&t, a, ta, na, ia) < 0 ||
	    intern_toks(&t, b, tb, nb, ib) < 0 ||
	    diff_histogram(ia, na, ib, nb, &s, e) < 0 ||
	    emit(&s, a, ta, b, tb, out) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	diff_words_release(out);
	rc = err_set(e, "word diff: out of memory");
out:
	diff_script_release(&s);
	diff_intern_release(&t);
	free(ta);
	free(tb);
	free(ia);
	free(ib);
	return rc;
}
