/* site: govarch-site, the local replica of www.dpmc.govt.nz used by tests,
 * benchmarks and the demo.
 *
 * The site is generated in memory from data files (tests/site/data): the
 * navigation tree, the news items and one real article.  Three versions of
 * the site (v1, v2, v3) are derived from the tree deterministically; the
 * generator knows every difference, so it can print the ground truth that
 * crawl and change-report tests compare against.
 *
 * Files: site-util.c (hashing, dates, escaping, query strings),
 * site-data.c (data files, slugs), site-versions.c (the three versions and
 * the ground truth), site-prose.c (pseudo-random text), site-render.c (the
 * page template), site-pages.c (which content page answers a path),
 * site-assets.c (CSS, JS, images, PDFs, robots.txt, sitemaps),
 * site-hostile.c and site-search.c (crawler traps), site-synthetic.c
 * (--synthetic: the site grown to N pages), site-http.c (HTTP,
 * conditional requests, gzip, log), site-server.c (options, main).
 * README.md beside them describes the site for test writers.
 */
#ifndef GOVARCH_SITE_H
#define GOVARCH_SITE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "util/err.h"

#define SITE_VERSIONS 3          /* v1..v3, stored at index 0..2 */
#define SITE_SITEWIDE_VERSION 3  /* footer/utility wording changes here */
#define SITE_NEWS_PER_PAGE 5

/* One page of the navigation tree (or one added in a later version). */
struct site_node {
	char *title;
	char *slug;
	char *key;          /* identity: path where it first appeared; seeds text */
	int born;           /* first version it exists in (1..3) */
	int present[SITE_VERSIONS];
	int parent[SITE_VERSIONS];      /* node index, -1 for top level */
	char *path[SITE_VERSIONS];      /* NULL while absent */
	unsigned text_steps[SITE_VERSIONS]; /* bit s: text edited in step s */
	time_t updated[SITE_VERSIONS];  /* "Last updated" day, 12:00 UTC */
	int moved_in;       /* step (1, 2) in which it moved, 0 if never */
};

struct site_news {
	char *title;
	char *path;
	time_t issued;
};

/* A line of the real article: kind '#' subheading, '>' link, 'p' paragraph. */
struct site_article_line {
	char kind;
	char *href;
	char *text;
};

struct site {
	struct site_node *nodes;
	int n_nodes, n_orig;
	struct site_news *news;
	int n_news;
	struct site_article_line *article;
	int n_article;
	char *article_path;     /* the news page that shows the real article */
	int menu_version;       /* 0: each version its own header, menu and
				 * footer; N: always those of vN (--menu-from) */
	long syn_pages;         /* generated pages below the tree (v1 only,
				 * --synthetic), 0 without */
};

/* ---- site-util.c ---- */
uint64_t site_hash(const char *s, uint64_t salt);
uint64_t site_mix(uint64_t x);
struct site_rng { uint64_t state; };
void site_rng_seed(struct site_rng *r, uint64_t seed);
uint64_t site_rng_next(struct site_rng *r);
unsigned site_rng_below(struct site_rng *r, unsigned n);
time_t site_day(int year, int month, int day);       /* 12:00:00 UTC */
/* "Monday, 21 October 2024", "Mon 21 Oct 2024", "21 Oct 2024". */
void site_date_long(time_t t, char out[48]);
void site_date_listing(time_t t, char out[32]);
void site_date_short(time_t t, char out[32]);
void site_date_iso(time_t t, char out[32]);          /* 2024-10-21T12:00:00Z */
void site_date_w3c(time_t t, char out[32]);          /* ...T12:00:00+00:00 */
int site_html_escape(struct buf *b, const char *s);
/* Value of KEY in a raw query string, percent-decoded into out; 0 or -1. */
int site_query_get(const char *query, const char *key, char *out, size_t n);
void site_percent_decode(const char *in, size_t n, char *out, size_t outsz);
int site_version_parse(const char *s);               /* "v2" -> 2, else -1 */

/* ---- site-data.c ---- */
/* Find the data directory: explicit, $GOVARCH_SITE_DATA, beside the binary
 * (up to four levels up, tests/site/data), then ./tests/site/data. */
int site_data_find(const char *explicit_dir, const char *argv0, char *out,
		   size_t n, struct err *e);
int site_load(struct site *s, const char *data_dir, struct err *e);
void site_release(struct site *s);
/* Lower case, words joined by '-', punctuation dropped, macrons folded. */
void site_slugify(const char *title, struct buf *out);
/* Append a node; returns its index or -1. Strings are copied. */
int site_node_add(struct site *s, const char *title, const char *slug);
/* BASE, or BASE-2, BASE-3... so no other child of PARENT in VERSION (index
 * 1..3) has it; EXCEPT is a node to ignore (-1 for none). */
void site_unique_slug(const struct site *s, int version, int parent,
		      const char *base, int except, struct buf *out);
/* PARENT's path in VERSION + "/" + slug (a malloc'd string). */
char *site_child_path(const struct site *s, int version, int parent,
		      const char *slug);

/* ---- site-versions.c ---- */
void site_versions_build(struct site *s);
time_t site_release_date(int version);
int site_node_find(const struct site *s, int version, const char *path);
/* A path that moved before or in VERSION: the node now answering, or -1. */
int site_node_moved_from(const struct site *s, int version, const char *path);
int site_is_leaf(const struct site *s, int version, int node);
int site_news_find(const struct site *s, const char *path);
enum site_list { SITE_LIST_PAGES, SITE_LIST_REQUISITES, SITE_LIST_DISALLOWED,
		 SITE_LIST_HOSTILE };
/* Append the list's lines (sorted, C order) to out. */
void site_list(const struct site *s, enum site_list what, int version,
	       struct buf *out);
void site_changes(const struct site *s, int from, int to, struct buf *out);

/* Pages outside the tree that every version has (footer links). */
struct site_extra_page { const char *path, *title; };
extern const struct site_extra_page site_extra_pages[];
extern const int site_n_extra_pages;

/* ---- site-prose.c ---- */
/* Main text of a content page: paragraphs, subheads, sometimes a list, a
 * table, a figure or a PDF link.  text_steps selects paragraph revisions. */
void site_prose_body(struct buf *b, const char *key, const char *title,
		     unsigned text_steps);
/* The images and PDFs a page with this key links (appended one per line). */
void site_prose_requisites(const char *key, struct buf *out);
void site_prose_title(uint64_t seed, struct buf *out);
void site_prose_paragraph(struct buf *b, uint64_t seed, const char *topic);

/* ---- site-render.c ---- */
struct site_page {
	const char *path;        /* "/about-dpmc" */
	const char *title;
	int node;                /* tree node or -1 */
	int news;                /* news index or -1 */
	const char *host;        /* Host header, for canonical links */
	void (*body)(struct buf *b, const struct site *s, int version,
		     const void *arg);  /* main text below the h1 */
	const void *body_arg;
	time_t updated;          /* 0: no "Last updated" line */
};
void site_render_page(struct buf *b, const struct site *s, int version,
		      const struct site_page *p);
void site_render_node_body(struct buf *b, const struct site *s, int version,
			   const void *node_index);
void site_render_news_body(struct buf *b, const struct site *s, int version,
			   const void *news_index);
void site_render_news_listing(struct buf *b, const struct site *s,
			      int version, const void *page_number);
void site_render_home_body(struct buf *b, const struct site *s, int version,
			   const void *unused);
void site_render_extra_body(struct buf *b, const struct site *s, int version,
			    const void *extra_page);

/* ---- replies: what a handler answers (site-http.c sends it) ---- */
enum site_reply_kind {
	SITE_REPLY_BODY,          /* body known in full */
	SITE_REPLY_CHUNKED,       /* body known, sent with unknown size */
	SITE_REPLY_ENDLESS_FAST,  /* never ends, as fast as the client reads */
	SITE_REPLY_ENDLESS_SLOW,  /* never ends, one chunk a second */
};
struct site_reply {
	int status;
	enum site_reply_kind kind;
	const char *content_type;
	struct buf body;
	char location[1024];      /* Location header, "" for none */
	time_t last_modified;
	int retry_after;          /* seconds, -1 for none */
	int may_gzip;             /* Content-Encoding gzip if accepted */
	int delay_ms;             /* wait before the first byte */
	const char *cache_control;
};
struct site_request {
	const char *method;
	const char *path;         /* decoded path, no query */
	const char *query;        /* raw query after '?', "" if none */
	const char *uri;          /* raw request target as received */
	const char *host;         /* Host header or "127.0.0.1" */
	int version;              /* site version being served */
};
void site_reply_init(struct site_reply *r);
void site_reply_release(struct site_reply *r);
void site_reply_text(struct site_reply *r, int status, const char *type,
		     const char *text);
void site_reply_redirect(struct site_reply *r, int status,
			 const struct site_request *q, const char *target);

/* ---- site-pages.c ---- */
/* Home, tree pages (301 for a moved one), news, listings, footer pages;
 * 1 if the path is one of them (reply filled), 0 if not. */
int site_content_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r);
void site_not_found_reply(const struct site *s, const struct site_request *q,
			  struct site_reply *r);

/* ---- site-assets.c ---- */
struct site_robots { int status; int crawl_delay; };
/* Theme files, images, PDFs: 1 if the path is an asset, 0 if not. */
int site_asset_reply(const struct site_request *q, struct site_reply *r);
void site_robots_reply(const struct site_request *q,
		       const struct site_robots *o, struct site_reply *r);
/* /sitemap.xml, /sitemap-pages.xml, /sitemap-news.xml.gz; 1 if handled. */
int site_sitemap_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r);
int site_gzip(const void *in, size_t n, struct buf *out);
extern const char *const site_theme_files[];   /* NULL-terminated */

/* ---- site-pdf.c ---- */
/* The PDF at path (a page's document) as version serves it. */
void site_pdf_make(struct buf *b, const char *path, int version);
/* A hostile document under /sites/default/files/hostile/ by file name:
 * 1 (b filled), 0 no such file. */
int site_pdf_hostile(const char *name, struct buf *b);
/* 1 when the text of the document at path differs between versions. */
int site_pdf_text_differs(const char *path, int from, int to);
/* `--changes` lines of the documents (added, removed, edited). */
void site_pdf_changes(const struct site *s, int from, int to, struct buf *out);

/* ---- site-synthetic.c ---- */
/* Grow v1 to PAGES HTML pages (as --list pages v1 counts them) with
 * generated pages below the tree; fails if PAGES is below the replica's. */
int site_synthetic_setup(struct site *s, long pages, struct err *e);
/* The generated page answering PATH (an index >= n_orig), or -1. */
long site_synthetic_find(const struct site *s, const char *path);
void site_synthetic_title(long page, struct buf *out);
time_t site_synthetic_updated(long page);
/* "In this section": links to the generated children of PAGE (a tree node
 * or a generated page); nothing when it has none. */
void site_synthetic_children(struct buf *b, const struct site *s, long page);
struct site_syn_page { long index; const char *path, *title; };
/* site_page body of a generated page (arg: struct site_syn_page). */
void site_synthetic_body(struct buf *b, const struct site *s, int version,
			 const void *page);
/* Append the generated pages' paths (SITE_LIST_PAGES) or their images and
 * PDFs (SITE_LIST_REQUISITES), one a line, unsorted. */
void site_synthetic_list(const struct site *s, enum site_list what,
			 struct buf *out);

/* ---- site-search.c ---- */
void site_search_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r);

/* ---- site-hostile.c ---- */
/* Crawler traps; 1 if the path is one of them (reply filled), 0 if not. */
int site_hostile_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r);
void site_hostile_reset(void);   /* forget first requests (503/429) */
/* The links to the traps that the home page carries, as <li> items. */
void site_hostile_links(struct buf *b);
extern const char *const site_hostile_paths[];  /* NULL-terminated */

#endif
