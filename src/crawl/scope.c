/* scope: host/prefix scope, excludes and trap rules. */
#include "crawl/scope.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/hashmap.h"
#include "util/url.h"

#define COUNTER_MAX_ENTRIES (1u << 22)   /* stop counting new paths past this */

struct crawl_scope {
	struct crawl_scope_config cfg;
	char **hosts, **prefixes;
	regex_t *res;
	size_t nres;
	struct hmap query_counts;    /* URL without its query -> variants */
};

void crawl_scope_config_init(struct crawl_scope_config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_hops = CRAWL_SCOPE_MAX_HOPS;
	c->max_path_depth = CRAWL_SCOPE_MAX_PATH_DEPTH;
	c->max_repeats = CRAWL_SCOPE_MAX_REPEATS;
	c->max_url_len = CRAWL_SCOPE_MAX_URL_LEN;
	c->max_query_variants = CRAWL_SCOPE_MAX_QUERY_VARIANTS;
}

static char **copy_strings(const char *const *v, size_t n)
{
	char **out = calloc(n ? n : 1, sizeof(*out));
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!(out[i] = strdup(v[i]))) {
			while (i--)
				free(out[i]);
			free(out);
			return NULL;
		}
	}
	return out;
}

void crawl_scope_free(struct crawl_scope *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; s->hosts && i < s->cfg.nhosts; i++)
		free(s->hosts[i]);
	for (i = 0; s->prefixes && i < s->cfg.nprefixes; i++)
		free(s->prefixes[i]);
	free(s->hosts);
	free(s->prefixes);
	for (i = 0; i < s->nres; i++)
		regfree(&s->res[i]);
	free(s->res);
	hmap_release(&s->query_counts);
	free(s);
}

struct crawl_scope *crawl_scope_new(const struct crawl_scope_config *c,
				    struct err *e)
{
	struct crawl_scope *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s)
		goto oom;
	hmap_init(&s->query_counts, HMAP_COPY_KEYS, COUNTER_MAX_ENTRIES);
	s->cfg = *c;
	s->cfg.excludes = NULL;
	if (!(s->hosts = copy_strings(c->hosts, c->nhosts)) ||
	    !(s->prefixes = copy_strings(c->prefixes, c->nprefixes)) ||
	    !(s->res = calloc(c->nexcludes ? c->nexcludes : 1, sizeof(regex_t))))
		goto oom;
	s->cfg.hosts = (const char *const *)s->hosts;
	s->cfg.prefixes = (const char *const *)s->prefixes;
	for (i = 0; i < c->nexcludes; i++) {
		int rc = regcomp(&s->res[i], c->excludes[i],
				 REG_EXTENDED | REG_NOSUB);

		if (rc) {
			char msg[256];

			regerror(rc, &s->res[i], msg, sizeof(msg));
			err_set(e, "exclude pattern %s: %s", c->excludes[i], msg);
			crawl_scope_free(s);
			return NULL;
		}
		s->nres++;
	}
	return s;
oom:
	crawl_scope_free(s);
	err_set(e, "scope: out of memory");
	return NULL;
}

static int host_matches(const char *pat, const char *host, const char *hostport)
{
	size_t pl, hl;

	if (!strncmp(pat, "*.", 2)) {
		pat += 2;
		pl = strlen(pat);
		hl = strlen(host);
		return !strcasecmp(host, pat) ||
		       (hl > pl && host[hl - pl - 1] == '.' &&
			!strcasecmp(host + hl - pl, pat));
	}
	return strchr(pat, ':') && pat[0] != '[' ? !strcasecmp(pat, hostport)
						 : !strcasecmp(pat, host) ||
						   !strcasecmp(pat, hostport);
}

/* 1 in scope, 0 not, -1 not a URL; which host and prefix matched (-1:
 * none, or none were given) into why when not NULL. */
static int in_scope(const struct crawl_scope *s, const char *url,
		    struct crawl_scope_why *why)
{
	char *host = NULL, *hostport = NULL, *pq = NULL;
	size_t i;
	int ok = -1;

	if (!(host = url_host(url)) || !(hostport = url_hostport(url)) ||
	    !(pq = url_path_query(url)))
		goto out;
	ok = 0;
	if (s->cfg.nhosts) {
		for (i = 0; i < s->cfg.nhosts; i++)
			if (host_matches(s->hosts[i], host, hostport))
				break;
		if (i == s->cfg.nhosts)
			goto out;
		if (why)
			why->host = (int)i;
	}
	if (s->cfg.nprefixes) {
		for (i = 0; i < s->cfg.nprefixes; i++) {
			const char *p = s->prefixes[i];
			const char *subject = strstr(p, "://") ? url : pq;

			if (!strncmp(subject, p, strlen(p)))
				break;
		}
		if (i == s->cfg.nprefixes)
			goto out;
		if (why)
			why->prefix = (int)i;
	}
	ok = 1;
out:
	free(host);
	free(hostport);
	free(pq);
	return ok;
}

int crawl_scope_in_scope(const struct crawl_scope *s, const char *url)
{
	return in_scope(s, url, NULL) == 1;
}

int crawl_scope_path_depth(const char *path)
{
	int n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n;
}

int crawl_scope_path_repeats(const char *path, int max_repeats)
{
	size_t n = strlen(path), i, j;
	int k;

	if (max_repeats <= 0)
		return 0;
	/* a unit starts after a '/' and ends with one */
	for (i = 0; i < n; i++) {
		if (path[i] != '/')
			continue;
		for (j = i + 1; j < n; j++) {
			size_t len = j - i;     /* unit = path[i+1 .. j] */

			if (path[j] != '/')
				continue;
			if (i + 1 + len * (size_t)(max_repeats + 1) > n)
				break;
			for (k = 1; k <= max_repeats; k++)
				if (memcmp(path + i + 1, path + i + 1 + len * k, len))
					break;
			if (k > max_repeats)
				return 1;
		}
	}
	return 0;
}

static unsigned long query_count(const struct crawl_scope *s, const char *url)
{
	const char *q = strchr(url, '?');
	const struct hmap_entry *x;

	if (!q || !(x = hmap_get(&s->query_counts, url, (size_t)(q - url))))
		return 0;
	return (unsigned long)x->num;
}

long crawl_scope_count(struct crawl_scope *s, const char *url)
{
	const char *q = strchr(url, '?');
	struct hmap_entry *x;
	int rc;

	if (!q)
		return 0;
	rc = hmap_put(&s->query_counts, url, (size_t)(q - url), &x);
	if (rc == HMAP_FULL)
		return 0;
	if (rc < 0)
		return -1;
	return (long)++x->num;
}

enum crawl_scope_verdict crawl_scope_check(const struct crawl_scope *s,
					   const char *url, int hops,
					   int requisite, int via_in_scope)
{
	return crawl_scope_explain(s, url, hops, requisite, via_in_scope, NULL);
}

enum crawl_scope_verdict crawl_scope_explain(const struct crawl_scope *s,
					     const char *url, int hops,
					     int requisite, int via_in_scope,
					     struct crawl_scope_why *why)
{
	const struct crawl_scope_config *c = &s->cfg;
	enum crawl_scope_verdict v = CRAWL_SCOPE_ACCEPT;
	char *path = NULL;
	size_t i;
	int sc;

	if (why) {
		why->host = why->prefix = why->exclude = -1;
		why->in_scope = 0;
	}
	if (c->max_url_len && strlen(url) > c->max_url_len)
		return CRAWL_SCOPE_TOO_LONG;
	sc = in_scope(s, url, why);
	if (sc < 0 || !(path = url_path(url)))
		return CRAWL_SCOPE_BAD_URL;
	if (why)
		why->in_scope = sc;
	if (!sc && !(requisite && via_in_scope)) {
		v = CRAWL_SCOPE_OUT_OF_SCOPE;
		goto out;
	}
	for (i = 0; i < s->nres; i++) {
		if (!regexec(&s->res[i], url, 0, NULL, 0)) {
			if (why)
				why->exclude = (int)i;
			v = CRAWL_SCOPE_EXCLUDED;
			goto out;
		}
	}
	if (c->max_hops && hops > c->max_hops + (requisite ? 1 : 0)) {
		v = CRAWL_SCOPE_TOO_DEEP;
		goto out;
	}
	if (c->max_path_depth && crawl_scope_path_depth(path) > c->max_path_depth) {
		v = CRAWL_SCOPE_PATH_TOO_DEEP;
		goto out;
	}
	if (crawl_scope_path_repeats(path, c->max_repeats)) {
		v = CRAWL_SCOPE_PATH_REPETITION;
		goto out;
	}
	if (c->max_query_variants && query_count(s, url) >= c->max_query_variants)
		v = CRAWL_SCOPE_QUERY_VARIANTS;
out:
	free(path);
	return v;
}

const char *crawl_scope_reason_name(enum crawl_scope_verdict v)
{
	switch (v) {
	case CRAWL_SCOPE_ACCEPT: return "accept";
	case CRAWL_SCOPE_BAD_URL: return "bad-url";
	case CRAWL_SCOPE_TOO_LONG: return "too-long";
	case CRAWL_SCOPE_OUT_OF_SCOPE: return "out-of-scope";
	case CRAWL_SCOPE_EXCLUDED: return "excluded";
	case CRAWL_SCOPE_TOO_DEEP: return "too-deep";
	case CRAWL_SCOPE_PATH_TOO_DEEP: return "path-too-deep";
	case CRAWL_SCOPE_PATH_REPETITION: return "path-repetition";
	case CRAWL_SCOPE_QUERY_VARIANTS: return "query-variants";
	}
	return "?";
}
