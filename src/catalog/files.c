/* catalog files: the WARC files under an archive directory, in the order
 * rebuild and cdxj read them (file name, then relative path). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "catalog/catalog-files.h"

#define MAX_DEPTH 8

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && !strcmp(s + n - m, suf);
}

int cat_is_warc_name(const char *name)
{
	static const char *const suf[] = { ".warc", ".warc.gz", ".warc.zst",
		".warc.bz2", ".warc.xz", NULL };
	size_t i;

	for (i = 0; suf[i]; i++)
		if (has_suffix(name, suf[i]))
			return 1;
	return 0;
}

/* NAME.open of a WARC name: cut to NAME in place. */
static int is_open_warc(char *rel)
{
	size_t n = strlen(rel);

	if (n <= 5 || strcmp(rel + n - 5, ".open"))
		return 0;
	rel[n - 5] = 0;
	if (cat_is_warc_name(rel))
		return 1;
	rel[n - 5] = '.';
	return 0;
}

char *cat_file_path(const char *dir, const char *rel)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", dir, rel) < 0)
		return NULL;
	if (access(p, F_OK) < 0) {
		char *q = NULL;

		if (asprintf(&q, "%s.open", p) >= 0 && access(q, F_OK) == 0) {
			free(p);
			return q;
		}
		free(q);
	}
	return p;
}

static int add(struct cat_files *f, const char *rel)
{
	char **t;

	if (f->n == f->alloc) {
		f->alloc = f->alloc ? f->alloc * 2 : 64;
		t = realloc(f->v, f->alloc * sizeof(*t));
		if (!t)
			return -1;
		f->v = t;
	}
	f->v[f->n] = strdup(rel);
	if (!f->v[f->n])
		return -1;
	f->n++;
	return 0;
}

static int scan(struct cat_files *f, const char *root, const char *rel,
		int depth, struct err *e)
{
	char *path = NULL, *sub = NULL;
	struct dirent *d;
	struct stat sb;
	DIR *dir;
	int rc = 0;

	if (asprintf(&path, "%s%s%s", root, *rel ? "/" : "", rel) < 0)
		return err_set(e, "%s: out of memory", root);
	dir = opendir(path);
	if (!dir) {
		err_set(e, "%s: cannot read the directory", path);
		free(path);
		return -1;
	}
	while (rc == 0 && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", d->d_name) < 0) {
			rc = err_set(e, "%s: out of memory", root);
			break;
		}
		free(path);
		if (asprintf(&path, "%s/%s", root, sub) < 0) {
			path = NULL;
			free(sub);
			rc = err_set(e, "%s: out of memory", root);
			break;
		}
		if (stat(path, &sb) == 0) {
			if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH)
				rc = scan(f, root, sub, depth + 1, e);
			else if (S_ISREG(sb.st_mode) && cat_is_warc_name(d->d_name) &&
				 add(f, sub) < 0)
				rc = err_set(e, "%s: out of memory", root);
			else if (S_ISREG(sb.st_mode) && f->with_open &&
				 depth == 0 && is_open_warc(sub) && add(f, sub) < 0)
				rc = err_set(e, "%s: out of memory", root);
		}
		free(sub);
	}
	closedir(dir);
	free(path);
	return rc;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int cmp_files(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	int r = strcmp(base(a), base(b));

	return r ? r : strcmp(a, b);
}

int cat_files_list(const char *archive_dir, int with_open,
		   struct cat_files *f, struct err *e)
{
	memset(f, 0, sizeof(*f));
	f->with_open = with_open;
	if (scan(f, archive_dir, "", 0, e) < 0) {
		cat_files_release(f);
		return -1;
	}
	if (f->n)
		qsort(f->v, f->n, sizeof(*f->v), cmp_files);
	return 0;
}

void cat_files_release(struct cat_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}
