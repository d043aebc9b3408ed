/* hashmap: byte-string keys to a pointer or an integer, open addressing with
 * linear probing, FNV-1a hashes.  The one hash table of the code base.
 *
 * Keys are either borrowed (the caller keeps them alive and unchanged) or,
 * with HMAP_COPY_KEYS, copied into memory the map owns.  A map given a
 * max_entries refuses new keys past it (HMAP_FULL), so a table filled from
 * what a server sends stays bounded.  Entries are never removed; pointers to
 * entries stay valid only until the next hmap_put.  Iteration order is the
 * table's, not insertion order: callers that need an order sort, or number
 * their entries (num = hmap_count() - 1 when added).
 */
#ifndef GOVARCH_HASHMAP_H
#define GOVARCH_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_COPY_KEYS 1u   /* the map owns copies of its keys */
#define HMAP_FULL      (-2) /* hmap_put: max_entries reached */

struct hmap_entry {
	const char *key;        /* NULL: empty slot; NUL-terminated if copied */
	size_t len;
	uint64_t hash;
	union {
		void *ptr;
		uint64_t num;
	};                      /* zero when added */
};

struct hmap {
	struct hmap_entry *slots;
	size_t nslots;          /* 0 or a power of two */
	size_t count;
	size_t max_entries;     /* 0: no limit */
	unsigned flags;
};

#define HMAP_INIT(flags_, max_) { NULL, 0, 0, (max_), (flags_) }

void hmap_init(struct hmap *m, unsigned flags, size_t max_entries);
/* Frees the table and copied keys (not what ptr values point at). */
void hmap_release(struct hmap *m);
/* Room for n entries without growing.  0, or -1 on no memory. */
int hmap_reserve(struct hmap *m, size_t n);
/* The entry for key[0..len), added (value zero) if absent.  Returns 1 added,
 * 0 already there, -1 no memory, HMAP_FULL at max_entries; *ent is set
 * when the result is 0 or 1. */
int hmap_put(struct hmap *m, const void *key, size_t len,
	     struct hmap_entry **ent);
/* The entry for key[0..len), or NULL. */
struct hmap_entry *hmap_get(const struct hmap *m, const void *key, size_t len);
static inline size_t hmap_count(const struct hmap *m) { return m->count; }
/* Iteration: start with *pos = 0; returns the next entry or NULL at the end.
 * Do not add entries while iterating. */
struct hmap_entry *hmap_next(const struct hmap *m, size_t *pos);

/* 64-bit FNV-1a of p[0..n), continuing from h (start at HMAP_HASH_BASIS),
 * so several pieces hash as one.  The basis is the seed govarch has always
 * used, not FNV's published 14695981039346656037: the order of the lines in
 * a site-wide change's summary follows these hashes. */
#define HMAP_HASH_BASIS 1469598103934665603ull
uint64_t hmap_hash_more(uint64_t h, const void *p, size_t n);
/* FNV-1a of p[0..n) with its high bits folded into the low ones (the table
 * indexes by the low bits); what the map uses. */
uint64_t hmap_hash(const void *p, size_t n);

#endif
