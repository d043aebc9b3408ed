/* catalog-int: what the catalog's files share (not part of the API). */
#ifndef GOVARCH_CATALOG_INT_H
#define GOVARCH_CATALOG_INT_H


#include <zstd.h>

#include "catalog/catalog.h"
#include "diff/extract.h"
#include "util/sqlite.h"

/* The outlinks list other lists are compressed against (captures.c). */
struct cat_outlinks_base {
	char digest[48];
	char *text;                 /* NULL: none yet */
	size_t len;
};
void cat_outlinks_release(struct cat_outlinks_base *b);

struct catalog {
	struct db db;               /* ARCHIVE/catalog.sqlite */
	char *dir;                  /* archive dir */
	int depth;                  /* catalog_begin nesting */
	int have_rules;
	struct diff_rules rules;
	/* blobs.c: compressing and decompressing stored texts */
	ZSTD_CCtx *zc;
	ZSTD_DCtx *zd;
	ZSTD_CDict *cdict;          /* the newest dictionary, NULL: none yet */
	int cdict_loaded;           /* cdict looked up */
	ZSTD_DDict *ddict;          /* the last one a stored text named */
	uint64_t html_parses;       /* pages this catalog parsed itself */
	struct cat_outlinks_base ol_base;
};

/* blobs.c: bodies of the digest-keyed tables, as zstd frames. */
enum cat_blob { CAT_TEXTS, CAT_LINKSETS, CAT_BOILERS, CAT_BLOB_KINDS };
const char *cat_blob_table(enum cat_blob kind);
/* Compress n bytes at p for storing, into out (reset first). */
int cat_blob_pack(struct catalog *c, const void *p, size_t n,
		  struct buf *out, struct err *e);
/* Append the body in column col of st (a zstd frame, or plain text from a
 * catalog written before bodies were compressed) to out. */
int cat_blob_unpack(struct catalog *c, sqlite3_stmt *st, int col,
		    struct buf *out, struct err *e);
void cat_blobs_release(struct catalog *c);

/* db.c */
char *cat_strdup(const char *s);    /* NULL stays NULL */

/* repack.c: finish or undo a repack a crash interrupted (catalog_open,
 * writable): a planned one's new file removed, a switched one's old files
 * removed, the plan forgotten. */
int cat_repack_recover(struct catalog *c, struct err *e);

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
