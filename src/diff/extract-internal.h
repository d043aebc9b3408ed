/* Shared between the extract-*.c files; not part of the API. */
#ifndef GOVARCH_DIFF_EXTRACT_INTERNAL_H
#define GOVARCH_DIFF_EXTRACT_INTERNAL_H

#include <stddef.h>

#include <libxml/tree.h>

#include "diff/extract.h"
#include "diff/intern.h"
#include "html/html.h"
#include "util/buf.h"

/* A date starting exactly at s (rules' formats, then defaults): bytes
 * consumed and ymd, or -1. */
long diff_date_match(const char *s, size_t n, const struct diff_rules *r,
		     char ymd[11]);
/* An ISO date at the start of s (datetime attributes): 0 or -1. */
int diff_date_iso(const char *s, char ymd[11]);

/* ---- the walk (extract-walk.c) ---- */

#define KSTACK 64

/* node->_private == &diff_skip_mark: removed by a rule or a dated element. */
extern char diff_skip_mark;

/* A block as the walk collects it. */
struct xblock {
	enum diff_block_kind kind;
	char *text;
	size_t len;
	char *time_dt;          /* first <time datetime> inside, or NULL */
};

struct walker {
	int all;                /* date search: skip only scripts and head */
	int links;              /* collect links */
	struct html_doc *doc;   /* for links: resolved against its base */
	const char *self;       /* page URL without fragment */
	struct buf cur;
	int pending;            /* a space is owed before the next text */
	char *cur_time;
	int kstack[KSTACK];
	int sp;
	int mainlike;           /* open main/article/[role=main] (or root) */
	int pre;                /* open <pre>: each line is a block */
	int row;                /* open <tr>: the row is one block, its cells
	                         * joined by " | " */
	int row_k;              /* kstack index of the outermost open <tr> */
	struct xblock *b;
	size_t n, alloc;
	size_t text_total;
	char **link;
	size_t n_links, alloc_links;
	struct diff_intern linkset;
	int truncated;
	int oom;
};

/* all: collect text everywhere but scripts and head (the date search);
 * links: collect links, resolved against doc's base (html_resolve, which
 * shares what the crawler resolved), leaving out self.  Memory
 * trouble sets w->oom rather than failing. */
void diff_walker_init(struct walker *w, int all, int links,
		      struct html_doc *doc, const char *self);
/* Forget the blocks and links collected (keeps the settings). */
void diff_walker_reset(struct walker *w);
void diff_walker_release(struct walker *w);
/* Walk root's subtree, appending blocks and links to w. */
void diff_walk(struct walker *w, xmlNodePtr root);
/* Walk every root, skipping ones inside an earlier root.  body: the roots
 * are the whole <body> (a <header> there is the site banner). */
void diff_walk_roots(struct walker *w, xmlNodePtr *roots, size_t n,
		     int body);

/* Append s to b with whitespace collapsed (NBSP and other Unicode spaces
 * are spaces; zero-width characters and soft hyphens vanish); *pending
 * carries an owed space between calls.  0 or -1 (b's cap). */
int diff_norm_add(struct buf *b, int *pending, const char *s);

#endif
