/* cmd: the command table's entry type and what every command shares.
 *
 * Each src/cmd-NAME.c exports exactly one
 *     const struct cmd_entry cmd_NAME_entry = { ... };
 * (the Makefile finds it by that line and builds the table); everything else
 * in the file is static.  Only command code prints to the user or exits.
 */
#ifndef GOVARCH_CMD_H
#define GOVARCH_CMD_H

#include "util/version.h"

/* Exit codes (README "Using it"). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_PARTIAL = 3,       /* crawl finished with some URLs failed */
	EXIT_LOCKED = 75,       /* another crawl holds the archive's lock */
	EXIT_SIGINT = 130,      /* crawl stopped by SIGINT (128 + 2), resumable */
	EXIT_SIGTERM = 143,     /* crawl stopped by SIGTERM (128 + 15) */
};

struct cmd_entry {
	const char *name;
	const char *usage;      /* after "govarch NAME " */
	const char *summary;    /* one line for `govarch -h` */
	/* argv[0] is the command name; --archive and -h are already handled. */
	int (*exec)(int argc, char **argv);
};

/* The archive directory: --archive DIR, else $GOVARCH_ARCHIVE, else "archive". */
extern const char *cmd_archive;

/* "govarch: NAME: message" on stderr, one line. */
void cmd_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print "usage: govarch NAME USAGE" to stderr and return EXIT_USAGE. */
int cmd_usage(const char *name);

#endif
