/* catalog-files: listing an archive's WARC files (internal). */
#ifndef GOVARCH_CATALOG_FILES_H
#define GOVARCH_CATALOG_FILES_H

#include <stddef.h>

#include "util/err.h"

struct cat_files {
	char **v;           /* paths relative to the archive dir */
	size_t n, alloc;
};

/* 1 for *.warc, *.warc.gz, *.warc.zst, *.warc.bz2, *.warc.xz (not .open). */
int cat_is_warc_name(const char *name);
/* Every WARC file under archive_dir (hidden entries skipped), sorted by
 * file name, then by relative path. */
int cat_files_list(const char *archive_dir, struct cat_files *f,
		   struct err *e);
void cat_files_release(struct cat_files *f);

#endif
