/* site-pdf: the replica's PDF documents, and the hostile ones.
 *
 * Every /sites/default/files/.../NAME.pdf a page links is a small but
 * valid PDF (exact xref offsets) written here: a Title and CreationDate
 * in its Info dictionary, a heading and 4-6 paragraphs of prose seeded by
 * its path, each paragraph wrapped into lines (14 points apart, paragraphs
 * 28 apart), one page.  Each version step picks documents by a hash of the
 * path: a quarter are edited (one paragraph rewritten, a new CreationDate),
 * a quarter re-exported (a new CreationDate and producer, the same text:
 * new bytes, no text change), the rest stay byte for byte the same.
 *
 * /sites/default/files/hostile/ (linked from nowhere; tests seed them):
 * encrypted.pdf (a Standard security handler /Encrypt dictionary with a
 * user password), truncated.pdf (a document cut in its content stream,
 * no xref), malformed.pdf (a %PDF- header, then garbage), pages-600.pdf
 * (600 one-line pages: over the extractor's page limit) and good.pdf.
 */
#include "site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const who[] = {
	"The Committee", "The Department", "This document", "The review",
	"The working group", "The Secretariat", "The Minister", "The Board",
};
static const char *const does[] = {
	"recommends", "sets out", "summarises", "describes", "confirms",
	"proposes", "records", "considers",
};
static const char *const what[] = {
	"the revised consultation process", "the terms of reference",
	"the funding arrangements for the next three years",
	"the findings of the independent panel",
	"the principles for engagement with iwi",
	"the timeline for implementation", "the roles of lead agencies",
	"the measures of progress", "the arrangements for reporting",
};
static const char *const why[] = {
	"before the end of the financial year", "as agreed by Cabinet",
	"following public submissions", "with effect from 1 July",
	"subject to further advice", "in each region",
};

/* 1 when step (1: v1->v2, 2: v2->v3) edits the document, 2 when it
 * re-exports it, 0 when it leaves it alone. */
static int step_kind(const char *path, int step)
{
	unsigned h = (unsigned)((site_hash(path, 4000 + 1000 * (uint64_t)step)
				 >> 17) % 4);

	return h == 0 ? 1 : h == 1 ? 2 : 0;
}

int site_pdf_text_differs(const char *path, int from, int to)
{
	for (int s = from; s < to; s++)
		if (step_kind(path, s) == 1)
			return 1;
	return 0;
}

static unsigned n_paras(const char *path)
{
	return 4 + (unsigned)(site_hash(path, 401) % 3);
}

/* The last step up to version that edited paragraph i (0: none). */
static int para_step(const char *path, unsigned i, int version)
{
	int last = 0;

	for (int s = 1; s < version; s++)
		if (step_kind(path, s) == 1 &&
		    site_hash(path, 410 + (uint64_t)s) % n_paras(path) == i)
			last = s;
	return last;
}

/* How many times the document was exported up to version. */
static int exports(const char *path, int version)
{
	int n = 0;

	for (int s = 1; s < version; s++)
		n += step_kind(path, s) != 0;
	return n;
}

static void paragraph(struct buf *b, uint64_t seed)
{
	struct site_rng r;
	unsigned n;

	site_rng_seed(&r, seed);
	n = 2 + site_rng_below(&r, 3);
	for (unsigned i = 0; i < n; i++)
		buf_addf(b, "%s%s %s %s %s.", i ? " " : "",
			 who[site_rng_below(&r, N(who))],
			 does[site_rng_below(&r, N(does))],
			 what[site_rng_below(&r, N(what))],
			 why[site_rng_below(&r, N(why))]);
}

/* A PDF string literal's bytes (no parentheses or backslashes to escape
 * in the generated text; anything else non-ASCII is left out). */
static void pdf_str(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '(');
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '(' && s[i] != ')' &&
		    s[i] != '\\')
			buf_addc(b, s[i]);
	buf_addc(b, ')');
}

/* Lines of at most 70 characters, at y, 14 points apart; returns the y
 * after them. */
static int wrap(struct buf *c, const char *s, int y)
{
	size_t n = strlen(s);

	while (n) {
		size_t take = n;

		if (take > 70) {
			take = 70;
			while (take > 1 && s[take] != ' ')
				take--;
		}
		buf_addf(c, "1 0 0 1 72 %d Tm ", y);
		pdf_str(c, s, take);
		buf_adds(c, " Tj\n");
		y -= 14;
		s += take;
		n -= take;
		while (n && *s == ' ') {
			s++;
			n--;
		}
	}
	return y;
}

/* A PDF: Info (title, date, producer), one font, pages with the given
 * content streams; objects numbered in order, xref offsets exact. */
static void write_pdf(struct buf *b, const char *title, const char *date,
		      const char *producer, struct buf *contents, int pages,
		      const char *encrypt)
{
	size_t *off = calloc((size_t)(2 * pages + 6), sizeof(*off));
	int nobj = 4 + 2 * pages, o;

	if (!off)
		return;
	buf_adds(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
	off[1] = b->len;
	buf_adds(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = b->len;
	buf_adds(b, "2 0 obj\n<< /Type /Pages /Kids [");
	for (int i = 0; i < pages; i++)
		buf_addf(b, "%s%d 0 R", i ? " " : "", 5 + 2 * i);
	buf_addf(b, "] /Count %d >>\nendobj\n", pages);
	off[3] = b->len;
	buf_adds(b, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
		 " >>\nendobj\n");
	off[4] = b->len;
	buf_adds(b, "4 0 obj\n<< /Title ");
	pdf_str(b, title, strlen(title));
	buf_addf(b, " /CreationDate (D:%s) /Producer ", date);
	pdf_str(b, producer, strlen(producer));
	buf_adds(b, " >>\nendobj\n");
	for (int i = 0; i < pages; i++) {
		o = 5 + 2 * i;
		off[o] = b->len;
		buf_addf(b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox "
			 "[0 0 595 842] /Contents %d 0 R /Resources << /Font "
			 "<< /F1 3 0 R >> >> >>\nendobj\n", o, o + 1);
		off[o + 1] = b->len;
		buf_addf(b, "%d 0 obj\n<< /Length %zu >>\nstream\n", o + 1,
			 contents[i].len);
		buf_add(b, contents[i].data, contents[i].len);
		buf_adds(b, "endstream\nendobj\n");
	}
	if (encrypt) {
		off[nobj + 1] = b->len;
		buf_addf(b, "%d 0 obj\n%s\nendobj\n", nobj + 1, encrypt);
		nobj++;
	}
	off[0] = b->len;
	buf_addf(b, "xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
	for (int i = 1; i <= nobj; i++)
		buf_addf(b, "%010zu 00000 n \n", off[i]);
	buf_addf(b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R", nobj + 1);
	if (encrypt)
		buf_addf(b, " /Encrypt %d 0 R /ID [<0123456789abcdef0123456789"
			 "abcdef> <0123456789abcdef0123456789abcdef>]", nobj);
	buf_addf(b, " >>\nstartxref\n%zu\n%%%%EOF\n", off[0]);
	free(off);
}

void site_pdf_make(struct buf *b, const char *path, int version)
{
	const char *slash = strrchr(path, '/');
	struct buf c = BUF_INIT(0), para = BUF_INIT(0), title = BUF_INIT(0);
	int y = 770, n = exports(path, version);
	char date[64];
	unsigned np = n_paras(path);

	/* the title: the file name, dashes as spaces */
	for (const char *p = slash ? slash + 1 : path; *p && strcmp(p, ".pdf"); p++)
		buf_addc(&title, *p == '-' ? ' ' : *p);
	buf_adds(&c, "BT /F1 16 Tf\n");
	y = wrap(&c, title.data, y) - 14;
	buf_adds(&c, "/F1 11 Tf\n");
	for (unsigned i = 0; i < np; i++) {
		buf_reset(&para);
		paragraph(&para, site_hash(path, 500 + 10 * (uint64_t)i +
					   (uint64_t)para_step(path, i, version)));
		y = wrap(&c, para.data, y) - 14;
	}
	buf_adds(&c, "ET\n");
	snprintf(date, sizeof(date), "202%d0%d0%d120000Z", 3 + n % 7,
		 1 + n % 9, 1 + n % 9);
	write_pdf(b, title.data, date, n ? "govarch-site re-export" :
		  "govarch-site", &c, 1, NULL);
	buf_release(&c);
	buf_release(&para);
	buf_release(&title);
}

int site_pdf_hostile(const char *name, struct buf *b)
{
	struct buf c[600];
	int pages = 1;
	const char *enc = NULL;

	memset(c, 0, sizeof(c));
	buf_init(&c[0], 0);
	buf_adds(&c[0], "BT /F1 11 Tf 1 0 0 1 72 770 Tm (A hostile document "
		 "for the crawler.) Tj ET\n");
	if (!strcmp(name, "encrypted.pdf")) {
		/* RC4 40-bit, user password "secret": O and U made up, so no
		 * reader can open it without the password */
		enc = "<< /Filter /Standard /V 1 /R 2 /P -44 "
		      "/O <6c2f1b1a0f3e4d5c6b7a89983746556473829100aabbccddeeff001122334455> "
		      "/U <1f2e3d4c5b6a79880011223344556677f0e1d2c3b4a5968778695a4b3c2d1e0f> >>";
	} else if (!strcmp(name, "pages-600.pdf")) {
		pages = 600;
		for (int i = 1; i < pages; i++) {
			buf_init(&c[i], 0);
			buf_addf(&c[i], "BT /F1 11 Tf 1 0 0 1 72 770 Tm (Page %d "
				 "of a very long document.) Tj ET\n", i + 1);
		}
	} else if (!strcmp(name, "malformed.pdf")) {
		buf_adds(b, "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R "
			 ">>\nendobj\n<<<< ]] garbage >> stream\n\x01\x02\x03 "
			 "no xref, no trailer\n");
		buf_release(&c[0]);
		return 1;
	} else if (strcmp(name, "truncated.pdf") && strcmp(name, "good.pdf")) {
		buf_release(&c[0]);
		return 0;
	}
	write_pdf(b, name, "20240101120000Z", "govarch-site", c, pages, enc);
	if (!strcmp(name, "truncated.pdf"))
		buf_setlen(b, b->len / 3);
	for (int i = 0; i < pages; i++)
		buf_release(&c[i]);
	return 1;
}

/* PDF lines of `--changes`: documents linked in one version and not the
 * other (added, removed), and those whose text an edit changed. */
void site_pdf_changes(const struct site *s, int from, int to, struct buf *out)
{
	struct buf a = BUF_INIT(0), z = BUF_INIT(0);

	site_list(s, SITE_LIST_REQUISITES, from, &a);
	site_list(s, SITE_LIST_REQUISITES, to, &z);
	for (int side = 0; side < 2; side++) {
		struct buf *x = side ? &z : &a, *y = side ? &a : &z;

		for (char *p = x->data, *nl; *p; p = nl + 1) {
			char line[1024];
			size_t n;

			nl = strchr(p, '\n');
			if (!nl)
				break;
			n = (size_t)(nl - p);
			if (n < 5 || n >= sizeof(line) - 2 ||
			    memcmp(nl - 4, ".pdf", 4))
				continue;
			snprintf(line, sizeof(line), "\n%.*s\n", (int)n, p);
			if (!strstr(y->data, line) &&
			    strncmp(y->data, line + 1, n + 1))
				buf_addf(out, "%s\t%.*s\n", side ? "added" :
					 "removed", (int)n, p);
		}
	}
	/* edited: in both, text changed */
	for (char *p = a.data, *nl; *p; p = nl + 1) {
		char path[1024], line[1026];
		size_t n;

		nl = strchr(p, '\n');
		if (!nl)
			break;
		n = (size_t)(nl - p);
		if (n < 5 || n >= sizeof(path) || memcmp(nl - 4, ".pdf", 4))
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)n, p);
		snprintf(line, sizeof(line), "\n%s\n", path);
		if ((strstr(z.data, line) || !strncmp(z.data, line + 1, n + 1)) &&
		    site_pdf_text_differs(path, from, to))
			buf_addf(out, "edited\t%s\n", path);
	}
	buf_release(&a);
	buf_release(&z);
}
