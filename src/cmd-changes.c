/* govarch changes: every page that differs between two crawls. */
#include <stdio.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"

static int changes_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = "text", *from = NULL, *to = NULL;
	struct catalog_changes ch;
	struct buf out = BUF_INIT(0);
	struct catalog *c = NULL;
	int64_t idf = 0, idt = 0;
	int o, rc = EXIT_FAIL, have = 0;
	struct err e;

	while ((o = cmd_getopt("changes", argc, argv, "f:", opts)) != -1) {
		switch (o) {
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'f': fmt = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cmd_usage_error("changes", "unexpected argument '%s'",
				       argv[optind]);
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "atom") &&
	    strcmp(fmt, "html"))
		return cmd_usage_error("changes", "'%s': no such format (text, "
				       "json, atom, html)", fmt);
	if ((from && cmd_check_crawl_ref("changes", from)) ||
	    (to && cmd_check_crawl_ref("changes", to)))
		return EXIT_USAGE;
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c)
		goto fail;
	if (from && catalog_resolve_crawl(c, from, &idf, &e) <= 0)
		goto fail;
	if (to && catalog_resolve_crawl(c, to, &idt, &e) <= 0)
		goto fail;
	if (catalog_changes(c, idf, idt, &ch, &e) < 0)
		goto fail;
	have = 1;
	if (catalog_changes_format(c, &ch, fmt, &out, &e) < 0)
		goto fail;
	fwrite(out.data, 1, out.len, stdout);
	rc = EXIT_OK;
	goto out;
fail:
	cmd_error("changes", "%s", e.msg);
out:
	if (have)
		catalog_changes_release(&ch);
	buf_release(&out);
	catalog_close(c);
	return rc;
}

const struct cmd_entry cmd_changes_entry = { "changes", "[--from CRAWL] [--to CRAWL] [--format text|json|atom|html]\n  every page that differs between two crawls, or over several (default: the last two complete ones; CRAWL: an id, #N, or a timestamp prefix; FROM and TO naming the same crawl are an error, exit 1), sorted by kind (added, removed, excluded, moved, redirected, edited, silent, date-only, sitewide) then URL.  excluded: not fetched by TO because robots.txt, the scope or an exclude pattern leaves it out now (summary: the rule), or a document every page linking to it is excluded now (summary 'linked only from excluded pages: RULE');  added: new (also when a redirect now points to it); moved: served a page, now redirects to a new URL serving the same text (one line, summary '-> NEW', target NEW; the new URL is not listed as added);  edited: text and \"Last updated\" date changed (or the page has no date); silent: text changed, date did not; date-only: date changed, text did not; removed: 404/410, or (a page or a redirect) no longer found by a complete crawl - a partial crawl (stopped at a limit, or URLs failed) never reports a page it did not reach as removed; redirected: now 3xx to another URL; sitewide: one change repeated on more than 5 pages or 20% of them (header/footer wording, or a menu edit leaking into the main text), reported once and not on each page; a link outside the main text added, removed or renamed on that many pages is one line naming it ('menu link renamed \"OLD\" -> \"NEW\" (URL) on N pages', 'menu link added \"TEXT\" (URL) on N pages'; a link that comes or goes with its page is that page's change).\n  text: a '# changes from crawl A (START) to crawl B (START): N' line (START in ISO 8601 UTC, 2024-10-21T09:30:00Z, followed by ', partial: REASON' for a partial crawl), then KIND URL LAST-UPDATED-FROM LAST-UPDATED-TO SUMMARY, tab-separated, '-' when empty (sitewide: URL '-')\n  json: an object {from: {crawl, start, status, reason}, to: {crawl, start, status, reason}, changes: [...]}, each change {url, kind, from, to, from_file, from_offset, to_file, to_offset, last_updated_from, last_updated_to, [target (redirected, moved)], [pages, removed, added, link: {url, change} (a menu link: added|removed|renamed)], summary} (from/to: the captures' WARC-Dates in ISO 8601 UTC; from_file/from_offset, to_file/to_offset: their WARC records, the file relative to the archive; null when absent; sitewide url null)\n  atom: an Atom 1.0 feed of these changes; html: one self-contained page, each change linking to its diff page under ARCHIVE/diffs/ (relative links; written when missing)\n  over more than two crawls (complete crawls between FROM and TO: 'what changed in October'): each pair of consecutive crawls compared, each page once, sorted by URL, with every change it went through (site-wide changes last): text KINDS URL LAST-UPDATED-FROM LAST-UPDATED-TO STEPS, KINDS comma-separated (added,edited), STEPS 'START KIND: SUMMARY; ...', header '... over N crawls: M'; json adds crawls: [{crawl, start}] and gives each change kinds: [...] and steps: [{crawl, start, url, kind, ..., summary}] instead of kind", "what changed between two crawls (added, removed, edited, silent...)", changes_exec };
