/* govarch config check: every problem of a config file, with its line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "crawl/config.h"
#include "util/buf.h"

static int config_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct crawl_config cfg;
	struct crawl_strv problems = { 0 };
	struct buf text = BUF_INIT(0);
	struct err e = { "" };
	char *path = NULL;
	int o, n, rc = EXIT_USAGE;
	size_t i;

	opterr = 0;
	crawl_config_init(&cfg);
	while ((o = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (o) {
		case 'c': free(path); path = strdup(optarg); break;
		default: rc = cmd_usage("config"); goto out;
		}
	}
	if (optind + 1 != argc || strcmp(argv[optind], "check")) {
		rc = cmd_usage("config");
		goto out;
	}
	if (!path && !(path = crawl_config_default_path())) {
		cmd_error("config", "no config: config/dpmc.conf not found next "
			  "to the binary; give -c FILE");
		goto out;
	}
	if (crawl_config_read(path, &text, &e) < 0) {
		cmd_error("config", "%s", e.msg);
		goto out;
	}
	n = crawl_config_check(&cfg, text.data, path, &problems);
	if (n < 0) {
		cmd_error("config", "out of memory");
		rc = EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < problems.n; i++)
		fprintf(stderr, "%s\n", problems.v[i]);
	if (!n)
		printf("%s: ok\n", path);
	rc = fflush(stdout) ? EXIT_FAIL : n ? EXIT_USAGE : EXIT_OK;
out:
	crawl_config_release(&cfg);
	crawl_strv_clear(&problems);
	buf_release(&text);
	free(path);
	return rc;
}

const struct cmd_entry cmd_config_entry = { "config", "check [-c CONFIG]\n  check a crawl configuration file (default: the one `govarch crawl` reads): every unknown key, bad value, exclude regex or extraction XPath that does not compile, and seed, sitemap or scope that does not parse is reported on stderr as FILE:LINE: what, all of them; exit 2 when there is any.  Otherwise prints 'FILE: ok' and exits 0.", "check a configuration file (every bad line, with its number)", config_exec };
