/* site-render: HTML pages in the shape of DPMC's Drupal theme.
 *
 * Every page: <header> (logo, utility menu, search form), the FULL nested
 * main menu in <nav id="main-navigation"> (most of the bytes, as on the real
 * site), <main id="main-content"> holding the breadcrumb, the <h1>, the body
 * and the "Last updated" line, an <aside> "Latest news", and a <footer>.
 * Only <main> changes between versions for a page's own edits; the site-wide
 * wording edit of v3 is in the header and footer only.
 */
#include "site.h"

#include <stdlib.h>
#include <string.h>

#define SITE_NAME "Department of the Prime Minister and Cabinet (DPMC)"
#define LATEST_NEWS 6

static void render_head(struct buf *b, const struct site_page *p)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\""
		 "width=device-width, initial-scale=1.0\">\n"
		 "<meta name=\"Generator\" content=\"Drupal 10 (https://www.drupal.org)\">\n"
		 "<title>");
	if (p->node >= 0 || p->news >= 0 || strcmp(p->path, "/") != 0) {
		site_html_escape(b, p->title);
		buf_adds(b, " | ");
	}
	buf_adds(b, SITE_NAME "</title>\n<link rel=\"canonical\" href=\"http://");
	site_html_escape(b, p->host);
	site_html_escape(b, p->path);
	buf_adds(b, "\">\n<link rel=\"icon\" href=\"/themes/custom/dpmc/favicon.ico\""
		 " type=\"image/vnd.microsoft.icon\">\n"
		 "<link rel=\"stylesheet\" media=\"all\" href=\"/themes/custom/dpmc/css/style.css\">\n"
		 "<script src=\"/themes/custom/dpmc/js/main.js\" defer></script>\n"
		 "</head>\n");
}

static void render_header(struct buf *b, int version)
{
	buf_addf(b, "<a href=\"#main-content\" class=\"visually-hidden focusable "
		 "skip-link\">Skip to main content</a>\n<a href=\"#main-navigation\" "
		 "class=\"visually-hidden focusable skip-link\">Skip to navigation</a>\n"
		 "<header class=\"site-header\" role=\"banner\">\n"
		 "<div class=\"site-branding\"><a href=\"/\" rel=\"home\" "
		 "class=\"site-logo\"><img src=\"/themes/custom/dpmc/logo.png\" "
		 "alt=\"Home " SITE_NAME "\" width=\"240\" height=\"80\"></a></div>\n"
		 "<nav class=\"utility-menu\" aria-label=\"Utility\"><ul class=\"menu\">"
		 "<li><a href=\"/events/calendar?year=2024&amp;month=10\">Events</a></li>"
		 "<li><a href=\"/news\">%s</a></li>"
		 "<li><a href=\"/contact-us\">Contact us</a></li>"
		 "<li><a href=\"/\">Home</a></li></ul></nav>\n"
		 "<form class=\"search-block-form\" action=\"/search\" method=\"get\" "
		 "role=\"search\"><label for=\"edit-keys\">Search</label>"
		 "<input type=\"search\" id=\"edit-keys\" name=\"keys\" size=\"15\">"
		 "<button type=\"submit\">Search</button></form>\n</header>\n",
		 version >= SITE_SITEWIDE_VERSION ? "Media centre" : "Media");
}

/* Children lists of one version, in tree order: first[p+1], next[i]. */
struct menu_index {
	int *first, *next;
};

static int menu_index_build(struct menu_index *m, const struct site *s,
			    int version)
{
	int *last;

	m->first = malloc((size_t)(s->n_nodes + 1) * sizeof(int));
	m->next = malloc((size_t)s->n_nodes * sizeof(int));
	last = malloc((size_t)(s->n_nodes + 1) * sizeof(int));
	if (!m->first || !m->next || !last) {
		free(last);
		return -1;
	}
	for (int i = 0; i <= s->n_nodes; i++)
		m->first[i] = last[i] = -1;
	for (int i = 0; i < s->n_nodes; i++) {
		int p = s->nodes[i].parent[version - 1] + 1;

		m->next[i] = -1;
		if (!s->nodes[i].present[version - 1])
			continue;
		if (last[p] < 0)
			m->first[p] = i;
		else
			m->next[last[p]] = i;
		last[p] = i;
	}
	free(last);
	return 0;
}

static void menu_index_release(struct menu_index *m)
{
	free(m->first);
	free(m->next);
}

static int on_trail(const struct site *s, int version, int node, int current)
{
	for (int i = current; i >= 0; i = s->nodes[i].parent[version - 1])
		if (i == node)
			return 1;
	return 0;
}

static void render_menu_level(struct buf *b, const struct site *s, int version,
			      const struct menu_index *m, int parent, int depth,
			      int current)
{
	buf_addf(b, "<ul class=\"menu menu-level-%d\">\n", depth);
	for (int i = m->first[parent + 1]; i >= 0; i = m->next[i]) {
		const struct site_node *n = &s->nodes[i];
		int has_children = m->first[i + 1] >= 0;

		buf_addf(b, "<li class=\"menu-item%s%s\"><a href=\"",
			 has_children ? " menu-item--expanded" : "",
			 on_trail(s, version, i, current) ?
			 " menu-item--active-trail" : "");
		site_html_escape(b, n->path[version - 1]);
		buf_addf(b, "\"%s>", i == current ? " class=\"is-active\"" : "");
		site_html_escape(b, n->title);
		buf_adds(b, "</a>");
		if (has_children) {
			buf_addc(b, '\n');
			render_menu_level(b, s, version, m, i, depth + 1, current);
		}
		buf_adds(b, "</li>\n");
	}
	buf_adds(b, "</ul>\n");
}

static void render_menu(struct buf *b, const struct site *s, int version,
			int current)
{
	struct menu_index m;

	if (menu_index_build(&m, s, version) < 0)
		return;
	buf_adds(b, "<nav id=\"main-navigation\" class=\"main-navigation\" "
		 "role=\"navigation\" aria-label=\"Main navigation\">\n");
	render_menu_level(b, s, version, &m, -1, 0, current);
	buf_adds(b, "</nav>\n");
	menu_index_release(&m);
}

static void link_item(struct buf *b, const char *cls, const char *href,
		      const char *title)
{
	buf_addf(b, "<li class=\"%s\"><a href=\"", cls);
	site_html_escape(b, href);
	buf_adds(b, "\">");
	site_html_escape(b, title);
	buf_adds(b, "</a></li>");
}

static void render_trail(struct buf *b, const struct site *s, int version,
			 int node)
{
	if (node < 0)
		return;
	render_trail(b, s, version, s->nodes[node].parent[version - 1]);
	link_item(b, "breadcrumb__item", s->nodes[node].path[version - 1],
		  s->nodes[node].title);
}

static void render_breadcrumb(struct buf *b, const struct site *s,
			      int version, const struct site_page *p)
{
	if (strcmp(p->path, "/") == 0)
		return;
	buf_adds(b, "<nav aria-label=\"Breadcrumb\" class=\"breadcrumb\">\n<ol>");
	link_item(b, "breadcrumb__item", "/", "Home");
	if (p->node >= 0)
		render_trail(b, s, version, s->nodes[p->node].parent[version - 1]);
	else if (p->news >= 0)
		link_item(b, "breadcrumb__item", "/news", "News");
	buf_adds(b, "<li class=\"breadcrumb__item\" aria-current=\"page\">");
	site_html_escape(b, p->title);
	buf_adds(b, "</li></ol>\n</nav>\n");
}

/* A quarter of the tree pages end their body with a settings listing in
 * a <pre>; its "revision" line (different on each page) changes with every
 * edit of the page's text, the other lines never: a diff of an edited page
 * shows that one line changed. */
static void render_code(struct buf *b, const struct site_node *n, int version)
{
	uint64_t h = site_hash(n->key, 900);

	if (h % 4)
		return;
	buf_addf(b, "<pre><code># publishing settings\n"
		 "section = %.40s\n"
		 "revision = %u.%u\n"
		 "reviewed-by = Cabinet Office\n"
		 "  retention = 7 years</code></pre>\n", n->slug,
		 (unsigned)(h / 4 % 1000), n->text_steps[version - 1]);
}

static void render_main(struct buf *b, const struct site *s, int version,
			const struct site_page *p)
{
	buf_adds(b, "<main id=\"main-content\" role=\"main\" class=\"main-content\""
		 " tabindex=\"-1\">\n");
	render_breadcrumb(b, s, version, p);
	buf_addf(b, "<article class=\"node node--type-%s node--view-mode-full\">\n"
		 "<h1 class=\"page-title\"><span class=\"field field--name-title\">",
		 p->news >= 0 ? "news" : "page");
	site_html_escape(b, p->title);
	buf_adds(b, "</span></h1>\n<div class=\"clearfix text-formatted field "
		 "field--name-body field--type-text-with-summary\">\n");
	if (p->body)
		p->body(b, s, version, p->body_arg);
	if (p->node >= 0)
		render_code(b, &s->nodes[p->node], version);
	buf_adds(b, "</div>\n");
	if (p->updated) {
		char iso[32], human[48];

		site_date_iso(p->updated, iso);
		site_date_long(p->updated, human);
		buf_addf(b, "<div class=\"field field--name-field-last-updated\">"
			 "Last updated <time datetime=\"%s\">%s</time></div>\n",
			 iso, human);
	}
	buf_adds(b, "</article>\n</main>\n");
}

static void render_sidebar(struct buf *b, const struct site *s)
{
	buf_adds(b, "<aside class=\"sidebar\" role=\"complementary\" "
		 "aria-label=\"Latest news\">\n<h2>Latest news</h2>\n<ul class=\""
		 "latest-news\">\n");
	for (int i = 0; i < s->n_news && i < LATEST_NEWS; i++) {
		char iso[32], day[32];

		site_date_iso(s->news[i].issued, iso);
		site_date_short(s->news[i].issued, day);
		buf_adds(b, "<li><a href=\"");
		site_html_escape(b, s->news[i].path);
		buf_adds(b, "\">");
		site_html_escape(b, s->news[i].title);
		buf_addf(b, "</a> <span class=\"news-type\">News</span> <time "
			 "datetime=\"%s\">%s</time></li>\n", iso, day);
	}
	buf_adds(b, "</ul>\n<a href=\"/news\" class=\"view-all\">View all news</a>\n"
		 "</aside>\n");
}

static void footer_link(struct buf *b, const char *href, const char *title)
{
	link_item(b, "footer-menu__item", href, title);
}

static void footer_section(struct buf *b, const struct site *s, int version,
			   const char *path)
{
	int top = site_node_find(s, version, path);

	if (top < 0)
		return;
	buf_adds(b, "<div class=\"footer-menu__section\"><h2>");
	site_html_escape(b, s->nodes[top].title);
	buf_adds(b, "</h2><ul>");
	for (int i = 0; i < s->n_nodes; i++)
		if (s->nodes[i].present[version - 1] &&
		    s->nodes[i].parent[version - 1] == top)
			footer_link(b, s->nodes[i].path[version - 1],
				    s->nodes[i].title);
	buf_adds(b, "</ul></div>\n");
}

static void render_footer(struct buf *b, const struct site *s, int version)
{
	static const char *const sections[] = { "/about-dpmc",
		"/our-business-units", "/departmental-agency", "/our-programmes" };
	int sitewide = version >= SITE_SITEWIDE_VERSION;

	buf_addf(b, "<footer class=\"site-footer\" role=\"contentinfo\">\n"
		 "<div class=\"feedback\"><h2>Help us improve DPMC</h2><p>%s</p>"
		 "</div>\n<nav class=\"footer-menu\" aria-label=\"Footer\">\n",
		 sitewide ? "Tell us what you think of the DPMC website: your "
		 "feedback helps us improve it." : "Your feedback is very "
		 "important in helping us improve the DPMC website.");
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		footer_section(b, s, version, sections[i]);
	buf_adds(b, "<div class=\"footer-menu__section\"><h2>Publications</h2><ul>");
	footer_link(b, "/publications", "Publications");
	footer_link(b, "/news", "News and notices");
	for (int i = 0; i < site_n_extra_pages; i++) {
		if (strcmp(site_extra_pages[i].path, "/cabguide") == 0) {
			footer_link(b, site_extra_pages[i].path, site_extra_pages[i].title);
			footer_link(b, "/our-business-units/cabinet-office/supporting-the-work"
			      "-of-the-cabinet/cabinet-manual", "Cabinet Manual");
			footer_link(b, "/contact-us", "Contact us");
		} else {
			footer_link(b, site_extra_pages[i].path, site_extra_pages[i].title);
		}
	}
	buf_addf(b, "</ul></div>\n</nav>\n<p class=\"toitu\">Toitū carbon reduce "
		 "ISO 14064-1 organisation</p>\n<p class=\"copyright\">%s</p>\n"
		 "</footer>\n", sitewide ? "© Crown copyright, Department of the "
		 "Prime Minister and Cabinet (DPMC)." : "© Copyright Department "
		 "of the Prime Minister and Cabinet.");
}

void site_render_page(struct buf *b, const struct site *s, int version,
		      const struct site_page *p)
{
	int chrome = s->menu_version ? s->menu_version : version;
	int current = p->node >= 0 && s->nodes[p->node].present[chrome - 1] ?
		      p->node : -1;

	render_head(b, p);
	buf_addf(b, "<body class=\"%s\">\n", p->news >= 0 ?
		 "path-node page-node-type-news" : strcmp(p->path, "/") == 0 ?
		 "path-frontpage" : "path-node page-node-type-page");
	render_header(b, chrome);
	render_menu(b, s, chrome, current);
	buf_adds(b, "<div class=\"layout-container\">\n");
	render_main(b, s, version, p);
	render_sidebar(b, s);
	buf_adds(b, "</div>\n");
	render_footer(b, s, chrome);
	buf_adds(b, "</body>\n</html>\n");
}
