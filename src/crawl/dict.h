/* dict: the crawl's zstd dictionary, built from the site's own records.
 *
 * ZDICT_trainFromBuffer picks short frequent segments; a site like DPMC
 * repeats one 80 KB menu on every page, which such a mosaic of segments
 * captures badly (a page compresses to ~11 KB with it, to ~400 bytes with
 * one whole page as content).  So the dictionary's content is whole sample
 * records (an outlink list, a request head, two HTML responses, the most
 * useful last), finished with ZDICT_finalizeDictionary into a standard zstd
 * dictionary (header, ID, entropy tables from all samples), which the WARC
 * layer stores in each file's dictionary frame like any other. */
#ifndef GOVARCH_CRAWL_DICT_H
#define GOVARCH_CRAWL_DICT_H

#include <stddef.h>

#include "util/buf.h"

#define CRAWL_DICT_MAX (512u << 10)

/* content: the chosen whole records; samples: all samples (flat, sizes);
 * level: the zstd level the records will be written at (the entropy
 * tables come from the samples compressed at it).  Returns 0 and the
 * dictionary in out, -1 when zstd refuses. */
int crawl_dict_build(const void *content, size_t content_len,
		     const void *samples, const size_t *sizes, size_t n,
		     int level, struct buf *out);

#endif
