/* reader-decode: the reader's input, decoded into a window of bytes.
 *
 * One step of decoding per compression (plain, gzip members, zstd frames,
 * bz2/xz through libarchive), the unit boundaries (decoded position, file
 * offset) that give records their offsets and lengths, and the zstd
 * dictionary frame at the start of a .warc.zst file.
 */
#define ZSTD_STATIC_LINKING_ONLY
#include "warc/reader-internal.h"

#include <archive.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>

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

int warc_rd_find_boundary(const struct warc_reader *r, uint64_t dpos,
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

/* The input is not a unit (gzip member, zstd frame) where one should
 * start: say how many bytes are left to the end of the file. */
static int trailing_garbage(struct warc_reader *r, const char *unit)
{
	char what[96];

	fseeko(r->f, 0, SEEK_END);
	snprintf(what, sizeof(what), "not a %s: %llu bytes of trailing garbage",
		 unit, (unsigned long long)(ftello(r->f) - warc_rd_in_tell(r)));
	return dec_fail(r, warc_rd_in_tell(r), "%s", what);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int d_room(struct warc_reader *r, size_t n)
{
	return buf_grow(&r->d, n);
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
		return dec_fail(r, warc_rd_in_tell(r), "%s", "out of memory");
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
		if (avail < 2 || r->in[r->in_pos] != 0x1f || r->in[r->in_pos + 1] != 0x8b)
			return trailing_garbage(r, "gzip member");
		if (add_boundary(r, warc_rd_total(r), warc_rd_in_tell(r)) < 0)
			return dec_fail(r, warc_rd_in_tell(r), "%s", "out of memory");
		if (inflateReset2(&r->z, 31) != Z_OK)
			return dec_fail(r, warc_rd_in_tell(r), "%s", "zlib reset failed");
		r->in_unit = 1;
	}
	avail = in_need(r, 1);
	if (d_room(r, OUT_STEP) < 0)
		return dec_fail(r, warc_rd_in_tell(r), "%s", "out of memory");
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
			return dec_fail(r, warc_rd_in_tell(r), "%s",
					"gzip member cut short (file ends inside it)");
		return 1;
	}
	if (rc != Z_OK)
		return dec_fail(r, warc_rd_in_tell(r), "bad gzip data: %s",
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
			return dec_fail(r, warc_rd_in_tell(r), "%s", "file ends inside a zstd frame header");
		magic = le32(r->in + r->in_pos);
		if ((magic & 0xFFFFFFF0u) != 0x184D2A50u)
			break;
		if (avail < 8)
			return dec_fail(r, warc_rd_in_tell(r), "%s", "file ends inside a skippable frame");
		len = le32(r->in + r->in_pos + 4);
		if (magic == WARC_ZSTD_DICT_MAGIC)
			buf_adds(&r->pending_problems,
				 "dictionary frame not at the start of the file\n");
		/* skip the extension frame */
		{
			uint64_t left = 8 + (uint64_t)len;

			while (left) {
				size_t a = in_need(r, 1), take;

				if (a == 0)
					return dec_fail(r, warc_rd_in_tell(r), "%s",
							"file ends inside a skippable frame");
				take = a < left ? a : (size_t)left;
				r->in_pos += take;
				left -= take;
			}
		}
	}
	if (magic != 0xFD2FB528u)
		return trailing_garbage(r, "zstd frame");
	avail = in_need(r, ZSTD_FRAMEHEADERSIZE_MAX);
	if (ZSTD_getFrameHeader(&fh, r->in + r->in_pos, avail) != 0)
		return dec_fail(r, warc_rd_in_tell(r), "%s", "bad zstd frame header");
	if (fh.dictID && fh.dictID != r->dict_id) {
		char what[96];

		snprintf(what, sizeof(what), "%u", fh.dictID);
		if (r->dict_id)
			return dec_fail(r, warc_rd_in_tell(r),
					"zstd frame needs dictionary ID %s, not the file's", what);
		return dec_fail(r, warc_rd_in_tell(r),
				"zstd frame needs dictionary ID %s, which is not in the file (no dictionary frame)",
				what);
	}
	if (fh.frameContentSize == ZSTD_CONTENTSIZE_UNKNOWN)
		buf_adds(&r->pending_notes, "zstd frame without content size\n");
	if (!fh.checksumFlag)
		buf_adds(&r->pending_notes, "zstd frame without checksum\n");
	if (add_boundary(r, warc_rd_total(r), warc_rd_in_tell(r)) < 0)
		return dec_fail(r, warc_rd_in_tell(r), "%s", "out of memory");
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
		return dec_fail(r, warc_rd_in_tell(r), "%s", "out of memory");
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
		return dec_fail(r, warc_rd_in_tell(r), "zstd: %s", ZSTD_getErrorName(ret));
	if (ret == 0) {
		r->in_unit = 0;
		return 1;
	}
	if (ob.pos == 0 && ib.pos == 0 && r->in_eof && r->in_pos == r->in_len)
		return dec_fail(r, warc_rd_in_tell(r), "%s",
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
		return dec_fail(r, warc_rd_total(r), "%s: decompression failed (offset is in the uncompressed data)",
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
int warc_rd_fill(struct warc_reader *r)
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
uint64_t warc_rd_avail_at(struct warc_reader *r, uint64_t p, uint64_t n)
{
	while (warc_rd_total(r) < p + n) {
		if (warc_rd_fill(r) <= 0)
			break;
	}
	return warc_rd_total(r) > p ? warc_rd_total(r) - p : 0;
}

/* Drop decoded bytes before p (the next record's start). */
void warc_rd_compact(struct warc_reader *r, uint64_t p)
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

/* ---- the dictionary frame ---------------------------------------------- */

int warc_rd_load_dict(struct warc_reader *r, struct err *e)
{
	unsigned char hdr[8];
	uint32_t len;
	struct buf raw = BUF_INIT(DICT_MAX + 16);
	int rc = -1;

	if (fread(hdr, 1, 8, r->f) != 8)
		return err_set(e, "%s:0: file ends inside the dictionary frame", r->path);
	len = le32(hdr + 4);
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
