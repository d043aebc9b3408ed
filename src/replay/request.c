/* replay request: the request target as the replay server reads it (route,
 * timestamp, modifier, archived URL), its query parameters and the
 * Accept-Datetime header.  Hostile input is refused here, before anything
 * touches the catalog or a file. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replay/replay.h"
#include "util/timeutil.h"
#include "util/url.h"

static const char *const MODS[] = {
	"id_", "mp_", "if_", "im_", "js_", "cs_", "oe_", "fr_",
};

void replay_req_release(struct replay_req *r)
{
	free(r->url);
	free(r->query);
	r->url = r->query = NULL;
}

/* A path segment that is "." or "..", also percent-encoded. */
static int dot_segment(const char *s, size_t n)
{
	size_t dots = 0, i = 0;

	while (i < n) {
		if (s[i] == '.') {
			i++;
		} else if (i + 2 < n && s[i] == '%' && s[i + 1] == '2' &&
			   (s[i + 2] == 'e' || s[i + 2] == 'E')) {
			i += 3;
		} else {
			return 0;
		}
		dots++;
	}
	return dots == 1 || dots == 2;
}

/* Whether s[0..len) has a "." or ".." segment before its query; '\\' and
 * an encoded '/' or '\\' separate segments too. */
static int has_dot_segment(const char *s, size_t len)
{
	size_t i, seg;

	for (i = 0, seg = 0; i <= len; i++) {
		size_t sep = 0;

		if (i == len || s[i] == '/' || s[i] == '?' || s[i] == '\\')
			sep = 1;
		else if (s[i] == '%' && (!strncasecmp(s + i, "%2f", 3) ||
					 !strncasecmp(s + i, "%5c", 3)))
			sep = 3;
		if (sep) {
			if (dot_segment(s + seg, i - seg))
				return 1;
			if (i == len || s[i] == '?')
				break;
			seg = i + sep;
			i += sep - 1;
		}
	}
	return 0;
}

/* The checks every request target passes: 0, or the status to answer. */
static int check_raw(const char *raw, size_t len, struct err *e)
{
	size_t i;

	if (len > REPLAY_MAX_URI)
		return err_set(e, "request target longer than %d bytes",
			       REPLAY_MAX_URI), 414;
	if (raw[0] != '/')
		return err_set(e, "request target does not start with '/'"), 400;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c < 0x20 || c == 0x7f)
			return err_set(e, "control character in the request "
				       "target"), 400;
		if (c == '%') {
			if (url_hexval(raw[i + 1]) < 0 ||
			    url_hexval(raw[i + 2]) < 0)
				return err_set(e, "bad percent-encoding in the "
					       "request target"), 400;
			if (raw[i + 1] == '0' && raw[i + 2] == '0')
				return err_set(e, "%%00 in the request "
					       "target"), 400;
		}
	}
	if (has_dot_segment(raw, len))
		return err_set(e, "'.' or '..' segment in the request "
			       "target"), 400;
	return 0;
}

/* Percent-decode s[0..n) into a malloc'd string ('+' as space when plus);
 * NULL when it does not decode or decodes to a NUL. */
static char *pct_decode(const char *s, size_t n, int plus)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? url_hexval(s[i + 1]) : -1;
			int lo = hi >= 0 ? url_hexval(s[i + 2]) : -1;

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = plus && s[i] == '+' ? ' ' : s[i];
		}
	}
	*o = '\0';
	return out;
}

/* The archived URL from the rest of the target: percent-encoded forms
 * ("http%3A%2F%2F...") decoded once, a collapsed "http:/x" mended, a URL
 * without scheme taken as http. */
static char *archived_url(const char *s)
{
	size_t n = strlen(s);
	char *u;

	if (!strncasecmp(s, "http%3a", 7) || !strncasecmp(s, "https%3a", 8))
		return pct_decode(s, n, 0);
	if (!strncasecmp(s, "http:", 5) || !strncasecmp(s, "https:", 6)) {
		const char *p = strchr(s, ':') + 1;
		size_t sl = (size_t)(p - s);

		if (p[0] == '/' && p[1] != '/') {
			u = malloc(n + 2);
			if (!u)
				return NULL;
			memcpy(u, s, sl);
			u[sl] = '/';
			memcpy(u + sl + 1, p, n - sl + 1);
			return u;
		}
		return strdup(s);
	}
	if (!strncmp(s, "//", 2))
		s += 2, n -= 2;
	u = malloc(n + 8);
	if (!u)
		return NULL;
	memcpy(u, "http://", 7);
	memcpy(u + 7, s, n + 1);
	return u;
}

static int set_url(struct replay_req *r, const char *rest, struct err *e)
{
	if (!*rest)
		return err_set(e, "no URL in the request"), 400;
	r->url = archived_url(rest);
	if (!r->url)
		return err_set(e, "the URL does not decode"), 400;
	/* a URL given percent-encoded is checked again once decoded */
	if (has_dot_segment(r->url, strlen(r->url)))
		return err_set(e, "'.' or '..' segment in the URL"), 400;
	return 0;
}

/* "TS" or "TSmod" as the first segment seg[0..n): 1 and r->ts/mod set, 0
 * when seg does not start with a digit, or the status for a bad one. */
static int ts_segment(const char *seg, size_t n, struct replay_req *r,
		      struct err *e)
{
	size_t d = 0, i;

	while (d < n && isdigit((unsigned char)seg[d]))
		d++;
	if (d == 0)
		return 0;
	if (d > 14)
		return err_set(e, "timestamp of more than 14 digits"), 400;
	memcpy(r->ts, seg, d);
	r->ts[d] = '\0';
	if (d == n)
		return 1;
	for (i = 0; i < sizeof(MODS) / sizeof(MODS[0]); i++)
		if (n - d == 3 && !memcmp(seg + d, MODS[i], 3)) {
			memcpy(r->mod, MODS[i], 4);
			return 1;
		}
	return err_set(e, "unknown modifier '%.*s'", (int)(n - d > 16 ? 16 :
					n - d), seg + d), 400;
}

static int digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 14)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int route(const char *raw, struct replay_req *r, struct err *e)
{
	const char *p = raw + 1, *q = strchr(p, '?');
	size_t seg = strcspn(p, "/?");
	int rc;

	/* routes without an archived URL: their own query */
	if (seg == 0 && (*p == '\0' || *p == '?')) {
		r->route = REPLAY_R_INDEX;
	} else if (seg == 3 && !strncmp(p, "cdx", 3) && p[3] != '/') {
		r->route = REPLAY_R_CDX;
	} else if (seg == 7 && !strncmp(p, "changes", 7) && p[7] != '/') {
		r->route = REPLAY_R_CHANGES;
	} else {
		goto with_url;
	}
	if (q && !(r->query = strdup(q + 1)))
		return err_set(e, "out of memory"), 400;
	return 0;

with_url:
	if (p[seg] == '/' && (rc = ts_segment(p, seg, r, e)) != 0) {
		if (rc != 1)
			return rc;
		r->route = REPLAY_R_REPLAY;
		return set_url(r, p + seg + 1, e);
	}
	if (seg == 8 && !strncmp(p, "calendar/", 9)) {
		r->route = REPLAY_R_CALENDAR;
		return set_url(r, p + 9, e);
	}
	if (seg == 8 && !strncmp(p, "timegate/", 9)) {
		r->route = REPLAY_R_TIMEGATE;
		return set_url(r, p + 9, e);
	}
	if (seg == 7 && !strncmp(p, "timemap/", 8)) {
		p += 8;
		r->route = REPLAY_R_TIMEMAP_LINK;
		if (!strncmp(p, "link/", 5)) {
			p += 5;
		} else if (!strncmp(p, "json/", 5)) {
			p += 5;
			r->route = REPLAY_R_TIMEMAP_JSON;
		}
		return set_url(r, p, e);
	}
	if (seg == 4 && !strncmp(p, "diff/", 5)) {
		const char *a = p + 5, *b = strchr(a, '/'), *c;

		if (!b || !digits(a, (size_t)(b - a)) ||
		    !(c = strchr(b + 1, '/')) ||
		    !digits(b + 1, (size_t)(c - b - 1)))
			return err_set(e, "not /diff/FROM/TO/URL with "
				       "timestamps FROM and TO"), 400;
		memcpy(r->ts, a, (size_t)(b - a));
		r->ts[b - a] = '\0';
		memcpy(r->ts2, b + 1, (size_t)(c - b - 1));
		r->ts2[c - b - 1] = '\0';
		r->route = REPLAY_R_DIFF;
		return set_url(r, c + 1, e);
	}
	/* /URL: a TimeGate, when the first segment looks like a scheme or a
	 * host name */
	if ((seg >= 5 && !strncasecmp(p, "http:", 5)) ||
	    (seg >= 6 && !strncasecmp(p, "https:", 6)) ||
	    !strncasecmp(p, "http%3a", 7) || !strncasecmp(p, "https%3a", 8) ||
	    memchr(p, '.', seg)) {
		r->route = REPLAY_R_TIMEGATE;
		return set_url(r, p, e);
	}
	r->route = REPLAY_R_UNKNOWN;
	return 0;
}

int replay_parse_request(const char *raw, struct replay_req *r,
			 struct err *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (!raw)
		return err_set(e, "no request target"), 400;
	rc = check_raw(raw, strlen(raw), e);
	if (!rc)
		rc = route(raw, r, e);
	if (rc)
		replay_req_release(r);
	return rc;
}

int replay_query_get(const char *query, const char *name, char **out)
{
	size_t nl = strlen(name);
	const char *p = query;

	*out = NULL;
	while (p && *p) {
		size_t n = strcspn(p, "&;");

		if (n > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			*out = pct_decode(p + nl + 1, n - nl - 1, 1);
			return *out ? 1 : -1;
		}
		if (n == nl && !strncmp(p, name, nl)) {
			*out = strdup("");
			return *out ? 1 : -1;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

int replay_accept_datetime(const char *s, time_t *t)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
	};
	int day, mon, year, h, m, sec, wd, i;
	char chk[32];
	struct tm tm;

	/* exactly "Www, DD Mmm YYYY HH:MM:SS GMT" (29 characters) */
	if (!s || strlen(s) != 29 || s[3] != ',' || s[4] != ' ' ||
	    s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
	    s[22] != ':' || s[25] != ' ' || strcmp(s + 26, "GMT"))
		return -1;
	for (i = 0; i < 29; i++)
		if ((i == 5 || i == 6 || (i >= 12 && i <= 15) || i == 17 ||
		     i == 18 || i == 20 || i == 21 || i == 23 || i == 24) &&
		    !isdigit((unsigned char)s[i]))
			return -1;
	for (wd = 0; wd < 7 && strncmp(s, days[wd], 3); wd++)
		;
	for (mon = 0; mon < 12 && strncmp(s + 8, months[mon], 3); mon++)
		;
	if (wd == 7 || mon == 12)
		return -1;
	day = (s[5] - '0') * 10 + s[6] - '0';
	year = atoi(s + 12);
	h = (s[17] - '0') * 10 + s[18] - '0';
	m = (s[20] - '0') * 10 + s[21] - '0';
	sec = (s[23] - '0') * 10 + s[24] - '0';
	if (day < 1 || day > 31 || h > 23 || m > 59 || sec > 60 ||
	    year < 1970)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	*t = timegm(&tm);
	/* the date must exist (no 31 Feb) and the weekday must match */
	time_http_date(*t, chk);
	if (sec < 60 && strncmp(chk + 5, s + 5, 11))
		return -1;
	if (sec < 60 && strncmp(chk, s, 3))
		return -1;
	return 0;
}

int replay_ts_time(const char *ts, time_t *t)
{
	size_t n = strlen(ts);

	if (!digits(ts, n))
		return -1;
	return time_parse_ts(ts, t);
}
