/* timeutil: the time formats archives use, always UTC.
 *
 *   WARC-Date   2024-10-21T01:02:03.123456Z  (1.1: up to 9 fraction digits)
 *   timestamp14 20241021010203               (CDXJ, file names, crawl ids)
 *   HTTP date   Mon, 21 Oct 2024 01:02:03 GMT
 *   ISO 8601    2024-10-21T01:02:03Z         (what commands show people)
 */
#ifndef GOVARCH_TIMEUTIL_H
#define GOVARCH_TIMEUTIL_H

#include <stddef.h>
#include <time.h>

/* Current time, with microseconds. */
struct timespec time_now(void);
double time_mono(void);                         /* monotonic seconds */

/* Format; out needs 32 bytes. Microsecond precision for WARC-Date. */
void time_warc_date(struct timespec t, char out[32]);
void time_ts14(time_t t, char out[15]);
void time_http_date(time_t t, char out[32]);
/* A WARC-Date or a 14-digit timestamp as ISO 8601 UTC to the second;
 * anything else is copied as it is. */
void time_iso(const char *s, char out[32]);

/* Parse a WARC-Date (with or without fraction, "Z" required), a 14-digit
 * timestamp or a prefix of one (missing fields take their lowest value), or
 * an HTTP date.  Return 0 and set *t, or -1. */
int time_parse_warc_date(const char *s, time_t *t);
int time_parse_ts(const char *s, time_t *t);
int time_parse_http_date(const char *s, time_t *t);

#endif
