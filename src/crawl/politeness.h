/* politeness: how long to leave a host alone (README "Crawling politely").
 *
 * Pure functions, so the rules are unit-tested without a network:
 *   delay    = max(min_delay, factor * last response time), capped at
 *              max_delay (never below min_delay), then raised to the
 *              robots.txt Crawl-delay (itself capped at max_crawl_delay).
 *   backoff  after the nth consecutive 429/503/failure of a host:
 *              max(Retry-After, min_delay * 2^(n-1), 1 s), capped at
 *              max_backoff unless Retry-After asks for more.
 */
#ifndef GOVARCH_CRAWL_POLITENESS_H
#define GOVARCH_CRAWL_POLITENESS_H

#include <time.h>

struct crawl_polite {
	double min_delay;       /* configured minimum (2 s default, 0 allowed) */
	double factor;          /* times the last response time (5) */
	double max_delay;       /* cap (30 s) */
	double max_crawl_delay; /* largest Crawl-delay honoured (300 s) */
	double max_backoff;     /* cap of exponential backoff (max_delay * 10) */
};

/* Seconds to wait after a response that took resp_secs, given the host's
 * robots Crawl-delay (< 0 when none). */
double crawl_polite_delay(const struct crawl_polite *p, double resp_secs,
			  double crawl_delay);

/* Seconds to wait before the next request to a host after its nth (1, 2,
 * ...) consecutive refusal or failure; retry_after < 0 when none was sent. */
double crawl_polite_backoff(const struct crawl_polite *p, int n,
			    double retry_after);

/* Parse a Retry-After value (delta seconds or an HTTP date, relative to
 * now).  Returns seconds (>= 0), or -1 when absent or unparsable. */
double crawl_parse_retry_after(const char *value, time_t now);

#endif
