/* compact: repack a finished crawl's WARC files (govarch compact, and after
 * each crawl with compact-level > 0).
 *
 * A crawl writes its records at a level it can afford while fetching
 * (zstd-level, default 3) with the site's first dictionary.  Once the crawl
 * is finished, its files are copied into ONE new file beside them,
 * NAME-c.warc.zst (NAME: the crawl's first file), at a higher level
 * (default 19) with a dictionary trained on this crawl's own records and
 * sized by trial (warc_repack: 4 KiB to 1 MiB, or none), every record
 * still its own zstd frame; the new file is synced and
 * read back record by record against the old ones; then ONE catalog
 * transaction moves every capture to its new file, offset and length; only
 * then are the old files removed.  When the new file is not smaller it is
 * removed and nothing changes.
 *
 * Crash safety: the catalog notes the plan before the new file is written
 * and marks it switched in the transaction that moves the captures.  A kill
 * before that commit leaves the old files and catalog as they were (the
 * next writable catalog_open removes the partial new file); after it, the
 * new file is complete and synced and the next open removes any old file
 * left.  Readers open files by name per capture: one that looked a capture
 * up before the switch and opens its old file after the removal (a window
 * of one unlink) gets "no such file" and must look it up again; a file
 * already open stays readable. */
#ifndef GOVARCH_CRAWL_COMPACT_H
#define GOVARCH_CRAWL_COMPACT_H

#include <stdint.h>

#include "catalog/catalog.h"
#include "util/err.h"

#define COMPACT_LEVEL_DEFAULT 19

enum compact_outcome {
	COMPACT_DONE,           /* repacked */
	COMPACT_ALREADY,        /* repacked before */
	COMPACT_NOT_SMALLER,    /* the new file was not smaller: kept the old */
	COMPACT_NOTHING,        /* the crawl has no captures */
};

struct compact_report {
	int64_t crawl;
	enum compact_outcome outcome;
	size_t files;           /* old files */
	uint64_t before, after; /* bytes of the old files, of the new one */
	uint64_t raw;           /* uncompressed record bytes */
	size_t records;
	char new_file[1024];    /* relative to the archive */
};

/* Repack crawl id (which must be finished: complete or partial) of the
 * archive whose catalog c is; the caller holds the archive's crawl lock.
 * 0 and rep filled, or -1. */
int crawl_compact(const char *archive, struct catalog *c, int64_t id,
		  int level, struct compact_report *rep, struct err *e);

#endif
