/* govarch index: rebuild the catalog from the WARC files; print CDXJ. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"

#define CONFIG_MAX (1u << 20)

static int read_config(const char *path, char **out, struct err *e)
{
	struct buf b = BUF_INIT(CONFIG_MAX);
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return err_set(e, "%s: cannot open the config", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) < 0) {
			fclose(f);
			buf_release(&b);
			return err_set(e, "%s: config larger than 1 MiB", path);
		}
	fclose(f);
	*out = buf_detach(&b, NULL);
	return 0;
}

static int index_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rebuild", no_argument, NULL, 'r' },
		{ "cdxj", no_argument, NULL, 'x' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct catalog_rebuild_stats st;
	struct buf out = BUF_INIT(0);
	char *config = NULL;
	const char *config_path = NULL;
	int rebuild = 0, cdxj = 0, cdx_problems = 0, o, rc = EXIT_FAIL;
	struct err e;

	while ((o = cmd_getopt("index", argc, argv, "c:", opts)) != -1) {
		switch (o) {
		case 'r': rebuild = 1; break;
		case 'x': cdxj = 1; break;
		case 'c': config_path = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cmd_usage_error("index", "unexpected argument '%s'",
				       argv[optind]);
	if (config_path && read_config(config_path, &config, &e) < 0) {
		cmd_error("index", "%s", e.msg);
		return EXIT_FAIL;
	}
	memset(&st, 0, sizeof(st));
	if (rebuild || !cdxj) {
		if ((rebuild ? catalog_rebuild(cmd_archive, config, &st, &e)
		     : catalog_index_new(cmd_archive, config, &st, &e)) < 0) {
			cmd_error("index", "%s", e.msg);
			goto out;
		}
		fprintf(stderr, "index: %llu files, %llu records, %llu captures "
			"in %llu crawls, %llu records not indexed, %llu "
			"problems\n", (unsigned long long)st.files,
			(unsigned long long)st.records,
			(unsigned long long)st.captures,
			(unsigned long long)st.crawls,
			(unsigned long long)st.skipped,
			(unsigned long long)st.problems);
		if (st.problems)
			cmd_error("index", "%s (first problem; the rest of that "
				  "file was not indexed)", st.first_problem);
	}
	if (cdxj) {
		struct catalog_rebuild_stats cs;

		memset(&cs, 0, sizeof(cs));
		if (catalog_cdxj(cmd_archive, &out, &cs, &e) < 0) {
			cmd_error("index", "%s", e.msg);
			goto out;
		}
		if (cs.problems) {
			cmd_error("index", "%s (first of %llu problems; the rest "
				  "of that file is not in the index)",
				  cs.first_problem,
				  (unsigned long long)cs.problems);
			cdx_problems = 1;
		}
		if (fwrite(out.data, 1, out.len, stdout) != out.len ||
		    fflush(stdout) != 0) {
			cmd_error("index", "writing the index failed");
			goto out;
		}
	}
	rc = st.problems || cdx_problems ? EXIT_FAIL : EXIT_OK;
out:
	buf_release(&out);
	free(config);
	return rc;
}

const struct cmd_entry cmd_index_entry = { "index", "[--rebuild] [--cdxj] [-c CONFIG]\n  (no option) index the WARC files under ARCHIVE that the catalog does not know yet (copied in, or written by other tools), keeping the rest; a summary line on stderr\n  --rebuild  delete ARCHIVE/catalog.sqlite and recreate it from the WARC files under ARCHIVE alone (file-name then offset order, the crawler's own indexing path; site rules from the config each crawl recorded in its WARCs, or -c CONFIG); a summary line on stderr; exit 1 when some file or record could not be read\n  --cdxj     print a CDXJ index in pywb's format on stdout, byte-sorted, one line per response/revisit/resource record: SURT TIMESTAMP14 {\"url\": ..., \"mime\": ..., \"status\": ..., \"digest\": \"sha1:...\", \"length\": ..., \"offset\": ..., \"filename\": ...} (pywb's spacing; length/offset of the compressed record, as strings; revisits: mime \"warc/revisit\", no status; filename relative to ARCHIVE); unreadable files are reported on stderr and give exit 1", "catalog from the WARCs (new files, or --rebuild all); CDXJ (pywb format) on stdout", index_exec };
