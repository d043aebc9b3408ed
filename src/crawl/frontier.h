/* frontier: the crawl's state in SQLite (ARCHIVE/state.sqlite, WAL).
 *
 * Tables: meta (crawl id, status, start time), urls (every URL seen: hops,
 * via, requisite flag, status, tries, not-before time, outcome), hosts
 * (per-host timing, so a resumed crawl stays polite), robots (robots.txt
 * cache, at most 24 h) and warcs (per WARC file of the crawl the offset up
 * to which its records belong to committed fetches).
 *
 * Write order per fetch (what makes kill -9 safe at any moment): the WARC
 * records are written and flushed; then the catalog row is committed (the
 * catalog's own database); then ONE transaction here marks the URL done,
 * adds its outlinks and advances warcs.committed_end.  On resume, .open
 * files are cut back to committed_end and the catalog rows at or after it
 * are deleted (catalog_delete_from), so a fetch is in the WARCs and the
 * catalog exactly when it is done here, and the URLs not done are fetched
 * (once) again.
 */
#ifndef GOVARCH_CRAWL_FRONTIER_H
#define GOVARCH_CRAWL_FRONTIER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* What a damaged state's error ends with.  Without a state the next crawl
 * closes the crawl the state held as interrupted (its .open files cut after
 * their last whole record) and starts a new one, whose unchanged pages are
 * revisits of what the WARC files hold. */
#define FRONTIER_RECOVER "recover: delete it (and its -wal and -shm files); " \
	"the next `govarch crawl` starts again from what the WARC files hold"

enum crawl_url_status {
	URL_PENDING = 0,
	URL_INFLIGHT = 1,
	URL_DONE = 2,
	URL_FAILED = 3,
	URL_SKIPPED = 4,        /* robots, out of scope, trap: never fetched */
	URL_NSTATUS             /* how many (frontier_counts' array) */
};

enum crawl_kind {
	CRAWL_KIND_PAGE = 0,
	CRAWL_KIND_REQUISITE = 1,       /* in scope */
	CRAWL_KIND_OFFSITE = 2,         /* requisite outside the scope (1 hop) */
	CRAWL_KIND_SITEMAP = 3,
};

struct crawl_url {
	int64_t id;
	char *url;
	char *host;             /* scheme://host[:port], the politeness key */
	int hops;
	char *via;
	int redirs;             /* redirects followed to reach it */
	int kind;               /* CRAWL_KIND_* */
	int tries;
	double not_before;      /* epoch seconds */
};

void crawl_url_release(struct crawl_url *u);

struct frontier;

/* Open (create) the state database. */
struct frontier *frontier_open(const char *path, struct err *e);
void frontier_close(struct frontier *f);

/* meta key/value. get returns malloc'd or NULL. */
char *frontier_meta_get(struct frontier *f, const char *key);
int frontier_meta_set(struct frontier *f, const char *key, const char *value,
		      struct err *e);
/* Forget the previous crawl's URLs and warcs (not the
 * host timing or the robots cache). */
int frontier_reset(struct frontier *f, struct err *e);
/* After a finished crawl: forget its URLs and WARC offsets (as the next
 * crawl's frontier_reset would) and give the space back to the file system,
 * so the state between crawls is the host timing and robots cache only. */
int frontier_compact(struct frontier *f, struct err *e);
/* After a crash: in-flight URLs go back to pending. */
int frontier_requeue_inflight(struct frontier *f, struct err *e);

int frontier_begin(struct frontier *f, struct err *e);
int frontier_commit(struct frontier *f, struct err *e);
int frontier_rollback(struct frontier *f);

/* Add a URL unless already seen.  Returns 1 added, 0 already there, -1. */
int frontier_add(struct frontier *f, const char *url, const char *host,
		 int hops, int redirs, const char *via, int kind, int status,
		 const char *outcome, struct err *e);
/* Number of URLs seen whose path key (URL up to '?') equals key and that
 * have a query, counted up to limit. */
long frontier_query_variants(struct frontier *f, const char *pathkey,
			     long limit);

/* The next pending URL of host (lowest id with not_before <= now): 1 found,
 * 0 none, -1 error. */
int frontier_next(struct frontier *f, const char *host, double now,
		  struct crawl_url *u, struct err *e);
/* Hosts that have pending URLs (malloc'd array of malloc'd strings, NULL
 * terminated) and the earliest not_before among their pending URLs. */
char **frontier_pending_hosts(struct frontier *f, struct err *e);
/* Set status (and tries, not_before, outcome) of a URL by id. */
int frontier_set(struct frontier *f, int64_t id, int status, int tries,
		 double not_before, const char *outcome, struct err *e);
/* Counts by status. */
int frontier_counts(struct frontier *f, long counts[URL_NSTATUS]);
/* Is this URL done (captured) in this crawl? */
int frontier_is_done(struct frontier *f, const char *url);

/* Per-host timing: next request not before next_at (epoch s). */
int frontier_host_load(struct frontier *f, const char *host, double *next_at,
		       double *crawl_delay);
int frontier_host_save(struct frontier *f, const char *host, double next_at,
		       double crawl_delay);

/* robots cache: body (malloc'd) and status of a fetch at most max_age old.
 * 1 found, 0 none/expired. */
int frontier_robots_get(struct frontier *f, const char *host, double now,
			double max_age, int *status, char **body, size_t *len);
int frontier_robots_put(struct frontier *f, const char *host, double now,
			int status, const void *body, size_t len);

/* WARC files: committed end offset (0 and returns 0 when unknown). */
int frontier_warc_get(struct frontier *f, const char *name, uint64_t *end);
int frontier_warc_set(struct frontier *f, const char *name, uint64_t end);

#endif
