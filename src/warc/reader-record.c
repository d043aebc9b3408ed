/* reader-record: one WARC record's header (version line, fields, folded
 * lines), its Content-Length, and what follows its block (the CRLF CRLF
 * terminator, or garbage up to the next "WARC/" line). */
#include "warc/reader-internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void escape_bytes(const char *p, size_t n, char *out, size_t outsz)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < outsz; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\r') { out[o++] = '\\'; out[o++] = 'r'; }
		else if (c == '\n') { out[o++] = '\\'; out[o++] = 'n'; }
		else if (c >= 0x20 && c < 0x7f) out[o++] = (char)c;
		else o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
	}
	if (i < n && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static int token_ok(const char *p, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= 0x20 || c >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", c))
			return 0;
	}
	return 1;
}

/* Read the header at r->pos into rec; -1 with e set on failure. */
int warc_rd_parse_header(struct warc_reader *r, struct warc_record *rec,
			 uint64_t start, uint64_t *hend, struct err *e)
{
	uint64_t p = start, got;
	int first = 1;

	for (;;) {
		const char *s, *lf;
		size_t len, raw;

		got = warc_rd_avail_at(r, p, 4096);
		lf = got ? memchr(warc_rd_ptr(r, p), '\n', (size_t)got) : NULL;
		while (!lf && got && p - start + got < WARC_MAX_HEADER &&
		       !r->dec_eof && !r->dec_err) {
			got = warc_rd_avail_at(r, p, got + 65536);
			lf = memchr(warc_rd_ptr(r, p), '\n', (size_t)got);
		}
		if (!lf) {
			if (r->dec_err)
				return err_set(e, "%s", r->dec_e.msg);
			if (p - start + got >= WARC_MAX_HEADER)
				return err_set(e, "%s:%llu: WARC header larger than %u bytes",
					       r->path, (unsigned long long)start, WARC_MAX_HEADER);
			return err_set(e, "%s:%llu: file ends inside the WARC header (no blank line)",
				       r->path, (unsigned long long)start);
		}
		s = warc_rd_ptr(r, p);
		raw = (size_t)(lf - s) + 1;
		len = raw - 1;
		while (len && s[len - 1] == '\r')
			len--;
		if (buf_add(&rec->header_raw, s, raw) < 0)
			return err_set(e, "%s:%llu: WARC header larger than %u bytes",
				       r->path, (unsigned long long)start, WARC_MAX_HEADER);
		p += raw;
		if (first) {
			if (len < 6 || memcmp(s, "WARC/", 5))
				return err_set(e, "%s:%llu: no WARC record here (no 'WARC/' version line)",
					       r->path, (unsigned long long)start);
			snprintf(rec->version, sizeof(rec->version), "%.*s",
				 (int)(len - 5 < 15 ? len - 5 : 15), s + 5);
			if (strcmp(rec->version, "1.0") && strcmp(rec->version, "1.1") &&
			    strcmp(rec->version, "0.18") && strcmp(rec->version, "0.17"))
				buf_addf(&rec->notes, "unusual WARC version '%s'\n", rec->version);
			if (raw - len != 2 || s[len] != '\r')
				buf_adds(&rec->problems, "header lines do not end with CRLF\n");
			first = 0;
			continue;
		}
		if (len == 0)
			break;
		if ((*s == ' ' || *s == '\t') && rec->fields.n) {
			struct warc_field *f = &rec->fields.v[rec->fields.n - 1];
			size_t ol = strlen(f->value), k = 0;
			char *nv;

			while (k < len && (s[k] == ' ' || s[k] == '\t'))
				k++;
			nv = realloc(f->value, ol + 1 + (len - k) + 1);
			if (!nv)
				return err_set(e, "%s: out of memory", r->path);
			nv[ol] = ' ';
			memcpy(nv + ol + 1, s + k, len - k);
			nv[ol + 1 + len - k] = '\0';
			f->value = nv;
			buf_adds(&rec->notes, "folded header line\n");
			continue;
		}
		{
			const char *colon = memchr(s, ':', len), *v, *end = s + len;
			size_t nlen;

			if (!colon) {
				buf_adds(&rec->problems, "header line without a colon\n");
				continue;
			}
			nlen = (size_t)(colon - s);
			while (nlen && (s[nlen - 1] == ' ' || s[nlen - 1] == '\t'))
				nlen--;
			if (!token_ok(s, nlen))
				buf_addf(&rec->problems, "field name '%.*s' is not a token\n",
					 (int)(nlen < 64 ? nlen : 64), s);
			v = colon + 1;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if (warc_fields_add_raw(&rec->fields, s, nlen, v, (size_t)(end - v)) < 0)
				return err_set(e, "%s: out of memory", r->path);
		}
	}
	*hend = p;
	return 0;
}

int warc_rd_parse_length(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	while (*s == ' ')
		s++;
	if (*s)
		return -1;
	*out = v;
	return 0;
}

void warc_rd_set_shortcuts(struct warc_record *rec)
{
	const char *t = warc_fields_get(&rec->fields, "WARC-Type");
	const char *u = warc_fields_get(&rec->fields, "WARC-Target-URI");

	rec->type_name = t ? t : "";
	rec->type = warc_type_parse(t);
	rec->record_id = warc_fields_get(&rec->fields, "WARC-Record-ID");
	rec->date = warc_fields_get(&rec->fields, "WARC-Date");
	rec->content_type = warc_fields_get(&rec->fields, "Content-Type");
	if (u) {
		size_t n = strlen(u);

		if (n >= 2 && u[0] == '<' && u[n - 1] == '>')
			rec->target_uri = strndup(u + 1, n - 2);
		else
			rec->target_uri = strdup(u);
	}
}

/* After the block: the CRLF CRLF terminator, then anything up to the next
 * record.  Returns the position of the next record (or the end). */
uint64_t warc_rd_read_trailer(struct warc_reader *r, struct warc_record *rec,
			      uint64_t p)
{
	uint64_t got, q = p, k;
	char esc[64];

	got = warc_rd_avail_at(r, p, 8);
	while (q - p < got && (*warc_rd_ptr(r, q) == '\r' || *warc_rd_ptr(r, q) == '\n')) {
		q++;
		if (q - p == got)
			got = warc_rd_avail_at(r, p, got + 8);
	}
	if (q - p != 4 || memcmp(warc_rd_ptr(r, p), "\r\n\r\n", 4)) {
		escape_bytes(warc_rd_ptr(r, p), (size_t)(q - p), esc, sizeof(esc));
		buf_addf(&rec->problems, "record ends with '%s' instead of CRLF CRLF\n",
			 q == p ? "" : esc);
	}
	got = warc_rd_avail_at(r, q, 5);
	if (got == 0 || (got >= 5 && !memcmp(warc_rd_ptr(r, q), "WARC/", 5)))
		return q;
	/* Junk after the record: the Content-Length was wrong.  Find the next
	 * record (a line starting "WARC/") without guessing inside this one. */
	for (k = 1;; k++) {
		got = warc_rd_avail_at(r, q, k + 6);
		if (got < k + 5) {
			buf_addf(&rec->problems, "%llu bytes of garbage after the record%s\n",
				 (unsigned long long)got,
				 r->dec_err ? "" : " (up to the end of the file)");
			return q + got;
		}
		if (k > RESYNC_MAX) {
			buf_addf(&rec->problems, "more than %llu bytes of garbage after the record\n",
				 (unsigned long long)RESYNC_MAX);
			return q + k;
		}
		if ((warc_rd_ptr(r, q)[k - 1] == '\n') && !memcmp(warc_rd_ptr(r, q + k), "WARC/", 5))
			break;
	}
	escape_bytes(warc_rd_ptr(r, q), (size_t)(k < 24 ? k : 24), esc, sizeof(esc));
	buf_addf(&rec->problems,
		 "%llu unexpected bytes after the record ('%s'): Content-Length does not match the block\n",
		 (unsigned long long)k, esc);
	return q + k;
}
