/* robots: robots.txt per RFC 9309, as a parser, a matcher and a pure
 * policy for fetch outcomes.  No I/O: the crawler fetches, we decide.
 *
 * Group selection: a user-agent line's product token (its leading letters,
 * '_' and '-') is compared case-insensitively with ours; all groups naming
 * us are merged; failing that the '*' groups are merged; failing that there
 * are no rules.  Rules before the first user-agent line are ignored.
 * Matching: against the path and query, percent-encoding normalised on both
 * sides (unreserved escapes decoded, others upper-cased, 8-bit bytes
 * encoded); '*' matches any run, a final '$' anchors the end; the longest
 * matching pattern wins, Allow wins a tie, no match means allowed, and
 * "/robots.txt" is always allowed.  The first CRAWL_ROBOTS_MAX_BYTES are
 * parsed, the rest ignored.  Crawl-delay (for our group) and Sitemap lines
 * (anywhere) are extracted too.
 */
#ifndef GOVARCH_CRAWL_ROBOTS_H
#define GOVARCH_CRAWL_ROBOTS_H

#include <stddef.h>
#include <time.h>

#define CRAWL_ROBOTS_MAX_BYTES (500 * 1024)
#define CRAWL_ROBOTS_MAX_SITEMAPS 1000
#define CRAWL_ROBOTS_MAX_REDIRECTS 5
#define CRAWL_ROBOTS_MAX_AGE (24 * 3600)        /* cache lifetime cap, s */
#define CRAWL_ROBOTS_RETRY_UNREACHABLE 3600     /* re-fetch after, s */

struct crawl_robots;

/* Parse len bytes of robots.txt for the crawler whose User-Agent (or bare
 * product token) is agent, e.g. "govarch/0.1 (+https://...)".  Never fails
 * on bad input (garbage just yields no rules); NULL only when out of
 * memory. */
struct crawl_robots *crawl_robots_parse(const char *txt, size_t len,
					const char *agent);
/* Fixed verdicts for fetch outcomes that are not a parsed file. */
struct crawl_robots *crawl_robots_allow_all(void);
struct crawl_robots *crawl_robots_disallow_all(void);
void crawl_robots_free(struct crawl_robots *r);   /* NULL is a no-op */

/* 1 when path_query (e.g. "/a/b?x=1"; "" counts as "/") may be fetched,
 * 0 when not. */
int crawl_robots_allowed(const struct crawl_robots *r, const char *path_query);
/* The same, saying why: the deciding rule's line number and text as
 * written ("Disallow: /private/"), and its group ("User-agent: *", the
 * names of a group joined with ", ") with the line it starts on.  line is 0
 * when no rule decided (no rule matched: allowed); fixed is 1 for an
 * allow-all verdict, -1 for disallow-all (robots.txt unavailable or
 * unreachable), 0 for a parsed file. */
struct crawl_robots_why {
	int line;
	const char *text;
	const char *group;
	int group_line;
	int fixed;
};
int crawl_robots_explain(const struct crawl_robots *r, const char *path_query,
			 struct crawl_robots_why *why);
/* The same for an absolute URL (its path and query); 0 if it won't parse. */
int crawl_robots_allowed_url(const struct crawl_robots *r, const char *url);

/* Crawl-delay of the selected group in seconds, or -1 when none was given. */
double crawl_robots_crawl_delay(const struct crawl_robots *r);
/* Sitemap URLs in file order (as written; resolve with url_resolve). */
size_t crawl_robots_sitemap_count(const struct crawl_robots *r);
const char *crawl_robots_sitemap(const struct crawl_robots *r, size_t i);
/* Number of rules kept for the selected group (for tests and logs). */
size_t crawl_robots_rule_count(const struct crawl_robots *r);

/* What to do with a robots.txt fetch that ended with HTTP status (0 for a
 * network error or timeout) after `redirects` redirects already followed. */
enum crawl_robots_action {
	CRAWL_ROBOTS_PARSE,          /* 2xx: parse the body */
	CRAWL_ROBOTS_FOLLOW,         /* 3xx: fetch the Location next */
	CRAWL_ROBOTS_ALLOW_ALL,      /* 4xx "unavailable", too many redirects */
	CRAWL_ROBOTS_DISALLOW_ALL,   /* 5xx, 429, network error: "unreachable" */
};
/* 3xx: FOLLOW while redirects < CRAWL_ROBOTS_MAX_REDIRECTS, then ALLOW_ALL
 * (RFC 9309 2.3.1.2).  429 is treated as unreachable (as Google does): a
 * site asking us to slow down is not inviting us everywhere.  1xx and other
 * odd codes count as unreachable. */
enum crawl_robots_action crawl_robots_policy(int status, int redirects);
const char *crawl_robots_action_name(enum crawl_robots_action a);

/* Seconds to keep a verdict: the server's max-age (pass -1 when it gave
 * none) capped at CRAWL_ROBOTS_MAX_AGE, and for DISALLOW_ALL at most
 * CRAWL_ROBOTS_RETRY_UNREACHABLE so a recovering server is asked again. */
long crawl_robots_ttl(enum crawl_robots_action a, long max_age);

#endif
