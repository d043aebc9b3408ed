/* govarch crawl: walk a site politely into WARC files (src/crawl/crawl.h).
 *
 * What to crawl: crawl_plan_make (src/crawl/settings.h) decides between the
 * archive's saved crawl, an unfinished crawl to resume, and -c FILE (else
 * /etc/govarch/govarch.conf, else the dpmc.conf found next to the binary: see
 * crawl_config_find) with the flags on top; --seed replaces the seeds (and
 * the config's sitemaps) and, unless --scope is given, makes the scope the
 * seeds' hosts.  Progress on stderr: a live line on a terminal, else a
 * line every progress-interval seconds; the summary on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cmd.h"
#include "crawl/compact.h"
#include "crawl/crawllog.h"
#include "crawl/config.h"
#include "crawl/crawl.h"
#include "crawl/lock.h"
#include "crawl/notify.h"
#include "crawl/settings.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/url.h"

static volatile sig_atomic_t crawl_stop_sig;

static void on_signal(int sig)
{
	if (crawl_stop_sig)
		_exit(sig == SIGINT ? EXIT_SIGINT : EXIT_SIGTERM); /* now */
	crawl_stop_sig = sig;
}

struct progress {
	int tty, quiet, resume;
	double interval, last;
	int line_shown;
};

static void human(uint64_t n, char *out, size_t sz)
{
	if (n >= 10u << 20)
		snprintf(out, sz, "%.1f MB", (double)n / 1e6);
	else if (n >= 10u << 10)
		snprintf(out, sz, "%.1f kB", (double)n / 1e3);
	else
		snprintf(out, sz, "%llu B", (unsigned long long)n);
}

static void on_progress(void *ctx, const struct crawl_stats *st)
{
	struct progress *p = ctx;
	char b[32];
	double now = time_mono();

	if (p->quiet)
		return;
	human(st->bytes, b, sizeof(b));
	if (p->tty) {
		if (now - p->last < 0.2)
			return;
		fprintf(stderr, "\r\033[K%ld done, %ld queued, %s, %.1f/s, %ld "
			"errors  %.60s", st->pages, st->queued, b,
			st->elapsed > 0 ? st->pages / st->elapsed : 0.0,
			st->errors, st->current ? st->current : "");
		p->line_shown = 1;
	} else {
		if (now - p->last < p->interval)
			return;
		fprintf(stderr, "govarch: crawl %lld: %ld done, %ld queued, %s, "
			"%.1f pages/s, %ld errors, %ld failed; last %s\n",
			(long long)st->crawl_id, st->pages, st->queued, b,
			st->elapsed > 0 ? st->pages / st->elapsed : 0.0,
			st->errors, st->failed, st->current ? st->current : "");
	}
	p->last = now;
}

static void on_starting(void *ctx, const struct crawl_stats *st)
{
	struct progress *p = ctx;

	/* said even with --quiet: cron logs should show it */
	if (st->resumed)
		fprintf(stderr, "govarch: crawl: resuming interrupted crawl %lld\n",
			(long long)st->crawl_id);
	else if (p->resume)
		fprintf(stderr, "govarch: crawl: no interrupted crawl to resume; "
			"starting crawl %lld\n", (long long)st->crawl_id);
}

static int mkdirs(const char *path)
{
	char tmp[4096], *s;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (s = tmp + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

struct args {
	struct crawl_settings_args s;
	int resume, quiet, dry_run;
	struct buf line;            /* the options as given, for crawl.conf */
};

/* 0, or EXIT_USAGE once the problem has been reported. */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 'S' },
		{ "scope", required_argument, NULL, 'P' },
		{ "set", required_argument, NULL, 's' },
		{ "delay", required_argument, NULL, 'd' },
		{ "max-pages", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "resume", no_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reconfigure", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int o, i;

	while ((o = cmd_getopt("crawl", argc, argv, "c:q", opts)) != -1) {
		switch (o) {
		case 'c': a->s.config = optarg; break;
		case 'S': crawl_strv_add(&a->s.seeds, optarg); break;
		case 'P': crawl_strv_add(&a->s.scopes, optarg); break;
		case 's':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				return cmd_usage_error("crawl", "--set '%s': "
						       "expected KEY=VALUE", optarg);
			crawl_strv_add(&a->s.sets, optarg);
			break;
		case 'd': a->s.delay = optarg; break;
		case 'm': a->s.max_pages = optarg; break;
		case 'f': a->s.format = optarg; break;
		case 'r': a->resume = 1; break;
		case 'q': a->quiet = 1; break;
		case 'n': a->dry_run = 1; break;
		case 'R': a->s.reconfigure = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("crawl", "unexpected argument '%s' (seeds "
				       "go with --seed)", argv[optind]);
	/* what crawl.conf says it came from: the options that shape it */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--resume") || !strcmp(argv[i], "--quiet") ||
		    !strcmp(argv[i], "-q") || !strcmp(argv[i], "--dry-run") ||
		    !strcmp(argv[i], "--reconfigure"))
			continue;
		buf_addf(&a->line, " %s", argv[i]);
	}
	a->s.line = a->line.data;
	return 0;
}

/* --dry-run: the settings and where each came from; nothing touched. */
static int dry_run(const struct args *a)
{
	struct crawl_plan p;
	struct err e = { "" };
	char *dump = NULL, *scope = NULL;
	int r = crawl_plan_make(&p, cmd_archive, &a->s, &e), rc = EXIT_USAGE;

	if (!p.settled)         /* no complete configuration to show */
		goto out;
	printf("# govarch crawl --dry-run: nothing is fetched, the archive is "
	       "not touched\n");
	if (p.mode == CRAWL_PLAN_RESUME)
		printf("# archive %s: crawl %lld is unfinished; it resumes with "
		       "its saved settings\n", cmd_archive,
		       (long long)p.unfinished);
	else if (p.mode == CRAWL_PLAN_REPEAT)
		printf("# archive %s: repeats its saved crawl\n", cmd_archive);
	else
		printf("# archive %s: %s\n", cmd_archive,
		       p.unfinished ? "an unfinished crawl resumes with these "
		       "settings" : "a new crawl with these settings");
	printf("# config: %s\n", p.cpath);
	scope = crawl_settings_scope_text(&p.cfg);
	printf("# scope: %s\n", scope ? scope : "?");
	printf("# KEY<TAB>VALUE<TAB>FROM (default, FILE:LINE or the option)\n");
	dump = crawl_config_dump_origins(&p.cfg);
	fputs(dump ? dump : "", stdout);
	if (fflush(stdout) != 0) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (p.note)
		fprintf(stderr, "govarch: crawl: %s\n", p.note);
	rc = r < 0 ? EXIT_USAGE : EXIT_OK;
out:
	if (r < 0)
		cmd_error("crawl", "%s", e.msg);
	free(dump);
	free(scope);
	crawl_plan_release(&p);
	return rc;
}

static void summary(const struct crawl_stats *st, int result,
		    const char *archive)
{
	char b[32], w[32];

	human(st->bytes, b, sizeof(b));
	human(st->warc_bytes, w, sizeof(w));
	/* the crawl log's words: robots, out-of-scope(REASON), failed:WHAT */
	printf("crawl %lld %s: %ld captures (%ld revisits, %ld not modified), "
	       "%ld failed, %ld robots, %ld out-of-scope, %s received, %s "
	       "written, %.1f s%s\n",
	       (long long)st->crawl_id,
	       result == CRAWL_COMPLETE ? "complete" :
	       result == CRAWL_PARTIAL ? "finished with failures" :
	       "interrupted", st->pages, st->revisits, st->not_modified,
	       st->failed, st->robots, st->skipped - st->robots, b, w,
	       st->elapsed,
	       st->limit_hit ? " (page/byte limit reached)" : "");
	printf("html: %ld pages, %ld parses\n", st->html_pages,
	       st->html_parses);
	/* a finished crawl's log is compressed as the crawl ends */
	printf("archive: %s  log: %s%s\n", archive, st->log_path,
	       result == CRAWL_INTERRUPTED ? "" : ".zst");
}

/* compact-level > 0: repack the finished crawl's WARC files (compact.h). */
static void compact_after(int64_t id, int level)
{
	struct compact_report rep;
	struct catalog *c;
	struct err e;

	c = catalog_open(cmd_archive, 0, &e);
	if (!c || crawl_compact(cmd_archive, c, id, level, &rep, &e) < 0)
		cmd_error("crawl", "warning: compact: %s (the crawl is complete;"
			  " its WARC files stay as written: run govarch "
			  "compact)", e.msg);
	catalog_close(c);
}

static int crawl_exec(int argc, char **argv)
{
	struct args a;
	struct crawl_plan p;
	struct crawl_opts o;
	struct crawl_stats st;
	struct progress prog;
	struct err e = { "" };
	struct sigaction sa;
	pid_t holder = 0;
	int lockfd = -1, rc = EXIT_FAIL, r;
	long n;

	memset(&a, 0, sizeof(a));
	memset(&p, 0, sizeof(p));
	buf_init(&a.line, 0);
	if (parse_args(argc, argv, &a)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (a.dry_run) {
		rc = dry_run(&a);
		goto out;
	}
	/* settle usage problems before the archive is created or locked */
	r = crawl_plan_make(&p, cmd_archive, &a.s, &e);
	if (r < 0) {
		cmd_error("crawl", "%s", e.msg);
		rc = p.unreadable ? EXIT_FAIL : EXIT_USAGE;
		crawl_plan_release(&p);
		goto out;
	}
	crawl_plan_release(&p);
	if (mkdirs(cmd_archive) < 0) {
		cmd_error("crawl", "%s: %s", cmd_archive, strerror(errno));
		goto out;
	}
	r = crawl_lock_take(cmd_archive, &lockfd, &holder, &e);
	if (r == 1) {
		cmd_error("crawl", "%s is locked by another crawl (pid %ld); "
			  "not starting", cmd_archive, (long)holder);
		rc = EXIT_LOCKED;
		goto out;
	}
	if (r < 0) {
		cmd_error("crawl", "%s", e.msg);
		goto out;
	}
	/* again under the lock: another crawl may have finished meanwhile */
	if (crawl_plan_make(&p, cmd_archive, &a.s, &e) < 0) {
		cmd_error("crawl", "%s", e.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	if (p.note)
		fprintf(stderr, "govarch: crawl: %s\n", p.note);
	if (p.mode != CRAWL_PLAN_RESUME &&
	    crawl_settings_save(cmd_archive, &p.cfg, p.from.data, &e) < 0) {
		cmd_error("crawl", "%s", e.msg);
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&prog, 0, sizeof(prog));
	prog.tty = isatty(STDERR_FILENO);
	prog.quiet = a.quiet;
	prog.interval = p.cfg.progress_interval;
	prog.last = time_mono();
	memset(&o, 0, sizeof(o));
	o.cfg = &p.cfg;
	o.archive = cmd_archive;
	o.config_name = p.cname;
	o.config_text = p.text.data;
	o.stop = &crawl_stop_sig;
	o.progress = on_progress;
	o.starting = on_starting;
	o.progress_ctx = &prog;
	prog.resume = a.resume;   /* an interrupted crawl is always resumed */
	r = crawl_run(&o, &st, &e);
	if (prog.line_shown)
		fprintf(stderr, "\r\033[K");
	if (r < 0) {
		cmd_error("crawl", "%s", e.msg);
		/* a damaged catalog or state names its own recovery */
		if ((crawl_stop_sig || st.crawl_id) && !strstr(e.msg, "; recover"))
			fprintf(stderr, "govarch: crawl: state saved; resume with: "
				"govarch crawl --resume --archive %s\n",
				cmd_archive);
		goto out;
	}
	if (!a.quiet || r != CRAWL_COMPLETE)
		summary(&st, r, cmd_archive);
	if (r == CRAWL_INTERRUPTED) {
		fprintf(stderr, "govarch: crawl: interrupted by %s; state saved. "
			"Resume with: govarch crawl --resume --archive %s\n",
			crawl_stop_sig == SIGINT ? "SIGINT" : "SIGTERM",
			cmd_archive);
		rc = crawl_stop_sig == SIGINT ? EXIT_SIGINT : EXIT_SIGTERM;
		goto out;
	}
	rc = r == CRAWL_PARTIAL ? EXIT_PARTIAL : EXIT_OK;
	/* the crawl is complete: now its files may be repacked, still under
	 * the lock; a failure leaves them as written.  Before the
	 * notification, whose report names each change's WARC file and
	 * offset: the files as they stay. */
	if (p.cfg.compact_level > 0)
		compact_after(st.crawl_id, (int)p.cfg.compact_level);
	/* a failed notification is said, never the crawl's failure */
	n = crawl_notify(cmd_archive, &p.cfg, st.crawl_id, &e);
	if (n < 0)
		cmd_error("crawl", "notification failed: %s", e.msg);
	/* last, once nothing more is logged: the finished crawl's log is
	 * read rarely and over years outweighs an unchanged page's records */
	crawllog_compress(st.log_path);
out:
	crawl_lock_release(lockfd);
	crawl_plan_release(&p);
	crawl_strv_clear(&a.s.seeds);
	crawl_strv_clear(&a.s.scopes);
	crawl_strv_clear(&a.s.sets);
	buf_release(&a.line);
	return rc;
}

const struct cmd_entry cmd_crawl_entry = { "crawl", "[-c CONFIG] [--seed URL]... [--scope PREFIX]... [--delay SEC] [--max-pages N] [--format zst|gz|warc] [--set KEY=VALUE]... [--resume] [--reconfigure] [--dry-run] [--quiet]\n  crawl the configured site politely into ARCHIVE: WARC files, the catalog, the crawl log, the change feed.  The settings are saved as ARCHIVE/crawl.conf: without -c/--seed/--scope the saved crawl is repeated (--delay, --max-pages, --format, --set change it); other seeds or scope need --reconfigure; an unfinished crawl always resumes first, with its saved settings.\n  -c, --config CONFIG  the configuration (govarch.conf(5)); default $GOVARCH_CONFIG, else /etc/govarch/govarch.conf when present, else the dpmc.conf beside the binary or under PREFIX/share/govarch\n  --seed URL           replaces the config's seeds and sitemaps (repeat for more); without --scope the scope becomes the seeds' hosts\n  --scope PREFIX       replaces the config's scope with URL prefixes (repeat for more)\n  --delay SEC          minimum seconds between requests to one host (config key delay)\n  --max-pages N        stop after N captures, 0 = no limit (max-pages)\n  --format zst|gz|warc compression of new WARC files (format)\n  --set KEY=VALUE      any configuration key, after the file (repeat for more)\n  --resume             say so: resume the interrupted crawl (it is resumed anyway; without one a new crawl starts, with a note)\n  --reconfigure        crawl other seeds or another scope than the archive's saved crawl\n  --dry-run            print KEY<TAB>VALUE<TAB>FROM for every key (FROM: default, FILE:LINE or the option) after '#' lines (new/repeat/resume, config, scope); nothing fetched or written\n  -q, --quiet          no progress lines and no summary unless the crawl did not complete\n  Progress on stderr (a live line on a terminal, else a line every progress-interval seconds).  The summary on stdout: 'crawl ID complete|finished with failures|interrupted: N captures (N revisits, N not modified), N failed, N robots, N out-of-scope, SIZE received, SIZE written, SECS s', 'html: N pages, N parses' and 'archive: DIR  log: FILE'; robots and out-of-scope count the URLs the crawl log marks robots and out-of-scope(REASON).  Then, unless compact-level is 0, the WARC files of a complete or partial crawl are repacked as govarch compact does (a failure is a warning).\n  Exit 0 complete, 1 error, 2 bad usage or configuration (checked before anything is fetched: a seed outside the scope, a bad value, contact still an example on a crawl of a host other than loopback), 3 finished with some URLs failed, 75 another crawl holds the archive's lock, 130/143 stopped by SIGINT/SIGTERM (state saved; run again to resume)", "crawl the site politely into WARC files (resumable)", crawl_exec };
