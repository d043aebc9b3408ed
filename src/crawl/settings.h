/* settings: the crawl an archive remembers, and the checks a crawl's
 * configuration gets before anything is fetched.
 *
 * ARCHIVE/crawl.conf holds the effective configuration of the archive's
 * crawl (config file, --seed, --scope, --set, --delay... resolved: every
 * key, in the config file syntax) under a comment naming where it came
 * from.  `govarch crawl` writes it when a crawl starts with settings that
 * differ from it; a plain `govarch crawl` repeats it, and an unfinished
 * crawl always resumes with it.  Each crawl's config text is also kept in
 * its WARC (urn:govarch:config:ID) and the catalog (its digest).
 */
#ifndef GOVARCH_CRAWL_SETTINGS_H
#define GOVARCH_CRAWL_SETTINGS_H

#include <stdint.h>

#include "crawl/config.h"
#include "crawl/scope.h"
#include "util/buf.h"
#include "util/err.h"

#define CRAWL_SETTINGS_FILE "crawl.conf"

/* Read ARCHIVE/crawl.conf: 1 with its text in out (and, when path is not
 * NULL, its path malloc'd in *path), 0 when there is none, -1 with e. */
int crawl_settings_read(const char *archive, struct buf *out, char **path,
			struct err *e);
/* Write cfg as ARCHIVE/crawl.conf (a temporary file, fsync'd, renamed
 * over it) with from (one line: the config file and the options) in its
 * header comment.  Nothing is written when the file already holds the same
 * settings.  0, or -1 with e. */
int crawl_settings_save(const char *archive, const struct crawl_config *cfg,
			const char *from, struct err *e);

/* Whether saved and now crawl the same thing: the same seeds, sitemaps,
 * scope hosts and scope prefixes (order and repeats aside).  1 same; 0 not,
 * with e saying what differs, e.g. "seed http://a/ -> http://b/". */
int crawl_settings_same_scope(const struct crawl_config *saved,
			      const struct crawl_config *now, struct err *e);

/* The archive's unfinished crawl (interrupted or killed): 1 and its id,
 * 0 none (or no state yet), -1 with e. */
int crawl_settings_unfinished(const char *archive, int64_t *id,
			      struct err *e);

/* The scope (hosts, prefixes, excludes, trap limits) of cfg, as the crawl
 * applies it.  NULL with e. */
struct crawl_scope *crawl_settings_scope(const struct crawl_config *cfg,
					 struct err *e);
/* "scope-host a, scope-prefix b" (or "any host") for messages, malloc'd. */
char *crawl_settings_scope_text(const struct crawl_config *cfg);

/* Every seed and sitemap would be fetched by the scope and trap rules:
 * 0, or -1 with e naming the URL, the rule and the scope. */
int crawl_settings_check_seeds(const struct crawl_config *cfg,
			       const struct crawl_scope *scope, struct err *e);
/* A crawl that reaches a host other than loopback (a seed, sitemap or
 * scope host) must name its operator: -1 with e naming the key when
 * contact is empty, the built-in default (govarch's own page) or an address
 * at a reserved example domain (RFC 2606/6761: example.com/.net/.org,
 * .example, .invalid, .test, .localhost). */
int crawl_settings_check_contact(const struct crawl_config *cfg,
				 struct err *e);
/* 1 when url's host is loopback (localhost, 127.0.0.0/8, ::1). */
int crawl_settings_loopback(const char *url);

/* What the command line says about the crawl (crawl and explain). */
struct crawl_settings_args {
	const char *config;             /* -c FILE, or NULL: the default */
	struct crawl_strv seeds;        /* --seed: replace seeds and sitemaps
					 * (and, without --scope, the scope
					 * becomes the seeds' hosts) */
	struct crawl_strv scopes;       /* --scope: replace the scope */
	struct crawl_strv sets;         /* --set KEY=VALUE */
	const char *delay, *max_pages, *format;
	int reconfigure;                /* other seeds or scope allowed */
	const char *line;               /* the options as given (crawl.conf) */
};

enum crawl_plan_mode {
	CRAWL_PLAN_NEW,         /* the config file and the options */
	CRAWL_PLAN_REPEAT,      /* the saved crawl (with --delay, --set...) */
	CRAWL_PLAN_RESUME,      /* an unfinished crawl: its saved settings */
};

/* What `govarch crawl` would crawl in an archive. */
struct crawl_plan {
	struct crawl_config cfg;
	enum crawl_plan_mode mode;
	int64_t unfinished;         /* id of the unfinished crawl, or 0 */
	char *cpath;                /* config file read (or crawl.conf) */
	const char *cname;          /* its base name (warcinfo, catalog) */
	struct buf text;            /* config text for warcinfo and catalog */
	struct buf from;            /* provenance line for crawl.conf */
	const char *note;           /* a remark for the user, or NULL */
	int settled;                /* cfg complete (only checks failed) */
	int unreadable;             /* -1 came from reading the archive (a
	                             * damaged state, I/O), not from usage */
	struct crawl_scope *scope;
};

/* Decide the settings: an unfinished crawl with saved settings resumes
 * with them (note set when the options given differ; --reconfigure is
 * refused); no -c, --seed or --scope on an archive with saved settings
 * repeats them (--delay, --max-pages, --format, --set on top; a list value
 * already there is not added again); otherwise the config file with the
 * options, whose seeds and scope must be the saved ones unless
 * reconfigure.  Once the settings are known (settled), the refusals and
 * checks: seeds given, each seed in scope, the contact.  0, or -1 with e (a
 * usage problem: the caller exits 2; with settled set, cfg is what the
 * crawl would have used). */
int crawl_plan_make(struct crawl_plan *p, const char *archive,
		    const struct crawl_settings_args *a, struct err *e);
void crawl_plan_release(struct crawl_plan *p);

#endif
