/* govarch diff: the text diff of two captures of a URL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"
#include "util/timeutil.h"

/* Default pair: the last two captures (with text) whose text differs; else
 * the last two with text. */
static int default_pair(const struct catalog_capture *v, size_t n, long *a,
			long *b)
{
	long i, prev = -1, last = -1, before_last = -1;

	*a = *b = -1;
	for (i = 0; i < (long)n; i++) {
		if (!v[i].text_digest)
			continue;
		if (prev >= 0 && strcmp(v[prev].text_digest, v[i].text_digest)) {
			*a = prev;
			*b = i;
		}
		before_last = last;
		last = i;
		prev = i;
	}
	if (*a < 0 && before_last >= 0) {
		*a = before_last;
		*b = last;
	}
	return *a >= 0 ? 0 : -1;
}

static long latest_with_text(const struct catalog_capture *v, size_t n)
{
	long i;

	for (i = (long)n - 1; i >= 0; i--)
		if (v[i].text_digest)
			return i;
	return -1;
}

static int diff_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "exit-code", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = "text", *url, *from = NULL, *to = NULL;
	struct catalog_capture *v = NULL;
	struct buf out = BUF_INIT(0);
	struct catalog *c = NULL;
	size_t n = 0;
	long a = -1, b = -1;
	int o, exit_code = 0, differ = 0, rc = EXIT_FAIL;
	struct err e;

	while ((o = cmd_getopt("diff", argc, argv, "f:", opts)) != -1) {
		switch (o) {
		case 'f': fmt = optarg; break;
		case 'x': exit_code = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (argc - optind < 1)
		return cmd_usage_error("diff", "missing URL");
	if (argc - optind > 3)
		return cmd_usage_error("diff", "unexpected argument '%s'",
				       argv[optind + 3]);
	if (strcmp(fmt, "text") && strcmp(fmt, "word") && strcmp(fmt, "html") &&
	    strcmp(fmt, "json"))
		return cmd_usage_error("diff", "'%s': no such format (text, "
				       "word, html, json)", fmt);
	url = argv[optind];
	if (argc - optind > 1)
		from = argv[optind + 1];
	if (argc - optind > 2)
		to = argv[optind + 2];
	if ((from && cmd_check_crawl_ref("diff", from)) ||
	    (to && cmd_check_crawl_ref("diff", to)))
		return EXIT_USAGE;
	c = catalog_open(cmd_archive, CATALOG_READONLY, &e);
	if (!c || catalog_captures_of(c, url, &v, &n, &e) < 0) {
		cmd_error("diff", "%s", e.msg);
		goto out;
	}
	if (!n) {
		cmd_error("diff", "%s: no capture of this URL in %s", url,
			  cmd_archive);
		goto out;
	}
	if (!from) {
		if (default_pair(v, n, &a, &b) < 0) {
			cmd_error("diff", "%s: fewer than two captures with text "
				  "to compare", url);
			goto out;
		}
	} else {
		a = catalog_resolve_capture(c, v, n, from, &e);
		b = a < 0 ? -1 : to ? catalog_resolve_capture(c, v, n, to, &e)
			: latest_with_text(v, n);
		if (a < 0 || b < 0) {
			cmd_error("diff", "%s", a < 0 || to ? e.msg
				  : "no capture with text to compare with");
			goto out;
		}
	}
	if (a == b) {
		char ts[32];

		time_iso(v[a].ts, ts);
		cmd_error("diff", "%s: FROM and TO are the same capture (%s, "
			  "crawl %lld): nothing to compare", url, ts,
			  (long long)v[a].crawl_id);
		goto out;
	}
	if (catalog_render_diff(c, &v[a], &v[b], fmt, &out, &e) < 0) {
		cmd_error("diff", "%s", e.msg);
		goto out;
	}
	fwrite(out.data, 1, out.len, stdout);
	/* both have a text digest here: render refuses a capture without */
	differ = catalog_text_differs(c, &v[a], &v[b], &e);
	if (differ < 0) {
		cmd_error("diff", "%s", e.msg);
		differ = 0;
		goto out;
	}
	rc = exit_code && differ ? EXIT_FAIL : EXIT_OK;
out:
	buf_release(&out);
	catalog_captures_free(v, n);
	catalog_close(c);
	/* --exit-code: 1 means "they differ", so trouble is 2 (as diff(1)) */
	return exit_code && rc == EXIT_FAIL && !differ ? EXIT_USAGE : rc;
}

const struct cmd_entry cmd_diff_entry = { "diff", "URL [FROM [TO]] [--format text|word|html|json] [--exit-code]\n  the main text of two captures of URL compared block by block (menus, header, footer, breadcrumb left out); FROM/TO: a crawl id (N below 1900, or #N), a timestamp or a prefix (2024, 20241021, 20241021T0930: the last capture within it, else the last before it); TO defaults to the latest capture; FROM and TO resolving to the same capture are an error; without FROM: the last two captures whose text differs.  text: unified, with both timestamps and \"Last updated\" dates; word: [-old-]{+new+} inside changed blocks; html: one self-contained side-by-side page; json: operations and figures.  Blocks the site rules' ignore-text patterns match are left out of the comparison and listed after it: \"ignored (ignore-text REGEX): -TEXT\" (FROM) or \"+TEXT\" (TO) lines; html: an \"Ignored lines\" section; json: an \"ignored\" array of {pattern, side, text}.  Timestamps in ISO 8601 UTC (2024-10-21T09:30:00Z).\n  --exit-code: exit 1 when the two main texts differ, 0 when they are the same (a date-only change), as git diff --exit-code; trouble (no such URL, no capture to compare) is then exit 2, as diff(1) and cmp(1) have it", "compare two captures of a URL", diff_exec };
