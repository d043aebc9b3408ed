/* Unit tests for src/util/url: resolution and normalisation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/url.h"

static const char *BASE = "HTTP://WWW.Example.COM:80/a/b/c?x=1#frag";

/* Resolve ref against base and compare; expect NULL means "refused". */
static void check(const char *base, const char *ref, const char *expect)
{
	struct err e = { "" };
	char *out = NULL;
	int rc = url_resolve(base, ref, URL_MAX_LEN, &out, &e);

	if (!expect) {
		if (rc == 0)
			fail_msg("%s: expected refusal, got %s", ref, out);
		assert_null(out);
		assert_true(e.msg[0] != '\0');
		return;
	}
	if (rc != 0)
		fail_msg("%s: %s", ref, e.msg);
	assert_string_equal(out, expect);
	free(out);
}

static void test_rfc3986_resolution(void **state)
{
	const char *b = "http://a/b/c/d;p?q";

	(void)state;
	/* RFC 3986 section 5.4.1 normal examples (fragments dropped). */
	check(b, "g", "http://a/b/c/g");
	check(b, "./g", "http://a/b/c/g");
	check(b, "g/", "http://a/b/c/g/");
	check(b, "/g", "http://a/g");
	check(b, "//g", "http://g/");
	check(b, "?y", "http://a/b/c/d;p?y");
	check(b, "g?y", "http://a/b/c/g?y");
	check(b, "#s", "http://a/b/c/d;p?q");
	check(b, "g#s", "http://a/b/c/g");
	check(b, "g?y#s", "http://a/b/c/g?y");
	check(b, ";x", "http://a/b/c/;x");
	check(b, "g;x", "http://a/b/c/g;x");
	check(b, "", "http://a/b/c/d;p?q");
	check(b, ".", "http://a/b/c/");
	check(b, "./", "http://a/b/c/");
	check(b, "..", "http://a/b/");
	check(b, "../", "http://a/b/");
	check(b, "../g", "http://a/b/g");
	check(b, "../..", "http://a/");
	check(b, "../../g", "http://a/g");
	/* 5.4.2 abnormal examples */
	check(b, "../../../g", "http://a/g");
	check(b, "/./g", "http://a/g");
	check(b, "/../g", "http://a/g");
	check(b, "g.", "http://a/b/c/g.");
	check(b, "..g", "http://a/b/c/..g");
	check(b, "./../g", "http://a/b/g");
	check(b, "g/./h", "http://a/b/c/g/h");
	check(b, "g/../h", "http://a/b/c/h");
}

static void test_case_port_fragment(void **state)
{
	(void)state;
	check(NULL, BASE, "http://www.example.com/a/b/c?x=1");
	check(NULL, "HTTPS://EX.com:443", "https://ex.com/");
	check(NULL, "https://ex.com:80/", "https://ex.com:80/");
	check(NULL, "http://ex.com:8080", "http://ex.com:8080/");
	check(NULL, "http://ex.com?x", "http://ex.com/?x");
	check(NULL, "http://ex.com/p?", "http://ex.com/p");
	check(NULL, "http://[::1]:80/x", "http://[::1]/x");
	check(NULL, "http://127.0.0.1:8000/a/../b/./c", "http://127.0.0.1:8000/b/c");
	/* path keeps its case */
	check(NULL, "http://EX.com/About-DPMC/", "http://ex.com/About-DPMC/");
	check(BASE, "HTTP://Other.ORG/x#y", "http://other.org/x");
	check(BASE, "//Other.org", "http://other.org/");
}

static void test_percent_encoding(void **state)
{
	char *s;

	(void)state;
	check(NULL, "http://ex.com/%7euser/%41%2d%2e%5f", "http://ex.com/~user/A-._");
	check(NULL, "http://ex.com/a%2fb%3a", "http://ex.com/a%2Fb%3A");
	check(NULL, "http://ex.com/a b?q=a b", "http://ex.com/a%20b?q=a%20b");
	check(NULL, "http://ex.com/caf\xc3\xa9", "http://ex.com/caf%C3%A9");
	/* an IDN host stays ASCII, percent-encoded */
	check(NULL, "http://B\xc3\xbc" "cher.CH/", "http://b%C3%BCcher.ch/");
	check(NULL, "http://ex.com/100%", "http://ex.com/100%25");
	check(NULL, "http://ex.com/%zz", "http://ex.com/%25zz");
	check(NULL, "http://ex.com/a\"<>|{}", "http://ex.com/a%22%3C%3E%7C%7B%7D");
	check(NULL, "http://ex.com/search?f[0]=type:news",
	      "http://ex.com/search?f%5B0%5D=type:news");
	check(NULL, "http://ex.com/search?f%5b0%5d=x", "http://ex.com/search?f%5B0%5D=x");
	check(BASE, "a\\b\\c?d\\e", "http://www.example.com/a/b/a/b/c?d%5Ce");
	s = url_pct_normalize("%7e%7E%e9 x", 11);
	assert_string_equal(s, "~~%E9%20x");
	free(s);
}

static void test_whitespace(void **state)
{
	(void)state;
	check(BASE, "  \t /x/y \n", "http://www.example.com/x/y");
	check(BASE, "/x\n/y\t/z", "http://www.example.com/x/y/z");
	check(BASE, "   ", "http://www.example.com/a/b/c?x=1");
}

static void test_schemes_refused(void **state)
{
	(void)state;
	check(BASE, "mailto:someone@example.com", NULL);
	check(BASE, "javascript:void(0)", NULL);
	check(BASE, "JavaScript:alert(1)", NULL);
	check(BASE, "data:image/png;base64,AAAA", NULL);
	check(BASE, "tel:+6444", NULL);
	check(BASE, "ftp://ex.com/f", NULL);
	check(NULL, "ftp://ex.com/f", NULL);
	check(NULL, "/relative/without/base", NULL);
	check(NULL, "http://", NULL);
}

static void test_session_ids(void **state)
{
	(void)state;
	check(NULL, "http://ex.com/a;jsessionid=0123ABCD?x=1",
	      "http://ex.com/a?x=1");
	check(NULL, "http://ex.com/a;JSESSIONID=0123ABCD;v=2/b",
	      "http://ex.com/a;v=2/b");
	check(NULL, "http://ex.com/p?PHPSESSID=abc123&page=2",
	      "http://ex.com/p?page=2");
	check(NULL, "http://ex.com/p?a=1&jsessionid=zz&b=2",
	      "http://ex.com/p?a=1&b=2");
	check(NULL, "http://ex.com/p?sid=0123456789abcdef0123456789abcdef",
	      "http://ex.com/p");
	check(NULL, "http://ex.com/p?sid=short", "http://ex.com/p?sid=short");
	check(NULL, "http://ex.com/p?ASPSESSIONIDQQGGGNCU=ONBKDJMAGDJNOMBIDPMNHAML&x=1",
	      "http://ex.com/p?x=1");
	check(NULL, "http://ex.com/p?cfid=12345&cftoken=abcd&x=y",
	      "http://ex.com/p?x=y");
	check(NULL, "http://ex.com/p?page=1", "http://ex.com/p?page=1");
}

static void test_length_limit(void **state)
{
	char big[3000], *out = (char *)1;
	struct err e = { "" };

	(void)state;
	memset(big, 'a', sizeof(big));
	memcpy(big, "http://ex.com/", 14);
	big[2100] = '\0';
	assert_int_equal(url_resolve(NULL, big, URL_MAX_LEN, &out, &e), -1);
	assert_null(out);
	assert_non_null(strstr(e.msg, "longer than 2083"));
	big[2083] = '\0';
	assert_int_equal(url_resolve(NULL, big, URL_MAX_LEN, &out, &e), 0);
	assert_int_equal(strlen(out), 2083);
	free(out);
	/* the reference fits, the resolved result does not */
	big[2082] = '/';
	assert_int_equal(url_resolve(big, "x/yy", URL_MAX_LEN, &out, &e), -1);
	assert_int_equal(url_resolve(NULL, "http://ex.com/abc", 10, &out, &e), -1);
	assert_int_equal(url_resolve(NULL, "http://ex.com/abc", 0, &out, &e), 0);
	free(out);
}

static void test_parts(void **state)
{
	const char *u = "http://WWW.Ex.com:8080/a/b?x=1&y";
	char *s;

	(void)state;
	assert_string_equal(s = url_host(u), "www.ex.com");
	free(s);
	assert_string_equal(s = url_hostport(u), "www.ex.com:8080");
	free(s);
	assert_string_equal(s = url_hostport("https://ex.com:443/"), "ex.com");
	free(s);
	assert_string_equal(s = url_path(u), "/a/b");
	free(s);
	assert_string_equal(s = url_path("http://ex.com"), "/");
	free(s);
	assert_string_equal(s = url_query(u), "x=1&y");
	free(s);
	assert_null(url_query("http://ex.com/a"));
	assert_string_equal(s = url_path_query(u), "/a/b?x=1&y");
	free(s);
	assert_string_equal(s = url_path_query("http://ex.com/a"), "/a");
	free(s);
	assert_null(url_host("not a url"));
	assert_string_equal(s = url_host("http://b%c3%bccher.CH/"), "b%C3%BCcher.ch");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3986_resolution),
		cmocka_unit_test(test_case_port_fragment),
		cmocka_unit_test(test_percent_encoding),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_schemes_refused),
		cmocka_unit_test(test_session_ids),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
