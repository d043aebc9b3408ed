/* replay server: libmicrohttpd plumbing around the replay functions.  A
 * thread pool (internal polling threads); each thread opens the catalog
 * read-only once and keeps its WARC readers; the raw request target comes
 * from the URI log callback (libmicrohttpd would decode the path, and an
 * archived URL keeps its query).  Only GET and HEAD. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <microhttpd.h>

#include "replay/replay.h"
#include "replay/views.h"
#include "util/hashmap.h"

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

/* Replayed pages may load only from this server (and data:, blob:); the
 * inline styles and scripts archived pages carry are allowed. */
#define REPLAY_CSP \
	"default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; " \
	"form-action 'self'; base-uri 'self'"

/* Archived headers passed through as they are; every other becomes
 * X-Archive-Orig-NAME (Set-Cookie, Content-Security-Policy, HSTS, ...),
 * except these, which describe the stored message, not the page. */
static const char *const PASS[] = {
	"Content-Type", "Content-Language", "Content-Disposition",
};
static const char *const DROP[] = {
	"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive",
	"Content-Encoding", "Location",
};

/* A thread's captures of the URLs it was asked for lately, valid while
 * the catalog's data_version stays the same (a crawl committing changes
 * it).  Direct-mapped by the URL's hash. */
#define LOOKUPS 256
struct lookup {
	char *url;                  /* as asked */
	struct catalog_capture *v;
	size_t n;
};

struct tstate {
	struct catalog *cat;
	struct replay_readers *readers;
	int64_t version;
	struct lookup lk[LOOKUPS];
	struct tstate *next;
};

static void lookup_clear(struct lookup *l)
{
	free(l->url);
	catalog_captures_free(l->v, l->n);
	memset(l, 0, sizeof(*l));
}

static void lookups_clear(struct tstate *t)
{
	size_t i;

	for (i = 0; i < LOOKUPS; i++)
		if (t->lk[i].url)
			lookup_clear(&t->lk[i]);
}

/* Every capture of url, oldest first: *v belongs to the thread's lookups
 * (valid until its next lookup).  0 or -1. */
static int captures_of(struct tstate *t, const char *url,
		       const struct catalog_capture **v, size_t *n,
		       struct err *e)
{
	struct lookup *l = &t->lk[hmap_hash(url, strlen(url)) % LOOKUPS];
	struct catalog_capture *cv;
	int64_t version;

	if (catalog_data_version(t->cat, &version, e) < 0)
		return -1;
	if (version != t->version) {
		lookups_clear(t);
		t->version = version;
	}
	if (!l->url || strcmp(l->url, url)) {
		if (l->url)
			lookup_clear(l);
		if (catalog_captures_of(t->cat, url, &cv, n, e) < 0)
			return -1;
		if (!(l->url = strdup(url))) {
			catalog_captures_free(cv, *n);
			return err_set(e, "out of memory");
		}
		l->v = cv;
		l->n = *n;
	}
	*v = l->v;
	*n = l->n;
	return 0;
}

struct replay_server {
	struct MHD_Daemon *d;
	char *archive;
	pthread_mutex_t lock;
	struct tstate *all;         /* every thread's state, freed at stop */
	pthread_key_t key;
	struct replay_cache *cache;   /* rendered answers, shared */
};

/* One request: the raw target (from the URI log callback). */
struct conn {
	char *raw;
	int seen;
};

static struct tstate *thread_state(struct replay_server *s, struct err *e)
{
	struct tstate *t = pthread_getspecific(s->key);

	if (t)
		return t;
	if (!(t = calloc(1, sizeof(*t)))) {
		err_set(e, "out of memory");
		return NULL;
	}
	t->cat = catalog_open(s->archive, CATALOG_READONLY, e);
	t->readers = replay_readers_new(s->archive);
	if (!t->cat || !t->readers) {
		catalog_close(t->cat);
		replay_readers_free(t->readers);
		free(t);
		if (!e->msg[0])
			err_set(e, "out of memory");
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	t->next = s->all;
	s->all = t;
	pthread_mutex_unlock(&s->lock);
	pthread_setspecific(s->key, t);
	return t;
}

/* ---- responses ----------------------------------------------------------- */

static int header(struct MHD_Response *r, const char *name, const char *v)
{
	char clean[8192];
	size_t i;

	/* a header value never holds a line break */
	for (i = 0; v[i] && i + 1 < sizeof(clean); i++)
		clean[i] = (v[i] == '\r' || v[i] == '\n') ? ' ' : v[i];
	clean[i] = '\0';
	return MHD_add_response_header(r, name, clean) == MHD_YES ? 0 : -1;
}

static MHD_Result_t send_buf(struct MHD_Connection *mc, int status,
			     const char *ctype, struct buf *body,
			     struct MHD_Response **keep)
{
	size_t len;
	char *data = buf_detach(body, &len);
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	MHD_Result_t rc;

	if (!r) {
		free(data);
		return MHD_NO;
	}
	if (ctype)
		header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	header(r, "Content-Security-Policy", REPLAY_CSP);
	header(r, "X-Content-Type-Options", "nosniff");
	if (keep) {     /* the caller adds headers, then queues */
		*keep = r;
		return MHD_YES;
	}
	rc = MHD_queue_response(mc, (unsigned)status, r);
	MHD_destroy_response(r);
	return rc;
}

static MHD_Result_t queue(struct MHD_Connection *mc, int status,
			  struct MHD_Response *r)
{
	MHD_Result_t rc = MHD_queue_response(mc, (unsigned)status, r);

	MHD_destroy_response(r);
	return rc;
}

static MHD_Result_t send_text(struct MHD_Connection *mc, int status,
			      const char *msg)
{
	struct buf b = BUF_INIT(0);

	buf_addf(&b, "%s\n", msg);
	return send_buf(mc, status, "text/plain; charset=utf-8", &b, NULL);
}

static MHD_Result_t send_html(struct MHD_Connection *mc, int status,
			      struct buf *b)
{
	return send_buf(mc, status, "text/html; charset=utf-8", b, NULL);
}

/* ---- routes -------------------------------------------------------------- */

static MHD_Result_t not_found(struct MHD_Connection *mc, struct catalog *c,
			      const char *ts, const char *url)
{
	struct buf b = BUF_INIT(0);
	int st = view_not_found(c, ts, url, &b);

	return send_html(mc, st ? st : 404, &b);
}

static MHD_Result_t redirect(struct MHD_Connection *mc, int status,
			     const char *ts, const char *mod, const char *url,
			     struct MHD_Response **keep)
{
	struct buf loc = BUF_INIT(0), body = BUF_INIT(0);
	struct MHD_Response *r;

	replay_url(&loc, ts, mod, url);
	if (send_buf(mc, status, "text/plain; charset=utf-8", &body, &r) !=
	    MHD_YES) {
		buf_release(&loc);
		return MHD_NO;
	}
	header(r, MHD_HTTP_HEADER_LOCATION, loc.data);
	buf_release(&loc);
	if (keep) {
		*keep = r;
		return MHD_YES;
	}
	return queue(mc, status, r);
}

static int asset_mod(const char *mod)
{
	return !strcmp(mod, "im_") || !strcmp(mod, "js_") ||
	       !strcmp(mod, "cs_") || !strcmp(mod, "oe_");
}

static int is_html(const char *mime)
{
	return mime && (!strcmp(mime, "text/html") ||
			!strcmp(mime, "application/xhtml+xml"));
}

static void archived_headers(struct MHD_Response *r,
			     const struct warc_fields *hs, int keep_ctype,
			     int keep_encoding)
{
	char name[300];
	size_t i, k;

	for (i = 0; i < hs->n; i++) {
		const char *h = hs->v[i].name;
		int done = 0;

		for (k = 0; k < sizeof(PASS) / sizeof(PASS[0]) && !done; k++)
			if (!strcasecmp(h, PASS[k])) {
				if (keep_ctype || strcasecmp(h, "Content-Type"))
					header(r, PASS[k], hs->v[i].value);
				done = 1;
			}
		for (k = 0; k < sizeof(DROP) / sizeof(DROP[0]) && !done; k++)
			if (!strcasecmp(h, DROP[k])) {
				if (keep_encoding &&
				    !strcasecmp(h, "Content-Encoding"))
					header(r, DROP[k], hs->v[i].value);
				done = 1;
			}
		if (!done && strlen(h) < 200) {
			snprintf(name, sizeof(name), "X-Archive-Orig-%s", h);
			header(r, name, hs->v[i].value);
		}
	}
}

/* The answer for capture cap (served from the record of orig) with
 * modifier mod: read, rewritten, banner.  NULL and *status (404, 500) and
 * e on failure. */
static struct replay_cached *render(struct replay_server *s,
				    struct tstate *t, const char *mod,
				    const struct catalog_capture *cap,
				    const struct catalog_capture *orig,
				    int *status, struct err *e)
{
	struct replay_cached *out = replay_cached_new(s->cache);
	struct replay_record rec;
	struct buf banner = BUF_INIT(0);
	const char *ctype;
	char mime[128];
	size_t i;

	*status = 500;
	if (!out) {
		err_set(e, "out of memory");
		return NULL;
	}
	replay_record_init(&rec);
	if (replay_read(t->readers, orig, &rec, e) < 0)
		goto fail;
	out->status = rec.status;
	if (out->status < 100 || out->status > 599)
		out->status = 200;
	out->encoded = warc_fields_get(&rec.headers, "Content-Encoding") != NULL;
	ctype = warc_fields_get(&rec.headers, "Content-Type");
	warc_mime_only(ctype, mime, sizeof(mime));
	if (out->status >= 300 && out->status < 400 && cap->redirect) {
		/* the body of an archived redirect is not sent */
	} else if (!strcmp(mod, "id_") || out->encoded) {
		if (buf_add(&out->body, rec.payload.data, rec.payload.len) < 0)
			goto nomem;
	} else if (is_html(mime)) {
		if (!strcmp(mod, "") || !strcmp(mod, "mp_"))
			view_banner(t->cat, cap->url, cap->ts, &banner);
		if (replay_rewrite_html(rec.payload.data, rec.payload.len,
					ctype, cap->url, cap->ts,
					banner.len ? banner.data : NULL,
					&out->body, e) < 0)
			goto fail;
		out->html = 1;
	} else if (!strcmp(mime, "text/css")) {
		if (replay_rewrite_css(rec.payload.data, rec.payload.len,
				       cap->url, cap->ts, &out->body, e) < 0)
			goto fail;
	} else if (buf_add(&out->body, rec.payload.data, rec.payload.len) < 0) {
		goto nomem;
	}
	for (i = 0; i < rec.headers.n; i++)
		warc_fields_add(&out->headers, rec.headers.v[i].name,
				rec.headers.v[i].value);
	replay_record_release(&rec);
	buf_release(&banner);
	return out;
nomem:
	err_set(e, "out of memory");
fail:
	replay_record_release(&rec);
	buf_release(&banner);
	replay_cached_unref(out);
	return NULL;
}

static void unref_cb(void *cls)
{
	replay_cached_unref(cls);
}

static MHD_Result_t replay(struct replay_server *s, struct MHD_Connection *mc,
			   struct tstate *t, const struct replay_req *q)
{
	const struct catalog_capture *v = NULL;
	const struct catalog_capture *cap, *orig;
	struct replay_cached *a;
	struct buf tmp = BUF_INIT(0);
	struct MHD_Response *r = NULL;
	char date[32], key[160];
	MHD_Result_t rc = MHD_NO;
	size_t n = 0;
	time_t when;
	long i;
	int status;
	struct err e = { "" };

	if (replay_ts_time(q->ts, &when) < 0)
		return send_text(mc, 400, "not a timestamp");
	if (captures_of(t, q->url, &v, &n, &e) < 0)
		return send_text(mc, 500, e.msg);
	if (n == 0 || (i = replay_nearest(v, n, when)) < 0)
		return not_found(mc, t->cat, q->ts, q->url);
	cap = &v[i];
	if (strcmp(cap->ts, q->ts) && !asset_mod(q->mod))
		return redirect(mc, 302, cap->ts, q->mod, cap->url, NULL);
	if (!(orig = replay_original(v, n, (size_t)i)))
		return send_text(mc, 404, "the record this revisit refers to "
				 "is not in the archive");
	snprintf(key, sizeof(key), "%lld %lld %s %zu %lld",
		 (long long)cap->id, (long long)orig->id, q->mod, n,
		 (long long)v[n - 1].id);
	if (!(a = replay_cache_get(s->cache, key))) {
		if (!(a = render(s, t, q->mod, cap, orig, &status, &e)))
			return send_text(mc, status, e.msg);
		replay_cache_put(s->cache, key, a);
	}
	status = a->status;
	if (status >= 300 && status < 400 && cap->redirect) {
		/* an archived redirect: inside the archive */
		rc = redirect(mc, status, cap->ts, q->mod, cap->redirect, &r);
		if (rc == MHD_YES)
			archived_headers(r, &a->headers, 1, 0);
		replay_cached_unref(a);
		if (rc != MHD_YES)
			goto out;
	} else {
		/* the response holds a reference until it is sent */
		r = MHD_create_response_from_buffer_with_free_callback_cls(
			a->body.len, a->body.data, unref_cb, a);
		if (!r) {
			replay_cached_unref(a);
			goto out;
		}
		header(r, "Content-Security-Policy", REPLAY_CSP);
		header(r, "X-Content-Type-Options", "nosniff");
		if (a->html)
			header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
			       "text/html; charset=utf-8");
		archived_headers(r, &a->headers, !a->html, a->encoded);
	}
	/* the capture's own date: a revisit's, not its original's */
	replay_http_date(cap->ts, date);
	header(r, "Memento-Datetime", date);
	replay_memento_link(v, n, (size_t)i, cap->url, &tmp);
	header(r, "Link", tmp.data);
	rc = queue(mc, status, r);
out:
	buf_release(&tmp);
	return rc;
}

static MHD_Result_t timegate(struct MHD_Connection *mc, struct tstate *t,
			     const struct replay_req *q)
{
	const char *ad = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
						     "Accept-Datetime");
	const struct catalog_capture *v = NULL;
	struct MHD_Response *r;
	struct buf link = BUF_INIT(0);
	MHD_Result_t rc;
	time_t when = time(NULL);
	size_t n = 0;
	long i;
	struct err e = { "" };

	if (ad && replay_accept_datetime(ad, &when) < 0)
		return send_text(mc, 400, "Accept-Datetime is not an RFC 1123 "
				 "date (\"Thu, 01 Apr 2010 00:00:00 GMT\")");
	if (captures_of(t, q->url, &v, &n, &e) < 0)
		return send_text(mc, 500, e.msg);
	if (n == 0 || (i = replay_nearest(v, n, when)) < 0)
		return not_found(mc, t->cat, NULL, q->url);
	if (redirect(mc, 302, v[i].ts, "", v[i].url, &r) != MHD_YES)
		return MHD_NO;
	header(r, "Vary", "accept-datetime");
	buf_addf(&link, "<%s>; rel=\"original\", </timemap/link/%s>; "
		 "rel=\"timemap\"; type=\"application/link-format\"",
		 v[i].url, v[i].url);
	header(r, "Link", link.data);
	buf_release(&link);
	rc = queue(mc, 302, r);
	return rc;
}

static MHD_Result_t timemap(struct MHD_Connection *mc, struct tstate *t,
			    const struct replay_req *q)
{
	const struct catalog_capture *v = NULL;
	struct buf b = BUF_INIT(0);
	size_t n = 0;
	int json = q->route == REPLAY_R_TIMEMAP_JSON;
	struct err e = { "" };
	MHD_Result_t rc;

	if (captures_of(t, q->url, &v, &n, &e) < 0)
		return send_text(mc, 500, e.msg);
	if (n == 0)
		return not_found(mc, t->cat, NULL, q->url);
	if (json)
		replay_timemap_json(v, n, v[0].url, &b);
	else
		replay_timemap_link(v, n, v[0].url, &b);
	rc = send_buf(mc, 200, json ? "application/json" :
		      "application/link-format", &b, NULL);
	return rc;
}

static MHD_Result_t route(struct replay_server *s, struct MHD_Connection *mc,
			  struct tstate *t, const struct replay_req *q)
{
	struct buf b = BUF_INIT(0);
	char *a = NULL, *z = NULL;
	struct err e = { "" };
	int st, json;

	switch (q->route) {
	case REPLAY_R_REPLAY:
		return replay(s, mc, t, q);
	case REPLAY_R_TIMEGATE:
		return timegate(mc, t, q);
	case REPLAY_R_TIMEMAP_LINK:
	case REPLAY_R_TIMEMAP_JSON:
		return timemap(mc, t, q);
	case REPLAY_R_CDX:
		st = replay_cdx(t->cat, q->query ? q->query : "", &b, &json, &e);
		if (st < 0) {
			buf_release(&b);
			return send_text(mc, 500, e.msg);
		}
		return send_buf(mc, st, st != 200 ? "text/plain; charset=utf-8" :
				json ? "text/x-ndjson" : "text/x-cdxj", &b, NULL);
	case REPLAY_R_CALENDAR:
		st = view_calendar(t->cat, q->url, &b);
		return send_html(mc, st, &b);
	case REPLAY_R_DIFF:
		st = view_diff(t->cat, q->ts, q->ts2, q->url, &b);
		return send_html(mc, st, &b);
	case REPLAY_R_INDEX:
		if (replay_query_get(q->query, "prefix", &a) < 0)
			return send_text(mc, 400, "bad percent-encoding in prefix");
		st = view_index(t->cat, a, &b);
		free(a);
		return send_html(mc, st, &b);
	case REPLAY_R_CHANGES:
		if (replay_query_get(q->query, "from", &a) < 0 ||
		    replay_query_get(q->query, "to", &z) < 0) {
			free(a);
			free(z);
			return send_text(mc, 400, "bad percent-encoding in "
					 "from or to");
		}
		st = view_changes(t->cat, a && *a ? a : NULL,
				  z && *z ? z : NULL, &b);
		free(a);
		free(z);
		return send_html(mc, st, &b);
	default:
		return send_text(mc, 404, "not found");
	}
}

static MHD_Result_t handle(void *cls, struct MHD_Connection *mc,
			   const char *url, const char *method,
			   const char *version, const char *upload_data,
			   size_t *upload_data_size, void **con_cls)
{
	struct replay_server *s = cls;
	struct conn *c = *con_cls;
	struct replay_req q;
	struct tstate *t;
	MHD_Result_t rc;
	struct err e = { "" };
	int st;

	if (!c)
		return MHD_NO;
	if (!c->seen) {         /* headers only so far */
		c->seen = 1;
		return MHD_YES;
	}
	if (*upload_data_size) {        /* a body: read and ignored */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return send_text(mc, 405, "only GET and HEAD");
	if ((st = replay_parse_request(c->raw, &q, &e)) != 0)
		return send_text(mc, st, e.msg);
	if (!(t = thread_state(s, &e))) {
		replay_req_release(&q);
		return send_text(mc, 503, e.msg);
	}
	rc = route(s, mc, t, &q);
	replay_req_release(&q);
	return rc;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *mc)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (c && !(c->raw = strdup(uri ? uri : ""))) {
		free(c);
		c = NULL;
	}
	return c;
}

static void completed(void *cls, struct MHD_Connection *mc, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct conn *c = *con_cls;

	if (c) {
		free(c->raw);
		free(c);
		*con_cls = NULL;
	}
}

struct replay_server *replay_server_start(const struct replay_server_opts *o,
					  unsigned *port, struct err *e)
{
	struct replay_server *s = calloc(1, sizeof(*s));
	struct sockaddr_storage sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&sa;
	struct catalog *probe;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = o->threads ? o->threads :
			   cpus < 2 ? 2 : cpus > 16 ? 16 : (unsigned)cpus;
	const union MHD_DaemonInfo *info;

	if (!s) {
		err_set(e, "out of memory");
		return NULL;
	}
	xmlInitParser();        /* once, before the threads parse pages */
	/* the catalog must be there (and readable) before we listen */
	if (!(probe = catalog_open(o->archive, CATALOG_READONLY, e)))
		goto fail;
	catalog_close(probe);
	memset(&sa, 0, sizeof(sa));
	if (inet_pton(AF_INET, o->bind, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)o->port);
	} else if (inet_pton(AF_INET6, o->bind, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)o->port);
		flags |= MHD_USE_IPv6;
	} else {
		err_set(e, "'%s' is not an IPv4 or IPv6 address", o->bind);
		goto fail;
	}
	if (!(s->archive = strdup(o->archive)) ||
	    !(s->cache = replay_cache_new(REPLAY_CACHE_SLOTS,
					  REPLAY_CACHE_BYTES)) ||
	    pthread_key_create(&s->key, NULL)) {
		err_set(e, "out of memory");
		goto fail;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->d = MHD_start_daemon(flags, (unsigned short)o->port, NULL, NULL,
				handle, s,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_THREAD_POOL_SIZE, threads,
				MHD_OPTION_CONNECTION_LIMIT,
				(unsigned)REPLAY_MAX_CONNECTIONS,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT,
				(unsigned)REPLAY_MAX_PER_IP,
				MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned)REPLAY_TIMEOUT,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				(size_t)REPLAY_MEMORY_LIMIT,
				MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
				MHD_OPTION_END);
	if (!s->d) {
		err_set(e, "cannot listen on %s port %u (in use, or not an "
			"address of this machine)", o->bind, o->port);
		pthread_key_delete(s->key);
		pthread_mutex_destroy(&s->lock);
		goto fail;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : o->port;
	return s;
fail:
	replay_cache_free(s->cache);
	free(s->archive);
	free(s);
	return NULL;
}

void replay_server_stop(struct replay_server *s)
{
	struct tstate *t, *next;

	if (!s)
		return;
	MHD_stop_daemon(s->d);
	for (t = s->all; t; t = next) {
		next = t->next;
		lookups_clear(t);
		catalog_close(t->cat);
		replay_readers_free(t->readers);
		free(t);
	}
	pthread_key_delete(s->key);
	pthread_mutex_destroy(&s->lock);
	replay_cache_free(s->cache);
	free(s->archive);
	free(s);
}
