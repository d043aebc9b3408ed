/* reader-internal: the reader's state, shared by reader.c, reader-decode.c
 * and reader-record.c only. */
#ifndef GOVARCH_WARC_READER_INTERNAL_H
#define GOVARCH_WARC_READER_INTERNAL_H

#include <stdio.h>
#include <zlib.h>
#include <zstd.h>

#include "warc/warc-internal.h"

#define IN_SIZE (128u * 1024)           /* compressed input window */
#define OUT_STEP (128u * 1024)          /* decoded bytes per step */
#define DICT_MAX (8u << 20)             /* zstd dictionary */
#define RESYNC_MAX ((uint64_t)64 << 20) /* garbage searched for "WARC/" */

struct archive;

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
	uint64_t block_keep;        /* 0: the whole block in rec->block */
	int (*sink)(void *ctx, const void *p, size_t n);
	void *sink_ctx;

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
	uint64_t resync_next;       /* warc_reader_resync searches from here on */
	struct buf file_notes;
	struct buf pending_notes, pending_problems;
	int noted_inside;
};

/* ---- reader-decode.c ---- */

/* File offset of the next compressed byte. */
static inline uint64_t warc_rd_in_tell(const struct warc_reader *r)
{
	return r->in_off + r->in_pos;
}

/* Decoded position just past the window. */
static inline uint64_t warc_rd_total(const struct warc_reader *r)
{
	return r->d_base + r->d.len;
}

/* The window's bytes at decoded position p (p inside the window). */
static inline const char *warc_rd_ptr(const struct warc_reader *r, uint64_t p)
{
	return r->d.data + (p - r->d_base);
}

/* Decode more: 1 some bytes (maybe none, e.g. a unit end), 0 end, -1 error
 * (r->dec_e says what). */
int warc_rd_fill(struct warc_reader *r);
/* Bytes available from decoded position p, decoding until n are (or the
 * input ends / fails). */
uint64_t warc_rd_avail_at(struct warc_reader *r, uint64_t p, uint64_t n);
/* Drop decoded bytes and boundaries before p (the next record's start). */
void warc_rd_compact(struct warc_reader *r, uint64_t p);
/* 1 and *cpos when decoded position dpos starts a unit (always, for plain
 * files), else 0. */
int warc_rd_find_boundary(const struct warc_reader *r, uint64_t dpos,
			  uint64_t *cpos);
/* Read the zstd dictionary frame at the file's start into r->dict/ddict. */
int warc_rd_load_dict(struct warc_reader *r, struct err *e);

/* ---- reader-record.c ---- */

/* Read the header at decoded position start into rec; *hend gets the
 * position after its blank line.  0, or -1 with e set. */
int warc_rd_parse_header(struct warc_reader *r, struct warc_record *rec,
			 uint64_t start, uint64_t *hend, struct err *e);
/* A Content-Length value (digits, trailing spaces): 0, or -1. */
int warc_rd_parse_length(const char *s, uint64_t *out);
/* rec's type, id, date, content type and target URI from its fields. */
void warc_rd_set_shortcuts(struct warc_record *rec);
/* After the block at p: the CRLF CRLF terminator, then anything up to the
 * next record (noted in rec->problems).  The next record's position. */
uint64_t warc_rd_read_trailer(struct warc_reader *r, struct warc_record *rec,
			      uint64_t p);

#endif
