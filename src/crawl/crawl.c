/* crawl: setup, the scheduling loop and the hosts (see crawl.h). */
#include "crawl/crawl-int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/version.h"
#include "util/timeutil.h"
#include "util/url.h"

#define ROBOTS_PATH "/robots.txt"

double crawl_epoch(void)
{
	struct timespec t = time_now();

	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct host *crawl_host_get(struct crawl *c, const char *name)
{
	struct host *h;
	double next_at = 0, cd = -1;

	for (h = c->hosts; h; h = h->next)
		if (!strcmp(h->name, name))
			return h;
	h = calloc(1, sizeof(*h));
	if (!h || !(h->name = strdup(name))) {
		free(h);
		return NULL;
	}
	if (frontier_host_load(c->fr, name, &next_at, &cd) == 1)
		h->next_at = next_at;
	h->crawl_delay = -1;
	h->next = c->hosts;
	c->hosts = h;
	return h;
}

/* After a response that took resp_secs: the politeness wait, counted
 * from now (when we have read its last byte). */
void crawl_host_after(struct crawl *c, struct host *h, double resp_secs)
{
	h->next_at = crawl_epoch() + crawl_polite_delay(&c->pol, resp_secs,
							h->crawl_delay);
}

static void hosts_free(struct crawl *c)
{
	struct host *h, *n;

	for (h = c->hosts; h; h = n) {
		n = h->next;
		crawl_robots_free(h->robots);
		free(h->robots_follow);
		free(h->name);
		free(h);
	}
	c->hosts = NULL;
}

static int refresh_hosts(struct crawl *c, struct err *e)
{
	char **v = frontier_pending_hosts(c->fr, e);
	size_t i;
	struct host *h;

	if (!v)
		return -1;
	for (h = c->hosts; h; h = h->next)
		h->idle = 1;
	for (i = 0; v[i]; i++) {
		h = crawl_host_get(c, v[i]);
		if (h)
			h->idle = 0;
		free(v[i]);
	}
	free(v);
	c->hosts_dirty = 0;
	c->hosts_refreshed = time_mono();
	return 0;
}

void crawl_job_free(struct crawl *c, struct job *j)
{
	if (!j)
		return;
	capture_job_release(j);
	crawl_fetch_free(c->multi, j->f);
	crawl_url_release(&j->u);
	if (j->prev.have)
		catalog_prev_release(&j->prev.p);
	free(j);
}

static void job_unlink(struct crawl *c, struct job *j)
{
	struct job **pp;

	for (pp = &c->jobs; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	j->host->busy = 0;
	c->st->inflight--;
}

static int job_start(struct crawl *c, struct job *j, struct err *e)
{
	struct crawl_fetch_opts fo;

	memset(&fo, 0, sizeof(fo));
	fo.user_agent = c->ua;
	fo.connect_timeout = c->cfg->connect_timeout;
	fo.first_byte_timeout = c->cfg->first_byte_timeout;
	fo.total_timeout = c->cfg->total_timeout;
	fo.max_body = c->cfg->max_response_bytes;
	fo.spool_at = 8u << 20;
	fo.spool_dir = c->tmpdir;
	if (!j->is_robots && catalog_previous(c->cat, j->u.url, &j->prev.p,
					      NULL) == 1) {
		j->prev.have = 1;
		if ((j->prev.p.status >= 200 && j->prev.p.status < 300) ||
		    j->prev.p.status == 304) {
			fo.if_none_match = j->prev.p.etag;
			fo.if_modified_since = j->prev.p.last_modified;
		}
	}
	j->f = crawl_fetch_start(c->multi, j->u.url, &fo, j, e);
	if (!j->f)
		return -1;
	j->host->busy = 1;
	j->next = c->jobs;
	c->jobs = j;
	c->st->inflight++;
	snprintf(c->current, sizeof(c->current), "%s", j->u.url);
	return 0;
}

static int start_robots(struct crawl *c, struct host *h, const char *url,
			struct err *e)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return err_set(e, "out of memory");
	j->is_robots = 1;
	j->host = h;
	j->u.url = strdup(url);
	j->u.host = strdup(h->name);
	if (!j->u.url || !j->u.host || job_start(c, j, e) < 0) {
		crawl_job_free(c, j);
		return -1;
	}
	h->robots_state = ROBOTS_FETCHING;
	return 0;
}

/* robots.txt verdict for h: from the state cache, or start a fetch.
 * Returns 1 when ready, 0 when a fetch was started (or is running). */
static int robots_ready(struct crawl *c, struct host *h, struct err *e)
{
	double now = crawl_epoch();
	int status;
	char *body = NULL, url[4096];
	size_t len = 0;

	if (h->robots_state == ROBOTS_READY && now - h->robots_at <= h->robots_ttl)
		return 1;
	if (h->robots_state == ROBOTS_FETCHING)
		return 0;
	crawl_robots_free(h->robots);
	h->robots = NULL;
	if (frontier_robots_get(c->fr, h->name, now, CRAWL_ROBOTS_MAX_AGE,
				&status, &body, &len) == 1) {
		enum crawl_robots_action a = crawl_robots_policy(status, 0);

		if (a == CRAWL_ROBOTS_PARSE)
			h->robots = crawl_robots_parse(body, len,
						       c->cfg->robots_token);
		else if (a == CRAWL_ROBOTS_ALLOW_ALL ||
			 a == CRAWL_ROBOTS_FOLLOW)
			h->robots = crawl_robots_allow_all();
		else
			h->robots = crawl_robots_disallow_all();
		h->robots_unreachable = a == CRAWL_ROBOTS_DISALLOW_ALL;
		free(body);
		if (h->robots) {
			size_t i;
			char rurl[4096];

			/* its Sitemap lines, as after a fetch */
			snprintf(rurl, sizeof(rurl), "%s%s", h->name,
				 ROBOTS_PATH);
			for (i = 0; a == CRAWL_ROBOTS_PARSE && i <
			     crawl_robots_sitemap_count(h->robots); i++) {
				char *sm = NULL;

				if (url_resolve(rurl, crawl_robots_sitemap(
						h->robots, i), 0, &sm, NULL) == 0 &&
				    capture_queue(c, sm, 0, 0, rurl,
						  CRAWL_KIND_SITEMAP, 1, 1,
						  e) < 0) {
					free(sm);
					return -1;
				}
				free(sm);
			}
			h->crawl_delay = crawl_robots_crawl_delay(h->robots);
			h->robots_state = ROBOTS_READY;
			h->robots_at = now;
			h->robots_ttl = crawl_robots_ttl(a, -1);
			return 1;
		}
	}
	if (h->robots_follow) {
		snprintf(url, sizeof(url), "%s", h->robots_follow);
	} else {
		snprintf(url, sizeof(url), "%s%s", h->name, ROBOTS_PATH);
		h->robots_redirects = 0;
	}
	return start_robots(c, h, url, e) < 0 ? -1 : 0;
}

static int limits_hit(struct crawl *c)
{
	const struct crawl_config *g = c->cfg;

	if (g->max_pages > 0 && c->st->pages + c->st->inflight >= g->max_pages)
		return 1;
	if (g->max_bytes > 0 && c->st->bytes >= g->max_bytes)
		return 1;
	return 0;
}

/* Start what may start now; *wait gets the seconds until the next host
 * becomes ready (capped). */
static int schedule(struct crawl *c, double *wait, struct err *e)
{
	struct host *h;
	double now = crawl_epoch();

	*wait = 0.25;
	if (c->hosts_dirty || time_mono() - c->hosts_refreshed > 1.0)
		if (refresh_hosts(c, e) < 0)
			return -1;
	for (h = c->hosts; h; h = h->next) {
		struct crawl_url u;
		struct job *j;
		int r;

		if (c->stopping)
			break;
		if (limits_hit(c)) {
			c->limit_hit = 1;
			break;
		}
		if (h->busy || h->idle)
			continue;
		if (c->st->inflight >= c->cfg->max_hosts)
			break;
		if (now < h->next_at) {
			if (h->next_at - now < *wait)
				*wait = h->next_at - now;
			continue;
		}
		r = robots_ready(c, h, e);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		for (;;) {
			r = frontier_next(c->fr, h->name, now, &u, e);
			if (r < 0)
				return -1;
			if (r == 0) {
				h->idle = 1;
				break;
			}
			if (!crawl_robots_allowed_url(h->robots, u.url)) {
				const char *why = h->robots_unreachable ?
					"failed:robots-unreachable" : "robots";

				frontier_set(c->fr, u.id, h->robots_unreachable ?
					     URL_FAILED : URL_SKIPPED, u.tries,
					     0, why, NULL);
				crawllog_line(c->log, 0, 0, u.url, 0, why,
					      u.via);
				if (h->robots_unreachable)
					c->st->failed++;
				else
					c->st->skipped++;
				crawl_url_release(&u);
				continue;
			}
			j = calloc(1, sizeof(*j));
			if (!j) {
				crawl_url_release(&u);
				return err_set(e, "out of memory");
			}
			j->u = u;
			j->host = h;
			if (job_start(c, j, e) < 0) {
				crawl_job_free(c, j);
				return -1;
			}
			break;
		}
	}
	return 0;
}

/* Transfers curl reports finished. */
static int reap(struct crawl *c, struct err *e)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		struct crawl_fetch *f = NULL;
		struct job *j;
		int rc;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&f);
		if (!f)
			continue;
		j = f->owner;
		crawl_fetch_done(f, m->data.result);
		job_unlink(c, j);
		rc = capture_finish(c, j, e);
		if (rc != 1)            /* 1: held until the dictionary */
			crawl_job_free(c, j);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void abandon_jobs(struct crawl *c)
{
	while (c->jobs) {
		struct job *j = c->jobs;

		job_unlink(c, j);
		if (j->is_robots)
			j->host->robots_state = ROBOTS_NONE;
		crawl_job_free(c, j);
	}
}

static void report(struct crawl *c)
{
	long counts[5];

	if (!c->o->progress)
		return;
	frontier_counts(c->fr, counts);
	c->st->queued = counts[URL_PENDING];
	c->st->elapsed = time_mono() - c->t0;
	c->st->current = c->current;
	c->st->limit_hit = c->limit_hit;
	c->o->progress(c->o->progress_ctx, c->st);
}

static int queue_known_pages(struct crawl *c, struct err *e);

static int run_loop(struct crawl *c, struct err *e)
{
	double last_report = 0;
	int known_queued = 0;

	for (;;) {
		double wait;
		int running, numfds;
		long counts[5];

		if (c->o->stop && *c->o->stop) {
			c->stopping = 1;
			return 0;
		}
		if (schedule(c, &wait, e) < 0)
			return -1;
		if (!c->st->inflight) {
			frontier_counts(c->fr, counts);
			if (c->limit_hit)
				return 0;
			if (!counts[URL_PENDING] && !known_queued) {
				known_queued = 1;
				if (queue_known_pages(c, e) < 0)
					return -1;
				frontier_counts(c->fr, counts);
			}
			if (!counts[URL_PENDING])
				return 0;
		}
		if (wait < 0)
			wait = 0;
		curl_multi_poll(c->multi, NULL, 0, (int)(wait * 1000) + 1,
				&numfds);
		curl_multi_perform(c->multi, &running);
		if (reap(c, e) < 0)
			return -1;
		if (time_mono() - last_report >= 0.2) {
			report(c);
			last_report = time_mono();
		}
	}
}

static char *build_warcinfo(struct crawl *c)
{
	struct buf b = BUF_INIT(0);
	char host[256] = "";
	char digest[48];
	char *dump, *line, *nl = NULL;

	gethostname(host, sizeof(host) - 1);
	catalog_config_digest(c->o->config_text, digest);
	buf_addf(&b, "software: govarch/%s (libcurl %s)\r\n", GOVARCH_VERSION,
		 curl_version_info(CURLVERSION_NOW)->version);
	buf_addf(&b, "hostname: %s\r\n", host);
	if (*c->cfg->operator_)
		buf_addf(&b, "operator: %s\r\n", c->cfg->operator_);
	if (*c->cfg->description)
		buf_addf(&b, "description: %s\r\n", c->cfg->description);
	buf_addf(&b, "robots: obey (RFC 9309; token %s)\r\n",
		 c->cfg->robots_token);
	buf_addf(&b, "format: WARC File Format 1.1\r\n");
	buf_addf(&b, "conformsTo: http://iipc.github.io/warc-specifications/"
		 "specifications/warc-format/warc-1.1/\r\n");
	buf_addf(&b, "http-header-user-agent: %s\r\n", c->ua);
	buf_addf(&b, "isPartOf: %s%lld\r\n", CATALOG_PART_OF,
		 (long long)c->crawl_id);
	buf_addf(&b, "govarch-config-name: %s\r\n", c->o->config_name);
	buf_addf(&b, "govarch-config-digest: %s\r\n", digest);
	buf_addf(&b, "govarch-politeness: delay %g s, factor %g, max %g s, "
		 "one connection per host\r\n", c->cfg->delay,
		 c->cfg->delay_factor, c->cfg->max_delay);
	/* the effective configuration, one field per setting, so each file
	 * says how it was made (the config file's own text follows the first
	 * warcinfo of the crawl, in urn:govarch:config:ID) */
	dump = crawl_config_dump(c->cfg);
	for (line = dump; line && *line; line = nl ? nl + 1 : line + strlen(line)) {
		char *eq;

		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		eq = strstr(line, " = ");
		if (eq) {
			*eq = 0;
			buf_addf(&b, "govarch-config-%s: %s\r\n", line, eq + 3);
		}
		if (!nl)
			break;
	}
	free(dump);
	return buf_detach(&b, NULL);
}

static int open_writer(struct crawl *c, struct err *e)
{
	struct warc_writer_opts wo;
	struct buf dict = BUF_INIT(0);
	char dictdir[4096];
	int rc = -1;

	memset(&wo, 0, sizeof(wo));
	snprintf(dictdir, sizeof(dictdir), "%s/dict", c->archive);
	mkdir(dictdir, 0755);
	wo.dir = c->archive;
	wo.prefix = "govarch";
	wo.format = !strcmp(c->cfg->format, "gz") ? WARC_FMT_GZ :
		    !strcmp(c->cfg->format, "warc") ? WARC_FMT_PLAIN
						     : WARC_FMT_ZST;
	/* Rotation is done here between fetches, never inside one. */
	wo.rotate_size = UINT64_MAX / 2;
	wo.zstd_level = (int)c->cfg->zstd_level;
	if (wo.format == WARC_FMT_ZST &&
	    warc_dict_load_latest(dictdir, &dict, NULL, NULL) == 1) {
		wo.dict = dict.data;
		wo.dict_len = dict.len;
		c->have_dict = 1;
	}
	if (wo.format != WARC_FMT_ZST)
		c->have_dict = 1;   /* nothing to train */
	c->warcinfo = build_warcinfo(c);
	wo.warcinfo = c->warcinfo;
	c->w = warc_writer_open(&wo, e);
	if (!c->w)
		goto out;
	rc = capture_register_file(c, e);
out:
	buf_release(&dict);
	return rc;
}

/* Once the frontier runs dry, the pages the last complete crawl saw and
 * this one did not reach are requested too: a page that lost its last link
 * must still be seen removed (404) or moved (301), or change reports would
 * silently lose it.  Queued last and at the depth limit, so they never
 * re-seed a trap (a calendar) or change how far discovery goes; pages of
 * other scopes (an archive shared with another seed) are left out quietly. */
static int queue_known_pages(struct crawl *c, struct err *e)
{
	char **urls = NULL;
	size_t i, n = 0;
	int rc = 0, hops = (int)c->cfg->max_depth;

	if (catalog_known_urls(c->cat, 0, &urls, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (rc == 0 && crawl_scope_in_scope(c->scope, urls[i]) &&
		    capture_queue(c, urls[i], hops, 0, "", CRAWL_KIND_PAGE, 1,
				  0, e) < 0)
			rc = -1;
		free(urls[i]);
	}
	free(urls);
	return rc;
}

static int queue_seeds(struct crawl *c, struct err *e)
{
	size_t i;

	for (i = 0; i < c->cfg->seeds.n; i++)
		if (capture_queue(c, c->cfg->seeds.v[i], 0, 0, "",
				  CRAWL_KIND_PAGE, 1, 0, e) < 0)
			return -1;
	for (i = 0; i < c->cfg->sitemaps.n; i++)
		if (capture_queue(c, c->cfg->sitemaps.v[i], 0, 0, "",
				  CRAWL_KIND_SITEMAP, 1, 0, e) < 0)
			return -1;
	return 0;
}

static struct crawl_scope *make_scope(const struct crawl_config *g,
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

/* A resumed crawl's figures go on from where the earlier runs left them:
 * captures = URLs done, bytes as saved at each run's end (a run killed with
 * -9 saved none: its bytes are not counted). */
static void resume_figures(struct crawl *c)
{
	char *b = frontier_meta_get(c->fr, "bytes");
	long counts[5];

	frontier_counts(c->fr, counts);
	c->st->pages = counts[URL_DONE];
	c->st->bytes = b ? strtoull(b, NULL, 10) : 0;
	free(b);
}

/* New crawl or resume: crawl id, catalog, frontier. */
static int begin(struct crawl *c, struct err *e)
{
	char *state = frontier_meta_get(c->fr, "state");
	char *id = frontier_meta_get(c->fr, "crawl_id");
	char *start = frontier_meta_get(c->fr, "start");
	char buf[32];
	int rc = -1;

	if (state && id && strcmp(state, "finished")) {
		c->crawl_id = atoll(id);
		snprintf(c->start_date, sizeof(c->start_date), "%s",
			 start ? start : "");
		c->st->resumed = 1;
		c->st->crawl_id = c->crawl_id;
		resume_figures(c);
		if (c->o->starting)
			c->o->starting(c->o->progress_ctx, c->st);
		if (crawl_mend(c, e) < 0 ||
		    catalog_crawl_resume(c->cat, c->crawl_id,
					 c->o->config_text, e) < 0 ||
		    frontier_requeue_inflight(c->fr, e) < 0)
			goto out;
	} else {
		time_warc_date(time_now(), c->start_date);
		if (frontier_reset(c->fr, e) < 0 ||
		    catalog_crawl_begin(c->cat, c->start_date,
					c->o->config_name, c->o->config_text,
					&c->crawl_id, e) < 0)
			goto out;
		c->st->crawl_id = c->crawl_id;
		if (c->o->starting)
			c->o->starting(c->o->progress_ctx, c->st);
		snprintf(buf, sizeof(buf), "%lld", (long long)c->crawl_id);
		if (frontier_meta_set(c->fr, "crawl_id", buf, e) < 0 ||
		    frontier_meta_set(c->fr, "bytes", "0", e) < 0 ||
		    frontier_meta_set(c->fr, "start", c->start_date, e) < 0 ||
		    frontier_meta_set(c->fr, "state", "running", e) < 0)
			goto out;
	}
	rc = 0;
out:
	free(state);
	free(id);
	free(start);
	return rc;
}

static int finish(struct crawl *c, int result, struct err *e)
{
	const char *status = result == CRAWL_INTERRUPTED ? "interrupted" :
			     result == CRAWL_PARTIAL ? "partial" : "complete";
	char end[40];
	int rc = 0;

	if (capture_flush_end(c, e) < 0)
		return -1;
	time_warc_date(time_now(), end);
	if (catalog_crawl_end(c->cat, c->crawl_id, end, status,
			      (uint64_t)c->st->pages, c->st->bytes,
			      (uint64_t)c->st->failed, e) < 0)
		return -1;
	if (capture_write_summary(c, status, e) < 0)
		return -1;
	rc = warc_writer_close(c->w, e);
	c->w = NULL;
	if (rc < 0)
		return -1;
	snprintf(end, sizeof(end), "%llu", (unsigned long long)c->st->bytes);
	if (frontier_meta_set(c->fr, "bytes", end, e) < 0)
		return -1;
	if (frontier_meta_set(c->fr, "state", result == CRAWL_INTERRUPTED ?
			      "interrupted" : "finished", e) < 0)
		return -1;
	if (result != CRAWL_INTERRUPTED)
		catalog_write_atom(c->cat, NULL);
	return 0;
}

static void teardown(struct crawl *c)
{
	abandon_jobs(c);
	while (c->held) {
		struct job *j = c->held;

		c->held = j->next;
		crawl_job_free(c, j);
	}
	if (c->w)
		warc_writer_abort(c->w);
	hosts_free(c);
	capture_seen_free(c);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	crawl_scope_free(c->scope);
	crawllog_close(c->log);
	catalog_close(c->cat);
	frontier_close(c->fr);
	buf_release(&c->samples);
	buf_release(&c->dict_html[0]);
	buf_release(&c->dict_html[1]);
	buf_release(&c->dict_meta);
	buf_release(&c->dict_req);
	free(c->sample_sizes);
	free(c->warcinfo);
	free(c->ua);
	free(c->archive);
	free(c->tmpdir);
	free(c->state_path);
}

int crawl_run(const struct crawl_opts *o, struct crawl_stats *st,
	      struct err *e)
{
	struct crawl c;
	struct buf p = BUF_INIT(0);
	char idbuf[32];
	long counts[5];
	int rc = -1, result;

	memset(&c, 0, sizeof(c));
	memset(st, 0, sizeof(*st));
	c.o = o;
	c.cfg = o->cfg;
	c.st = st;
	c.t0 = time_mono();
	hmap_init(&c.seen, HMAP_COPY_KEYS, 0);
	buf_init(&c.samples, 0);
	buf_init(&c.dict_html[0], 0);
	buf_init(&c.dict_html[1], 0);
	buf_init(&c.dict_meta, 0);
	buf_init(&c.dict_req, 0);
	c.pol.min_delay = o->cfg->delay;
	c.pol.factor = o->cfg->delay_factor;
	c.pol.max_delay = o->cfg->max_delay;
	c.pol.max_crawl_delay = o->cfg->max_crawl_delay;
	c.pol.max_backoff = o->cfg->max_delay * 10;
	c.ua = crawl_config_user_agent(o->cfg);
	c.archive = strdup(o->archive);
	buf_addf(&p, "%s/tmp", o->archive);
	mkdir(p.data, 0755);
	c.tmpdir = buf_detach(&p, NULL);
	buf_addf(&p, "%s/state.sqlite", o->archive);
	c.state_path = buf_detach(&p, NULL);

	if (!(c.fr = frontier_open(c.state_path, e)) ||
	    !(c.cat = catalog_open(o->archive, CATALOG_CREATE, e)) ||
	    !(c.scope = make_scope(o->cfg, e)))
		goto out;
	if (!(c.multi = curl_multi_init())) {
		err_set(e, "curl_multi_init failed");
		goto out;
	}
	curl_multi_setopt(c.multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	if (begin(&c, e) < 0)
		goto out;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)c.crawl_id);
	if (!(c.log = crawllog_open(o->archive, idbuf, e)))
		goto out;
	snprintf(st->log_path, sizeof(st->log_path), "%s",
		 crawllog_path(c.log));
	if (open_writer(&c, e) < 0)
		goto out;
	if (!st->resumed && queue_seeds(&c, e) < 0)
		goto out;
	c.hosts_dirty = 1;
	if (run_loop(&c, e) < 0)
		goto out;
	abandon_jobs(&c);
	frontier_counts(c.fr, counts);
	st->failed = counts[URL_FAILED];
	if (c.stopping)
		result = CRAWL_INTERRUPTED;
	else
		result = st->failed ? CRAWL_PARTIAL : CRAWL_COMPLETE;
	if (finish(&c, result, e) < 0)
		goto out;
	report(&c);
	rc = result;
out:
	teardown(&c);
	return rc;
}
