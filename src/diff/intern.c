/* intern: ids handed out in order of first sight, kept in a util hash map. */
#include "diff/intern.h"

int diff_intern_init(struct diff_intern *t, size_t expected)
{
	hmap_init(&t->map, 0, 0);
	return hmap_reserve(&t->map, expected);
}

void diff_intern_release(struct diff_intern *t)
{
	hmap_release(&t->map);
}

long diff_intern_id(struct diff_intern *t, const char *s, size_t n,
		    int *fresh)
{
	struct hmap_entry *x;
	int rc = hmap_put(&t->map, s, n, &x);

	if (fresh)
		*fresh = rc == 1;
	if (rc < 0)
		return -1;
	if (rc == 1)
		x->num = hmap_count(&t->map) - 1;
	return (long)x->num;
}

long diff_intern_find(const struct diff_intern *t, const char *s, size_t n)
{
	const struct hmap_entry *x = hmap_get(&t->map, s, n);

	return x ? (long)x->num : -1;
}
