/* diff: histogram diff of sequences, and the block/word diff of two pages.
 *
 * diff_histogram is git's histogram algorithm (xdiff/xhistogram.c): find the
 * longest common run anchored on the lowest-occurrence element, recurse on
 * both sides; a region whose common elements all occur more than 64 times
 * falls back to Myers (edit distance searched up to 1000); past that, or
 * once 20M elements have been indexed, a region becomes delete-all +
 * insert-all, so hostile input stays bounded (a few hundred ms at 20,000
 * blocks) while real pages (hundreds of blocks) take well under 1 ms.
 *
 * diff_pages compares two extracted pages: blocks by histogram diff; inside
 * each replaced region, a block deleted here and inserted identically
 * elsewhere is "moved", similar blocks (word Dice similarity >= 0.5) are
 * "changed" and carry a word diff (tokens: words, single punctuation
 * characters, spaces; git --word-diff style), the rest are inserted/deleted.
 * A region where exactly one block gave way to exactly one other is a
 * change whatever the similarity (a rewritten paragraph).  Pairing looks at
 * most 50 inserted blocks ahead of the last pair and stays in order; a
 * changed block whose neighbours moved may show as removed + added.
 * Links are compared as sets.
 */
#ifndef GOVARCH_DIFF_DIFF_H
#define GOVARCH_DIFF_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "diff/extract.h"
#include "util/buf.h"
#include "util/err.h"

#define DIFF_MAX_TOKENS   20000   /* words per block for a word diff */

/* ---- sequences ---- */

enum diff_edit_op { DIFF_EQUAL = 0, DIFF_INSERT, DIFF_DELETE };

/* One run: EQUAL covers a[a_start..+a_len) == b[b_start..+b_len) (same
 * length); DELETE covers a[a_start..+a_len) (b_len 0, b_start = where it
 * would be in b); INSERT covers b[b_start..+b_len) (a_len 0).  Runs are in
 * order, adjacent runs of one kind merged, and a DELETE comes before the
 * INSERT of the same place. */
struct diff_edit {
	enum diff_edit_op op;
	size_t a_start, a_len;
	size_t b_start, b_len;
};

struct diff_script {
	struct diff_edit *edits;
	size_t n;
	size_t alloc;
};

void diff_script_release(struct diff_script *s);

/* Diff two sequences of element ids (equal ids = equal elements).  Appends
 * to out (start empty: struct diff_script s = {0}).  -1 only on allocation
 * failure. */
int diff_histogram(const uint32_t *a, size_t na, const uint32_t *b,
		   size_t nb, struct diff_script *out, struct err *e);
/* The same over NUL-terminated strings (interned by content). */
int diff_strings(const char *const *a, size_t na, const char *const *b,
		 size_t nb, struct diff_script *out, struct err *e);

/* ---- words ---- */

struct diff_word {
	enum diff_edit_op op;
	char *text;        /* one or more tokens, merged; never empty */
	size_t len;
};

struct diff_words {
	struct diff_word *w;
	size_t n;
	size_t chars_added, chars_removed;   /* code points */
};

/* Word diff of two texts.  Equal words are shared; in each changed stretch
 * the deleted text comes first, then the inserted; a lone space between two
 * changes is folded into them ("[-old cat-]{+new dog+}").  Over
 * DIFF_MAX_TOKENS: one delete and one insert.  out starts zeroed. */
int diff_word_diff(const char *a, size_t alen, const char *b, size_t blen,
		   struct diff_words *out, struct err *e);
void diff_words_release(struct diff_words *w);

/* ---- pages ---- */

enum diff_op {
	DIFF_OP_EQUAL = 0,
	DIFF_OP_INSERT,    /* to_index only */
	DIFF_OP_DELETE,    /* from_index only */
	DIFF_OP_CHANGE,    /* both, with words */
	DIFF_OP_MOVE,      /* both; see side */
};

const char *diff_op_name(enum diff_op op);   /* "equal", "insert", ... */

struct diff_block_op {
	enum diff_op op;
	long from_index;   /* index into from->blocks, -1 when none */
	long to_index;     /* index into to->blocks, -1 when none */
	/* MOVE appears twice in ops: side 0 where the block left (in from
	 * order), side 1 where it arrived (in to order).  0 for other ops. */
	int side;
	struct diff_words words;   /* CHANGE only */
};

struct diff_figures {
	size_t blocks_added, blocks_removed, blocks_changed, blocks_moved;
	size_t chars_added, chars_removed;   /* code points, moves excluded */
	size_t chars_changed;                /* chars_added + chars_removed */
	size_t links_added, links_removed;
};

struct diff_result {
	const struct diff_page *from, *to;   /* borrowed: must outlive result */
	struct diff_block_op *ops;  /* every block of both pages, merged order */
	size_t n_ops;
	struct diff_figures fig;
	char **links_added;         /* borrowed from to->links, sorted */
	size_t n_links_added;
	char **links_removed;       /* borrowed from from->links, sorted */
	size_t n_links_removed;
	int text_changed;           /* any block op other than EQUAL */
	int date_changed;           /* updated.ymd differs */
};

/* Compare two pages.  out starts zeroed; release with diff_result_release. */
int diff_pages(const struct diff_page *from, const struct diff_page *to,
	       struct diff_result *out, struct err *e);
void diff_result_release(struct diff_result *r);

#endif
