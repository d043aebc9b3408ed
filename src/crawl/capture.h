/* capture: the pipeline a finished fetch goes through: its outcome (a
 * failed attempt is retried or given up; a robots.txt fetch becomes its
 * host's verdict), its payload digest and outlinks, then WARC records, a
 * catalog row and one state transaction, in that order (frontier.h says
 * why).  While the site's first dictionary is trained (trainer.h) the
 * captures are held, their outlinks queued at once.  The pipeline owns the
 * WARC writer, the trainer and the link finder (capture-links.c); the
 * records are written by capture-records.c.  It tells the scheduler
 * (sched.h) how each host answered and queues outlinks (queue.h). */
#ifndef GOVARCH_CRAWL_CAPTURE_H
#define GOVARCH_CRAWL_CAPTURE_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "crawl/crawl.h"
#include "crawl/crawllog.h"
#include "crawl/frontier.h"
#include "crawl/links.h"
#include "crawl/outlinks.h"
#include "crawl/queue.h"
#include "crawl/sched.h"
#include "crawl/scope.h"
#include "crawl/trainer.h"
#include "warc/warc.h"

#define CAPTURE_PATH_MAX 4096
#define CAPTURE_CONTENT_TYPE_MAX 512
#define CAPTURE_WARC_NAME_MAX 256

/* Finds what a capture points at (parsing each HTML page once); keeps the
 * memo of resolved links. */
struct capture_links {
	struct catalog *cat;
	struct crawl_stats *st;     /* html_pages, html_parses */
	struct crawl_links_memo *memo;
};

struct crawl_capture {
	const struct crawl_opts *o;
	const struct crawl_config *cfg;
	struct crawl_stats *st;
	struct frontier *fr;
	struct catalog *cat;
	struct crawl_scope *scope;
	struct crawllog *log;
	struct crawl_sched *sched;
	struct crawl_queue *q;
	int64_t crawl_id;

	struct crawl_trainer trainer;
	struct capture_links links;
	struct warc_writer *w;
	char warc_name[CAPTURE_WARC_NAME_MAX]; /* current file's final name */
	char *warcinfo;
	int config_written;
};

/* Borrow the crawl's parts (all must outlive p); nothing is opened yet. */
void capture_init(struct crawl_capture *p, const struct crawl_opts *o,
		  struct crawl_stats *st, struct frontier *fr,
		  struct catalog *cat, struct crawl_scope *scope,
		  struct crawllog *log, struct crawl_sched *sched,
		  struct crawl_queue *q, const char *tmpdir);
/* Open the crawl's WARC writer (crawl crawl_id; user agent ua for its
 * warcinfo) with the newest dictionary of the archive, if any. */
int capture_open(struct crawl_capture *p, int64_t crawl_id, const char *ua,
		 struct err *e);
/* A finished job (from crawl_sched_done) captured.  Returns 1 when the job
 * is held (the pipeline frees it later), 0 when done with it (the caller
 * frees it), -1 with e set. */
int capture_finish(struct crawl_capture *p, struct job *j, struct err *e);
/* Train with what there is, write what is held and the config record:
 * before the end of a crawl, complete or interrupted. */
int capture_end(struct crawl_capture *p, struct err *e);
/* capture_end, then the crawl's summary record, then close the WARC. */
int capture_close(struct crawl_capture *p, struct err *e);
/* Free everything; an open WARC is left as NAME.open (resume mends it). */
void capture_release(struct crawl_capture *p);

/* capture-records.c, for capture.c only: */
struct written {
	struct warc_record_out main, req, meta;
	int has_meta;               /* revisits have no metadata record */
	enum catalog_rtype type;
	const char *outcome;
	char payload_digest[80];
};

/* The current .open file's size is where committed records end: tell the
 * state (after non-fetch records and on a new file). */
int capture_register_file(struct crawl_capture *p, struct err *e);
int capture_maybe_rotate(struct crawl_capture *p, struct err *e);
/* Test hook (tests/cli/test-crawl-kill.sh): with GOVARCH_TEST_KILL_AT set
 * to PHASE:N the crawler raises SIGKILL the Nth time it reaches PHASE:
 * "hold" (a fetch held in memory until the site's dictionary exists),
 * "records" (a fetch's WARC records written, its catalog row not yet),
 * "catalog" (the row committed, the state's transaction not begun),
 * "state" (inside that transaction, before its commit) or "rotate" (a
 * WARC file closed and the next opened, the state not told yet). */
void capture_kill_point(const char *phase);
/* A fetch's records: response or revisit, request, metadata (not for a
 * revisit). */
int capture_write_records(struct crawl_capture *p, struct job *j, int status,
			  const char *digest, const struct outlinks *ol,
			  struct written *wr, struct err *e);
/* The crawl's config record, once, before the first capture. */
int capture_config_record(struct crawl_capture *p, struct err *e);
/* The crawl's summary record (from the catalog's figures). */
int capture_summary_record(struct crawl_capture *p, struct err *e);

/* capture-links.c, for capture.c only: */
void capture_links_init(struct capture_links *l, struct catalog *cat,
			struct crawl_stats *st);
void capture_links_release(struct capture_links *l);
/* Links, Location, sitemap entries of the fetch of j answered status, its
 * entity body (decoded; NULL when spooled to disk) of type ct, into out;
 * an HTML page is parsed once, and its extraction for the catalog goes to
 * *ex.  1 when a gzipped sitemap decoded past its limit (entries from
 * the part within), else 0. */
int capture_links_find(struct capture_links *l, const struct job *j,
			int status, const char *ct, const struct buf *payload,
			struct outlinks *out, struct catalog_extraction **ex);
/* A 304's or an identical-payload revisit's outlinks: those the catalog
 * stored with the original response (nothing is parsed).  1 found, 0 none
 * stored (a capture from before they were, or a rebuilt catalog). */
int capture_links_unchanged(struct capture_links *l, const struct job *j,
			    struct outlinks *out);
/* A response's outlinks as the catalog keeps them ("p URL" / "r URL"
 * lines, catalog_capture_in.outlinks): the links found in its body.  0, or
 * -1 at out's cap. */
int capture_links_text(const struct outlinks *ol, struct buf *out);

#endif
