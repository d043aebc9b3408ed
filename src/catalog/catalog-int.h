/* catalog-int: what the catalog's files share (not part of the API). */
#ifndef GOVARCH_CATALOG_INT_H
#define GOVARCH_CATALOG_INT_H

#include <sqlite3.h>

#include "catalog/catalog.h"
#include "diff/extract.h"

/* Statements used once per page in loops (see cat_cached). */
enum { CAT_ST_PAGE = 0, CAT_ST_BOILER, CAT_ST_PREV_RULE, CAT_ST_BLOB_TEXTS,
       CAT_ST_BLOB_LINKS, CAT_ST_PUT_TEXTS, CAT_ST_PUT_LINKS, CAT_ST_PUT_BOILERS,
       CAT_ST_INSERT, CAT_ST_PUT_OUTLINKS, CAT_ST_OUTLINKS, CAT_ST_OUTLINKS_OF,
       CAT_STMT_COUNT };

/* The outlinks list other lists are compressed against (captures.c). */
struct cat_outlinks_base {
	char digest[48];
	char *text;                 /* NULL: none yet */
	size_t len;
};
void cat_outlinks_release(struct cat_outlinks_base *b);

struct catalog {
	sqlite3 *db;
	char *dir;                  /* archive dir */
	char *path;                 /* ARCHIVE/catalog.sqlite */
	int depth;                  /* catalog_begin nesting */
	int have_rules;
	struct diff_rules rules;
	sqlite3_stmt *cached[CAT_STMT_COUNT];   /* prepared once, reused */
	uint64_t html_parses;       /* pages this catalog parsed itself */
	struct cat_outlinks_base ol_base;
};

/* db.c */
int cat_exec(struct catalog *c, const char *sql, struct err *e);
int cat_prepare(struct catalog *c, const char *sql, sqlite3_stmt **st,
		struct err *e);
int cat_dberr(struct catalog *c, struct err *e, const char *what);
/* The cached statement number idx for sql, reset and unbound: do not
 * finalize it (catalog_close does). */
int cat_cached(struct catalog *c, int idx, const char *sql, sqlite3_stmt **st,
	       struct err *e);
/* Bind a string or NULL. */
void cat_bind_str(sqlite3_stmt *st, int i, const char *s);
/* Column as malloc'd string, NULL when NULL. */
char *cat_col_dup(sqlite3_stmt *st, int i);
char *cat_strdup(const char *s);    /* NULL stays NULL */

int cat_crawl_insert(struct catalog *c, int64_t want, const char *start,
		     const char *status, const char *config_name,
		     const char *config_digest, int64_t *id, struct err *e);

/* surt-key.c: the SURT key of a URL (malloc'd), NULL when it does not parse. */
char *cat_surt(const char *url);

/* captures.c */
#define CAT_CAPTURE_COLS \
	"id, crawl, ts, date, url, status, eff_status, mime, payload_digest, " \
	"rtype, record_id, file, offset, length, redirect, title, " \
	"last_updated, issue_date, text_digest, rule, orig, boiler_digest"
/* Fill cap from a row selected with CAT_CAPTURE_COLS starting at column 0. */
int cat_capture_from_row(sqlite3_stmt *st, struct catalog_capture *cap);
int cat_is_html(const char *mime);
/* The page (blocks, dates, links) of a stored capture for diffing.
 * 1 filled, 0 no text stored (not an HTML 2xx capture), -1 error. */
int cat_capture_page(struct catalog *c, const struct catalog_capture *cap,
		     struct diff_page *page, struct err *e);

/* Texts made by another extractor version (DIFF_EXTRACT_VERSION): 1 when
 * some capture has one (or the catalog predates the version column).
 * cat_reextract extracts them again from their WARC records, with the
 * rules of the crawl that made them and the rule they were extracted
 * with, in one transaction; a capture whose record is gone keeps its
 * text. */
int cat_stale_texts(struct catalog *c);
int cat_reextract(struct catalog *c, struct err *e);

/* changes.c: classify two captures of one URL (either may be NULL). */
enum catalog_kind cat_classify(const struct catalog_capture *a,
			       const struct catalog_capture *b,
			       int to_complete);

#endif
