/* Unit tests for the crawler's own parts: config parsing, the politeness
 * delay rule and backoff, Retry-After, the SQLite frontier and the lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "crawl/config.h"
#include "crawl/dict.h"
#include "crawl/frontier.h"
#include "crawl/lock.h"
#include "crawl/politeness.h"

static void test_config_parse(void **state)
{
	struct crawl_config c;
	struct err e = { "" };
	const char *text =
		"# a comment\n"
		"\n"
		"seed = https://www.dpmc.govt.nz/\n"
		"seed = https://www.dpmc.govt.nz/news\n"
		"  scope-host =  www.dpmc.govt.nz  \n"
		"exclude = [?&]f(\\[|%5B)\n"
		"delay = 0.5\n"
		"max-pages = 10\n"
		"max-response-bytes = 2M\n"
		"format = gz\n"
		"main = //main\n"
		"extract-remove = //nav\n"
		"contact = mailto:a@b.c # not a comment\n";

	(void)state;
	crawl_config_init(&c);
	assert_int_equal(crawl_config_parse(&c, text, "t.conf", &e), 0);
	assert_int_equal(c.seeds.n, 2);
	assert_string_equal(c.seeds.v[1], "https://www.dpmc.govt.nz/news");
	assert_string_equal(c.scope_hosts.v[0], "www.dpmc.govt.nz");
	assert_string_equal(c.excludes.v[0], "[?&]f(\\[|%5B)");
	assert_true(c.delay == 0.5);
	assert_int_equal(c.max_pages, 10);
	assert_int_equal(c.max_response_bytes, 2u << 20);
	assert_string_equal(c.format, "gz");
	assert_int_equal(c.rules.n, 2);
	assert_string_equal(c.rules.v[0], "main = //main");
	assert_string_equal(c.rules.v[1], "extract-remove = //nav");
	assert_string_equal(c.contact, "mailto:a@b.c # not a comment");
	/* defaults untouched */
	assert_true(c.max_delay == 30.0);
	assert_true(c.delay_factor == 5.0);
	crawl_config_release(&c);
}

static void test_config_errors(void **state)
{
	struct crawl_config c;
	struct err e = { "" };

	(void)state;
	crawl_config_init(&c);
	assert_int_equal(crawl_config_parse(&c, "delay = 1\nbogus = 3\n",
					    "x.conf", &e), -1);
	assert_string_equal(e.msg, "x.conf:2: unknown key 'bogus'");
	assert_int_equal(crawl_config_parse(&c, "delay = soon\n", "x.conf",
					    &e), -1);
	assert_non_null(strstr(e.msg, "x.conf:1: delay"));
	assert_int_equal(crawl_config_parse(&c, "just words\n", "x.conf", &e),
			 -1);
	assert_string_equal(e.msg, "x.conf:1: expected 'key = value'");
	assert_int_equal(crawl_config_parse(&c, "format = bz2\n", "x.conf",
					    &e), -1);
	assert_int_equal(crawl_config_parse(&c, "delay = -1\n", "x.conf", &e),
			 -1);
	crawl_config_release(&c);
}

static void test_config_user_agent(void **state)
{
	struct crawl_config c;
	char *ua;

	(void)state;
	crawl_config_init(&c);
	crawl_config_set(&c, "contact", "https://example.org/bot", NULL);
	ua = crawl_config_user_agent(&c);
	assert_non_null(strstr(ua, "govarch/"));
	assert_non_null(strstr(ua, "(+https://example.org/bot)"));
	free(ua);
	crawl_config_release(&c);
}

/* -c aside, the system config wins when present; GOVARCH_CONFIG over both;
 * without either, the source tree's config/dpmc.conf (this binary runs from
 * BUILD/tests/). */
static void test_config_find(void **state)
{
	char dir[] = "/tmp/govarch-conf.XXXXXX", sys[64], *p;
	FILE *f;

	(void)state;
	unsetenv("GOVARCH_CONFIG");
	assert_non_null(mkdtemp(dir));
	snprintf(sys, sizeof(sys), "%s/govarch.conf", dir);
	p = crawl_config_find(sys);
	assert_non_null(p);
	assert_non_null(strstr(p, "config/dpmc.conf"));
	free(p);
	f = fopen(sys, "w");
	assert_non_null(f);
	fputs("seed = http://127.0.0.1/\n", f);
	fclose(f);
	p = crawl_config_find(sys);
	assert_string_equal(p, sys);
	free(p);
	setenv("GOVARCH_CONFIG", "/elsewhere.conf", 1);
	p = crawl_config_find(sys);
	assert_string_equal(p, "/elsewhere.conf");
	free(p);
	unsetenv("GOVARCH_CONFIG");
	unlink(sys);
	rmdir(dir);
}

/* Every key the parser accepts is in govarch.conf(5): a key of its own as
 * ".It Cm KEY No =", the "extract-" spellings at least by name. */
static void test_config_keys_in_manual(void **state)
{
	const char *top = getenv("TOP"), *k;
	char path[4096], buf[64], want[128];
	char *man;
	size_t i, n = 0;
	long len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/man/govarch.conf.5", top ? top : ".");
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	man = calloc(1, (size_t)len + 1);
	assert_non_null(man);
	assert_int_equal(fread(man, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	for (i = 0; (k = crawl_config_key_name(i, buf, sizeof(buf))); i++) {
		if (!strncmp(k, "extract-", 8))
			snprintf(want, sizeof(want), "%s", k);
		else
			snprintf(want, sizeof(want), ".It Cm %s No =", k);
		if (!strstr(man, want))
			fail_msg("key '%s' is not documented in %s", k, path);
		n++;
	}
	assert_true(n > 40);
	free(man);
}

static void test_sizes_seconds(void **state)
{
	uint64_t n;
	double d;

	(void)state;
	assert_int_equal(crawl_parse_size("10", &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(crawl_parse_size("256k", &n), 0);
	assert_int_equal(n, 256 * 1024);
	assert_int_equal(crawl_parse_size("1GiB", &n), 0);
	assert_int_equal(n, 1u << 30);
	assert_int_equal(crawl_parse_size("x", &n), -1);
	assert_int_equal(crawl_parse_size("5T", &n), -1);
	assert_int_equal(crawl_parse_seconds("0", &d), 0);
	assert_true(d == 0);
	assert_int_equal(crawl_parse_seconds("0.25", &d), 0);
	assert_true(d == 0.25);
	assert_int_equal(crawl_parse_seconds("nan", &d), -1);
}

static const struct crawl_polite pol = { 2.0, 5.0, 30.0, 300.0, 300.0 };

static void test_delay_rule(void **state)
{
	struct crawl_polite p0 = pol;

	(void)state;
	/* the minimum wins over a fast response */
	assert_true(crawl_polite_delay(&pol, 0.1, -1) == 2.0);
	/* 5 x the response time */
	assert_true(crawl_polite_delay(&pol, 1.0, -1) == 5.0);
	/* capped at 30 s */
	assert_true(crawl_polite_delay(&pol, 20.0, -1) == 30.0);
	/* Crawl-delay raises it, even beyond the cap */
	assert_true(crawl_polite_delay(&pol, 0.1, 10) == 10.0);
	assert_true(crawl_polite_delay(&pol, 0.1, 60) == 60.0);
	/* ... but only up to max_crawl_delay */
	assert_true(crawl_polite_delay(&pol, 0.1, 3600) == 300.0);
	/* a configured minimum above the cap is still honoured */
	p0.min_delay = 45;
	assert_true(crawl_polite_delay(&p0, 0.1, -1) == 45.0);
	/* delay 0 (local benchmarks) */
	p0.min_delay = 0;
	p0.factor = 0;
	assert_true(crawl_polite_delay(&p0, 0.5, -1) == 0.0);
}

static void test_backoff(void **state)
{
	(void)state;
	/* exponential from the minimum delay */
	assert_true(crawl_polite_backoff(&pol, 1, -1) == 2.0);
	assert_true(crawl_polite_backoff(&pol, 2, -1) == 4.0);
	assert_true(crawl_polite_backoff(&pol, 3, -1) == 8.0);
	/* capped */
	assert_true(crawl_polite_backoff(&pol, 30, -1) == 300.0);
	/* Retry-After honoured when longer */
	assert_true(crawl_polite_backoff(&pol, 1, 120) == 120.0);
	assert_true(crawl_polite_backoff(&pol, 1, 1) == 2.0);
	/* beyond the cap when the server says so */
	assert_true(crawl_polite_backoff(&pol, 1, 900) == 900.0);
}

static void test_retry_after(void **state)
{
	time_t now = 1729472523;   /* Mon, 21 Oct 2024 01:02:03 GMT */

	(void)state;
	assert_true(crawl_parse_retry_after("2", now) == 2.0);
	assert_true(crawl_parse_retry_after(" 120 ", now) == 120.0);
	assert_true(crawl_parse_retry_after("Mon, 21 Oct 2024 01:03:03 GMT",
					    now) == 60.0);
	assert_true(crawl_parse_retry_after("Mon, 21 Oct 2024 01:00:00 GMT",
					    now) == 0.0);
	assert_true(crawl_parse_retry_after("soon", now) < 0);
	assert_true(crawl_parse_retry_after(NULL, now) < 0);
}

static void test_frontier(void **state)
{
	char dir[] = "/tmp/govarch-ut-XXXXXX", path[128];
	struct frontier *f;
	struct crawl_url u;
	struct err e = { "" };
	long counts[5];
	uint64_t end;
	char **hosts;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.sqlite", dir);
	f = frontier_open(path, &e);
	assert_non_null(f);
	assert_int_equal(frontier_add(f, "http://a/1", "http://a", 0, 0, "",
				      CRAWL_KIND_PAGE, URL_PENDING, NULL, &e), 1);
	assert_int_equal(frontier_add(f, "http://a/1", "http://a", 3, 0, "",
				      CRAWL_KIND_PAGE, URL_PENDING, NULL, &e), 0);
	assert_int_equal(frontier_add(f, "http://a/2?x=1", "http://a", 1, 0,
				      "http://a/1", CRAWL_KIND_PAGE,
				      URL_PENDING, NULL, &e), 1);
	assert_int_equal(frontier_add(f, "http://b/", "http://b", 1, 0, "",
				      CRAWL_KIND_REQUISITE, URL_PENDING, NULL,
				      &e), 1);
	assert_int_equal(frontier_query_variants(f, "http://a/2"), 1);
	hosts = frontier_pending_hosts(f, &e);
	assert_non_null(hosts[0]);
	assert_non_null(hosts[1]);
	assert_null(hosts[2]);
	free(hosts[0]);
	free(hosts[1]);
	free(hosts);
	assert_int_equal(frontier_next(f, "http://a", 1e12, &u, &e), 1);
	assert_string_equal(u.url, "http://a/1");
	assert_int_equal(frontier_set(f, u.id, URL_DONE, 1, 0, "ok", &e), 0);
	crawl_url_release(&u);
	assert_int_equal(frontier_is_done(f, "http://a/1"), 1);
	assert_int_equal(frontier_next(f, "http://a", 1e12, &u, &e), 1);
	assert_string_equal(u.url, "http://a/2?x=1");
	assert_string_equal(u.via, "http://a/1");
	/* retry later: not offered before its time */
	assert_int_equal(frontier_set(f, u.id, URL_PENDING, 1, 1000, NULL, &e),
			 0);
	crawl_url_release(&u);
	assert_int_equal(frontier_next(f, "http://a", 999, &u, &e), 0);
	frontier_counts(f, counts);
	assert_int_equal(counts[URL_DONE], 1);
	assert_int_equal(counts[URL_PENDING], 2);
	assert_int_equal(frontier_warc_set(f, "x.warc.zst", 100), 0);
	assert_int_equal(frontier_warc_set(f, "x.warc.zst", 50), 0);
	assert_int_equal(frontier_warc_get(f, "x.warc.zst", &end), 1);
	assert_int_equal(end, 100);      /* never goes back */
	frontier_close(f);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

static void test_lock(void **state)
{
	char dir[] = "/tmp/govarch-ut-XXXXXX", cmd[128];
	int fd, fd2;
	pid_t holder;
	struct err e = { "" };

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(crawl_lock_take(dir, &fd, &holder, &e), 0);
	/* flock locks belong to the open file: a second open conflicts */
	assert_int_equal(crawl_lock_take(dir, &fd2, &holder, &e), 1);
	assert_int_equal(holder, getpid());
	crawl_lock_release(fd);
	assert_int_equal(crawl_lock_take(dir, &fd2, &holder, &e), 0);
	crawl_lock_release(fd2);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* The content dictionary: a zstd dictionary (magic, ID) that makes a page
 * sharing the sample's menu compress far better than without it. */
static void test_dict(void **state)
{
	struct buf page = BUF_INIT(0), samples = BUF_INIT(0), d = BUF_INIT(0);
	size_t sizes[16], i;
	const unsigned char *p;

	(void)state;
	for (i = 0; i < 400; i++)
		buf_addf(&page, "<li class=\"menu-item\"><a href=\"/section-%zu/"
			 "page-%zu\">Page %zu of section %zu</a></li>\n",
			 i / 20, i, i, i / 20);
	for (i = 0; i < 16; i++) {
		buf_addf(&samples, "<p>body %zu</p>", i * 7919);
		buf_add(&samples, page.data, page.len);
		sizes[i] = page.len + (size_t)snprintf(NULL, 0, "<p>body %zu</p>",
						       i * 7919);
	}
	assert_int_equal(crawl_dict_build(page.data, page.len, samples.data,
					  sizes, 16, &d), 0);
	p = (const unsigned char *)d.data;
	assert_true(d.len > page.len);
	assert_true(p[0] == 0x37 && p[1] == 0xA4 && p[2] == 0x30 && p[3] == 0xEC);
	assert_true(p[4] | p[5] | p[6] | p[7]);     /* a dictionary ID */
	/* too few samples: refused, not a crash */
	buf_reset(&d);
	assert_int_equal(crawl_dict_build(page.data, page.len, samples.data,
					  sizes, 2, &d), -1);
	buf_release(&page);
	buf_release(&samples);
	buf_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_parse),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_user_agent),
		cmocka_unit_test(test_config_find),
		cmocka_unit_test(test_config_keys_in_manual),
		cmocka_unit_test(test_sizes_seconds),
		cmocka_unit_test(test_delay_rule),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_frontier),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_dict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
