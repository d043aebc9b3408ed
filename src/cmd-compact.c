/* govarch compact: repack finished crawls' WARC files (crawl/compact.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "catalog/catalog.h"
#include "cmd.h"
#include "crawl/compact.h"
#include "crawl/lock.h"

static double cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* One crawl: 0, or -1 (said). */
static int one(struct catalog *c, int64_t id, int level, int named)
{
	struct compact_report rep;
	double t0 = cpu_now(), cpu;
	struct err e;

	if (crawl_compact(cmd_archive, c, id, level, &rep, &e) < 0) {
		cmd_error("compact", "crawl %lld: %s", (long long)id, e.msg);
		return -1;
	}
	cpu = cpu_now() - t0;
	switch (rep.outcome) {
	case COMPACT_DONE:
		printf("crawl %lld: %zu file%s, %llu B -> %s: %llu B (%.3f), "
		       "%zu records, %.1f MB uncompressed, %.2f s CPU\n",
		       (long long)id, rep.files, rep.files == 1 ? "" : "s",
		       (unsigned long long)rep.before, rep.new_file,
		       (unsigned long long)rep.after,
		       (double)rep.after / (double)rep.before, rep.records,
		       rep.raw / 1e6, cpu);
		break;
	case COMPACT_NOT_SMALLER:
		printf("crawl %lld: kept as it was: repacked %llu B would be "
		       "%llu B\n", (long long)id,
		       (unsigned long long)rep.before,
		       (unsigned long long)rep.after);
		break;
	case COMPACT_ALREADY:
		if (named)
			printf("crawl %lld: compacted before\n", (long long)id);
		break;
	case COMPACT_NOTHING:
		if (named)
			printf("crawl %lld: no captures\n", (long long)id);
		break;
	}
	return 0;
}

static int compact_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "crawl", required_argument, NULL, 'c' },
		{ "level", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct catalog_crawl *v = NULL;
	struct catalog *c = NULL;
	const char *spec = NULL;
	struct err e;
	size_t n = 0, i;
	int o, level = COMPACT_LEVEL_DEFAULT, lockfd = -1, r, rc = EXIT_FAIL;
	pid_t holder;
	char *end;
	long l;

	while ((o = cmd_getopt("compact", argc, argv, "", opts)) != -1) {
		switch (o) {
		case 'c':
			if (cmd_check_crawl_ref("compact", optarg) != 0)
				return EXIT_USAGE;
			spec = optarg;
			break;
		case 'l':
			l = strtol(optarg, &end, 10);
			if (*end || end == optarg || l < 1 || l > 22)
				return cmd_usage_error("compact", "--level '%s':"
						       " give 1 to 22", optarg);
			level = (int)l;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("compact", "unexpected argument '%s'",
				       argv[optind]);
	r = crawl_lock_take(cmd_archive, &lockfd, &holder, &e);
	if (r < 0) {
		cmd_error("compact", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (r > 0) {
		cmd_error("compact", "%s is locked by a crawl (pid %ld); "
			  "compact after it", cmd_archive, (long)holder);
		return EXIT_LOCKED;
	}
	c = catalog_open(cmd_archive, 0, &e);
	if (!c) {
		cmd_error("compact", "%s", e.msg);
		goto out;
	}
	if (spec) {
		int64_t id = 0;

		r = catalog_resolve_crawl(c, spec, &id, &e);
		if (r <= 0) {
			if (r == 0)
				cmd_error("compact", "no crawl '%s'", spec);
			else
				cmd_error("compact", "%s", e.msg);
			goto out;
		}
		rc = one(c, id, level, 1) < 0 ? EXIT_FAIL : EXIT_OK;
		goto out;
	}
	if (catalog_crawls(c, &v, &n, &e) < 0) {
		cmd_error("compact", "%s", e.msg);
		goto out;
	}
	rc = EXIT_OK;
	for (i = 0; i < n; i++)
		if ((!strcmp(v[i].status, "complete") ||
		     !strcmp(v[i].status, "partial")) &&
		    one(c, v[i].id, level, 0) < 0)
			rc = EXIT_FAIL;
out:
	free(v);
	catalog_close(c);
	crawl_lock_release(lockfd);
	return rc;
}

const struct cmd_entry cmd_compact_entry = { "compact", "[--crawl ID] [--level N]\n  repack finished crawls' WARC files smaller: each crawl's files become one NAME-c.warc.zst (NAME: its first file) at zstd level N (default 19) with a dictionary trained on that crawl's records, every record still its own frame; the new file is synced and read back against the old before one catalog transaction moves the captures to it, then the old files are removed (a crash at any point leaves the old or the new state complete).  A crawl whose repacked file would not be smaller is kept as it was.  The crawler does this itself after each crawl unless compact-level is 0.\n  --crawl ID   only this crawl (an id, #N, a timestamp or a prefix of one); default every complete or partial crawl not compacted yet\n  --level N    zstd level, 1 to 22 (default 19)\n  One line per crawl on stdout: 'crawl ID: N files, BYTES B -> FILE: BYTES B (RATIO), N records, N MB uncompressed, SECS s CPU', or 'crawl ID: kept as it was: ...'.\n  Exit 0 done, 1 error, 2 bad usage, 75 a crawl holds the archive's lock", "repack finished crawls' WARC files smaller (verified, crash-safe)", compact_exec };
