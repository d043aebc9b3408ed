/* crawl: the crawl of one archive, top down (see crawl.h): open the
 * state, catalog and scope; begin or resume; queue the seeds; then the
 * loop: the scheduler (sched.h) starts what may start, curl runs, each
 * finished fetch goes through the capture pipeline (capture.h); at the
 * end, the pages earlier crawls knew; then finish and report. */
#include "crawl/crawl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crawl/capture.h"
#include "crawl/crawllog.h"
#include "crawl/frontier.h"
#include "crawl/mend.h"
#include "crawl/queue.h"
#include "crawl/sched.h"
#include "crawl/scope.h"
#include "crawl/settings.h"
#include "diff/pdf.h"
#include "util/timeutil.h"

#define REPORT_EVERY 0.2        /* seconds between progress callbacks */

struct crawl {
	const struct crawl_opts *o;
	const struct crawl_config *cfg;
	struct crawl_stats *st;
	char *ua;
	char *tmpdir;
	int64_t crawl_id;
	char start_date[40];
	double t0;
	int stopping;
	int known_queued;           /* the last complete crawl's pages queued */

	struct frontier *fr;
	struct catalog *cat;
	struct crawl_scope *scope;
	struct crawllog *log;
	struct crawl_queue q;
	struct crawl_sched sched;
	struct crawl_capture cap;
};

/* Once the frontier runs dry, the pages the last complete crawl saw and
 * this one did not reach are requested too: a page that lost its last link
 * must still be seen removed (404) or moved (301), or change reports would
 * silently lose it.  Queued last and at the depth limit, so they never
 * re-seed a trap (a calendar) or change how far discovery goes; pages of
 * other scopes (an archive shared with another seed) are left out quietly. */
static int queue_known_pages(struct crawl *c, struct err *e)
{
	char **urls = NULL;
	size_t i, n = 0;
	int rc = 0, hops = (int)c->cfg->max_depth;

	if (catalog_known_urls(c->cat, 0, &urls, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct crawl_scope_why why;
		enum crawl_scope_verdict v = crawl_scope_explain(c->scope, urls[i],
			hops, 0, 1, &why);
		char rule[600];

		/* a known page the scope leaves out now is excluded, with the
		 * rule, not removed */
		rule[0] = '\0';
		if (v == CRAWL_SCOPE_OUT_OF_SCOPE || !why.in_scope)
			snprintf(rule, sizeof(rule), "out of scope (scope-host, "
				 "scope-prefix)");
		else if (v == CRAWL_SCOPE_EXCLUDED && why.exclude >= 0 &&
			 (size_t)why.exclude < c->cfg->excludes.n)
			snprintf(rule, sizeof(rule), "exclude = %s",
				 c->cfg->excludes.v[why.exclude]);
		if (rc == 0 && rule[0] &&
		    catalog_exclude(c->cat, c->crawl_id, urls[i], rule, e) < 0)
			rc = -1;
		if (rc == 0 && !rule[0] &&
		    crawl_queue_add(&c->q, urls[i], hops, 0, "", CRAWL_KIND_PAGE,
				    1, 0, e) < 0)
			rc = -1;
		free(urls[i]);
	}
	free(urls);
	return rc;
}

static int queue_seeds(struct crawl *c, struct err *e)
{
	size_t i;

	for (i = 0; i < c->cfg->seeds.n; i++)
		if (crawl_queue_add(&c->q, c->cfg->seeds.v[i], 0, 0, "",
				    CRAWL_KIND_PAGE, 1, 0, e) < 0)
			return -1;
	for (i = 0; i < c->cfg->sitemaps.n; i++)
		if (crawl_queue_add(&c->q, c->cfg->sitemaps.v[i], 0, 0, "",
				    CRAWL_KIND_SITEMAP, 1, 0, e) < 0)
			return -1;
	return 0;
}

/* A resumed crawl's figures go on from where the earlier runs left them:
 * captures = URLs done, bytes as saved at each run's end (a run killed with
 * -9 saved none: its bytes are not counted). */
static void resume_figures(struct crawl *c)
{
	char *b = frontier_meta_get(c->fr, "bytes");
	long counts[URL_NSTATUS];

	frontier_counts(c->fr, counts);
	c->st->pages = counts[URL_DONE];
	c->st->bytes = b ? strtoull(b, NULL, 10) : 0;
	free(b);
}

/* New crawl or resume: crawl id, catalog, frontier. */
/* A new crawl on a state that holds no unfinished crawl: when the state was
 * lost (deleted after damage, or its -wal file gone) the catalog may still
 * list a crawl as running and its .open files lie there.  Each .open file
 * is cut after its last whole record (the state that knew more is gone)
 * and renamed, and each running crawl is closed as interrupted, with what
 * the WARC files hold of it; the new crawl then revisits those pages. */
static int close_orphans(struct crawl *c, struct err *e)
{
	struct catalog_crawl *v = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (crawl_mend(c->fr, c->cat, c->o->archive, -1, e) < 0 ||
	    catalog_crawls(c->cat, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].status, "running") &&
		    catalog_crawl_close_interrupted(c->cat, v[i].id, e) < 0)
			goto out;
	rc = 0;
out:
	free(v);
	return rc;
}

static int begin(struct crawl *c, struct err *e)
{
	char *state = frontier_meta_get(c->fr, "state");
	char *id = frontier_meta_get(c->fr, "crawl_id");
	char *start = frontier_meta_get(c->fr, "start");
	char buf[32];
	struct catalog_crawl known;
	int rc = -1, got;

	if (state && id && strcmp(state, "finished")) {
		c->crawl_id = atoll(id);
		snprintf(c->start_date, sizeof(c->start_date), "%s",
			 start ? start : "");
		c->st->resumed = 1;
		c->st->crawl_id = c->crawl_id;
		resume_figures(c);
		if (c->o->starting)
			c->o->starting(c->o->progress_ctx, c->st);
		/* a catalog that lost its -wal file (or was replaced) does
		 * not know the crawl: mending now would drop what the state
		 * knows of it */
		if ((got = catalog_crawl_get(c->cat, c->crawl_id, &known,
					     e)) <= 0) {
			if (got == 0)
				err_set(e, "%s/%s: does not know crawl %lld, "
					"which the crawl state resumes; "
					CATALOG_RECOVER, c->o->archive,
					CATALOG_FILE, (long long)c->crawl_id);
			goto out;
		}
		if (crawl_mend(c->fr, c->cat, c->o->archive, c->crawl_id,
			       e) < 0 ||
		    catalog_crawl_resume(c->cat, c->crawl_id,
					 c->o->config_text, e) < 0 ||
		    frontier_requeue_inflight(c->fr, e) < 0)
			goto out;
	} else {
		time_warc_date(time_now(), c->start_date);
		if (frontier_reset(c->fr, e) < 0 || close_orphans(c, e) < 0 ||
		    catalog_crawl_begin(c->cat, c->start_date,
					c->o->config_name, c->o->config_text,
					&c->crawl_id, e) < 0)
			goto out;
		c->st->crawl_id = c->crawl_id;
		if (c->o->starting)
			c->o->starting(c->o->progress_ctx, c->st);
		snprintf(buf, sizeof(buf), "%lld", (long long)c->crawl_id);
		if (frontier_meta_set(c->fr, "crawl_id", buf, e) < 0 ||
		    frontier_meta_set(c->fr, "bytes", "0", e) < 0 ||
		    frontier_meta_set(c->fr, "start", c->start_date, e) < 0 ||
		    frontier_meta_set(c->fr, "state", "running", e) < 0)
			goto out;
	}
	rc = 0;
out:
	free(state);
	free(id);
	free(start);
	return rc;
}

static void report(struct crawl *c)
{
	long counts[URL_NSTATUS];

	if (!c->o->progress)
		return;
	frontier_counts(c->fr, counts);
	c->st->queued = counts[URL_PENDING];
	c->st->elapsed = time_mono() - c->t0;
	c->st->current = c->sched.current;
	c->st->limit_hit = c->sched.limit_hit;
	c->o->progress(c->o->progress_ctx, c->st);
}

/* Every finished fetch through the capture pipeline. */
static int take_finished(struct crawl *c, struct err *e)
{
	struct job *j;

	while ((j = crawl_sched_done(&c->sched))) {
		int rc = capture_finish(&c->cap, j, e);

		if (rc != 1)            /* 1: held until the dictionary */
			crawl_sched_job_free(&c->sched, j);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Until the frontier is done, the limits are hit or *stop is set. */
static int run_loop(struct crawl *c, struct err *e)
{
	double last_report = 0;

	for (;;) {
		double wait;
		long counts[URL_NSTATUS];

		if (c->o->stop && *c->o->stop) {
			c->stopping = 1;
			return 0;
		}
		if (crawl_queue_take_added(&c->q))
			crawl_sched_hosts_changed(&c->sched);
		if (crawl_sched_start(&c->sched, &wait, e) < 0)
			return -1;
		if (!c->st->inflight) {
			frontier_counts(c->fr, counts);
			if (c->sched.limit_hit)
				return 0;
			if (!counts[URL_PENDING] && !c->known_queued) {
				c->known_queued = 1;
				if (queue_known_pages(c, e) < 0)
					return -1;
				frontier_counts(c->fr, counts);
			}
			if (!counts[URL_PENDING])
				return 0;
		}
		crawl_sched_run(&c->sched, wait);
		if (take_finished(c, e) < 0)
			return -1;
		if (time_mono() - last_report >= REPORT_EVERY) {
			report(c);
			last_report = time_mono();
		}
	}
}

/* Why a finished crawl is partial: the limit it stopped at with URLs still
 * to fetch (its unreached pages are then never "removed"), or failed URLs;
 * "" when it is complete. */
static void partial_reason(struct crawl *c, char *out, size_t size)
{
	long counts[URL_NSTATUS];

	out[0] = '\0';
	frontier_counts(c->fr, counts);
	if (c->sched.limit_hit && (counts[URL_PENDING] || !c->known_queued)) {
		if (c->sched.limit_hit == CRAWL_LIMIT_BYTES)
			snprintf(out, size, "max-bytes %llu reached",
				 (unsigned long long)c->cfg->max_bytes);
		else
			snprintf(out, size, "max-pages %ld reached",
				 c->cfg->max_pages);
	} else if (c->st->failed) {
		snprintf(out, size, "%ld URL%s failed", (long)c->st->failed,
			 c->st->failed == 1 ? "" : "s");
	}
}

static int finish(struct crawl *c, int result, struct err *e)
{
	char end[40], reason[128] = "";
	const char *status;

	if (result != CRAWL_INTERRUPTED)
		partial_reason(c, reason, sizeof(reason));
	status = result == CRAWL_INTERRUPTED ? "interrupted" :
		 reason[0] ? "partial" : "complete";
	if (capture_end(&c->cap, e) < 0)
		return -1;
	time_warc_date(time_now(), end);
	if (catalog_crawl_end(c->cat, c->crawl_id, end, status,
			      (uint64_t)c->st->pages, c->st->bytes,
			      (uint64_t)c->st->failed, e) < 0 ||
	    catalog_crawl_set_reason(c->cat, c->crawl_id, reason, e) < 0)
		return -1;
	if (capture_close(&c->cap, e) < 0)
		return -1;
	snprintf(end, sizeof(end), "%llu", (unsigned long long)c->st->bytes);
	if (frontier_meta_set(c->fr, "bytes", end, e) < 0)
		return -1;
	if (frontier_meta_set(c->fr, "state", result == CRAWL_INTERRUPTED ?
			      "interrupted" : "finished", e) < 0)
		return -1;
	if (result == CRAWL_INTERRUPTED)
		return 0;
	/* Space only, so best effort: the crawl is complete either way, and
	 * what fails (a reader holding the file) is tried after the next
	 * one.  A finished crawl's URLs are not needed again: the next crawl
	 * starts afresh. */
	catalog_compact(c->cat, NULL);
	frontier_compact(c->fr, NULL);
	catalog_write_atom(c->cat, NULL);
	return 0;
}

static void teardown(struct crawl *c)
{
	capture_release(&c->cap);       /* before the scheduler: held jobs */
	crawl_sched_release(&c->sched);
	crawl_queue_release(&c->q);
	crawl_scope_free(c->scope);
	crawllog_close(c->log);
	catalog_close(c->cat);
	frontier_close(c->fr);
	free(c->ua);
	free(c->tmpdir);
	diff_pdf_server_stop();
}

int crawl_run(const struct crawl_opts *o, struct crawl_stats *st,
	      struct err *e)
{
	struct crawl c;
	struct buf p = BUF_INIT(0);
	struct err pe = { "" };
	char idbuf[32];
	long counts[URL_NSTATUS];
	int rc = -1, result;

	memset(&c, 0, sizeof(c));
	memset(st, 0, sizeof(*st));
	/* the PDF reader's server, forked while this process is small (a
	 * failure here is the first document's to report) */
	diff_pdf_server_start(&pe);
	c.o = o;
	c.cfg = o->cfg;
	c.st = st;
	c.t0 = time_mono();
	c.ua = crawl_config_user_agent(o->cfg);
	buf_addf(&p, "%s/tmp", o->archive);
	mkdir(p.data, 0755);
	c.tmpdir = buf_detach(&p, NULL);
	buf_addf(&p, "%s/state.sqlite", o->archive);
	c.fr = frontier_open(p.data, e);
	buf_release(&p);
	if (!c.fr || !(c.cat = catalog_open(o->archive, CATALOG_CREATE, e)) ||
	    !(c.scope = crawl_settings_scope(o->cfg, e)) || begin(&c, e) < 0)
		goto out;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)c.crawl_id);
	if (!(c.log = crawllog_open(o->archive, idbuf, e)))
		goto out;
	snprintf(st->log_path, sizeof(st->log_path), "%s",
		 crawllog_path(c.log));
	crawl_queue_init(&c.q, o->cfg, c.fr, c.scope, c.log, st);
	capture_init(&c.cap, o, st, c.fr, c.cat, c.scope, c.log, &c.sched,
		     &c.q, c.tmpdir);
	if (crawl_sched_init(&c.sched, o->cfg, st, c.fr, c.cat, &c.q, c.log,
			     c.ua, c.tmpdir, e) < 0)
		goto out;
	c.sched.crawl_id = c.crawl_id;
	if (capture_open(&c.cap, c.crawl_id, c.ua, e) < 0)
		goto out;
	if (!st->resumed && queue_seeds(&c, e) < 0)
		goto out;
	if (run_loop(&c, e) < 0)
		goto out;
	crawl_sched_abandon(&c.sched);
	frontier_counts(c.fr, counts);
	st->failed = counts[URL_FAILED];
	if (c.stopping)
		result = CRAWL_INTERRUPTED;
	else
		result = st->failed ? CRAWL_PARTIAL : CRAWL_COMPLETE;
	if (finish(&c, result, e) < 0)
		goto out;
	report(&c);
	rc = result;
out:
	teardown(&c);
	return rc;
}
