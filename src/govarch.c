/* govarch: main and the command table. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-table.h"

static const struct cmd_entry *const cmd_table[] = { CMD_TABLE_ENTRIES };
#define CMD_COUNT (sizeof(cmd_table) / sizeof(cmd_table[0]))

const char *cmd_archive = "archive";

void cmd_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "govarch: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct cmd_entry *cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < CMD_COUNT; i++)
		if (!strcmp(cmd_table[i]->name, name))
			return cmd_table[i];
	return NULL;
}

int cmd_usage(const char *name)
{
	const struct cmd_entry *c = cmd_find(name);

	fprintf(stderr, "usage: govarch %s %s\n", name, c ? c->usage : "");
	return EXIT_USAGE;
}

static void usage_all(FILE *f)
{
	size_t i;

	fprintf(f, "usage: govarch COMMAND [--archive DIR] [ARGS]\n\n"
		   "govarch %s: archival crawler and WARC snapshotter.\n\n",
		GOVARCH_VERSION);
	for (i = 0; i < CMD_COUNT; i++)
		fprintf(f, "  %-11s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	fprintf(f, "\nEvery command takes --archive DIR (default archive/, or "
		   "$GOVARCH_ARCHIVE) and -h.\n");
}

/* Take --archive DIR / --archive=DIR out of argv wherever it stands. */
static int strip_archive(int *argc, char **argv)
{
	int i, o = 0;

	for (i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--archive")) {
			if (i + 1 >= *argc)
				return -1;
			cmd_archive = argv[++i];
		} else if (!strncmp(argv[i], "--archive=", 10)) {
			cmd_archive = argv[i] + 10;
		} else {
			argv[o++] = argv[i];
		}
	}
	argv[o] = NULL;
	*argc = o;
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd_entry *c;
	const char *env = getenv("GOVARCH_ARCHIVE");
	int i;

	if (env && *env)
		cmd_archive = env;
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage_all(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("govarch %s\n", GOVARCH_VERSION);
		return EXIT_OK;
	}
	c = cmd_find(argv[1]);
	if (!c) {
		fprintf(stderr, "govarch: unknown command '%s' (see govarch -h)\n",
			argv[1]);
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	if (strip_archive(&argc, argv) < 0) {
		cmd_error(c->name, "--archive needs a directory");
		return EXIT_USAGE;
	}
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: govarch %s %s\n  %s\n", c->name, c->usage,
			       c->summary);
			return EXIT_OK;
		}
	}
	return c->exec(argc, argv);
}
