/* libFuzzer target for PDF text extraction (src/diff/pdf.c) with its
 * limits, in this process (no child): any bytes as a document; a text or
 * a note comes out, never a crash.  Not built by default; `make fuzz`
 * builds it:
 *
 *   mkdir -p /tmp/fuzz-pdf && build-fuzz/fuzz-pdf-text -max_total_time=60 /tmp/fuzz-pdf tests/fuzz/corpus/pdf-text
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff/pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT(0);
	char note[DIFF_PDF_NOTE_MAX];
	int rc;

	if (size > (1u << 20))
		return 0;
	rc = diff_pdf_text(data, size, &out, note);
	/* a note when there is no text; paragraphs are lines without tabs */
	if ((rc == 1 && (!note[0] || out.len)) ||
	    (rc == 0 && out.len && out.data[out.len - 1] != '\n') ||
	    memchr(out.data, '\t', out.len))
		abort();
	buf_release(&out);
	return 0;
}
