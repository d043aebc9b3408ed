/* catalog cdxj: a CDXJ index of the archive's WARC files as pywb and
 * cdxj-indexer write it:
 *   SURT TIMESTAMP14 {"url": ..., "mime": ..., "status": ..., "digest": ...,
 *                     "length": ..., "offset": ..., "filename": ...}
 * (pywb's own spacing: Python's json.dumps), one line per response,
 * revisit and resource record, byte-sorted; length and offset (the
 * compressed record's) as strings; revisits have mime "warc/revisit" and
 * no status, like pywb's sample indexes; a field with no value (a
 * resource's status, a record without a payload digest) is left out;
 * digest as the record has it ("sha1:BASE32", as cdxj-indexer keeps it);
 * filename relative to the archive dir. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-files.h"
#include "catalog/catalog-int.h"
#include "util/escape.h"
#include "util/timeutil.h"
#include "warc/warc.h"

int cat_lines_push(struct cat_lines *l, char *s)
{
	char **t;

	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 1024;
		t = realloc(l->v, l->alloc * sizeof(*t));
		if (!t)
			return -1;
		l->v = t;
	}
	l->v[l->n++] = s;
	return 0;
}

static void json_field(struct buf *b, const char *name, const char *v,
		       int *first)
{
	if (!v || !*v)
		return;
	buf_addf(b, "%s\"%s\": ", *first ? "" : ", ", name);
	escape_json(b, v, strlen(v));
	*first = 0;
}

/* The line's key: a CDXJ reader splits at the first space, so a space,
 * control byte or DEL in it (a target URI SURT could not parse is used
 * as it is) is written %XX. */
static void key_field(struct buf *b, const char *k)
{
	for (; *k; k++)
		if ((unsigned char)*k <= 0x20 || *k == 0x7f)
			buf_addf(b, "%%%02X", (unsigned char)*k);
		else
			buf_add(b, k, 1);
}

/* One record's line, or NULL when it is not indexed. */
char *cat_cdxj_line(const char *rel, const struct warc_record *rec,
		    uint64_t offset, uint64_t length)
{
	struct buf b = BUF_INIT(0);
	struct warc_http h;
	char ts[15], mime[128] = "", status[16] = "", num[32];
	char *surt;
	time_t t;
	int first = 1;
	struct err e;

	if (!rec->target_uri || !*rec->target_uri || !rec->date ||
	    time_parse_warc_date(rec->date, &t) < 0)
		return NULL;
	time_ts14(t, ts);
	if (strlen(ts) != 14)       /* a year before 1000 or after 9999 */
		return NULL;
	warc_http_init(&h);
	/* pywb: a revisit has mime "warc/revisit" and no status */
	if (rec->type == WARC_T_RESPONSE && warc_record_is_http(rec) &&
	    warc_http_parse(rec->block.data, rec->block.len, &h, &e) == 0 &&
	    !h.is_request) {
		if (h.status)
			snprintf(status, sizeof(status), "%d", h.status);
		warc_mime_only(warc_fields_get(&h.headers, "Content-Type"), mime,
			       sizeof(mime));
	} else if (rec->type == WARC_T_RESOURCE) {
		warc_mime_only(rec->content_type, mime, sizeof(mime));
	}
	warc_http_release(&h);
	if (rec->type == WARC_T_REVISIT)
		snprintf(mime, sizeof(mime), "warc/revisit");
	surt = cat_surt(rec->target_uri);
	key_field(&b, surt ? surt : rec->target_uri);
	buf_addf(&b, " %s {", ts);
	free(surt);
	json_field(&b, "url", rec->target_uri, &first);
	json_field(&b, "mime", mime, &first);
	json_field(&b, "status", status, &first);
	json_field(&b, "digest", warc_fields_get(&rec->fields,
						 "WARC-Payload-Digest"), &first);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)length);
	json_field(&b, "length", num, &first);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)offset);
	json_field(&b, "offset", num, &first);
	json_field(&b, "filename", rel, &first);
	buf_adds(&b, "}\n");
	return buf_detach(&b, NULL);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cat_lines_sort(struct cat_lines *l)
{
	/* strcmp on these (no NUL inside) is byte order: LC_ALL=C sort */
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_line);
}

void cat_lines_release(struct cat_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void problem(struct catalog_rebuild_stats *st, const struct err *pe)
{
	if (st && !st->problems++)
		snprintf(st->first_problem, sizeof(st->first_problem), "%s",
			 pe->msg);
}

int catalog_cdxj(const char *archive_dir, struct buf *out,
		 struct catalog_rebuild_stats *stats, struct err *e)
{
	struct cat_files f;
	struct err pe;
	struct cat_lines l = { 0 };
	size_t i;
	int rc = -1;

	if (cat_files_list(archive_dir, 0, &f, e) < 0)
		return -1;
	for (i = 0; i < f.n; i++) {
		struct warc_reader *rd;
		struct warc_record *rec;
		char *path = NULL, *s;
		int got;

		if (asprintf(&path, "%s/%s", archive_dir, f.v[i]) < 0) {
			err_set(e, "%s: out of memory", archive_dir);
			goto out;
		}
		rd = warc_reader_open(path, &pe);
		free(path);
		if (!rd) {
			problem(stats, &pe);
			continue;
		}
		if (stats)
			stats->files++;
		/* the HTTP head is all a line needs: any record size, bounded
		 * memory */
		warc_reader_set_block_keep(rd, 1u << 20);
		while ((got = warc_reader_next(rd, &rec, &pe)) == 1) {
			if (stats)
				stats->records++;
			if (rec->type != WARC_T_RESPONSE &&
			    rec->type != WARC_T_REVISIT &&
			    rec->type != WARC_T_RESOURCE)
				continue;
			s = cat_cdxj_line(f.v[i], rec, rec->offset,
					  rec->length);
			if (s && cat_lines_push(&l, s) < 0) {
				free(s);
				warc_reader_free(rd);
				err_set(e, "%s: out of memory", f.v[i]);
				goto out;
			}
			if (s && stats)
				stats->captures++;
		}
		warc_reader_free(rd);
		if (got < 0)
			problem(stats, &pe);
	}
	cat_lines_sort(&l);
	for (i = 0; i < l.n; i++)
		if (buf_adds(out, l.v[i]) < 0) {
			err_set(e, "%s: index too large", archive_dir);
			goto out;
		}
	rc = 0;
out:
	cat_lines_release(&l);
	cat_files_release(&f);
	return rc;
}
