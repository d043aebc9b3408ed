/* warc recompress: copy records into another format; mend cut files. */
#include "warc/warc-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SAMPLE_CAP (256u * 1024)
#define SAMPLES_MAX ((size_t)16 << 20)

void warc_samples_release(struct warc_samples *s)
{
	buf_release(&s->all);
	free(s->sizes);
	free(s->ptrs);
	memset(s, 0, sizeof(*s));
}

int warc_samples_collect(const char *const *in, size_t nin,
			 struct warc_samples *s)
{
	struct warc_reader *r = NULL;
	struct warc_record *rec;
	size_t alloc = 0, at = 0, i, fi;
	struct err e;
	int got = 0;

	memset(s, 0, sizeof(*s));
	for (fi = 0; fi < nin; fi++) {
		warc_reader_free(r);
		r = warc_reader_open(in[fi], &e);
		if (!r)
			goto fail;
		while ((got = warc_reader_next(r, &rec, &e)) > 0) {
			size_t keep = s->all.len, take;

			s->raw_total += rec->header_raw.len + rec->block.len + 4;
			if (s->all.len >= SAMPLES_MAX)
				continue;       /* counted, not kept */
			if (s->n == alloc) {
				size_t *ns;

				alloc = alloc ? alloc * 2 : 256;
				ns = realloc(s->sizes, alloc * sizeof(*ns));
				if (!ns)
					goto fail;
				s->sizes = ns;
			}
			take = rec->block.len < SAMPLE_CAP ? rec->block.len : SAMPLE_CAP;
			if (buf_add(&s->all, rec->header_raw.data, rec->header_raw.len) < 0 ||
			    buf_add(&s->all, rec->block.data, take) < 0)
				goto fail;
			s->sizes[s->n++] = s->all.len - keep;
		}
		if (got < 0 && !s->n)
			goto fail;
	}
	warc_reader_free(r);
	s->ptrs = malloc((s->n ? s->n : 1) * sizeof(*s->ptrs));
	if (!s->ptrs)
		goto fail_freed;
	for (i = 0; i < s->n; i++) {
		s->ptrs[i] = s->all.data + at;
		at += s->sizes[i];
	}
	return 0;
fail:
	warc_reader_free(r);
fail_freed:
	warc_samples_release(s);
	return -1;
}

size_t warc_samples_dict_cap(const struct warc_samples *s)
{
	size_t cap = s->all.len / 4;

	return cap < 16384 ? 16384 : cap > (1u << 20) ? (1u << 20) : cap;
}

/* Train a dictionary from the records of files in[0..nin) (as they will be
 * written): the first SAMPLES_MAX bytes of them, at most SAMPLE_CAP of a
 * record; the dictionary a quarter of the samples (16 KiB to 1 MiB). */
int warc_train_files(const char *const *in, size_t nin, struct buf *dict)
{
	struct warc_samples s;
	struct err e;
	int rc;

	if (warc_samples_collect(in, nin, &s) < 0)
		return -1;
	rc = warc_dict_train((const void *const *)s.ptrs, s.sizes, s.n,
			     warc_samples_dict_cap(&s), dict, &e);
	warc_samples_release(&s);
	return rc;
}

/* One record, byte for byte: its header as stored, its block, the two
 * CRLFs that end it. */
static int copy_one(struct warc_sink *sink, const struct warc_record *rec,
		    uint64_t *off, uint64_t *len, struct err *e)
{
	struct warc_piece pc[3];

	memset(pc, 0, sizeof(pc));
	pc[0].p = rec->header_raw.data;
	pc[0].n = rec->header_raw.len;
	pc[1].p = rec->block.data;
	pc[1].n = rec->block.len;
	pc[2].p = "\r\n\r\n";
	pc[2].n = 4;
	return warc_sink_record(sink, pc, 3, off, len, e);
}

/* Copy records from r to sink until the end (0), a reader error (-1, re
 * set) or a write error (-2, e set). */
static int copy_records(struct warc_reader *r, struct warc_sink *sink,
			struct warc_recompress_result *res, struct err *re,
			struct err *e)
{
	struct warc_record *rec;
	int got;

	while ((got = warc_reader_next(r, &rec, re)) > 0) {
		uint64_t off, len;

		if (copy_one(sink, rec, &off, &len, e) < 0)
			return -2;
		res->records++;
	}
	return got;
}

struct warc_copier {
	struct warc_sink sink;
};

struct warc_copier *warc_copier_open(const char *path, enum warc_format fmt,
				     struct err *e)
{
	struct warc_copier *c = calloc(1, sizeof(*c));

	if (!c) {
		err_set(e, "%s: out of memory", path);
		return NULL;
	}
	if (warc_sink_open(&c->sink, path, fmt, 19, NULL, 0, NULL, e) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

int warc_copier_add(struct warc_copier *c, const struct warc_record *rec,
		    uint64_t *off, uint64_t *len, struct err *e)
{
	uint64_t o, l;

	if (copy_one(&c->sink, rec, &o, &l, e) < 0)
		return -1;
	if (off)
		*off = o;
	if (len)
		*len = l;
	return 0;
}

uint64_t warc_copier_size(const struct warc_copier *c)
{
	return c->sink.pos;
}

int warc_copier_close(struct warc_copier *c, struct err *e)
{
	int rc = 0;

	if (!c)
		return 0;
	if (warc_sink_flush(&c->sink, 0, e) < 0) {
		warc_sink_close(&c->sink, NULL);
		rc = -1;
	} else if (warc_sink_close(&c->sink, e) < 0) {
		rc = -1;
	}
	free(c);
	return rc;
}

int warc_recompress(const char *in, const char *out,
		    struct warc_recompress_result *res, struct err *e)
{
	struct warc_reader *r = NULL;
	struct warc_sink sink;
	struct buf tmp = BUF_INIT(0), dict = BUF_INIT(0);
	enum warc_format fmt;
	struct err re;
	struct stat st;
	int rc = -1, got, sink_open = 0;

	memset(res, 0, sizeof(*res));
	memset(&sink, 0, sizeof(sink));
	if (warc_format_from_name(out, &fmt) < 0)
		return err_set(e, "%s: output must end in .warc, .warc.gz or .warc.zst", out);
	if (stat(in, &st) < 0)
		return err_set(e, "%s: %s", in, strerror(errno));
	if (fmt == WARC_FMT_ZST && warc_train_files(&in, 1, &dict) < 0)
		buf_reset(&dict);      /* too little to train on: no dictionary */
	r = warc_reader_open(in, e);
	if (!r)
		goto out;
	buf_addf(&tmp, "%s.tmp", out);
	unlink(tmp.data);
	if (warc_sink_open(&sink, tmp.data, fmt, 19, dict.len ? dict.data : NULL,
			   dict.len, NULL, e) < 0)
		goto out;
	sink_open = 1;
	for (;;) {
		struct err se;
		uint64_t from, at;

		got = copy_records(r, &sink, res, &re, e);
		if (got == -2)
			goto out;
		if (got == 0)
			break;
		/* damage inside: leave that record out, go on at the next one */
		from = warc_reader_good_end(r);
		if (!warc_reader_seekable(r) || warc_reader_resync(r, &at, &se) <= 0)
			break;
		if (!res->damaged++)
			snprintf(res->first_damage, sizeof(res->first_damage),
				 "%.500s", re.msg);
		res->skipped += at > from ? at - from : 0;
	}
	res->good_end = warc_reader_good_end(r);
	if (got < 0) {
		if (!res->records) {
			err_set(e, "%s", re.msg);
			goto out;
		}
		res->mended = 1;
		snprintf(res->reason, sizeof(res->reason), "%.500s", re.msg);
		res->dropped = (uint64_t)st.st_size > res->good_end ?
			       (uint64_t)st.st_size - res->good_end : 0;
	} else if (!res->records) {
		err_set(e, "%s: no WARC records", in);
		goto out;
	}
	if (warc_sink_flush(&sink, 1, e) < 0)
		goto out;
	sink_open = 0;
	if (warc_sink_close(&sink, e) < 0)
		goto out;
	if (rename(tmp.data, out) < 0) {
		err_set(e, "%s: %s", out, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (sink_open)
		warc_sink_close(&sink, NULL);
	if (rc < 0 && tmp.len)
		unlink(tmp.data);
	warc_reader_free(r);
	buf_release(&tmp);
	buf_release(&dict);
	return rc;
}
