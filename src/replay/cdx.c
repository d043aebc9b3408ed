/* replay cdx: /cdx?url=&matchType=&from=&to=&limit=&output= answered as
 * pywb's CDX server does, from the catalog.
 *
 *   url        required; matchType exact (default), prefix (every key
 *              starting with the URL's SURT key) or host (every URL of
 *              the URL's host and port); a url ending in '*' means prefix
 *   from, to   timestamps or prefixes of one (from: lowest, to: highest
 *              moment they name)
 *   limit      at most this many lines
 *   output     absent or "cdxj": CDXJ lines as `govarch index --cdxj`
 *              writes them (SURT TIMESTAMP {"url": ..., "mime": ...,
 *              "status": ..., "digest": ..., "length": ..., "offset": ...,
 *              "filename": ...}); "json": one JSON object per line with
 *              urlkey and timestamp first, then the same fields
 * Revisits have mime "warc/revisit" and no status, like pywb's indexes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/replay.h"
#include "util/escape.h"
#include "util/surt.h"

static void field(struct buf *b, const char *name, const char *v, int *first)
{
	if (!v || !*v)
		return;
	buf_addf(b, "%s\"%s\": ", *first ? "" : ", ", name);
	escape_json(b, v, strlen(v));
	*first = 0;
}

static void line(struct buf *out, const char *key,
		 const struct catalog_capture *c, int json)
{
	char status[16] = "", num[32];
	const char *mime = c->mime;
	int first = 1;

	if (c->type == CATALOG_REVISIT)
		mime = "warc/revisit";
	else if (c->type == CATALOG_RESPONSE && c->status)
		snprintf(status, sizeof(status), "%d", c->status);
	if (json) {
		buf_adds(out, "{");
		field(out, "urlkey", key, &first);
		field(out, "timestamp", c->ts, &first);
	} else {
		buf_addf(out, "%s %s {", key, c->ts);
	}
	field(out, "url", c->url, &first);
	field(out, "mime", mime, &first);
	field(out, "status", status, &first);
	field(out, "digest", c->payload_digest, &first);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)c->length);
	field(out, "length", num, &first);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)c->offset);
	field(out, "offset", num, &first);
	field(out, "filename", c->warc_file, &first);
	buf_adds(out, "}\n");
}

/* A from/to bound: 1-14 digits padded to 14 with pad. */
static int bound(const char *s, char pad, char out[15])
{
	size_t n = strlen(s), i;

	if (n == 0 || n > 14)
		return -1;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	memcpy(out, s, n);
	memset(out + n, pad, 14 - n);
	out[14] = '\0';
	return 0;
}

static int bad(struct buf *out, const char *why)
{
	buf_reset(out);
	buf_addf(out, "%s\n", why);
	return 400;
}

int replay_cdx(struct catalog *c, const char *query, struct buf *out,
	       int *json, struct err *e)
{
	char *url = NULL, *match = NULL, *from = NULL, *to = NULL;
	char *limit_s = NULL, *output = NULL, *key = NULL, *lo = NULL;
	char *hi = NULL, **keys = NULL, ts_lo[15], ts_hi[15], *end;
	struct catalog_capture *v = NULL;
	unsigned long long limit = 0;
	size_t n = 0, i, kl;
	int rc = 400, prefix = 0, host = 0;

	*json = 0;
	if (replay_query_get(query, "url", &url) < 0 ||
	    replay_query_get(query, "matchType", &match) < 0 ||
	    replay_query_get(query, "from", &from) < 0 ||
	    replay_query_get(query, "to", &to) < 0 ||
	    replay_query_get(query, "limit", &limit_s) < 0 ||
	    replay_query_get(query, "output", &output) < 0) {
		rc = bad(out, "a query parameter does not decode");
		goto out;
	}
	if (!url || !*url) {
		rc = bad(out, "the url parameter is required");
		goto out;
	}
	kl = strlen(url);
	if (url[kl - 1] == '*') {
		url[--kl] = '\0';
		prefix = 1;
	}
	if (match && !strcmp(match, "prefix")) {
		prefix = 1;
	} else if (match && !strcmp(match, "host")) {
		host = 1;
	} else if (match && strcmp(match, "exact")) {
		rc = bad(out, "matchType must be exact, prefix or host");
		goto out;
	}
	if (bound(from ? from : "0", '0', ts_lo) < 0 ||
	    bound(to ? to : "9", '9', ts_hi) < 0) {
		rc = bad(out, "from and to must be timestamps (1 to 14 "
			 "digits)");
		goto out;
	}
	if (limit_s) {
		limit = strtoull(limit_s, &end, 10);
		if (!*limit_s || *end || !isdigit((unsigned char)*limit_s) ||
		    limit == 0 || limit > 1000000) {
			rc = bad(out, "limit must be a number from 1 to "
				 "1000000");
			goto out;
		}
	}
	if (output && strcmp(output, "json") && strcmp(output, "cdxj")) {
		rc = bad(out, "output must be json or cdxj");
		goto out;
	}
	*json = output && !strcmp(output, "json");
	if (!*url || surt_key(url, &key, e) < 0) {
		rc = bad(out, "the url parameter is not a URL");
		goto out;
	}
	kl = strlen(key);
	if (host) {
		char *p = strchr(key, ')');

		if (p)
			kl = (size_t)(p - key) + 1;
	}
	lo = malloc(kl + 2);
	hi = malloc(kl + 2);
	if (!lo || !hi) {
		rc = bad(out, "out of memory");
		goto out;
	}
	memcpy(lo, key, kl);
	lo[kl] = '\0';
	memcpy(hi, key, kl);
	hi[kl + 1] = '\0';
	if (host) {                     /* "host)" .. "host*" */
		hi[kl - 1] = (char)(hi[kl - 1] + 1);
		hi[kl] = '\0';
	} else {                        /* exact: key itself; prefix: all */
		hi[kl] = prefix ? '\x7f' : '\x01';
	}
	if (catalog_captures_range(c, lo, hi, ts_lo, ts_hi, (size_t)limit,
				   &v, &keys, &n, e) < 0) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++)
		line(out, keys[i], &v[i], *json);
	rc = 200;
out:
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	catalog_captures_free(v, n);
	free(url);
	free(match);
	free(from);
	free(to);
	free(limit_s);
	free(output);
	free(key);
	free(lo);
	free(hi);
	return rc;
}
