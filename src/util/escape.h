/* escape: text from pages (hostile input) made safe to put in JSON strings
 * and HTML.  Both keep valid UTF-8 as it is and write U+FFFD for each byte
 * of an invalid sequence, so the output is always valid UTF-8. */
#ifndef GOVARCH_ESCAPE_H
#define GOVARCH_ESCAPE_H

#include <stddef.h>

#include "util/buf.h"

/* Append s[0..n) as a JSON string, quotes included: '"' and '\\' escaped,
 * \n \r \t, other control characters and DEL as \u00XX.  0, or -1 when out
 * grows past its cap. */
int escape_json(struct buf *out, const char *s, size_t n);
/* Append s[0..n) HTML-escaped (& < > " '), control characters other than
 * \n and \t as U+FFFD.  0 or -1. */
int escape_html(struct buf *out, const char *s, size_t n);

#endif
