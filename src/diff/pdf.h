/* pdf: the text of a PDF document (poppler-glib), as the main text of its
 * capture, so `changes`, `diff` and `search` treat a document like a page.
 *
 * The text is read page by page (poppler_page_get_text) and cut into
 * paragraphs where lines are separated by more than half a line's height
 * of space (poppler_page_get_text_layout), at a blank line and at a page
 * break; a paragraph's lines are joined by a space, whitespace collapsed.
 * Each paragraph is one block ("p") of a struct diff_page whose rule is
 * "pdf" and whose title is the document's Title (or "").
 *
 * Limits per document: the input is at most CATALOG_PAYLOAD_MAX (the
 * caller's), DIFF_PDF_MAX_PAGES pages are read (the rest is left out, with
 * a note), DIFF_MAX_TEXT bytes and DIFF_MAX_BLOCKS paragraphs are kept, and
 * reading stops after DIFF_PDF_MAX_SECONDS (time checked between pages).
 * diff_pdf_page reads the document in a forked child process with its
 * address space limited to DIFF_PDF_MAX_MEMORY and killed after
 * DIFF_PDF_KILL_SECONDS, its stderr sent to /dev/null (poppler and glib
 * warn there about damaged files): a hostile PDF costs at most that child,
 * never the crawler.  The child is forked by a small server process
 * (pdf-server.c), itself forked once, when diff_pdf_server_start is called
 * (a crawl does at its start, while it is small) or by the first document:
 * forking from a large process costs it a fault on every page it writes
 * afterwards.  The server keeps one tiny document of its own open, so that
 * poppler's global parameters are built once and every child inherits
 * them.  poppler-glib is loaded (pdflib.h) by the first document read,
 * in the server (diff_pdf_page) or in this process (diff_pdf_text).  A document that gives
 * no text (encrypted, damaged, not a PDF, over a limit, the child killed,
 * poppler-glib not loadable) is not an error: the result is 1 and a
 * one-line note says why.
 */
#ifndef GOVARCH_DIFF_PDF_H
#define GOVARCH_DIFF_PDF_H

#include <stddef.h>

#include "diff/extract.h"
#include "util/buf.h"
#include "util/err.h"

#define DIFF_PDF_MAX_PAGES    500
#define DIFF_PDF_MAX_SECONDS  10
#define DIFF_PDF_KILL_SECONDS 15
#define DIFF_PDF_MAX_MEMORY   (1024ul << 20)
#define DIFF_PDF_NOTE_MAX     160

/* 1 when the mime type (no parameters) is a PDF document's. */
int diff_is_pdf(const char *mime);

/* The paragraphs of a PDF document, one a line ("\n" after each, no tab,
 * no newline inside), appended to out, in this process (no fork): for the
 * fuzz target and for diff_pdf_page's child.  Returns 0 with a text (maybe
 * no paragraph at all: a scanned document), 1 with note filled when the
 * document gives no text, -1 when memory runs out. */
int diff_pdf_text(const void *data, size_t len, struct buf *out,
		  char note[DIFF_PDF_NOTE_MAX]);

/* The document as a page (see the top): its text read in a child process
 * with the limits.  out is overwritten.  0 (out filled; note set too when
 * some pages were left out, else ""), 1 no text (note says why; out
 * empty), -1 out of memory or no process could be made (e says). */
int diff_pdf_page(const void *data, size_t len, struct diff_page *out,
		  char note[DIFF_PDF_NOTE_MAX], struct err *e);

/* Start the server process diff_pdf_page sends documents to, if it is not
 * running: 0, or -1 when no process could be made (e says).  It dies with
 * this process (even killed with SIGKILL). */
int diff_pdf_server_start(struct err *e);

/* Stop it (nothing when none runs); the next document starts another. */
void diff_pdf_server_stop(void);

#endif
