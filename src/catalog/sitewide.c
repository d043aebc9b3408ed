/* catalog sitewide: one change repeated on many pages - a footer
 * reworded, a menu link added, removed or renamed, a menu line that leaked
 * into the main text - found once and reported once.  Every page pair's
 * block differences (main text, the text around it, the links around it)
 * get a signature; a signature on more than 5 pages, or 20% of the
 * compared pages (at least 3), is site-wide; text signatures on the same
 * set of pages are one site-wide change, each link one of its own.  What
 * repeats on many pages is the site's navigation: no class or id says it.
 * A link that comes or goes with its page (added, removed, moved,
 * redirected, excluded) is that page's change, not a menu edit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog-changes.h"
#include "diff/diff.h"
#include "diff/render.h"
#include "util/hashmap.h"

static char *keep(struct cat_ctx *x, const char *s)
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

/* A new signature slot at the end of x->sigs, or NULL (x->e set). */
static struct cat_opsig *new_sig(struct cat_ctx *x)
{
	struct cat_opsig *t;

	if (x->nsigs == x->asigs) {
		x->asigs = x->asigs ? x->asigs * 2 : 256;
		t = realloc(x->sigs, x->asigs * sizeof(*t));
		if (!t) {
			err_set(x->e, "out of memory");
			return NULL;
		}
		x->sigs = t;
	}
	return &x->sigs[x->nsigs++];
}

static int push_sig(struct cat_ctx *x, const struct cat_opsig *o)
{
	struct cat_opsig *s = new_sig(x);

	if (!s)
		return -1;
	*s = *o;
	return 0;
}

static uint64_t sig_hash(int src, char op, const char *from, const char *to,
			 const char *url)
{
	char hd[2] = { op, (char)('0' + src) };
	uint64_t h = hmap_hash_more(HMAP_HASH_BASIS, hd, 2);

	if (url)
		h = hmap_hash_more(h, url, strlen(url) + 1);
	if (from)
		h = hmap_hash_more(h, from, strlen(from) + 1);
	if (to)
		h = hmap_hash_more(h, to, strlen(to) + 1);
	return h;
}

static int add_sig_url(struct cat_ctx *x, size_t pair, int src, char op,
		       const char *from, const char *to, const char *url)
{
	struct cat_opsig *s;
	uint64_t h = sig_hash(src, op, from, to, url);

	if (!(s = new_sig(x)))
		return -1;
	s->hash = h;
	s->pair = pair;
	s->src = src;
	s->op = op;
	s->from = keep(x, from);
	s->to = keep(x, to);
	s->url = keep(x, url);
	if ((from && !s->from) || (to && !s->to) || (url && !s->url))
		return err_set(x->e, "out of memory");
	return 0;
}

static int add_sig(struct cat_ctx *x, size_t pair, int src, char op,
		   const char *from, const char *to)
{
	return add_sig_url(x, pair, src, op, from, to, NULL);
}

/* Both pages of pair p, less the blocks the ignore-text rules leave out of
 * the comparison; 1 loaded, 0 one has no stored text, -1 error. */
static int load_pair(struct cat_ctx *x, const struct cat_pair *p,
		     struct diff_page *pa, struct diff_page *pb)
{
	struct diff_page ign;
	int rc;

	rc = cat_capture_page(x->c, p->a, pa, x->e);
	if (rc > 0)
		rc = cat_capture_page(x->c, p->b, pb, x->e);
	if (rc <= 0 || !x->ign)
		return rc;
	diff_page_init(&ign);
	if (diff_page_split_ignored(pa, x->ign, &ign) < 0 ||
	    diff_page_split_ignored(pb, x->ign, &ign) < 0)
		rc = err_set(x->e, "out of memory");
	diff_page_release(&ign);
	return rc;
}

/* Main text: diff the two pages, record each block op, set the summary. */
int cat_sw_diff_main(struct cat_ctx *x, size_t i)
{
	struct cat_pair *p = &x->pairs[i];
	struct diff_page pa, pb;
	struct diff_result r;
	struct buf sum = BUF_INIT(4096);
	size_t k;
	int rc = -1;

	diff_page_init(&pa);
	diff_page_init(&pb);
	memset(&r, 0, sizeof(r));
	if (load_pair(x, p, &pa, &pb) <= 0) {
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

	if (db_cached(&c->db, "SELECT body FROM boilers WHERE "
		       "digest = ?", &st, e) < 0)
		return -1;
	db_bind_str(st, 1, digest);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = cat_blob_unpack(c, st, 0, out, e);
	sqlite3_reset(st);
	return rc;
}

/* The lines of s (cut in place): text lines into *text, "URL\tTEXT" link
 * lines into *links (sorted: a URL's lines are together).  -1 out of
 * memory. */
static int cmp_str(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static int split_lines(char *s, char ***text, size_t *nt, char ***links,
		       size_t *nl)
{
	size_t n = 0;
	char *p;

	*nt = *nl = 0;
	for (p = s; *p; p++)
		n += *p == '\n';
	*text = calloc(n + 1, sizeof(char *));
	*links = calloc(n + 1, sizeof(char *));
	if (!*text || !*links)
		return -1;
	for (p = s; *p;) {
		char *nl_ = strchr(p, '\n');

		if (!nl_)
			break;
		*nl_ = '\0';
		if (strchr(p, '\t'))
			(*links)[(*nl)++] = p;
		else
			(*text)[(*nt)++] = p;
		p = nl_ + 1;
	}
	if (*nl)
		qsort(*links, *nl, sizeof(char *), cmp_str);
	return 0;
}

/* The texts of the link lines v[*i..) of one URL, joined by " / " into
 * out; *i moves past them.  Lines whose text the other side has for that
 * URL too (other[0..no)) are left out. */
static size_t url_len(const char *l)
{
	return (size_t)(strchr(l, '\t') - l);
}

static int has_line(char **v, size_t n, const char *l)
{
	return bsearch(&l, v, n, sizeof(char *), cmp_str) != NULL;
}

static void url_texts(char **v, size_t n, size_t *i, char **other,
		      size_t no, struct buf *out)
{
	size_t k = *i, ul = url_len(v[k]);

	buf_reset(out);
	for (; *i < n && url_len(v[*i]) == ul && !strncmp(v[*i], v[k], ul);
	     (*i)++) {
		if (has_line(other, no, v[*i]))
			continue;
		if (out->len)
			buf_adds(out, " / ");
		buf_adds(out, v[*i] + ul + 1);
	}
}

/* Links around the main content: each link whose text changed ('R'),
 * that is gone ('D') or new ('I') is an op (src 2). */
static int diff_links(struct cat_ctx *x, size_t pair, char **la, size_t na,
		      char **lb, size_t nb)
{
	struct buf ta = BUF_INIT(0), tb = BUF_INIT(0);
	size_t i = 0, j = 0;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		int r;
		char *u = NULL;

		if (i >= na)
			r = 1;
		else if (j >= nb)
			r = -1;
		else {
			size_t ua = url_len(la[i]), ub = url_len(lb[j]);

			r = strncmp(la[i], lb[j], ua < ub ? ua : ub);
			if (!r)
				r = ua < ub ? -1 : ua > ub;
		}
		u = strndup(r <= 0 ? la[i] : lb[j],
			    url_len(r <= 0 ? la[i] : lb[j]));
		if (!u) {
			rc = -1;
			break;
		}
		buf_reset(&ta);
		buf_reset(&tb);
		if (r <= 0)
			url_texts(la, na, &i, lb, nb, &ta);
		if (r >= 0)
			url_texts(lb, nb, &j, la, na, &tb);
		if (ta.len && tb.len)
			rc = add_sig_url(x, pair, 2, 'R', ta.data, tb.data, u);
		else if (ta.len || (r < 0 && !ta.len))
			rc = add_sig_url(x, pair, 2, 'D', ta.data ? ta.data :
					 "", NULL, u);
		else if (tb.len || (r > 0 && !tb.len))
			rc = add_sig_url(x, pair, 2, 'I', NULL, tb.data ?
					 tb.data : "", u);
		free(u);
	}
	buf_release(&ta);
	buf_release(&tb);
	return rc;
}

/* Text outside the main content: line diff, each line an op. */
int cat_sw_diff_boiler(struct cat_ctx *x, size_t i)
{
	struct cat_pair *p = &x->pairs[i];
	struct buf ba = BUF_INIT(0), bb = BUF_INIT(0);
	struct diff_script s = { 0 };
	char **la = NULL, **lb = NULL, **ka = NULL, **kb = NULL;
	size_t na, nb, nka, nkb, k, j, first = x->nsigs;
	struct cat_bcache *bc;
	int rc = -1;

	for (k = 0; k < x->nbc; k++) {
		bc = &x->bc[k];
		if (strcmp(bc->a, p->a->boiler_digest) ||
		    strcmp(bc->b, p->b->boiler_digest))
			continue;
		for (j = 0; j < bc->n; j++) {
			struct cat_opsig o = bc->ops[j];

			o.pair = i;
			if (push_sig(x, &o) < 0)
				return -1;
		}
		return 0;
	}
	if (get_boiler(x->c, p->a->boiler_digest, &ba, x->e) < 0 ||
	    get_boiler(x->c, p->b->boiler_digest, &bb, x->e) < 0)
		goto out;
	if (split_lines(ba.data ? ba.data : "", &la, &na, &ka, &nka) < 0 ||
	    split_lines(bb.data ? bb.data : "", &lb, &nb, &kb, &nkb) < 0 ||
	    diff_links(x, i, ka, nka, kb, nkb) < 0) {
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
	if (x->nbc < CAT_BOILER_CACHE) {
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
	free(ka);
	free(kb);
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
int cat_sw_resummarise(struct cat_ctx *x, size_t i)
{
	struct cat_pair *p = &x->pairs[i];
	struct diff_page pa, pb;
	struct diff_result r;
	struct diff_block_op *ops = NULL, *keep_ops;
	struct buf sum = BUF_INIT(4096);
	size_t k, masked = 0;
	int rc = -1;

	diff_page_init(&pa);
	diff_page_init(&pb);
	memset(&r, 0, sizeof(r));
	if (load_pair(x, p, &pa, &pb) <= 0 ||
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
		uint64_t hd = del ? sig_hash(0, 'D', f, NULL, NULL) : 0;
		uint64_t hi = ins ? sig_hash(0, 'I', NULL, t, NULL) : 0;

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
	const struct cat_opsig *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->pair < b->pair ? -1 : a->pair > b->pair;
}

/* A site-wide change being assembled: signature runs sharing a page set. */
struct group {
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


/* A link added or removed with the page it leads to (reported on its
 * own: added, removed, moved, redirected, excluded). */
static int link_of_page(struct cat_ctx *x, const struct cat_opsig *o)
{
	const struct cat_pair *p = cat_pair_find(x, o->url);

	if (o->op == 'R' || !p)
		return 0;
	return p->move_target || p->kind == CATALOG_ADDED ||
		p->kind == CATALOG_REMOVED || p->kind == CATALOG_MOVED ||
		p->kind == CATALOG_REDIRECTED || p->kind == CATALOG_EXCLUDED;
}

/* One site-wide menu link change: 'menu link renamed "Old" -> "New" (URL)
 * on N pages', 'menu link added "Title" (URL) on N pages', '... removed
 * ...'. */
static int add_link_change(struct cat_ctx *x, const struct cat_opsig *o,
			   size_t pages, struct catalog_changes *ch,
			   size_t *alloc)
{
	struct catalog_change c;
	struct buf s = BUF_INIT(0), r = BUF_INIT(0), a = BUF_INIT(0);
	const char *what = o->op == 'R' ? "renamed" : o->op == 'D' ? "removed"
		: "added";

	memset(&c, 0, sizeof(c));
	c.kind = CATALOG_SITEWIDE;
	c.pages = pages;
	snprintf(c.link_change, sizeof(c.link_change), "%s", what);
	buf_addf(&s, "menu link %s ", what);
	quote_into(&s, o->from ? o->from : o->to);
	if (o->op == 'R') {
		buf_adds(&s, " -> ");
		quote_into(&s, o->to);
	}
	buf_addf(&s, " (%s) on %zu pages", o->url, pages);
	if (o->from)
		buf_addf(&r, "%s\n", o->from);
	if (o->to)
		buf_addf(&a, "%s\n", o->to);
	c.url = strdup("");
	c.target = strdup(o->url);
	c.summary = buf_detach(&s, NULL);
	c.removed = buf_detach(&r, NULL);
	c.added = buf_detach(&a, NULL);
	if (!c.url || !c.target || !c.summary || !c.removed || !c.added ||
	    cat_add_change(ch, alloc, &c) < 0) {
		free(c.url);
		free(c.target);
		free(c.summary);
		free(c.removed);
		free(c.added);
		return -1;
	}
	return 0;
}

/* Find site-wide signatures; mark pages whose main-text ops are all
 * site-wide as not text-changed; emit the site-wide entries. */
int cat_sw_find(struct cat_ctx *x, size_t ncompared, struct catalog_changes *ch,
		size_t *alloc)
{
	struct group *g = NULL;
	struct hmap by_set = HMAP_INIT(HMAP_COPY_KEYS, 0); /* set -> group */
	struct hmap_entry *gx;
	size_t ng = 0, i, j, k;
	unsigned char *sw;          /* per sig: site-wide */
	size_t *other;              /* per pair: non-site-wide main ops */
	int rc = -1, added;

	if (x->nsigs)
		qsort(x->sigs, x->nsigs, sizeof(*x->sigs), cmp_sig);
	sw = calloc(x->nsigs + 1, 1);
	other = calloc(x->npairs + 1, sizeof(*other));
	g = calloc(x->nsigs + 1, sizeof(*g));
	if (!sw || !other || !g)
		goto out;
	for (i = 0; i < x->nsigs; i = j) {
		uint64_t set = HMAP_HASH_BASIS;
		size_t pages = 0;

		for (j = i; j < x->nsigs && x->sigs[j].hash == x->sigs[i].hash; j++)
			if (j == i || x->sigs[j].pair != x->sigs[j - 1].pair) {
				pages++;
				set = hmap_hash_more(set, &x->sigs[j].pair,
						     sizeof(size_t));
			}
		if (!is_sitewide(pages, ncompared))
			continue;
		if (x->sigs[i].src == 2) {
			if (!link_of_page(x, &x->sigs[i]) &&
			    add_link_change(x, &x->sigs[i], pages, ch, alloc) < 0)
				goto out;
			continue;
		}
		for (k = i; k < j; k++)
			sw[k] = 1;
		if ((added = hmap_put(&by_set, &set, sizeof(set), &gx)) < 0)
			goto out;
		if (added) {
			gx->num = ng;
			g[ng].pages = pages;
			g[ng].first = x->sigs[i].pair;
			buf_init(&g[ng].removed, 0);
			buf_init(&g[ng].added, 0);
			ng++;
		}
		k = (size_t)gx->num;
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
		struct cat_pair *p = &x->pairs[x->sigs[i].pair];

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
		    cat_add_change(ch, alloc, &c) < 0) {
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
	hmap_release(&by_set);
	free(sw);
	free(other);
	if (rc < 0)
		err_set(x->e, "%s: out of memory finding site-wide changes",
			x->c->db.path);
	return rc;
}
