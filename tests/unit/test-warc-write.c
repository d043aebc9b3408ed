/* test-warc-write: writes sample archives of DPMC-like pages with the WARC
 * writer, for the CLI tests and scripts/bench-warc (before the crawler can).
 *
 *   test-warc-write DIR zst|gz|warc NPAGES [PREFIX]
 *       request + response per page (every 3rd chunked), an identical-payload
 *       revisit every 5th page, a metadata record per page, one resource;
 *       zst: the first ~1 MB trains a dictionary (kept in DIR/dict/) and the
 *       writer rotates to a file that carries it.
 *   test-warc-write            (no arguments: a self-check, for tests/run-all)
 *
 * Deterministic apart from record ids, dates of warcinfo records and file
 * names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "util/timeutil.h"
#include "warc/warc.h"
#include "test-helpers.h"

static const char *const words[] = {
	"the", "of", "and", "to", "in", "a", "for", "is", "on", "that", "by",
	"with", "as", "be", "are", "this", "from", "at", "or", "an", "will",
	"has", "have", "it", "not", "which", "was", "their", "its", "were",
	"cabinet", "minister", "policy", "national", "security", "office",
	"government", "review", "emergency", "management", "community",
	"report", "strategy", "public", "service", "advice", "honours",
	"constitution", "official", "information", "release", "guidance",
	"wellbeing", "resilience", "intelligence", "coordination", "support",
	"agency", "principles", "framework", "response", "recovery", "prime",
	"department", "zealand", "new", "ministers", "committee", "paper",
	"decision", "agreed", "priorities", "programme", "work", "people",
	"risk", "system", "across", "including", "process", "leaders",
	"ministerial", "meeting", "partners", "country", "international",
	"migration", "border", "technology", "online", "harm", "children",
	"statement", "communique", "countries", "commitment", "continue",
	"cooperation", "threats", "safety", "digital", "economic", "regional",
	"legislation", "consultation", "published", "proactive", "released",
	"documents", "minutes", "directorate", "capability", "assessment",
	"environment", "climate", "water", "housing", "health", "education",
	"justice", "treaty", "waitangi", "maori", "pacific", "crown", "year",
	"annual", "budget", "funding", "development", "quarterly", "update",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* xorshift32: every bit is usable (an LCG's low bits repeat quickly, which
 * would make the pages far more alike than real text). */
static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s ? *s : 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void words_into(struct buf *b, uint32_t *s, unsigned n, int cap)
{
	unsigned k;

	for (k = 0; k < n; k++) {
		const char *w = words[rnd(s) % NWORDS];

		if (k == 0 && cap)
			buf_addf(b, "%c%s", w[0] - 32, w + 1);
		else
			buf_addf(b, " %s", w);
	}
}

/* The shared part of every page: head, header and a 375-entry menu with
 * Drupal-style markup (tens of kB, like the real DPMC menu), and footer. */
static void shared_parts(struct buf *head, struct buf *nav, struct buf *foot)
{
	uint32_t s = 42;
	unsigned i, k;

	buf_adds(head, "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\" prefix=\"og: https://ogp.me/ns#\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n"
		 "<meta name=\"Generator\" content=\"Drupal 10 (https://www.drupal.org)\">\n"
		 "<link rel=\"icon\" href=\"/themes/custom/dpmc/favicon.ico\" type=\"image/vnd.microsoft.icon\">\n");
	for (i = 0; i < 24; i++)
		buf_addf(head, "<link rel=\"stylesheet\" media=\"all\" href=\"/sites/default/files/css/css_%08x.css?delta=%u&amp;language=en&amp;theme=dpmc&amp;include=eJx1j9EOwiAMRX9ouE8iXakToXQpNen%u\">\n",
			 rnd(&s), i, i);
	for (i = 0; i < 12; i++)
		buf_addf(head, "<script src=\"/sites/default/files/js/js_%08x.js?scope=header&amp;delta=%u&amp;language=en&amp;theme=dpmc\"></script>\n",
			 rnd(&s), i);
	buf_adds(nav, "</head>\n<body class=\"path-node page-node-type-page\">\n<a href=\"#main-content\" class=\"visually-hidden focusable skip-link\">Skip to main content</a>\n"
		 "<header role=\"banner\" class=\"site-header\"><div class=\"site-branding\"><a href=\"/\" rel=\"home\" class=\"site-logo\">"
		 "<img src=\"/themes/custom/dpmc/logo.svg\" alt=\"Department of the Prime Minister and Cabinet (DPMC)\"></a></div>"
		 "<form action=\"/search\" method=\"get\" class=\"search-form\"><input type=\"search\" name=\"keys\" placeholder=\"Search\"></form></header>\n"
		 "<nav role=\"navigation\" aria-labelledby=\"block-dpmc-main-menu\" id=\"block-dpmc-main-menu\" class=\"block block-menu navigation menu--main\">\n"
		 "<ul class=\"menu menu--level-1\">\n");
	for (i = 0; i < 375; i++) {
		unsigned level = i % 25 == 0 ? 1 : i % 5 == 0 ? 2 : 3;
		struct buf t = BUF_INIT(0);

		words_into(&t, &s, 2 + rnd(&s) % 5, 1);
		buf_addf(nav, "%*s<li class=\"menu-item menu-item--level-%u%s\"><a href=\"/our-programmes/",
			 (int)level * 2, "", level, level < 3 ? " menu-item--expanded" : "");
		for (k = 0; k < t.len; k++)
			buf_addc(nav, t.data[k] == ' ' ? '-' : (char)(t.data[k] | 0x20));
		buf_addf(nav, "\" data-drupal-link-system-path=\"node/%u\" class=\"menu-link\">%s</a></li>\n",
			 1000 + i * 7, t.data);
		buf_release(&t);
	}
	buf_adds(nav, "</ul>\n</nav>\n");
	buf_adds(foot, "<footer role=\"contentinfo\" class=\"site-footer\">\n<ul class=\"menu menu--footer\">\n");
	for (i = 0; i < 30; i++) {
		buf_addf(foot, "<li class=\"menu-item\"><a href=\"/footer-link-%u\" class=\"menu-link\">", i);
		words_into(foot, &s, 2 + i % 3, 1);
		buf_adds(foot, "</a></li>\n");
	}
	buf_adds(foot, "</ul>\n<p class=\"copyright\">Crown copyright &copy;. Except where otherwise noted, this work is licensed under a "
		 "Creative Commons Attribution 4.0 International licence.</p>\n</footer>\n");
	for (i = 0; i < 8; i++)
		buf_addf(foot, "<script src=\"/sites/default/files/js/js_%08x.js?scope=footer&amp;delta=%u&amp;language=en&amp;theme=dpmc\"></script>\n",
			 rnd(&s), i);
	buf_adds(foot, "</body>\n</html>\n");
}

static void page(struct buf *b, const struct buf *head, const struct buf *nav,
		 const struct buf *foot, unsigned n)
{
	uint32_t s = 0x9e3779b9u * (n + 1);
	unsigned p, paras = 6 + rnd(&s) % 14;

	buf_add(b, head->data, head->len);
	buf_adds(b, "<title>");
	words_into(b, &s, 3 + n % 4, 1);
	buf_addf(b, " | Department of the Prime Minister and Cabinet (DPMC)</title>\n");
	buf_add(b, nav->data, nav->len);
	buf_addf(b, "<ol class=\"breadcrumb\"><li><a href=\"/\">Home</a></li><li>%s</li></ol>\n"
		    "<main role=\"main\" id=\"main-content\"><h1>", words[n % NWORDS]);
	words_into(b, &s, 3 + n % 5, 1);
	buf_addf(b, "</h1>\n<div class=\"field--name-field-issue-date\">Issue date: %u %s 2024</div>\n",
		 1 + n % 28, n % 2 ? "October" : "November");
	for (p = 0; p < paras; p++) {
		buf_adds(b, "<p>");
		words_into(b, &s, 50 + rnd(&s) % 80, 1);
		buf_adds(b, ".</p>\n");
	}
	buf_addf(b, "<p class=\"last-updated\">Last updated %s, %u October 2024</p>\n</main>\n",
		 n % 2 ? "Monday" : "Tuesday", 1 + n % 28);
	buf_add(b, foot->data, foot->len);
}

static void chunk(const struct buf *in, struct buf *out)
{
	size_t at = 0;

	while (at < in->len) {
		size_t n = in->len - at < 8000 ? in->len - at : 8000;

		buf_addf(out, "%zx\r\n", n);
		buf_add(out, in->data + at, n);
		buf_adds(out, "\r\n");
		at += n;
	}
	buf_adds(out, "0\r\n\r\n");
}

static int write_archive(const char *dir, const char *fmt, unsigned npages,
			 const char *prefix)
{
	struct warc_writer_opts o;
	struct warc_writer *w;
	struct buf nav = BUF_INIT(0), html = BUF_INIT(0), body = BUF_INIT(0),
		   phead = BUF_INIT(0), foot = BUF_INIT(0),
		   head = BUF_INIT(0), req = BUF_INIT(0), meta = BUF_INIT(0);
	char dictdir[4096], uri[256], date[40], first_date[40] = "";
	char first_id[64] = "", first_digest[80] = "";
	struct err e;
	unsigned i;
	int rc = 1;

	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.prefix = prefix;
	if (!strcmp(fmt, "gz"))
		o.format = WARC_FMT_GZ;
	else if (!strcmp(fmt, "warc"))
		o.format = WARC_FMT_PLAIN;
	else
		o.format = WARC_FMT_ZST;
	snprintf(dictdir, sizeof(dictdir), "%s/dict", dir);
	if (o.format == WARC_FMT_ZST) {
		mkdir(dictdir, 0755);
		o.dict_dir = dictdir;
		o.train_bytes = npages >= 40 ? 1u << 20 : 100000;
	}
	o.warcinfo = "software: govarch test-warc-write\r\nformat: WARC File Format 1.1\r\n"
		     "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
		     "isPartOf: test\r\n";
	w = warc_writer_open(&o, &e);
	if (!w) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	shared_parts(&phead, &nav, &foot);
	for (i = 0; i < npages; i++) {
		struct warc_record_in in;
		struct warc_record_out rq, rs;
		struct timespec ts = { 1729472523 + (time_t)i * 7, 123456000 };
		int chunked = i % 3 == 1, revisit = i % 5 == 4 && first_id[0];

		time_warc_date(ts, date);
		snprintf(uri, sizeof(uri), "http://127.0.0.1:8000/our-programmes/page-%u", i);
		buf_reset(&req);
		buf_addf(&req, "GET /our-programmes/page-%u HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
			       "User-Agent: govarch/0.1 (+https://example.org/govarch)\r\nAccept: */*\r\n\r\n", i);
		memset(&in, 0, sizeof(in));
		in.type = WARC_T_REQUEST;
		in.target_uri = uri;
		in.date = date;
		in.ip_address = "127.0.0.1";
		in.head = req.data;
		in.head_len = req.len;
		if (warc_writer_write(w, &in, &rq, &e) < 0)
			goto fail;
		buf_reset(&html);
		page(&html, &phead, &nav, &foot, revisit ? 0 : i);
		buf_reset(&body);
		if (chunked)
			chunk(&html, &body);
		else
			buf_add(&body, html.data, html.len);
		buf_reset(&head);
		buf_addf(&head, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n%s"
				"Last-Modified: Mon, 21 Oct 2024 01:02:03 GMT\r\n\r\n",
			 chunked ? "Transfer-Encoding: chunked\r\n" : "");
		if (!chunked)
			buf_addf(&head, "%s", "");
		memset(&in, 0, sizeof(in));
		in.target_uri = uri;
		in.date = date;
		in.ip_address = "127.0.0.1";
		in.concurrent_to = rq.id;
		in.head = head.data;
		in.head_len = head.len;
		if (revisit) {
			in.type = WARC_T_REVISIT;
			in.profile = WARC_PROFILE_IDENTICAL;
			in.refers_to = first_id;
			in.refers_to_target_uri = "http://127.0.0.1:8000/our-programmes/page-0";
			in.refers_to_date = first_date;
			in.payload_digest = first_digest;
			in.truncated = "length";
		} else {
			in.type = WARC_T_RESPONSE;
			in.body = body.data;
			in.body_len = body.len;
		}
		if (warc_writer_write(w, &in, &rs, &e) < 0)
			goto fail;
		if (i == 0) {
			snprintf(first_id, sizeof(first_id), "%s", rs.id);
			snprintf(first_date, sizeof(first_date), "%s", date);
			snprintf(first_digest, sizeof(first_digest), "%s", rs.payload_digest);
		}
		buf_reset(&meta);
		buf_addf(&meta, "via: http://127.0.0.1:8000/\r\nhopsFromSeed: L\r\n"
				"outlink: http://127.0.0.1:8000/our-programmes/page-%u\r\n", i + 1);
		memset(&in, 0, sizeof(in));
		in.type = WARC_T_METADATA;
		in.target_uri = uri;
		in.date = date;
		in.concurrent_to = rs.id;
		in.body = meta.data;
		in.body_len = meta.len;
		if (warc_writer_write(w, &in, NULL, &e) < 0)
			goto fail;
	}
	{
		struct warc_record_in in;

		memset(&in, 0, sizeof(in));
		in.type = WARC_T_RESOURCE;
		in.target_uri = "urn:x-govarch:test:crawl-log";
		in.date = "2024-10-21T02:00:00Z";
		in.content_type = "text/plain";
		in.body = "crawl finished\n";
		in.body_len = 15;
		if (warc_writer_write(w, &in, NULL, &e) < 0)
			goto fail;
	}
	if (warc_writer_close(w, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		w = NULL;
		goto out;
	}
	w = NULL;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "%s\n", e.msg);
out:
	warc_writer_abort(w);
	buf_release(&nav);
	buf_release(&phead);
	buf_release(&foot);
	buf_release(&html);
	buf_release(&body);
	buf_release(&head);
	buf_release(&req);
	buf_release(&meta);
	return rc;
}

static void test_self(void **state)
{
	char dir[] = "/tmp/test-warc-write-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(write_archive(dir, "zst", 12, "self"), 0);
	assert_int_equal(write_archive(dir, "gz", 3, "self"), 0);
	test_rmrf(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_self) };

	if (argc == 1)
		return cmocka_run_group_tests(tests, NULL, NULL);
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: test-warc-write DIR zst|gz|warc NPAGES [PREFIX]\n");
		return 2;
	}
	return write_archive(argv[1], argv[2], (unsigned)atoi(argv[3]),
			     argc > 4 ? argv[4] : "govarch");
}
