/* queue: normalise, dedupe, check scope, add to the frontier. */
#include "crawl/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hashmap.h"
#include "util/url.h"

#define MAX_REDIRECTS 10        /* a longer chain is refused */
#define OUTCOME_MAX 96          /* "out-of-scope(REASON)" */

void crawl_queue_init(struct crawl_queue *q, const struct crawl_config *cfg,
		      struct frontier *fr, struct crawl_scope *scope,
		      struct crawllog *log, struct crawl_stats *st)
{
	memset(q, 0, sizeof(*q));
	q->cfg = cfg;
	q->fr = fr;
	q->scope = scope;
	q->log = log;
	q->st = st;
	fpset_init(&q->seen);
}

void crawl_queue_release(struct crawl_queue *q)
{
	fpset_release(&q->seen);
}

/* scheme://host[:port] of a URL, malloc'd, or NULL. */
static char *host_key(const char *url)
{
	const char *sep = strstr(url, "://");
	char *hp = url_hostport(url), *k = NULL;

	if (sep && hp && asprintf(&k, "%.*s://%s", (int)(sep - url), url,
				  hp) < 0)
		k = NULL;
	free(hp);
	return k;
}

/* 1 when url was seen before in this run, else remember it and 0.  A
 * requisite seen first as a page link is not "seen" as a requisite: the
 * key carries the kind. */
static int seen_check(struct crawl_queue *q, const char *url, int kind)
{
	unsigned char k = (unsigned char)kind;
	uint64_t fp = hmap_hash_more(HMAP_HASH_BASIS, &k, 1);

	return fpset_add(&q->seen, hmap_hash_more(fp, url, strlen(url))) == 0;
}

int crawl_queue_add(struct crawl_queue *q, const char *url, int hops,
		    int redirs, const char *via, int kind, int via_in_scope,
		    int normalised, struct err *e)
{
	enum crawl_scope_verdict v;
	const char *reason = NULL;
	char *norm = NULL, *host = NULL, *qmark, outcome[OUTCOME_MAX];
	int requisite = kind == CRAWL_KIND_REQUISITE || kind == CRAWL_KIND_OFFSITE;
	int rc = 0, status = URL_PENDING;

	if (kind != CRAWL_KIND_SITEMAP && seen_check(q, url, kind))
		return 0;
	if (normalised)
		norm = strdup(url);
	else if (url_normalize(url, (size_t)q->cfg->max_url_length * 4, &norm,
			       NULL) < 0)
		norm = NULL;
	if (!norm || !(host = host_key(norm))) {
		crawllog_line(q->log, NULL, 0, 0, url, 0, "out-of-scope(bad-url)",
			      via);
		goto out;
	}
	if (frontier_is_done(q->fr, norm))
		goto out;
	v = crawl_scope_check(q->scope, norm, hops, requisite, via_in_scope);
	if (v != CRAWL_SCOPE_ACCEPT) {
		reason = crawl_scope_reason_name(v);
	} else if (redirs > MAX_REDIRECTS) {
		reason = "too-many-redirects";
	} else if (kind != CRAWL_KIND_SITEMAP && q->cfg->max_query_variants > 0 &&
		   (qmark = strchr(norm, '?'))) {
		char *pk = strndup(norm, (size_t)(qmark - norm));

		if (pk && frontier_query_variants(q->fr, pk,
						  q->cfg->max_query_variants) >=
			  q->cfg->max_query_variants)
			reason = "query-variants";
		free(pk);
	}
	if (!reason && requisite && !crawl_scope_in_scope(q->scope, norm))
		kind = CRAWL_KIND_OFFSITE;
	if (reason) {
		status = URL_SKIPPED;
		snprintf(outcome, sizeof(outcome), "out-of-scope(%s)", reason);
	}
	rc = frontier_add(q->fr, norm, host, hops, redirs, via, kind, status,
			  reason ? outcome : NULL, e);
	if (rc > 0 && reason) {
		crawllog_line(q->log, NULL, 0, 0, norm, 0, outcome, via);
		q->st->skipped++;
	} else if (rc > 0) {
		q->added = 1;
	}
out:
	free(norm);
	free(host);
	return rc < 0 ? -1 : 0;
}

int crawl_queue_outlinks(struct crawl_queue *q, const struct outlinks *ol,
			 const char *via, int via_in_scope, struct err *e)
{
	size_t i;

	for (i = 0; i < ol->n; i++)
		if (crawl_queue_add(q, ol->v[i].url, ol->v[i].hops,
				    ol->v[i].redirs, via, ol->v[i].kind,
				    via_in_scope, ol->v[i].redirs == 0, e) < 0)
			return -1;
	return 0;
}

int crawl_queue_take_added(struct crawl_queue *q)
{
	int added = q->added;

	q->added = 0;
	return added;
}
