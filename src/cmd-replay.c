/* govarch replay: browse the archive as it was, over HTTP (src/replay). */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "replay/replay.h"

/* Loopback addresses: anything else makes the archive readable by others. */
static int loopback(const char *a)
{
	return !strncmp(a, "127.", 4) || !strcmp(a, "::1") ||
	       !strcmp(a, "::ffff:127.0.0.1");
}

static int replay_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_server_opts so = { cmd_archive, "127.0.0.1", 8080, 0 };
	struct replay_server *s;
	unsigned long port;
	unsigned bound = 0;
	sigset_t set;
	char *end;
	int o, sig = 0;
	struct err e = { "" };

	while ((o = cmd_getopt("replay", argc, argv, "", opts)) != -1) {
		switch (o) {
		case 'b':
			so.bind = optarg;
			break;
		case 'p':
			errno = 0;
			port = strtoul(optarg, &end, 10);
			if (errno || *end || !isdigit((unsigned char)*optarg) ||
			    port > 65535)
				return cmd_usage_error("replay", "'%s' is not a "
						       "port (0 to 65535)",
						       optarg);
			so.port = (unsigned)port;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cmd_usage_error("replay", "unexpected argument '%s'",
				       argv[optind]);
	/* the server's threads inherit this mask: only this thread takes
	 * SIGINT and SIGTERM, with sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!(s = replay_server_start(&so, &bound, &e))) {
		cmd_error("replay", "%s", e.msg);
		return EXIT_FAIL;
	}
	if (!loopback(so.bind))
		fprintf(stderr, "govarch: replay: warning: listening on %s: "
			"anyone who can reach this address can read the "
			"archive\n", so.bind);
	printf("replaying %s on http://%s%s%s:%u/ (stop with Ctrl-C)\n",
	       cmd_archive, strchr(so.bind, ':') ? "[" : "", so.bind,
	       strchr(so.bind, ':') ? "]" : "", bound);
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	replay_server_stop(s);
	return EXIT_OK;
}

const struct cmd_entry cmd_replay_entry = { "replay", "[--bind ADDR] [--port N]\n  serve the archive over HTTP for browsing it as it was, as pywb and the Wayback Machine spell URLs: /TIMESTAMP/URL replays the capture nearest in time (redirecting to its exact 14-digit timestamp; a prefix such as /2024/URL works), /TIMESTAMPid_/URL the archived bytes untouched; links are rewritten to stay in the archive, a banner tops each page; also /calendar/URL, /diff/FROM/TO/URL, /changes, /cdx?url=..., Memento (/timegate/URL, /timemap/link/URL, /timemap/json/URL) and / (crawls, search by URL prefix).  The catalog is opened read-only: it runs while a crawl runs.\n  --bind ADDR  IPv4 or IPv6 address to listen on (default 127.0.0.1; another than loopback makes the archive readable by others: a warning says so)\n  --port N     port (default 8080; 0: any free port)\n  Prints 'replaying ARCHIVE on http://ADDR:PORT/' on stdout once listening; stops on SIGINT or SIGTERM.\n  Exit 0 stopped by a signal, 1 error (no catalog, address in use), 2 bad usage", "serve the archive over HTTP for browsing (Wayback-style, Memento, CDX)", replay_exec };
