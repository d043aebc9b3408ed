/* govarch version: the program's version and the libraries it was built
 * with and runs with (a distribution may upgrade one under it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <sqlite3.h>
#include <zlib.h>
#include <zstd.h>

#include "cmd.h"

static void row(const char *lib, const char *built, const char *running)
{
	printf("%-11s %-10s %s\n", lib, built, running);
}

static int version_exec(int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	const char *la = archive_version_string();
	char xml[32];
	long v;

	if (cmd_getopt("version", argc, argv, "", opts) != -1)
		return EXIT_USAGE;
	if (optind < argc)
		return cmd_usage_error("version", "unexpected argument '%s'",
				       argv[optind]);
	/* libxml2 reports its running version as digits: 21004 is 2.10.4 */
	v = strtol(xmlParserVersion, NULL, 10);
	snprintf(xml, sizeof(xml), "%ld.%ld.%ld", v / 10000, v / 100 % 100,
		 v % 100);
	if (!strncmp(la, "libarchive ", 11))
		la += 11;
	printf("govarch %s\n", GOVARCH_VERSION);
	row("library", "built", "running");
	row("libcurl", LIBCURL_VERSION, curl_version_info(CURLVERSION_NOW)->version);
	row("libxml2", LIBXML_DOTTED_VERSION, xml);
	row("zstd", ZSTD_VERSION_STRING, ZSTD_versionString());
	row("sqlite", SQLITE_VERSION, sqlite3_libversion());
	row("libarchive", ARCHIVE_VERSION_ONLY_STRING, la);
	row("zlib", ZLIB_VERSION, zlibVersion());
	row("openssl", OPENSSL_VERSION_STR, OpenSSL_version(OPENSSL_VERSION_STRING));
	return EXIT_OK;
}

const struct cmd_entry cmd_version_entry = { "version", "\n  govarch's version, then one line per library: NAME BUILT RUNNING (the version compiled against and the one loaded now): libcurl, libxml2, zstd, sqlite, libarchive, zlib, openssl", "print the version and the libraries' versions", version_exec };
