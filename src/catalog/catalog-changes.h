/* catalog-changes: what changes.c and sitewide.c share (internal). */
#ifndef GOVARCH_CATALOG_CHANGES_H
#define GOVARCH_CATALOG_CHANGES_H

#include "catalog/catalog-int.h"

/* One URL present in either crawl. */
struct cat_pair {
	struct catalog_capture *a, *b;
	struct catalog_capture *moved_to;   /* moved: the new URL's capture */
	int move_target;            /* the new URL of a moved page */
	char *rule;                 /* excluded: the rule */
	enum catalog_kind kind;
	int compared;               /* 2xx HTML in both */
	char *summary;
};

/* One block-level difference of one page: what site-wide changes are
 * found in.  src 0: main text, 1: text outside it, 2: a link outside it
 * (url; from/to its texts). */
struct cat_opsig {
	uint64_t hash;
	size_t pair;
	int src;
	char op;                    /* 'D' removed, 'I' added, 'M' moved,
	                             * 'R' (links) renamed */
	char *from, *to;            /* borrowed from ctx strings */
	char *url;                  /* src 2: the link's URL */
};

/* Text outside the main content is the same on most pages: the diff of
 * one (from digest, to digest) pair is kept and reused. */
#define CAT_BOILER_CACHE 32
struct cat_bcache {
	char *a, *b;                /* digests */
	struct cat_opsig *ops;          /* pair index unused */
	size_t n;
};

struct cat_ctx {
	struct cat_bcache bc[CAT_BOILER_CACHE];
	size_t nbc;
	struct catalog *c;
	struct cat_pair *pairs;
	size_t npairs;
	struct cat_opsig *sigs;
	size_t nsigs, asigs;
	uint64_t *swh;              /* site-wide main-text op hashes, sorted */
	size_t nswh;
	const struct diff_rules *ign; /* ignore-text rules of TO, or NULL */
	char **strs;                /* owned op texts */
	size_t nstrs, astrs;
	struct err *e;
};

/* sitewide.c: the block differences of page pair i, its main text
 * (summary set too) and the text around it; then the site-wide changes
 * (appended to ch, pages' kinds corrected); then a page summary without
 * the site-wide differences. */
int cat_sw_diff_main(struct cat_ctx *x, size_t i);
int cat_sw_diff_boiler(struct cat_ctx *x, size_t i);
int cat_sw_find(struct cat_ctx *x, size_t ncompared, struct catalog_changes *ch,
		size_t *alloc);
int cat_sw_resummarise(struct cat_ctx *x, size_t i);

/* changes.c: the pair of url (pairs are in URL byte order), or NULL. */
struct cat_pair *cat_pair_find(struct cat_ctx *x, const char *url);

/* changes.c: append c to ch (grown by *alloc); -1 out of memory. */
int cat_add_change(struct catalog_changes *ch, size_t *alloc,
		   struct catalog_change *c);

#endif
