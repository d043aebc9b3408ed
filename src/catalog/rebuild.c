/* catalog rebuild: recreate ARCHIVE/catalog.sqlite from the WARC files
 * alone, through catalog_add_capture (the crawler's own path), so every
 * answer afterwards is what it was.  Crawls come from the warcinfo records
 * (isPartOf: govarch-crawl-N) and the crawl-summary metadata records; the
 * site rules from the config metadata record (see catalog.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "catalog/catalog-files.h"
#include "catalog/catalog-int.h"
#include "warc/warc.h"

#define CONFIG_MAX (1u << 20)

struct rcrawl {
	int64_t id;
	int govarch;
	char *config_text;          /* from the WARCs (or matched by digest) */
	char config_name[256], config_digest[48];
	char start[40], last[40];
	uint64_t captures, bytes;
	int have_summary;
	struct catalog_crawl sum;
};

struct rb {
	struct catalog *c;
	const char *dir;
	const char *forced_config;  /* -c CONFIG text, or NULL */
	struct rcrawl *v;
	size_t n, alloc;
	int64_t max_id;
	long rules_for;             /* index whose rules are loaded, -1 none */
	struct catalog_rebuild_stats *st;
	int incremental;            /* plain `index`: keep what is there */
	/* *.conf files in the archive dir, by digest */
	char **conf_digest, **conf_text;
	size_t nconf;
};

/* The block bytes rebuild keeps of a record: a body past
 * CATALOG_PAYLOAD_MAX is not extracted, a head is at most 256 KiB. */
#define REBUILD_KEEP (CATALOG_PAYLOAD_MAX + (1u << 20))

/* Value of field name in an application/warc-fields block (malloc'd). */
static char *field(const char *block, size_t len, const char *name)
{
	const char *p = block, *end = block + len, *nl, *v;
	size_t nlen = strlen(name);

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if ((size_t)(nl - p) > nlen && !strncasecmp(p, name, nlen) &&
		    p[nlen] == ':') {
			v = p + nlen + 1;
			while (v < nl && (*v == ' ' || *v == '\t'))
				v++;
			while (nl > v && (nl[-1] == '\r' || nl[-1] == ' '))
				nl--;
			return strndup(v, (size_t)(nl - v));
		}
		if (nl == end)
			break;
	}
	return NULL;
}

static long find_crawl(struct rb *r, int64_t id)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id == id)
			return (long)i;
	return -1;
}

static long new_crawl(struct rb *r, int64_t id, int govarch, const char *date)
{
	struct rcrawl *t;

	if (r->n == r->alloc) {
		r->alloc = r->alloc ? r->alloc * 2 : 16;
		t = realloc(r->v, r->alloc * sizeof(*t));
		if (!t)
			return -1;
		r->v = t;
	}
	t = &r->v[r->n];
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->govarch = govarch;
	snprintf(t->start, sizeof(t->start), "%s", date ? date : "");
	if (id > r->max_id)
		r->max_id = id;
	return (long)r->n++;
}

/* "govarch-crawl-N" -> N, else 0. */
static int64_t part_of_id(const char *v)
{
	size_t n = strlen(CATALOG_PART_OF);
	char *end;
	long long id;

	if (!v || strncmp(v, CATALOG_PART_OF, n))
		return 0;
	id = strtoll(v + n, &end, 10);
	return *end || id <= 0 ? 0 : id;
}

/* First pass: the govarch crawl ids, so foreign crawls get ids after them. */
static void scan_ids(struct rb *r, const struct cat_files *f)
{
	struct warc_record *rec;
	struct err e;
	size_t i;

	for (i = 0; i < f->n; i++) {
		char *path = NULL, *v;
		struct warc_reader *rd;

		if (!(path = cat_file_path(r->dir, f->v[i])))
			continue;
		rd = warc_reader_open(path, &e);
		free(path);
		if (!rd)
			continue;
		warc_reader_set_block_keep(rd, REBUILD_KEEP);
		if (warc_reader_next(rd, &rec, &e) == 1 &&
		    rec->type == WARC_T_WARCINFO) {
			v = field(rec->block.data, rec->block.len, "isPartOf");
			if (part_of_id(v) > r->max_id)
				r->max_id = part_of_id(v);
			free(v);
		}
		warc_reader_free(rd);
	}
}

/* Config files kept in the archive dir (ARCHIVE/ *.conf, ARCHIVE/config/,
 * ARCHIVE/configs/), matched by digest when the WARCs lack the text. */
static void load_conf_files(struct rb *r)
{
	static const char *const sub[] = { "", "/config", "/configs" };
	size_t s;

	for (s = 0; s < 3; s++) {
		char *dpath = NULL;
		struct dirent *d;
		DIR *dir;

		if (asprintf(&dpath, "%s%s", r->dir, sub[s]) < 0)
			continue;
		dir = opendir(dpath);
		while (dir && (d = readdir(dir))) {
			size_t n = strlen(d->d_name);
			char *p = NULL, **t1, **t2, dg[48];
			FILE *fp;
			struct buf b = BUF_INIT(CONFIG_MAX);
			char chunk[4096];
			size_t got;

			if (n < 6 || strcmp(d->d_name + n - 5, ".conf"))
				continue;
			if (asprintf(&p, "%s/%s", dpath, d->d_name) < 0)
				continue;
			fp = fopen(p, "rb");
			free(p);
			if (!fp)
				continue;
			while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
				if (buf_add(&b, chunk, got) < 0)
					break;
			fclose(fp);
			t1 = realloc(r->conf_digest, (r->nconf + 1) * sizeof(char *));
			if (t1)
				r->conf_digest = t1;
			t2 = realloc(r->conf_text, (r->nconf + 1) * sizeof(char *));
			if (t2)
				r->conf_text = t2;
			if (!t1 || !t2) {
				buf_release(&b);
				continue;
			}
			catalog_config_digest(b.data, dg);
			r->conf_digest[r->nconf] = strdup(dg);
			r->conf_text[r->nconf] = buf_detach(&b, NULL);
			r->nconf++;
		}
		if (dir)
			closedir(dir);
		free(dpath);
	}
}

/* Load the site rules of crawl index k (if not loaded already). */
static int use_rules(struct rb *r, long k, struct err *e)
{
	const char *text = r->forced_config;
	size_t i;

	if (k == r->rules_for)
		return 0;
	if (!text && r->v[k].config_text)
		text = r->v[k].config_text;
	for (i = 0; !text && i < r->nconf; i++)
		if (r->v[k].config_digest[0] &&
		    !strcmp(r->conf_digest[i], r->v[k].config_digest))
			text = r->conf_text[i];
	r->rules_for = k;
	if (!text && r->v[k].config_digest[0]) {
		/* a crawl the catalog already knows: its stored config */
		sqlite3_stmt *st = NULL;
		int rc = -1;

		if (db_prepare(&r->c->db, "SELECT body FROM configs WHERE digest = ?",
				&st, e) < 0)
			return -1;
		db_bind_str(st, 1, r->v[k].config_digest);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = catalog_set_rules(r->c, (const char *)
					       sqlite3_column_text(st, 0), e);
		else
			rc = catalog_set_rules(r->c, NULL, e);
		sqlite3_finalize(st);
		return rc;
	}
	return catalog_set_rules(r->c, text, e);
}

static void on_warcinfo(struct rb *r, const struct warc_record *rec,
			long *cur)
{
	char *v = field(rec->block.data, rec->block.len, "isPartOf");
	int64_t id = part_of_id(v);
	long k;

	free(v);
	if (id) {
		k = find_crawl(r, id);
		if (k < 0)
			k = new_crawl(r, id, 1, rec->date);
	} else {
		k = new_crawl(r, r->max_id + 1, 0, rec->date);
	}
	if (k < 0)
		return;
	if (id) {
		v = field(rec->block.data, rec->block.len, "govarch-config-name");
		if (v && !r->v[k].config_name[0])
			snprintf(r->v[k].config_name, sizeof(r->v[k].config_name),
				 "%s", v);
		free(v);
		v = field(rec->block.data, rec->block.len, "govarch-config-digest");
		if (v && !r->v[k].config_digest[0])
			snprintf(r->v[k].config_digest,
				 sizeof(r->v[k].config_digest), "%s", v);
		free(v);
	}
	*cur = k;
}

static void on_summary(struct rb *r, const struct warc_record *rec)
{
	const char *b = rec->block.data;
	size_t n = rec->block.len;
	char *v = field(b, n, "govarch-crawl-id");
	struct catalog_crawl *s;
	long k;

	k = v ? find_crawl(r, strtoll(v, NULL, 10)) : -1;
	free(v);
	if (k < 0)
		return;
	s = &r->v[k].sum;
	r->v[k].have_summary = 1;
#define STR(name, f) do { v = field(b, n, name); \
		snprintf(s->f, sizeof(s->f), "%s", v ? v : ""); free(v); } while (0)
#define NUM(name, f) do { v = field(b, n, name); \
		s->f = v ? strtoull(v, NULL, 10) : 0; free(v); } while (0)
	STR("govarch-crawl-start", start);
	STR("govarch-crawl-end", end);
	STR("govarch-crawl-status", status);
	STR("govarch-config-name", config_name);
	STR("govarch-config-digest", config_digest);
	STR("govarch-crawl-reason", reason);
	NUM("govarch-crawl-pages", pages);
	NUM("govarch-crawl-bytes", bytes);
	NUM("govarch-crawl-failed", failed);
#undef STR
#undef NUM
}

static int on_config(struct rb *r, const struct warc_record *rec, long cur,
		     struct err *e)
{
	const char *id = rec->target_uri + strlen(CATALOG_CONFIG_URI);
	long k = *id ? find_crawl(r, strtoll(id, NULL, 10)) : cur;

	if (k < 0 || rec->block.len > CONFIG_MAX)
		return 0;
	free(r->v[k].config_text);
	r->v[k].config_text = strndup(rec->block.data, rec->block.len);
	if (k == r->rules_for)
		r->rules_for = -1;      /* reload */
	return cur == k ? use_rules(r, k, e) : 0;
}

static const char *strip_angle(const char *s, char *out, size_t outsz)
{
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		snprintf(out, outsz, "%.*s", (int)(n - 2), s + 1);
	else
		snprintf(out, outsz, "%s", s);
	return out;
}

static int on_capture(struct rb *r, const char *rel,
		      const struct warc_record *rec, long cur, struct err *e)
{
	struct catalog_capture_in in;
	struct catalog_http http;
	char rtarget[4096];
	struct err pe;
	int rc;

	memset(&in, 0, sizeof(in));
	memset(&http, 0, sizeof(http));
	in.crawl_id = r->v[cur].id;
	in.url = rec->target_uri;
	in.date = rec->date;
	in.type = rec->type == WARC_T_REVISIT ? CATALOG_REVISIT
		: rec->type == WARC_T_RESOURCE ? CATALOG_RESOURCE
		: CATALOG_RESPONSE;
	in.record_id = rec->record_id;
	in.payload_digest = warc_fields_get(&rec->fields, "WARC-Payload-Digest");
	in.refers_to = warc_fields_get(&rec->fields, "WARC-Refers-To");
	in.refers_to_target = strip_angle(warc_fields_get(&rec->fields,
				"WARC-Refers-To-Target-URI"), rtarget,
				sizeof(rtarget));
	in.refers_to_date = warc_fields_get(&rec->fields, "WARC-Refers-To-Date");
	in.warc_file = rel;
	in.offset = rec->offset;
	in.length = rec->length;
	if (in.type == CATALOG_RESOURCE) {
		in.content_type = rec->content_type;
		in.payload = rec->block.data;
		in.payload_len = rec->block.len;
	} else if (rec->block.len &&
		   catalog_capture_http(&in, rec->block.data, rec->block.len,
					NULL, 0, &http, &pe) < 0) {
		catalog_http_release(&http);
		if (in.type == CATALOG_RESPONSE) {
			r->st->skipped++;   /* a response that isn't HTTP */
			return 0;
		}
	}
	rc = catalog_add_capture(r->c, &in, NULL, e);
	catalog_http_release(&http);
	if (rc < 0)
		return -1;
	r->st->captures++;
	r->v[cur].captures++;
	r->v[cur].bytes += rec->length;
	if (rec->date)
		snprintf(r->v[cur].last, sizeof(r->v[cur].last), "%s", rec->date);
	return 0;
}

/* A requisite's URL, guessed from its extension: the metadata record lists
 * "outlink: URL" lines without the page/requisite kind the crawler kept. */
static int looks_requisite(const char *u, size_t n)
{
	static const char *const ext[] = { ".css", ".js", ".png", ".jpg",
		".jpeg", ".gif", ".svg", ".ico", ".webp", ".woff", ".woff2",
		".ttf", ".otf", ".eot", NULL };
	size_t i, m;
	const char *q = memchr(u, '?', n);

	if (q)
		n = (size_t)(q - u);
	for (i = 0; ext[i]; i++) {
		m = strlen(ext[i]);
		if (n > m && !strncasecmp(u + n - m, ext[i], m))
			return 1;
	}
	return 0;
}

/* The outlinks of the response a govarch metadata record is concurrent
 * to, so that the next crawl's revisits of unchanged pages still follow
 * their links (catalog_outlinks). */
static int on_outlinks(struct rb *r, const struct warc_record *rec,
		       struct err *e)
{
	const char *to = warc_fields_get(&rec->fields, "WARC-Concurrent-To");
	const char *p = rec->block.data, *end = p + rec->block.len, *nl;
	struct buf out = BUF_INIT(0);
	int rc;

	if (!to)
		return 0;
	for (; p < end; p = nl + 1) {
		size_t n;

		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		n = (size_t)(nl - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n > 9 && !memcmp(p, "outlink: ", 9)) {
			buf_addc(&out, looks_requisite(p + 9, n - 9) ? 'r' : 'p');
			buf_addc(&out, ' ');
			buf_add(&out, p + 9, n - 9);
			buf_addc(&out, '\n');
		}
	}
	rc = out.len ? catalog_set_outlinks(r->c, to, out.data, out.len, e) : 0;
	buf_release(&out);
	return rc;
}

static int is_http_uri(const char *u)
{
	return u && (!strncasecmp(u, "http://", 7) ||
		     !strncasecmp(u, "https://", 8));
}

/* 1 when rel was indexed before or has captures in the catalog. */
static int known_file(struct rb *r, const char *rel)
{
	sqlite3_stmt *st = NULL;
	int known = 0;

	if (db_prepare(&r->c->db, "SELECT 1 FROM indexed_files WHERE file = ?1 "
			"UNION ALL SELECT 1 FROM caps WHERE file = (SELECT id "
			"FROM strs WHERE s = ?1) "
			"LIMIT 1", &st, NULL) < 0)
		return 0;
	db_bind_str(st, 1, rel);
	known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return known;
}

static int note_file(struct rb *r, const char *rel, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (db_prepare(&r->c->db, "INSERT OR REPLACE INTO indexed_files(file) "
			"VALUES(?)", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, rel);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(&r->c->db, e, rel);
	sqlite3_finalize(st);
	return rc;
}

static int read_file(struct rb *r, const char *rel, struct err *e)
{
	struct warc_reader *rd;
	struct warc_record *rec;
	struct err re;
	char *path = NULL;
	long cur = -1;
	int rc = 0, got;

	if (!(path = cat_file_path(r->dir, rel)))
		return err_set(e, "%s: out of memory", rel);
	rd = warc_reader_open(path, &re);
	free(path);
	if (!rd)
		goto problem;
	/* a record of any size in bounded memory: the catalog extracts from
	 * at most CATALOG_PAYLOAD_MAX of a body (a larger one not at all) */
	warc_reader_set_block_keep(rd, REBUILD_KEEP);
	r->st->files++;
	if (catalog_begin(r->c, e) < 0) {
		warc_reader_free(rd);
		return -1;
	}
	while (rc == 0 && (got = warc_reader_next(rd, &rec, &re)) == 1) {
		r->st->records++;
		if (rec->type == WARC_T_WARCINFO) {
			on_warcinfo(r, rec, &cur);
			if (cur >= 0)
				rc = use_rules(r, cur, e);
			continue;
		}
		if (cur < 0) {      /* a file without warcinfo: a crawl of its own */
			cur = new_crawl(r, r->max_id + 1, 0, rec->date);
			if (cur < 0 || (rc = use_rules(r, cur, e)) < 0)
				break;
		}
		if (rec->type == WARC_T_METADATA && rec->target_uri &&
		    !strncmp(rec->target_uri, CATALOG_CONFIG_URI,
			     strlen(CATALOG_CONFIG_URI)))
			rc = on_config(r, rec, cur, e);
		else if (rec->type == WARC_T_METADATA && rec->target_uri &&
			 !strncmp(rec->target_uri, CATALOG_CRAWL_URI,
				  strlen(CATALOG_CRAWL_URI)))
			on_summary(r, rec);
		else if (rec->type == WARC_T_METADATA && rec->target_uri &&
			 !strncmp(rec->target_uri, CATALOG_EXCLUDED_URI,
				  strlen(CATALOG_EXCLUDED_URI)))
			rc = catalog_exclusions_set(r->c, strtoll(rec->target_uri +
				strlen(CATALOG_EXCLUDED_URI), NULL, 10),
				rec->block.data, rec->block.len, e);
		else if (rec->type == WARC_T_METADATA && is_http_uri(rec->target_uri)) {
			r->st->skipped++;   /* not a capture; its links are kept */
			rc = on_outlinks(r, rec, e);
		}
		else if ((rec->type == WARC_T_RESPONSE ||
			  rec->type == WARC_T_REVISIT ||
			  rec->type == WARC_T_RESOURCE) &&
			 is_http_uri(rec->target_uri) && rec->date)
			rc = on_capture(r, rel, rec, cur, e);
		else
			r->st->skipped++;
	}
	if (rc == 0)
		rc = note_file(r, rel, e);
	if (rc < 0) {
		catalog_rollback(r->c, NULL);
		warc_reader_free(rd);
		return -1;
	}
	rc = catalog_commit(r->c, e);
	warc_reader_free(rd);
	if (rc < 0)
		return -1;
	if (got < 0)
		goto problem;
	return 0;
problem:
	/* An unreadable file or a bad record ends that file, not the rebuild. */
	if (!r->st->problems++)
		snprintf(r->st->first_problem, sizeof(r->st->first_problem),
			 "%s", re.msg);
	return 0;
}

/* The config text a crawl ran with (from its WARCs, or a config file in the
 * archive with its digest), kept in configs as the crawl itself keeps it:
 * changes, history and diff read a crawl's site rules (ignore-text) there. */
static int store_crawl_config(struct rb *r, const struct rcrawl *k,
			      const struct catalog_crawl *s, struct err *e)
{
	const char *text = k->config_text;
	char dg[48];
	size_t i;

	if (!s->config_digest[0])
		return 0;
	if (text) {
		catalog_config_digest(text, dg);
		if (strcmp(dg, s->config_digest))
			text = NULL;
	}
	for (i = 0; !text && i < r->nconf; i++)
		if (!strcmp(r->conf_digest[i], s->config_digest))
			text = r->conf_text[i];
	return text ? cat_store_config(r->c, s->config_name, text,
				       s->config_digest, e) : 0;
}

static int write_crawls(struct rb *r, struct err *e)
{
	size_t i;
	int64_t id;

	for (i = 0; i < r->n; i++) {
		struct rcrawl *k = &r->v[i];
		struct catalog_crawl *s = &k->sum;

		if (k->have_summary) {
			if (!s->config_name[0])
				snprintf(s->config_name, sizeof(s->config_name),
					 "%s", k->config_name);
			if (!s->config_digest[0])
				snprintf(s->config_digest, sizeof(s->config_digest),
					 "%s", k->config_digest);
		} else {
			memset(s, 0, sizeof(*s));
			snprintf(s->start, sizeof(s->start), "%s", k->start);
			snprintf(s->end, sizeof(s->end), "%s", k->last);
			snprintf(s->status, sizeof(s->status), "%s",
				 k->govarch ? "interrupted" : "imported");
			snprintf(s->config_name, sizeof(s->config_name), "%s",
				 k->config_name);
			snprintf(s->config_digest, sizeof(s->config_digest),
				 "%s", k->config_digest);
			s->pages = k->captures;
			s->bytes = k->bytes;
		}
		if (r->incremental) {
			struct catalog_crawl old;
			int got = catalog_crawl_get(r->c, k->id, &old, e);

			if (got < 0)
				return -1;
			if (got && !k->have_summary)
				continue;   /* known, nothing new about it */
			if (got) {
				if (catalog_crawl_end(r->c, k->id, s->end,
						      s->status, s->pages,
						      s->bytes, s->failed, e) < 0 ||
				    catalog_crawl_set_reason(r->c, k->id,
							     s->reason, e) < 0)
					return -1;
				r->st->crawls++;
				continue;
			}
		}
		if (store_crawl_config(r, k, s, e) < 0 ||
		    cat_crawl_insert(r->c, k->id, s->start[0] ? s->start : k->start,
				     s->status, s->config_name,
				     s->config_digest, &id, e) < 0 ||
		    catalog_crawl_end(r->c, k->id, s->end, s->status, s->pages,
				      s->bytes, s->failed, e) < 0 ||
		    catalog_crawl_set_reason(r->c, k->id, s->reason, e) < 0)
			return -1;
		r->st->crawls++;
	}
	return 0;
}

static int remove_catalog(const char *dir, struct err *e)
{
	static const char *const suf[] = { "", "-wal", "-shm", "-journal" };
	size_t i;

	for (i = 0; i < 4; i++) {
		char *p = NULL;

		if (asprintf(&p, "%s/%s%s", dir, CATALOG_FILE, suf[i]) < 0)
			return err_set(e, "%s: out of memory", dir);
		if (unlink(p) < 0 && errno != ENOENT) {
			err_set(e, "%s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}

static int index_files(const char *archive_dir, const char *config_text,
		       int incremental, struct catalog_rebuild_stats *stats,
		       struct err *e)
{
	struct cat_files f, todo;
	struct rb r;
	size_t i;
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	memset(&r, 0, sizeof(r));
	memset(&todo, 0, sizeof(todo));
	r.dir = archive_dir;
	r.forced_config = config_text;
	r.rules_for = -1;
	r.st = stats;
	r.incremental = incremental;
	{
		/* first finish a repack a crash interrupted (a writable
		 * open does), or its leftover file would be read as new; best
		 * effort: a catalog that does not open is rebuilt anyway */
		char *p = NULL;

		if (asprintf(&p, "%s/%s", archive_dir, CATALOG_FILE) >= 0 &&
		    access(p, F_OK) == 0)
			catalog_close(catalog_open(archive_dir, 0, NULL));
		free(p);
	}
	if (cat_files_list(archive_dir, !incremental, &f, e) < 0)
		return -1;
	if (!incremental && remove_catalog(archive_dir, e) < 0)
		goto out;
	r.c = catalog_open(archive_dir, CATALOG_CREATE, e);
	if (!r.c)
		goto out;
	if (incremental) {
		sqlite3_stmt *st = NULL;

		if (db_prepare(&r.c->db, "SELECT coalesce(max(id), 0) FROM crawls",
				&st, e) < 0)
			goto out;
		if (sqlite3_step(st) == SQLITE_ROW)
			r.max_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	/* the files to read: all, or those the catalog does not know */
	todo.v = calloc(f.n + 1, sizeof(char *));
	if (!todo.v) {
		err_set(e, "%s: out of memory", archive_dir);
		goto out;
	}
	for (i = 0; i < f.n; i++)
		if (!incremental || !known_file(&r, f.v[i]))
			todo.v[todo.n++] = f.v[i];
	load_conf_files(&r);
	scan_ids(&r, &todo);
	for (i = 0; i < todo.n; i++)
		if (read_file(&r, todo.v[i], e) < 0)
			goto out;
	if (catalog_begin(r.c, e) < 0)
		goto out;
	if (write_crawls(&r, e) < 0) {
		catalog_rollback(r.c, NULL);
		goto out;
	}
	if (catalog_commit(r.c, e) < 0 || catalog_compact(r.c, e) < 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < r.n; i++)
		free(r.v[i].config_text);
	free(r.v);
	for (i = 0; i < r.nconf; i++) {
		free(r.conf_digest[i]);
		free(r.conf_text[i]);
	}
	free(r.conf_digest);
	free(r.conf_text);
	catalog_close(r.c);
	free(todo.v);       /* the strings belong to f */
	cat_files_release(&f);
	return rc;
}

int catalog_rebuild(const char *archive_dir, const char *config_text,
		    struct catalog_rebuild_stats *stats, struct err *e)
{
	return index_files(archive_dir, config_text, 0, stats, e);
}

int catalog_index_new(const char *archive_dir, const char *config_text,
		      struct catalog_rebuild_stats *stats, struct err *e)
{
	return index_files(archive_dir, config_text, 1, stats, e);
}
