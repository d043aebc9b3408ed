/* warc-internal: helpers shared by the files of src/warc only. */
#ifndef GOVARCH_WARC_INTERNAL_H
#define GOVARCH_WARC_INTERNAL_H

#include "warc/warc.h"

#define WARC_ZSTD_DICT_MAGIC 0x184D2A5Du
#define WARC_MAX_HEADER (1u << 20)     /* a WARC header block larger is an error */

/* Append a field as stored (no sanitising): the reader keeps what it read. */
int warc_fields_add_raw(struct warc_fields *f, const char *name, size_t nlen,
			const char *value, size_t vlen);
/* sha1 over up to three pieces, as "sha1:BASE32". */
void warc_sha1_pieces(const void *a, size_t an, const void *b, size_t bn,
		      char out[40]);


/* A file being written: format, compressor state, position. */
struct warc_sink {
	FILE *f;
	char *path;
	enum warc_format fmt;
	int level;
	void *cctx;                 /* ZSTD_CCtx */
	void *cdict;                /* ZSTD_CDict, or NULL */
	uint64_t pos;               /* bytes written so far */
};

/* One piece of a record's bytes: p[0..n), or fd_len bytes pread from fd at
 * offset 0 when fd_len > 0. */
struct warc_piece {
	const void *p;
	size_t n;
	int fd;
	uint64_t fd_len;
};

/* Create path (O_EXCL) for writing in fmt; for zst with a dictionary, write
 * the dictionary frame first: frame, when the caller has it
 * (warc_zstd_dict_frame of dict), else made here. */
int warc_sink_open(struct warc_sink *s, const char *path, enum warc_format fmt,
		   int level, const void *dict, size_t dict_len,
		   const struct buf *frame, struct err *e);
/* Write one record made of pieces as one gzip member / zstd frame / plain
 * bytes; *off and *len get its place.  On failure the file is cut back. */
int warc_sink_record(struct warc_sink *s, const struct warc_piece *pc,
		     size_t npc, uint64_t *off, uint64_t *len, struct err *e);
int warc_sink_flush(struct warc_sink *s, int sync, struct err *e);
/* Close (fclose); 0 or -1.  Frees the state either way. */
int warc_sink_close(struct warc_sink *s, struct err *e);

/* Records of files in[0..nin) as training samples: the first 16 MiB of
 * them (at most 256 KiB of a record, header and block), and the size of all
 * records as they will be written (raw_total, sampled or not). */
struct warc_samples {
	struct buf all;             /* the samples, one after the other */
	size_t *sizes;
	const void **ptrs;          /* into all */
	size_t n;
	uint64_t raw_total;
};
int warc_samples_collect(const char *const *in, size_t nin,
			 struct warc_samples *s);
void warc_samples_release(struct warc_samples *s);
/* A quarter of the samples, 16 KiB to 1 MiB. */
size_t warc_samples_dict_cap(const struct warc_samples *s);

/* A zstd dictionary trained on the records of files in[0..nin) (the first
 * 16 MiB of them, as they will be written): 0, or -1 when there is too
 * little to train on (write without one then).  recompress and repack. */
int warc_train_files(const char *const *in, size_t nin, struct buf *dict);

#endif
