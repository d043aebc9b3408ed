/* extract-store: the storable line form of a struct diff_page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff/extract.h"
#include "util/digest.h"

static int add_field(struct buf *out, const char *tag, const char *a,
		     const char *b)
{
	if (buf_adds(out, tag) < 0 || buf_addc(out, '\t') < 0 ||
	    buf_adds(out, a) < 0)
		return -1;
	if (b && (buf_addc(out, '\t') < 0 || buf_adds(out, b) < 0))
		return -1;
	return buf_addc(out, '\n');
}

int diff_page_serialize(const struct diff_page *p, struct buf *out)
{
	size_t i;

	if (add_field(out, "@title", p->title ? p->title : "", NULL) < 0 ||
	    add_field(out, "@rule", p->rule, NULL) < 0 ||
	    (p->updated.raw && add_field(out, "@updated", p->updated.ymd,
					 p->updated.raw) < 0) ||
	    (p->issued.raw && add_field(out, "@issued", p->issued.ymd,
					p->issued.raw) < 0) ||
	    add_field(out, "@digest", p->text_digest, NULL) < 0 ||
	    (p->truncated && add_field(out, "@truncated", "1", NULL) < 0))
		return -1;
	for (i = 0; i < p->n_links; i++)
		if (add_field(out, "@link", p->links[i], NULL) < 0)
			return -1;
	for (i = 0; i < p->n_blocks; i++)
		if (add_field(out, diff_block_kind_name(p->blocks[i].kind),
			      p->blocks[i].text, NULL) < 0)
			return -1;
	return 0;
}

static int push(void **arr, size_t *n, size_t *alloc, size_t size)
{
	if (*n == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 16;
		void *p = realloc(*arr, na * size);

		if (!p)
			return -1;
		*arr = p;
		*alloc = na;
	}
	return 0;
}

static int set_date(struct diff_date *d, const char *v, size_t n)
{
	const char *tab = memchr(v, '\t', n);

	if (!tab || tab - v > 10)
		return -1;
	memcpy(d->ymd, v, (size_t)(tab - v));
	d->ymd[tab - v] = '\0';
	free(d->raw);
	d->raw = strndup(tab + 1, n - (size_t)(tab + 1 - v));
	return d->raw ? 0 : -1;
}

/* One "TAG\tVALUE" line. */
static int parse_one(struct diff_page *p, const char *line, size_t n,
		     size_t *ab, size_t *al)
{
	const char *tab = memchr(line, '\t', n);
	size_t tn, vn;
	const char *v;
	int k;

	if (!tab || memchr(line, '\0', n))
		return -1;
	tn = (size_t)(tab - line);
	v = tab + 1;
	vn = n - tn - 1;
	if (line[0] == '@') {
		if (tn == 6 && !memcmp(line, "@title", 6)) {
			free(p->title);
			return (p->title = strndup(v, vn)) ? 0 : -1;
		}
		if (tn == 5 && !memcmp(line, "@rule", 5)) {
			snprintf(p->rule, sizeof(p->rule), "%.*s", (int)vn, v);
			return 0;
		}
		if (tn == 7 && !memcmp(line, "@digest", 7)) {
			snprintf(p->text_digest, sizeof(p->text_digest), "%.*s",
				 (int)vn, v);
			return 0;
		}
		if (tn == 8 && !memcmp(line, "@updated", 8))
			return set_date(&p->updated, v, vn);
		if (tn == 7 && !memcmp(line, "@issued", 7))
			return set_date(&p->issued, v, vn);
		if (tn == 10 && !memcmp(line, "@truncated", 10)) {
			p->truncated = 1;
			return 0;
		}
		if (tn == 5 && !memcmp(line, "@link", 5)) {
			if (push((void **)&p->links, &p->n_links, al,
				 sizeof(*p->links)) < 0 ||
			    !(p->links[p->n_links] = strndup(v, vn)))
				return -1;
			p->n_links++;
		}
		return 0;       /* unknown: a newer writer */
	}
	k = diff_block_kind_parse(line, tn);
	if (k < 0 || !vn ||
	    push((void **)&p->blocks, &p->n_blocks, ab, sizeof(*p->blocks)) < 0)
		return -1;
	p->blocks[p->n_blocks].kind = k;
	p->blocks[p->n_blocks].len = vn;
	if (!(p->blocks[p->n_blocks].text = strndup(v, vn)))
		return -1;
	p->n_blocks++;
	return 0;
}

int diff_page_parse(const char *s, size_t len, struct diff_page *out,
		    struct err *e)
{
	size_t pos = 0, ab = 0, al = 0, lineno = 0;

	diff_page_init(out);
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (s + pos)) : len - pos;

		lineno++;
		if (n && parse_one(out, s + pos, n, &ab, &al) < 0) {
			diff_page_release(out);
			return err_set(e, "stored page text, line %zu: malformed",
				       lineno);
		}
		pos += n + 1;
	}
	if (!out->title && !(out->title = strdup(""))) {
		diff_page_release(out);
		return err_set(e, "stored page text: out of memory");
	}
	return 0;
}
