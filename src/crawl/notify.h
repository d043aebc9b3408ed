/* notify: tell someone what a crawl changed.
 *
 * After a crawl, when the config has notify (a URL) or notify-command (a
 * shell command), the change report from the crawl before it (the latest
 * complete or partial one) to this one is made as `govarch changes
 * --format json` makes it; when it lists any change it is POSTed to the
 * URL (Content-Type: application/json, the configured User-Agent,
 * notify-timeout seconds per attempt, one retry; a 2xx answer is success)
 * and fed to the command's standard input (/bin/sh -c COMMAND, killed
 * after notify-timeout; exit 0 is success).  Each outcome is a line in the
 * crawl's log: "notify" or "notify-failed:WHY", with the URL or
 * "command:" as its target.
 */
#ifndef GOVARCH_CRAWL_NOTIFY_H
#define GOVARCH_CRAWL_NOTIFY_H

#include <stdint.h>

#include "crawl/config.h"
#include "util/err.h"

/* Notify about crawl id of archive.  Returns the number of changes
 * reported (0: nothing to say, or nothing configured), or -1 with e naming
 * the first notification that failed (the others were still tried). */
long crawl_notify(const char *archive, const struct crawl_config *cfg,
		  int64_t crawl_id, struct err *e);

#endif
