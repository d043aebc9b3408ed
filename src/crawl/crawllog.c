/* crawllog: per-crawl fetch log (see crawllog.h). */
#include "crawl/crawllog.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "util/timeutil.h"

struct crawllog {
	FILE *f;
	char path[4096];
};

/* Finished crawls' logs are kept compressed, as logrotate's delaycompress
 * does: a nightly crawl's log is read the next morning, rarely later, and
 * over years the logs would outweigh the records of unchanged pages. */
#define LOG_ZSTD_LEVEL 15
/* ...with a 1 MB window and tables: streamed with its size unknown, level
 * 15 takes ~65 MB, as much as the crawl itself (the log's size is told
 * too, so a small log takes a few MB); a log repeats itself within far
 * less. */
#define LOG_ZSTD_WLOG 20

/* path -> path.zst (written as .tmp, renamed, then path removed); on any
 * failure the plain log stays as it was. */
static void compress_log(const char *path)
{
	char tmp[4200], dst[4200];
	static char in[1 << 16], out[1 << 16];
	ZSTD_CCtx *z = ZSTD_createCCtx();
	FILE *fi = NULL, *fo = NULL;
	struct stat sb;
	size_t n, left;
	int ok = 0;

	if ((size_t)snprintf(dst, sizeof(dst), "%s.zst", path) >= sizeof(dst) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.zst.tmp", path) >= sizeof(tmp))
		goto out;
	if (!z || !(fi = fopen(path, "rb")) || !(fo = fopen(tmp, "wb")))
		goto out;
	ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, LOG_ZSTD_LEVEL);
	ZSTD_CCtx_setParameter(z, ZSTD_c_windowLog, LOG_ZSTD_WLOG);
	ZSTD_CCtx_setParameter(z, ZSTD_c_chainLog, LOG_ZSTD_WLOG);
	ZSTD_CCtx_setParameter(z, ZSTD_c_hashLog, LOG_ZSTD_WLOG);
	ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
	/* a size that then differs (a log still written) fails the frame:
	 * the plain log stays */
	if (fstat(fileno(fi), &sb) == 0)
		ZSTD_CCtx_setPledgedSrcSize(z, (unsigned long long)sb.st_size);
	do {
		ZSTD_EndDirective mode;
		ZSTD_inBuffer ib;

		n = fread(in, 1, sizeof(in), fi);
		mode = n < sizeof(in) ? ZSTD_e_end : ZSTD_e_continue;
		ib = (ZSTD_inBuffer){ in, n, 0 };
		do {
			ZSTD_outBuffer ob = { out, sizeof(out), 0 };

			left = ZSTD_compressStream2(z, &ob, &ib, mode);
			if (ZSTD_isError(left) ||
			    fwrite(out, 1, ob.pos, fo) != ob.pos)
				goto out;
		} while (mode == ZSTD_e_end ? left != 0 : ib.pos < ib.size);
	} while (n == sizeof(in));
	if (ferror(fi) || fflush(fo) || fsync(fileno(fo)))
		goto out;
	ok = 1;
out:
	if (fo && fclose(fo))
		ok = 0;
	if (fi)
		fclose(fi);
	ZSTD_freeCCtx(z);
	if (ok && rename(tmp, dst) == 0)
		unlink(path);
	else if (fo)
		unlink(tmp);
}

/* Compress every logs/crawl-*.log but keep's. */
static void compress_others(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[4200];

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (strncmp(de->d_name, "crawl-", 6) || n < 5 ||
		    strcmp(de->d_name + n - 4, ".log") ||
		    !strcmp(de->d_name, keep))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		compress_log(p);
	}
	closedir(d);
}

void crawllog_compress(const char *path)
{
	compress_log(path);
}

struct crawllog *crawllog_open(const char *archive, const char *crawl_id,
			       struct err *e)
{
	struct crawllog *l = calloc(1, sizeof(*l));
	char dir[3800];

	if (!l) {
		err_set(e, "out of memory");
		return NULL;
	}
	snprintf(dir, sizeof(dir), "%s/logs", archive);
	mkdir(dir, 0755);
	snprintf(l->path, sizeof(l->path), "%s/crawl-%s.log", dir, crawl_id);
	l->f = fopen(l->path, "a");
	if (!l->f) {
		err_set(e, "%s: %s", l->path, strerror(errno));
		free(l);
		return NULL;
	}
	compress_others(dir, strrchr(l->path, '/') + 1);
	return l;
}

void crawllog_line(struct crawllog *l, const struct timespec *start,
		   int status, long long size, const char *url, double secs,
		   const char *outcome, const char *via)
{
	char date[32], st[16], dur[32];

	if (!l)
		return;
	time_warc_date(start ? *start : time_now(), date);
	if (status > 0)
		snprintf(st, sizeof(st), "%d", status);
	else
		snprintf(st, sizeof(st), "-");
	if (start)
		snprintf(dur, sizeof(dur), "%.0fms", secs * 1000);
	else
		snprintf(dur, sizeof(dur), "-");
	fprintf(l->f, "%s %4s %9lld %s %s %s%s%s\n", date, st, size, url, dur,
		outcome, via && *via ? " via:" : "", via ? via : "");
	fflush(l->f);
}

const char *crawllog_path(const struct crawllog *l)
{
	return l ? l->path : "";
}

void crawllog_close(struct crawllog *l)
{
	if (!l)
		return;
	fclose(l->f);
	free(l);
}
