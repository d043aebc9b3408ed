/* libFuzzer target: the replay server's request target parser
 * (replay_parse_request: route, timestamp, modifier, archived URL, the
 * hostile-request checks), its query parameters and timestamps.  `make
 * fuzz` builds it; `make fuzz-regress` replays tests/fuzz/corpus/replay-path/
 * through it under ASan+UBSan.  Run it with new inputs kept out of the seed
 * folder:
 *
 *   mkdir -p /tmp/fuzz-rp && build-fuzz/fuzz-replay-path -max_total_time=600 /tmp/fuzz-rp tests/fuzz/corpus/replay-path
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "replay/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"url", "matchType", "from", "to", "limit", "output", "prefix",
	};
	struct replay_req r;
	char *s, *v;
	struct err e;
	time_t t;
	size_t i;
	int rc;

	if (size > 40000 || !(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	rc = replay_parse_request(s, &r, &e);
	if (rc == 0) {
		/* what the server relies on */
		if (r.route == REPLAY_R_REPLAY &&
		    (!r.url || !r.ts[0] || strlen(r.ts) > 14))
			abort();
		if ((r.route == REPLAY_R_TIMEGATE ||
		     r.route == REPLAY_R_CALENDAR || r.route == REPLAY_R_DIFF ||
		     r.route == REPLAY_R_TIMEMAP_LINK ||
		     r.route == REPLAY_R_TIMEMAP_JSON) && !r.url)
			abort();
		/* no ".." segment before the query (a query may hold one) */
		if (r.url) {
			char *qm = strchr(r.url, '?'), *dd;

			if (qm)
				*qm = '\0';
			dd = strstr(r.url, "/../");
			if (dd || (strlen(r.url) >= 3 &&
				   !strcmp(r.url + strlen(r.url) - 3, "/..")))
				abort();
			if (qm)
				*qm = '?';
		}
		for (i = 0; r.query && i < sizeof(names) / sizeof(names[0]);
		     i++)
			if (replay_query_get(r.query, names[i], &v) > 0)
				free(v);
		replay_req_release(&r);
	} else if (rc != 400 && rc != 414) {
		abort();
	}
	/* the whole input as a query and as a timestamp too */
	if (replay_query_get(s, "url", &v) > 0)
		free(v);
	replay_ts_time(s, &t);
	free(s);
	return 0;
}
