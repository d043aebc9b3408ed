/* url: resolve and normalise http(s) URLs (libcurl's URL API underneath).
 *
 * A normalised URL has a lower-case scheme (http or https) and host, no
 * default port, no fragment, its path's dot-segments resolved, "/" for an
 * empty path, percent-encoding normalised (unreserved characters decoded,
 * other escapes in upper-case hex, spaces, controls and 8-bit bytes
 * encoded, a stray '%' written %25), session ids removed from path
 * parameters and query (jsessionid, phpsessid, sid=<32 hex>,
 * aspsessionid*, cfid, cftoken) and no empty '?'.  Leading and trailing
 * whitespace and embedded tabs/newlines are removed first (as browsers do).
 * Other schemes (mailto:, javascript:, data:, tel:, ftp:, ...) are refused.
 */
#ifndef GOVARCH_URL_H
#define GOVARCH_URL_H

#include <stddef.h>

#include "util/err.h"

/* Heritrix's and IE's URL length limit, a good default for max_len. */
#define URL_MAX_LEN 2083

/* Resolve ref against base (base NULL: ref must be absolute) and normalise.
 * max_len (0: no limit) bounds both the reference and the result.  Returns
 * 0 and a malloc'd string in *out, or -1 with e naming the URL. */
int url_resolve(const char *base, const char *ref, size_t max_len,
		char **out, struct err *e);
/* url_resolve(NULL, url, ...). */
int url_normalize(const char *url, size_t max_len, char **out,
		  struct err *e);

/* Parts of an absolute URL (normalised or not), malloc'd, or NULL when the
 * URL does not parse (or, for url_query, has no query).
 *   url_host       lower-case host ("www.dpmc.govt.nz", "[::1]")
 *   url_hostport   host, then ":port" unless the port is the default
 *   url_path       path, "/" at least, without query
 *   url_query      query without '?', NULL when there is none
 *   url_path_query path, then "?query" if any (what robots.txt matches) */
char *url_host(const char *url);
char *url_hostport(const char *url);
char *url_path(const char *url);
char *url_query(const char *url);
char *url_path_query(const char *url);

/* Percent-encoding normalisation of a string (path or query) into a malloc'd
 * copy: unreserved escapes decoded, other escapes upper-cased, bytes that
 * may not appear in a URL encoded.  NULL on allocation failure. */
char *url_pct_normalize(const char *s, size_t n);

/* Percent-encoding pieces shared by url.c and surt.c: the value of hex digit
 * c (either case), or -1; and "%XX" (upper-case hex) for byte c appended to
 * b (0, or -1 at b's cap). */
struct buf;
int url_hexval(int c);
int url_add_escape(struct buf *b, unsigned char c);

#endif
