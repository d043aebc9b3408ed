/* site-search: a Drupal-style faceted search (/search-results?f%5B0%5D=...,
 * and /search?f[0]=... which robots.txt forbids).  Every results page links
 * each facet value not yet chosen, so the combinations never run out. */
#include "site.h"

#include <stdio.h>
#include <string.h>

#define MAX_FACETS 16

static const char *const facet_values[] = {
	"type:news", "type:publication", "type:page",
	"topic:security", "topic:honours", "topic:policy", "topic:cabinet",
	"topic:recovery", "topic:covid-19",
	"year:2019", "year:2020", "year:2021", "year:2022", "year:2023",
	"year:2024",
};
#define N_VALUES (sizeof(facet_values) / sizeof(facet_values[0]))

struct facets {
	char value[MAX_FACETS][64];
	int n;
	int encoded;        /* /search-results writes f%5B0%5D=type%3Anews */
	const char *base;
};

static void parse_facets(const char *query, struct facets *f)
{
	for (const char *p = query; p && *p;) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		char name[64];

		if (eq) {
			site_percent_decode(p, (size_t)(eq - p), name, sizeof(name));
			if (strncmp(name, "f[", 2) == 0 && f->n < MAX_FACETS)
				site_percent_decode(eq + 1, len - (size_t)(eq + 1 - p),
						    f->value[f->n++], 64);
		}
		p = end ? end + 1 : NULL;
	}
}

static void facet_param(struct buf *b, const struct facets *f, int index,
			const char *value)
{
	if (index)
		buf_adds(b, "&amp;");
	if (!f->encoded) {
		buf_addf(b, "f[%d]=%s", index, value);
		return;
	}
	buf_addf(b, "f%%5B%d%%5D=", index);
	for (const char *v = value; *v; v++)
		if (*v == ':')
			buf_adds(b, "%3A");
		else
			buf_addc(b, *v);
}

/* A link to the current facets without SKIP (-1: none) plus ADD (or NULL). */
static void facet_link(struct buf *b, const struct facets *f, int skip,
		       const char *add, const char *label)
{
	int k = 0;

	buf_addf(b, "<li><a href=\"%s?", f->base);
	for (int i = 0; i < f->n; i++)
		if (i != skip)
			facet_param(b, f, k++, f->value[i]);
	if (add)
		facet_param(b, f, k, add);
	buf_addf(b, "\" rel=\"nofollow\">%s %s</a></li>\n", add ? "Add" : "Remove",
		 label);
}

static int chosen(const struct facets *f, const char *value)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->value[i], value) == 0)
			return 1;
	return 0;
}

static void search_body(struct buf *b, const struct site *s, int version,
			const void *arg)
{
	const struct facets *f = arg;
	uint64_t h = 5;
	int shown = 0;

	for (int i = 0; i < f->n; i++)
		h = site_hash(f->value[i], h);
	buf_adds(b, "<div class=\"facets\"><h2>Refine results</h2><ul>\n");
	for (size_t i = 0; i < N_VALUES; i++)
		if (!chosen(f, facet_values[i]))
			facet_link(b, f, -1, facet_values[i], facet_values[i]);
	for (int i = 0; i < f->n; i++)
		facet_link(b, f, i, NULL, f->value[i]);
	buf_adds(b, "</ul></div>\n<ol class=\"search-results\">\n");
	for (int k = 0, i = (int)(h % (uint64_t)s->n_nodes);
	     k < s->n_nodes && shown < 8; k++, i = (i + 7) % s->n_nodes) {
		if (!s->nodes[i].present[version - 1])
			continue;
		buf_adds(b, "<li><a href=\"");
		site_html_escape(b, s->nodes[i].path[version - 1]);
		buf_adds(b, "\">");
		site_html_escape(b, s->nodes[i].title);
		buf_adds(b, "</a></li>\n");
		shown++;
	}
	buf_adds(b, "</ol>\n");
}

void site_search_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r)
{
	struct facets f;
	struct site_page p = { q->path, "Search", -1, -1, q->host, search_body,
			       &f, 0 };

	memset(&f, 0, sizeof(f));
	f.encoded = strcmp(q->path, "/search-results") == 0;
	f.base = q->path;
	parse_facets(q->query, &f);
	r->status = 200;
	r->content_type = "text/html; charset=UTF-8";
	r->last_modified = site_release_date(q->version);
	r->cache_control = "no-cache";
	site_render_page(&r->body, s, q->version, &p);
}
