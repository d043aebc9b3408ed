#include "util/fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

int fd_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

long fd_read_all(int fd, void *p, size_t n)
{
	char *s = p;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, s + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

int fd_replace_file(const char *path, const void *data, size_t n, int sync,
		    struct err *e)
{
	struct buf tmp = BUF_INIT(0);
	int fd, rc = -1;

	if (buf_addf(&tmp, "%s.tmp", path) < 0)
		return err_set(e, "%s: out of memory", path);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		err_set(e, "%s: %s", tmp.data, strerror(errno));
		goto out;
	}
	if (fd_write_all(fd, data, n) < 0 || (sync && fsync(fd) < 0)) {
		err_set(e, "%s: %s", tmp.data,
			errno ? strerror(errno) : "write failed");
		close(fd);
		unlink(tmp.data);
		goto out;
	}
	if (close(fd) < 0) {
		err_set(e, "%s: %s", tmp.data, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	if (rename(tmp.data, path) < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
out:
	buf_release(&tmp);
	return rc;
}
