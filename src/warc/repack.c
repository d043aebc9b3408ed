/* warc repack: several WARC files into one .warc.zst at a higher level with
 * a dictionary trained on their records, verified (govarch compact). */
#include "warc/warc-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define REPACK_LEVEL 19
/* The level dictionary candidates are compared at (cheaper than the
 * repack's own; their order is what matters). */
#define TRIAL_LEVEL 6
/* The level a candidate's frame is sized at: within 1-6% of its size at
 * WARC_DICT_FRAME_LEVEL (the winner's frame is written at that) for a
 * tenth of the instructions on a dictionary of whole records. */
#define TRIAL_FRAME_LEVEL 15

/* Compressed size of samples v[0..n) with dictionary d (NULL: none) at
 * TRIAL_LEVEL; 0 on failure. */
static uint64_t trial(const void *const *v, const size_t *sizes, size_t n,
		      const struct buf *d)
{
	ZSTD_CCtx *z = ZSTD_createCCtx();
	ZSTD_CDict *cd = d && d->len ? ZSTD_createCDict(d->data, d->len,
							TRIAL_LEVEL) : NULL;
	struct buf out = BUF_INIT(0);
	uint64_t total = 0;
	size_t i, got;

	if (!z || (d && d->len && !cd))
		goto fail;
	for (i = 0; i < n; i++) {
		if (buf_grow(&out, ZSTD_compressBound(sizes[i])) < 0)
			goto fail;
		got = cd ? ZSTD_compress_usingCDict(z, out.data, out.cap,
						    v[i], sizes[i], cd)
			 : ZSTD_compressCCtx(z, out.data, out.cap, v[i],
					     sizes[i], TRIAL_LEVEL);
		if (ZSTD_isError(got))
			goto fail;
		total += got;
	}
	goto out;
fail:
	total = 0;
out:
	buf_release(&out);
	ZSTD_freeCDict(cd);
	ZSTD_freeCCtx(z);
	return total;
}

/* The dictionary for a repack, sized by trial: a dictionary costs its own
 * bytes once per file (its compressed frame) and saves on every record, so
 * a small crawl (a nightly crawl of unchanged pages: small revisit and
 * request records) wants a small one, a large crawl a large one.
 * Candidates of 1, 1/4, 1/16 and 1/64 of warc_samples_dict_cap (at least 4 KiB)
 * and none are trained on the even samples and tried on the odd ones; the
 * cost of each is its frame plus the records' size extrapolated to all of
 * the crawl's records.  The winner is trained again on all samples.  An
 * empty dict: none. */
static int choose_dict(const char *const *in, size_t nin, struct buf *dict)
{
	struct warc_samples s;
	const void **ev = NULL, **od = NULL;
	size_t *es = NULL, *os = NULL, ne = 0, no = 0, i, cap, best_cap = 0;
	uint64_t odd_raw = 0, best, cost, got;
	struct buf d = BUF_INIT(0), frame = BUF_INIT(0);
	struct err e;
	int k, rc = -1;

	buf_reset(dict);
	if (warc_samples_collect(in, nin, &s) < 0)
		return 0;               /* nothing to train on: none */
	cap = warc_samples_dict_cap(&s);
	if (s.n < 16) {         /* too few to split: all, or none */
		if (warc_dict_train((const void *const *)s.ptrs, s.sizes, s.n,
				    cap, dict, &e) < 0)
			buf_reset(dict);
		rc = 0;
		goto out;
	}
	ev = malloc(s.n * sizeof(*ev));
	od = malloc(s.n * sizeof(*od));
	es = malloc(s.n * sizeof(*es));
	os = malloc(s.n * sizeof(*os));
	if (!ev || !od || !es || !os)
		goto out;
	for (i = 0; i < s.n; i++) {
		if (i % 2) {
			od[no] = s.ptrs[i];
			os[no++] = s.sizes[i];
			odd_raw += s.sizes[i];
		} else {
			ev[ne] = s.ptrs[i];
			es[ne++] = s.sizes[i];
		}
	}
	/* none */
	got = trial(od, os, no, NULL);
	if (!got || !odd_raw)
		goto out;
	best = (uint64_t)((double)got * (double)s.raw_total / (double)odd_raw);
	for (k = 0; k < 4; k++) {
		size_t c = cap >> (2 * k);

		if (k && c < 4096)
			break;
		buf_reset(&d);
		buf_reset(&frame);
		if (warc_dict_train((const void *const *)ev, es, ne, c, &d,
				    &e) < 0 ||
		    warc_zstd_dict_frame(d.data, d.len, TRIAL_FRAME_LEVEL,
					 &frame) < 0)
			continue;
		got = trial(od, os, no, &d);
		if (!got)
			continue;
		cost = frame.len + (uint64_t)((double)got *
			(double)s.raw_total / (double)odd_raw);
		if (cost < best) {
			best = cost;
			best_cap = c;
		}
	}
	rc = 0;
	if (best_cap && warc_dict_train((const void *const *)s.ptrs, s.sizes,
					s.n, best_cap, dict, &e) < 0)
		buf_reset(dict);
out:
	free(ev);
	free(od);
	free(es);
	free(os);
	buf_release(&d);
	buf_release(&frame);
	warc_samples_release(&s);
	return rc;
}

static int add_move(struct warc_repack_result *res, size_t *alloc, size_t in,
		    uint64_t old_off, uint64_t off, uint64_t len)
{
	if (res->n == *alloc) {
		struct warc_repack_move *m;

		*alloc = *alloc ? *alloc * 2 : 1024;
		m = realloc(res->moves, *alloc * sizeof(*m));
		if (!m)
			return -1;
		res->moves = m;
	}
	res->moves[res->n++] = (struct warc_repack_move){ in, old_off, off, len };
	return 0;
}

/* Copy in[i]'s records into sink, noting each move. */
static int copy_file(const char *in, size_t i, struct warc_sink *sink,
		     struct warc_repack_result *res, size_t *alloc,
		     struct err *e)
{
	struct warc_reader *r = warc_reader_open(in, e);
	struct warc_record *rec;
	int got, rc = -1;

	if (!r)
		return -1;
	while ((got = warc_reader_next(r, &rec, e)) > 0) {
		struct warc_piece pc[3];
		uint64_t off, len;

		if (!warc_reader_seekable(r) || !rec->length) {
			err_set(e, "%s: records cannot be read by offset: not "
				"repacked", in);
			goto out;
		}
		if (rec->problems.len) {
			/* a copy would not be the bytes as stored */
			err_set(e, "%s:%llu: %.*s: not repacked", in,
				(unsigned long long)rec->offset,
				(int)strcspn(rec->problems.data, "\n"),
				rec->problems.data);
			goto out;
		}
		memset(pc, 0, sizeof(pc));
		pc[0].p = rec->header_raw.data;
		pc[0].n = rec->header_raw.len;
		pc[1].p = rec->block.data;
		pc[1].n = rec->block.len;
		pc[2].p = "\r\n\r\n";
		pc[2].n = 4;
		if (warc_sink_record(sink, pc, 3, &off, &len, e) < 0)
			goto out;
		if (add_move(res, alloc, i, rec->offset, off, len) < 0) {
			err_set(e, "%s: out of memory", in);
			goto out;
		}
		res->raw += rec->header_raw.len + rec->block.len + 4;
	}
	rc = got < 0 ? -1 : 0;
out:
	warc_reader_free(r);
	return rc;
}

/* Read out back and compare every record with its original. */
static int verify(const char *const *in, const char *out,
		  const struct warc_repack_result *res, struct err *e)
{
	struct warc_reader *rn = warc_reader_open(out, e), *ro = NULL;
	struct warc_record *a, *b;
	size_t k, cur = (size_t)-1;
	int rc = -1, got;

	if (!rn)
		return -1;
	for (k = 0; k < res->n; k++) {
		const struct warc_repack_move *m = &res->moves[k];

		if (m->in != cur) {
			warc_reader_free(ro);
			if (!(ro = warc_reader_open(in[m->in], e)))
				goto out;
			cur = m->in;
		}
		if (warc_reader_next(ro, &a, e) <= 0) {
			if (!e->msg[0])
				err_set(e, "%s: fewer records on rereading", in[cur]);
			goto out;
		}
		got = warc_reader_next(rn, &b, e);
		if (got <= 0) {
			if (!got)
				err_set(e, "%s: record %zu missing", out, k);
			goto out;
		}
		if (b->offset != m->offset || b->length != m->length ||
		    a->offset != m->old_offset ||
		    a->header_raw.len != b->header_raw.len ||
		    a->block.len != b->block.len ||
		    memcmp(a->header_raw.data, b->header_raw.data,
			   a->header_raw.len) ||
		    (a->block.len &&
		     memcmp(a->block.data, b->block.data, a->block.len))) {
			err_set(e, "%s:%llu: does not match %s:%llu on "
				"rereading", out, (unsigned long long)b->offset,
				in[cur], (unsigned long long)a->offset);
			goto out;
		}
	}
	got = warc_reader_next(rn, &b, e);
	if (got != 0) {
		if (got > 0)
			err_set(e, "%s: more records than copied", out);
		goto out;
	}
	rc = 0;
out:
	warc_reader_free(ro);
	warc_reader_free(rn);
	return rc;
}

int warc_repack(const char *const *in, size_t nin, const char *out,
		int level, struct warc_repack_result *res, struct err *e)
{
	struct warc_sink sink;
	struct buf dict = BUF_INIT(0);
	struct stat st;
	size_t i, alloc = 0;
	int rc = -1, sink_open = 0, created = 0, fd;

	memset(res, 0, sizeof(*res));
	memset(&sink, 0, sizeof(sink));
	e->msg[0] = '\0';
	for (i = 0; i < nin; i++) {
		if (stat(in[i], &st) < 0)
			return err_set(e, "%s: %s", in[i], strerror(errno));
		res->bytes_in += (uint64_t)st.st_size;
	}
	if (choose_dict(in, nin, &dict) < 0)
		buf_reset(&dict);      /* too little to train on */
	res->dict_id = dict.len ? warc_dict_id(dict.data, dict.len) : 0;
	if (warc_sink_open(&sink, out, WARC_FMT_ZST,
			   level > 0 ? level : REPACK_LEVEL,
			   dict.len ? dict.data : NULL, dict.len, NULL, e) < 0)
		goto out;
	sink_open = created = 1;
	for (i = 0; i < nin; i++)
		if (copy_file(in[i], i, &sink, res, &alloc, e) < 0)
			goto out;
	if (warc_sink_flush(&sink, 1, e) < 0)
		goto out;
	sink_open = 0;
	if (warc_sink_close(&sink, e) < 0)
		goto out;
	if (stat(out, &st) < 0) {
		err_set(e, "%s: %s", out, strerror(errno));
		goto out;
	}
	res->bytes_out = (uint64_t)st.st_size;
	if (verify(in, out, res, e) < 0)
		goto out;
	/* the file is synced; make its name durable too */
	{
		char *dir = strdup(out), *slash = dir ? strrchr(dir, '/') : NULL;

		if (slash)
			*slash = '\0';
		fd = dir ? open(slash ? dir : ".", O_RDONLY | O_DIRECTORY) : -1;
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
		free(dir);
	}
	rc = 0;
out:
	if (sink_open)
		warc_sink_close(&sink, NULL);
	if (rc < 0) {
		if (created)
			unlink(out);
		warc_repack_release(res);
	}
	buf_release(&dict);
	return rc;
}

void warc_repack_release(struct warc_repack_result *res)
{
	free(res->moves);
	res->moves = NULL;
	res->n = 0;
}
