/* mend: resuming after a crash or kill -9.
 *
 * Every ARCHIVE/NAME.open file is cut back to the end of the last record that
 * belongs to a committed fetch (the state's warcs.committed_end; for a file
 * the state does not know, the end of its leading warcinfo when it is this
 * crawl's, else its last whole record), catalog rows at or after the cut
 * are deleted, and the file is renamed to its final name.  Records of a
 * fetch that was not committed are cut with it, so that URL is fetched once
 * more and every page ends up captured exactly once. */
#ifndef GOVARCH_CRAWL_MEND_H
#define GOVARCH_CRAWL_MEND_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "crawl/frontier.h"
#include "util/err.h"

/* Mend every .open file of archive for crawl crawl_id being resumed, as
 * above.  0, or -1 with e set. */
int crawl_mend(struct frontier *fr, struct catalog *cat, const char *archive,
	       int64_t crawl_id, struct err *e);

#endif
