/* site-http: the replica's HTTP side on libmicrohttpd (a thread per
 * connection, so overlapping requests really overlap): routing, conditional
 * requests, gzip, streamed bodies and the request log.
 *
 * Log: one TSV line per request, written and flushed when the request ends
 * (for a stream that never ends: when the connection closes):
 *   time_in time_out method uri status user-agent if-none-match
 *   if-modified-since accept-encoding        ('-' for an absent header)
 */
#include "site-http.h"

#include <microhttpd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/timeutil.h"

struct req_ctx {
	struct site_http *http;
	double time_in;
	char *uri;
	char method[16];
	char *hdr[4];       /* User-Agent, If-None-Match, If-Modified-Since, AE */
	int status;
	int started;
};

static const char *const logged_headers[4] = { MHD_HTTP_HEADER_USER_AGENT,
	MHD_HTTP_HEADER_IF_NONE_MATCH, MHD_HTTP_HEADER_IF_MODIFIED_SINCE,
	MHD_HTTP_HEADER_ACCEPT_ENCODING };

static double now_seconds(void)
{
	struct timespec t = time_now();

	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct req_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->http = cls;
	ctx->time_in = now_seconds();
	ctx->uri = strdup(uri);
	return ctx;
}

/* Tabs and line breaks would break the TSV: a header value keeps neither. */
static void log_field(FILE *f, const char *s)
{
	if (!s || !*s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct req_ctx *ctx = *con_cls;
	struct site_http *h = cls;

	if (!ctx)
		return;
	if (h->log) {
		double out = now_seconds();

		pthread_mutex_lock(&h->log_lock);
		fprintf(h->log, "%.6f\t%.6f\t", ctx->time_in, out);
		log_field(h->log, ctx->method);
		fputc('\t', h->log);
		log_field(h->log, ctx->uri);
		fprintf(h->log, "\t%d", ctx->status);
		for (int i = 0; i < 4; i++) {
			fputc('\t', h->log);
			log_field(h->log, ctx->hdr[i]);
		}
		fputc('\n', h->log);
		fflush(h->log);
		pthread_mutex_unlock(&h->log_lock);
	}
	free(ctx->uri);
	for (int i = 0; i < 4; i++)
		free(ctx->hdr[i]);
	free(ctx);
	*con_cls = NULL;
}

/* ---- streamed bodies ---- */

struct stream {
	enum site_reply_kind kind;
	char *data;
	size_t len;
	unsigned long long line;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *st = cls;
	size_t n = 0;

	if (pos < st->len) {
		n = st->len - (size_t)pos;
		if (st->kind == SITE_REPLY_CHUNKED && n > 1024)
			n = 1024;       /* several chunks, not one */
		if (n > max)
			n = max;
		memcpy(out, st->data + pos, n);
		return (ssize_t)n;
	}
	if (st->kind == SITE_REPLY_CHUNKED)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (st->kind == SITE_REPLY_ENDLESS_SLOW)
		sleep(1);
	do {
		int w = snprintf(out + n, max - n, "<p>Entry %llu of a feed that "
				 "never ends.</p>\n", ++st->line);

		if (w < 0 || (size_t)w >= max - n)
			break;
		n += (size_t)w;
	} while (st->kind == SITE_REPLY_ENDLESS_FAST && max - n > 64);
	return n ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;

	free(st->data);
	free(st);
}

/* ---- replies ---- */

void site_reply_init(struct site_reply *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, 0);
	r->retry_after = -1;
}

void site_reply_release(struct site_reply *r)
{
	buf_release(&r->body);
}

void site_reply_text(struct site_reply *r, int status, const char *type,
		     const char *text)
{
	r->status = status;
	r->content_type = type;
	buf_reset(&r->body);
	buf_adds(&r->body, text);
}

void site_reply_redirect(struct site_reply *r, int status,
			 const struct site_request *q, const char *target)
{
	snprintf(r->location, sizeof(r->location), "http://%s%s", q->host, target);
	r->status = status;
	r->content_type = "text/html; charset=UTF-8";
	r->last_modified = site_release_date(q->version);
	buf_reset(&r->body);
	buf_addf(&r->body, "<!DOCTYPE html>\n<html><head><title>Redirecting to "
		 "%s</title></head><body>Redirecting to <a href=\"%s\">%s</a>."
		 "</body></html>\n", target, target, target);
}

static int accepts_gzip(const char *ae)
{
	const char *p = ae ? strcasestr(ae, "gzip") : NULL, *q;

	if (!p)
		return 0;
	for (p += 4; *p == ' '; p++)
		;
	if (*p != ';')
		return 1;
	q = strstr(p, "q=");
	return !q || strtod(q + 2, NULL) > 0;   /* "gzip;q=0" refuses it */
}

/* Weak comparison (RFC 9110 13.1.2): W/"x" matches "x"; "*" matches all. */
static int etag_matches(const char *inm, const char *etag)
{
	return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
}

static int not_modified(const struct req_ctx *ctx, const struct site_reply *r,
			const char *etag)
{
	const char *inm = ctx->hdr[1], *ims = ctx->hdr[2];
	time_t since;

	if (r->status != 200 || r->kind >= SITE_REPLY_ENDLESS_FAST)
		return 0;
	if (inm)    /* RFC 9110: If-None-Match wins over If-Modified-Since */
		return etag_matches(inm, etag);
	return ims && time_parse_http_date(ims, &since) == 0 &&
	       r->last_modified <= since;
}

static void add_headers(struct MHD_Response *resp, const struct site_reply *r,
			const char *etag, int gzipped)
{
	char date[32];

	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					r->content_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
	time_http_date(r->last_modified ? r->last_modified
			: site_release_date(1), date);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, date);
	if (r->location[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->retry_after >= 0) {
		char secs[16];

		snprintf(secs, sizeof(secs), "%d", r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
	}
	if (r->cache_control)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
					r->cache_control);
	if (r->may_gzip)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
					"Accept-Encoding");
	if (gzipped)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING,
					"gzip");
	MHD_add_response_header(resp, "X-Generator", "govarch-site");
}

static struct MHD_Response *make_response(struct site_reply *r, int status)
{
	struct stream *st;
	struct MHD_Response *resp;

	if (status == 304 || r->kind == SITE_REPLY_BODY)
		return MHD_create_response_from_buffer(status == 304 ? 0 :
						       r->body.len, r->body.data,
						       MHD_RESPMEM_MUST_COPY);
	st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	st->kind = r->kind;
	st->data = buf_detach(&r->body, &st->len);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
						 stream_read, st, stream_free);
	if (!resp)
		stream_free(st);
	return resp;
}

static enum MHD_Result send_reply(struct MHD_Connection *c,
				  struct req_ctx *ctx, struct site_reply *r)
{
	struct buf zipped = BUF_INIT(0);
	uint8_t raw[DIGEST_MAX];
	char hex[21], etag[64];
	struct digest d;
	struct MHD_Response *resp;
	int gzipped = 0, status = r->status;
	enum MHD_Result ok;

	if (r->delay_ms > 0)
		usleep((useconds_t)r->delay_ms * 1000);
	if (r->may_gzip && r->kind == SITE_REPLY_BODY && accepts_gzip(ctx->hdr[3]) &&
	    site_gzip(r->body.data, r->body.len, &zipped) == 0) {
		buf_release(&r->body);
		r->body = zipped;
		gzipped = 1;
	}
	if (r->kind >= SITE_REPLY_ENDLESS_FAST) {
		snprintf(etag, sizeof(etag), "\"endless-%d\"", (int)r->kind);
	} else {
		digest_init(&d, DIGEST_SHA1);
		digest_update(&d, r->body.data, r->body.len);
		digest_final(&d, raw);
		digest_release(&d);
		digest_hex(raw, 10, hex);
		snprintf(etag, sizeof(etag), "\"%s%s\"", hex, gzipped ? "-gzip" : "");
	}
	if (not_modified(ctx, r, etag))
		status = 304;
	resp = make_response(r, status);
	if (!resp)
		return MHD_NO;
	add_headers(resp, r, etag, gzipped);
	ctx->status = status;
	ok = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static void control(struct site_http *h, const struct site_request *q,
		    struct site_reply *r)
{
	char value[16] = "";
	int v;

	r->cache_control = "no-store";
	r->last_modified = site_release_date(q->version);
	if (site_query_get(q->query, "set", value, sizeof(value)) < 0) {
		char now[8];

		snprintf(now, sizeof(now), "v%d\n", q->version);
		site_reply_text(r, 200, "text/plain", now);
		return;
	}
	v = site_version_parse(value);
	if (v < 0) {
		site_reply_text(r, 400, "text/plain", "unknown version\n");
		return;
	}
	if (v != 1 && h->site->syn_pages) {
		site_reply_text(r, 409, "text/plain", "a synthetic site has v1 only\n");
		return;
	}
	__atomic_store_n(&h->version, v, __ATOMIC_SEQ_CST);
	site_hostile_reset();
	snprintf(value, sizeof(value), "v%d\n", v);
	site_reply_text(r, 200, "text/plain", value);
}

static void route(struct site_http *h, const struct site_request *q,
		  struct site_reply *r)
{
	const struct site *s = h->site;

	if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
		site_reply_text(r, 405, "text/plain", "Method not allowed\n");
	else if (strcmp(q->path, "/__control/version") == 0)
		control(h, q, r);
	else if (strcmp(q->path, "/robots.txt") == 0)
		site_robots_reply(q, &h->robots, r);
	else if (!site_sitemap_reply(s, q, r) && !site_asset_reply(q, r) &&
		 !site_hostile_reply(s, q, r) && !site_content_reply(s, q, r))
		site_not_found_reply(s, q, r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct site_http *h = cls;
	struct req_ctx *ctx = *con_cls;
	struct site_request q;
	struct site_reply r;
	const char *qmark;
	enum MHD_Result ok;

	if (!ctx)
		return MHD_NO;
	/* Answer only once the whole request is in (answering on the first
	 * call makes MHD close the connection); drop any upload. */
	if (!ctx->started || *upload_data_size) {
		ctx->started = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	snprintf(ctx->method, sizeof(ctx->method), "%s", method);
	for (int i = 0; i < 4; i++) {
		const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							    logged_headers[i]);
		ctx->hdr[i] = v ? strdup(v) : NULL;
	}
	qmark = strchr(ctx->uri, '?');
	q.method = method;
	q.path = url;
	q.query = qmark ? qmark + 1 : "";
	q.uri = ctx->uri;
	q.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					     MHD_HTTP_HEADER_HOST);
	if (!q.host || !*q.host || strpbrk(q.host, "\"<> \t"))
		q.host = "127.0.0.1";
	q.version = __atomic_load_n(&h->version, __ATOMIC_SEQ_CST);
	site_reply_init(&r);
	route(h, &q, &r);
	ok = send_reply(c, ctx, &r);
	site_reply_release(&r);
	return ok;
}

int site_http_start(struct site_http *h, const char *bind_addr, int port,
		    struct err *e)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1 ||
	    (ntohl(sa.sin_addr.s_addr) >> 24) != 127)
		return err_set(e, "--bind %s: only a loopback address (127.x.x.x)"
			       " is allowed", bind_addr);
	pthread_mutex_init(&h->log_lock, NULL);
	h->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
				     MHD_USE_INTERNAL_POLLING_THREAD |
				     MHD_USE_POLL | MHD_USE_ERROR_LOG,
				     (uint16_t)port, NULL, NULL, on_request, h,
				     MHD_OPTION_SOCK_ADDR, &sa,
				     MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				     MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				     MHD_OPTION_END);
	if (!h->daemon)
		return err_set(e, "127.0.0.1:%d: cannot listen", port);
	info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : port;
	return 0;
}

void site_http_stop(struct site_http *h)
{
	if (h->daemon)
		MHD_stop_daemon(h->daemon);
	h->daemon = NULL;
}
