/* warc writer: records into rotating NAME.open files, digests computed. */
#include "warc/warc-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/timeutil.h"
#include "util/uuid.h"

#define DEFAULT_ROTATE ((uint64_t)1 << 30)
#define SAMPLE_CAP (256u * 1024)
#define DECHUNK_MAX ((size_t)1 << 31)
/* The level of a crawl's dictionary in its dict/ file and its files'
 * dictionary frames: the replica's 247,776-byte dictionary (whole pages)
 * compresses to 16,553 B at 15 in 175 M instructions, to 16,288 B at 19 in
 * 1,772 M; compaction writes its own frame at WARC_DICT_FRAME_LEVEL. */
#define WRITER_DICT_LEVEL 15

struct warc_writer {
	char *dir, *prefix, *warcinfo, *dict_dir;
	enum warc_format fmt;
	uint64_t rotate;
	int level, sync;
	size_t train_bytes;
	struct buf dict;
	struct buf dict_frame;      /* dict compressed, made once for every file */
	struct warc_sink sink;
	int open;
	char name[256];             /* final name of the current file */
	char path[4096];            /* its path while written (.open) */
	unsigned serial;
	uint64_t records;           /* in the current file, warcinfo included */
	char warcinfo_id[64];
	struct buf samples;
	size_t *sizes, nsamples, asamples;
	int training_done;
};

static const char default_warcinfo[] =
	"software: govarch\r\n"
	"format: WARC File Format 1.1\r\n"
	"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n";

static int write_warcinfo(struct warc_writer *w, struct err *e);

static int open_file(struct warc_writer *w, struct err *e)
{
	char ts[15];
	int tries;

	time_ts14(time(NULL), ts);
	for (tries = 0; tries < 1000; tries++, w->serial++) {
		snprintf(w->name, sizeof(w->name), "%s-%s-%05u%s", w->prefix, ts,
			 w->serial, warc_format_ext(w->fmt));
		snprintf(w->path, sizeof(w->path), "%s/%s.open", w->dir, w->name);
		if (access(w->path, F_OK) == 0) {
			continue;
		} else {
			char fin[4096];

			snprintf(fin, sizeof(fin), "%s/%s", w->dir, w->name);
			if (access(fin, F_OK) == 0)
				continue;
		}
		if (w->dict.len && !w->dict_frame.len &&
		    warc_zstd_dict_frame(w->dict.data, w->dict.len,
					 WRITER_DICT_LEVEL, &w->dict_frame) < 0)
			return err_set(e, "%s: can't compress the dictionary",
				       w->path);
		if (warc_sink_open(&w->sink, w->path, w->fmt, w->level,
				   w->dict.len ? w->dict.data : NULL, w->dict.len,
				   w->dict.len ? &w->dict_frame : NULL, e) < 0) {
			if (errno == EEXIST)
				continue;
			return -1;
		}
		w->serial++;
		w->open = 1;
		w->records = 0;
		return write_warcinfo(w, e);
	}
	return err_set(e, "%s: no free file name for prefix %s", w->dir, w->prefix);
}

static int close_file(struct warc_writer *w, struct err *e)
{
	char fin[4096];
	int rc;

	if (!w->open)
		return 0;
	w->open = 0;
	rc = warc_sink_close(&w->sink, e);
	snprintf(fin, sizeof(fin), "%s/%s", w->dir, w->name);
	if (rename(w->path, fin) < 0 && rc == 0)
		rc = err_set(e, "%s: rename to %s: %s", w->path, fin, strerror(errno));
	return rc;
}

struct warc_writer *warc_writer_open(const struct warc_writer_opts *o,
				     struct err *e)
{
	struct warc_writer *w = calloc(1, sizeof(*w));

	if (!w) {
		err_set(e, "out of memory");
		return NULL;
	}
	buf_init(&w->dict, 0);
	buf_init(&w->dict_frame, 0);
	buf_init(&w->samples, 0);
	w->dir = strdup(o->dir ? o->dir : ".");
	w->prefix = strdup(o->prefix ? o->prefix : "govarch");
	w->warcinfo = strdup(o->warcinfo ? o->warcinfo : default_warcinfo);
	w->dict_dir = o->dict_dir ? strdup(o->dict_dir) : NULL;
	if (!w->dir || !w->prefix || !w->warcinfo || (o->dict_dir && !w->dict_dir)) {
		err_set(e, "out of memory");
		goto fail;
	}
	w->fmt = o->format;
	w->rotate = o->rotate_size ? o->rotate_size : DEFAULT_ROTATE;
	w->level = o->zstd_level ? o->zstd_level : 9;
	w->sync = o->sync;
	w->train_bytes = o->train_bytes;
	if (o->dict && o->dict_len && w->fmt == WARC_FMT_ZST &&
	    buf_add(&w->dict, o->dict, o->dict_len) < 0) {
		err_set(e, "out of memory");
		goto fail;
	}
	if (open_file(w, e) < 0)
		goto fail;
	return w;
fail:
	warc_writer_abort(w);
	return NULL;
}

/* ---- digests ------------------------------------------------------------ */

static int hash_pieces(const struct warc_piece *pc, size_t n, size_t skip,
		       struct digest *d, struct err *e)
{
	char *tmp = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < n; i++) {
		if (pc[i].fd_len) {
			uint64_t at = 0;

			if (!tmp && !(tmp = malloc(1 << 20))) {
				err_set(e, "out of memory");
				goto out;
			}
			while (at < pc[i].fd_len) {
				size_t want = pc[i].fd_len - at < (1 << 20) ?
					      (size_t)(pc[i].fd_len - at) : (1 << 20);
				ssize_t got = pread(pc[i].fd, tmp, want, (off_t)at);

				if (got <= 0) {
					err_set(e, "reading the spooled body: %s",
						got < 0 ? strerror(errno) : "file shorter than said");
					goto out;
				}
				if ((size_t)got > skip) {
					digest_update(d, tmp + skip, (size_t)got - skip);
					skip = 0;
				} else {
					skip -= (size_t)got;
				}
				at += (uint64_t)got;
			}
		} else if (pc[i].n > skip) {
			digest_update(d, (const char *)pc[i].p + skip, pc[i].n - skip);
			skip = 0;
		} else {
			skip -= pc[i].n;
		}
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

/* Append the pieces' bytes after the first skip to out, at most limit. */
static int collect_pieces(const struct warc_piece *pc, size_t n, size_t skip,
			  size_t limit, struct buf *out, struct err *e)
{
	char *tmp = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < n && out->len < limit; i++) {
		uint64_t plen = pc[i].fd_len ? pc[i].fd_len : pc[i].n, at = 0;

		if (plen <= skip) {
			skip -= (size_t)plen;
			continue;
		}
		at = skip;
		skip = 0;
		while (at < plen && out->len < limit) {
			size_t want = plen - at < (1 << 20) ? (size_t)(plen - at) : (1 << 20);

			if (want > limit - out->len)
				want = limit - out->len;
			if (pc[i].fd_len) {
				ssize_t got;

				if (!tmp && !(tmp = malloc(1 << 20))) {
					err_set(e, "out of memory");
					goto out;
				}
				got = pread(pc[i].fd, tmp, want, (off_t)at);
				if (got <= 0) {
					err_set(e, "reading the spooled body failed");
					goto out;
				}
				want = (size_t)got;
				if (buf_add(out, tmp, want) < 0)
					goto big;
			} else if (buf_add(out, (const char *)pc[i].p + at, want) < 0) {
				goto big;
			}
			at += want;
		}
	}
	rc = 0;
	goto out;
big:
	err_set(e, "body too large");
out:
	free(tmp);
	return rc;
}

static void sha1_label_of(struct digest *d, char out[40])
{
	uint8_t raw[DIGEST_MAX];

	digest_final(d, raw);
	digest_sha1_format(raw, out);
}

/* WARC-Payload-Digest of an HTTP block given in pieces: "" when the block
 * holds no parseable HTTP message or (for request/revisit) no body. */
static int payload_digest(const struct warc_record_in *in,
			  const struct warc_piece *pc, size_t npc,
			  uint64_t total, char out[80], struct err *e)
{
	struct warc_http h;
	struct buf head = BUF_INIT(0), body = BUF_INIT(DECHUNK_MAX),
		   plain = BUF_INIT(DECHUNK_MAX);
	struct digest d;
	int rc = -1;

	out[0] = '\0';
	warc_http_init(&h);
	if (digest_init(&d, DIGEST_SHA1) < 0)
		return err_set(e, "sha1 init failed");
	/* The HTTP head: usually all of in->head; else look into the block. */
	if (!in->head_len || warc_http_parse(in->head, in->head_len, &h, NULL) < 0) {
		if (collect_pieces(pc, npc, 0, 1 << 20, &head, e) < 0)
			goto out;
		if (warc_http_parse(head.data, head.len, &h, NULL) < 0) {
			rc = 0;
			goto out;
		}
	}
	if (in->type != WARC_T_RESPONSE && total == h.head_len) {
		rc = 0;
		goto out;
	}
	if (h.chunked) {
		if (collect_pieces(pc, npc, h.head_len, DECHUNK_MAX, &body, e) < 0)
			goto out;
		if (warc_dechunk(body.data, body.len, &plain) == 0)
			digest_update(&d, plain.data, plain.len);
		else
			digest_update(&d, body.data, body.len);
	} else if (hash_pieces(pc, npc, h.head_len, &d, e) < 0) {
		goto out;
	}
	sha1_label_of(&d, out);
	rc = 0;
out:
	digest_release(&d);
	warc_http_release(&h);
	buf_release(&head);
	buf_release(&body);
	buf_release(&plain);
	return rc;
}

/* ---- the header --------------------------------------------------------- */

static const char *default_ctype(const struct warc_record_in *in, uint64_t total)
{
	if (in->content_type)
		return in->content_type;
	switch (in->type) {
	case WARC_T_RESPONSE:
	case WARC_T_REVISIT:
		return total ? "application/http;msgtype=response" : NULL;
	case WARC_T_REQUEST:
		return total ? "application/http;msgtype=request" : NULL;
	case WARC_T_WARCINFO:
	case WARC_T_METADATA:
		return "application/warc-fields";
	default:
		return total ? "application/octet-stream" : NULL;
	}
}

static int add_opt(struct warc_fields *f, const char *name, const char *v)
{
	if (!v || !*v)
		return 0;
	return warc_fields_add(f, name, v);
}

static int build_header(struct warc_writer *w, const struct warc_record_in *in,
			uint64_t total, const char *ctype, const char *bdig,
			const char *pdig, struct warc_record_out *o,
			struct buf *hdr)
{
	struct warc_fields f;
	struct buf uri = BUF_INIT(0);
	char len[32];
	size_t i;
	int rc = -1;

	warc_fields_init(&f);
	if (in->target_uri) {
		const char *u = in->target_uri;
		size_t n = strlen(u);

		if (n >= 2 && u[0] == '<' && u[n - 1] == '>')
			buf_add(&uri, u + 1, n - 2);
		else
			buf_add(&uri, u, n);
	}
	if (add_opt(&f, "WARC-Type", in->type == WARC_T_UNKNOWN && in->type_name ?
		    in->type_name : warc_type_name(in->type)) < 0 ||
	    add_opt(&f, "WARC-Record-ID", o->id) < 0 ||
	    add_opt(&f, "WARC-Date", o->date) < 0 ||
	    add_opt(&f, "WARC-Target-URI", uri.data) < 0 ||
	    (in->type != WARC_T_WARCINFO &&
	     add_opt(&f, "WARC-Warcinfo-ID", w->warcinfo_id) < 0) ||
	    (in->type == WARC_T_WARCINFO &&
	     add_opt(&f, "WARC-Filename", w->name) < 0) ||
	    add_opt(&f, "WARC-Concurrent-To", in->concurrent_to) < 0 ||
	    add_opt(&f, "WARC-IP-Address", in->ip_address) < 0 ||
	    add_opt(&f, "WARC-Refers-To", in->refers_to) < 0 ||
	    add_opt(&f, "WARC-Refers-To-Target-URI", in->refers_to_target_uri) < 0 ||
	    add_opt(&f, "WARC-Refers-To-Date", in->refers_to_date) < 0 ||
	    add_opt(&f, "WARC-Profile", in->profile) < 0 ||
	    add_opt(&f, "WARC-Truncated", in->truncated) < 0 ||
	    add_opt(&f, "Content-Type", ctype) < 0 ||
	    add_opt(&f, "WARC-Payload-Digest", pdig) < 0 ||
	    add_opt(&f, "WARC-Block-Digest", bdig) < 0)
		goto out;
	if (in->extra)
		for (i = 0; i < in->extra->n; i++)
			if (warc_fields_add(&f, in->extra->v[i].name,
					    in->extra->v[i].value) < 0)
				goto out;
	snprintf(len, sizeof(len), "%llu", (unsigned long long)total);
	if (warc_fields_add(&f, "Content-Length", len) < 0)
		goto out;
	if (buf_adds(hdr, "WARC/1.1\r\n") < 0 || warc_fields_format(&f, hdr) < 0 ||
	    buf_adds(hdr, "\r\n") < 0)
		goto out;
	rc = 0;
out:
	buf_release(&uri);
	warc_fields_release(&f);
	return rc;
}

/* ---- writing ------------------------------------------------------------ */

static void add_sample(struct warc_writer *w, const struct buf *hdr,
		       const struct warc_piece *pc, size_t npc)
{
	size_t keep = w->samples.len, n;

	if (w->nsamples == w->asamples) {
		size_t na = w->asamples ? w->asamples * 2 : 256;
		size_t *ns = realloc(w->sizes, na * sizeof(*ns));

		if (!ns)
			return;
		w->sizes = ns;
		w->asamples = na;
	}
	if (buf_add(&w->samples, hdr->data, hdr->len) < 0)
		return;
	{
		struct buf tmp = BUF_INIT(SAMPLE_CAP);

		/* the first SAMPLE_CAP bytes of the block are enough */
		for (size_t i = 0; i < npc && tmp.len < SAMPLE_CAP; i++) {
			if (pc[i].fd_len) {
				char b[65536];
				ssize_t got = pread(pc[i].fd, b, sizeof(b), 0);

				if (got > 0)
					buf_add(&tmp, b, (size_t)got < SAMPLE_CAP - tmp.len ?
						(size_t)got : SAMPLE_CAP - tmp.len);
			} else if (pc[i].n) {
				buf_add(&tmp, pc[i].p, pc[i].n < SAMPLE_CAP - tmp.len ?
					pc[i].n : SAMPLE_CAP - tmp.len);
			}
		}
		buf_add(&w->samples, tmp.data, tmp.len);
		buf_release(&tmp);
	}
	n = w->samples.len - keep;
	w->sizes[w->nsamples++] = n;
}

static void maybe_train(struct warc_writer *w)
{
	struct buf dict = BUF_INIT(0);
	const void **ptrs = NULL;
	size_t i, at = 0, cap;
	struct err e;

	if (w->samples.len < w->train_bytes)
		return;
	ptrs = malloc(w->nsamples * sizeof(*ptrs));
	if (!ptrs)
		goto done;
	for (i = 0; i < w->nsamples; i++) {
		ptrs[i] = w->samples.data + at;
		at += w->sizes[i];
	}
	cap = w->samples.len / 4;
	cap = cap < 112640 ? 112640 : cap > (1u << 20) ? (1u << 20) : cap;
	if (warc_dict_train((const void *const *)ptrs, w->sizes, w->nsamples, cap,
			    &dict, &e) < 0) {
		if (w->samples.len < 4 * w->train_bytes)
			goto out;       /* try again with more samples */
		goto done;
	}
	warc_writer_set_dict(w, dict.data, dict.len, &e);
	if (w->dict_dir) {
		char path[4096], ts[15];

		time_ts14(time(NULL), ts);
		snprintf(path, sizeof(path), "%s/%s-%s.zdict.zst", w->dict_dir, w->prefix, ts);
		warc_writer_save_dict(w, path, &e);   /* best effort */
	}
done:
	w->training_done = 1;
	buf_release(&w->samples);
	free(w->sizes);
	w->sizes = NULL;
	w->nsamples = w->asamples = 0;
out:
	free(ptrs);
	buf_release(&dict);
}

static int write_record(struct warc_writer *w, const struct warc_record_in *in,
			struct warc_record_out *o, struct err *e)
{
	struct warc_piece pc[5];
	struct buf hdr = BUF_INIT(0);
	struct digest d;
	uint64_t total;
	const char *ctype;
	int rc = -1;

	memset(pc, 0, sizeof(pc));
	memset(o, 0, sizeof(*o));
	pc[1].p = in->head;
	pc[1].n = in->head_len;
	pc[2].p = in->body;
	pc[2].n = in->body_len;
	pc[3].fd = in->body_fd;
	pc[3].fd_len = in->body_fd_len;
	total = in->head_len + in->body_len + in->body_fd_len;
	snprintf(o->id, sizeof(o->id), "%s", in->record_id ? in->record_id : "");
	if (!in->record_id)
		uuid_record_id(o->id);
	if (in->date)
		snprintf(o->date, sizeof(o->date), "%s", in->date);
	else
		time_warc_date(time_now(), o->date);
	snprintf(o->filename, sizeof(o->filename), "%s", w->name);
	ctype = default_ctype(in, total);
	if (digest_init(&d, DIGEST_SHA1) < 0)
		return err_set(e, "sha1 init failed");
	if (hash_pieces(pc + 1, 3, 0, &d, e) < 0) {
		digest_release(&d);
		return err_prefix(e, "%s", w->path);
	}
	sha1_label_of(&d, o->block_digest);
	digest_release(&d);
	if (in->payload_digest) {
		snprintf(o->payload_digest, sizeof(o->payload_digest), "%s",
			 in->payload_digest);
	} else if ((in->type == WARC_T_RESPONSE || in->type == WARC_T_REQUEST ||
		    in->type == WARC_T_REVISIT) && ctype &&
		   !strncasecmp(ctype, "application/http", 16) && total) {
		if (payload_digest(in, pc + 1, 3, total, o->payload_digest, e) < 0)
			return err_prefix(e, "%s", w->path);
	}
	if (build_header(w, in, total, ctype, o->block_digest, o->payload_digest,
			 o, &hdr) < 0) {
		rc = err_set(e, "%s: bad header field", w->path);
		goto out;
	}
	pc[0].p = hdr.data;
	pc[0].n = hdr.len;
	pc[4].p = "\r\n\r\n";
	pc[4].n = 4;
	if (warc_sink_record(&w->sink, pc, 5, &o->offset, &o->length, e) < 0 ||
	    warc_sink_flush(&w->sink, w->sync, e) < 0)
		goto out;
	w->records++;
	if (w->fmt == WARC_FMT_ZST && !w->dict.len && w->train_bytes &&
	    !w->training_done && in->type != WARC_T_WARCINFO)
		add_sample(w, &hdr, pc + 1, 3);
	rc = 0;
out:
	buf_release(&hdr);
	return rc;
}

static int write_warcinfo(struct warc_writer *w, struct err *e)
{
	struct warc_record_in in;
	struct warc_record_out o;

	memset(&in, 0, sizeof(in));
	in.type = WARC_T_WARCINFO;
	in.content_type = "application/warc-fields";
	in.body = w->warcinfo;
	in.body_len = strlen(w->warcinfo);
	w->warcinfo_id[0] = '\0';
	if (write_record(w, &in, &o, e) < 0)
		return -1;
	snprintf(w->warcinfo_id, sizeof(w->warcinfo_id), "%s", o.id);
	return 0;
}

int warc_writer_write(struct warc_writer *w, const struct warc_record_in *in,
		      struct warc_record_out *out, struct err *e)
{
	struct warc_record_out tmp;

	if (!w->open)
		return err_set(e, "%s: writer is closed", w->dir);
	if (w->sink.pos >= w->rotate && w->records > 1 &&
	    warc_writer_rotate(w, e) < 0)
		return -1;
	if (write_record(w, in, out ? out : &tmp, e) < 0)
		return -1;
	if (w->fmt == WARC_FMT_ZST && !w->dict.len && w->train_bytes &&
	    !w->training_done)
		maybe_train(w);
	return 0;
}

int warc_writer_rotate(struct warc_writer *w, struct err *e)
{
	if (close_file(w, e) < 0)
		return -1;
	return open_file(w, e);
}

int warc_writer_set_dict(struct warc_writer *w, const void *dict, size_t len,
			 struct err *e)
{
	if (w->fmt != WARC_FMT_ZST)
		return 0;
	buf_reset(&w->dict);
	buf_reset(&w->dict_frame);
	if (buf_add(&w->dict, dict, len) < 0)
		return err_set(e, "out of memory");
	w->training_done = 1;
	if (w->open && w->records <= 1) {
		/* only the warcinfo so far: start this file again */
		warc_sink_close(&w->sink, NULL);
		unlink(w->path);
		w->open = 0;
		return open_file(w, e);
	}
	return warc_writer_rotate(w, e);
}

int warc_writer_save_dict(struct warc_writer *w, const char *path,
			  struct err *e)
{
	if (!w->dict.len)
		return err_set(e, "%s: no dictionary to save", path);
	if (!w->dict_frame.len &&
	    warc_zstd_dict_frame(w->dict.data, w->dict.len, WRITER_DICT_LEVEL,
				 &w->dict_frame) < 0)
		return err_set(e, "%s: can't compress the dictionary", path);
	return warc_dict_save(path, &w->dict_frame, e);
}

const char *warc_writer_path(const struct warc_writer *w)
{
	return w->path;
}

static void writer_free(struct warc_writer *w)
{
	free(w->dir);
	free(w->prefix);
	free(w->warcinfo);
	free(w->dict_dir);
	free(w->sizes);
	buf_release(&w->dict);
	buf_release(&w->dict_frame);
	buf_release(&w->samples);
	free(w);
}

int warc_writer_close(struct warc_writer *w, struct err *e)
{
	int rc;

	if (!w)
		return 0;
	rc = close_file(w, e);
	writer_free(w);
	return rc;
}

void warc_writer_abort(struct warc_writer *w)
{
	if (!w)
		return;
	if (w->open)
		warc_sink_close(&w->sink, NULL);
	writer_free(w);
}
