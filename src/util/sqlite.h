/* sqlite: the one way govarch opens and uses an SQLite database (the
 * catalog, the crawl state): WAL, synchronous=NORMAL, a busy timeout, a
 * read-only mode, one-line errors naming the file, and a cache of prepared
 * statements for the hot paths. */
#ifndef GOVARCH_UTIL_SQLITE_H
#define GOVARCH_UTIL_SQLITE_H

#include <sqlite3.h>

#include "util/err.h"

#define DB_STMT_CACHE 48
#define DB_BUSY_TIMEOUT_MS 10000

struct db {
	sqlite3 *h;
	char *path;
	/* prepared statements, keyed by their SQL text's address */
	const char *sql[DB_STMT_CACHE];
	sqlite3_stmt *st[DB_STMT_CACHE];
};

enum { DB_READONLY = 1 };

/* Open path (created when missing unless DB_READONLY) with a busy timeout;
 * read-write opens are switched to WAL with synchronous=NORMAL.  On error
 * d is released and e says "PATH: why". */
int db_open(struct db *d, const char *path, int flags, struct err *e);
/* Finalize the cached statements and close; a zeroed d is a no-op. */
void db_close(struct db *d);

/* Fill e with "PATH: what: SQLite's message"; returns -1. */
int db_error(struct db *d, struct err *e, const char *what);
int db_exec(struct db *d, const char *sql, struct err *e);
/* A new statement for sql, the caller finalizes it. */
int db_prepare(struct db *d, const char *sql, sqlite3_stmt **st,
	       struct err *e);
/* The statement for sql (a string with static storage: it is the key),
 * prepared once, returned reset and unbound; d owns it. */
int db_cached(struct db *d, const char *sql, sqlite3_stmt **st,
	      struct err *e);

/* Bind a string, or NULL when s is NULL. */
void db_bind_str(sqlite3_stmt *st, int i, const char *s);
/* Column i as a malloc'd string, NULL when it is NULL (or out of memory). */
char *db_col_dup(sqlite3_stmt *st, int i);

#endif
