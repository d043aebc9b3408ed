/* crawllog: per-crawl fetch log (see crawllog.h). */
#include "crawl/crawllog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/timeutil.h"

struct crawllog {
	FILE *f;
	char path[4096];
};

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
