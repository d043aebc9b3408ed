/* govarch crawl: walk a site politely into WARC files (src/crawl/crawl.h).
 *
 * Config: -c FILE, else config/dpmc.conf found next to the binary (see
 * crawl_config_default_path).  Flags override it; --seed replaces the seeds
 * (and the config's sitemaps) and, unless --scope is given, makes the scope
 * the seeds' hosts.  Progress on stderr: a live line on a terminal, else a
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

#include "cmd.h"
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
		_exit(sig == SIGINT ? 130 : 143);   /* second signal: now */
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
	int resume, quiet, dry_run, reconfigure;
	struct buf line;            /* the options as given, for crawl.conf */
};

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

	opterr = 0;
	while ((o = getopt_long(argc, argv, "c:q", opts, NULL)) != -1) {
		switch (o) {
		case 'c': a->config = optarg; break;
		case 'S': crawl_strv_add(&a->seeds, optarg); break;
		case 'P': crawl_strv_add(&a->scopes, optarg); break;
		case 's': crawl_strv_add(&a->sets, optarg); break;
		case 'd': a->delay = optarg; break;
		case 'm': a->max_pages = optarg; break;
		case 'f': a->format = optarg; break;
		case 'r': a->resume = 1; break;
		case 'q': a->quiet = 1; break;
		case 'n': a->dry_run = 1; break;
		case 'R': a->reconfigure = 1; break;
		default: return -1;
		}
	}
	if (optind != argc)
		return -1;
	/* what crawl.conf says it came from: the options that shape it */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--resume") || !strcmp(argv[i], "--quiet") ||
		    !strcmp(argv[i], "-q") || !strcmp(argv[i], "--dry-run") ||
		    !strcmp(argv[i], "--reconfigure"))
			continue;
		buf_addf(&a->line, " %s", argv[i]);
	}
	return 0;
}

/* Any option that says what to crawl or how (not --resume, --quiet...). */
static int has_settings(const struct args *a)
{
	return a->config || a->seeds.n || a->scopes.n || a->sets.n ||
	       a->delay || a->max_pages || a->format;
}

/* Set key unless the settings already have exactly that line: a cron line
 * repeating `--set exclude=X` on the saved settings must not grow them. */
static int set_value(struct crawl_config *cfg, const char *key,
		     const char *val, struct err *e)
{
	struct buf all = BUF_INIT(0), line = BUF_INIT(0);
	char *dump = crawl_config_dump(cfg);
	int have;

	buf_addf(&all, "\n%s", dump ? dump : "");
	buf_addf(&line, "\n%s = %s\n", key, val);
	have = strstr(all.data, line.data) != NULL;
	buf_release(&all);
	buf_release(&line);
	free(dump);
	return have ? 0 : crawl_config_set(cfg, key, val, e);
}

/* Apply the flags on top of the config; override lines go to extra. */
static int apply_args(struct crawl_config *cfg, const struct args *a,
		      struct buf *extra, struct err *e)
{
	size_t i;

	if (a->seeds.n) {
		crawl_strv_clear(&cfg->seeds);
		crawl_strv_clear(&cfg->sitemaps);
		cfg->origin = "--seed";
		for (i = 0; i < a->seeds.n; i++) {
			char *n = NULL;

			if (url_normalize(a->seeds.v[i], 0, &n, e) < 0 ||
			    crawl_config_set(cfg, "seed", n, e) < 0) {
				free(n);
				return -1;
			}
			buf_addf(extra, "seed = %s\n", n);
			free(n);
		}
		if (!a->scopes.n) {
			crawl_strv_clear(&cfg->scope_hosts);
			crawl_strv_clear(&cfg->scope_prefixes);
			cfg->origin = "--seed (its host)";
			for (i = 0; i < cfg->seeds.n; i++) {
				char *h = url_hostport(cfg->seeds.v[i]);

				if (h && crawl_config_set(cfg, "scope-host", h,
							  e) < 0) {
					free(h);
					return -1;
				}
				if (h)
					buf_addf(extra, "scope-host = %s\n", h);
				free(h);
			}
		}
	}
	if (a->scopes.n) {
		crawl_strv_clear(&cfg->scope_hosts);
		crawl_strv_clear(&cfg->scope_prefixes);
		cfg->origin = "--scope";
		for (i = 0; i < a->scopes.n; i++) {
			if (crawl_config_set(cfg, "scope-prefix", a->scopes.v[i],
					     e) < 0)
				return err_prefix(e, "--scope");
			buf_addf(extra, "scope-prefix = %s\n", a->scopes.v[i]);
		}
	}
#define SET(opt, key, val) do { \
	cfg->origin = opt; \
	if ((val) && set_value(cfg, key, val, e) < 0) \
		return err_prefix(e, "%s", opt); \
	if (val) \
		buf_addf(extra, "%s = %s\n", key, val); \
} while (0)
	SET("--delay", "delay", a->delay);
	SET("--max-pages", "max-pages", a->max_pages);
	SET("--format", "format", a->format);
	for (i = 0; i < a->sets.n; i++) {
		char *kv = strdup(a->sets.v[i]), *eq = kv ? strchr(kv, '=') : NULL;

		if (!eq) {
			free(kv);
			return err_set(e, "--set %s: expected KEY=VALUE",
				       a->sets.v[i]);
		}
		*eq = 0;
		SET("--set", kv, eq + 1);
		free(kv);
	}
#undef SET
	cfg->origin = NULL;
	return 0;
}

enum mode {
	MODE_NEW,       /* settings from the config file and the options */
	MODE_REPEAT,    /* the archive's saved crawl (and --delay/--set...) */
	MODE_RESUME,    /* an unfinished crawl: its saved settings only */
};

/* What to crawl, decided from the options and the archive. */
struct plan {
	struct crawl_config cfg;
	enum mode mode;
	int64_t unfinished;         /* id of the unfinished crawl, or 0 */
	char *cpath;                /* config file read (or crawl.conf) */
	const char *cname;          /* its base name (warcinfo, catalog) */
	struct buf text;            /* config text for warcinfo and catalog */
	struct buf from;            /* provenance line for crawl.conf */
	const char *note;           /* a one-line remark to print, or NULL */
	int settled;                /* cfg complete (only checks may fail) */
	struct crawl_scope *scope;
};

static void plan_release(struct plan *p)
{
	crawl_config_release(&p->cfg);
	crawl_scope_free(p->scope);
	free(p->cpath);
	buf_release(&p->text);
	buf_release(&p->from);
	memset(p, 0, sizeof(*p));
}

/* A config file's settings with the options on top. */
static int from_file(struct plan *p, const struct args *a, struct err *e)
{
	struct buf extra = BUF_INIT(0);
	int rc = -1;

	p->cpath = a->config ? strdup(a->config) : crawl_config_default_path();
	if (!p->cpath) {
		err_set(e, "no config: config/dpmc.conf not found next to the "
			"binary; give -c FILE");
		goto out;
	}
	if (crawl_config_read(p->cpath, &p->text, e) < 0)
		goto out;
	p->cfg.origin = "";     /* parse sets FILE:LINE */
	if (crawl_config_parse(&p->cfg, p->text.data, p->cpath, e) < 0 ||
	    apply_args(&p->cfg, a, &extra, e) < 0)
		goto out;
	if (extra.len)
		buf_addf(&p->text, "\n# command-line overrides\n%s", extra.data);
	buf_addf(&p->from, "config %s, options:%s", p->cpath,
		 a->line.len ? a->line.data : " none");
	rc = 0;
out:
	buf_release(&extra);
	return rc;
}

/* The saved settings (crawl.conf text in saved, read from path). */
static int from_saved(struct plan *p, const struct args *a, const char *path,
		      const struct buf *saved, struct err *e)
{
	struct buf extra = BUF_INIT(0);
	int rc = -1;

	p->cpath = strdup(path);
	buf_add(&p->text, saved->data, saved->len);
	p->cfg.origin = "";
	if (crawl_config_parse(&p->cfg, saved->data, path, e) < 0)
		goto out;
	if (p->mode == MODE_REPEAT && apply_args(&p->cfg, a, &extra, e) < 0)
		goto out;
	if (extra.len)
		buf_addf(&p->text, "\n# command-line overrides\n%s", extra.data);
	buf_addf(&p->from, "the saved settings, options:%s",
		 a->line.len ? a->line.data : " none");
	rc = 0;
out:
	buf_release(&extra);
	return rc;
}

/* Decide what this run crawls.  -1 with e: a usage problem (exit 2). */
static int plan_make(struct plan *p, const struct args *a, struct err *e)
{
	struct buf saved = BUF_INIT(0);
	char *spath = NULL;
	int have_saved, rc = -1;

	memset(p, 0, sizeof(*p));
	crawl_config_init(&p->cfg);
	buf_init(&p->text, 0);
	buf_init(&p->from, 0);
	have_saved = crawl_settings_read(cmd_archive, &saved, &spath, e);
	if (have_saved < 0 ||
	    crawl_settings_unfinished(cmd_archive, &p->unfinished, e) < 0)
		goto out;
	if (p->unfinished && have_saved) {
		struct plan given;

		if (a->reconfigure) {
			err_set(e, "crawl %lld is unfinished: resume it "
				"(govarch crawl --archive %s) before changing its "
				"seeds or scope", (long long)p->unfinished,
				cmd_archive);
			goto out;
		}
		p->mode = MODE_RESUME;
		if (from_saved(p, a, spath, &saved, e) < 0)
			goto out;
		if (has_settings(a)) {
			/* options that change nothing are fine (cron) */
			char *d1 = crawl_config_dump(&p->cfg), *d2 = NULL;

			memset(&given, 0, sizeof(given));
			crawl_config_init(&given.cfg);
			if (from_file(&given, a, e) == 0)
				d2 = crawl_config_dump(&given.cfg);
			if (!d2 || !d1 || strcmp(d1, d2))
				p->note = "the options given are not used: the "
					  "unfinished crawl resumes with its "
					  "saved settings";
			free(d1);
			free(d2);
			plan_release(&given);
		}
	} else if (have_saved && !a->config && !a->seeds.n && !a->scopes.n) {
		p->mode = MODE_REPEAT;
		if (from_saved(p, a, spath, &saved, e) < 0)
			goto out;
	} else {
		p->mode = MODE_NEW;
		if (from_file(p, a, e) < 0)
			goto out;
		if (have_saved && !a->reconfigure) {
			struct crawl_config was;
			struct err le;
			int same;

			crawl_config_init(&was);
			same = crawl_config_parse(&was, saved.data, spath, &le) < 0
			       || crawl_settings_same_scope(&was, &p->cfg, &le);
			crawl_config_release(&was);
			if (!same) {
				err_set(e, "%s is crawled with other seeds or "
					"scope (%s; saved in %s): give "
					"--reconfigure to change them, or no "
					"-c/--seed/--scope to repeat its crawl",
					cmd_archive, le.msg, spath);
				goto out;
			}
		}
	}
	p->cname = strrchr(p->cpath, '/') ? strrchr(p->cpath, '/') + 1
					  : p->cpath;
	p->settled = 1;
	if (!p->cfg.seeds.n) {
		err_set(e, "no seeds (give --seed URL or seed = URL in the "
			"config)");
		goto out;
	}
	if (!(p->scope = crawl_settings_scope(&p->cfg, e)) ||
	    crawl_settings_check_seeds(&p->cfg, p->scope, e) < 0 ||
	    crawl_settings_check_contact(&p->cfg, e) < 0)
		goto out;
	rc = 0;
out:
	buf_release(&saved);
	free(spath);
	return rc;
}

/* --dry-run: the settings and where each came from; nothing touched. */
static int dry_run(const struct args *a)
{
	struct plan p;
	struct err e = { "" };
	char *dump = NULL, *scope = NULL;
	int r = plan_make(&p, a, &e), rc = EXIT_USAGE;

	if (!p.settled)         /* no complete configuration to show */
		goto out;
	printf("# govarch crawl --dry-run: nothing is fetched, the archive is "
	       "not touched\n");
	if (p.mode == MODE_RESUME)
		printf("# archive %s: crawl %lld is unfinished; it resumes with "
		       "its saved settings\n", cmd_archive,
		       (long long)p.unfinished);
	else if (p.mode == MODE_REPEAT)
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
	plan_release(&p);
	return rc;
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
	printf("archive: %s  log: %s\n", archive, st->log_path);
}

static int crawl_exec(int argc, char **argv)
{
	struct args a;
	struct plan p;
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
	if (parse_args(argc, argv, &a) < 0) {
		rc = cmd_usage("crawl");
		goto out;
	}
	if (a.dry_run) {
		rc = dry_run(&a);
		goto out;
	}
	/* settle usage problems before the archive is created or locked */
	r = plan_make(&p, &a, &e);
	plan_release(&p);
	if (r < 0) {
		cmd_error("crawl", "%s", e.msg);
		rc = EXIT_USAGE;
		goto out;
	}
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
	if (plan_make(&p, &a, &e) < 0) {
		cmd_error("crawl", "%s", e.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	if (p.note)
		fprintf(stderr, "govarch: crawl: %s\n", p.note);
	if (p.mode != MODE_RESUME &&
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
		rc = crawl_stop_sig == SIGINT ? 130 : 143;
		goto out;
	}
	rc = r == CRAWL_PARTIAL ? EXIT_PARTIAL : EXIT_OK;
	/* a failed notification is said, never the crawl's failure */
	n = crawl_notify(cmd_archive, &p.cfg, st.crawl_id, &e);
	if (n < 0)
		cmd_error("crawl", "notification failed: %s", e.msg);
out:
	crawl_lock_release(lockfd);
	plan_release(&p);
	crawl_strv_clear(&a.seeds);
	crawl_strv_clear(&a.scopes);
	crawl_strv_clear(&a.sets);
	buf_release(&a.line);
	return rc;
}

const struct cmd_entry cmd_crawl_entry = { "crawl", "[-c CONFIG] [--seed URL]... [--scope PREFIX]... [--delay SEC] [--max-pages N] [--format zst|gz|warc] [--set KEY=VALUE]... [--resume] [--quiet]", "crawl the site politely into WARC files (resumable)", crawl_exec };
