/* sqlite: opening and using SQLite databases (see sqlite.h). */
#include "util/sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int damaged(struct db *d, struct err *e, const char *why)
{
	char w[256], *p;

	/* quick_check's report has several lines: the error stays one */
	snprintf(w, sizeof(w), "%s", why);
	for (p = w; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return err_set(e, "%s: damaged database (%s)%s%s", d->path, w,
		       d->recover ? "; " : "", d->recover ? d->recover : "");
}

int db_damaged(struct db *d)
{
	int c = d->h ? sqlite3_errcode(d->h) & 0xff : SQLITE_OK;

	return c == SQLITE_CORRUPT || c == SQLITE_NOTADB;
}

int db_error(struct db *d, struct err *e, const char *what)
{
	if (db_damaged(d))
		return damaged(d, e, sqlite3_errmsg(d->h));
	return err_set(e, "%s: %s: %s", d->path, what,
		       d->h ? sqlite3_errmsg(d->h) : "not open");
}

int db_exec(struct db *d, const char *sql, struct err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(d->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (db_damaged(d))
			damaged(d, e, sqlite3_errmsg(d->h));
		else
			err_set(e, "%s: %s", d->path,
				msg ? msg : sqlite3_errmsg(d->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* SQLite's quick_check (every page and index entry, not their contents
 * against each other: linear in the file), or for a read-only open the
 * schema read: a damaged file is refused at open, not half-read. */
static int check(struct db *d, int full, struct err *e)
{
	sqlite3_stmt *st;
	const char *sql = full ? "PRAGMA quick_check"
			       : "SELECT count(*) FROM sqlite_schema";
	int rc;

	if (sqlite3_prepare_v2(d->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(d, e, "open");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && full) {
		const char *r = (const char *)sqlite3_column_text(st, 0);

		if (!r || strcmp(r, "ok")) {
			damaged(d, e, r ? r : "quick_check failed");
			sqlite3_finalize(st);
			return -1;
		}
	} else if (rc != SQLITE_ROW) {
		db_error(d, e, "open");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

#define DB_STR_(x) #x
#define DB_STR(x) DB_STR_(x)

int db_open(struct db *d, const char *path, int flags, const char *recover,
	    struct err *e)
{
	int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY
		: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	memset(d, 0, sizeof(*d));
	if (!(d->path = strdup(path)))
		return err_set(e, "%s: out of memory", path);
	d->recover = recover;
	if (sqlite3_open_v2(path, &d->h, oflags, NULL) != SQLITE_OK) {
		db_error(d, e, "open");
		goto fail;
	}
	sqlite3_busy_timeout(d->h, DB_BUSY_TIMEOUT_MS);
	if (check(d, !(flags & DB_READONLY), e) < 0)
		goto fail;
	/* before WAL mode writes the first page (a no-op on an existing file) */
	if (!(flags & DB_READONLY) && (flags & DB_SMALL_PAGES) &&
	    db_exec(d, "PRAGMA page_size=" DB_STR(DB_SMALL_PAGE_SIZE), e) < 0)
		goto fail;
	if ((flags & DB_READONLY) &&
	    db_exec(d, "PRAGMA mmap_size=" DB_READONLY_MMAP, e) < 0)
		goto fail;
	if (!(flags & DB_READONLY) &&
	    (db_exec(d, "PRAGMA journal_mode=WAL", e) < 0 ||
	     db_exec(d, "PRAGMA synchronous=NORMAL", e) < 0))
		goto fail;
	return 0;
fail:
	db_close(d);
	return -1;
}

void db_close(struct db *d)
{
	size_t i;

	for (i = 0; i < DB_STMT_CACHE && d->sql[i]; i++)
		sqlite3_finalize(d->st[i]);
	if (d->h)
		sqlite3_close(d->h);
	free(d->path);
	memset(d, 0, sizeof(*d));
}

int db_prepare(struct db *d, const char *sql, sqlite3_stmt **st,
	       struct err *e)
{
	if (sqlite3_prepare_v2(d->h, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(d, e, "prepare");
	return 0;
}

int db_cached(struct db *d, const char *sql, sqlite3_stmt **st,
	      struct err *e)
{
	size_t i;

	for (i = 0; i < DB_STMT_CACHE && d->sql[i]; i++)
		if (d->sql[i] == sql) {
			sqlite3_reset(d->st[i]);
			sqlite3_clear_bindings(d->st[i]);
			*st = d->st[i];
			return 0;
		}
	if (i == DB_STMT_CACHE)
		return err_set(e, "%s: more than %d cached statements",
			       d->path, DB_STMT_CACHE);
	if (db_prepare(d, sql, &d->st[i], e) < 0)
		return -1;
	d->sql[i] = sql;
	*st = d->st[i];
	return 0;
}

void db_bind_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *db_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}
