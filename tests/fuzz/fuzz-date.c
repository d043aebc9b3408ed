/* libFuzzer target: the "Last updated" date finder, with the default formats and with site formats.  `make fuzz` builds it; `make fuzz-regress`
 * replays tests/fuzz/corpus/date/ through it under ASan+UBSan.  Run it with
 * new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-date && build-fuzz/fuzz-date -max_total_time=600 /tmp/fuzz-date tests/fuzz/corpus/date
 */
#include <stddef.h>
#include <stdint.h>

#include "diff/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct diff_rules rules;
	static int ready;
	struct err e;
	char ymd[11];

	if (!ready) {
		diff_rules_init(&rules);
		diff_rules_set(&rules, "date-format", "%A, %d %B %Y", &e);
		diff_rules_set(&rules, "date-format", "l, j F Y", &e);
		diff_rules_set(&rules, "date-format", "%m/%d/%Y", &e);
		ready = 1;
	}
	(void)diff_date_find((const char *)data, size, NULL, ymd);
	(void)diff_date_find((const char *)data, size, &rules, ymd);
	return 0;
}
