/* Shared by the render-*.c files; not the API. */
#ifndef GOVARCH_DIFF_RENDER_INTERNAL_H
#define GOVARCH_DIFF_RENDER_INTERNAL_H

#include "diff/render.h"

typedef int (*hunk_line_fn)(const struct diff_result *r,
			    const struct diff_block_op *o, struct buf *out);

/* Unified hunks ("@@ -a,b +c,d @@") over the ops, line() per op. */
int diff_hunks(const struct diff_result *r, const struct diff_render_opts *o,
	       struct buf *out, hunk_line_fn line);
/* The "--- URL\tTS (last updated D)" / "+++ ..." lines. */
int diff_render_header(const struct diff_result *r,
		       const struct diff_render_opts *o, struct buf *out);

#endif
