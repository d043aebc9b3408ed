/* capture: a finished fetch becomes WARC records, a catalog row and a
 * frontier update, in that order (frontier.h says why). */
#include "crawl/crawl-int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crawl/dict.h"
#include "crawl/links.h"
#include "crawl/sitemap-glue.h"
#include "util/digest.h"
#include "util/timeutil.h"
#include "util/url.h"
#include "util/uuid.h"

#define SAMPLE_MAX (128u << 10)     /* bytes of one record kept for training */
#define SAMPLES_MIN 16

struct outlink {
	char *url;
	int kind;                   /* CRAWL_KIND_* */
	int hops, redirs;
};

struct outlinks {
	struct outlink *v;
	size_t n, alloc;
};

static int out_add(struct outlinks *o, const char *url, int kind, int hops,
		   int redirs)
{
	if (o->n == o->alloc) {
		size_t na = o->alloc ? o->alloc * 2 : 32;
		struct outlink *nv = realloc(o->v, na * sizeof(*nv));

		if (!nv)
			return -1;
		o->v = nv;
		o->alloc = na;
	}
	o->v[o->n].url = strdup(url);
	if (!o->v[o->n].url)
		return -1;
	o->v[o->n].kind = kind;
	o->v[o->n].hops = hops;
	o->v[o->n].redirs = redirs;
	o->n++;
	return 0;
}

static void out_release(struct outlinks *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i].url);
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/* scheme://host[:port] of a URL, malloc'd, or NULL. */
static char *host_key(const char *url)
{
	const char *sep = strstr(url, "://");
	char *hp = url_hostport(url), *k = NULL;

	if (sep && hp && asprintf(&k, "%.*s://%s", (int)(sep - url), url,
				  hp) < 0)
		k = NULL;
	free(hp);
	return k;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* 1 when url was seen before in this run, else remember it and 0.  A
 * requisite seen first as a page link is not "seen" as a requisite: the
 * key carries the kind. */
static int seen_check(struct crawl *c, const char *url, int kind)
{
	char key[16];
	size_t i, mask;
	char *k;

	if (c->seen_n * 2 >= c->seen_cap) {
		size_t ncap = c->seen_cap ? c->seen_cap * 2 : 4096, j;
		char **nv = calloc(ncap, sizeof(*nv));

		if (!nv)
			return 0;
		for (j = 0; j < c->seen_cap; j++)
			if (c->seen[j]) {
				i = fnv(c->seen[j]) & (ncap - 1);
				while (nv[i])
					i = (i + 1) & (ncap - 1);
				nv[i] = c->seen[j];
			}
		free(c->seen);
		c->seen = nv;
		c->seen_cap = ncap;
	}
	snprintf(key, sizeof(key), "%d ", kind);
	if (asprintf(&k, "%s%s", key, url) < 0)
		return 0;
	mask = c->seen_cap - 1;
	for (i = fnv(k) & mask; c->seen[i]; i = (i + 1) & mask)
		if (!strcmp(c->seen[i], k)) {
			free(k);
			return 1;
		}
	c->seen[i] = k;
	c->seen_n++;
	return 0;
}

void capture_seen_free(struct crawl *c)
{
	size_t i;

	for (i = 0; i < c->seen_cap; i++)
		free(c->seen[i]);
	free(c->seen);
	c->seen = NULL;
	c->seen_cap = c->seen_n = 0;
	crawl_links_memo_free(c->link_memo);
	c->link_memo = NULL;
}

int capture_queue(struct crawl *c, const char *url, int hops, int redirs,
		  const char *via, int kind, int via_in_scope, int normalised,
		  struct err *e)
{
	enum crawl_scope_verdict v;
	const char *reason = NULL;
	char *norm = NULL, *host = NULL, *q, outcome[96];
	int requisite = kind == CRAWL_KIND_REQUISITE || kind == CRAWL_KIND_OFFSITE;
	int rc = 0, status = URL_PENDING;

	if (kind != CRAWL_KIND_SITEMAP && seen_check(c, url, kind))
		return 0;
	if (normalised)
		norm = strdup(url);
	else if (url_normalize(url, (size_t)c->cfg->max_url_length * 4, &norm,
			       NULL) < 0)
		norm = NULL;
	if (!norm || !(host = host_key(norm))) {
		crawllog_line(c->log, 0, 0, url, 0, "out-of-scope(bad-url)", via);
		goto out;
	}
	if (frontier_is_done(c->fr, norm))
		goto out;
	v = crawl_scope_check(c->scope, norm, hops, requisite, via_in_scope);
	if (v != CRAWL_SCOPE_ACCEPT) {
		reason = crawl_scope_reason_name(v);
	} else if (redirs > 10) {
		reason = "too-many-redirects";
	} else if (kind != CRAWL_KIND_SITEMAP && c->cfg->max_query_variants > 0 &&
		   (q = strchr(norm, '?'))) {
		char *pk = strndup(norm, (size_t)(q - norm));

		if (pk && frontier_query_variants(c->fr, pk) >=
			  c->cfg->max_query_variants)
			reason = "query-variants";
		free(pk);
	}
	if (!reason && requisite && !crawl_scope_in_scope(c->scope, norm))
		kind = CRAWL_KIND_OFFSITE;
	if (reason) {
		status = URL_SKIPPED;
		snprintf(outcome, sizeof(outcome), "out-of-scope(%s)", reason);
	}
	rc = frontier_add(c->fr, norm, host, hops, redirs, via, kind, status,
			  reason ? outcome : NULL, e);
	if (rc > 0 && reason) {
		crawllog_line(c->log, 0, 0, norm, 0, outcome, via);
		c->st->skipped++;
	} else if (rc > 0) {
		c->hosts_dirty = 1;
	}
out:
	free(norm);
	free(host);
	return rc < 0 ? -1 : 0;
}

/* Stat the current .open file: its size is where committed records end
 * (called right after non-fetch records and new files). */
int capture_register_file(struct crawl *c, struct err *e)
{
	const char *path = warc_writer_path(c->w);
	const char *base = strrchr(path, '/');
	struct stat sb;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".open"))
		n -= 5;
	snprintf(c->warc_name, sizeof(c->warc_name), "%.*s", (int)n, base);
	if (stat(path, &sb) < 0)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (frontier_warc_set(c->fr, c->warc_name, (uint64_t)sb.st_size) < 0)
		return err_set(e, "%s: can't record in the state", path);
	return 0;
}

static int maybe_rotate(struct crawl *c, struct err *e)
{
	struct stat sb;

	if (stat(warc_writer_path(c->w), &sb) == 0 &&
	    (uint64_t)sb.st_size >= c->cfg->rotate_size) {
		if (warc_writer_rotate(c->w, e) < 0)
			return -1;
		return capture_register_file(c, e);
	}
	return 0;
}

static int sample_add(struct crawl *c, const void *a, size_t an,
		      const void *b, size_t bn, struct err *e)
{
	if (an + bn > SAMPLE_MAX)
		bn = an >= SAMPLE_MAX ? 0 : SAMPLE_MAX - an;
	if (an > SAMPLE_MAX)
		an = SAMPLE_MAX;
	if (c->nsamples == c->sample_alloc) {
		size_t na = c->sample_alloc ? c->sample_alloc * 2 : 64;
		size_t *nv = realloc(c->sample_sizes, na * sizeof(*nv));

		if (!nv)
			return err_set(e, "out of memory");
		c->sample_sizes = nv;
		c->sample_alloc = na;
	}
	if (buf_add(&c->samples, a, an) < 0 || buf_add(&c->samples, b, bn) < 0)
		return err_set(e, "out of memory");
	c->sample_sizes[c->nsamples++] = an + bn;
	return 0;
}

/* "outlink: URL" lines of a metadata record, without buf_addf's
 * formatting: a page has ~400 links, and that was 2% of a crawl. */
static void add_outlinks(struct buf *meta, const struct outlinks *ol)
{
	size_t i;

	for (i = 0; ol && i < ol->n; i++)
		if (buf_add(meta, "outlink: ", 9) < 0 ||
		    buf_adds(meta, ol->v[i].url) < 0 ||
		    buf_add(meta, "\r\n", 2) < 0)
			return;
}

/* The first HTML response head seen (status line to blank line), or a
 * bare one. */
static void first_head(struct crawl *c, struct buf *out)
{
	const struct buf *h = c->dict_html[0].len ? &c->dict_html[0]
						  : &c->dict_html[1];
	const char *end = h->len ? strstr(h->data, "\r\n\r\n") : NULL;

	if (end)
		buf_add(out, h->data, (size_t)(end - h->data) + 4);
	else
		buf_adds(out, "HTTP/1.1 200 OK\r\n\r\n");
}

/* Value of header name in an HTTP head, into v (empty when absent). */
static void head_value(const char *head, const char *name, char *v, size_t n)
{
	const char *p = head;
	size_t nl = strlen(name);

	*v = 0;
	while ((p = strstr(p, "\r\n"))) {
		p += 2;
		if (!strncasecmp(p, name, nl) && p[nl] == ':') {
			p += nl + 1;
			p += strspn(p, " \t");
			snprintf(v, n, "%.*s", (int)strcspn(p, "\r\n"), p);
			return;
		}
	}
}

#define TPL_SAMPLES 64         /* unchanged pages made up for training */

/* What the templates are made of: this site's first URL, IP, HTML
 * response head, request head, and what a crawl makes of them. */
struct tpl_site {
	char url[600], date[32], digest[64];
	const char *ip;
	struct buf head, req, creq, r304, meta; /* creq: conditional request */
};

static void tpl_site_release(struct tpl_site *t)
{
	buf_release(&t->head);
	buf_release(&t->req);
	buf_release(&t->creq);
	buf_release(&t->r304);
	buf_release(&t->meta);
}

static void tpl_site_init(struct crawl *c, struct tpl_site *t)
{
	const char *host = strstr(c->dict_req.data, "\nHost: ");
	char etag[256], lm[128];
	size_t n = c->dict_req.len >= 2 ? c->dict_req.len - 2 : 0;

	memset(t, 0, sizeof(*t));
	buf_init(&t->head, 0);
	buf_init(&t->req, 0);
	buf_init(&t->creq, 0);
	buf_init(&t->r304, 0);
	buf_init(&t->meta, 0);
	t->ip = *c->dict_ip ? c->dict_ip : NULL;
	time_warc_date(time_now(), t->date);
	snprintf(t->url, sizeof(t->url), "%s://%.*s/", c->cfg->seeds.n &&
		 !strncmp(c->cfg->seeds.v[0], "https:", 6) ? "https" : "http",
		 host ? (int)strcspn(host + 7, "\r\n") : 0, host ? host + 7 : "");
	digest_sha1_label(t->date, strlen(t->date), t->digest);
	first_head(c, &t->head);
	buf_add(&t->req, c->dict_req.data, c->dict_req.len);
	/* the conditional request: fetch.c adds these after the others */
	head_value(t->head.data, "ETag", etag, sizeof(etag));
	head_value(t->head.data, "Last-Modified", lm, sizeof(lm));
	buf_add(&t->creq, c->dict_req.data, n);
	if (*etag)
		buf_addf(&t->creq, "If-None-Match: %s\r\n", etag);
	if (*lm)
		buf_addf(&t->creq, "If-Modified-Since: %s\r\n", lm);
	buf_adds(&t->creq, "\r\n");
	buf_adds(&t->r304, "HTTP/1.1 304 Not Modified");
	buf_adds(&t->r304, strstr(t->head.data, "\r\n"));
	buf_addf(&t->meta, "hopsFromSeed: 1\r\nvia: %s\r\nfetchTimeMs: 12\r\n"
		 "firstByteMs: 11\r\noutlink: %s\r\n", t->url, t->url);
}

/* One fetch's records: the response (or a revisit, profile given), then
 * its request and (for a response) metadata records.  head: the HTTP head
 * of the response or revisit; req: the request's. */
static int tpl_fetch(struct warc_writer *w, const struct tpl_site *t,
		     const char *url, const char *date, const char *profile,
		     const struct buf *head, const struct buf *req,
		     struct warc_record_out *main_out,
		     struct warc_record_out *last)
{
	struct warc_record_in in;
	char orig[48], digest[64];

	uuid_record_id(orig);
	digest_sha1_label(url, strlen(url), digest);
	memset(&in, 0, sizeof(in));
	in.type = profile ? WARC_T_REVISIT : WARC_T_RESPONSE;
	in.profile = profile;
	in.truncated = profile && !strcmp(profile, WARC_PROFILE_IDENTICAL) ?
		       "length" : NULL;
	in.target_uri = url;
	in.date = date;
	in.ip_address = t->ip;
	if (profile) {
		in.refers_to = orig;
		in.refers_to_target_uri = url;
		in.refers_to_date = t->date;
		in.payload_digest = digest;
	}
	in.head = head->data;
	in.head_len = head->len;
	if (warc_writer_write(w, &in, main_out, NULL) < 0)
		return -1;
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_REQUEST;
	in.target_uri = url;
	in.date = date;
	in.concurrent_to = main_out->id;
	in.head = req->data;
	in.head_len = req->len;
	if (warc_writer_write(w, &in, last, NULL) < 0)
		return -1;
	if (profile)
		return 0;
	in.type = WARC_T_METADATA;
	in.head = t->meta.data;
	in.head_len = t->meta.len;
	return warc_writer_write(w, &in, last, NULL);
}

/* An unchanged page at url (a 304 revisit and its conditional request),
 * made up: sample records for the dictionary's entropy tables, so that
 * literal ids and digests, and matches into the templates, are what its
 * statistics expect. */
static int tpl_unchanged(struct warc_writer *w, const struct tpl_site *t,
			 const char *url, const char *date,
			 struct warc_record_out o[2])
{
	struct buf rq = BUF_INIT(0);
	char *path = url_path_query(url);
	const char *rest = strstr(t->creq.data, "\r\n");
	int rc = -1;

	if (path && rest && buf_addf(&rq, "GET %s HTTP/1.1", path) == 0 &&
	    buf_adds(&rq, rest) == 0)
		rc = tpl_fetch(w, t, url, date, WARC_PROFILE_NOT_MODIFIED,
			       &t->r304, &rq, &o[0], &o[1]);
	free(path);
	buf_release(&rq);
	return rc;
}

/* The records a plain writer in the tmp dir lays out (the writer's own
 * layout) into file: its warcinfo, then a changed page, an identical
 * payload and an unchanged page (end: where they end), then made-up
 * unchanged pages at the first page's outlinks (so[0..*ns)). */
static int tpl_file(struct crawl *c, const struct tpl_site *t,
		    struct buf *file, size_t *end,
		    struct warc_record_out *so, size_t *ns)
{
	struct warc_writer_opts wo;
	struct warc_writer *w;
	struct warc_record_out m, o;
	struct timespec ts = time_now();
	char date[32], u[2100], buf[8192], *path = NULL;
	const char *ol;
	FILE *fp = NULL;
	size_t n;
	int rc = -1;

	memset(&wo, 0, sizeof(wo));
	wo.dir = c->tmpdir;
	wo.prefix = "dict-templates";
	wo.format = WARC_FMT_PLAIN;
	wo.rotate_size = UINT64_MAX / 2;
	wo.warcinfo = c->warcinfo;
	if (!(w = warc_writer_open(&wo, NULL)) ||
	    !(path = strdup(warc_writer_path(w))) ||
	    tpl_fetch(w, t, t->url, t->date, NULL, &t->head, &t->req, &m,
		      &o) < 0 ||
	    tpl_fetch(w, t, t->url, t->date, WARC_PROFILE_IDENTICAL, &t->head,
		      &t->req, &m, &o) < 0 ||
	    tpl_fetch(w, t, t->url, t->date, WARC_PROFILE_NOT_MODIFIED,
		      &t->r304, &t->creq, &m, &o) < 0)
		goto out;
	*end = (size_t)(o.offset + o.length);
	for (*ns = 0, ol = c->dict_meta.data; *ns < 2 * TPL_SAMPLES &&
	     (ol = strstr(ol, "outlink: ")); *ns += 2) {
		ol += 9;
		snprintf(u, sizeof(u), "%.*s", (int)strcspn(ol, "\r\n"), ol);
		ts.tv_nsec = (ts.tv_nsec + 12345678) % 1000000000;
		time_warc_date(ts, date);
		if (tpl_unchanged(w, t, u, date, &so[*ns]) < 0)
			break;
	}
	warc_writer_abort(w);       /* leaves the .open file: read it */
	w = NULL;
	if (!(fp = fopen(path, "rb")))
		goto out;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0 &&
	       buf_add(file, buf, n) == 0)
		;
	if (!ferror(fp) && feof(fp) && file->len >= *end)
		rc = 0;
out:
	if (fp)
		fclose(fp);
	warc_writer_abort(w);
	if (path)
		unlink(path);
	free(path);
	return rc;
}

/* Whole records as the writer lays them out, of each kind a changed and
 * an unchanged page cost, with this site's URL, IP and headers and
 * real-looking ids, digests and dates, for the end of the dictionary's
 * content (out); and made-up unchanged pages as samples.  A later crawl's
 * small records then compress to little more than their ids and digests.
 * Nothing is added on failure. */
static void record_templates(struct crawl *c, struct buf *out)
{
	struct warc_record_out *so;
	struct tpl_site t;
	struct buf file = BUF_INIT(8u << 20);
	size_t ns = 0, end = 0, i;

	if (!c->dict_req.len || !c->tmpdir ||
	    !(so = calloc(2 * TPL_SAMPLES, sizeof(*so))))
		return;
	tpl_site_init(c, &t);
	if (tpl_file(c, &t, &file, &end, so, &ns) == 0) {
		buf_add(out, file.data, end);
		for (i = 0; i < ns && so[i].offset + so[i].length <= file.len;
		     i++)
			sample_add(c, file.data + so[i].offset,
				   (size_t)so[i].length, "", 0, NULL);
	}
	tpl_site_release(&t);
	buf_release(&file);
	free(so);
}

static int train_dict(struct crawl *c, int switch_now, struct err *e)
{
	struct buf dict = BUF_INIT(0), content = BUF_INIT(0);
	char path[4096], ts[15];
	int rc = 0;

	c->have_dict = 1;
	if (c->nsamples < SAMPLES_MIN / 2)
		goto out;
	/* nearest (cheapest to refer to) last: zstd takes the tail when
	 * content is too long */
	buf_add(&content, c->dict_meta.data, c->dict_meta.len);
	buf_add(&content, c->dict_req.data, c->dict_req.len);
	buf_add(&content, c->dict_html[1].data, c->dict_html[1].len);
	buf_add(&content, c->dict_html[0].data, c->dict_html[0].len);
	record_templates(c, &content);
	if (crawl_dict_build(content.data, content.len, c->samples.data,
			     c->sample_sizes, c->nsamples, &dict) < 0)
		goto out;       /* zstd refused: go on without a dictionary */
	time_ts14(time(NULL), ts);
	snprintf(path, sizeof(path), "%s/dict/govarch-%s.zdict", c->archive,
		 ts);
	if (warc_dict_save(path, dict.data, dict.len, e) < 0)
		rc = -1;
	else if (switch_now &&
		 (warc_writer_set_dict(c->w, dict.data, dict.len, e) < 0 ||
		  capture_register_file(c, e) < 0))
		rc = -1;
out:
	buf_release(&dict);
	buf_release(&content);
	buf_release(&c->samples);
	buf_release(&c->dict_meta);
	buf_release(&c->dict_req);
	buf_release(&c->dict_html[0]);
	buf_release(&c->dict_html[1]);
	return rc;
}

/* What a finished fetch left to write: kept on the job while the first
 * records wait for the site's dictionary. */
struct capture_held {
	struct outlinks ol;
	struct buf dec;             /* entity body, decoded */
	char digest[40];            /* payload digest, "" when unknown */
	int status;
};

/* Samples for the first dictionary: what the records of a capture will
 * hold (response head and body, request head, metadata outlinks), so the
 * dictionary knows the site's menu, its headers and its URLs.  Trains once
 * enough bytes are in. */
static int add_sample(struct crawl *c, struct job *j, struct err *e)
{
	struct crawl_fetch *f = j->f;
	struct capture_held *h = j->held;
	struct buf meta = BUF_INIT(0);
	char ce[64];
	int rc = 0;

	if (c->have_dict)
		return 0;
	if (f->spool_fd < 0 &&
	    sample_add(c, f->resp_head.data, f->resp_head.len, f->body.data,
		       f->body.len, e) < 0)
		return -1;
	if (sample_add(c, f->req_head.data, f->req_head.len, "", 0, e) < 0)
		return -1;
	add_outlinks(&meta, &h->ol);
	if (meta.len)
		rc = sample_add(c, meta.data, meta.len, "", 0, e);
	/* the dictionary's content: whole records of the first pages */
	if (!c->dict_req.len) {
		buf_add(&c->dict_req, f->req_head.data, f->req_head.len);
		snprintf(c->dict_ip, sizeof(c->dict_ip), "%s", f->ip);
	}
	if (meta.len > c->dict_meta.len && meta.len < (64u << 10)) {
		buf_reset(&c->dict_meta);
		buf_add(&c->dict_meta, meta.data, meta.len);
	}
	/* a gzip body helps only a byte-identical one, which is a revisit:
	 * the dictionary holds plain pages (their menu repeats) */
	if (h->status == 200 && f->spool_fd < 0 && !f->truncated &&
	    f->body.len > 1024 && f->body.len < (192u << 10) &&
	    strcasestr(f->resp_head.data, "text/html") &&
	    (!crawl_fetch_header(f, "Content-Encoding", ce, sizeof(ce)) ||
	     !strcasecmp(ce, "identity")) &&
	    c->n_dict_html < 2) {
		struct buf *d = &c->dict_html[c->n_dict_html++];

		buf_add(d, f->resp_head.data, f->resp_head.len);
		buf_add(d, f->body.data, f->body.len);
	}
	buf_release(&meta);
	if (rc == 0 && ((c->samples.len >= c->cfg->train_bytes &&
			 c->nsamples >= SAMPLES_MIN) ||
			(c->n_dict_html == 2 && c->nsamples >= 3 * SAMPLES_MIN)))
		rc = train_dict(c, 1, e);
	return rc;
}

static int is_type(const char *ct, const char *what)
{
	return ct && strcasestr(ct, what) != NULL;
}

struct sm_ctx {
	struct outlinks *out;
	int hops;
};

static int sm_add(void *ctx, const char *url, int is_sitemap)
{
	struct sm_ctx *s = ctx;

	return out_add(s->out, url, is_sitemap ? CRAWL_KIND_SITEMAP :
		       CRAWL_KIND_PAGE, is_sitemap ? s->hops : s->hops + 1, 0);
}

/* The entity body (decoded) and Content-Type of the original capture a
 * 304 refers to, read back from its WARC record, so a page the server says
 * is unchanged still yields its links.  0, or -1 when it can't be read. */
static int original_payload(struct crawl *c, struct job *j, struct buf *out,
			    char *ct, size_t ctsz)
{
	struct catalog_capture *v = NULL;
	struct warc_record *rec;
	struct warc_http h;
	char path[4096];
	size_t n = 0, i;
	long pick = -1;
	int rc = -1;

	warc_http_init(&h);
	if (catalog_captures_of(c->cat, j->u.url, &v, &n, NULL) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].type == CATALOG_RESPONSE && v[i].record_id &&
		    j->prev.p.record_id &&
		    !strcmp(v[i].record_id, j->prev.p.record_id))
			pick = (long)i;
	if (pick < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", c->archive, v[pick].warc_file);
	if (!c->reader || strcmp(c->reader_path, path)) {
		warc_reader_free(c->reader);
		c->reader = warc_reader_open(path, NULL);
		snprintf(c->reader_path, sizeof(c->reader_path), "%s", path);
		if (!c->reader)
			goto out;
	}
	if (warc_reader_seek(c->reader, v[pick].offset, NULL) < 0 ||
	    warc_reader_next(c->reader, &rec, NULL) != 1 ||
	    warc_http_parse(rec->block.data, rec->block.len, &h, NULL) < 0 ||
	    warc_http_payload(rec->block.data, rec->block.len, &h, 1, out,
			      NULL) < 0)
		goto out;
	snprintf(ct, ctsz, "%s", warc_fields_get(&h.headers, "Content-Type") ?
		 warc_fields_get(&h.headers, "Content-Type") : "");
	rc = 0;
out:
	warc_http_release(&h);
	catalog_captures_free(v, n);
	return rc;
}

/* Links, Location, sitemap entries: what this capture points at. */
static void find_outlinks(struct crawl *c, struct job *j, int status,
			  const char *ct, const struct buf *payload,
			  struct outlinks *out)
{
	struct crawl_url *u = &j->u;
	char loc[4096], *abs = NULL;
	size_t i;

	if (status >= 300 && status < 400 &&
	    crawl_fetch_header(j->f, "Location", loc, sizeof(loc)) &&
	    url_resolve(u->url, loc, 0, &abs, NULL) == 0) {
		out_add(out, abs, u->kind, u->hops, u->redirs + 1);
		free(abs);
	}
	if (status < 200 || status >= 300 || !payload ||
	    u->kind == CRAWL_KIND_OFFSITE)
		return;
	if (u->kind == CRAWL_KIND_SITEMAP) {
		struct sm_ctx sc = { out, u->hops };

		crawl_sitemap_glue(payload->data, payload->len, u->url, ct,
				   sm_add, &sc);
		return;
	}
	if (is_type(ct, "html") || is_type(ct, "css")) {
		struct crawl_links l;
		int css = is_type(ct, "css");

		crawl_links_init(&l, 10000);
		if (!c->link_memo)      /* NULL (out of memory): no memo */
			c->link_memo = crawl_links_memo_new();
		l.memo = c->link_memo;
		if (css)
			crawl_links_from_css(&l, payload->data, payload->len,
					     u->url, NULL);
		else
			crawl_links_from_html(&l, payload->data, payload->len,
					      u->url, ct, NULL);
		for (i = 0; i < l.n; i++)
			out_add(out, l.v[i].url,
				l.v[i].kind == CRAWL_LINK_REQUISITE || css ?
				CRAWL_KIND_REQUISITE : CRAWL_KIND_PAGE,
				u->hops + 1, 0);
		crawl_links_release(&l);
	}
}

struct written {
	struct warc_record_out main, req, meta;
	int has_meta;               /* revisits have no metadata record */
	enum catalog_rtype type;
	const char *outcome;
	char payload_digest[80];
};

static int write_records(struct crawl *c, struct job *j, int status,
			 const char *digest, const struct outlinks *ol,
			 struct written *wr, struct err *e)
{
	struct crawl_fetch *f = j->f;
	struct warc_record_in in;
	struct buf meta = BUF_INIT(0);
	char date[32];
	int rc = -1;

	time_warc_date(f->date, date);
	memset(&in, 0, sizeof(in));
	in.target_uri = j->u.url;
	in.date = date;
	in.ip_address = *f->ip ? f->ip : NULL;
	in.head = f->resp_head.data;
	in.head_len = f->resp_head.len;
	wr->type = CATALOG_RESPONSE;
	wr->outcome = f->truncated ? (!strcmp(f->truncated, "length") ?
			"truncated(length)" : "truncated(time)") : "ok";
	if (status == 304 && j->prev.have) {
		in.type = WARC_T_REVISIT;
		in.profile = WARC_PROFILE_NOT_MODIFIED;
		in.body = f->body.data;
		in.body_len = f->body.len;
		if (j->prev.p.payload_digest && *j->prev.p.payload_digest)
			in.payload_digest = j->prev.p.payload_digest;
		wr->type = CATALOG_REVISIT;
		wr->outcome = "not-modified";
	} else if (digest && j->prev.have && j->prev.p.payload_digest &&
		   !strcmp(digest, j->prev.p.payload_digest) &&
		   status >= 200 && status < 300) {
		in.type = WARC_T_REVISIT;
		in.profile = WARC_PROFILE_IDENTICAL;
		in.truncated = "length";
		in.payload_digest = digest;
		wr->type = CATALOG_REVISIT;
		wr->outcome = "revisit";
	} else {
		in.type = WARC_T_RESPONSE;
		in.truncated = f->truncated;
		in.body = f->body.data;
		in.body_len = f->body.len;
		if (f->spool_fd >= 0) {
			in.body_fd = f->spool_fd;
			in.body_fd_len = f->spool_len;
		}
	}
	if (in.type == WARC_T_REVISIT) {
		in.refers_to = j->prev.p.record_id;
		in.refers_to_target_uri = j->prev.p.target;
		in.refers_to_date = j->prev.p.date;
	}
	if (warc_writer_write(c->w, &in, &wr->main, e) < 0)
		goto out;
	snprintf(wr->payload_digest, sizeof(wr->payload_digest), "%s",
		 in.payload_digest ? in.payload_digest : wr->main.payload_digest);

	memset(&in, 0, sizeof(in));
	in.type = WARC_T_REQUEST;
	in.target_uri = j->u.url;
	in.date = date;
	in.concurrent_to = wr->main.id;
	in.head = f->req_head.data;
	in.head_len = f->req_head.len;
	if (warc_writer_write(c->w, &in, &wr->req, e) < 0)
		goto out;

	/* A revisit's outlinks are the original's (same URL; same payload,
	 * or the server says unchanged), listed in the original's metadata
	 * record: no metadata record of its own, the bulk of what an
	 * unchanged page would cost (crawl.h). */
	if (wr->type == CATALOG_REVISIT)
		goto done;
	buf_addf(&meta, "hopsFromSeed: %d\r\n", j->u.hops);
	if (j->u.via && *j->u.via)
		buf_addf(&meta, "via: %s\r\n", j->u.via);
	buf_addf(&meta, "fetchTimeMs: %.0f\r\n", (f->t_end - f->t_start) * 1000);
	if (f->t_first)
		buf_addf(&meta, "firstByteMs: %.0f\r\n",
			 (f->t_first - f->t_start) * 1000);
	add_outlinks(&meta, ol);
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_METADATA;
	in.target_uri = j->u.url;
	in.date = date;
	in.concurrent_to = wr->main.id;
	in.body = meta.data;
	in.body_len = meta.len;
	if (warc_writer_write(c->w, &in, &wr->meta, e) < 0)
		goto out;
	wr->has_meta = 1;
done:
	c->st->warc_bytes += wr->main.length + wr->req.length +
			     (wr->has_meta ? wr->meta.length : 0);
	rc = 0;
out:
	buf_release(&meta);
	return rc;
}

static int catalog_row(struct crawl *c, struct job *j, int status,
		       const struct written *wr, const struct buf *payload,
		       struct err *e)
{
	struct catalog_capture_in ci;
	char ct[512], loc[4096], etag[512], lm[128];

	memset(&ci, 0, sizeof(ci));
	ci.crawl_id = c->crawl_id;
	ci.url = j->u.url;
	ci.date = wr->main.date;
	ci.status = status;
	ci.content_type = crawl_fetch_header(j->f, "Content-Type", ct, sizeof(ct));
	ci.payload_digest = wr->payload_digest;
	ci.type = wr->type;
	ci.record_id = wr->main.id;
	if (wr->type == CATALOG_REVISIT) {
		ci.refers_to = j->prev.p.record_id;
		ci.refers_to_target = j->prev.p.target;
		ci.refers_to_date = j->prev.p.date;
	}
	ci.warc_file = wr->main.filename;
	ci.offset = wr->main.offset;
	ci.length = wr->main.length;
	ci.location = crawl_fetch_header(j->f, "Location", loc, sizeof(loc));
	ci.etag = crawl_fetch_header(j->f, "ETag", etag, sizeof(etag));
	ci.last_modified = crawl_fetch_header(j->f, "Last-Modified", lm,
					      sizeof(lm));
	if (payload && wr->type == CATALOG_RESPONSE) {
		ci.payload = payload->data;
		ci.payload_len = payload->len;
	}
	return catalog_add_capture(c->cat, &ci, NULL, e);
}

/* The robots.txt verdict from a finished robots fetch. */
static void robots_apply(struct crawl *c, struct job *j, int status,
			 const struct buf *payload, struct outlinks *ol)
{
	struct host *h = j->host;
	enum crawl_robots_action a = crawl_robots_policy(status,
							 h->robots_redirects);
	char loc[4096], *abs = NULL;
	size_t i;

	crawl_robots_free(h->robots);
	h->robots = NULL;
	if (a == CRAWL_ROBOTS_FOLLOW &&
	    crawl_fetch_header(j->f, "Location", loc, sizeof(loc)) &&
	    url_resolve(j->u.url, loc, 0, &abs, NULL) == 0) {
		free(h->robots_follow);
		h->robots_follow = abs;
		h->robots_redirects++;
		h->robots_state = ROBOTS_NONE;
		return;
	}
	if (a == CRAWL_ROBOTS_FOLLOW)
		a = CRAWL_ROBOTS_ALLOW_ALL;
	if (a == CRAWL_ROBOTS_PARSE)
		h->robots = crawl_robots_parse(payload ? payload->data : "",
					       payload ? payload->len : 0,
					       c->cfg->robots_token);
	else if (a == CRAWL_ROBOTS_ALLOW_ALL)
		h->robots = crawl_robots_allow_all();
	else
		h->robots = crawl_robots_disallow_all();
	if (!h->robots)
		h->robots = crawl_robots_disallow_all();
	h->robots_unreachable = a == CRAWL_ROBOTS_DISALLOW_ALL;
	h->crawl_delay = crawl_robots_crawl_delay(h->robots);
	h->robots_state = ROBOTS_READY;
	h->robots_at = crawl_epoch();
	h->robots_ttl = (double)crawl_robots_ttl(a, -1);
	free(h->robots_follow);
	h->robots_follow = NULL;
	for (i = 0; a == CRAWL_ROBOTS_PARSE &&
		    i < crawl_robots_sitemap_count(h->robots); i++) {
		char *sm = NULL;

		if (url_resolve(j->u.url, crawl_robots_sitemap(h->robots, i),
				0, &sm, NULL) == 0) {
			out_add(ol, sm, CRAWL_KIND_SITEMAP, 0, 0);
			free(sm);
		}
	}
	/* Wait as the new Crawl-delay says from now on. */
	crawl_host_after(c, h, j->f->t_end - j->f->t_start);
	(void)status;
}

static int retryable(int status)
{
	return status == 429 || status == 500 || status == 502 ||
	       status == 503 || status == 504;
}

/* A failed attempt: retry later or give up. */
static int attempt_failed(struct crawl *c, struct job *j, const char *why,
			  int status, double retry_after, struct err *e)
{
	struct host *h = j->host;
	double now = crawl_epoch(), wait;
	int tries = j->u.tries + 1;
	char outcome[160];

	c->st->errors++;
	if (status)
		h->backoff_n++;
	else
		h->fails++;
	wait = crawl_polite_backoff(&c->pol, status ? h->backoff_n : h->fails,
				    retry_after);
	if (!status && c->cfg->host_fail_pause > 0 &&
	    h->fails >= c->cfg->host_fail_pause && wait < c->cfg->host_pause)
		wait = c->cfg->host_pause;    /* a failing host is paused */
	h->next_at = now + wait;
	if (j->is_robots) {
		/* unreachable: disallow all for a while (RFC 9309 2.3.1.4) */
		crawl_robots_free(j->host->robots);
		h->robots = crawl_robots_disallow_all();
		h->robots_unreachable = 1;
		h->robots_state = ROBOTS_READY;
		h->robots_at = now;
		h->robots_ttl = CRAWL_ROBOTS_RETRY_UNREACHABLE;
		snprintf(outcome, sizeof(outcome), "error:%s", why);
		crawllog_line(c->log, status, 0, j->u.url,
			      j->f->t_end - j->f->t_start, outcome, "");
		return 0;
	}
	if (tries >= c->cfg->max_tries) {
		snprintf(outcome, sizeof(outcome), "failed:%s", why);
		c->st->failed++;
		crawllog_line(c->log, status, 0, j->u.url,
			      j->f->t_end - j->f->t_start, outcome, j->u.via);
		return frontier_set(c->fr, j->u.id, URL_FAILED, tries, 0,
				    outcome, e);
	}
	snprintf(outcome, sizeof(outcome), "retry(%d):%s", tries, why);
	crawllog_line(c->log, status, 0, j->u.url,
		      j->f->t_end - j->f->t_start, outcome, j->u.via);
	return frontier_set(c->fr, j->u.id, URL_PENDING, tries, now + wait,
			    NULL, e);
}

/* Entity body for digests/links (de-chunked, optionally decoded). */
static int payload_of(const struct crawl_fetch *f, int decode,
		      struct buf *out)
{
	struct buf block = BUF_INIT(0);
	struct warc_http h;
	int rc = -1;

	warc_http_init(&h);
	if (buf_add(&block, f->resp_head.data, f->resp_head.len) < 0 ||
	    buf_add(&block, f->body.data, f->body.len) < 0 ||
	    warc_http_parse(block.data, block.len, &h, NULL) < 0)
		goto out;
	if (warc_http_payload(block.data, block.len, &h, decode, out,
			      NULL) < 0) {
		if (!decode)
			goto out;
		/* undecodable (br, cut gzip): links from what we have */
		buf_reset(out);
		if (warc_http_payload(block.data, block.len, &h, 0, out,
				      NULL) < 0)
			goto out;
	}
	rc = 0;
out:
	warc_http_release(&h);
	buf_release(&block);
	return rc;
}

static int commit_state(struct crawl *c, struct job *j, int status,
			const struct written *wr, struct outlinks *ol,
			const struct buf *payload, struct err *e)
{
	int via_in_scope = j->u.kind != CRAWL_KIND_OFFSITE &&
			   crawl_scope_in_scope(c->scope, j->u.url);
	const struct warc_record_out *last = wr->has_meta ? &wr->meta : &wr->req;
	uint64_t end = last->offset + last->length;
	size_t i;

	if (frontier_begin(c->fr, e) < 0)
		return -1;
	if (!j->is_robots &&
	    frontier_set(c->fr, j->u.id, retryable(status) ? URL_FAILED
			 : URL_DONE, j->u.tries + 1, 0, wr->outcome, e) < 0)
		goto fail;
	for (i = 0; i < ol->n; i++)
		if (capture_queue(c, ol->v[i].url, ol->v[i].hops,
				  ol->v[i].redirs, j->u.url, ol->v[i].kind,
				  via_in_scope, ol->v[i].redirs == 0, e) < 0)
			goto fail;
	if (strcmp(last->filename, c->warc_name))
		snprintf(c->warc_name, sizeof(c->warc_name), "%s",
			 last->filename);
	if (frontier_warc_set(c->fr, last->filename, end) < 0 ||
	    frontier_host_save(c->fr, j->host->name, j->host->next_at,
			       j->host->crawl_delay) < 0)
		goto fail;
	if (j->is_robots && j->host->robots_state == ROBOTS_READY &&
	    frontier_robots_put(c->fr, j->host->name, crawl_epoch(), status,
				payload ? payload->data : "",
				payload ? payload->len : 0) < 0)
		goto fail;
	return frontier_commit(c->fr, e);
fail:
	frontier_rollback(c->fr);
	return -1;
}

static void held_free(struct capture_held *h)
{
	if (!h)
		return;
	out_release(&h->ol);
	buf_release(&h->dec);
	free(h);
}

void capture_job_release(struct job *j)
{
	held_free(j->held);
	j->held = NULL;
}

/* The config record opens the crawl's first file; written with the first
 * capture so a dictionary trained before it lets the writer rewrite the
 * file in place instead of rotating. */
static int config_record(struct crawl *c, struct err *e)
{
	struct warc_record_in in;
	char uri[128];

	if (c->config_written)
		return 0;
	memset(&in, 0, sizeof(in));
	snprintf(uri, sizeof(uri), "%s%lld", CATALOG_CONFIG_URI,
		 (long long)c->crawl_id);
	in.type = WARC_T_METADATA;
	in.target_uri = uri;
	in.content_type = "text/plain; charset=utf-8";
	in.body = c->o->config_text;
	in.body_len = strlen(c->o->config_text);
	if (warc_writer_write(c->w, &in, NULL, e) < 0)
		return -1;
	c->config_written = 1;
	return capture_register_file(c, e);
}

/* Write records, catalog row, state: the capture is done. */
static int persist(struct crawl *c, struct job *j, struct err *e)
{
	struct capture_held *h = j->held;
	struct crawl_fetch *f = j->f;
	struct written wr;
	const struct buf *pl = f->spool_fd < 0 ? &h->dec : NULL;
	int status = h->status;

	if (config_record(c, e) < 0 || maybe_rotate(c, e) < 0)
		return -1;
	memset(&wr, 0, sizeof(wr));
	if (write_records(c, j, status, *h->digest ? h->digest : NULL, &h->ol,
			  &wr, e) < 0 ||
	    catalog_row(c, j, status, &wr, pl, e) < 0 ||
	    commit_state(c, j, status, &wr, &h->ol, &h->dec, e) < 0)
		return -1;
	if (!j->is_robots) {
		if (wr.type == CATALOG_REVISIT)
			c->st->revisits++;
		if (status == 304)
			c->st->not_modified++;
	}
	crawllog_line(c->log, status, (long long)(f->resp_head.len + f->body_len),
		      j->u.url, f->t_end - f->t_start,
		      retryable(status) && !j->is_robots ? "failed:gave-up"
							  : wr.outcome,
		      j->u.via);
	return 0;
}

/* Persist the held captures, in the order they were fetched. */
int capture_flush_held(struct crawl *c, struct err *e)
{
	struct job *j, *rev = NULL, *next;
	int rc = 0;

	for (j = c->held; j; j = next) {   /* the list is newest first */
		next = j->next;
		j->next = rev;
		rev = j;
	}
	c->held = NULL;
	c->held_bytes = 0;
	c->held_n = 0;
	for (j = rev; j; j = next) {
		next = j->next;
		if (rc == 0 && persist(c, j, e) < 0)
			rc = -1;
		capture_job_release(j);
		crawl_job_free(c, j);
	}
	return rc;
}

/* While the first crawl of a site has no dictionary yet: queue the
 * outlinks now (so the crawl goes on), keep the capture in memory and mark
 * its URL in flight; a kill loses only these, fetched again on resume. */
static int hold(struct crawl *c, struct job *j, struct err *e)
{
	struct capture_held *h = j->held;
	int via_in_scope = j->u.kind != CRAWL_KIND_OFFSITE &&
			   crawl_scope_in_scope(c->scope, j->u.url);
	size_t i;

	if (frontier_begin(c->fr, e) < 0)
		return -1;
	for (i = 0; i < h->ol.n; i++)
		if (capture_queue(c, h->ol.v[i].url, h->ol.v[i].hops,
				  h->ol.v[i].redirs, j->u.url, h->ol.v[i].kind,
				  via_in_scope, h->ol.v[i].redirs == 0, e) < 0)
			goto fail;
	if (!j->is_robots &&
	    frontier_set(c->fr, j->u.id, URL_INFLIGHT, j->u.tries, 0, NULL,
			 e) < 0)
		goto fail;
	if (frontier_commit(c->fr, e) < 0)
		goto fail;
	j->next = c->held;
	c->held = j;
	c->held_bytes += j->f->resp_head.len + j->f->body.len;
	c->held_n++;
	return 1;
fail:
	frontier_rollback(c->fr);
	return -1;
}

int capture_finish(struct crawl *c, struct job *j, struct err *e)
{
	struct crawl_fetch *f = j->f;
	struct buf raw = BUF_INIT(0);
	struct capture_held *h;
	char ct[512], ra[128];
	const char *ctype;
	double secs = f->t_end - f->t_start;
	int status = (int)f->status, rc = -1;

	c->st->bytes += f->resp_head.len + f->body_len;
	if (!crawl_fetch_ok(f))
		return attempt_failed(c, j, crawl_fetch_error(f), 0, -1, e);
	j->host->fails = 0;
	if (retryable(status)) {
		double r = crawl_parse_retry_after(
			crawl_fetch_header(f, "Retry-After", ra, sizeof(ra)),
			time(NULL));

		if (!j->is_robots && j->u.tries + 1 < c->cfg->max_tries &&
		    r <= c->cfg->max_retry_after) {
			char why[32];

			snprintf(why, sizeof(why), "http-%d", status);
			return attempt_failed(c, j, why, status, r, e);
		}
		j->host->next_at = crawl_epoch() +
			crawl_polite_backoff(&c->pol, ++j->host->backoff_n, r);
	} else {
		j->host->backoff_n = 0;
		crawl_host_after(c, j->host, secs);
	}
	h = j->held = calloc(1, sizeof(*h));
	if (!h)
		return err_set(e, "out of memory");
	buf_init(&h->dec, 0);
	h->status = status;
	ctype = crawl_fetch_header(f, "Content-Type", ct, sizeof(ct));
	if (f->spool_fd < 0) {
		char ce[64];

		if (payload_of(f, 0, &raw) == 0 && !f->truncated)
			digest_sha1_label(raw.data, raw.len, h->digest);
		if (!crawl_fetch_header(f, "Content-Encoding", ce, sizeof(ce)) ||
		    !strcasecmp(ce, "identity")) {
			buf_release(&h->dec);   /* nothing to decode: same bytes */
			h->dec = raw;
			buf_init(&raw, 0);
		} else if (payload_of(f, 1, &h->dec) < 0) {
			buf_reset(&h->dec);
		}
	}
	if (j->is_robots) {
		robots_apply(c, j, status, &h->dec, &h->ol);
	} else if (status == 304 && j->prev.have) {
		struct buf orig = BUF_INIT(0);
		char oct[512];

		if (original_payload(c, j, &orig, oct, sizeof(oct)) == 0)
			find_outlinks(c, j, 200, oct, &orig, &h->ol);
		buf_release(&orig);
	} else {
		find_outlinks(c, j, status, ctype,
			      f->spool_fd < 0 ? &h->dec : NULL, &h->ol);
	}
	if (!j->is_robots)
		c->st->pages++;
	if (!c->have_dict) {
		if (add_sample(c, j, e) < 0)
			goto out;
		/* never hold much: big bodies or many files open */
		if (!c->have_dict && (c->held_bytes > (64u << 20) ||
				      c->held_n >= 256) &&
		    train_dict(c, 1, e) < 0)
			goto out;
		if (!c->have_dict) {
			rc = hold(c, j, e);
			goto out;
		}
		/* just trained: what was held goes first */
		if (capture_flush_held(c, e) < 0)
			goto out;
	}
	rc = persist(c, j, e);
out:
	buf_release(&raw);
	return rc;
}

/* Before the end of a crawl (complete or interrupted): train with what
 * there is, write what is held, make sure the config record exists. */
int capture_flush_end(struct crawl *c, struct err *e)
{
	if (!c->have_dict && train_dict(c, 1, e) < 0)
		return -1;
	if (capture_flush_held(c, e) < 0)
		return -1;
	return config_record(c, e);
}

int capture_write_summary(struct crawl *c, const char *status, struct err *e)
{
	struct warc_record_in in;
	struct buf b = BUF_INIT(0);
	char uri[128];
	int rc;

	if (capture_flush_end(c, e) < 0)
		return -1;
	if (catalog_crawl_summary_fields(c->cat, c->crawl_id, &b, e) < 0) {
		buf_release(&b);
		return -1;
	}
	(void)status;
	memset(&in, 0, sizeof(in));
	snprintf(uri, sizeof(uri), "%s%lld", CATALOG_CRAWL_URI,
		 (long long)c->crawl_id);
	in.type = WARC_T_METADATA;
	in.target_uri = uri;
	in.body = b.data;
	in.body_len = b.len;
	rc = warc_writer_write(c->w, &in, NULL, e);
	buf_release(&b);
	if (rc == 0)
		rc = capture_register_file(c, e);
	return rc;
}
