/* libFuzzer target for the search query check (src/catalog/search.c):
 * any bytes as a query; what it accepts must be a well-formed FTS5
 * expression made of strings, operators and parentheses only.  Not built
 * by default; `make fuzz` builds it:
 *
 *   mkdir -p /tmp/fuzz-sq && build-fuzz/fuzz-search-query -max_total_time=60 /tmp/fuzz-sq tests/fuzz/corpus/search-query
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "catalog/catalog-search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One in-memory FTS5 table, made once: an accepted query must never be a
 * syntax error for FTS5 itself. */
static sqlite3 *db;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf fts = BUF_INIT(0);
	struct err e;
	char *q;

	if (size > 4096)
		return 0;
	if (!(q = malloc(size + 1)))
		return 0;
	memcpy(q, data, size);
	q[size] = '\0';
	if (catalog_search_query(q, &fts, &e) == 0) {
		sqlite3_stmt *st = NULL;
		int rc;

		if (!db && (sqlite3_open(":memory:", &db) != SQLITE_OK ||
			    sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5("
					 "text, content='', tokenize='unicode61 "
					 "remove_diacritics 2'); INSERT INTO "
					 "f(rowid, text) VALUES(1, 'the cabinet "
					 "manual and the honours')", NULL, NULL,
					 NULL) != SQLITE_OK))
			abort();
		if (sqlite3_prepare_v2(db, "SELECT rowid FROM f WHERE f MATCH ?",
				       -1, &st, NULL) != SQLITE_OK)
			abort();
		sqlite3_bind_text(st, 1, fts.data, (int)fts.len, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		/* accepted means FTS5 takes it */
		if (rc != SQLITE_DONE)
			abort();
		sqlite3_finalize(st);
	} else if (strncmp(e.msg, "malformed query: ", 17) != 0) {
		abort();
	}
	buf_release(&fts);
	free(q);
	return 0;
}
