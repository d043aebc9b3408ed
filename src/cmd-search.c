/* govarch search: the pages whose main text matched a query, in every
 * crawl, with the first and last capture that matched. */
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/catalog-search.h"
#include "cmd.h"

static int search_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = "text", *from = NULL, *to = NULL, *prefix = NULL;
	struct catalog_search s;
	struct buf fts = BUF_INIT(0), out = BUF_INIT(0);
	struct catalog *c = NULL;
	int64_t idf = 0, idt = 0;
	int o, rc = EXIT_FAIL, have = 0;
	struct err e;

	while ((o = cmd_getopt("search", argc, argv, "f:", opts)) != -1) {
		switch (o) {
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'p': prefix = optarg; break;
		case 'f': fmt = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind < 1)
		return cmd_usage_error("search", "missing QUERY");
	if (argc - optind > 1)
		return cmd_usage_error("search", "unexpected argument '%s' (quote "
				       "the query: 'a \"b c\"')", argv[optind + 1]);
	if (strcmp(fmt, "text") && strcmp(fmt, "json"))
		return cmd_usage_error("search", "'%s': no such format (text, "
				       "json)", fmt);
	if ((from && cmd_check_crawl_ref("search", from)) ||
	    (to && cmd_check_crawl_ref("search", to)))
		return EXIT_USAGE;
	if (catalog_search_query(argv[optind], &fts, &e) < 0) {
		buf_release(&fts);
		return cmd_usage_error("search", "%s", e.msg);
	}
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c)
		goto fail;
	if (from && catalog_resolve_crawl(c, from, &idf, &e) <= 0)
		goto fail;
	if (to && catalog_resolve_crawl(c, to, &idt, &e) <= 0)
		goto fail;
	if (catalog_search_run(c, fts.data, idf, idt, prefix, &s, &e) < 0)
		goto fail;
	have = 1;
	if (catalog_search_format(&s, argv[optind], fmt, &out, &e) < 0)
		goto fail;
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		cmd_error("search", "writing the output: %m");
		goto out;
	}
	rc = EXIT_OK;
	goto out;
fail:
	cmd_error("search", "%s", e.msg);
out:
	if (have)
		catalog_search_release(&s);
	buf_release(&fts);
	buf_release(&out);
	catalog_close(c);
	return rc;
}

const struct cmd_entry cmd_search_entry = { "search", "QUERY [--from CRAWL] [--to CRAWL] [--prefix URL] [--format text|json]\n  the pages whose main text (as `diff` compares it; PDF documents' text too) matched QUERY in any capture of the crawls FROM..TO (default: every crawl; CRAWL: an id, #N, or a timestamp prefix), sorted by URL.  QUERY: words (all of them, in any order; case and accents ignored), \"exact phrases\", word* (a prefix), AND, OR, NOT (upper case; NOT binds closest, then AND, then OR) and parentheses; quote it for the shell.  A malformed query is a usage error.  --prefix URL: only URLs starting with URL.\n  text: a '# search crawls A to B: N pages' line, then URL, 'first: DATE #CRAWL' (the first capture whose text matched), 'last: DATE #CRAWL' (the last one) and 'now: yes|no|gone' (the URL's newest capture in those crawls, 5xx left aside: matches; has a text that does not match; has no text - 404/410, a redirect), tab-separated; DATE in ISO 8601 UTC (2024-10-21T09:30:00Z)\n  json: {query, from, to, pages: [{url, first: {crawl, date, file, offset}, last: {...}, now}]} (file, offset: the WARC record of that capture)", "find the pages whose text matched, first and last match", search_exec };
