/* scope: which discovered URLs the crawl fetches, and the trap defences,
 * as one decision per URL.  URLs given here are expected normalised
 * (url_resolve); the verdict names its reason for the crawl log.
 *
 * A URL is in scope when its host is one of cfg.hosts (or any host when
 * none are given) and it starts with one of cfg.prefixes (or any when none).
 * A requisite (CSS, JS, image, font...) is also accepted from any host when
 * the page that embeds it was itself in scope: one hop out, no further.
 * Every URL, in scope or not, must also pass the excludes and trap rules.
 */
#ifndef GOVARCH_CRAWL_SCOPE_H
#define GOVARCH_CRAWL_SCOPE_H

#include <stddef.h>

#include "util/err.h"

/* Heritrix 3's defaults. */
#define CRAWL_SCOPE_MAX_HOPS 20
#define CRAWL_SCOPE_MAX_PATH_DEPTH 20
#define CRAWL_SCOPE_MAX_REPEATS 2
#define CRAWL_SCOPE_MAX_URL_LEN 2083
#define CRAWL_SCOPE_MAX_QUERY_VARIANTS 100

struct crawl_scope_config {
	/* "www.dpmc.govt.nz", "127.0.0.1:8000" (host:port must match both),
	 * "*.dpmc.govt.nz" (the domain and its subdomains); case-insensitive */
	const char *const *hosts;
	size_t nhosts;
	/* "/news/" (matched against path and query) or a URL prefix
	 * "http://127.0.0.1:8000/news/" (matched against the whole URL) */
	const char *const *prefixes;
	size_t nprefixes;
	/* POSIX extended regular expressions matched against the whole URL */
	const char *const *excludes;
	size_t nexcludes;
	int max_hops;            /* links from a seed; 0: no limit */
	int max_path_depth;      /* '/' in the path; 0: no limit */
	int max_repeats;         /* a run of path segments may occur this
				    many times in a row; 0: no limit */
	size_t max_url_len;      /* 0: no limit */
	unsigned max_query_variants; /* URLs per host+path that differ only
				    in their query; 0: no limit */
};

/* The config filled with the defaults above and no hosts, prefixes or
 * excludes. */
void crawl_scope_config_init(struct crawl_scope_config *c);

enum crawl_scope_verdict {
	CRAWL_SCOPE_ACCEPT = 0,
	CRAWL_SCOPE_BAD_URL,         /* "bad-url": not an http(s) URL */
	CRAWL_SCOPE_TOO_LONG,        /* "too-long" */
	CRAWL_SCOPE_OUT_OF_SCOPE,    /* "out-of-scope" */
	CRAWL_SCOPE_EXCLUDED,        /* "excluded" */
	CRAWL_SCOPE_TOO_DEEP,        /* "too-deep": hops */
	CRAWL_SCOPE_PATH_TOO_DEEP,   /* "path-too-deep" */
	CRAWL_SCOPE_PATH_REPETITION, /* "path-repetition" */
	CRAWL_SCOPE_QUERY_VARIANTS,  /* "query-variants" */
};

struct crawl_scope;

/* Copy the config and compile its regexes.  NULL with e naming the bad
 * expression (or saying out of memory). */
struct crawl_scope *crawl_scope_new(const struct crawl_scope_config *c,
				    struct err *e);
void crawl_scope_free(struct crawl_scope *s);    /* NULL is a no-op */

/* Decide on url, found `hops` links from a seed (seeds: 0).  requisite:
 * the URL is embedded (not linked) by a page; via_in_scope: that page was
 * itself in scope.  Requisites get one hop more than pages, so the last
 * pages still render.  Pure: reads the query-variant counter, never
 * changes it: check a new URL first, then crawl_scope_count it when
 * queued; a URL with a query is refused once max_query_variants others of
 * its host+path were counted. */
enum crawl_scope_verdict crawl_scope_check(const struct crawl_scope *s,
					   const char *url, int hops,
					   int requisite, int via_in_scope);
/* The same, saying which rules decided: the index of the scope host and
 * prefix that matched (-1 when none matched or none are configured), of
 * the exclude pattern that matched (-1: none), and whether the URL is in
 * the host/prefix scope at all. */
struct crawl_scope_why {
	int host, prefix, exclude;
	int in_scope;
};
enum crawl_scope_verdict crawl_scope_explain(const struct crawl_scope *s,
					     const char *url, int hops,
					     int requisite, int via_in_scope,
					     struct crawl_scope_why *why);
/* Only the host/prefix part of the decision: 1 in scope, 0 not. */
int crawl_scope_in_scope(const struct crawl_scope *s, const char *url);

/* Count url in the query-variant counter: call it once for each URL newly
 * queued (and again for the queued URLs when resuming).  URLs without a
 * query are not counted.  Returns the count for its host+path after
 * counting, or -1 when out of memory. */
long crawl_scope_count(struct crawl_scope *s, const char *url);

/* Short name of a verdict, "accept" for CRAWL_SCOPE_ACCEPT. */
const char *crawl_scope_reason_name(enum crawl_scope_verdict v);

/* The trap rules on their own, for tests and other callers. */
int crawl_scope_path_depth(const char *path);            /* '/' count */
/* 1 when a run of segments ("a/" or "a/b/") occurs more than max_repeats
 * times in a row in path, as Heritrix's .*?/(.*?/)\1{2,}.* for 2. */
int crawl_scope_path_repeats(const char *path, int max_repeats);

#endif
