/* govarch crawls: list the archive's crawls, oldest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"

/* --urls [ID]: the pages a crawl captured, for seeding the next one. */
static int list_urls(struct catalog *c, const char *spec)
{
	char **v = NULL;
	size_t n = 0, i;
	int64_t id = 0;
	struct err e;

	if (spec && catalog_resolve_crawl(c, spec, &id, &e) <= 0) {
		cmd_error("crawls", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (catalog_known_urls(c, id, &v, &n, &e) < 0) {
		cmd_error("crawls", "%s", e.msg);
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		printf("%s\n", v[i]);
		free(v[i]);
	}
	free(v);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int crawls_exec(int argc, char **argv)
{
	struct catalog_crawl *v = NULL;
	struct catalog *c;
	struct err e;
	size_t n = 0, i;
	int rc;

	if (argc > 3 || (argc > 1 && strcmp(argv[1], "--urls")))
		return cmd_usage("crawls");
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c) {
		cmd_error("crawls", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (argc > 1) {
		rc = list_urls(c, argc > 2 ? argv[2] : NULL);
		catalog_close(c);
		return rc;
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

const struct cmd_entry cmd_crawls_entry = { "crawls", "[--urls [CRAWL]]\n  one line per crawl, oldest first, tab-separated, no header: ID START END PAGES BYTES STATUS (START/END as WARC-Date; END \"-\" while running; STATUS running|complete|interrupted|failed|partial)\n  --urls: instead, the pages (HTML, 2xx/3xx) CRAWL captured (default: the latest complete crawl), one URL per line, sorted - seeds that let the next crawl see pages removed or moved since", "list crawls with their figures", crawls_exec };
