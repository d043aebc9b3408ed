/* crawl config: parsing `key = value` files (see config.h). */
#include "crawl/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "crawl/rules-keys.h"
#include "diff/extract.h"
#include "util/buf.h"
#include "util/rxcheck.h"
#include "util/url.h"
#include "util/version.h"

#ifndef GOVARCH_CONFDIR
#define GOVARCH_CONFDIR "/usr/local/share/govarch"
#endif
#ifndef GOVARCH_SYSTEM_CONFIG
#define GOVARCH_SYSTEM_CONFIG "/etc/govarch/govarch.conf"
#endif

int crawl_strv_add(struct crawl_strv *s, const char *str)
{
	char *d;

	if (s->n + 1 >= s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 8;
		char **nv = realloc(s->v, na * sizeof(*nv));

		if (!nv)
			return -1;
		s->v = nv;
		s->alloc = na;
	}
	d = strdup(str);
	if (!d)
		return -1;
	s->v[s->n++] = d;
	s->v[s->n] = NULL;
	return 0;
}

void crawl_strv_clear(struct crawl_strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int set_str(char **dst, const char *v)
{
	char *d = strdup(v);

	if (!d)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

void crawl_config_init(struct crawl_config *c)
{
	memset(c, 0, sizeof(*c));
	c->user_agent = strdup("govarch/%v (+%c)");
	c->contact = strdup("https://github.com/govarch/govarch");
	c->robots_token = strdup("govarch");
	c->operator_ = strdup("");
	c->description = strdup("");
	c->format = strdup("zst");
	c->accept_encoding = strdup("identity");
	c->notify = strdup("");
	c->notify_command = strdup("");
	c->notify_timeout = 30.0;
	c->delay = 2.0;
	c->max_delay = 30.0;
	c->delay_factor = 5.0;
	c->max_crawl_delay = 300.0;
	c->max_retry_after = 600.0;
	c->connect_timeout = 20.0;
	c->first_byte_timeout = 60.0;
	c->total_timeout = 300.0;
	c->low_speed_limit = 1000;
	c->low_speed_time = 30.0;
	c->progress_interval = 10.0;
	c->max_pages = 100000;
	c->max_bytes = 0;
	c->max_depth = 20;
	c->max_path_depth = 20;
	c->max_path_repeat = 2;
	c->max_url_length = 2083;
	c->max_query_variants = 50;
	c->max_response_bytes = 50u << 20;
	c->max_decoded_bytes = CATALOG_PAYLOAD_MAX;
	c->max_tries = 3;
	c->host_fail_pause = 5;
	c->host_pause = 300.0;
	c->max_hosts = 8;
	c->requisite_hops = 1;
	c->rotate_size = 1ull << 30;
	c->zstd_level = 3;
	c->compact_level = 19;
	c->train_bytes = 4u << 20;
}

void crawl_config_release(struct crawl_config *c)
{
	crawl_strv_clear(&c->seeds);
	crawl_strv_clear(&c->scope_hosts);
	crawl_strv_clear(&c->scope_prefixes);
	crawl_strv_clear(&c->excludes);
	crawl_strv_clear(&c->sitemaps);
	crawl_strv_clear(&c->rules);
	crawl_strv_clear(&c->origins);
	free(c->user_agent);
	free(c->contact);
	free(c->robots_token);
	free(c->operator_);
	free(c->description);
	free(c->format);
	free(c->accept_encoding);
	free(c->notify);
	free(c->notify_command);
	memset(c, 0, sizeof(*c));
}

int crawl_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0 || v > 1e7)
		return -1;
	*out = v;
	return 0;
}

int crawl_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || (shift && v > (ULLONG_MAX >> shift)))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* "identity", or a comma list of the codings the crawler can decode for
 * extraction (src/warc/http.c): a body in any other coding would be
 * archived but never indexed. */
static int check_accept_encoding(const char *v)
{
	const char *p = v;
	size_t n;

	if (!strcmp(v, "identity"))
		return 0;
	for (;;) {
		while (*p == ' ')
			p++;
		n = strcspn(p, ", ");
		if (!((n == 4 && !strncmp(p, "gzip", 4)) ||
		      (n == 7 && !strncmp(p, "deflate", 7)) ||
		      (n == 2 && !strncmp(p, "br", 2))))
			return -1;
		p += n;
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

enum kind { K_LIST, K_STR, K_SECS, K_LONG, K_SIZE };

struct key {
	const char *name;
	enum kind kind;
	size_t off;
};

#define OFF(f) offsetof(struct crawl_config, f)
static const struct key keys[] = {
	{ "seed", K_LIST, OFF(seeds) },
	{ "scope-host", K_LIST, OFF(scope_hosts) },
	{ "scope-prefix", K_LIST, OFF(scope_prefixes) },
	{ "exclude", K_LIST, OFF(excludes) },
	{ "sitemap", K_LIST, OFF(sitemaps) },
	{ "user-agent", K_STR, OFF(user_agent) },
	{ "contact", K_STR, OFF(contact) },
	{ "robots-token", K_STR, OFF(robots_token) },
	{ "operator", K_STR, OFF(operator_) },
	{ "description", K_STR, OFF(description) },
	{ "format", K_STR, OFF(format) },
	{ "accept-encoding", K_STR, OFF(accept_encoding) },
	{ "notify", K_STR, OFF(notify) },
	{ "notify-command", K_STR, OFF(notify_command) },
	{ "delay", K_SECS, OFF(delay) },
	{ "max-delay", K_SECS, OFF(max_delay) },
	{ "delay-factor", K_SECS, OFF(delay_factor) },
	{ "max-crawl-delay", K_SECS, OFF(max_crawl_delay) },
	{ "max-retry-after", K_SECS, OFF(max_retry_after) },
	{ "connect-timeout", K_SECS, OFF(connect_timeout) },
	{ "first-byte-timeout", K_SECS, OFF(first_byte_timeout) },
	{ "total-timeout", K_SECS, OFF(total_timeout) },
	{ "low-speed-time", K_SECS, OFF(low_speed_time) },
	{ "progress-interval", K_SECS, OFF(progress_interval) },
	{ "notify-timeout", K_SECS, OFF(notify_timeout) },
	{ "host-pause", K_SECS, OFF(host_pause) },
	{ "max-pages", K_LONG, OFF(max_pages) },
	{ "max-depth", K_LONG, OFF(max_depth) },
	{ "max-path-depth", K_LONG, OFF(max_path_depth) },
	{ "max-path-repeat", K_LONG, OFF(max_path_repeat) },
	{ "max-url-length", K_LONG, OFF(max_url_length) },
	{ "max-query-variants", K_LONG, OFF(max_query_variants) },
	{ "max-tries", K_LONG, OFF(max_tries) },
	{ "host-fail-pause", K_LONG, OFF(host_fail_pause) },
	{ "max-hosts", K_LONG, OFF(max_hosts) },
	{ "requisite-hops", K_LONG, OFF(requisite_hops) },
	{ "zstd-level", K_LONG, OFF(zstd_level) },
	{ "compact-level", K_LONG, OFF(compact_level) },
	{ "max-bytes", K_SIZE, OFF(max_bytes) },
	{ "max-response-bytes", K_SIZE, OFF(max_response_bytes) },
	{ "max-decoded-bytes", K_SIZE, OFF(max_decoded_bytes) },
	{ "low-speed-limit", K_SIZE, OFF(low_speed_limit) },
	{ "rotate-size", K_SIZE, OFF(rotate_size) },
	{ "dict-train-bytes", K_SIZE, OFF(train_bytes) },
};

/* The checks a list value gets before it is kept. */
static int check_list_value(const char *key, const char *value, struct err *e)
{
	char *n = NULL;
	regex_t re;
	int rc;

	if (!strcmp(key, "exclude")) {
		if (rxcheck_stacked_repetition(value))
			return err_set(e, "exclude '%s': a repetition operator "
				       "after another (e.g. '++')", value);
		rc = regcomp(&re, value, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[256];

			regerror(rc, &re, msg, sizeof(msg));
			return err_set(e, "exclude '%s': %s", value, msg);
		}
		regfree(&re);
	} else if (!strcmp(key, "seed") || !strcmp(key, "sitemap")) {
		if (strncasecmp(value, "http://", 7) &&
		    strncasecmp(value, "https://", 8))
			return err_set(e, "%s '%s': not an http:// or https:// "
				       "URL", key, value);
		if (url_normalize(value, 0, &n, NULL) < 0)
			return err_set(e, "%s '%s': not a valid URL", key, value);
		free(n);
	} else if (!strcmp(key, "scope-prefix")) {
		if (value[0] != '/' && strncasecmp(value, "http://", 7) &&
		    strncasecmp(value, "https://", 8))
			return err_set(e, "scope-prefix '%s': give a path "
				       "(/news/) or a URL with its scheme "
				       "(http://%s)", value, value);
	} else if (!strcmp(key, "scope-host")) {
		if (!*value || strpbrk(value, "/?# \t"))
			return err_set(e, "scope-host '%s': give a host name, "
				       "HOST:PORT or *.DOMAIN (no scheme or "
				       "path; for a path use scope-prefix)",
				       value);
	}
	return 0;
}

/* Extraction rule lines are checked by the diff module's own parser. */
static int check_rule(const char *key, const char *value, struct err *e)
{
	struct diff_rules r;
	int rc;

	diff_rules_init(&r);
	rc = diff_rules_set(&r, key, value, e);
	diff_rules_release(&r);
	return rc < 0 ? -1 : 0;
}

static void note_origin(struct crawl_config *c, const char *key,
			const char *value)
{
	struct buf b = BUF_INIT(0);

	if (!c->origin)
		return;
	if (buf_addf(&b, "%s\t%s\t%s", key, value ? value : "",
		     c->origin) == 0)
		crawl_strv_add(&c->origins, b.data);
	buf_release(&b);
}

int crawl_config_set(struct crawl_config *c, const char *key,
		     const char *value, struct err *e)
{
	size_t i;
	char *base = (char *)c;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		void *p = base + k->off;

		if (strcmp(k->name, key))
			continue;
		note_origin(c, key, k->kind == K_LIST ? value : NULL);
		switch (k->kind) {
		case K_LIST:
			if (check_list_value(key, value, e) < 0)
				return -1;
			if (crawl_strv_add(p, value) < 0)
				return err_set(e, "out of memory");
			return 0;
		case K_STR:
			if (!strcmp(key, "format") && strcmp(value, "zst") &&
			    strcmp(value, "gz") && strcmp(value, "warc"))
				return err_set(e, "format: '%s' is not zst, gz "
					       "or warc", value);
			if (!strcmp(key, "accept-encoding") &&
			    check_accept_encoding(value) < 0)
				return err_set(e, "accept-encoding: '%s' is not "
					       "identity or a list of gzip, "
					       "deflate, br", value);
			if (!strcmp(key, "notify") && *value &&
			    strncasecmp(value, "http://", 7) &&
			    strncasecmp(value, "https://", 8))
				return err_set(e, "notify '%s': not an http:// "
					       "or https:// URL", value);
			return set_str(p, value) < 0 ? err_set(e, "out of memory") : 0;
		case K_SECS:
			if (crawl_parse_seconds(value, p) < 0)
				return err_set(e, "%s: '%s' is not a number of "
					       "seconds", key, value);
			return 0;
		case K_LONG:
			if (parse_long(value, p) < 0)
				return err_set(e, "%s: '%s' is not a count", key,
					       value);
			if (!strcmp(key, "compact-level") && *(long *)p > 22)
				return err_set(e, "%s: '%s': give 0 (do not "
					       "compact) to 22", key, value);
			return 0;
		case K_SIZE:
			if (crawl_parse_size(value, p) < 0)
				return err_set(e, "%s: '%s' is not a size", key,
					       value);
			return 0;
		}
	}
	if (crawl_rules_key(key)) {
		struct buf line = BUF_INIT(0);
		int rc = 0;

		if (check_rule(key, value, e) < 0)
			return -1;
		note_origin(c, key, value);
		if (buf_addf(&line, "%s = %s", key, value) < 0 ||
		    crawl_strv_add(&c->rules, line.data) < 0)
			rc = err_set(e, "out of memory");
		buf_release(&line);
		return rc;
	}
	return err_set(e, "unknown key '%s'", key);
}

const char *crawl_config_key_name(size_t i, char *buf, size_t size)
{
	size_t nk = sizeof(keys) / sizeof(keys[0]), nr = 0;
	const char *r;

	if (i < nk)
		return keys[i].name;
	while (crawl_rules_key_name(nr))
		nr++;
	i -= nk;
	if (i < nr)
		return crawl_rules_key_name(i);
	if (i >= 2 * nr)
		return NULL;
	r = crawl_rules_key_name(i - nr);
	snprintf(buf, size, "extract-%s", r);
	return buf;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = 0;
	return s;
}

/* Parse text; with problems, go on past bad lines and collect them. */
static int parse_text(struct crawl_config *c, const char *text,
		      const char *name, struct crawl_strv *problems,
		      struct err *e)
{
	char *copy = strdup(text), *line, *nl, where[300];
	const char *origin = c->origin;
	int lineno = 0, rc = 0;
	struct err le;

	if (!copy)
		return err_set(e, "out of memory");
	for (line = copy; line; line = nl ? nl + 1 : NULL) {
		char *s, *eq;

		lineno++;
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			err_set(&le, "%s:%d: expected 'key = value'", name, lineno);
		} else {
			*eq = 0;
			snprintf(where, sizeof(where), "%s:%d", name, lineno);
			if (origin)
				c->origin = where;
			if (crawl_config_set(c, trim(s), trim(eq + 1), &le) == 0)
				continue;
			err_prefix(&le, "%s:%d", name, lineno);
		}
		if (!problems) {
			*e = le;
			rc = -1;
			break;
		}
		if (crawl_strv_add(problems, le.msg) < 0) {
			rc = err_set(e, "out of memory");
			break;
		}
		rc++;
	}
	c->origin = origin;
	free(copy);
	return rc;
}

int crawl_config_parse(struct crawl_config *c, const char *text,
		       const char *name, struct err *e)
{
	return parse_text(c, text, name, NULL, e);
}

int crawl_config_check(struct crawl_config *c, const char *text,
		       const char *name, struct crawl_strv *problems)
{
	struct err e;

	return parse_text(c, text, name, problems, &e);
}

int crawl_config_read(const char *path, struct buf *out, struct err *e)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	int rc = 0;

	if (!f)
		return err_set(e, "%s: %s", path, strerror(errno));
	out->max = 4u << 20;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_add(out, chunk, n) < 0) {
			rc = err_set(e, "%s: larger than 4 MiB", path);
			goto out;
		}
	}
	if (ferror(f))
		rc = err_set(e, "%s: read error", path);
out:
	fclose(f);
	return rc;
}

int crawl_config_load(struct crawl_config *c, const char *path, struct err *e)
{
	struct buf b = BUF_INIT(0);
	int rc = crawl_config_read(path, &b, e);

	if (rc == 0)
		rc = crawl_config_parse(c, b.data, path, e);
	buf_release(&b);
	return rc;
}

char *crawl_config_user_agent(const struct crawl_config *c)
{
	struct buf b = BUF_INIT(0);
	const char *p;

	for (p = c->user_agent; *p; p++) {
		if (p[0] == '%' && p[1] == 'v') {
			buf_adds(&b, GOVARCH_VERSION);
			p++;
		} else if (p[0] == '%' && p[1] == 'c') {
			buf_adds(&b, c->contact);
			p++;
		} else {
			buf_addc(&b, *p);
		}
	}
	return buf_detach(&b, NULL);
}

/* %g with as many digits as it takes to read back the same double. */
static void add_double(struct buf *b, double v)
{
	char tmp[40];
	int prec;

	for (prec = 6; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
	buf_adds(b, tmp);
}

const char *crawl_config_origin(const struct crawl_config *c, const char *key,
				const char *value)
{
	size_t i, kl = strlen(key);

	for (i = c->origins.n; i-- > 0;) {
		const char *o = c->origins.v[i], *v, *t;

		if (strncmp(o, key, kl) || o[kl] != '\t')
			continue;
		v = o + kl + 1;
		t = strchr(v, '\t');
		if (!t)
			continue;
		if (value && ((size_t)(t - v) != strlen(value) ||
			      strncmp(v, value, (size_t)(t - v))))
			continue;
		return t + 1;
	}
	return "default";
}

static void dump_line(struct buf *b, const struct crawl_config *c,
		      int origins, const char *key, const char *text,
		      const char *list_value)
{
	if (origins)
		buf_addf(b, "%s\t%s\t%s\n", key, text,
			 crawl_config_origin(c, key, list_value));
	else
		buf_addf(b, "%s = %s\n", key, text);
}

static char *dump(const struct crawl_config *c, int origins)
{
	struct buf b = BUF_INIT(0), v = BUF_INIT(0);
	const char *base = (const char *)c;
	size_t i, j;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		const void *p = base + k->off;

		buf_reset(&v);
		switch (k->kind) {
		case K_LIST: {
			const struct crawl_strv *s = p;

			for (j = 0; j < s->n; j++)
				dump_line(&b, c, origins, k->name, s->v[j],
					  s->v[j]);
			continue;
		}
		case K_STR:
			buf_adds(&v, *(char *const *)p);
			break;
		case K_SECS:
			add_double(&v, *(const double *)p);
			break;
		case K_LONG:
			buf_addf(&v, "%ld", *(const long *)p);
			break;
		case K_SIZE:
			buf_addf(&v, "%llu",
				 (unsigned long long)*(const uint64_t *)p);
			break;
		}
		dump_line(&b, c, origins, k->name, v.data, NULL);
	}
	for (j = 0; j < c->rules.n; j++) {
		const char *r = c->rules.v[j], *eq = strstr(r, " = ");
		char *key = eq ? strndup(r, (size_t)(eq - r)) : NULL;

		if (key)
			dump_line(&b, c, origins, key, eq + 3, eq + 3);
		free(key);
	}
	buf_release(&v);
	return buf_detach(&b, NULL);
}

char *crawl_config_dump(const struct crawl_config *c)
{
	return dump(c, 0);
}

char *crawl_config_dump_origins(const struct crawl_config *c)
{
	return dump(c, 1);
}

static char *try_path(const char *dir, const char *rel)
{
	struct buf b = BUF_INIT(0);

	buf_addf(&b, "%s/%s", dir, rel);
	if (access(b.data, R_OK) == 0)
		return buf_detach(&b, NULL);
	buf_release(&b);
	return NULL;
}

char *crawl_config_find(const char *system_conf)
{
	const char *env = getenv("GOVARCH_CONFIG");
	char exe[PATH_MAX], *slash, *p;
	ssize_t n;

	if (env && *env)
		return strdup(env);
	if (system_conf && access(system_conf, R_OK) == 0)
		return strdup(system_conf);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			if ((p = try_path(exe, "../config/dpmc.conf")) ||
			    (p = try_path(exe, "../../config/dpmc.conf")) ||
			    (p = try_path(exe, "config/dpmc.conf")) ||
			    (p = try_path(exe, "../share/govarch/dpmc.conf")))
				return p;
		}
	}
	if ((p = try_path(".", "config/dpmc.conf")))
		return p;
	return try_path(GOVARCH_CONFDIR, "dpmc.conf");
}

char *crawl_config_default_path(void)
{
	return crawl_config_find(GOVARCH_SYSTEM_CONFIG);
}
