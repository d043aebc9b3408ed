/* intern: open-addressing hash table of borrowed strings -> dense ids. */
#include <stdlib.h>
#include <string.h>

#include "diff/intern.h"

uint64_t diff_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

int diff_intern_init(struct diff_intern *t, size_t expected)
{
	size_t cap = 16;

	while (cap < expected * 2 + 2)
		cap <<= 1;
	t->tab = calloc(cap, sizeof(*t->tab));
	t->cap = t->tab ? cap : 0;
	t->count = 0;
	return t->tab ? 0 : -1;
}

void diff_intern_release(struct diff_intern *t)
{
	free(t->tab);
	t->tab = NULL;
	t->cap = t->count = 0;
}

static struct diff_intern_ent *slot(const struct diff_intern *t, uint64_t h,
				    const char *s, size_t n)
{
	size_t i = (size_t)h & (t->cap - 1);

	for (;;) {
		struct diff_intern_ent *x = &t->tab[i];

		if (!x->used)
			return x;
		if (x->hash == h && x->n == n && memcmp(x->s, s, n) == 0)
			return x;
		i = (i + 1) & (t->cap - 1);
	}
}

static int grow(struct diff_intern *t)
{
	struct diff_intern old = *t;
	size_t i;

	t->tab = calloc(old.cap * 2, sizeof(*t->tab));
	if (!t->tab) {
		*t = old;
		return -1;
	}
	t->cap = old.cap * 2;
	for (i = 0; i < old.cap; i++)
		if (old.tab[i].used)
			*slot(t, old.tab[i].hash, old.tab[i].s, old.tab[i].n) =
				old.tab[i];
	free(old.tab);
	return 0;
}

long diff_intern_id(struct diff_intern *t, const char *s, size_t n,
		    int *fresh)
{
	uint64_t h = diff_hash(s, n);
	struct diff_intern_ent *x;

	if (fresh)
		*fresh = 0;
	if ((t->count + 1) * 2 > t->cap && grow(t) < 0)
		return -1;
	x = slot(t, h, s, n);
	if (!x->used) {
		x->used = 1;
		x->hash = h;
		x->s = s;
		x->n = n;
		x->id = (uint32_t)t->count++;
		if (fresh)
			*fresh = 1;
	}
	return x->id;
}

long diff_intern_find(const struct diff_intern *t, const char *s, size_t n)
{
	struct diff_intern_ent *x;

	if (!t->cap)
		return -1;
	x = slot(t, diff_hash(s, n), s, n);
	return x->used ? (long)x->id : -1;
}
