/* crawllog: ARCHIVE/logs/crawl-<id>.log, one line per fetch or refusal,
 * like Heritrix's crawl.log:
 *
 *   2026-11-28T13:00:00.123Z  200  53211  https://.../  0.084s  ok
 *   TIME STATUS SIZE URL DURATION OUTCOME [VIA]
 *
 * STATUS is the HTTP status, or "-" when nothing was fetched; SIZE the bytes
 * received (headers and body); OUTCOME one of ok, revisit, not-modified,
 * truncated(length|time), robots, out-of-scope(REASON), retry(N),
 * error:WHAT, failed:WHAT.  Appended and flushed per line, so a resumed
 * crawl keeps one log. */
#ifndef GOVARCH_CRAWL_CRAWLLOG_H
#define GOVARCH_CRAWL_CRAWLLOG_H

#include <stdio.h>

#include "util/err.h"

struct crawllog;

struct crawllog *crawllog_open(const char *archive, const char *crawl_id,
			       struct err *e);
void crawllog_line(struct crawllog *l, int status, long long size,
		   const char *url, double secs, const char *outcome,
		   const char *via);
const char *crawllog_path(const struct crawllog *l);
void crawllog_close(struct crawllog *l);

#endif
