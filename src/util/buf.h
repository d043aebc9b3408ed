/* buf: a growable byte buffer with a size cap (curl's dynbuf, git's strbuf).
 *
 * data is never NULL and always NUL-terminated; ownership leaves only through
 * buf_detach.  Every add fails (returns -1, leaves the buffer as it was) when
 * it would grow past the cap set at init, so hostile input gets an error
 * instead of unbounded memory.  Cap 0 means "no cap" (use only for data we
 * produce ourselves).
 */
#ifndef GOVARCH_BUF_H
#define GOVARCH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;     /* allocated bytes, 0 while data points at the empty slot */
	size_t max;     /* largest len allowed, 0 for no limit */
};

#define BUF_INIT(max_) { buf_empty_slot, 0, 0, (max_) }
extern char buf_empty_slot[1];

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);            /* frees, back to empty */
void buf_reset(struct buf *b);              /* len 0, keeps memory */
int buf_grow(struct buf *b, size_t extra);  /* room for extra more bytes */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
/* A decimal integer (what "%lld" gives, without vsnprintf's cost: lists
 * of thousands of ids). */
int buf_addi(struct buf *b, long long v);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
void buf_setlen(struct buf *b, size_t len); /* len <= current len */
/* Hand the bytes to the caller (malloc'd, NUL-terminated); b is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
