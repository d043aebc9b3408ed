/* render: a diff_result as text (unified), word, html (self-contained, side
 * by side) or json, and a one-line summary for `changes` listings.
 *
 * Every renderer appends to out and returns 0, or -1 when out's cap is hit
 * (e says so).  Page text is hostile input: html escapes everything, json
 * escapes control characters and replaces invalid UTF-8 with U+FFFD.
 *
 * Header lines (text and word):
 *   --- URL\tFROM_TIMESTAMP (last updated 2024-10-21)
 *   +++ URL\tTO_TIMESTAMP (last updated 2024-11-05)
 * "(no last updated date)" when a page has none; the tab and timestamp are
 * left out when the timestamp is NULL/empty.  When the text did not change,
 * the body is the single line "no text change".
 *
 * text: "@@ -a,b +c,d @@" hunks (",1" omitted) counting blocks, one block
 *   per line: " " context, "-" removed, "+" added; a changed block is a "-"
 *   and a "+" line; a moved block is "-" where it left and "+" where it
 *   arrived.
 * word: the same hunks; context blocks plain, changed blocks inline
 *   ("The [-old cat-]{+new dog+} sat."), removed "[-...-]", added "{+...+}".
 * html: every block of both versions in a side-by-side table (old number,
 *   old text, new number, new text), rows classed equal/insert/delete/
 *   change/move, <del>/<ins> inside changed blocks; a header table with
 *   both timestamps, "Last updated" dates, titles and digests; the summary
 *   line; lists of links added/removed.  No script, no external resource.
 * json: one object and a newline, see diff_render_json.
 */
#ifndef GOVARCH_DIFF_RENDER_H
#define GOVARCH_DIFF_RENDER_H

#include "diff/diff.h"
#include "util/buf.h"
#include "util/err.h"

enum diff_format {
	DIFF_FMT_TEXT = 0,
	DIFF_FMT_WORD,
	DIFF_FMT_HTML,
	DIFF_FMT_JSON,
};

/* "text" / "word" / "html" / "json" -> format, or -1. */
int diff_format_parse(const char *s);

struct diff_render_opts {
	const char *url;             /* shown in headers; NULL -> "" */
	const char *from_timestamp;  /* e.g. "2024-10-21T01:02:03Z"; NULL -> "" */
	const char *to_timestamp;
	int context;                 /* blocks of context in text/word hunks:
				      * 0 -> 2 (default), <0 -> none */
};

int diff_render(enum diff_format fmt, const struct diff_result *r,
		const struct diff_render_opts *o, struct buf *out,
		struct err *e);
int diff_render_text(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e);
int diff_render_word(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e);
int diff_render_html(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e);
/* {"url":..,"from":{"timestamp":..,"last_updated":..|null,"text_digest":..},
 *  "to":{..},"figures":{"blocks_added":n,"blocks_removed":n,
 *  "blocks_changed":n,"blocks_moved":n,"chars_changed":n,"links_added":n,
 *  "links_removed":n},"operations":[{"op":"equal|insert|delete|change|move",
 *  "from_index":n|null,"to_index":n|null,"old":s|null,"new":s|null,
 *  "words":[{"op":"equal|delete|insert","text":s}...] (change only)}...],
 *  "links_added":[..],"links_removed":[..]}
 * Indexes are 0-based block numbers; a move is listed once, where the block
 * left. */
int diff_render_json(const struct diff_result *r,
		     const struct diff_render_opts *o, struct buf *out,
		     struct err *e);

/* One line, no newline, e.g.
 *   "2 paragraphs changed (+41/-12 chars), 1 added; 1 link added"
 *   "1 heading changed (+3/-3 chars), 1 block moved"
 *   "no text change"                 (links may still follow: "; 1 link removed")
 * Nouns: paragraph, heading, list item, table cell, block (mixed kinds). */
int diff_summary(const struct diff_result *r, struct buf *out);

#endif
