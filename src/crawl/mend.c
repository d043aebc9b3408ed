/* mend: resuming after a crash or kill -9 (see mend.h). */
#include "crawl/mend.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct mend {
	struct frontier *fr;
	struct catalog *cat;
	int64_t crawl_id;
};

/* Scan a file: the end of its last whole record, the end of its first
 * record and whether that is this crawl's warcinfo. */
static int scan(const struct mend *c, const char *path, uint64_t *good_end,
		uint64_t *first_end, int *ours)
{
	struct warc_reader *r = warc_reader_open(path, NULL);
	struct warc_record *rec;
	char part[64];
	int first = 1;

	*good_end = *first_end = 0;
	*ours = 0;
	if (!r)
		return 0;
	snprintf(part, sizeof(part), "%s%lld", CATALOG_PART_OF,
		 (long long)c->crawl_id);
	while (warc_reader_next(r, &rec, NULL) == 1) {
		if (first) {
			*first_end = rec->offset + rec->length;
			*ours = rec->type == WARC_T_WARCINFO &&
				memmem(rec->block.data, rec->block.len, part,
				       strlen(part)) != NULL;
			first = 0;
		}
	}
	*good_end = warc_reader_good_end(r);
	warc_reader_free(r);
	return 0;
}

static int mend_one(const struct mend *c, const char *dir, const char *name,
		    struct err *e)
{
	char path[4096], final[4096], base[512];
	uint64_t good_end, first_end, committed = 0, cut;
	int ours, known;
	size_t n = strlen(name) - 5;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(base, sizeof(base), "%.*s", (int)n, name);
	snprintf(final, sizeof(final), "%s/%s", dir, base);
	scan(c, path, &good_end, &first_end, &ours);
	known = frontier_warc_get(c->fr, base, &committed) == 1;
	if (known)
		cut = committed < good_end ? committed : good_end;
	else if (ours)
		cut = first_end;
	else
		cut = good_end;
	if (truncate(path, (off_t)cut) < 0)
		return err_set(e, "%s: truncate: %s", path, strerror(errno));
	if (catalog_delete_from(c->cat, base, cut, NULL, e) < 0)
		return -1;
	if (cut == 0) {
		unlink(path);
		return 0;
	}
	if (rename(path, final) < 0)
		return err_set(e, "%s: rename: %s", path, strerror(errno));
	return 0;
}

int crawl_mend(struct frontier *fr, struct catalog *cat, const char *archive,
	       int64_t crawl_id, struct err *e)
{
	struct mend m = { fr, cat, crawl_id };
	DIR *d = opendir(archive);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return err_set(e, "%s: %s", archive, strerror(errno));
	while (rc == 0 && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 5 && !strcmp(de->d_name + n - 5, ".open"))
			rc = mend_one(&m, archive, de->d_name, e);
	}
	closedir(d);
	return rc;
}
