/* dict: a content dictionary finished for zstd (see dict.h). */
#include "crawl/dict.h"

#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <string.h>

int crawl_dict_build(const void *content, size_t content_len,
		     const void *samples, const size_t *sizes, size_t n,
		     int level, struct buf *out)
{
	ZDICT_params_t p;
	size_t cap, r;
	unsigned nn = (unsigned)n;

	if (content_len > CRAWL_DICT_MAX - 4096)
		content = (const char *)content + content_len -
			  (CRAWL_DICT_MAX - 4096),
		content_len = CRAWL_DICT_MAX - 4096;
	cap = content_len + 4096;
	if (n < 4 || buf_grow(out, cap) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	p.compressionLevel = level;
	r = ZDICT_finalizeDictionary(out->data + out->len, cap, content,
				     content_len, samples, sizes, nn, p);
	if (ZDICT_isError(r))
		return -1;
	out->len += r;
	out->data[out->len] = 0;
	return 0;
}
