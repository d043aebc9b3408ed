/* govarch verify: check WARC files' structure and digests. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cmd.h"
#include "warc/warc.h"

static char **found;
static size_t nfound, afound;

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcasecmp(s + n - m, suf);
}

static int is_warc_name(const char *p)
{
	return has_suffix(p, ".warc") || has_suffix(p, ".warc.gz") ||
	       has_suffix(p, ".warc.zst") || has_suffix(p, ".open") ||
	       has_suffix(p, ".bz2") || has_suffix(p, ".xz");
}

static int add_found(const char *p)
{
	if (nfound == afound) {
		size_t na = afound ? afound * 2 : 64;
		char **nf = realloc(found, na * sizeof(*nf));

		if (!nf)
			return -1;
		found = nf;
		afound = na;
	}
	if (!(found[nfound] = strdup(p)))
		return -1;
	nfound++;
	return 0;
}

static int walk_cb(const char *p, const struct stat *st, int type,
		   struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F && is_warc_name(p))
		return add_found(p) < 0 ? -1 : 0;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void report(void *ctx, const char *path, uint64_t off, int is_note,
		   const char *what)
{
	(void)ctx;
	if (off == UINT64_MAX)
		printf("%s: %s%s\n", path, is_note ? "note: " : "", what);
	else
		printf("%s:%llu: %s%s\n", path, (unsigned long long)off,
		       is_note ? "note: " : "", what);
}

static int verify_exec(int argc, char **argv)
{
	struct warc_verify_stats st;
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	struct stat sb;
	size_t i;
	int a;

	if (cmd_getopt("verify", argc, argv, "", opts) != -1)
		return EXIT_USAGE;   /* it takes no option */
	if (optind >= argc)
		return cmd_usage_error("verify", "missing FILE or DIR");
	memset(&st, 0, sizeof(st));
	for (a = optind; a < argc; a++) {
		size_t first = nfound;

		if (stat(argv[a], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (nftw(argv[a], walk_cb, 16, FTW_PHYS) != 0) {
				cmd_error("verify", "%s: can't walk the directory", argv[a]);
				return EXIT_FAIL;
			}
			qsort(found + first, nfound - first, sizeof(*found), cmp_str);
		} else if (add_found(argv[a]) < 0) {
			cmd_error("verify", "out of memory");
			return EXIT_FAIL;
		}
	}
	for (i = 0; i < nfound; i++) {
		warc_verify_file(found[i], report, NULL, &st);
		free(found[i]);
	}
	free(found);
	printf("verify: %llu files, %llu records, %llu problems, %llu notes\n",
	       (unsigned long long)st.files, (unsigned long long)st.records,
	       (unsigned long long)st.problems, (unsigned long long)st.notes);
	return st.problems ? EXIT_FAIL : EXIT_OK;
}

const struct cmd_entry cmd_verify_entry = { "verify", "FILE|DIR...\n  check framing, mandatory fields, WARC-Block-Digest and WARC-Payload-Digest of every record (directories are searched for *.warc, *.warc.gz, *.warc.zst, *.open, *.bz2, *.xz).  On stdout one line per problem 'FILE:OFFSET: what is wrong', notes as 'FILE:OFFSET: note: what', then 'verify: N files, N records, N problems, N notes'.  Exit 0 clean, 1 problems found", "check WARC structure and digests; exit 1 on problems", verify_exec };
