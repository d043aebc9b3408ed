/* fetch: one HTTP GET through libcurl's multi interface, kept as sent and
 * received, for the WARC records.
 *
 * - HTTP/1.1 only (the archive keeps the status line and headers exactly as
 *   the server sent them; HTTP/2 heads are synthesised by curl).
 * - Bodies raw: no content decoding (gzip stays gzip) and no transfer
 *   decoding (chunked framing kept; the WARC writer de-chunks for the
 *   payload digest).  "Accept-Encoding: gzip" is sent.
 * - The request head as curl sent it (CURLINFO_HEADER_OUT), the server IP.
 * - Redirects are not followed (the crawler queues the Location).
 * - Body kept in memory up to spool_at bytes, then in an unlinked temp file.
 * - Cut at max_body bytes (truncated = "length"); connect, first-byte and
 *   total timeouts (a total timeout after the head: truncated = "time").
 */
#ifndef GOVARCH_CRAWL_FETCH_H
#define GOVARCH_CRAWL_FETCH_H

#include <stdint.h>
#include <time.h>

#include <curl/curl.h>

#include "util/buf.h"
#include "util/err.h"

struct crawl_fetch_opts {
	const char *user_agent;
	const char *accept_encoding;    /* the header's value, NULL: identity */
	const char *if_none_match;      /* or NULL */
	const char *if_modified_since;  /* or NULL */
	double connect_timeout, first_byte_timeout, total_timeout;
	uint64_t max_body;              /* 0 = no limit */
	size_t spool_at;                /* body bytes kept in memory */
	const char *spool_dir;          /* for the temp file */
};

struct crawl_fetch {
	CURL *easy;
	struct curl_slist *hdrs;
	char *url;
	struct crawl_fetch_opts o;
	void *owner;                    /* the caller's job */

	struct buf req_head;            /* request line + headers, as sent */
	struct buf resp_head;           /* status line + headers + CRLF */
	struct buf body;                /* first spool_at bytes (or all) */
	int spool_fd;                   /* -1, or the rest of the body */
	uint64_t spool_len;             /* bytes in spool_fd */
	uint64_t body_len;              /* bytes received in total */
	const char *truncated;          /* NULL, "length" or "time" */
	int head_done;                  /* the blank line ending the head seen */

	struct timespec date;           /* when the request started (WARC-Date) */
	double t_start, t_end;          /* monotonic */
	double t_first;                 /* first response byte, 0 if none */
	char ip[64];
	long status;
	CURLcode result;
	char errbuf[CURL_ERROR_SIZE];
	int aborted_first_byte;         /* first-byte timeout hit */
};

/* Prepare a fetch of url and add it to multi.  NULL with e on error. */
struct crawl_fetch *crawl_fetch_start(CURLM *multi, const char *url,
				      const struct crawl_fetch_opts *o,
				      void *owner, struct err *e);
/* After curl reported the transfer done (msg->data.result): record the
 * outcome (status, ip, timing).  Does not remove it from multi. */
void crawl_fetch_done(struct crawl_fetch *f, CURLcode result);
/* Remove from multi and free everything (NULL is a no-op). */
void crawl_fetch_free(CURLM *multi, struct crawl_fetch *f);

/* 1 when the transfer produced a usable HTTP response (a whole head;
 * the body whole or cut on purpose). */
int crawl_fetch_ok(const struct crawl_fetch *f);
/* A header of the final response (first match, value trimmed) into out,
 * or NULL when absent.  CRAWL_HEADER_MAX is room for any header value
 * the crawler reads (a Location URL). */
#define CRAWL_HEADER_MAX 4096
const char *crawl_fetch_header(const struct crawl_fetch *f, const char *name,
			       char *out, size_t outsz);
/* The entity body: de-chunked, and with decode set Content-Encoding gzip
 * or deflate undone (an undecodable body, br or cut gzip, is given as
 * received).  0, or -1 when the response does not parse. */
int crawl_fetch_payload(const struct crawl_fetch *f, int decode,
			struct buf *out);
/* A one-line description of a failure ("timeout after 20 s", curl's text). */
const char *crawl_fetch_error(const struct crawl_fetch *f);

#endif
