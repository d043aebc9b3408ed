/* govarch explain: would the crawl fetch this URL, and why (crawl/explain.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "crawl/explain.h"
#include "crawl/settings.h"
#include "util/buf.h"

static int explain_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 'S' },
		{ "scope", required_argument, NULL, 'P' },
		{ "set", required_argument, NULL, 's' },
		{ "hops", required_argument, NULL, 'H' },
		{ "requisite", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct crawl_settings_args a;
	struct crawl_explain_opts eo;
	struct crawl_plan p;
	struct buf out = BUF_INIT(0);
	struct err e = { "" };
	char *end;
	int o, r, rc = EXIT_USAGE;

	memset(&a, 0, sizeof(a));
	memset(&p, 0, sizeof(p));
	memset(&eo, 0, sizeof(eo));
	eo.hops = -1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (o) {
		case 'c': a.config = optarg; break;
		case 'S': crawl_strv_add(&a.seeds, optarg); break;
		case 'P': crawl_strv_add(&a.scopes, optarg); break;
		case 's': crawl_strv_add(&a.sets, optarg); break;
		case 'r': eo.requisite = 1; break;
		case 'H':
			eo.hops = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || eo.hops < 0) {
				cmd_error("explain", "--hops '%s': not a count",
					  optarg);
				goto out;
			}
			break;
		default: rc = cmd_usage("explain"); goto out;
		}
	}
	if (optind + 1 != argc) {
		rc = cmd_usage("explain");
		goto out;
	}
	/* options say what they are; the checks before a crawl do not apply */
	if (crawl_plan_make(&p, cmd_archive, &a, &e) < 0 && !p.settled) {
		cmd_error("explain", "%s", e.msg);
		goto out;
	}
	eo.cfg = &p.cfg;
	eo.archive = cmd_archive;
	r = crawl_explain(&eo, argv[optind], &out, &e);
	if (r < 0) {
		cmd_error("explain", "%s", e.msg);
		goto out;
	}
	fwrite(out.data, 1, out.len, stdout);
	rc = fflush(stdout) ? EXIT_FAIL : r ? EXIT_OK : EXIT_FAIL;
out:
	crawl_plan_release(&p);
	crawl_strv_clear(&a.seeds);
	crawl_strv_clear(&a.scopes);
	crawl_strv_clear(&a.sets);
	buf_release(&out);
	return rc;
}

const struct cmd_entry cmd_explain_entry = { "explain", "[-c CONFIG] [--seed URL]... [--scope PREFIX]... [--set KEY=VALUE]... [--hops N] [--requisite] URL\n  whether `govarch crawl` (with the same options, in this archive: its saved crawl when no -c/--seed/--scope is given) would fetch URL, and why, as 'name: text' lines: url, normalised (the URL as stored), surt (its catalog key), scope (the scope-host/scope-prefix that matched, and where it was set), exclude (the pattern that matched), hops (--hops N, default 0 for a seed and 1 otherwise; --requisite: as a CSS/image/script of an in-scope page), path-depth, path-repetition, url-length, query-variants (counted by the archive's last crawl), robots (the deciding line of robots.txt and its user-agent group; robots.txt from the archive's cache, else fetched once), verdict ('fetch' or 'not fetched: REASON').  Exit 0 when it would be fetched, 1 when not, 2 on a usage error or when it cannot be told (a bad config, an unreadable archive state).", "would the crawl fetch URL, and which rule decides", explain_exec };
