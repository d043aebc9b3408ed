/* replay: what `govarch replay` serves, as library functions (the server in
 * server.c is only libmicrohttpd plumbing around them).
 *
 *   request.c  the request path: route, timestamp, modifier, archived URL;
 *              query parameters; Accept-Datetime
 *   lookup.c   which capture answers (nearest in time), revisits resolved
 *              to the record they refer to, reading the record's HTTP
 *              head and payload from the archive's WARC files
 *   rewrite.c  HTML (through src/html) and CSS rewritten so every
 *              reference points back into the archive
 *   memento.c  RFC 7089 Link headers and the timemaps
 *   cdx.c      the CDX endpoint, answering as pywb's CDX server does
 *   cache.c    answers already rendered, shared by the server's threads
 *   server.c   libmicrohttpd: routes, headers, per-thread catalog handle,
 *              WARC readers and captures of recent URLs
 *   views*.c   the server's own pages (views.h)
 *
 * URL space of the server:
 *   /TS/URL  /TSmod/URL   replay (TS: 1 to 14 digits; mod: id_ mp_ if_
 *                         im_ js_ cs_ oe_ fr_)
 *   /URL  /timegate/URL   TimeGate (Accept-Datetime)
 *   /timemap/link/URL  /timemap/json/URL
 *   /cdx?url=...  /calendar/URL  /diff/FROM/TO/URL  /changes?from=&to=  /?prefix=
 * Library code: nothing prints or exits. */
#ifndef GOVARCH_REPLAY_H
#define GOVARCH_REPLAY_H

#include <stddef.h>
#include <time.h>

#include "catalog/catalog.h"
#include "util/buf.h"
#include "util/err.h"
#include "warc/warc.h"

/* Request URIs longer than this are refused with 414. */
#define REPLAY_MAX_URI 8192
/* Largest payload read from a record (decoded); a longer one is served cut
 * at this size. */
#define REPLAY_MAX_PAYLOAD (64u << 20)

/* ---- request.c ----------------------------------------------------------- */

enum replay_route {
	REPLAY_R_INDEX,          /* "/" (query: prefix=PREFIX) */
	REPLAY_R_REPLAY,         /* /TS[mod]/URL */
	REPLAY_R_TIMEGATE,       /* /URL, /timegate/URL */
	REPLAY_R_TIMEMAP_LINK,   /* /timemap/link/URL (also /timemap/URL) */
	REPLAY_R_TIMEMAP_JSON,   /* /timemap/json/URL */
	REPLAY_R_CDX,            /* /cdx?... */
	REPLAY_R_CALENDAR,       /* /calendar/URL */
	REPLAY_R_DIFF,           /* /diff/FROM/TO/URL */
	REPLAY_R_CHANGES,        /* /changes?from=&to= */
	REPLAY_R_UNKNOWN,        /* anything else: 404 */
};

struct replay_req {
	enum replay_route route;
	char ts[15];             /* replay: as given (1-14 digits); diff: FROM */
	char ts2[15];            /* diff: TO */
	char mod[4];             /* "" or a modifier ("id_") */
	char *url;               /* the archived URL (its query included), or
	                          * NULL for routes without one */
	char *query;             /* the request's own query (after '?') for
	                          * routes without a URL, or NULL */
};

/* Parse a raw request target (as sent: "/2024/http://x/a?b=1").  0 and r
 * filled (release with replay_req_release), or the HTTP status to answer
 * with (400, 414) and e saying why (r released). Refused: longer than
 * REPLAY_MAX_URI (414); not starting with '/', control characters, a '%'
 * not followed by two hex digits, %00, a ".." or "." path segment (also
 * percent-encoded), a timestamp of more than 14 digits, an unknown
 * modifier, an empty URL (400). */
int replay_parse_request(const char *raw, struct replay_req *r,
			 struct err *e);
void replay_req_release(struct replay_req *r);

/* Query parameter name of query (raw, "a=1&b=x%20y"): 1 and a malloc'd,
 * decoded (%XX, '+' as space) *out; 0 when absent; -1 when its value does
 * not decode (bad %, %00). */
int replay_query_get(const char *query, const char *name, char **out);

/* An Accept-Datetime value: RFC 1123 date ("Thu, 01 Apr 2010 00:00:00
 * GMT"), nothing else.  0 and *t, or -1. */
int replay_accept_datetime(const char *s, time_t *t);

/* A 1-14 digit timestamp as a time: missing fields take their lowest
 * value (2024 -> 2024-01-01T00:00:00Z).  0 or -1. */
int replay_ts_time(const char *ts, time_t *t);

/* ---- lookup.c ------------------------------------------------------------ */

/* The capture among v[0..n) (one URL's, oldest first) nearest to t:
 * smallest absolute difference, the earlier one on a tie.  -1 when n = 0. */
long replay_nearest(const struct catalog_capture *v, size_t n, time_t t);
/* The capture that holds the payload for v[i]: itself, or for a revisit
 * the capture it refers to (looked up among v by id: the crawler's revisits
 * refer to a capture of the same URL).
 * NULL when the original is not in the archive. */
const struct catalog_capture *replay_original(const struct catalog_capture *v,
					      size_t n, size_t i);

/* WARC readers kept open between requests (one cache per thread). */
struct replay_readers;
struct replay_readers *replay_readers_new(const char *archive_dir);
void replay_readers_free(struct replay_readers *rs);

/* A record's HTTP response, as archived. */
struct replay_record {
	int status;                  /* 200 for a non-HTTP record */
	struct warc_fields headers;  /* archived response headers (none for a
	                              * non-HTTP record but Content-Type) */
	struct buf payload;          /* entity body: de-chunked, content-
	                              * decoded; cut at REPLAY_MAX_PAYLOAD */
	int cut;
};
void replay_record_init(struct replay_record *rec);
void replay_record_release(struct replay_record *rec);
/* Read cap's record (cap->warc_file at cap->offset; only a relative path
 * without ".." inside the archive is read).  0 or -1 with e. */
int replay_read(struct replay_readers *rs, const struct catalog_capture *cap,
		struct replay_record *out, struct err *e);

/* ---- rewrite.c ----------------------------------------------------------- */

/* The address of url in the archive at ts with modifier mod:
 * "/TS" MOD "/" URL appended to out. */
int replay_url(struct buf *out, const char *ts, const char *mod,
	       const char *url);
/* html[0..len) (content_type as archived) of the page url captured at ts:
 * every reference html_walk_urls finds made absolute and pointed at
 * /TS<mod>/URL (mod by use: im_ images, js_ scripts, cs_ stylesheets, if_
 * frames, none for pages), the document serialised as UTF-8 (its <meta>
 * charset declarations saying so) and banner
 * (may be NULL) inserted right after <body>.  0 or -1 with e. */
int replay_rewrite_html(const char *html, size_t len, const char *content_type,
			const char *url, const char *ts, const char *banner,
			struct buf *out, struct err *e);
/* A stylesheet's url() and @import references the same way. */
int replay_rewrite_css(const char *css, size_t len, const char *url,
		       const char *ts, struct buf *out, struct err *e);

/* ---- memento.c ----------------------------------------------------------- */

/* The Link header of memento v[i] (v: the URL's captures, oldest first):
 * original, timegate, timemap, first/prev/next/last memento. */
int replay_memento_link(const struct catalog_capture *v, size_t n, size_t i,
			const char *url, struct buf *out);
/* Timemaps of url (v[0..n), n > 0): application/link-format and JSON. */
int replay_timemap_link(const struct catalog_capture *v, size_t n,
			const char *url, struct buf *out);
int replay_timemap_json(const struct catalog_capture *v, size_t n,
			const char *url, struct buf *out);
/* "Sun, 06 Nov 1994 08:49:37 GMT" of a 14-digit timestamp into out. */
void replay_http_date(const char *ts14, char out[32]);

/* ---- cdx.c ---------------------------------------------------------------- */

/* The answer to /cdx?QUERY, appended to out: 200, or 400 with out holding
 * a one-line reason.  *json set when output=json was asked. */
int replay_cdx(struct catalog *c, const char *query, struct buf *out,
	       int *json, struct err *e);

/* ---- cache.c -------------------------------------------------------------- */

/* An answer as rendered: immutable once in the cache, shared between the
 * threads sending it. */
struct replay_cache;
struct replay_cached {
	int status;                  /* archived HTTP status */
	int html;                    /* body rewritten as HTML (UTF-8) */
	int encoded;                 /* body still content-encoded */
	struct warc_fields headers;  /* archived response headers */
	struct buf body;             /* as served */
	/* the cache's */
	char *key;
	int refs;
	size_t size;
	struct replay_cache *owner;
};
/* A cache of SLOTS entries holding at most MAX_BYTES. */
struct replay_cache *replay_cache_new(size_t slots, size_t max_bytes);
void replay_cache_free(struct replay_cache *c);
/* A new entry for c (one reference, the caller's), or NULL. */
struct replay_cached *replay_cached_new(struct replay_cache *c);
/* The entry for key with a new reference, or NULL. */
struct replay_cached *replay_cache_get(struct replay_cache *c,
				       const char *key);
/* Keep e under key (the cache takes its own reference; e too large for
 * what is left of MAX_BYTES is not kept). */
void replay_cache_put(struct replay_cache *c, const char *key,
		      struct replay_cached *e);
void replay_cached_unref(struct replay_cached *e);

/* ---- server.c ------------------------------------------------------------- */

/* Limits of the server (libmicrohttpd options). */
#define REPLAY_MAX_CONNECTIONS 256      /* at once */
#define REPLAY_MAX_PER_IP 64            /* at once from one address */
#define REPLAY_TIMEOUT 30               /* seconds a connection may idle */
#define REPLAY_MEMORY_LIMIT (32u << 10) /* request line and headers */
#define REPLAY_CACHE_SLOTS 4096         /* answers kept rendered */
#define REPLAY_CACHE_BYTES (128u << 20) /* ... in at most this much */

struct replay_server_opts {
	const char *archive;         /* archive directory (catalog.sqlite) */
	const char *bind;            /* IPv4 or IPv6 address */
	unsigned port;               /* 0: any free port */
	unsigned threads;            /* worker threads (0: one per CPU, at
	                              * least 2) */
};
struct replay_server;
/* Start serving in threads of its own: the catalog is opened read-only
 * (one handle per thread), only the WARC files it names are read.  *port
 * gets the port bound.  NULL and e on failure. */
struct replay_server *replay_server_start(const struct replay_server_opts *o,
					  unsigned *port, struct err *e);
/* Stop (finishing the requests under way) and free everything. */
void replay_server_stop(struct replay_server *s);

#endif
