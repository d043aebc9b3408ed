/* histogram: git's histogram diff (xdiff/xhistogram.c) over id sequences,
 * with a bounded Myers fallback.
 *
 * Each region's longest common run is anchored on the elements of lowest
 * occurrence in the old side; both sides of it are diffed again.  Results
 * are kept as "deleted"/"inserted" marks per element, turned into an edit
 * script at the end (as xdiff does with its rchg arrays).
 */
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "diff/intern.h"

#define MAX_CHAIN 64        /* git's max_chain_length */
#define MAX_DEPTH 1024      /* recursion depth before Myers takes over */
#define MYERS_DMAX 1000     /* edit distance Myers may search */
#define MAX_WORK 20000000 /* elements indexed before the rest goes coarse */
#define NONE ((uint32_t)-1)

struct hist {
	const uint32_t *a, *b;
	char *da, *ib;          /* marks: a[i] deleted, b[j] inserted */
	uint32_t *cnt, *head;   /* per id, for the region being indexed */
	uint32_t *next;         /* per a position: next occurrence */
	size_t work;            /* elements indexed so far (hostile input cap) */
};

static void mark_all(struct hist *h, size_t a0, size_t a1, size_t b0,
		     size_t b1)
{
	if (a1 > a0)
		memset(h->da + a0, 1, a1 - a0);
	if (b1 > b0)
		memset(h->ib + b0, 1, b1 - b0);
}

/* Myers' O(ND) greedy search with its trace, for regions histogram cannot
 * anchor; past MYERS_DMAX the region is marked changed as a whole. */
static int myers(struct hist *h, size_t a0, size_t a1, size_t b0, size_t b1)
{
	long n = (long)(a1 - a0), m = (long)(b1 - b0), dmax = n + m;
	long d, k, x, y, *v = NULL;
	int *tr;

	if (dmax > MYERS_DMAX)
		dmax = MYERS_DMAX;
	/* the trace grows as (d+1)^2: sized for this region's bound */
	tr = malloc(sizeof(int) * (size_t)(dmax + 1) * (size_t)(dmax + 1));
	v = calloc((size_t)(2 * dmax + 3), sizeof(*v));
	if (!tr || !v) {
		free(tr);
		free(v);
		return -1;
	}
#define V(k_) v[(k_) + dmax + 1]
	for (d = 0; d <= dmax; d++) {
		for (k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && V(k - 1) < V(k + 1)))
				x = V(k + 1);
			else
				x = V(k - 1) + 1;
			y = x - k;
			while (x < n && y < m && h->a[a0 + x] == h->b[b0 + y])
				x++, y++;
			V(k) = x;
			tr[d * d + (k + d)] = (int)x;
			if (x >= n && y >= m)
				goto found;
		}
	}
	free(v);
	free(tr);
	mark_all(h, a0, a1, b0, b1);
	return 0;
found:
	x = n;
	y = m;
	for (; d > 0; d--) {
		const int *p = &tr[(d - 1) * (d - 1)];   /* V after step d-1 */
		long pk, px, py;

		k = x - y;
#define P(k_) p[(k_) + (d - 1)]
		if (k == -d || (k != d && P(k - 1) < P(k + 1)))
			pk = k + 1;
		else
			pk = k - 1;
		px = P(pk);
		py = px - pk;
#undef P
		if (pk == k + 1)
			h->ib[b0 + py] = 1;     /* came down: b[py] inserted */
		else
			h->da[a0 + px] = 1;     /* came right: a[px] deleted */
		x = px;
		y = py;
	}
#undef V
	free(v);
	free(tr);
	return 0;
}

struct lcs {
	size_t as, ae, bs, be;  /* inclusive */
	uint32_t cnt;
	int found, has_common;
};

static size_t try_lcs(struct hist *h, struct lcs *l, size_t j, size_t a0,
		      size_t a1, size_t b0, size_t b1)
{
	uint32_t id = h->b[j], rc, c;
	size_t b_next = j + 1, as, ae, bs, be, np;

	if (!h->cnt[id])
		return b_next;
	l->has_common = 1;
	if (h->cnt[id] > l->cnt)
		return b_next;
	for (as = h->head[id];;) {
		np = h->next[as];
		bs = be = j;
		ae = as;
		rc = h->cnt[id];
		while (a0 < as && b0 < bs && h->a[as - 1] == h->b[bs - 1]) {
			as--, bs--;
			if (rc > 1 && (c = h->cnt[h->a[as]]) < rc)
				rc = c;
		}
		while (ae + 1 < a1 && be + 1 < b1 &&
		       h->a[ae + 1] == h->b[be + 1]) {
			ae++, be++;
			if (rc > 1 && (c = h->cnt[h->a[ae]]) < rc)
				rc = c;
		}
		if (b_next <= be)
			b_next = be + 1;
		if (!l->found || l->ae - l->as < ae - as || rc < l->cnt) {
			l->as = as, l->ae = ae, l->bs = bs, l->be = be;
			l->cnt = rc;
			l->found = 1;
		}
		if (np == NONE)
			break;
		while (np <= ae) {
			np = h->next[np];
			if (np == NONE)
				return b_next;
		}
		as = np;
	}
	return b_next;
}

static int region(struct hist *h, size_t a0, size_t a1, size_t b0, size_t b1,
		  int depth)
{
	struct lcs l;
	size_t i, j;

	while (a0 < a1 || b0 < b1) {
		if (a0 == a1 || b0 == b1) {
			mark_all(h, a0, a1, b0, b1);
			return 0;
		}
		if (h->work > MAX_WORK) {
			mark_all(h, a0, a1, b0, b1);
			return 0;
		}
		h->work += (a1 - a0) + (b1 - b0);
		if (depth > MAX_DEPTH)
			return myers(h, a0, a1, b0, b1);
		/* index the old side: head = first occurrence, next = later */
		for (i = a1; i-- > a0;) {
			uint32_t id = h->a[i];

			h->next[i] = h->cnt[id] ? h->head[id] : NONE;
			h->head[id] = (uint32_t)i;
			if (h->cnt[id] < UINT32_MAX)
				h->cnt[id]++;
		}
		memset(&l, 0, sizeof(l));
		l.cnt = MAX_CHAIN + 1;
		for (j = b0; j < b1;)
			j = try_lcs(h, &l, j, a0, a1, b0, b1);
		for (i = a0; i < a1; i++)
			h->cnt[h->a[i]] = 0;
		if (l.has_common && l.cnt > MAX_CHAIN)
			return myers(h, a0, a1, b0, b1);
		if (!l.found) {
			mark_all(h, a0, a1, b0, b1);
			return 0;
		}
		if (region(h, a0, l.as, b0, l.bs, depth + 1) < 0)
			return -1;
		a0 = l.ae + 1;
		b0 = l.be + 1;
		depth++;
	}
	return 0;
}

static int push(struct diff_script *s, enum diff_edit_op op, size_t as,
		size_t al, size_t bs, size_t bl)
{
	struct diff_edit *e;

	if (s->n && s->edits[s->n - 1].op == op) {
		e = &s->edits[s->n - 1];
		e->a_len += al;
		e->b_len += bl;
		return 0;
	}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 16;
		struct diff_edit *ne = realloc(s->edits, na * sizeof(*ne));

		if (!ne)
			return -1;
		s->edits = ne;
		s->alloc = na;
	}
	e = &s->edits[s->n++];
	e->op = op;
	e->a_start = as, e->a_len = al;
	e->b_start = bs, e->b_len = bl;
	return 0;
}

/* Marks to runs: in each changed stretch the deletions come first. */
static int script(const char *da, size_t na, const char *ib, size_t nb,
		  struct diff_script *s)
{
	size_t i = 0, j = 0;

	while (i < na || j < nb) {
		if (i < na && da[i]) {
			if (push(s, DIFF_DELETE, i, 1, j, 0) < 0)
				return -1;
			i++;
		} else if (j < nb && ib[j]) {
			if (push(s, DIFF_INSERT, i, 0, j, 1) < 0)
				return -1;
			j++;
		} else {
			if (push(s, DIFF_EQUAL, i, 1, j, 1) < 0)
				return -1;
			i++, j++;
		}
	}
	return 0;
}

int diff_histogram(const uint32_t *a, size_t na, const uint32_t *b,
		   size_t nb, struct diff_script *out, struct err *e)
{
	struct hist h;
	size_t i, pre = 0, suf = 0;
	uint32_t nid = 0;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	h.a = a;
	h.b = b;
	for (i = 0; i < na; i++)
		if (a[i] >= nid)
			nid = a[i] + 1;
	for (i = 0; i < nb; i++)
		if (b[i] >= nid)
			nid = b[i] + 1;
	h.da = calloc(na + 1, 1);
	h.ib = calloc(nb + 1, 1);
	h.cnt = calloc((size_t)nid + 1, sizeof(uint32_t));
	h.head = calloc((size_t)nid + 1, sizeof(uint32_t));
	h.next = calloc(na + 1, sizeof(uint32_t));
	if (!h.da || !h.ib || !h.cnt || !h.head || !h.next)
		goto out;
	/* common ends first, as xdiff's preparation does */
	while (pre < na && pre < nb && a[pre] == b[pre])
		pre++;
	while (suf < na - pre && suf < nb - pre &&
	       a[na - 1 - suf] == b[nb - 1 - suf])
		suf++;
	if (region(&h, pre, na - suf, pre, nb - suf, 0) < 0 ||
	    script(h.da, na, h.ib, nb, out) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		err_set(e, "diff: out of memory (%zu and %zu elements)", na, nb);
	free(h.da);
	free(h.ib);
	free(h.cnt);
	free(h.head);
	free(h.next);
	return rc;
}

void diff_script_release(struct diff_script *s)
{
	if (!s)
		return;
	free(s->edits);
	memset(s, 0, sizeof(*s));
}

int diff_strings(const char *const *a, size_t na, const char *const *b,
		 size_t nb, struct diff_script *out, struct err *e)
{
	struct diff_intern t;
	uint32_t *ia = malloc((na + 1) * sizeof(*ia));
	uint32_t *ib = malloc((nb + 1) * sizeof(*ib));
	size_t i;
	long id;
	int rc = -1;

	if (!ia || !ib || diff_intern_init(&t, na + nb) < 0) {
		free(ia);
		free(ib);
		return err_set(e, "diff: out of memory");
	}
	for (i = 0; i < na; i++) {
		if ((id = diff_intern_id(&t, a[i], strlen(a[i]), NULL)) < 0) {
			err_set(e, "diff: out of memory");
			goto out;
		}
		ia[i] = (uint32_t)id;
	}
	for (i = 0; i < nb; i++) {
		if ((id = diff_intern_id(&t, b[i], strlen(b[i]), NULL)) < 0) {
			err_set(e, "diff: out of memory");
			goto out;
		}
		ib[i] = (uint32_t)id;
	}
	rc = diff_histogram(ia, na, ib, nb, out, e);
out:
	diff_intern_release(&t);
	free(ia);
	free(ib);
	return rc;
}
