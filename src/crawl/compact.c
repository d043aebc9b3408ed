/* compact: repack a finished crawl's WARC files (see compact.h). */
#include "crawl/compact.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warc/warc.h"

/* Tests only: GOVARCH_TEST_CRASH=STEP kills the process there, as a crash
 * would (tests/cli/test-compact.sh). */
static void crash_point(const char *step)
{
	const char *v = getenv("GOVARCH_TEST_CRASH");

	if (v && !strcmp(v, step))
		raise(SIGKILL);
}

/* NAME-c.warc.zst beside the first file (a name already ending in -c is
 * not extended again). */
static int new_name(const char *first, char *out, size_t cap)
{
	static const char *const exts[] = { ".warc.zst", ".warc.gz", ".warc",
					    ".warc.bz2", ".warc.xz" };
	size_t n = strlen(first), i, k;

	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		k = strlen(exts[i]);
		if (n > k && !strcmp(first + n - k, exts[i])) {
			n -= k;
			break;
		}
	}
	if (n > 2 && !strncmp(first + n - 2, "-c", 2))
		n -= 2;
	return (size_t)snprintf(out, cap, "%.*s-c.warc.zst", (int)n, first) <
	       cap ? 0 : -1;
}

static int crawl_status(struct catalog *c, int64_t id, char *status,
			size_t cap, struct err *e)
{
	struct catalog_crawl *v = NULL;
	size_t n = 0, i;
	int found = 0;

	if (catalog_crawls(c, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].id == id) {
			snprintf(status, cap, "%s", v[i].status);
			found = 1;
		}
	free(v);
	return found ? 0 : err_set(e, "no crawl %lld", (long long)id);
}

int crawl_compact(const char *archive, struct catalog *c, int64_t id,
		  int level, struct compact_report *rep, struct err *e)
{
	struct warc_repack_result res;
	char **files = NULL, **paths = NULL, status[16], *newpath = NULL;
	size_t n = 0, i;
	int rc = -1, r, planned = 0;

	memset(rep, 0, sizeof(*rep));
	memset(&res, 0, sizeof(res));
	rep->crawl = id;
	if (level <= 0)
		level = COMPACT_LEVEL_DEFAULT;
	if (crawl_status(c, id, status, sizeof(status), e) < 0)
		return -1;
	if (strcmp(status, "complete") && strcmp(status, "partial"))
		return err_set(e, "crawl %lld is %s: only a finished crawl is "
			       "compacted", (long long)id, status);
	r = catalog_repacked(c, id, e);
	if (r < 0)
		return -1;
	if (r) {
		rep->outcome = COMPACT_ALREADY;
		return 0;
	}
	if (catalog_crawl_files(c, id, &files, &n, e) < 0)
		return -1;
	rep->files = n;
	if (!n) {
		rep->outcome = COMPACT_NOTHING;
		rc = 0;
		goto out;
	}
	if (new_name(files[0], rep->new_file, sizeof(rep->new_file)) < 0) {
		err_set(e, "%s: name too long", files[0]);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(files[i], rep->new_file)) {
			rep->outcome = COMPACT_ALREADY;    /* (a rebuilt catalog) */
			rc = 0;
			goto out;
		}
	paths = calloc(n, sizeof(*paths));
	if (!paths || asprintf(&newpath, "%s/%s", archive, rep->new_file) < 0) {
		newpath = NULL;
		err_set(e, "%s: out of memory", archive);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (asprintf(&paths[i], "%s/%s", archive, files[i]) < 0) {
			paths[i] = NULL;
			err_set(e, "%s: out of memory", archive);
			goto out;
		}
	if (catalog_repack_plan(c, id, (const char *const *)files, n,
				rep->new_file, e) < 0)
		goto out;
	planned = 1;
	crash_point("planned");
	if (warc_repack((const char *const *)paths, n, newpath, level, &res,
			e) < 0)
		goto out;
	rep->before = res.bytes_in;
	rep->after = res.bytes_out;
	rep->raw = res.raw;
	rep->records = res.n;
	if (res.bytes_out >= res.bytes_in) {
		rep->outcome = COMPACT_NOT_SMALLER;
		unlink(newpath);
		rc = 0;
		goto out;
	}
	crash_point("written");
	if (catalog_repack_switch(c, id, (const char *const *)files, n,
				  rep->new_file, res.bytes_out, res.moves, res.n,
				  level, res.bytes_in, e) < 0) {
		unlink(newpath);
		goto out;
	}
	crash_point("switched");
	/* the captures are in the new file now: the old ones can go */
	for (i = 0; i < n; i++)
		if (unlink(paths[i]) < 0 && errno != ENOENT) {
			err_set(e, "%s: %s (the captures are in %s; the next "
				"compact removes it)", paths[i], strerror(errno),
				rep->new_file);
			planned = 0;
			goto out;
		}
	rep->outcome = COMPACT_DONE;
	rc = 0;
out:
	if (planned && catalog_repack_done(c, id, rc < 0 ? NULL : e) < 0)
		rc = -1;
	warc_repack_release(&res);
	if (paths)
		for (i = 0; i < n; i++)
			free(paths[i]);
	free(paths);
	free(newpath);
	catalog_strv_free(files, n);
	return rc;
}
