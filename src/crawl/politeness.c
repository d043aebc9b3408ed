/* politeness: the delay and backoff rules (see politeness.h). */
#include "crawl/politeness.h"

#include <ctype.h>
#include <stdlib.h>

#include "util/timeutil.h"

double crawl_polite_delay(const struct crawl_polite *p, double resp_secs,
			  double crawl_delay)
{
	double w = p->min_delay;

	if (resp_secs > 0 && p->factor * resp_secs > w)
		w = p->factor * resp_secs;
	if (w > p->max_delay)
		w = p->max_delay > p->min_delay ? p->max_delay : p->min_delay;
	if (crawl_delay > 0) {
		double cd = crawl_delay < p->max_crawl_delay ? crawl_delay
							     : p->max_crawl_delay;
		if (cd > w)
			w = cd;
	}
	return w;
}

double crawl_polite_backoff(const struct crawl_polite *p, int n,
			    double retry_after)
{
	double w = p->min_delay > 1.0 ? p->min_delay : 1.0;
	double cap = p->max_backoff > 0 ? p->max_backoff : 300.0;
	int i;

	for (i = 1; i < n && w < cap; i++)
		w *= 2;
	if (w > cap)
		w = cap;
	if (retry_after >= 0 && retry_after > w)
		w = retry_after;
	return w;
}

double crawl_parse_retry_after(const char *value, time_t now)
{
	const char *s = value;
	char *end;
	double v;
	time_t t;

	if (!s)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (isdigit((unsigned char)*s)) {
		v = strtod(s, &end);
		while (isspace((unsigned char)*end))
			end++;
		return *end ? -1 : v;
	}
	if (time_parse_http_date(s, &t) < 0)
		return -1;
	return t > now ? (double)(t - now) : 0;
}
