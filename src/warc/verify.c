/* warc verify: framing, mandatory fields and digests of every record. */
#include "warc/warc-internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/timeutil.h"

struct vctx {
	const char *path;
	const struct warc_record *rec;
	warc_verify_cb cb;
	void *ctx;
	struct warc_verify_stats *st;
	struct buf *defer;          /* set: collect "N|what\n" lines instead */
};

/* A second thread checks the payload digest while the caller checks the
 * block digest: SHA-1 is most of verify's time. */
struct helper {
	pthread_t t;
	atomic_int state;           /* 0 idle, 1 job given, 2 job done, 3 quit */
	struct vctx v;
	struct buf out;
};

static void say(struct vctx *v, int note, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct vctx *v, int note, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (v->defer) {
		buf_addf(v->defer, "%d|%s\n", note, msg);
		return;
	}
	if (note)
		v->st->notes++;
	else
		v->st->problems++;
	if (v->cb)
		v->cb(v->ctx, v->path, v->rec ? v->rec->offset : UINT64_MAX, note, msg);
}

/* Report each line of a "what\n" list. */
static void say_lines(struct vctx *v, int note, const char *lines)
{
	while (lines && *lines) {
		const char *nl = strchr(lines, '\n');
		size_t n = nl ? (size_t)(nl - lines) : strlen(lines);

		say(v, note, "%.*s", (int)n, lines);
		lines += n + (nl ? 1 : 0);
	}
}

/* 1 match, 0 mismatch, -1 label not understood. */
static int digest_matches(const char *label, const void *p, size_t n,
			  char computed[80])
{
	enum digest_alg alg;
	uint8_t want[DIGEST_MAX], got[DIGEST_MAX];
	size_t wlen;
	struct digest d;

	if (digest_parse(label, &alg, want, &wlen) < 0)
		return -1;
	if (digest_init(&d, alg) < 0)
		return -1;
	digest_update(&d, p, n);
	digest_final(&d, got);
	digest_release(&d);
	if (alg == DIGEST_SHA1) {
		digest_sha1_format(got, computed);
	} else {
		char hex[2 * DIGEST_MAX + 1];

		digest_hex(got, wlen, hex);
		snprintf(computed, 80, "%s:%s", alg == DIGEST_SHA256 ? "sha256" : "md5", hex);
	}
	return memcmp(want, got, wlen) == 0;
}

static void check_fields(struct vctx *v)
{
	const struct warc_record *rec = v->rec;
	time_t t;

	if (!rec->record_id)
		say(v, 0, "missing WARC-Record-ID");
	if (!rec->date)
		say(v, 0, "missing WARC-Date");
	else if (time_parse_warc_date(rec->date, &t) < 0)
		say(v, 0, "bad WARC-Date '%.64s'", rec->date);
	if (!*rec->type_name)
		say(v, 0, "missing WARC-Type");
	else if (rec->type == WARC_T_UNKNOWN)
		say(v, 1, "unknown record type '%.64s'", rec->type_name);
	if (rec->content_length && !rec->content_type)
		say(v, 0, "no Content-Type on a non-empty block");
	switch (rec->type) {
	case WARC_T_RESPONSE: case WARC_T_RESOURCE: case WARC_T_REQUEST:
	case WARC_T_REVISIT: case WARC_T_CONVERSION: case WARC_T_CONTINUATION:
		if (!rec->target_uri)
			say(v, 0, "missing WARC-Target-URI on a %s record", rec->type_name);
		break;
	default:
		break;
	}
	if (rec->type == WARC_T_REVISIT && !warc_fields_get(&rec->fields, "WARC-Profile"))
		say(v, 0, "revisit without WARC-Profile");
	{
		const char *u = warc_fields_get(&rec->fields, "WARC-Target-URI");

		if (u && *u == '<')
			say(v, 1, "WARC-Target-URI in <> (WARC 1.0 grammar; written bare since 1.1)");
	}
}

static void check_payload(struct vctx *v)
{
	const struct warc_record *rec = v->rec;
	const char *label = warc_fields_get(&rec->fields, "WARC-Payload-Digest");
	struct warc_http h;
	struct buf plain = BUF_INIT(0);
	const char *body;
	size_t blen;
	char comp[80];
	int m, is_http = warc_record_is_http(rec), dechunked = 0;

	warc_http_init(&h);
	if (is_http && rec->block.len) {
		struct err he;

		if (warc_http_parse(rec->block.data, rec->block.len, &h, &he) < 0) {
			if (label && rec->type != WARC_T_REVISIT)
				say(v, 0, "WARC-Payload-Digest can't be checked: %s", he.msg);
			goto out;
		}
		body = rec->block.data + h.head_len;
		blen = rec->block.len - h.head_len;
		if (h.chunked && blen) {
			if (warc_dechunk(body, blen, &plain) == 0)
				dechunked = 1;
			else if (warc_fields_get(&rec->fields, "WARC-Truncated"))
				/* the writer cut the body at a limit, mid-chunk */
				say(v, 1, "chunked body cut short (WARC-Truncated: %.40s)",
				    warc_fields_get(&rec->fields, "WARC-Truncated"));
			else if (warc_looks_chunked(body, blen))
				say(v, 0, "Transfer-Encoding: chunked body with broken chunk framing");
			else
				say(v, 1, "Transfer-Encoding: chunked but the body is stored de-chunked");
		}
	} else if (is_http || (!rec->block.len && rec->type != WARC_T_RESOURCE)) {
		if (label && rec->type != WARC_T_REVISIT && !rec->block.len)
			say(v, 1, "empty block: WARC-Payload-Digest can't be checked");
		goto out;
	} else {
		body = rec->block.data;
		blen = rec->block.len;
	}
	if (!label || rec->type == WARC_T_REVISIT ||
	    warc_fields_get(&rec->fields, "WARC-Truncated"))
		goto out;
	m = digest_matches(label, dechunked ? plain.data : body,
			   dechunked ? plain.len : blen, comp);
	if (m < 0) {
		say(v, 0, "WARC-Payload-Digest '%.80s' is in no form we know", label);
	} else if (m == 0 && dechunked &&
		   digest_matches(label, body, blen, comp) == 1) {
		say(v, 1, "WARC-Payload-Digest is over the raw chunked body (as wget/wpull/warcprox write it), not the de-chunked entity");
	} else if (m == 0) {
		digest_matches(label, dechunked ? plain.data : body,
			       dechunked ? plain.len : blen, comp);
		say(v, 0, "WARC-Payload-Digest %.80s does not match the payload (%s)",
		    label, comp);
	}
out:
	warc_http_release(&h);
	buf_release(&plain);
}

static void replay(struct vctx *v, const struct buf *lines)
{
	const char *p = lines->data;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int note = *p == '1';

		say(v, note, "%.*s", (int)(nl - p - 2), p + 2);
		p = nl + 1;
	}
}

/* Wait (spinning, then yielding: a futex wake-up per record costs more
 * than the work) until *state is one of a or b; returns it. */
static int wait_state(atomic_int *state, int a, int b)
{
	unsigned spins = 0;
	int s;

	while ((s = atomic_load_explicit(state, memory_order_acquire)) != a && s != b)
		if (++spins > 2000)
			sched_yield();
	return s;
}

static void *helper_main(void *arg)
{
	struct helper *h = arg;

	while (wait_state(&h->state, 1, 3) == 1) {
		check_payload(&h->v);
		atomic_store_explicit(&h->state, 2, memory_order_release);
	}
	return NULL;
}

static void check_block(struct vctx *v)
{
	const struct warc_record *rec = v->rec;
	const char *label = warc_fields_get(&rec->fields, "WARC-Block-Digest");
	char comp[80];
	int m;

	if (!label)
		return;
	m = digest_matches(label, rec->block.data, rec->block.len, comp);
	if (m < 0)
		say(v, 0, "WARC-Block-Digest '%.80s' is in no form we know", label);
	else if (m == 0)
		say(v, 0, "WARC-Block-Digest %.80s does not match the block (%s)",
		    label, comp);
}

static void verify_record(struct vctx *v, struct helper *h)
{
	const struct warc_record *rec = v->rec;

	v->st->records++;
	v->st->bytes += rec->header_raw.len + rec->block.len + 4;
	say_lines(v, 0, rec->problems.data);
	say_lines(v, 1, rec->notes.data);
	check_fields(v);
	if (!h || rec->block.len < 32768) {
		check_block(v);
		check_payload(v);
		return;
	}
	h->v = *v;
	h->v.defer = &h->out;
	buf_reset(&h->out);
	atomic_store_explicit(&h->state, 1, memory_order_release);
	check_block(v);
	wait_state(&h->state, 2, 2);
	atomic_store_explicit(&h->state, 0, memory_order_relaxed);
	replay(v, &h->out);
}

void warc_verify_record(const char *path, const struct warc_record *rec,
			warc_verify_cb cb, void *ctx,
			struct warc_verify_stats *stats)
{
	struct vctx v = { path, rec, cb, ctx, stats, NULL };

	verify_record(&v, NULL);
}

static struct helper *helper_start(void)
{
	struct helper *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	buf_init(&h->out, 0);
	atomic_init(&h->state, 0);
	if (pthread_create(&h->t, NULL, helper_main, h) != 0) {
		free(h);
		return NULL;
	}
	return h;
}

static void helper_stop(struct helper *h)
{
	if (!h)
		return;
	atomic_store_explicit(&h->state, 3, memory_order_release);
	pthread_join(h->t, NULL);
	buf_release(&h->out);
	free(h);
}

/* A reader error "PATH:OFFSET: what" as a problem at OFFSET. */
static void report_read_error(struct vctx *v, const char *path, const char *msg)
{
	size_t pl = strlen(path);
	const char *m = msg;
	uint64_t off = UINT64_MAX;

	if (!strncmp(m, path, pl) && m[pl] == ':') {
		char *end;

		m += pl + 1;
		off = strtoull(m, &end, 10);
		if (end != m && *end == ':') {
			m = end + 1;
		} else {
			off = UINT64_MAX;
		}
		while (*m == ' ')
			m++;
	}
	v->st->problems++;
	if (v->cb)
		v->cb(v->ctx, path, off, 0, m);
}

int warc_verify_file(const char *path, warc_verify_cb cb, void *ctx,
		     struct warc_verify_stats *stats)
{
	struct vctx v = { path, NULL, cb, ctx, stats, NULL };
	struct warc_reader *r;
	struct warc_record *rec;
	struct helper *h = NULL;
	struct err e;
	int rc, n = 0, damaged = 0, after = 0;
	uint64_t at;

	stats->files++;
	r = warc_reader_open(path, &e);
	if (!r) {
		say(&v, 0, "%s", e.msg);
		return -1;
	}
	for (;;) {
		while ((rc = warc_reader_next(r, &rec, &e)) > 0) {
			if (!h && rec->block.len >= 32768 &&
			    sysconf(_SC_NPROCESSORS_ONLN) > 1)
				h = helper_start();
			v.rec = rec;
			verify_record(&v, h);
			n++;
			after += damaged;
		}
		v.rec = NULL;
		if (rc == 0)
			break;
		report_read_error(&v, path, e.msg);
		/* every record is its own frame/member: read on after the damage */
		if (!warc_reader_seekable(r) || warc_reader_resync(r, &at, &e) <= 0)
			break;
		damaged = 1;
		stats->notes++;
		if (cb)
			cb(ctx, path, at, 1, "next readable record after the damage");
	}
	helper_stop(h);
	if (damaged) {
		char m[96];

		snprintf(m, sizeof(m), "%d record%s read after the damage", after,
			 after == 1 ? "" : "s");
		stats->notes++;
		if (cb)
			cb(ctx, path, UINT64_MAX, 1, m);
	} else if (rc == 0 && n == 0) {
		stats->notes++;
		if (cb)
			cb(ctx, path, UINT64_MAX, 1, "no WARC records in the file");
	}
	say_lines(&v, 1, warc_reader_file_notes(r));
	warc_reader_free(r);
	return 0;
}
