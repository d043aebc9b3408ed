/* catalog browse: what the replay server's pages ask that no command does -
 * the archived URLs under a prefix, and every crawl's changes at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-int.h"
#include "util/timeutil.h"

/* catalog_change_counts compares every crawl: a handle keeps its last
 * answer while the catalog's captures and crawls stay the same, and at
 * most this long (seconds; texts extracted again change no row count). */
#define COUNTS_TTL 600.0

/* The smallest string above every string starting with prefix: prefix with
 * its last byte below 0xFF incremented (and what follows dropped).  0 when
 * there is none (prefix empty or all 0xFF): no upper bound. */
static int prefix_end(const char *prefix, char **end)
{
	size_t n = strlen(prefix);

	*end = NULL;
	while (n && (unsigned char)prefix[n - 1] == 0xFF)
		n--;
	if (!n)
		return 0;
	*end = malloc(n + 1);
	if (!*end)
		return -1;
	memcpy(*end, prefix, n);
	(*end)[n - 1] = (char)((unsigned char)prefix[n - 1] + 1);
	(*end)[n] = '\0';
	return 1;
}

void catalog_url_hits_free(struct catalog_url_hit *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i].url);
	free(v);
}

/* Only URLs with a capture: a deleted capture (resume after a crash) may
 * leave its urls row behind. */
#define RANGE " u.url >= ?1 AND (?2 IS NULL OR u.url < ?2)" \
	" AND EXISTS (SELECT 1 FROM caps c WHERE c.url = u.id)"

int catalog_urls_by_prefix(struct catalog *c, const char *prefix, size_t max,
			   struct catalog_url_hit **v, size_t *n, size_t *total,
			   struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct catalog_url_hit *out = NULL;
	size_t cnt = 0;
	char *end = NULL;
	int rc;

	*v = NULL;
	*n = 0;
	if (total)
		*total = 0;
	if (!prefix)
		prefix = "";
	if (prefix_end(prefix, &end) < 0)
		return err_set(e, "%s: out of memory", c->db.path);
	if (total) {
		if (db_prepare(&c->db, "SELECT count(*) FROM urls u WHERE" RANGE,
			       &st, e) < 0)
			goto fail;
		db_bind_str(st, 1, prefix);
		db_bind_str(st, 2, end);
		if (sqlite3_step(st) != SQLITE_ROW) {
			db_error(&c->db, e, "urls by prefix");
			goto fail;
		}
		*total = (size_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		st = NULL;
	}
	if (!max)
		goto done;
	out = calloc(max, sizeof(*out));
	if (!out) {
		err_set(e, "%s: out of memory", c->db.path);
		goto fail;
	}
	if (db_prepare(&c->db, "SELECT u.url, (SELECT max(ts) FROM caps c WHERE "
		       "c.url = u.id), (SELECT count(*) FROM caps c WHERE c.url "
		       "= u.id) FROM urls u WHERE" RANGE " ORDER BY u.url "
		       "LIMIT ?3", &st, e) < 0)
		goto fail;
	db_bind_str(st, 1, prefix);
	db_bind_str(st, 2, end);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && cnt < max) {
		const unsigned char *ts = sqlite3_column_text(st, 1);

		if (!(out[cnt].url = db_col_dup(st, 0))) {
			err_set(e, "%s: out of memory", c->db.path);
			goto fail;
		}
		if (ts) {
			strncpy(out[cnt].ts, (const char *)ts, 14);
			out[cnt].ts[14] = '\0';
		}
		out[cnt].captures = (size_t)sqlite3_column_int64(st, 2);
		cnt++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_error(&c->db, e, "urls by prefix");
		goto fail;
	}
	sqlite3_finalize(st);
done:
	free(end);
	*v = out;
	*n = cnt;
	return 0;
fail:
	sqlite3_finalize(st);
	catalog_url_hits_free(out, cnt);
	free(end);
	return -1;
}

/* The pages (HTML and documents answering 2xx) of a crawl no complete
 * crawl came before: all added. */
static int first_crawl_pages(struct catalog *c, int64_t id, size_t *n,
			     struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&c->db, "SELECT count(DISTINCT url) FROM captures WHERE "
		       "crawl = ? AND eff_status BETWEEN 200 AND 299 AND mime IN "
		       "('text/html', 'application/xhtml+xml', 'application/pdf')",
		       &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(&c->db, e, "pages of a crawl");
}

/* One crawl's counts: what `changes` reports between the complete crawl
 * before it (prev, 0: none) and it. */
static int crawl_counts(struct catalog *c, int64_t prev, int64_t id,
			struct catalog_crawl_counts *out, struct err *e)
{
	struct catalog_changes ch;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->crawl = id;
	out->base = prev;
	if (!prev)
		return first_crawl_pages(c, id, &out->added, e);
	if (catalog_changes(c, prev, id, &ch, e) < 0)
		return -1;
	for (i = 0; i < ch.n; i++)
		switch (ch.v[i].kind) {
		case CATALOG_ADDED: out->added++; break;
		case CATALOG_EDITED: out->edited++; break;
		case CATALOG_SILENT: out->silent++; break;
		case CATALOG_REMOVED: out->removed++; break;
		default: break;
		}
	catalog_changes_release(&ch);
	return 0;
}

/* What the counts depend on: the captures (largest row id and how many:
 * an added or deleted row changes one of them) and the crawls. */
static int counts_key(struct catalog *c, char key[128], struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&c->db, "SELECT (SELECT max(id) FROM caps), (SELECT "
		       "count(*) FROM caps), (SELECT max(id) FROM crawls), "
		       "(SELECT count(*) FROM crawls)", &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(key, 128, "%lld/%lld/%lld/%lld",
			 (long long)sqlite3_column_int64(st, 0),
			 (long long)sqlite3_column_int64(st, 1),
			 (long long)sqlite3_column_int64(st, 2),
			 (long long)sqlite3_column_int64(st, 3));
	else
		db_error(&c->db, e, "changes per crawl");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* A copy of the cached answer for the caller. */
static int counts_copy(struct catalog *c, struct catalog_crawl_counts **v,
		       size_t *n, struct err *e)
{
	*v = malloc((c->ncounts ? c->ncounts : 1) * sizeof(**v));
	if (!*v)
		return err_set(e, "%s: out of memory", c->db.path);
	if (c->ncounts)
		memcpy(*v, c->counts, c->ncounts * sizeof(**v));
	*n = c->ncounts;
	return 0;
}

int catalog_change_counts(struct catalog *c, size_t latest,
			  struct catalog_crawl_counts **v, size_t *n,
			  struct err *e)
{
	struct catalog_crawl_counts *out = NULL;
	struct catalog_crawl *cr = NULL;
	size_t cnt = 0, ncr = 0, i;
	size_t first;
	int64_t prev = 0;
	char key[128];

	*v = NULL;
	*n = 0;
	if (counts_key(c, key, e) < 0)
		return -1;
	snprintf(key + strlen(key), sizeof(key) - strlen(key), "/%zu", latest);
	if (c->counts && !strcmp(key, c->counts_key) &&
	    time_mono() - c->counts_time < COUNTS_TTL)
		return counts_copy(c, v, n, e);
	if (catalog_crawls(c, &cr, &ncr, e) < 0)
		return -1;
	first = ncr > latest ? ncr - latest : 0;
	out = calloc(ncr - first ? ncr - first : 1, sizeof(*out));
	if (!out) {
		free(cr);
		return err_set(e, "%s: out of memory", c->db.path);
	}
	for (i = 0; i < ncr; i++) {
		if (i >= first &&
		    crawl_counts(c, prev, cr[i].id, &out[i - first], e) < 0) {
			free(cr);
			free(out);
			return -1;
		}
		if (!strcmp(cr[i].status, "complete"))
			prev = cr[i].id;
	}
	cnt = ncr - first;
	free(cr);
	free(c->counts);
	c->counts = out;
	c->ncounts = cnt;
	memcpy(c->counts_key, key, sizeof(key));
	c->counts_time = time_mono();
	return counts_copy(c, v, n, e);
}
