/* surt: a byte-for-byte port of the rules of the Python `surt` package
 * (handyurl.parse, GoogleURLCanonicalizer, IAURLCanonicalizer, SURT). */
#include "util/surt.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/url.h"

struct hurl {
	struct buf scheme, host, path, query;
	long port;              /* -1: none */
	int has_host, has_path, has_query;
};

/* Percent-decode in place until nothing changes (unescapeRepeatedly). */
static void unescape_repeatedly(struct buf *b)
{
	int changed = 1;

	while (changed) {
		size_t i, o = 0;

		changed = 0;
		for (i = 0; i < b->len; i++) {
			int hi, lo;

			if (b->data[i] == '%' && i + 2 < b->len &&
			    (hi = url_hexval((unsigned char)b->data[i + 1])) >= 0 &&
			    (lo = url_hexval((unsigned char)b->data[i + 2])) >= 0) {
				b->data[o++] = (char)(hi * 16 + lo);
				i += 2;
				changed = 1;
			} else {
				b->data[o++] = b->data[i];
			}
		}
		buf_setlen(b, o);
	}
}

/* escapeOnce: quote() keeping letters, digits, "_.-~" and the safe set. */
static int escape_once(const struct buf *in, struct buf *out)
{
	static const char safe[] = "!\"$&'()*+,-./:;<=>?@[\\]^_`{|}~";
	size_t i;

	buf_reset(out);
	for (i = 0; i < in->len; i++) {
		unsigned char c = (unsigned char)in->data[i];

		if (c && (isalnum(c) ? c < 0x80 : c > 0x20 && c < 0x7f &&
			  strchr(safe, c) != NULL)) {
			if (buf_addc(out, (char)c) < 0)
				return -1;
		} else if (url_add_escape(out, c) < 0) {
			return -1;
		}
	}
	return 0;
}

static int escape_in_place(struct buf *b)
{
	struct buf tmp = BUF_INIT(0);

	if (escape_once(b, &tmp) < 0) {
		buf_release(&tmp);
		return -1;
	}
	buf_release(b);
	*b = tmp;
	return 0;
}

static void lower(struct buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++)
		b->data[i] = (char)tolower((unsigned char)b->data[i]);
}

/* normalizePath: drop "." and empty segments, apply "..", keep a final
 * empty segment (the trailing slash). */
static int normalize_path(struct buf *path)
{
	struct buf out = BUF_INIT(0);
	size_t *segs = NULL, nseg = 0, i, start;
	const char *p = path->data;
	int rc = -1;

	if (!path->len)
		return buf_adds(path, "/");
	/* segment starts after each '/', skipping what precedes the first */
	segs = malloc((path->len + 1) * 2 * sizeof(*segs));
	if (!segs)
		goto out;
	start = (size_t)-1;
	for (i = 0; i <= path->len; i++) {
		if (i < path->len && p[i] != '/')
			continue;
		if (start != (size_t)-1) {
			size_t len = i - start;

			if (len == 1 && p[start] == '.') {
				;
			} else if (len == 2 && p[start] == '.' && p[start + 1] == '.') {
				if (nseg)
					nseg--;
				else {
					segs[2 * nseg] = start;
					segs[2 * nseg + 1] = len;
					nseg++;
				}
			} else {
				segs[2 * nseg] = start;
				segs[2 * nseg + 1] = len;
				nseg++;
			}
		}
		start = i + 1;
	}
	if (buf_addc(&out, '/') < 0)
		goto out;
	for (i = 0; i + 1 < nseg; i++) {
		if (!segs[2 * i + 1])
			continue;
		if (buf_add(&out, p + segs[2 * i], segs[2 * i + 1]) < 0 ||
		    buf_addc(&out, '/') < 0)
			goto out;
	}
	if (nseg && buf_add(&out, p + segs[2 * (nseg - 1)], segs[2 * nseg - 1]) < 0)
		goto out;
	buf_release(path);
	*path = out;
	out = (struct buf)BUF_INIT(0);
	rc = 0;
out:
	free(segs);
	buf_release(&out);
	return rc;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* ^(0[0-7]*)(\.[0-7]+)?{3}$ or ^([1-9][0-9]*)(\.[0-9]+)?{3}$ */
static int ip_like(const char *s)
{
	int octal = s[0] == '0', parts = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return 0;
	while (*p) {
		const char *b = p;

		while (isdigit((unsigned char)*p)) {
			if (octal && *p > '7')
				return 0;
			p++;
		}
		if (p == b || ++parts > 4)
			return 0;
		if (*p == '.') {
			p++;
			if (!*p)
				return 0;
		} else if (*p) {
			return 0;
		}
	}
	return 1;
}

/* attemptIPFormats: 1 when host was rewritten as a dotted quad. */
static int attempt_ip(struct buf *host)
{
	struct in_addr a;
	char out[INET_ADDRSTRLEN];

	if (all_digits(host->data, host->len)) {
		unsigned long long v = 0;
		size_t i;

		for (i = 0; i < host->len; i++)
			v = v * 10 + (unsigned)(host->data[i] - '0');
		a.s_addr = htonl((uint32_t)(v & 0xffffffffULL));
	} else if (!ip_like(host->data) || !inet_aton(host->data, &a)) {
		return 0;
	}
	if (!inet_ntop(AF_INET, &a, out, sizeof(out)))
		return 0;
	buf_reset(host);
	return buf_adds(host, out) < 0 ? -1 : 1;
}

/* ---- query session ids: the five regexes, by hand ------------------- */

typedef size_t (*match_fn)(const char *s, size_t n, size_t i);

static size_t run_of(const char *s, size_t n, size_t i, int (*ok)(int), size_t want)
{
	size_t k = 0;

	while (i + k < n && ok((unsigned char)s[i + k]))
		k++;
	return want ? (k >= want ? want : 0) : k;
}

static int is_alnum_c(int c) { return c < 0x80 && isalnum(c); }
static int is_alpha_c(int c) { return c < 0x80 && isalpha(c); }
static int not_amp(int c) { return c != '&'; }

static size_t key_value(const char *s, size_t n, size_t i, const char *key,
			int (*ok)(int), size_t len)
{
	size_t kl = strlen(key), v;

	if (i + kl > n || strncasecmp(s + i, key, kl))
		return 0;
	v = run_of(s, n, i + kl, ok, len);
	return v ? kl + v : 0;
}

static size_t m_jsession(const char *s, size_t n, size_t i)
{
	return key_value(s, n, i, "jsessionid=", is_alnum_c, 32);
}

static size_t m_phpsess(const char *s, size_t n, size_t i)
{
	return key_value(s, n, i, "phpsessid=", is_alnum_c, 32);
}

static size_t m_sid(const char *s, size_t n, size_t i)
{
	return key_value(s, n, i, "sid=", is_alnum_c, 32);
}

static size_t m_asp(const char *s, size_t n, size_t i)
{
	size_t k;

	if (i + 12 > n || strncasecmp(s + i, "aspsessionid", 12))
		return 0;
	k = 12;
	if (run_of(s, n, i + k, is_alpha_c, 8) != 8 || i + k + 8 >= n ||
	    s[i + k + 8] != '=')
		return 0;
	k += 9;
	return run_of(s, n, i + k, is_alpha_c, 24) ? k + 24 : 0;
}

static size_t m_cf(const char *s, size_t n, size_t i)
{
	size_t k, v;

	if (i + 5 > n || strncasecmp(s + i, "cfid=", 5))
		return 0;
	k = 5;
	if (!(v = run_of(s, n, i + k, not_amp, 0)))
		return 0;
	k += v;
	if (i + k + 9 > n || strncasecmp(s + i + k, "&cftoken=", 9))
		return 0;
	k += 9;
	if (!(v = run_of(s, n, i + k, not_amp, 0)))
		return 0;
	return k + v;
}

/* ^(.*)(?:PATTERN)(?:&(.*))?$ : greedy, so the last place that fits. */
static void strip_query_pattern(struct buf *q, match_fn m)
{
	size_t i = q->len + 1;

	while (i-- > 0) {
		size_t len = m(q->data, q->len, i), end;

		if (!len)
			continue;
		end = i + len;
		if (end != q->len && q->data[end] != '&')
			continue;
		if (end == q->len) {
			buf_setlen(q, i);
		} else {
			memmove(q->data + i, q->data + end + 1, q->len - end - 1);
			buf_setlen(q, q->len - (end + 1 - i));
		}
		return;
	}
}

static void strip_query_session_ids(struct buf *q)
{
	static const match_fn ms[] = { m_jsession, m_phpsess, m_sid, m_asp, m_cf };
	size_t i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++)
		strip_query_pattern(q, ms[i]);
}

/* The two ASP.NET path session id regexes, case-insensitive: after the
 * last '/' that fits, "(" then either 1+ of "x(" 24 alnum ")" (nested) or
 * 24 alnum, then ")/", then a rest containing ".aspx" after 1+ chars. */
static size_t path_sid_len(const char *s, size_t n, size_t i, int nested)
{
	size_t k = i;

	if (k >= n || s[k++] != '(')
		return 0;
	if (nested) {
		int count = 0;

		while (k + 27 <= n && isalpha((unsigned char)s[k]) &&
		       s[k + 1] == '(' && run_of(s, n, k + 2, is_alnum_c, 24) &&
		       s[k + 26] == ')') {
			k += 27;
			count++;
		}
		if (!count)
			return 0;
	} else {
		if (!run_of(s, n, k, is_alnum_c, 24))
			return 0;
		k += 24;
	}
	if (k + 2 > n || s[k] != ')' || s[k + 1] != '/')
		return 0;
	return k + 2 - i;
}

static int aspx_rest(const char *s, size_t n)
{
	size_t k;

	for (k = 1; k + 5 <= n; k++) {
		if (s[k - 1] == '?')
			return 0;
		if (!strncasecmp(s + k, ".aspx", 5))
			return 1;
	}
	return 0;
}

static void strip_path_session_ids(struct buf *p)
{
	int nested;

	for (nested = 1; nested >= 0; nested--) {
		size_t i = p->len;

		while (i-- > 0) {
			size_t len;

			if (p->data[i] != '/')
				continue;
			len = path_sid_len(p->data, p->len, i + 1, nested);
			if (!len || !aspx_rest(p->data + i + 1 + len,
					       p->len - i - 1 - len))
				continue;
			memmove(p->data + i + 1, p->data + i + 1 + len,
				p->len - i - 1 - len);
			buf_setlen(p, p->len - len);
			break;
		}
	}
}

/* ---- query argument sort -------------------------------------------- */

struct qarg {
	const char *key, *val;   /* val NULL: no '=' */
	size_t klen, vlen;
};

static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

static int qarg_cmp(const void *pa, const void *pb)
{
	const struct qarg *a = pa, *b = pb;
	int c = bytes_cmp(a->key, a->klen, b->key, b->klen);

	if (c)
		return c;
	if (!a->val || !b->val)       /* (k,) < (k, v) */
		return (a->val != NULL) - (b->val != NULL);
	return bytes_cmp(a->val, a->vlen, b->val, b->vlen);
}

static int alpha_reorder(struct buf *q)
{
	struct buf out = BUF_INIT(0);
	struct qarg *args;
	size_t n = 1, i, k = 0, start = 0;

	if (q->len <= 1)
		return 0;
	for (i = 0; i < q->len; i++)
		n += q->data[i] == '&';
	if (!(args = calloc(n, sizeof(*args))))
		return -1;
	for (i = 0; i <= q->len; i++) {
		const char *eq;

		if (i < q->len && q->data[i] != '&')
			continue;
		args[k].key = q->data + start;
		eq = memchr(args[k].key, '=', i - start);
		args[k].klen = eq ? (size_t)(eq - args[k].key) : i - start;
		args[k].val = eq ? eq + 1 : NULL;
		args[k].vlen = eq ? i - start - args[k].klen - 1 : 0;
		k++;
		start = i + 1;
	}
	qsort(args, n, sizeof(*args), qarg_cmp);
	for (i = 0; i < n; i++) {
		if ((i && buf_addc(&out, '&') < 0) ||
		    buf_add(&out, args[i].key, args[i].klen) < 0 ||
		    (args[i].val && (buf_addc(&out, '=') < 0 ||
				     buf_add(&out, args[i].val, args[i].vlen) < 0))) {
			free(args);
			buf_release(&out);
			return -1;
		}
	}
	free(args);
	buf_release(q);
	*q = out;
	return 0;
}

/* ---- parse (handyurl.parse over Python's urlsplit) ------------------- */

static int parse(struct hurl *h, const char *u, size_t n, struct err *e,
		 const char *shown)
{
	const char *p = u, *end = u + n, *cut, *netloc = NULL, *nl_end = NULL;
	size_t sl;

	/* scheme: ^[a-zA-Z][a-zA-Z0-9+.-]*: */
	for (sl = 0; p + sl < end && (isalnum((unsigned char)p[sl]) ||
				     p[sl] == '+' || p[sl] == '-' || p[sl] == '.'); sl++)
		;
	if (buf_add(&h->scheme, p, sl) < 0)
		return -1;
	lower(&h->scheme);
	p += sl + 1;
	if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
		netloc = p + 2;
		nl_end = netloc;
		while (nl_end < end && !strchr("/?#", *nl_end))
			nl_end++;
		p = nl_end;
	}
	if ((cut = memchr(p, '#', (size_t)(end - p))))
		end = cut;
	if ((cut = memchr(p, '?', (size_t)(end - p)))) {
		h->has_query = cut + 1 < end;
		if (buf_add(&h->query, cut + 1, (size_t)(end - cut - 1)) < 0)
			return -1;
		end = cut;
	}
	h->has_path = p < end;
	if (buf_add(&h->path, p, (size_t)(end - p)) < 0)
		return -1;
	if (netloc) {
		const char *at, *hb = netloc, *he, *port = NULL, *pe = nl_end;

		while (pe > netloc && pe[-1] == ':')
			pe--;
		for (at = netloc; at < pe; at++)
			if (*at == '@')
				hb = at + 1;
		if (hb < pe && *hb == '[') {
			const char *rb = memchr(hb, ']', (size_t)(pe - hb));

			if (!rb)
				return err_set(e, "%s: unbalanced '[' in host", shown);
			he = rb;
			hb++;
			if (rb + 1 < pe && rb[1] == ':')
				port = rb + 2;
		} else {
			he = memchr(hb, ':', (size_t)(pe - hb));
			if (he)
				port = he + 1;
			else
				he = pe;
		}
		if (port && port < pe) {
			if (!all_digits(port, (size_t)(pe - port)) || pe - port > 5)
				return err_set(e, "%s: port is not a number", shown);
			h->port = strtol(port, NULL, 10);
			if (h->port > 65535)
				return err_set(e, "%s: port out of range", shown);
			if (h->port == 0)
				h->port = -1;
		}
		h->has_host = he > hb;
		if (buf_add(&h->host, hb, (size_t)(he - hb)) < 0)
			return -1;
		lower(&h->host);
	}
	/* "http:////www.vikings.com": the host hides in the path */
	if (!strncmp(h->scheme.data, "http", 4) && !h->has_host && h->has_path) {
		const char *q = h->path.data, *slash;
		struct buf np = BUF_INIT(0);

		while (*q == '/')
			q++;
		slash = strchr(q, '/');
		if (buf_add(&h->host, q, slash ? (size_t)(slash - q) : strlen(q)) < 0 ||
		    buf_addc(&np, '/') < 0 || (slash && buf_adds(&np, slash + 1) < 0)) {
			buf_release(&np);
			return -1;
		}
		h->has_host = h->host.len > 0;
		buf_release(&h->path);
		h->path = np;
	}
	return 0;
}

/* ---- the canonicalisers --------------------------------------------- */

static int google(struct hurl *h)
{
	size_t i, o;

	if (h->has_query) {
		unescape_repeatedly(&h->query);
		if (escape_in_place(&h->query) < 0)
			return -1;
	}
	if (h->has_host) {
		int ip;

		unescape_repeatedly(&h->host);
		/* host.replace('..', '.').strip('.') */
		for (i = o = 0; i < h->host.len; i++) {
			h->host.data[o++] = h->host.data[i];
			if (h->host.data[i] == '.' && i + 1 < h->host.len &&
			    h->host.data[i + 1] == '.')
				i++;
		}
		buf_setlen(&h->host, o);
		for (i = 0; i < h->host.len && h->host.data[i] == '.'; i++)
			;
		memmove(h->host.data, h->host.data + i, h->host.len - i + 1);
		buf_setlen(&h->host, h->host.len - i);
		while (h->host.len && h->host.data[h->host.len - 1] == '.')
			buf_setlen(&h->host, h->host.len - 1);
		ip = attempt_ip(&h->host);
		if (ip < 0)
			return -1;
		if (!ip) {
			lower(&h->host);
			if (escape_in_place(&h->host) < 0)
				return -1;
		}
		h->has_host = h->host.len > 0;
	}
	unescape_repeatedly(&h->path);
	if (h->has_host && normalize_path(&h->path) < 0)
		return -1;
	h->has_path = h->path.len > 0;
	return escape_in_place(&h->path);
}

static void ia(struct hurl *h)
{
	const char *s = h->host.data;

	/* www\d*\. */
	if (h->has_host && !strncmp(s, "www", 3)) {
		size_t k = 3;

		while (isdigit((unsigned char)s[k]))
			k++;
		if (s[k] == '.') {
			memmove(h->host.data, s + k + 1, h->host.len - k);
			buf_setlen(&h->host, h->host.len - k - 1);
		}
	}
	if ((!strcmp(h->scheme.data, "http") && h->port == 80) ||
	    (!strcmp(h->scheme.data, "https") && h->port == 443))
		h->port = -1;
	lower(&h->path);
	if (h->path.len)
		strip_path_session_ids(&h->path);
	if (h->path.len > 1 && h->path.data[h->path.len - 1] == '/')
		buf_setlen(&h->path, h->path.len - 1);
	if (h->has_query) {
		strip_query_session_ids(&h->query);
		lower(&h->query);
	}
}

static int format(struct hurl *h, struct buf *out)
{
	if (!h->has_host) {
		if (buf_add(out, h->scheme.data, h->scheme.len) < 0 ||
		    buf_addc(out, ':') < 0)
			return -1;
	} else {
		size_t end = h->host.len, i;

		/* labels reversed, comma-joined (IPv4 too, as pywb does) */
		for (i = h->host.len; i-- > 0;) {
			if (h->host.data[i] != '.')
				continue;
			if (buf_add(out, h->host.data + i + 1, end - i - 1) < 0 ||
			    buf_addc(out, ',') < 0)
				return -1;
			end = i;
		}
		if (buf_add(out, h->host.data, end) < 0 ||
		    (h->port >= 0 && buf_addf(out, ":%ld", h->port) < 0) ||
		    buf_addc(out, ')') < 0)
			return -1;
	}
	if (h->path.len) {
		if (buf_add(out, h->path.data, h->path.len) < 0)
			return -1;
	} else if (h->has_query && buf_addc(out, '/') < 0) {
		return -1;
	}
	if (h->has_query && (buf_addc(out, '?') < 0 ||
			     buf_add(out, h->query.data, h->query.len) < 0))
		return -1;
	return 0;
}

static int has_scheme(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':';
}

int surt_key(const char *url, char **out, struct err *e)
{
	struct buf u = BUF_INIT(0), key = BUF_INIT(0);
	struct hurl h;
	const char *b = url, *end, *p;
	int rc = -1;

	*out = NULL;
	memset(&h, 0, sizeof(h));
	buf_init(&h.scheme, 0);
	buf_init(&h.host, 0);
	buf_init(&h.path, 0);
	buf_init(&h.query, 0);
	h.port = -1;
	if (strlen(url) > SURT_MAX_URL) {
		err_set(e, "%.100s...: URL longer than %d", url, SURT_MAX_URL);
		goto out;
	}
	if (!strncmp(url, "filedesc", 8)) {
		rc = buf_adds(&key, url);
		goto done;
	}
	end = url + strlen(url);
	while (b < end && strchr(" \t\n\r\v\f", *b))
		b++;
	while (end > b && strchr(" \t\n\r\v\f", end[-1]))
		end--;
	if (b == end) {
		err_set(e, "empty URL");
		goto out;
	}
	if (!has_scheme(b) && buf_adds(&u, "http://") < 0)
		goto oom;
	for (p = b; p < end; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r' && buf_addc(&u, *p) < 0)
			goto oom;
	if (!strncasecmp(u.data, "dns:", 4) || !strncasecmp(u.data, "warcinfo:", 9)) {
		rc = buf_add(&key, u.data, u.len);
		goto done;
	}
	/* ^(https?://)+ -> the last of them */
	for (;;) {
		size_t l = !strncmp(u.data, "http://", 7) ? 7
			 : !strncmp(u.data, "https://", 8) ? 8 : 0;

		if (!l || (strncmp(u.data + l, "http://", 7) &&
			   strncmp(u.data + l, "https://", 8)))
			break;
		memmove(u.data, u.data + l, u.len - l + 1);
		buf_setlen(&u, u.len - l);
	}
	if (parse(&h, u.data, u.len, e, url) < 0)
		goto out;
	if (google(&h) < 0)
		goto oom;
	ia(&h);
	if ((h.has_query && alpha_reorder(&h.query) < 0))
		goto oom;
	h.has_query = h.has_query && h.query.len > 0;
	rc = format(&h, &key);
done:
	if (rc < 0)
		goto oom;
	*out = buf_detach(&key, NULL);
	rc = *out ? 0 : err_set(e, "%.200s: out of memory", url);
	goto out;
oom:
	rc = err_set(e, "%.200s: out of memory making its SURT", url);
out:
	buf_release(&u);
	buf_release(&key);
	buf_release(&h.scheme);
	buf_release(&h.host);
	buf_release(&h.path);
	buf_release(&h.query);
	return rc;
}
