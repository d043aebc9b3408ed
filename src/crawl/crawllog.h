/* crawllog: ARCHIVE/logs/crawl-<id>.log, one line per fetch or refusal,
 * like Heritrix's crawl.log:
 *
 *   2026-11-28T13:00:00.123456Z  200  53211  https://.../  84ms  ok
 *   START STATUS SIZE URL DURATION OUTCOME [VIA]
 *
 * START is when the fetch started and DURATION how long it took (to its
 * last byte), so the log shows the crawl's politeness; a line is written
 * when the fetch is committed, later for the first fetches of a site (held
 * until its dictionary is trained), so lines need not be in START order.
 * A URL refused without a fetch has the time it was refused and DURATION
 * "-".  STATUS is the HTTP status, or "-" when nothing was fetched; SIZE
 * the bytes received (headers and body); OUTCOME one of ok, revisit,
 * not-modified, truncated(length|time), robots, out-of-scope(REASON),
 * retry(N), error:WHAT, failed:WHAT (WHAT one word), with +decoded-cut
 * added when Content-Encoding decoded past max-decoded-bytes (or a gzipped
 * sitemap past 50 MiB): links from the part within; after the crawl,
 * notify or notify-failed:WHY (notify.h).  Appended and flushed per line,
 * so a resumed crawl keeps one log.  A finished crawl's log is compressed
 * to crawl-<id>.log.zst (read with zstdcat/zstdless) as the crawl ends
 * (crawllog_compress, after its compaction and notification); opening a
 * crawl's log compresses any earlier crawl's log left plain (an
 * interrupted crawl's, or one whose compression failed).  Best effort: a
 * log that cannot be compressed stays as it is. */
#ifndef GOVARCH_CRAWL_CRAWLLOG_H
#define GOVARCH_CRAWL_CRAWLLOG_H

#include <stdio.h>
#include <time.h>

#include "util/err.h"

struct crawllog;

struct crawllog *crawllog_open(const char *archive, const char *crawl_id,
			       struct err *e);
/* One line.  start: when the fetch began (WARC-Date), secs: how long it
 * took; start NULL for a URL refused without a fetch. */
void crawllog_line(struct crawllog *l, const struct timespec *start,
		   int status, long long size, const char *url, double secs,
		   const char *outcome, const char *via);
const char *crawllog_path(const struct crawllog *l);
void crawllog_close(struct crawllog *l);
/* A finished crawl's log (crawllog_path's) -> PATH.zst, best effort (a
 * failure leaves the plain log, which the next crawl compresses). */
void crawllog_compress(const char *path);

#endif
