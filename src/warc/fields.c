/* warc fields: header field lists, record type and format names. */
#include "warc/warc-internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[] = {
	"unknown", "warcinfo", "response", "resource", "request",
	"metadata", "revisit", "conversion", "continuation",
};

const char *warc_type_name(enum warc_type t)
{
	if ((unsigned)t >= sizeof(type_names) / sizeof(type_names[0]))
		return "unknown";
	return type_names[t];
}

enum warc_type warc_type_parse(const char *s)
{
	size_t i;

	if (!s)
		return WARC_T_UNKNOWN;
	for (i = 1; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (!strcasecmp(s, type_names[i]))
			return (enum warc_type)i;
	return WARC_T_UNKNOWN;
}

const char *warc_compression_name(enum warc_compression c)
{
	switch (c) {
	case WARC_C_PLAIN: return "plain";
	case WARC_C_GZIP: return "gzip";
	case WARC_C_ZSTD: return "zstd";
	case WARC_C_BZIP2: return "bzip2";
	case WARC_C_XZ: return "xz";
	}
	return "unknown";
}

const char *warc_format_ext(enum warc_format f)
{
	switch (f) {
	case WARC_FMT_GZ: return ".warc.gz";
	case WARC_FMT_PLAIN: return ".warc";
	case WARC_FMT_ZST: break;
	}
	return ".warc.zst";
}

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcasecmp(s + n - m, suf);
}

int warc_format_from_name(const char *name, enum warc_format *f)
{
	if (ends_with(name, ".zst"))
		*f = WARC_FMT_ZST;
	else if (ends_with(name, ".gz"))
		*f = WARC_FMT_GZ;
	else if (ends_with(name, ".warc"))
		*f = WARC_FMT_PLAIN;
	else
		return -1;
	return 0;
}

int warc_profile_kind(const char *uri)
{
	if (!uri)
		return 0;
	if (strstr(uri, "server-not-modified"))
		return 2;
	if (strstr(uri, "identical-payload-digest"))
		return 1;
	return 0;
}

void warc_fields_init(struct warc_fields *f)
{
	f->v = NULL;
	f->n = f->alloc = 0;
}

void warc_fields_release(struct warc_fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	warc_fields_init(f);
}

const char *warc_fields_get_nth(const struct warc_fields *f, const char *name,
				size_t nth)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcasecmp(f->v[i].name, name) && nth-- == 0)
			return f->v[i].value;
	return NULL;
}

const char *warc_fields_get(const struct warc_fields *f, const char *name)
{
	return warc_fields_get_nth(f, name, 0);
}

int warc_value_sanitise(const char *value, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)(value ? value : "");
	size_t start = out->len, end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	for (; *s; s++) {
		unsigned char c = *s;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			c = ' ';
		if (buf_addc(out, (char)c) < 0)
			return -1;
	}
	end = out->len;
	while (end > start && (out->data[end - 1] == ' ' || out->data[end - 1] == '\t'))
		end--;
	buf_setlen(out, end);
	return 0;
}

static int name_ok(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;

	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= 0x20 || *s == 0x7f || *s == ':')
			return 0;
	return 1;
}

int warc_fields_add_raw(struct warc_fields *f, const char *name, size_t nlen,
			const char *value, size_t vlen)
{
	struct warc_field *nv;
	char *n, *v;

	if (f->n == f->alloc) {
		size_t na = f->alloc ? f->alloc * 2 : 16;

		nv = realloc(f->v, na * sizeof(*nv));
		if (!nv)
			return -1;
		f->v = nv;
		f->alloc = na;
	}
	n = strndup(name, nlen);
	v = strndup(value, vlen);
	if (!n || !v) {
		free(n);
		free(v);
		return -1;
	}
	f->v[f->n].name = n;
	f->v[f->n].value = v;
	f->n++;
	return 0;
}

int warc_fields_add(struct warc_fields *f, const char *name, const char *value)
{
	struct buf b = BUF_INIT(0);
	int rc = -1;

	if (!name || !name_ok(name))
		return -1;
	if (warc_value_sanitise(value, &b) < 0)
		goto out;
	rc = warc_fields_add_raw(f, name, strlen(name), b.data, b.len);
out:
	buf_release(&b);
	return rc;
}

size_t warc_fields_remove(struct warc_fields *f, const char *name)
{
	size_t i, o = 0, removed = 0;

	for (i = 0; i < f->n; i++) {
		if (!strcasecmp(f->v[i].name, name)) {
			free(f->v[i].name);
			free(f->v[i].value);
			removed++;
		} else {
			f->v[o++] = f->v[i];
		}
	}
	f->n = o;
	return removed;
}

int warc_fields_set(struct warc_fields *f, const char *name, const char *value)
{
	struct buf b = BUF_INIT(0);
	size_t i;
	char *v;

	if (!name || !name_ok(name))
		return -1;
	for (i = 0; i < f->n; i++)
		if (!strcasecmp(f->v[i].name, name))
			break;
	if (i == f->n)
		return warc_fields_add(f, name, value);
	if (warc_value_sanitise(value, &b) < 0) {
		buf_release(&b);
		return -1;
	}
	v = buf_detach(&b, NULL);
	free(f->v[i].value);
	f->v[i].value = v;
	/* Drop later repeats so exactly one remains. */
	{
		size_t j, o = i + 1;

		for (j = i + 1; j < f->n; j++) {
			if (!strcasecmp(f->v[j].name, name)) {
				free(f->v[j].name);
				free(f->v[j].value);
			} else {
				f->v[o++] = f->v[j];
			}
		}
		f->n = o;
	}
	return 0;
}

int warc_fields_format(const struct warc_fields *f, struct buf *out)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (buf_addf(out, "%s: %s\r\n", f->v[i].name, f->v[i].value) < 0)
			return -1;
	return 0;
}

void warc_charset_of(const char *ct, char *out, size_t outsz)
{
	const char *p;
	size_t n;

	if (!outsz)
		return;
	out[0] = '\0';
	for (p = ct; p && (p = strchr(p, ';')); ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8))
			continue;
		p += 8;
		if (*p == '"' || *p == '\'')
			p++;
		n = strcspn(p, "\"'; \t");
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, p, n);
		out[n] = '\0';
		return;
	}
}

void warc_mime_only(const char *ct, char *out, size_t outsz)
{
	size_t i = 0;

	if (!outsz)
		return;
	if (ct) {
		while (*ct == ' ' || *ct == '\t')
			ct++;
		for (; *ct && *ct != ';' && *ct != ' ' && *ct != '\t' &&
		       i + 1 < outsz; ct++)
			out[i++] = (char)tolower((unsigned char)*ct);
	}
	out[i] = '\0';
}
