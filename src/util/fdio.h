/* fdio: writing to and reading from a file descriptor in full. */
#ifndef GOVARCH_FDIO_H
#define GOVARCH_FDIO_H

#include <stddef.h>

#include "util/err.h"

/* Write all n bytes of p to fd, going on after short writes and EINTR.
 * 0, or -1 with errno set (0 when write returned 0). */
int fd_write_all(int fd, const void *p, size_t n);

/* Read n bytes into p, going on after short reads and EINTR: n, fewer at
 * end of file, or -1 with errno set. */
long fd_read_all(int fd, void *p, size_t n);

/* data[0..n) as the whole of path: written to PATH.tmp, then renamed over
 * it, so a reader finds the old file or the new one, never part of one;
 * with sync, on the disk before the rename.  0, or -1 with e set (one
 * line naming the file) and PATH.tmp removed. */
int fd_replace_file(const char *path, const void *data, size_t n, int sync,
		    struct err *e);

#endif
