/* warc http: the HTTP message inside a request/response/revisit block. */
#include "warc/warc-internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#include <brotli/decode.h>

#define HTTP_MAX_HEAD (1u << 20)
#define PAYLOAD_MAX ((size_t)1 << 31)

void warc_http_init(struct warc_http *h)
{
	memset(h, 0, sizeof(*h));
	warc_fields_init(&h->headers);
}

void warc_http_release(struct warc_http *h)
{
	free(h->target);
	free(h->reason);
	warc_fields_release(&h->headers);
	warc_http_init(h);
}

/* The end of the line starting at p (index of its LF), or -1. */
static long line_end(const char *p, size_t n)
{
	const char *lf = memchr(p, '\n', n);

	return lf ? lf - p : -1;
}

/* Length without trailing CRs (pywb's missing-status-text has CR CR LF). */
static size_t trim_cr(const char *p, size_t len)
{
	while (len && p[len - 1] == '\r')
		len--;
	return len;
}

static int is_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

static int parse_first_line(const char *p, size_t len, struct warc_http *h)
{
	const char *sp, *end = p + len;
	size_t i;

	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
		sp = memchr(p, ' ', len);
		if (!sp || (size_t)(sp - p) >= sizeof(h->version))
			return -1;
		memcpy(h->version, p, (size_t)(sp - p));
		while (sp < end && *sp == ' ')
			sp++;
		if (end - sp < 3 || !isdigit((unsigned char)sp[0]) ||
		    !isdigit((unsigned char)sp[1]) || !isdigit((unsigned char)sp[2]))
			return -1;
		h->status = (sp[0] - '0') * 100 + (sp[1] - '0') * 10 + (sp[2] - '0');
		sp += 3;
		while (sp < end && *sp == ' ')
			sp++;
		h->reason = strndup(sp, (size_t)(end - sp));
		return h->reason ? 0 : -1;
	}
	/* A request line: METHOD SP target SP HTTP/x.y */
	for (i = 0; i < len && i < sizeof(h->method) - 1 && is_token_char((unsigned char)p[i]); i++)
		;
	if (i == 0 || i >= len || p[i] != ' ')
		return -1;
	memcpy(h->method, p, i);
	h->method[i] = '\0';
	p += i + 1;
	sp = memchr(p, ' ', (size_t)(end - p));
	if (!sp || end - sp < 6 || memcmp(sp + 1, "HTTP/", 5))
		return -1;
	h->target = strndup(p, (size_t)(sp - p));
	if ((size_t)(end - sp - 1) < sizeof(h->version))
		memcpy(h->version, sp + 1, (size_t)(end - sp - 1));
	h->is_request = 1;
	return h->target ? 0 : -1;
}

static int add_header_line(struct warc_http *h, const char *p, size_t len)
{
	const char *colon = memchr(p, ':', len), *v, *end = p + len;
	size_t nlen;

	if ((*p == ' ' || *p == '\t') && h->headers.n) {
		/* obsolete folding: append to the previous value */
		struct warc_field *f = &h->headers.v[h->headers.n - 1];
		size_t ol = strlen(f->value);
		char *nv;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		nv = realloc(f->value, ol + 1 + (size_t)(end - p) + 1);
		if (!nv)
			return -1;
		nv[ol] = ' ';
		memcpy(nv + ol + 1, p, (size_t)(end - p));
		nv[ol + 1 + (end - p)] = '\0';
		f->value = nv;
		return 0;
	}
	if (!colon || colon == p)
		return 0;               /* not a header: ignore it */
	nlen = (size_t)(colon - p);
	while (nlen && (p[nlen - 1] == ' ' || p[nlen - 1] == '\t'))
		nlen--;
	v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return warc_fields_add_raw(&h->headers, p, nlen, v, (size_t)(end - v));
}

static int has_token(const char *list, const char *tok)
{
	size_t tl = strlen(tok);
	const char *s = list;

	while (s && *s) {
		while (*s == ' ' || *s == ',' || *s == '\t')
			s++;
		if (!strncasecmp(s, tok, tl) &&
		    (s[tl] == '\0' || s[tl] == ',' || s[tl] == ' ' || s[tl] == ';'))
			return 1;
		s = strchr(s, ',');
	}
	return 0;
}

int warc_http_parse(const void *block, size_t n, struct warc_http *h,
		    struct err *e)
{
	const char *p = block;
	size_t pos = 0, len;
	long le;
	const char *te;
	int first = 1;

	warc_http_release(h);
	if (n > HTTP_MAX_HEAD)
		n = HTTP_MAX_HEAD;
	for (;;) {
		le = line_end(p + pos, n - pos);
		if (le < 0)
			return err_set(e, "HTTP header has no end");
		len = trim_cr(p + pos, (size_t)le);
		if (first) {
			if (parse_first_line(p + pos, len, h) < 0) {
				warc_http_release(h);
				return err_set(e, "block does not start with an HTTP status or request line");
			}
			first = 0;
		} else if (len == 0) {
			pos += (size_t)le + 1;
			break;
		} else if (add_header_line(h, p + pos, len) < 0) {
			return err_set(e, "out of memory");
		}
		pos += (size_t)le + 1;
	}
	h->head_len = pos;
	te = warc_fields_get(&h->headers, "Transfer-Encoding");
	h->chunked = te && has_token(te, "chunked");
	return 0;
}

int warc_record_is_http(const struct warc_record *rec)
{
	const char *ct = rec->content_type;

	if (ct && !strncasecmp(ct, "application/http", 16))
		return 1;
	if (rec->type != WARC_T_RESPONSE && rec->type != WARC_T_REQUEST &&
	    rec->type != WARC_T_REVISIT)
		return 0;
	if (ct && *ct)
		return 0;
	return rec->block.len >= 5 && !memcmp(rec->block.data, "HTTP/", 5);
}

int warc_dechunk(const void *data, size_t n, struct buf *out)
{
	const char *p = data, *end = p + n;

	for (;;) {
		uint64_t size = 0;
		int digits = 0, crlf;

		while (p < end && isxdigit((unsigned char)*p)) {
			int c = tolower((unsigned char)*p);

			if (size > (UINT64_C(1) << 40))
				return -1;
			size = size * 16 + (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
			digits++;
			p++;
		}
		if (!digits)
			return -1;
		/* chunk extensions and blanks up to the line end */
		while (p < end && *p != '\n') {
			if (*p != ';' && *p != ' ' && *p != '\t' && *p != '\r' &&
			    (unsigned char)*p < 0x20)
				return -1;
			p++;
		}
		if (p >= end)
			return size == 0 ? 0 : -1;
		crlf = p[-1] == '\r';
		p++;
		if (size == 0)
			return 0;       /* trailers ignored */
		if ((uint64_t)(end - p) < size)
			return -1;
		if (buf_add(out, p, (size_t)size) < 0)
			return -1;
		p += size;
		/* the chunk ends with the same line end as its size line */
		if (crlf) {
			if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
				return -1;
			p += 2;
		} else {
			if (p >= end || *p != '\n')
				return -1;
			p++;
		}
		if (p >= end)
			return -1;  /* no last chunk */
	}
}

static int inflate_all(const void *p, size_t n, int wbits, struct buf *out)
{
	z_stream z;
	unsigned char tmp[65536];
	int rc, ret = -1;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	do {
		z.next_out = tmp;
		z.avail_out = sizeof(tmp);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			goto out;
		if (buf_add(out, tmp, sizeof(tmp) - z.avail_out) < 0)
			goto out;
		if (rc == Z_BUF_ERROR && z.avail_out != 0)
			goto out;   /* truncated */
	} while (rc != Z_STREAM_END);
	ret = 0;
out:
	inflateEnd(&z);
	return ret;
}

/* Brotli (Content-Encoding: br) into out, within out's cap. */
static int unbrotli_all(const void *p, size_t n, struct buf *out)
{
	BrotliDecoderState *d = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	const uint8_t *in = p;
	size_t avail_in = n, avail_out;
	uint8_t tmp[65536], *next;
	BrotliDecoderResult r;
	int ret = -1;

	if (!d)
		return -1;
	do {
		next = tmp;
		avail_out = sizeof(tmp);
		r = BrotliDecoderDecompressStream(d, &avail_in, &in, &avail_out,
						  &next, NULL);
		if (r == BROTLI_DECODER_RESULT_ERROR ||
		    buf_add(out, tmp, sizeof(tmp) - avail_out) < 0)
			goto out;
		if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
			goto out;   /* truncated */
	} while (r != BROTLI_DECODER_RESULT_SUCCESS);
	ret = 0;
out:
	BrotliDecoderDestroyInstance(d);
	return ret;
}

int warc_http_payload(const void *block, size_t n, const struct warc_http *h,
		      int decode, struct buf *out, struct err *e)
{
	const char *body = (const char *)block + h->head_len;
	size_t blen = n - h->head_len;
	struct buf tmp = BUF_INIT(PAYLOAD_MAX);
	const char *ce;
	int rc = -1;

	if (h->head_len > n)
		return err_set(e, "HTTP head longer than the block");
	if (h->chunked && warc_dechunk(body, blen, &tmp) == 0) {
		body = tmp.data;
		blen = tmp.len;
	}
	ce = decode ? warc_fields_get(&h->headers, "Content-Encoding") : NULL;
	if (ce && (has_token(ce, "gzip") || has_token(ce, "x-gzip"))) {
		if (inflate_all(body, blen, 15 + 32, out) < 0) {
			err_set(e, "bad gzip content encoding");
			goto out;
		}
	} else if (ce && has_token(ce, "deflate")) {
		size_t keep = out->len;

		if (inflate_all(body, blen, 15, out) < 0) {
			buf_setlen(out, keep);
			if (inflate_all(body, blen, -15, out) < 0) {
				err_set(e, "bad deflate content encoding");
				goto out;
			}
		}
	} else if (ce && has_token(ce, "br")) {
		if (unbrotli_all(body, blen, out) < 0) {
			err_set(e, "bad br content encoding");
			goto out;
		}
	} else if (ce && *ce && strcasecmp(ce, "identity")) {
		err_set(e, "content encoding '%s' not supported", ce);
		goto out;
	} else if (buf_add(out, body, blen) < 0) {
		err_set(e, "payload too large");
		goto out;
	}
	rc = 0;
out:
	buf_release(&tmp);
	return rc;
}

int warc_looks_chunked(const void *data, size_t n)
{
	const char *p = data, *end = p + n;
	int digits = 0;

	while (p < end && isxdigit((unsigned char)*p) && digits < 17) {
		p++;
		digits++;
	}
	if (!digits)
		return 0;
	while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
		while (p < end && *p != '\r' && *p != '\n')
			p++;
	return p < end && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'));
}
