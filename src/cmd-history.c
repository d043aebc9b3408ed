/* govarch history: every capture of a URL with the change since the last. */
#include <stdio.h>
#include <stdlib.h>

#include "catalog/catalog.h"
#include "cmd.h"

static int history_exec(int argc, char **argv)
{
	struct catalog_history_entry *v = NULL;
	struct catalog *c;
	struct err e;
	size_t n = 0, i;
	int rc = EXIT_FAIL;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage("history");
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c) {
		cmd_error("history", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (catalog_history(c, argv[1], &v, &n, &e) < 0) {
		cmd_error("history", "%s", e.msg);
		goto out;
	}
	if (!n) {
		cmd_error("history", "%s: no capture of this URL in %s", argv[1],
			  cmd_archive);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct catalog_capture *k = &v[i].cap;

		printf("%s\t%lld\t%d\t%s\t%s", k->ts, (long long)k->crawl_id,
		       k->status, k->last_updated[0] ? k->last_updated : "-",
		       catalog_kind_name(v[i].kind));
		if (v[i].kind == CATALOG_REDIRECTED && k->redirect)
			printf("\t%s", k->redirect);
		putchar('\n');
	}
	rc = EXIT_OK;
out:
	catalog_history_free(v, n);
	catalog_close(c);
	return rc;
}

const struct cmd_entry cmd_history_entry = { "history", "URL\n  every capture of URL, oldest first, one tab-separated line each: TIMESTAMP14 CRAWL HTTP-STATUS LAST-UPDATED CHANGE [TARGET]\n  LAST-UPDATED is the page's own \"Last updated\" date (YYYY-MM-DD, \"-\" when none); CHANGE since the previous answer: first, edited (text and date), silent (text, not the date), date-only, unchanged, removed (404/410), redirected (then TARGET), added (answers again), failed (5xx: not compared)", "every capture of a URL and how it changed", history_exec };
