/* Unit tests for the crawler's own parts: config parsing, the politeness
 * delay rule and backoff, Retry-After, the SQLite frontier, the lock, the
 * queue in front of the frontier, the scheduler and the dictionary
 * trainer. */
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
#include "crawl/queue.h"
#include "crawl/sched.h"
#include "crawl/trainer.h"

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
	assert_string_equal(c.accept_encoding, "identity");
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
	assert_int_equal(crawl_config_parse(&c, "accept-encoding = zstd\n",
					    "x.conf", &e), -1);
	assert_string_equal(e.msg, "x.conf:1: accept-encoding: 'zstd' is not "
			    "identity or a list of gzip, deflate, br");
	assert_int_equal(crawl_config_parse(&c, "accept-encoding = gzip,\n",
					    "x.conf", &e), -1);
	assert_int_equal(crawl_config_parse(&c, "accept-encoding = gzip, "
					    "deflate, br\n", "x.conf", &e), 0);
	assert_string_equal(c.accept_encoding, "gzip, deflate, br");
	crawl_config_release(&c);
}

/* check reads to the end; the dump reads back to the same config, and
 * every value says where it came from */
static void test_config_check_dump(void **state)
{
	struct crawl_config c, d;
	struct crawl_strv problems = { 0 };
	struct err e = { "" };
	char *dump, *again, *origins;

	(void)state;
	crawl_config_init(&c);
	assert_int_equal(crawl_config_check(&c, "delay = x\nexclude = (\n"
					    "seed = http://a/\nmain = //[\n",
					    "c.conf", &problems), 3);
	assert_string_equal(problems.v[0],
			    "c.conf:1: delay: 'x' is not a number of seconds");
	assert_string_equal(problems.v[2],
			    "c.conf:4: extraction rule main: bad XPath: //[");
	crawl_strv_clear(&problems);
	crawl_config_release(&c);

	crawl_config_init(&c);
	c.origin = "";
	assert_int_equal(crawl_config_parse(&c, "delay = 0.123456789\n"
					    "operator = \nexclude = /x/\n"
					    "main = //main\n", "o.conf", &e), 0);
	c.origin = "--set";
	assert_int_equal(crawl_config_set(&c, "exclude", "/y/", &e), 0);
	c.origin = NULL;
	dump = crawl_config_dump(&c);
	crawl_config_init(&d);
	assert_int_equal(crawl_config_parse(&d, dump, "dump", &e), 0);
	again = crawl_config_dump(&d);
	assert_string_equal(dump, again);
	assert_true(d.delay == 0.123456789);
	origins = crawl_config_dump_origins(&c);
	assert_non_null(strstr(origins, "\ndelay\t0.123456789\to.conf:1\n"));
	/* list keys come first */
	assert_ptr_equal(strstr(origins, "exclude\t/x/\to.conf:3\n"), origins);
	assert_non_null(strstr(origins, "\nexclude\t/y/\t--set\n"));
	assert_non_null(strstr(origins, "\nmax-delay\t30\tdefault\n"));
	assert_non_null(strstr(origins, "\nmain\t//main\to.conf:4\n"));
	free(dump);
	free(again);
	free(origins);
	crawl_config_release(&c);
	crawl_config_release(&d);
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
	long counts[URL_NSTATUS];
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
	assert_int_equal(frontier_query_variants(f, "http://a/2", 10), 1);
	assert_int_equal(frontier_add(f, "http://a/2?x=2", "http://a", 1, 0,
				      "http://a/1", CRAWL_KIND_PAGE,
				      URL_SKIPPED, "out-of-scope(x)", &e), 1);
	assert_int_equal(frontier_query_variants(f, "http://a/2", 10), 2);
	/* counted up to the limit */
	assert_int_equal(frontier_query_variants(f, "http://a/2", 1), 1);
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
	assert_int_equal(counts[URL_SKIPPED], 1);
	/* the counts survive a reopen, and follow a reset */
	frontier_close(f);
	assert_non_null(f = frontier_open(path, &e));
	frontier_counts(f, counts);
	assert_int_equal(counts[URL_DONE], 1);
	assert_int_equal(counts[URL_PENDING], 2);
	assert_int_equal(frontier_reset(f, &e), 0);
	frontier_counts(f, counts);
	assert_int_equal(counts[URL_DONE] + counts[URL_PENDING] +
			 counts[URL_SKIPPED], 0);
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
					  sizes, 16, 3, &d), 0);
	p = (const unsigned char *)d.data;
	assert_true(d.len > page.len);
	assert_true(p[0] == 0x37 && p[1] == 0xA4 && p[2] == 0x30 && p[3] == 0xEC);
	assert_true(p[4] | p[5] | p[6] | p[7]);     /* a dictionary ID */
	/* too few samples: refused, not a crash */
	buf_reset(&d);
	assert_int_equal(crawl_dict_build(page.data, page.len, samples.data,
					  sizes, 2, 3, &d), -1);
	buf_release(&page);
	buf_release(&samples);
	buf_release(&d);
}

/* The queue: normalised, deduplicated per kind, refused out of scope (in
 * the frontier as skipped, counted), new pending URLs flagged once. */
static void test_queue(void **state)
{
	char dir[] = "/tmp/govarch-ut-XXXXXX", path[128];
	const char *hosts[] = { "a.example" };
	struct crawl_scope_config sc;
	struct crawl_config cfg;
	struct crawl_stats st;
	struct crawl_scope *scope;
	struct crawl_queue q;
	struct frontier *f;
	struct crawl_url u;
	struct outlinks ol = { 0 };
	struct err e = { "" };
	long counts[URL_NSTATUS];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.sqlite", dir);
	assert_non_null(f = frontier_open(path, &e));
	crawl_config_init(&cfg);
	crawl_scope_config_init(&sc);
	sc.hosts = hosts;
	sc.nhosts = 1;
	assert_non_null(scope = crawl_scope_new(&sc, &e));
	memset(&st, 0, sizeof(st));
	crawl_queue_init(&q, &cfg, f, scope, NULL, &st);
	assert_int_equal(crawl_queue_take_added(&q), 0);
	assert_int_equal(crawl_queue_add(&q, "HTTP://A.example/x/../p", 0, 0,
					 "", CRAWL_KIND_PAGE, 1, 0, &e), 0);
	assert_int_equal(crawl_queue_take_added(&q), 1);
	assert_int_equal(crawl_queue_take_added(&q), 0);
	/* seen: dropped before the frontier is asked */
	assert_int_equal(crawl_queue_add(&q, "HTTP://A.example/x/../p", 0, 0,
					 "", CRAWL_KIND_PAGE, 1, 0, &e), 0);
	assert_int_equal(crawl_queue_take_added(&q), 0);
	outlinks_add(&ol, "http://b.example/off", CRAWL_KIND_PAGE, 1, 0);
	outlinks_add(&ol, "http://a.example/q", CRAWL_KIND_PAGE, 1, 0);
	assert_int_equal(crawl_queue_outlinks(&q, &ol, "http://a.example/p", 1,
					      &e), 0);
	outlinks_release(&ol);
	frontier_counts(f, counts);
	assert_int_equal(counts[URL_PENDING], 2);
	assert_int_equal(counts[URL_SKIPPED], 1);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(frontier_next(f, "http://a.example", 1e12, &u, &e), 1);
	assert_string_equal(u.url, "http://a.example/p");
	crawl_url_release(&u);
	crawl_queue_release(&q);
	crawl_scope_free(scope);
	crawl_config_release(&cfg);
	frontier_close(f);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

/* The scheduler alone, against a closed port on 127.0.0.1: a host's
 * robots.txt is fetched before its URLs, one request at a time; the failed
 * fetch comes back to the caller, which reports it: the host is then
 * disallowed (robots unreachable) and left alone for the backoff, so
 * nothing more starts. */
static void test_sched(void **state)
{
	char dir[] = "/tmp/govarch-ut-XXXXXX", path[128];
	const char *hosts[] = { "127.0.0.1" };
	struct crawl_scope_config sc;
	struct crawl_config cfg;
	struct crawl_stats st;
	struct crawl_scope *scope;
	struct crawl_queue q;
	struct crawl_sched s;
	struct frontier *f;
	struct job *j = NULL;
	struct err e = { "" };
	double wait, at;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.sqlite", dir);
	assert_non_null(f = frontier_open(path, &e));
	crawl_config_init(&cfg);
	cfg.delay = 100;
	crawl_scope_config_init(&sc);
	sc.hosts = hosts;
	sc.nhosts = 1;
	assert_non_null(scope = crawl_scope_new(&sc, &e));
	memset(&st, 0, sizeof(st));
	crawl_queue_init(&q, &cfg, f, scope, NULL, &st);
	assert_int_equal(crawl_queue_add(&q, "http://127.0.0.1:1/a", 0, 0, "",
					 CRAWL_KIND_PAGE, 1, 0, &e), 0);
	assert_int_equal(crawl_sched_init(&s, &cfg, &st, f, NULL, &q, NULL,
					  "test", dir, &e), 0);
	assert_int_equal(crawl_sched_start(&s, &wait, &e), 0);
	assert_int_equal(st.inflight, 1);
	assert_string_equal(s.current, "http://127.0.0.1:1/robots.txt");
	assert_int_equal(crawl_sched_start(&s, &wait, &e), 0);
	assert_int_equal(st.inflight, 1);       /* the host is busy */
	for (i = 0; i < 200 && !j; i++) {
		crawl_sched_run(&s, 0.05);
		j = crawl_sched_done(&s);
	}
	assert_non_null(j);
	assert_int_equal(st.inflight, 0);
	assert_int_equal(j->is_robots, 1);
	assert_int_equal(crawl_fetch_ok(j->f), 0);
	at = crawl_sched_host_failed(&s, j, 0, -1);
	assert_true(at - crawl_epoch() > 50);   /* backoff from a 100 s delay */
	assert_int_equal(j->host->robots_state, ROBOTS_READY);
	assert_int_equal(j->host->robots_unreachable, 1);
	crawl_sched_job_free(&s, j);
	assert_int_equal(crawl_sched_start(&s, &wait, &e), 0);
	assert_int_equal(st.inflight, 0);       /* still waiting */
	assert_true(wait > 0);
	crawl_sched_release(&s);
	crawl_queue_release(&q);
	crawl_scope_free(scope);
	crawl_config_release(&cfg);
	frontier_close(f);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

/* A fetched page as the scheduler hands it over, for the trainer. */
static struct job *fake_job(int n, const struct buf *menu)
{
	struct job *j = calloc(1, sizeof(*j));

	assert_non_null(j);
	assert_non_null(j->f = calloc(1, sizeof(*j->f)));
	assert_non_null(j->held = calloc(1, sizeof(*j->held)));
	buf_init(&j->f->req_head, 0);
	buf_init(&j->f->resp_head, 0);
	buf_init(&j->f->body, 0);
	buf_init(&j->held->dec, 0);
	j->f->spool_fd = -1;
	snprintf(j->f->ip, sizeof(j->f->ip), "127.0.0.1");
	buf_addf(&j->f->req_head, "GET /page-%d HTTP/1.1\r\nHost: a.example"
		 "\r\nUser-Agent: test\r\n\r\n", n);
	buf_adds(&j->f->resp_head, "HTTP/1.1 200 OK\r\nContent-Type: "
		 "text/html; charset=utf-8\r\nETag: \"x\"\r\n\r\n");
	buf_addf(&j->f->body, "<html><body>%s<p>page %d</p></body></html>",
		 menu->data, n);
	j->f->body_len = j->f->body.len;
	j->held->status = 200;
	outlinks_add(&j->held->ol, "http://a.example/page-1", CRAWL_KIND_PAGE,
		     1, 0);
	return j;
}

static void fake_job_free(struct job *j)
{
	buf_release(&j->f->req_head);
	buf_release(&j->f->resp_head);
	buf_release(&j->f->body);
	buf_release(&j->held->dec);
	outlinks_release(&j->held->ol);
	free(j->held);
	free(j->f);
	free(j);
}

/* The trainer alone: samples until two whole HTML pages and 48 samples
 * are in (3 per page), holds jobs and gives them back oldest first, and
 * saves the dictionary a writer was given under ARCHIVE/dict (the frame
 * the writer's file starts with), where a later crawl finds it. */
static void test_trainer(void **state)
{
	char dir[] = "/tmp/govarch-ut-XXXXXX", path[160];
	struct crawl_config cfg;
	struct crawl_trainer t;
	struct buf menu = BUF_INIT(0), dict = BUF_INIT(0), kept = BUF_INIT(0);
	struct warc_writer_opts wo;
	struct warc_writer *w;
	struct err e = { "" };
	struct job *j, *next;
	int i, n = 0, ready = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dict", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (i = 0; i < 100; i++)
		buf_addf(&menu, "<li><a href=\"/section-%d/page-%d\">Page %d"
			 "</a></li>\n", i / 10, i, i);
	crawl_config_init(&cfg);
	crawl_trainer_init(&t, &cfg, dir, dir);
	assert_int_equal(crawl_trainer_active(&t), 1);
	for (i = 0; i < 16; i++) {
		j = fake_job(i, &menu);
		ready = crawl_trainer_sample(&t, j, &e);
		assert_int_equal(ready, i == 15);
		crawl_trainer_hold(&t, j);
	}
	assert_int_equal(crawl_trainer_full(&t), 0);
	for (j = crawl_trainer_take_held(&t); j; j = next, n++) {
		next = j->next;
		snprintf(path, sizeof(path), "GET /page-%d ", n);
		assert_memory_equal(j->f->req_head.data, path, strlen(path));
		fake_job_free(j);
	}
	assert_int_equal(n, 16);
	assert_null(crawl_trainer_take_held(&t));
	crawl_trainer_train(&t, "software: test\r\n", &dict);
	assert_true(dict.len > menu.len);
	assert_int_equal(crawl_trainer_active(&t), 0);
	memset(&wo, 0, sizeof(wo));
	wo.dir = dir;
	w = warc_writer_open(&wo, &e);
	assert_non_null(w);
	assert_int_equal(warc_writer_set_dict(w, dict.data, dict.len, &e), 0);
	assert_int_equal(crawl_trainer_save(&t, w, &e), 0);
	assert_int_equal(warc_writer_close(w, &e), 0);
	snprintf(path, sizeof(path), "ls %s/dict/govarch-*.zdict.zst >/dev/null",
		 dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/dict", dir);
	assert_int_equal(warc_dict_load_latest(path, &kept, NULL, &e), 1);
	assert_int_equal(kept.len, dict.len);
	assert_memory_equal(kept.data, dict.data, dict.len);
	crawl_trainer_release(&t);
	crawl_config_release(&cfg);
	buf_release(&menu);
	buf_release(&dict);
	buf_release(&kept);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_parse),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_check_dump),
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
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_sched),
		cmocka_unit_test(test_trainer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
