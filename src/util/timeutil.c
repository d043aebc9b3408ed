#include "util/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct timespec time_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t;
}

double time_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void time_warc_date(struct timespec t, char out[32])
{
	struct tm tm;
	size_t n;

	gmtime_r(&t.tv_sec, &tm);
	n = strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%06dZ", (int)(t.tv_nsec / 1000 % 1000000));
}

void time_ts14(time_t t, char out[15])
{
	struct tm tm;

	/* a year past 9999 does not fit: "" rather than what strftime
	 * leaves in the array then */
	if (!gmtime_r(&t, &tm) || strftime(out, 15, "%Y%m%d%H%M%S", &tm) == 0)
		out[0] = '\0';
}

/* s already "YYYY-MM-DDTHH:MM:SSZ" with every field in range (a date
 * the calendar has, year 1000 or later): what time_iso would print. */
static int iso_canonical(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	int y, mo, d, i;

	for (i = 0; form[i]; i++)
		if (form[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != form[i])
			return 0;
	if (s[i])
		return 0;
#define NUM2(p) (((p)[0] - '0') * 10 + (p)[1] - '0')
	y = NUM2(s) * 100 + NUM2(s + 2);
	mo = NUM2(s + 5);
	d = NUM2(s + 8);
	if (y < 1000 || mo < 1 || mo > 12 || d < 1 || NUM2(s + 11) > 23 ||
	    NUM2(s + 14) > 59 || NUM2(s + 17) > 59)
		return 0;
	if (mo == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return d <= 29;
#undef NUM2
	return d <= days[mo - 1];
}

void time_iso(const char *s, char out[32])
{
	struct tm tm;
	time_t t;

	/* most dates are stored in this form: not parsed and printed again
	 * (thousands of them in a search answer) */
	if (iso_canonical(s)) {
		memcpy(out, s, 21);
		return;
	}
	if (time_parse_warc_date(s, &t) < 0 && time_parse_ts(s, &t) < 0) {
		snprintf(out, 32, "%s", s);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_http_date(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static int tm_valid(const struct tm *tm)
{
	return tm->tm_mon >= 0 && tm->tm_mon < 12 && tm->tm_mday >= 1 &&
	       tm->tm_mday <= 31 && tm->tm_hour < 24 && tm->tm_min < 60 &&
	       tm->tm_sec <= 60;
}

int time_parse_warc_date(const char *s, time_t *t)
{
	struct tm tm;
	const char *p;

	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p) {
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%Y-%m-%dT%H:%M", &tm);   /* W3C allows no seconds */
		if (!p)
			return -1;
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p != 'Z' || !tm_valid(&tm))
		return -1;
	*t = timegm(&tm);
	return 0;
}

int time_parse_ts(const char *s, time_t *t)
{
	/* Pad a prefix like "2024" or "20241021T0930" to 14 digits. */
	char d[15] = "00000101000000";
	size_t i, n = 0;
	struct tm tm;

	for (i = 0; s[i] && n < 14; i++) {
		if (isdigit((unsigned char)s[i]))
			d[n++] = s[i];
		else if (!strchr("-T:Z ", s[i]))
			return -1;
	}
	if (s[i] == 'Z')        /* "2024-10-21T09:30:00Z": 14 digits, then Z */
		i++;
	if (n < 4 || s[i])
		return -1;
	if (n < 6) { d[4] = '0'; d[5] = '1'; }
	if (n < 8) { d[6] = '0'; d[7] = '1'; }
	memset(&tm, 0, sizeof(tm));
	if (sscanf(d, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if (!tm_valid(&tm))
		return -1;
	*t = timegm(&tm);
	return 0;
}

int time_parse_http_date(const char *s, time_t *t)
{
	static const char *fmts[] = {
		"%a, %d %b %Y %H:%M:%S GMT",    /* RFC 7231 IMF-fixdate */
		"%A, %d-%b-%y %H:%M:%S GMT",    /* RFC 850 */
		"%a %b %d %H:%M:%S %Y",         /* asctime */
	};
	struct tm tm;
	size_t i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		const char *p;

		memset(&tm, 0, sizeof(tm));
		p = strptime(s, fmts[i], &tm);
		if (p && (*p == '\0' || isspace((unsigned char)*p))) {
			*t = timegm(&tm);
			return 0;
		}
	}
	return -1;
}
