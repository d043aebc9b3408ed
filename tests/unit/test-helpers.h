/* test-helpers: small things several unit tests share.  Include after
 * <cmocka.h> (and the headers it needs). */
#ifndef GOVARCH_TEST_HELPERS_H
#define GOVARCH_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>

/* The bytes of $TOP/DIR/NAME (TOP: the repository root, "." when unset),
 * NUL-terminated and malloc'd; *len (when not NULL) gets their count.
 * Fails the test when the file can't be opened. */
static inline char *test_load(const char *dir, const char *name, size_t *len)
{
	const char *top = getenv("TOP");
	char path[4096];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s/%s", top ? top : ".", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	data[n] = '\0';
	if (len)
		*len = (size_t)n;
	return data;
}

/* Remove dir (made by the test with mkdtemp) and all it holds; fails the
 * test when that does not work. */
static inline void test_rmrf(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

#endif
