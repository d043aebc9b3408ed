/* site-synthetic: `--synthetic N`, the replica grown to N HTML pages for the
 * scale benchmark (scripts/bench-scale).
 *
 * Below the v1 tree hang generated pages, SYN_FANOUT children a page, in
 * breadth-first order: with the tree's nodes numbered 0..T-1 as loaded and
 * the generated pages T..T+M-1, page c >= T has parent (c - T) / SYN_FANOUT.
 * A generated page's path is its parent's path plus the slug of a generated
 * title (made unique among its siblings as Drupal's pathauto does), its
 * text is prose seeded by that path, and every page carries the real
 * site's menu; a page links its children under "In this section".  So the
 * paths and the bytes follow from N alone and nothing is stored per page:
 * a path is resolved by walking its segments down from the tree.
 */
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYN_FANOUT 10
#define SYN_TITLE_SALT 0x73796e7468ULL   /* "synth" */

/* The HTML pages of v1 without generated ones (as --list pages v1 has). */
static long base_pages(const struct site *s)
{
	long n = 2 + (s->n_news + SITE_NEWS_PER_PAGE - 1) / SITE_NEWS_PER_PAGE - 1 +
		 s->n_news + site_n_extra_pages;

	for (int i = 0; i < s->n_nodes; i++)
		n += s->nodes[i].present[0];
	return n;
}

int site_synthetic_setup(struct site *s, long pages, struct err *e)
{
	long base = base_pages(s);

	if (pages < base)
		return err_set(e, "--synthetic %ld: at least %ld pages (the "
			       "replica itself)", pages, base);
	s->syn_pages = pages - base;
	return 0;
}

static long syn_end(const struct site *s)
{
	return s->n_orig + s->syn_pages;
}

static long first_child(const struct site *s, long c)
{
	return s->n_orig + c * SYN_FANOUT;
}

static long syn_parent(const struct site *s, long c)
{
	return (c - s->n_orig) / SYN_FANOUT;
}

static void syn_title(long c, struct buf *out)
{
	site_prose_title(site_mix((uint64_t)c ^ SYN_TITLE_SALT), out);
}

/* Does a tree page under PARENT already have SLUG (generated pages never
 * shadow one)? */
static int tree_slug_taken(const struct site *s, long parent, const char *slug)
{
	if (parent >= s->n_orig)
		return 0;
	for (int i = 0; i < s->n_orig; i++)
		if (s->nodes[i].parent[0] == parent &&
		    strcmp(s->nodes[i].slug, slug) == 0)
			return 1;
	return 0;
}

/* The slugs of PARENT's generated children, in order; returns how many
 * (0..SYN_FANOUT).  slugs[] must be released by the caller. */
static int child_slugs(const struct site *s, long parent,
		       struct buf slugs[SYN_FANOUT])
{
	long first = first_child(s, parent), end = syn_end(s);
	int n = 0;

	for (long c = first; c < first + SYN_FANOUT && c < end; c++, n++) {
		struct buf title = BUF_INIT(0), base = BUF_INIT(0);
		int taken, suffix = 1;

		syn_title(c, &title);
		site_slugify(title.data, &base);
		buf_init(&slugs[n], 0);
		do {
			buf_reset(&slugs[n]);
			buf_add(&slugs[n], base.data, base.len);
			if (++suffix > 2)
				buf_addf(&slugs[n], "-%d", suffix - 1);
			taken = tree_slug_taken(s, parent, slugs[n].data);
			for (int k = 0; k < n && !taken; k++)
				taken = strcmp(slugs[k].data, slugs[n].data) == 0;
		} while (taken);
		buf_release(&title);
		buf_release(&base);
	}
	return n;
}

static void release_slugs(struct buf slugs[SYN_FANOUT], int n)
{
	for (int i = 0; i < n; i++)
		buf_release(&slugs[i]);
}

static int has_children(const struct site *s, long c)
{
	return s->syn_pages && first_child(s, c) < syn_end(s);
}

/* Page c's path (a tree node's v1 path, or its parent's plus its slug). */
static void syn_path(const struct site *s, long c, struct buf *out)
{
	struct buf slugs[SYN_FANOUT];
	long parent;
	int n;

	if (c < s->n_orig) {
		buf_adds(out, s->nodes[c].path[0]);
		return;
	}
	parent = syn_parent(s, c);
	syn_path(s, parent, out);
	n = child_slugs(s, parent, slugs);
	buf_addc(out, '/');
	buf_adds(out, slugs[c - first_child(s, parent)].data);
	release_slugs(slugs, n);
}

long site_synthetic_find(const struct site *s, const char *path)
{
	char *prefix = strdup(path), *slash;
	const char *rest;
	long cur = -1;

	if (!prefix || !s->syn_pages)
		goto out;
	/* The longest prefix that is a tree page; the rest are generated
	 * pages' slugs, one a level. */
	while ((slash = strrchr(prefix, '/')) && slash > prefix) {
		*slash = '\0';
		if ((cur = site_node_find(s, 1, prefix)) >= 0)
			break;
	}
	if (cur < 0)
		goto out;
	for (rest = path + strlen(prefix); cur >= 0 && *rest == '/';) {
		const char *seg = rest + 1, *seg_end = strchrnul(seg, '/');
		struct buf slugs[SYN_FANOUT];
		int n = child_slugs(s, cur, slugs), k;

		for (k = 0; k < n; k++)
			if (slugs[k].len == (size_t)(seg_end - seg) &&
			    memcmp(slugs[k].data, seg, slugs[k].len) == 0)
				break;
		cur = k < n ? first_child(s, cur) + k : -1;
		release_slugs(slugs, n);
		rest = seg_end;
	}
	if (*rest)
		cur = -1;
out:
	free(prefix);
	return cur >= s->n_orig ? cur : -1;
}

void site_synthetic_title(long c, struct buf *out)
{
	syn_title(c, out);
}

time_t site_synthetic_updated(long c)
{
	return site_day(2019, 1, 7) +
	       (time_t)(site_mix((uint64_t)c) % 2000) * 86400;
}

void site_synthetic_children(struct buf *b, const struct site *s, long c)
{
	struct buf path = BUF_INIT(0), slugs[SYN_FANOUT];
	long first = first_child(s, c);
	int n;

	if (!has_children(s, c))
		return;
	syn_path(s, c, &path);
	n = child_slugs(s, c, slugs);
	buf_adds(b, "<nav class=\"section-nav\" aria-label=\"In this section\">"
		 "<h2>In this section</h2>\n<ul>\n");
	for (int k = 0; k < n; k++) {
		struct buf title = BUF_INIT(0);

		syn_title(first + k, &title);
		buf_adds(b, "<li><a href=\"");
		site_html_escape(b, path.data);
		buf_addc(b, '/');
		site_html_escape(b, slugs[k].data);
		buf_adds(b, "\">");
		site_html_escape(b, title.data);
		buf_adds(b, "</a></li>\n");
		buf_release(&title);
	}
	buf_adds(b, "</ul></nav>\n");
	release_slugs(slugs, n);
	buf_release(&path);
}

void site_synthetic_body(struct buf *b, const struct site *s, int version,
			 const void *page)
{
	const struct site_syn_page *p = page;

	site_prose_body(b, p->path, p->title, 0);
	site_synthetic_children(b, s, p->index);
}

/* Every generated page's path, breadth first: a parent's path is known
 * before its children's, so each group of siblings is named once. */
void site_synthetic_list(const struct site *s, enum site_list what,
			 struct buf *out)
{
	long n = s->syn_pages;
	char **paths = calloc((size_t)n + 1, sizeof(*paths));

	if (!paths)
		return;
	for (long c = s->n_orig; c < syn_end(s); c += SYN_FANOUT) {
		long parent = syn_parent(s, c);
		const char *pp = parent < s->n_orig ? s->nodes[parent].path[0] :
				 paths[parent - s->n_orig];
		struct buf slugs[SYN_FANOUT];
		int k = child_slugs(s, parent, slugs);

		for (int i = 0; i < k; i++) {
			struct buf p = BUF_INIT(0);

			buf_addf(&p, "%s/%s", pp, slugs[i].data);
			paths[c + i - s->n_orig] = buf_detach(&p, NULL);
		}
		release_slugs(slugs, k);
	}
	for (long i = 0; i < n; i++) {
		if (!paths[i])
			continue;
		if (what == SITE_LIST_PAGES)
			buf_addf(out, "%s\n", paths[i]);
		else
			site_prose_requisites(paths[i], out);
		free(paths[i]);
	}
	free(paths);
}
