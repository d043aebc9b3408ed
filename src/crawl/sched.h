/* sched: the scheduler and its hosts.  It owns the hosts (politeness timing,
 * failure and backoff counts, the robots.txt verdict of each), the jobs in
 * flight and the curl multi handle that runs them: one request per host at
 * a time, at most max_hosts at once, a host waited on by politeness.h
 * after each answer, robots.txt fetched (or taken from the state's cache)
 * before a host's first URL.  A finished job goes back to the caller
 * (crawl.c hands it to the capture pipeline, capture.h), which reports how
 * the host answered through the crawl_sched_host_* calls. */
#ifndef GOVARCH_CRAWL_SCHED_H
#define GOVARCH_CRAWL_SCHED_H

#include <curl/curl.h>

#include "catalog/catalog.h"
#include "crawl/config.h"
#include "crawl/crawl.h"
#include "crawl/crawllog.h"
#include "crawl/fetch.h"
#include "crawl/frontier.h"
#include "crawl/outlinks.h"
#include "crawl/politeness.h"
#include "crawl/queue.h"
#include "crawl/robots.h"
#include "util/buf.h"
#include "util/hashmap.h"

#define CRAWL_CURRENT_MAX 2048  /* the last URL started, for progress */
#define CRAWL_SPOOL_AT (8u << 20) /* body bytes kept in memory per fetch */
enum { CRAWL_LIMIT_PAGES = 1, CRAWL_LIMIT_BYTES = 2 };    /* limit_hit */

enum robots_state { ROBOTS_NONE = 0, ROBOTS_FETCHING, ROBOTS_READY };

struct host {
	char *name;                 /* scheme://host[:port] */
	int busy;                   /* a fetch in flight */
	double next_at;             /* epoch seconds: not before */
	double crawl_delay;         /* robots Crawl-delay, -1 none */
	int fails;                  /* consecutive failed attempts */
	int backoff_n;              /* consecutive 429/503/5xx */
	int idle;                   /* no pending URL right now */
	enum robots_state robots_state;
	struct crawl_robots *robots;
	double robots_at;           /* when the verdict was fetched */
	double robots_ttl;
	int robots_redirects;
	char *robots_follow;        /* robots.txt redirected here */
	int robots_unreachable;     /* disallow-all because it failed (5xx,
	                             * network): its URLs fail, not "robots" */
	struct host *next;
};

/* What a finished fetch left to write, filled by the capture pipeline and
 * kept on the job while the first records wait for the site's dictionary. */
struct capture_held {
	struct outlinks ol;
	struct catalog_extraction *ex;  /* the page's, for its catalog row */
	struct buf dec;             /* entity body, decoded (max-decoded-bytes) */
	int dec_cut;                /* decoding stopped at max-decoded-bytes
				     * (or a gzipped sitemap at its limit) */
	char digest[40];            /* payload digest, "" when unknown */
	int status;
};

struct job {
	struct crawl_url u;         /* u.id 0 for robots.txt fetches */
	int is_robots;
	struct host *host;
	struct crawl_fetch *f;
	int have_prev;              /* the catalog knows an earlier capture */
	struct catalog_prev prev;
	struct capture_held *held;  /* NULL until the pipeline fills it */
	struct job *next;
};

struct crawl_sched {
	int64_t crawl_id;           /* for the exclusions it records */
	const struct crawl_config *cfg;
	struct crawl_stats *st;     /* inflight; pages for max-pages */
	struct frontier *fr;
	struct catalog *cat;        /* earlier captures: conditional requests */
	struct crawl_queue *q;      /* sitemaps named by a cached robots.txt */
	struct crawllog *log;
	struct crawl_polite pol;
	const char *ua, *tmpdir;

	CURLM *multi;
	struct host *hosts;         /* in order of first sight, newest first */
	struct hmap by_name;        /* host name -> struct host */
	struct job *jobs;           /* in flight */
	int hosts_dirty;            /* refresh host list from the frontier */
	double hosts_refreshed;
	int limit_hit;              /* CRAWL_LIMIT_PAGES / _BYTES reached */
	char current[CRAWL_CURRENT_MAX];
};

/* Wall-clock time in epoch seconds (host timing is stored in the state). */
double crawl_epoch(void);

int crawl_sched_init(struct crawl_sched *s, const struct crawl_config *cfg,
		     struct crawl_stats *st, struct frontier *fr,
		     struct catalog *cat, struct crawl_queue *q,
		     struct crawllog *log, const char *ua, const char *tmpdir,
		     struct err *e);
/* Abandons the jobs in flight, frees the hosts and the multi handle. */
void crawl_sched_release(struct crawl_sched *s);
/* Start what may start now; *wait gets the seconds until the next host
 * becomes ready (at most a quarter second). */
int crawl_sched_start(struct crawl_sched *s, double *wait, struct err *e);
/* Let curl run the transfers, waiting up to wait seconds for activity. */
void crawl_sched_run(struct crawl_sched *s, double wait);
/* The next finished job (no longer in flight), or NULL.  The caller frees
 * it with crawl_sched_job_free once it is captured. */
struct job *crawl_sched_done(struct crawl_sched *s);
/* Drop the jobs in flight (stop, or the end): their URLs stay in flight in
 * the frontier, fetched again on resume. */
void crawl_sched_abandon(struct crawl_sched *s);
void crawl_sched_job_free(struct crawl_sched *s, struct job *j);
/* The frontier has new pending URLs: look for new hosts. */
void crawl_sched_hosts_changed(struct crawl_sched *s);

/* How a host answered a job, told by the capture pipeline: */
/* an HTTP answer: no longer failing (before the others below) */
void crawl_sched_host_answered(struct crawl_sched *s, struct host *h);
/* an answer (not a refusal) that took secs: the politeness wait from now */
void crawl_sched_host_after(struct crawl_sched *s, struct host *h,
			    double secs);
/* a 429/5xx refusal given up on: back off (retry_after < 0: none sent) */
void crawl_sched_host_refused(struct crawl_sched *s, struct host *h,
			      double retry_after);
/* a failed attempt (status 0: no HTTP answer): back off, or pause a host
 * that keeps failing; for a robots.txt fetch, disallow all for a while.
 * Returns when the URL may be tried again (epoch seconds). */
double crawl_sched_host_failed(struct crawl_sched *s, struct job *j,
			       int status, double retry_after);
/* A fetched robots.txt (status, body): the host's verdict, its Sitemap
 * lines added to ol, or the redirect to follow. */
void crawl_sched_robots_fetched(struct crawl_sched *s, struct job *j,
				int status, const struct buf *payload,
				struct outlinks *ol);

#endif
