/* html css: url() and @import references of CSS text (see html.h).  A
 * scanner, not a CSS parser: comments and strings are passed over so a
 * "url(" inside them is not taken for a reference. */
#include "html/html.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Read a CSS string starting at quote s[*i]; returns its bounds. */
static void css_string(const char *s, size_t n, size_t *i, size_t *b,
		       size_t *e)
{
	char q = s[(*i)++];

	*b = *i;
	while (*i < n && s[*i] != q && s[*i] != '\n') {
		if (s[*i] == '\\' && *i + 1 < n)
			(*i)++;
		(*i)++;
	}
	*e = *i;
	if (*i < n)
		(*i)++;
}

/* At s[*i] just after "url(": the reference's bounds. */
static void css_url(const char *s, size_t n, size_t *i, size_t *b, size_t *e)
{
	while (*i < n && isspace((unsigned char)s[*i]))
		(*i)++;
	if (*i < n && (s[*i] == '"' || s[*i] == '\'')) {
		css_string(s, n, i, b, e);
		while (*i < n && s[*i] != ')')
			(*i)++;
	} else {
		*b = *i;
		while (*i < n && s[*i] != ')') {
			if (s[*i] == '\\' && *i + 1 < n)
				(*i)++;
			(*i)++;
		}
		*e = *i;
		while (*e > *b && isspace((unsigned char)s[*e - 1]))
			(*e)--;
	}
	if (*i < n)
		(*i)++;
}

static int starts_url(const char *s, size_t n, size_t i)
{
	return i + 4 <= n && !strncasecmp(s + i, "url(", 4) &&
		(i == 0 || !(isalnum((unsigned char)s[i - 1]) ||
			     s[i - 1] == '-' || s[i - 1] == '_'));
}

int html_css_scan(const char *s, size_t n, html_css_fn fn, void *ctx)
{
	size_t i = 0, b, e;

	while (i < n) {
		char c = s[i];

		if (c == '/' && i + 1 < n && s[i + 1] == '*') {
			const char *end = i + 2 < n ?
				memmem(s + i + 2, n - i - 2, "*/", 2) : NULL;

			i = end ? (size_t)(end - s) + 2 : n;
		} else if (c == '"' || c == '\'') {
			css_string(s, n, &i, &b, &e);
		} else if ((c == 'u' || c == 'U') && starts_url(s, n, i)) {
			i += 4;
			css_url(s, n, &i, &b, &e);
			if (fn(ctx, 0, b, e - b) < 0)
				return -1;
		} else if (c == '@' && i + 7 <= n &&
			   !strncasecmp(s + i, "@import", 7)) {
			i += 7;
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				css_string(s, n, &i, &b, &e);
			} else if (i + 4 <= n && !strncasecmp(s + i, "url(", 4)) {
				i += 4;
				css_url(s, n, &i, &b, &e);
			} else {
				continue;
			}
			if (fn(ctx, 1, b, e - b) < 0)
				return -1;
		} else {
			i++;
		}
	}
	return 0;
}

size_t html_css_unescape(const char *s, size_t n, char *out)
{
	size_t k, o = 0;

	for (k = 0; k < n; k++) {
		if (s[k] == '\\' && k + 1 < n)
			k++;
		out[o++] = s[k];
	}
	out[o] = 0;
	return o;
}
