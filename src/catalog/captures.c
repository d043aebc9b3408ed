/* catalog captures: adding one (with extraction, or copying a revisit's
 * original), deleting after a cut, the previous capture, and queries. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zstd.h>

#include "catalog/catalog-int.h"
#include "diff/extract.h"
#include "diff/pdf.h"
#include "html/html.h"
#include "util/digest.h"
#include "util/timeutil.h"
#include "util/url.h"
#include "warc/warc.h"

int cat_is_html(const char *mime)
{
	return mime && (!strcmp(mime, "text/html") ||
			!strcmp(mime, "application/xhtml+xml"));
}

int cat_has_text(const char *mime)
{
	return cat_is_html(mime) || diff_is_pdf(mime);
}

/* The timestamp14 of a WARC-Date (or a timestamp). */
static int ts_of(const char *date, char ts[15])
{
	time_t t;

	if (time_parse_warc_date(date, &t) < 0 && time_parse_ts(date, &t) < 0)
		return -1;
	time_ts14(t, ts);
	return 0;
}

/* Extraction results (or a revisit's copy of them). */
struct extracted {
	int64_t orig;
	int eff_status;
	char mime[128];
	char *title, *updated_raw, *text_digest, *links_digest, *rule;
	char *boiler_digest;
	char last_updated[11], issue_date[11];
	int version;                /* DIFF_EXTRACT_VERSION that made the text */
	char outlinks_digest[48];   /* "" when none stored */
};

static void extracted_release(struct extracted *x)
{
	free(x->title);
	free(x->updated_raw);
	free(x->text_digest);
	free(x->links_digest);
	free(x->rule);
	free(x->boiler_digest);
}

static int blob_kind(const char *table)
{
	int k;

	for (k = 0; k < CAT_BLOB_KINDS; k++)
		if (!strcmp(table, cat_blob_table(k)))
			return k;
	return -1;
}

/* Store body under digest unless the table has it (many pages share a
 * boilerplate or a link list: compress only what is new). */
static int put_blob(struct catalog *c, const char *table, const char *digest,
		    const struct buf *body, struct err *e)
{
	static const char *const has[CAT_BLOB_KINDS] = {
		"SELECT 1 FROM texts WHERE digest = ?",
		"SELECT 1 FROM linksets WHERE digest = ?",
		"SELECT 1 FROM boilers WHERE digest = ?",
	};
	static const char *const put[CAT_BLOB_KINDS] = {
		"INSERT INTO texts(digest, body) VALUES(?, ?)",
		"INSERT INTO linksets(digest, body) VALUES(?, ?)",
		"INSERT INTO boilers(digest, body) VALUES(?, ?)",
	};
	struct buf z = BUF_INIT(0);
	sqlite3_stmt *st = NULL;
	int k = blob_kind(table), rc;

	if (k < 0)
		return err_set(e, "%s: no table %s", c->db.path, table);
	if (db_cached(&c->db, has[k], &st, e) < 0)
		return -1;
	db_bind_str(st, 1, digest);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return db_error(&c->db, e, table);
	if (cat_blob_pack(c, body->data, body->len, &z, e) < 0 ||
	    db_cached(&c->db, put[k], &st, e) < 0) {
		buf_release(&z);
		return -1;
	}
	db_bind_str(st, 1, digest);
	sqlite3_bind_blob(st, 2, z.data, (int)z.len, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(&c->db, e, table);
	sqlite3_reset(st);
	buf_release(&z);
	if (rc == 0)
		cat_blobs_stored(c, (enum cat_blob)k, body->len);
	/* a new distinct main text: into the search index, same rowid */
	if (rc == 0 && k == CAT_TEXTS)
		rc = cat_search_add(c, sqlite3_last_insert_rowid(c->db.h),
				    body->data, body->len, e);
	return rc;
}

/* Outlinks: a site's pages share most of their links (the menu), so each
 * list is compressed with a base list as zstd dictionary: the first list of
 * some size a catalog connection stores, itself compressed without one.  A list then
 * costs little more than the links it does not share with the base. */
#define OUTLINKS_MAX (64u << 20)    /* decompressed bytes read back */
#define OUTLINKS_LEVEL 3
#define OUTLINKS_BASE_MIN 1024      /* a shorter list is no good base */

void cat_outlinks_release(struct cat_outlinks_base *b)
{
	free(b->text);
	memset(b, 0, sizeof(*b));
}

/* zstd frame z[0..zn) (dictionary dict, may be NULL) into *out (malloc'd). */
static int unzstd(const void *z, size_t zn, const struct cat_outlinks_base *dict,
		  char **out, size_t *outlen)
{
	unsigned long long size = ZSTD_getFrameContentSize(z, zn);
	char *text;
	size_t n;

	*out = NULL;
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > OUTLINKS_MAX || !(text = malloc(size + 1)))
		return -1;
	if (dict) {
		ZSTD_DCtx *dc = ZSTD_createDCtx();

		n = dc ? ZSTD_decompress_usingDict(dc, text, size, z, zn,
						   dict->text, dict->len) : 1;
		ZSTD_freeDCtx(dc);
		if (!dc)
			n = (size_t)-1;
	} else {
		n = ZSTD_decompress(text, size, z, zn);
	}
	if (ZSTD_isError(n) || n != size) {
		free(text);
		return -1;
	}
	text[n] = 0;
	*out = text;
	*outlen = n;
	return 0;
}

/* The stored list digest, decompressed (a base: without a dictionary). */
static int outlinks_body(struct catalog *c, const char *digest, char **text,
			 size_t *len, char **base, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*text = *base = NULL;
	if (db_cached(&c->db, "SELECT body, base FROM outlinks "
		       "WHERE digest = ?", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, digest);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 0;
	}
	*base = db_col_dup(st, 1);
	rc = *base ? 1 : unzstd(sqlite3_column_blob(st, 0),
				(size_t)sqlite3_column_bytes(st, 0), NULL,
				text, len) < 0 ? -1 : 1;
	if (*base) {        /* keep the frame; the caller decodes it */
		*len = (size_t)sqlite3_column_bytes(st, 0);
		if (!(*text = malloc(*len ? *len : 1)))
			rc = -1;
		else
			memcpy(*text, sqlite3_column_blob(st, 0), *len);
	}
	sqlite3_reset(st);
	if (rc < 0)
		err_set(e, "%s: outlinks %s unreadable", c->db.path, digest);
	return rc;
}

/* c->ol_base holds the base list digest (loaded when it is another). */
static int load_base(struct catalog *c, const char *digest, struct err *e)
{
	char *text, *base;
	size_t len;
	int rc;

	if (c->ol_base.text && !strcmp(c->ol_base.digest, digest))
		return 0;
	rc = outlinks_body(c, digest, &text, &len, &base, e);
	if (rc <= 0 || base) {
		free(text);
		free(base);
		return rc < 0 ? -1 : err_set(e, "%s: outlinks base %s missing",
					     c->db.path, digest);
	}
	cat_outlinks_release(&c->ol_base);
	c->ol_base.text = text;
	c->ol_base.len = len;
	snprintf(c->ol_base.digest, sizeof(c->ol_base.digest), "%s", digest);
	return 0;
}

static int put_outlinks(struct catalog *c, const struct catalog_capture_in *in,
			struct extracted *x, struct err *e)
{
	size_t bound = ZSTD_compressBound(in->outlinks_len), n;
	const struct cat_outlinks_base *dict = c->ol_base.text ? &c->ol_base : NULL;
	sqlite3_stmt *st = NULL;
	ZSTD_CCtx *cc = NULL;
	void *z;
	int rc = -1;

	if (in->outlinks_len > OUTLINKS_MAX)
		return 0;
	digest_sha1_label(in->outlinks, in->outlinks_len, x->outlinks_digest);
	if (!(z = malloc(bound)) || !(cc = ZSTD_createCCtx())) {
		err_set(e, "%s: out of memory", in->url);
		goto out;
	}
	n = dict ? ZSTD_compress_usingDict(cc, z, bound, in->outlinks,
					   in->outlinks_len, dict->text,
					   dict->len, OUTLINKS_LEVEL)
		: ZSTD_compressCCtx(cc, z, bound, in->outlinks,
				    in->outlinks_len, OUTLINKS_LEVEL);
	if (ZSTD_isError(n)) {
		err_set(e, "%s: compressing its outlinks: %s", in->url,
			ZSTD_getErrorName(n));
		goto out;
	}
	if (db_cached(&c->db, "INSERT OR IGNORE INTO "
		       "outlinks(digest, base, body) VALUES(?, ?, ?)", &st,
		       e) < 0)
		goto out;
	db_bind_str(st, 1, x->outlinks_digest);
	db_bind_str(st, 2, dict ? dict->digest : NULL);
	sqlite3_bind_blob(st, 3, z, (int)n, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(&c->db, e, "outlinks");
	sqlite3_reset(st);
	if (rc == 0 && !dict && sqlite3_changes(c->db.h) == 1 &&
	    in->outlinks_len >= OUTLINKS_BASE_MIN) {
		/* the first list stored: the base of the next ones */
		char *text = malloc(in->outlinks_len + 1);

		if (text) {
			memcpy(text, in->outlinks, in->outlinks_len);
			text[in->outlinks_len] = 0;
			c->ol_base.text = text;
			c->ol_base.len = in->outlinks_len;
			snprintf(c->ol_base.digest, sizeof(c->ol_base.digest),
				 "%s", x->outlinks_digest);
		}
	}
out:
	ZSTD_freeCCtx(cc);
	free(z);
	return rc;
}

int catalog_set_outlinks(struct catalog *c, const char *record_id,
			 const char *outlinks, size_t len, struct err *e)
{
	struct catalog_capture_in in;
	struct extracted x;
	sqlite3_stmt *st = NULL;
	int rc;

	if (!record_id || !len)
		return 0;
	memset(&in, 0, sizeof(in));
	memset(&x, 0, sizeof(x));
	in.url = record_id;
	in.outlinks = outlinks;
	in.outlinks_len = len;
	if (put_outlinks(c, &in, &x, e) < 0)
		return -1;
	if (!x.outlinks_digest[0])
		return 0;
	if (db_cached(&c->db, "UPDATE captures SET outlinks_digest = ? "
		       "WHERE record_id = ? AND rtype = 0 AND status BETWEEN 200 "
		       "AND 299 AND outlinks_digest IS NULL AND coalesce(mime, '') "
		       "NOT IN ('application/xml', 'text/xml', 'application/gzip', "
		       "'application/x-gzip')", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, x.outlinks_digest);
	db_bind_str(st, 2, record_id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(&c->db, e, "outlinks");
	sqlite3_reset(st);
	return rc;
}

int catalog_outlinks(struct catalog *c, const char *record_id,
		     struct buf *out, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char *digest = NULL;
	int rc;

	if (db_cached(&c->db, "SELECT outlinks_digest FROM "
		       "captures WHERE record_id = ? AND rtype != 1 AND rtype = 0 AND "
		       "outlinks_digest IS NOT NULL LIMIT 1", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, record_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		digest = db_col_dup(st, 0);
	sqlite3_reset(st);
	if (!digest)
		return 0;
	rc = cat_outlinks_of(c, digest, out, e);
	free(digest);
	return rc;
}

int cat_outlinks_of(struct catalog *c, const char *digest, struct buf *out,
		    struct err *e)
{
	char *text = NULL, *base = NULL, *list = NULL;
	size_t len, n;
	int rc;

	rc = outlinks_body(c, digest, &text, &len, &base, e);
	if (rc > 0 && base) {
		if (load_base(c, base, e) < 0 ||
		    unzstd(text, len, &c->ol_base, &list, &n) < 0)
			rc = -1;
	} else if (rc > 0) {
		list = text;
		text = NULL;
		n = len;
	}
	if (rc > 0 && (!list || buf_add(out, list, n) < 0))
		rc = err_set(e, "%s: outlinks %s unreadable", c->db.path, digest);
	free(list);
	free(text);
	free(base);
	return rc;
}

/* The rule the latest earlier capture of url was extracted with. */
static char *previous_rule(struct catalog *c, const char *url)
{
	sqlite3_stmt *st = NULL;
	char *r = NULL;

	if (db_cached(&c->db, "SELECT rule FROM captures WHERE "
		       "url = ? AND rule IS NOT NULL ORDER BY ts DESC, id DESC "
		       "LIMIT 1", &st, NULL) < 0)
		return NULL;
	db_bind_str(st, 1, url);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = db_col_dup(st, 0);
	sqlite3_reset(st);
	return r;
}

/* ---- extraction ---- */

struct catalog_extraction {
	int ok;                     /* 0: no text (a page over the cap) */
	struct diff_page page;
	struct buf boiler;
};

void catalog_extraction_free(struct catalog_extraction *x)
{
	if (!x)
		return;
	diff_page_release(&x->page);
	buf_release(&x->boiler);
	free(x);
}

static int extract_with(struct catalog *c, struct html_doc *d,
			const char *force, struct catalog_extraction **out,
			struct err *e)
{
	struct catalog_extraction *x = calloc(1, sizeof(*x));
	const struct diff_rules *rules = c->have_rules ? &c->rules : NULL;
	struct err xe;

	*out = NULL;
	if (!x)
		return err_set(e, "%s: out of memory", d->url);
	buf_init(&x->boiler, 0);
	/* Oversized HTML is not the catalog's failure: the capture is kept,
	 * without text. */
	if (diff_extract_doc(d, rules, force, &x->page, &xe) == 0) {
		x->ok = 1;
		if (diff_boilerplate(d, rules, &x->boiler) < 0) {
			catalog_extraction_free(x);
			return err_set(e, "%s: out of memory", d->url);
		}
	}
	*out = x;
	return 0;
}

int catalog_extract(struct catalog *c, struct html_doc *d,
		    struct catalog_extraction **out, struct err *e)
{
	char *force = d->url ? previous_rule(c, d->url) : NULL;
	int rc = extract_with(c, d, force, out, e);

	free(force);
	return rc;
}

uint64_t catalog_html_parses(const struct catalog *c)
{
	return c->html_parses;
}

/* Parse a payload (counted in catalog_html_parses) and extract it. */
static int extract_payload(struct catalog *c, const char *payload, size_t len,
			   const char *content_type, const char *url,
			   const char *force, struct catalog_extraction **out,
			   struct err *e)
{
	struct html_doc *d;
	int rc;

	if (html_parse(payload, len, content_type, url, 0, &d, e) < 0)
		return -1;
	c->html_parses++;
	rc = force ? extract_with(c, d, force, out, e) :
		catalog_extract(c, d, out, e);
	html_free(d);
	return rc;
}

/* Store an extraction's texts, links and boilerplate; fill x. */
static int store(struct catalog *c, const char *url,
		 const struct catalog_extraction *ex, struct extracted *x,
		 struct err *e)
{
	const struct diff_page *page = &ex->page;
	struct buf body = BUF_INIT(0);
	char ld[48];
	size_t i;
	int rc = -1;

	if (!ex->ok)
		return 0;
	x->title = cat_strdup(page->title);
	x->rule = cat_strdup(page->rule);
	x->text_digest = cat_strdup(page->text_digest);
	x->updated_raw = cat_strdup(page->updated.raw);
	x->version = DIFF_EXTRACT_VERSION;
	snprintf(x->last_updated, sizeof(x->last_updated), "%s", page->updated.ymd);
	snprintf(x->issue_date, sizeof(x->issue_date), "%s", page->issued.ymd);
	for (i = 0; i < page->n_blocks; i++)
		if (buf_addf(&body, "%s\t%s\n",
			     diff_block_kind_name(page->blocks[i].kind),
			     page->blocks[i].text) < 0)
			goto nomem;
	if (put_blob(c, "texts", page->text_digest, &body, e) < 0)
		goto out;
	if (page->n_links) {
		buf_reset(&body);
		for (i = 0; i < page->n_links; i++)
			if (buf_addf(&body, "%s\n", page->links[i]) < 0)
				goto nomem;
		digest_sha1_label(body.data, body.len, ld);
		x->links_digest = cat_strdup(ld);
		if (put_blob(c, "linksets", ld, &body, e) < 0)
			goto out;
	}
	digest_sha1_label(ex->boiler.data, ex->boiler.len, ld);
	x->boiler_digest = cat_strdup(ld);
	if (put_blob(c, "boilers", ld, &ex->boiler, e) < 0)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, "%s: out of memory storing its text", url);
out:
	buf_release(&body);
	return rc;
}

/* A PDF document's text as its main text (diff/pdf.c, in a child process
 * with limits).  A document without text is no failure: the capture is
 * kept without text, its note (why) in place of the extraction rule. */
static int extract_pdf(struct catalog *c, const struct catalog_capture_in *in,
		       struct extracted *x, struct err *e)
{
	struct catalog_extraction ex;
	char note[DIFF_PDF_NOTE_MAX];
	int rc;

	memset(&ex, 0, sizeof(ex));
	buf_init(&ex.boiler, 0);
	if (in->payload_len > CATALOG_PAYLOAD_MAX) {
		free(x->rule);
		x->rule = NULL;
		if (asprintf(&x->rule, "pdf: over %u MiB, not read",
			     CATALOG_PAYLOAD_MAX >> 20) < 0) {
			x->rule = NULL;
			return err_set(e, "%s: out of memory", in->url);
		}
		return 0;
	}
	rc = diff_pdf_page(in->payload, in->payload_len, &ex.page, note, e);
	if (rc < 0)
		return err_prefix(e, "%s", in->url);
	if (rc == 0) {
		ex.ok = 1;
		rc = store(c, in->url, &ex, x, e);
	}
	if (rc >= 0 && note[0]) {
		free(x->rule);
		if (!(x->rule = strdup(note)))
			rc = err_set(e, "%s: out of memory", in->url);
	}
	diff_page_release(&ex.page);
	buf_release(&ex.boiler);
	return rc < 0 ? -1 : 0;
}

static int extract(struct catalog *c, const struct catalog_capture_in *in,
		   struct extracted *x, struct err *e)
{
	struct catalog_extraction *ex = NULL;
	int rc;

	if (diff_is_pdf(x->mime))
		return extract_pdf(c, in, x, e);
	if (extract_payload(c, in->payload, in->payload_len, in->content_type,
			    in->url, NULL, &ex, e) < 0)
		return -1;
	rc = store(c, in->url, ex, x, e);
	catalog_extraction_free(ex);
	return rc;
}

/* Copy the extraction of the capture a revisit refers to. */
static int revisit_copy(struct catalog *c, const struct catalog_capture_in *in,
			struct extracted *x, struct err *e)
{
	static const char *const q[] = {
		"SELECT id, orig FROM captures WHERE record_id = ?1 "
		"AND rtype != 1 ORDER BY id DESC LIMIT 1",
		"SELECT id, orig FROM captures WHERE url = ?1 AND date = ?2 "
		"ORDER BY id DESC LIMIT 1",
		"SELECT id, orig FROM captures WHERE url = ?1 AND "
		"payload_digest = ?2 AND rtype != 1 ORDER BY ts DESC, id DESC "
		"LIMIT 1",
	};
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	size_t i;
	int rc;

	for (i = 0; i < 3 && !id; i++) {
		const char *a = NULL, *b = NULL;

		if (i == 0)
			a = in->refers_to;
		else if (i == 1 && in->refers_to_target && in->refers_to_date) {
			a = in->refers_to_target;
			b = in->refers_to_date;
		} else if (i == 2) {
			a = in->url;
			b = in->payload_digest;
		}
		if (!a || (i > 0 && !b))
			continue;
		if (db_cached(&c->db, q[i], &st, e) < 0)
			return -1;
		db_bind_str(st, 1, a);
		if (b)
			db_bind_str(st, 2, b);
		if (sqlite3_step(st) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			if (sqlite3_column_type(st, 1) != SQLITE_NULL)
				id = sqlite3_column_int64(st, 1);
		}
		sqlite3_reset(st);
	}
	if (!id)
		return 0;       /* original not in the catalog: no text */
	x->orig = id;
	if (db_cached(&c->db, "SELECT eff_status, mime, title, updated_raw, "
		      "text_digest, links_digest, rule, last_updated, "
		      "issue_date, boiler_digest, extract_version FROM captures "
		      "WHERE id = ?", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (x->eff_status == 304 || x->eff_status == 0)
			x->eff_status = sqlite3_column_int(st, 0);
		if (!x->mime[0])
			snprintf(x->mime, sizeof(x->mime), "%s",
				 (const char *)sqlite3_column_text(st, 1));
		x->title = db_col_dup(st, 2);
		x->updated_raw = db_col_dup(st, 3);
		x->text_digest = db_col_dup(st, 4);
		x->links_digest = db_col_dup(st, 5);
		x->rule = db_col_dup(st, 6);
		snprintf(x->last_updated, sizeof(x->last_updated), "%s",
			 (const char *)sqlite3_column_text(st, 7));
		snprintf(x->issue_date, sizeof(x->issue_date), "%s",
			 (const char *)sqlite3_column_text(st, 8));
		x->boiler_digest = db_col_dup(st, 9);
		x->version = sqlite3_column_int(st, 10);
	}
	sqlite3_reset(st);
	return 0;
}

static char *resolve_location(const char *url, const char *loc)
{
	char *out = NULL;

	if (!loc || !*loc)
		return NULL;
	if (url_resolve(url, loc, 0, &out, NULL) < 0)
		return strdup(loc);
	return out;
}

static int insert_row(struct catalog *c, const struct catalog_capture_in *in,
		      const char *surt, const char *ts, const char *redirect,
		      const struct extracted *x, int64_t *capture_id,
		      struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	/* the view's trigger interns the strings and replaces a row at the
	 * same (file, offset) */
	if (db_cached(&c->db, "INSERT INTO captures(crawl, url, surt, ts, date, "
			"status, eff_status, mime, payload_digest, rtype, "
			"record_id, orig, file, offset, length, redirect, etag, "
			"last_modified, title, last_updated, updated_raw, "
			"issue_date, text_digest, links_digest, rule, "
			"boiler_digest, extract_version, outlinks_digest) "
			"VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
			"?,?,?)", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, in->crawl_id);
	db_bind_str(st, 2, in->url);
	db_bind_str(st, 3, surt);
	db_bind_str(st, 4, ts);
	db_bind_str(st, 5, in->date);
	sqlite3_bind_int(st, 6, in->status);
	sqlite3_bind_int(st, 7, x->eff_status);
	db_bind_str(st, 8, x->mime);
	db_bind_str(st, 9, in->payload_digest);
	sqlite3_bind_int(st, 10, (int)in->type);
	db_bind_str(st, 11, in->record_id);
	if (x->orig)
		sqlite3_bind_int64(st, 12, x->orig);
	db_bind_str(st, 13, in->warc_file);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)in->offset);
	sqlite3_bind_int64(st, 15, (sqlite3_int64)in->length);
	db_bind_str(st, 16, redirect);
	db_bind_str(st, 17, in->etag);
	db_bind_str(st, 18, in->last_modified);
	db_bind_str(st, 19, x->title);
	db_bind_str(st, 20, x->last_updated);
	db_bind_str(st, 21, x->updated_raw);
	db_bind_str(st, 22, x->issue_date);
	db_bind_str(st, 23, x->text_digest);
	db_bind_str(st, 24, x->links_digest);
	db_bind_str(st, 25, x->rule);
	db_bind_str(st, 26, x->boiler_digest);
	if (x->version)
		sqlite3_bind_int(st, 27, x->version);
	if (x->outlinks_digest[0])
		db_bind_str(st, 28, x->outlinks_digest);
	if (sqlite3_step(st) != SQLITE_DONE) {
		err_set(e, "%s: adding %s (%s at %llu): %s", c->db.path, in->url,
			in->warc_file, (unsigned long long)in->offset,
			sqlite3_errmsg(c->db.h));
		goto out;
	}
	sqlite3_reset(st);
	/* a trigger's insert leaves last_insert_rowid alone: look it up */
	if (capture_id) {
		if (db_cached(&c->db, "SELECT id FROM caps WHERE file = (SELECT "
			      "id FROM strs WHERE s = ?) AND offset = ?", &st,
			      e) < 0)
			return -1;
		db_bind_str(st, 1, in->warc_file);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)in->offset);
		if (sqlite3_step(st) != SQLITE_ROW) {
			db_error(&c->db, e, in->url);
			goto out;
		}
		*capture_id = sqlite3_column_int64(st, 0);
	}
	rc = 0;
out:
	sqlite3_reset(st);
	return rc;
}

/* An HTML response given without its payload (a body the crawler kept in a
 * spool file): read the record back, so the answers are the ones rebuild
 * gives.  The file may still be NAME.open. */
static int payload_from_warc(struct catalog *c,
			     const struct catalog_capture_in *in,
			     struct catalog_capture_in *copy,
			     struct catalog_http *h)
{
	struct warc_reader *r = NULL;
	struct warc_record *rec;
	struct err re;
	char *path = NULL;
	int i, rc = -1;

	for (i = 0; i < 2 && !r; i++) {
		free(path);
		if (asprintf(&path, "%s/%s%s", c->dir, in->warc_file,
			     i ? ".open" : "") < 0) {
			path = NULL;
			break;
		}
		r = warc_reader_open(path, &re);
	}
	free(path);
	if (!r)
		return -1;
	/* a larger body is not extracted: not read into memory either */
	warc_reader_set_max_block(r, CATALOG_PAYLOAD_MAX + (1u << 20));
	if (warc_reader_seek(r, in->offset, &re) == 0 &&
	    warc_reader_next(r, &rec, &re) == 1 && rec->target_uri &&
	    !strcmp(rec->target_uri, in->url) &&
	    catalog_capture_http(copy, rec->block.data, rec->block.len, NULL, 0,
				 h, &re) == 0 && copy->payload)
		rc = 0;     /* headers and payload are copies in h */
	warc_reader_free(r);
	return rc;
}

/* ---- texts of another extractor version ---- */

/* Some capture's text is not DIFF_EXTRACT_VERSION's: a scan of caps. */
static int stale_scan(struct catalog *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* an error (no extract_version column or caps table yet) counts as
	 * stale; caps, not the view: every command opens the catalog, and
	 * the view's string lookups doubled the time of this scan */
	if (db_prepare(&c->db, "SELECT 1 FROM caps WHERE text_digest IS NOT "
			"NULL AND coalesce(extract_version, 1) != ? LIMIT 1",
			&st, NULL) < 0)
		return 1;
	sqlite3_bind_int(st, 1, DIFF_EXTRACT_VERSION);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc != SQLITE_DONE;
}

/* The version every text is recorded to come from; 0 none. */
static int texts_version(struct catalog *c)
{
	sqlite3_stmt *st = NULL;
	int v = 0;

	if (db_prepare(&c->db, "SELECT version FROM extracted", &st, NULL) < 0)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int cat_texts_current(struct catalog *c, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (texts_version(c) == DIFF_EXTRACT_VERSION)
		return 0;
	if (db_exec(&c->db, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	/* checked again inside the write lock: a crawl of another version
	 * may have written captures since */
	if (stale_scan(c)) {
		db_exec(&c->db, "ROLLBACK", NULL);
		return 0;
	}
	if (db_exec(&c->db, "DELETE FROM extracted", e) < 0 ||
	    db_prepare(&c->db, "INSERT INTO extracted VALUES(?)", &st, e) < 0) {
		db_exec(&c->db, "ROLLBACK", NULL);
		return -1;
	}
	sqlite3_bind_int(st, 1, DIFF_EXTRACT_VERSION);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_error(&c->db, e, "recording the extractor version");
		db_exec(&c->db, "ROLLBACK", NULL);
		return -1;
	}
	return db_exec(&c->db, "COMMIT", e);
}

int cat_stale_texts(struct catalog *c)
{
	if (texts_version(c) == DIFF_EXTRACT_VERSION)
		return 0;
	return stale_scan(c);
}

/* The site rules crawl id ran with (its config, as stored). */
static int rules_of_crawl(struct catalog *c, int64_t crawl, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&c->db, "SELECT f.body FROM crawls r JOIN configs f ON "
			"f.digest = r.config_digest WHERE r.id = ?", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, crawl);
	rc = catalog_set_rules(c, sqlite3_step(st) == SQLITE_ROW ?
			       (const char *)sqlite3_column_text(st, 0) : NULL,
			       e);
	sqlite3_finalize(st);
	return rc;
}

int cat_crawl_rules(struct catalog *c, int64_t crawl, struct diff_rules *r,
		    struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc, any;

	diff_rules_init(r);
	if (db_prepare(&c->db, "SELECT f.body FROM crawls r JOIN configs f ON "
			"f.digest = r.config_digest WHERE r.id = ?", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, crawl);
	rc = cat_rules_from_text(r, sqlite3_step(st) == SQLITE_ROW ?
				 (const char *)sqlite3_column_text(st, 0) :
				 NULL, &any, e);
	sqlite3_finalize(st);
	return rc;
}

static int same_blocks(const struct diff_page *a, const struct diff_page *b)
{
	size_t i;

	if (a->n_blocks != b->n_blocks)
		return 0;
	for (i = 0; i < a->n_blocks; i++)
		if (strcmp(a->blocks[i].text, b->blocks[i].text))
			return 0;
	return 1;
}

int cat_only_ignored(struct catalog *c, const struct diff_rules *r,
		     const struct catalog_capture *a,
		     const struct catalog_capture *b, struct err *e)
{
	struct diff_page pa, pb, ia, ib;
	int rc;

	if (!r || !r->n_ignore_text || !a || !b || !a->text_digest ||
	    !b->text_digest || !strcmp(a->text_digest, b->text_digest))
		return 0;
	diff_page_init(&pa);
	diff_page_init(&pb);
	diff_page_init(&ia);
	diff_page_init(&ib);
	rc = cat_capture_page(c, a, &pa, e);
	if (rc > 0)
		rc = cat_capture_page(c, b, &pb, e);
	if (rc > 0) {
		if (diff_page_split_ignored(&pa, r, &ia) < 0 ||
		    diff_page_split_ignored(&pb, r, &ib) < 0)
			rc = err_set(e, "%s: out of memory", b->url);
		else
			rc = (ia.n_blocks || ib.n_blocks) && same_blocks(&pa, &pb);
	}
	diff_page_release(&pa);
	diff_page_release(&pb);
	diff_page_release(&ia);
	diff_page_release(&ib);
	return rc;
}

struct stale {
	int64_t id, crawl;
	uint64_t offset;
	char *url, *file, *rule;
};

static int reextract_one(struct catalog *c, const struct stale *s,
			 struct err *e)
{
	struct catalog_capture_in in, copy;
	struct catalog_extraction *ex = NULL;
	struct catalog_http h;
	struct extracted x;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	memset(&in, 0, sizeof(in));
	memset(&x, 0, sizeof(x));
	memset(&h, 0, sizeof(h));
	in.url = s->url;
	in.warc_file = s->file;
	in.offset = s->offset;
	copy = in;
	if (payload_from_warc(c, &in, &copy, &h) < 0) {
		rc = 0;         /* its record is gone: the text stays as it is */
		goto out;
	}
	warc_mime_only(copy.content_type, x.mime, sizeof(x.mime));
	if (diff_is_pdf(x.mime)) {
		/* a document: its text again by the PDF reader */
		if (extract_pdf(c, &copy, &x, e) < 0)
			goto out;
	} else if (extract_payload(c, copy.payload, copy.payload_len,
				   copy.content_type, s->url, s->rule, &ex,
				   e) < 0 ||
		   store(c, s->url, ex, &x, e) < 0) {
		goto out;
	}
	x.version = DIFF_EXTRACT_VERSION;
	/* the capture and the revisits that copied its text */
	if (db_prepare(&c->db, "UPDATE captures SET title = ?, last_updated = ?, "
			"updated_raw = ?, issue_date = ?, text_digest = ?, "
			"links_digest = ?, rule = ?, boiler_digest = ?, "
			"extract_version = ? WHERE id = ?10 OR orig = ?10", &st,
			e) < 0)
		goto out;
	db_bind_str(st, 1, x.title);
	db_bind_str(st, 2, x.last_updated);
	db_bind_str(st, 3, x.updated_raw);
	db_bind_str(st, 4, x.issue_date);
	db_bind_str(st, 5, x.text_digest);
	db_bind_str(st, 6, x.links_digest);
	db_bind_str(st, 7, x.rule);
	db_bind_str(st, 8, x.boiler_digest);
	sqlite3_bind_int(st, 9, DIFF_EXTRACT_VERSION);
	sqlite3_bind_int64(st, 10, s->id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(&c->db, e, s->url);
out:
	sqlite3_finalize(st);
	catalog_extraction_free(ex);
	extracted_release(&x);
	catalog_http_release(&h);
	return rc;
}

int cat_reextract(struct catalog *c, struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct stale *v = NULL, *t;
	size_t n = 0, alloc = 0, i;
	int64_t crawl = -1;
	int rc = -1;

	/* responses (a revisit's text is its original's) */
	if (db_prepare(&c->db, "SELECT id, crawl, url, file, offset, rule FROM "
			"captures WHERE text_digest IS NOT NULL AND orig IS NULL "
			"AND coalesce(extract_version, 1) != ? ORDER BY crawl, id",
			&st, e) < 0)
		return -1;
	sqlite3_bind_int(st, 1, DIFF_EXTRACT_VERSION);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			if (!(t = realloc(v, alloc * sizeof(*v))))
				goto nomem;
			v = t;
		}
		v[n].id = sqlite3_column_int64(st, 0);
		v[n].crawl = sqlite3_column_int64(st, 1);
		v[n].url = db_col_dup(st, 2);
		v[n].file = db_col_dup(st, 3);
		v[n].offset = (uint64_t)sqlite3_column_int64(st, 4);
		v[n].rule = db_col_dup(st, 5);
		if (!v[n++].url || !v[n - 1].file)
			goto nomem;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (catalog_begin(c, e) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (v[i].crawl != crawl &&
		    rules_of_crawl(c, crawl = v[i].crawl, e) < 0)
			break;
		if (reextract_one(c, &v[i], e) < 0)
			break;
	}
	if (i < n) {
		catalog_rollback(c, NULL);
		goto out;
	}
	rc = catalog_commit(c, e);
	goto out;
nomem:
	err_set(e, "%s: out of memory", c->db.path);
out:
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].file);
		free(v[i].rule);
	}
	free(v);
	return rc;
}

int catalog_add_capture(struct catalog *c, const struct catalog_capture_in *in,
			int64_t *capture_id, struct err *e)
{
	struct extracted x;
	char ts[15];
	char *surt = NULL, *redirect = NULL;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	if (!in->url || !in->date || !in->warc_file)
		return err_set(e, "%s: capture without URL, date or WARC file",
			       c->db.path);
	if (ts_of(in->date, ts) < 0)
		return err_set(e, "%s: %s: bad WARC-Date '%s'", in->warc_file,
			       in->url, in->date);
	surt = cat_surt(in->url);
	if (!surt)
		surt = strdup(in->url);
	warc_mime_only(in->content_type, x.mime, sizeof(x.mime));
	x.eff_status = in->status;
	if (in->type == CATALOG_RESOURCE && in->status == 0)
		x.eff_status = 200;     /* a stored resource is the thing itself */
	if (in->status >= 300 && in->status < 400)
		redirect = resolve_location(in->url, in->location);
	if (catalog_begin(c, e) < 0)
		goto out;
	if (in->type == CATALOG_REVISIT) {
		if (revisit_copy(c, in, &x, e) < 0)
			goto fail;
	} else if (cat_is_html(x.mime) && x.eff_status >= 200 &&
		   x.eff_status < 300 && in->extraction) {
		if (store(c, in->url, in->extraction, &x, e) < 0)
			goto fail;
	} else if (cat_has_text(x.mime) && x.eff_status >= 200 &&
		   x.eff_status < 300 && in->payload && in->payload_len) {
		if (extract(c, in, &x, e) < 0)
			goto fail;
	} else if (cat_has_text(x.mime) && x.eff_status >= 200 &&
		   x.eff_status < 300 && !in->payload &&
		   in->type == CATALOG_RESPONSE) {
		struct catalog_capture_in copy = *in;
		struct catalog_http h;

		memset(&h, 0, sizeof(h));
		if (payload_from_warc(c, in, &copy, &h) == 0) {
			if (extract(c, &copy, &x, e) < 0) {
				catalog_http_release(&h);
				goto fail;
			}
		}
		catalog_http_release(&h);
	}
	if (in->outlinks_len && in->type == CATALOG_RESPONSE &&
	    put_outlinks(c, in, &x, e) < 0)
		goto fail;
	if (insert_row(c, in, surt, ts, redirect, &x, capture_id, e) < 0)
		goto fail;
	rc = catalog_commit(c, e);
	if (rc == 0)
		cat_blobs_train_due(c);
	goto out;
fail:
	catalog_rollback(c, NULL);
out:
	extracted_release(&x);
	free(surt);
	free(redirect);
	return rc;
}

int catalog_delete_from(struct catalog *c, const char *warc_file,
			uint64_t offset, uint64_t *deleted, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (db_prepare(&c->db, "DELETE FROM caps WHERE file = (SELECT id FROM "
		       "strs WHERE s = ?) AND offset >= ?",
			&st, e) < 0)
		return -1;
	db_bind_str(st, 1, warc_file);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)offset);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(&c->db, e, warc_file);
		goto out;
	}
	if (deleted)
		*deleted = (uint64_t)sqlite3_changes(c->db.h);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* ---- previous capture ---- */

void catalog_prev_release(struct catalog_prev *p)
{
	if (!p)
		return;
	free(p->record_id);
	free(p->date);
	free(p->target);
	free(p->payload_digest);
	free(p->etag);
	free(p->last_modified);
	memset(p, 0, sizeof(*p));
}

int catalog_previous(struct catalog *c, const char *url,
		     struct catalog_prev *prev, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(prev, 0, sizeof(*prev));
	/* The latest 2xx capture (a not-modified revisit counts as its
	 * original); ids, date and target from the original response. */
	/* o is the table, not the view: the view on the right of a LEFT
	 * JOIN would be materialised whole.  Prepared once (the view made
	 * parsing it 4% of a crawl's CPU, once for every fetch). */
	if (db_cached(&c->db, "SELECT coalesce(o.record_id, c.record_id), "
			"coalesce(o.date, c.date), coalesce((SELECT url FROM urls "
			"WHERE id = o.url), c.url), c.payload_digest, "
			"coalesce(c.etag, (SELECT s FROM strs WHERE id = o.etag)), "
			"coalesce(c.last_modified, (SELECT s FROM strs WHERE "
			"id = o.last_modified)), c.eff_status "
			"FROM captures c LEFT JOIN caps o ON o.id = c.orig "
			"WHERE c.url = ? AND c.rtype IN (0, 1) AND "
			"c.eff_status BETWEEN 200 AND 299 "
			"ORDER BY c.ts DESC, c.id DESC LIMIT 1", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		prev->record_id = db_col_dup(st, 0);
		prev->date = db_col_dup(st, 1);
		prev->target = db_col_dup(st, 2);
		prev->payload_digest = db_col_dup(st, 3);
		prev->etag = db_col_dup(st, 4);
		prev->last_modified = db_col_dup(st, 5);
		prev->status = sqlite3_column_int(st, 6);
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = db_error(&c->db, e, url);
	}
	sqlite3_reset(st);
	return rc;
}

/* ---- queries ---- */

int cat_capture_from_row(sqlite3_stmt *st, struct catalog_capture *cap)
{
	const char *s;

	memset(cap, 0, sizeof(*cap));
	cap->id = sqlite3_column_int64(st, 0);
	cap->crawl_id = sqlite3_column_int64(st, 1);
	s = (const char *)sqlite3_column_text(st, 2);
	snprintf(cap->ts, sizeof(cap->ts), "%s", s ? s : "");
	cap->date = db_col_dup(st, 3);
	cap->url = db_col_dup(st, 4);
	cap->status = sqlite3_column_int(st, 5);
	cap->eff_status = sqlite3_column_int(st, 6);
	cap->mime = db_col_dup(st, 7);
	cap->payload_digest = db_col_dup(st, 8);
	cap->type = (enum catalog_rtype)sqlite3_column_int(st, 9);
	cap->record_id = db_col_dup(st, 10);
	cap->warc_file = db_col_dup(st, 11);
	cap->offset = (uint64_t)sqlite3_column_int64(st, 12);
	cap->length = (uint64_t)sqlite3_column_int64(st, 13);
	cap->redirect = db_col_dup(st, 14);
	cap->title = db_col_dup(st, 15);
	s = (const char *)sqlite3_column_text(st, 16);
	snprintf(cap->last_updated, sizeof(cap->last_updated), "%s", s ? s : "");
	s = (const char *)sqlite3_column_text(st, 17);
	snprintf(cap->issue_date, sizeof(cap->issue_date), "%s", s ? s : "");
	cap->text_digest = db_col_dup(st, 18);
	cap->rule = db_col_dup(st, 19);
	cap->orig_id = sqlite3_column_int64(st, 20);
	cap->boiler_digest = db_col_dup(st, 21);
	if (!cap->date || !cap->url || !cap->mime || !cap->warc_file)
		return -1;
	return 0;
}

void catalog_capture_release(struct catalog_capture *cap)
{
	if (!cap)
		return;
	free(cap->date);
	free(cap->url);
	free(cap->mime);
	free(cap->payload_digest);
	free(cap->record_id);
	free(cap->warc_file);
	free(cap->redirect);
	free(cap->title);
	free(cap->text_digest);
	free(cap->rule);
	free(cap->boiler_digest);
	memset(cap, 0, sizeof(*cap));
}

void catalog_captures_free(struct catalog_capture *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		catalog_capture_release(&v[i]);
	free(v);
}

/* Prepared once per handle (db_cached): the replay server asks for a URL's
 * captures on every page it serves. */
static const char by_url_sql[] = "SELECT " CAT_CAPTURE_COLS " FROM captures "
	"WHERE url = ? ORDER BY ts, id";
static const char by_surt_sql[] = "SELECT " CAT_CAPTURE_COLS " FROM captures "
	"WHERE surt = ? ORDER BY ts, id";

static int captures_where(struct catalog *c, const char *sql, const char *key,
			  struct catalog_capture **v, size_t *n, struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct catalog_capture *out = NULL, *t;
	size_t cnt = 0, alloc = 0;
	int rc;

	if (db_cached(&c->db, sql, &st, e) < 0)
		return -1;
	db_bind_str(st, 1, key);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			t = realloc(out, alloc * sizeof(*out));
			if (!t)
				goto nomem;
			out = t;
		}
		if (cat_capture_from_row(st, &out[cnt++]) < 0)
			goto nomem;
	}
	if (rc != SQLITE_DONE) {
		db_error(&c->db, e, key);
		sqlite3_reset(st);
		catalog_captures_free(out, cnt);
		return -1;
	}
	sqlite3_reset(st);
	*v = out;
	*n = cnt;
	return 0;
nomem:
	sqlite3_reset(st);
	catalog_captures_free(out, cnt);
	return err_set(e, "%s: out of memory", key);
}

int catalog_captures_range(struct catalog *c, const char *key_lo,
			   const char *key_hi, const char *ts_lo,
			   const char *ts_hi, size_t limit,
			   struct catalog_capture **v, char ***keys, size_t *n,
			   struct err *e)
{
	static const char sql[] = "SELECT " CAT_CAPTURE_COLS ", surt "
		"FROM captures WHERE surt >= ?1 AND surt < ?2 "
		"AND ts >= ?3 AND ts <= ?4 ORDER BY surt, ts, id LIMIT ?5";
	sqlite3_stmt *st = NULL;
	struct catalog_capture *out = NULL, *t;
	char **k = NULL, **tk;
	size_t cnt = 0, alloc = 0;
	int rc;

	*v = NULL;
	*keys = NULL;
	*n = 0;
	if (db_cached(&c->db, sql, &st, e) < 0)
		return -1;
	db_bind_str(st, 1, key_lo);
	db_bind_str(st, 2, key_hi);
	db_bind_str(st, 3, ts_lo);
	db_bind_str(st, 4, ts_hi);
	sqlite3_bind_int64(st, 5, limit ? (sqlite3_int64)limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			t = realloc(out, alloc * sizeof(*out));
			if (!t)
				goto nomem;
			out = t;
			tk = realloc(k, alloc * sizeof(*k));
			if (!tk)
				goto nomem;
			k = tk;
		}
		k[cnt] = db_col_dup(st, 22);
		if (cat_capture_from_row(st, &out[cnt]) < 0) {
			free(k[cnt]);
			goto nomem;
		}
		cnt++;
		if (!k[cnt - 1])
			goto nomem;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		catalog_captures_free(out, cnt);
		while (cnt)
			free(k[--cnt]);
		free(k);
		return db_error(&c->db, e, key_lo);
	}
	*v = out;
	*keys = k;
	*n = cnt;
	return 0;
nomem:
	sqlite3_reset(st);
	catalog_captures_free(out, cnt);
	while (cnt)
		free(k[--cnt]);
	free(k);
	return err_set(e, "%s: out of memory", key_lo);
}

/* The path of a URL (after scheme://host, up to '?' or '#'): its start and
 * length. */
static const char *path_of(const char *u, size_t *len)
{
	const char *p = strstr(u, "://");

	p = p ? p + 3 : u;
	p += strcspn(p, "/?#");
	*len = strcspn(p, "?#");
	return p;
}

/* A SURT key folds the path's case; a path is case-sensitive (/PG/x is not
 * /pg/x): keep the captures whose path is the URL's, byte for byte. */
static void keep_same_path(const char *url, struct catalog_capture *v,
			   size_t *n)
{
	size_t i, k = 0, lw, lc;
	const char *want = path_of(url, &lw), *got;

	for (i = 0; i < *n; i++) {
		got = path_of(v[i].url, &lc);
		if ((lw == lc && !memcmp(want, got, lw)) ||
		    (lw + lc == 1 && (*want == '/' || *got == '/')))
			v[k++] = v[i];
		else
			catalog_capture_release(&v[i]);
	}
	*n = k;
}

int catalog_captures_of(struct catalog *c, const char *url,
			struct catalog_capture **v, size_t *n, struct err *e)
{
	char *norm = NULL, *surt = NULL;
	int rc;

	*v = NULL;
	*n = 0;
	rc = captures_where(c, by_url_sql, url, v, n, e);
	if (rc < 0 || *n)
		return rc;
	if (url_normalize(url, 0, &norm, NULL) == 0 && strcmp(norm, url)) {
		rc = captures_where(c, by_url_sql, norm, v, n, e);
		if (rc < 0 || *n)
			goto out;
	}
	surt = cat_surt(norm ? norm : url);
	if (surt)
		rc = captures_where(c, by_surt_sql, surt, v, n, e);
	if (rc == 0 && *n)
		keep_same_path(norm ? norm : url, *v, n);
out:
	free(norm);
	free(surt);
	return rc;
}

static int get_blob(struct catalog *c, const char *table, const char *digest,
		    struct buf *out, struct err *e)
{
	static const char *const get[CAT_BLOB_KINDS] = {
		"SELECT body FROM texts WHERE digest = ?",
		"SELECT body FROM linksets WHERE digest = ?",
		"SELECT body FROM boilers WHERE digest = ?",
	};
	sqlite3_stmt *st = NULL;
	int k = blob_kind(table), rc;

	if (k < 0)
		return err_set(e, "%s: no table %s", c->db.path, table);
	if (db_cached(&c->db, get[k], &st, e) < 0)
		return -1;
	db_bind_str(st, 1, digest);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = cat_blob_unpack(c, st, 0, out, e);
	else if (rc == SQLITE_DONE)
		rc = err_set(e, "%s: no stored text %s", c->db.path, digest);
	else
		rc = db_error(&c->db, e, table);
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int catalog_text(struct catalog *c, const char *text_digest, struct buf *out,
		 struct err *e)
{
	struct buf raw = BUF_INIT(0);
	const char *p, *tab, *nl;
	int rc;

	/* Stored as "KIND\tTEXT" lines; the text is the TEXT parts. */
	rc = get_blob(c, "texts", text_digest, &raw, e);
	for (p = raw.data; rc == 0 && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		tab = memchr(p, '\t', (size_t)(nl - p));
		tab = tab ? tab + 1 : p;
		if (buf_add(out, tab, (size_t)(nl - tab)) < 0 ||
		    buf_addc(out, '\n') < 0)
			rc = err_set(e, "%s: text %s too large", c->db.path,
				     text_digest);
		if (!*nl)
			break;
	}
	buf_release(&raw);
	return rc;
}

int catalog_links(struct catalog *c, int64_t capture_id, struct buf *out,
		  struct err *e)
{
	sqlite3_stmt *st = NULL;
	char *d = NULL;
	int rc = 0;

	if (db_prepare(&c->db, "SELECT links_digest FROM captures WHERE id = ?",
			&st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, capture_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		d = db_col_dup(st, 0);
	sqlite3_finalize(st);
	if (d)
		rc = get_blob(c, "linksets", d, out, e);
	free(d);
	return rc;
}

int cat_capture_page(struct catalog *c, const struct catalog_capture *cap,
		     struct diff_page *page, struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct buf s = BUF_INIT(0), links = BUF_INIT(0), text = BUF_INIT(0);
	const char *p, *nl;
	int rc = -1;

	if (!cap->text_digest)
		return 0;
	if (db_cached(&c->db, "SELECT t.body, l.body, c.updated_raw "
		       "FROM captures c "
		       "LEFT JOIN texts t ON t.digest = c.text_digest "
		       "LEFT JOIN linksets l ON l.digest = c.links_digest "
		       "WHERE c.id = ?", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, cap->id);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    sqlite3_column_type(st, 0) == SQLITE_NULL) {
		rc = 0;
		goto out;
	}
	/* Rebuild the diff module's storable form from the pieces. */
	if (buf_addf(&s, "@title\t%s\n@rule\t%s\n@digest\t%s\n",
		     cap->title ? cap->title : "", cap->rule ? cap->rule : "",
		     cap->text_digest) < 0)
		goto nomem;
	if (cap->last_updated[0] &&
	    buf_addf(&s, "@updated\t%s\t%s\n", cap->last_updated,
		     sqlite3_column_text(st, 2) ?
		     (const char *)sqlite3_column_text(st, 2) : "") < 0)
		goto nomem;
	if (cap->issue_date[0] &&
	    buf_addf(&s, "@issued\t%s\t\n", cap->issue_date) < 0)
		goto nomem;
	if (cat_blob_unpack(c, st, 1, &links, e) < 0 ||
	    cat_blob_unpack(c, st, 0, &text, e) < 0)
		goto out;
	for (p = links.data; *p; p = *nl ? nl + 1 : nl) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (nl > p && buf_addf(&s, "@link\t%.*s\n", (int)(nl - p), p) < 0)
			goto nomem;
	}
	if (buf_add(&s, text.data, text.len) < 0)
		goto nomem;
	rc = diff_page_parse(s.data, s.len, page, e) < 0 ? -1 : 1;
	goto out;
nomem:
	err_set(e, "%s: out of memory", cap->url);
out:
	sqlite3_reset(st);
	buf_release(&s);
	buf_release(&links);
	buf_release(&text);
	return rc;
}

/* ---- the HTTP part of a record ---- */

void catalog_http_release(struct catalog_http *s)
{
	if (!s)
		return;
	warc_http_release(&s->http);
	buf_release(&s->joined);
	buf_release(&s->payload);
}

int catalog_capture_http(struct catalog_capture_in *in, const void *head,
			 size_t head_len, const void *body, size_t body_len,
			 struct catalog_http *s, struct err *e)
{
	const void *block = head;
	size_t n = head_len;
	struct err pe;

	warc_http_init(&s->http);
	buf_init(&s->joined, 0);
	buf_init(&s->payload, CATALOG_PAYLOAD_MAX);
	if (body && body_len) {
		if (buf_add(&s->joined, head, head_len) < 0 ||
		    buf_add(&s->joined, body, body_len) < 0)
			return err_set(e, "%s: out of memory", in->url);
		block = s->joined.data;
		n = s->joined.len;
	}
	if (warc_http_parse(block, n, &s->http, e) < 0 || s->http.is_request)
		return err_set(e, "%s: no HTTP response in the record",
			       in->url ? in->url : "record");
	in->status = s->http.status;
	in->content_type = warc_fields_get(&s->http.headers, "Content-Type");
	in->location = warc_fields_get(&s->http.headers, "Location");
	in->etag = warc_fields_get(&s->http.headers, "ETag");
	in->last_modified = warc_fields_get(&s->http.headers, "Last-Modified");
	in->payload = NULL;
	in->payload_len = 0;
	/* A body that can't be decoded is kept out of extraction, not fatal;
	 * one that decodes past the cap is extracted from the part within. */
	if (n > s->http.head_len &&
	    n - s->http.head_len <= CATALOG_PAYLOAD_MAX &&
	    warc_http_payload(block, n, &s->http, 1, &s->payload, &pe) >= 0) {
		in->payload = s->payload.data;
		in->payload_len = s->payload.len;
	}
	return 0;
}

int catalog_revisit_original(struct catalog *c, const struct catalog_revisit *r,
			     char **warc_file, uint64_t *offset, struct err *e)
{
	/* the revisit as the catalog knows it, then what it names: the
	 * record id, the target URI and date, the URL and payload digest */
	static const char *const q[] = {
		"SELECT o.file, o.offset FROM captures r JOIN captures o ON "
		"o.id = r.orig WHERE r.record_id = ?1 ORDER BY r.id DESC LIMIT 1",
		"SELECT file, offset FROM captures WHERE record_id = ?1 AND "
		"rtype != 1 ORDER BY id DESC LIMIT 1",
		"SELECT file, offset FROM captures WHERE url = ?1 AND "
		"date = ?2 AND rtype != 1 ORDER BY id DESC LIMIT 1",
		"SELECT file, offset FROM captures WHERE url = ?1 AND "
		"payload_digest = ?2 AND rtype != 1 AND ts <= ?3 ORDER BY ts "
		"DESC, id DESC LIMIT 1",
	};
	const char *a[4][3] = {
		{ r->record_id, NULL, NULL },
		{ r->refers_to, NULL, NULL },
		{ r->refers_to_target, r->refers_to_date, NULL },
		{ r->url, r->payload_digest, r->ts },
	};
	sqlite3_stmt *st = NULL;
	size_t i, k, need;
	int rc;

	*warc_file = NULL;
	*offset = 0;
	for (i = 0; i < 4; i++) {
		need = i < 2 ? 1 : 3 - (i == 2);
		for (k = 0; k < need && a[i][k]; k++)
			;
		if (k < need)
			continue;
		if (db_prepare(&c->db, q[i], &st, e) < 0)
			return -1;
		for (k = 0; k < need; k++)
			db_bind_str(st, (int)k + 1, a[i][k]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*warc_file = db_col_dup(st, 0);
			*offset = (uint64_t)sqlite3_column_int64(st, 1);
			sqlite3_finalize(st);
			return *warc_file ? 1 : err_set(e, "out of memory");
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_error(&c->db, e, "finding a revisit's original");
	}
	return 0;
}
