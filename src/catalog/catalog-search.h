/* catalog-search: full-text search over every stored main text (SQLite
 * FTS5), for `govarch search`.
 *
 * The index (table texts_fts) has one row per distinct text - the rowid of
 * the text in the catalog's texts table, which stores each text once by its
 * digest - so it grows with what changed, not with the number of crawls.
 * It is contentless (content=''): the texts are stored once, compressed, in
 * texts; the index keeps only which texts hold each token (unicode61
 * tokenizer with remove_diacritics 2, detail=none, columnsize=0: no
 * positions), so a phrase of two tokens or more is checked on the
 * candidate texts with the same tokenizer (catalog_search_run).  A text is
 * indexed when it is first stored (a crawl, `index --rebuild`, a
 * re-extraction); a catalog made before the index, or with the positional
 * index of schemas 6-8, gets it built once when it is first opened
 * (schema 9).
 */
#ifndef GOVARCH_CATALOG_SEARCH_H
#define GOVARCH_CATALOG_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "util/buf.h"
#include "util/err.h"

/* The longest query accepted, in bytes, and the deepest nesting. */
#define CATALOG_SEARCH_QUERY_MAX 1024
#define CATALOG_SEARCH_DEPTH_MAX 16

/* Check a user's query and translate it for FTS5 into fts (appended).
 * Accepted: words, "exact phrases" ("" inside a phrase is one '"'), a '*'
 * right after a word or phrase (prefix), AND, OR, NOT (upper case; in
 * lower case they are words), parentheses; words side by side mean AND.
 * Every word and phrase becomes an FTS5 string, so no other FTS5 syntax
 * (column filters, '^', NEAR) can reach the index: ':', '^', '{', '}' and
 * '+' outside a phrase are refused.  0, or -1 with e saying what is
 * malformed (no SQL in the message).  Needs no catalog. */
int catalog_search_query(const char *query, struct buf *fts, struct err *e);

/* Where one side of a match is. */
struct catalog_search_capture {
	int64_t crawl;
	char date[32];              /* ISO 8601 UTC to the second */
	char *file;                 /* WARC file, relative to the archive */
	uint64_t offset;
};

enum catalog_search_now {
	CATALOG_NOW_YES = 0,        /* the newest capture's text matches */
	CATALOG_NOW_NO,             /* it has a text that does not */
	CATALOG_NOW_GONE,           /* it has no text: 404/410, redirect,
	                             * no longer a page */
};
/* "yes", "no", "gone" */
const char *catalog_search_now_name(enum catalog_search_now now);

struct catalog_search_hit {
	char *url;
	struct catalog_search_capture first, last;  /* first/last capture
	                                             * whose text matched */
	enum catalog_search_now now;    /* at the URL's newest capture in the
	                                 * crawls searched (5xx and failed
	                                 * fetches skipped) */
};

struct catalog_search {
	int64_t from_crawl, to_crawl;   /* the crawls searched (ids) */
	struct catalog_search_hit *v;   /* sorted by URL (bytes) */
	size_t n;
};

/* The pages whose main text matched fts (from catalog_search_query) in
 * crawls from..to (ids; 0: the first / the last), and, when prefix is not
 * NULL, whose URL starts with it.  A query with a phrase: the index's
 * candidates, each text tokenized and the query evaluated on it (FTS5's
 * precedence: NOT, AND, OR). */
int catalog_search_run(struct catalog *c, const char *fts, int64_t from,
		       int64_t to, const char *prefix,
		       struct catalog_search *out, struct err *e);
void catalog_search_release(struct catalog_search *s);

/* Rendered: "text" or "json" (query: the user's, for the header). */
int catalog_search_format(const struct catalog_search *s, const char *query,
			  const char *fmt, struct buf *out, struct err *e);

#endif
