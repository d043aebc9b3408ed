/* blobs: the catalog's digest-keyed texts (main texts, link lists,
 * boilerplate), stored as zstd frames.
 *
 * A body is written as one zstd frame (with its content size and
 * checksum), with the catalog's dictionary when it has one (table zdicts,
 * trained from the catalog's own texts by cat_blobs_compact) and without
 * otherwise; the frame names its dictionary, so bodies of either kind and
 * the plain TEXT bodies of catalogs written before stay readable side by
 * side. */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>

#include "catalog/catalog-int.h"

/* zstd level of a body: the texts are a few KB each, and level 9 keeps
 * a page's storing well under a millisecond. */
#define BLOB_LEVEL 9
/* A body larger than this when decompressed is refused (a diff page is
 * capped well below it). */
#define BLOB_MAX (64u << 20)

static const char *const TABLES[CAT_BLOB_KINDS] = { "texts", "linksets",
						    "boilers" };

const char *cat_blob_table(enum cat_blob kind)
{
	return TABLES[kind];
}

void cat_blobs_release(struct catalog *c)
{
	ZSTD_freeCCtx(c->zc);
	ZSTD_freeDCtx(c->zd);
	ZSTD_freeCDict(c->cdict);
	ZSTD_freeDDict(c->ddict);
	c->zc = NULL;
	c->zd = NULL;
	c->cdict = NULL;
	c->ddict = NULL;
	c->cdict_loaded = 0;
}

/* The dictionary with zstd ID id from zdicts (0: the newest), into out.
 * 1 found, 0 none, -1 error. */
static int load_dict(struct catalog *c, unsigned id, struct buf *out,
		     unsigned *got, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_cached(&c->db, id ? "SELECT id, body FROM zdicts WHERE id = ?"
		      : "SELECT id, body FROM zdicts ORDER BY rowid DESC LIMIT 1",
		      &st, e) < 0)
		return -1;
	if (id)
		sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*got = (unsigned)sqlite3_column_int64(st, 0);
		rc = buf_add(out, sqlite3_column_blob(st, 1),
			     (size_t)sqlite3_column_bytes(st, 1)) < 0
			? err_set(e, "%s: dictionary too large", c->db.path) : 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : db_error(&c->db, e, "zdicts");
	}
	sqlite3_reset(st);
	return rc;
}

static int compressor(struct catalog *c, struct err *e)
{
	struct buf d = BUF_INIT(0);
	unsigned id = 0;
	int rc = 0;

	if (!c->zc && !(c->zc = ZSTD_createCCtx()))
		return err_set(e, "%s: out of memory", c->db.path);
	if (c->cdict_loaded)
		return 0;
	rc = load_dict(c, 0, &d, &id, e);
	if (rc > 0 && !(c->cdict = ZSTD_createCDict(d.data, d.len, BLOB_LEVEL)))
		rc = err_set(e, "%s: dictionary %u is not a zstd dictionary",
			     c->db.path, id);
	buf_release(&d);
	if (rc < 0)
		return -1;
	ZSTD_CCtx_setParameter(c->zc, ZSTD_c_checksumFlag, 1);
	c->cdict_loaded = 1;
	return 0;
}

int cat_blob_pack(struct catalog *c, const void *p, size_t n,
		  struct buf *out, struct err *e)
{
	size_t bound = ZSTD_compressBound(n), r;

	if (compressor(c, e) < 0)
		return -1;
	buf_reset(out);
	if (buf_grow(out, bound) < 0)
		return err_set(e, "%s: text of %zu bytes too large", c->db.path, n);
	if (c->cdict)
		r = ZSTD_compress_usingCDict(c->zc, out->data, bound, p, n,
					     c->cdict);
	else
		r = ZSTD_compressCCtx(c->zc, out->data, bound, p, n, BLOB_LEVEL);
	if (ZSTD_isError(r))
		return err_set(e, "%s: zstd: %s", c->db.path, ZSTD_getErrorName(r));
	out->len = r;
	out->data[r] = '\0';
	return 0;
}

static int decompressor(struct catalog *c, unsigned id, struct err *e)
{
	struct buf d = BUF_INIT(0);
	unsigned got = 0;
	int rc;

	if (!c->zd && !(c->zd = ZSTD_createDCtx()))
		return err_set(e, "%s: out of memory", c->db.path);
	if (!id || (c->ddict && ZSTD_getDictID_fromDDict(c->ddict) == id))
		return 0;
	rc = load_dict(c, id, &d, &got, e);
	if (rc == 0)
		rc = err_set(e, "%s: no dictionary %u for a stored text",
			     c->db.path, id);
	if (rc > 0) {
		ZSTD_freeDDict(c->ddict);
		c->ddict = ZSTD_createDDict(d.data, d.len);
		rc = c->ddict ? 0 : err_set(e, "%s: dictionary %u unusable",
					    c->db.path, id);
	}
	buf_release(&d);
	return rc;
}

int cat_blob_dict(const struct catalog *c, const void *p, size_t n,
		  unsigned *dict, struct err *e)
{
	unsigned long long size = ZSTD_getFrameContentSize(p, n);

	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
	    size > BLOB_MAX)
		return err_set(e, "%s: a stored text is not a zstd frame",
			       c->db.path);
	*dict = ZSTD_getDictID_fromFrame(p, n);
	return 0;
}

int cat_blob_prepare(struct catalog *c, const void *p, size_t n,
		     unsigned *dict, struct err *e)
{
	if (cat_blob_dict(c, p, n, dict, e) < 0)
		return -1;
	return decompressor(c, *dict, e);
}

int cat_blob_decode(const struct catalog *c, ZSTD_DCtx *zd, const void *p,
		    size_t n, struct buf *out, struct err *e)
{
	unsigned long long size = ZSTD_getFrameContentSize(p, n);
	unsigned id = ZSTD_getDictID_fromFrame(p, n);
	size_t r;

	if (buf_grow(out, (size_t)size) < 0)
		return err_set(e, "%s: text too large", c->db.path);
	r = id ? ZSTD_decompress_usingDDict(zd, out->data + out->len,
					    (size_t)size, p, n, c->ddict)
		: ZSTD_decompressDCtx(zd, out->data + out->len, (size_t)size,
				      p, n);
	if (ZSTD_isError(r) || r != size)
		return err_set(e, "%s: a stored text does not decompress: %s",
			       c->db.path, ZSTD_isError(r) ?
			       ZSTD_getErrorName(r) : "short");
	out->len += r;
	out->data[out->len] = '\0';
	return 0;
}

int cat_blob_unpack(struct catalog *c, sqlite3_stmt *st, int col,
		    struct buf *out, struct err *e)
{
	const void *p = sqlite3_column_blob(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	unsigned id;

	if (sqlite3_column_type(st, col) != SQLITE_BLOB)
		return buf_add(out, sqlite3_column_text(st, col), n) < 0
			? err_set(e, "%s: text too large", c->db.path) : 0;
	if (cat_blob_prepare(c, p, n, &id, e) < 0)
		return -1;
	return cat_blob_decode(c, c->zd, p, n, out, e);
}

/* ---- the catalog's dictionary ---- */

/* Fewer bodies than this: no dictionary yet (a later crawl trains it). */
#define DICT_MIN_BODIES 32
/* Sample bytes read for training, and the dictionary's size. */
#define DICT_SAMPLE_BYTES (4u << 20)
#define DICT_SIZE (64u << 10)
/* fastCover's segment size (k), d-mer size (d) and log2 of its frequency
 * table (f), fixed: ZDICT_trainFromBuffer trains five times to search k
 * (and finalizes each candidate), which cost 7% of a 60-page crawl's
 * instructions, and the k it picked (50, judged on a quarter of the
 * samples at level 3) compressed the texts worse than k = 200: the
 * replica's texts, link lists and boilerplate 116,971 -> 87,933 B, the
 * Python manual's 3,251,630 -> 3,230,888 B (k from 100 to 2000 are within
 * 1% on the manual, 400 to 1000 within 1% on the replica). */
#define DICT_K 200
#define DICT_D 8
#define DICT_F 18
/* The level the dictionary's entropy tables are gathered at (the samples
 * compressed once): BLOB_LEVEL would save 0.1-0.2% more of the texts'
 * bytes (the manual's 11.6 kB, the replica's 3.3 kB) for three times the
 * training's CPU (0.05 -> 0.18 s on the manual's 4 MB of samples). */
#define DICT_LEVEL 3


static int has_dict(struct catalog *c, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&c->db, "SELECT 1 FROM zdicts LIMIT 1", &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0
		: db_error(&c->db, e, "zdicts");
	sqlite3_finalize(st);
	return rc;
}

/* Append the first bodies of every table to samples (sizes in *sizes). */
static int gather(struct catalog *c, struct buf *samples, size_t **sizes,
		  unsigned *n, struct err *e)
{
	static const char *const sql[CAT_BLOB_KINDS] = {
		"SELECT body FROM texts ORDER BY rowid",
		"SELECT body FROM linksets ORDER BY rowid",
		"SELECT body FROM boilers ORDER BY rowid",
	};
	sqlite3_stmt *st = NULL;
	size_t before, *t;
	int k, rc;

	for (k = 0; k < CAT_BLOB_KINDS; k++) {
		if (db_prepare(&c->db, sql[k], &st, e) < 0)
			return -1;
		rc = SQLITE_DONE;
		while (samples->len < DICT_SAMPLE_BYTES &&
		       (rc = sqlite3_step(st)) == SQLITE_ROW) {
			before = samples->len;
			if (cat_blob_unpack(c, st, 0, samples, e) < 0)
				goto fail;
			if (!(t = realloc(*sizes, (*n + 1) * sizeof(**sizes)))) {
				err_set(e, "%s: out of memory", c->db.path);
				goto fail;
			}
			*sizes = t;
			(*sizes)[(*n)++] = samples->len - before;
		}
		if (samples->len < DICT_SAMPLE_BYTES && rc != SQLITE_DONE) {
			db_error(&c->db, e, cat_blob_table(k));
			goto fail;
		}
		sqlite3_finalize(st);
	}
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

/* Compress again every body of every table (with the newest dictionary). */
static int repack_all(struct catalog *c, struct err *e)
{
	static const char *const sel[CAT_BLOB_KINDS] = {
		"SELECT rowid, body FROM texts",
		"SELECT rowid, body FROM linksets",
		"SELECT rowid, body FROM boilers",
	};
	static const char *const upd[CAT_BLOB_KINDS] = {
		"UPDATE texts SET body = ? WHERE rowid = ?",
		"UPDATE linksets SET body = ? WHERE rowid = ?",
		"UPDATE boilers SET body = ? WHERE rowid = ?",
	};
	struct buf raw = BUF_INIT(0), z = BUF_INIT(0);
	sqlite3_stmt *st = NULL, *up = NULL;
	int k, rc = 0;

	for (k = 0; k < CAT_BLOB_KINDS && rc == 0; k++) {
		if (db_prepare(&c->db, sel[k], &st, e) < 0 ||
		    db_prepare(&c->db, upd[k], &up, e) < 0) {
			rc = -1;
			break;
		}
		/* an update does not move a row: each is read once */
		while (rc == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			buf_reset(&raw);
			rc = cat_blob_unpack(c, st, 1, &raw, e) < 0 ||
			     cat_blob_pack(c, raw.data, raw.len, &z, e) < 0 ? -1 : 0;
			if (rc < 0)
				break;
			sqlite3_bind_blob(up, 1, z.data, (int)z.len, SQLITE_STATIC);
			sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
			if (sqlite3_step(up) != SQLITE_DONE)
				rc = db_error(&c->db, e, cat_blob_table(k));
			sqlite3_reset(up);
		}
		if (rc == SQLITE_DONE)
			rc = 0;
		else if (rc > 0)
			rc = db_error(&c->db, e, cat_blob_table(k));
		sqlite3_finalize(st);
		sqlite3_finalize(up);
		st = up = NULL;
	}
	buf_release(&raw);
	buf_release(&z);
	return rc;
}

/* Train the dictionary and compress every body again with it, when there
 * is none and enough to learn from: 1 done, 0 not, -1 error. */
static int train(struct catalog *c, struct err *e)
{
	struct buf samples = BUF_INIT(0);
	ZDICT_fastCover_params_t fc;
	size_t *sizes = NULL, n;
	unsigned count = 0;
	void *dict = NULL;
	sqlite3_stmt *st = NULL;
	int rc = has_dict(c, e);

	c->texts_plain = 0;         /* tried: not again before as many more */
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (gather(c, &samples, &sizes, &count, e) < 0)
		goto fail;
	rc = 0;
	if (count < DICT_MIN_BODIES || !(dict = malloc(DICT_SIZE)))
		goto out;
	memset(&fc, 0, sizeof(fc));
	fc.k = DICT_K;
	fc.d = DICT_D;
	fc.f = DICT_F;
	fc.accel = 1;
	fc.zParams.compressionLevel = DICT_LEVEL;
	n = ZDICT_trainFromBuffer_fastCover(dict, DICT_SIZE, samples.data, sizes,
					    count, fc);
	if (ZDICT_isError(n))
		goto out;   /* too little to learn from: stay without */
	if (catalog_begin(c, e) < 0)
		goto fail;
	if (db_prepare(&c->db, "INSERT INTO zdicts(id, body) VALUES(?, ?)",
		       &st, e) < 0)
		goto rollback;
	sqlite3_bind_int64(st, 1, ZDICT_getDictID(dict, n));
	sqlite3_bind_blob(st, 2, dict, (int)n, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(&c->db, e, "zdicts");
		goto rollback;
	}
	cat_blobs_release(c);       /* the compressor picks the new one up */
	if (repack_all(c, e) < 0 || catalog_commit(c, e) < 0)
		goto rollback;
	rc = 1;
	goto out;
rollback:
	catalog_rollback(c, NULL);
	cat_blobs_release(c);
fail:
	rc = -1;
out:
	sqlite3_finalize(st);
	free(dict);
	free(sizes);
	buf_release(&samples);
	return rc;
}

int catalog_compact(struct catalog *c, struct err *e)
{
	int rc = train(c, e);

	if (rc < 0 || (rc == 0 && !c->vacuum_due))
		return rc;
	/* once: give back the pages the smaller bodies freed */
	c->vacuum_due = 0;
	return db_exec(&c->db, "VACUUM", e);
}

void cat_blobs_stored(struct catalog *c, enum cat_blob kind, size_t n)
{
	if (kind == CAT_TEXTS && !c->cdict)
		c->texts_plain += n;
}

/* The dictionary is trained on the first DICT_SAMPLE_BYTES of main texts
 * (gather), so once the catalog holds that much it is the one the end of
 * the crawl would train; training it then spares compressing every later
 * text twice (without it, then again with it): on the Python manual's
 * 12 MB of bodies, 1,781 M instructions instead of 4,152 M. */
void cat_blobs_train_due(struct catalog *c)
{
	if (c->depth == 0 && c->texts_plain >= DICT_SAMPLE_BYTES &&
	    train(c, NULL) > 0)
		c->vacuum_due = 1;  /* by catalog_compact, when the crawl ends */
}
