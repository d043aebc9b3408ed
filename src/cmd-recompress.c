/* govarch recompress: convert between .warc, .warc.gz and .warc.zst. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "warc/warc.h"

static int recompress_exec(int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct warc_recompress_result res;
	struct err e;
	size_t n;

	if (cmd_getopt("recompress", argc, argv, "", opts) != -1)
		return EXIT_USAGE;   /* it takes no option */
	if (argc - optind < 2)
		return cmd_usage_error("recompress", "missing %s", argc > optind ?
				       "OUT" : "IN and OUT");
	if (argc - optind > 2)
		return cmd_usage_error("recompress", "unexpected argument '%s'",
				       argv[optind + 2]);
	argv += optind - 1;
	if (warc_recompress(argv[1], argv[2], &res, &e) < 0) {
		cmd_error("recompress", "%s", e.msg);
		return EXIT_FAIL;
	}
	n = strlen(argv[1]);
	if (res.damaged)
		fprintf(stderr, "govarch: recompress: %s: %llu damaged stretch%s (%llu bytes) left out, the first: %s; every readable record after it was kept\n",
			argv[1], (unsigned long long)res.damaged,
			res.damaged == 1 ? "" : "es",
			(unsigned long long)res.skipped, res.first_damage);
	if (res.mended)
		fprintf(stderr, "govarch: recompress: warning: %s: mended: kept %llu records up to offset %llu, dropped %llu bytes (%s)\n",
			argv[1], (unsigned long long)res.records,
			(unsigned long long)res.good_end,
			(unsigned long long)res.dropped, res.reason);
	else if (n > 5 && !strcmp(argv[1] + n - 5, ".open"))
		fprintf(stderr, "govarch: recompress: warning: %s: mended: kept %llu records, dropped 0 bytes (the .open file ends with a whole record)\n",
			argv[1], (unsigned long long)res.records);
	return res.damaged ? EXIT_FAIL : EXIT_OK;
}

const struct cmd_entry cmd_recompress_entry = { "recompress", "IN OUT\n  copy every record of IN into OUT, formatted by OUT's ending: .warc, .warc.gz (one gzip member per record) or .warc.zst (one zstd frame per record, with a dictionary trained on IN's records).  A cut or .open IN is mended: cut after its last whole record, with a warning on stderr saying how many bytes were dropped.  A damaged record inside IN is left out (named on stderr, exit 1) and every readable record after it is kept.  OUT is written as OUT.tmp and renamed, never left partial", "convert between .warc, .warc.gz, .warc.zst; mend a cut .open file", recompress_exec };
