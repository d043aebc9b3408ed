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

static const char *const words[] = {
	"cabinet", "minister", "policy", "national", "security", "office",
	"government", "review", "emergency", "management", "community",
	"report", "strategy", "public", "service", "advice", "honours",
	"constitution", "official", "information", "release", "guidance",
	"wellbeing", "resilience", "intelligence", "coordination", "support",
	"agency", "principles", "framework", "response", "recovery",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void menu(struct buf *b)
{
	uint32_t s = 42;
	unsigned i, k;

	buf_adds(b, "<nav class=\"main-menu\" aria-label=\"Main\"><ul class=\"menu\">\n");
	for (i = 0; i < 375; i++) {
		const char *a = words[rnd(&s) % NWORDS], *c = words[rnd(&s) % NWORDS];

		buf_addf(b, "<li class=\"menu-item menu-item--level-%u\"><a href=\"/our-programmes/%s-%s-%u\" "
			    "data-drupal-link-system-path=\"node/%u\">", 1 + i % 3, a, c, i, 1000 + i * 7);
		for (k = 0; k < 2 + i % 4; k++)
			buf_addf(b, "%s%s", k ? " " : "", words[rnd(&s) % NWORDS]);
		buf_adds(b, "</a></li>\n");
	}
	buf_adds(b, "</ul></nav>\n");
}

static void page(struct buf *b, const struct buf *nav, unsigned n)
{
	uint32_t s = 1000 + n;
	unsigned p, k, paras = 8 + n % 20;

	buf_addf(b, "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\"><head><meta charset=\"utf-8\">"
		    "<title>Page %u | Department of the Prime Minister and Cabinet (DPMC)</title>"
		    "<link rel=\"stylesheet\" href=\"/sites/default/files/css/css_%u.css\"></head>\n<body>\n", n, n % 3);
	buf_add(b, nav->data, nav->len);
	buf_addf(b, "<ol class=\"breadcrumb\"><li><a href=\"/\">Home</a></li><li>%s</li></ol>\n"
		    "<main role=\"main\"><h1>%s %s %u</h1>\n<div class=\"issue-date\">Issue date: %u %s 2024</div>\n",
		 words[n % NWORDS], words[(n * 7) % NWORDS], words[(n * 3) % NWORDS], n,
		 1 + n % 28, n % 2 ? "October" : "November");
	for (p = 0; p < paras; p++) {
		buf_adds(b, "<p>");
		for (k = 0; k < 60; k++)
			buf_addf(b, "%s%s", k ? " " : "", words[rnd(&s) % NWORDS]);
		buf_addf(b, " %u.</p>\n", rnd(&s) % 100000);
	}
	buf_addf(b, "</main>\n<footer><p>Last updated %s, %u October 2024</p></footer></body></html>\n",
		 n % 2 ? "Monday" : "Tuesday", 1 + n % 28);
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
	menu(&nav);
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
		page(&html, &nav, revisit ? 0 : i);
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
	buf_release(&html);
	buf_release(&body);
	buf_release(&head);
	buf_release(&req);
	buf_release(&meta);
	return rc;
}

static void test_self(void **state)
{
	char dir[] = "/tmp/test-warc-write-XXXXXX", cmd[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(write_archive(dir, "zst", 12, "self"), 0);
	assert_int_equal(write_archive(dir, "gz", 3, "self"), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
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
