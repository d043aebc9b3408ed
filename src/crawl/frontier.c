/* frontier: crawl state in SQLite (see frontier.h). */
#include "crawl/frontier.h"

#include <stdlib.h>
#include <string.h>

#include "util/sqlite.h"

struct frontier {
	struct db db;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE IF NOT EXISTS urls(id INTEGER PRIMARY KEY,"
	" url TEXT UNIQUE NOT NULL, host TEXT NOT NULL, hops INT, via TEXT,"
	" redirs INT, kind INT, status INT, tries INT DEFAULT 0,"
	" not_before REAL DEFAULT 0, outcome TEXT, pathkey TEXT);"
	/* The pending URLs alone, by host then id: the next URL of a host and
	 * the hosts with pending URLs are seeks, however many URLs are done. */
	"DROP INDEX IF EXISTS urls_next;"
	"CREATE INDEX IF NOT EXISTS urls_pending ON urls(host, id)"
	" WHERE status=0;"
	"CREATE INDEX IF NOT EXISTS urls_pathkey ON urls(pathkey);"
	/* URLs by status, kept by triggers: the crawl loop and the progress
	 * report ask often, and counting would read every URL */
	"CREATE TABLE IF NOT EXISTS counts(status INTEGER PRIMARY KEY,"
	" n INT NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS urls_counted AFTER INSERT ON urls BEGIN"
	" INSERT INTO counts VALUES(new.status, 1)"
	" ON CONFLICT(status) DO UPDATE SET n=n+1; END;"
	"CREATE TRIGGER IF NOT EXISTS urls_uncounted AFTER DELETE ON urls BEGIN"
	" UPDATE counts SET n=n-1 WHERE status=old.status; END;"
	"CREATE TRIGGER IF NOT EXISTS urls_recounted AFTER UPDATE OF status"
	" ON urls WHEN old.status IS NOT new.status BEGIN"
	" UPDATE counts SET n=n-1 WHERE status=old.status;"
	" INSERT INTO counts VALUES(new.status, 1)"
	" ON CONFLICT(status) DO UPDATE SET n=n+1; END;"
	/* a state from before the counts table: count once */
	"INSERT INTO counts SELECT status, count(*) FROM urls"
	" WHERE NOT EXISTS(SELECT 1 FROM counts) GROUP BY status;"
	"CREATE TABLE IF NOT EXISTS hosts(host TEXT PRIMARY KEY, next_at REAL,"
	" crawl_delay REAL);"
	"CREATE TABLE IF NOT EXISTS robots(host TEXT PRIMARY KEY, fetched REAL,"
	" status INT, body BLOB);"
	"CREATE TABLE IF NOT EXISTS warcs(name TEXT PRIMARY KEY,"
	" committed_end INT);";

void crawl_url_release(struct crawl_url *u)
{
	free(u->url);
	free(u->host);
	free(u->via);
	memset(u, 0, sizeof(*u));
}

struct frontier *frontier_open(const char *path, struct err *e)
{
	struct frontier *f = calloc(1, sizeof(*f));

	if (!f) {
		err_set(e, "%s: out of memory", path);
		return NULL;
	}
	if (db_open(&f->db, path, DB_SMALL_PAGES, FRONTIER_RECOVER, e) < 0) {
		free(f);
		return NULL;
	}
	if (db_exec(&f->db, schema, e) < 0) {
		frontier_close(f);
		return NULL;
	}
	return f;
}

void frontier_close(struct frontier *f)
{
	if (!f)
		return;
	db_close(&f->db);
	free(f);
}

/* The cached statement for sql (a string literal), NULL on error: the hot
 * paths (one call per link found) never parse SQL again. */
static sqlite3_stmt *prep(struct frontier *f, const char *sql)
{
	sqlite3_stmt *st = NULL;

	return db_cached(&f->db, sql, &st, NULL) < 0 ? NULL : st;
}

char *frontier_meta_get(struct frontier *f, const char *key)
{
	sqlite3_stmt *st = prep(f, "SELECT value FROM meta WHERE key=?");
	char *v = NULL;

	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = db_col_dup(st, 0);
	sqlite3_reset(st);
	return v;
}

int frontier_meta_set(struct frontier *f, const char *key, const char *value,
		      struct err *e)
{
	sqlite3_stmt *st = prep(f, "INSERT OR REPLACE INTO meta VALUES(?,?)");
	int rc = 0;

	if (!st)
		return db_error(&f->db, e, "meta");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(&f->db, e, "meta");
	sqlite3_reset(st);
	return rc;
}

int frontier_reset(struct frontier *f, struct err *e)
{
	return db_exec(&f->db, "BEGIN; DELETE FROM urls; DELETE FROM warcs;"
		       " COMMIT;", e);
}

int frontier_compact(struct frontier *f, struct err *e)
{
	return frontier_reset(f, e) < 0 ? -1 : db_exec(&f->db, "VACUUM", e);
}

int frontier_requeue_inflight(struct frontier *f, struct err *e)
{
	return db_exec(&f->db, "UPDATE urls SET status=0 WHERE status=1", e);
}

int frontier_begin(struct frontier *f, struct err *e)
{
	return db_exec(&f->db, "BEGIN IMMEDIATE", e);
}

int frontier_commit(struct frontier *f, struct err *e)
{
	return db_exec(&f->db, "COMMIT", e);
}

int frontier_rollback(struct frontier *f)
{
	return db_exec(&f->db, "ROLLBACK", NULL);
}

static char *pathkey_of(const char *url)
{
	const char *q = strchr(url, '?');

	return q ? strndup(url, (size_t)(q - url)) : NULL;
}

int frontier_add(struct frontier *f, const char *url, const char *host,
		 int hops, int redirs, const char *via, int kind, int status,
		 const char *outcome, struct err *e)
{
	sqlite3_stmt *st = prep(f, "INSERT OR IGNORE INTO urls(url, host, hops,"
				" redirs, via, kind, status, outcome, pathkey)"
				" VALUES(?,?,?,?,?,?,?,?,?)");
	char *pk = pathkey_of(url);
	int rc;

	if (!st) {
		free(pk);
		return db_error(&f->db, e, "add url");
	}
	sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, hops);
	sqlite3_bind_int(st, 4, redirs);
	sqlite3_bind_text(st, 5, via, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, kind);
	sqlite3_bind_int(st, 7, status);
	sqlite3_bind_text(st, 8, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, pk, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(&f->db, e, url);
	else
		rc = sqlite3_changes(f->db.h) > 0;
	sqlite3_reset(st);
	free(pk);
	return rc;
}

long frontier_query_variants(struct frontier *f, const char *pathkey,
			     long limit)
{
	/* the skipped variants are rows too: a calendar's can be thousands */
	sqlite3_stmt *st = prep(f, "SELECT count(*) FROM (SELECT 1 FROM urls"
				" WHERE pathkey=? LIMIT ?)");
	long n = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, pathkey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int frontier_next(struct frontier *f, const char *host, double now,
		  struct crawl_url *u, struct err *e)
{
	sqlite3_stmt *st = prep(f, "SELECT id, url, host, hops, via, kind,"
				" tries, not_before, redirs FROM urls WHERE"
				" host=? AND status=0 AND not_before<=?"
				" ORDER BY id LIMIT 1");
	int rc = 0;

	if (!st)
		return db_error(&f->db, e, "next");
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, now);
	if (sqlite3_step(st) == SQLITE_ROW) {
		memset(u, 0, sizeof(*u));
		u->id = sqlite3_column_int64(st, 0);
		u->url = db_col_dup(st, 1);
		u->host = db_col_dup(st, 2);
		u->hops = sqlite3_column_int(st, 3);
		u->via = db_col_dup(st, 4);
		u->kind = sqlite3_column_int(st, 5);
		u->tries = sqlite3_column_int(st, 6);
		u->not_before = sqlite3_column_double(st, 7);
		u->redirs = sqlite3_column_int(st, 8);
		rc = u->url && u->host ? 1 : err_set(e, "out of memory");
	}
	sqlite3_reset(st);
	return rc;
}

char **frontier_pending_hosts(struct frontier *f, struct err *e)
{
	/* One seek a host in urls_pending (SELECT DISTINCT would read every
	 * pending URL, and this runs whenever a page adds URLs) */
	sqlite3_stmt *st = prep(f, "WITH RECURSIVE h(host) AS ("
				" SELECT min(host) FROM urls WHERE status=0"
				" UNION ALL SELECT (SELECT min(host) FROM urls"
				" WHERE status=0 AND host>h.host) FROM h"
				" WHERE h.host IS NOT NULL)"
				" SELECT host FROM h WHERE host IS NOT NULL");
	char **v = NULL;
	size_t n = 0, alloc = 0;

	if (!st) {
		db_error(&f->db, e, "hosts");
		return NULL;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n + 2 > alloc) {
			char **nv;

			alloc = alloc ? alloc * 2 : 8;
			nv = realloc(v, alloc * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[n++] = db_col_dup(st, 0);
	}
	sqlite3_reset(st);
	if (!v)
		v = calloc(1, sizeof(*v));
	else
		v[n] = NULL;
	return v;
}

int frontier_set(struct frontier *f, int64_t id, int status, int tries,
		 double not_before, const char *outcome, struct err *e)
{
	sqlite3_stmt *st = prep(f, "UPDATE urls SET status=?, tries=?,"
				" not_before=?, outcome=? WHERE id=?");
	int rc = 0;

	if (!st)
		return db_error(&f->db, e, "set");
	sqlite3_bind_int(st, 1, status);
	sqlite3_bind_int(st, 2, tries);
	sqlite3_bind_double(st, 3, not_before);
	sqlite3_bind_text(st, 4, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(&f->db, e, "set");
	sqlite3_reset(st);
	return rc;
}

int frontier_counts(struct frontier *f, long counts[URL_NSTATUS])
{
	sqlite3_stmt *st = prep(f, "SELECT status, n FROM counts");

	memset(counts, 0, URL_NSTATUS * sizeof(long));
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int s = sqlite3_column_int(st, 0);

		if (s >= 0 && s < URL_NSTATUS)
			counts[s] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return 0;
}

int frontier_is_done(struct frontier *f, const char *url)
{
	sqlite3_stmt *st = prep(f, "SELECT status FROM urls WHERE url=?");
	int is_done = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		is_done = sqlite3_column_int(st, 0) == URL_DONE;
	sqlite3_reset(st);
	return is_done;
}

int frontier_host_load(struct frontier *f, const char *host, double *next_at,
		       double *crawl_delay)
{
	sqlite3_stmt *st = prep(f, "SELECT next_at, crawl_delay FROM hosts"
				" WHERE host=?");
	int found = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*next_at = sqlite3_column_double(st, 0);
		*crawl_delay = sqlite3_column_double(st, 1);
		found = 1;
	}
	sqlite3_reset(st);
	return found;
}

int frontier_host_save(struct frontier *f, const char *host, double next_at,
		       double crawl_delay)
{
	sqlite3_stmt *st = prep(f, "INSERT OR REPLACE INTO hosts VALUES(?,?,?)");
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, next_at);
	sqlite3_bind_double(st, 3, crawl_delay);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = -1;
	sqlite3_reset(st);
	return rc;
}

int frontier_robots_get(struct frontier *f, const char *host, double now,
			double max_age, int *status, char **body, size_t *len)
{
	sqlite3_stmt *st = prep(f, "SELECT fetched, status, body FROM robots"
				" WHERE host=?");
	int found = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    now - sqlite3_column_double(st, 0) <= max_age) {
		const void *b = sqlite3_column_blob(st, 2);
		size_t n = (size_t)sqlite3_column_bytes(st, 2);

		*status = sqlite3_column_int(st, 1);
		*body = malloc(n + 1);
		if (*body) {
			if (n)
				memcpy(*body, b, n);
			(*body)[n] = 0;
			*len = n;
			found = 1;
		}
	}
	sqlite3_reset(st);
	return found;
}

int frontier_robots_put(struct frontier *f, const char *host, double now,
			int status, const void *body, size_t len)
{
	sqlite3_stmt *st = prep(f, "INSERT OR REPLACE INTO robots"
				" VALUES(?,?,?,?)");
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 2, now);
	sqlite3_bind_int(st, 3, status);
	sqlite3_bind_blob(st, 4, body ? body : "", (int)len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = -1;
	sqlite3_reset(st);
	return rc;
}

int frontier_warc_get(struct frontier *f, const char *name, uint64_t *end)
{
	sqlite3_stmt *st = prep(f, "SELECT committed_end FROM warcs"
				" WHERE name=?");
	int found = 0;

	*end = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*end = (uint64_t)sqlite3_column_int64(st, 0);
		found = 1;
	}
	sqlite3_reset(st);
	return found;
}

int frontier_warc_set(struct frontier *f, const char *name, uint64_t end)
{
	sqlite3_stmt *st = prep(f, "INSERT INTO warcs VALUES(?,?) ON CONFLICT"
				"(name) DO UPDATE SET committed_end="
				"max(committed_end, excluded.committed_end)");
	int rc = 0;

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)end);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = -1;
	sqlite3_reset(st);
	return rc;
}

