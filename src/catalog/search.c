/* catalog search: the FTS5 index of the stored main texts (texts_fts, one
 * row per distinct text), the query check, and the search itself. */
#include <ctype.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-int.h"
#include "catalog/catalog-search.h"
#include "util/escape.h"
#include "util/hashmap.h"
#include "util/timeutil.h"

/* ---- the index ---- */

/* The plain text the index holds for a stored body ("KIND\tTEXT" lines):
 * the texts, one per line.  The phrase check tokenizes the same. */
static int index_text(const char *body, size_t len, struct buf *t)
{
	const char *p = body, *end = body + len, *nl, *tab;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		tab = memchr(p, '\t', (size_t)(nl - p));
		tab = tab ? tab + 1 : p;
		if (buf_add(t, tab, (size_t)(nl - tab)) < 0 || buf_addc(t, '\n') < 0)
			return -1;
		p = nl + 1;
	}
	return 0;
}

int cat_search_add(struct catalog *c, int64_t rowid, const char *body,
		   size_t len, struct err *e)
{
	struct buf t = BUF_INIT(0);
	sqlite3_stmt *st = NULL;
	int rc;

	if (index_text(body, len, &t) < 0) {
		buf_release(&t);
		return err_set(e, "%s: out of memory indexing a text",
			       c->db.path);
	}
	if (db_cached(&c->db, "INSERT INTO texts_fts(rowid, text) VALUES(?, ?)",
		      &st, e) < 0) {
		buf_release(&t);
		return -1;
	}
	sqlite3_bind_int64(st, 1, rowid);
	sqlite3_bind_text(st, 2, t.data, (int)t.len, SQLITE_STATIC);
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

/* The index keeps no positions (detail=none: a tenth of the size of
 * detail=full), so FTS5 cannot match a phrase of several tokens.  The
 * checked query (only strings, '*', AND, OR, NOT and parentheses) is read
 * again here as a tree whose strings are cut into tokens by FTS5's own
 * tokenizer (the index's: same case, accents and separators); the index
 * then finds the candidates - each phrase's tokens ANDed - and, when the
 * query has a phrase of two or more tokens, each candidate's stored text
 * is cut into tokens the same way and the whole query evaluated on it
 * (first without the tokenizer: scan_eval, which says where that is the
 * same answer). */

/* The index's tokenizer and its arguments (migration 9 in db.c). */
#define TOKENIZER "unicode61"
static const char *const tokenizer_args[] = { "remove_diacritics", "2" };

struct tokenizer {
	fts5_tokenizer api;
	void *ud;
	Fts5Tokenizer *t;
};

static int tokenizer_open(struct catalog *c, struct tokenizer *z,
			  struct err *e)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	memset(z, 0, sizeof(*z));
	if (db_prepare(&c->db, "SELECT fts5(?1)", &st, e) < 0)
		return -1;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2 ||
	    api->xFindTokenizer(api, TOKENIZER, &z->ud, &z->api) != SQLITE_OK ||
	    z->api.xCreate(z->ud, (const char **)tokenizer_args, 2, &z->t) !=
	    SQLITE_OK)
		return err_set(e, "%s: SQLite's FTS5 tokenizer '%s' is missing",
			       c->db.path, TOKENIZER);
	return 0;
}

/* Another instance of z's tokenizer (one is used by one thread at a time). */
static int tokenizer_copy(const struct tokenizer *z, struct tokenizer *to)
{
	*to = *z;
	to->t = NULL;
	return z->api.xCreate(z->ud, (const char **)tokenizer_args, 2, &to->t)
		== SQLITE_OK ? 0 : -1;
}

static void tokenizer_close(struct tokenizer *z)
{
	if (z->t)
		z->api.xDelete(z->t);
	z->t = NULL;
}

/* Tokens: their bytes, each NUL-terminated, at off[i] in b. */
struct tokens {
	struct buf b;
	size_t *off, n, alloc;
	int nomem;
};

static int token_cb(void *ctx, int flags, const char *p, int n, int start,
		    int end)
{
	struct tokens *t = ctx;

	(void)start;
	(void)end;
	if (flags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (t->n == t->alloc) {
		size_t a = t->alloc ? 2 * t->alloc : 256;
		size_t *o = realloc(t->off, a * sizeof(*o));

		if (!o)
			goto nomem;
		t->off = o;
		t->alloc = a;
	}
	t->off[t->n] = t->b.len;
	if (buf_add(&t->b, p, (size_t)n) < 0 || buf_addc(&t->b, '\0') < 0)
		goto nomem;
	t->n++;
	return SQLITE_OK;
nomem:
	t->nomem = 1;
	return SQLITE_NOMEM;
}

static int tokenize(struct tokenizer *z, int flags, const char *p, size_t n,
		    struct tokens *t)
{
	buf_reset(&t->b);
	t->n = 0;
	t->nomem = 0;
	return z->api.xTokenize(z->t, t, flags, p, (int)n, token_cb) ==
		SQLITE_OK && !t->nomem ? 0 : -1;
}

enum { Q_STR, Q_AND, Q_OR, Q_NOT };

struct qnode {
	int op;
	int l, r;                   /* Q_AND, Q_OR, Q_NOT: the operands */
	size_t t0, nt;              /* Q_STR: tokens t0.. of the query's */
	int prefix;                 /* Q_STR: its last token is a prefix */
	int ascii;                  /* Q_STR: its tokens are ASCII letters
				     * and digits (q_ascii): scanned */
};

struct query {
	struct qnode *v;
	int n;
	struct tokens toks;         /* every string's tokens, in order */
	int phrases;                /* strings of two tokens or more */
	const char *p;              /* parsing: the rest of the FTS5 text */
	struct buf s;               /* parsing: a string's text */
};

static int q_or(struct query *q, struct tokenizer *z);

static int q_node(struct query *q, int op, int l, int r)
{
	struct qnode *v = realloc(q->v, (size_t)(q->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	q->v = v;
	memset(&v[q->n], 0, sizeof(*v));
	v[q->n].op = op;
	v[q->n].l = l;
	v[q->n].r = r;
	return q->n++;
}

static void q_space(struct query *q)
{
	while (*q->p == ' ')
		q->p++;
}

/* A string (its tokens appended to q->toks) or a parenthesized query. */
static int q_primary(struct query *q, struct tokenizer *z)
{
	struct tokens t = { BUF_INIT(0), NULL, 0, 0, 0 };
	size_t i;
	int k;

	q_space(q);
	if (*q->p == '(') {
		q->p++;
		k = q_or(q, z);
		q_space(q);
		if (k < 0 || *q->p != ')')
			return -1;
		q->p++;
		return k;
	}
	if (*q->p != '"')
		return -1;
	buf_reset(&q->s);
	for (q->p++; *q->p; q->p++) {
		if (*q->p == '"' && q->p[1] != '"')
			break;
		if (*q->p == '"')
			q->p++;
		if (buf_addc(&q->s, *q->p) < 0)
			return -1;
	}
	if (*q->p++ != '"' || (k = q_node(q, Q_STR, 0, 0)) < 0)
		return -1;
	if (*q->p == '*') {
		q->v[k].prefix = 1;
		q->p++;
	}
	if (tokenize(z, FTS5_TOKENIZE_QUERY |
		     (q->v[k].prefix ? FTS5_TOKENIZE_PREFIX : 0),
		     q->s.data, q->s.len, &t) < 0)
		goto fail;
	q->v[k].t0 = q->toks.n;
	q->v[k].nt = t.n;
	for (i = 0; i < t.n; i++)
		if (token_cb(&q->toks, 0, t.b.data + t.off[i],
			     (int)strlen(t.b.data + t.off[i]), 0, 0) != SQLITE_OK)
			goto fail;
	if (t.n > 1)
		q->phrases++;
	buf_release(&t.b);
	free(t.off);
	return k;
fail:
	buf_release(&t.b);
	free(t.off);
	return -1;
}

static int q_word(struct query *q, const char *w)
{
	size_t n = strlen(w);

	q_space(q);
	if (strncmp(q->p, w, n) || q->p[n] != ' ')
		return 0;
	q->p += n;
	return 1;
}

/* FTS5's precedence: NOT, then AND, then OR, each from the left. */
static int q_not(struct query *q, struct tokenizer *z)
{
	int l = q_primary(q, z), r;

	while (l >= 0 && q_word(q, "NOT"))
		l = (r = q_primary(q, z)) < 0 ? -1 : q_node(q, Q_NOT, l, r);
	return l;
}

static int q_and(struct query *q, struct tokenizer *z)
{
	int l = q_not(q, z), r;

	while (l >= 0 && q_word(q, "AND"))
		l = (r = q_not(q, z)) < 0 ? -1 : q_node(q, Q_AND, l, r);
	return l;
}

static int q_or(struct query *q, struct tokenizer *z)
{
	int l = q_and(q, z), r;

	while (l >= 0 && q_word(q, "OR"))
		l = (r = q_and(q, z)) < 0 ? -1 : q_node(q, Q_OR, l, r);
	return l;
}

static void query_release(struct query *q)
{
	free(q->v);
	buf_release(&q->toks.b);
	free(q->toks.off);
	buf_release(&q->s);
}

static const char *q_tok(const struct query *q, size_t i)
{
	return q->toks.b.data + q->toks.off[i];
}

/* 1 when the index answers node k exactly (no phrase in it). */
static int q_exact(const struct query *q, int k)
{
	const struct qnode *n = &q->v[k];

	return n->op == Q_STR ? n->nt <= 1 : q_exact(q, n->l) && q_exact(q, n->r);
}

/* The FTS5 query of node k's candidates (every text that matches it, and
 * for a phrase more): a phrase is its tokens ANDed, 'A NOT B' is A's when
 * B is not exact. */
static void q_fts(const struct query *q, int k, struct buf *b)
{
	const struct qnode *n = &q->v[k];
	size_t i;

	if (n->op == Q_STR) {
		if (!n->nt)
			buf_adds(b, "\"\"");    /* no token: matches nothing */
		if (n->nt > 1)
			buf_addc(b, '(');
		for (i = 0; i < n->nt; i++) {
			/* a token has no '"' (a separator) */
			buf_addf(b, "%s\"%s\"", i ? " AND " : "",
				 q_tok(q, n->t0 + i));
		}
		if (n->prefix && n->nt)
			buf_addc(b, '*');
		if (n->nt > 1)
			buf_addc(b, ')');
		return;
	}
	if (n->op == Q_NOT && !q_exact(q, n->r)) {
		q_fts(q, n->l, b);
		return;
	}
	buf_addc(b, '(');
	q_fts(q, n->l, b);
	buf_adds(b, n->op == Q_AND ? " AND " : n->op == Q_OR ? " OR " : " NOT ");
	q_fts(q, n->r, b);
	buf_addc(b, ')');
}

/* Node k on a text's tokens. */
static int q_eval(const struct query *q, int k, const struct tokens *t)
{
	const struct qnode *n = &q->v[k];
	size_t i, j, len;

	switch (n->op) {
	case Q_AND:
		return q_eval(q, n->l, t) && q_eval(q, n->r, t);
	case Q_OR:
		return q_eval(q, n->l, t) || q_eval(q, n->r, t);
	case Q_NOT:
		return q_eval(q, n->l, t) && !q_eval(q, n->r, t);
	}
	if (!n->nt || t->n < n->nt)
		return 0;
	for (i = 0; i + n->nt <= t->n; i++) {
		for (j = 0; j < n->nt; j++) {
			const char *a = t->b.data + t->off[i + j];
			const char *w = q_tok(q, n->t0 + j);

			if (j + 1 == n->nt && n->prefix) {
				len = strlen(w);
				if (strncmp(a, w, len))
					break;
			} else if (strcmp(a, w)) {
				break;
			}
		}
		if (j == n->nt)
			return 1;
	}
	return 0;
}


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

/* The WARC file names of the first and last sides (ids in files[]): only
 * those, not one for every capture read. */
static int file_names(struct catalog *c, struct catalog_search *out,
		      const int64_t *files, struct err *e)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int k;
	int64_t prev = 0;           /* a crawl's captures share a few files */
	const char *name = NULL;

	if (db_prepare(&c->db, "SELECT s FROM strs WHERE id = ?", &st, e) < 0)
		return -1;
	for (i = 0; i < out->n; i++) {
		for (k = 0; k < 2; k++) {
			struct catalog_search_capture *s = k ? &out->v[i].last
				: &out->v[i].first;
			int64_t f = files[2 * i + (size_t)k];

			if (!name || f != prev) {
				sqlite3_reset(st);
				sqlite3_bind_int64(st, 1, f);
				name = sqlite3_step(st) == SQLITE_ROW ?
					(const char *)sqlite3_column_text(st, 0)
					: NULL;
				prev = f;
			}
			if (!name) {
				sqlite3_finalize(st);
				return err_set(e, "%s: a capture without its WARC "
					       "file name", c->db.path);
			}
			if (!(s->file = strdup(name))) {
				sqlite3_finalize(st);
				return err_set(e, "%s: out of memory", c->db.path);
			}
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- the check without the tokenizer ---- */

/* In ASCII, unicode61's tokens are exactly the runs of ASCII letters and
 * digits, lower-cased (no other ASCII byte is a token character, and
 * folding case and accents leaves ASCII as ASCII; a byte of a multi-byte
 * character is never ASCII).  So a string of the query (its tokens all
 * ASCII, else it is found only by the tokenizer) is in a text where its
 * tokens appear one after the other, compared without case, each a whole
 * run (the last one's start only, for a prefix), provided that every byte
 * from the one before its first token to the one after its last is
 * ASCII.  The text is the stored body as the index has it (index_text):
 * each line's 'KIND\t' is no part of it, and lines are separated.
 * Without such a match the string is not in an all-ASCII text; in a text
 * with other bytes that is unknown, and the tokenizer decides.  The same
 * answers as q_eval on the tokenizer's tokens; test-search compares them. */

static inline unsigned char fold(unsigned char ch)
{
	return (unsigned char)((unsigned)(ch - 'A') < 26u ? ch + 32 : ch);
}

static inline int tok_char(unsigned char ch)
{
	return (unsigned char)((ch | 32) - 'a') < 26u ||
		(unsigned char)(ch - '0') < 10u;
}

/* A body being scanned: the line the search is in. */
struct scan {
	const unsigned char *s;
	size_t n;
	size_t ls, le, lt;          /* its start, its end ('\n' or n), the
				     * start of its text (after 'KIND\t') */
	int ascii;                  /* the whole body is: -1 not known yet */
};

static size_t line_end(const struct scan *b, size_t ls)
{
	const unsigned char *nl = memchr(b->s + ls, '\n', b->n - ls);

	return nl ? (size_t)(nl - b->s) : b->n;
}

static size_t line_text(const struct scan *b, size_t ls, size_t le)
{
	const unsigned char *tab = memchr(b->s + ls, '\t', le - ls);

	return tab ? (size_t)(tab - b->s) + 1 : ls;
}

/* Moves the line on to the one holding p (p only grows). */
static void scan_line(struct scan *b, size_t p)
{
	while (p > b->le) {
		b->ls = b->le + 1;
		b->le = line_end(b, b->ls);
		b->lt = line_text(b, b->ls, b->le);
	}
}

static int scan_ascii(struct scan *b)
{
	uint64_t any = 0, w;
	size_t i = 0;

	if (b->ascii < 0) {
		for (; i + 8 <= b->n; i += 8) {
			memcpy(&w, b->s + i, 8);
			any |= w;
		}
		for (; i < b->n; i++)
			any |= b->s[i];
		b->ascii = !(any & 0x8080808080808080ull);
	}
	return b->ascii;
}

/* Node nd's tokens from token 0 at p (already compared): 1 the string,
 * 0 not, -1 a byte not ASCII on the way. */
static int scan_at(const struct query *q, const struct qnode *nd,
		   const struct scan *b, size_t p, size_t len0)
{
	const unsigned char *s = b->s;
	size_t r = p + len0, i, j, xl, ls, le;

	if (p > b->lt) {
		if (s[p - 1] & 0x80)
			return -1;
		if (tok_char(s[p - 1]))
			return 0;
	}
	for (i = 1;; i++) {
		if (i == nd->nt && nd->prefix)
			return 1;
		if (r == b->n)
			return i == nd->nt;
		if (s[r] & 0x80)
			return -1;
		if (tok_char(s[r]))
			return 0;
		if (i == nd->nt)
			return 1;
		/* the separators up to the next token */
		while (r < b->n) {
			if (s[r] == '\n') {
				ls = r + 1;
				le = line_end(b, ls);
				r = line_text(b, ls, le);
				continue;
			}
			if (s[r] & 0x80)
				return -1;
			if (tok_char(s[r]))
				break;
			r++;
		}
		if (r == b->n)
			return 0;
		{
			const char *x = q_tok(q, nd->t0 + i);

			xl = strlen(x);
			for (j = 0; j < xl; j++) {
				if (r + j == b->n)
					return 0;
				if (fold(s[r + j]) != (unsigned char)x[j])
					return s[r + j] & 0x80 ? -1 : 0;
			}
		}
		r += xl;
	}
}

/* The first position from pos where w (len bytes, lower case ASCII
 * letters and digits) may start: its first and last bytes match with
 * case folded (each byte ORed with 0x20: that folds ASCII letters, and
 * only adds candidates for other bytes); n: none.  Sixteen positions a
 * step where SSE2 is there. */
static size_t scan_next(const unsigned char *s, size_t n, size_t pos,
			const char *w, size_t len)
{
	unsigned char f = (unsigned char)w[0], l = (unsigned char)w[len - 1];
#ifdef __SSE2__
	const __m128i bit = _mm_set1_epi8(0x20);
	const __m128i vf = _mm_set1_epi8((char)f), vl = _mm_set1_epi8((char)l);

	while (pos + len - 1 + 16 <= n) {
		__m128i a = _mm_or_si128(_mm_loadu_si128(
			(const __m128i *)(const void *)(s + pos)), bit);
		__m128i z = _mm_or_si128(_mm_loadu_si128(
			(const __m128i *)(const void *)(s + pos + len - 1)), bit);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			_mm_cmpeq_epi8(a, vf), _mm_cmpeq_epi8(z, vl)));

		if (m)
			return pos + (size_t)__builtin_ctz(m);
		pos += 16;
	}
#endif
	for (; pos + len <= n; pos++)
		if ((s[pos] | 0x20) == f && (s[pos + len - 1] | 0x20) == l)
			return pos;
	return n;
}

/* String node nd in the body: 1 yes, 0 no, -1 unknown (see above). */
static int scan_str(const struct query *q, const struct qnode *nd,
		    struct scan *b)
{
	const unsigned char *s = b->s;
	const char *w;
	size_t len, pos, j;
	int dirty = 0, r;

	if (!nd->nt)
		return 0;
	if (!nd->ascii)             /* a token not ASCII */
		return scan_ascii(b) ? 0 : -1;
	w = q_tok(q, nd->t0);
	len = strlen(w);
	b->ls = 0;
	b->le = line_end(b, 0);
	b->lt = line_text(b, 0, b->le);
	for (pos = scan_next(s, b->n, 0, w, len); pos + len <= b->n;
	     pos = scan_next(s, b->n, pos + 1, w, len)) {
		for (j = 0; j < len; j++)
			if (fold(s[pos + j]) != (unsigned char)w[j])
				break;
		if (j < len)
			continue;
		scan_line(b, pos);
		if (pos < b->lt)    /* in 'KIND\t' */
			continue;
		r = scan_at(q, nd, b, pos, len);
		if (r > 0)
			return 1;
		if (r < 0)
			dirty = 1;
	}
	return dirty || !scan_ascii(b) ? -1 : 0;
}

/* Node k in the body: 1, 0, or -1 unknown (Kleene's logic). */
static int scan_eval(const struct query *q, int k, struct scan *b)
{
	const struct qnode *nd = &q->v[k];
	int l, r;

	switch (nd->op) {
	case Q_AND:
		if (!(l = scan_eval(q, nd->l, b)) || !(r = scan_eval(q, nd->r, b)))
			return 0;
		return l > 0 && r > 0 ? 1 : -1;
	case Q_OR:
		if ((l = scan_eval(q, nd->l, b)) > 0 ||
		    (r = scan_eval(q, nd->r, b)) > 0)
			return 1;
		return !l && !r ? 0 : -1;
	case Q_NOT:
		if (!(l = scan_eval(q, nd->l, b)) ||
		    (r = scan_eval(q, nd->r, b)) > 0)
			return 0;
		return l > 0 && !r ? 1 : -1;
	}
	return scan_str(q, nd, b);
}

/* Marks each string whose tokens are all ASCII letters and digits. */
static void q_ascii(struct query *q)
{
	int k;
	size_t i;
	const char *w;

	for (k = 0; k < q->n; k++) {
		struct qnode *nd = &q->v[k];

		if (nd->op != Q_STR || !nd->nt)
			continue;
		for (i = 0; i < nd->nt; i++) {
			for (w = q_tok(q, nd->t0 + i); *w; w++)
				if (!tok_char((unsigned char)*w) ||
				    fold((unsigned char)*w) != (unsigned char)*w)
					break;
			if (*w)
				break;
		}
		nd->ascii = i == nd->nt;
	}
}

/* ---- checking the candidates ---- */

/* Lists of ids handed to SQLite as JSON arrays (json_each): id_add
 * appends v to the array b holds (begun with '['), id_end closes it. */
static int id_add(struct buf *b, int64_t v)
{
	return (b->len > 1 && buf_addc(b, ',') < 0) || buf_addi(b, v) < 0
		? -1 : 0;
}

static int id_end(struct buf *b)
{
	return buf_addc(b, ']') < 0 || buf_addc(b, '\0') < 0 ? -1 : 0;
}

/* The candidates' stored bodies, as read from the index (in its order),
 * and what the check says of each. */
struct cands {
	struct buf data;            /* the bodies as stored */
	struct cand {
		int64_t rowid;
		size_t off, len;
		int frame;          /* a zstd frame (else plain text) */
		unsigned char ok;
	} *v;
	size_t n, alloc;
	unsigned dict;              /* the frames' dictionary (0: none) */
	int one_dict;               /* every frame names dict or none */
};

/* What a thread checking candidates needs and says. */
struct checker {
	struct catalog *c;
	const struct query *q;
	int root;
	struct cands *cs;
	size_t first, step;         /* candidates first, first + step, ... */
	struct tokenizer z;
	ZSTD_DCtx *zd;              /* NULL: the catalog's (its thread) */
	int check_all;              /* every text through the tokenizer */
	int prepare;                /* each frame's dictionary loaded first
				     * (only in the catalog's thread) */
	size_t failed;              /* the candidate that failed (cs->n: none) */
	struct err e;
};

static void *check_run(void *arg)
{
	struct checker *k = arg;
	struct cands *cs = k->cs;
	struct buf body = BUF_INIT(0), text = BUF_INIT(0);
	struct tokens t = { BUF_INIT(0), NULL, 0, 0, 0 };
	size_t i;
	int r;

	k->failed = cs->n;
	for (i = k->first; i < cs->n; i += k->step) {
		struct cand *cd = &cs->v[i];
		const char *p = cs->data.data + cd->off;
		struct scan b;

		buf_reset(&body);
		if (cd->frame) {
			unsigned d;

			if ((k->prepare && cat_blob_prepare(k->c, p, cd->len, &d,
							    &k->e) < 0) ||
			    cat_blob_decode(k->c, k->zd ? k->zd : k->c->zd, p,
					    cd->len, &body, &k->e) < 0)
				goto fail;
		} else if (buf_add(&body, p, cd->len) < 0 ||
			   buf_addc(&body, '\0') < 0) {
			goto nomem;
		}
		b.s = (const unsigned char *)(body.data ? body.data : "");
		b.n = body.len;
		b.ascii = -1;
		r = k->check_all ? -1 : scan_eval(k->q, k->root, &b);
		if (r < 0) {
			buf_reset(&text);
			if (index_text(body.data ? body.data : "", body.len,
				       &text) < 0 ||
			    tokenize(&k->z, FTS5_TOKENIZE_DOCUMENT, text.data,
				     text.len, &t) < 0)
				goto nomem;
			r = q_eval(k->q, k->root, &t);
		}
		cd->ok = r > 0;
	}
	goto out;
nomem:
	err_set(&k->e, "%s: out of memory reading a text", k->c->db.path);
fail:
	k->failed = i;
out:
	buf_release(&body);
	buf_release(&text);
	buf_release(&t.b);
	free(t.off);
	return NULL;
}

/* Candidates read and checked at a time: their bodies' memory is used
 * again (not 6 MB copied and paged in for 22,000 texts).  Over
 * CHECK_THREADS_FROM of them are checked by two threads while this one
 * reads the next batch from SQLite. */
#define CHECK_BATCH 2048
#define CHECK_THREADS_FROM 1000

/* The next candidates from st into cs (emptied first): 1 more to come,
 * 0 the last, -1 an error.  Frames are checked, their dictionaries not
 * loaded (other threads may be decoding with the loaded one). */
static int read_batch(struct catalog *c, sqlite3_stmt *st, struct cands *cs,
		      struct err *e)
{
	unsigned d;
	int r = SQLITE_DONE;

	cs->n = 0;
	buf_reset(&cs->data);
	cs->dict = 0;
	cs->one_dict = 1;
	while (cs->n < CHECK_BATCH && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const void *p = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		int frame = sqlite3_column_type(st, 1) == SQLITE_BLOB;
		struct cand *cd;

		if (frame) {
			if (cat_blob_dict(c, p, n, &d, e) < 0)
				return -1;
			if (d && cs->dict && d != cs->dict)
				cs->one_dict = 0;
			if (d)
				cs->dict = d;
		}
		if (cs->n == cs->alloc) {
			size_t a = cs->alloc ? 2 * cs->alloc : 256;

			if (!(cd = realloc(cs->v, a * sizeof(*cd))))
				goto nomem;
			cs->v = cd;
			cs->alloc = a;
		}
		cd = &cs->v[cs->n++];
		cd->rowid = sqlite3_column_int64(st, 0);
		cd->off = cs->data.len;
		cd->len = n;
		cd->frame = frame;
		cd->ok = 0;
		if (n && buf_add(&cs->data, p, n) < 0)
			goto nomem;
	}
	if (cs->n == CHECK_BATCH)
		return 1;
	if (r != SQLITE_DONE)
		return db_error(&c->db, e, "searching");
	return 0;
nomem:
	return err_set(e, "%s: out of memory", c->db.path);
}

/* The first frame's dictionary of cs loaded (every frame names it). */
static int load_batch_dict(struct catalog *c, const struct cands *cs,
			   struct err *e)
{
	size_t i;
	unsigned d;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].frame)
			return cat_blob_prepare(c, cs->data.data + cs->v[i].off,
						cs->v[i].len, &d, e);
	return 0;
}

/* The texts matching q, as a JSON array of texts rowids in ids: the
 * candidates from the index (fts), each checked on its stored text.  The
 * bodies are read here (the SQLite handle stays in this thread); a batch
 * of many, all of one dictionary, is decompressed and checked by two
 * threads (each its own zstd context and tokenizer) while this thread
 * reads the next; the answers are kept in the index's order. */
static int search_check(struct catalog *c, struct tokenizer *z,
			const struct query *q, int root, const char *fts,
			struct buf *ids, struct err *e)
{
	struct cands cs[2] = { { BUF_INIT(0), NULL, 0, 0, 0, 1 },
			       { BUF_INIT(0), NULL, 0, 0, 0, 1 } };
	struct checker k[2];
	pthread_t th[2];
	sqlite3_stmt *st = NULL;
	int more, rc = -1, two = 1, cur = 0, started[2], par;
	/* tests: two threads on a few candidates too */
	size_t from = getenv("GOVARCH_TEST_SEARCH_THREADS") ? 1 :
		CHECK_THREADS_FROM;
	size_t i, j;
	struct cands *b;

	memset(k, 0, sizeof(k));
	for (j = 0; j < 2; j++) {
		k[j].c = c;
		k[j].q = q;
		k[j].root = root;
		k[j].first = j;
		k[j].check_all = getenv("GOVARCH_TEST_SEARCH_TOKENIZER") != NULL;
	}
	k[0].z = *z;
	buf_addc(ids, '[');
	if (db_prepare(&c->db, "SELECT t.rowid, t.body FROM texts_fts f JOIN "
		       "texts t ON t.rowid = f.rowid WHERE texts_fts MATCH ?1",
		       &st, e) < 0)
		goto out;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	if ((more = read_batch(c, st, &cs[0], e)) < 0)
		goto out;
	for (;;) {
		b = &cs[cur];
		par = b->one_dict && b->n > from && two;
		if (par && !k[1].zd) {
			if (tokenizer_copy(z, &k[1].z) < 0 ||
			    !(k[0].zd = ZSTD_createDCtx()) ||
			    !(k[1].zd = ZSTD_createDCtx()))
				par = two = 0;      /* one thread then */
		}
		started[0] = started[1] = 0;
		for (j = 0; j < 2; j++) {
			k[j].cs = b;
			k[j].step = par ? 2 : 1;
			k[j].prepare = !par && !b->one_dict;
		}
		if (par && load_batch_dict(c, b, e) < 0)
			goto out;
		if (par) {
			for (j = 0; j < 2; j++)
				started[j] = pthread_create(&th[j], NULL,
							    check_run,
							    &k[j]) == 0;
			if (!started[0] || !started[1]) {
				/* no threads: what did not start runs here */
				for (j = 0; j < 2; j++)
					if (!started[j])
						check_run(&k[j]);
			}
		} else {
			/* one thread: the batch's dictionaries loaded as
			 * its frames name them (the catalog's context) */
			ZSTD_DCtx *own = k[0].zd;

			k[0].zd = NULL;
			if (b->one_dict && load_batch_dict(c, b, e) < 0)
				goto out;
			check_run(&k[0]);
			k[0].zd = own;
		}
		/* the next batch read while the threads check this one */
		if (more > 0)
			more = read_batch(c, st, &cs[!cur], e);
		else
			cs[!cur].n = 0;
		for (j = 0; j < 2; j++)
			if (started[j])
				pthread_join(th[j], NULL);
		if (more < 0)
			goto out;
		/* a failure: the first in the index's order */
		j = par && k[1].failed < k[0].failed;
		if (k[j].failed < b->n) {
			*e = k[j].e;
			goto out;
		}
		for (i = 0; i < b->n; i++)
			if (b->v[i].ok && id_add(ids, b->v[i].rowid) < 0)
				goto nomem;
		if (!cs[!cur].n)
			break;
		cur = !cur;
	}
	if (id_end(ids) < 0)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	err_set(e, "%s: out of memory", c->db.path);
out:
	if (k[1].z.t)
		tokenizer_close(&k[1].z);
	ZSTD_freeDCtx(k[0].zd);
	ZSTD_freeDCtx(k[1].zd);
	sqlite3_finalize(st);
	for (j = 0; j < 2; j++) {
		buf_release(&cs[j].data);
		free(cs[j].v);
	}
	return rc;
}

/* From the matching texts to the pages: the texts' digests as strs ids
 * (m); the captures in the crawls that hold one of them (caps_text), which
 * give each URL its first and last matching capture; those URLs, sorted by
 * URL (only they are sorted); and each one's newest capture that answered,
 * for `now` (caps_url, read newest first up to the first such). */
#define MATCHED_SQL(TEXTS, WHERE)					\
	"SELECT s.id FROM " TEXTS " JOIN strs s ON s.s = t.digest " WHERE
#define MATCHING_CAPS_SQL						\
	"SELECT c.url, c.ts, c.id, c.crawl, c.date, c.file, c.offset "	\
	"FROM json_each(?1) j CROSS JOIN caps c "			\
	"ON c.text_digest = j.value WHERE c.crawl BETWEEN ?2 AND ?3"
#define HIT_URLS_SQL							\
	"SELECT id, url FROM urls WHERE id IN "				\
	"(SELECT value FROM json_each(?1)) "				\
	"AND (?2 IS NULL OR substr(url, 1, length(?2)) = ?2) "		\
	"ORDER BY url"
#define NEWEST_SQL							\
	"SELECT text_digest, eff_status FROM caps WHERE url = ?1 "	\
	"AND crawl BETWEEN ?2 AND ?3 AND eff_status > 0 "		\
	"AND eff_status < 500 ORDER BY ts DESC, id DESC LIMIT 1"

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The digests (strs ids) of the matching texts: sorted in *m, and as a
 * JSON array in json. */
static int matched_digests(struct catalog *c, const char *fts,
			   const char *ids, int64_t **m, size_t *nm,
			   struct buf *json, struct err *e)
{
	static const char *const sql_fts = MATCHED_SQL(
		"texts_fts f JOIN texts t ON t.rowid = f.rowid",
		"WHERE texts_fts MATCH ?1");
	static const char *const sql_ids = MATCHED_SQL(
		"json_each(?1) j JOIN texts t ON t.rowid = j.value", "");
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int64_t *t;
	int r;

	*m = NULL;
	*nm = 0;
	if (db_prepare(&c->db, ids ? sql_ids : sql_fts, &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, ids ? ids : fts, -1, SQLITE_STATIC);
	buf_addc(json, '[');
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*nm == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			if (!(t = realloc(*m, alloc * sizeof(**m))))
				goto nomem;
			*m = t;
		}
		(*m)[*nm] = sqlite3_column_int64(st, 0);
		if (id_add(json, (*m)[(*nm)++]) < 0)
			goto nomem;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		/* the query was checked; what is left is the index's trouble */
		return db_error(&c->db, e, "searching");
	if (id_end(json) < 0)
		return err_set(e, "%s: out of memory", c->db.path);
	if (*nm)
		qsort(*m, *nm, sizeof(**m), cmp_id);
	return 0;
nomem:
	sqlite3_finalize(st);
	return err_set(e, "%s: out of memory", c->db.path);
}

/* A capture as a search answer names it (file: its strs id), and where it
 * stands among a URL's captures (ts, then id). */
struct side_row {
	int64_t crawl, file, id;
	uint64_t offset;
	char ts[24];
	char date[32];              /* as the catalog has it */
};

/* A row of MATCHING_CAPS_SQL. */
static void side_row(sqlite3_stmt *st, struct side_row *r)
{
	const char *ts = (const char *)sqlite3_column_text(st, 1);
	const char *d = (const char *)sqlite3_column_text(st, 4);

	snprintf(r->ts, sizeof(r->ts), "%s", ts ? ts : "");
	r->id = sqlite3_column_int64(st, 2);
	r->crawl = sqlite3_column_int64(st, 3);
	snprintf(r->date, sizeof(r->date), "%s", d ? d : "");
	r->file = sqlite3_column_int64(st, 5);
	r->offset = (uint64_t)sqlite3_column_int64(st, 6);
}

/* a before b among a URL's captures */
static int side_before(const struct side_row *a, const struct side_row *b)
{
	int c = strcmp(a->ts, b->ts);

	return c < 0 || (c == 0 && a->id < b->id);
}

static void side_set(const struct side_row *r, struct catalog_search_capture *s)
{
	s->crawl = r->crawl;
	time_iso(r->date, s->date);
	s->offset = r->offset;
}

/* A URL's first and last matching captures. */
struct url_sides {
	struct side_row first, last;
};

/* Every capture in the crawls holding a matching text (digests mj, a JSON
 * array), as each URL's first and last: sides[] (*n of them), and urls
 * (URL id -> index + 1 in sides). */
static int matching_captures(struct catalog *c, const char *mj, int64_t from,
			     int64_t to, struct hmap *urls,
			     struct url_sides **sides, size_t *n, struct err *e)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int r;

	if (db_prepare(&c->db, MATCHING_CAPS_SQL, &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, mj, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t u = sqlite3_column_int64(st, 0);
		struct hmap_entry *ent;
		struct side_row row;
		struct url_sides *us;
		int added = hmap_put(urls, &u, sizeof(u), &ent);

		if (added < 0)
			goto nomem;
		side_row(st, &row);
		if (added) {
			if (*n == alloc) {
				alloc = alloc ? 2 * alloc : 256;
				if (!(us = realloc(*sides, alloc * sizeof(*us))))
					goto nomem;
				*sides = us;
			}
			ent->num = ++*n;
			(*sides)[*n - 1].first = (*sides)[*n - 1].last = row;
			continue;
		}
		us = &(*sides)[ent->num - 1];
		if (side_before(&row, &us->first))
			us->first = row;
		if (side_before(&us->last, &row))
			us->last = row;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return db_error(&c->db, e, "searching");
	return 0;
nomem:
	sqlite3_finalize(st);
	return err_set(e, "%s: out of memory", c->db.path);
}

/* What the newest capture of URL id u in the crawls that answered says
 * (a 5xx or a failed fetch says nothing about the text). */
static int hit_now(struct catalog *c, sqlite3_stmt *st, int64_t u,
		   const int64_t *m, size_t nm, enum catalog_search_now *now,
		   struct err *e)
{
	int r;

	*now = CATALOG_NOW_GONE;
	sqlite3_bind_int64(st, 1, u);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		int has_text = sqlite3_column_type(st, 0) != SQLITE_NULL;
		int64_t d = sqlite3_column_int64(st, 0);
		int status = sqlite3_column_int(st, 1);

		if (has_text && bsearch(&d, m, nm, sizeof(*m), cmp_id))
			*now = CATALOG_NOW_YES;
		else if (has_text || (status >= 200 && status < 300))
			*now = CATALOG_NOW_NO;
		r = SQLITE_DONE;
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_error(&c->db, e, "searching");
	return 0;
}

static int search_run(struct catalog *c, const char *fts, int64_t from,
		      int64_t to, const char *prefix,
		      struct catalog_search *out, struct err *e)
{
	/* the index answers a query without phrases; else the texts
	 * checked (search_check) */
	struct query q = { NULL, 0, { BUF_INIT(0), NULL, 0, 0, 0 }, 0, fts,
			   BUF_INIT(0) };
	struct buf cand = BUF_INIT(0), ids = BUF_INIT(0), mj = BUF_INIT(0),
		   uj = BUF_INIT(0);
	struct hmap urls = HMAP_INIT(HMAP_COPY_KEYS, 0);
	struct url_sides *sides = NULL;
	size_t nsides = 0, pos = 0;
	struct hmap_entry *ent;
	struct tokenizer z;
	int root;
	struct catalog_search_hit *h = NULL, *t;
	sqlite3_stmt *st = NULL, *newest = NULL;
	int64_t *files = NULL, *ft, *m = NULL;
	size_t alloc = 0, nm = 0;
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
	if (tokenizer_open(c, &z, e) < 0)
		return -1;
	root = q_or(&q, &z);
	q_space(&q);
	if (root < 0 || *q.p) {
		/* catalog_search_query made it: only memory can fail */
		tokenizer_close(&z);
		query_release(&q);
		return err_set(e, "%s: out of memory reading the query",
			       c->db.path);
	}
	if (q.phrases) {
		q_fts(&q, root, &cand);
		q_ascii(&q);
		if (buf_addc(&cand, '\0') < 0 ||
		    search_check(c, &z, &q, root, cand.data, &ids, e) < 0) {
			tokenizer_close(&z);
			query_release(&q);
			buf_release(&cand);
			buf_release(&ids);
			return -1;
		}
	}
	tokenizer_close(&z);
	query_release(&q);
	buf_release(&cand);
	r = matched_digests(c, fts, ids.len ? ids.data : NULL, &m, &nm, &mj, e);
	buf_release(&ids);
	if (r < 0)
		goto out;
	if (matching_captures(c, mj.data, from, to, &urls, &sides, &nsides,
			      e) < 0)
		goto out;
	/* the URL ids, as a JSON array */
	if (buf_addc(&uj, '[') < 0)
		goto nomem;
	while ((ent = hmap_next(&urls, &pos)))
		if (id_add(&uj, *(const int64_t *)(const void *)ent->key) < 0)
			goto nomem;
	if (id_end(&uj) < 0)
		goto nomem;
	if (db_prepare(&c->db, HIT_URLS_SQL, &st, e) < 0 ||
	    db_prepare(&c->db, NEWEST_SQL, &newest, e) < 0)
		goto out;
	sqlite3_bind_text(st, 1, uj.data, -1, SQLITE_STATIC);
	db_bind_str(st, 2, prefix);
	sqlite3_bind_int64(newest, 2, from);
	sqlite3_bind_int64(newest, 3, to);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t u = sqlite3_column_int64(st, 0);
		const char *url = (const char *)sqlite3_column_text(st, 1);
		const struct url_sides *us;

		ent = hmap_get(&urls, &u, sizeof(u));
		if (!url || !ent)
			continue;
		us = &sides[ent->num - 1];
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
		t = &h[out->n];
		memset(t, 0, sizeof(*t));
		files[2 * out->n] = us->first.file;
		files[2 * out->n + 1] = us->last.file;
		if (!(t->url = strdup(url)))
			goto nomem;
		out->n++;
		side_set(&us->first, &t->first);
		side_set(&us->last, &t->last);
		if (hit_now(c, newest, u, m, nm, &t->now, e) < 0)
			goto out;
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
	free(m);
	free(sides);
	hmap_release(&urls);
	buf_release(&mj);
	buf_release(&uj);
	sqlite3_finalize(st);
	sqlite3_finalize(newest);
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

			/* "URL\tfirst: DATE #CRAWL\tlast: DATE #CRAWL\tnow:
			 * NOW", without a format string to read for each of
			 * thousands of lines */
			buf_adds(out, h->url);
			buf_adds(out, "\tfirst: ");
			buf_adds(out, h->first.date);
			buf_adds(out, " #");
			buf_addi(out, h->first.crawl);
			buf_adds(out, "\tlast: ");
			buf_adds(out, h->last.date);
			buf_adds(out, " #");
			buf_addi(out, h->last.crawl);
			buf_adds(out, "\tnow: ");
			buf_adds(out, catalog_search_now_name(h->now));
			buf_addc(out, '\n');
		}
	}
	if (buf_addc(out, '\0') < 0)
		return err_set(e, "out of memory");
	out->len--;
	return 0;
}
