/* warc repack: several WARC files into one .warc.zst at a higher level with
 * a dictionary trained on their records, verified (govarch compact). */
#include "warc/warc-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPACK_LEVEL 19

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
	if (warc_train_files(in, nin, &dict) < 0)
		buf_reset(&dict);      /* too little to train on */
	res->dict_id = dict.len ? warc_dict_id(dict.data, dict.len) : 0;
	if (warc_sink_open(&sink, out, WARC_FMT_ZST,
			   level > 0 ? level : REPACK_LEVEL,
			   dict.len ? dict.data : NULL, dict.len, e) < 0)
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
