/* catalog changes: classifying two captures of a URL, the history of a
 * URL, and every change between two crawls with site-wide changes found
 * and reported once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-changes.h"
#include "diff/diff.h"
#include "diff/render.h"
#include "util/hashmap.h"

const char *catalog_kind_name(enum catalog_kind k)
{
	static const char *const names[] = { "added", "removed", "excluded",
		"moved", "redirected",
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
	if (!b)     /* a page or a redirect a complete crawl no longer found */
		return to_complete ? CATALOG_REMOVED : CATALOG_UNCHANGED;
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

static int changes_pair(struct catalog *c, int64_t from, int64_t to,
			struct catalog_changes *out, struct err *e);

/* The same site-wide correction as `changes`: a text change between two
 * crawls that was (part of) a site-wide change counts only for the rest,
 * so history says what changes says for that page and those crawls (its
 * kind there, or unchanged when it is not listed). */
static int history_sitewide(struct catalog *c, struct catalog_history_entry *v,
			    size_t n, struct err *e)
{
	struct catalog_changes ch;
	size_t i, k;
	long prev = -1;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const struct catalog_capture *a, *b = &v[i].cap;

		if (v[i].kind == CATALOG_FAILED)
			continue;
		a = prev >= 0 ? &v[prev].cap : NULL;
		prev = (long)i;
		if (!a || (v[i].kind != CATALOG_EDITED &&
			   v[i].kind != CATALOG_SILENT) ||
		    a->crawl_id == b->crawl_id)
			continue;
		if (changes_pair(c, a->crawl_id, b->crawl_id, &ch, e) < 0)
			return -1;
		for (k = 0; k < ch.n && strcmp(ch.v[k].url, b->url); k++)
			;
		if (k == ch.n)
			v[i].kind = CATALOG_UNCHANGED;  /* only site-wide */
		else if (!strcmp(ch.v[k].to_ts, b->ts))
			v[i].kind = ch.v[k].kind;
		/* else changes compared another capture of that crawl: keep
		 * the plain comparison */
		catalog_changes_release(&ch);
	}
	return rc;
}

/* ignore-text, as `changes` applies it (the rules of b's crawl). */
static int history_ignored(struct catalog *c, const struct catalog_capture *a,
			   const struct catalog_capture *b,
			   enum catalog_kind *kind, struct err *e)
{
	struct diff_rules r;
	int rc;

	if (cat_crawl_rules(c, b->crawl_id, &r, e) < 0) {
		diff_rules_release(&r);
		return -1;
	}
	rc = cat_only_ignored(c, &r, a, b, e);
	diff_rules_release(&r);
	if (rc > 0)
		*kind = text_kind(0, a, b);
	return rc < 0 ? -1 : 0;
}

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
		if ((out[i].kind == CATALOG_EDITED ||
		     out[i].kind == CATALOG_SILENT) &&
		    history_ignored(c, &caps[prev], b, &out[i].kind, e) < 0) {
			catalog_history_free(out, i + 1);
			for (i++; i < ncap; i++)
				catalog_capture_release(&caps[i]);
			free(caps);
			return -1;
		}
		prev = (long)i;
	}
	free(caps);     /* the strings moved into out */
	if (history_sitewide(c, out, ncap, e) < 0) {
		catalog_history_free(out, ncap);
		return -1;
	}
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

	if (db_prepare(&c->db, "SELECT id FROM crawls WHERE status = 'complete' AND "
			"id < ? ORDER BY id DESC LIMIT 1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : db_error(&c->db, e, "crawls");
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
	/* HTML pages, and every redirect (whatever its body's type): one a
	 * complete crawl does not see again is removed, so the crawler asks
	 * for them all (or records the rule that excludes them now).  Not
	 * documents: one no page links to any more is removed, even when the
	 * server still has it. */
	if (db_prepare(&c->db, "SELECT DISTINCT url FROM captures WHERE crawl = ? "
			"AND ((eff_status BETWEEN 200 AND 299 AND mime IN "
			"('text/html', 'application/xhtml+xml')) OR eff_status "
			"BETWEEN 300 AND 399) ORDER BY url", &st, e) < 0)
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
		if (!(v[cnt] = db_col_dup(st, 0)))
			break;
		cnt++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		while (cnt)
			free(v[--cnt]);
		free(v);
		return err_set(e, "%s: listing crawl %lld's pages failed",
			       c->db.path, (long long)crawl_id);
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
	if (db_prepare(&c->db, "SELECT " CAT_CAPTURE_COLS " FROM captures WHERE "
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
		return db_error(&c->db, e, "reading a crawl's captures");
	return 0;
nomem:
	sqlite3_finalize(st);
	return err_set(e, "%s: out of memory reading crawl %lld", c->db.path,
		       (long long)id);
}

static void crawl_caps_release(struct crawl_caps *cc)
{
	catalog_captures_free(cc->v, cc->n);
	cc->v = NULL;
	cc->n = 0;
}

int cat_add_change(struct catalog_changes *ch, size_t *alloc,
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

static int is_page(const struct catalog_capture *c)
{
	return c && (cat_has_text(c->mime) || is3xx(c));
}

static void fill_from(struct catalog_change *c, const struct catalog_capture *a,
		      const struct catalog_capture *b)
{
	if (a) {
		c->from_file = cat_strdup(a->warc_file);
		c->from_offset = a->offset;
		memcpy(c->from_ts, a->ts, sizeof(c->from_ts));
		memcpy(c->last_updated_from, a->last_updated,
		       sizeof(c->last_updated_from));
	}
	if (b) {
		c->to_file = cat_strdup(b->warc_file);
		c->to_offset = b->offset;
		memcpy(c->to_ts, b->ts, sizeof(c->to_ts));
		memcpy(c->last_updated_to, b->last_updated,
		       sizeof(c->last_updated_to));
	}
}

static char *plain_summary(const struct cat_pair *p)
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
	case CATALOG_EXCLUDED:
		r = asprintf(&s, "%s", p->rule ? p->rule : "excluded");
		break;
	case CATALOG_MOVED:
		r = asprintf(&s, "-> %s (HTTP %d, same text)", p->b->redirect,
			     p->b->eff_status);
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

			if (db_prepare(&c->db, "SELECT id FROM crawls WHERE status = "
					"'complete' AND id > ? ORDER BY id DESC "
					"LIMIT 1", &st, e) < 0)
				return -1;
			sqlite3_bind_int64(st, 1, *from);
			if (sqlite3_step(st) == SQLITE_ROW)
				*to = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
			if (*to <= 0)
				return err_set(e, "%s: no complete crawl after "
					       "crawl %lld", c->db.path,
					       (long long)*from);
		} else {
			rc = latest_complete(c, 0, to, e);
			if (rc <= 0)
				return rc < 0 ? -1 : err_set(e, "%s: no complete "
					"crawl yet", c->db.path);
		}
	}
	if (*from <= 0) {
		rc = latest_complete(c, *to, from, e);
		if (rc <= 0)
			return rc < 0 ? -1 : err_set(e, "%s: no complete crawl "
				"before crawl %lld to compare with", c->db.path,
				(long long)*to);
	}
	return 0;
}

/* Merge the two crawls' captures by URL into pairs of pages. */
static int make_pairs(struct cat_ctx *x, struct crawl_caps *A, struct crawl_caps *B,
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
		struct cat_pair *p;

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
		p->compared = ok2xx(a) && ok2xx(b) && cat_has_text(a->mime) &&
			      cat_has_text(b->mime);
		*ncompared += p->compared;
	}
	return 0;
}

static const char *pair_url(const struct cat_pair *p)
{
	return p->a ? p->a->url : p->b->url;
}

struct cat_pair *cat_pair_find(struct cat_ctx *x, const char *url)
{
	size_t lo = 0, hi = x->npairs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(pair_url(&x->pairs[mid]), url) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->npairs && !strcmp(pair_url(&x->pairs[lo]), url)
		? &x->pairs[lo] : NULL;
}

/* A page that now redirects to a new URL serving the same text moved: one
 * change, and the new URL is not reported as added.  Otherwise the target
 * of a redirect is what it is (added when it is new). */
static void find_moves(struct cat_ctx *x)
{
	size_t i;

	for (i = 0; i < x->npairs; i++) {
		struct cat_pair *p = &x->pairs[i], *q;
		const char *t = p->b ? p->b->redirect : NULL;

		if (p->kind != CATALOG_REDIRECTED || !t || !ok2xx(p->a) ||
		    !p->a->text_digest || !(q = cat_pair_find(x, t)))
			continue;
		if (q->kind != CATALOG_ADDED || !q->b->text_digest ||
		    strcmp(q->b->text_digest, p->a->text_digest))
			continue;
		p->kind = CATALOG_MOVED;
		p->moved_to = q->b;
		q->kind = CATALOG_UNCHANGED;
		q->move_target = 1;
	}
}

/* A page TO did not fetch because a rule excludes it now is excluded, not
 * removed (nor silently unchanged when TO is partial). */
static int find_exclusions(struct cat_ctx *x, int64_t to)
{
	size_t i;
	int rc;

	for (i = 0; i < x->npairs; i++) {
		struct cat_pair *p = &x->pairs[i];

		if (!p->a || p->b || !is_page(p->a) ||
		    (!ok2xx(p->a) && !is3xx(p->a)))
			continue;
		rc = catalog_exclusion_of(x->c, to, p->a->url, &p->rule, x->e);
		if (rc < 0)
			return -1;
		if (rc)
			p->kind = CATALOG_EXCLUDED;
	}
	return 0;
}

/* A page or document a complete TO no longer found, that every page of
 * FROM linking to it is excluded from TO (robots.txt, scope, a pattern):
 * TO could not reach it, so it is excluded too ("linked only from
 * excluded pages: RULE"), not removed.  One page linking to it that TO
 * fetched (it no longer links there) makes it removed.  The links are the
 * crawler's outlinks of FROM's captures. */
struct unreached {
	int live;                   /* a referrer TO did fetch */
	int refs;
	struct buf rules;           /* "; "-joined, first seen first */
};

static int note_referrer(struct cat_ctx *x, int64_t to, struct unreached *u,
			 const char *referrer)
{
	char *rule = NULL;
	int rc;

	u->refs++;
	if (u->live)
		return 0;
	rc = catalog_exclusion_of(x->c, to, referrer, &rule, x->e);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		u->live = 1;
		return 0;
	}
	if (!u->rules.len || !strstr(u->rules.data, rule))
		buf_addf(&u->rules, "%s%s", u->rules.len ? "; " : "", rule);
	free(rule);
	return 0;
}

static int find_unreached(struct cat_ctx *x, int64_t from, int64_t to)
{
	struct hmap want = HMAP_INIT(0, 0);
	struct hmap_entry *h;
	struct unreached *u = NULL;
	struct buf list = BUF_INIT(0);
	sqlite3_stmt *st = NULL;
	size_t i, n = 0;
	int rc = -1, sr;

	for (i = 0; i < x->npairs; i++)
		n += x->pairs[i].kind == CATALOG_REMOVED && !x->pairs[i].b;
	if (!n)
		return 0;
	if (db_prepare(&x->c->db, "SELECT 1 FROM exclusions WHERE crawl = ? "
		       "LIMIT 1", &st, x->e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, to);
	sr = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (sr != SQLITE_ROW)
		return sr == SQLITE_DONE ? 0 : db_error(&x->c->db, x->e, "exclusions");
	if (!(u = calloc(x->npairs, sizeof(*u))))
		goto nomem;
	for (i = 0; i < x->npairs; i++) {
		struct cat_pair *p = &x->pairs[i];

		buf_init(&u[i].rules, 0);
		if (p->kind != CATALOG_REMOVED || p->b)
			continue;
		if (hmap_put(&want, p->a->url, strlen(p->a->url), &h) < 0)
			goto nomem;
		h->num = i;
	}
	/* FROM's pages, each with its outlinks (a revisit: its original's) */
	if (db_prepare(&x->c->db, "SELECT url, coalesce(outlinks_digest, (SELECT "
		       "o.outlinks_digest FROM captures o WHERE o.id = "
		       "captures.orig)) FROM captures WHERE crawl = ? ORDER BY "
		       "url, id", &st, x->e) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, from);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		const char *ref = (const char *)sqlite3_column_text(st, 0);
		const char *dg = (const char *)sqlite3_column_text(st, 1);
		char *l, *nl;

		if (!ref || !dg)
			continue;
		buf_reset(&list);
		if (cat_outlinks_of(x->c, dg, &list, x->e) < 0)
			goto out;
		for (l = list.data; l && *l; l = nl ? nl + 1 : l + strlen(l)) {
			nl = strchr(l, '\n');
			if (strlen(l) < 3 || l[1] != ' ')
				continue;
			h = hmap_get(&want, l + 2, (nl ? (size_t)(nl - l) :
						    strlen(l)) - 2);
			if (h && strcmp(ref, x->pairs[h->num].a->url) &&
			    note_referrer(x, to, &u[h->num], ref) < 0)
				goto out;
		}
	}
	if (sr != SQLITE_DONE) {
		db_error(&x->c->db, x->e, "reading a crawl's outlinks");
		goto out;
	}
	for (i = 0; i < x->npairs; i++) {
		struct cat_pair *p = &x->pairs[i];

		if (p->kind != CATALOG_REMOVED || p->b || !u[i].refs ||
		    u[i].live)
			continue;
		free(p->rule);
		if (asprintf(&p->rule, "linked only from excluded pages: %s",
			     u[i].rules.data) < 0) {
			p->rule = NULL;
			goto nomem;
		}
		p->kind = CATALOG_EXCLUDED;
	}
	rc = 0;
	goto out;
nomem:
	err_set(x->e, "%s: out of memory", x->c->db.path);
out:
	sqlite3_finalize(st);
	for (i = 0; u && i < x->npairs; i++)
		buf_release(&u[i].rules);
	free(u);
	buf_release(&list);
	hmap_release(&want);
	return rc;
}

/* The changes between two crawls, compared directly. */
/* ignore-text (the rules of TO's crawl): a page whose text differs only in
 * ignored blocks is compared as unchanged text (date-only when its date
 * changed); the other pages are compared without those blocks. */
static int drop_ignored(struct cat_ctx *x, const struct diff_rules *r)
{
	size_t i;
	int rc;

	if (!r->n_ignore_text)
		return 0;
	x->ign = r;
	for (i = 0; i < x->npairs; i++) {
		struct cat_pair *p = &x->pairs[i];

		if (p->kind != CATALOG_EDITED && p->kind != CATALOG_SILENT)
			continue;
		rc = cat_only_ignored(x->c, r, p->a, p->b, x->e);
		if (rc < 0)
			return -1;
		if (rc)
			p->kind = text_kind(0, p->a, p->b);
	}
	return 0;
}

static int changes_pair(struct catalog *c, int64_t from, int64_t to,
			struct catalog_changes *out, struct err *e)
{
	struct crawl_caps A = { 0 }, B = { 0 };
	struct catalog_crawl cf, ct;
	struct cat_ctx x;
	struct diff_rules rules;
	size_t i, alloc = 0, ncompared = 0;
	int rc = -1;

	diff_rules_init(&rules);
	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.e = e;
	if (catalog_crawl_get(c, from, &cf, e) <= 0 ||
	    catalog_crawl_get(c, to, &ct, e) <= 0)
		return err_set(e, "%s: no crawl %lld or %lld", c->db.path,
			       (long long)from, (long long)to);
	out->from_crawl = from;
	out->to_crawl = to;
	snprintf(out->from_start, sizeof(out->from_start), "%s", cf.start);
	snprintf(out->to_start, sizeof(out->to_start), "%s", ct.start);
	snprintf(out->from_status, sizeof(out->from_status), "%s", cf.status);
	snprintf(out->to_status, sizeof(out->to_status), "%s", ct.status);
	snprintf(out->from_reason, sizeof(out->from_reason), "%s", cf.reason);
	snprintf(out->to_reason, sizeof(out->to_reason), "%s", ct.reason);
	if (load_crawl(c, from, &A, e) < 0 || load_crawl(c, to, &B, e) < 0 ||
	    make_pairs(&x, &A, &B, !strcmp(ct.status, "complete"),
		       &ncompared) < 0)
		goto out;
	find_moves(&x);
	if (find_exclusions(&x, to) < 0 || find_unreached(&x, from, to) < 0 ||
	    cat_crawl_rules(c, to, &rules, e) < 0 ||
	    drop_ignored(&x, &rules) < 0)
		goto out;
	for (i = 0; i < x.npairs; i++) {
		struct cat_pair *p = &x.pairs[i];

		if ((p->kind == CATALOG_EDITED || p->kind == CATALOG_SILENT) &&
		    cat_sw_diff_main(&x, i) < 0)
			goto out;
		if (p->compared && str_differ(p->a->boiler_digest,
					       p->b->boiler_digest) &&
		    cat_sw_diff_boiler(&x, i) < 0)
			goto out;
	}
	if (cat_sw_find(&x, ncompared, out, &alloc) < 0)
		goto out;
	if (x.nswh)
		for (i = 0; i < x.npairs; i++)
			if ((x.pairs[i].kind == CATALOG_EDITED ||
			     x.pairs[i].kind == CATALOG_SILENT) &&
			    x.pairs[i].summary && cat_sw_resummarise(&x, i) < 0)
				goto out;
	for (i = 0; i < x.npairs; i++) {
		struct cat_pair *p = &x.pairs[i];
		struct catalog_change ch;

		if (p->kind == CATALOG_UNCHANGED)
			continue;
		memset(&ch, 0, sizeof(ch));
		ch.kind = p->kind;
		ch.url = strdup(p->a ? p->a->url : p->b->url);
		fill_from(&ch, p->a, p->kind == CATALOG_MOVED ? p->moved_to : p->b);
		if (p->kind == CATALOG_REDIRECTED || p->kind == CATALOG_MOVED)
			ch.target = cat_strdup(p->b->redirect);
		ch.summary = plain_summary(p);
		if (!ch.url || !ch.summary || cat_add_change(out, &alloc, &ch) < 0) {
			free(ch.url);
			free(ch.from_file);
			free(ch.to_file);
			free(ch.target);
			free(ch.summary);
			err_set(e, "%s: out of memory", c->db.path);
			goto out;
		}
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_change);
	rc = 0;
out:
	for (i = 0; i < x.npairs; i++) {
		free(x.pairs[i].summary);
		free(x.pairs[i].rule);
	}
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
	diff_rules_release(&rules);
	if (rc < 0)
		catalog_changes_release(out);
	return rc;
}

static void change_release(struct catalog_change *c)
{
	size_t i;

	free(c->url);
	free(c->target);
	free(c->from_file);
	free(c->to_file);
	free(c->summary);
	free(c->removed);
	free(c->added);
	for (i = 0; i < c->nsteps; i++)
		change_release(&c->steps[i]);
	free(c->steps);
}

void catalog_changes_release(struct catalog_changes *ch)
{
	size_t i;

	for (i = 0; ch->v && i < ch->n; i++)
		change_release(&ch->v[i]);
	free(ch->v);
	free(ch->crawls);
	ch->v = NULL;
	ch->n = 0;
	ch->crawls = NULL;
	ch->ncrawls = 0;
}

/* ---- changes over several crawls ---- */

/* The complete crawls strictly between from and to, oldest first. */
static int crawls_between(struct catalog *c, int64_t from, int64_t to,
			  int64_t **ids, size_t *n, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int64_t *v = NULL, *t;
	size_t cnt = 0, alloc = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (db_prepare(&c->db, "SELECT id FROM crawls WHERE status = 'complete' "
			"AND id > ? AND id < ? ORDER BY id", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			t = realloc(v, alloc * sizeof(*v));
			if (!t) {
				free(v);
				sqlite3_finalize(st);
				return err_set(e, "out of memory");
			}
			v = t;
		}
		v[cnt++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return db_error(&c->db, e, "listing crawls");
	}
	*ids = v;
	*n = cnt;
	return 0;
}

/* Step changes in URL order (site-wide ones last), then crawl order. */
static int cmp_step(const void *pa, const void *pb)
{
	const struct catalog_change *a = pa, *b = pb;
	int sa = a->kind == CATALOG_SITEWIDE, sb = b->kind == CATALOG_SITEWIDE;
	int r;

	if (sa != sb)
		return sa - sb;
	r = strcmp(a->url, b->url);
	if (r)
		return r;
	if (a->crawl != b->crawl)
		return a->crawl < b->crawl ? -1 : 1;
	return strcmp(a->summary ? a->summary : "", b->summary ? b->summary : "");
}

/* One page's steps (or one site-wide change) as one change: the first
 * step's FROM side, the last's TO side, the kinds in order. */
static int merge_steps(struct catalog_change *m, struct catalog_change *st,
		       size_t n, const struct catalog_changes *ch)
{
	const struct catalog_change *f = &st[0], *l = &st[n - 1];
	struct buf b = BUF_INIT(0);
	size_t i, k;

	memset(m, 0, sizeof(*m));
	m->kind = f->kind;
	m->crawl = l->crawl;
	m->url = strdup(f->url);
	memcpy(m->from_ts, f->from_ts, sizeof(m->from_ts));
	memcpy(m->last_updated_from, f->last_updated_from,
	       sizeof(m->last_updated_from));
	memcpy(m->to_ts, l->to_ts, sizeof(m->to_ts));
	memcpy(m->last_updated_to, l->last_updated_to,
	       sizeof(m->last_updated_to));
	m->from_file = cat_strdup(f->from_file);
	m->from_offset = f->from_offset;
	m->to_file = cat_strdup(l->to_file);
	m->to_offset = l->to_offset;
	m->target = cat_strdup(l->target);
	m->pages = l->pages;
	memcpy(m->link_change, l->link_change, sizeof(m->link_change));
	for (i = 0; i < n; i++) {
		const char *start = "";

		for (k = 0; k < ch->ncrawls; k++)
			if (ch->crawls[k].id == st[i].crawl)
				start = ch->crawls[k].start;
		buf_addf(&b, "%s%s %s: %s", i ? "; " : "", start,
			 catalog_kind_name(st[i].kind),
			 st[i].summary ? st[i].summary : "");
	}
	m->summary = buf_detach(&b, NULL);
	m->steps = st;
	m->nsteps = n;
	return m->url && m->summary ? 0 : -1;
}

static int changes_span(struct catalog *c, int64_t from, int64_t to,
			const int64_t *mid, size_t nmid,
			struct catalog_changes *out, struct err *e)
{
	struct catalog_changes step;
	struct catalog_change *all = NULL, *t;
	size_t nall = 0, aall = 0, i, j, k, alloc = 0;
	int64_t prev = from;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->crawls = calloc(nmid + 2, sizeof(*out->crawls));
	if (!out->crawls)
		return err_set(e, "out of memory");
	for (i = 0; i <= nmid; i++) {
		int64_t next = i < nmid ? mid[i] : to;

		if (changes_pair(c, prev, next, &step, e) < 0)
			goto out;
		if (i == 0) {
			out->from_crawl = from;
			memcpy(out->from_start, step.from_start, sizeof(out->from_start));
			memcpy(out->from_status, step.from_status, sizeof(out->from_status));
			memcpy(out->from_reason, step.from_reason, sizeof(out->from_reason));
			out->crawls[0].id = from;
			memcpy(out->crawls[0].start, step.from_start,
			       sizeof(out->crawls[0].start));
		}
		out->crawls[i + 1].id = next;
		memcpy(out->crawls[i + 1].start, step.to_start,
		       sizeof(out->crawls[i + 1].start));
		out->ncrawls = i + 2;
		if (i == nmid) {
			out->to_crawl = to;
			memcpy(out->to_start, step.to_start, sizeof(out->to_start));
			memcpy(out->to_status, step.to_status, sizeof(out->to_status));
			memcpy(out->to_reason, step.to_reason, sizeof(out->to_reason));
		}
		if (nall + step.n > aall) {
			aall = (nall + step.n) * 2 + 16;
			t = realloc(all, aall * sizeof(*t));
			if (!t) {
				catalog_changes_release(&step);
				err_set(e, "out of memory");
				goto out;
			}
			all = t;
		}
		for (j = 0; j < step.n; j++) {
			step.v[j].crawl = next;
			all[nall++] = step.v[j];
		}
		free(step.v);       /* the changes moved into all */
		prev = next;
	}
	if (nall)
		qsort(all, nall, sizeof(*all), cmp_step);
	for (i = 0; i < nall; i = j) {
		struct catalog_change m, *st;

		for (j = i + 1; j < nall && all[i].kind != CATALOG_SITEWIDE &&
		     all[j].kind != CATALOG_SITEWIDE &&
		     !strcmp(all[j].url, all[i].url); j++)
			;
		st = malloc((j - i) * sizeof(*st));
		if (!st) {
			err_set(e, "out of memory");
			goto out;
		}
		memcpy(st, &all[i], (j - i) * sizeof(*st));
		for (k = i; k < j; k++)
			memset(&all[k], 0, sizeof(all[k]));
		if (merge_steps(&m, st, j - i, out) < 0 ||
		    cat_add_change(out, &alloc, &m) < 0) {
			change_release(&m);
			err_set(e, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; i < nall; i++)
		change_release(&all[i]);
	free(all);
	if (rc < 0)
		catalog_changes_release(out);
	return rc;
}

int catalog_changes(struct catalog *c, int64_t from, int64_t to,
		    struct catalog_changes *out, struct err *e)
{
	int64_t *mid = NULL;
	size_t nmid = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (pick_crawls(c, &from, &to, e) < 0)
		return -1;
	if (from == to)
		return err_set(e, "FROM and TO are the same crawl (%lld): nothing "
			       "to compare", (long long)from);
	if (from < to && crawls_between(c, from, to, &mid, &nmid, e) < 0)
		return -1;
	rc = nmid ? changes_span(c, from, to, mid, nmid, out, e)
		: changes_pair(c, from, to, out, e);
	free(mid);
	return rc;
}
