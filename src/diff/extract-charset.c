/* extract-charset: which character encoding to hand libxml2 for a page
 * (HTTP charset, BOM, <meta>, UTF-8 if valid, else windows-1252). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "diff/extract-internal.h"

static const char *canon_charset(const char *cs, size_t n, char tmp[64])
{
	static const char *const latin1[] = {
		"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1",
		"l1", "cp819", "ibm819", "us-ascii", "ascii", "iso-ir-100",
		"cp1252", "x-cp1252", "windows-1252",
	};
	size_t i, o = 0;

	for (i = 0; i < n && o < 63; i++) {
		unsigned char c = (unsigned char)cs[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
			break;
		tmp[o++] = (char)tolower(c);
	}
	tmp[o] = '\0';
	if (!o)
		return NULL;
	for (i = 0; i < sizeof(latin1) / sizeof(*latin1); i++)
		if (!strcmp(tmp, latin1[i]))
			return "windows-1252";   /* as browsers do (WHATWG) */
	if (!strcmp(tmp, "utf8") || !strcmp(tmp, "utf-8"))
		return "UTF-8";
	return tmp;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, need;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		need = (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 :
			(c >> 3) == 30 ? 3 : 0;
		if (!need || c == 0xC0 || c == 0xC1 || i + need >= n)
			return 0;
		for (k = 1; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

/* HTTP charset, BOM, <meta> in the first 4 KiB, UTF-8 if valid, else
 * windows-1252 (the web's default). */
const char *diff_pick_encoding(const char *charset, const char *html,
			       size_t len, char tmp[64])
{
	const unsigned char *u = (const unsigned char *)html;
	size_t i, lim = len < 4096 ? len : 4096;
	const char *c;

	if (charset && (c = canon_charset(charset, strlen(charset), tmp)))
		return c;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return "UTF-8";
	if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
		return "UTF-16LE";
	if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
		return "UTF-16BE";
	for (i = 0; i + 8 < lim; i++) {
		size_t j;

		if (strncasecmp(html + i, "charset", 7) != 0)
			continue;
		j = i + 7;
		while (j < lim && html[j] == ' ')
			j++;
		if (j >= lim || html[j] != '=')
			continue;
		j++;
		while (j < lim && (html[j] == ' ' || html[j] == '"' ||
				   html[j] == '\''))
			j++;
		if ((c = canon_charset(html + j, lim - j, tmp)))
			return c;
	}
	return valid_utf8(u, len) ? "UTF-8" : "windows-1252";
}
