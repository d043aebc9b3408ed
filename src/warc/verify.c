/* warc verify: framing, mandatory fields and digests of every record. */
#include "warc/warc-internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/digest.h"
#include "util/timeutil.h"

struct vctx {
	const char *path;
	const struct warc_record *rec;
	warc_verify_cb cb;
	void *ctx;
	struct warc_verify_stats *st;
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

void warc_verify_record(const char *path, const struct warc_record *rec,
			warc_verify_cb cb, void *ctx,
			struct warc_verify_stats *stats)
{
	struct vctx v = { path, rec, cb, ctx, stats };
	const char *label = warc_fields_get(&rec->fields, "WARC-Block-Digest");
	char comp[80];
	int m;

	stats->records++;
	stats->bytes += rec->header_raw.len + rec->block.len + 4;
	say_lines(&v, 0, rec->problems.data);
	say_lines(&v, 1, rec->notes.data);
	check_fields(&v);
	if (label) {
		m = digest_matches(label, rec->block.data, rec->block.len, comp);
		if (m < 0)
			say(&v, 0, "WARC-Block-Digest '%.80s' is in no form we know", label);
		else if (m == 0)
			say(&v, 0, "WARC-Block-Digest %.80s does not match the block (%s)",
			    label, comp);
	}
	check_payload(&v);
}

int warc_verify_file(const char *path, warc_verify_cb cb, void *ctx,
		     struct warc_verify_stats *stats)
{
	struct vctx v = { path, NULL, cb, ctx, stats };
	struct warc_reader *r;
	struct warc_record *rec;
	struct err e;
	int rc, n = 0;

	stats->files++;
	r = warc_reader_open(path, &e);
	if (!r) {
		say(&v, 0, "%s", e.msg);
		return -1;
	}
	while ((rc = warc_reader_next(r, &rec, &e)) > 0) {
		warc_verify_record(path, rec, cb, ctx, stats);
		n++;
	}
	if (rc < 0) {
		/* The message starts "PATH:OFFSET: "; pass the offset on. */
		size_t pl = strlen(path);
		const char *m = e.msg;
		uint64_t off = UINT64_MAX;

		if (!strncmp(m, path, pl) && m[pl] == ':') {
			char *end;

			m += pl + 1;
			off = strtoull(m, &end, 10);
			if (end != m && *end == ':') {
				m = end + 1;
				while (*m == ' ')
					m++;
			} else {
				off = UINT64_MAX;
				while (*m == ' ')
					m++;
			}
		}
		stats->problems++;
		if (cb)
			cb(ctx, path, off, 0, m);
	} else if (n == 0) {
		stats->notes++;
		if (cb)
			cb(ctx, path, UINT64_MAX, 1, "no WARC records in the file");
	}
	v.rec = NULL;
	say_lines(&v, 1, warc_reader_file_notes(r));
	warc_reader_free(r);
	return 0;
}
