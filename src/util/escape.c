/* escape: JSON strings and HTML text. */
#include "util/escape.h"

#define REPLACEMENT_CHAR "\xEF\xBF\xBD"   /* U+FFFD in UTF-8 */

/* Length of the valid UTF-8 sequence at s (n > 0 bytes left), or 0. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t need, k;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 3;
	else
		return 0;
	if (need >= n)
		return 0;
	for (k = 1; k <= need; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
		return 0;
	return need + 1;
}

int escape_json(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	if (buf_addc(out, '"') < 0)
		return -1;
	while (i < n) {
		unsigned char c = u[i];
		int rc = 0;

		if (c == '"' || c == '\\') {
			rc = buf_addc(out, '\\') < 0 ? -1 : buf_addc(out, (char)c);
			k = 1;
		} else if (c == '\n') {
			rc = buf_adds(out, "\\n"), k = 1;
		} else if (c == '\r') {
			rc = buf_adds(out, "\\r"), k = 1;
		} else if (c == '\t') {
			rc = buf_adds(out, "\\t"), k = 1;
		} else if (c < 0x20 || c == 0x7F) {
			rc = buf_addf(out, "\\u%04x", c), k = 1;
		} else if ((k = utf8_valid(u + i, n - i)) > 0) {
			rc = buf_add(out, u + i, k);
		} else {
			rc = buf_adds(out, REPLACEMENT_CHAR), k = 1;
		}
		if (rc < 0)
			return -1;
		i += k;
	}
	return buf_addc(out, '"');
}

int escape_html(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = u[i];
		int rc;

		k = 1;
		switch (c) {
		case '&': rc = buf_adds(out, "&amp;"); break;
		case '<': rc = buf_adds(out, "&lt;"); break;
		case '>': rc = buf_adds(out, "&gt;"); break;
		case '"': rc = buf_adds(out, "&quot;"); break;
		case '\'': rc = buf_adds(out, "&#39;"); break;
		default:
			if (c < 0x20 && c != '\n' && c != '\t')
				rc = buf_adds(out, REPLACEMENT_CHAR);
			else if ((k = utf8_valid(u + i, n - i)) > 0)
				rc = buf_add(out, u + i, k);
			else
				rc = buf_adds(out, REPLACEMENT_CHAR), k = 1;
		}
		if (rc < 0)
			return -1;
		i += k;
	}
	return 0;
}
