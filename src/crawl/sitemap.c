/* sitemap: streaming sitemap parser (libxml2 reader, zlib). */
#include "crawl/sitemap.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/url.h"

void crawl_sitemap_init(struct crawl_sitemap *sm)
{
	memset(sm, 0, sizeof(*sm));
}

void crawl_sitemap_release(struct crawl_sitemap *sm)
{
	size_t i;

	for (i = 0; i < sm->n; i++)
		free(sm->v[i].loc);
	free(sm->v);
	crawl_sitemap_init(sm);
}

/* ---- W3C datetime --------------------------------------------------- */

static int digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static const int MDAYS[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

int crawl_sitemap_parse_datetime(const char *s, time_t *t)
{
	int Y, M = 1, D = 1, h = 0, m = 0, sec = 0, tzh = 0, tzm = 0, sign = 0;
	struct tm tm;
	time_t v;

	while (isspace((unsigned char)*s))
		s++;
	if (digits(&s, 4, &Y) < 0)
		return -1;
	if (*s == '-') {
		s++;
		if (digits(&s, 2, &M) < 0 || M < 1 || M > 12)
			return -1;
		if (*s == '-') {
			s++;
			if (digits(&s, 2, &D) < 0 || D < 1 || D > MDAYS[M - 1])
				return -1;
			if (*s == 'T' || *s == 't') {
				s++;
				if (digits(&s, 2, &h) < 0 || *s++ != ':' ||
				    digits(&s, 2, &m) < 0 || h > 23 || m > 59)
					return -1;
				if (*s == ':') {
					s++;
					if (digits(&s, 2, &sec) < 0 || sec > 60)
						return -1;
					if (*s == '.') {
						s++;
						if (!isdigit((unsigned char)*s))
							return -1;
						while (isdigit((unsigned char)*s))
							s++;
					}
				}
				if (*s == 'Z' || *s == 'z') {
					s++;
				} else if (*s == '+' || *s == '-') {
					sign = *s++ == '-' ? -1 : 1;
					if (digits(&s, 2, &tzh) < 0 || tzh > 23)
						return -1;
					if (*s == ':')
						s++;
					if (digits(&s, 2, &tzm) < 0 || tzm > 59)
						return -1;
				}
			}
		}
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	v = timegm(&tm);
	if (v == (time_t)-1 && !(Y == 1969 && M == 12 && D == 31))
		return -1;
	if (tm.tm_mday != D)        /* 29 February of a common year */
		return -1;
	*t = v - sign * (tzh * 3600 + tzm * 60);
	return 0;
}

/* ---- entries -------------------------------------------------------- */

/* 1 added, 0 skipped, 2 full (limit reached), -1 out of memory. */
static int add_entry(struct crawl_sitemap *sm, const char *src_url,
		     const char *loc, size_t n, const char *lastmod)
{
	char *raw, *url = NULL;
	int rc;

	while (n && isspace((unsigned char)*loc)) {
		loc++;
		n--;
	}
	while (n && isspace((unsigned char)loc[n - 1]))
		n--;
	if (!n || n >= CRAWL_SITEMAP_MAX_LOC) {
		sm->skipped++;
		return 0;
	}
	if (sm->n >= CRAWL_SITEMAP_MAX_ENTRIES) {
		sm->truncated = 1;
		return 2;
	}
	if (!(raw = strndup(loc, n)))
		return -1;
	rc = url_resolve(src_url, raw, 0, &url, NULL);
	free(raw);
	if (rc < 0) {
		sm->skipped++;
		return 0;
	}
	if (sm->n == sm->cap) {
		size_t ncap = sm->cap ? sm->cap * 2 : 64;
		struct crawl_sitemap_entry *nv = realloc(sm->v, ncap * sizeof(*nv));

		if (!nv) {
			free(url);
			return -1;
		}
		sm->v = nv;
		sm->cap = ncap;
	}
	sm->v[sm->n].loc = url;
	sm->v[sm->n].has_lastmod = lastmod &&
		crawl_sitemap_parse_datetime(lastmod, &sm->v[sm->n].lastmod) == 0;
	if (!sm->v[sm->n].has_lastmod)
		sm->v[sm->n].lastmod = 0;
	sm->n++;
	return 1;
}

/* ---- input ---------------------------------------------------------- */

/* Inflate a gzip body into out, at most CRAWL_SITEMAP_MAX_BYTES; 1 when
 * cut there, 0 when whole, -1 on corrupt data or memory. */
static int gunzip(const unsigned char *in, size_t len, struct buf *out)
{
	z_stream z;
	unsigned char chunk[65536];
	int zr = Z_OK, rc = -1;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)in;
	for (;;) {
		size_t have;

		z.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			goto out;
		len -= (size_t)(z.next_in - in);
		in = z.next_in;
		have = sizeof(chunk) - z.avail_out;
		if (out->len + have > CRAWL_SITEMAP_MAX_BYTES) {
			buf_add(out, chunk, CRAWL_SITEMAP_MAX_BYTES - out->len);
			rc = 1;
			goto out;
		}
		if (buf_add(out, chunk, have) < 0)
			goto out;
		if (zr == Z_STREAM_END) {
			/* another member may follow; trailing junk is ignored */
			if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
				inflateReset(&z);
				continue;
			}
			break;
		}
		if (have == 0 && (len == 0 || zr == Z_BUF_ERROR))
			goto out;       /* cut short */
	}
	rc = zr == Z_STREAM_END ? 0 : -1;
out:
	inflateEnd(&z);
	return rc;
}

static int parse_text(struct crawl_sitemap *sm, const char *s, size_t n,
		      const char *src_url)
{
	const char *end = s + n;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		int rc;

		if (!eol)
			eol = end;
		if (eol > s && (rc = add_entry(sm, src_url, s, (size_t)(eol - s),
					       NULL)) != 1) {
			if (rc < 0 || rc == 2)
				return rc;
		}
		s = eol + 1;
	}
	return 0;
}

/* Keep libxml2's first message for our error line instead of stderr. */
static void first_error(void *arg, const char *msg, xmlParserSeverities sev,
			xmlTextReaderLocatorPtr loc)
{
	char *keep = arg;
	size_t n;

	(void)sev;
	if (keep[0] || !msg)
		return;
	snprintf(keep, 200, "line %d: %s", xmlTextReaderLocatorLineNumber(loc),
		 msg);
	n = strlen(keep);
	while (n && (keep[n - 1] == '\n' || keep[n - 1] == ' '))
		keep[--n] = '\0';
}

enum field { F_NONE, F_LOC, F_LASTMOD };

/* 0 done, 2 limit reached, -1 memory, -2 not a sitemap. */
static int parse_xml(struct crawl_sitemap *sm, const char *s, size_t n,
		     const char *src_url, char *xml_err)
{
	xmlTextReaderPtr r;
	struct buf loc = BUF_INIT(CRAWL_SITEMAP_MAX_LOC + 16);
	struct buf lastmod = BUF_INIT(128);
	enum field field = F_NONE;
	int in_entry = 0, loc_long = 0, root = 0, rc = 0, ret;

	if (n > INT32_MAX)
		n = INT32_MAX;
	r = xmlReaderForMemory(s, (int)n, src_url, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR |
			       XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!r)
		return -1;
	xmlTextReaderSetErrorHandler(r, first_error, xml_err);
	while ((ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		int depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);

		if (type == XML_READER_TYPE_ELEMENT) {
			int empty = xmlTextReaderIsEmptyElement(r);

			if (depth == 0) {
				if (!strcmp(name, "urlset"))
					sm->is_index = 0;
				else if (!strcmp(name, "sitemapindex"))
					sm->is_index = 1;
				else
					break;
				root = 1;
			} else if (depth == 1 && (!strcmp(name, "url") ||
						  !strcmp(name, "sitemap"))) {
				in_entry = 1;
				loc_long = 0;
				buf_reset(&loc);
				buf_reset(&lastmod);
				field = F_NONE;
			} else if (depth == 2 && in_entry) {
				field = !strcmp(name, "loc") ? F_LOC
				      : !strcmp(name, "lastmod") ? F_LASTMOD : F_NONE;
			}
			if (!empty)
				continue;
			type = XML_READER_TYPE_END_ELEMENT;    /* <x/> ends at once */
		}
		if ((type == XML_READER_TYPE_TEXT ||
		     type == XML_READER_TYPE_CDATA ||
		     type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
		    in_entry && depth == 3 && field != F_NONE) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			if (field == F_LOC && v && buf_adds(&loc, v) < 0)
				loc_long = 1;
			else if (field == F_LASTMOD && v)
				buf_adds(&lastmod, v);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == 2)
				field = F_NONE;
			if (depth == 1 && in_entry) {
				in_entry = 0;
				if (loc_long) {
					sm->skipped++;
					continue;
				}
				rc = add_entry(sm, src_url, loc.data, loc.len,
					       lastmod.len ? lastmod.data : NULL);
				if (rc < 0 || rc == 2)
					break;
				rc = 0;
			}
		}
	}
	xmlFreeTextReader(r);
	buf_release(&loc);
	buf_release(&lastmod);
	if (rc < 0 || rc == 2)
		return rc;
	return root ? 0 : -2;
}

int crawl_sitemap_parse(struct crawl_sitemap *sm, const void *data,
			size_t len, const char *src_url, struct err *e)
{
	const unsigned char *d = data;
	struct buf plain = BUF_INIT(0);
	const char *s;
	char xml_err[200] = "";
	size_t n, i = 0;
	int cut = 0, rc = -1;

	crawl_sitemap_release(sm);
	if (len >= 2 && d[0] == 0x1f && d[1] == 0x8b) {
		cut = gunzip(d, len, &plain);
		if (cut < 0) {
			err_set(e, "%s: corrupt or truncated gzip data", src_url);
			goto out;
		}
		s = plain.data;
		n = plain.len;
	} else {
		s = data;
		n = len;
		if (n > CRAWL_SITEMAP_MAX_BYTES) {
			n = CRAWL_SITEMAP_MAX_BYTES;
			cut = 1;
		}
	}
	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i < n && s[i] != '<')
		rc = parse_text(sm, s, n, src_url);
	else
		rc = parse_xml(sm, s, n, src_url, xml_err);
	if (rc == -1) {
		err_set(e, "%s: out of memory parsing the sitemap", src_url);
		goto out;
	}
	if (rc == -2) {
		if (xml_err[0])
			err_set(e, "%s: not a sitemap: %s", src_url, xml_err);
		else
			err_set(e, "%s: not a sitemap (no <urlset> or "
				"<sitemapindex>)", src_url);
		rc = -1;
		goto out;
	}
	if (rc == 2) {
		err_set(e, "%s: more than %d entries, the rest ignored", src_url,
			CRAWL_SITEMAP_MAX_ENTRIES);
		rc = 1;
	} else if (cut) {
		sm->truncated = 1;
		err_set(e, "%s: larger than %u bytes uncompressed, the rest ignored",
			src_url, CRAWL_SITEMAP_MAX_BYTES);
		rc = 1;
	}
out:
	buf_release(&plain);
	return rc;
}
