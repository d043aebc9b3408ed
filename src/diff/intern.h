/* intern: map byte strings to small dense ids (0, 1, 2...), so sequences of
 * strings can be diffed as integers and sets of strings kept without
 * quadratic scans.  The table borrows the strings: keep them alive. */
#ifndef GOVARCH_DIFF_INTERN_H
#define GOVARCH_DIFF_INTERN_H

#include <stddef.h>

#include "util/hashmap.h"

struct diff_intern {
	struct hmap map;        /* borrowed key -> id */
};

int diff_intern_init(struct diff_intern *t, size_t expected);  /* 0 / -1 */
void diff_intern_release(struct diff_intern *t);
/* Id of s[0..n), a new one when unseen (*fresh = 1).  -1 on no memory. */
long diff_intern_id(struct diff_intern *t, const char *s, size_t n,
		    int *fresh);
/* Id of s[0..n) if seen, else -1; never adds. */
long diff_intern_find(const struct diff_intern *t, const char *s, size_t n);

#endif
