/* capture-commit: a capture's catalog row and frontier state committed
 * after its records, and the captures held back until the site's first
 * dictionary is trained. */
#include "crawl/crawl-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int catalog_row(struct crawl *c, struct job *j, int status,
		       const struct written *wr, const struct buf *payload,
		       struct err *e)
{
	struct catalog_capture_in ci;
	struct buf outlinks = BUF_INIT(0);
	char ct[512], loc[4096], etag[512], lm[128];
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
		ci.extraction = j->held->ex;
		if (status >= 200 && status < 300 && j->u.kind != CRAWL_KIND_SITEMAP &&
		    capture_outlinks_text(&j->held->ol, &outlinks) == 0) {
			ci.outlinks = outlinks.data;
			ci.outlinks_len = outlinks.len;
		}
	}
	rc = catalog_add_capture(c->cat, &ci, NULL, e);
	buf_release(&outlinks);
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
	    frontier_set(c->fr, j->u.id, capture_retryable(status) ?
			 URL_FAILED : URL_DONE, j->u.tries + 1, 0, wr->outcome,
			 e) < 0)
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
	capture_out_release(&h->ol);
	catalog_extraction_free(h->ex);
	buf_release(&h->dec);
	free(h);
}

void capture_job_release(struct job *j)
{
	held_free(j->held);
	j->held = NULL;
}

/* Write records, catalog row, state: the capture is done. */
int capture_persist(struct crawl *c, struct job *j, struct err *e)
{
	struct capture_held *h = j->held;
	struct crawl_fetch *f = j->f;
	struct written wr;
	const struct buf *pl = f->spool_fd < 0 ? &h->dec : NULL;
	int status = h->status;

	if (capture_config_record(c, e) < 0 || capture_maybe_rotate(c, e) < 0)
		return -1;
	memset(&wr, 0, sizeof(wr));
	if (capture_write_records(c, j, status, *h->digest ? h->digest : NULL,
				  &h->ol, &wr, e) < 0 ||
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
		      capture_retryable(status) && !j->is_robots ?
		      "failed:gave-up" : wr.outcome,
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
		if (rc == 0 && capture_persist(c, j, e) < 0)
			rc = -1;
		capture_job_release(j);
		crawl_job_free(c, j);
	}
	return rc;
}

/* While the first crawl of a site has no dictionary yet: queue the
 * outlinks now (so the crawl goes on), keep the capture in memory and mark
 * its URL in flight; a kill loses only these, fetched again on resume. */
int capture_hold(struct crawl *c, struct job *j, struct err *e)
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

/* Before the end of a crawl (complete or interrupted): train with what
 * there is, write what is held, make sure the config record exists. */
int capture_flush_end(struct crawl *c, struct err *e)
{
	if (!c->have_dict && capture_train_dict(c, 1, e) < 0)
		return -1;
	if (capture_flush_held(c, e) < 0)
		return -1;
	return capture_config_record(c, e);
}
