/* fdio: writing to a file descriptor in full. */
#ifndef GOVARCH_FDIO_H
#define GOVARCH_FDIO_H

#include <stddef.h>

/* Write all n bytes of p to fd, going on after short writes and EINTR.
 * 0, or -1 with errno set (0 when write returned 0). */
int fd_write_all(int fd, const void *p, size_t n);

#endif
