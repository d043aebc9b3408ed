/* catalog db: opening ARCHIVE/catalog.sqlite, schema migrations,
 * transactions, site rules, and the crawls table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog-int.h"
#include "util/digest.h"
#include "util/timeutil.h"

/* Schema migrations: MIGRATIONS[i] takes version i to i+1.  Never edit a
 * released step; append a new one. */
static const char *const MIGRATIONS[] = {
	/* 0 -> 1 */
	"CREATE TABLE crawls("
	" id INTEGER PRIMARY KEY,"
	" start TEXT NOT NULL,"
	" end TEXT NOT NULL DEFAULT '',"
	" status TEXT NOT NULL,"
	" config_name TEXT NOT NULL DEFAULT '',"
	" config_digest TEXT NOT NULL DEFAULT '',"
	" pages INTEGER NOT NULL DEFAULT 0,"
	" bytes INTEGER NOT NULL DEFAULT 0,"
	" failed INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE configs(digest TEXT PRIMARY KEY, name TEXT,"
	" body TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE captures("
	" id INTEGER PRIMARY KEY,"
	" crawl INTEGER NOT NULL,"
	" url TEXT NOT NULL,"
	" surt TEXT NOT NULL,"
	" ts TEXT NOT NULL,"               /* 14 digits */
	" date TEXT NOT NULL,"             /* WARC-Date as written */
	" status INTEGER NOT NULL,"
	" eff_status INTEGER NOT NULL,"
	" mime TEXT NOT NULL,"
	" payload_digest TEXT,"
	" rtype INTEGER NOT NULL,"         /* enum catalog_rtype */
	" record_id TEXT,"
	" refers_to TEXT, refers_to_target TEXT, refers_to_date TEXT,"
	" orig INTEGER,"                   /* revisit: captures.id referred to */
	" file TEXT NOT NULL,"
	" offset INTEGER NOT NULL,"
	" length INTEGER NOT NULL,"
	" redirect TEXT, etag TEXT, last_modified TEXT,"
	" title TEXT,"
	" last_updated TEXT NOT NULL DEFAULT '',"
	" updated_raw TEXT,"
	" issue_date TEXT NOT NULL DEFAULT '',"
	" text_digest TEXT,"               /* texts.digest */
	" links_digest TEXT,"              /* linksets.digest */
	" boiler_digest TEXT,"             /* boilers.digest */
	" rule TEXT);"
	"CREATE UNIQUE INDEX captures_rec ON captures(file, offset);"
	"CREATE INDEX captures_url ON captures(url, ts);"
	"CREATE INDEX captures_surt ON captures(surt, ts);"
	"CREATE INDEX captures_crawl ON captures(crawl, url);"
	"CREATE INDEX captures_rid ON captures(record_id);"
	/* Extracted text, one "KIND\tTEXT" line per block, by text digest. */
	"CREATE TABLE texts(digest TEXT PRIMARY KEY, body TEXT NOT NULL)"
	" WITHOUT ROWID;"
	/* Text outside the main content (link texts excluded), one block
	 * per line, by its digest: what site-wide changes are found in. */
	"CREATE TABLE boilers(digest TEXT PRIMARY KEY, body TEXT NOT NULL)"
	" WITHOUT ROWID;"
	/* Outgoing links, one per line, by the digest of that list. */
	"CREATE TABLE linksets(digest TEXT PRIMARY KEY, body TEXT NOT NULL)"
	" WITHOUT ROWID;",
	/* 1 -> 2: WARC files indexed by `index` (plain or --rebuild), so a
	 * plain `index` reads only the new ones. */
	"CREATE TABLE indexed_files(file TEXT PRIMARY KEY, size INTEGER)"
	" WITHOUT ROWID;",
	/* 2 -> 3: which extractor produced a capture's text
	 * (DIFF_EXTRACT_VERSION; NULL: 1, before src/html), so captures
	 * extracted by another version are compared after re-extraction; and
	 * the crawler's outlinks of a response ("p URL" / "r URL" lines, by
	 * the digest of the text; zstd-compressed with the list named by base
	 * as dictionary, or alone when base is NULL), which a later 304 or
	 * identical-payload revisit of the page follows without parsing it. */
	"ALTER TABLE captures ADD COLUMN extract_version INTEGER;"
	"ALTER TABLE captures ADD COLUMN outlinks_digest TEXT;"
	"CREATE TABLE outlinks(digest TEXT PRIMARY KEY, base TEXT,"
	" body BLOB NOT NULL)"
	" WITHOUT ROWID;",
	/* 3 -> 4: bodies of texts, linksets and boilers become zstd frames
	 * (blobs.c), with a dictionary from zdicts (by zstd dictionary ID).
	 * Their tables get rowids: in a WITHOUT ROWID table a body over ~1 KB
	 * spills into overflow pages, which tripled the texts' size.  Bodies
	 * stored before stay plain text and readable; `index --rebuild`
	 * compresses them. */
	"CREATE TABLE zdicts(id INTEGER PRIMARY KEY, body BLOB NOT NULL);"
	"CREATE TABLE texts3(digest TEXT PRIMARY KEY, body NOT NULL);"
	"INSERT INTO texts3 SELECT digest, body FROM texts;"
	"DROP TABLE texts; ALTER TABLE texts3 RENAME TO texts;"
	"CREATE TABLE boilers3(digest TEXT PRIMARY KEY, body NOT NULL);"
	"INSERT INTO boilers3 SELECT digest, body FROM boilers;"
	"DROP TABLE boilers; ALTER TABLE boilers3 RENAME TO boilers;"
	"CREATE TABLE linksets3(digest TEXT PRIMARY KEY, body NOT NULL);"
	"INSERT INTO linksets3 SELECT digest, body FROM linksets;"
	"DROP TABLE linksets; ALTER TABLE linksets3 RENAME TO linksets;",
	/* 4 -> 5: slim capture rows.  A capture's URL and SURT are one row of
	 * urls, and every string that repeats from capture to capture (mime,
	 * digests, file name, title, validators...) one row of strs, so the
	 * row of an unchanged page in a later crawl is mostly integers.  The
	 * WARC-Refers-To fields were never read: a revisit's original is
	 * `orig`, and the record has them.  `captures` is now a view with the
	 * old columns (less those three), so queries read it as before; an
	 * INSERT into it (an INSTEAD OF trigger) interns the strings. */
	"CREATE TABLE urls(id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE,"
	" surt TEXT NOT NULL);"
	"CREATE INDEX urls_surt ON urls(surt);"
	"CREATE TABLE strs(id INTEGER PRIMARY KEY, s TEXT NOT NULL UNIQUE);"
	"CREATE TABLE caps("
	" id INTEGER PRIMARY KEY,"
	" crawl INTEGER NOT NULL,"
	" url INTEGER NOT NULL,"          /* urls.id */
	" ts TEXT NOT NULL,"
	" date TEXT NOT NULL,"
	" status INTEGER NOT NULL,"
	" eff_status INTEGER NOT NULL,"
	" mime INTEGER,"                  /* this and the other INTEGERs: strs.id */
	" payload_digest INTEGER,"
	" rtype INTEGER NOT NULL,"
	" record_id TEXT,"
	" orig INTEGER,"
	" file INTEGER NOT NULL,"
	" offset INTEGER NOT NULL,"
	" length INTEGER NOT NULL,"
	" redirect INTEGER, etag INTEGER, last_modified INTEGER, title INTEGER,"
	" last_updated TEXT NOT NULL DEFAULT '',"
	" updated_raw INTEGER,"
	" issue_date TEXT NOT NULL DEFAULT '',"
	" text_digest INTEGER, links_digest INTEGER, boiler_digest INTEGER,"
	" rule INTEGER, extract_version INTEGER, outlinks_digest INTEGER);"
	"INSERT OR IGNORE INTO urls(url, surt) SELECT url, surt FROM captures"
	" ORDER BY id;"
	"INSERT OR IGNORE INTO strs(s) SELECT v FROM ("
	"SELECT mime AS v FROM captures"
	" UNION ALL SELECT payload_digest AS v FROM captures"
	" UNION ALL SELECT file AS v FROM captures"
	" UNION ALL SELECT redirect AS v FROM captures"
	" UNION ALL SELECT etag AS v FROM captures"
	" UNION ALL SELECT last_modified AS v FROM captures"
	" UNION ALL SELECT title AS v FROM captures"
	" UNION ALL SELECT updated_raw AS v FROM captures"
	" UNION ALL SELECT text_digest AS v FROM captures"
	" UNION ALL SELECT links_digest AS v FROM captures"
	" UNION ALL SELECT boiler_digest AS v FROM captures"
	" UNION ALL SELECT rule AS v FROM captures"
	" UNION ALL SELECT outlinks_digest AS v FROM captures"
	") WHERE v IS NOT NULL;"
	"INSERT INTO caps SELECT c.id, c.crawl,"
	" (SELECT id FROM urls WHERE url = c.url), c.ts, c.date, c.status,"
	" c.eff_status, (SELECT id FROM strs WHERE s = c.mime),"
	" (SELECT id FROM strs WHERE s = c.payload_digest), c.rtype, c.record_id, c.orig,"
	" (SELECT id FROM strs WHERE s = c.file), c.offset, c.length,"
	" (SELECT id FROM strs WHERE s = c.redirect),"
	" (SELECT id FROM strs WHERE s = c.etag),"
	" (SELECT id FROM strs WHERE s = c.last_modified),"
	" (SELECT id FROM strs WHERE s = c.title), c.last_updated,"
	" (SELECT id FROM strs WHERE s = c.updated_raw), c.issue_date,"
	" (SELECT id FROM strs WHERE s = c.text_digest),"
	" (SELECT id FROM strs WHERE s = c.links_digest),"
	" (SELECT id FROM strs WHERE s = c.boiler_digest),"
	" (SELECT id FROM strs WHERE s = c.rule), c.extract_version,"
	" (SELECT id FROM strs WHERE s = c.outlinks_digest)"
	" FROM captures c;"
	"DROP TABLE captures;"
	"CREATE UNIQUE INDEX caps_rec ON caps(file, offset);"
	"CREATE INDEX caps_url ON caps(url, ts);"
	"CREATE INDEX caps_crawl ON caps(crawl, url);"
	"CREATE INDEX caps_rid ON caps(record_id);"
	"CREATE VIEW captures AS SELECT c.id AS id, c.crawl AS crawl,"
	" u.url AS url, u.surt AS surt, c.ts AS ts, c.date AS date,"
	" c.status AS status, c.eff_status AS eff_status,"
	" (SELECT s FROM strs WHERE id = c.mime) AS mime,"
	" (SELECT s FROM strs WHERE id = c.payload_digest) AS payload_digest,"
	" c.rtype AS rtype, c.record_id AS record_id, c.orig AS orig,"
	" (SELECT s FROM strs WHERE id = c.file) AS file,"
	" c.offset AS offset, c.length AS length,"
	" (SELECT s FROM strs WHERE id = c.redirect) AS redirect,"
	" (SELECT s FROM strs WHERE id = c.etag) AS etag,"
	" (SELECT s FROM strs WHERE id = c.last_modified) AS last_modified,"
	" (SELECT s FROM strs WHERE id = c.title) AS title,"
	" c.last_updated AS last_updated,"
	" (SELECT s FROM strs WHERE id = c.updated_raw) AS updated_raw,"
	" c.issue_date AS issue_date,"
	" (SELECT s FROM strs WHERE id = c.text_digest) AS text_digest,"
	" (SELECT s FROM strs WHERE id = c.links_digest) AS links_digest,"
	" (SELECT s FROM strs WHERE id = c.boiler_digest) AS boiler_digest,"
	" (SELECT s FROM strs WHERE id = c.rule) AS rule,"
	" c.extract_version AS extract_version,"
	" (SELECT s FROM strs WHERE id = c.outlinks_digest) AS outlinks_digest"
	" FROM caps c JOIN urls u ON u.id = c.url;"
	/* INSERT into the view; a row at the same (file, offset) is replaced,
	 * as the crawler and index expect.  (A conflict clause on the outer
	 * INSERT would apply to every statement here: use none.) */
	"CREATE TRIGGER captures_insert INSTEAD OF INSERT ON captures BEGIN"
	" INSERT OR IGNORE INTO urls(url, surt) VALUES(NEW.url, NEW.surt);"
	" INSERT OR IGNORE INTO strs(s) SELECT v FROM ("
	"  SELECT NEW.mime AS v"
	"  UNION ALL SELECT NEW.payload_digest AS v"
	"  UNION ALL SELECT NEW.file AS v"
	"  UNION ALL SELECT NEW.redirect AS v"
	"  UNION ALL SELECT NEW.etag AS v"
	"  UNION ALL SELECT NEW.last_modified AS v"
	"  UNION ALL SELECT NEW.title AS v"
	"  UNION ALL SELECT NEW.updated_raw AS v"
	"  UNION ALL SELECT NEW.text_digest AS v"
	"  UNION ALL SELECT NEW.links_digest AS v"
	"  UNION ALL SELECT NEW.boiler_digest AS v"
	"  UNION ALL SELECT NEW.rule AS v"
	"  UNION ALL SELECT NEW.outlinks_digest AS v"
	" ) WHERE v IS NOT NULL;"
	" DELETE FROM caps WHERE file = (SELECT id FROM strs WHERE s = NEW.file)"
	"  AND offset = NEW.offset;"
	" INSERT INTO caps VALUES(NEW.id, NEW.crawl,"
	"  (SELECT id FROM urls WHERE url = NEW.url), NEW.ts, NEW.date,"
	"  NEW.status, NEW.eff_status, (SELECT id FROM strs WHERE s = NEW.mime),"
	"  (SELECT id FROM strs WHERE s = NEW.payload_digest), NEW.rtype, NEW.record_id,"
	"  NEW.orig, (SELECT id FROM strs WHERE s = NEW.file), NEW.offset,"
	"  NEW.length, (SELECT id FROM strs WHERE s = NEW.redirect),"
	"  (SELECT id FROM strs WHERE s = NEW.etag),"
	"  (SELECT id FROM strs WHERE s = NEW.last_modified),"
	"  (SELECT id FROM strs WHERE s = NEW.title),"
	"  coalesce(NEW.last_updated, ''),"
	"  (SELECT id FROM strs WHERE s = NEW.updated_raw),"
	"  coalesce(NEW.issue_date, ''),"
	"  (SELECT id FROM strs WHERE s = NEW.text_digest),"
	"  (SELECT id FROM strs WHERE s = NEW.links_digest),"
	"  (SELECT id FROM strs WHERE s = NEW.boiler_digest),"
	"  (SELECT id FROM strs WHERE s = NEW.rule), NEW.extract_version,"
	"  (SELECT id FROM strs WHERE s = NEW.outlinks_digest));"
	" END;"
	/* UPDATE of the view (re-extraction: a capture's text, dates and
	 * rule made again by this extractor version) */
	"CREATE TRIGGER captures_update INSTEAD OF UPDATE ON captures BEGIN"
	" INSERT OR IGNORE INTO strs(s) SELECT v FROM ("
	"  SELECT NEW.title AS v"
	"  UNION ALL SELECT NEW.updated_raw AS v"
	"  UNION ALL SELECT NEW.text_digest AS v"
	"  UNION ALL SELECT NEW.links_digest AS v"
	"  UNION ALL SELECT NEW.boiler_digest AS v"
	"  UNION ALL SELECT NEW.rule AS v"
	"  UNION ALL SELECT NEW.outlinks_digest AS v"
	" ) WHERE v IS NOT NULL;"
	" UPDATE caps SET title = (SELECT id FROM strs WHERE s = NEW.title),"
	"  last_updated = coalesce(NEW.last_updated, ''),"
	"  updated_raw = (SELECT id FROM strs WHERE s = NEW.updated_raw),"
	"  issue_date = coalesce(NEW.issue_date, ''),"
	"  text_digest = (SELECT id FROM strs WHERE s = NEW.text_digest),"
	"  links_digest = (SELECT id FROM strs WHERE s = NEW.links_digest),"
	"  boiler_digest = (SELECT id FROM strs WHERE s = NEW.boiler_digest),"
	"  rule = (SELECT id FROM strs WHERE s = NEW.rule),"
	"  extract_version = NEW.extract_version,"
	"  outlinks_digest = (SELECT id FROM strs WHERE s = NEW.outlinks_digest)"
	"  WHERE id = OLD.id;"
	" END;",
	/* 5 -> 6: the full-text index of the main texts (search.c), one row
	 * per distinct text with its texts.rowid; contentless: the texts are
	 * stored once, compressed, in texts.  search_pending holds a row
	 * while the texts already there are not indexed yet (catalog_open
	 * builds it then).  caps_text: the captures of a text, for search
	 * (a partial index: captures without text are not in it). */
	"CREATE VIRTUAL TABLE texts_fts USING fts5(text, content='',"
	" tokenize='unicode61 remove_diacritics 2', detail=full);"
	"CREATE INDEX caps_text ON caps(text_digest) WHERE text_digest IS NOT NULL;"
	"CREATE TABLE search_pending(x INTEGER);"
	"INSERT INTO search_pending SELECT 1 WHERE EXISTS (SELECT 1 FROM texts);",
	/* 6 -> 7: repacking a finished crawl's WARC files (govarch compact,
	 * repack.c).  repack_plans: the files being replaced, 'planned' while
	 * the new file is written (the captures still point to the old
	 * files), 'switched' once the captures point to the new one (the old
	 * files may remain): what catalog_open finishes after a crash.
	 * repacked: crawls done, with the bytes before and after. */
	"CREATE TABLE repack_plans(crawl INTEGER NOT NULL, old TEXT NOT NULL,"
	" new TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY(crawl, old));"
	"CREATE TABLE repacked(crawl INTEGER PRIMARY KEY, at TEXT NOT NULL,"
	" level INTEGER NOT NULL, files INTEGER NOT NULL,"
	" bytes_before INTEGER NOT NULL, bytes_after INTEGER NOT NULL);"
	/* A record id is looked up only as a revisit's WARC-Refers-To, which
	 * names a response or resource: revisits (every capture of an
	 * unchanged page, ~65 bytes each in this index) are left out of it.
	 * Queries say "rtype != 1" so the planner can use it. */
	"DROP INDEX caps_rid;"
	"CREATE INDEX caps_rid ON caps(record_id) WHERE rtype != 1;",
	/* 7 -> 8: why a crawl is partial ("max-pages 30 reached") */
	"ALTER TABLE crawls ADD COLUMN reason TEXT NOT NULL DEFAULT '';"
	/* pages a crawl did not fetch because robots.txt or its scope
	 * excluded them, with the rule */
	"CREATE TABLE exclusions(crawl INTEGER NOT NULL, url TEXT NOT NULL,"
	" rule TEXT NOT NULL, PRIMARY KEY(crawl, url)) WITHOUT ROWID;",
	/* 8 -> 9: the search index without word positions (detail=none) nor
	 * sizes (columnsize=0): a tenth of detail=full's size; search.c
	 * checks phrases on the stored texts with the same tokenizer.  Made
	 * again from the texts (search_pending). */
	"DROP TABLE texts_fts;"
	"CREATE VIRTUAL TABLE texts_fts USING fts5(text, content='',"
	" tokenize='unicode61 remove_diacritics 2', detail=none, columnsize=0);"
	"INSERT INTO search_pending SELECT 1 WHERE EXISTS (SELECT 1 FROM texts);",
	/* 9 -> 10: the extractor version every capture's text is known to
	 * come from (one row, written by a writable open that checked them
	 * all): opening the catalog reads it instead of scanning every
	 * capture (15 ms at 60,000 captures, on every command) */
	"CREATE TABLE extracted(version INTEGER NOT NULL);",
};
#define SCHEMA_VERSION (sizeof(MIGRATIONS) / sizeof(MIGRATIONS[0]))

char *cat_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int migrate(struct catalog *c, struct err *e)
{
	sqlite3_stmt *st = NULL;
	long version = 0;
	size_t v;
	char sql[96];

	if (db_exec(&c->db, "CREATE TABLE IF NOT EXISTS schema_version("
		     "version INTEGER NOT NULL)", e) < 0)
		return -1;
	if (db_prepare(&c->db, "SELECT max(version) FROM schema_version", &st, e) < 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (version > (long)SCHEMA_VERSION)
		return err_set(e, "%s: schema version %ld is newer than this "
			       "govarch knows (%zu)", c->db.path, version,
			       SCHEMA_VERSION);
	for (v = (size_t)version; v < SCHEMA_VERSION; v++) {
		if (db_exec(&c->db, "BEGIN IMMEDIATE", e) < 0)
			return -1;
		snprintf(sql, sizeof(sql),
			 "INSERT INTO schema_version VALUES(%zu)", v + 1);
		if (db_exec(&c->db, MIGRATIONS[v], e) < 0 || db_exec(&c->db, sql, e) < 0) {
			db_exec(&c->db, "ROLLBACK", NULL);
			return err_prefix(e, "migrating to schema %zu", v + 1);
		}
		if (db_exec(&c->db, "COMMIT", e) < 0)
			return -1;
	}
	return 0;
}

/* 1 when the catalog's schema is older than this govarch's (or unknown:
 * no schema_version table). */
static int schema_behind(struct catalog *c)
{
	sqlite3_stmt *st = NULL;
	int behind = 1;

	if (db_prepare(&c->db, "SELECT max(version) FROM schema_version", &st,
		       NULL) < 0)
		return 1;
	if (sqlite3_step(st) == SQLITE_ROW)
		behind = sqlite3_column_int64(st, 0) < (sqlite3_int64)SCHEMA_VERSION;
	sqlite3_finalize(st);
	return behind;
}

struct catalog *catalog_open(const char *archive_dir, int flags, struct err *e)
{
	struct catalog *c;
	struct stat sb;
	char *path = NULL;

	c = calloc(1, sizeof(*c));
	if (!c) {
		err_set(e, "%s: out of memory", archive_dir);
		return NULL;
	}
	diff_rules_init(&c->rules);
	c->dir = strdup(archive_dir);
	if (!c->dir || asprintf(&path, "%s/%s", archive_dir, CATALOG_FILE) < 0) {
		path = NULL;
		err_set(e, "%s: out of memory", archive_dir);
		goto fail;
	}
	if (stat(path, &sb) < 0) {
		if (!(flags & CATALOG_CREATE) || (flags & CATALOG_READONLY)) {
			err_set(e, "%s: no catalog (crawl first, or run "
				"`govarch index --rebuild`)", path);
			goto fail;
		}
		if (mkdir(archive_dir, 0777) < 0 && errno != EEXIST) {
			err_set(e, "%s: %s", archive_dir, strerror(errno));
			goto fail;
		}
	}
	if (db_open(&c->db, path, (flags & CATALOG_READONLY) ? DB_READONLY
		    : DB_SMALL_PAGES, CATALOG_RECOVER, e) < 0)
		goto fail;
	if (!(flags & CATALOG_READONLY)) {
		if (migrate(c, e) < 0 || cat_repack_recover(c, e) < 0 ||
		    (cat_stale_texts(c) && cat_reextract(c, e) < 0) ||
		    cat_texts_current(c, e) < 0 ||
		    (cat_search_pending(c) && cat_search_build(c, e) < 0))
			goto fail;
	} else if (schema_behind(c) || cat_stale_texts(c) ||
		   cat_search_pending(c)) {
		struct catalog *w;

		if (db_damaged(&c->db)) {
			db_error(&c->db, e, "reading");
			goto fail;
		}
		/* an older catalog: upgraded once (schema, then texts of an
		 * older extractor made again, the search index) so that
		 * captures are compared like with like, then read as asked */
		w = catalog_open(archive_dir, 0, e);

		if (!w) {
			err_prefix(e, "upgrading the catalog");
			goto fail;
		}
		catalog_close(w);
		db_close(&c->db);
		if (db_open(&c->db, path, DB_READONLY, CATALOG_RECOVER, e) < 0)
			goto fail;
	}
	free(path);
	return c;
fail:
	free(path);
	catalog_close(c);
	return NULL;
}

int catalog_data_version(struct catalog *c, int64_t *version,
			 struct err *e)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *st;
	int rc;

	if (db_cached(&c->db, sql, &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_error(&c->db, e, "data_version");
		sqlite3_reset(st);
		return -1;
	}
	*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

void catalog_close(struct catalog *c)
{
	if (!c)
		return;
	cat_blobs_release(c);
	db_close(&c->db);
	diff_rules_release(&c->rules);
	cat_outlinks_release(&c->ol_base);
	free(c->counts);
	free(c->dir);
	free(c);
}

int catalog_begin(struct catalog *c, struct err *e)
{
	if (c->depth == 0 && db_exec(&c->db, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	c->depth++;
	return 0;
}

int catalog_commit(struct catalog *c, struct err *e)
{
	if (c->depth <= 0)
		return err_set(e, "%s: commit without begin", c->db.path);
	if (--c->depth == 0 && db_exec(&c->db, "COMMIT", e) < 0) {
		db_exec(&c->db, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

int catalog_rollback(struct catalog *c, struct err *e)
{
	if (c->depth <= 0)
		return err_set(e, "%s: rollback without begin", c->db.path);
	c->depth = 0;
	return db_exec(&c->db, "ROLLBACK", e);
}

int cat_rules_from_text(struct diff_rules *r, const char *config_text,
			int *any, struct err *e)
{
	const char *p = config_text, *nl;
	char *line;
	int rc;

	*any = 0;
	while (p && *p) {
		nl = strchr(p, '\n');
		line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		if (!line)
			return err_set(e, "config: out of memory");
		if (line[0] && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		rc = diff_rules_parse_line(r, line, e);
		free(line);
		if (rc < 0)
			return err_prefix(e, "config");
		if (rc > 0)
			*any = 1;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

int catalog_set_rules(struct catalog *c, const char *config_text,
		      struct err *e)
{
	diff_rules_release(&c->rules);
	diff_rules_init(&c->rules);
	c->have_rules = 0;
	return cat_rules_from_text(&c->rules, config_text, &c->have_rules, e);
}

/* ---- crawls ---- */

void catalog_config_digest(const char *config_text, char out[48])
{
	if (!config_text) {
		out[0] = '\0';
		return;
	}
	digest_sha1_label(config_text, strlen(config_text), out);
}

static void now_date(char out[40])
{
	char d[32];
	struct timespec t = time_now();

	t.tv_nsec = 0;
	time_warc_date(t, d);
	/* whole seconds: "2024-10-21T09:30:00Z" */
	snprintf(out, 40, "%.19sZ", d);
}

int cat_store_config(struct catalog *c, const char *name,
		     const char *text, const char *digest, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!text || !*digest)
		return 0;
	if (db_prepare(&c->db, "INSERT OR IGNORE INTO configs(digest, name, body) "
			"VALUES(?, ?, ?)", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, digest);
	db_bind_str(st, 2, name);
	db_bind_str(st, 3, text);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(&c->db, e, "configs");
	sqlite3_finalize(st);
	return rc;
}

/* Insert a crawl row with a given id (>0) or the next one (0). */
int cat_crawl_insert(struct catalog *c, int64_t want, const char *start,
		     const char *status, const char *config_name,
		     const char *config_digest, int64_t *id, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (db_prepare(&c->db, "INSERT INTO crawls(id, start, status, config_name, "
			"config_digest) VALUES(?, ?, ?, ?, ?)", &st, e) < 0)
		return -1;
	if (want > 0)
		sqlite3_bind_int64(st, 1, want);
	else
		sqlite3_bind_null(st, 1);
	db_bind_str(st, 2, start);
	db_bind_str(st, 3, status);
	db_bind_str(st, 4, config_name ? config_name : "");
	db_bind_str(st, 5, config_digest ? config_digest : "");
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(&c->db, e, "adding a crawl");
		goto out;
	}
	*id = sqlite3_last_insert_rowid(c->db.h);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int catalog_crawl_begin(struct catalog *c, const char *start_date,
			const char *config_name, const char *config_text,
			int64_t *id, struct err *e)
{
	char start[40], digest[48];

	if (start_date)
		snprintf(start, sizeof(start), "%s", start_date);
	else
		now_date(start);
	catalog_config_digest(config_text, digest);
	if (catalog_set_rules(c, config_text, e) < 0)
		return -1;
	if (catalog_begin(c, e) < 0)
		return -1;
	if (cat_store_config(c, config_name, config_text, digest, e) < 0 ||
	    cat_crawl_insert(c, 0, start, "running", config_name, digest, id,
			     e) < 0) {
		catalog_rollback(c, NULL);
		return -1;
	}
	return catalog_commit(c, e);
}

/* Run ST, an UPDATE of crawl ID's row, and finalize it: 0, or -1 when it
 * failed (DOING says what it was) or no crawl ID exists ("no crawl ID" and
 * WHY_NEEDED, e.g. " to resume"). */
static int update_crawl_row(struct catalog *c, sqlite3_stmt *st, int64_t id,
			    const char *doing, const char *why_needed,
			    struct err *e)
{
	int rc = -1;

	if (sqlite3_step(st) != SQLITE_DONE)
		db_error(&c->db, e, doing);
	else if (sqlite3_changes(c->db.h) == 0)
		err_set(e, "%s: no crawl %lld%s", c->db.path, (long long)id,
			why_needed);
	else
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

int catalog_crawl_resume(struct catalog *c, int64_t id,
			 const char *config_text, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (catalog_set_rules(c, config_text, e) < 0)
		return -1;
	if (db_prepare(&c->db, "UPDATE crawls SET status = 'running', end = '' "
			"WHERE id = ?", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return update_crawl_row(c, st, id, "resuming a crawl", " to resume", e);
}

int catalog_crawl_close_interrupted(struct catalog *c, int64_t id,
				    struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (db_prepare(&c->db, "UPDATE crawls SET status = 'interrupted', "
			"end = coalesce((SELECT date FROM captures WHERE crawl = ?1 "
			"ORDER BY file DESC, offset DESC LIMIT 1), start), "
			"pages = (SELECT count(*) FROM captures WHERE crawl = ?1), "
			"bytes = (SELECT coalesce(sum(length), 0) FROM captures "
			"WHERE crawl = ?1), failed = 0 WHERE id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		db_error(&c->db, e, "closing an interrupted crawl");
	else
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

int catalog_crawl_end(struct catalog *c, int64_t id, const char *end_date,
		      const char *status, uint64_t pages, uint64_t bytes,
		      uint64_t failed, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char end[40];

	if (end_date)
		snprintf(end, sizeof(end), "%s", end_date);
	else
		now_date(end);
	if (db_prepare(&c->db, "UPDATE crawls SET end = ?, status = ?, pages = ?, "
			"bytes = ?, failed = ? WHERE id = ?", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, end);
	db_bind_str(st, 2, status ? status : "complete");
	sqlite3_bind_int64(st, 3, (sqlite3_int64)pages);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)bytes);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)failed);
	sqlite3_bind_int64(st, 6, id);
	return update_crawl_row(c, st, id, "ending a crawl", "", e);
}

#define CRAWL_COLS "id, start, end, status, config_name, config_digest, " \
		   "pages, bytes, failed, reason"

static void crawl_from_row(sqlite3_stmt *st, struct catalog_crawl *cr)
{
	const char *s;

	memset(cr, 0, sizeof(*cr));
	cr->id = sqlite3_column_int64(st, 0);
#define COPY(i, f) do { s = (const char *)sqlite3_column_text(st, i); \
		snprintf(cr->f, sizeof(cr->f), "%s", s ? s : ""); } while (0)
	COPY(1, start);
	COPY(2, end);
	COPY(3, status);
	COPY(4, config_name);
	COPY(5, config_digest);
	COPY(9, reason);
#undef COPY
	cr->pages = (uint64_t)sqlite3_column_int64(st, 6);
	cr->bytes = (uint64_t)sqlite3_column_int64(st, 7);
	cr->failed = (uint64_t)sqlite3_column_int64(st, 8);
}

int catalog_crawls(struct catalog *c, struct catalog_crawl **v, size_t *n,
		   struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct catalog_crawl *out = NULL, *t;
	size_t cnt = 0, alloc = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if (db_prepare(&c->db, "SELECT " CRAWL_COLS " FROM crawls ORDER BY id",
			&st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			t = realloc(out, alloc * sizeof(*out));
			if (!t) {
				free(out);
				sqlite3_finalize(st);
				return err_set(e, "%s: out of memory", c->db.path);
			}
			out = t;
		}
		crawl_from_row(st, &out[cnt++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(out);
		return db_error(&c->db, e, "listing crawls");
	}
	*v = out;
	*n = cnt;
	return 0;
}

int catalog_crawl_get(struct catalog *c, int64_t id, struct catalog_crawl *out,
		      struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&c->db, "SELECT " CRAWL_COLS " FROM crawls WHERE id = ?",
			&st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		crawl_from_row(st, out);
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = db_error(&c->db, e, "reading a crawl");
	}
	sqlite3_finalize(st);
	return rc;
}

int catalog_crawl_summary_fields(struct catalog *c, int64_t id,
				 struct buf *out, struct err *e)
{
	struct catalog_crawl cr;
	int rc = catalog_crawl_get(c, id, &cr, e);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, "%s: no crawl %lld", c->db.path, (long long)id);
	if (buf_addf(out, "govarch-crawl-id: %lld\r\n"
		     "govarch-crawl-start: %s\r\n"
		     "govarch-crawl-end: %s\r\n"
		     "govarch-crawl-status: %s\r\n"
		     "govarch-crawl-pages: %llu\r\n"
		     "govarch-crawl-bytes: %llu\r\n"
		     "govarch-crawl-failed: %llu\r\n"
		     "govarch-config-name: %s\r\n"
		     "govarch-config-digest: %s\r\n",
		     (long long)cr.id, cr.start, cr.end, cr.status,
		     (unsigned long long)cr.pages,
		     (unsigned long long)cr.bytes,
		     (unsigned long long)cr.failed, cr.config_name,
		     cr.config_digest) < 0)
		return err_set(e, "crawl %lld: summary too large", (long long)id);
	if (cr.reason[0] &&
	    buf_addf(out, "govarch-crawl-reason: %s\r\n", cr.reason) < 0)
		return err_set(e, "crawl %lld: summary too large", (long long)id);
	return 0;
}

int catalog_crawl_set_reason(struct catalog *c, int64_t id, const char *reason,
			     struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (db_prepare(&c->db, "UPDATE crawls SET reason = ? WHERE id = ?", &st,
			e) < 0)
		return -1;
	db_bind_str(st, 1, reason ? reason : "");
	sqlite3_bind_int64(st, 2, id);
	return update_crawl_row(c, st, id, "recording why a crawl is partial",
				"", e);
}

/* ---- exclusions ---- */

int catalog_exclude(struct catalog *c, int64_t crawl_id, const char *url,
		    const char *rule, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (db_cached(&c->db, "INSERT OR REPLACE INTO exclusions(crawl, url, "
		      "rule) VALUES(?, ?, ?)", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, crawl_id);
	db_bind_str(st, 2, url);
	db_bind_str(st, 3, rule);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(&c->db, e, "recording an exclusion");
	sqlite3_reset(st);
	return rc;
}

int catalog_exclusions_text(struct catalog *c, int64_t crawl_id,
			    struct buf *out, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc, n = 0;

	if (db_prepare(&c->db, "SELECT url, rule FROM exclusions WHERE crawl = ? "
			"ORDER BY url", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, crawl_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 0);
		const char *r = (const char *)sqlite3_column_text(st, 1);

		if (buf_addf(out, "%s\t%s\n", u ? u : "", r ? r : "") < 0) {
			sqlite3_finalize(st);
			return err_set(e, "out of memory");
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(&c->db, e, "listing exclusions");
	return n;
}

int catalog_exclusions_set(struct catalog *c, int64_t crawl_id,
			   const char *text, size_t len, struct err *e)
{
	sqlite3_stmt *st = NULL;
	const char *p = text, *end = text + len, *nl, *tab;
	char *u, *r;
	int rc = 0;

	if (db_prepare(&c->db, "DELETE FROM exclusions WHERE crawl = ?", &st,
			e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, crawl_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(&c->db, e, "replacing exclusions");
	sqlite3_finalize(st);
	for (; rc == 0 && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		tab = memchr(p, '\t', (size_t)(nl - p));
		if (!tab || tab == p)
			continue;       /* not a "URL<TAB>RULE" line */
		u = strndup(p, (size_t)(tab - p));
		r = strndup(tab + 1, (size_t)(nl - tab - 1));
		if (!u || !r)
			rc = err_set(e, "out of memory");
		else
			rc = catalog_exclude(c, crawl_id, u, r, e);
		free(u);
		free(r);
		if (nl == end)
			break;
	}
	return rc;
}

int catalog_exclusion_of(struct catalog *c, int64_t crawl_id, const char *url,
			 char **rule, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*rule = NULL;
	if (db_cached(&c->db, "SELECT rule FROM exclusions WHERE crawl = ? AND "
		      "url = ?", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, crawl_id);
	db_bind_str(st, 2, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*rule = db_col_dup(st, 0);
		rc = *rule ? 1 : err_set(e, "out of memory");
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = db_error(&c->db, e, "reading an exclusion");
	}
	sqlite3_reset(st);
	return rc;
}
