/* warc sink: one output file, one gzip member / zstd frame per record; and
 * zstd dictionaries (training, the dictionary frame, saving, loading). */
#include "warc/warc-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#define ZDICT_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>

#include "util/fdio.h"

#define CHUNK (256u * 1024)

int warc_zstd_dict_frame(const void *dict, size_t len, int level,
			 struct buf *out)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t bound = ZSTD_compressBound(len), n;
	unsigned char hdr[8];
	int rc = -1;

	if (!c || buf_grow(out, 8 + bound) < 0)
		goto out;
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 1);
	n = ZSTD_compress2(c, out->data + out->len + 8, bound, dict, len);
	if (ZSTD_isError(n))
		goto out;
	hdr[0] = 0x5D; hdr[1] = 0x2A; hdr[2] = 0x4D; hdr[3] = 0x18;
	hdr[4] = (unsigned char)n; hdr[5] = (unsigned char)(n >> 8);
	hdr[6] = (unsigned char)(n >> 16); hdr[7] = (unsigned char)(n >> 24);
	memcpy(out->data + out->len, hdr, 8);
	out->len += 8 + n;
	out->data[out->len] = '\0';
	rc = 0;
out:
	ZSTD_freeCCtx(c);
	return rc;
}

int warc_sink_open(struct warc_sink *s, const char *path, enum warc_format fmt,
		   int level, const void *dict, size_t dict_len,
		   const struct buf *frame, struct err *e)
{
	int fd;

	memset(s, 0, sizeof(*s));
	s->fmt = fmt;
	s->level = level ? level : 9;
	s->path = strdup(path);
	if (!s->path)
		return err_set(e, "%s: out of memory", path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	s->f = fdopen(fd, "wb");
	if (!s->f) {
		close(fd);
		err_set(e, "%s: %s", path, strerror(errno));
		goto fail;
	}
	setvbuf(s->f, NULL, _IOFBF, 1 << 20);
	if (fmt != WARC_FMT_ZST)
		return 0;
	s->cctx = ZSTD_createCCtx();
	if (!s->cctx) {
		err_set(e, "%s: out of memory", path);
		goto fail;
	}
	ZSTD_CCtx_setParameter(s->cctx, ZSTD_c_compressionLevel, s->level);
	ZSTD_CCtx_setParameter(s->cctx, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(s->cctx, ZSTD_c_contentSizeFlag, 1);
	ZSTD_CCtx_setParameter(s->cctx, ZSTD_c_dictIDFlag, 1);
	if (dict && dict_len) {
		struct buf fr = BUF_INIT(0);

		s->cdict = ZSTD_createCDict(dict, dict_len, s->level);
		if (!frame && warc_zstd_dict_frame(dict, dict_len,
						   WARC_DICT_FRAME_LEVEL, &fr) == 0)
			frame = &fr;
		if (!s->cdict || !frame ||
		    fwrite(frame->data, 1, frame->len, s->f) != frame->len) {
			buf_release(&fr);
			err_set(e, "%s: can't write the dictionary frame", path);
			goto fail;
		}
		s->pos = frame->len;
		buf_release(&fr);
	}
	return 0;
fail:
	if (s->f) {
		fclose(s->f);
		unlink(path);
	}
	ZSTD_freeCDict(s->cdict);
	ZSTD_freeCCtx(s->cctx);
	free(s->path);
	memset(s, 0, sizeof(*s));
	return -1;
}

/* Feed callback state: compresses or copies into the file. */
struct feeder {
	struct warc_sink *s;
	z_stream z;
	unsigned char *out;
};

static int emit(struct warc_sink *s, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, s->f) != n)
		return -1;
	s->pos += n;
	return 0;
}

static int feed(struct feeder *fd, const void *p, size_t n, int last)
{
	struct warc_sink *s = fd->s;

	if (s->fmt == WARC_FMT_PLAIN)
		return emit(s, p, n);
	if (s->fmt == WARC_FMT_GZ) {
		int rc;

		fd->z.next_in = (unsigned char *)p;
		fd->z.avail_in = (uInt)n;
		do {
			fd->z.next_out = fd->out;
			fd->z.avail_out = CHUNK;
			rc = deflate(&fd->z, last ? Z_FINISH : Z_NO_FLUSH);
			if (rc == Z_STREAM_ERROR)
				return -1;
			if (emit(s, fd->out, CHUNK - fd->z.avail_out) < 0)
				return -1;
		} while (fd->z.avail_out == 0 || (last && rc != Z_STREAM_END));
		return 0;
	} else {
		ZSTD_inBuffer ib = { p, n, 0 };
		size_t rem;

		do {
			ZSTD_outBuffer ob = { fd->out, CHUNK, 0 };

			rem = ZSTD_compressStream2(s->cctx, &ob, &ib,
						   last ? ZSTD_e_end : ZSTD_e_continue);
			if (ZSTD_isError(rem))
				return -1;
			if (emit(s, fd->out, ob.pos) < 0)
				return -1;
		} while (last ? rem != 0 : ib.pos < ib.size);
		return 0;
	}
}

int warc_sink_record(struct warc_sink *s, const struct warc_piece *pc,
		     size_t npc, uint64_t *off, uint64_t *len, struct err *e)
{
	struct feeder fd;
	uint64_t total = 0, start = s->pos;
	unsigned char *tmp = NULL;
	size_t i;
	int rc = -1;

	memset(&fd, 0, sizeof(fd));
	fd.s = s;
	for (i = 0; i < npc; i++)
		total += pc[i].fd_len ? pc[i].fd_len : pc[i].n;
	if (s->fmt != WARC_FMT_PLAIN && !(fd.out = malloc(CHUNK))) {
		err_set(e, "%s: out of memory", s->path);
		goto out;
	}
	if (s->fmt == WARC_FMT_GZ &&
	    deflateInit2(&fd.z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		err_set(e, "%s: zlib init failed", s->path);
		goto out;
	}
	if (s->fmt == WARC_FMT_ZST) {
		ZSTD_CCtx_reset(s->cctx, ZSTD_reset_session_only);
		ZSTD_CCtx_refCDict(s->cctx, s->cdict);
		ZSTD_CCtx_setPledgedSrcSize(s->cctx, total);
	}
	for (i = 0; i < npc; i++) {
		if (pc[i].fd_len) {
			uint64_t at = 0;

			if (!tmp && !(tmp = malloc(CHUNK))) {
				err_set(e, "%s: out of memory", s->path);
				goto out;
			}
			while (at < pc[i].fd_len) {
				size_t want = pc[i].fd_len - at < CHUNK ?
					      (size_t)(pc[i].fd_len - at) : CHUNK;
				ssize_t got = pread(pc[i].fd, tmp, want, (off_t)at);

				if (got <= 0) {
					err_set(e, "%s: reading the spooled body: %s", s->path,
						got < 0 ? strerror(errno) : "file shorter than said");
					goto out;
				}
				if (feed(&fd, tmp, (size_t)got, 0) < 0)
					goto werr;
				at += (uint64_t)got;
			}
		} else if (feed(&fd, pc[i].p, pc[i].n, 0) < 0) {
			goto werr;
		}
	}
	if (feed(&fd, NULL, 0, 1) < 0)
		goto werr;
	*off = start;
	*len = s->pos - start;
	rc = 0;
	goto out;
werr:
	err_set(e, "%s: write failed: %s", s->path, strerror(errno));
out:
	if (rc < 0 && s->f) {
		/* cut the partial record off so the file stays whole */
		fflush(s->f);
		if (ftruncate(fileno(s->f), (off_t)start) == 0)
			fseeko(s->f, (off_t)start, SEEK_SET);
		s->pos = start;
	}
	if (s->fmt == WARC_FMT_GZ)
		deflateEnd(&fd.z);
	free(fd.out);
	free(tmp);
	return rc;
}

int warc_sink_flush(struct warc_sink *s, int sync, struct err *e)
{
	if (fflush(s->f) != 0)
		return err_set(e, "%s: %s", s->path, strerror(errno));
	if (sync && fdatasync(fileno(s->f)) != 0)
		return err_set(e, "%s: fdatasync: %s", s->path, strerror(errno));
	return 0;
}

int warc_sink_close(struct warc_sink *s, struct err *e)
{
	int rc = 0;

	if (s->f && fclose(s->f) != 0)
		rc = err_set(e, "%s: %s", s->path, strerror(errno));
	ZSTD_freeCDict(s->cdict);
	ZSTD_freeCCtx(s->cctx);
	free(s->path);
	memset(s, 0, sizeof(*s));
	return rc;
}

/* ---- dictionaries ------------------------------------------------------- */

/* Total size of a spread of samples compressed with dict (fast level). */
static size_t dict_score(const void *const *samples, const size_t *sizes,
			 size_t n, const void *dict, size_t dlen)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_CDict *cd = ZSTD_createCDict(dict, dlen, 3);
	size_t i, step = n > 48 ? n / 48 : 1, total = 0;
	struct buf out = BUF_INIT(0);

	if (!c || !cd) {
		total = (size_t)-1;
		goto out;
	}
	for (i = 0; i < n; i += step) {
		size_t bound = ZSTD_compressBound(sizes[i]), got;

		buf_reset(&out);
		if (buf_grow(&out, bound) < 0) {
			total = (size_t)-1;
			goto out;
		}
		got = ZSTD_compress_usingCDict(c, out.data, bound, samples[i], sizes[i], cd);
		total += ZSTD_isError(got) ? sizes[i] : got;
	}
out:
	buf_release(&out);
	ZSTD_freeCDict(cd);
	ZSTD_freeCCtx(c);
	return total;
}

/* A dictionary whose content is the latest records themselves: a site's
 * pages share long runs (menus of tens of kB) that segment-based training
 * keeps only in pieces; records verbatim keep them whole. */
static size_t dict_from_records(const void *const *samples, const size_t *sizes,
				size_t n, const void *all, size_t all_len,
				size_t cap, void *out)
{
	struct buf content = BUF_INIT(0);
	ZDICT_params_t zp;
	size_t i = n, want = cap - cap / 8, got, take = 0;

	/* newest last: they are closest to the data to compress */
	while (i > 0 && take + sizes[i - 1] <= want)
		take += sizes[--i];
	for (; i < n; i++)
		buf_add(&content, samples[i], sizes[i]);
	if (!content.len) {
		buf_release(&content);
		return (size_t)-1;
	}
	memset(&zp, 0, sizeof(zp));
	zp.compressionLevel = 9;
	got = ZDICT_finalizeDictionary(out, cap, content.data, content.len, all,
				       sizes, (unsigned)n, zp);
	buf_release(&content);
	return got;
}

int warc_dict_train(const void *const *samples, const size_t *sizes,
		    size_t n, size_t dict_cap, struct buf *dict, struct err *e)
{
	struct buf all = BUF_INIT(0), alt = BUF_INIT(0);
	size_t i, got, got2;
	int rc = -1;

	if (!dict_cap)
		dict_cap = 112640;
	if (n < 8)
		return err_set(e, "too few samples (%zu) to train a dictionary", n);
	for (i = 0; i < n; i++)
		if (buf_add(&all, samples[i], sizes[i]) < 0) {
			err_set(e, "out of memory");
			goto out;
		}
	buf_reset(dict);
	if (buf_grow(dict, dict_cap) < 0 || buf_grow(&alt, dict_cap) < 0) {
		err_set(e, "out of memory");
		goto out;
	}
	got = ZDICT_trainFromBuffer(dict->data, dict_cap, all.data, sizes,
				    (unsigned)n);
	got2 = dict_from_records(samples, sizes, n, all.data, all.len, dict_cap,
				 alt.data);
	if (ZDICT_isError(got) && ZDICT_isError(got2)) {
		err_set(e, "dictionary training failed: %s", ZDICT_getErrorName(got));
		goto out;
	}
	/* keep whichever compresses the site's own records better */
	if (ZDICT_isError(got) ||
	    (!ZDICT_isError(got2) &&
	     dict_score(samples, sizes, n, alt.data, got2) <
	     dict_score(samples, sizes, n, dict->data, got))) {
		buf_reset(dict);
		buf_add(dict, alt.data, got2);
	} else {
		dict->len = got;
		dict->data[got] = '\0';
	}
	rc = 0;
out:
	buf_release(&all);
	buf_release(&alt);
	return rc;
}

unsigned warc_dict_id(const void *dict, size_t len)
{
	return ZDICT_getDictID(dict, len);
}

/* Kept dictionaries are zstd-compressed (NAME.zdict.zst): a site
 * dictionary is mostly the site's own HTML, ~15x smaller compressed, and
 * is read once per crawl.  The file is the zstd frame a WARC file's
 * dictionary frame holds, so a writer compresses it once for both. */
#define DICT_MAX (8u << 20)

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

int warc_dict_save(const char *path, const struct buf *frame,
		   struct err *e)
{
	if (frame->len <= 8)
		return err_set(e, "%s: no dictionary frame", path);
	return fd_replace_file(path, frame->data + 8, frame->len - 8, 0, e);
}

/* A .zdict.zst file's bytes in raw: decompress them in place. */
static int dict_unpack(struct buf *raw, const char *path, struct err *e)
{
	unsigned long long size = ZSTD_getFrameContentSize(raw->data, raw->len);
	struct buf out = BUF_INIT(0);
	size_t r;

	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
	    size > DICT_MAX)
		return err_set(e, "%s: not a compressed dictionary", path);
	if (buf_grow(&out, (size_t)size) < 0)
		return err_set(e, "%s: out of memory", path);
	r = ZSTD_decompress(out.data, (size_t)size, raw->data, raw->len);
	if (ZSTD_isError(r) || r != size) {
		buf_release(&out);
		return err_set(e, "%s: does not decompress", path);
	}
	out.len = r;
	out.data[r] = '\0';
	buf_release(raw);
	*raw = out;
	return 0;
}

int warc_dict_load_latest(const char *dir, struct buf *dict, char *found_path,
			  struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char best[1024] = "";
	struct buf path = BUF_INIT(0);
	FILE *f = NULL;
	int rc = -1;

	if (!d)
		return errno == ENOENT ? 0 : err_set(e, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if ((has_suffix(de->d_name, ".zdict") ||
		     has_suffix(de->d_name, ".zdict.zst")) &&
		    n < sizeof(best) && strcmp(de->d_name, best) > 0)
			strcpy(best, de->d_name);
	}
	closedir(d);
	if (!*best)
		return 0;
	buf_addf(&path, "%s/%s", dir, best);
	f = fopen(path.data, "rb");
	if (!f) {
		err_set(e, "%s: %s", path.data, strerror(errno));
		goto out;
	}
	buf_reset(dict);
	for (;;) {
		char tmp[65536];
		size_t got = fread(tmp, 1, sizeof(tmp), f);

		if (got == 0)
			break;
		if (buf_add(dict, tmp, got) < 0 || dict->len > DICT_MAX) {
			err_set(e, "%s: dictionary too large", path.data);
			goto out;
		}
	}
	if (has_suffix(best, ".zst") && dict_unpack(dict, path.data, e) < 0)
		goto out;
	if (!ZDICT_getDictID(dict->data, dict->len)) {
		err_set(e, "%s: not a zstd dictionary", path.data);
		goto out;
	}
	if (found_path)
		snprintf(found_path, 4096, "%s", path.data);
	rc = 1;
out:
	if (f)
		fclose(f);
	buf_release(&path);
	return rc;
}
