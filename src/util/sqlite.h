/* sqlite: the one way govarch opens and uses an SQLite database (the
 * catalog, the crawl state): WAL, synchronous=NORMAL, a busy timeout, a
 * read-only mode, one-line errors naming the file, and a cache of prepared
 * statements for the hot paths.  A damaged file (SQLITE_CORRUPT or
 * SQLITE_NOTADB, found at open or by any later statement) is one error:
 * "PATH: damaged database (SQLite's message); RECOVER", RECOVER being the
 * caller's sentence saying which command recovers it. */
#ifndef GOVARCH_UTIL_SQLITE_H
#define GOVARCH_UTIL_SQLITE_H

#include <sqlite3.h>

#include "util/err.h"

#define DB_STMT_CACHE 48
#define DB_BUSY_TIMEOUT_MS 10000
/* A read-only open maps the file (up to this much address space) instead
 * of copying each page with a read(): a search reading 20,000 texts made
 * 4,000 page reads, a fifth of its time */
#define DB_READONLY_MMAP "1073741824"

struct db {
	sqlite3 *h;
	char *path;
	const char *recover;        /* how to recover a damaged file, or NULL */
	/* prepared statements, keyed by their SQL text's address */
	const char *sql[DB_STMT_CACHE];
	sqlite3_stmt *st[DB_STMT_CACHE];
};

enum { DB_READONLY = 1, DB_SMALL_PAGES = 2 };

/* A new file's page size with DB_SMALL_PAGES (SQLite's default is 4 KB):
 * an archive's databases are mostly small tables and indexes, each taking
 * at least one page, and texts of a few KB, each ending in a part-filled
 * overflow page; 2 KB pages made the catalog of two crawls 2-4% smaller
 * (the Python manual's 8.2 MB, the replica's 1.6 MB), and the state of a
 * finished crawl (a page per table and index) half as big. */
#define DB_SMALL_PAGE_SIZE 2048

/* Open path (created when missing unless DB_READONLY) with a busy timeout;
 * a file created with DB_SMALL_PAGES gets DB_SMALL_PAGE_SIZE pages (an
 * existing file keeps its own);
 * read-write opens are switched to WAL with synchronous=NORMAL and pass
 * SQLite's PRAGMA quick_check (a read-only open reads the schema).  recover
 * (a string with static storage, or NULL) ends the error for a damaged
 * file.  On error d is released and e says "PATH: why". */
int db_open(struct db *d, const char *path, int flags, const char *recover,
	    struct err *e);
/* Finalize the cached statements and close; a zeroed d is a no-op. */
void db_close(struct db *d);

/* Fill e with "PATH: what: SQLite's message" (the damaged-file error when
 * SQLite's last error says so); returns -1. */
int db_error(struct db *d, struct err *e, const char *what);
int db_exec(struct db *d, const char *sql, struct err *e);
/* 1 when SQLite's last error on d says the file is damaged. */
int db_damaged(struct db *d);
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
