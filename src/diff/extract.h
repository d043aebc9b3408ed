/* extract: the main text, outgoing links and declared dates of an HTML page.
 *
 * One capture's parsed page goes in (src/html: the document with its
 * charset, base and URL) with the site rules; a struct diff_page comes out.  The text is a list of blocks (one per
 * heading, paragraph, list item, table row - its cells joined by " | ",
 * kind th when its first cell is one, else td -, dt/dd, each line of a
 * <pre>, ...), whitespace collapsed (NBSP is a space), trimmed, empty
 * blocks dropped.  The "Last
 * updated" and "Issue date" lines are data, not text: they are removed from
 * the blocks, so a date change alone never shows as a text change.
 *
 * Main content: the first rules->main XPath that selects something with
 * text (all its nodes, in document order; label "rule:NAME", "rule:NAME:2"
 * for the second XPath..., NAME "site" when unnamed), else the generic
 * fallback: <main> ("generic:main"), [role=main] ("generic:role-main"),
 * #main / #main-content ("generic:main-id"), a single <article>
 * ("generic:article"), else <body> ("generic:body"); a candidate without
 * text (Drupal's empty <a id="main-content">) is passed over.  Inside it, always
 * removed: nav, aside, footer, script, style, noscript, template, head,
 * title, form, input, textarea, button, select, datalist, svg, iframe,
 * object, embed, map, canvas, audio, video, [role=navigation|banner|
 * contentinfo|complementary|search], [hidden], [aria-hidden=true],
 * [aria-label*=readcrumb], [class*=breadcrumb]; <header> too when the main
 * content is the whole <body> and the header is not inside main, article
 * or section (an article's own header with its <h1> stays); plus every node the
 * rules' remove XPaths select (searched under the main content when the
 * XPath starts with "//", which is much faster on pages with a big menu).
 * No text comes from attributes (alt, title).  The page's rule label is stored
 * per capture so that two versions are always compared the same way
 * (diff_extract with force_rule).
 *
 * Dates: rules->date XPaths (first node holding a date wins and is removed
 * from the text; the printed date is preferred to a <time datetime>, which
 * may be a UTC instant on another day), else the wording "Last updated",
 * "Last modified", "Page last updated", "Updated" (case-insensitive,
 * optional ':') at the start of a block, followed in that block or the next
 * by a date (and at most 20 bytes more, "at 3pm"); searched in the main
 * text first (the block(s) are then removed; also when a rule found the date
 * elsewhere), then anywhere in the page.
 * Formats (default set): "Monday, 21 October 2024", "21 October 2024",
 * "Fri 10 Feb 2023", "21 Oct 2024", "21 October, 2024", "October 21, 2024",
 * "2024-10-21", "2024/10/21", "21/10/2024" (day first), "21st Sept 2023",
 * <time datetime="2024-10-21...">.  Issue date:
 * rules->issue_date XPaths, else the wording "Issue date" / "Date issued".
 *
 * Library code: never prints; caps everything (DIFF_MAX_*).
 */
#ifndef GOVARCH_DIFF_EXTRACT_H
#define GOVARCH_DIFF_EXTRACT_H

#include <regex.h>
#include <stddef.h>

#include "html/html.h"
#include "util/buf.h"
#include "util/err.h"

/* The extractor's version, stored with each capture's text: texts made by
 * another version are extracted again before two captures are compared.
 * 1: before src/html (links resolved by libxml2, boilerplate by a tag
 * scanner); 2: one parse with src/html, links by url_resolve; 3: each line
 * of a <pre> is a block, and a table row is one block ("cell | cell");
 * 4: the boilerplate lists the links outside the main content with their
 * texts (a menu link added, removed or renamed is a site-wide change). */
#define DIFF_EXTRACT_VERSION 4

#define DIFF_MAX_HTML     HTML_MAX_BYTES  /* input bytes accepted */
#define DIFF_MAX_BLOCKS   20000        /* blocks kept per page */
#define DIFF_MAX_TEXT     (4u << 20)   /* bytes of text kept per page */
#define DIFF_MAX_LINKS    5000         /* links kept per page */
#define DIFF_RULES_MAX    16           /* XPaths per rule list */

enum diff_block_kind {
	DIFF_BK_TEXT = 0,  /* text directly inside div/section/body... */
	DIFF_BK_P,
	DIFF_BK_H1, DIFF_BK_H2, DIFF_BK_H3, DIFF_BK_H4, DIFF_BK_H5, DIFF_BK_H6,
	DIFF_BK_LI,
	DIFF_BK_TD,        /* td */
	DIFF_BK_TH,        /* th */
	DIFF_BK_DT,
	DIFF_BK_DD,
	DIFF_BK_QUOTE,     /* text directly in blockquote */
	DIFF_BK_PRE,
	DIFF_BK_CAPTION,   /* caption, figcaption */
	DIFF_BK_COUNT
};

/* Short tag of a kind ("p", "h1", "li", "td", "th", "dt", "dd", "quote",
 * "pre", "caption", "text"), and back (-1 when unknown). */
const char *diff_block_kind_name(enum diff_block_kind k);
int diff_block_kind_parse(const char *s, size_t n);

struct diff_block {
	enum diff_block_kind kind;
	char *text;        /* UTF-8, NUL-terminated, no tab/newline, non-empty */
	size_t len;
};

struct diff_date {
	char ymd[11];      /* "YYYY-MM-DD", "" when not found */
	char *raw;         /* the text it came from, e.g. "Last updated Monday,
			    * 21 October 2024"; NULL when not found */
};

struct diff_page {
	char *title;                 /* <title>, normalised; never NULL */
	struct diff_block *blocks;
	size_t n_blocks;
	char **links;                /* absolute, no fragment, unique, in
				      * document order */
	size_t n_links;
	struct diff_date updated;    /* "Last updated" */
	struct diff_date issued;     /* "Issue date" */
	char rule[80];               /* "rule:dpmc", "generic:main", ... */
	char text_digest[40];        /* "sha1:BASE32" of the block texts joined
				      * by "\n" (no trailing newline) */
	int truncated;               /* a cap was hit: blocks/links dropped */
};

/* Site rules: filled by diff_rules_set (config lines) or by hand.  Every
 * string is malloc'd and owned by the struct. */
struct diff_rules {
	char *name;                         /* "dpmc"; NULL -> "site" */
	char *main[DIFF_RULES_MAX];         /* first XPath selecting nodes wins */
	size_t n_main;
	char *remove[DIFF_RULES_MAX];       /* removed inside main */
	size_t n_remove;
	char *date[DIFF_RULES_MAX];         /* "Last updated" element(s) */
	size_t n_date;
	char *date_format[DIFF_RULES_MAX];  /* tried in order before the defaults */
	size_t n_date_format;
	char *issue_date[DIFF_RULES_MAX];   /* "Issue date" element(s) */
	size_t n_issue_date;
	char *ignore_text[DIFF_RULES_MAX];  /* POSIX EREs: blocks whose text
					     * matches one are left out when
					     * two versions are compared */
	regex_t ignore_re[DIFF_RULES_MAX];  /* compiled, REG_EXTENDED|REG_NOSUB */
	size_t n_ignore_text;
};

void diff_rules_init(struct diff_rules *r);
void diff_rules_release(struct diff_rules *r);

/* One config setting.  Keys (an "extract-" prefix is also accepted):
 *   name = dpmc
 *   main = //main[@id='main-content']          (repeatable, in order)
 *   remove = //nav[@aria-label='Breadcrumb']    (repeatable)
 *   date = //div[contains(@class,'last-updated')]   (repeatable)
 *   date-format = %A, %d %B %Y                  (repeatable; strptime-like:
 *       %A/%a weekday name (full or short), %d/%e day, %B/%b month name
 *       (full or short), %m month number, %Y year; a space matches any run
 *       of spaces, "," is optional in the text.  A format without '%' is read
 *       as PHP date(): l D j d F M n m Y, e.g. "l, j F Y")
 *   issue-date = //div[contains(@class,'issue-date')]   (repeatable)
 *   ignore-text = ^Viewed [0-9]+ times$         (repeatable; POSIX ERE,
 *       matched against each block's text: see diff_rules_ignored)
 * XPaths and regular expressions are checked for syntax here.  Returns 1 when the key was used, 0
 * when the key is not an extraction key (the caller handles it), -1 on a bad
 * value or a full list (e names the key). */
int diff_rules_set(struct diff_rules *r, const char *key, const char *value,
		   struct err *e);
/* The same for one "key = value" line (comments '#' and blank lines give 0). */
int diff_rules_parse_line(struct diff_rules *r, const char *line,
			  struct err *e);

void diff_page_init(struct diff_page *p);
void diff_page_release(struct diff_page *p);

/* Extract a parsed page (html.h: its charset, base and URL).  rules: may
 * be NULL.  force_rule: NULL, or a label stored with an earlier capture
 * ("generic:article", "rule:dpmc") to extract this version the same way
 * when that way still selects something.  out is overwritten (release it
 * first if reused).  The tree is left as it was (d keeps the links it
 * resolved, html_resolve).  Returns 0, or -1 (e
 * names the URL) when the page was over DIFF_MAX_HTML (cut by html_parse)
 * or memory runs out; broken HTML is not an error, and input libxml2
 * cannot parse at all gives an empty page ("generic:body", no blocks). */
int diff_extract_doc(struct html_doc *d,
		     const struct diff_rules *rules, const char *force_rule,
		     struct diff_page *out, struct err *e);

/* The text around the main content of a parsed page (header, footer,
 * side boxes), one block per line, appended to out; then the links there,
 * one "URL\tTEXT" line each (absolute, no fragment; TEXT the link's text,
 * or its image's alt, whitespace collapsed, at most 200 bytes; each pair
 * once, in document order).  A text line never holds a tab, so the two
 * kinds of line tell apart.  A wording change or a menu link added,
 * removed or renamed is the same on every page: `changes` reports it once
 * as a site-wide change.  Left out: the main content (<main>, role=main,
 * the ids main/main-content and any id the rules' main XPaths name),
 * link texts from the text lines, scripts, styles, forms' options, and
 * text lines holding a date.  0, or -1 at out's cap. */
int diff_boilerplate(struct html_doc *d, const struct diff_rules *rules,
		     struct buf *out);

/* Storable form of a page, one item per line, fields split by a tab:
 *   "@title\tTEXT", "@rule\tLABEL", "@updated\tYYYY-MM-DD\tRAW",
 *   "@issued\tYYYY-MM-DD\tRAW", "@digest\tsha1:...", "@link\tURL",
 *   then "KIND\tTEXT" per block (KIND as diff_block_kind_name).
 * Appends to out.  diff_page_parse reads it back (unknown "@" lines are
 * skipped, so the form can grow); -1 on a malformed line. */
int diff_page_serialize(const struct diff_page *p, struct buf *out);
int diff_page_parse(const char *s, size_t len, struct diff_page *out,
		    struct err *e);

/* ignore-text: the stored text stays complete; only the comparison of two
 * versions (changes, history, diff) leaves the matching blocks out.
 * diff_rules_ignored: the index of the first ignore-text pattern matching
 * text, or -1.  diff_page_split_ignored moves p's matching blocks (in order)
 * into ignored's blocks (appended) and keeps the others; -1 out of memory
 * (p is unchanged then). */
int diff_rules_ignored(const struct diff_rules *r, const char *text);
int diff_page_split_ignored(struct diff_page *p, const struct diff_rules *r,
			    struct diff_page *ignored);

/* Blocks' text joined by "\n" (what text_digest covers). */
int diff_page_text(const struct diff_page *p, struct buf *out);

/* Find a date in s[0..n) with the rules' formats then the defaults; fill
 * ymd ("YYYY-MM-DD").  Returns the offset just after the date, or -1. */
long diff_date_find(const char *s, size_t n, const struct diff_rules *rules,
		    char ymd[11]);

#endif
