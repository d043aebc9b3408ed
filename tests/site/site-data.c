/* site-data: the replica's data files (tests/site/data) and slugs.
 *
 * nav-tree.txt   the DPMC main menu: "  • Title", two spaces per level
 * news.txt       YYYY-MM-DD<TAB>Title, newest first
 * five-country-ministerial-2024.txt   the real article's text
 */
#include "site.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SITE_LINE_MAX 4096

static const char *const tree_file = "nav-tree.txt";

/* UTF-8 letters folded to ASCII in slugs; anything else non-ASCII drops. */
static const struct { const char *utf8; char ascii; } folds[] = {
	{ "\xc4\x81", 'a' }, { "\xc4\x80", 'a' }, { "\xc4\x93", 'e' },
	{ "\xc4\x92", 'e' }, { "\xc4\xab", 'i' }, { "\xc4\xaa", 'i' },
	{ "\xc5\x8d", 'o' }, { "\xc5\x8c", 'o' }, { "\xc5\xab", 'u' },
	{ "\xc5\xaa", 'u' }, { "\xc3\xa9", 'e' }, { "\xc3\xa8", 'e' },
	{ "\xc3\xa1", 'a' }, { "\xc3\xb3", 'o' }, { "\xc3\xbc", 'u' },
};

void site_slugify(const char *title, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)title;
	int pending_sep = 0;

	while (*p) {
		char c = 0;
		size_t adv = 1;

		if (*p >= 0x80) {
			adv = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
			for (size_t i = 0; i < sizeof(folds) / sizeof(folds[0]); i++)
				if (strncmp((const char *)p, folds[i].utf8, 2) == 0)
					c = folds[i].ascii;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			c = (char)*p;
		} else if (*p >= 'A' && *p <= 'Z') {
			c = (char)(*p - 'A' + 'a');
		} else if (*p == ' ' || *p == '-' || *p == '/' || *p == '_') {
			pending_sep = 1;
		}
		if (c) {
			if (pending_sep && out->len)
				buf_addc(out, '-');
			pending_sep = 0;
			buf_addc(out, c);
		}
		for (size_t i = 0; i < adv && *p; i++)
			p++;
	}
}

static int slug_taken(const struct site *s, int vi, int parent,
		      const char *slug, int except)
{
	for (int i = 0; i < s->n_nodes; i++) {
		const struct site_node *n = &s->nodes[i];

		if (i != except && n->present[vi] && n->parent[vi] == parent &&
		    strcmp(n->slug, slug) == 0)
			return 1;
	}
	return 0;
}

void site_unique_slug(const struct site *s, int version, int parent,
		      const char *base, int except, struct buf *out)
{
	buf_reset(out);
	buf_adds(out, base);
	for (int k = 2; slug_taken(s, version - 1, parent, out->data, except); k++) {
		buf_reset(out);
		buf_addf(out, "%s-%d", base, k);
	}
}

char *site_child_path(const struct site *s, int version, int parent,
		      const char *slug)
{
	struct buf b = BUF_INIT(0);

	if (parent >= 0)
		buf_adds(&b, s->nodes[parent].path[version - 1]);
	buf_addf(&b, "/%s", slug);
	return buf_detach(&b, NULL);
}

int site_node_add(struct site *s, const char *title, const char *slug)
{
	struct site_node *nodes, *n;

	nodes = realloc(s->nodes, (size_t)(s->n_nodes + 1) * sizeof(*nodes));
	if (!nodes)
		return -1;
	s->nodes = nodes;
	n = &nodes[s->n_nodes];
	memset(n, 0, sizeof(*n));
	n->title = strdup(title);
	n->slug = strdup(slug);
	for (int v = 0; v < SITE_VERSIONS; v++)
		n->parent[v] = -1;
	return s->n_nodes++;
}

int site_data_find(const char *explicit_dir, const char *argv0, char *out,
		   size_t n, struct err *e)
{
	char exe[PATH_MAX], probe[PATH_MAX + 64];
	const char *env = getenv("GOVARCH_SITE_DATA");
	ssize_t len;

	if (explicit_dir || (env && *env)) {
		snprintf(out, n, "%s", explicit_dir ? explicit_dir : env);
		return 0;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		snprintf(exe, sizeof(exe), "%s", argv0);
	else
		exe[len] = '\0';
	for (int up = 0; up < 5; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash)
			break;
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/tests/site/data/%s", exe,
			 tree_file);
		if (access(probe, R_OK) == 0) {
			snprintf(out, n, "%s/tests/site/data", exe);
			return 0;
		}
	}
	snprintf(out, n, "tests/site/data");
	snprintf(probe, sizeof(probe), "%s/%s", out, tree_file);
	if (access(probe, R_OK) == 0)
		return 0;
	return err_set(e, "tests/site/data/%s: not found beside the binary or "
		       "in the current directory (use --data DIR)", tree_file);
}

static FILE *open_data(const char *dir, const char *name, struct err *e)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		err_set(e, "%s: cannot open", path);
	return f;
}

static void chomp(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		     line[n - 1] == ' '))
		line[--n] = '\0';
}

static int load_tree(struct site *s, const char *dir, struct err *e)
{
	static const char bullet[] = "\xe2\x80\xa2 ";
	int stack[32], lineno = 0, rc = -1;
	char line[SITE_LINE_MAX];
	struct buf slug = BUF_INIT(0), base = BUF_INIT(0);
	FILE *f = open_data(dir, tree_file, e);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int indent = 0, depth, parent, i;

		lineno++;
		chomp(line);
		if (line[0] == '#' || line[0] == '\0')
			continue;
		while (line[indent] == ' ')
			indent++;
		depth = indent / 2 - 1;
		if (strncmp(line + indent, bullet, sizeof(bullet) - 1) != 0 ||
		    depth < 0 || depth >= 32 || (depth > 0 && s->n_nodes == 0)) {
			err_set(e, "%s/%s:%d: expected \"  • Title\" with two "
				"spaces per level", dir, tree_file, lineno);
			goto out;
		}
		parent = depth ? stack[depth - 1] : -1;
		if (depth && (parent < 0 || parent >= s->n_nodes)) {
			err_set(e, "%s/%s:%d: indented deeper than its parent",
				dir, tree_file, lineno);
			goto out;
		}
		buf_reset(&base);
		site_slugify(line + indent + sizeof(bullet) - 1, &base);
		site_unique_slug(s, 1, parent, base.data, -1, &slug);
		i = site_node_add(s, line + indent + sizeof(bullet) - 1, slug.data);
		if (i < 0)
			goto out;
		s->nodes[i].present[0] = 1;
		s->nodes[i].parent[0] = parent;
		s->nodes[i].path[0] = site_child_path(s, 1, parent, slug.data);
		s->nodes[i].key = strdup(s->nodes[i].path[0]);
		s->nodes[i].born = 1;
		stack[depth] = i;
		for (int d = depth + 1; d < 32; d++)
			stack[d] = -1;
	}
	s->n_orig = s->n_nodes;
	rc = 0;
out:
	buf_release(&slug);
	buf_release(&base);
	fclose(f);
	return rc;
}

static int load_news(struct site *s, const char *dir, struct err *e)
{
	char line[SITE_LINE_MAX];
	int y, m, d, lineno = 0;
	FILE *f = open_data(dir, "news.txt", e);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct buf slug = BUF_INIT(0);
		char *tab = strchr(line, '\t');
		struct site_news *n;

		lineno++;
		chomp(line);
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (!tab || sscanf(line, "%d-%d-%d", &y, &m, &d) != 3) {
			fclose(f);
			return err_set(e, "%s/news.txt:%d: expected "
				       "YYYY-MM-DD<TAB>title", dir, lineno);
		}
		n = realloc(s->news, (size_t)(s->n_news + 1) * sizeof(*n));
		if (!n)
			break;
		s->news = n;
		n = &s->news[s->n_news++];
		n->title = strdup(tab + 1);
		n->issued = site_day(y, m, d);
		buf_adds(&slug, "/news/");
		site_slugify(n->title, &slug);
		n->path = buf_detach(&slug, NULL);
	}
	fclose(f);
	return 0;
}

static int load_article(struct site *s, const char *dir, struct err *e)
{
	static const char name[] = "five-country-ministerial-2024.txt";
	char line[SITE_LINE_MAX];
	FILE *f = open_data(dir, name, e);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct site_article_line *a;
		char *text = line, *href = NULL, kind = 'p';

		chomp(line);
		if (line[0] == '#' && line[1] == ' ')
			continue;
		if (line[0] == '\0')
			continue;
		if (strncmp(line, "## ", 3) == 0) {
			kind = '#';
			text = line + 3;
		} else if (strncmp(line, "=> ", 3) == 0) {
			kind = '>';
			href = line + 3;
			text = strchr(href, ' ');
			if (!text) {
				fclose(f);
				return err_set(e, "%s/%s: link line without "
					       "title", dir, name);
			}
			*text++ = '\0';
		}
		a = realloc(s->article, (size_t)(s->n_article + 1) * sizeof(*a));
		if (!a)
			break;
		s->article = a;
		a = &s->article[s->n_article++];
		a->kind = kind;
		a->href = href ? strdup(href) : NULL;
		a->text = strdup(text);
	}
	fclose(f);
	s->article_path = strdup("/news/five-country-ministerial-2024");
	return 0;
}

int site_load(struct site *s, const char *data_dir, struct err *e)
{
	memset(s, 0, sizeof(*s));
	if (load_tree(s, data_dir, e) < 0 || load_news(s, data_dir, e) < 0 ||
	    load_article(s, data_dir, e) < 0)
		return -1;
	if (s->n_nodes == 0 || s->n_news == 0)
		return err_set(e, "%s: empty navigation tree or news list",
			       data_dir);
	site_versions_build(s);
	return 0;
}

void site_release(struct site *s)
{
	for (int i = 0; i < s->n_nodes; i++) {
		struct site_node *n = &s->nodes[i];

		free(n->title);
		free(n->slug);
		free(n->key);
		for (int v = 0; v < SITE_VERSIONS; v++)
			free(n->path[v]);
	}
	free(s->nodes);
	for (int i = 0; i < s->n_news; i++) {
		free(s->news[i].title);
		free(s->news[i].path);
	}
	free(s->news);
	for (int i = 0; i < s->n_article; i++) {
		free(s->article[i].href);
		free(s->article[i].text);
	}
	free(s->article);
	free(s->article_path);
	memset(s, 0, sizeof(*s));
}
