/* catalog-files: listing an archive's WARC files (internal). */
#ifndef GOVARCH_CATALOG_FILES_H
#define GOVARCH_CATALOG_FILES_H

#include <stddef.h>

#include "util/err.h"

struct cat_files {
	char **v;           /* paths relative to the archive dir */
	size_t n, alloc;
	int with_open;      /* NAME.open files listed as NAME */
};

/* 1 for *.warc, *.warc.gz, *.warc.zst, *.warc.bz2, *.warc.xz (not .open). */
int cat_is_warc_name(const char *name);
/* Every WARC file under archive_dir (hidden entries skipped), sorted by
 * file name, then by relative path.  With with_open, the .open files a
 * killed crawl left in archive_dir itself (not tmp/'s scratch files) are
 * listed too, under the name they will have (what
 * the catalog calls them); cat_file_path finds them. */
int cat_files_list(const char *archive_dir, int with_open,
		   struct cat_files *f, struct err *e);
/* "DIR/REL", or "DIR/REL.open" when only that exists; malloc'd, NULL when
 * out of memory. */
char *cat_file_path(const char *dir, const char *rel);
void cat_files_release(struct cat_files *f);

#endif
