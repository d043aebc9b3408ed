/* catalog repack: moving a finished crawl's captures to a repacked WARC
 * file, in steps a crash cannot tear apart (see catalog.h). */
#include "catalog/catalog-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/timeutil.h"

void catalog_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int catalog_crawl_files(struct catalog *c, int64_t id, char ***v, size_t *n,
			struct err *e)
{
	sqlite3_stmt *st = NULL;
	char **out = NULL;
	size_t k = 0, alloc = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if (db_prepare(&c->db, "SELECT s.s, (SELECT count(*) FROM caps o"
		       " WHERE o.file = f.file AND o.crawl != ?1)"
		       " FROM (SELECT DISTINCT file FROM caps WHERE crawl = ?1) f"
		       " JOIN strs s ON s.id = f.file ORDER BY s.s", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 1) > 0) {
			err_set(e, "%s: holds captures of crawl %lld and of "
				"other crawls: not repacked",
				(const char *)sqlite3_column_text(st, 0),
				(long long)id);
			goto fail;
		}
		if (k == alloc) {
			char **nv;

			alloc = alloc ? alloc * 2 : 8;
			nv = realloc(out, alloc * sizeof(*nv));
			if (!nv)
				goto oom;
			out = nv;
		}
		if (!(out[k] = db_col_dup(st, 0)))
			goto oom;
		k++;
	}
	if (rc != SQLITE_DONE) {
		db_error(&c->db, e, "listing a crawl's files");
		goto fail;
	}
	sqlite3_finalize(st);
	*v = out;
	*n = k;
	return 0;
oom:
	err_set(e, "%s: out of memory", c->db.path);
fail:
	sqlite3_finalize(st);
	catalog_strv_free(out, k);
	return -1;
}

int catalog_repacked(struct catalog *c, int64_t id, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&c->db, "SELECT 1 FROM repacked WHERE crawl = ?", &st,
		       e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(&c->db, e, "repacked");
}

static int step_done(struct catalog *c, sqlite3_stmt *st, const char *what,
		     struct err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(&c->db, e, what);
}

int catalog_repack_plan(struct catalog *c, int64_t id,
			const char *const *old, size_t n, const char *new_file,
			struct err *e)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	/* on disk before the new file is: after a power loss too, a new
	 * file on disk is always one the catalog knows about */
	if (db_exec(&c->db, "PRAGMA synchronous=FULL", e) < 0)
		return -1;
	if (catalog_begin(c, e) < 0)
		goto restore_fail;
	if (db_prepare(&c->db, "INSERT OR REPLACE INTO repack_plans(crawl,"
		       " old, new, state) VALUES(?, ?, ?, 'planned')", &st, e) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, id);
		db_bind_str(st, 2, old[i]);
		db_bind_str(st, 3, new_file);
		if (step_done(c, st, "repack_plans", e) < 0)
			goto fail;
	}
	sqlite3_finalize(st);
	rc = catalog_commit(c, e);
	db_exec(&c->db, "PRAGMA synchronous=NORMAL", NULL);
	return rc;
fail:
	sqlite3_finalize(st);
	catalog_rollback(c, NULL);
restore_fail:
	db_exec(&c->db, "PRAGMA synchronous=NORMAL", NULL);
	return -1;
}

/* The strs id of s, interned. */
static int64_t str_id(struct catalog *c, const char *s, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int64_t id = -1;

	if (db_prepare(&c->db, "INSERT OR IGNORE INTO strs(s) VALUES(?1)", &st,
		       e) < 0)
		return -1;
	db_bind_str(st, 1, s);
	if (step_done(c, st, "strs", e) < 0) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	if (db_prepare(&c->db, "SELECT id FROM strs WHERE s = ?1", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, s);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	else
		db_error(&c->db, e, "strs");
	sqlite3_finalize(st);
	return id;
}

int catalog_repack_switch(struct catalog *c, int64_t id,
			  const char *const *old, size_t n,
			  const char *new_file, uint64_t new_size,
			  const struct warc_repack_move *moves, size_t nmoves,
			  int level, uint64_t bytes_before, struct err *e)
{
	sqlite3_stmt *up = NULL, *st = NULL;
	int64_t *old_ids = NULL, new_id;
	char now[40];
	size_t i;
	int rc = -1;

	/* the switch must be on disk before the old files go */
	if (db_exec(&c->db, "PRAGMA synchronous=FULL", e) < 0)
		return -1;
	if (catalog_begin(c, e) < 0)
		goto restore;
	old_ids = calloc(n ? n : 1, sizeof(*old_ids));
	if (!old_ids) {
		err_set(e, "%s: out of memory", c->db.path);
		goto fail;
	}
	for (i = 0; i < n; i++)
		if ((old_ids[i] = str_id(c, old[i], e)) < 0)
			goto fail;
	if ((new_id = str_id(c, new_file, e)) < 0)
		goto fail;
	if (db_prepare(&c->db, "UPDATE caps SET file = ?1, offset = ?2,"
		       " length = ?3 WHERE file = ?4 AND offset = ?5", &up, e) < 0)
		goto fail;
	for (i = 0; i < nmoves; i++) {
		if (moves[i].in >= n) {
			err_set(e, "%s: repack: bad file index", c->db.path);
			goto fail;
		}
		sqlite3_bind_int64(up, 1, new_id);
		sqlite3_bind_int64(up, 2, (sqlite3_int64)moves[i].offset);
		sqlite3_bind_int64(up, 3, (sqlite3_int64)moves[i].length);
		sqlite3_bind_int64(up, 4, old_ids[moves[i].in]);
		sqlite3_bind_int64(up, 5, (sqlite3_int64)moves[i].old_offset);
		if (step_done(c, up, "moving captures", e) < 0)
			goto fail;
	}
	/* every capture must have found its record */
	for (i = 0; i < n; i++) {
		if (db_prepare(&c->db, "SELECT count(*) FROM caps WHERE file = ?",
			       &st, e) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, old_ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			db_error(&c->db, e, "caps");
			goto fail;
		}
		if (sqlite3_column_int64(st, 0) > 0) {
			err_set(e, "%s: %lld captures have no record in the "
				"repacked file: not repacked", old[i],
				(long long)sqlite3_column_int64(st, 0));
			goto fail;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (db_prepare(&c->db, "DELETE FROM indexed_files WHERE file = ?", &st,
		       e) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		db_bind_str(st, 1, old[i]);
		if (step_done(c, st, "indexed_files", e) < 0)
			goto fail;
	}
	sqlite3_finalize(st);
	if (db_prepare(&c->db, "INSERT OR REPLACE INTO indexed_files(file, size)"
		       " VALUES(?, ?)", &st, e) < 0)
		goto fail;
	db_bind_str(st, 1, new_file);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)new_size);
	if (step_done(c, st, "indexed_files", e) < 0)
		goto fail;
	sqlite3_finalize(st);
	if (db_prepare(&c->db, "UPDATE repack_plans SET state = 'switched'"
		       " WHERE crawl = ?", &st, e) < 0)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(c, st, "repack_plans", e) < 0)
		goto fail;
	sqlite3_finalize(st);
	time_warc_date(time_now(), now);
	if (db_prepare(&c->db, "INSERT OR REPLACE INTO repacked(crawl, at,"
		       " level, files, bytes_before, bytes_after)"
		       " VALUES(?, ?, ?, ?, ?, ?)", &st, e) < 0)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	db_bind_str(st, 2, now);
	sqlite3_bind_int(st, 3, level);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)n);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)bytes_before);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)new_size);
	if (step_done(c, st, "repacked", e) < 0)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	if (catalog_commit(c, e) < 0)
		goto restore;
	rc = 0;
	goto restore;
fail:
	sqlite3_finalize(st);
	catalog_rollback(c, NULL);
restore:
	sqlite3_finalize(up);
	free(old_ids);
	db_exec(&c->db, "PRAGMA synchronous=NORMAL", NULL);
	return rc;
}

int catalog_repack_done(struct catalog *c, int64_t id, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&c->db, "DELETE FROM repack_plans WHERE crawl = ?", &st,
		       e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = step_done(c, st, "repack_plans", e);
	sqlite3_finalize(st);
	return rc;
}

/* Remove ARCHIVE/rel; a file already gone is fine. */
static int remove_rel(struct catalog *c, const char *rel, struct err *e)
{
	char *p = NULL;
	int rc = 0;

	if (asprintf(&p, "%s/%s", c->dir, rel) < 0)
		return err_set(e, "%s: out of memory", c->dir);
	if (unlink(p) < 0 && errno != ENOENT)
		rc = err_set(e, "%s: %s", p, strerror(errno));
	free(p);
	return rc;
}

int cat_repack_recover(struct catalog *c, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int64_t last = -1;
	int rc;

	if (db_prepare(&c->db, "SELECT crawl, old, new, state FROM repack_plans"
		       " ORDER BY crawl", &st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *old = (const char *)sqlite3_column_text(st, 1);
		const char *nw = (const char *)sqlite3_column_text(st, 2);
		const char *state = (const char *)sqlite3_column_text(st, 3);

		/* planned: the captures are in the old files, the new one is
		 * incomplete or unverified; switched: the reverse */
		if (remove_rel(c, strcmp(state, "switched") ? nw : old, e) < 0)
			goto fail;
		last = id;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(&c->db, e, "repack_plans");
	if (last >= 0 && db_exec(&c->db, "DELETE FROM repack_plans", e) < 0)
		return -1;
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}
