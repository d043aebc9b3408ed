/* govarch crawls: list the archive's crawls, oldest first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/timeutil.h"

/* --urls [ID]: the pages a crawl captured, for seeding the next one. */
static int list_urls(struct catalog *c, const char *spec, int json)
{
	struct buf b = BUF_INIT(0);
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
		if (json) {
			buf_adds(&b, i ? ",\n" : "[\n");
			escape_json(&b, v[i], strlen(v[i]));
		} else {
			buf_addf(&b, "%s\n", v[i]);
		}
		free(v[i]);
	}
	if (json)
		buf_adds(&b, n ? "\n]\n" : "[]\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
	free(v);
	return EXIT_OK;
}

static void put_json(struct buf *b, const struct catalog_crawl *v, size_t n)
{
	char s[32], t[32];
	size_t i;

	for (i = 0; i < n; i++) {
		time_iso(v[i].start, s);
		time_iso(v[i].end, t);
		buf_addf(b, "%s{\"id\":%lld,\"start\":\"%s\",\"end\":", i ? ",\n" : "[\n",
			 (long long)v[i].id, s);
		buf_addf(b, v[i].end[0] ? "\"%s\"" : "null", t);
		buf_addf(b, ",\"pages\":%llu,\"bytes\":%llu,\"status\":\"%s\","
			 "\"reason\":", (unsigned long long)v[i].pages,
			 (unsigned long long)v[i].bytes, v[i].status);
		if (v[i].reason[0])
			escape_json(b, v[i].reason, strlen(v[i].reason));
		else
			buf_adds(b, "null");
		buf_addc(b, '}');
	}
	buf_adds(b, n ? "\n]\n" : "[]\n");
}

static int crawls_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "urls", no_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct catalog_crawl *v = NULL;
	struct catalog *c;
	struct buf b = BUF_INIT(0);
	const char *fmt = "text", *spec = NULL;
	char s[32], t[32];
	struct err e;
	size_t n = 0, i;
	int o, urls = 0, json, rc = EXIT_FAIL;

	while ((o = cmd_getopt("crawls", argc, argv, "f:", opts)) != -1) {
		if (o == '?')
			return EXIT_USAGE;
		if (o == 'u')
			urls = 1;
		else
			fmt = optarg;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json"))
		return cmd_usage_error("crawls", "'%s': no such format (text, "
				       "json)", fmt);
	json = !strcmp(fmt, "json");
	if (optind < argc && !urls)
		return cmd_usage_error("crawls", "unexpected argument '%s' "
				       "(a crawl goes with --urls)", argv[optind]);
	if (argc - optind > 1)
		return cmd_usage_error("crawls", "unexpected argument '%s'",
				       argv[optind + 1]);
	if (optind < argc) {
		spec = argv[optind];
		if (cmd_check_crawl_ref("crawls", spec))
			return EXIT_USAGE;
	}
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c) {
		cmd_error("crawls", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (urls) {
		rc = list_urls(c, spec, json);
		goto out;
	}
	if (catalog_crawls(c, &v, &n, &e) < 0) {
		cmd_error("crawls", "%s", e.msg);
		goto out;
	}
	if (json) {
		put_json(&b, v, n);
	} else {
		for (i = 0; i < n; i++) {
			time_iso(v[i].start, s);
			time_iso(v[i].end, t);
			buf_addf(&b, "%lld\t%s\t%s\t%llu\t%llu\t%s%s%s\n",
				 (long long)v[i].id, s, v[i].end[0] ? t : "-",
				 (unsigned long long)v[i].pages,
				 (unsigned long long)v[i].bytes, v[i].status,
				 v[i].reason[0] ? "\t" : "", v[i].reason);
		}
	}
	fwrite(b.data, 1, b.len, stdout);
	rc = EXIT_OK;
out:
	buf_release(&b);
	free(v);
	catalog_close(c);
	return rc;
}

const struct cmd_entry cmd_crawls_entry = { "crawls", "[--urls [CRAWL]] [--format text|json]\n  one line per crawl, oldest first, tab-separated, no header: ID START END PAGES BYTES STATUS [REASON]\n    START, END  ISO 8601 UTC (2024-10-21T09:30:00Z); END \"-\" while running\n    PAGES       captures recorded (responses and revisits, requisites included)\n    BYTES       bytes received from the servers (HTTP headers and bodies, before decoding), not the size of the WARC files\n    STATUS      running, complete, partial, interrupted, failed, or imported (WARCs from other tools)\n    REASON      why a crawl is partial: \"max-pages N reached\" or \"max-bytes N reached\" (stopped at a limit with URLs left: the pages it did not reach are never reported removed), \"N URLs failed\"\n  json: an array of {id, start, end, pages, bytes, status, reason} (end null while running, reason null when none)\n  --urls: instead, the pages (HTML 2xx, and every 3xx) CRAWL captured (default: the latest complete crawl; CRAWL: an id, #N or a timestamp prefix), one URL per line, sorted (json: an array of strings) - seeds that let the next crawl see pages removed or moved since", "list crawls with their figures", crawls_exec };
