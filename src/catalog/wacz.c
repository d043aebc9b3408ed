/* catalog wacz: one crawl (or a span of crawls) as a WACZ 1.1.1 file, the
 * format ReplayWeb.page and pywb read.  A zip (libarchive) holding:
 *
 *   archive/NAME.warc.gz      for each WARC file the selection has records
 *                             in (NAME: its name less .warc.zst/.gz/.warc):
 *                             its warcinfo, then the selected response,
 *                             revisit and resource records in file order,
 *                             copied byte for byte as one gzip member each
 *                             (warc_copier)
 *   indexes/index.cdxj        pywb CDXJ of those records (cdxj.c's lines),
 *                             offsets and lengths in the new files, sorted
 *   pages/pages.jsonl         a header line, then each HTML page capture
 *                             (2xx) of the selection: url, ts, title
 *   datapackage.json          profile, wacz_version, title, created,
 *                             software, mainPageUrl, mainPageDate, and every
 *                             file above with its sha256 and size
 *   datapackage-digest.json   the sha256 of datapackage.json
 *
 * Every entry is stored, not deflated (libarchive sets the compression
 * for the whole zip; the WARCs must be stored, the rest is small).
 * libarchive writes zip64 records where a size or an offset passes 4 GiB
 * (its default; the sizes are given before each entry).
 * A revisit whose original record lies outside the selection brings that
 * record along (in its own file's copy, indexed too), so every revisit in
 * the export resolves inside it.  Request and metadata records are left
 * out.  The WARC files are copied one at a time to a temporary file beside
 * OUT, then streamed into the zip (hashed on the way) and removed; the zip
 * is written as OUT.tmp and renamed, so a failure leaves no partial OUT.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog-int.h"
#include "util/digest.h"
#include "util/escape.h"
#include "util/timeutil.h"
#include "util/version.h"

struct resource {
	char *path;                 /* in the zip */
	char sha256[72];            /* "sha256:HEX" */
	uint64_t bytes;
};

struct wacz {
	struct catalog *c;
	const struct catalog_wacz_opts *o;
	struct catalog_wacz_stats *st;
	struct archive *a;
	const char *out;            /* what the zip is written to */
	struct resource *res;
	size_t nres, ares;
	struct cat_lines cdx;
	struct catalog_capture *v;
	size_t n;
	int64_t *extra;             /* ids brought along for revisits, sorted */
	size_t nextra;
	double last_progress;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int is_extra(const struct wacz *w, int64_t id)
{
	return w->nextra && bsearch(&id, w->extra, w->nextra, sizeof(id),
				    cmp_i64) != NULL;
}

static int zip_err(struct wacz *w, struct err *e)
{
	const char *m = archive_error_string(w->a);

	return err_set(e, "%s: %s", w->out, m ? m : "cannot write the zip");
}

/* A new zip entry of size bytes (stored: libarchive takes the compression
 * for the whole archive, and the WARCs must be stored). */
static int entry_begin(struct wacz *w, const char *path, uint64_t size,
		       struct err *e)
{
	struct archive_entry *en = archive_entry_new();
	int rc;

	if (!en)
		return err_set(e, "%s: out of memory", w->out);
	archive_entry_set_pathname(en, path);
	archive_entry_set_size(en, (la_int64_t)size);
	archive_entry_set_filetype(en, AE_IFREG);
	archive_entry_set_perm(en, 0644);
	archive_entry_set_mtime(en, time(NULL), 0);
	rc = archive_write_header(w->a, en);
	archive_entry_free(en);
	return rc < ARCHIVE_OK ? zip_err(w, e) : 0;
}

static int entry_data(struct wacz *w, const void *p, size_t n, struct err *e)
{
	while (n) {
		la_ssize_t k = archive_write_data(w->a, p, n);

		if (k <= 0)
			return zip_err(w, e);
		p = (const char *)p + k;
		n -= (size_t)k;
	}
	return 0;
}

static int add_resource(struct wacz *w, const char *path,
			const uint8_t raw[32], uint64_t bytes, struct err *e)
{
	struct resource *r;

	if (w->nres == w->ares) {
		size_t na = w->ares ? w->ares * 2 : 16;

		r = realloc(w->res, na * sizeof(*r));
		if (!r)
			return err_set(e, "%s: out of memory", w->out);
		w->res = r;
		w->ares = na;
	}
	r = &w->res[w->nres];
	r->path = strdup(path);
	if (!r->path)
		return err_set(e, "%s: out of memory", w->out);
	memcpy(r->sha256, "sha256:", 7);
	digest_hex(raw, 32, r->sha256 + 7);
	r->bytes = bytes;
	w->nres++;
	return 0;
}

/* A whole entry from memory, listed among the resources when listed. */
static int entry_mem(struct wacz *w, const char *path, const struct buf *b,
		     int listed, uint8_t raw[32], struct err *e)
{
	struct digest d;

	if (digest_init(&d, DIGEST_SHA256) < 0)
		return err_set(e, "%s: sha256 unavailable", w->out);
	digest_update(&d, b->data ? b->data : "", b->len);
	digest_final(&d, raw);
	digest_release(&d);
	if (entry_begin(w, path, b->len, e) < 0 ||
	    (b->len && entry_data(w, b->data, b->len, e) < 0))
		return -1;
	return listed ? add_resource(w, path, raw, b->len, e) : 0;
}

/* Stream the file at tmp into the zip as path (stored), hashing it. */
static int entry_file(struct wacz *w, const char *path, const char *tmp,
		      struct err *e)
{
	static char chunk[1 << 16];
	struct digest d;
	struct stat sb;
	uint8_t raw[DIGEST_MAX];
	uint64_t left;
	int fd = open(tmp, O_RDONLY | O_CLOEXEC), rc = -1;

	if (fd < 0)
		return err_set(e, "%s: %s", tmp, strerror(errno));
	if (fstat(fd, &sb) < 0) {
		err_set(e, "%s: %s", tmp, strerror(errno));
		close(fd);
		return -1;
	}
	if (digest_init(&d, DIGEST_SHA256) < 0) {
		close(fd);
		return err_set(e, "%s: sha256 unavailable", w->out);
	}
	if (entry_begin(w, path, (uint64_t)sb.st_size, e) < 0)
		goto out;
	left = (uint64_t)sb.st_size;
	while (left) {
		ssize_t k = read(fd, chunk, left < sizeof(chunk) ? left :
				 sizeof(chunk));

		if (k <= 0) {
			err_set(e, "%s: %s", tmp, k < 0 ? strerror(errno) :
				"shorter than expected");
			goto out;
		}
		digest_update(&d, chunk, (size_t)k);
		if (entry_data(w, chunk, (size_t)k, e) < 0)
			goto out;
		left -= (uint64_t)k;
	}
	digest_final(&d, raw);
	rc = add_resource(w, path, raw, (uint64_t)sb.st_size, e);
	w->st->bytes += (uint64_t)sb.st_size;
out:
	digest_release(&d);
	close(fd);
	return rc;
}

/* archive/NAME.warc.gz for a catalog file name (a path relative to the
 * archive directory: '/' becomes '-'). */
static char *entry_name(const char *file)
{
	static const char *const ext[] = { ".warc.zst", ".warc.gz", ".warc" };
	size_t n = strlen(file), i, k;
	char *s, *p;

	for (i = 0; i < sizeof(ext) / sizeof(*ext); i++) {
		k = strlen(ext[i]);
		if (n > k && !strcmp(file + n - k, ext[i])) {
			n -= k;
			break;
		}
	}
	if (asprintf(&s, "archive/%.*s.warc.gz", (int)n, file) < 0)
		return NULL;
	for (p = s + 8; *p; p++)
		if (*p == '/')
			*p = '-';
	return s;
}

static void progress(struct wacz *w, int last)
{
	double now;

	if (!w->o->progress)
		return;
	now = time_mono();
	if (!last && now - w->last_progress < 1.0)
		return;
	w->last_progress = now;
	w->o->progress(w->o->ctx, w->st->records, w->n, last);
}

static struct warc_reader *open_record_file(struct wacz *w, const char *file,
					    struct err *e)
{
	struct warc_reader *r;
	char *p;
	struct err e2;

	if (asprintf(&p, "%s/%s", w->c->dir, file) < 0) {
		err_set(e, "%s: out of memory", file);
		return NULL;
	}
	r = warc_reader_open(p, e);
	free(p);
	if (r)
		return r;
	/* the file of a crawl still running */
	if (asprintf(&p, "%s/%s.open", w->c->dir, file) < 0)
		return NULL;
	r = warc_reader_open(p, &e2);
	free(p);
	return r;
}

/* The records of w->v[from..to) (one source file) into one .warc.gz. */
static int copy_file(struct wacz *w, size_t from, size_t to,
		     const char *tmpdir, struct err *e)
{
	const char *file = w->v[from].warc_file;
	char *name = entry_name(file), *tmp = NULL;
	struct warc_reader *r = NULL;
	struct warc_copier *cp = NULL;
	struct warc_record *rec;
	uint64_t off, len;
	size_t i;
	int rc = -1, got;

	if (!name || asprintf(&tmp, "%s/%s", tmpdir, name + 8) < 0) {
		err_set(e, "%s: out of memory", file);
		goto out;
	}
	r = open_record_file(w, file, e);
	if (!r)
		goto out;
	cp = warc_copier_open(tmp, WARC_FMT_GZ, e);
	if (!cp)
		goto out;
	/* the file's warcinfo first (it names the crawl and the software) */
	if (warc_reader_seek(r, 0, e) < 0)
		goto out;
	got = warc_reader_next(r, &rec, e);
	if (got < 0)
		goto out;
	if (got == 1 && rec->type == WARC_T_WARCINFO &&
	    warc_copier_add(cp, rec, NULL, NULL, e) < 0)
		goto out;
	for (i = from; i < to; i++) {
		const struct catalog_capture *cap = &w->v[i];
		char *line;

		if (warc_reader_seek(r, cap->offset, e) < 0)
			goto out;
		got = warc_reader_next(r, &rec, e);
		if (got <= 0) {
			if (!got)
				err_set(e, "%s:%llu: no record there", file,
					(unsigned long long)cap->offset);
			goto out;
		}
		if (!rec->target_uri || strcmp(rec->target_uri, cap->url)) {
			err_set(e, "%s:%llu: the record is not %s's: the "
				"catalog is out of date (govarch index "
				"--rebuild)", file,
				(unsigned long long)cap->offset, cap->url);
			goto out;
		}
		if (warc_copier_add(cp, rec, &off, &len, e) < 0)
			goto out;
		line = cat_cdxj_line(name + 8, rec, off, len);
		if (line && cat_lines_push(&w->cdx, line) < 0) {
			free(line);
			err_set(e, "%s: out of memory", w->out);
			goto out;
		}
		w->st->records++;
		if (is_extra(w, cap->id))
			w->st->originals++;
		progress(w, 0);
	}
	rc = warc_copier_close(cp, e);
	cp = NULL;
	if (rc == 0)
		rc = entry_file(w, name, tmp, e);
	w->st->files++;
out:
	if (cp)
		warc_copier_close(cp, NULL);
	warc_reader_free(r);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(name);
	return rc;
}

/* The selection: every capture of crawls from..to, and the originals of
 * their revisits, in file then offset order. */
static int select_captures(struct wacz *w, int64_t from, int64_t to,
			   struct err *e)
{
	static const char sql[] =
		"SELECT " CAT_CAPTURE_COLS " FROM captures WHERE crawl BETWEEN "
		"?1 AND ?2 UNION SELECT " CAT_CAPTURE_COLS " FROM captures "
		"WHERE id IN (SELECT orig FROM captures WHERE crawl BETWEEN "
		"?1 AND ?2 AND orig > 0) ORDER BY file, offset";
	sqlite3_stmt *st = NULL;
	size_t alloc = 0, i;
	int rc;

	if (db_prepare(&w->c->db, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (w->n == alloc) {
			struct catalog_capture *t;

			alloc = alloc ? alloc * 2 : 256;
			t = realloc(w->v, alloc * sizeof(*t));
			if (!t)
				goto nomem;
			w->v = t;
		}
		if (cat_capture_from_row(st, &w->v[w->n]) < 0)
			goto nomem;
		w->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(&w->c->db, e, "selecting the captures");
	for (i = 0; i < w->n; i++)
		if (w->v[i].crawl_id < from || w->v[i].crawl_id > to) {
			int64_t *t = realloc(w->extra, (w->nextra + 1) *
					     sizeof(*t));

			if (!t)
				return err_set(e, "%s: out of memory", w->out);
			w->extra = t;
			w->extra[w->nextra++] = w->v[i].id;
		}
	if (w->nextra)
		qsort(w->extra, w->nextra, sizeof(*w->extra), cmp_i64);
	return 0;
nomem:
	sqlite3_finalize(st);
	return err_set(e, "%s: out of memory", w->out);
}

/* HTML page captures of the selection (not the originals brought along),
 * by timestamp then URL. */
static int page_cmp(const void *a, const void *b)
{
	const struct catalog_capture *x = *(const struct catalog_capture *const *)a;
	const struct catalog_capture *y = *(const struct catalog_capture *const *)b;
	int c = strcmp(x->ts, y->ts);

	if (c)
		return c;
	c = strcmp(x->url, y->url);
	return c ? c : (x->id < y->id ? -1 : x->id > y->id);
}

static int is_page(const struct wacz *w, const struct catalog_capture *cap)
{
	return cap->type != CATALOG_RESOURCE && cat_is_html(cap->mime) &&
	       cap->eff_status >= 200 && cap->eff_status < 300 &&
	       !is_extra(w, cap->id);
}

static void json_str(struct buf *b, const char *s)
{
	escape_json(b, s, strlen(s));
}

static int write_pages(struct wacz *w, const struct catalog_capture **main_page,
		       struct err *e)
{
	const struct catalog_capture **p;
	struct buf b = BUF_INIT(0);
	uint8_t raw[DIGEST_MAX];
	size_t i, k = 0;
	int rc;

	p = malloc((w->n ? w->n : 1) * sizeof(*p));
	if (!p)
		return err_set(e, "%s: out of memory", w->out);
	*main_page = NULL;
	for (i = 0; i < w->n; i++)
		if (is_page(w, &w->v[i])) {
			p[k++] = &w->v[i];
			/* the first page the crawl fetched: its seed */
			if (!*main_page || w->v[i].id < (*main_page)->id)
				*main_page = &w->v[i];
		}
	qsort(p, k, sizeof(*p), page_cmp);
	buf_adds(&b, "{\"format\":\"json-pages-1.0\",\"id\":\"pages\","
		 "\"title\":\"All Pages\"}\n");
	for (i = 0; i < k; i++) {
		char iso[32];

		time_iso(p[i]->date, iso);
		buf_adds(&b, "{\"url\":");
		json_str(&b, p[i]->url);
		buf_adds(&b, ",\"ts\":");
		json_str(&b, iso);
		if (p[i]->title) {
			buf_adds(&b, ",\"title\":");
			json_str(&b, p[i]->title);
		}
		buf_adds(&b, "}\n");
	}
	w->st->pages = k;
	free(p);
	rc = entry_mem(w, "pages/pages.jsonl", &b, 1, raw, e);
	buf_release(&b);
	return rc;
}

static int write_datapackage(struct wacz *w, int64_t from, int64_t to,
			     const struct catalog_capture *main_page,
			     struct err *e)
{
	struct buf b = BUF_INIT(0), title = BUF_INIT(0), d2 = BUF_INIT(0);
	uint8_t raw[DIGEST_MAX];
	char now[32], iso[32], hex[72];
	size_t i;
	int rc = -1;

	time_warc_date(time_now(), now);
	time_iso(now, iso);
	if (from == to)
		buf_addf(&title, "govarch crawl %lld", (long long)from);
	else
		buf_addf(&title, "govarch crawls %lld to %lld",
			 (long long)from, (long long)to);
	buf_adds(&b, "{\n  \"profile\": \"data-package\",\n"
		 "  \"wacz_version\": \"1.1.1\",\n  \"title\": ");
	json_str(&b, title.data);
	buf_adds(&b, ",\n  \"created\": ");
	json_str(&b, iso);
	buf_adds(&b, ",\n  \"software\": \"govarch " GOVARCH_VERSION "\"");
	if (main_page) {
		buf_adds(&b, ",\n  \"mainPageUrl\": ");
		json_str(&b, main_page->url);
		time_iso(main_page->date, iso);
		buf_adds(&b, ",\n  \"mainPageDate\": ");
		json_str(&b, iso);
	}
	buf_adds(&b, ",\n  \"resources\": [");
	for (i = 0; i < w->nres; i++) {
		const char *base = strrchr(w->res[i].path, '/');

		buf_adds(&b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		json_str(&b, base ? base + 1 : w->res[i].path);
		buf_adds(&b, ", \"path\": ");
		json_str(&b, w->res[i].path);
		buf_addf(&b, ", \"hash\": \"%s\", \"bytes\": %llu}",
			 w->res[i].sha256,
			 (unsigned long long)w->res[i].bytes);
	}
	if (buf_adds(&b, "\n  ]\n}\n") < 0) {
		err_set(e, "%s: out of memory", w->out);
		goto out;
	}
	if (entry_mem(w, "datapackage.json", &b, 0, raw, e) < 0)
		goto out;
	memcpy(hex, "sha256:", 7);
	digest_hex(raw, 32, hex + 7);
	buf_addf(&d2, "{\n  \"path\": \"datapackage.json\",\n  \"hash\": "
		 "\"%s\"\n}\n", hex);
	rc = entry_mem(w, "datapackage-digest.json", &d2, 0, raw, e);
out:
	buf_release(&b);
	buf_release(&title);
	buf_release(&d2);
	return rc;
}

/* The newest complete crawl: 1 found, 0 none, -1 error. */
static int newest_complete(struct catalog *c, int64_t *id, struct err *e)
{
	struct catalog_crawl *v = NULL;
	size_t n, i;
	int found = 0;

	if (catalog_crawls(c, &v, &n, e) < 0)
		return -1;
	for (i = n; i-- > 0;)
		if (!strcmp(v[i].status, "complete")) {
			*id = v[i].id;
			found = 1;
			break;
		}
	free(v);
	return found;
}

int catalog_export_wacz(struct catalog *c, const char *out,
			const struct catalog_wacz_opts *o,
			struct catalog_wacz_stats *st, struct err *e)
{
	struct wacz w;
	struct stat sb;
	struct buf tmpzip = BUF_INIT(0), tmpdir = BUF_INIT(0);
	const struct catalog_capture *main_page = NULL;
	uint8_t raw[DIGEST_MAX];
	int64_t from = o->from, to = o->to;
	int direct, rc = -1, opened = 0;
	size_t i, j;

	memset(&w, 0, sizeof(w));
	memset(st, 0, sizeof(*st));
	w.c = c;
	w.o = o;
	w.st = st;
	if (!from && !to) {
		int got = newest_complete(c, &from, e);

		if (got < 0)
			return -1;
		if (!got)
			return err_set(e, "%s: no complete crawl to export "
				       "(name one with --crawl)", c->db.path);
		to = from;
	}
	if (from > to) {
		int64_t t = from;

		from = to;
		to = t;
	}
	st->from = from;
	st->to = to;
	/* a device, pipe or link (/dev/stdout, /dev/full) is written
	 * directly; a file through OUT.tmp, renamed at the end */
	direct = lstat(out, &sb) == 0 && !S_ISREG(sb.st_mode) &&
		 !S_ISDIR(sb.st_mode);
	if (direct) {
		const char *t = getenv("TMPDIR");

		buf_addf(&tmpdir, "%s/govarch-wacz-XXXXXX", t && *t ? t : "/tmp");
		buf_adds(&tmpzip, out);
	} else {
		buf_addf(&tmpdir, "%s.d-XXXXXX", out);
		buf_addf(&tmpzip, "%s.tmp", out);
	}
	if (!tmpdir.data || !tmpzip.data) {
		err_set(e, "%s: out of memory", out);
		goto out;
	}
	w.out = tmpzip.data;
	if (!mkdtemp(tmpdir.data)) {
		err_set(e, "%s: %s", direct ? tmpdir.data : out,
			strerror(errno));
		buf_reset(&tmpdir);
		goto out;
	}
	if (select_captures(&w, from, to, e) < 0)
		goto out;
	if (!w.n) {
		if (from == to)
			err_set(e, "%s: crawl %lld captured nothing",
				c->db.path, (long long)from);
		else
			err_set(e, "%s: crawls %lld to %lld captured nothing",
				c->db.path, (long long)from, (long long)to);
		goto out;
	}
	w.a = archive_write_new();
	if (!w.a) {
		err_set(e, "%s: out of memory", out);
		goto out;
	}
	if (archive_write_set_format_zip(w.a) < ARCHIVE_OK ||
	    archive_write_set_format_option(w.a, "zip", "compression",
					    "store") < ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(w.a, 1) < ARCHIVE_OK) {
		zip_err(&w, e);
		goto out;
	}
	if (!direct)
		unlink(tmpzip.data);
	if (archive_write_open_filename(w.a, tmpzip.data) < ARCHIVE_OK) {
		zip_err(&w, e);
		goto out;
	}
	opened = 1;
	for (i = 0; i < w.n; i = j) {
		for (j = i + 1; j < w.n && !strcmp(w.v[j].warc_file,
						   w.v[i].warc_file); j++)
			;
		if (copy_file(&w, i, j, tmpdir.data, e) < 0)
			goto out;
	}
	progress(&w, 1);
	cat_lines_sort(&w.cdx);
	{
		struct buf b = BUF_INIT(0);

		for (i = 0; i < w.cdx.n; i++)
			if (buf_adds(&b, w.cdx.v[i]) < 0) {
				buf_release(&b);
				err_set(e, "%s: index too large", out);
				goto out;
			}
		rc = entry_mem(&w, "indexes/index.cdxj", &b, 1, raw, e);
		buf_release(&b);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	if (write_pages(&w, &main_page, e) < 0 ||
	    write_datapackage(&w, from, to, main_page, e) < 0)
		goto out;
	opened = 0;
	if (archive_write_close(w.a) < ARCHIVE_OK) {
		zip_err(&w, e);
		goto out;
	}
	if (!direct && rename(tmpzip.data, out) < 0) {
		err_set(e, "%s: %s", out, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (w.a) {
		if (opened)
			archive_write_close(w.a);
		archive_write_free(w.a);
	}
	if (rc < 0 && !direct && tmpzip.len)
		unlink(tmpzip.data);
	if (tmpdir.len)
		rmdir(tmpdir.data);
	catalog_captures_free(w.v, w.n);
	free(w.extra);
	for (i = 0; i < w.nres; i++)
		free(w.res[i].path);
	free(w.res);
	cat_lines_release(&w.cdx);
	buf_release(&tmpzip);
	buf_release(&tmpdir);
	return rc;
}
