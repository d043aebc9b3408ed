/* replay lookup: which capture answers a request (nearest in time), the
 * record a revisit refers to, and reading a capture's HTTP response from
 * the archive's WARC files (.warc.zst, .warc.gz, ...) through src/warc,
 * with the readers kept open between requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/replay.h"
#include "util/timeutil.h"

#define READERS 8       /* open WARC files kept per thread */

long replay_nearest(const struct catalog_capture *v, size_t n, time_t t)
{
	long best = -1;
	double bestd = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		time_t ct;
		double d;

		if (time_parse_ts(v[i].ts, &ct) < 0)
			continue;
		d = ct > t ? (double)ct - (double)t : (double)t - (double)ct;
		/* oldest first, so a strict '<' keeps the earlier on a tie */
		if (best < 0 || d < bestd) {
			best = (long)i;
			bestd = d;
		}
	}
	return best;
}

const struct catalog_capture *replay_original(const struct catalog_capture *v,
					      size_t n, size_t i)
{
	size_t j;

	if (v[i].type != CATALOG_REVISIT)
		return &v[i];
	if (!v[i].orig_id)
		return NULL;
	for (j = 0; j < n; j++)
		if (v[j].id == v[i].orig_id)
			return v[j].type == CATALOG_REVISIT ? NULL : &v[j];
	return NULL;
}

struct replay_readers {
	char *dir;
	struct {
		char *file;             /* relative, as the catalog has it */
		struct warc_reader *r;
		unsigned long used;
	} slot[READERS];
	unsigned long clock;
};

struct replay_readers *replay_readers_new(const char *archive_dir)
{
	struct replay_readers *rs = calloc(1, sizeof(*rs));

	if (rs && !(rs->dir = strdup(archive_dir))) {
		free(rs);
		rs = NULL;
	}
	return rs;
}

static void slot_clear(struct replay_readers *rs, int i)
{
	warc_reader_free(rs->slot[i].r);
	free(rs->slot[i].file);
	rs->slot[i].r = NULL;
	rs->slot[i].file = NULL;
}

void replay_readers_free(struct replay_readers *rs)
{
	int i;

	if (!rs)
		return;
	for (i = 0; i < READERS; i++)
		slot_clear(rs, i);
	free(rs->dir);
	free(rs);
}

/* Only a relative path inside the archive directory. */
static int safe_rel(const char *f)
{
	const char *p;

	if (!*f || *f == '/')
		return 0;
	for (p = f; *p; p = strchr(p, '/') ? strchr(p, '/') + 1 : p + strlen(p)) {
		size_t n = strcspn(p, "/");

		if ((n == 2 && !strncmp(p, "..", 2)) || n == 0)
			return 0;
	}
	return 1;
}

/* The reader for file (slot index), opened if needed (the final name, or
 * while its crawl still writes it, FILE.open). */
static int reader_for(struct replay_readers *rs, const char *file,
		      struct err *e)
{
	int i, victim = 0;
	char *path;
	size_t n;

	for (i = 0; i < READERS; i++)
		if (rs->slot[i].file && !strcmp(rs->slot[i].file, file)) {
			rs->slot[i].used = ++rs->clock;
			return i;
		}
	for (i = 1; i < READERS; i++)
		if (rs->slot[i].used < rs->slot[victim].used)
			victim = i;
	slot_clear(rs, victim);
	n = strlen(rs->dir) + strlen(file) + 8;
	if (!(path = malloc(n)))
		return err_set(e, "out of memory");
	snprintf(path, n, "%s/%s", rs->dir, file);
	rs->slot[victim].r = warc_reader_open(path, e);
	if (!rs->slot[victim].r) {
		struct err e2;

		snprintf(path, n, "%s/%s.open", rs->dir, file);
		rs->slot[victim].r = warc_reader_open(path, &e2);
	}
	free(path);
	if (!rs->slot[victim].r)
		return -1;
	if (!(rs->slot[victim].file = strdup(file))) {
		slot_clear(rs, victim);
		return err_set(e, "out of memory");
	}
	rs->slot[victim].used = ++rs->clock;
	return victim;
}

void replay_record_init(struct replay_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	warc_fields_init(&rec->headers);
	buf_init(&rec->payload, REPLAY_MAX_PAYLOAD);
}

void replay_record_release(struct replay_record *rec)
{
	warc_fields_release(&rec->headers);
	buf_release(&rec->payload);
}

static int fill(const struct warc_record *w, struct replay_record *out,
		struct err *e)
{
	struct warc_http h;
	size_t i;
	int rc;

	if (!warc_record_is_http(w)) {
		out->status = 200;
		if (w->content_type &&
		    warc_fields_add(&out->headers, "Content-Type",
				    w->content_type) < 0)
			return err_set(e, "out of memory");
		if (buf_add(&out->payload, w->block.data,
			    w->block.len > REPLAY_MAX_PAYLOAD ?
			    REPLAY_MAX_PAYLOAD : w->block.len) < 0)
			return err_set(e, "out of memory");
		out->cut = w->block.len > REPLAY_MAX_PAYLOAD;
		return 0;
	}
	warc_http_init(&h);
	if (warc_http_parse(w->block.data, w->block.len, &h, e) < 0 ||
	    h.is_request) {
		warc_http_release(&h);
		return err_set(e, "the record holds no HTTP response");
	}
	out->status = h.status ? h.status : 200;
	rc = warc_http_payload(w->block.data, w->block.len, &h, 1,
			       &out->payload, e);
	if (rc < 0) {
		/* an encoding we can't undo: the bytes as stored, with
		 * their Content-Encoding kept */
		buf_reset(&out->payload);
		rc = warc_http_payload(w->block.data, w->block.len, &h, 0,
				       &out->payload, e);
		if (rc < 0) {
			warc_http_release(&h);
			return -1;
		}
	} else {
		warc_fields_remove(&h.headers, "Content-Encoding");
	}
	out->cut = rc == 1;
	warc_fields_remove(&h.headers, "Transfer-Encoding");
	for (i = 0; i < h.headers.n; i++)
		if (warc_fields_add(&out->headers, h.headers.v[i].name,
				    h.headers.v[i].value) < 0) {
			/* a name that is not a token: left out */
		}
	warc_http_release(&h);
	return 0;
}

int replay_read(struct replay_readers *rs, const struct catalog_capture *cap,
		struct replay_record *out, struct err *e)
{
	struct warc_record *w;
	int i, tries;

	if (!cap->warc_file || !safe_rel(cap->warc_file))
		return err_set(e, "%s: not a file inside the archive",
			       cap->warc_file ? cap->warc_file : "(none)");
	for (tries = 0; tries < 2; tries++) {
		if ((i = reader_for(rs, cap->warc_file, e)) < 0)
			return -1;
		if (warc_reader_seek(rs->slot[i].r, cap->offset, e) == 0 &&
		    warc_reader_next(rs->slot[i].r, &w, e) > 0 &&
		    w->offset == cap->offset)
			return fill(w, out, e);
		/* a reader left unusable (or a file renamed meanwhile):
		 * open it again once */
		slot_clear(rs, i);
	}
	if (!e->msg[0])
		err_set(e, "%s:%llu: no record there", cap->warc_file,
			(unsigned long long)cap->offset);
	return -1;
}
