/* warc: reading, writing, verifying and converting WARC files.
 *
 * Formats: .warc, .warc.gz (one gzip member per record; whole-file single
 * gzip streams are read sequentially), .warc.zst (IIPC warc-zstd: one frame
 * per record, optional dictionary in a leading 0x184D2A5D skippable frame),
 * and, for reading only, .warc.bz2 / .warc.xz through libarchive.  The
 * compression is detected from the magic bytes, never from the file name.
 *
 * Library code: nothing here prints or exits.  Functions return a negative
 * value and fill a struct err with one line naming the file and offset.
 *
 * DICTIONARY CHOICE (.warc.zst):
 *   A crawl reuses the newest dictionary kept under ARCHIVE/dict/ (files
 *   PREFIX-TIMESTAMP.zdict.zst, zstd dictionaries compressed with zstd,
 *   or .zdict, raw, as older archives have them; warc_dict_load_latest ->
 *   opts.dict).  When there is none (the first crawl of a site) the writer
 *   starts without one; with opts.train_bytes > 0 it keeps the first
 *   train_bytes of records, trains a dictionary from them (warc_dict_train),
 *   saves it to opts.dict_dir and rotates to a new file that carries it.  So
 *   only the first ~train_bytes (1-2 MB is plenty) of a site's first crawl
 *   are written without a dictionary.  The crawler may instead call
 *   warc_dict_train + warc_writer_set_dict itself, e.g. between two fetches
 *   so the records of one fetch stay in one file.  Every file that uses a
 *   dictionary carries it, zstd-compressed, in its first (skippable
 *   0x184D2A5D) frame, so each file stands alone; `zstd -d -D DICT` decodes
 *   it given that dictionary.
 *   warc_dict_train builds two candidates, ZDICT_trainFromBuffer and a
 *   dictionary whose content is the newest sample records verbatim
 *   (ZDICT_finalizeDictionary), and keeps the one that compresses the
 *   samples better: a site's pages share long runs (a menu of tens of kB)
 *   that segment training keeps only in pieces.
 *
 * Offsets and lengths: a record's offset is where its gzip member / zstd
 * frame starts in the file, its length the compressed size.  When records
 * are not one per member/frame (whole-file gzip streams, bz2, xz), a
 * record inside gets its position in the uncompressed data and length 0;
 * such files are read in order only (warc_reader_seekable() == 0).
 */
#ifndef GOVARCH_WARC_H
#define GOVARCH_WARC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"

/* ---- record types, compression ---------------------------------------- */

enum warc_type {
	WARC_T_UNKNOWN = 0,     /* a type we do not know: kept, name in fields */
	WARC_T_WARCINFO,
	WARC_T_RESPONSE,
	WARC_T_RESOURCE,
	WARC_T_REQUEST,
	WARC_T_METADATA,
	WARC_T_REVISIT,
	WARC_T_CONVERSION,
	WARC_T_CONTINUATION,
};

/* "warcinfo", "response", ...; "unknown" for WARC_T_UNKNOWN. */
const char *warc_type_name(enum warc_type t);
/* Case-insensitive; WARC_T_UNKNOWN for anything else (or NULL). */
enum warc_type warc_type_parse(const char *s);

enum warc_compression {
	WARC_C_PLAIN = 0,
	WARC_C_GZIP,
	WARC_C_ZSTD,
	WARC_C_BZIP2,
	WARC_C_XZ,
};
const char *warc_compression_name(enum warc_compression c); /* "plain", "gzip", ... */

/* Output formats of the writer (a subset of the compressions). */
enum warc_format { WARC_FMT_ZST = 0, WARC_FMT_GZ, WARC_FMT_PLAIN };
/* ".warc.zst", ".warc.gz", ".warc" */
const char *warc_format_ext(enum warc_format f);
/* By a file name's ending (.warc.zst/.zst, .warc.gz/.gz, .warc): 0, or -1. */
int warc_format_from_name(const char *name, enum warc_format *f);

/* Revisit profiles (1.1 URIs, written by us). */
#define WARC_PROFILE_IDENTICAL \
	"http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
#define WARC_PROFILE_NOT_MODIFIED \
	"http://netpreserve.org/warc/1.1/revisit/server-not-modified"
/* 1 if uri names the identical-payload-digest profile in any version
 * (0.18, 1.0, 1.1, uri-agnostic-...), 2 for server-not-modified, else 0. */
int warc_profile_kind(const char *uri);

/* ---- header fields ------------------------------------------------------ */

struct warc_field {
	char *name;
	char *value;
};

/* An ordered list of "Name: value" fields.  Names compare case-insensitively;
 * repeats are kept in order (WARC-Concurrent-To, unknown repeated fields). */
struct warc_fields {
	struct warc_field *v;
	size_t n, alloc;
};

void warc_fields_init(struct warc_fields *f);
void warc_fields_release(struct warc_fields *f);
/* First value of name (case-insensitive), or NULL. */
const char *warc_fields_get(const struct warc_fields *f, const char *name);
/* The nth (0-based) value of name, or NULL: for repeated fields. */
const char *warc_fields_get_nth(const struct warc_fields *f, const char *name,
				size_t nth);
/* Append.  The value is sanitised: CR, LF and other control characters
 * (except TAB) become spaces, leading/trailing blanks trimmed, so a value can
 * never start a new header line.  The name must be a token (no ':', blanks or
 * controls): -1 otherwise, or on allocation failure. */
int warc_fields_add(struct warc_fields *f, const char *name, const char *value);
/* Replace the first field of that name (removing later repeats) or append. */
int warc_fields_set(struct warc_fields *f, const char *name, const char *value);
/* Remove every field of that name; returns how many were removed. */
size_t warc_fields_remove(struct warc_fields *f, const char *name);
/* Append the fields as "Name: value\r\n" lines to out. */
int warc_fields_format(const struct warc_fields *f, struct buf *out);
/* Sanitise a value into out (what warc_fields_add stores). */
int warc_value_sanitise(const char *value, struct buf *out);

/* ---- writer ------------------------------------------------------------- */

struct warc_writer_opts {
	const char *dir;            /* directory for the files (must exist) */
	const char *prefix;         /* file name prefix; NULL = "govarch" */
	enum warc_format format;    /* default WARC_FMT_ZST */
	uint64_t rotate_size;       /* bytes per file before rotating; 0 = 1 GiB */
	int zstd_level;             /* 0 = default (9); recompress uses 19 */
	const void *dict;           /* raw zstd dictionary (ZDICT format) or NULL */
	size_t dict_len;
	/* Body of the warcinfo record opening every file (application/
	 * warc-fields text: "software: ...\r\nformat: ...\r\n").  NULL = a
	 * minimal one naming govarch and the WARC format. */
	const char *warcinfo;
	int sync;                   /* fdatasync after every record */
	/* Automatic first dictionary (see DICTIONARY CHOICE above): with no
	 * dictionary and format zst, collect the first train_bytes of records
	 * (0 = never), then train, save as dict_dir/PREFIX-TS.zdict.zst (when
	 * dict_dir is set) and rotate to a file using it.  The dictionary is
	 * up to a quarter of train_bytes (112640 bytes to 1 MiB). */
	size_t train_bytes;
	const char *dict_dir;
};

/* One record to write.  Zero-initialise, then fill what applies. */
struct warc_record_in {
	enum warc_type type;
	const char *type_name;      /* only for WARC_T_UNKNOWN */
	const char *target_uri;     /* bare URI (any <> are stripped) */
	const char *date;           /* WARC-Date; NULL = now.  Share it between
	                             * the records of one fetch. */
	const char *content_type;   /* NULL: "application/http;msgtype=response"
	                             * for response/revisit with a block,
	                             * "...msgtype=request" for request,
	                             * "application/warc-fields" for warcinfo and
	                             * metadata, none for other empty blocks */
	const char *record_id;      /* NULL = a new random one (usual) */
	const char *concurrent_to;  /* a record id, or NULL */
	const char *ip_address;
	const char *refers_to;      /* revisit: the original's record id */
	const char *refers_to_target_uri;
	const char *refers_to_date;
	const char *profile;        /* revisit: WARC_PROFILE_* */
	const char *truncated;      /* WARC-Truncated reason ("length"), or NULL */
	const char *payload_digest; /* given: written as is, not computed */
	const struct warc_fields *extra; /* more fields, appended in order */
	/* The block, in up to three consecutive pieces (any may be empty):
	 * head bytes, body bytes, then body_fd_len bytes read with pread from
	 * body_fd starting at offset 0 (a spool file; used when body_fd_len > 0),
	 * so a large body is never copied into memory whole. */
	const void *head;
	size_t head_len;
	const void *body;
	size_t body_len;
	int body_fd;
	uint64_t body_fd_len;
};

/* What a write produced: all CDXJ needs. */
struct warc_record_out {
	char id[64];                /* WARC-Record-ID, with <> */
	char date[40];              /* WARC-Date written */
	char filename[256];         /* final base name (without .open) */
	uint64_t offset;            /* of the record (its frame/member) in the file */
	uint64_t length;            /* compressed length of the record */
	char block_digest[80];      /* "sha1:BASE32" */
	char payload_digest[80];    /* "sha1:BASE32", or "" when none */
};

struct warc_writer;

/* Create the first file DIR/PREFIX-YYYYMMDDhhmmss-NNNNN.EXT.open and write
 * its dictionary frame (zst with a dictionary) and warcinfo record. */
struct warc_writer *warc_writer_open(const struct warc_writer_opts *o,
				     struct err *e);
/* Write one record.  Computes WARC-Block-Digest; for request/response/
 * revisit blocks of Content-Type application/http computes
 * WARC-Payload-Digest over the entity body (chunked transfer coding removed
 * when the headers say chunked and the body really is chunked) unless
 * in->payload_digest is given.  Flushes (and with opts.sync fdatasyncs)
 * after the record, rotates first if the file is over the size limit.
 * Returns 0 and fills out (may be NULL), or -1. */
int warc_writer_write(struct warc_writer *w, const struct warc_record_in *in,
		      struct warc_record_out *out, struct err *e);
/* Close the current file (rename NAME.open to NAME) and start the next. */
int warc_writer_rotate(struct warc_writer *w, struct err *e);
/* Use this dictionary from now on: rotates to a new file carrying it (unless
 * the current file holds only its warcinfo, which is then rewritten). */
int warc_writer_set_dict(struct warc_writer *w, const void *dict, size_t len,
			 struct err *e);
/* Save the dictionary set_dict gave as path (a .zdict.zst), from the
 * frame its files carry (compressed once for both). */
int warc_writer_save_dict(struct warc_writer *w, const char *path,
			  struct err *e);
/* Current file's path (with .open). */
const char *warc_writer_path(const struct warc_writer *w);
/* Close the last file (rename), free everything.  NULL is a no-op (returns 0). */
int warc_writer_close(struct warc_writer *w, struct err *e);
/* Free without renaming the .open file (after an error; like a crash). */
void warc_writer_abort(struct warc_writer *w);

/* ---- dictionaries ------------------------------------------------------- */

/* Train a raw zstd dictionary (at most dict_cap bytes, 0 = 112640) from
 * samples; the dictionary ID is random.  -1 when zstd refuses (too few or too
 * small samples): write without a dictionary then. */
int warc_dict_train(const void *const *samples, const size_t *sizes,
		    size_t n, size_t dict_cap, struct buf *dict, struct err *e);
/* The dictionary ID of a raw dictionary (0 when not a zstd dictionary). */
unsigned warc_dict_id(const void *dict, size_t len);
/* Write a dictionary to path (a .zdict.zst) atomically (path.tmp,
 * rename) from its frame (warc_zstd_dict_frame): the file is the zstd
 * frame the frame holds. */
int warc_dict_save(const char *path, const struct buf *frame,
		   struct err *e);
/* Load the newest (by name, which carries a timestamp) DIR/ *.zdict or
 * *.zdict.zst (decompressed) into dict.  Returns 1 loaded (path in found_path if not NULL, 4096 bytes),
 * 0 none there, -1 error. */
int warc_dict_load_latest(const char *dir, struct buf *dict, char *found_path,
			  struct err *e);

/* ---- reader ------------------------------------------------------------- */

/* A record as read.  problems: framing problems the reader found that did
 * not stop it, one "what\n" line each without the offset (verify prints
 * them). */
struct warc_record {
	uint64_t offset;            /* of the record (member/frame) in the file */
	uint64_t length;            /* compressed length; 0 when unknown (whole
	                             * file gzip/bz2/xz streams) */
	char version[16];           /* "1.0", "1.1", "0.18" */
	struct warc_fields fields;
	enum warc_type type;
	const char *type_name;      /* WARC-Type as written, or "" */
	const char *record_id;      /* or NULL (pointers into fields) */
	const char *date;
	const char *content_type;
	char *target_uri;           /* WARC-Target-URI without <>, or NULL */
	uint64_t content_length;
	struct buf block;           /* the block bytes (content_length of them,
	                             * or the first block_keep: block_cut) */
	int block_cut;              /* block holds only the block's start */
	struct buf header_raw;      /* the header as stored (version line to
	                             * the blank line included) */
	struct buf problems;        /* "what\n" lines: framing problems */
	struct buf notes;           /* "what\n" lines: things worth knowing */
};

struct warc_reader;

/* Open a WARC file in any supported compression (by magic bytes).  For zstd
 * files, a leading dictionary frame is loaded. */
struct warc_reader *warc_reader_open(const char *path, struct err *e);
/* Largest block accepted (default 1 GiB); a larger record is an error. */
void warc_reader_set_max_block(struct warc_reader *r, uint64_t max);
/* Keep at most keep bytes of each block in rec->block (rec->block_cut set
 * when there were more): the rest is decoded through a bounded window and
 * passed to the sink, if any, so a record of any size is read in bounded
 * memory (max_block then no longer applies).  0 = whole blocks (default). */
void warc_reader_set_block_keep(struct warc_reader *r, uint64_t keep);
/* Every block byte, in order, kept or not, in pieces: fn returns 0, or -1
 * to stop (warc_reader_next then fails with "PATH:OFFSET: output failed").
 * NULL: none. */
void warc_reader_set_block_sink(struct warc_reader *r,
				int (*fn)(void *ctx, const void *p, size_t n),
				void *ctx);
/* Read the next record: 1 and *rec set (owned by the reader, valid until the
 * next call), 0 at the end, -1 on an error (message "PATH:OFFSET: what").
 * After -1 the reader can't go on sequentially (seek elsewhere to retry). */
int warc_reader_next(struct warc_reader *r, struct warc_record **rec,
		     struct err *e);
/* After warc_reader_next returned -1: look for the next record after the
 * damage (every record is its own gzip member / zstd frame, or starts a
 * "WARC/" line in a plain file), trying each candidate at most
 * WARC_RESYNC_TRIES times.  1 and *at = its offset (the next
 * warc_reader_next reads it), 0 when no readable record follows, -1 when
 * the file can't be searched (not seekable, I/O error; e set). */
#define WARC_RESYNC_TRIES 100000
int warc_reader_resync(struct warc_reader *r, uint64_t *at, struct err *e);
/* Position at a record's offset (as given by ls/next/the writer).  Only for
 * seekable inputs (plain, per-record gzip, zstd): -1 otherwise. */
int warc_reader_seek(struct warc_reader *r, uint64_t offset, struct err *e);
enum warc_compression warc_reader_compression(const struct warc_reader *r);
/* 1 when records can be addressed by offset; 0 for whole-file gzip streams
 * (detected after the first record), bz2 and xz. */
int warc_reader_seekable(const struct warc_reader *r);
/* zstd: the ID of the file's dictionary (0 none). */
unsigned warc_reader_dict_id(const struct warc_reader *r);
/* Byte offset just after the last whole record read (for mending). */
uint64_t warc_reader_good_end(const struct warc_reader *r);
/* Notes about the file as a whole (e.g. "single gzip stream: records can't
 * be read by offset"), "what\n" lines. */
const char *warc_reader_file_notes(const struct warc_reader *r);
void warc_reader_free(struct warc_reader *r);

/* ---- HTTP inside a block ------------------------------------------------ */

struct warc_http {
	int is_request;
	int status;                 /* responses; 0 when none */
	char method[16];            /* requests */
	char *target;               /* request target, or NULL */
	char *reason;               /* may be "" */
	char version[16];           /* "HTTP/1.1" */
	struct warc_fields headers;
	size_t head_len;            /* status line + headers + blank line */
	int chunked;                /* Transfer-Encoding says chunked */
};

void warc_http_init(struct warc_http *h);
void warc_http_release(struct warc_http *h);
/* Parse the HTTP message head at the start of a block.  0 ok, -1 when the
 * block does not start with an HTTP message (or its head has no end). */
int warc_http_parse(const void *block, size_t n, struct warc_http *h,
		    struct err *e);
/* 1 when a record's block should be HTTP (content type application/http, or
 * a response/request/revisit whose block starts with "HTTP/" or a method). */
int warc_record_is_http(const struct warc_record *rec);
/* Remove chunked transfer coding: 0 and out filled, -1 when p is not valid
 * chunked data (then out is undefined). */
int warc_dechunk(const void *p, size_t n, struct buf *out);
/* 1 when p starts like chunked data (a hex size line), whether or not the
 * rest is valid: tells a broken chunked body from one stored de-chunked. */
int warc_looks_chunked(const void *p, size_t n);
/* The entity body of an HTTP block: de-chunked if the headers say chunked
 * and it really is chunked (else as stored), then, when decode is set,
 * Content-Encoding gzip/x-gzip/deflate/br undone (another: -1).  out
 * has a cap; 0 ok, 1 when decoding stopped at the cap (out holds the
 * decoded part within it), -1 error. */
int warc_http_payload(const void *block, size_t n, const struct warc_http *h,
		      int decode, struct buf *out, struct err *e);
/* Media type without parameters, lower case, into out (outsz bytes). */
void warc_mime_only(const char *content_type, char *out, size_t outsz);
/* The charset parameter of a Content-Type (quotes removed) into out, or ""
 * when there is none. */
void warc_charset_of(const char *content_type, char *out, size_t outsz);

/* ---- verify ------------------------------------------------------------- */

/* Called for each problem or note: offset of the record (UINT64_MAX for the
 * file as a whole), is_note, one-line text. */
typedef void (*warc_verify_cb)(void *ctx, const char *path, uint64_t offset,
			       int is_note, const char *what);

struct warc_verify_stats {
	uint64_t files, records, problems, notes;
	uint64_t bytes;             /* uncompressed record bytes read */
};

/* Check one file: framing, mandatory fields, block and payload digests.
 * Calls cb per problem/note, adds to stats.  Returns 0 (problems are counted,
 * not errors), -1 when the file can't be opened at all (also reported through
 * cb and counted as a problem). */
int warc_verify_file(const char *path, warc_verify_cb cb, void *ctx,
		     struct warc_verify_stats *stats);
/* Check one parsed record (used by verify_file and by tests). */
void warc_verify_record(const char *path, const struct warc_record *rec,
			warc_verify_cb cb, void *ctx,
			struct warc_verify_stats *stats);

/* ---- recompress --------------------------------------------------------- */

struct warc_recompress_result {
	uint64_t records;
	uint64_t dropped;           /* bytes cut from the end of a cut input */
	uint64_t good_end;          /* input offset after the last whole record */
	int mended;                 /* 1 when the input was cut (or .open) */
	char reason[512];           /* why the input ended early, if mended */
	uint64_t damaged;           /* unreadable stretches skipped inside */
	uint64_t skipped;           /* their bytes */
	char first_damage[512];     /* the first one's reader message */
};

/* Convert IN to OUT (format by OUT's ending, see warc_format_from_name),
 * records copied byte for byte (header as stored, block).  For .zst a
 * dictionary is trained from the input's records.  An input that ends in
 * the middle of a record is cut at its last whole record (res->dropped).
 * A damaged record inside is left out and copying goes on at the next
 * readable record (warc_reader_resync; res->damaged, res->skipped).
 * Writes OUT.tmp and renames it: never leaves a partial OUT. */
int warc_recompress(const char *in, const char *out,
		    struct warc_recompress_result *res, struct err *e);

/* Copying chosen records into a new file (what recompress does for every
 * record): each record copied byte for byte (header as stored, block) as
 * one gzip member / zstd frame (level 19, no dictionary) / plain record of
 * fmt, so its digests stay valid.  The file is created (O_EXCL). */
struct warc_copier;
struct warc_copier *warc_copier_open(const char *path, enum warc_format fmt,
				     struct err *e);
/* Copy rec; *off and *len (may be NULL) get its place in the new file. */
int warc_copier_add(struct warc_copier *c, const struct warc_record *rec,
		    uint64_t *off, uint64_t *len, struct err *e);
/* Bytes written so far. */
uint64_t warc_copier_size(const struct warc_copier *c);
/* Flush and close: 0, or -1 (a write error, a full disk).  Frees c either
 * way; the file stays (the caller removes it after an error). */
int warc_copier_close(struct warc_copier *c, struct err *e);

/* ---- repack (govarch compact) ------------------------------------------ */

/* Where one record went: input file index, its offset there, and its
 * frame in the new file. */
struct warc_repack_move {
	size_t in;
	uint64_t old_offset;
	uint64_t offset, length;
};

struct warc_repack_result {
	struct warc_repack_move *moves;     /* one per record, in order (free()) */
	size_t n;
	uint64_t bytes_in;                  /* the input files' sizes */
	uint64_t bytes_out;                 /* the new file's size */
	uint64_t raw;                       /* uncompressed record bytes */
	unsigned dict_id;                   /* of the new dictionary, 0 none */
};

/* Copy every record of in[0..nin) (seekable WARC files, in order) into ONE
 * new .warc.zst file `out` (created: it must not exist), each record its
 * own zstd frame at `level` (0 = 19) with a dictionary trained on these
 * records, carried in the file's first frame.  The dictionary's size is
 * chosen by trial: a dictionary costs its frame once and saves on every
 * record, so candidates of 1, 1/4, 1/16 and 1/64 of a quarter of the
 * samples (16 KiB to 1 MiB; at least 4 KiB) and none are trained on half
 * the samples and tried on the other half, the cheapest in total wins.  The new file is fsync'd,
 * then read back and every record compared byte for byte with the one it
 * was copied from, and its offset with the one recorded.  A damaged or
 * unseekable input is refused.  0 and res filled (release with
 * warc_repack_release), or -1 with out removed. */
int warc_repack(const char *const *in, size_t nin, const char *out,
		int level, struct warc_repack_result *res, struct err *e);
void warc_repack_release(struct warc_repack_result *res);

/* ---- low-level writing (used by the writer and recompress) -------------- */

/* The dictionary frame: skippable 0x184D2A5D holding dict zstd-compressed
 * at level (WARC_DICT_FRAME_LEVEL where a file is written once and kept:
 * recompress, compact). */
#define WARC_DICT_FRAME_LEVEL 19
int warc_zstd_dict_frame(const void *dict, size_t len, int level,
			 struct buf *out);

#endif
