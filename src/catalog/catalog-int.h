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
/* The outlinks list stored under digest ("p URL"/"r URL" lines), appended
 * to out: 1, 0 none stored, -1 error. */
int cat_outlinks_of(struct catalog *c, const char *digest, struct buf *out,
		    struct err *e);

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
	uint64_t texts_plain;       /* main-text bytes stored without one */
	int vacuum_due;             /* trained, not vacuumed since */
	ZSTD_DDict *ddict;          /* the last one a stored text named */
	uint64_t html_parses;       /* pages this catalog parsed itself */
	struct cat_outlinks_base ol_base;
	/* browse.c: catalog_change_counts' last answer (a query over every
	 * page capture) and the state of the catalog it was for */
	struct catalog_crawl_counts *counts;
	size_t ncounts;
	char counts_key[128];
	double counts_time;
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
/* The same in two steps, for decompressing in other threads: the zstd
 * frame's dictionary (its ID in *dict, 0: none) loaded as c->ddict (c->zd
 * made too), then the frame decompressed with zd (c->zd or a thread's
 * own; c->ddict is only read, and holds one dictionary at a time: every
 * frame decoded must name *dict or none). */
int cat_blob_prepare(struct catalog *c, const void *p, size_t n,
		     unsigned *dict, struct err *e);
/* Only the check and the dictionary ID of cat_blob_prepare (nothing
 * loaded: c is not touched while other threads decode). */
int cat_blob_dict(const struct catalog *c, const void *p, size_t n,
		  unsigned *dict, struct err *e);
int cat_blob_decode(const struct catalog *c, ZSTD_DCtx *zd, const void *p,
		    size_t n, struct buf *out, struct err *e);
void cat_blobs_release(struct catalog *c);
/* A body of n bytes was stored in table kind (cat_blob_pack's output). */
void cat_blobs_stored(struct catalog *c, enum cat_blob kind, size_t n);
/* Outside a transaction, once enough main texts were stored without a
 * dictionary for catalog_compact's samples: train it now (best effort),
 * so the texts stored after are compressed once, with it. */
void cat_blobs_train_due(struct catalog *c);

/* db.c */
char *cat_strdup(const char *s);    /* NULL stays NULL */
/* The extraction rules in a config file's text added to r (*any: 1 when
 * there was one). */
int cat_rules_from_text(struct diff_rules *r, const char *config_text,
			int *any, struct err *e);

/* repack.c: finish or undo a repack a crash interrupted (catalog_open,
 * writable): a planned one's new file removed, a switched one's old files
 * removed, the plan forgotten. */
int cat_repack_recover(struct catalog *c, struct err *e);

/* A config's text kept by its digest (configs), once. */
int cat_store_config(struct catalog *c, const char *name,
		     const char *text, const char *digest, struct err *e);
int cat_crawl_insert(struct catalog *c, int64_t want, const char *start,
		     const char *status, const char *config_name,
		     const char *config_digest, int64_t *id, struct err *e);

/* surt-key.c: the SURT key of a URL (malloc'd), NULL when it does not parse. */
char *cat_surt(const char *url);

/* cdxj.c: one record's CDXJ line (with its newline; malloc'd) as pywb
 * writes it, for the record at offset/length of file rel; NULL when the
 * record is not indexed (no URI or date).  Lines collected in a cat_lines
 * are sorted bytewise (LC_ALL=C sort order). */
char *cat_cdxj_line(const char *rel, const struct warc_record *rec,
		    uint64_t offset, uint64_t length);
struct cat_lines {
	char **v;
	size_t n, alloc;
};
int cat_lines_push(struct cat_lines *l, char *s);  /* takes s; -1 no memory */
void cat_lines_sort(struct cat_lines *l);
void cat_lines_release(struct cat_lines *l);

/* captures.c */
#define CAT_CAPTURE_COLS \
	"id, crawl, ts, date, url, status, eff_status, mime, payload_digest, " \
	"rtype, record_id, file, offset, length, redirect, title, " \
	"last_updated, issue_date, text_digest, rule, orig, boiler_digest"
/* Fill cap from a row selected with CAT_CAPTURE_COLS starting at column 0. */
int cat_capture_from_row(sqlite3_stmt *st, struct catalog_capture *cap);
int cat_is_html(const char *mime);
/* HTML or a PDF document: a capture whose main text is extracted. */
int cat_has_text(const char *mime);
/* The page (blocks, dates, links) of a stored capture for diffing.
 * 1 filled, 0 no text stored (not an HTML 2xx capture), -1 error. */
int cat_capture_page(struct catalog *c, const struct catalog_capture *cap,
		     struct diff_page *page, struct err *e);

/* Texts made by another extractor version (DIFF_EXTRACT_VERSION): 1 when
 * some capture has one (or the catalog predates the version column);
 * 0 at once when the catalog records that they are all this version's.
 * cat_reextract extracts them again from their WARC records, with the
 * rules of the crawl that made them and the rule they were extracted
 * with, in one transaction; a capture whose record is gone keeps its
 * text. */
int cat_stale_texts(struct catalog *c);
/* Records that every capture's text is DIFF_EXTRACT_VERSION's (after
 * cat_stale_texts said none is stale, or cat_reextract made them so):
 * cat_stale_texts then answers without a scan until another version
 * writes the catalog. */
int cat_texts_current(struct catalog *c, struct err *e);
/* The site rules crawl id ran with (its stored config), into r (inited
 * here; release it).  No config: no rules. */
int cat_crawl_rules(struct catalog *c, int64_t crawl, struct diff_rules *r,
		    struct err *e);
/* ignore-text: a text change between 2xx captures a and b that is only in
 * blocks the rules of b's crawl ignore.  1 such (the texts match without
 * them), 0 not, -1 error. */
int cat_only_ignored(struct catalog *c, const struct diff_rules *r,
		     const struct catalog_capture *a,
		     const struct catalog_capture *b, struct err *e);
int cat_reextract(struct catalog *c, struct err *e);

/* search.c: the full-text index (catalog-search.h).  cat_search_add
 * indexes the text stored at rowid of texts (body: its "KIND\tTEXT"
 * lines); cat_search_pending is 1 when the index still has to be built
 * over the texts already stored (a catalog older than the index), which
 * cat_search_build does. */
int cat_search_add(struct catalog *c, int64_t rowid, const char *body,
		   size_t len, struct err *e);
int cat_search_pending(struct catalog *c);
int cat_search_build(struct catalog *c, struct err *e);

/* changes.c: classify two captures of one URL (either may be NULL). */
enum catalog_kind cat_classify(const struct catalog_capture *a,
			       const struct catalog_capture *b,
			       int to_complete);

#endif
