/* Unit tests for the search query check (src/catalog/search.c): what a
 * user's query becomes for FTS5, byte for byte, and the exact message of
 * each malformed query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog-search.h"

static void good(const char *q, const char *want)
{
	struct buf b = BUF_INIT(0);
	struct err e = { "" };

	if (catalog_search_query(q, &b, &e) != 0)
		fail_msg("'%s': %s", q, e.msg);
	if (strcmp(b.data, want))
		fail_msg("'%s': got '%s', want '%s'", q, b.data, want);
	buf_release(&b);
}

static void bad(const char *q, const char *want)
{
	struct buf b = BUF_INIT(0);
	struct err e = { "" };

	if (catalog_search_query(q, &b, &e) == 0)
		fail_msg("'%s' accepted as '%s'", q, b.data);
	if (strncmp(e.msg, "malformed query: ", 17) || strcmp(e.msg + 17, want))
		fail_msg("'%s': got '%s', want '%s'", q, e.msg, want);
	buf_release(&b);
}

static void test_translate(void **state)
{
	(void)state;
	good("cabinet", "\"cabinet\"");
	good("Cabinet manual", "\"Cabinet\" AND \"manual\"");
	good("\"Cabinet Manual\"", "\"Cabinet Manual\"");
	good("recov*", "\"recov\"*");
	good("\"the Cabi\"*", "\"the Cabi\"*");
	good("a OR b NOT c", "\"a\" OR \"b\" NOT \"c\"");
	good("(a OR b) c", "(\"a\" OR \"b\") AND \"c\"");
	good("a (b)", "\"a\" AND (\"b\")");
	good("and or not", "\"and\" AND \"or\" AND \"not\"");
	good("\"say \"\"no\"\"\"", "\"say \"\"no\"\"\"");
	good("NEAR(a b)", "\"NEAR\" AND (\"a\" AND \"b\")");
	good("café-au-lait", "\"café-au-lait\"");
	good("x.y", "\"x.y\"");
}

static void test_malformed(void **state)
{
	(void)state;
	bad("", "no word or phrase to search for");
	bad("()", "')' after an operator or '(': nothing to group");
	bad("\"open", "a '\"' without its closing '\"'");
	bad("text:x", "':' is not supported (words, \"phrases\", word*, AND, "
	    "OR, NOT, parentheses)");
	bad("{text}", "'{' is not supported (words, \"phrases\", word*, AND, "
	    "OR, NOT, parentheses)");
	bad("a + b", "'+' is not supported (words, \"phrases\", word*, AND, "
	    "OR, NOT, parentheses)");
	bad("OR a", "OR needs a word or phrase before it");
	bad("a AND OR b", "OR needs a word or phrase before it");
	bad("a NOT", "an operator at the end");
	bad("a*b", "'*' inside a word (prefix: word* at its end)");
	bad("**", "'*' must follow a word or phrase (prefix: word*)");
	bad("\"a\"b", "'b' right after a phrase");
	bad("((((((((((((((((((a))))))))))))))))))",
	    "parentheses nested deeper than 16");
}

static void test_long(void **state)
{
	char q[CATALOG_SEARCH_QUERY_MAX + 2];

	(void)state;
	memset(q, 'a', sizeof(q) - 1);
	q[sizeof(q) - 1] = '\0';
	bad(q, "longer than 1024 bytes");
	q[CATALOG_SEARCH_QUERY_MAX] = '\0';
	{
		struct buf b = BUF_INIT(0);
		struct err e;

		assert_int_equal(catalog_search_query(q, &b, &e), 0);
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
