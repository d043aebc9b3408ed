/* govarch crawl: walk a site politely into WARC files (src/crawl/crawl.h).
 *
 * Config: -c FILE, else config/dpmc.conf found next to the binary (see
 * crawl_config_default_path).  Flags override it; --seed replaces the seeds
 * (and the config's sitemaps) and, unless --scope is given, makes the scope
 * the seeds' hosts.  Progress on stderr: a live line on a terminal, else a
 * line every progress-interval seconds; the summary on stdout.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "crawl/config.h"
#include "crawl/crawl.h"
#include "crawl/lock.h"
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
	const char *config;
	struct crawl_strv seeds, scopes, sets;
	const char *delay, *max_pages, *format;
	int resume, quiet;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--resume")) {
			a->resume = 1;
		} else if (!strcmp(o, "--quiet") || !strcmp(o, "-q")) {
			a->quiet = 1;
		} else if (!strcmp(o, "-c") || !strcmp(o, "--config")) {
			if (!v)
				return -1;
			a->config = v;
			i++;
		} else if (!strcmp(o, "--seed") || !strcmp(o, "--scope") ||
			   !strcmp(o, "--set")) {
			if (!v)
				return -1;
			crawl_strv_add(!strcmp(o, "--seed") ? &a->seeds :
				       !strcmp(o, "--scope") ? &a->scopes
							      : &a->sets, v);
			i++;
		} else if (!strcmp(o, "--delay")) {
			if (!v)
				return -1;
			a->delay = v;
			i++;
		} else if (!strcmp(o, "--max-pages")) {
			if (!v)
				return -1;
			a->max_pages = v;
			i++;
		} else if (!strcmp(o, "--format")) {
			if (!v)
				return -1;
			a->format = v;
			i++;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Apply the flags on top of the config; override lines go to extra. */
static int apply_args(struct crawl_config *cfg, const struct args *a,
		      struct buf *extra, struct err *e)
{
	size_t i;

	if (a->seeds.n) {
		crawl_strv_clear(&cfg->seeds);
		crawl_strv_clear(&cfg->sitemaps);
		for (i = 0; i < a->seeds.n; i++) {
			char *n = NULL;

			if (url_normalize(a->seeds.v[i], 0, &n, e) < 0)
				return -1;
			crawl_strv_add(&cfg->seeds, n);
			buf_addf(extra, "seed = %s\n", n);
			free(n);
		}
		if (!a->scopes.n) {
			crawl_strv_clear(&cfg->scope_hosts);
			crawl_strv_clear(&cfg->scope_prefixes);
			for (i = 0; i < cfg->seeds.n; i++) {
				char *h = url_hostport(cfg->seeds.v[i]);

				if (h) {
					crawl_strv_add(&cfg->scope_hosts, h);
					buf_addf(extra, "scope-host = %s\n", h);
				}
				free(h);
			}
		}
	}
	if (a->scopes.n) {
		crawl_strv_clear(&cfg->scope_hosts);
		crawl_strv_clear(&cfg->scope_prefixes);
		for (i = 0; i < a->scopes.n; i++) {
			crawl_strv_add(&cfg->scope_prefixes, a->scopes.v[i]);
			buf_addf(extra, "scope-prefix = %s\n", a->scopes.v[i]);
		}
	}
#define SET(key, val) do { \
	if ((val) && crawl_config_set(cfg, key, val, e) < 0) \
		return -1; \
	if (val) \
		buf_addf(extra, "%s = %s\n", key, val); \
} while (0)
	SET("delay", a->delay);
	SET("max-pages", a->max_pages);
	SET("format", a->format);
	for (i = 0; i < a->sets.n; i++) {
		char *kv = strdup(a->sets.v[i]), *eq = strchr(kv, '=');

		if (!eq) {
			free(kv);
			return err_set(e, "--set %s: expected KEY=VALUE",
				       a->sets.v[i]);
		}
		*eq = 0;
		SET(kv, eq + 1);
		free(kv);
	}
#undef SET
	if (!cfg->seeds.n)
		return err_set(e, "no seeds (give --seed URL or seed = URL in "
			       "the config)");
	return 0;
}

static void summary(const struct crawl_stats *st, int result,
		    const char *archive)
{
	char b[32], w[32];

	human(st->bytes, b, sizeof(b));
	human(st->warc_bytes, w, sizeof(w));
	printf("crawl %lld %s: %ld captures (%ld revisits, %ld not modified), "
	       "%ld failed, %ld refused, %s received, %s written, %.1f s%s\n",
	       (long long)st->crawl_id,
	       result == CRAWL_COMPLETE ? "complete" :
	       result == CRAWL_PARTIAL ? "finished with failures" :
	       "interrupted", st->pages, st->revisits, st->not_modified,
	       st->failed, st->skipped, b, w, st->elapsed,
	       st->limit_hit ? " (page/byte limit reached)" : "");
	printf("html: %ld pages, %ld parses\n", st->html_pages,
	       st->html_parses);
	printf("archive: %s  log: %s\n", archive, st->log_path);
}

static int crawl_exec(int argc, char **argv)
{
	struct args a;
	struct crawl_config cfg;
	struct crawl_opts o;
	struct crawl_stats st;
	struct progress prog;
	struct err e = { "" };
	struct buf text = BUF_INIT(0), extra = BUF_INIT(0);
	struct sigaction sa;
	char *cpath = NULL;
	const char *cname;
	pid_t holder = 0;
	int lockfd = -1, rc = EXIT_FAIL, r;
	FILE *f;

	memset(&a, 0, sizeof(a));
	crawl_config_init(&cfg);
	if (parse_args(argc, argv, &a) < 0) {
		rc = cmd_usage("crawl");
		goto out;
	}
	cpath = a.config ? strdup(a.config) : crawl_config_default_path();
	if (!cpath) {
		cmd_error("crawl", "no config: config/dpmc.conf not found next "
			  "to the binary; give -c FILE");
		goto out;
	}
	if (crawl_config_load(&cfg, cpath, &e) < 0) {
		cmd_error("crawl", "%s", e.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	if (apply_args(&cfg, &a, &extra, &e) < 0) {
		cmd_error("crawl", "%s", e.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((f = fopen(cpath, "rb"))) {
		char chunk[8192];
		size_t n;

		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&text, chunk, n);
		fclose(f);
	}
	if (extra.len)
		buf_addf(&text, "\n# command-line overrides\n%s", extra.data);
	cname = strrchr(cpath, '/') ? strrchr(cpath, '/') + 1 : cpath;

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

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&prog, 0, sizeof(prog));
	prog.tty = isatty(STDERR_FILENO);
	prog.quiet = a.quiet;
	prog.interval = cfg.progress_interval;
	prog.last = time_mono();
	memset(&o, 0, sizeof(o));
	o.cfg = &cfg;
	o.archive = cmd_archive;
	o.config_name = cname;
	o.config_text = text.data;
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
		if (crawl_stop_sig || st.crawl_id)
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
	} else {
		rc = r == CRAWL_PARTIAL ? EXIT_PARTIAL : EXIT_OK;
	}
out:
	crawl_lock_release(lockfd);
	crawl_config_release(&cfg);
	crawl_strv_clear(&a.seeds);
	crawl_strv_clear(&a.scopes);
	crawl_strv_clear(&a.sets);
	buf_release(&text);
	buf_release(&extra);
	free(cpath);
	return rc;
}

const struct cmd_entry cmd_crawl_entry = { "crawl", "[-c CONFIG] [--seed URL]... [--scope PREFIX]... [--delay SEC] [--max-pages N] [--format zst|gz|warc] [--set KEY=VALUE]... [--resume] [--quiet]", "crawl the site politely into WARC files (resumable)", crawl_exec };
