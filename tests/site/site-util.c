/* site-util: hashing, a seeded generator, dates in DPMC's formats, HTML
 * escaping and query strings for the replica. */
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/url.h"

static const char *const weekdays[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const months[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

uint64_t site_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* FNV-1a, then mixed with the salt, so "which pages change" depends on the
 * path's text and not on its position in the tree. */
uint64_t site_hash(const char *s, uint64_t salt)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return site_mix(h ^ site_mix(salt));
}

void site_rng_seed(struct site_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t site_rng_next(struct site_rng *r)
{
	r->state += 0x9e3779b97f4a7c15ULL;
	return site_mix(r->state);
}

unsigned site_rng_below(struct site_rng *r, unsigned n)
{
	return n ? (unsigned)(site_rng_next(r) % n) : 0;
}

time_t site_day(int year, int month, int day)
{
	struct tm tm = { 0 };

	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = 12;
	return timegm(&tm);
}

void site_date_long(time_t t, char out[48])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 48, "%s, %d %s %d", weekdays[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900);
}

void site_date_listing(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 32, "%.3s %d %.3s %d", weekdays[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900);
}

void site_date_short(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 32, "%d %.3s %d", tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900);
}

void site_date_iso(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void site_date_w3c(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

int site_html_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#039;"; break;
		}
		if (rep ? buf_adds(b, rep) : buf_addc(b, *s))
			return -1;
	}
	return 0;
}

void site_percent_decode(const char *in, size_t n, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		if (in[i] == '%' && i + 2 < n &&
		    url_hexval((unsigned char)in[i + 1]) >= 0 &&
		    url_hexval((unsigned char)in[i + 2]) >= 0) {
			out[o++] = (char)(url_hexval((unsigned char)in[i + 1]) * 16 +
					  url_hexval((unsigned char)in[i + 2]));
			i += 2;
		} else {
			out[o++] = in[i] == '+' ? ' ' : in[i];
		}
	}
	if (outsz)
		out[o] = '\0';
}

int site_query_get(const char *query, const char *key, char *out, size_t n)
{
	const char *p = query;

	while (p && *p) {
		const char *end = strchr(p, '&');
		const char *eq = memchr(p, '=', end ? (size_t)(end - p) : strlen(p));
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[256];

		site_percent_decode(p, eq ? (size_t)(eq - p) : len, name,
				    sizeof(name));
		if (strcmp(name, key) == 0) {
			if (eq)
				site_percent_decode(eq + 1,
						    len - (size_t)(eq + 1 - p),
						    out, n);
			else if (n)
				out[0] = '\0';
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

int site_version_parse(const char *s)
{
	if (s && (s[0] == 'v' || s[0] == 'V') && s[1] >= '1' &&
	    s[1] <= '0' + SITE_VERSIONS && s[2] == '\0')
		return s[1] - '0';
	return -1;
}
