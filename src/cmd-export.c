/* govarch export: hand a crawl over as one WACZ file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "cmd.h"

struct prog {
	int tty;
};

static void show_progress(void *ctx, uint64_t done, uint64_t total, int last)
{
	struct prog *p = ctx;

	if (p->tty)
		fprintf(stderr, "\rexport: %llu of %llu records%s",
			(unsigned long long)done, (unsigned long long)total,
			last ? "\n" : "");
	else
		fprintf(stderr, "export: %llu of %llu records\n",
			(unsigned long long)done, (unsigned long long)total);
	fflush(stderr);
}

/* The oldest and newest crawl ids: 0, or -1 (none: e says so). */
static int crawl_span(struct catalog *c, int64_t *lo, int64_t *hi,
		      struct err *e)
{
	struct catalog_crawl *v = NULL;
	size_t n;

	if (catalog_crawls(c, &v, &n, e) < 0)
		return -1;
	if (!n) {
		free(v);
		return err_set(e, "%s: no crawl in the archive", cmd_archive);
	}
	*lo = v[0].id;
	*hi = v[n - 1].id;
	free(v);
	return 0;
}

static int export_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wacz", required_argument, NULL, 'w' },
		{ "crawl", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "progress", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *crawl = NULL, *from = NULL, *to = NULL;
	struct catalog_wacz_opts wo;
	struct catalog_wacz_stats st;
	struct catalog *c = NULL;
	struct prog pr = { 0 };
	int o, progress = 0, rc = EXIT_FAIL;
	struct err e;

	while ((o = cmd_getopt("export", argc, argv, "", opts)) != -1) {
		switch (o) {
		case 'w': out = optarg; break;
		case 'c': crawl = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'p': progress = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cmd_usage_error("export", "unexpected argument '%s'",
				       argv[optind]);
	if (!out)
		return cmd_usage_error("export", "missing --wacz OUT.wacz");
	if (!*out)
		return cmd_usage_error("export", "--wacz: empty file name");
	if (crawl && (from || to))
		return cmd_usage_error("export", "--crawl and --from/--to "
				       "exclude each other");
	if ((crawl && cmd_check_crawl_ref("export", crawl)) ||
	    (from && cmd_check_crawl_ref("export", from)) ||
	    (to && cmd_check_crawl_ref("export", to)))
		return EXIT_USAGE;
	memset(&wo, 0, sizeof(wo));
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c)
		goto fail;
	if (crawl) {
		if (catalog_resolve_crawl(c, crawl, &wo.from, &e) <= 0)
			goto fail;
		wo.to = wo.from;
	} else if (from || to) {
		if (crawl_span(c, &wo.from, &wo.to, &e) < 0)
			goto fail;
		if (from && catalog_resolve_crawl(c, from, &wo.from, &e) <= 0)
			goto fail;
		if (to && catalog_resolve_crawl(c, to, &wo.to, &e) <= 0)
			goto fail;
	}
	pr.tty = isatty(STDERR_FILENO);
	if (progress || pr.tty) {
		wo.progress = show_progress;
		wo.ctx = &pr;
	}
	if (catalog_export_wacz(c, out, &wo, &st, &e) < 0)
		goto fail;
	if (st.from == st.to)
		fprintf(stderr, "export: %s: crawl %lld", out,
			(long long)st.from);
	else
		fprintf(stderr, "export: %s: crawls %lld to %lld", out,
			(long long)st.from, (long long)st.to);
	fprintf(stderr, ", %llu records (%llu originals of revisits from "
		"earlier crawls) in %llu WARC files (%llu bytes), %llu pages\n",
		(unsigned long long)st.records,
		(unsigned long long)st.originals,
		(unsigned long long)st.files, (unsigned long long)st.bytes,
		(unsigned long long)st.pages);
	rc = EXIT_OK;
	goto out;
fail:
	if (pr.tty && wo.progress)
		fputc('\n', stderr);
	cmd_error("export", "%s", e.msg);
out:
	catalog_close(c);
	return rc;
}

const struct cmd_entry cmd_export_entry = { "export", "--wacz OUT.wacz [--crawl CRAWL | --from CRAWL --to CRAWL] [--progress]\n  write the captures of one crawl (default: the newest complete one; --crawl CRAWL), or of every crawl from --from to --to (either may be left out: the oldest, the newest), as a WACZ 1.1.1 file for ReplayWeb.page and pywb (CRAWL: an id, #N, or a timestamp prefix, as for changes).  The zip holds archive/NAME.warc.gz for each WARC file the captures are in (its warcinfo and the response, revisit and resource records, copied byte for byte as one gzip member each; stored, not deflated), indexes/index.cdxj (pywb CDXJ, offsets in those files, sorted), pages/pages.jsonl (a header line, then {url, ts, title} for each HTML page capture with a 2xx status, by ts then url), datapackage.json (profile data-package, wacz_version 1.1.1, title, created, software, mainPageUrl and mainPageDate: the first page the crawl fetched, resources with sha256 and bytes) and datapackage-digest.json.  A revisit whose original is in an earlier crawl brings that record along, so every revisit resolves inside the file.  Request and metadata records are left out.\n  OUT is written as OUT.tmp and renamed (a device such as /dev/stdout is written directly): a failure leaves no OUT and exits 1.  Progress (records written, once a second) goes to stderr when it is a terminal, or with --progress; a summary line on stderr at the end", "write a crawl as a WACZ file (ReplayWeb.page, pywb)", export_exec };
