/* site-pages: the content pages (home, tree pages, news, listings, footer
 * pages), their main text, and which of them answers a path. */
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void site_render_node_body(struct buf *b, const struct site *s, int version,
			   const void *node_index)
{
	const struct site_node *n = &s->nodes[*(const int *)node_index];

	site_prose_body(b, n->key, n->title, n->text_steps[version - 1]);
	site_synthetic_children(b, s, *(const int *)node_index);
}

static void issue_block(struct buf *b, time_t issued)
{
	char iso[32], human[48];

	site_date_iso(issued, iso);
	site_date_long(issued, human);
	buf_addf(b, "<div class=\"field field--name-field-issue-date\"><div class="
		 "\"field__label\">Issue date:</div><div class=\"field__item\">"
		 "<time datetime=\"%s\">%s</time></div></div>\n<div class=\"field "
		 "field--name-field-published-by\"><div class=\"field__label\">"
		 "Published by:</div><div class=\"field__item\">Department of the "
		 "Prime Minister and Cabinet (DPMC)</div></div>\n", iso, human);
}

static void article_text(struct buf *b, const struct site *s)
{
	for (int i = 0; i < s->n_article; i++) {
		const struct site_article_line *a = &s->article[i];

		if (a->kind == '#') {
			buf_adds(b, "<h2>");
			site_html_escape(b, a->text);
			buf_adds(b, "</h2>\n");
		} else if (a->kind == '>') {
			buf_adds(b, "<p><a href=\"");
			site_html_escape(b, a->href);
			buf_adds(b, "\">");
			site_html_escape(b, a->text);
			buf_adds(b, "</a></p>\n");
		} else {
			buf_adds(b, "<p>");
			site_html_escape(b, a->text);
			buf_adds(b, "</p>\n");
		}
	}
}

void site_render_news_body(struct buf *b, const struct site *s, int version,
			   const void *news_index)
{
	const struct site_news *n = &s->news[*(const int *)news_index];

	issue_block(b, n->issued);
	if (strcmp(n->path, s->article_path) == 0)
		article_text(b, s);
	else
		site_prose_body(b, n->path, n->title, 0);
}

static void pager_link(struct buf *b, int page, const char *label,
		       const char *rel)
{
	/* Drupal writes "?page=N"; the first page is the bare listing. */
	if (page == 0)
		buf_adds(b, "<li class=\"pager__item\"><a href=\"/news\"");
	else
		buf_addf(b, "<li class=\"pager__item\"><a href=\"?page=%d\"", page);
	buf_addf(b, "%s%s%s>%s</a></li>", rel ? " rel=\"" : "", rel ? rel : "",
		 rel ? "\"" : "", label);
}

void site_render_news_listing(struct buf *b, const struct site *s,
			      int version, const void *page_number)
{
	int page = *(const int *)page_number;
	int last = (s->n_news - 1) / SITE_NEWS_PER_PAGE;

	buf_adds(b, "<div class=\"facets\"><h2>Filter by type</h2><ul>"
		 "<li><a href=\"/search-results?f%5B0%5D=type%3Anews\">News</a></li>"
		 "<li><a href=\"/search-results?f%5B0%5D=type%3Apublication\">"
		 "Publications</a></li>"
		 "<li><a href=\"/search?f[0]=type:news\">Search all news</a></li>"
		 "</ul></div>\n<div class=\"view-content\">\n");
	for (int i = page * SITE_NEWS_PER_PAGE;
	     i < s->n_news && i < (page + 1) * SITE_NEWS_PER_PAGE; i++) {
		char iso[32], day[32];

		site_date_iso(s->news[i].issued, iso);
		site_date_listing(s->news[i].issued, day);
		buf_adds(b, "<div class=\"views-row\"><h3><a href=\"");
		site_html_escape(b, s->news[i].path);
		buf_adds(b, "\">");
		site_html_escape(b, s->news[i].title);
		buf_addf(b, "</a></h3><span class=\"news-type\">News</span> "
			 "<time datetime=\"%s\">%s</time></div>\n", iso, day);
	}
	buf_adds(b, "</div>\n<nav class=\"pager\" role=\"navigation\" "
		 "aria-label=\"Pagination\"><ul class=\"pager__items\">");
	if (page > 0) {
		pager_link(b, 0, "First", NULL);
		pager_link(b, page - 1, "Previous", "prev");
	}
	if (page < last) {
		pager_link(b, page + 1, "Next", "next");
		pager_link(b, last, "Last", NULL);
	}
	buf_adds(b, "</ul></nav>\n");
}

void site_render_home_body(struct buf *b, const struct site *s, int version,
			   const void *unused)
{
	buf_adds(b, "<p class=\"lead\">The Department of the Prime Minister and "
		 "Cabinet supports the Prime Minister, the Cabinet and the "
		 "Governor-General.</p>\n");
	site_prose_body(b, "/", "the Department of the Prime Minister and Cabinet",
			0);
	buf_adds(b, "<h2>Our work</h2>\n<ul class=\"quick-links\">\n");
	for (int i = 0; i < s->n_nodes; i++) {
		const struct site_node *n = &s->nodes[i];

		if (i >= s->n_orig || n->parent[0] >= 0)
			continue;
		buf_adds(b, "<li><a href=\"");
		site_html_escape(b, n->path[0]);
		buf_adds(b, "\">");
		site_html_escape(b, n->title);
		buf_adds(b, "</a></li>\n");
	}
	buf_adds(b, "</ul>\n<h2>Services and archives</h2>\n<ul class=\"services\">\n");
	site_hostile_links(b);
	buf_adds(b, "<li><a href=\"/internal/staff-directory\">Staff directory "
		 "(staff only)</a></li>\n</ul>\n");
}

void site_render_extra_body(struct buf *b, const struct site *s, int version,
			    const void *extra_page)
{
	const struct site_extra_page *e = extra_page;

	site_prose_body(b, e->path, e->title, 0);
}

static time_t extra_date(const char *path)
{
	uint64_t h = site_hash(path, 3);

	return site_day(2023, 1 + (int)(h % 12), 1 + (int)((h / 12) % 28));
}

static void send_page(struct site_reply *r, const struct site *s,
		      const struct site_request *q, const struct site_page *p,
		      int status)
{
	r->status = status;
	r->content_type = "text/html; charset=UTF-8";
	r->last_modified = site_release_date(q->version);
	site_render_page(&r->body, s, q->version, p);
}

void site_not_found_reply(const struct site *s, const struct site_request *q,
			  struct site_reply *r)
{
	struct site_page p = { q->path, "Page not found", -1, -1, q->host,
			       NULL, NULL, 0 };

	buf_reset(&r->body);
	send_page(r, s, q, &p, 404);
}

static int listing_page(const struct site *s, const struct site_request *q)
{
	char value[32];
	long page = 0;

	if (site_query_get(q->query, "page", value, sizeof(value)) == 0)
		page = strtol(value, NULL, 10);
	if (page < 0 || page > (s->n_news - 1) / SITE_NEWS_PER_PAGE)
		return -1;
	return (int)page;
}

int site_content_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r)
{
	struct site_page p = { q->path, NULL, -1, -1, q->host, NULL, NULL, 0 };
	struct site_syn_page syn = { -1, q->path, NULL };
	struct buf syn_title = BUF_INIT(0);
	int i, page;

	if (strcmp(q->path, "/") == 0) {
		p.title = "Department of the Prime Minister and Cabinet";
		p.body = site_render_home_body;
		p.updated = site_release_date(1);
		r->may_gzip = 1;
	} else if (strcmp(q->path, "/news") == 0) {
		if ((page = listing_page(s, q)) < 0)
			return 0;
		p.title = "News";
		p.body = site_render_news_listing;
		p.body_arg = &page;
	} else if ((i = site_news_find(s, q->path)) >= 0) {
		p.title = s->news[i].title;
		p.news = i;
		p.body = site_render_news_body;
		p.body_arg = &i;
		p.updated = s->news[i].issued;
	} else if ((i = site_node_find(s, q->version, q->path)) >= 0) {
		p.title = s->nodes[i].title;
		p.node = i;
		p.body = site_render_node_body;
		p.body_arg = &i;
		p.updated = s->nodes[i].updated[q->version - 1];
	} else if ((syn.index = site_synthetic_find(s, q->path)) >= 0) {
		site_synthetic_title(syn.index, &syn_title);
		p.title = syn.title = syn_title.data;
		p.body = site_synthetic_body;
		p.body_arg = &syn;
		p.updated = site_synthetic_updated(syn.index);
	} else if ((i = site_node_moved_from(s, q->version, q->path)) >= 0) {
		site_reply_redirect(r, 301, q, s->nodes[i].path[q->version - 1]);
		return 1;
	} else {
		for (i = 0; i < site_n_extra_pages; i++)
			if (strcmp(site_extra_pages[i].path, q->path) == 0)
				break;
		if (i == site_n_extra_pages)
			return 0;
		p.title = site_extra_pages[i].title;
		p.body = site_render_extra_body;
		p.body_arg = &site_extra_pages[i];
		p.updated = extra_date(q->path);
	}
	send_page(r, s, q, &p, 200);
	buf_release(&syn_title);
	return 1;
}
