/* explain: one URL through the crawl's decisions (see explain.h). */
#include "crawl/explain.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crawl/fetch.h"
#include "crawl/frontier.h"
#include "crawl/robots.h"
#include "crawl/scope.h"
#include "crawl/settings.h"
#include "util/surt.h"
#include "util/timeutil.h"
#include "util/url.h"

/* robots.txt bodies past this are not needed: the parser reads less */
#define ROBOTS_FETCH_MAX (CRAWL_ROBOTS_MAX_BYTES + 4096)

/* One GET through the crawl's fetcher: the status (0: no response), the
 * decoded body and the Location of a redirect. */
static int get_once(const struct crawl_config *cfg, const char *url,
		    int *status, struct buf *body, char **location,
		    struct err *e)
{
	struct crawl_fetch_opts fo;
	struct crawl_fetch *f;
	CURLM *m = curl_multi_init();
	char *ua = crawl_config_user_agent(cfg), loc[4096];
	int running = 1, left, rc = -1;
	CURLMsg *msg;

	*status = 0;
	*location = NULL;
	if (!m || !ua) {
		err_set(e, "out of memory");
		goto out;
	}
	memset(&fo, 0, sizeof(fo));
	fo.user_agent = ua;
	fo.connect_timeout = cfg->connect_timeout;
	fo.first_byte_timeout = cfg->first_byte_timeout;
	fo.total_timeout = cfg->total_timeout;
	fo.max_body = ROBOTS_FETCH_MAX;
	fo.spool_at = ROBOTS_FETCH_MAX + 1;     /* all in memory */
	if (!(f = crawl_fetch_start(m, url, &fo, NULL, e)))
		goto out;
	while (running) {
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)))
			if (msg->msg == CURLMSG_DONE) {
				crawl_fetch_done(f, msg->data.result);
				running = 0;
			}
		if (running)
			curl_multi_poll(m, NULL, 0, 200, NULL);
	}
	if (crawl_fetch_ok(f)) {
		*status = (int)f->status;
		if (crawl_fetch_payload(f, 1, body) < 0)
			buf_reset(body);
		if (crawl_fetch_header(f, "Location", loc, sizeof(loc)))
			url_resolve(url, loc, 0, location, NULL);
	}
	crawl_fetch_free(m, f);
	rc = 0;
out:
	if (m)
		curl_multi_cleanup(m);
	free(ua);
	return rc;
}

/* The robots.txt verdict for origin (scheme://host[:port]); where it came
 * from into src. */
static struct crawl_robots *robots_for(const struct crawl_explain_opts *o,
				       const char *origin, struct buf *src,
				       struct err *e)
{
	enum crawl_robots_action a = CRAWL_ROBOTS_DISALLOW_ALL;
	struct buf body = BUF_INIT(ROBOTS_FETCH_MAX * 2);
	struct frontier *fr = NULL;
	char *state = NULL, *cached = NULL, *url = NULL, *next = NULL;
	struct crawl_robots *r = NULL;
	size_t len = 0;
	int status = 0, redirects = 0, have = 0;

	if (asprintf(&state, "%s/state.sqlite", o->archive) < 0 ||
	    asprintf(&url, "%s/robots.txt", origin) < 0) {
		err_set(e, "out of memory");
		goto out;
	}
	if (access(state, F_OK) == 0) {
		struct timespec now = time_now();

		if (!(fr = frontier_open(state, e)))
			goto out;
		if (frontier_robots_get(fr, origin, (double)now.tv_sec,
					CRAWL_ROBOTS_MAX_AGE, &status, &cached,
					&len) == 1) {
			have = 1;
			buf_add(&body, cached, len);
			a = crawl_robots_policy(status, 0);
			if (a == CRAWL_ROBOTS_FOLLOW)
				a = CRAWL_ROBOTS_ALLOW_ALL;
			buf_addf(src, "%s, status %d, cached in %s", url, status,
				 state);
		}
	}
	while (!have) {
		buf_reset(&body);
		if (get_once(o->cfg, url, &status, &body, &next, e) < 0)
			goto out;
		a = crawl_robots_policy(status, redirects);
		if (a != CRAWL_ROBOTS_FOLLOW || !next) {
			if (a == CRAWL_ROBOTS_FOLLOW)
				a = CRAWL_ROBOTS_ALLOW_ALL;
			if (status)
				buf_addf(src, "%s, status %d, fetched now", url,
					 status);
			else
				buf_addf(src, "%s unreachable, fetched now", url);
			break;
		}
		free(url);
		url = next;
		next = NULL;
		redirects++;
	}
	r = a == CRAWL_ROBOTS_PARSE ? crawl_robots_parse(body.data, body.len,
							 o->cfg->robots_token) :
	    a == CRAWL_ROBOTS_ALLOW_ALL ? crawl_robots_allow_all()
					: crawl_robots_disallow_all();
	if (!r)
		err_set(e, "out of memory");
out:
	frontier_close(fr);
	buf_release(&body);
	free(state);
	free(cached);
	free(url);
	free(next);
	return r;
}

/* Query variants the archive's last crawl counted for url's path. */
static long query_variants(const char *archive, const char *url)
{
	const char *q = strchr(url, '?');
	char *state = NULL, *key = NULL;
	struct frontier *fr = NULL;
	long n = 0;

	if (!q || asprintf(&state, "%s/state.sqlite", archive) < 0)
		return 0;
	if (access(state, F_OK) == 0 && (fr = frontier_open(state, NULL)) &&
	    (key = strndup(url, (size_t)(q - url))))
		n = frontier_query_variants(fr, key, LONG_MAX);
	frontier_close(fr);
	free(key);
	free(state);
	return n < 0 ? 0 : n;
}

static int is_seed(const struct crawl_config *cfg, const char *norm)
{
	size_t i;
	int r = 0;

	for (i = 0; !r && i < cfg->seeds.n; i++) {
		char *n = NULL;

		if (url_normalize(cfg->seeds.v[i], 0, &n, NULL) == 0)
			r = !strcmp(n, norm);
		free(n);
	}
	return r;
}

/* The scope and exclude lines. */
static void scope_lines(const struct crawl_config *cfg, const char *norm,
			const struct crawl_scope_why *w, struct buf *out)
{
	char *hp = url_hostport(norm), *st = crawl_settings_scope_text(cfg);

	if (w->in_scope) {
		buf_adds(out, "scope: in scope");
		if (w->host >= 0)
			buf_addf(out, ": scope-host %s (%s)",
				 cfg->scope_hosts.v[w->host],
				 crawl_config_origin(cfg, "scope-host",
						     cfg->scope_hosts.v[w->host]));
		if (w->prefix >= 0)
			buf_addf(out, "%s scope-prefix %s (%s)",
				 w->host >= 0 ? "," : ":",
				 cfg->scope_prefixes.v[w->prefix],
				 crawl_config_origin(cfg, "scope-prefix",
						     cfg->scope_prefixes.v[w->prefix]));
		if (w->host < 0 && w->prefix < 0)
			buf_adds(out, ": any host");
		buf_adds(out, "\n");
	} else {
		buf_addf(out, "scope: out of scope: %s is not in %s\n",
			 hp ? hp : norm, st ? st : "?");
	}
	if (!w->in_scope)       /* the crawl stops at the scope */
		buf_adds(out, "exclude: not checked\n");
	else if (w->exclude >= 0)
		buf_addf(out, "exclude: matches exclude %s (%s)\n",
			 cfg->excludes.v[w->exclude],
			 crawl_config_origin(cfg, "exclude",
					     cfg->excludes.v[w->exclude]));
	else
		buf_addf(out, "exclude: no exclude pattern matches (%zu "
			 "checked)\n", cfg->excludes.n);
	free(hp);
	free(st);
}

static const char *ok(int refused)
{
	return refused ? "refused" : "ok";
}

int crawl_explain(const struct crawl_explain_opts *o, const char *url,
		  struct buf *out, struct err *e)
{
	const struct crawl_config *cfg = o->cfg;
	struct crawl_scope *scope = NULL;
	struct crawl_scope_why w;
	struct crawl_robots_why rw;
	struct crawl_robots *r = NULL;
	struct buf src = BUF_INIT(0);
	enum crawl_scope_verdict v;
	char *norm = NULL, *surt = NULL, *path = NULL, *pq = NULL,
	     *origin = NULL, *hp = NULL;
	const char *refused = NULL, *sep;
	int hops, depth, rep, rc = -1;
	long qv;

	buf_addf(out, "url: %s\n", url);
	if (url_normalize(url, (size_t)cfg->max_url_length * 4, &norm,
			  NULL) < 0 || !(path = url_path(norm)) ||
	    !(pq = url_path_query(norm)) || !(hp = url_hostport(norm))) {
		buf_adds(out, "normalised: (not an http or https URL that "
			 "parses)\nverdict: not fetched: bad-url\n");
		rc = 0;
		goto out;
	}
	buf_addf(out, "normalised: %s\n", norm);
	buf_addf(out, "surt: %s\n", surt_key(norm, &surt, NULL) == 0 ? surt
								      : "-");
	if (!(scope = crawl_settings_scope(cfg, e)))
		goto out;
	hops = o->hops >= 0 ? o->hops : is_seed(cfg, norm) ? 0 : 1;
	v = crawl_scope_explain(scope, norm, hops, o->requisite, o->requisite,
				&w);
	if (v == CRAWL_SCOPE_BAD_URL) {
		buf_adds(out, "verdict: not fetched: bad-url\n");
		rc = 0;
		goto out;
	}
	if (v != CRAWL_SCOPE_ACCEPT)
		refused = crawl_scope_reason_name(v);
	if (v == CRAWL_SCOPE_TOO_LONG)      /* decided before the scope */
		buf_adds(out, "scope: not checked\nexclude: not checked\n");
	else
		scope_lines(cfg, norm, &w, out);
	depth = crawl_scope_path_depth(path);
	rep = crawl_scope_path_repeats(path, (int)cfg->max_path_repeat);
	buf_addf(out, "hops: %d%s, max-depth %ld%s: %s\n", hops,
		 o->hops >= 0 ? "" : hops ? " (not a seed)" : " (a seed)",
		 cfg->max_depth, o->requisite ? " + 1 for a requisite" : "",
		 ok(v == CRAWL_SCOPE_TOO_DEEP));
	buf_addf(out, "path-depth: %d, max-path-depth %ld: %s\n", depth,
		 cfg->max_path_depth, ok(v == CRAWL_SCOPE_PATH_TOO_DEEP));
	buf_addf(out, "path-repetition: %s, max-path-repeat %ld: %s\n",
		 rep ? "a run of segments repeats more often" : "none",
		 cfg->max_path_repeat, ok(v == CRAWL_SCOPE_PATH_REPETITION));
	buf_addf(out, "url-length: %zu, max-url-length %ld: %s\n",
		 strlen(norm), cfg->max_url_length,
		 ok(v == CRAWL_SCOPE_TOO_LONG));
	if (strchr(norm, '?')) {
		qv = query_variants(o->archive, norm);
		if (!refused && cfg->max_query_variants > 0 &&
		    qv >= cfg->max_query_variants)
			refused = "query-variants";
		buf_addf(out, "query-variants: %ld of this path in the last "
			 "crawl, max-query-variants %ld: %s\n", qv,
			 cfg->max_query_variants,
			 ok(refused && !strcmp(refused, "query-variants")));
	} else {
		buf_adds(out, "query-variants: no query\n");
	}
	if (refused) {
		buf_addf(out, "robots: not checked\nverdict: not fetched: %s\n",
			 refused);
		rc = 0;
		goto out;
	}
	sep = strstr(norm, "://");
	if (asprintf(&origin, "%.*s://%s", (int)(sep - norm), norm, hp) < 0) {
		err_set(e, "out of memory");
		goto out;
	}
	if (!(r = robots_for(o, origin, &src, e)))
		goto out;
	if (crawl_robots_explain(r, pq, &rw)) {
		if (rw.line)
			buf_addf(out, "robots: allowed by line %d \"%s\" of the "
				 "group \"%s\" (line %d) in %s\n", rw.line,
				 rw.text ? rw.text : "", rw.group ? rw.group : "",
				 rw.group_line, src.data);
		else
			buf_addf(out, "robots: allowed: %s in %s\n",
				 rw.fixed ? "robots.txt unavailable, all allowed"
					  : "no rule matches", src.data);
		buf_adds(out, "verdict: fetch\n");
		rc = 1;
	} else {
		if (rw.line)
			buf_addf(out, "robots: disallowed by line %d \"%s\" of "
				 "the group \"%s\" (line %d) in %s\n", rw.line,
				 rw.text ? rw.text : "", rw.group ? rw.group : "",
				 rw.group_line, src.data);
		else
			buf_addf(out, "robots: disallowed: robots.txt "
				 "unreachable, nothing allowed: %s\n", src.data);
		buf_adds(out, "verdict: not fetched: robots\n");
		rc = 0;
	}
out:
	crawl_robots_free(r);
	crawl_scope_free(scope);
	buf_release(&src);
	free(norm);
	free(surt);
	free(path);
	free(pq);
	free(hp);
	free(origin);
	return rc;
}
