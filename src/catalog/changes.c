/* catalog changes: classifying two captures of a URL, the history of a
 * URL, and every change between two crawls with site-wide changes found
 * and reported once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-int.h"
#include "diff/diff.h"
#include "diff/render.h"

const char *catalog_kind_name(enum catalog_kind k)
{
	static const char *const names[] = { "added", "removed", "redirected",
		"edited", "silent", "date-only", "sitewide", "unchanged",
		"first", "failed" };

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

static int ok2xx(const struct catalog_capture *c)
{
	return c && c->eff_status >= 200 && c->eff_status < 300;
}

static int is3xx(const struct catalog_capture *c)
{
	return c && c->eff_status >= 300 && c->eff_status < 400;
}

static int redirects_away(const struct catalog_capture *c)
{
	return is3xx(c) && c->redirect && strcmp(c->redirect, c->url) != 0;
}

static int gone(const struct catalog_capture *c)
{
	return c && (c->eff_status == 404 || c->eff_status == 410);
}

static int str_differ(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

/* Text changed between two 2xx captures: the extracted text when both have
 * one, else (non-HTML) the payload. */
static int text_changed(const struct catalog_capture *a,
			const struct catalog_capture *b)
{
	if (a->text_digest || b->text_digest)
		return str_differ(a->text_digest, b->text_digest);
	return str_differ(a->payload_digest, b->payload_digest);
}

static enum catalog_kind text_kind(int text, const struct catalog_capture *a,
				   const struct catalog_capture *b)
{
	int date = strcmp(a->last_updated, b->last_updated) != 0;

	if (text && date)
		return CATALOG_EDITED;
	if (text)
		return a->last_updated[0] ? CATALOG_SILENT : CATALOG_EDITED;
	return date ? CATALOG_DATE_ONLY : CATALOG_UNCHANGED;
}

enum catalog_kind cat_classify(const struct catalog_capture *a,
			       const struct catalog_capture *b, int to_complete)
{
	if (!ok2xx(a) && !is3xx(a)) {
		if (ok2xx(b))
			return CATALOG_ADDED;
		return redirects_away(b) ? CATALOG_REDIRECTED : CATALOG_UNCHANGED;
	}
	if (!b)
		return to_complete && ok2xx(a) ? CATALOG_REMOVED : CATALOG_UNCHANGED;
	if (gone(b))
		return CATALOG_REMOVED;
	if (redirects_away(b)) {
		if (redirects_away(a) && !strcmp(a->redirect, b->redirect))
			return CATALOG_UNCHANGED;
		return CATALOG_REDIRECTED;
	}
	if (!ok2xx(b))
		return CATALOG_UNCHANGED;
	if (!ok2xx(a))
		return CATALOG_ADDED;       /* was a redirect, serves a page now */
	return text_kind(text_changed(a, b), a, b);
}

/* ---- history ---- */

void catalog_history_free(struct catalog_history_entry *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		catalog_capture_release(&v[i].cap);
	free(v);
}

int catalog_history(struct catalog *c, const char *url,
		    struct catalog_history_entry **v, size_t *n, struct err *e)
{
	struct catalog_capture *caps;
	struct catalog_history_entry *out;
	size_t i, ncap;
	long prev = -1;

	*v = NULL;
	*n = 0;
	if (catalog_captures_of(c, url, &caps, &ncap, e) < 0)
		return -1;
	out = calloc(ncap ? ncap : 1, sizeof(*out));
	if (!out) {
		catalog_captures_free(caps, ncap);
		return err_set(e, "%s: out of memory", url);
	}
	for (i = 0; i < ncap; i++) {
		struct catalog_capture *b = &caps[i];

		out[i].cap = *b;
		/* Only answers (2xx, 3xx, 404/410) are compared; a 5xx in
		 * between says nothing about the page. */
		if (!ok2xx(b) && !is3xx(b) && !gone(b)) {
			out[i].kind = CATALOG_FAILED;
			continue;
		}
		out[i].kind = prev < 0 ? CATALOG_FIRST
			: cat_classify(&caps[prev], b, 1);
		prev = (long)i;
	}
	free(caps);     /* the strings moved into out */
	*v = out;
	*n = ncap;
	return 0;
}

/* ---- known URLs ---- */

static int latest_complete(struct catalog *c, int64_t before, int64_t *id,
			   struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (cat_prepare(c, "SELECT id FROM crawls WHERE status = 'complete' AND "
			"id < ? ORDER BY id DESC LIMIT 1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : cat_dberr(c, e, "crawls");
	}
	sqlite3_finalize(st);
	return rc;
}

int catalog_known_urls(struct catalog *c, int64_t crawl_id, char ***urls,
		       size_t *n, struct err *e)
{
	sqlite3_stmt *st = NULL;
	char **v = NULL, **t;
	size_t cnt = 0, alloc = 0;
	int rc;

	*urls = NULL;
	*n = 0;
	if (crawl_id <= 0) {
		rc = latest_complete(c, 0, &crawl_id, e);
		if (rc <= 0)
			return rc;
	}
	if (cat_prepare(c, "SELECT DISTINCT url FROM captures WHERE crawl = ? "
			"AND eff_status BETWEEN 200 AND 399 AND mime IN "
			"('text/html', 'application/xhtml+xml') ORDER BY url",
			&st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, crawl_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			t = realloc(v, alloc * sizeof(*v));
			if (!t)
				break;
			v = t;
		}
		if (!(v[cnt] = cat_col_dup(st, 0)))
			break;
		cnt++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		while (cnt)
			free(v[--cnt]);
		free(v);
		return err_set(e, "%s: listing crawl %lld's pages failed",
			       c->path, (long long)crawl_id);
	}
	*urls = v;
	*n = cnt;
	return 0;
}

/* ---- changes between two crawls ---- */

/* A crawl's chosen capture per URL, sorted by URL (byte order). */
struct crawl_caps {
	struct catalog_capture *v;
	size_t n;
};

static int load_crawl(struct catalog *c, int64_t id, struct crawl_caps *cc,
		      struct err *e)
{
	sqlite3_stmt *st = NULL;
	struct catalog_capture *t;
	size_t alloc = 0;
	int rc;

	cc->v = NULL;
	cc->n = 0;
	/* Per URL: the last capture that is not a 5xx, else the last one. */
	if (cat_prepare(c, "SELECT " CAT_CAPTURE_COLS " FROM captures WHERE "
			"crawl = ? ORDER BY url, (eff_status BETWEEN 500 AND 599) "
			"OR eff_status = 0, ts DESC, id DESC", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *url = (const char *)sqlite3_column_text(st, 4);

		if (cc->n && url && !strcmp(cc->v[cc->n - 1].url, url))
			continue;
		if (cc->n == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			t = realloc(cc->v, alloc * sizeof(*t));
			if (!t)
				goto nomem;
			cc->v = t;
		}
		if (cat_capture_from_row(st, &cc->v[cc->n++]) < 0)
			goto nomem;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cat_dberr(c, e, "reading a crawl's captures");
	return 0;
nomem:
	sqlite3_finalize(st);
	return err_set(e, "%s: out of memory reading crawl %lld", c->path,
		       (long long)id);
}

static void crawl_caps_release(struct crawl_caps *cc)
{
	catalog_captures_free(cc->v, cc->n);
	cc->v = NULL;
	cc->n = 0;
}

/* One URL present in either crawl. */
struct pair {
	struct catalog_capture *a, *b;
	enum catalog_kind kind;
	int compared;               /* 2xx HTML in both */
	char *summary;
};

/* One block-level difference of one page: what site-wide changes are
 * found in.  src 0: main text, 1: text outside it. */
struct opsig {
	uint64_t hash;
	size_t pair;
	int src;
	char op;                    /* 'D' removed, 'I' added, 'M' moved */
	char *from, *to;            /* borrowed from ctx strings */
};

/* Text outside the main content is the same on most pages: the diff of
 * one (from digest, to digest) pair is kept and reused. */
#define BOILER_CACHE 32
struct bcache {
	char *a, *b;                /* digests */
	struct opsig *ops;          /* pair index unused */
	size_t n;
};

struct ctx {
	struct bcache bc[BOILER_CACHE];
	size_t nbc;
	struct catalog *c;
	struct pair *pairs;
	size_t npairs;
	struct opsig *sigs;
	size_t nsigs, asigs;
	uint64_t *swh;              /* site-wide main-text op hashes, sorted */
	size_t nswh;
	char **strs;                /* owned op texts */
	size_t nstrs, astrs;
	struct err *e;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}

static char *keep(struct ctx *x, const char *s)
{
	char *d, **t;

	if (!s)
		return NULL;
	if (x->nstrs == x->astrs) {
		x->astrs = x->astrs ? x->astrs * 2 : 256;
		t = realloc(x->strs, x->astrs * sizeof(*t));
		if (!t)
			return NULL;
		x->strs = t;
	}
	d = strdup(s);
	if (d)
		x->strs[x->nstrs++] = d;
	return d;
}

static int push_sig(struct ctx *x, const struct opsig *o)
{
	struct opsig *t;

	if (x->nsigs == x->asigs) {
		x->asigs = x->asigs ? x->asigs * 2 : 256;
		t = realloc(x->sigs, x->asigs * sizeof(*t));
		if (!t)
			return err_set(x->e, "out of memory");
		x->sigs = t;
	}
	x->sigs[x->nsigs++] = *o;
	return 0;
}

static uint64_t sig_hash(int src, char op, const char *from, const char *to)
{
	uint64_t h = 1469598103934665603ULL;
	char hd[2] = { op, (char)('0' + src) };

	h = fnv(h, hd, 2);
	if (from)
		h = fnv(h, from, strlen(from) + 1);
	if (to)
		h = fnv(h, to, strlen(to) + 1);
	return h;
}

static int add_sig(struct ctx *x, size_t pair, int src, char op,
		   const char *from, const char *to)
{
	struct opsig *t, *s;
	uint64_t h = sig_hash(src, op, from, to);

	if (x->nsigs == x->asigs) {
		x->asigs = x->asigs ? x->asigs * 2 : 256;
		t = realloc(x->sigs, x->asigs * sizeof(*t));
		if (!t)
			return err_set(x->e, "out of memory");
		x->sigs = t;
	}
	s = &x->sigs[x->nsigs++];
	s->hash = h;
	s->pair = pair;
	s->src = src;
	s->op = op;
	s->from = keep(x, from);
	s->to = keep(x, to);
	if ((from && !s->from) || (to && !s->to))
		return err_set(x->e, "out of memory");
	return 0;
}

/* Main text: diff the two pages, record each block op, set the summary. */
static int diff_main(struct ctx *x, size_t i)
{
	struct pair *p = &x->pairs[i];
	struct diff_page pa, pb;
	struct diff_result r;
	struct buf sum = BUF_INIT(4096);
	size_t k;
	int rc = -1;

	diff_page_init(&pa);
	diff_page_init(&pb);
	memset(&r, 0, sizeof(r));
	if (cat_capture_page(x->c, p->a, &pa, x->e) <= 0 ||
	    cat_capture_page(x->c, p->b, &pb, x->e) <= 0) {
		rc = 0;     /* no stored text: keep the kind, no summary */
		goto out;
	}
	if (diff_pages(&pa, &pb, &r, x->e) < 0)
		goto out;
	for (k = 0; k < r.n_ops; k++) {
		const struct diff_block_op *o = &r.ops[k];
		const char *f = o->from_index >= 0 ?
			pa.blocks[o->from_index].text : NULL;
		const char *t = o->to_index >= 0 ? pb.blocks[o->to_index].text : NULL;
		int rr = 0;

		if (o->op == DIFF_OP_DELETE)
			rr = add_sig(x, i, 0, 'D', f, NULL);
		else if (o->op == DIFF_OP_INSERT)
			rr = add_sig(x, i, 0, 'I', NULL, t);
		else if (o->op == DIFF_OP_CHANGE)
			/* as a removal and an addition: whether the diff pairs
			 * two blocks depends on their neighbours, which differ
			 * from page to page */
			rr = add_sig(x, i, 0, 'D', f, NULL) < 0 ? -1
				: add_sig(x, i, 0, 'I', NULL, t);
		else if (o->op == DIFF_OP_MOVE && o->side == 0)
			rr = add_sig(x, i, 0, 'M', f, NULL);
		if (rr < 0)
			goto out;
	}
	diff_summary(&r, &sum);
	p->summary = buf_detach(&sum, NULL);
	rc = 0;
out:
	diff_result_release(&r);
	diff_page_release(&pa);
	diff_page_release(&pb);
	buf_release(&sum);
	return rc;
}

static int get_boiler(struct catalog *c, const char *digest, struct buf *out,
		      struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (cat_cached(c, CAT_ST_BOILER, "SELECT body FROM boilers WHERE "
		       "digest = ?", &st, e) < 0)
		return -1;
	cat_bind_str(st, 1, digest);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    buf_add(out, sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0)) < 0)
		rc = err_set(e, "%s: boilerplate too large", c->path);
	sqlite3_reset(st);
	return rc;
}

static size_t split_lines(char *s, char ***out)
{
	size_t n = 0, i = 0;
	char *p;

	for (p = s; *p; p++)
		n += *p == '\n';
	*out = calloc(n + 1, sizeof(char *));
	if (!*out)
		return 0;
	for (p = s; *p && i < n; i++) {
		char *nl = strchr(p, '\n');

		(*out)[i] = p;
		*nl = '\0';
		p = nl + 1;
	}
	return i;
}

/* Text outside the main content: line diff, each line an op. */
static int diff_boiler(struct ctx *x, size_t i)
{
	struct pair *p = &x->pairs[i];
	struct buf ba = BUF_INIT(0), bb = BUF_INIT(0);
	struct diff_script s = { 0 };
	char **la = NULL, **lb = NULL;
	size_t na, nb, k, j, first = x->nsigs;
	struct bcache *bc;
	int rc = -1;

	for (k = 0; k < x->nbc; k++) {
		bc = &x->bc[k];
		if (strcmp(bc->a, p->a->boiler_digest) ||
		    strcmp(bc->b, p->b->boiler_digest))
			continue;
		for (j = 0; j < bc->n; j++) {
			struct opsig o = bc->ops[j];

			o.pair = i;
			if (push_sig(x, &o) < 0)
				return -1;
		}
		return 0;
	}
	if (get_boiler(x->c, p->a->boiler_digest, &ba, x->e) < 0 ||
	    get_boiler(x->c, p->b->boiler_digest, &bb, x->e) < 0)
		goto out;
	na = split_lines(ba.data, &la);
	nb = split_lines(bb.data, &lb);
	if (!la || !lb) {
		err_set(x->e, "out of memory");
		goto out;
	}
	if (diff_strings((const char *const *)la, na, (const char *const *)lb,
			 nb, &s, x->e) < 0)
		goto out;
	for (k = 0; k < s.n; k++) {
		const struct diff_edit *d = &s.edits[k];

		for (j = 0; d->op == DIFF_DELETE && j < d->a_len; j++)
			if (add_sig(x, i, 1, 'D', la[d->a_start + j], NULL) < 0)
				goto out;
		for (j = 0; d->op == DIFF_INSERT && j < d->b_len; j++)
			if (add_sig(x, i, 1, 'I', NULL, lb[d->b_start + j]) < 0)
				goto out;
	}
	if (x->nbc < BOILER_CACHE) {
		bc = &x->bc[x->nbc];
		bc->n = x->nsigs - first;
		bc->a = strdup(p->a->boiler_digest);
		bc->b = strdup(p->b->boiler_digest);
		bc->ops = malloc((bc->n + 1) * sizeof(*bc->ops));
		if (bc->a && bc->b && bc->ops) {
			if (bc->n)
				memcpy(bc->ops, x->sigs + first,
				       bc->n * sizeof(*bc->ops));
			x->nbc++;
		} else {
			free(bc->a);
			free(bc->b);
			free(bc->ops);
		}
	}
	rc = 0;
out:
	diff_script_release(&s);
	free(la);
	free(lb);
	buf_release(&ba);
	buf_release(&bb);
	return rc;
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static size_t codepoints(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The summary of page pair i without its site-wide ops (a menu line that
 * leaked into the main text is reported once, not in every summary). */
static int resummarise(struct ctx *x, size_t i)
{
	struct pair *p = &x->pairs[i];
	struct diff_page pa, pb;
	struct diff_result r;
	struct diff_block_op *ops = NULL, *keep_ops;
	struct buf sum = BUF_INIT(4096);
	size_t k, masked = 0;
	int rc = -1;

	diff_page_init(&pa);
	diff_page_init(&pb);
	memset(&r, 0, sizeof(r));
	if (cat_capture_page(x->c, p->a, &pa, x->e) <= 0 ||
	    cat_capture_page(x->c, p->b, &pb, x->e) <= 0 ||
	    diff_pages(&pa, &pb, &r, x->e) < 0)
		goto out;
	ops = malloc((r.n_ops + 1) * sizeof(*ops));
	if (!ops)
		goto out;
	memcpy(ops, r.ops, r.n_ops * sizeof(*ops));
	r.fig.blocks_added = r.fig.blocks_removed = r.fig.blocks_changed =
		r.fig.blocks_moved = 0;
	r.fig.chars_added = r.fig.chars_removed = 0;
	r.text_changed = 0;
	for (k = 0; k < r.n_ops; k++) {
		struct diff_block_op *o = &ops[k];
		const char *f = o->from_index >= 0 ?
			pa.blocks[o->from_index].text : NULL;
		const char *t = o->to_index >= 0 ? pb.blocks[o->to_index].text : NULL;
		int del = o->op == DIFF_OP_DELETE || o->op == DIFF_OP_CHANGE;
		int ins = o->op == DIFF_OP_INSERT || o->op == DIFF_OP_CHANGE;
		uint64_t hd = del ? sig_hash(0, 'D', f, NULL) : 0;
		uint64_t hi = ins ? sig_hash(0, 'I', NULL, t) : 0;

		if ((del || ins) && x->nswh &&
		    (!del || bsearch(&hd, x->swh, x->nswh, sizeof(*x->swh),
				     cmp_u64)) &&
		    (!ins || bsearch(&hi, x->swh, x->nswh, sizeof(*x->swh),
				     cmp_u64))) {
			o->op = DIFF_OP_EQUAL;
			masked++;
			continue;
		}
		switch (o->op) {
		case DIFF_OP_DELETE:
			r.fig.blocks_removed++;
			r.fig.chars_removed += codepoints(f);
			break;
		case DIFF_OP_INSERT:
			r.fig.blocks_added++;
			r.fig.chars_added += codepoints(t);
			break;
		case DIFF_OP_CHANGE:
			r.fig.blocks_changed++;
			r.fig.chars_added += o->words.chars_added;
			r.fig.chars_removed += o->words.chars_removed;
			break;
		case DIFF_OP_MOVE:
			r.fig.blocks_moved += o->side == 0;
			break;
		default:
			break;
		}
		if (o->op != DIFF_OP_EQUAL)
			r.text_changed = 1;
	}
	r.fig.chars_changed = r.fig.chars_added + r.fig.chars_removed;
	keep_ops = r.ops;
	r.ops = ops;
	diff_summary(&r, &sum);
	r.ops = keep_ops;
	if (masked) {
		free(p->summary);
		p->summary = buf_detach(&sum, NULL);
	}
	rc = 0;
out:
	free(ops);
	diff_result_release(&r);
	diff_page_release(&pa);
	diff_page_release(&pb);
	buf_release(&sum);
	return rc;
}

static int cmp_sig(const void *pa, const void *pb)
{
	const struct opsig *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->pair < b->pair ? -1 : a->pair > b->pair;
}

/* A site-wide change being assembled: signature runs sharing a page set. */
struct group {
	uint64_t set;               /* hash of the page set */
	size_t pages;
	size_t first;               /* smallest pair index (ordering) */
	struct buf removed, added;
	int src_main;
};

static void quote_into(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (n > 60)
		buf_addf(b, "\"%.57s...\"", s);
	else
		buf_addf(b, "\"%s\"", s);
}

static int is_sitewide(size_t count, size_t ncompared)
{
	return count > 5 || (count >= 3 && count * 5 >= ncompared);
}

static int add_change(struct catalog_changes *ch, size_t *alloc,
		      struct catalog_change *c)
{
	struct catalog_change *t;

	if (ch->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		t = realloc(ch->v, *alloc * sizeof(*t));
		if (!t)
			return -1;
		ch->v = t;
	}
	ch->v[ch->n++] = *c;
	return 0;
}

/* Find site-wide signatures; mark pages whose main-text ops are all
 * site-wide as not text-changed; emit the site-wide entries. */
static int sitewide(struct ctx *x, size_t ncompared, struct catalog_changes *ch,
		    size_t *alloc)
{
	struct group *g = NULL;
	size_t ng = 0, i, j, k;
	unsigned char *sw;          /* per sig: site-wide */
	size_t *other;              /* per pair: non-site-wide main ops */
	int rc = -1;

	if (x->nsigs)
		qsort(x->sigs, x->nsigs, sizeof(*x->sigs), cmp_sig);
	sw = calloc(x->nsigs + 1, 1);
	other = calloc(x->npairs + 1, sizeof(*other));
	g = calloc(x->nsigs + 1, sizeof(*g));
	if (!sw || !other || !g)
		goto out;
	for (i = 0; i < x->nsigs; i = j) {
		uint64_t set = 1469598103934665603ULL;
		size_t pages = 0;

		for (j = i; j < x->nsigs && x->sigs[j].hash == x->sigs[i].hash; j++)
			if (j == i || x->sigs[j].pair != x->sigs[j - 1].pair) {
				pages++;
				set = fnv(set, &x->sigs[j].pair, sizeof(size_t));
			}
		if (!is_sitewide(pages, ncompared))
			continue;
		for (k = i; k < j; k++)
			sw[k] = 1;
		for (k = 0; k < ng && g[k].set != set; k++)
			;
		if (k == ng) {
			g[ng].set = set;
			g[ng].pages = pages;
			g[ng].first = x->sigs[i].pair;
			buf_init(&g[ng].removed, 0);
			buf_init(&g[ng].added, 0);
			ng++;
		}
		if (x->sigs[i].src == 0)
			g[k].src_main = 1;
		if (x->sigs[i].from)
			buf_addf(&g[k].removed, "%s\n", x->sigs[i].from);
		if (x->sigs[i].to)
			buf_addf(&g[k].added, "%s\n", x->sigs[i].to);
	}
	for (i = 0; i < x->nsigs; i++)
		if (!sw[i] && x->sigs[i].src == 0)
			other[x->sigs[i].pair]++;
	/* the site-wide main-text ops, to leave them out of page summaries */
	x->swh = malloc((x->nsigs + 1) * sizeof(*x->swh));
	if (!x->swh)
		goto out;
	for (i = 0; i < x->nsigs; i++)
		if (sw[i] && x->sigs[i].src == 0 &&
		    (!x->nswh || x->swh[x->nswh - 1] != x->sigs[i].hash))
			x->swh[x->nswh++] = x->sigs[i].hash;
	/* A page whose every main-text difference is site-wide: its text
	 * counts as unchanged. */
	for (i = 0; i < x->nsigs; i++) {
		struct pair *p = &x->pairs[x->sigs[i].pair];

		if (sw[i] && x->sigs[i].src == 0 && !other[x->sigs[i].pair] &&
		    (p->kind == CATALOG_EDITED || p->kind == CATALOG_SILENT))
			p->kind = strcmp(p->a->last_updated, p->b->last_updated)
				? CATALOG_DATE_ONLY : CATALOG_UNCHANGED;
	}
	for (k = 0; k < ng; k++) {
		struct catalog_change c;
		struct buf s = BUF_INIT(0);
		const char *p;

		memset(&c, 0, sizeof(c));
		c.kind = CATALOG_SITEWIDE;
		c.url = strdup("");
		c.pages = g[k].pages;
		buf_addf(&s, "%s on %zu pages:", g[k].src_main ? "main text"
			 : "outside the main text", g[k].pages);
		for (p = g[k].removed.data; *p; p = strchr(p, '\n') + 1) {
			char *l = strndup(p, strcspn(p, "\n"));

			buf_adds(&s, " -");
			quote_into(&s, l ? l : "");
			free(l);
		}
		for (p = g[k].added.data; *p; p = strchr(p, '\n') + 1) {
			char *l = strndup(p, strcspn(p, "\n"));

			buf_adds(&s, " +");
			quote_into(&s, l ? l : "");
			free(l);
		}
		c.summary = buf_detach(&s, NULL);
		c.removed = buf_detach(&g[k].removed, NULL);
		c.added = buf_detach(&g[k].added, NULL);
		if (!c.url || !c.summary || !c.removed || !c.added ||
		    add_change(ch, alloc, &c) < 0) {
			free(c.url);
			free(c.summary);
			free(c.removed);
			free(c.added);
			goto out;
		}
	}
	rc = 0;
out:
	for (k = 0; g && k < ng; k++) {
		buf_release(&g[k].removed);
		buf_release(&g[k].added);
	}
	free(g);
	free(sw);
	free(other);
	if (rc < 0)
		err_set(x->e, "%s: out of memory finding site-wide changes",
			x->c->path);
	return rc;
}

static int is_page(const struct catalog_capture *c)
{
	return c && (cat_is_html(c->mime) || is3xx(c));
}

static void fill_from(struct catalog_change *c, const struct catalog_capture *a,
		      const struct catalog_capture *b)
{
	if (a) {
		memcpy(c->from_ts, a->ts, sizeof(c->from_ts));
		memcpy(c->last_updated_from, a->last_updated,
		       sizeof(c->last_updated_from));
	}
	if (b) {
		memcpy(c->to_ts, b->ts, sizeof(c->to_ts));
		memcpy(c->last_updated_to, b->last_updated,
		       sizeof(c->last_updated_to));
	}
}

static char *plain_summary(const struct pair *p)
{
	char *s = NULL;
	int r = -1;

	switch (p->kind) {
	case CATALOG_ADDED:
		r = asprintf(&s, "new page%s%s%s", p->b->title ? ": \"" : "",
			     p->b->title ? p->b->title : "",
			     p->b->title ? "\"" : "");
		break;
	case CATALOG_REMOVED:
		if (p->b)
			r = asprintf(&s, "HTTP %d", p->b->eff_status);
		else
			r = asprintf(&s, "no longer found");
		break;
	case CATALOG_REDIRECTED:
		r = asprintf(&s, "HTTP %d to %s", p->b->eff_status, p->b->redirect);
		break;
	case CATALOG_DATE_ONLY:
		r = asprintf(&s, "no text change");
		break;
	default:
		r = asprintf(&s, "%s", p->summary ? p->summary : "");
		break;
	}
	return r < 0 ? NULL : s;
}

static int cmp_change(const void *pa, const void *pb)
{
	const struct catalog_change *a = pa, *b = pb;
	int r;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	r = strcmp(a->url, b->url);
	if (r)
		return r;
	return strcmp(a->summary ? a->summary : "", b->summary ? b->summary : "");
}

static int pick_crawls(struct catalog *c, int64_t *from, int64_t *to,
		       struct err *e)
{
	int rc;

	if (*to <= 0) {
		if (*from > 0) {
			sqlite3_stmt *st = NULL;

			if (cat_prepare(c, "SELECT id FROM crawls WHERE status = "
					"'complete' AND id > ? ORDER BY id DESC "
					"LIMIT 1", &st, e) < 0)
				return -1;
			sqlite3_bind_int64(st, 1, *from);
			if (sqlite3_step(st) == SQLITE_ROW)
				*to = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
			if (*to <= 0)
				return err_set(e, "%s: no complete crawl after "
					       "crawl %lld", c->path,
					       (long long)*from);
		} else {
			rc = latest_complete(c, 0, to, e);
			if (rc <= 0)
				return rc < 0 ? -1 : err_set(e, "%s: no complete "
					"crawl yet", c->path);
		}
	}
	if (*from <= 0) {
		rc = latest_complete(c, *to, from, e);
		if (rc <= 0)
			return rc < 0 ? -1 : err_set(e, "%s: no complete crawl "
				"before crawl %lld to compare with", c->path,
				(long long)*to);
	}
	return 0;
}

/* Merge the two crawls' captures by URL into pairs of pages. */
static int make_pairs(struct ctx *x, struct crawl_caps *A, struct crawl_caps *B,
		      int to_complete, size_t *ncompared)
{
	size_t i = 0, j = 0;

	x->pairs = calloc(A->n + B->n + 1, sizeof(*x->pairs));
	if (!x->pairs)
		return err_set(x->e, "out of memory");
	*ncompared = 0;
	while (i < A->n || j < B->n) {
		struct catalog_capture *a = NULL, *b = NULL;
		int r = i >= A->n ? 1 : j >= B->n ? -1
			: strcmp(A->v[i].url, B->v[j].url);
		struct pair *p;

		if (r <= 0)
			a = &A->v[i++];
		if (r >= 0)
			b = &B->v[j++];
		if (!is_page(a) && !is_page(b))
			continue;
		p = &x->pairs[x->npairs++];
		p->a = a;
		p->b = b;
		p->kind = cat_classify(a, b, to_complete);
		/* a redirect that fell out of the link graph says nothing */
		if (p->kind == CATALOG_REMOVED && !b && is3xx(a))
			p->kind = CATALOG_UNCHANGED;
		p->compared = ok2xx(a) && ok2xx(b) && cat_is_html(a->mime) &&
			      cat_is_html(b->mime);
		*ncompared += p->compared;
	}
	return 0;
}

static const char *pair_url(const struct pair *p)
{
	return p->a ? p->a->url : p->b->url;
}

/* The target of a redirect reported here is the moved page, not new.
 * Pairs are in URL (byte) order: binary search. */
static void drop_moved_targets(struct ctx *x)
{
	size_t i, lo, hi, mid;

	for (i = 0; i < x->npairs; i++) {
		const char *t = x->pairs[i].b ? x->pairs[i].b->redirect : NULL;

		if (x->pairs[i].kind != CATALOG_REDIRECTED || !t)
			continue;
		for (lo = 0, hi = x->npairs; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if (strcmp(pair_url(&x->pairs[mid]), t) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < x->npairs && !strcmp(pair_url(&x->pairs[lo]), t) &&
		    x->pairs[lo].kind == CATALOG_ADDED)
			x->pairs[lo].kind = CATALOG_UNCHANGED;
	}
}

int catalog_changes(struct catalog *c, int64_t from, int64_t to,
		    struct catalog_changes *out, struct err *e)
{
	struct crawl_caps A = { 0 }, B = { 0 };
	struct catalog_crawl cf, ct;
	struct ctx x;
	size_t i, alloc = 0, ncompared = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.e = e;
	if (pick_crawls(c, &from, &to, e) < 0)
		return -1;
	if (catalog_crawl_get(c, from, &cf, e) <= 0 ||
	    catalog_crawl_get(c, to, &ct, e) <= 0)
		return err_set(e, "%s: no crawl %lld or %lld", c->path,
			       (long long)from, (long long)to);
	out->from_crawl = from;
	out->to_crawl = to;
	snprintf(out->from_start, sizeof(out->from_start), "%s", cf.start);
	snprintf(out->to_start, sizeof(out->to_start), "%s", ct.start);
	if (load_crawl(c, from, &A, e) < 0 || load_crawl(c, to, &B, e) < 0 ||
	    make_pairs(&x, &A, &B, !strcmp(ct.status, "complete"),
		       &ncompared) < 0)
		goto out;
	drop_moved_targets(&x);
	for (i = 0; i < x.npairs; i++) {
		struct pair *p = &x.pairs[i];

		if ((p->kind == CATALOG_EDITED || p->kind == CATALOG_SILENT) &&
		    diff_main(&x, i) < 0)
			goto out;
		if (p->compared && str_differ(p->a->boiler_digest,
					       p->b->boiler_digest) &&
		    diff_boiler(&x, i) < 0)
			goto out;
	}
	if (sitewide(&x, ncompared, out, &alloc) < 0)
		goto out;
	if (x.nswh)
		for (i = 0; i < x.npairs; i++)
			if ((x.pairs[i].kind == CATALOG_EDITED ||
			     x.pairs[i].kind == CATALOG_SILENT) &&
			    x.pairs[i].summary && resummarise(&x, i) < 0)
				goto out;
	for (i = 0; i < x.npairs; i++) {
		struct pair *p = &x.pairs[i];
		struct catalog_change ch;

		if (p->kind == CATALOG_UNCHANGED)
			continue;
		memset(&ch, 0, sizeof(ch));
		ch.kind = p->kind;
		ch.url = strdup(p->a ? p->a->url : p->b->url);
		fill_from(&ch, p->a, p->b);
		if (p->kind == CATALOG_REDIRECTED)
			ch.target = cat_strdup(p->b->redirect);
		ch.summary = plain_summary(p);
		if (!ch.url || !ch.summary || add_change(out, &alloc, &ch) < 0) {
			free(ch.url);
			free(ch.target);
			free(ch.summary);
			err_set(e, "%s: out of memory", c->path);
			goto out;
		}
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_change);
	rc = 0;
out:
	for (i = 0; i < x.npairs; i++)
		free(x.pairs[i].summary);
	free(x.pairs);
	free(x.sigs);
	free(x.swh);
	for (i = 0; i < x.nstrs; i++)
		free(x.strs[i]);
	for (i = 0; i < x.nbc; i++) {
		free(x.bc[i].a);
		free(x.bc[i].b);
		free(x.bc[i].ops);
	}
	free(x.strs);
	crawl_caps_release(&A);
	crawl_caps_release(&B);
	if (rc < 0)
		catalog_changes_release(out);
	return rc;
}

void catalog_changes_release(struct catalog_changes *ch)
{
	size_t i;

	for (i = 0; ch->v && i < ch->n; i++) {
		free(ch->v[i].url);
		free(ch->v[i].target);
		free(ch->v[i].summary);
		free(ch->v[i].removed);
		free(ch->v[i].added);
	}
	free(ch->v);
	ch->v = NULL;
	ch->n = 0;
}
