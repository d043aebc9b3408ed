/* fpset: a set of 64-bit fingerprints (a key's hmap_hash_more), 16 to 32
 * bytes a member however long the keys are.  For sets too large to keep
 * their keys, such as every URL a crawl has seen: two different keys with
 * the same fingerprint count as one, which for n keys happens with odds of
 * about n^2 / 2^65 (one in 36 million for a million keys). */
#ifndef GOVARCH_FPSET_H
#define GOVARCH_FPSET_H

#include <stddef.h>
#include <stdint.h>

struct fpset {
	uint64_t *slots;        /* 0: empty */
	size_t nslots;          /* 0 or a power of two */
	size_t count;
};

void fpset_init(struct fpset *s);
void fpset_release(struct fpset *s);
/* Add fingerprint fp: 1 added, 0 already there, -1 no memory. */
int fpset_add(struct fpset *s, uint64_t fp);
static inline size_t fpset_count(const struct fpset *s) { return s->count; }

#endif
