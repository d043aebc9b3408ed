/* libFuzzer target: the replay server's Accept-Datetime parser
 * (replay_accept_datetime, RFC 1123 dates only): a date it accepts must
 * format back to the same text.  `make fuzz` builds it; `make
 * fuzz-regress` replays tests/fuzz/corpus/accept-datetime/ through it under
 * ASan+UBSan.  Run it with new inputs kept out of the seed folder:
 *
 *   mkdir -p /tmp/fuzz-ad && build-fuzz/fuzz-accept-datetime -max_total_time=600 /tmp/fuzz-ad tests/fuzz/corpus/accept-datetime
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "replay/replay.h"
#include "util/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, back[32];
	time_t t;

	if (size > 1000 || !(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (replay_accept_datetime(s, &t) == 0) {
		time_http_date(t, back);
		/* a leap second (":60") is the next minute's first second */
		if (strcmp(back, s) && strncmp(s + 23, "60", 2))
			abort();
	}
	free(s);
	return 0;
}
