/* govarch crawls: list the archive's crawls, oldest first. */
#include <stdio.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "cmd.h"

static int crawls_exec(int argc, char **argv)
{
	struct catalog_crawl *v = NULL;
	struct catalog *c;
	struct err e;
	size_t n = 0, i;

	(void)argv;
	if (argc > 1)
		return cmd_usage("crawls");
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c) {
		cmd_error("crawls", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (catalog_crawls(c, &v, &n, &e) < 0) {
		cmd_error("crawls", "%s", e.msg);
		catalog_close(c);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++)
		printf("%lld\t%s\t%s\t%llu\t%llu\t%s\n", (long long)v[i].id,
		       v[i].start, v[i].end[0] ? v[i].end : "-",
		       (unsigned long long)v[i].pages,
		       (unsigned long long)v[i].bytes, v[i].status);
	free(v);
	catalog_close(c);
	return EXIT_OK;
}

const struct cmd_entry cmd_crawls_entry = { "crawls", "\n  One line per crawl, oldest first, tab-separated, no header:\n  ID START END PAGES BYTES STATUS  (END \"-\" while running; STATUS running|complete|interrupted|failed|partial)", "list crawls with their figures", crawls_exec };
