/* pages: block diff of two extracted pages, with moves, changed-block
 * pairing and word diffs, figures and link sets. */
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "diff/intern.h"
#include "diff/words-internal.h"

#define SIMILAR 0.5          /* word Dice similarity for "changed" */
#define PAIR_WINDOW 50       /* inserted blocks tried per deleted block */
#define PAIR_BUDGET 200000   /* comparisons per page pair (hostile input) */

const char *diff_op_name(enum diff_op op)
{
	static const char *const n[] = { "equal", "insert", "delete",
					 "change", "move" };

	return (unsigned)op < 5 ? n[op] : "equal";
}

struct pctx {
	const struct diff_page *f, *t;
	uint32_t *fid, *tid;          /* block ids */
	long *move_to;                /* per from block: to index or -1 */
	long *move_from;              /* per to block: from index or -1 */
	struct diff_result *r;
	size_t alloc;
	size_t compared;              /* similarity comparisons so far */
};

static int add_op(struct pctx *c, enum diff_op op, long fi, long ti, int side)
{
	struct diff_block_op *o;

	if (c->r->n_ops == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 64;
		struct diff_block_op *no = realloc(c->r->ops, na * sizeof(*no));

		if (!no)
			return -1;
		c->r->ops = no;
		c->alloc = na;
	}
	o = &c->r->ops[c->r->n_ops++];
	memset(o, 0, sizeof(*o));
	o->op = op;
	o->from_index = fi;
	o->to_index = ti;
	o->side = side;
	return 0;
}

/* Sorted hashes of a block's word tokens (spaces left out). */
static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static uint64_t *bag(const struct diff_block *b, size_t *n)
{
	size_t nt = diff_tokenize(b->text, b->len, NULL, 0), i, k = 0;
	struct diff_tok *t;
	uint64_t *h;

	if (nt > DIFF_MAX_TOKENS)
		nt = DIFF_MAX_TOKENS;
	t = malloc((nt + 1) * sizeof(*t));
	h = malloc((nt + 1) * sizeof(*h));
	if (!t || !h) {
		free(t);
		free(h);
		return NULL;
	}
	diff_tokenize(b->text, b->len, t, nt);
	for (i = 0; i < nt; i++)
		if (b->text[t[i].start] != ' ')
			h[k++] = hmap_hash(b->text + t[i].start, t[i].len);
	free(t);
	qsort(h, k, sizeof(*h), cmp_u64);
	*n = k;
	return h;
}

static double dice(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, common = 0;

	if (!na && !nb)
		return 1.0;
	while (i < na && j < nb) {
		if (a[i] == b[j])
			common++, i++, j++;
		else if (a[i] < b[j])
			i++;
		else
			j++;
	}
	return 2.0 * (double)common / (double)(na + nb);
}

/* One replaced region: from blocks [f0,f1) gave way to to blocks [t0,t1).
 * Moved blocks keep their place in the output order; the others pair up
 * as changes by word similarity, in order. */
static int region(struct pctx *c, size_t f0, size_t f1, size_t t0, size_t t1)
{
	size_t nd = f1 - f0, ni = t1 - t0, i, j, next_j = 0, emit_i = 0,
	       emit_j = 0;
	uint64_t **bi = calloc(ni + 1, sizeof(*bi));
	size_t *bn = calloc(ni + 1, sizeof(*bn));
	long *pair = malloc((nd + 1) * sizeof(*pair));
	int rc = -1;

	if (!bi || !bn || !pair)
		goto out;
	for (i = 0; i < nd; i++) {
		uint64_t *da;
		size_t dn, best_j = 0;
		double best = SIMILAR - 1e-9;

		pair[i] = -1;
		if (c->move_to[f0 + i] >= 0 || next_j >= ni ||
		    c->compared > PAIR_BUDGET)
			continue;
		if (!(da = bag(&c->f->blocks[f0 + i], &dn)))
			goto out;
		for (j = next_j; j < ni && j < next_j + PAIR_WINDOW; j++) {
			double s;

			if (c->move_from[t0 + j] >= 0)
				continue;
			if (!bi[j] && !(bi[j] = bag(&c->t->blocks[t0 + j], &bn[j]))) {
				free(da);
				goto out;
			}
			s = dice(da, dn, bi[j], bn[j]);
			c->compared++;
			if (s > best) {
				best = s;
				best_j = j;
			}
		}
		free(da);
		if (best >= SIMILAR) {
			pair[i] = (long)best_j;
			next_j = best_j + 1;
		}
	}
	/* one block replaced by one other, however different, is a change of
	 * that block (a rewritten paragraph) rather than a removal + addition */
	{
		size_t ud = 0, ui = 0, di = 0, dj = 0, paired = 0;

		for (i = 0; i < nd; i++) {
			paired += pair[i] >= 0;
			if (c->move_to[f0 + i] < 0)
				ud++, di = i;
		}
		for (j = 0; j < ni; j++)
			if (c->move_from[t0 + j] < 0)
				ui++, dj = j;
		if (!paired && ud == 1 && ui == 1)
			pair[di] = (long)dj;
	}
	/* output: what precedes each pair, the pair, then the rest */
	for (i = 0; i <= nd; i++) {
		size_t upto_j = ni;

		if (i < nd && pair[i] < 0)
			continue;
		if (i < nd)
			upto_j = (size_t)pair[i];
		for (; emit_i < i; emit_i++) {
			long m = c->move_to[f0 + emit_i];

			if (add_op(c, m >= 0 ? DIFF_OP_MOVE : DIFF_OP_DELETE,
				   (long)(f0 + emit_i), m, 0) < 0)
				goto out;
		}
		for (; emit_j < upto_j; emit_j++) {
			long m = c->move_from[t0 + emit_j];

			if (add_op(c, m >= 0 ? DIFF_OP_MOVE : DIFF_OP_INSERT,
				   m, (long)(t0 + emit_j), m >= 0) < 0)
				goto out;
		}
		if (i < nd) {
			if (add_op(c, DIFF_OP_CHANGE, (long)(f0 + i),
				   (long)(t0 + upto_j), 0) < 0)
				goto out;
			emit_i = i + 1;
			emit_j = upto_j + 1;
		}
	}
	rc = 0;
out:
	for (j = 0; bi && j < ni; j++)
		free(bi[j]);
	free(bi);
	free(bn);
	free(pair);
	return rc;
}

/* Blocks deleted in one place and inserted identically in another. */
static int find_moves(struct pctx *c, const struct diff_script *s)
{
	size_t nf = c->f->n_blocks, nt = c->t->n_blocks, k, i;
	uint32_t nid = 0;
	long *head = NULL, *next = NULL;

	for (i = 0; i < nf; i++)
		c->move_to[i] = -1;
	for (i = 0; i < nt; i++)
		c->move_from[i] = -1;
	for (i = 0; i < nf; i++)
		if (c->fid[i] >= nid)
			nid = c->fid[i] + 1;
	for (i = 0; i < nt; i++)
		if (c->tid[i] >= nid)
			nid = c->tid[i] + 1;
	head = malloc((nid + 1) * sizeof(*head));
	next = malloc((nf + 1) * sizeof(*next));
	if (!head || !next) {
		free(head);
		free(next);
		return -1;
	}
	for (i = 0; i <= nid; i++)
		head[i] = -1;
	/* deleted from-blocks, per id, in order (built backwards) */
	for (k = s->n; k-- > 0;) {
		const struct diff_edit *x = &s->edits[k];

		if (x->op != DIFF_DELETE)
			continue;
		for (i = x->a_start + x->a_len; i-- > x->a_start;) {
			next[i] = head[c->fid[i]];
			head[c->fid[i]] = (long)i;
		}
	}
	for (k = 0; k < s->n; k++) {
		const struct diff_edit *x = &s->edits[k];

		if (x->op != DIFF_INSERT)
			continue;
		for (i = x->b_start; i < x->b_start + x->b_len; i++) {
			long f = head[c->tid[i]];

			if (f < 0)
				continue;
			head[c->tid[i]] = next[f];
			c->move_to[f] = (long)i;
			c->move_from[i] = f;
		}
	}
	free(head);
	free(next);
	return 0;
}

static int ops(struct pctx *c, const struct diff_script *s)
{
	size_t k = 0, i;

	while (k < s->n) {
		const struct diff_edit *x = &s->edits[k];
		size_t f0, f1, t0, t1;

		if (x->op == DIFF_EQUAL) {
			for (i = 0; i < x->a_len; i++)
				if (add_op(c, DIFF_OP_EQUAL, (long)(x->a_start + i),
					   (long)(x->b_start + i), 0) < 0)
					return -1;
			k++;
			continue;
		}
		f0 = f1 = x->a_start;
		t0 = t1 = x->b_start;
		for (; k < s->n && s->edits[k].op != DIFF_EQUAL; k++) {
			if (s->edits[k].op == DIFF_DELETE)
				f1 = s->edits[k].a_start + s->edits[k].a_len;
			else
				t1 = s->edits[k].b_start + s->edits[k].b_len;
		}
		if (region(c, f0, f1, t0, t1) < 0)
			return -1;
	}
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Links of a not in b, sorted. */
static int link_diff(const struct diff_page *a, const struct diff_page *b,
		     char ***out, size_t *n)
{
	struct diff_intern t;
	size_t i;

	*out = NULL;
	*n = 0;
	if (diff_intern_init(&t, b->n_links) < 0)
		return -1;
	for (i = 0; i < b->n_links; i++)
		if (diff_intern_id(&t, b->links[i], strlen(b->links[i]), NULL) < 0)
			goto fail;
	*out = malloc((a->n_links + 1) * sizeof(**out));
	if (!*out)
		goto fail;
	for (i = 0; i < a->n_links; i++)
		if (diff_intern_find(&t, a->links[i], strlen(a->links[i])) < 0)
			(*out)[(*n)++] = a->links[i];
	qsort(*out, *n, sizeof(**out), cmp_str);
	diff_intern_release(&t);
	return 0;
fail:
	diff_intern_release(&t);
	return -1;
}

static int block_ids(struct diff_intern *t, const struct diff_page *p,
		     uint32_t *ids)
{
	size_t i;
	long id;

	for (i = 0; i < p->n_blocks; i++) {
		id = diff_intern_id(t, p->blocks[i].text, p->blocks[i].len, NULL);
		if (id < 0)
			return -1;
		ids[i] = (uint32_t)id;
	}
	return 0;
}

static int figures(struct pctx *c, struct err *e)
{
	struct diff_result *r = c->r;
	size_t i;

	for (i = 0; i < r->n_ops; i++) {
		struct diff_block_op *o = &r->ops[i];
		const struct diff_block *fb = o->from_index >= 0 ?
			&c->f->blocks[o->from_index] : NULL;
		const struct diff_block *tb = o->to_index >= 0 ?
			&c->t->blocks[o->to_index] : NULL;

		switch (o->op) {
		case DIFF_OP_EQUAL:
			continue;
		case DIFF_OP_INSERT:
			r->fig.blocks_added++;
			r->fig.chars_added += diff_utf8_chars(tb->text, tb->len);
			break;
		case DIFF_OP_DELETE:
			r->fig.blocks_removed++;
			r->fig.chars_removed += diff_utf8_chars(fb->text, fb->len);
			break;
		case DIFF_OP_MOVE:
			r->fig.blocks_moved += o->side == 0;
			break;
		case DIFF_OP_CHANGE:
			if (diff_word_diff(fb->text, fb->len, tb->text, tb->len,
					   &o->words, e) < 0)
				return -1;
			r->fig.blocks_changed++;
			r->fig.chars_added += o->words.chars_added;
			r->fig.chars_removed += o->words.chars_removed;
			break;
		}
		r->text_changed = 1;
	}
	r->fig.chars_changed = r->fig.chars_added + r->fig.chars_removed;
	return 0;
}

int diff_pages(const struct diff_page *from, const struct diff_page *to,
	       struct diff_result *out, struct err *e)
{
	struct pctx c;
	struct diff_intern t;
	struct diff_script s = { 0 };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	out->from = from;
	out->to = to;
	c.f = from;
	c.t = to;
	c.r = out;
	if (diff_intern_init(&t, from->n_blocks + to->n_blocks) < 0)
		return err_set(e, "diff: out of memory");
	c.fid = malloc((from->n_blocks + 1) * sizeof(*c.fid));
	c.tid = malloc((to->n_blocks + 1) * sizeof(*c.tid));
	c.move_to = malloc((from->n_blocks + 1) * sizeof(*c.move_to));
	c.move_from = malloc((to->n_blocks + 1) * sizeof(*c.move_from));
	if (!c.fid || !c.tid || !c.move_to || !c.move_from ||
	    block_ids(&t, from, c.fid) < 0 || block_ids(&t, to, c.tid) < 0)
		goto nomem;
	if (diff_histogram(c.fid, from->n_blocks, c.tid, to->n_blocks, &s, e) < 0)
		goto fail;
	if (find_moves(&c, &s) < 0 || ops(&c, &s) < 0)
		goto nomem;
	if (figures(&c, e) < 0)
		goto fail;
	if (link_diff(to, from, &out->links_added, &out->n_links_added) < 0 ||
	    link_diff(from, to, &out->links_removed, &out->n_links_removed) < 0)
		goto nomem;
	out->fig.links_added = out->n_links_added;
	out->fig.links_removed = out->n_links_removed;
	out->date_changed = strcmp(from->updated.ymd, to->updated.ymd) != 0;
	rc = 0;
	goto out;
nomem:
	err_set(e, "diff: out of memory");
fail:
	diff_result_release(out);
out:
	diff_script_release(&s);
	diff_intern_release(&t);
	free(c.fid);
	free(c.tid);
	free(c.move_to);
	free(c.move_from);
	return rc;
}

void diff_result_release(struct diff_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_ops; i++)
		diff_words_release(&r->ops[i].words);
	free(r->ops);
	free(r->links_added);
	free(r->links_removed);
	memset(r, 0, sizeof(*r));
}
