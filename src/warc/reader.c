/* warc reader: records out of .warc, .warc.gz, .warc.zst, .warc.bz2/.xz.
 *
 * The input is decoded into a window of bytes (r->d, reader-decode.c).
 * Compressed inputs are made of units (gzip members, zstd frames); at each
 * unit start we remember the pair (decompressed position, file offset), so a
 * record that starts at a unit start gets its file offset, and one that ends
 * at a unit end its compressed length.  A record inside a unit (whole-file
 * gzip streams, bz2, xz) gets its position in the uncompressed data and
 * length 0.  This file opens and closes readers and steps from record to
 * record; reader-record.c parses a record's header and trailer.
 */
#include "warc/reader-internal.h"

#include <archive.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_BLOCK ((uint64_t)1 << 30)

static void record_init(struct warc_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	warc_fields_init(&rec->fields);
	buf_init(&rec->block, 0);
	buf_init(&rec->header_raw, WARC_MAX_HEADER);
	buf_init(&rec->problems, 0);
	buf_init(&rec->notes, 0);
	rec->type_name = "";
}

/* Between records: forget the record but keep the buffers' memory (a
 * fresh allocation per block costs page faults on every record). */
static void record_clear(struct warc_record *rec)
{
	struct buf block = rec->block, hdr = rec->header_raw;

	buf_reset(&block);
	buf_reset(&hdr);
	warc_fields_release(&rec->fields);
	buf_release(&rec->problems);
	buf_release(&rec->notes);
	free(rec->target_uri);
	record_init(rec);
	if (block.cap > (64u << 20)) {
		buf_release(&block);    /* do not keep a huge one */
	}
	rec->block = block;
	rec->header_raw = hdr;
}

static void record_release(struct warc_record *rec)
{
	warc_fields_release(&rec->fields);
	buf_release(&rec->block);
	buf_release(&rec->header_raw);
	buf_release(&rec->problems);
	buf_release(&rec->notes);
	free(rec->target_uri);
	record_init(rec);
}

/* ---- opening ------------------------------------------------------------ */

static int open_archive(struct warc_reader *r, struct err *e)
{
	r->ar = archive_read_new();
	if (!r->ar)
		return err_set(e, "%s: out of memory", r->path);
	archive_read_support_filter_all(r->ar);
	archive_read_support_format_raw(r->ar);
	if (archive_read_open_filename(r->ar, r->path, 65536) != ARCHIVE_OK) {
		err_set(e, "%s: %s", r->path, archive_error_string(r->ar));
		return -1;
	}
	{
		struct archive_entry *ent;

		if (archive_read_next_header(r->ar, &ent) != ARCHIVE_OK)
			return err_set(e, "%s: %s", r->path, archive_error_string(r->ar));
	}
	return 0;
}

static void reset_stream(struct warc_reader *r, uint64_t off)
{
	r->in_len = r->in_pos = 0;
	r->in_off = off;
	r->in_eof = 0;
	r->in_unit = 0;
	buf_reset(&r->d);
	r->d_base = 0;
	r->pos = 0;
	r->nb = 0;
	r->dec_eof = r->dec_err = 0;
	buf_reset(&r->pending_notes);
	buf_reset(&r->pending_problems);
	if (r->comp == WARC_C_PLAIN)
		r->d_base = r->pos = off;
}

struct warc_reader *warc_reader_open(const char *path, struct err *e)
{
	struct warc_reader *r = calloc(1, sizeof(*r));
	unsigned char m[6] = { 0 };
	size_t n;

	if (!r || !(r->path = strdup(path)) || !(r->in = malloc(IN_SIZE))) {
		err_set(e, "%s: out of memory", path);
		goto fail;
	}
	buf_init(&r->d, 0);
	buf_init(&r->dict, DICT_MAX);
	buf_init(&r->file_notes, 0);
	buf_init(&r->pending_notes, 0);
	buf_init(&r->pending_problems, 0);
	record_init(&r->rec);
	r->max_block = DEFAULT_MAX_BLOCK;
	r->f = fopen(path, "rb");
	if (!r->f) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	n = fread(m, 1, sizeof(m), r->f);
	rewind(r->f);
	r->seekable = 1;
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
		r->comp = WARC_C_GZIP;
		if (inflateInit2(&r->z, 31) != Z_OK) {
			err_set(e, "%s: zlib init failed", path);
			goto fail;
		}
		r->z_init = 1;
	} else if (n >= 4 && (!memcmp(m, "\x28\xb5\x2f\xfd", 4) ||
			      ((m[0] & 0xf0) == 0x50 && !memcmp(m + 1, "\x2a\x4d\x18", 3)))) {
		r->comp = WARC_C_ZSTD;
		r->dctx = ZSTD_createDCtx();
		if (!r->dctx) {
			err_set(e, "%s: out of memory", path);
			goto fail;
		}
		ZSTD_DCtx_setParameter(r->dctx, ZSTD_d_windowLogMax, 27);
		if (m[0] == 0x5d && warc_rd_load_dict(r, e) < 0)
			goto fail;
	} else if (n >= 3 && !memcmp(m, "BZh", 3)) {
		r->comp = WARC_C_BZIP2;
	} else if (n >= 6 && !memcmp(m, "\xfd" "7zXZ\0", 6)) {
		r->comp = WARC_C_XZ;
	}
	if (r->comp == WARC_C_BZIP2 || r->comp == WARC_C_XZ) {
		r->seekable = 0;
		buf_addf(&r->file_notes, "%s file: records can't be read by offset; offsets are positions in the uncompressed data\n",
			 warc_compression_name(r->comp));
		if (open_archive(r, e) < 0)
			goto fail;
	}
	reset_stream(r, r->data_start);
	if (r->comp == WARC_C_ZSTD || r->comp == WARC_C_GZIP)
		fseeko(r->f, (off_t)r->data_start, SEEK_SET);
	return r;
fail:
	warc_reader_free(r);
	return NULL;
}

void warc_reader_free(struct warc_reader *r)
{
	if (!r)
		return;
	record_release(&r->rec);
	if (r->f)
		fclose(r->f);
	if (r->ar)
		archive_read_free(r->ar);
	if (r->z_init)
		inflateEnd(&r->z);
	ZSTD_freeDCtx(r->dctx);
	ZSTD_freeDDict(r->ddict);
	buf_release(&r->dict);
	buf_release(&r->d);
	buf_release(&r->file_notes);
	buf_release(&r->pending_notes);
	buf_release(&r->pending_problems);
	free(r->b);
	free(r->in);
	free(r->path);
	free(r);
}

void warc_reader_set_block_keep(struct warc_reader *r, uint64_t keep)
{
	r->block_keep = keep;
}

void warc_reader_set_block_sink(struct warc_reader *r,
				int (*fn)(void *ctx, const void *p, size_t n),
				void *ctx)
{
	r->sink = fn;
	r->sink_ctx = ctx;
}

/* The block at decoded positions [hend, hend + content_length): its first
 * keep bytes into rec->block, all of it through the sink, the window
 * compacted as it goes when only a part is kept.  0, or -1 with e set. */
static int read_block(struct warc_reader *r, struct warc_record *rec,
		      uint64_t hend, struct err *e)
{
	uint64_t len = rec->content_length, keep = len, p, got;

	if (r->block_keep && keep > r->block_keep) {
		keep = r->block_keep;
		rec->block_cut = 1;
	}
	for (p = hend; p < hend + len; p += got) {
		uint64_t want = hend + len - p;

		if (rec->block_cut) {
			warc_rd_compact(r, p);
			if (want > OUT_STEP)
				want = OUT_STEP;
		}
		got = warc_rd_avail_at(r, p, want);
		if (got > want)
			got = want;
		if (got == 0 || (!rec->block_cut && got < want)) {
			got += p - hend;
			if (r->dec_err)
				return err_set(e, "%s:%llu: record cut short: Content-Length %llu, only %llu bytes of block before an error (%s)",
					       r->path, (unsigned long long)rec->offset,
					       (unsigned long long)len,
					       (unsigned long long)got, r->dec_e.msg);
			return err_set(e, "%s:%llu: Content-Length %llu goes past the end of the file (only %llu bytes left)",
				       r->path, (unsigned long long)rec->offset,
				       (unsigned long long)len,
				       (unsigned long long)got);
		}
		if (p < hend + keep) {
			uint64_t k = hend + keep - p < got ? hend + keep - p : got;

			if (buf_add(&rec->block, warc_rd_ptr(r, p), (size_t)k) < 0)
				return err_set(e, "%s:%llu: out of memory for a %llu-byte block",
					       r->path, (unsigned long long)rec->offset,
					       (unsigned long long)keep);
		}
		if (r->sink && r->sink(r->sink_ctx, warc_rd_ptr(r, p), (size_t)got) < 0)
			return err_set(e, "%s:%llu: output failed", r->path,
				       (unsigned long long)rec->offset);
	}
	return 0;
}

void warc_reader_set_max_block(struct warc_reader *r, uint64_t max)
{
	r->max_block = max;
}

enum warc_compression warc_reader_compression(const struct warc_reader *r)
{
	return r->comp;
}

int warc_reader_seekable(const struct warc_reader *r)
{
	return r->seekable;
}

unsigned warc_reader_dict_id(const struct warc_reader *r)
{
	return r->dict_id;
}

uint64_t warc_reader_good_end(const struct warc_reader *r)
{
	return r->good_end;
}

const char *warc_reader_file_notes(const struct warc_reader *r)
{
	return r->file_notes.data;
}

int warc_reader_seek(struct warc_reader *r, uint64_t offset, struct err *e)
{
	if (!r->seekable || r->comp == WARC_C_BZIP2 || r->comp == WARC_C_XZ)
		return err_set(e, "%s: records of this file can't be read by offset",
			       r->path);
	if (offset < r->data_start)
		offset = r->data_start;
	if (fseeko(r->f, (off_t)offset, SEEK_SET) < 0)
		return err_set(e, "%s:%llu: %s", r->path,
			       (unsigned long long)offset, strerror(errno));
	reset_stream(r, offset);
	return 0;
}

/* ---- resynchronising after damage ----------------------------------------- */

/* 1 when the bytes at p (n left, prev the byte before or -1) can start a
 * record in a file of compression comp. */
static int could_start(enum warc_compression comp, const unsigned char *p,
		       size_t n, int prev)
{
	switch (comp) {
	case WARC_C_GZIP:
		return n >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8;
	case WARC_C_ZSTD:
		return n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4);
	case WARC_C_PLAIN:
		return n >= 5 && !memcmp(p, "WARC/", 5) &&
		       (prev < 0 || prev == '\n');
	default:
		return 0;
	}
}

/* Read a record at off to see whether one starts there; the reader is left
 * positioned at off. */
static int readable_at(struct warc_reader *r, uint64_t off)
{
	struct warc_record *rec;
	struct err te;
	int ok;

	if (warc_reader_seek(r, off, &te) < 0)
		return 0;
	ok = warc_reader_next(r, &rec, &te) > 0;
	r->seekable = 1;            /* a test read must not change that */
	return ok && warc_reader_seek(r, off, &te) == 0;
}

int warc_reader_resync(struct warc_reader *r, uint64_t *at, struct err *e)
{
	enum { CHUNK = 64 * 1024, KEEP = 5 };
	unsigned char *b = NULL;
	uint64_t base, from;
	size_t have = 0, i;
	long tries = 0;
	int prev = -1, rc = 0;
	ssize_t got;

	if (!r->seekable || (r->comp != WARC_C_PLAIN && r->comp != WARC_C_GZIP &&
			     r->comp != WARC_C_ZSTD))
		return err_set(e, "%s: this file can't be searched for the next record",
			       r->path);
	from = r->good_end > r->data_start ? r->good_end : r->data_start;
	if (r->resync_next > from)
		from = r->resync_next;
	b = malloc(CHUNK + KEEP);
	if (!b)
		return err_set(e, "%s: out of memory", r->path);
	base = from;
	if (from > 0) {             /* the byte before, for plain "WARC/" */
		unsigned char c;

		if (pread(fileno(r->f), &c, 1, (off_t)from - 1) == 1)
			prev = c;
	}
	for (;;) {
		got = pread(fileno(r->f), b + have, CHUNK, (off_t)(base + have));
		if (got < 0) {
			rc = err_set(e, "%s:%llu: %s", r->path,
				     (unsigned long long)(base + have), strerror(errno));
			goto out;
		}
		have += (size_t)got;
		/* scan all but the last KEEP-1 bytes unless at the end */
		for (i = 0; i < have && (got == 0 || i + KEEP <= have); i++) {
			if (could_start(r->comp, b + i, have - i, i ? b[i - 1] : prev)) {
				r->resync_next = base + i + 1;
				if (readable_at(r, base + i)) {
					*at = base + i;
					rc = 1;
					goto out;
				}
				if (++tries >= WARC_RESYNC_TRIES)
					goto out;
			}
		}
		if (got == 0)
			goto out;
		prev = i ? b[i - 1] : prev;
		memmove(b, b + i, have - i);
		base += i;
		have -= i;
	}
out:
	free(b);
	return rc;
}

/* ---- parsing a record ---------------------------------------------------- */
int warc_reader_next(struct warc_reader *r, struct warc_record **out,
		     struct err *e)
{
	struct warc_record *rec = &r->rec;
	uint64_t start, hend = 0, bend, next, cstart = 0, cend = 0, got;
	int at_unit, ends_at_unit = 0;

	record_clear(rec);
	*out = NULL;
	warc_rd_compact(r, r->pos);
	/* skip blank lines between records (lenient) */
	for (;;) {
		got = warc_rd_avail_at(r, r->pos, 1);
		if (got == 0)
			break;
		if (*warc_rd_ptr(r, r->pos) != '\r' && *warc_rd_ptr(r, r->pos) != '\n')
			break;
		r->pos++;
	}
	if (got == 0) {
		uint64_t c;

		if (r->dec_err && r->comp != WARC_C_BZIP2 && r->comp != WARC_C_XZ &&
		    warc_rd_find_boundary(r, r->pos, &c) && c < warc_rd_in_tell(r))
			return err_set(e, "%s:%llu: record cut short (%s)", r->path,
				       (unsigned long long)c, r->dec_e.msg);
		if (r->dec_err)
			return err_set(e, "%s", r->dec_e.msg);
		return 0;
	}
	start = r->pos;
	at_unit = warc_rd_find_boundary(r, start, &cstart);
	if (warc_rd_parse_header(r, rec, start, &hend, e) < 0) {
		if (r->dec_err)
			return err_set(e, "%s:%llu: record cut short (%s)", r->path,
				       (unsigned long long)(at_unit ? cstart : start),
				       r->dec_e.msg);
		return -1;
	}
	buf_add(&rec->problems, r->pending_problems.data, r->pending_problems.len);
	buf_add(&rec->notes, r->pending_notes.data, r->pending_notes.len);
	buf_reset(&r->pending_problems);
	buf_reset(&r->pending_notes);
	warc_rd_set_shortcuts(rec);
	rec->offset = at_unit ? cstart : start;
	if (warc_rd_parse_length(warc_fields_get(&rec->fields, "Content-Length"),
			 &rec->content_length) < 0)
		return err_set(e, "%s:%llu: missing or bad Content-Length", r->path,
			       (unsigned long long)rec->offset);
	if (rec->content_length > r->max_block && !r->block_keep)
		return err_set(e, "%s:%llu: record of %llu bytes is larger than the limit (%llu)",
			       r->path, (unsigned long long)rec->offset,
			       (unsigned long long)rec->content_length,
			       (unsigned long long)r->max_block);
	if (read_block(r, rec, hend, e) < 0)
		return -1;
	bend = hend + rec->content_length;
	next = warc_rd_read_trailer(r, rec, bend);
	/* Let the decoder reach the unit end, so we know where the record ends. */
	while (warc_rd_total(r) == next && r->in_unit && !r->dec_eof && !r->dec_err)
		if (warc_rd_fill(r) < 0)
			break;
	r->pos = next;
	if (r->comp == WARC_C_PLAIN) {
		ends_at_unit = 1;
		cend = next;
	} else if (r->comp == WARC_C_BZIP2 || r->comp == WARC_C_XZ) {
		ends_at_unit = 0;
	} else if (warc_rd_find_boundary(r, next, &cend)) {
		ends_at_unit = 1;
	} else if (!r->in_unit && warc_rd_total(r) == next) {
		ends_at_unit = 1;
		cend = warc_rd_in_tell(r);
	}
	if (!ends_at_unit && r->comp != WARC_C_PLAIN && warc_rd_total(r) == next &&
	    r->dec_err)
		return err_set(e, "%s:%llu: record cut short (%s)", r->path,
			       (unsigned long long)rec->offset, r->dec_e.msg);
	if (ends_at_unit)
		r->good_end = cend;
	if (at_unit && ends_at_unit) {
		rec->length = cend - cstart;
	} else {
		rec->length = 0;
		if (r->comp == WARC_C_ZSTD || r->comp == WARC_C_GZIP) {
			r->seekable = 0;
			if (r->comp == WARC_C_ZSTD)
				buf_adds(&rec->problems, at_unit ?
					 "record does not end its zstd frame (several records in one frame)\n" :
					 "record does not start a zstd frame (several records in one frame)\n");
			if (!r->noted_inside) {
				buf_addf(&r->file_notes,
					 "records are not one per %s: offsets of records inside one are positions in the uncompressed data and can't be read by offset\n",
					 r->comp == WARC_C_ZSTD ? "zstd frame" : "gzip member (whole-file gzip stream)");
				r->noted_inside = 1;
			}
		}
	}
	*out = rec;
	return 1;
}
