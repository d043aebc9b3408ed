/* govarch history: every capture of a URL with the change since the last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/timeutil.h"

static void put_entry(struct buf *b, const struct catalog_history_entry *h,
		      int json, int first)
{
	const struct catalog_capture *k = &h->cap;
	int target = h->kind == CATALOG_REDIRECTED && k->redirect;
	char ts[32];

	/* a document whose text could not be read says why (pdf.h) */
	const char *note = k->rule && !strncmp(k->rule, "pdf: ", 5) ? k->rule
		: NULL;

	time_iso(k->ts, ts);
	if (!json) {
		buf_addf(b, "%s\t%lld\t%d\t%s\t%s%s%s%s%s\n", ts,
			 (long long)k->crawl_id, k->status,
			 k->last_updated[0] ? k->last_updated : "-",
			 catalog_kind_name(h->kind), target ? "\t" : "",
			 target ? k->redirect : "", note ? "\tnote: " : "",
			 note ? note : "");
		return;
	}
	buf_addf(b, "%s{\"timestamp\":\"%s\",\"crawl\":%lld,\"status\":%d,"
		 "\"last_updated\":", first ? "[\n" : ",\n", ts,
		 (long long)k->crawl_id, k->status);
	buf_addf(b, k->last_updated[0] ? "\"%s\"" : "null", k->last_updated);
	buf_addf(b, ",\"change\":\"%s\",\"target\":", catalog_kind_name(h->kind));
	if (target)
		escape_json(b, k->redirect, strlen(k->redirect));
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"url\":");
	escape_json(b, k->url, strlen(k->url));
	buf_adds(b, ",\"file\":");
	escape_json(b, k->warc_file, strlen(k->warc_file));
	buf_addf(b, ",\"offset\":%llu", (unsigned long long)k->offset);
	if (note) {
		buf_adds(b, ",\"note\":");
		escape_json(b, note, strlen(note));
	}
	buf_addc(b, '}');
}

/* "# URL" for each URL the captures were made of (the exact URLs matched:
 * another scheme or www. may have been captured), first seen first. */
static void put_urls(struct buf *b, const struct catalog_history_entry *v,
		     size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(v[j].cap.url, v[i].cap.url); j++)
			;
		if (j == i)
			buf_addf(b, "# %s\n", v[i].cap.url);
	}
}

static int history_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct catalog_history_entry *v = NULL;
	struct catalog *c;
	struct buf b = BUF_INIT(0);
	const char *fmt = "text", *url;
	struct err e;
	size_t n = 0, i;
	int o, json, rc = EXIT_FAIL;

	while ((o = cmd_getopt("history", argc, argv, "f:", opts)) != -1) {
		if (o == '?')
			return EXIT_USAGE;
		fmt = optarg;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json"))
		return cmd_usage_error("history", "'%s': no such format (text, "
				       "json)", fmt);
	json = !strcmp(fmt, "json");
	if (optind >= argc)
		return cmd_usage_error("history", "missing URL");
	if (argc - optind > 1)
		return cmd_usage_error("history", "unexpected argument '%s'",
				       argv[optind + 1]);
	url = argv[optind];
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c) {
		cmd_error("history", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (catalog_history(c, url, &v, &n, &e) < 0) {
		cmd_error("history", "%s", e.msg);
		goto out;
	}
	if (!n) {
		cmd_error("history", "%s: no capture of this URL in %s", url,
			  cmd_archive);
		goto out;
	}
	if (!json)
		put_urls(&b, v, n);
	for (i = 0; i < n; i++)
		put_entry(&b, &v[i], json, i == 0);
	if (json)
		buf_adds(&b, "\n]\n");
	fwrite(b.data, 1, b.len, stdout);
	rc = EXIT_OK;
out:
	buf_release(&b);
	catalog_history_free(v, n);
	catalog_close(c);
	return rc;
}

const struct cmd_entry cmd_history_entry = { "history", "URL [--format text|json]\n  every capture of URL (the same path, case-sensitive; host, scheme and www. as a SURT key folds them), oldest first: first a '# URL' line for each exact URL captured, then one tab-separated line each: TIMESTAMP CRAWL HTTP-STATUS LAST-UPDATED CHANGE [TARGET] [note: NOTE]\n  TIMESTAMP is the capture's WARC-Date in ISO 8601 UTC (2024-10-21T09:30:00Z); LAST-UPDATED the page's own \"Last updated\" date (YYYY-MM-DD, \"-\" when none); CHANGE since the previous answer, with the same site-wide correction as changes (a text change that was part of a site-wide change counts only for the rest: what changes says for that page between those crawls): first, edited (text and date), silent (text, not the date), date-only, unchanged, removed (404/410), redirected (then TARGET), added (answers again), failed (5xx: not compared); a PDF document is compared by its text (a new export with the same text is unchanged); NOTE: why a document's text could not be read ('pdf: encrypted...')\n  json: an array of {timestamp, crawl, status, last_updated, change, target, url, file, offset, [note]} (null when absent; file and offset: the capture's WARC record, file relative to the archive)", "every capture of a URL and how it changed", history_exec };
