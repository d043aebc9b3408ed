/* settings: ARCHIVE/crawl.conf and the pre-crawl checks (see settings.h). */
#include "crawl/settings.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crawl/frontier.h"
#include "util/url.h"
#include "util/version.h"

static char *archive_path(const char *archive, const char *name)
{
	struct buf b = BUF_INIT(0);

	if (buf_addf(&b, "%s/%s", archive, name) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

int crawl_settings_read(const char *archive, struct buf *out, char **path,
			struct err *e)
{
	char *p = archive_path(archive, CRAWL_SETTINGS_FILE);
	int rc;

	if (!p)
		return err_set(e, "out of memory");
	if (access(p, F_OK) < 0 && errno == ENOENT) {
		free(p);
		return 0;
	}
	rc = crawl_config_read(p, out, e) < 0 ? -1 : 1;
	if (rc == 1 && path)
		*path = p;
	else
		free(p);
	return rc;
}

/* The settings part of a crawl.conf text: what follows its header. */
static const char *body_of(const char *text)
{
	while (*text == '#') {
		const char *nl = strchr(text, '\n');

		if (!nl)
			return text + strlen(text);
		text = nl + 1;
	}
	return text;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int crawl_settings_save(const char *archive, const struct crawl_config *cfg,
			const char *from, struct err *e)
{
	struct buf text = BUF_INIT(0), old = BUF_INIT(0);
	char *dump = crawl_config_dump(cfg), *path = NULL, *tmp = NULL;
	int fd = -1, rc = -1;

	if (!dump || !(path = archive_path(archive, CRAWL_SETTINGS_FILE)) ||
	    !(tmp = archive_path(archive, CRAWL_SETTINGS_FILE ".tmp"))) {
		err_set(e, "out of memory");
		goto out;
	}
	if (crawl_settings_read(archive, &old, NULL, e) < 0)
		goto out;
	if (old.len && !strcmp(body_of(old.data), dump)) {
		rc = 0;
		goto out;
	}
	buf_addf(&text, "# The crawl this archive repeats, written by govarch %s "
		 "when a crawl\n# started with these settings.  A plain "
		 "`govarch crawl --archive DIR` repeats\n# them and an "
		 "unfinished crawl resumes with them; change the seeds or scope\n"
		 "# with `govarch crawl --reconfigure ...`.\n# from: %s\n",
		 GOVARCH_VERSION, from);
	buf_adds(&text, dump);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, text.data, text.len) < 0 || fsync(fd) < 0) {
		err_set(e, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_set(e, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	buf_release(&text);
	buf_release(&old);
	free(dump);
	free(path);
	free(tmp);
	return rc;
}

/* Is every string of a in b? */
static int subset(const struct crawl_strv *a, const struct crawl_strv *b,
		  const char **missing)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n && strcmp(a->v[i], b->v[j]); j++)
			;
		if (j == b->n) {
			*missing = a->v[i];
			return 0;
		}
	}
	return 1;
}

static int same_list(const char *key, const struct crawl_strv *was,
		     const struct crawl_strv *now, struct err *e)
{
	const char *m;

	if (!subset(was, now, &m))
		return err_set(e, "%s %s dropped", key, m), 0;
	if (!subset(now, was, &m))
		return err_set(e, "%s %s added", key, m), 0;
	return 1;
}

int crawl_settings_same_scope(const struct crawl_config *saved,
			      const struct crawl_config *now, struct err *e)
{
	return same_list("seed", &saved->seeds, &now->seeds, e) &&
	       same_list("sitemap", &saved->sitemaps, &now->sitemaps, e) &&
	       same_list("scope-host", &saved->scope_hosts, &now->scope_hosts,
			 e) &&
	       same_list("scope-prefix", &saved->scope_prefixes,
			 &now->scope_prefixes, e);
}

int crawl_settings_unfinished(const char *archive, int64_t *id, struct err *e)
{
	char *path = archive_path(archive, "state.sqlite"), *state = NULL,
	     *cid = NULL;
	struct frontier *fr = NULL;
	int rc = 0;

	if (!path)
		return err_set(e, "out of memory");
	if (access(path, F_OK) < 0)
		goto out;
	if (!(fr = frontier_open(path, e))) {
		rc = -1;
		goto out;
	}
	state = frontier_meta_get(fr, "state");
	cid = frontier_meta_get(fr, "crawl_id");
	/* the same test as the engine's when it decides to resume */
	if (state && cid && strcmp(state, "finished")) {
		*id = atoll(cid);
		rc = 1;
	}
out:
	frontier_close(fr);
	free(state);
	free(cid);
	free(path);
	return rc;
}

struct crawl_scope *crawl_settings_scope(const struct crawl_config *g,
					 struct err *e)
{
	struct crawl_scope_config sc;

	crawl_scope_config_init(&sc);
	sc.hosts = (const char *const *)g->scope_hosts.v;
	sc.nhosts = g->scope_hosts.n;
	sc.prefixes = (const char *const *)g->scope_prefixes.v;
	sc.nprefixes = g->scope_prefixes.n;
	sc.excludes = (const char *const *)g->excludes.v;
	sc.nexcludes = g->excludes.n;
	sc.max_hops = (int)g->max_depth;
	sc.max_path_depth = (int)g->max_path_depth;
	sc.max_repeats = (int)g->max_path_repeat;
	sc.max_url_len = (size_t)g->max_url_length;
	sc.max_query_variants = 0;  /* counted in the frontier (persistent) */
	return crawl_scope_new(&sc, e);
}

char *crawl_settings_scope_text(const struct crawl_config *cfg)
{
	struct buf b = BUF_INIT(0);
	size_t i;

	for (i = 0; i < cfg->scope_hosts.n; i++)
		buf_addf(&b, "%sscope-host %s", b.len ? ", " : "",
			 cfg->scope_hosts.v[i]);
	for (i = 0; i < cfg->scope_prefixes.n; i++)
		buf_addf(&b, "%sscope-prefix %s", b.len ? ", " : "",
			 cfg->scope_prefixes.v[i]);
	if (!b.len)
		buf_adds(&b, "any host");
	return buf_detach(&b, NULL);
}

static int check_one(const struct crawl_config *cfg,
		     const struct crawl_scope *scope, const char *key,
		     const char *url, struct err *e)
{
	enum crawl_scope_verdict v;
	char *n = NULL, *st;

	if (url_normalize(url, 0, &n, NULL) < 0)
		return err_set(e, "%s %s: not a valid URL", key, url);
	v = crawl_scope_check(scope, n, 0, 0, 0);
	free(n);
	if (v == CRAWL_SCOPE_ACCEPT)
		return 0;
	st = crawl_settings_scope_text(cfg);
	if (v == CRAWL_SCOPE_OUT_OF_SCOPE)
		err_set(e, "%s %s is outside the scope (%s)", key, url,
			st ? st : "?");
	else
		err_set(e, "%s %s would not be fetched: %s (scope: %s)", key,
			url, crawl_scope_reason_name(v), st ? st : "?");
	free(st);
	return -1;
}

int crawl_settings_check_seeds(const struct crawl_config *cfg,
			       const struct crawl_scope *scope, struct err *e)
{
	size_t i;

	for (i = 0; i < cfg->seeds.n; i++)
		if (check_one(cfg, scope, "seed", cfg->seeds.v[i], e) < 0)
			return -1;
	for (i = 0; i < cfg->sitemaps.n; i++)
		if (check_one(cfg, scope, "sitemap", cfg->sitemaps.v[i], e) < 0)
			return -1;
	return 0;
}

static int loopback_host(const char *h)
{
	size_t n = strlen(h);
	int a, b, c, d;
	char end;

	if (!strcasecmp(h, "localhost") || !strcmp(h, "[::1]") ||
	    (n > 10 && !strcasecmp(h + n - 10, ".localhost")))
		return 1;
	return sscanf(h, "%d.%d.%d.%d%c", &a, &b, &c, &d, &end) == 4 &&
	       a == 127 && b >= 0 && b < 256 && c >= 0 && c < 256 && d >= 0 &&
	       d < 256;
}

int crawl_settings_loopback(const char *url)
{
	char *h = url_host(url);
	int r = h && loopback_host(h);

	free(h);
	return r;
}

/* A scope-host pattern ("host", "host:port", "*.domain") is loopback. */
static int loopback_pattern(const char *pat)
{
	char *h = strdup(!strncmp(pat, "*.", 2) ? pat + 2 : pat), *colon;
	int r;

	if (!h)
		return 0;
	colon = h[0] == '[' ? strchr(h, ']') : strrchr(h, ':');
	if (colon && h[0] == '[')
		colon[1] = 0;
	else if (colon)
		*colon = 0;
	r = loopback_host(h);
	free(h);
	return r;
}

/* Does s name an address at a domain reserved for examples? */
static int example_address(const char *s)
{
	static const char *const reserved[] = {
		"example.com", "example.net", "example.org", "example",
		"invalid", "test", "localhost",
	};
	char tok[256];
	size_t n, i, k;

	while (*s) {
		for (n = 0; s[n] && (isalnum((unsigned char)s[n]) ||
				     s[n] == '.' || s[n] == '-'); n++)
			;
		if (n && n < sizeof(tok)) {
			memcpy(tok, s, n);
			tok[n] = 0;
			for (i = 0; i < sizeof(reserved) / sizeof(*reserved); i++) {
				k = strlen(reserved[i]);
				/* a whole name or its last labels; a bare
				 * "test" word is not a domain */
				if ((n == k && strchr(reserved[i], '.') &&
				     !strcasecmp(tok, reserved[i])) ||
				    (n > k && tok[n - k - 1] == '.' &&
				     !strcasecmp(tok + n - k, reserved[i])))
					return 1;
			}
		}
		s += n ? n : 1;
	}
	return 0;
}

int crawl_settings_check_contact(const struct crawl_config *cfg,
				 struct err *e)
{
	struct crawl_config def;
	const char *far = NULL;
	int is_default;
	size_t i;

	for (i = 0; !far && i < cfg->seeds.n; i++)
		if (!crawl_settings_loopback(cfg->seeds.v[i]))
			far = cfg->seeds.v[i];
	for (i = 0; !far && i < cfg->sitemaps.n; i++)
		if (!crawl_settings_loopback(cfg->sitemaps.v[i]))
			far = cfg->sitemaps.v[i];
	for (i = 0; !far && i < cfg->scope_hosts.n; i++)
		if (!loopback_pattern(cfg->scope_hosts.v[i]))
			far = cfg->scope_hosts.v[i];
	if (!far)
		return 0;
	crawl_config_init(&def);
	is_default = !strcmp(cfg->contact, def.contact);
	crawl_config_release(&def);
	if (!*cfg->contact || is_default || example_address(cfg->contact))
		return err_set(e, "contact is still the example value '%s': "
			       "set contact (in the config, or --set "
			       "contact=...) to a URL or mail address where "
			       "the operators of %s can reach you",
			       cfg->contact, far);
	return 0;
}
