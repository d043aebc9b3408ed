/* libFuzzer target: a configuration file (crawl keys and site extraction rules) parsed, dumped and its User-Agent built, then checked line by line as `config check` does.  `make fuzz` builds it; `make fuzz-regress`
 * replays tests/fuzz/corpus/config/ through it under ASan+UBSan.  Run it with
 * new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-config && build-fuzz/fuzz-config -max_total_time=600 /tmp/fuzz-config tests/fuzz/corpus/config
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crawl/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crawl_config c;
	struct crawl_strv problems = { 0 };
	struct err e;
	char *s, *d;

	if (size > (1u << 20) || !(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	crawl_config_init(&c);
	if (crawl_config_parse(&c, s, "fuzz.conf", &e) == 0) {
		free(crawl_config_user_agent(&c));
		d = crawl_config_dump(&c);
		free(d);
	}
	crawl_config_release(&c);
	/* config check: every line, with where each value came from */
	crawl_config_init(&c);
	c.origin = "";
	crawl_config_check(&c, s, "fuzz.conf", &problems);
	c.origin = NULL;
	free(crawl_config_dump_origins(&c));
	crawl_strv_clear(&problems);
	crawl_config_release(&c);
	free(s);
	return 0;
}
