/* site-versions: v1, v2, v3 of the replica and the ground truth tests use.
 *
 * v1 is the tree as the data file gives it.  Each step (v1->v2 is step 1,
 * v2->v3 step 2) picks pages by a hash of their key (the path where they
 * first appeared), so the choice follows the pages and not their position:
 * about 2.5% each are edited (text and date), edited silently (one paragraph,
 * same date), re-dated only, or removed (leaves only); 2% get a new child
 * page; one leaf moves under another section (its old path answers 301:
 * `moved`, or, its text changed since, `redirected` plus the new path
 * `added`).
 * Step 2 also rewords the footer on every page (outside <main>) and
 * renames a link of the utility menu, two site-wide changes.
 */
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum step_kind { KEEP, EDITED, SILENT, DATE_ONLY, REMOVED };

const struct site_extra_page site_extra_pages[] = {
	{ "/annual-reports", "Annual reports" },
	{ "/cabguide", "CabGuide" },
	{ "/copyright-and-licensing", "Copyright and licensing" },
	{ "/privacy", "Privacy" },
	{ "/about-this-site", "About this site" },
	{ "/disclaimer", "Disclaimer" },
	{ "/site-map", "Site map" },
};
const int site_n_extra_pages =
	sizeof(site_extra_pages) / sizeof(site_extra_pages[0]);

time_t site_release_date(int version)
{
	switch (version) {
	case 1: return site_day(2024, 10, 21);
	case 2: return site_day(2024, 11, 25);
	default: return site_day(2025, 2, 17);
	}
}

/* A page's v1 "Last updated": a day between 2019 and the v1 release. */
static time_t first_date(const char *key)
{
	time_t from = site_day(2019, 1, 7);
	long days = (long)((site_release_date(1) - from) / 86400);

	return from + (time_t)(site_hash(key, 1) % (uint64_t)(days + 1)) * 86400;
}

/* The new date of a page changed in STEP: within the month of the release. */
static time_t step_date(const char *key, int step)
{
	time_t from = step == 1 ? site_day(2024, 11, 1) : site_day(2025, 2, 1);
	long days = (long)((site_release_date(step + 1) - from) / 86400);

	return from + (time_t)(site_hash(key, 10 + (uint64_t)step) %
			       (uint64_t)(days + 1)) * 86400;
}

int site_is_leaf(const struct site *s, int version, int node)
{
	for (int i = 0; i < s->n_nodes; i++)
		if (s->nodes[i].present[version - 1] &&
		    s->nodes[i].parent[version - 1] == node)
			return 0;
	return 1;
}

static enum step_kind pick_kind(const struct site *s, int step, int i)
{
	const struct site_node *n = &s->nodes[i];
	unsigned h = (unsigned)(site_hash(n->key, 100 + (uint64_t)step) % 1000);

	if (h < 25)
		return EDITED;
	if (h < 50)
		return SILENT;
	if (h < 75)
		return DATE_ONLY;
	/* Only leaves go, and never a moved page: its redirect stays valid. */
	if (h < 100 && n->parent[step - 1] >= 0 && n->moved_in == 0 &&
	    site_is_leaf(s, step, i))
		return REMOVED;
	return KEEP;
}

static void copy_state(struct site_node *n, int from, int to)
{
	n->present[to] = n->present[from];
	n->parent[to] = n->parent[from];
	n->path[to] = n->path[from] ? strdup(n->path[from]) : NULL;
	n->text_steps[to] = n->text_steps[from];
	n->updated[to] = n->updated[from];
}

/* Move one unchanged leaf (the lowest hash) under another second-level
 * section where its slug is free. */
static void move_one(struct site *s, int step, const enum step_kind *kind)
{
	int v = step + 1, best = -1, target = -1;
	uint64_t best_h = UINT64_MAX, target_h = UINT64_MAX;

	for (int i = 0; i < s->n_orig; i++) {
		struct site_node *n = &s->nodes[i];
		uint64_t h = site_hash(n->key, 200 + (uint64_t)step);

		if (n->present[v - 1] && kind[i] == KEEP && n->moved_in == 0 &&
		    n->parent[v - 1] >= 0 &&
		    s->nodes[n->parent[v - 1]].parent[v - 1] >= 0 &&
		    site_is_leaf(s, v, i) && h < best_h) {
			best = i;
			best_h = h;
		}
	}
	if (best < 0)
		return;
	for (int i = 0; i < s->n_orig; i++) {
		struct site_node *n = &s->nodes[i];
		uint64_t h = site_hash(n->key, 300 + (uint64_t)step);
		int p = n->parent[v - 1];

		if (n->present[v - 1] && p >= 0 && s->nodes[p].parent[v - 1] < 0 &&
		    i != s->nodes[best].parent[v - 1] && !site_is_leaf(s, v, i)) {
			struct buf slug = BUF_INIT(0);
			int free_slug;

			site_unique_slug(s, v, i, s->nodes[best].slug, best, &slug);
			free_slug = strcmp(slug.data, s->nodes[best].slug) == 0;
			buf_release(&slug);
			if (free_slug && h < target_h) {
				target = i;
				target_h = h;
			}
		}
	}
	if (target < 0)
		return;
	s->nodes[best].parent[v - 1] = target;
	free(s->nodes[best].path[v - 1]);
	s->nodes[best].path[v - 1] =
		site_child_path(s, v, target, s->nodes[best].slug);
	s->nodes[best].moved_in = step;
}

static void add_children(struct site *s, int step, const enum step_kind *kind,
			 int n_before)
{
	int v = step + 1;
	struct buf title = BUF_INIT(0), base = BUF_INIT(0), slug = BUF_INIT(0);

	for (int i = 0; i < n_before; i++) {
		const char *key = s->nodes[i].key;
		int j;

		if (!s->nodes[i].present[v - 1] || kind[i] == REMOVED ||
		    s->nodes[i].moved_in == step ||
		    site_hash(key, 400 + (uint64_t)step) % 1000 >= 20)
			continue;
		buf_reset(&title);
		buf_reset(&base);
		site_prose_title(site_hash(key, 500 + (uint64_t)step), &title);
		site_slugify(title.data, &base);
		site_unique_slug(s, v, i, base.data, -1, &slug);
		j = site_node_add(s, title.data, slug.data);
		if (j < 0)
			break;
		s->nodes[j].born = v;
		s->nodes[j].present[v - 1] = 1;
		s->nodes[j].parent[v - 1] = i;
		s->nodes[j].path[v - 1] = site_child_path(s, v, i, slug.data);
		s->nodes[j].key = strdup(s->nodes[j].path[v - 1]);
		s->nodes[j].updated[v - 1] = step_date(s->nodes[j].key, step);
	}
	buf_release(&title);
	buf_release(&base);
	buf_release(&slug);
}

static void build_step(struct site *s, int step)
{
	int n = s->n_nodes, from = step - 1, to = step;
	enum step_kind *kind = calloc((size_t)n, sizeof(*kind));

	if (!kind)
		return;
	for (int i = 0; i < n; i++)
		kind[i] = s->nodes[i].present[from] ? pick_kind(s, step, i) : KEEP;
	for (int i = 0; i < n; i++) {
		struct site_node *nd = &s->nodes[i];

		copy_state(nd, from, to);
		switch (kind[i]) {
		case EDITED:
			nd->text_steps[to] |= 1u << step;
			nd->updated[to] = step_date(nd->key, step);
			break;
		case SILENT:
			nd->text_steps[to] |= 1u << step;
			break;
		case DATE_ONLY:
			nd->updated[to] = step_date(nd->key, step);
			break;
		case REMOVED:
			nd->present[to] = 0;
			free(nd->path[to]);
			nd->path[to] = NULL;
			break;
		case KEEP:
			break;
		}
	}
	move_one(s, step, kind);
	add_children(s, step, kind, n);
	free(kind);
}

void site_versions_build(struct site *s)
{
	for (int i = 0; i < s->n_nodes; i++)
		s->nodes[i].updated[0] = first_date(s->nodes[i].key);
	for (int step = 1; step < SITE_VERSIONS; step++)
		build_step(s, step);
}

int site_node_find(const struct site *s, int version, const char *path)
{
	for (int i = 0; i < s->n_nodes; i++)
		if (s->nodes[i].present[version - 1] &&
		    strcmp(s->nodes[i].path[version - 1], path) == 0)
			return i;
	return -1;
}

int site_node_moved_from(const struct site *s, int version, const char *path)
{
	for (int i = 0; i < s->n_nodes; i++) {
		const struct site_node *n = &s->nodes[i];

		if (!n->moved_in || !n->present[version - 1] ||
		    strcmp(n->path[version - 1], path) == 0)
			continue;
		for (int u = 0; u < version - 1; u++)
			if (n->path[u] && strcmp(n->path[u], path) == 0)
				return i;
	}
	return -1;
}

int site_news_find(const struct site *s, const char *path)
{
	for (int i = 0; i < s->n_news; i++)
		if (strcmp(s->news[i].path, path) == 0)
			return i;
	return -1;
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines of in, drop duplicates, append to out. */
static void sorted_unique(struct buf *in, struct buf *out)
{
	char **lines = NULL;
	size_t n = 0, cap = 0;

	for (char *p = in->data, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (n == cap) {
			char **l = realloc(lines, (cap = cap ? cap * 2 : 256) *
					   sizeof(*l));
			if (!l)
				break;
			lines = l;
		}
		lines[n++] = p;
	}
	if (n)          /* qsort(NULL, 0, ...) is undefined (UBSan) */
		qsort(lines, n, sizeof(*lines), cmp_lines);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(lines[i], lines[i - 1]) != 0)
			buf_addf(out, "%s\n", lines[i]);
	free(lines);
}

static void list_pages(const struct site *s, int version, struct buf *b)
{
	int listing_pages = (s->n_news + SITE_NEWS_PER_PAGE - 1) /
			    SITE_NEWS_PER_PAGE;

	buf_adds(b, "/\n/news\n");
	for (int p = 1; p < listing_pages; p++)
		buf_addf(b, "/news?page=%d\n", p);
	for (int i = 0; i < s->n_news; i++)
		buf_addf(b, "%s\n", s->news[i].path);
	for (int i = 0; i < site_n_extra_pages; i++)
		buf_addf(b, "%s\n", site_extra_pages[i].path);
	for (int i = 0; i < s->n_nodes; i++)
		if (s->nodes[i].present[version - 1])
			buf_addf(b, "%s\n", s->nodes[i].path[version - 1]);
	if (version == 1)
		site_synthetic_list(s, SITE_LIST_PAGES, b);
}

static void list_requisites(const struct site *s, int version, struct buf *b)
{
	for (int i = 0; site_theme_files[i]; i++)
		buf_addf(b, "%s\n", site_theme_files[i]);
	site_prose_requisites("/", b);
	for (int i = 0; i < s->n_news; i++)
		if (strcmp(s->news[i].path, s->article_path) != 0)
			site_prose_requisites(s->news[i].path, b);
	for (int i = 0; i < site_n_extra_pages; i++)
		site_prose_requisites(site_extra_pages[i].path, b);
	for (int i = 0; i < s->n_nodes; i++)
		if (s->nodes[i].present[version - 1])
			site_prose_requisites(s->nodes[i].key, b);
	if (version == 1)
		site_synthetic_list(s, SITE_LIST_REQUISITES, b);
}

void site_list(const struct site *s, enum site_list what, int version,
	       struct buf *out)
{
	struct buf b = BUF_INIT(0);

	switch (what) {
	case SITE_LIST_PAGES:
		list_pages(s, version, &b);
		break;
	case SITE_LIST_REQUISITES:
		list_requisites(s, version, &b);
		break;
	case SITE_LIST_DISALLOWED:
		buf_adds(&b, "/internal/staff-directory\n"
			 "/search?f[0]=type:news\n");
		break;
	case SITE_LIST_HOSTILE:
		for (int i = 0; site_hostile_paths[i]; i++)
			buf_addf(&b, "%s\n", site_hostile_paths[i]);
		break;
	}
	sorted_unique(&b, out);
	buf_release(&b);
}

void site_changes(const struct site *s, int from, int to, struct buf *out)
{
	struct buf b = BUF_INIT(0);
	int a = from - 1, z = to - 1;

	for (int i = 0; i < s->n_nodes; i++) {
		const struct site_node *n = &s->nodes[i];
		int text = n->text_steps[a] != n->text_steps[z];
		int date = n->updated[a] != n->updated[z];

		if (n->present[a] && !n->present[z])
			buf_addf(&b, "removed\t%s\n", n->path[a]);
		else if (!n->present[a] && n->present[z])
			buf_addf(&b, "added\t%s\n", n->path[z]);
		else if (!n->present[a])
			continue;
		else if (strcmp(n->path[a], n->path[z]) != 0 && !text)
			buf_addf(&b, "moved\t%s\t%s\n", n->path[a], n->path[z]);
		else if (strcmp(n->path[a], n->path[z]) != 0)
			buf_addf(&b, "redirected\t%s\t%s\nadded\t%s\n",
				 n->path[a], n->path[z], n->path[z]);
		else if (text || date)
			buf_addf(&b, "%s\t%s\n", text && date ? "edited" :
				 text ? "silent" : "date-only", n->path[a]);
	}
	if ((from < SITE_SITEWIDE_VERSION) != (to < SITE_SITEWIDE_VERSION))
		buf_adds(&b, "sitewide\t-\tfooter copyright and feedback wording "
			 "reworded\n"
			 "sitewide\t-\tmenu link renamed \"Media\" -> "
			 "\"Media centre\" (/news)\n");
	site_pdf_changes(s, from, to, &b);     /* the documents */
	sorted_unique(&b, out);
	buf_release(&b);
}
