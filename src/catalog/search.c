/* catalog search: the FTS5 index of the stored main texts (texts_fts, one
 * row per distinct text), the query check, and the search itself. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-int.h"
#include "catalog/catalog-search.h"
#include "util/escape.h"
#include "util/timeutil.h"

/* ---- the index ---- */

int cat_search_add(struct catalog *c, int64_t rowid, const char *body,
		   size_t len, struct err *e)
{
	struct buf t = BUF_INIT(0);
	const char *p = body, *end = body + len, *nl, *tab;
	sqlite3_stmt *st = NULL;
	int rc;

	/* "KIND\tTEXT" lines: the texts, one per line */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		tab = memchr(p, '\t', (size_t)(nl - p));
		tab = tab ? tab + 1 : p;
		if (buf_add(&t, tab, (size_t)(nl - tab)) < 0 ||
		    buf_addc(&t, '\n') < 0) {
			buf_release(&t);
			return err_set(e, "%s: out of memory indexing a text",
				       c->db.path);
		}
		p = nl + 1;
	}
	if (db_cached(&c->db, "INSERT INTO texts_fts(rowid, text) VALUES(?, ?)",
		      &st, e) < 0) {
		buf_release(&t);
		return -1;
	}
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, t.data ? t.data : "", (int)t.len, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 :
		db_error(&c->db, e, "indexing a text");
	sqlite3_reset(st);
	buf_release(&t);
	return rc;
}

int cat_search_pending(struct catalog *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* an error (no such table: an older schema) counts as pending */
	if (db_prepare(&c->db, "SELECT 1 FROM search_pending LIMIT 1", &st,
		       NULL) < 0)
		return 1;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc != SQLITE_DONE;
}

int cat_search_build(struct catalog *c, struct err *e)
{
	struct buf body = BUF_INIT(0);
	sqlite3_stmt *st = NULL;
	int rc = -1, r;

	if (catalog_begin(c, e) < 0)
		return -1;
	if (db_exec(&c->db, "INSERT INTO texts_fts(texts_fts) VALUES('delete-all')",
		    e) < 0 ||
	    db_prepare(&c->db, "SELECT rowid, body FROM texts ORDER BY rowid",
		       &st, e) < 0)
		goto out;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		buf_reset(&body);
		if (cat_blob_unpack(c, st, 1, &body, e) < 0 ||
		    cat_search_add(c, sqlite3_column_int64(st, 0),
				   body.data ? body.data : "", body.len, e) < 0)
			goto out;
	}
	if (r != SQLITE_DONE) {
		db_error(&c->db, e, "reading the texts to index");
		goto out;
	}
	if (db_exec(&c->db, "DELETE FROM search_pending", e) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	buf_release(&body);
	if (rc < 0) {
		catalog_rollback(c, NULL);
		return err_prefix(e, "building the search index");
	}
	return catalog_commit(c, e);
}

/* ---- the query ---- */

static int is_op(const char *w, size_t n)
{
	return (n == 3 && !memcmp(w, "AND", 3)) || (n == 2 && !memcmp(w, "OR", 2)) ||
		(n == 3 && !memcmp(w, "NOT", 3));
}

#define QERR(...) (err_set(e, "malformed query: " __VA_ARGS__))

int catalog_search_query(const char *query, struct buf *fts, struct err *e)
{
	const char *p = query;
	int depth = 0, want_operand = 1, operands = 0;
	size_t len = strlen(query);

	if (len > CATALOG_SEARCH_QUERY_MAX)
		return QERR("longer than %d bytes", CATALOG_SEARCH_QUERY_MAX);
	while (*p) {
		unsigned char ch = (unsigned char)*p;

		if (isspace(ch)) {
			p++;
			continue;
		}
		if (ch < 0x20 || ch == 0x7f)
			return QERR("a control character");
		if (ch == '(') {
			if (!want_operand)
				buf_adds(fts, " AND ");
			if (++depth > CATALOG_SEARCH_DEPTH_MAX)
				return QERR("parentheses nested deeper than %d",
					    CATALOG_SEARCH_DEPTH_MAX);
			buf_addc(fts, '(');
			want_operand = 1;
			p++;
			continue;
		}
		if (ch == ')') {
			if (depth == 0)
				return QERR("')' without '('");
			if (want_operand)
				return QERR("')' after an operator or '(': "
					    "nothing to group");
			depth--;
			buf_addc(fts, ')');
			p++;
			continue;
		}
		if (ch == '*')
			return QERR("'*' must follow a word or phrase "
				    "(prefix: word*)");
		if (strchr(":^{}+", ch))
			return QERR("'%c' is not supported (words, \"phrases\", "
				    "word*, AND, OR, NOT, parentheses)", ch);
		if (ch == '"') {
			const char *q = p + 1;

			if (!want_operand)
				buf_adds(fts, " AND ");
			buf_addc(fts, '"');
			for (;;) {
				if (!*q)
					return QERR("a '\"' without its closing "
						    "'\"'");
				if (*q == '"' && q[1] == '"') {
					buf_adds(fts, "\"\"");
					q += 2;
					continue;
				}
				if (*q == '"')
					break;
				buf_addc(fts, *q++);
			}
			buf_addc(fts, '"');
			p = q + 1;
			if (*p == '*') {
				buf_addc(fts, '*');
				p++;
			}
			if (*p && !isspace((unsigned char)*p) && *p != ')' &&
			    *p != '(')
				return QERR("'%c' right after a phrase", *p);
			want_operand = 0;
			operands++;
			continue;
		}
		{
			const char *w = p;
			size_t n, i;
			int prefix = 0;

			while (*p && !isspace((unsigned char)*p) &&
			       !strchr("()\"", *p))
				p++;
			n = (size_t)(p - w);
			if (is_op(w, n)) {
				if (want_operand)
					return QERR("%.*s needs a word or phrase "
						    "before it", (int)n, w);
				buf_addc(fts, ' ');
				buf_add(fts, w, n);
				buf_addc(fts, ' ');
				want_operand = 1;
				continue;
			}
			if (w[n - 1] == '*') {
				prefix = 1;
				n--;
			}
			for (i = 0; i < n; i++) {
				if (strchr(":^{}+", w[i]))
					return QERR("'%c' is not supported "
						    "(words, \"phrases\", word*, "
						    "AND, OR, NOT, parentheses)",
						    w[i]);
				if (w[i] == '*')
					return QERR("'*' inside a word (prefix: "
						    "word* at its end)");
			}
			if (n == 0)
				return QERR("'*' must follow a word or phrase "
					    "(prefix: word*)");
			if (!want_operand)
				buf_adds(fts, " AND ");
			buf_addc(fts, '"');
			buf_add(fts, w, n);
			buf_addc(fts, '"');
			if (prefix)
				buf_addc(fts, '*');
			want_operand = 0;
			operands++;
		}
	}
	if (depth)
		return QERR("'(' without ')'");
	if (!operands)
		return QERR("no word or phrase to search for");
	if (want_operand)
		return QERR("an operator at the end");
	if (buf_addc(fts, '\0') < 0)
		return err_set(e, "out of memory");
	fts->len--;
	return 0;
}

/* ---- the search ---- */

const char *catalog_search_now_name(enum catalog_search_now now)
{
	return now == CATALOG_NOW_YES ? "yes" : now == CATALOG_NOW_NO ? "no" :
		"gone";
}

void catalog_search_release(struct catalog_search *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].url);
		free(s->v[i].first.file);
		free(s->v[i].last.file);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* The side from the row; its file is a strs id until file_names. */
static void side_from_row(sqlite3_stmt *st, struct catalog_search_capture *s,
			  int64_t *file)
{
	s->crawl = sqlite3_column_int64(st, 1);
	time_iso((const char *)sqlite3_column_text(st, 2), s->date);
	*file = sqlite3_column_int64(st, 3);
	s->offset = (uint64_t)sqlite3_column_int64(st, 4);
}

/* The WARC file names of the first and last sides (ids in files[]): only
 * those, not one for every capture read. */
static int file_names(struct catalog *c, struct catalog_search *out,
		      const int64_t *files, struct err *e)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int k;

	if (db_prepare(&c->db, "SELECT s FROM strs WHERE id = ?", &st, e) < 0)
		return -1;
	for (i = 0; i < out->n; i++) {
		for (k = 0; k < 2; k++) {
			struct catalog_search_capture *s = k ? &out->v[i].last
				: &out->v[i].first;

			sqlite3_bind_int64(st, 1, files[2 * i + (size_t)k]);
			if (sqlite3_step(st) != SQLITE_ROW ||
			    !(s->file = db_col_dup(st, 0))) {
				sqlite3_finalize(st);
				return err_set(e, "%s: a capture without its WARC "
					       "file name", c->db.path);
			}
			sqlite3_reset(st);
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int search_run(struct catalog *c, const char *fts, int64_t from,
		      int64_t to, const char *prefix,
		      struct catalog_search *out, struct err *e)
{
	/* m: the strs ids of the matching texts' digests; hit: the URLs
	 * with a matching capture in the crawls (caps_text finds them from
	 * the texts); then every capture of those URLs in the crawls,
	 * oldest first */
	static const char *const sql =
		"WITH m(d) AS MATERIALIZED (SELECT s.id FROM texts_fts f "
		" JOIN texts t ON t.rowid = f.rowid JOIN strs s ON s.s = t.digest "
		" WHERE texts_fts MATCH ?1), "
		"hit(u) AS (SELECT DISTINCT c.url FROM m JOIN caps c ON "
		" c.text_digest = m.d JOIN urls u ON u.id = c.url WHERE "
		" c.crawl BETWEEN ?2 AND ?3 AND "
		" (?4 IS NULL OR substr(u.url, 1, length(?4)) = ?4)) "
		"SELECT u.url, c.crawl, c.date, c.file, c.offset, "
		" c.text_digest IN m, "
		" c.text_digest IS NOT NULL, c.eff_status "
		"FROM hit JOIN caps c ON c.url = hit.u JOIN urls u ON u.id = c.url "
		"WHERE c.crawl BETWEEN ?2 AND ?3 "
		"ORDER BY u.url, c.ts, c.id";
	struct catalog_search_hit *h = NULL, *t;
	sqlite3_stmt *st = NULL;
	int64_t *files = NULL, *ft;
	size_t alloc = 0;
	int r, rc = -1;

	memset(out, 0, sizeof(*out));
	if (!from || !to) {
		if (db_prepare(&c->db, "SELECT coalesce(min(id), 0), "
			       "coalesce(max(id), 0) FROM crawls", &st, e) < 0)
			return -1;
		if (sqlite3_step(st) == SQLITE_ROW) {
			if (!from)
				from = sqlite3_column_int64(st, 0);
			if (!to)
				to = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (from > to)
		return err_set(e, "crawl %lld (FROM) comes after crawl %lld (TO)",
			       (long long)from, (long long)to);
	out->from_crawl = from;
	out->to_crawl = to;
	if (db_prepare(&c->db, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	db_bind_str(st, 4, prefix);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *url = (const char *)sqlite3_column_text(st, 0);
		int matched = sqlite3_column_int(st, 5);
		int has_text = sqlite3_column_int(st, 6);
		int status = sqlite3_column_int(st, 7);

		if (!url)
			continue;
		if (!out->n || strcmp(h[out->n - 1].url, url)) {
			if (out->n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				t = realloc(h, alloc * sizeof(*h));
				if (!t)
					goto nomem;
				h = t;
				out->v = h;
				ft = realloc(files, 2 * alloc * sizeof(*files));
				if (!ft)
					goto nomem;
				files = ft;
			}
			memset(&h[out->n], 0, sizeof(*h));
			h[out->n].now = CATALOG_NOW_GONE;
			files[2 * out->n] = files[2 * out->n + 1] = 0;
			if (!(h[out->n++].url = strdup(url)))
				goto nomem;
		}
		t = &h[out->n - 1];
		if (matched) {
			if (!t->first.crawl)
				side_from_row(st, &t->first,
					      &files[2 * (out->n - 1)]);
			side_from_row(st, &t->last, &files[2 * (out->n - 1) + 1]);
		}
		/* the newest capture that answered (a 5xx or a failed fetch
		 * says nothing about the text) */
		if (status > 0 && status < 500)
			t->now = matched ? CATALOG_NOW_YES :
				has_text || (status >= 200 && status < 300)
				? CATALOG_NOW_NO : CATALOG_NOW_GONE;
	}
	if (r != SQLITE_DONE) {
		/* the query was checked; what is left is the index's trouble */
		db_error(&c->db, e, "searching");
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = file_names(c, out, files, e);
	goto out;
nomem:
	err_set(e, "%s: out of memory", c->db.path);
out:
	free(files);
	sqlite3_finalize(st);
	if (rc < 0)
		catalog_search_release(out);
	return rc;
}

int catalog_search_run(struct catalog *c, const char *fts, int64_t from,
		       int64_t to, const char *prefix,
		       struct catalog_search *out, struct err *e)
{
	int rc, own = sqlite3_get_autocommit(c->db.h);

	/* one read transaction: one snapshot, and not one lock and file
	 * check per statement (the file names of thousands of matches) */
	if (own && db_exec(&c->db, "BEGIN", e) < 0)
		return -1;
	rc = search_run(c, fts, from, to, prefix, out, e);
	if (own)
		db_exec(&c->db, "COMMIT", NULL);
	return rc;
}

/* ---- output ---- */

static void json_side(struct buf *b, const struct catalog_search_capture *s)
{
	buf_addf(b, "{\"crawl\":%lld,\"date\":\"%s\",\"file\":", (long long)s->crawl,
		 s->date);
	escape_json(b, s->file, strlen(s->file));
	buf_addf(b, ",\"offset\":%llu}", (unsigned long long)s->offset);
}

int catalog_search_format(const struct catalog_search *s, const char *query,
			  const char *fmt, struct buf *out, struct err *e)
{
	size_t i;

	if (!strcmp(fmt, "json")) {
		buf_adds(out, "{\"query\":");
		escape_json(out, query, strlen(query));
		buf_addf(out, ",\"from\":%lld,\"to\":%lld,\"pages\":[",
			 (long long)s->from_crawl, (long long)s->to_crawl);
		for (i = 0; i < s->n; i++) {
			const struct catalog_search_hit *h = &s->v[i];

			buf_adds(out, i ? ",\n" : "\n");
			buf_adds(out, "{\"url\":");
			escape_json(out, h->url, strlen(h->url));
			buf_adds(out, ",\"first\":");
			json_side(out, &h->first);
			buf_adds(out, ",\"last\":");
			json_side(out, &h->last);
			buf_addf(out, ",\"now\":\"%s\"}",
				 catalog_search_now_name(h->now));
		}
		buf_adds(out, s->n ? "\n]}\n" : "]}\n");
	} else {
		buf_addf(out, "# search crawls %lld to %lld: %zu page%s\n",
			 (long long)s->from_crawl, (long long)s->to_crawl, s->n,
			 s->n == 1 ? "" : "s");
		for (i = 0; i < s->n; i++) {
			const struct catalog_search_hit *h = &s->v[i];

			buf_addf(out, "%s\tfirst: %s #%lld\tlast: %s #%lld\t"
				 "now: %s\n", h->url, h->first.date,
				 (long long)h->first.crawl, h->last.date,
				 (long long)h->last.crawl,
				 catalog_search_now_name(h->now));
		}
	}
	if (buf_addc(out, '\0') < 0)
		return err_set(e, "out of memory");
	out->len--;
	return 0;
}
