/* err: the error buffer library code fills instead of printing.
 *
 * Library functions return a negative value and describe the problem in one
 * line (naming the file, URL or offset) with err_set; only cmd-*.c prints it.
 */
#ifndef GOVARCH_ERR_H
#define GOVARCH_ERR_H

struct err {
	char msg[1024];
};

/* Fill e (if not NULL) and return -1, so callers can `return err_set(...)`. */
int err_set(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefix an existing message: "prefix: old message". Returns -1. */
int err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
