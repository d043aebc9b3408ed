/* replay memento: RFC 7089 for the replay server.  Every URI the server
 * names is a path on the server itself (RFC 8288 allows URI references),
 * so the answers do not depend on the Host header; the original resource
 * is the archived URL.
 *
 *   Link on a memento:  <URL>; rel="original", </timegate/URL>;
 *     rel="timegate", </timemap/link/URL>; rel="timemap";
 *     type="application/link-format", then the first, previous, this, next
 *     and last mementos (each once, its rel naming all it is:
 *     "first memento", "prev memento", "memento", "next memento",
 *     "last memento", e.g. "first prev memento"), with datetime.
 *   /timemap/link/URL: original, self (from, until), timegate, then every
 *     memento oldest first ("first memento", "memento", "last memento").
 *   /timemap/json/URL: the Time Travel JSON form: original_uri,
 *     timegate_uri, timemap_uri {link_format, json_format}, mementos
 *     {first, last, list [{datetime, uri}]}. */
#include <stdio.h>
#include <string.h>

#include "replay/replay.h"
#include "util/escape.h"
#include "util/timeutil.h"

void replay_http_date(const char *ts14, char out[32])
{
	time_t t;

	if (time_parse_ts(ts14, &t) < 0)
		t = 0;
	time_http_date(t, out);
}

static void memento_entry(struct buf *out, const struct catalog_capture *c,
			  const char *url, const char *rel)
{
	char d[32];

	replay_http_date(c->ts, d);
	buf_addf(out, "</%s/%s>; rel=\"%s\"; datetime=\"%s\"", c->ts, url,
		 rel, d);
}

int replay_memento_link(const struct catalog_capture *v, size_t n, size_t i,
			const char *url, struct buf *out)
{
	size_t pick[5], k, m = 0;
	char rel[64];

	buf_addf(out, "<%s>; rel=\"original\", </timegate/%s>; "
		 "rel=\"timegate\", </timemap/link/%s>; rel=\"timemap\"; "
		 "type=\"application/link-format\"", url, url, url);
	/* first, prev, self, next, last: in time order, each once */
	pick[m++] = 0;
	if (i > 0)
		pick[m++] = i - 1;
	pick[m++] = i;
	if (i + 1 < n)
		pick[m++] = i + 1;
	pick[m++] = n - 1;
	for (k = 0; k < m; k++) {
		size_t j = pick[k];

		if (k && pick[k - 1] == j)
			continue;
		rel[0] = '\0';
		if (j == 0)
			strcat(rel, "first ");
		if (j == n - 1 && j != i)
			strcat(rel, "last ");
		if (i > 0 && j == i - 1)
			strcat(rel, "prev ");
		if (j == i + 1)
			strcat(rel, "next ");
		if (j == n - 1 && j == i)
			strcat(rel, "last ");
		strcat(rel, "memento");
		buf_adds(out, ", ");
		memento_entry(out, &v[j], url, rel);
	}
	return out->len ? 0 : -1;
}

int replay_timemap_link(const struct catalog_capture *v, size_t n,
			const char *url, struct buf *out)
{
	char from[32], until[32];
	size_t i;

	replay_http_date(v[0].ts, from);
	replay_http_date(v[n - 1].ts, until);
	buf_addf(out, "<%s>; rel=\"original\",\n"
		 "</timemap/link/%s>; rel=\"self\"; "
		 "type=\"application/link-format\"; from=\"%s\"; until=\"%s\",\n"
		 "</timegate/%s>; rel=\"timegate\"", url, url, from, until, url);
	for (i = 0; i < n; i++) {
		buf_adds(out, ",\n");
		memento_entry(out, &v[i], url,
			      n == 1 ? "first last memento" :
			      i == 0 ? "first memento" :
			      i == n - 1 ? "last memento" : "memento");
	}
	return buf_adds(out, "\n");
}

static void json_memento(struct buf *out, const struct catalog_capture *c,
			 const char *url)
{
	char iso[32];
	struct buf u = BUF_INIT(0);

	time_iso(c->ts, iso);
	replay_url(&u, c->ts, "", url);
	buf_addf(out, "{\"datetime\": \"%s\", \"uri\": ", iso);
	escape_json(out, u.data, u.len);
	buf_adds(out, "}");
	buf_release(&u);
}

int replay_timemap_json(const struct catalog_capture *v, size_t n,
			const char *url, struct buf *out)
{
	struct buf u = BUF_INIT(0);
	size_t i;

	buf_adds(out, "{\"original_uri\": ");
	escape_json(out, url, strlen(url));
	buf_adds(out, ", \"timegate_uri\": ");
	buf_addf(&u, "/timegate/%s", url);
	escape_json(out, u.data, u.len);
	buf_adds(out, ", \"timemap_uri\": {\"link_format\": ");
	buf_reset(&u);
	buf_addf(&u, "/timemap/link/%s", url);
	escape_json(out, u.data, u.len);
	buf_adds(out, ", \"json_format\": ");
	buf_reset(&u);
	buf_addf(&u, "/timemap/json/%s", url);
	escape_json(out, u.data, u.len);
	buf_adds(out, "}, \"mementos\": {\"first\": ");
	json_memento(out, &v[0], url);
	buf_adds(out, ", \"last\": ");
	json_memento(out, &v[n - 1], url);
	buf_adds(out, ", \"list\": [");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(out, ", ");
		json_memento(out, &v[i], url);
	}
	buf_release(&u);
	return buf_adds(out, "]}}\n");
}
