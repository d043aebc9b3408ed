/* Tokens of block text, shared by words.c and pages.c; not the API. */
#ifndef GOVARCH_DIFF_WORDS_INTERNAL_H
#define GOVARCH_DIFF_WORDS_INTERNAL_H

#include <stddef.h>

struct diff_tok {
	size_t start, len;
};

/* Tokenise text[0..n); writes up to max tokens, returns how many there are
 * (out may be NULL to count). */
size_t diff_tokenize(const char *text, size_t n, struct diff_tok *out,
		     size_t max);
/* Code points in s[0..n) (continuation bytes not counted). */
size_t diff_utf8_chars(const char *s, size_t n);

#endif
