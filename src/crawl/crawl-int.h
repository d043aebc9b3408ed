/* crawl-int: the engine's shared state (crawl.c: loop and hosts;
 * capture*.c: turning a finished fetch into records, catalog rows and
 * frontier updates; mend.c: resuming after a crash). */
#ifndef GOVARCH_CRAWL_INT_H
#define GOVARCH_CRAWL_INT_H

#include <curl/curl.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "crawl/config.h"
#include "crawl/crawl.h"
#include "crawl/crawllog.h"
#include "crawl/fetch.h"
#include "crawl/links.h"
#include "crawl/frontier.h"
#include "crawl/politeness.h"
#include "crawl/robots.h"
#include "crawl/scope.h"
#include "util/buf.h"
#include "util/hashmap.h"
#include "warc/warc.h"

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

struct prev_info {
	int have;
	struct catalog_prev p;
};

struct job {
	struct crawl_url u;         /* u.id 0 for robots.txt fetches */
	int is_robots;
	struct host *host;
	struct crawl_fetch *f;
	struct prev_info prev;
	struct capture_held *held;  /* what is left to write */
	struct job *next;
};

struct crawl {
	const struct crawl_opts *o;
	const struct crawl_config *cfg;
	struct crawl_stats *st;
	char *ua;
	char *archive;
	char *tmpdir;
	char *state_path;

	struct frontier *fr;
	struct catalog *cat;
	struct crawl_scope *scope;
	struct crawl_polite pol;
	struct crawllog *log;
	struct warc_writer *w;
	char warc_name[256];        /* current file's final base name */
	char *warcinfo;
	int64_t crawl_id;
	char start_date[40];

	CURLM *multi;
	struct host *hosts;
	struct job *jobs;           /* in flight */
	int hosts_dirty;            /* refresh host list from the frontier */
	double hosts_refreshed;

	/* zstd dictionary training from the first records; until then the
	 * finished fetches wait in held (newest first) */
	int have_dict;
	struct job *held;
	size_t held_bytes, held_n;
	int config_written;
	struct buf samples;
	size_t *sample_sizes;
	struct buf dict_html[2], dict_meta, dict_req; /* dictionary content */
	char dict_ip[64];           /* the first fetch's IP address */
	int n_dict_html;
	size_t nsamples, sample_alloc;

	/* URLs already handed to capture_queue in this run (most links of a
	 * page are its menu, seen hundreds of times): "KIND URL" keys */
	struct hmap seen;
	struct crawl_links_memo *link_memo; /* resolved links, capture-queue.c */

	char current[2048];
	double t0;
	int stopping;
	int limit_hit;
};

struct outlink {
	char *url;
	int kind;                   /* CRAWL_KIND_* */
	int hops, redirs;
};

struct outlinks {
	struct outlink *v;
	size_t n, alloc;
};

/* What a finished fetch left to write: kept on the job while the first
 * records wait for the site's dictionary. */
struct capture_held {
	struct outlinks ol;
	struct catalog_extraction *ex;  /* the page's, for its catalog row */
	struct buf dec;             /* entity body, decoded */
	char digest[40];            /* payload digest, "" when unknown */
	int status;
};

struct written {
	struct warc_record_out main, req, meta;
	int has_meta;               /* revisits have no metadata record */
	enum catalog_rtype type;
	const char *outcome;
	char payload_digest[80];
};

/* capture.c: a finished fetch's outcome */
int capture_finish(struct crawl *c, struct job *j, struct err *e);
int capture_retryable(int status);

/* capture-queue.c: outlinks, the seen-set, queueing */
int capture_out_add(struct outlinks *o, const char *url, int kind, int hops,
		    int redirs);
void capture_out_release(struct outlinks *o);
int capture_queue(struct crawl *c, const char *url, int hops, int redirs,
		  const char *via, int kind, int via_in_scope, int normalised,
		  struct err *e);
void capture_seen_free(struct crawl *c);
int capture_stored_outlinks(struct crawl *c, struct job *j,
			    struct outlinks *out);
int capture_outlinks_text(const struct outlinks *ol, struct buf *out);
void capture_find_outlinks(struct crawl *c, struct job *j, int status,
			   const char *ct, const struct buf *payload,
			   struct outlinks *out, struct catalog_extraction **ex);

/* capture-dict.c: the first dictionary */
int capture_train_dict(struct crawl *c, int switch_now, struct err *e);
int capture_add_sample(struct crawl *c, struct job *j, struct err *e);

/* capture-records.c: WARC records */
int capture_write_summary(struct crawl *c, const char *status,
			  struct err *e);
int capture_register_file(struct crawl *c, struct err *e);
int capture_maybe_rotate(struct crawl *c, struct err *e);
void capture_add_outlinks(struct buf *meta, const struct outlinks *ol);
int capture_write_records(struct crawl *c, struct job *j, int status,
			  const char *digest, const struct outlinks *ol,
			  struct written *wr, struct err *e);
int capture_config_record(struct crawl *c, struct err *e);

/* capture-commit.c: catalog row, state commit, held captures */
int capture_persist(struct crawl *c, struct job *j, struct err *e);
int capture_hold(struct crawl *c, struct job *j, struct err *e);
int capture_flush_held(struct crawl *c, struct err *e);
int capture_flush_end(struct crawl *c, struct err *e);
void capture_job_release(struct job *j);
void crawl_job_free(struct crawl *c, struct job *j);
struct host *crawl_host_get(struct crawl *c, const char *name);
void crawl_host_after(struct crawl *c, struct host *h, double resp_secs);
double crawl_epoch(void);

/* mend.c */
int crawl_mend(struct crawl *c, struct err *e);

#endif
