/* sched: hosts, robots.txt verdicts, jobs in flight (see sched.h). */
#include "crawl/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/url.h"

#define ROBOTS_PATH "/robots.txt"
#define MAX_WAIT 0.25              /* seconds the loop sleeps at most */
#define HOSTS_REFRESH_SECS 1.0     /* re-read the pending hosts this often */
#define BACKOFF_MAX_DELAYS 10      /* backoff capped at this many max-delay */

double crawl_epoch(void)
{
	struct timespec t = time_now();

	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The host called name, made (with its saved timing) on first sight. */
static struct host *host_get(struct crawl_sched *s, const char *name)
{
	struct hmap_entry *x;
	struct host *h;
	double next_at = 0, cd = -1;

	if ((x = hmap_get(&s->by_name, name, strlen(name))))
		return x->ptr;
	h = calloc(1, sizeof(*h));
	if (!h || !(h->name = strdup(name)) ||
	    hmap_put(&s->by_name, h->name, strlen(h->name), &x) < 0) {
		if (h)
			free(h->name);
		free(h);
		return NULL;
	}
	x->ptr = h;
	if (frontier_host_load(s->fr, name, &next_at, &cd) == 1)
		h->next_at = next_at;
	h->crawl_delay = -1;
	h->next = s->hosts;
	s->hosts = h;
	return h;
}

/* After a response that took resp_secs: the politeness wait, counted
 * from now (when we have read its last byte). */
static void host_after(struct crawl_sched *s, struct host *h, double resp_secs)
{
	h->next_at = crawl_epoch() + crawl_polite_delay(&s->pol, resp_secs,
							h->crawl_delay);
}

static int refresh_hosts(struct crawl_sched *s, struct err *e)
{
	char **v = frontier_pending_hosts(s->fr, e);
	size_t i;
	struct host *h;

	if (!v)
		return -1;
	for (h = s->hosts; h; h = h->next)
		h->idle = 1;
	for (i = 0; v[i]; i++) {
		h = host_get(s, v[i]);
		if (h)
			h->idle = 0;
		free(v[i]);
	}
	free(v);
	s->hosts_dirty = 0;
	s->hosts_refreshed = time_mono();
	return 0;
}

void crawl_sched_job_free(struct crawl_sched *s, struct job *j)
{
	if (!j)
		return;
	if (j->held) {
		outlinks_release(&j->held->ol);
		catalog_extraction_free(j->held->ex);
		buf_release(&j->held->dec);
		free(j->held);
	}
	crawl_fetch_free(s->multi, j->f);
	crawl_url_release(&j->u);
	if (j->have_prev)
		catalog_prev_release(&j->prev);
	free(j);
}

static void job_unlink(struct crawl_sched *s, struct job *j)
{
	struct job **pp;

	for (pp = &s->jobs; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	j->host->busy = 0;
	s->st->inflight--;
}

static int job_start(struct crawl_sched *s, struct job *j, struct err *e)
{
	struct crawl_fetch_opts fo;

	memset(&fo, 0, sizeof(fo));
	fo.user_agent = s->ua;
	fo.accept_encoding = s->cfg->accept_encoding;
	fo.connect_timeout = s->cfg->connect_timeout;
	fo.first_byte_timeout = s->cfg->first_byte_timeout;
	fo.total_timeout = s->cfg->total_timeout;
	fo.low_speed_time = s->cfg->low_speed_time;
	fo.low_speed_limit = s->cfg->low_speed_limit;
	fo.max_body = s->cfg->max_response_bytes;
	fo.spool_at = CRAWL_SPOOL_AT;
	fo.spool_dir = s->tmpdir;
	if (!j->is_robots && catalog_previous(s->cat, j->u.url, &j->prev,
					      NULL) == 1) {
		j->have_prev = 1;
		if ((j->prev.status >= 200 && j->prev.status < 300) ||
		    j->prev.status == 304) {
			fo.if_none_match = j->prev.etag;
			fo.if_modified_since = j->prev.last_modified;
		}
	}
	j->f = crawl_fetch_start(s->multi, j->u.url, &fo, j, e);
	if (!j->f)
		return -1;
	j->host->busy = 1;
	j->next = s->jobs;
	s->jobs = j;
	s->st->inflight++;
	snprintf(s->current, sizeof(s->current), "%s", j->u.url);
	return 0;
}

static int start_robots(struct crawl_sched *s, struct host *h, const char *url,
			struct err *e)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return err_set(e, "out of memory");
	j->is_robots = 1;
	j->host = h;
	j->u.url = strdup(url);
	j->u.host = strdup(h->name);
	if (!j->u.url || !j->u.host || job_start(s, j, e) < 0) {
		crawl_sched_job_free(s, j);
		return -1;
	}
	h->robots_state = ROBOTS_FETCHING;
	return 0;
}

/* robots.txt verdict for h: from the state cache, or start a fetch.
 * Returns 1 when ready, 0 when a fetch was started (or is running). */
static int robots_ready(struct crawl_sched *s, struct host *h, struct err *e)
{
	double now = crawl_epoch();
	int status;
	char *body = NULL, url[CRAWL_HEADER_MAX];
	size_t len = 0;

	if (h->robots_state == ROBOTS_READY && now - h->robots_at <= h->robots_ttl)
		return 1;
	if (h->robots_state == ROBOTS_FETCHING)
		return 0;
	crawl_robots_free(h->robots);
	h->robots = NULL;
	if (frontier_robots_get(s->fr, h->name, now, CRAWL_ROBOTS_MAX_AGE,
				&status, &body, &len) == 1) {
		enum crawl_robots_action a = crawl_robots_policy(status, 0);

		if (a == CRAWL_ROBOTS_PARSE)
			h->robots = crawl_robots_parse(body, len,
						       s->cfg->robots_token);
		else if (a == CRAWL_ROBOTS_ALLOW_ALL ||
			 a == CRAWL_ROBOTS_FOLLOW)
			h->robots = crawl_robots_allow_all();
		else
			h->robots = crawl_robots_disallow_all();
		h->robots_unreachable = a == CRAWL_ROBOTS_DISALLOW_ALL;
		free(body);
		if (h->robots) {
			size_t i;
			char rurl[CRAWL_HEADER_MAX];

			/* its Sitemap lines, as after a fetch */
			snprintf(rurl, sizeof(rurl), "%s%s", h->name,
				 ROBOTS_PATH);
			for (i = 0; a == CRAWL_ROBOTS_PARSE && i <
			     crawl_robots_sitemap_count(h->robots); i++) {
				char *sm = NULL;

				if (url_resolve(rurl, crawl_robots_sitemap(
						h->robots, i), 0, &sm, NULL) == 0 &&
				    crawl_queue_add(s->q, sm, 0, 0, rurl,
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
	return start_robots(s, h, url, e) < 0 ? -1 : 0;
}

static int limits_hit(struct crawl_sched *s)
{
	const struct crawl_config *g = s->cfg;

	if (g->max_pages > 0 && s->st->pages + s->st->inflight >= g->max_pages)
		return CRAWL_LIMIT_PAGES;
	if (g->max_bytes > 0 && s->st->bytes >= g->max_bytes)
		return CRAWL_LIMIT_BYTES;
	return 0;
}

int crawl_sched_start(struct crawl_sched *s, double *wait, struct err *e)
{
	struct host *h;
	double now = crawl_epoch();

	*wait = MAX_WAIT;
	if (s->hosts_dirty || time_mono() - s->hosts_refreshed >
	    HOSTS_REFRESH_SECS)
		if (refresh_hosts(s, e) < 0)
			return -1;
	for (h = s->hosts; h; h = h->next) {
		struct crawl_url u;
		struct job *j;
		int r;

		if ((r = limits_hit(s)) != 0) {
			s->limit_hit = r;
			break;
		}
		if (h->busy || h->idle)
			continue;
		if (s->st->inflight >= s->cfg->max_hosts)
			break;
		if (now < h->next_at) {
			if (h->next_at - now < *wait)
				*wait = h->next_at - now;
			continue;
		}
		r = robots_ready(s, h, e);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		for (;;) {
			r = frontier_next(s->fr, h->name, now, &u, e);
			if (r < 0)
				return -1;
			if (r == 0) {
				h->idle = 1;
				break;
			}
			if (!crawl_robots_allowed_url(h->robots, u.url)) {
				const char *why = h->robots_unreachable ?
					"failed:robots-unreachable" : "robots";

				frontier_set(s->fr, u.id, h->robots_unreachable ?
					     URL_FAILED : URL_SKIPPED, u.tries,
					     0, why, NULL);
				crawllog_line(s->log, NULL, 0, 0, u.url, 0,
					      why, u.via);
				/* a page changes reports as excluded, not
				 * removed (best effort: only a report) */
				if (!h->robots_unreachable)
					catalog_exclude(s->cat, s->crawl_id, u.url,
							"robots.txt disallows it",
							NULL);
				if (h->robots_unreachable) {
					s->st->failed++;
				} else {
					s->st->skipped++;
					s->st->robots++;
				}
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
			if (job_start(s, j, e) < 0) {
				crawl_sched_job_free(s, j);
				return -1;
			}
			break;
		}
	}
	return 0;
}

struct job *crawl_sched_done(struct crawl_sched *s)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(s->multi, &left))) {
		struct crawl_fetch *f = NULL;
		struct job *j;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&f);
		if (!f)
			continue;
		j = f->owner;
		crawl_fetch_done(f, m->data.result);
		job_unlink(s, j);
		return j;
	}
	return NULL;
}

void crawl_sched_run(struct crawl_sched *s, double wait)
{
	int running, numfds;

	if (wait < 0)
		wait = 0;
	curl_multi_poll(s->multi, NULL, 0, (int)(wait * 1000) + 1, &numfds);
	curl_multi_perform(s->multi, &running);
}

void crawl_sched_abandon(struct crawl_sched *s)
{
	while (s->jobs) {
		struct job *j = s->jobs;

		job_unlink(s, j);
		if (j->is_robots)
			j->host->robots_state = ROBOTS_NONE;
		crawl_sched_job_free(s, j);
	}
}

void crawl_sched_hosts_changed(struct crawl_sched *s)
{
	s->hosts_dirty = 1;
}

int crawl_sched_init(struct crawl_sched *s, const struct crawl_config *cfg,
		     struct crawl_stats *st, struct frontier *fr,
		     struct catalog *cat, struct crawl_queue *q,
		     struct crawllog *log, const char *ua, const char *tmpdir,
		     struct err *e)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->st = st;
	s->fr = fr;
	s->cat = cat;
	s->q = q;
	s->log = log;
	s->ua = ua;
	s->tmpdir = tmpdir;
	s->pol.min_delay = cfg->delay;
	s->pol.factor = cfg->delay_factor;
	s->pol.max_delay = cfg->max_delay;
	s->pol.max_crawl_delay = cfg->max_crawl_delay;
	s->pol.max_backoff = cfg->max_delay * BACKOFF_MAX_DELAYS;
	s->hosts_dirty = 1;
	hmap_init(&s->by_name, 0, 0);
	if (!(s->multi = curl_multi_init()))
		return err_set(e, "curl_multi_init failed");
	curl_multi_setopt(s->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	return 0;
}

void crawl_sched_release(struct crawl_sched *s)
{
	struct host *h, *n;

	crawl_sched_abandon(s);
	for (h = s->hosts; h; h = n) {
		n = h->next;
		crawl_robots_free(h->robots);
		free(h->robots_follow);
		free(h->name);
		free(h);
	}
	s->hosts = NULL;
	hmap_release(&s->by_name);
	if (s->multi)
		curl_multi_cleanup(s->multi);
	s->multi = NULL;
}

void crawl_sched_host_answered(struct crawl_sched *s, struct host *h)
{
	h->fails = 0;
}

void crawl_sched_host_after(struct crawl_sched *s, struct host *h,
			    double secs)
{
	h->backoff_n = 0;
	host_after(s, h, secs);
}

void crawl_sched_host_refused(struct crawl_sched *s, struct host *h,
			      double retry_after)
{
	h->next_at = crawl_epoch() +
		crawl_polite_backoff(&s->pol, ++h->backoff_n, retry_after);
}

double crawl_sched_host_failed(struct crawl_sched *s, struct job *j,
			       int status, double retry_after)
{
	struct host *h = j->host;
	double now = crawl_epoch(), wait;

	if (status)
		h->backoff_n++;
	else
		h->fails++;
	wait = crawl_polite_backoff(&s->pol, status ? h->backoff_n : h->fails,
				    retry_after);
	if (!status && s->cfg->host_fail_pause > 0 &&
	    h->fails >= s->cfg->host_fail_pause && wait < s->cfg->host_pause)
		wait = s->cfg->host_pause;    /* a failing host is paused */
	h->next_at = now + wait;
	if (j->is_robots) {
		/* unreachable: disallow all for a while (RFC 9309 2.3.1.4) */
		crawl_robots_free(h->robots);
		h->robots = crawl_robots_disallow_all();
		h->robots_unreachable = 1;
		h->robots_state = ROBOTS_READY;
		h->robots_at = now;
		h->robots_ttl = CRAWL_ROBOTS_RETRY_UNREACHABLE;
	}
	return now + wait;
}

void crawl_sched_robots_fetched(struct crawl_sched *s, struct job *j,
				int status, const struct buf *payload,
				struct outlinks *ol)
{
	struct host *h = j->host;
	enum crawl_robots_action a = crawl_robots_policy(status,
							 h->robots_redirects);
	char loc[CRAWL_HEADER_MAX], *abs = NULL;
	size_t i;

	crawl_robots_free(h->robots);
	h->robots = NULL;
	if (a == CRAWL_ROBOTS_FOLLOW &&
	    crawl_fetch_header(j->f, "Location", loc, sizeof(loc)) &&
	    url_resolve(j->u.url, loc, 0, &abs, NULL) == 0) {
		free(h->robots_follow);
		h->robots_follow = abs;
		h->robots_redirects++;
		h->robots_state = ROBOTS_NONE;
		return;
	}
	if (a == CRAWL_ROBOTS_FOLLOW)
		a = CRAWL_ROBOTS_ALLOW_ALL;
	if (a == CRAWL_ROBOTS_PARSE)
		h->robots = crawl_robots_parse(payload ? payload->data : "",
					       payload ? payload->len : 0,
					       s->cfg->robots_token);
	else if (a == CRAWL_ROBOTS_ALLOW_ALL)
		h->robots = crawl_robots_allow_all();
	else
		h->robots = crawl_robots_disallow_all();
	if (!h->robots)
		h->robots = crawl_robots_disallow_all();
	h->robots_unreachable = a == CRAWL_ROBOTS_DISALLOW_ALL;
	h->crawl_delay = crawl_robots_crawl_delay(h->robots);
	h->robots_state = ROBOTS_READY;
	h->robots_at = crawl_epoch();
	h->robots_ttl = (double)crawl_robots_ttl(a, -1);
	free(h->robots_follow);
	h->robots_follow = NULL;
	for (i = 0; a == CRAWL_ROBOTS_PARSE &&
		    i < crawl_robots_sitemap_count(h->robots); i++) {
		char *sm = NULL;

		if (url_resolve(j->u.url, crawl_robots_sitemap(h->robots, i),
				0, &sm, NULL) == 0) {
			outlinks_add(ol, sm, CRAWL_KIND_SITEMAP, 0, 0);
			free(sm);
		}
	}
	/* Wait as the new Crawl-delay says from now on. */
	host_after(s, h, j->f->t_end - j->f->t_start);
}

