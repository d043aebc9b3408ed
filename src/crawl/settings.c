/* settings: ARCHIVE/crawl.conf and the pre-crawl checks (see settings.h). */
#include "crawl/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crawl/frontier.h"
#include "util/fdio.h"
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

int crawl_settings_save(const char *archive, const struct crawl_config *cfg,
			const char *from, struct err *e)
{
	struct buf text = BUF_INIT(0), old = BUF_INIT(0);
	char *dump = crawl_config_dump(cfg), *path = NULL;
	int rc = -1;

	if (!dump || !(path = archive_path(archive, CRAWL_SETTINGS_FILE))) {
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
	if (fd_replace_file(path, text.data, text.len, 1, e) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&text);
	buf_release(&old);
	free(dump);
	free(path);
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

/* Any option that says what to crawl or how (not --resume, --quiet...). */
static int has_settings(const struct crawl_settings_args *a)
{
	return a->config || a->seeds.n || a->scopes.n || a->sets.n ||
	       a->delay || a->max_pages || a->format;
}

/* Set key unless the settings already have exactly that line: a cron line
 * repeating `--set exclude=X` on the saved settings must not grow them. */
static int set_value(struct crawl_config *cfg, const char *key,
		     const char *val, struct err *e)
{
	struct buf all = BUF_INIT(0), line = BUF_INIT(0);
	char *dump = crawl_config_dump(cfg);
	int have;

	buf_addf(&all, "\n%s", dump ? dump : "");
	buf_addf(&line, "\n%s = %s\n", key, val);
	have = strstr(all.data, line.data) != NULL;
	buf_release(&all);
	buf_release(&line);
	free(dump);
	return have ? 0 : crawl_config_set(cfg, key, val, e);
}

/* Apply the flags on top of the config; override lines go to extra. */
static int apply_args(struct crawl_config *cfg,
		      const struct crawl_settings_args *a, struct buf *extra,
		      struct err *e)
{
	size_t i;

	if (a->seeds.n) {
		crawl_strv_clear(&cfg->seeds);
		crawl_strv_clear(&cfg->sitemaps);
		cfg->origin = "--seed";
		for (i = 0; i < a->seeds.n; i++) {
			char *n = NULL;

			if (url_normalize(a->seeds.v[i], 0, &n, e) < 0 ||
			    crawl_config_set(cfg, "seed", n, e) < 0) {
				free(n);
				return -1;
			}
			buf_addf(extra, "seed = %s\n", n);
			free(n);
		}
		if (!a->scopes.n) {
			crawl_strv_clear(&cfg->scope_hosts);
			crawl_strv_clear(&cfg->scope_prefixes);
			cfg->origin = "--seed (its host)";
			for (i = 0; i < cfg->seeds.n; i++) {
				char *h = url_hostport(cfg->seeds.v[i]);

				if (h && crawl_config_set(cfg, "scope-host", h,
							  e) < 0) {
					free(h);
					return -1;
				}
				if (h)
					buf_addf(extra, "scope-host = %s\n", h);
				free(h);
			}
		}
	}
	if (a->scopes.n) {
		crawl_strv_clear(&cfg->scope_hosts);
		crawl_strv_clear(&cfg->scope_prefixes);
		cfg->origin = "--scope";
		for (i = 0; i < a->scopes.n; i++) {
			if (crawl_config_set(cfg, "scope-prefix", a->scopes.v[i],
					     e) < 0)
				return err_prefix(e, "--scope");
			buf_addf(extra, "scope-prefix = %s\n", a->scopes.v[i]);
		}
	}
#define SET(opt, key, val) do { \
	cfg->origin = opt; \
	if ((val) && set_value(cfg, key, val, e) < 0) \
		return err_prefix(e, "%s", opt); \
	if (val) \
		buf_addf(extra, "%s = %s\n", key, val); \
} while (0)
	SET("--delay", "delay", a->delay);
	SET("--max-pages", "max-pages", a->max_pages);
	SET("--format", "format", a->format);
	for (i = 0; i < a->sets.n; i++) {
		char *kv = strdup(a->sets.v[i]), *eq = kv ? strchr(kv, '=') : NULL;

		if (!eq) {
			free(kv);
			return err_set(e, "--set %s: expected KEY=VALUE",
				       a->sets.v[i]);
		}
		*eq = 0;
		SET("--set", kv, eq + 1);
		free(kv);
	}
#undef SET
	cfg->origin = NULL;
	return 0;
}

void crawl_plan_release(struct crawl_plan *p)
{
	crawl_config_release(&p->cfg);
	crawl_scope_free(p->scope);
	free(p->cpath);
	buf_release(&p->text);
	buf_release(&p->from);
	memset(p, 0, sizeof(*p));
}

/* A config file's settings with the options on top. */
static int from_file(struct crawl_plan *p, const struct crawl_settings_args *a,
		     struct err *e)
{
	struct buf extra = BUF_INIT(0);
	int rc = -1;

	p->cpath = a->config ? strdup(a->config) : crawl_config_default_path();
	if (!p->cpath) {
		err_set(e, "no config: config/dpmc.conf not found next to the "
			"binary; give -c FILE");
		goto out;
	}
	if (crawl_config_read(p->cpath, &p->text, e) < 0)
		goto out;
	p->cfg.origin = "";     /* parse sets FILE:LINE */
	if (crawl_config_parse(&p->cfg, p->text.data, p->cpath, e) < 0 ||
	    apply_args(&p->cfg, a, &extra, e) < 0)
		goto out;
	if (extra.len)
		buf_addf(&p->text, "\n# command-line overrides\n%s", extra.data);
	buf_addf(&p->from, "config %s, options:%s", p->cpath,
		 a->line && *a->line ? a->line : " none");
	rc = 0;
out:
	buf_release(&extra);
	return rc;
}

/* The saved settings (crawl.conf text in saved, read from path). */
static int from_saved(struct crawl_plan *p,
		      const struct crawl_settings_args *a, const char *path,
		      const struct buf *saved, struct err *e)
{
	struct buf extra = BUF_INIT(0);
	int rc = -1;

	p->cpath = strdup(path);
	buf_add(&p->text, saved->data, saved->len);
	p->cfg.origin = "";
	if (crawl_config_parse(&p->cfg, saved->data, path, e) < 0)
		goto out;
	if (p->mode == CRAWL_PLAN_REPEAT && apply_args(&p->cfg, a, &extra, e) < 0)
		goto out;
	if (extra.len)
		buf_addf(&p->text, "\n# command-line overrides\n%s", extra.data);
	buf_addf(&p->from, "the saved settings, options:%s",
		 a->line && *a->line ? a->line : " none");
	rc = 0;
out:
	buf_release(&extra);
	return rc;
}

int crawl_plan_make(struct crawl_plan *p, const char *archive,
		    const struct crawl_settings_args *a, struct err *e)
{
	struct buf saved = BUF_INIT(0);
	struct err refusal = { "" };    /* said once the settings are known */
	char *spath = NULL;
	int have_saved, rc = -1;

	memset(p, 0, sizeof(*p));
	crawl_config_init(&p->cfg);
	buf_init(&p->text, 0);
	buf_init(&p->from, 0);
	have_saved = crawl_settings_read(archive, &saved, &spath, e);
	if (have_saved < 0 ||
	    crawl_settings_unfinished(archive, &p->unfinished, e) < 0) {
		p->unreadable = 1;
		goto out;
	}
	if (p->unfinished && have_saved) {
		struct crawl_plan given;

		if (a->reconfigure)
			err_set(&refusal, "crawl %lld is unfinished: resume "
				"it (govarch crawl --archive %s) before changing "
				"its seeds or scope", (long long)p->unfinished,
				archive);
		p->mode = CRAWL_PLAN_RESUME;
		if (from_saved(p, a, spath, &saved, e) < 0)
			goto out;
		if (has_settings(a)) {
			/* options that change nothing are fine (cron) */
			char *d1 = crawl_config_dump(&p->cfg), *d2 = NULL;

			memset(&given, 0, sizeof(given));
			crawl_config_init(&given.cfg);
			if (from_file(&given, a, e) == 0)
				d2 = crawl_config_dump(&given.cfg);
			if (!d2 || !d1 || strcmp(d1, d2))
				p->note = "the options given are not used: the "
					  "unfinished crawl resumes with its "
					  "saved settings";
			free(d1);
			free(d2);
			crawl_plan_release(&given);
		}
	} else if (have_saved && !a->config && !a->seeds.n && !a->scopes.n) {
		p->mode = CRAWL_PLAN_REPEAT;
		if (from_saved(p, a, spath, &saved, e) < 0)
			goto out;
	} else {
		p->mode = CRAWL_PLAN_NEW;
		if (from_file(p, a, e) < 0)
			goto out;
		if (have_saved && !a->reconfigure) {
			struct crawl_config was;
			struct err le;
			int same;

			crawl_config_init(&was);
			same = crawl_config_parse(&was, saved.data, spath, &le) < 0
			       || crawl_settings_same_scope(&was, &p->cfg, &le);
			crawl_config_release(&was);
			if (!same)
				err_set(&refusal, "%s is crawled with other "
					"seeds or scope (%s; saved in %s): give "
					"--reconfigure to change them, or no "
					"-c/--seed/--scope to repeat its crawl",
					archive, le.msg, spath);
		}
	}
	p->cname = strrchr(p->cpath, '/') ? strrchr(p->cpath, '/') + 1
					  : p->cpath;
	p->settled = 1;
	if (*refusal.msg) {
		*e = refusal;
		goto out;
	}
	if (!p->cfg.seeds.n) {
		err_set(e, "no seeds (give --seed URL or seed = URL in the "
			"config)");
		goto out;
	}
	if (!(p->scope = crawl_settings_scope(&p->cfg, e)) ||
	    crawl_settings_check_seeds(&p->cfg, p->scope, e) < 0 ||
	    crawl_settings_check_contact(&p->cfg, e) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&saved);
	free(spath);
	return rc;
}
