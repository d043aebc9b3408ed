/* test-catalog-synth: a synthetic catalog for scripts/bench-changes, and a
 * check that `changes` finds exactly what was planted at scale.
 *
 *   test-catalog-synth DIR NPAGES NCRAWLS
 *       writes DIR/catalog.sqlite: NPAGES pages (8-12 paragraphs each) in
 *       each of NCRAWLS complete crawls.  Between consecutive crawls, of
 *       every 100 pages: 3 edited (text and date), 2 silent, 2 date-only,
 *       1 removed (404), and 1 new page added; the others unchanged (as the
 *       crawler's revisits: same text).  Crawl 3 also rewords the footer
 *       on every page (one site-wide change).  Rows go in through SQL in
 *       the catalog's own schema (catalog_open makes it): extracting 60,000
 *       pages would measure the extractor, not `changes`.
 *   test-catalog-synth      (no arguments: 400 pages x 3 crawls in a
 *                            temporary directory, counts checked)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "catalog/catalog.h"
#include "util/buf.h"
#include "util/digest.h"
#include "test-helpers.h"

static const char *const words[] = { "cabinet", "minister", "policy",
	"national", "security", "office", "government", "review", "emergency",
	"management", "community", "report", "strategy", "public", "service",
	"advice", "honours", "constitution", "official", "information",
	"release", "guidance", "wellbeing", "resilience", "agency", "framework" };
#define NW (sizeof(words) / sizeof(words[0]))

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* Page p's plan: what happens to it at step s (crawl s -> s+1). */
enum plan { SAME, EDIT, SILENT, DATEONLY, REMOVE };

static enum plan plan_of(int p, int s)
{
	unsigned r = (unsigned)(mix((uint64_t)p * 7919 + (uint64_t)s) % 100);

	return r < 3 ? EDIT : r < 5 ? SILENT : r < 7 ? DATEONLY :
	       r < 8 ? REMOVE : SAME;
}

struct state {
	int alive, text_rev, date_rev;
};

static void paragraph(struct buf *b, uint64_t seed)
{
	int n = 12 + (int)(seed % 20), i;

	for (i = 0; i < n; i++) {
		seed = mix(seed + (uint64_t)i);
		buf_addf(b, "%s%s", i ? " " : "", words[seed % NW]);
	}
	buf_addc(b, '.');
}

/* The stored text ("KIND\tTEXT" lines) and its digest (over the texts). */
static void page_text(int p, int rev, struct buf *stored, char digest[48])
{
	struct buf plain = BUF_INIT(0), para = BUF_INIT(0);
	int n = 8 + p % 5, i;

	buf_reset(stored);
	buf_addf(stored, "h1\tPage %d\n", p);
	buf_addf(&plain, "Page %d", p);
	for (i = 0; i < n; i++) {
		/* a revision rewrites one paragraph */
		uint64_t seed = (uint64_t)p * 1000 + (uint64_t)i +
			(i == rev % n && rev ? (uint64_t)rev * 1000003 : 0);

		buf_reset(&para);
		paragraph(&para, seed);
		buf_addf(stored, "p\t%s\n", para.data);
		buf_addf(&plain, "\n%s", para.data);
	}
	digest_sha1_label(plain.data, plain.len, digest);
	buf_release(&plain);
	buf_release(&para);
}

static int run_sql(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "test-catalog-synth: %s\n", msg);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int synth(const char *dir, int npages, int ncrawls)
{
	struct catalog *c;
	struct state *st;
	struct buf text = BUF_INIT(0), path = BUF_INIT(0);
	sqlite3 *db = NULL;
	sqlite3_stmt *cap = NULL, *txt = NULL, *boil = NULL;
	char digest[48], bdig[2][48], date[40], ts[32];
	const char *boiler[2] = { "Help us improve\nOld footer wording.\n",
				  "Help us improve\nNew footer wording, 2024.\n" };
	int total = npages + npages / 100 * ncrawls + ncrawls, k, p, rc = -1;
	int64_t id;
	struct err e;

	st = calloc((size_t)total, sizeof(*st));
	c = catalog_open(dir, CATALOG_CREATE, &e);
	if (!st || !c) {
		fprintf(stderr, "test-catalog-synth: %s\n", c ? "no memory" : e.msg);
		goto out;
	}
	for (k = 1; k <= ncrawls; k++) {
		snprintf(date, sizeof(date), "2024-10-%02dT00:00:00Z", k);
		if (catalog_crawl_begin(c, date, "synth.conf", "", &id, &e) < 0 ||
		    catalog_crawl_end(c, id, date, "complete", (uint64_t)npages,
				      0, 0, &e) < 0) {
			fprintf(stderr, "test-catalog-synth: %s\n", e.msg);
			goto out;
		}
	}
	catalog_close(c);
	c = NULL;
	buf_addf(&path, "%s/%s", dir, CATALOG_FILE);
	if (sqlite3_open(path.data, &db) != SQLITE_OK ||
	    run_sql(db, "PRAGMA synchronous=OFF; BEGIN") < 0 ||
	    sqlite3_prepare_v2(db, "INSERT INTO captures(crawl, url, surt, ts, "
			       "date, status, eff_status, mime, payload_digest, "
			       "rtype, record_id, file, offset, length, title, "
			       "last_updated, text_digest, boiler_digest, rule) "
			       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, 'text/html', "
			       "?7, ?8, ?9, 'synth.warc.zst', ?10, 4000, ?11, ?12, "
			       "?13, ?14, 'rule:synth')", -1, &cap, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO texts VALUES(?, ?)", -1,
			       &txt, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO boilers VALUES(?, ?)",
			       -1, &boil, NULL) != SQLITE_OK) {
		fprintf(stderr, "test-catalog-synth: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	for (k = 0; k < 2; k++) {
		digest_sha1_label(boiler[k], strlen(boiler[k]), bdig[k]);
		sqlite3_bind_text(boil, 1, bdig[k], -1, SQLITE_STATIC);
		sqlite3_bind_text(boil, 2, boiler[k], -1, SQLITE_STATIC);
		sqlite3_step(boil);
		sqlite3_reset(boil);
	}
	for (p = 0; p < npages; p++)
		st[p].alive = 1;
	for (k = 1; k <= ncrawls; k++) {
		int born = npages + (k - 1) * (npages / 100 + 1);

		if (k > 1) {    /* step k-1: plant the changes */
			for (p = 0; p < born; p++) {
				if (!st[p].alive)
					continue;
				switch (plan_of(p, k - 1)) {
				case EDIT: st[p].text_rev++; st[p].date_rev++; break;
				case SILENT: st[p].text_rev++; break;
				case DATEONLY: st[p].date_rev++; break;
				case REMOVE: st[p].alive = 2; break;
				default: break;
				}
			}
			for (p = born; p < born + npages / 100 + 1 && p < total; p++)
				st[p].alive = 1;
		}
		for (p = 0; p < total; p++) {
			char url[96], surt[96], lu[16], title[32], rid[64];
			static int64_t seq;

			if (!st[p].alive || st[p].alive == 3)
				continue;
			snprintf(url, sizeof(url), "https://www.example.govt.nz/p/%d", p);
			snprintf(surt, sizeof(surt), "nz,govt,example)/p/%d", p);
			snprintf(ts, sizeof(ts), "202410%02d%02d%02d%02d", k % 100,
				 p / 3600 % 24, p / 60 % 60, p % 60);
			snprintf(date, sizeof(date), "2024-10-%02dT%02d:%02d:%02dZ",
				 k % 100, p / 3600 % 24, p / 60 % 60, p % 60);
			snprintf(lu, sizeof(lu), "2024-%02d-%02d",
				 1 + st[p].date_rev % 12, 1 + p % 28);
			snprintf(title, sizeof(title), "Page %d", p);
			snprintf(rid, sizeof(rid), "<urn:uuid:synth-%lld>",
				 (long long)++seq);
			page_text(p, st[p].text_rev, &text, digest);
			sqlite3_bind_text(txt, 1, digest, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(txt, 2, text.data, (int)text.len,
					  SQLITE_TRANSIENT);
			sqlite3_step(txt);
			sqlite3_reset(txt);
			sqlite3_bind_int(cap, 1, k);
			sqlite3_bind_text(cap, 2, url, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(cap, 3, surt, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(cap, 4, ts, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(cap, 5, date, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(cap, 6, st[p].alive == 2 ? 404 : 200);
			sqlite3_bind_text(cap, 7, digest, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(cap, 8, 0);
			sqlite3_bind_text(cap, 9, rid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(cap, 10, seq * 4000);
			sqlite3_bind_text(cap, 11, title, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(cap, 12, st[p].alive == 2 ? "" : lu, -1,
					  SQLITE_TRANSIENT);
			if (st[p].alive == 2) {
				sqlite3_bind_null(cap, 13);
				sqlite3_bind_null(cap, 14);
			} else {
				sqlite3_bind_text(cap, 13, digest, -1, SQLITE_TRANSIENT);
				sqlite3_bind_text(cap, 14, bdig[k >= 3], -1,
						  SQLITE_TRANSIENT);
			}
			if (sqlite3_step(cap) != SQLITE_DONE) {
				fprintf(stderr, "test-catalog-synth: %s\n",
					sqlite3_errmsg(db));
				goto out;
			}
			sqlite3_reset(cap);
			if (st[p].alive == 2)
				st[p].alive = 3;    /* 404 once, then gone */
		}
	}
	if (run_sql(db, "COMMIT; ANALYZE") < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(cap);
	sqlite3_finalize(txt);
	sqlite3_finalize(boil);
	if (db)
		sqlite3_close(db);
	catalog_close(c);
	buf_release(&text);
	buf_release(&path);
	free(st);
	return rc;
}

/* Self-check: the changes found are the ones planted. */
static void test_synth_counts(void **state)
{
	char tmpl[] = "/tmp/govarch-synth.XXXXXX";
	char *dir = mkdtemp(tmpl);
	struct catalog *c;
	struct catalog_changes ch;
	size_t count[CATALOG_FAILED + 1], i;
	int p, want_edit = 0, want_silent = 0, want_date = 0, want_rm = 0;
	struct err e;

	(void)state;
	assert_non_null(dir);
	assert_int_equal(synth(dir, 400, 3), 0);
	for (p = 0; p < 400; p++) {
		enum plan a = plan_of(p, 1), b = plan_of(p, 2);

		if (a == REMOVE)
			continue;       /* gone at step 1 */
		want_edit += b == EDIT;
		want_silent += b == SILENT;
		want_date += b == DATEONLY;
		want_rm += b == REMOVE;
	}
	c = catalog_open(dir, CATALOG_READONLY, &e);
	assert_non_null(c);
	assert_int_equal(catalog_changes(c, 2, 3, &ch, &e), 0);
	memset(count, 0, sizeof(count));
	for (i = 0; i < ch.n; i++)
		count[ch.v[i].kind]++;
	/* the step-1 page born at 400..404 may change at step 2 too: count
	 * only what can't: removals of old pages, the site-wide footer */
	assert_int_equal(count[CATALOG_SITEWIDE], 1);
	assert_true(count[CATALOG_EDITED] >= (size_t)want_edit);
	assert_true(count[CATALOG_SILENT] >= (size_t)want_silent);
	assert_true(count[CATALOG_DATE_ONLY] >= (size_t)want_date);
	assert_true(count[CATALOG_REMOVED] >= (size_t)want_rm);
	assert_int_equal(count[CATALOG_ADDED], 5);
	catalog_changes_release(&ch);
	assert_int_equal(catalog_changes(c, 1, 2, &ch, &e), 0);
	for (i = 0; i < ch.n; i++)
		assert_int_not_equal(ch.v[i].kind, CATALOG_SITEWIDE);
	catalog_changes_release(&ch);
	catalog_close(c);
	test_rmrf(dir);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synth_counts),
	};

	if (argc == 4)
		return synth(argv[1], atoi(argv[2]), atoi(argv[3])) < 0 ? 1 : 0;
	if (argc != 1) {
		fprintf(stderr, "usage: test-catalog-synth [DIR NPAGES NCRAWLS]\n");
		return 2;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
