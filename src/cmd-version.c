/* govarch version: print the program's version. */
#include <stdio.h>

#include "cmd.h"

static int version_exec(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cmd_usage("version");
	printf("govarch %s\n", GOVARCH_VERSION);
	return EXIT_OK;
}

const struct cmd_entry cmd_version_entry = {
	"version", "", "print the version", version_exec,
};
