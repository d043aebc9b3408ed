/* hashmap: open addressing, linear probing, at most half full. */
#include <stdlib.h>
#include <string.h>

#include "util/hashmap.h"

#define HMAP_MIN_SLOTS 16

uint64_t hmap_hash_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 1099511628211ull;
	return h;
}

uint64_t hmap_hash(const void *p, size_t n)
{
	uint64_t h = hmap_hash_more(HMAP_HASH_BASIS, p, n);

	return h ^ (h >> 29);
}

void hmap_init(struct hmap *m, unsigned flags, size_t max_entries)
{
	struct hmap z = HMAP_INIT(flags, max_entries);

	*m = z;
}

void hmap_release(struct hmap *m)
{
	size_t i;

	if (m->flags & HMAP_COPY_KEYS)
		for (i = 0; i < m->nslots; i++)
			free((char *)m->slots[i].key);
	free(m->slots);
	hmap_init(m, m->flags, m->max_entries);
}

/* The slot holding key, or the empty slot it would take. */
static struct hmap_entry *find(const struct hmap *m, uint64_t h,
			       const void *key, size_t len)
{
	size_t mask = m->nslots - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		struct hmap_entry *x = &m->slots[i];

		if (!x->key || (x->hash == h && x->len == len &&
				!memcmp(x->key, key, len)))
			return x;
	}
}

static int resize(struct hmap *m, size_t nslots)
{
	struct hmap old = *m;
	size_t i;

	m->slots = calloc(nslots, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old.slots;
		return -1;
	}
	m->nslots = nslots;
	for (i = 0; i < old.nslots; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].hash, old.slots[i].key,
			      old.slots[i].len) = old.slots[i];
	free(old.slots);
	return 0;
}

int hmap_reserve(struct hmap *m, size_t n)
{
	size_t want = m->nslots ? m->nslots : HMAP_MIN_SLOTS;

	while (want < n * 2 + 2) {
		if (want > SIZE_MAX / 4 / sizeof(*m->slots))
			return -1;
		want <<= 1;
	}
	return want == m->nslots ? 0 : resize(m, want);
}

int hmap_put(struct hmap *m, const void *key, size_t len,
	     struct hmap_entry **ent)
{
	uint64_t h = hmap_hash(key, len);
	struct hmap_entry *x;
	char *copy;

	if (!key)
		key = "";       /* an empty slot is one whose key is NULL */
	if (m->nslots) {
		x = find(m, h, key, len);
		if (x->key) {
			*ent = x;
			return 0;
		}
	}
	if (m->max_entries && m->count >= m->max_entries)
		return HMAP_FULL;
	if ((m->count + 1) * 2 > m->nslots && hmap_reserve(m, m->count + 1) < 0)
		return -1;
	x = find(m, h, key, len);
	if (m->flags & HMAP_COPY_KEYS) {
		if (!(copy = malloc(len + 1)))
			return -1;
		memcpy(copy, key, len);
		copy[len] = '\0';
		key = copy;
	}
	memset(x, 0, sizeof(*x));
	x->key = key;
	x->len = len;
	x->hash = h;
	m->count++;
	*ent = x;
	return 1;
}

struct hmap_entry *hmap_get(const struct hmap *m, const void *key, size_t len)
{
	struct hmap_entry *x;

	if (!m->nslots)
		return NULL;
	x = find(m, hmap_hash(key, len), key, len);
	return x->key ? x : NULL;
}

struct hmap_entry *hmap_next(const struct hmap *m, size_t *pos)
{
	while (*pos < m->nslots) {
		struct hmap_entry *x = &m->slots[(*pos)++];

		if (x->key)
			return x;
	}
	return NULL;
}
