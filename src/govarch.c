/* govarch: main, the command table and the command-line contract every
 * command shares (usage errors exit 2, `help`, global options, stdout
 * checked after the command). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"
#include "cmd-table.h"

const struct cmd_entry *const cmd_table[] = { CMD_TABLE_ENTRIES NULL };

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

const struct cmd_entry *cmd_find(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i]; i++)
		if (!strcmp(cmd_table[i]->name, name))
			return cmd_table[i];
	return NULL;
}

int cmd_usage(const char *name)
{
	const struct cmd_entry *c = cmd_find(name);
	const char *u = c ? c->usage : "";

	fprintf(stderr, "usage: govarch %s %.*s  (govarch help %s)\n", name,
		(int)strcspn(u, "\n"), u, name);
	return EXIT_USAGE;
}

int cmd_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "govarch: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cmd_usage(name);
}

int cmd_getopt(const char *name, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char so[64];
	int o;

	/* a leading ':' tells a missing value (':') from an unknown option */
	snprintf(so, sizeof(so), ":%s", shortopts);
	opterr = 0;
	o = getopt_long(argc, argv, so, longopts, NULL);
	if (o == ':') {
		cmd_usage_error(name, "option '%s' needs a value",
				argv[optind - 1]);
		return '?';
	}
	if (o == '?') {
		if (optopt && optopt != '?')
			cmd_usage_error(name, "unknown option '-%c'", optopt);
		else
			cmd_usage_error(name, "unknown option '%s'",
					argv[optind - 1]);
		return '?';
	}
	return o;
}

int cmd_check_crawl_ref(const char *name, const char *s)
{
	struct err e;

	if (catalog_crawl_ref_parse(s, &e) < 0)
		return cmd_usage_error(name, "%s", e.msg);
	return 0;
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

/* Whatever the command printed must have reached stdout: a full disk or a
 * closed pipe is an error, not a silent success. */
static int stdout_ok(const char *name)
{
	int bad, err;

	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	err = errno;
	/* EBADF: stdout was closed and nothing was written to it */
	if (fclose(stdout) != 0 && !bad && errno != EBADF) {
		bad = 1;
		err = errno;
	}
	if (bad)
		cmd_error(name, "writing the output failed: %s",
			  strerror(err ? err : EIO));
	return !bad;
}

int main(int argc, char **argv)
{
	const struct cmd_entry *c;
	const char *env = getenv("GOVARCH_ARCHIVE"), *name;
	int i, rc;

	if (env && *env)
		cmd_archive = env;
	/* global options before the command */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--archive") && i + 1 < argc) {
			cmd_archive = argv[++i];
		} else if (!strncmp(argv[i], "--archive=", 10)) {
			cmd_archive = argv[i] + 10;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			cmd_help_all(stdout);
			return stdout_ok("help") ? EXIT_OK : EXIT_FAIL;
		} else if (!strcmp(argv[i], "--version")) {
			break;
		} else {
			fprintf(stderr, "govarch: %s '%s' (see govarch help)\n",
				strcmp(argv[i], "--archive") ?
				"unknown global option" : "a directory must follow",
				argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cmd_help_all(stderr);
		return EXIT_USAGE;
	}
	name = !strcmp(argv[i], "--version") ? "version" : argv[i];
	c = cmd_find(name);
	if (!c) {
		fprintf(stderr, "govarch: unknown command '%s' (see govarch "
			"help)\n", name);
		return EXIT_USAGE;
	}
	argc -= i;
	argv += i;
	if (strip_archive(&argc, argv) < 0)
		return cmd_usage_error(name, "--archive needs a directory");
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			break;
	if (i < argc && strcmp(argv[i], "--")) {
		cmd_help(c);
		rc = EXIT_OK;
	} else {
		rc = c->exec(argc, argv);
	}
	if (!stdout_ok(name) && rc == EXIT_OK)
		rc = EXIT_FAIL;
	return rc;
}
