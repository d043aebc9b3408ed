/* libFuzzer target: URL resolution, normalisation, parts and SURT keys: the input's first line is a base URL, the rest a reference.  `make fuzz` builds it; `make fuzz-regress`
 * replays tests/fuzz/corpus/url/ through it under ASan+UBSan.  Run it with
 * new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-url && build-fuzz/fuzz-url -max_total_time=600 /tmp/fuzz-url tests/fuzz/corpus/url
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/surt.h"
#include "util/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parts(const char *url)
{
	char *v[5] = { url_host(url), url_hostport(url), url_path(url),
		       url_query(url), url_path_query(url) };
	char *key = NULL;
	struct err e;
	size_t i;

	for (i = 0; i < 5; i++)
		free(v[i]);
	if (surt_key(url, &key, &e) == 0)
		free(key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *nl, *out = NULL;
	const char *base, *ref;
	struct err e;

	if (size > 20000 || !(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	nl = memchr(s, '\n', size);
	if (nl) {
		*nl = '\0';
		base = s;
		ref = nl + 1;
	} else {
		base = "https://www.dpmc.govt.nz/news/item?x=1";
		ref = s;
	}
	parts(s);
	if (url_normalize(base, 0, &out, &e) == 0) {
		parts(out);
		free(out);
	}
	if (url_resolve(base, ref, URL_MAX_LEN, &out, &e) == 0) {
		parts(out);
		free(out);
	}
	out = url_pct_normalize(ref, strlen(ref));
	free(out);
	free(s);
	return 0;
}
