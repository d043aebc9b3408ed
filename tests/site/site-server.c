/* govarch-site: the local DPMC replica (see site.h).
 *
 *   govarch-site [--port N] [--port-file F] [--bind 127.0.0.1]
 *                [--site-version vN] [--log F] [--crawl-delay N]
 *                [--robots-status N] [--menu-from vN] [--data DIR]
 *                [--synthetic PAGES]
 *   govarch-site --list pages|requisites vN | --list disallowed|hostile
 *   govarch-site --changes vA vB
 *
 * Serves until SIGTERM or SIGINT.  The version changes while running with
 * GET /__control/version?set=vN (linked from nowhere).  --synthetic grows
 * v1 to PAGES HTML pages for the scale benchmark (v1 only; with --list too).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "site-http.h"

#define EXIT_USAGE 2

static const char usage[] =
	"usage: govarch-site [--port N] [--port-file FILE] [--bind 127.0.0.1]\n"
	"                    [--site-version v1|v2|v3] [--log FILE]\n"
	"                    [--crawl-delay SEC] [--robots-status CODE]\n"
	"                    [--menu-from v1|v2|v3] [--data DIR]\n"
	"                    [--synthetic PAGES]\n"
	"       govarch-site --list pages|requisites v1|v2|v3 [--synthetic PAGES]\n"
	"       govarch-site --list disallowed|hostile\n"
	"       govarch-site --changes vA vB\n";

struct options {
	int port, crawl_delay, robots_status, version, menu_version;
	int synthetic;
	const char *port_file, *bind, *log, *data;
	const char *list, *list_version, *changes_from, *changes_to;
};

static int bad_usage(const char *what)
{
	fprintf(stderr, "govarch-site: %s\n%s", what, usage);
	return -2;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = s ? strtol(s, &end, 10) : 0;
	if (!s || errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	*o = (struct options){ .robots_status = 200, .version = 1,
			       .bind = "127.0.0.1" };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			exit(0);
		}
		if (!v)
			return bad_usage("an option is missing its value");
		i++;
		if (strcmp(a, "--port") == 0) {
			if (parse_int(v, 0, 65535, &o->port) < 0)
				return bad_usage("--port: expected 0..65535");
		} else if (strcmp(a, "--port-file") == 0) {
			o->port_file = v;
		} else if (strcmp(a, "--bind") == 0) {
			o->bind = v;
		} else if (strcmp(a, "--site-version") == 0) {
			if ((o->version = site_version_parse(v)) < 0)
				return bad_usage("--site-version: expected v1, v2 or v3");
		} else if (strcmp(a, "--menu-from") == 0) {
			if ((o->menu_version = site_version_parse(v)) < 0)
				return bad_usage("--menu-from: expected v1, v2 or v3");
		} else if (strcmp(a, "--log") == 0) {
			o->log = v;
		} else if (strcmp(a, "--data") == 0) {
			o->data = v;
		} else if (strcmp(a, "--crawl-delay") == 0) {
			if (parse_int(v, 0, 86400, &o->crawl_delay) < 0)
				return bad_usage("--crawl-delay: expected seconds");
		} else if (strcmp(a, "--synthetic") == 0) {
			if (parse_int(v, 1, 10000000, &o->synthetic) < 0)
				return bad_usage("--synthetic: expected a page count");
		} else if (strcmp(a, "--robots-status") == 0) {
			if (parse_int(v, 100, 599, &o->robots_status) < 0)
				return bad_usage("--robots-status: expected 100..599");
		} else if (strcmp(a, "--list") == 0) {
			o->list = v;
			if (strcmp(v, "pages") == 0 || strcmp(v, "requisites") == 0) {
				if (i + 1 >= argc)
					return bad_usage("--list: which version?");
				o->list_version = argv[++i];
			}
		} else if (strcmp(a, "--changes") == 0) {
			if (i + 1 >= argc)
				return bad_usage("--changes: expected two versions");
			o->changes_from = v;
			o->changes_to = argv[++i];
		} else {
			return bad_usage("unknown option");
		}
	}
	if (o->synthetic && (o->version != 1 || o->changes_from ||
			     (o->list_version && strcmp(o->list_version, "v1") != 0)))
		return bad_usage("--synthetic: a generated site has v1 only");
	return 0;
}

/* --list and --changes: print the ground truth and leave. */
static int print_truth(const struct site *s, const struct options *o)
{
	struct buf out = BUF_INIT(0);
	int v = 1;

	if (o->list) {
		static const char *const names[] = { "pages", "requisites",
			"disallowed", "hostile" };
		int what = -1;

		for (int i = 0; i < 4; i++)
			if (strcmp(o->list, names[i]) == 0)
				what = i;
		if (what < 0)
			return bad_usage("--list: pages, requisites, disallowed or hostile");
		if (o->list_version && (v = site_version_parse(o->list_version)) < 0)
			return bad_usage("--list: expected v1, v2 or v3");
		site_list(s, (enum site_list)what, v, &out);
	} else {
		int from = site_version_parse(o->changes_from);
		int to = site_version_parse(o->changes_to);

		if (from < 0 || to < 0)
			return bad_usage("--changes: expected two of v1, v2, v3");
		site_changes(s, from, to, &out);
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_release(&out);
	return fflush(stdout) == 0 ? 0 : -1;
}

static int write_port_file(const char *file, int port, struct err *e)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f)
		return err_set(e, "%s: cannot write", tmp);
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, file) != 0)
		return err_set(e, "%s: cannot write", file);
	return 0;
}

static int serve(const struct site *s, const struct options *o)
{
	struct site_http h;
	struct err e = { "" };
	sigset_t stop;
	int sig = 0;

	memset(&h, 0, sizeof(h));
	h.site = s;
	h.version = o->version;
	h.robots.status = o->robots_status;
	h.robots.crawl_delay = o->crawl_delay;
	if (o->log && !(h.log = fopen(o->log, "a"))) {
		fprintf(stderr, "govarch-site: %s: cannot open the log\n", o->log);
		return -1;
	}
	/* Block the stop signals in every thread; the main thread waits. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (site_http_start(&h, o->bind, o->port, &e) < 0 ||
	    (o->port_file && write_port_file(o->port_file, h.port, &e) < 0)) {
		fprintf(stderr, "govarch-site: %s\n", e.msg);
		site_http_stop(&h);
		if (h.log)
			fclose(h.log);
		return -1;
	}
	fprintf(stderr, "govarch-site: serving v%d on http://%s:%d/\n",
		o->version, o->bind, h.port);
	sigwait(&stop, &sig);
	alarm(5);       /* a stream that will not stop must not keep us alive */
	site_http_stop(&h);
	if (h.log)
		fclose(h.log);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct site s;
	struct err e = { "" };
	char data[4096];
	int rc;

	if (parse_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	if (site_data_find(o.data, argv[0], data, sizeof(data), &e) < 0 ||
	    site_load(&s, data, &e) < 0) {
		fprintf(stderr, "govarch-site: %s\n", e.msg);
		return 1;
	}
	s.menu_version = o.menu_version;
	if (o.synthetic && site_synthetic_setup(&s, o.synthetic, &e) < 0) {
		fprintf(stderr, "govarch-site: %s\n", e.msg);
		site_release(&s);
		return EXIT_USAGE;
	}
	if (o.list || o.changes_from)
		rc = print_truth(&s, &o);
	else
		rc = serve(&s, &o);
	site_release(&s);
	return rc == -2 ? EXIT_USAGE : rc < 0 ? 1 : 0;
}
