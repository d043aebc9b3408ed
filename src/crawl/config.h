/* crawl config: the `key = value` file `govarch crawl` reads.
 *
 * Syntax: one `key = value` per line; `#` starts a comment line (a `#`
 * inside a value is kept, URLs and regexes need it); blank lines ignored;
 * keys are case-sensitive, lower-case with dashes.  List keys (seed,
 * scope-host, scope-prefix, exclude, sitemap, extract-*) repeat; every other
 * key takes its last value.  Durations are seconds (fractions allowed),
 * sizes take an optional k/M/G suffix (powers of 1024).
 *
 * Lines whose key the diff module's rule parser knows (src/diff) are kept
 * verbatim in `rules` and handed to it; an unknown key is an error naming
 * the file and line.
 */
#ifndef GOVARCH_CRAWL_CONFIG_H
#define GOVARCH_CRAWL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

struct crawl_strv {
	char **v;
	size_t n, alloc;
};

int crawl_strv_add(struct crawl_strv *s, const char *str);
void crawl_strv_clear(struct crawl_strv *s);

struct crawl_config {
	struct crawl_strv seeds;          /* seed = URL */
	struct crawl_strv scope_hosts;    /* scope-host = HOST[:PORT] */
	struct crawl_strv scope_prefixes; /* scope-prefix = URL prefix */
	struct crawl_strv excludes;       /* exclude = POSIX extended regex */
	struct crawl_strv sitemaps;       /* sitemap = URL */
	struct crawl_strv rules;          /* extraction rule lines, "key = value" */

	char *user_agent;     /* user-agent; "%v" -> version, "%c" -> contact */
	char *contact;        /* contact (URL or mail address) */
	char *robots_token;   /* product token robots.txt groups are matched on */
	char *operator_;      /* operator (warcinfo) */
	char *description;    /* description (warcinfo) */
	char *format;         /* zst | gz | warc */
	char *accept_encoding; /* Accept-Encoding sent: identity (default), or
				* a list of gzip, deflate, br (the body is
				* stored as received) */
	char *notify;         /* URL the change report is POSTed to, or "" */
	char *notify_command; /* sh -c command fed the report, or "" */

	double delay;         /* minimum seconds between requests to a host */
	double max_delay;     /* cap of the delay rule (unless Crawl-delay) */
	double delay_factor;  /* times the last response time */
	double max_crawl_delay; /* largest robots Crawl-delay honoured */
	double max_retry_after; /* largest Retry-After honoured (longer: failed) */
	double connect_timeout, first_byte_timeout, total_timeout;
	/* a response slower than low_speed_limit bytes/s over low_speed_time
	 * seconds is cut (WARC-Truncated: time); limit 0 = no check */
	double low_speed_time;
	uint64_t low_speed_limit;
	double progress_interval; /* seconds between log lines off a terminal */
	double notify_timeout; /* seconds per notification attempt */

	long max_pages;       /* 0 = no limit */
	uint64_t max_bytes;   /* bytes received per crawl, 0 = no limit */
	long max_depth;       /* hops from a seed */
	long max_path_depth;  /* path segments */
	long max_path_repeat; /* repetitions of one path segment */
	long max_url_length;
	long max_query_variants; /* URLs per path with differing queries */
	uint64_t max_response_bytes; /* body cut there (WARC-Truncated: length) */
	uint64_t max_decoded_bytes; /* Content-Encoding decoded up to there */
	long max_tries;       /* fetch attempts per URL */
	long host_fail_pause; /* consecutive failures before a host is paused */
	double host_pause;    /* seconds a failing host is paused */
	long max_hosts;       /* hosts fetched from at once */
	long requisite_hops;  /* hops allowed for requisites outside the scope */
	uint64_t rotate_size; /* WARC file size before rotating */
	long zstd_level;      /* zstd level of the records (0: the writer's) */
	long compact_level;   /* level of the repack after a crawl, 0: none */
	uint64_t train_bytes; /* sample bytes for the first zstd dictionary */
	int scope_from_seeds; /* set when --seed replaced the seeds */

	/* Where each value came from (for `crawl --dry-run`): when origin is
	 * set, crawl_config_set notes it beside the key (and, for list keys,
	 * the value); crawl_config_parse sets it to "FILE:LINE" per line. */
	const char *origin;
	struct crawl_strv origins;  /* "key\tvalue\torigin", oldest first */
};

/* Defaults (config/dpmc.conf explains each): delay 2 s, factor 5, cap
 * 30 s, ... */
void crawl_config_init(struct crawl_config *c);
void crawl_config_release(struct crawl_config *c);

/* Parse one file into c (on top of what is there).  -1 with e naming
 * "FILE:LINE: what" on an unknown key or a bad value. */
int crawl_config_load(struct crawl_config *c, const char *path,
		      struct err *e);
/* Parse text (name used in messages). */
int crawl_config_parse(struct crawl_config *c, const char *text,
		       const char *name, struct err *e);
/* Parse text to the end, adding one "NAME:LINE: what" to problems for
 * every bad line (unknown key, bad value, a regex or XPath that does not
 * compile, a URL that does not parse).  Returns the number of problems, or
 * -1 when out of memory. */
int crawl_config_check(struct crawl_config *c, const char *text,
		       const char *name, struct crawl_strv *problems);
/* Read a config file whole (at most 4 MiB) into out. */
int crawl_config_read(const char *path, struct buf *out, struct err *e);
/* Apply one key/value (what a config line or a command-line flag does).
 * Values are checked: numbers, sizes, format, exclude regexes (POSIX
 * extended), extraction XPaths, seed and sitemap URLs (http or https),
 * scope-prefix (a path "/..." or a URL with its scheme). */
int crawl_config_set(struct crawl_config *c, const char *key,
		     const char *value, struct err *e);

/* The i-th key the parser accepts (the configuration's own, then the
 * extraction rules' with and without their "extract-" prefix, written into
 * buf), NULL past the last: what the manual must document. */
const char *crawl_config_key_name(size_t i, char *buf, size_t size);

/* The effective User-Agent (placeholders expanded), malloc'd. */
char *crawl_config_user_agent(const struct crawl_config *c);
/* The configuration as `key = value` lines, every key (for the warcinfo
 * record and ARCHIVE/crawl.conf: parsed again it gives the same config). */
char *crawl_config_dump(const struct crawl_config *c);
/* Where key (for a list key: with this value) was last set: "FILE:LINE",
 * the option, or "default". */
const char *crawl_config_origin(const struct crawl_config *c, const char *key,
				const char *value);
/* The same as "key<TAB>value<TAB>origin" lines: where each value came from
 * ("default" when nothing set it). */
char *crawl_config_dump_origins(const struct crawl_config *c);

/* Parsers shared with the tests: seconds ("2", "0.5"), size ("10M"). */
int crawl_parse_seconds(const char *s, double *out);
int crawl_parse_size(const char *s, uint64_t *out);

/* Where `govarch crawl` finds its configuration when not given -c:
 * $GOVARCH_CONFIG, else the system configuration system_conf when it can be
 * read, else DIR/../config/dpmc.conf, DIR/../../config/dpmc.conf (DIR = the
 * binary's directory, so build trees and the source tree work),
 * DIR/../share/govarch/dpmc.conf (installed under any PREFIX), else the
 * compiled-in GOVARCH_CONFDIR/dpmc.conf.  Returns a malloc'd path or NULL
 * when none exists. */
char *crawl_config_find(const char *system_conf);
/* crawl_config_find with /etc/govarch/govarch.conf (GOVARCH_SYSTEM_CONFIG). */
char *crawl_config_default_path(void);

#endif
