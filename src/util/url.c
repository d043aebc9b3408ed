/* url: resolution by libcurl's URL API; the normalising rules are ours. */
#include "util/url.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "util/buf.h"

static int is_unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Bytes that are never valid in a URL and must be escaped. */
static int must_escape(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c) != NULL;
}

int url_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int url_add_escape(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

	return buf_add(b, esc, 3);
}

static int pct_normalize_into(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int hi, lo;

		if (c == '%') {
			hi = i + 2 < n ? url_hexval((unsigned char)s[i + 1]) : -1;
			lo = hi >= 0 ? url_hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				if (buf_add(b, "%25", 3) < 0)
					return -1;
				continue;
			}
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
			if (is_unreserved(c) ? buf_addc(b, (char)c) < 0
					     : url_add_escape(b, c) < 0)
				return -1;
		} else if (must_escape(c)) {
			if (url_add_escape(b, c) < 0)
				return -1;
		} else if (buf_addc(b, (char)c) < 0) {
			return -1;
		}
	}
	return 0;
}

char *url_pct_normalize(const char *s, size_t n)
{
	struct buf b = BUF_INIT(0);

	if (pct_normalize_into(&b, s, n) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* Browser-style cleaning: trim C0 controls and spaces at both ends, drop
 * tabs and newlines inside, turn '\' into '/' before any '?' or '#', then
 * normalise percent-encoding.  Returns a malloc'd string or NULL. */
static char *clean_ref(const char *ref)
{
	struct buf raw = BUF_INIT(0);
	const char *end = ref + strlen(ref);
	int in_path = 1;
	char *out = NULL;

	while (ref < end && (unsigned char)*ref <= 0x20)
		ref++;
	while (end > ref && (unsigned char)end[-1] <= 0x20)
		end--;
	for (; ref < end; ref++) {
		char c = *ref;

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '?' || c == '#')
			in_path = 0;
		if (c == '\\' && in_path)
			c = '/';
		if (buf_addc(&raw, c) < 0)
			goto out;
	}
	out = url_pct_normalize(raw.data, raw.len);
out:
	buf_release(&raw);
	return out;
}

/* Length of a leading "scheme:" (without the colon), 0 when there is none. */
static size_t scheme_len(const char *s)
{
	size_t i = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
	       s[i] == '.')
		i++;
	return s[i] == ':' ? i : 0;
}

static int is_http_scheme(const char *s, size_t n)
{
	return (n == 4 && !strncasecmp(s, "http", 4)) ||
	       (n == 5 && !strncasecmp(s, "https", 5));
}

static int is_session_param(const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);
	size_t name = eq ? (size_t)(eq - p) : n, i;

	if ((name == 10 && !strncasecmp(p, "jsessionid", 10)) ||
	    (name == 9 && !strncasecmp(p, "phpsessid", 9)) ||
	    (name == 4 && !strncasecmp(p, "cfid", 4)) ||
	    (name == 7 && !strncasecmp(p, "cftoken", 7)) ||
	    (name >= 12 && !strncasecmp(p, "aspsessionid", 12)))
		return 1;
	if (name == 3 && !strncasecmp(p, "sid", 3) && n == 4 + 32) {
		for (i = 4; i < n; i++)
			if (!isalnum((unsigned char)p[i]))
				return 0;
		return 1;
	}
	return 0;
}

/* Append n bytes with '[' and ']' escaped: curl lets them through in the
 * path and query, RFC 3986 allows them only around an IPv6 host. */
static int add_part(struct buf *b, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '[' || p[i] == ']' ? url_add_escape(b, (unsigned char)p[i]) < 0
					       : buf_addc(b, p[i]) < 0)
			return -1;
	}
	return 0;
}

/* Path without ";jsessionid=..." (and the like) parameters. */
static int add_path(struct buf *b, const char *path)
{
	const char *p = path;

	while (*p) {
		const char *semi = strchr(p, ';'), *next;

		if (!semi)
			return add_part(b, p, strlen(p));
		if (add_part(b, p, (size_t)(semi - p)) < 0)
			return -1;
		next = strpbrk(semi + 1, ";/");
		if (!next)
			next = semi + strlen(semi);
		if (!is_session_param(semi + 1, (size_t)(next - semi - 1)) &&
		    add_part(b, semi, (size_t)(next - semi)) < 0)
			return -1;
		p = next;
	}
	return 0;
}

/* "?query" without session parameters; nothing if that leaves it empty. */
static int add_query(struct buf *b, const char *q)
{
	size_t start = b->len;
	int first = 1;

	if (buf_addc(b, '?') < 0)
		return -1;
	while (*q) {
		size_t n = strcspn(q, "&");

		if (n && !is_session_param(q, n)) {
			if ((!first && buf_addc(b, '&') < 0) ||
			    add_part(b, q, n) < 0)
				return -1;
			first = 0;
		}
		q += n;
		if (*q == '&')
			q++;
	}
	if (b->len == start + 1)
		buf_setlen(b, start);
	return 0;
}

/* Build the normalised string from the parts curl parsed. */
static int rebuild(CURLU *h, struct buf *b, const char *shown, struct err *e)
{
	char *scheme = NULL, *user = NULL, *pass = NULL, *host = NULL;
	char *port = NULL, *path = NULL, *query = NULL, *c;
	int rc = -1;

	/* A non-ASCII (IDN) host stays percent-encoded so the result is
	 * ASCII: curl's CURLU_PUNYCODE needs a UTF-8 locale, which a
	 * library cannot assume. */
	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) ||
	    curl_url_get(h, CURLUPART_HOST, &host, CURLU_URLENCODE) ||
	    curl_url_get(h, CURLUPART_PATH, &path, 0)) {
		err_set(e, "%.200s: URL has no scheme, host or path", shown);
		goto out;
	}
	for (c = scheme; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (!is_http_scheme(scheme, strlen(scheme))) {
		err_set(e, "%.200s: scheme %s is not http or https", shown,
			scheme);
		goto out;
	}
	for (c = host; *c; c++) {
		if (*c == '%' && c[1] && c[2]) {    /* escapes upper-case */
			c[1] = (char)toupper((unsigned char)c[1]);
			c[2] = (char)toupper((unsigned char)c[2]);
			c += 2;
		} else {
			*c = (char)tolower((unsigned char)*c);
		}
	}
	curl_url_get(h, CURLUPART_USER, &user, 0);
	curl_url_get(h, CURLUPART_PASSWORD, &pass, 0);
	curl_url_get(h, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
	curl_url_get(h, CURLUPART_QUERY, &query, 0);
	if (buf_adds(b, scheme) < 0 || buf_adds(b, "://") < 0 ||
	    (user && (buf_adds(b, user) < 0 ||
		      (pass && (buf_addc(b, ':') < 0 || buf_adds(b, pass) < 0)) ||
		      buf_addc(b, '@') < 0)) ||
	    buf_adds(b, host) < 0 ||
	    (port && (buf_addc(b, ':') < 0 || buf_adds(b, port) < 0)) ||
	    (path[0] != '/' && buf_addc(b, '/') < 0) ||
	    add_path(b, path) < 0 || (query && add_query(b, query) < 0)) {
		err_set(e, "%.200s: URL too long once resolved", shown);
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(user);
	curl_free(pass);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	return rc;
}

int url_resolve(const char *base, const char *ref, size_t max_len,
		char **out, struct err *e)
{
	struct buf b = BUF_INIT(max_len);
	char *cref = NULL, *cbase = NULL;
	CURLU *h = NULL;
	CURLUcode uc;
	size_t sl;
	int rc = -1;

	*out = NULL;
	if (max_len && strlen(ref) > max_len * 2) {   /* before any copying */
		err_set(e, "%.80s...: URL longer than %zu", ref, max_len);
		goto out;
	}
	if (!(cref = clean_ref(ref)) || (base && !(cbase = clean_ref(base)))) {
		err_set(e, "%.200s: out of memory", ref);
		goto out;
	}
	if (max_len && strlen(cref) > max_len) {
		err_set(e, "%.80s...: URL longer than %zu", cref, max_len);
		goto out;
	}
	sl = scheme_len(cref);
	if (sl && !is_http_scheme(cref, sl)) {
		err_set(e, "%.200s: scheme %.*s is not http or https", cref,
			(int)sl, cref);
		goto out;
	}
	if (!(h = curl_url())) {
		err_set(e, "%.200s: out of memory", ref);
		goto out;
	}
	if (cbase && (uc = curl_url_set(h, CURLUPART_URL, cbase, 0))) {
		err_set(e, "%.200s: bad base URL: %s", cbase,
			curl_url_strerror(uc));
		goto out;
	}
	if (!cbase && !sl) {
		err_set(e, "%.200s: relative URL without a base", cref);
		goto out;
	}
	/* curl resolves "" and "#x" to the base's directory, RFC 3986 to
	 * the base itself: keep the base for those. */
	if (!cbase || (cref[0] && cref[0] != '#')) {
		if ((uc = curl_url_set(h, CURLUPART_URL, cref, 0))) {
			err_set(e, "%.200s: %s", cref, curl_url_strerror(uc));
			goto out;
		}
	}
	if (rebuild(h, &b, cref, e) < 0)
		goto out;
	if (!(*out = buf_detach(&b, NULL))) {
		err_set(e, "%.200s: out of memory", cref);
		goto out;
	}
	rc = 0;
out:
	curl_url_cleanup(h);
	buf_release(&b);
	free(cref);
	free(cbase);
	return rc;
}

int url_normalize(const char *url, size_t max_len, char **out, struct err *e)
{
	return url_resolve(NULL, url, max_len, out, e);
}

static CURLU *parse(const char *url)
{
	CURLU *h = curl_url();

	if (h && curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME)) {
		curl_url_cleanup(h);
		h = NULL;
	}
	return h;
}

/* One part, copied to malloc'd memory (so callers free with free()). */
static char *get_part(const char *url, CURLUPart part, unsigned flags)
{
	CURLU *h = parse(url);
	char *v = NULL, *copy = NULL;

	if (h && !curl_url_get(h, part, &v, flags) && v)
		copy = strdup(v);
	curl_free(v);
	curl_url_cleanup(h);
	return copy;
}

char *url_host(const char *url)
{
	char *h = get_part(url, CURLUPART_HOST, CURLU_URLENCODE), *c;

	for (c = h; c && *c; c++) {
		if (*c == '%' && c[1] && c[2]) {   /* as url_resolve writes it */
			c[1] = (char)toupper((unsigned char)c[1]);
			c[2] = (char)toupper((unsigned char)c[2]);
			c += 2;
		} else {
			*c = (char)tolower((unsigned char)*c);
		}
	}
	return h;
}

/* "a" sep "b" in a new string (NULL when out of memory); frees a and b. */
static char *join_free(char *a, char sep, char *b)
{
	char *out = malloc(strlen(a) + strlen(b) + 2);

	if (out)
		sprintf(out, "%s%c%s", a, sep, b);
	free(a);
	free(b);
	return out;
}

char *url_hostport(const char *url)
{
	char *host = url_host(url), *port;

	if (!host)
		return NULL;
	port = get_part(url, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
	if (!port)
		return host;
	return join_free(host, ':', port);
}

char *url_path(const char *url)
{
	char *p = get_part(url, CURLUPART_PATH, 0);

	if (p && !p[0]) {
		free(p);
		p = strdup("/");
	}
	return p;
}

char *url_query(const char *url)
{
	return get_part(url, CURLUPART_QUERY, 0);
}

char *url_path_query(const char *url)
{
	char *p = url_path(url), *q;

	if (!p)
		return NULL;
	q = url_query(url);
	if (!q)
		return p;
	return join_free(p, '?', q);
}
