/* catalog: the archive's index of crawls and captures (ARCHIVE/catalog.sqlite)
 * and what it answers: history of a URL, the text of a capture, changes
 * between two crawls, the Atom feed, the CDXJ index, and the rebuild from
 * the WARC files alone.
 *
 * SQLite in WAL mode with a busy timeout; a schema_version table and
 * numbered migrations (catalog_open upgrades an older file).  The WARC files
 * are the truth: catalog_rebuild recreates everything from them through the
 * same catalog_add_capture path the crawler uses, so answers are identical.
 *
 * Library code: nothing prints or exits; errors are -1 and one line in e.
 *
 * ---- What the crawler writes into its WARCs (rebuild reads this) --------
 *
 * 1. warcinfo of EVERY file of a crawl (application/warc-fields):
 *        isPartOf: govarch-crawl-<ID>            (ID = catalog_crawl_begin's)
 *        govarch-config-name: <config file base name, e.g. dpmc.conf>
 *        govarch-config-digest: <CATALOG's digest: sha1:BASE32 of the text>
 *    Records that follow a warcinfo without "isPartOf: govarch-crawl-N"
 *    (WARCs from other tools) go into a crawl of their own, one per
 *    warcinfo (or per file when it has none), ids after the largest govarch
 *    id, status "imported" (never a default FROM/TO of `changes`: name them
 *    with --from/--to).
 *
 * 2. Once per crawl, in its first file right after the warcinfo, the config
 *    text the crawl ran with (so rebuild extracts with the same site rules):
 *        WARC-Type: metadata
 *        WARC-Target-URI: urn:govarch:config:<ID>      (CATALOG_CONFIG_URI)
 *        Content-Type: text/plain; charset=utf-8
 *        block: the config file's bytes, unchanged
 *    (A resumed crawl may write it again; identical text, harmless.)
 *
 * 3. At the end of a crawl (also when interrupted: write it with the status
 *    then; a resumed crawl writes a new one, the last one wins):
 *        WARC-Type: metadata
 *        WARC-Target-URI: urn:govarch:crawl:<ID>       (CATALOG_CRAWL_URI)
 *        Content-Type: application/warc-fields
 *        block:
 *            govarch-crawl-id: <ID>
 *            govarch-crawl-start: <WARC-Date form, as given to crawl_begin>
 *            govarch-crawl-end: <WARC-Date form>
 *            govarch-crawl-status: complete|interrupted|failed|partial
 *            govarch-crawl-pages: <N>
 *            govarch-crawl-bytes: <N>
 *            govarch-crawl-failed: <N>
 *            govarch-config-name: <name>
 *            govarch-config-digest: <sha1:BASE32>
 *            govarch-crawl-reason: <why it is partial>    (only when set)
 *    catalog_crawl_summary_fields() produces exactly this block.  Without
 *    it, rebuild takes start/end from the first/last record dates, pages =
 *    captures, bytes = sum of compressed lengths, status "interrupted".
 *
 * ---- What the crawler calls -------------------------------------------
 *
 *   c = catalog_open(archive_dir, CATALOG_CREATE, &e);
 *   catalog_crawl_begin(c, start_warc_date, "dpmc.conf", config_text, &id, &e);
 *      (sets the extraction site rules from config_text; on --resume call
 *       catalog_crawl_resume(c, id, config_text, &e) instead)
 *   seeds: besides the config's, catalog_known_urls(c, 0, ...) - the pages
 *      the last complete crawl saw - or a page that lost its last link is
 *      never seen removed (404) or moved (301); `govarch crawls --urls`
 *      prints them (the crawler queues them: crawl.c queue_known_pages)
 *   for each fetch:  catalog_previous(c, url, &prev, &e)   (conditional GET)
 *                    ... write records ...
 *                    fill a catalog_capture_in from the written record
 *                    (catalog_capture_http for the HTTP part, url/date/
 *                    record id/file/offset/length from warc_record_out)
 *                    catalog_begin(c); catalog_add_capture(c, &cap, NULL, &e);
 *                    <crawler's own state update>; catalog_commit(c);
 *   on resume after a crash: catalog_delete_from(c, file, good_end, &e)
 *   at the end: catalog_crawl_end(c, id, end, "complete", pages, bytes,
 *               failed, &e); then catalog_write_atom(c, &e);
 *   catalog_close(c);
 */
#ifndef GOVARCH_CATALOG_H
#define GOVARCH_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"
#include "warc/warc.h"

#define CATALOG_FILE        "catalog.sqlite"
/* What a damaged catalog's error ends with: the WARC files are the truth. */
#define CATALOG_RECOVER     "recover with `govarch index --rebuild`"
#define CATALOG_ATOM_FILE   "changes.atom"
#define CATALOG_DIFF_DIR    "diffs"         /* html diffs linked from the feed */
#define CATALOG_CONFIG_URI  "urn:govarch:config:"   /* + crawl id */
#define CATALOG_CRAWL_URI   "urn:govarch:crawl:"    /* + crawl id */
#define CATALOG_EXCLUDED_URI "urn:govarch:excluded:" /* + crawl id */
#define CATALOG_PART_OF     "govarch-crawl-"        /* isPartOf prefix */
#define CATALOG_ATOM_MAX    500     /* entries kept in changes.atom */
/* Text is extracted from at most this much of an entity body (decoded),
 * and only from bodies stored in at most this much. */
#define CATALOG_PAYLOAD_MAX (16u << 20)

struct catalog;

/* ---- open / close, transactions ----------------------------------------- */

enum {
	CATALOG_CREATE = 1,     /* create ARCHIVE/catalog.sqlite if missing */
	CATALOG_READONLY = 2,   /* queries only */
};

/* Open ARCHIVE_DIR/catalog.sqlite (WAL, busy timeout 10 s, migrations).
 * Without CATALOG_CREATE a missing catalog is an error naming the path. */
struct catalog *catalog_open(const char *archive_dir, int flags,
			     struct err *e);
void catalog_close(struct catalog *c);          /* NULL is a no-op */

/* A number that changes whenever another connection (a crawl, an index)
 * committed to the catalog since this one last looked: for readers that
 * keep answers (PRAGMA data_version).  0 or -1. */
int catalog_data_version(struct catalog *c, int64_t *version,
			 struct err *e);

/* An explicit transaction around several writes (e.g. a capture together
 * with the crawler's own state, committed at once).  Calls may nest: only
 * the outermost commit writes.  Each write function outside a transaction
 * is its own transaction. */
int catalog_begin(struct catalog *c, struct err *e);
int catalog_commit(struct catalog *c, struct err *e);
int catalog_rollback(struct catalog *c, struct err *e);

/* Site rules for extraction, from a config file's text (the diff module's
 * rule lines; other lines ignored).  NULL or "" = generic extraction only.
 * crawl_begin/crawl_resume call this themselves. */
int catalog_set_rules(struct catalog *c, const char *config_text,
		      struct err *e);

/* ---- crawls -------------------------------------------------------------- */

struct catalog_crawl {
	int64_t id;
	char start[40];             /* WARC-Date form "2024-10-21T09:30:00Z" */
	char end[40];               /* "" while running */
	char status[16];            /* running|complete|interrupted|failed|partial,
	                             * imported (foreign WARCs) */
	char config_name[256];
	char config_digest[48];     /* sha1:BASE32 of the config text, or "" */
	uint64_t pages, bytes, failed;
	char reason[128];           /* why it is partial ("max-pages 30
	                             * reached", "3 URLs failed"), or "" */
};

/* Start a crawl: *id = the next id (1, 2, ...), status "running", start =
 * start_date (WARC-Date form; NULL = now).  Stores config name and digest and
 * sets the extraction rules from config_text. */
int catalog_crawl_begin(struct catalog *c, const char *start_date,
			const char *config_name, const char *config_text,
			int64_t *id, struct err *e);
/* Continue crawl id (status back to "running", rules from config_text). */
int catalog_crawl_resume(struct catalog *c, int64_t id,
			 const char *config_text, struct err *e);
/* Finish: end date (NULL = now), status, figures. */
int catalog_crawl_end(struct catalog *c, int64_t id, const char *end_date,
		      const char *status, uint64_t pages, uint64_t bytes,
		      uint64_t failed, struct err *e);
/* Why crawl id is partial (a limit it stopped at, failed URLs); "" none.
 * Call it before catalog_crawl_summary_fields, which then writes it. */
int catalog_crawl_set_reason(struct catalog *c, int64_t id, const char *reason,
			     struct err *e);

/* Close crawl id, which nothing will resume (its state was lost), as
 * interrupted with what the catalog holds of it: pages and bytes of its
 * captures, end the date of its last one in file order (what
 * catalog_rebuild finds for a crawl without a summary record). */
int catalog_crawl_close_interrupted(struct catalog *c, int64_t id,
				    struct err *e);
/* Once the catalog holds enough texts and has no dictionary yet: train a
 * zstd dictionary on them and compress every stored text, link list and
 * boilerplate again with it, in one transaction, then vacuum.  Cheap after
 * the first crawl; a no-op after that.  The crawler calls it when a crawl
 * ends, and `index` after reading.  (A capture added outside a
 * transaction trains the dictionary itself once 4 MB of main texts are
 * stored without one, so a large crawl compresses its later texts once;
 * this call then only vacuums.) */
int catalog_compact(struct catalog *c, struct err *e);
/* ---- repacking a finished crawl's WARC files (govarch compact) -------
 * The steps, each committed before the next (crash-safe: catalog_open
 * finishes or undoes an interrupted repack, see cat_repack_recover):
 *   catalog_crawl_files      the crawl's files (relative to the archive)
 *   catalog_repack_plan      old files -> new file, 'planned'
 *   (write, sync and verify the new file: warc_repack)
 *   catalog_repack_switch    ONE transaction: every capture moved to its
 *                            new file/offset/length, indexed_files, the
 *                            plan 'switched', the crawl noted repacked
 *   (remove the old files)
 *   catalog_repack_done      the plan forgotten
 * A failed or pointless repack (new file not smaller) removes the new file
 * and calls catalog_repack_done. */

/* The WARC files holding crawl id's captures, sorted by name, as stored
 * (relative to the archive dir): *v malloc'd, each string malloc'd
 * (catalog_strv_free).  -1 when one of them also holds another crawl's
 * captures. */
int catalog_crawl_files(struct catalog *c, int64_t id, char ***v, size_t *n,
			struct err *e);
void catalog_strv_free(char **v, size_t n);
/* 1 when crawl id was repacked already, 0 not, -1 error. */
int catalog_repacked(struct catalog *c, int64_t id, struct err *e);
int catalog_repack_plan(struct catalog *c, int64_t id,
			const char *const *old, size_t n, const char *new_file,
			struct err *e);
/* moves[i].in indexes old[]. */
int catalog_repack_switch(struct catalog *c, int64_t id,
			  const char *const *old, size_t n,
			  const char *new_file, uint64_t new_size,
			  const struct warc_repack_move *moves, size_t nmoves,
			  int level, uint64_t bytes_before, struct err *e);
int catalog_repack_done(struct catalog *c, int64_t id, struct err *e);
/* All crawls, oldest (lowest id) first: *v malloc'd (free()), *n. */
int catalog_crawls(struct catalog *c, struct catalog_crawl **v, size_t *n,
		   struct err *e);
/* One crawl: 1 found, 0 none, -1 error. */
int catalog_crawl_get(struct catalog *c, int64_t id, struct catalog_crawl *out,
		      struct err *e);
/* The application/warc-fields block of the crawl-summary metadata record
 * (see the top of this file) for crawl id as the catalog has it now. */
int catalog_crawl_summary_fields(struct catalog *c, int64_t id,
				 struct buf *out, struct err *e);
/* "sha1:BASE32" of a config text (what config_digest holds). */
void catalog_config_digest(const char *config_text, char out[48]);

/* ---- exclusions ---------------------------------------------------------- */

/* A page crawl id did not fetch because a rule excludes it now (robots.txt,
 * the scope, an exclude pattern): `changes` then reports it `excluded`
 * with the rule, not removed.  The crawler records the pages the last
 * complete crawl saw that it leaves out, and writes them all at the end
 * in a metadata record (CATALOG_EXCLUDED_URI + id, text/plain, one
 * "URL<TAB>RULE" line each) before the crawl summary; rebuild reads it
 * back (catalog_exclusions_set: the last record wins). */
int catalog_exclude(struct catalog *c, int64_t crawl_id, const char *url,
		    const char *rule, struct err *e);
/* The crawl's exclusions as "URL<TAB>RULE\n" lines sorted by URL, appended
 * to out: how many, or -1. */
int catalog_exclusions_text(struct catalog *c, int64_t crawl_id,
			    struct buf *out, struct err *e);
int catalog_exclusions_set(struct catalog *c, int64_t crawl_id,
			   const char *text, size_t len, struct err *e);
/* 1 and *rule (malloc'd) when crawl_id excluded url, 0 when not, -1. */
int catalog_exclusion_of(struct catalog *c, int64_t crawl_id, const char *url,
			 char **rule, struct err *e);

/* ---- captures ------------------------------------------------------------ */

enum catalog_rtype { CATALOG_RESPONSE = 0, CATALOG_REVISIT, CATALOG_RESOURCE };

/* One capture, as the crawler (or rebuild) knows it.  Zero-initialise and
 * fill what applies; strings are copied.  The catalog derives the rest: SURT
 * key, 14-digit timestamp, extraction (title, "Last updated" date, issue
 * date, main text and its digest, links, rule used) from payload when the
 * mime is HTML and the status 2xx; for a revisit those are copied from the
 * capture it refers to. */
struct catalog_capture_in {
	int64_t crawl_id;
	const char *url;            /* WARC-Target-URI as written */
	const char *date;           /* WARC-Date as written */
	int status;                 /* HTTP status in the record's block (304
	                             * for a not-modified revisit, the
	                             * response's for an identical-payload
	                             * one); 0 when none (resource: 200 is
	                             * assumed) */
	const char *content_type;   /* HTTP Content-Type header value, with
	                             * its charset; mime is derived from it */
	const char *payload_digest; /* WARC-Payload-Digest ("sha1:BASE32") */
	enum catalog_rtype type;
	const char *record_id;      /* WARC-Record-ID, with <> */
	/* revisit: the capture it refers to (any of these; the record id is
	 * tried first, then target URI + date, then the latest earlier capture
	 * of the URL with the same payload digest) */
	const char *refers_to;
	const char *refers_to_target;
	const char *refers_to_date;
	const char *warc_file;      /* path relative to the archive dir, the
	                             * final name (no .open) */
	uint64_t offset;            /* of the record in the file */
	uint64_t length;            /* compressed length of the record */
	const char *location;       /* HTTP Location header as sent (resolved
	                             * against url here), or NULL */
	const char *etag;           /* header values as sent, or NULL */
	const char *last_modified;
	/* the entity body (de-chunked, content-decoded), for extraction; may
	 * be cut (truncated records): extraction copes.  NULL for an HTML 2xx
	 * response (e.g. a body spooled to disk): the catalog reads the
	 * record back from ARCHIVE/warc_file (or its .open) at offset. */
	const void *payload;
	size_t payload_len;
	/* or the extraction the caller made from the page it parsed already
	 * (catalog_extract), used instead of the payload: a page is parsed
	 * once per crawl */
	const struct catalog_extraction *extraction;
	/* a response's outlinks as the crawler found them, "p URL\n" (page)
	 * or "r URL\n" (requisite) lines, or NULL; catalog_outlinks gives
	 * them back for a later revisit of the page */
	const char *outlinks;
	size_t outlinks_len;
};

/* The extraction (main text, dates, links, boilerplate) of a page the
 * caller parsed (html_parse), with the site rules and the rule the URL's
 * previous capture was extracted with, to hand to catalog_add_capture in
 * catalog_capture_in.extraction.  0, or -1 when memory runs out. */
struct html_doc;
struct catalog_extraction;
int catalog_extract(struct catalog *c, struct html_doc *d,
		    struct catalog_extraction **out, struct err *e);
void catalog_extraction_free(struct catalog_extraction *x);
/* The outlinks stored with the response whose WARC-Record-ID is
 * record_id (catalog_capture_in.outlinks), appended to out.  1 found, 0
 * none stored, -1 error. */
int catalog_outlinks(struct catalog *c, const char *record_id,
		     struct buf *out, struct err *e);
/* Store outlinks ("p URL\n"/"r URL\n" lines) for the 2xx response whose
 * WARC-Record-ID is record_id, when it has none and is not a sitemap (XML
 * or gzip: the crawler stores no outlinks for those); rebuild calls it for
 * the metadata record that follows the response.  0, or -1. */
int catalog_set_outlinks(struct catalog *c, const char *record_id,
			 const char *outlinks, size_t len, struct err *e);
/* HTML pages this catalog parsed itself (payloads it was given without an
 * extraction, bodies it read back from a WARC, re-extractions). */
uint64_t catalog_html_parses(const struct catalog *c);

/* Fill the HTTP part of in - status, content_type, location, etag,
 * last_modified, payload (de-chunked, content-decoded) - from the HTTP
 * message as stored in the record's block: exactly what rebuild does, so
 * the crawler gets the same answers by calling it too.  head[0..head_len)
 * is the block (or just its HTTP head when body is given separately:
 * body[0..body_len) is then the entity body as stored).  A revisit's block
 * may be the head alone.  Strings and payload point into scratch: keep it
 * until catalog_add_capture returned, then catalog_http_release.  -1 when
 * the bytes do not start with an HTTP response head. */
struct catalog_http {
	struct warc_http http;
	struct buf joined;
	struct buf payload;
};
int catalog_capture_http(struct catalog_capture_in *in, const void *head,
			 size_t head_len, const void *body, size_t body_len,
			 struct catalog_http *scratch, struct err *e);
void catalog_http_release(struct catalog_http *scratch);

/* Add a capture.  *capture_id (may be NULL) gets its row id.  The same
 * record (warc_file, offset) added twice replaces the earlier row. */
int catalog_add_capture(struct catalog *c, const struct catalog_capture_in *in,
			int64_t *capture_id, struct err *e);

/* Delete the captures recorded at or after offset in warc_file (offset 0:
 * the whole file) - for resume after a crash, when the .open file was cut
 * back to its last whole record.  *deleted (may be NULL) gets the count. */
int catalog_delete_from(struct catalog *c, const char *warc_file,
			uint64_t offset, uint64_t *deleted, struct err *e);

/* What a conditional request / identical-payload revisit needs from the
 * latest capture (response or revisit) of url with a 2xx status (a
 * not-modified revisit counts with its original's status).  When that capture is a
 * revisit, record_id/date/target name the original response it refers to
 * (so revisits always point at a full record); etag/last_modified/
 * payload_digest/status are the latest capture's. */
struct catalog_prev {
	char *record_id;            /* with <> */
	char *date;                 /* WARC-Date of the original */
	char *target;               /* its WARC-Target-URI */
	char *payload_digest;
	char *etag;                 /* NULL when none */
	char *last_modified;        /* NULL when none */
	int status;
};
/* 1 found (release with catalog_prev_release), 0 none, -1 error. */
int catalog_previous(struct catalog *c, const char *url,
		     struct catalog_prev *prev, struct err *e);
void catalog_prev_release(struct catalog_prev *prev);

/* A stored capture (queries). */
struct catalog_capture {
	int64_t id, crawl_id;
	char ts[15];                /* 14-digit timestamp of WARC-Date */
	char *date;                 /* WARC-Date as written */
	char *url;
	int status;                 /* as recorded */
	int eff_status;             /* a not-modified revisit: the original's */
	char *mime;
	char *payload_digest;
	enum catalog_rtype type;
	char *record_id;
	char *warc_file;
	uint64_t offset, length;
	char *redirect;             /* resolved Location, or NULL */
	char *title;                /* or NULL */
	char last_updated[11];      /* "2024-10-21" or "" */
	char issue_date[11];        /* or "" */
	char *text_digest;          /* digest of the extracted text, or NULL */
	char *rule;                 /* extraction rule used, or NULL */
	int64_t orig_id;            /* revisit: the capture it refers to, or 0 */
	char *boiler_digest;        /* digest of the page's text outside the
	                             * main content (links excluded), or NULL */
};
void catalog_capture_release(struct catalog_capture *cap);
void catalog_captures_free(struct catalog_capture *v, size_t n);

/* Every capture of url (response, revisit, resource), oldest first.  url is
 * matched exactly, else by SURT key.  *v malloc'd; 0 captures is not an
 * error (n = 0). */
int catalog_captures_of(struct catalog *c, const char *url,
			struct catalog_capture **v, size_t *n, struct err *e);
/* Every capture whose SURT key is in [key_lo, key_hi) and whose timestamp is in [ts_lo, ts_hi] (14 digits each),
 * ordered by key, then time; at most limit (0: all).  *v and *keys (the
 * SURT key of each, malloc'd strings) malloc'd; free keys with free(). */
int catalog_captures_range(struct catalog *c, const char *key_lo,
			   const char *key_hi, const char *ts_lo,
			   const char *ts_hi, size_t limit,
			   struct catalog_capture **v, char ***keys, size_t *n,
			   struct err *e);

/* The record a revisit refers to: its WARC file (relative to the archive)
 * and offset, found by the revisit's own record id (the capture it was
 * linked to when added), else by WARC-Refers-To, else by
 * WARC-Refers-To-Target-URI + WARC-Refers-To-Date, else by URL and payload
 * digest (the latest response at or before ts).  Any field may be NULL.
 * 1 found (*warc_file malloc'd), 0 not in this catalog, -1 error. */
struct catalog_revisit {
	const char *record_id, *refers_to, *refers_to_target, *refers_to_date;
	const char *url, *payload_digest;
	const char *ts;             /* the revisit's 14-digit timestamp */
};
int catalog_revisit_original(struct catalog *c, const struct catalog_revisit *r,
			     char **warc_file, uint64_t *offset, struct err *e);
/* The stored main text (one line per block) for a text digest. */
int catalog_text(struct catalog *c, const char *text_digest, struct buf *out,
		 struct err *e);
/* The stored outgoing links of a capture, one per line. */
int catalog_links(struct catalog *c, int64_t capture_id, struct buf *out,
		  struct err *e);

/* The pages (HTML 2xx, and any 3xx) crawl id captured (0: the latest
 * complete crawl), sorted: a new crawl should request them again (besides its seeds),
 * or a page that lost its last link would never be seen removed or
 * redirected.  *urls and each string malloc'd (free both). */
int catalog_known_urls(struct catalog *c, int64_t crawl_id, char ***urls,
		       size_t *n, struct err *e);

/* ---- FROM/TO resolution -------------------------------------------------- */

/* A FROM/TO argument: "#N" or "crawl:N" or a number below 1900 (at most 4
 * digits) names crawl N; otherwise a timestamp or prefix ("2024",
 * "20241021", "20241021T0930", "2024-10-21T09:30:00Z"). */
/* Whether spec has one of these forms (no catalog needed): 0, or -1 with e
 * saying what the forms are. */
int catalog_crawl_ref_parse(const char *spec, struct err *e);
/* A crawl: the crawl id, or the last crawl started within the prefix, else
 * the last started before it.  1 found (*id), 0 none, -1 bad spec. */
int catalog_resolve_crawl(struct catalog *c, const char *spec, int64_t *id,
			  struct err *e);
/* A capture among v[0..n) (one URL, oldest first): the capture in that
 * crawl (the last one in it), or the last capture within the timestamp
 * prefix, else the last before it.  Index or -1 (e says why). */
long catalog_resolve_capture(struct catalog *c,
			     const struct catalog_capture *v, size_t n,
			     const char *spec, struct err *e);

/* ---- change kinds, history, changes -------------------------------------- */

enum catalog_kind {
	CATALOG_ADDED = 0,
	CATALOG_REMOVED,
	CATALOG_EXCLUDED,           /* not fetched: a rule excludes it now */
	CATALOG_MOVED,              /* served a page, now redirects to a new
	                             * URL serving the same text */
	CATALOG_REDIRECTED,
	CATALOG_EDITED,             /* text and "Last updated" date changed */
	CATALOG_SILENT,             /* text changed, date did not */
	CATALOG_DATE_ONLY,          /* date changed, text did not */
	CATALOG_SITEWIDE,           /* one change repeated on many pages */
	CATALOG_UNCHANGED,
	CATALOG_FIRST,              /* history: first capture */
	CATALOG_FAILED,             /* history: 5xx or other non-answer */
};
/* "added", "removed", "excluded", "moved", "redirected", "edited",
 * "silent", "date-only", "sitewide", "unchanged", "first", "failed". */
const char *catalog_kind_name(enum catalog_kind k);

struct catalog_history_entry {
	struct catalog_capture cap;
	enum catalog_kind kind;     /* change since the previous capture */
};
/* History of url, oldest first (captures of any mime). */
int catalog_history(struct catalog *c, const char *url,
		    struct catalog_history_entry **v, size_t *n,
		    struct err *e);
void catalog_history_free(struct catalog_history_entry *v, size_t n);

struct catalog_change {
	enum catalog_kind kind;
	char *url;                  /* sitewide: "" */
	char from_ts[15];           /* FROM capture's timestamp, or "" */
	char to_ts[15];             /* TO capture's timestamp, or "" */
	char last_updated_from[11]; /* "" when none */
	char last_updated_to[11];
	char *target;               /* redirected: resolved Location; moved:
	                             * the new URL; else NULL */
	char *from_file, *to_file;  /* the captures' WARC files (relative to
	                             * the archive dir), or NULL */
	uint64_t from_offset, to_offset;    /* their records' offsets */
	char *summary;              /* one line (diff module's), or "" */
	size_t pages;               /* sitewide: pages it appeared on */
	char *removed;              /* sitewide: removed block lines ("\n") */
	char *added;                /* sitewide: added block lines */
	char link_change[8];        /* sitewide, a menu link: "added",
	                             * "removed" or "renamed" (removed/added
	                             * its texts, target its URL); else "" */
	/* Over more than two crawls: the crawl the (last) change was seen in,
	 * and every change of this page between consecutive crawls, oldest
	 * first (each with its crawl); kind and the FROM side are then the
	 * first step's, the TO side and target the last's, summary "START
	 * KIND: SUMMARY; ..." for every step.  nsteps 0 between two crawls. */
	int64_t crawl;
	struct catalog_change *steps;
	size_t nsteps;
};

struct catalog_changes {
	int64_t from_crawl, to_crawl;
	char from_start[40], to_start[40];
	char from_status[16], to_status[16];    /* the crawls' status */
	char from_reason[128], to_reason[128];  /* why partial, or "" */
	struct catalog_change *v;   /* sorted by kind (enum order), then URL;
	                             * over more crawls by URL, site-wide
	                             * changes last */
	size_t n;
	/* the crawls compared, oldest first, when there are more than two
	 * (FROM, the complete crawls between, TO); else NULL, 0 */
	struct catalog_span_crawl {
		int64_t id;
		char start[40];
	} *crawls;
	size_t ncrawls;
};

/* Every page (HTML) that differs between crawls from and to (0, 0: the last
 * two complete crawls).  With complete crawls between them, each pair of
 * consecutive crawls is compared and each page is one change with its
 * steps (see catalog_change).  Definitions:
 *   added      no 2xx/3xx capture in FROM, a 2xx in TO (also when a
 *              redirect now points to it)
 *   removed    2xx/3xx in FROM; 404/410 in TO, or not captured by TO when
 *              TO is complete (and not excluded)
 *   excluded   2xx/3xx in FROM, not fetched by TO because robots.txt,
 *              the scope or an exclude pattern leaves it out now (see
 *              catalog_exclude): summary the rule
 *   moved      2xx in FROM, 3xx in TO to a URL that is added and whose
 *              text is the same: one change (url the old URL, target the
 *              new one, the TO side the new URL's capture); the new URL
 *              is not reported as added
 *   redirected 3xx in TO to another URL (and not the same redirect before)
 *   edited     text changed and "Last updated" date changed (or no page
 *              has a date)
 *   silent     text changed, date did not
 *   date-only  date changed, text did not
 *   sitewide   one (removed blocks, added blocks) change of the main text
 *              found on more than 5 pages or 20% of the compared pages (at
 *              least 3), or text outside the main content (header, footer,
 *              side boxes; link texts and dated lines excluded) that changed
 *              identically on that many: reported once, with how many
 *              pages; a page counts as changed only for its other changes
 *              (and its summary leaves the site-wide ones out).
 * A URL captured several times in one crawl: its last non-5xx capture. */
int catalog_changes(struct catalog *c, int64_t from, int64_t to,
		    struct catalog_changes *out, struct err *e);
void catalog_changes_release(struct catalog_changes *ch);

/* The diff of two captures' texts, through the diff module: fmt is "text",
 * "word", "html" or "json"; out gets the rendering. */
int catalog_render_diff(struct catalog *c, const struct catalog_capture *a,
			const struct catalog_capture *b, const char *fmt,
			struct buf *out, struct err *e);
/* Blocks the site rules' ignore-text patterns match (the rules of b's
 * crawl) are left out of the comparison and listed after it, each that is
 * not the same on both sides: "ignored (ignore-text PATTERN): -TEXT" (FROM)
 * or "+TEXT" (TO) lines in text and word, a "Ignored lines" section in
 * html, an "ignored" array of {pattern, side "from"|"to", text} in json.
 * catalog_text_differs: 1 when the two captures' texts differ other than
 * in ignored blocks, 0 not, -1 error. */
int catalog_text_differs(struct catalog *c, const struct catalog_capture *a,
			 const struct catalog_capture *b, struct err *e);

/* ---- outputs ---------------------------------------------------------- */

/* Changes rendered: "text", "json", "atom" (just this pair) or "html". */
int catalog_changes_format(struct catalog *c, const struct catalog_changes *ch,
			   const char *fmt, struct buf *out, struct err *e);

/* Rewrite ARCHIVE/changes.atom: Atom 1.0, newest first, one entry per
 * change between each pair of consecutive complete crawls (newest pairs
 * first, at most CATALOG_ATOM_MAX entries); each entry's content holds the
 * `govarch diff URL FROM TO` line and links to ARCHIVE/diffs/... html diff
 * files written here.  The crawler calls this after catalog_crawl_end. */
int catalog_write_atom(struct catalog *c, struct err *e);

/* CDXJ (pywb format, byte-sorted) of every response/revisit/resource record
 * in the WARC files under archive_dir, appended to out.  A file that can't
 * be read (or a bad record, which ends its file) is counted in
 * stats->problems (stats may be NULL), not fatal: -1 only when out can't
 * grow or the directory can't be listed. */
struct catalog_rebuild_stats;
int catalog_cdxj(const char *archive_dir, struct buf *out,
		 struct catalog_rebuild_stats *stats, struct err *e);

/* ---- WACZ export (wacz.c) ------------------------------------------------ */

struct catalog_wacz_opts {
	int64_t from, to;           /* crawl ids, inclusive; 0, 0: the newest
	                             * complete crawl */
	/* Called at most once a second while records are copied (done of
	 * total), and once more at the end with last = 1; may be NULL. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total, int last);
	void *ctx;
};

struct catalog_wacz_stats {
	int64_t from, to;           /* the crawls exported */
	uint64_t records;           /* response/revisit/resource records */
	uint64_t originals;         /* of those: revisits' originals from
	                             * outside the selection */
	uint64_t files;             /* .warc.gz files in the WACZ */
	uint64_t pages;             /* lines of pages.jsonl after its header */
	uint64_t bytes;             /* of the .warc.gz files */
};

/* Write the captures of crawls o->from..o->to as a WACZ 1.1.1 file at out
 * (see wacz.c for the layout).  out is written as OUT.tmp and renamed; a
 * device (not a regular file) is written directly.  On failure nothing is
 * left at out (-1, e says why). */
int catalog_export_wacz(struct catalog *c, const char *out,
			const struct catalog_wacz_opts *o,
			struct catalog_wacz_stats *st, struct err *e);

/* ---- rebuild ------------------------------------------------------------- */

struct catalog_rebuild_stats {
	uint64_t files, records, captures, crawls;
	uint64_t skipped;           /* records not indexed (request, metadata,
	                             * non-http URIs...) */
	uint64_t problems;          /* files or records that could not be read */
	char first_problem[1024];
};

/* Delete ARCHIVE/catalog.sqlite and recreate it from every WARC file
 * (*.warc, *.warc.gz, *.warc.zst, *.warc.bz2, *.warc.xz, not *.open) under
 * archive_dir, in file-name then offset order, through catalog_add_capture.
 * config_text (NULL: the config records in the WARCs) gives the site rules.
 * Unreadable files/records are counted in stats, not fatal. */
int catalog_rebuild(const char *archive_dir, const char *config_text,
		    struct catalog_rebuild_stats *stats, struct err *e);

/* Index the WARC files under archive_dir that the catalog does not know
 * yet (no capture from them, not indexed before) through the same path as
 * rebuild, keeping everything already there: for WARCs copied into the
 * archive, or written by other tools.  Crawls already in the catalog keep
 * their rows (a crawl-summary record found updates them). */
int catalog_index_new(const char *archive_dir, const char *config_text,
		      struct catalog_rebuild_stats *stats, struct err *e);

/* ---- browsing (the replay server's pages) ------------------------------ */

/* An archived URL: its newest capture's timestamp and how many captures. */
struct catalog_url_hit {
	char *url;
	char ts[15];                /* newest capture, 14 digits */
	size_t captures;
};
/* The archived URLs (any capture, any mime) that start with prefix (bytes;
 * "" = all), in byte order, at most max of them in *v (malloc'd, free with
 * catalog_url_hits_free); *total (may be NULL) gets how many match in all. */
int catalog_urls_by_prefix(struct catalog *c, const char *prefix, size_t max,
			   struct catalog_url_hit **v, size_t *n, size_t *total,
			   struct err *e);
void catalog_url_hits_free(struct catalog_url_hit *v, size_t n);

/* What each crawl changed: the added, edited, silent and removed changes
 * catalog_changes reports between the last complete crawl before it and
 * it (the same computation: ignore-text, site-wide changes, moves,
 * exclusions and partial crawls count as they do there); a crawl no
 * complete crawl came before adds its pages (HTML and PDF answering 2xx).
 * One entry per crawl, oldest first, *v malloc'd (free()).  It compares
 * every crawl with the one before: the handle keeps the answer while the
 * captures and crawls stay the same (at most 10 minutes). */
struct catalog_crawl_counts {
	int64_t crawl;
	int64_t base;   /* the complete crawl compared with; 0: none (all added) */
	size_t added, edited, silent, removed;
};
/* The latest `latest` crawls (oldest first), each counted as `changes`
 * counts it against the complete crawl before it: one change report per
 * crawl, so callers ask only for the crawls they show. */
int catalog_change_counts(struct catalog *c, size_t latest,
			  struct catalog_crawl_counts **v, size_t *n,
			  struct err *e);

#endif
