/* surt: SURT keys exactly as pywb and the Internet Archive make them (the
 * Python `surt` package: GoogleURLCanonicalizer, then IAURLCanonicalizer,
 * then the SURT form without scheme and without trailing comma).
 *
 *   http://www.dpmc.govt.nz/About-DPMC/?b=2&a=1  ->  nz,govt,dpmc)/about-dpmc?a=1&b=2
 *   http://127.0.0.1:8000/x                      ->  1,0,0,127:8000)/x
 *
 * The rules: whitespace trimmed, tabs/newlines removed, "http://" assumed
 * when there is no scheme; fragment and user info dropped; host
 * percent-decoded, ".." collapsed, dots trimmed, numeric IPv4 forms made
 * dotted-quad, lower-cased, a leading www/wwwN label dropped, labels
 * reversed and comma-joined; the default port dropped, others kept before
 * ')'; path and query percent-decoded repeatedly then re-escaped once
 * (only controls, space, '#', '%' and 8-bit bytes escaped), dot-segments
 * and empty segments removed, lower-cased, ASP.NET path session ids and
 * query session ids (jsessionid, phpsessid, sid, aspsessionid, cfid &
 * cftoken) removed, a trailing '/' dropped unless the path is "/", query
 * arguments sorted, an empty query dropped.  dns:, warcinfo: and filedesc:
 * keys are returned unchanged.
 *
 * Known differences from the Python package: non-ASCII host names are not
 * converted to IDNA punycode (they are percent-encoded instead).
 */
#ifndef GOVARCH_SURT_H
#define GOVARCH_SURT_H

#include <stddef.h>

#include "util/err.h"

#define SURT_MAX_URL 65536

/* SURT key of url: 0 and a malloc'd *out, or -1 with e naming the URL
 * (empty, longer than SURT_MAX_URL, or a port that is not a number). */
int surt_key(const char *url, char **out, struct err *e);

#endif
