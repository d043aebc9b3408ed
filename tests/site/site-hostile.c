/* site-hostile: the traps a real site sets for crawlers, each linked from
 * the home page (or the header, or the news listing) so a crawler meets it.
 */
#include "site.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* PATH<TAB>what it does; --list hostile prints these. */
const char *const site_hostile_paths[] = {
	"/events/calendar?year=2024&month=10\tendless calendar: prev/next month links forever",
	"/loop/a\tredirect loop: /loop/a -> /loop/b -> /loop/a (302)",
	"/reports/temporarily-unavailable\t503 with Retry-After: 2 on the first request of the path, then 200",
	"/reports/rate-limited\t429 with Retry-After: 1 on the first request of the path, then 200",
	"/reports/slow\t3 seconds before the first byte",
	"/archive/legacy-windows-1252\tpage in windows-1252 (bytes 0x92, 0xE9...)",
	"/session/start\tlinks carrying ;jsessionid=<32 hex> and ?PHPSESSID=<32 hex>, fresh each time",
	"/reports/chunked\tchunked transfer coding (size unknown)",
	"/stream/endless\tresponse that never ends, as fast as it is read",
	"/stream/trickle\tresponse that never ends, one chunk a second",
	"/search-results?f%5B0%5D=type%3Anews\tfaceted search: every result page links more facet combinations",
	"/search-results?f%5B0%5D=type%3Apublication\tfaceted search (linked from the home page)",
	"/search?f[0]=type:news\tfaceted search under a robots.txt Disallow",
	"/internal/staff-directory\tunder a robots.txt Disallow",
	"/\tgzip Content-Encoding when accepted (also the theme CSS)",
	NULL,
};

static const struct { const char *href, *label; } home_links[] = {
	{ "/events/calendar?year=2024&amp;month=10", "Events calendar" },
	{ "/loop/a", "Archived pages (moved)" },
	{ "/reports/temporarily-unavailable", "Quarterly performance report" },
	{ "/reports/rate-limited", "Monthly statistics" },
	{ "/reports/slow", "Historical register" },
	{ "/archive/legacy-windows-1252", "Te Wiki o te Reo M&#257;ori (archived page)" },
	{ "/session/start", "Online services" },
	{ "/reports/chunked", "Ministerial diary" },
	{ "/stream/endless", "Live data feed" },
	{ "/stream/trickle", "Live updates" },
	{ "/search-results?f%5B0%5D=type%3Apublication", "Browse publications" },
};

void site_hostile_links(struct buf *b)
{
	for (size_t i = 0; i < sizeof(home_links) / sizeof(home_links[0]); i++)
		buf_addf(b, "<li><a href=\"%s\">%s</a></li>\n", home_links[i].href,
			 home_links[i].label);
}

/* Paths already answered once (503/429 say "come back later" only once). */
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[8][128];
static int n_seen;

static int first_request(const char *path)
{
	int first = 1;

	pthread_mutex_lock(&seen_lock);
	for (int i = 0; i < n_seen; i++)
		if (strcmp(seen[i], path) == 0)
			first = 0;
	if (first && n_seen < 8)
		snprintf(seen[n_seen++], sizeof(seen[0]), "%s", path);
	pthread_mutex_unlock(&seen_lock);
	return first;
}

void site_hostile_reset(void)
{
	pthread_mutex_lock(&seen_lock);
	n_seen = 0;
	pthread_mutex_unlock(&seen_lock);
}

/* An ordinary-looking page with generated text. */
static void ordinary_page(const struct site *s, const struct site_request *q,
			  struct site_reply *r, const char *title)
{
	struct site_extra_page e = { q->path, title };
	struct site_page p = { q->path, title, -1, -1, q->host,
			       site_render_extra_body, &e, site_day(2024, 3, 4) };

	r->status = 200;
	r->content_type = "text/html; charset=UTF-8";
	r->last_modified = site_release_date(q->version);
	site_render_page(&r->body, s, q->version, &p);
}

static const char *const month_names[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

struct calendar { int year, month; };

static void calendar_body(struct buf *b, const struct site *s, int version,
			  const void *arg)
{
	const struct calendar *c = arg;
	int py = c->month == 1 ? c->year - 1 : c->year;
	int pm = c->month == 1 ? 12 : c->month - 1;
	int ny = c->month == 12 ? c->year + 1 : c->year;
	int nm = c->month == 12 ? 1 : c->month + 1;

	buf_addf(b, "<nav class=\"calendar-pager\"><a href=\"/events/calendar?"
		 "year=%d&amp;month=%d\" rel=\"prev\">Previous month</a> "
		 "<a href=\"/events/calendar?year=%d&amp;month=%d\" rel=\"next\">"
		 "Next month</a></nav>\n<table class=\"calendar\"><caption>%s %d"
		 "</caption>\n<tr>", py, pm, ny, nm, month_names[c->month - 1],
		 c->year);
	for (int d = 1; d <= 28; d++)
		buf_addf(b, "<td>%d</td>%s", d, d % 7 == 0 ? "</tr>\n<tr>" : "");
	buf_adds(b, "</tr></table>\n<p>No events are scheduled this month.</p>\n");
}

static int calendar(const struct site *s, const struct site_request *q,
		    struct site_reply *r)
{
	char y[16] = "", m[16] = "";
	struct calendar c;
	char title[64];
	struct site_page p = { q->path, title, -1, -1, q->host, calendar_body,
			       &c, 0 };

	site_query_get(q->query, "year", y, sizeof(y));
	site_query_get(q->query, "month", m, sizeof(m));
	c.year = atoi(y);
	c.month = atoi(m);
	if (c.year < 1 || c.year > 99999 || c.month < 1 || c.month > 12) {
		c.year = 2024;
		c.month = 10;
	}
	snprintf(title, sizeof(title), "Events: %s %d", month_names[c.month - 1],
		 c.year);
	r->status = 200;
	r->content_type = "text/html; charset=UTF-8";
	r->last_modified = site_release_date(q->version);
	site_render_page(&r->body, s, q->version, &p);
	return 1;
}

static void windows_1252(struct site_reply *r)
{
	r->status = 200;
	r->content_type = "text/html; charset=windows-1252";
	r->last_modified = site_day(2012, 7, 23);
	buf_adds(&r->body, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		 "<meta http-equiv=\"Content-Type\" content=\"text/html; "
		 "charset=windows-1252\">\n<title>Te Wiki o te Reo Maori \x96 "
		 "archived page</title>\n</head>\n<body>\n<main id=\"main-content\">\n"
		 "<h1>Te Wiki o te Reo Maori \x96 archived page</h1>\n"
		 "<p>The Prime Minister\x92s message for Te Wiki o te Reo Maori, "
		 "written for the caf\xe9 launch at Parliament.</p>\n"
		 "<p>\x93Kia kaha te reo\x94 \x97 let the language be strong. "
		 "Entr\xe9" "e libre; na\xefve \xe0 la carte \x85</p>\n"
		 "<p><a href=\"/\">Return to the home page</a></p>\n"
		 "<div class=\"field field--name-field-last-updated\">Last updated "
		 "Monday, 23 July 2012</div>\n</main>\n</body>\n</html>\n");
}

static void session_id(char out[33])
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static uint64_t counter;
	uint64_t a, b;
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	pthread_mutex_lock(&lock);
	a = site_mix(++counter ^ (uint64_t)t.tv_nsec);
	pthread_mutex_unlock(&lock);
	b = site_mix(a ^ (uint64_t)t.tv_sec);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a,
		 (unsigned long long)b);
}

static void session_body(struct buf *b, const struct site *s, int version,
			 const void *arg)
{
	char a[33], c[33], d[33];

	session_id(a);
	session_id(c);
	session_id(d);
	buf_addf(b, "<p>Sign in to use our online services.</p>\n<ul>\n"
		 "<li><a href=\"/session/services;jsessionid=%s\">Services</a></li>\n"
		 "<li><a href=\"/session/forms?PHPSESSID=%s\">Forms</a></li>\n"
		 "<li><a href=\"/session/help;jsessionid=%s?topic=sign-in\">Help</a>"
		 "</li>\n</ul>\n", a, c, d);
}

static void sessions(const struct site *s, const struct site_request *q,
		     struct site_reply *r)
{
	struct site_page p = { q->path, "Online services", -1, -1, q->host,
			       session_body, NULL, 0 };

	r->status = 200;
	r->content_type = "text/html; charset=UTF-8";
	r->last_modified = site_release_date(q->version);
	r->cache_control = "no-cache, private";
	site_render_page(&r->body, s, q->version, &p);
}

/* /counters/page-views (linked from nowhere; tests seed it): a "Viewed N
 * times" line whose number differs in every version, for ignore-text; its
 * first paragraph is reworded in v3 (a real edit). */
static void counter_body(struct buf *b, const struct site *s, int version,
			 const void *arg)
{
	(void)s;
	(void)arg;
	buf_addf(b, "<p>%s</p>\n<p>Viewed %d times</p>\n<p>Figures are "
		 "updated as pages are read.</p>\n", version >= 3 ?
		 "This page reports how often it has been read this year." :
		 "This page reports how often it has been read.",
		 1000 + 37 * version);
}

static void counters(const struct site *s, const struct site_request *q,
		     struct site_reply *r)
{
	struct site_page p = { q->path, "Page views", -1, -1, q->host,
			       counter_body, NULL, site_day(2024, 3, 4) };

	r->status = 200;
	r->content_type = "text/html; charset=UTF-8";
	r->last_modified = site_release_date(q->version);
	site_render_page(&r->body, s, q->version, &p);
}

static int is_search(const char *path)
{
	return strcmp(path, "/search") == 0 || strcmp(path, "/search-results") == 0;
}

int site_hostile_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r)
{
	const char *p = q->path;

	if (strcmp(p, "/events/calendar") == 0)
		return calendar(s, q, r);
	if (strcmp(p, "/loop/a") == 0 || strcmp(p, "/loop/b") == 0) {
		site_reply_redirect(r, 302, q, p[6] == 'a' ? "/loop/b" : "/loop/a");
		return 1;
	}
	if (strcmp(p, "/reports/temporarily-unavailable") == 0 ||
	    strcmp(p, "/reports/rate-limited") == 0) {
		int busy = p[9] == 't';

		if (first_request(p)) {
			site_reply_text(r, busy ? 503 : 429, "text/plain",
					busy ? "Service temporarily unavailable\n"
					: "Too many requests\n");
			r->retry_after = busy ? 2 : 1;
			r->last_modified = site_release_date(q->version);
			return 1;
		}
		ordinary_page(s, q, r, busy ? "Quarterly performance report" :
			      "Monthly statistics");
		return 1;
	}
	if (strcmp(p, "/counters/page-views") == 0) {
		counters(s, q, r);
		return 1;
	}
	if (strcmp(p, "/reports/slow") == 0) {
		ordinary_page(s, q, r, "Historical register");
		r->delay_ms = 3000;
		return 1;
	}
	if (strcmp(p, "/reports/chunked") == 0) {
		ordinary_page(s, q, r, "Ministerial diary");
		r->kind = SITE_REPLY_CHUNKED;
		return 1;
	}
	if (strcmp(p, "/stream/endless") == 0 || strcmp(p, "/stream/trickle") == 0) {
		r->status = 200;
		r->content_type = "text/html; charset=UTF-8";
		r->last_modified = site_release_date(q->version);
		r->kind = p[8] == 'e' ? SITE_REPLY_ENDLESS_FAST
				      : SITE_REPLY_ENDLESS_SLOW;
		buf_adds(&r->body, "<!DOCTYPE html>\n<html lang=\"en\"><head><title>"
			 "Live feed</title></head><body><main id=\"main-content\">"
			 "<h1>Live feed</h1>\n");
		return 1;
	}
	if (strcmp(p, "/archive/legacy-windows-1252") == 0) {
		windows_1252(r);
		return 1;
	}
	if (strncmp(p, "/session/", 9) == 0) {
		sessions(s, q, r);
		return 1;
	}
	if (strncmp(p, "/internal/", 10) == 0) {
		ordinary_page(s, q, r, "Staff directory");
		return 1;
	}
	if (is_search(p)) {
		site_search_reply(s, q, r);
		return 1;
	}
	return 0;
}
