/* crawl: the polite crawler engine behind `govarch crawl`.
 *
 * One process, one thread, libcurl's multi interface: many hosts at once,
 * one request per host at a time, each host waited on by the politeness
 * rule (politeness.h).  Per host robots.txt first (cached 24 h in the state
 * database), then the seeds, sitemaps and the links found (links.h), each
 * checked by scope.h and robots.txt.  Every fetch becomes a response and
 * its request and metadata records (one WARC-Date, WARC-Concurrent-To), or
 * a revisit and its request record: a revisit's outlinks are by definition
 * those of the record it refers to (same URL; the same payload, or the
 * server says unchanged), listed in that record's metadata record, so it
 * gets none of its own (its via and fetch time are in the crawl log).
 * Then a catalog row (a revisit's copies the original's extraction), then
 * the state update (frontier.h explains the write order and why kill -9 at
 * any moment is safe).
 *
 * Library code: no printing; progress goes to a callback, the fetch log
 * to ARCHIVE/logs/crawl-ID.log.
 */
#ifndef GOVARCH_CRAWL_H
#define GOVARCH_CRAWL_H

#include <signal.h>
#include <stdint.h>

#include "crawl/config.h"
#include "util/err.h"

struct crawl_stats {
	int64_t crawl_id;
	int resumed;                /* continuing an interrupted crawl */
	long pages;                 /* captures written (response + revisit) */
	long revisits;              /* of which revisits */
	long not_modified;          /* of which 304s */
	long html_pages;            /* HTML 2xx responses fetched */
	long html_parses;           /* HTML parses, the crawler's and the
				     * catalog's: one per HTML page */
	long failed;                /* URLs given up on */
	long errors;                /* failed attempts (retried or not) */
	long skipped;               /* not fetched: robots, scope, traps */
	long robots;                /* of which disallowed by robots.txt (the
	                             * rest are out-of-scope(REASON) in the log) */
	long queued;                /* pending URLs */
	long inflight;
	uint64_t bytes;             /* bytes received */
	uint64_t warc_bytes;        /* compressed record bytes written */
	double elapsed;             /* seconds since this run started */
	const char *current;        /* last URL started, or "" */
	char log_path[4096];        /* the crawl log */
	int limit_hit;              /* max-pages / max-bytes reached */
};

struct crawl_opts {
	const struct crawl_config *cfg;
	const char *archive;        /* the archive directory (created) */
	const char *config_name;    /* e.g. "dpmc.conf" */
	const char *config_text;    /* the effective config, for warcinfo */
	/* set (to the signal number) by the caller's SIGINT/SIGTERM handler */
	volatile sig_atomic_t *stop;
	void (*progress)(void *ctx, const struct crawl_stats *st);
	void *progress_ctx;
	/* told before the crawl starts whether it resumes (for a message) */
	void (*starting)(void *ctx, const struct crawl_stats *st);
};

enum crawl_result {
	CRAWL_COMPLETE = 0,         /* every URL captured or refused */
	CRAWL_PARTIAL = 3,          /* finished, some URLs failed */
	CRAWL_INTERRUPTED = 4,      /* *stop was set: state saved, resumable */
};

/* Run (or resume) the crawl of o->archive.  The caller holds the archive
 * lock (lock.h).  Returns a crawl_result, or -1 with e set. */
int crawl_run(const struct crawl_opts *o, struct crawl_stats *st,
	      struct err *e);

#endif
