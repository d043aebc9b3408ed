/* capture: a finished fetch becomes WARC records, a catalog row and a
 * frontier update (see capture.h); the writer and the held captures. */
#include "crawl/capture.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/version.h"

#define CONTENT_ENCODING_MAX 64
#define RETRY_AFTER_MAX 128
#define ETAG_MAX 512
#define LAST_MODIFIED_MAX 128
#define OUTCOME_MAX 160

static int capture_retryable(int status)
{
	return status == 429 || status == 500 || status == 502 ||
	       status == 503 || status == 504;
}

void capture_init(struct crawl_capture *p, const struct crawl_opts *o,
		  struct crawl_stats *st, struct frontier *fr,
		  struct catalog *cat, struct crawl_scope *scope,
		  struct crawllog *log, struct crawl_sched *sched,
		  struct crawl_queue *q, const char *tmpdir)
{
	memset(p, 0, sizeof(*p));
	p->o = o;
	p->cfg = o->cfg;
	p->st = st;
	p->fr = fr;
	p->cat = cat;
	p->scope = scope;
	p->log = log;
	p->sched = sched;
	p->q = q;
	crawl_trainer_init(&p->trainer, o->cfg, o->archive, tmpdir);
	capture_links_init(&p->links, cat, st);
}

static char *build_warcinfo(struct crawl_capture *c, const char *ua)
{
	struct buf b = BUF_INIT(0);
	char host[256] = "";
	char digest[48];
	char *dump, *line, *nl = NULL;

	gethostname(host, sizeof(host) - 1);
	catalog_config_digest(c->o->config_text, digest);
	buf_addf(&b, "software: govarch/%s (libcurl %s)\r\n", GOVARCH_VERSION,
		 curl_version_info(CURLVERSION_NOW)->version);
	buf_addf(&b, "hostname: %s\r\n", host);
	if (*c->cfg->operator_)
		buf_addf(&b, "operator: %s\r\n", c->cfg->operator_);
	if (*c->cfg->description)
		buf_addf(&b, "description: %s\r\n", c->cfg->description);
	buf_addf(&b, "robots: obey (RFC 9309; token %s)\r\n",
		 c->cfg->robots_token);
	buf_addf(&b, "format: WARC File Format 1.1\r\n");
	buf_addf(&b, "conformsTo: http://iipc.github.io/warc-specifications/"
		 "specifications/warc-format/warc-1.1/\r\n");
	buf_addf(&b, "http-header-user-agent: %s\r\n", ua);
	buf_addf(&b, "isPartOf: %s%lld\r\n", CATALOG_PART_OF,
		 (long long)c->crawl_id);
	buf_addf(&b, "govarch-config-name: %s\r\n", c->o->config_name);
	buf_addf(&b, "govarch-config-digest: %s\r\n", digest);
	buf_addf(&b, "govarch-politeness: delay %g s, factor %g, max %g s, "
		 "one connection per host\r\n", c->cfg->delay,
		 c->cfg->delay_factor, c->cfg->max_delay);
	/* the effective configuration, one field per setting, so each file
	 * says how it was made (the config file's own text follows the first
	 * warcinfo of the crawl, in urn:govarch:config:ID) */
	dump = crawl_config_dump(c->cfg);
	for (line = dump; line && *line; line = nl ? nl + 1 : line + strlen(line)) {
		char *eq;

		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		eq = strstr(line, " = ");
		if (eq && eq[3]) {      /* empty values (no notify) left out */
			*eq = 0;
			buf_addf(&b, "govarch-config-%s: %s\r\n", line, eq + 3);
		}
		if (!nl)
			break;
	}
	free(dump);
	return buf_detach(&b, NULL);
}

int capture_open(struct crawl_capture *c, int64_t crawl_id, const char *ua,
		 struct err *e)
{
	struct warc_writer_opts wo;
	struct buf dict = BUF_INIT(0);
	char dictdir[CAPTURE_PATH_MAX];
	int rc = -1;

	c->crawl_id = crawl_id;
	memset(&wo, 0, sizeof(wo));
	snprintf(dictdir, sizeof(dictdir), "%s/dict", c->o->archive);
	mkdir(dictdir, 0755);
	wo.dir = c->o->archive;
	wo.prefix = "govarch";
	wo.format = !strcmp(c->cfg->format, "gz") ? WARC_FMT_GZ :
		    !strcmp(c->cfg->format, "warc") ? WARC_FMT_PLAIN
						     : WARC_FMT_ZST;
	/* Rotation is done here between fetches, never inside one. */
	wo.rotate_size = UINT64_MAX / 2;
	wo.zstd_level = (int)c->cfg->zstd_level;
	if (wo.format == WARC_FMT_ZST &&
	    warc_dict_load_latest(dictdir, &dict, NULL, NULL) == 1) {
		wo.dict = dict.data;
		wo.dict_len = dict.len;
		crawl_trainer_skip(&c->trainer);
	}
	if (wo.format != WARC_FMT_ZST)
		crawl_trainer_skip(&c->trainer);    /* nothing to train */
	c->warcinfo = build_warcinfo(c, ua);
	wo.warcinfo = c->warcinfo;
	c->w = warc_writer_open(&wo, e);
	if (!c->w)
		goto out;
	rc = capture_register_file(c, e);
out:
	buf_release(&dict);
	return rc;
}

/* A failed attempt: retry later or give up. */
static int attempt_failed(struct crawl_capture *c, struct job *j,
			  const char *why, int status, double retry_after,
			  struct err *e)
{
	double retry_at = crawl_sched_host_failed(c->sched, j, status,
						  retry_after);
	int tries = j->u.tries + 1;
	char outcome[OUTCOME_MAX];

	c->st->errors++;
	if (j->is_robots) {
		snprintf(outcome, sizeof(outcome), "error:%s", why);
		crawllog_line(c->log, &j->f->date, status, 0, j->u.url,
			      j->f->t_end - j->f->t_start, outcome, "");
		return 0;
	}
	if (tries >= c->cfg->max_tries) {
		snprintf(outcome, sizeof(outcome), "failed:%s", why);
		c->st->failed++;
		crawllog_line(c->log, &j->f->date, status, 0, j->u.url,
			      j->f->t_end - j->f->t_start, outcome, j->u.via);
		return frontier_set(c->fr, j->u.id, URL_FAILED, tries, 0,
				    outcome, e);
	}
	snprintf(outcome, sizeof(outcome), "retry(%d):%s", tries, why);
	crawllog_line(c->log, &j->f->date, status, 0, j->u.url,
		      j->f->t_end - j->f->t_start, outcome, j->u.via);
	return frontier_set(c->fr, j->u.id, URL_PENDING, tries, retry_at,
			    NULL, e);
}

static int catalog_row(struct crawl_capture *c, struct job *j, int status,
		       const struct written *wr, const struct buf *payload,
		       struct err *e)
{
	struct catalog_capture_in ci;
	struct buf outlinks = BUF_INIT(0);
	char ct[CAPTURE_CONTENT_TYPE_MAX], loc[CRAWL_HEADER_MAX];
	char etag[ETAG_MAX], lm[LAST_MODIFIED_MAX];
	int rc;

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
		ci.refers_to = j->prev.record_id;
		ci.refers_to_target = j->prev.target;
		ci.refers_to_date = j->prev.date;
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
		ci.extraction = j->held->ex;
		if (status >= 200 && status < 300 &&
		    j->u.kind != CRAWL_KIND_SITEMAP &&
		    capture_links_text(&j->held->ol, &outlinks) == 0) {
			ci.outlinks = outlinks.data;
			ci.outlinks_len = outlinks.len;
		}
	}
	rc = catalog_add_capture(c->cat, &ci, NULL, e);
	buf_release(&outlinks);
	return rc;
}

static int commit_state(struct crawl_capture *c, struct job *j, int status,
			const struct written *wr, struct outlinks *ol,
			const struct buf *payload, struct err *e)
{
	int via_in_scope = j->u.kind != CRAWL_KIND_OFFSITE &&
			   crawl_scope_in_scope(c->scope, j->u.url);
	const struct warc_record_out *last = wr->has_meta ? &wr->meta : &wr->req;
	uint64_t end = last->offset + last->length;

	if (frontier_begin(c->fr, e) < 0)
		return -1;
	if (!j->is_robots &&
	    frontier_set(c->fr, j->u.id, capture_retryable(status) ?
			 URL_FAILED : URL_DONE, j->u.tries + 1, 0, wr->outcome,
			 e) < 0)
		goto fail;
	if (crawl_queue_outlinks(c->q, ol, j->u.url, via_in_scope, e) < 0)
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
	capture_kill_point("state");
	return frontier_commit(c->fr, e);
fail:
	frontier_rollback(c->fr);
	return -1;
}

void capture_kill_point(const char *phase)
{
	static const char *spec;
	static int read;
	static long count;
	size_t n = strlen(phase);

	if (!read) {
		spec = getenv("GOVARCH_TEST_KILL_AT");
		read = 1;
	}
	if (spec && !strncmp(spec, phase, n) && spec[n] == ':' &&
	    ++count == atol(spec + n + 1))
		raise(SIGKILL);
}

/* Write records, catalog row, state: the capture is done. */
static int persist(struct crawl_capture *c, struct job *j, struct err *e)
{
	struct capture_held *h = j->held;
	struct crawl_fetch *f = j->f;
	struct written wr;
	const struct buf *pl = f->spool_fd < 0 ? &h->dec : NULL;
	int status = h->status;
	char outcome[OUTCOME_MAX];

	if (capture_config_record(c, e) < 0 || capture_maybe_rotate(c, e) < 0)
		return -1;
	memset(&wr, 0, sizeof(wr));
	if (capture_write_records(c, j, status, *h->digest ? h->digest : NULL,
				  &h->ol, &wr, e) < 0)
		return -1;
	capture_kill_point("records");
	if (catalog_row(c, j, status, &wr, pl, e) < 0)
		return -1;
	capture_kill_point("catalog");
	if (commit_state(c, j, status, &wr, &h->ol, &h->dec, e) < 0)
		return -1;
	if (!j->is_robots) {
		if (wr.type == CATALOG_REVISIT)
			c->st->revisits++;
		if (status == 304)
			c->st->not_modified++;
	}
	snprintf(outcome, sizeof(outcome), "%s%s",
		 capture_retryable(status) && !j->is_robots ?
		 "failed:gave-up" : wr.outcome,
		 h->dec_cut ? "+decoded-cut" : "");
	crawllog_line(c->log, &f->date, status,
		      (long long)(f->resp_head.len + f->body_len),
		      j->u.url, f->t_end - f->t_start, outcome, j->u.via);
	return 0;
}

/* Train the first dictionary with what there is and compress with it
 * from now on. */
static int train(struct crawl_capture *c, struct err *e)
{
	struct buf dict = BUF_INIT(0);
	int rc = 0;

	crawl_trainer_train(&c->trainer, c->warcinfo, &dict);
	if (dict.len &&
	    (warc_writer_set_dict(c->w, dict.data, dict.len, e) < 0 ||
	     crawl_trainer_save(&c->trainer, c->w, e) < 0 ||
	     capture_register_file(c, e) < 0))
		rc = -1;
	buf_release(&dict);
	return rc;
}

/* Persist the held captures, in the order they were fetched. */
static int flush_held(struct crawl_capture *c, struct err *e)
{
	struct job *j, *next;
	int rc = 0;

	for (j = crawl_trainer_take_held(&c->trainer); j; j = next) {
		next = j->next;
		if (rc == 0 && persist(c, j, e) < 0)
			rc = -1;
		crawl_sched_job_free(c->sched, j);
	}
	return rc;
}

/* While the first crawl of a site has no dictionary yet: queue the
 * outlinks now (so the crawl goes on), keep the capture in memory and mark
 * its URL in flight; a kill loses only these, fetched again on resume. */
static int hold(struct crawl_capture *c, struct job *j, struct err *e)
{
	struct capture_held *h = j->held;
	int via_in_scope = j->u.kind != CRAWL_KIND_OFFSITE &&
			   crawl_scope_in_scope(c->scope, j->u.url);

	if (frontier_begin(c->fr, e) < 0)
		return -1;
	if (crawl_queue_outlinks(c->q, &h->ol, j->u.url, via_in_scope, e) < 0)
		goto fail;
	if (!j->is_robots &&
	    frontier_set(c->fr, j->u.id, URL_INFLIGHT, j->u.tries, 0, NULL,
			 e) < 0)
		goto fail;
	if (frontier_commit(c->fr, e) < 0)
		goto fail;
	crawl_trainer_hold(&c->trainer, j);
	capture_kill_point("hold");
	return 1;
fail:
	frontier_rollback(c->fr);
	return -1;
}

int capture_finish(struct crawl_capture *c, struct job *j, struct err *e)
{
	struct crawl_fetch *f = j->f;
	struct buf raw = BUF_INIT(0);
	struct capture_held *h;
	char ct[CAPTURE_CONTENT_TYPE_MAX], ra[RETRY_AFTER_MAX];
	const char *ctype;
	double secs = f->t_end - f->t_start;
	int status = (int)f->status, rc = -1;

	c->st->bytes += f->resp_head.len + f->body_len;
	if (!crawl_fetch_ok(f))
		return attempt_failed(c, j, crawl_fetch_error(f), 0, -1, e);
	crawl_sched_host_answered(c->sched, j->host);
	if (capture_retryable(status)) {
		double r = crawl_parse_retry_after(
			crawl_fetch_header(f, "Retry-After", ra, sizeof(ra)),
			time(NULL));

		if (!j->is_robots && j->u.tries + 1 < c->cfg->max_tries &&
		    r <= c->cfg->max_retry_after) {
			char why[32];

			snprintf(why, sizeof(why), "http-%d", status);
			return attempt_failed(c, j, why, status, r, e);
		}
		crawl_sched_host_refused(c->sched, j->host, r);
	} else {
		crawl_sched_host_after(c->sched, j->host, secs);
	}
	h = j->held = calloc(1, sizeof(*h));
	if (!h)
		return err_set(e, "out of memory");
	buf_init(&h->dec, c->cfg->max_decoded_bytes);
	h->status = status;
	ctype = crawl_fetch_header(f, "Content-Type", ct, sizeof(ct));
	if (f->spool_fd < 0) {
		char ce[CONTENT_ENCODING_MAX];

		if (crawl_fetch_payload(f, 0, &raw) == 0 && !f->truncated)
			digest_sha1_label(raw.data, raw.len, h->digest);
		if (!crawl_fetch_header(f, "Content-Encoding", ce, sizeof(ce)) ||
		    !strcasecmp(ce, "identity")) {
			buf_release(&h->dec);   /* nothing to decode: same bytes */
			h->dec = raw;
			buf_init(&raw, 0);
		} else {
			int decoded = crawl_fetch_payload(f, 1, &h->dec);

			if (decoded < 0)
				buf_reset(&h->dec);
			h->dec_cut = decoded == 1;
		}
	}
	if (j->is_robots)
		crawl_sched_robots_fetched(c->sched, j, status, &h->dec,
					   &h->ol);
	else if (status == 304 && j->have_prev)
		capture_links_unchanged(&c->links, j, &h->ol);
	else if (!(status >= 200 && status < 300 && h->digest[0] &&
		   j->have_prev && j->prev.payload_digest &&
		   !strcmp(h->digest, j->prev.payload_digest) &&
		   capture_links_unchanged(&c->links, j, &h->ol)))
		h->dec_cut |= capture_links_find(&c->links, j, status, ctype,
						 f->spool_fd < 0 ? &h->dec : NULL,
						 &h->ol, &h->ex) == 1;
	if (!j->is_robots)
		c->st->pages++;
	if (crawl_trainer_active(&c->trainer)) {
		int ready = crawl_trainer_sample(&c->trainer, j, e);

		if (ready < 0)
			goto out;
		/* never hold much: big bodies or many files open */
		if ((ready || crawl_trainer_full(&c->trainer)) &&
		    train(c, e) < 0)
			goto out;
		if (crawl_trainer_active(&c->trainer)) {
			rc = hold(c, j, e);
			goto out;
		}
		/* just trained: what was held goes first */
		if (flush_held(c, e) < 0)
			goto out;
	}
	rc = persist(c, j, e);
out:
	buf_release(&raw);
	return rc;
}

int capture_end(struct crawl_capture *c, struct err *e)
{
	if (crawl_trainer_active(&c->trainer) && train(c, e) < 0)
		return -1;
	if (flush_held(c, e) < 0)
		return -1;
	return capture_config_record(c, e);
}

int capture_close(struct crawl_capture *c, struct err *e)
{
	int rc;

	if (capture_end(c, e) < 0 || capture_summary_record(c, e) < 0)
		return -1;
	rc = warc_writer_close(c->w, e);
	c->w = NULL;
	return rc;
}

void capture_release(struct crawl_capture *c)
{
	struct job *j, *next;

	for (j = crawl_trainer_take_held(&c->trainer); j; j = next) {
		next = j->next;
		crawl_sched_job_free(c->sched, j);
	}
	crawl_trainer_release(&c->trainer);
	capture_links_release(&c->links);
	if (c->w)
		warc_writer_abort(c->w);
	c->w = NULL;
	free(c->warcinfo);
	c->warcinfo = NULL;
}
