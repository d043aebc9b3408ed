/* trainer: samples, record templates and training (see trainer.h). */
#include "crawl/trainer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "crawl/dict.h"
#include "util/digest.h"
#include "util/timeutil.h"
#include "util/url.h"
#include "util/uuid.h"

#define SAMPLE_MAX (128u << 10)     /* bytes of one record kept for training */
#define SAMPLES_MIN 16
#define SAMPLES_FIRST_ALLOC 64
#define DICT_META_MAX (64u << 10)   /* largest metadata record kept whole */
#define DICT_HTML_MIN 1024          /* an HTML page kept whole: body sizes */
#define DICT_HTML_MAX (192u << 10)
#define TEMPLATES_MAX (8u << 20)    /* the template file read back */
#define COPY_CHUNK 8192

static int sample_add(struct crawl_trainer *c, const void *a, size_t an,
		      const void *b, size_t bn, struct err *e)
{
	if (an + bn > SAMPLE_MAX)
		bn = an >= SAMPLE_MAX ? 0 : SAMPLE_MAX - an;
	if (an > SAMPLE_MAX)
		an = SAMPLE_MAX;
	if (c->nsamples == c->sample_alloc) {
		size_t na = c->sample_alloc ? c->sample_alloc * 2
					    : SAMPLES_FIRST_ALLOC;
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

/* The first HTML response head seen (status line to blank line), or a
 * bare one. */
static void first_head(struct crawl_trainer *c, struct buf *out)
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

static void tpl_site_init(struct crawl_trainer *c, struct tpl_site *t)
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
static int tpl_file(struct crawl_trainer *c, const char *warcinfo,
		    const struct tpl_site *t,
		    struct buf *file, size_t *end,
		    struct warc_record_out *so, size_t *ns)
{
	struct warc_writer_opts wo;
	struct warc_writer *w;
	struct warc_record_out m, o;
	struct timespec ts = time_now();
	char date[32], u[2100], buf[COPY_CHUNK], *path = NULL;
	const char *ol;
	FILE *fp = NULL;
	size_t n;
	int rc = -1;

	memset(&wo, 0, sizeof(wo));
	wo.dir = c->tmpdir;
	wo.prefix = "dict-templates";
	wo.format = WARC_FMT_PLAIN;
	wo.rotate_size = UINT64_MAX / 2;
	wo.warcinfo = warcinfo;
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
static void record_templates(struct crawl_trainer *c, const char *warcinfo,
			     struct buf *out)
{
	struct warc_record_out *so;
	struct tpl_site t;
	struct buf file = BUF_INIT(TEMPLATES_MAX);
	size_t ns = 0, end = 0, i;

	if (!c->dict_req.len || !c->tmpdir ||
	    !(so = calloc(2 * TPL_SAMPLES, sizeof(*so))))
		return;
	tpl_site_init(c, &t);
	if (tpl_file(c, warcinfo, &t, &file, &end, so, &ns) == 0) {
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

void crawl_trainer_init(struct crawl_trainer *t,
			const struct crawl_config *cfg, const char *archive,
			const char *tmpdir)
{
	memset(t, 0, sizeof(*t));
	t->cfg = cfg;
	t->archive = archive;
	t->tmpdir = tmpdir;
	buf_init(&t->samples, 0);
	buf_init(&t->dict_html[0], 0);
	buf_init(&t->dict_html[1], 0);
	buf_init(&t->dict_meta, 0);
	buf_init(&t->dict_req, 0);
}

static void samples_release(struct crawl_trainer *t)
{
	buf_release(&t->samples);
	buf_release(&t->dict_meta);
	buf_release(&t->dict_req);
	buf_release(&t->dict_html[0]);
	buf_release(&t->dict_html[1]);
	free(t->sample_sizes);
	t->sample_sizes = NULL;
	t->nsamples = t->sample_alloc = 0;
}

void crawl_trainer_release(struct crawl_trainer *t)
{
	samples_release(t);
}

void crawl_trainer_skip(struct crawl_trainer *t)
{
	t->done = 1;
}

int crawl_trainer_active(const struct crawl_trainer *t)
{
	return !t->done;
}

void crawl_trainer_hold(struct crawl_trainer *t, struct job *j)
{
	j->next = t->held;
	t->held = j;
	t->held_bytes += j->f->resp_head.len + j->f->body.len +
			 (j->held ? j->held->dec.len : 0);
	t->held_n++;
}

int crawl_trainer_full(const struct crawl_trainer *t)
{
	return t->held_bytes > TRAINER_HOLD_BYTES ||
	       t->held_n >= TRAINER_HOLD_JOBS;
}

struct job *crawl_trainer_take_held(struct crawl_trainer *t)
{
	struct job *j, *rev = NULL, *next;

	for (j = t->held; j; j = next) {   /* the list is newest first */
		next = j->next;
		j->next = rev;
		rev = j;
	}
	t->held = NULL;
	t->held_bytes = 0;
	t->held_n = 0;
	return rev;
}

void crawl_trainer_train(struct crawl_trainer *c, const char *warcinfo,
			 struct buf *dict)
{
	struct buf content = BUF_INIT(0);

	c->done = 1;
	if (c->nsamples < SAMPLES_MIN / 2)
		goto out;
	/* nearest (cheapest to refer to) last: zstd takes the tail when
	 * content is too long */
	buf_add(&content, c->dict_meta.data, c->dict_meta.len);
	buf_add(&content, c->dict_req.data, c->dict_req.len);
	buf_add(&content, c->dict_html[1].data, c->dict_html[1].len);
	buf_add(&content, c->dict_html[0].data, c->dict_html[0].len);
	record_templates(c, warcinfo, &content);
	/* the tables for the level the records are written at (zstd-level;
	 * when 0, zstd's default) */
	if (crawl_dict_build(content.data, content.len, c->samples.data,
			     c->sample_sizes, c->nsamples,
			     (int)c->cfg->zstd_level, dict) < 0)
		buf_reset(dict);    /* zstd refused: go on without a dictionary */
out:
	buf_release(&content);
	samples_release(c);
}

int crawl_trainer_save(const struct crawl_trainer *c, struct warc_writer *w,
		       struct err *e)
{
	char path[4096], ts[15];

	time_ts14(time(NULL), ts);
	snprintf(path, sizeof(path), "%s/dict/govarch-%s.zdict.zst", c->archive,
		 ts);
	return warc_writer_save_dict(w, path, e);
}

/* Samples for the first dictionary: what the records of a capture will
 * hold (response head and body, request head, metadata outlinks), so the
 * dictionary knows the site's menu, its headers and its URLs. */
int crawl_trainer_sample(struct crawl_trainer *c, const struct job *j,
			 struct err *e)
{
	const struct crawl_fetch *f = j->f;
	const struct capture_held *h = j->held;
	struct buf meta = BUF_INIT(0);
	char ce[64];
	int rc = 0;

	if (c->done)
		return 0;
	if (f->spool_fd < 0 &&
	    sample_add(c, f->resp_head.data, f->resp_head.len, f->body.data,
		       f->body.len, e) < 0)
		return -1;
	if (sample_add(c, f->req_head.data, f->req_head.len, "", 0, e) < 0)
		return -1;
	outlinks_format(&meta, &h->ol);
	if (meta.len)
		rc = sample_add(c, meta.data, meta.len, "", 0, e);
	/* the dictionary's content: whole records of the first pages */
	if (!c->dict_req.len) {
		buf_add(&c->dict_req, f->req_head.data, f->req_head.len);
		snprintf(c->dict_ip, sizeof(c->dict_ip), "%s", f->ip);
	}
	if (meta.len > c->dict_meta.len && meta.len < DICT_META_MAX) {
		buf_reset(&c->dict_meta);
		buf_add(&c->dict_meta, meta.data, meta.len);
	}
	/* a gzip body helps only a byte-identical one, which is a revisit:
	 * the dictionary holds plain pages (their menu repeats) */
	if (h->status == 200 && f->spool_fd < 0 && !f->truncated &&
	    f->body.len > DICT_HTML_MIN && f->body.len < DICT_HTML_MAX &&
	    strcasestr(f->resp_head.data, "text/html") &&
	    (!crawl_fetch_header(f, "Content-Encoding", ce, sizeof(ce)) ||
	     !strcasecmp(ce, "identity")) &&
	    c->n_dict_html < 2) {
		struct buf *d = &c->dict_html[c->n_dict_html++];

		buf_add(d, f->resp_head.data, f->resp_head.len);
		buf_add(d, f->body.data, f->body.len);
	}
	buf_release(&meta);
	if (rc < 0)
		return -1;
	return (c->samples.len >= c->cfg->train_bytes &&
		c->nsamples >= SAMPLES_MIN) ||
	       (c->n_dict_html == 2 && c->nsamples >= 3 * SAMPLES_MIN);
}
