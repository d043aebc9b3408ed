/* catalog resolve: FROM/TO arguments (a crawl id, a timestamp or a
 * timestamp prefix) to a crawl or to one capture of a URL. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-int.h"
#include "util/timeutil.h"

/* 1 and *id when spec names a crawl id; 0 when it is a timestamp (digits
 * of it in ts, at most 14); -1 when it is neither. */
static int parse_spec(const char *spec, int64_t *id, char ts[15])
{
	const char *p = spec;
	size_t n = 0;
	time_t t;
	char *end;
	long long v;

	if (!spec || !*spec)
		return -1;
	if (*p == '#' || !strncmp(p, "crawl:", 6)) {
		p += *p == '#' ? 1 : 6;
		if (!isdigit((unsigned char)*p))
			return -1;
		v = strtoll(p, &end, 10);
		if (*end || v <= 0)
			return -1;
		*id = v;
		return 1;
	}
	if (strspn(p, "0123456789") == strlen(p) && strlen(p) <= 4) {
		v = strtoll(p, &end, 10);
		if (v > 0 && v < 1900) {
			*id = v;
			return 1;
		}
	}
	if (time_parse_ts(spec, &t) < 0)
		return -1;
	for (; *p && n < 14; p++)
		if (isdigit((unsigned char)*p))
			ts[n++] = *p;
	ts[n] = '\0';
	return 0;
}

/* The ts14 of a WARC-Date form. */
static void ts_of(const char *date, char ts[15])
{
	time_t t;

	if (time_parse_warc_date(date, &t) == 0 || time_parse_ts(date, &t) == 0)
		time_ts14(t, ts);
	else
		ts[0] = '\0';
}

int catalog_resolve_crawl(struct catalog *c, const char *spec, int64_t *id,
			  struct err *e)
{
	struct catalog_crawl *v = NULL, cr;
	char want[15], ts[15];
	size_t n, i, plen;
	long hit = -1, before = -1;
	int rc = parse_spec(spec, id, want);

	if (rc < 0)
		return err_set(e, "'%s': not a crawl id (N, #N) or a timestamp "
			       "(2024, 20241021, 20241021T0930)", spec);
	if (rc == 1) {
		rc = catalog_crawl_get(c, *id, &cr, e);
		if (rc == 0)
			err_set(e, "%s: no crawl %lld", c->db.path, (long long)*id);
		return rc;
	}
	if (catalog_crawls(c, &v, &n, e) < 0)
		return -1;
	plen = strlen(want);
	for (i = 0; i < n; i++) {
		ts_of(v[i].start, ts);
		if (!strncmp(ts, want, plen))
			hit = (long)i;
		else if (strncmp(ts, want, plen) < 0)
			before = (long)i;
	}
	if (hit < 0)
		hit = before;
	if (hit >= 0)
		*id = v[hit].id;
	free(v);
	if (hit < 0)
		err_set(e, "%s: no crawl at or before %s", c->db.path, spec);
	return hit >= 0;
}

long catalog_resolve_capture(struct catalog *c,
			     const struct catalog_capture *v, size_t n,
			     const char *spec, struct err *e)
{
	char want[15];
	int64_t id = 0;
	size_t i, plen;
	long hit = -1, before = -1;
	int rc = parse_spec(spec, &id, want);

	(void)c;
	if (rc < 0) {
		err_set(e, "'%s': not a crawl id (N, #N) or a timestamp "
			"(2024, 20241021, 20241021T0930)", spec);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (rc == 1) {
			if (v[i].crawl_id == id)
				hit = (long)i;
			continue;
		}
		plen = strlen(want);
		if (!strncmp(v[i].ts, want, plen))
			hit = (long)i;
		else if (strncmp(v[i].ts, want, plen) < 0)
			before = (long)i;
	}
	if (rc == 0 && hit < 0)
		hit = before;
	if (hit < 0)
		err_set(e, "%s: no capture %s %s", n ? v[0].url : "URL",
			rc == 1 ? "in crawl" : "at or before", spec);
	return hit;
}
