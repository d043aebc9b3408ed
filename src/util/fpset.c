/* fpset: a set of 64-bit fingerprints (see fpset.h). */
#include "util/fpset.h"

#include <stdlib.h>

#define FPSET_MIN_SLOTS 1024
#define FIB_MULT 0x9e3779b97f4a7c15ull  /* 2^64 / golden ratio */

void fpset_init(struct fpset *s)
{
	s->slots = NULL;
	s->nslots = 0;
	s->count = 0;
}

void fpset_release(struct fpset *s)
{
	free(s->slots);
	fpset_init(s);
}

/* The slot holding fp, or the empty slot where it goes.  FNV's low bits
 * are its weakest: the index is the top bits of a multiplicative mix. */
static uint64_t *find(const struct fpset *s, uint64_t fp)
{
	size_t mask = s->nslots - 1;
	size_t i = (size_t)((fp * FIB_MULT) >> 32) & mask;

	while (s->slots[i] && s->slots[i] != fp)
		i = (i + 1) & mask;
	return &s->slots[i];
}

static int grow(struct fpset *s)
{
	struct fpset old = *s;
	size_t n = s->nslots ? s->nslots * 2 : FPSET_MIN_SLOTS, i;

	if (n > SIZE_MAX / 2 / sizeof(*s->slots))
		return -1;
	s->slots = calloc(n, sizeof(*s->slots));
	if (!s->slots) {
		s->slots = old.slots;
		return -1;
	}
	s->nslots = n;
	for (i = 0; i < old.nslots; i++)
		if (old.slots[i])
			*find(s, old.slots[i]) = old.slots[i];
	free(old.slots);
	return 0;
}

int fpset_add(struct fpset *s, uint64_t fp)
{
	uint64_t *x;

	if (!fp)
		fp = 1;         /* 0 marks an empty slot */
	if ((s->count + 1) * 2 > s->nslots && grow(s) < 0)
		return -1;
	x = find(s, fp);
	if (*x)
		return 0;
	*x = fp;
	s->count++;
	return 1;
}
