/* capture: a finished fetch becomes WARC records, a catalog row and a
 * frontier update, in that order (frontier.h says why).  This file: the
 * fetch's outcome (failed attempts and retries, robots.txt verdicts,
 * payload digest and outlinks); capture-queue.c, capture-dict.c,
 * capture-records.c and capture-commit.c do the rest. */
#include "crawl/crawl-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/digest.h"
#include "util/url.h"

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
			capture_out_add(ol, sm, CRAWL_KIND_SITEMAP, 0, 0);
			free(sm);
		}
	}
	/* Wait as the new Crawl-delay says from now on. */
	crawl_host_after(c, h, j->f->t_end - j->f->t_start);
	(void)status;
}

int capture_retryable(int status)
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
		/* a revisit: the original's outlinks, from the catalog */
		capture_stored_outlinks(c, j, &h->ol);
	} else if (!(status >= 200 && status < 300 && h->digest[0] &&
		     j->prev.have && j->prev.p.payload_digest &&
		     !strcmp(h->digest, j->prev.p.payload_digest) &&
		     capture_stored_outlinks(c, j, &h->ol))) {
		capture_find_outlinks(c, j, status, ctype,
				      f->spool_fd < 0 ? &h->dec : NULL,
				      &h->ol, &h->ex);
	}
	if (!j->is_robots)
		c->st->pages++;
	if (!c->have_dict) {
		if (capture_add_sample(c, j, e) < 0)
			goto out;
		/* never hold much: big bodies or many files open */
		if (!c->have_dict && (c->held_bytes > (64u << 20) ||
				      c->held_n >= 256) &&
		    capture_train_dict(c, 1, e) < 0)
			goto out;
		if (!c->have_dict) {
			rc = capture_hold(c, j, e);
			goto out;
		}
		/* just trained: what was held goes first */
		if (capture_flush_held(c, e) < 0)
			goto out;
	}
	rc = capture_persist(c, j, e);
out:
	buf_release(&raw);
	return rc;
}
