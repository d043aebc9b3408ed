/* warc reader: records out of .warc, .warc.gz, .warc.zst, .warc.bz2/.xz.
 *
 * The input is decoded into a window of bytes (r->d).  Compressed inputs are
 * made of units (gzip members, zstd frames); at each unit start we remember
 * the pair (decompressed position, file offset), so a record that starts at
 * a unit start gets its file offset, and one that ends at a unit end its
 * compressed length.  A record inside a unit (whole-file gzip streams, bz2,
 * xz) gets its position in the uncompressed data and length 0.
 */
#include "warc/warc-internal.h"

#include <archive.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>

#define IN_SIZE (128u * 1024)
#define OUT_STEP (128u * 1024)
#define DICT_MAX (8u << 20)
#define DEFAULT_MAX_BLOCK ((uint64_t)1 << 30)
#define RESYNC_MAX ((uint64_t)64 << 20)

struct boundary {
	uint64_t dpos, cpos;
};

struct warc_reader {
	char *path;
	FILE *f;
	struct archive *ar;
	enum warc_compression comp;
	int seekable;
	uint64_t max_block;

	unsigned char *in;          /* compressed input window */
	size_t in_len, in_pos;
	uint64_t in_off;            /* file offset of in[0] */
	int in_eof;

	z_stream z;
	int z_init, in_unit;
	ZSTD_DCtx *dctx;
	ZSTD_DDict *ddict;
	struct buf dict;
	unsigned dict_id;
	uint64_t data_start;        /* first byte after the dictionary frame */

	struct buf d;               /* decoded bytes [d_base, d_base + d.len) */
	uint64_t d_base;
	uint64_t pos;               /* next unread decoded position */
	struct boundary *b;
	size_t nb, ab;
	int dec_eof, dec_err;
	struct err dec_e;

	struct warc_record rec;
	uint64_t good_end;
	struct buf file_notes;
	struct buf pending_notes, pending_problems;
	int noted_inside;
};

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

/* ---- compressed input --------------------------------------------------- */

/* Make at least n bytes available at in + in_pos (fewer at end of file).
 * Returns the number available. */
static size_t in_need(struct warc_reader *r, size_t n)
{
	size_t got;

	if (r->in_len - r->in_pos >= n || r->in_eof)
		return r->in_len - r->in_pos;
	if (r->in_pos) {
		memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
		r->in_off += r->in_pos;
		r->in_len -= r->in_pos;
		r->in_pos = 0;
	}
	while (r->in_len < n && r->in_len < IN_SIZE && !r->in_eof) {
		got = fread(r->in + r->in_len, 1, IN_SIZE - r->in_len, r->f);
		if (got == 0)
			r->in_eof = 1;
		r->in_len += got;
	}
	return r->in_len - r->in_pos;
}

static uint64_t in_tell(const struct warc_reader *r)
{
	return r->in_off + r->in_pos;
}

static int add_boundary(struct warc_reader *r, uint64_t dpos, uint64_t cpos)
{
	if (r->nb && r->b[r->nb - 1].dpos == dpos) {
		r->b[r->nb - 1].cpos = cpos;    /* empty unit: keep the later */
		return 0;
	}
	if (r->nb == r->ab) {
		size_t na = r->ab ? r->ab * 2 : 16;
		struct boundary *nbp = realloc(r->b, na * sizeof(*nbp));

		if (!nbp)
			return -1;
		r->b = nbp;
		r->ab = na;
	}
	r->b[r->nb].dpos = dpos;
	r->b[r->nb].cpos = cpos;
	r->nb++;
	return 0;
}

static int find_boundary(const struct warc_reader *r, uint64_t dpos,
			 uint64_t *cpos)
{
	size_t i;

	if (r->comp == WARC_C_PLAIN) {
		*cpos = dpos;
		return 1;
	}
	for (i = 0; i < r->nb; i++)
		if (r->b[i].dpos == dpos) {
			*cpos = r->b[i].cpos;
			return 1;
		}
	return 0;
}

static int dec_fail(struct warc_reader *r, uint64_t off, const char *fmt,
		    const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	err_set(&r->dec_e, "%s:%llu: %s", r->path, (unsigned long long)off, msg);
	r->dec_err = 1;
	return -1;
}

static int d_room(struct warc_reader *r, size_t n)
{
	return buf_grow(&r->d, n);
}

static uint64_t d_total(const struct warc_reader *r)
{
	return r->d_base + r->d.len;
}

/* ---- one step of decoding per compression ------------------------------- */

static int fill_plain(struct warc_reader *r)
{
	size_t n = in_need(r, 1);

	if (n == 0) {
		r->dec_eof = 1;
		return 0;
	}
	if (buf_add(&r->d, r->in + r->in_pos, n) < 0)
		return dec_fail(r, in_tell(r), "%s", "out of memory");
	r->in_pos += n;
	return 1;
}

static int fill_gzip(struct warc_reader *r)
{
	size_t avail, before;
	int rc;

	if (!r->in_unit) {
		avail = in_need(r, 2);
		if (avail == 0) {
			r->dec_eof = 1;
			return 0;
		}
		if (avail < 2 || r->in[r->in_pos] != 0x1f || r->in[r->in_pos + 1] != 0x8b) {
			char what[64];

			fseeko(r->f, 0, SEEK_END);
			snprintf(what, sizeof(what), "%llu",
				 (unsigned long long)(ftello(r->f) - in_tell(r)));
			return dec_fail(r, in_tell(r),
					"not a gzip member: %s bytes of trailing garbage", what);
		}
		if (add_boundary(r, d_total(r), in_tell(r)) < 0)
			return dec_fail(r, in_tell(r), "%s", "out of memory");
		if (inflateReset2(&r->z, 31) != Z_OK)
			return dec_fail(r, in_tell(r), "%s", "zlib reset failed");
		r->in_unit = 1;
	}
	avail = in_need(r, 1);
	if (d_room(r, OUT_STEP) < 0)
		return dec_fail(r, in_tell(r), "%s", "out of memory");
	r->z.next_in = r->in + r->in_pos;
	r->z.avail_in = (uInt)avail;
	r->z.next_out = (unsigned char *)r->d.data + r->d.len;
	r->z.avail_out = OUT_STEP;
	before = r->z.avail_in;
	rc = inflate(&r->z, Z_NO_FLUSH);
	r->in_pos += before - r->z.avail_in;
	r->d.len += OUT_STEP - r->z.avail_out;
	r->d.data[r->d.len] = '\0';
	if (rc == Z_STREAM_END) {
		r->in_unit = 0;
		return 1;
	}
	if (rc == Z_BUF_ERROR || (rc == Z_OK && avail == 0)) {
		if (r->in_eof && r->in_len == r->in_pos)
			return dec_fail(r, in_tell(r), "%s",
					"gzip member cut short (file ends inside it)");
		return 1;
	}
	if (rc != Z_OK)
		return dec_fail(r, in_tell(r), "bad gzip data: %s",
				r->z.msg ? r->z.msg : "error");
	return 1;
}

static int zstd_frame_start(struct warc_reader *r)
{
	size_t avail;
	uint32_t magic, len;
	ZSTD_frameHeader fh;

	for (;;) {
		avail = in_need(r, 8);
		if (avail == 0) {
			r->dec_eof = 1;
			return 0;
		}
		if (avail < 4)
			return dec_fail(r, in_tell(r), "%s", "file ends inside a zstd frame header");
		magic = (uint32_t)r->in[r->in_pos] | (uint32_t)r->in[r->in_pos + 1] << 8 |
			(uint32_t)r->in[r->in_pos + 2] << 16 | (uint32_t)r->in[r->in_pos + 3] << 24;
		if ((magic & 0xFFFFFFF0u) != 0x184D2A50u)
			break;
		if (avail < 8)
			return dec_fail(r, in_tell(r), "%s", "file ends inside a skippable frame");
		len = (uint32_t)r->in[r->in_pos + 4] | (uint32_t)r->in[r->in_pos + 5] << 8 |
		      (uint32_t)r->in[r->in_pos + 6] << 16 | (uint32_t)r->in[r->in_pos + 7] << 24;
		if (magic == WARC_ZSTD_DICT_MAGIC)
			buf_adds(&r->pending_problems,
				 "dictionary frame not at the start of the file\n");
		/* skip the extension frame */
		{
			uint64_t left = 8 + (uint64_t)len;

			while (left) {
				size_t a = in_need(r, 1), take;

				if (a == 0)
					return dec_fail(r, in_tell(r), "%s",
							"file ends inside a skippable frame");
				take = a < left ? a : (size_t)left;
				r->in_pos += take;
				left -= take;
			}
		}
	}
	if (magic != 0xFD2FB528u) {
		char what[64];

		fseeko(r->f, 0, SEEK_END);
		snprintf(what, sizeof(what), "%llu",
			 (unsigned long long)(ftello(r->f) - in_tell(r)));
		return dec_fail(r, in_tell(r),
				"not a zstd frame: %s bytes of trailing garbage", what);
	}
	avail = in_need(r, ZSTD_FRAMEHEADERSIZE_MAX);
	if (ZSTD_getFrameHeader(&fh, r->in + r->in_pos, avail) != 0)
		return dec_fail(r, in_tell(r), "%s", "bad zstd frame header");
	if (fh.dictID && fh.dictID != r->dict_id) {
		char what[96];

		snprintf(what, sizeof(what), "%u", fh.dictID);
		if (r->dict_id)
			return dec_fail(r, in_tell(r),
					"zstd frame needs dictionary ID %s, not the file's", what);
		return dec_fail(r, in_tell(r),
				"zstd frame needs dictionary ID %s, which is not in the file (no dictionary frame)",
				what);
	}
	if (fh.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN)
		buf_adds(&r->pending_notes, "zstd frame without content size\n");
	if (!fh.checksumFlag)
		buf_adds(&r->pending_notes, "zstd frame without checksum\n");
	if (add_boundary(r, d_total(r), in_tell(r)) < 0)
		return dec_fail(r, in_tell(r), "%s", "out of memory");
	ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
	if (r->ddict)
		ZSTD_DCtx_refDDict(r->dctx, r->ddict);
	r->in_unit = 1;
	return 1;
}

static int fill_zstd(struct warc_reader *r)
{
	ZSTD_inBuffer ib;
	ZSTD_outBuffer ob;
	size_t avail, ret;
	int rc;

	if (!r->in_unit) {
		rc = zstd_frame_start(r);
		if (rc <= 0)
			return rc;
	}
	avail = in_need(r, 1);
	if (d_room(r, OUT_STEP) < 0)
		return dec_fail(r, in_tell(r), "%s", "out of memory");
	ib.src = r->in + r->in_pos;
	ib.size = avail;
	ib.pos = 0;
	ob.dst = r->d.data + r->d.len;
	ob.size = OUT_STEP;
	ob.pos = 0;
	ret = ZSTD_decompressStream(r->dctx, &ob, &ib);
	r->in_pos += ib.pos;
	r->d.len += ob.pos;
	r->d.data[r->d.len] = '\0';
	if (ZSTD_isError(ret))
		return dec_fail(r, in_tell(r), "zstd: %s", ZSTD_getErrorName(ret));
	if (ret == 0) {
		r->in_unit = 0;
		return 1;
	}
	if (ob.pos == 0 && ib.pos == 0 && r->in_eof && r->in_pos == r->in_len)
		return dec_fail(r, in_tell(r), "%s",
				"zstd frame cut short (file ends inside it)");
	return 1;
}

static int fill_archive(struct warc_reader *r)
{
	la_ssize_t n;

	if (d_room(r, OUT_STEP) < 0)
		return dec_fail(r, 0, "%s", "out of memory");
	n = archive_read_data(r->ar, r->d.data + r->d.len, OUT_STEP);
	if (n < 0)
		return dec_fail(r, d_total(r), "%s: decompression failed (offset is in the uncompressed data)",
				archive_error_string(r->ar) ? archive_error_string(r->ar) : "libarchive");
	if (n == 0) {
		r->dec_eof = 1;
		return 0;
	}
	r->d.len += (size_t)n;
	r->d.data[r->d.len] = '\0';
	return 1;
}

/* Decode more: 1 some bytes (maybe none, e.g. a unit end), 0 end, -1 error. */
static int fill(struct warc_reader *r)
{
	if (r->dec_err)
		return -1;
	if (r->dec_eof)
		return 0;
	switch (r->comp) {
	case WARC_C_PLAIN: return fill_plain(r);
	case WARC_C_GZIP: return fill_gzip(r);
	case WARC_C_ZSTD: return fill_zstd(r);
	case WARC_C_BZIP2:
	case WARC_C_XZ: return fill_archive(r);
	}
	return -1;
}

/* Bytes available from decoded position p, decoding until n are (or the
 * input ends / fails). */
static uint64_t avail_at(struct warc_reader *r, uint64_t p, uint64_t n)
{
	while (d_total(r) < p + n) {
		if (fill(r) <= 0)
			break;
	}
	return d_total(r) > p ? d_total(r) - p : 0;
}

static const char *dptr(const struct warc_reader *r, uint64_t p)
{
	return r->d.data + (p - r->d_base);
}

/* Drop decoded bytes before p (the next record's start). */
static void compact(struct warc_reader *r, uint64_t p)
{
	size_t drop = (size_t)(p - r->d_base), i, o = 0;

	if (drop && drop >= r->d.len / 2) {
		memmove(r->d.data, r->d.data + drop, r->d.len - drop);
		r->d.len -= drop;
		r->d.data[r->d.len] = '\0';
		r->d_base = p;
	}
	for (i = 0; i < r->nb; i++)
		if (r->b[i].dpos >= p || (i + 1 == r->nb))
			r->b[o++] = r->b[i];
	r->nb = o;
}

/* ---- opening ------------------------------------------------------------ */

static int load_dict_frame(struct warc_reader *r, struct err *e)
{
	unsigned char hdr[8];
	uint32_t len;
	struct buf raw = BUF_INIT(DICT_MAX + 16);
	int rc = -1;

	if (fread(hdr, 1, 8, r->f) != 8)
		return err_set(e, "%s:0: file ends inside the dictionary frame", r->path);
	len = (uint32_t)hdr[4] | (uint32_t)hdr[5] << 8 | (uint32_t)hdr[6] << 16 |
	      (uint32_t)hdr[7] << 24;
	if (len > DICT_MAX || buf_grow(&raw, len) < 0)
		return err_set(e, "%s:0: dictionary frame of %u bytes is too large",
			       r->path, len);
	if (fread(raw.data, 1, len, r->f) != len) {
		err_set(e, "%s:0: file ends inside the dictionary frame", r->path);
		goto out;
	}
	raw.len = len;
	if (len >= 4 && !memcmp(raw.data, "\x28\xb5\x2f\xfd", 4)) {
		unsigned long long sz = ZSTD_getFrameContentSize(raw.data, len);
		size_t got;

		if (sz == ZSTD_CONTENTSIZE_ERROR || sz == ZSTD_CONTENTSIZE_UNKNOWN ||
		    sz > DICT_MAX) {
			err_set(e, "%s:0: compressed dictionary without a usable content size", r->path);
			goto out;
		}
		if (buf_grow(&r->dict, (size_t)sz) < 0) {
			err_set(e, "%s:0: out of memory", r->path);
			goto out;
		}
		got = ZSTD_decompress(r->dict.data, (size_t)sz, raw.data, len);
		if (ZSTD_isError(got) || got != sz) {
			err_set(e, "%s:0: bad compressed dictionary: %s", r->path,
				ZSTD_isError(got) ? ZSTD_getErrorName(got) : "size mismatch");
			goto out;
		}
		r->dict.len = got;
	} else if (buf_add(&r->dict, raw.data, raw.len) < 0) {
		err_set(e, "%s:0: out of memory", r->path);
		goto out;
	}
	r->dict_id = (unsigned)ZDICT_getDictID(r->dict.data, r->dict.len);
	r->ddict = ZSTD_createDDict(r->dict.data, r->dict.len);
	if (!r->ddict) {
		err_set(e, "%s:0: the dictionary frame holds no usable dictionary", r->path);
		goto out;
	}
	r->data_start = 8 + (uint64_t)len;
	rc = 0;
out:
	buf_release(&raw);
	return rc;
}

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
		if (m[0] == 0x5d && load_dict_frame(r, e) < 0)
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

const struct buf *warc_reader_dict(const struct warc_reader *r)
{
	return &r->dict;
}

uint64_t warc_reader_good_end(const struct warc_reader *r)
{
	return r->good_end;
}

const char *warc_reader_file_notes(const struct warc_reader *r)
{
	return r->file_notes.data;
}

const char *warc_reader_path(const struct warc_reader *r)
{
	return r->path;
}

int warc_reader_set_dict(struct warc_reader *r, const void *d, size_t n,
			 struct err *e)
{
	if (r->comp != WARC_C_ZSTD)
		return err_set(e, "%s: not a zstd file", r->path);
	ZSTD_freeDDict(r->ddict);
	buf_reset(&r->dict);
	if (buf_add(&r->dict, d, n) < 0)
		return err_set(e, "%s: dictionary too large", r->path);
	r->ddict = ZSTD_createDDict(d, n);
	if (!r->ddict)
		return err_set(e, "%s: not a zstd dictionary", r->path);
	r->dict_id = (unsigned)ZDICT_getDictID(d, n);
	return 0;
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

/* ---- parsing a record ---------------------------------------------------- */

static void escape_bytes(const char *p, size_t n, char *out, size_t outsz)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < outsz; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r') { out[o++] = '\\'; out[o++] = 'r'; }
		else if (c == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
		else if (c >= 0x20 && c < 0x7f) out[o++] = (char)c;
		else o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
	}
	if (i < n && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static int token_ok(const char *p, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", c))
			return 0;
	}
	return 1;
}

/* Read the header at r->pos into rec; -1 with e set on failure. */
static int parse_header(struct warc_reader *r, struct warc_record *rec,
			uint64_t start, uint64_t *hend, struct err *e)
{
	uint64_t p = start, got;
	int first = 1;

	for (;;) {
		const char *s, *lf;
		size_t len, raw;

		got = avail_at(r, p, 4096);
		lf = got ? memchr(dptr(r, p), '\n', (size_t)got) : NULL;
		while (!lf && got && p - start + got < WARC_MAX_HEADER &&
		       !r->dec_eof && !r->dec_err) {
			got = avail_at(r, p, got + 65536);
			lf = memchr(dptr(r, p), '\n', (size_t)got);
		}
		if (!lf) {
			if (r->dec_err)
				return err_set(e, "%s", r->dec_e.msg);
			if (p - start + got >= WARC_MAX_HEADER)
				return err_set(e, "%s:%llu: WARC header larger than %u bytes",
					       r->path, (unsigned long long)start, WARC_MAX_HEADER);
			return err_set(e, "%s:%llu: file ends inside the WARC header (no blank line)",
				       r->path, (unsigned long long)start);
		}
		s = dptr(r, p);
		raw = (size_t)(lf - s) + 1;
		len = raw - 1;
		while (len && s[len - 1] == '\r')
			len--;
		if (buf_add(&rec->header_raw, s, raw) < 0)
			return err_set(e, "%s:%llu: WARC header larger than %u bytes",
				       r->path, (unsigned long long)start, WARC_MAX_HEADER);
		p += raw;
		if (first) {
			if (len < 6 || memcmp(s, "WARC/", 5))
				return err_set(e, "%s:%llu: no WARC record here (no 'WARC/' version line)",
					       r->path, (unsigned long long)start);
			snprintf(rec->version, sizeof(rec->version), "%.*s",
				 (int)(len - 5 < 15 ? len - 5 : 15), s + 5);
			if (strcmp(rec->version, "1.0") && strcmp(rec->version, "1.1") &&
			    strcmp(rec->version, "0.18") && strcmp(rec->version, "0.17"))
				buf_addf(&rec->notes, "unusual WARC version '%s'\n", rec->version);
			if (raw - len != 2 || s[len] != '\r')
				buf_adds(&rec->problems, "header lines do not end with CRLF\n");
			first = 0;
			continue;
		}
		if (len == 0)
			break;
		if ((*s == ' ' || *s == '\t') && rec->fields.n) {
			struct warc_field *f = &rec->fields.v[rec->fields.n - 1];
			size_t ol = strlen(f->value), k = 0;
			char *nv;

			while (k < len && (s[k] == ' ' || s[k] == '\t'))
				k++;
			nv = realloc(f->value, ol + 1 + (len - k) + 1);
			if (!nv)
				return err_set(e, "%s: out of memory", r->path);
			nv[ol] = ' ';
			memcpy(nv + ol + 1, s + k, len - k);
			nv[ol + 1 + len - k] = '\0';
			f->value = nv;
			buf_adds(&rec->notes, "folded header line\n");
			continue;
		}
		{
			const char *colon = memchr(s, ':', len), *v, *end = s + len;
			size_t nlen;

			if (!colon) {
				buf_adds(&rec->problems, "header line without a colon\n");
				continue;
			}
			nlen = (size_t)(colon - s);
			while (nlen && (s[nlen - 1] == ' ' || s[nlen - 1] == '\t'))
				nlen--;
			if (!token_ok(s, nlen))
				buf_addf(&rec->problems, "field name '%.*s' is not a token\n",
					 (int)(nlen < 64 ? nlen : 64), s);
			v = colon + 1;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if (warc_fields_add_raw(&rec->fields, s, nlen, v, (size_t)(end - v)) < 0)
				return err_set(e, "%s: out of memory", r->path);
		}
	}
	*hend = p;
	return 0;
}

static int parse_length(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	while (*s == ' ')
		s++;
	if (*s)
		return -1;
	*out = v;
	return 0;
}

static void set_shortcuts(struct warc_record *rec)
{
	const char *t = warc_fields_get(&rec->fields, "WARC-Type");
	const char *u = warc_fields_get(&rec->fields, "WARC-Target-URI");

	rec->type_name = t ? t : "";
	rec->type = warc_type_parse(t);
	rec->record_id = warc_fields_get(&rec->fields, "WARC-Record-ID");
	rec->date = warc_fields_get(&rec->fields, "WARC-Date");
	rec->content_type = warc_fields_get(&rec->fields, "Content-Type");
	if (u) {
		size_t n = strlen(u);

		if (n >= 2 && u[0] == '<' && u[n - 1] == '>')
			rec->target_uri = strndup(u + 1, n - 2);
		else
			rec->target_uri = strdup(u);
	}
}

/* After the block: the CRLF CRLF terminator, then anything up to the next
 * record.  Returns the position of the next record (or the end). */
static uint64_t read_trailer(struct warc_reader *r, struct warc_record *rec,
			     uint64_t p)
{
	uint64_t got, q = p, k;
	char esc[64];

	got = avail_at(r, p, 8);
	while (q - p < got && (*dptr(r, q) == '\r' || *dptr(r, q) == '\n')) {
		q++;
		if (q - p == got)
			got = avail_at(r, p, got + 8);
	}
	if (q - p != 4 || memcmp(dptr(r, p), "\r\n\r\n", 4)) {
		escape_bytes(dptr(r, p), (size_t)(q - p), esc, sizeof(esc));
		buf_addf(&rec->problems, "record ends with '%s' instead of CRLF CRLF\n",
			 q == p ? "" : esc);
	}
	got = avail_at(r, q, 5);
	if (got == 0 || (got >= 5 && !memcmp(dptr(r, q), "WARC/", 5)))
		return q;
	/* Junk after the record: the Content-Length was wrong.  Find the next
	 * record (a line starting "WARC/") without guessing inside this one. */
	for (k = 1;; k++) {
		got = avail_at(r, q, k + 6);
		if (got < k + 5) {
			buf_addf(&rec->problems, "%llu bytes of garbage after the record%s\n",
				 (unsigned long long)got,
				 r->dec_err ? "" : " (up to the end of the file)");
			return q + got;
		}
		if (k > RESYNC_MAX) {
			buf_addf(&rec->problems, "more than %llu bytes of garbage after the record\n",
				 (unsigned long long)RESYNC_MAX);
			return q + k;
		}
		if ((dptr(r, q)[k - 1] == '\n') && !memcmp(dptr(r, q + k), "WARC/", 5))
			break;
	}
	escape_bytes(dptr(r, q), (size_t)(k < 24 ? k : 24), esc, sizeof(esc));
	buf_addf(&rec->problems,
		 "%llu unexpected bytes after the record ('%s'): Content-Length does not match the block\n",
		 (unsigned long long)k, esc);
	return q + k;
}

int warc_reader_next(struct warc_reader *r, struct warc_record **out,
		     struct err *e)
{
	struct warc_record *rec = &r->rec;
	uint64_t start, hend = 0, bend, next, cstart = 0, cend = 0, got;
	int at_unit, ends_at_unit = 0;

	record_clear(rec);
	*out = NULL;
	compact(r, r->pos);
	/* skip blank lines between records (lenient) */
	for (;;) {
		got = avail_at(r, r->pos, 1);
		if (got == 0)
			break;
		if (*dptr(r, r->pos) != '\r' && *dptr(r, r->pos) != '\n')
			break;
		r->pos++;
	}
	if (got == 0) {
		uint64_t c;

		if (r->dec_err && r->comp != WARC_C_BZIP2 && r->comp != WARC_C_XZ &&
		    find_boundary(r, r->pos, &c) && c < in_tell(r))
			return err_set(e, "%s:%llu: record cut short (%s)", r->path,
				       (unsigned long long)c, r->dec_e.msg);
		if (r->dec_err)
			return err_set(e, "%s", r->dec_e.msg);
		return 0;
	}
	start = r->pos;
	at_unit = find_boundary(r, start, &cstart);
	if (parse_header(r, rec, start, &hend, e) < 0) {
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
	set_shortcuts(rec);
	rec->offset = at_unit ? cstart : start;
	if (parse_length(warc_fields_get(&rec->fields, "Content-Length"),
			 &rec->content_length) < 0)
		return err_set(e, "%s:%llu: missing or bad Content-Length", r->path,
			       (unsigned long long)rec->offset);
	if (rec->content_length > r->max_block)
		return err_set(e, "%s:%llu: record of %llu bytes is larger than the limit (%llu)",
			       r->path, (unsigned long long)rec->offset,
			       (unsigned long long)rec->content_length,
			       (unsigned long long)r->max_block);
	got = avail_at(r, hend, rec->content_length);
	if (got < rec->content_length) {
		if (r->dec_err)
			return err_set(e, "%s:%llu: record cut short: Content-Length %llu, only %llu bytes of block before an error (%s)",
				       r->path, (unsigned long long)rec->offset,
				       (unsigned long long)rec->content_length,
				       (unsigned long long)got, r->dec_e.msg);
		return err_set(e, "%s:%llu: Content-Length %llu goes past the end of the file (only %llu bytes left)",
			       r->path, (unsigned long long)rec->offset,
			       (unsigned long long)rec->content_length,
			       (unsigned long long)got);
	}
	if (buf_add(&rec->block, dptr(r, hend), (size_t)rec->content_length) < 0)
		return err_set(e, "%s:%llu: out of memory for a %llu-byte block", r->path,
			       (unsigned long long)rec->offset,
			       (unsigned long long)rec->content_length);
	bend = hend + rec->content_length;
	next = read_trailer(r, rec, bend);
	/* Let the decoder reach the unit end, so we know where the record ends. */
	while (d_total(r) == next && r->in_unit && !r->dec_eof && !r->dec_err)
		if (fill(r) < 0)
			break;
	r->pos = next;
	if (r->comp == WARC_C_PLAIN) {
		ends_at_unit = 1;
		cend = next;
	} else if (r->comp == WARC_C_BZIP2 || r->comp == WARC_C_XZ) {
		ends_at_unit = 0;
	} else if (find_boundary(r, next, &cend)) {
		ends_at_unit = 1;
	} else if (!r->in_unit && d_total(r) == next) {
		ends_at_unit = 1;
		cend = in_tell(r);
	}
	if (!ends_at_unit && r->comp != WARC_C_PLAIN && d_total(r) == next &&
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
