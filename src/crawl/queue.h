/* queue: the frontier's front door.  Every URL the crawl finds (seeds,
 * sitemaps, links, Locations, pages known from earlier crawls) goes through
 * crawl_queue_add: normalised, checked against the run's seen-set, the
 * scope and trap rules and the query-variant limit, then added to the
 * frontier as pending, or as skipped with the reason in the crawl log.
 * The queue owns the seen-set; it borrows the rest. */
#ifndef GOVARCH_CRAWL_QUEUE_H
#define GOVARCH_CRAWL_QUEUE_H

#include "crawl/config.h"
#include "crawl/crawl.h"
#include "crawl/crawllog.h"
#include "crawl/frontier.h"
#include "crawl/outlinks.h"
#include "crawl/scope.h"
#include "util/fpset.h"

struct crawl_queue {
	const struct crawl_config *cfg;
	struct frontier *fr;
	struct crawl_scope *scope;
	struct crawllog *log;
	struct crawl_stats *st;     /* skipped++ */
	/* URLs already handed to the queue in this run (most links of a page
	 * are its menu, seen hundreds of times): fingerprints of kind and URL,
	 * so a URL costs 16 to 32 bytes however many the site has */
	struct fpset seen;
	int added;                  /* pending URLs added since last taken */
};

void crawl_queue_init(struct crawl_queue *q, const struct crawl_config *cfg,
		      struct frontier *fr, struct crawl_scope *scope,
		      struct crawllog *log, struct crawl_stats *st);
void crawl_queue_release(struct crawl_queue *q);
/* Queue url (kind CRAWL_KIND_*), found hops links and redirs redirects from
 * a seed, on page via ("" for none); via_in_scope lets a requisite of an
 * in-scope page be fetched off scope; normalised: url is already
 * url_normalize'd.  A URL already seen (sitemaps excepted) or done is
 * dropped.  0, or -1 with e set when the frontier fails. */
int crawl_queue_add(struct crawl_queue *q, const char *url, int hops,
		    int redirs, const char *via, int kind, int via_in_scope,
		    int normalised, struct err *e);
/* crawl_queue_add for each outlink of the capture of via. */
int crawl_queue_outlinks(struct crawl_queue *q, const struct outlinks *ol,
			 const char *via, int via_in_scope, struct err *e);
/* 1 when pending URLs were added since the last call (the scheduler then
 * looks for new hosts), else 0. */
int crawl_queue_take_added(struct crawl_queue *q);

#endif
