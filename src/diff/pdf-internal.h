/* pdf-internal: what pdf.c (the reading, in a child process) gives
 * pdf-server.c (the process that forks those children, and its client). */
#ifndef GOVARCH_DIFF_PDF_INTERNAL_H
#define GOVARCH_DIFF_PDF_INTERNAL_H

#include <stddef.h>

#include "diff/pdf.h"

/* The largest answer a child may give: the text and its head. */
#define DIFF_PDF_ANSWER_MAX (DIFF_MAX_TEXT + 4096)

/* One document read in a child process forked here, with the limits
 * (pdf.h): ans is overwritten with "RC\tNOTE\nTITLE\n" and, when RC is 0,
 * the paragraphs, one a line; "1\tNOTE\n\n" when the child was killed or
 * failed, or poppler-glib cannot be loaded (the note says which).  0, or
 * -1 when memory runs out or no process could be made (e says). */
int pdf_child_answer(const void *data, size_t len, struct buf *ans,
		     struct err *e);

/* ans made the answer of a document that was not read: "1\tNOTE\n\n".
 * 0, or -1 when memory runs out. */
int pdf_note_answer(struct buf *ans, const char *note);

/* The page of such an answer (ans is changed): as diff_pdf_page. */
int pdf_answer_page(struct buf *ans, struct diff_page *out,
		    char note[DIFF_PDF_NOTE_MAX], struct err *e);

#endif
