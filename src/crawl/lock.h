/* lock: one crawl per archive (flock on ARCHIVE/lock, which holds the pid).
 *
 * The lock is an flock(2) lock, so it goes away with the process however
 * it ends (kill -9 included); the pid in the file only names the holder. */
#ifndef GOVARCH_CRAWL_LOCK_H
#define GOVARCH_CRAWL_LOCK_H

#include <sys/types.h>

#include "util/err.h"

/* Take the lock without waiting.  Returns 0 and the open fd in *fd (keep it
 * open while crawling), 1 when another process holds it (its pid in
 * *holder, 0 if unknown), -1 on error. */
int crawl_lock_take(const char *archive, int *fd, pid_t *holder,
		    struct err *e);
/* Release (close) the lock; fd < 0 is a no-op. */
void crawl_lock_release(int fd);

#endif
