/* govarch help: the list of commands, or one command's help. */
#include <stdio.h>

#include "cmd.h"

void cmd_help_all(FILE *f)
{
	size_t i;

	fprintf(f, "usage: govarch [--archive DIR] COMMAND [ARGS]\n\n"
		   "govarch %s: archival crawler and WARC snapshotter.\n\n",
		GOVARCH_VERSION);
	for (i = 0; cmd_table[i]; i++)
		fprintf(f, "  %-11s %s\n", cmd_table[i]->name,
			cmd_table[i]->summary);
	fprintf(f, "\nGlobal options, before or after the command: --archive "
		   "DIR (default archive/, or $GOVARCH_ARCHIVE), -h/--help, "
		   "--version.\n`govarch help COMMAND` or `govarch COMMAND -h`: "
		   "the command's options and exact output; `man govarch`: "
		   "all of it.\n");
}

void cmd_help(const struct cmd_entry *c)
{
	printf("usage: govarch %s %s\n  %s\n", c->name, c->usage, c->summary);
}

static int help_exec(int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	const struct cmd_entry *c;

	if (cmd_getopt("help", argc, argv, "", opts) != -1)
		return EXIT_USAGE;   /* it takes no option */
	if (argc - optind > 1)
		return cmd_usage_error("help", "unexpected argument '%s'",
				       argv[optind + 1]);
	if (optind == argc) {
		cmd_help_all(stdout);
		return EXIT_OK;
	}
	c = cmd_find(argv[optind]);
	if (!c)
		return cmd_usage_error("help", "unknown command '%s'",
				       argv[optind]);
	cmd_help(c);
	return EXIT_OK;
}

const struct cmd_entry cmd_help_entry = { "help", "[COMMAND]\n  without COMMAND: the list of commands and the global options; with it: the command's synopsis, options and exact output format (the same as govarch COMMAND -h)", "the list of commands, or one command's help", help_exec };
