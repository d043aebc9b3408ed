/* lock: flock-based archive lock (see lock.h). */
#include "crawl/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int crawl_lock_take(const char *archive, int *fd, pid_t *holder,
		    struct err *e)
{
	char path[4096], pidbuf[32];
	ssize_t n;
	int f;

	*fd = -1;
	*holder = 0;
	snprintf(path, sizeof(path), "%s/lock", archive);
	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (f < 0)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (flock(f, LOCK_EX | LOCK_NB) < 0) {
		int saved = errno;

		if (saved == EWOULDBLOCK) {
			n = pread(f, pidbuf, sizeof(pidbuf) - 1, 0);
			if (n > 0) {
				pidbuf[n] = 0;
				*holder = (pid_t)atol(pidbuf);
			}
			close(f);
			return 1;
		}
		close(f);
		return err_set(e, "%s: flock: %s", path, strerror(saved));
	}
	n = snprintf(pidbuf, sizeof(pidbuf), "%ld\n", (long)getpid());
	if (ftruncate(f, 0) < 0 || pwrite(f, pidbuf, (size_t)n, 0) != n) {
		close(f);
		return err_set(e, "%s: write: %s", path, strerror(errno));
	}
	*fd = f;
	return 0;
}

void crawl_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}
