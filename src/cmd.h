/* cmd: the command table's entry type and what every command shares.
 *
 * Each src/cmd-NAME.c exports exactly one
 *     const struct cmd_entry cmd_NAME_entry = { ... };
 * (the Makefile finds it by that line and builds the table); everything else
 * in the file is static.  Only command code prints to the user or exits.
 */
#ifndef GOVARCH_CMD_H
#define GOVARCH_CMD_H

#include <getopt.h>
#include <stdio.h>

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
	/* After "govarch NAME ": the synopsis on the first line, then the
	 * help text `govarch help NAME` and -h print. */
	const char *usage;
	const char *summary;    /* one line for `govarch help` */
	/* argv[0] is the command name; --archive and -h are already handled. */
	int (*exec)(int argc, char **argv);
};

/* Every command, in name order, then NULL; and one by name (or NULL). */
extern const struct cmd_entry *const cmd_table[];
const struct cmd_entry *cmd_find(const char *name);
/* The list of commands (`govarch help`), and one command's help. */
void cmd_help_all(FILE *f);
void cmd_help(const struct cmd_entry *c);

/* The archive directory: --archive DIR, else $GOVARCH_ARCHIVE, else "archive". */
extern const char *cmd_archive;

/* "govarch: NAME: message" on stderr, one line. */
void cmd_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The command's synopsis on stderr; returns EXIT_USAGE (for a problem
 * already reported: cmd_getopt and cmd_usage_error call it). */
int cmd_usage(const char *name);
/* A usage error: "govarch: NAME: message" and the command's synopsis on
 * stderr; returns EXIT_USAGE. */
int cmd_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* getopt_long for command NAME (argv[0] is the command; options may follow
 * operands).  Returns the option's value, -1 after the last option, or '?'
 * once an unknown option or a missing value has been reported as a usage
 * error (return EXIT_USAGE then).  Operands start at optind afterwards. */
int cmd_getopt(const char *name, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* Parse a crawl reference for a command line (an id, #N, a timestamp or a
 * prefix of one): 0 when s has that form, else a usage error was reported
 * and EXIT_USAGE is returned. */
int cmd_check_crawl_ref(const char *name, const char *s);

#endif
