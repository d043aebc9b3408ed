/* pdf: a PDF document's text as paragraphs (poppler-glib), read in a
 * child process with limits.  See pdf.h; the process that forks the
 * children is pdf-server.c's. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diff/pdf-internal.h"
#include "diff/pdf.h"
#include "diff/pdflib.h"
#include "util/digest.h"
#include "util/fdio.h"

int diff_is_pdf(const char *mime)
{
	return mime && (!strcasecmp(mime, "application/pdf") ||
			!strcasecmp(mime, "application/x-pdf"));
}

static void quiet_log(const gchar *domain, GLogLevelFlags level,
		      const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Append s[0..n) with whitespace and control characters collapsed to one
 * space (none at the start of the paragraph); *room: bytes still allowed. */
static int add_collapsed(struct buf *out, size_t start, const char *s,
			 size_t n, size_t *room)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= 0x20 || ch == 0x7f) {
			if (out->len == start || out->data[out->len - 1] == ' ')
				continue;
			ch = ' ';
		}
		if (!*room)
			return 1;
		if (buf_addc(out, (char)ch) < 0)
			return -1;
		(*room)--;
	}
	return 0;
}

/* End the paragraph begun at start: trailing space off, "\n" after it,
 * or nothing when it is empty. */
static int end_para(struct buf *out, size_t start, size_t *paras)
{
	while (out->len > start && out->data[out->len - 1] == ' ')
		buf_setlen(out, out->len - 1);
	if (out->len == start)
		return 0;
	(*paras)++;
	return buf_addc(out, '\n');
}

/* One page's text into paragraphs. */
static int page_paras(const struct pdflib *pl, PopplerPage *pg,
		      struct buf *out, size_t *paras, size_t *room)
{
	char *text = PDFLIB(pl, poppler_page_get_text)(pg);
	PopplerRectangle *r = NULL;
	guint nr = 0, ci = 0;
	const char *p, *end, *nl;
	double prev_y2 = 0, prev_h = 0;
	int have_prev = 0, rc = 0;
	size_t start = out->len;

	if (!text)
		return 0;
	if (!PDFLIB(pl, poppler_page_get_text_layout)(pg, &r, &nr))
		nr = 0;
	end = text + strlen(text);
	for (p = text; p < end && rc == 0; p = nl + 1) {
		const char *first;
		guint len_chars;
		int blank;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		len_chars = (guint)PDFLIB(pl, g_utf8_strlen)(p, nl - p);
		blank = 1;
		for (first = p; first < nl; first++)
			if ((unsigned char)*first > 0x20) {
				blank = 0;
				break;
			}
		if (blank) {
			rc = end_para(out, start, paras);
			start = out->len;
			have_prev = 0;
		} else {
			if (ci < nr) {
				guint k = ci + (guint)PDFLIB(pl, g_utf8_strlen)(
					p, first - p);
				double y1 = r[k < nr ? k : ci].y1;
				double y2 = r[k < nr ? k : ci].y2;
				double h = y2 - y1;

				/* a gap of more than half a line: a new
				 * paragraph */
				if (have_prev && (y1 - prev_y2 > 0.5 *
						  (prev_h > h ? prev_h : h) ||
						  y1 < prev_y2 - 2 * h)) {
					rc = end_para(out, start, paras);
					start = out->len;
				}
				prev_y2 = y2;
				prev_h = h;
				have_prev = 1;
			}
			if (rc == 0 && out->len > start && *room) {
				if (buf_addc(out, ' ') < 0)
					rc = -1;
				else
					(*room)--;
			}
			if (rc == 0)
				rc = add_collapsed(out, start, p,
						   (size_t)(nl - p), room);
		}
		ci += len_chars + 1;    /* the '\n' has its rectangle */
		if (nl == end)
			break;
	}
	if (rc >= 0 && end_para(out, start, paras) < 0)
		rc = -1;
	PDFLIB(pl, g_free)(r);
	PDFLIB(pl, g_free)(text);
	return rc;
}

/* poppler-glib's functions, or NULL with the note saying the library
 * could not be loaded. */
static const struct pdflib *load(char note[DIFF_PDF_NOTE_MAX])
{
	const struct pdflib *pl;
	char why[DIFF_PDF_NOTE_MAX - 16];

	if (!(pl = pdflib_load(why, sizeof(why))))
		snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: not read: %s", why);
	return pl;
}

/* The text, title (one line) and note of a document, in this process. */
static int pdf_read(const void *data, size_t len, struct buf *out,
		    struct buf *title, char note[DIFF_PDF_NOTE_MAX])
{
	const struct pdflib *pl;
	PopplerDocument *d;
	GBytes *bytes;
	GError *err = NULL;
	double t0 = now_s();
	size_t room = DIFF_MAX_TEXT, paras = 0;
	int n, i, rc = 0;

	note[0] = '\0';
	if (!(pl = load(note)))
		return 1;
	PDFLIB(pl, g_log_set_default_handler)(quiet_log, NULL);
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0) {
		/* poppler looks for the header in the first 1 KB */
		if (len < 5 || !memmem(data, len < 1024 ? len : 1024, "%PDF-", 5)) {
			snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: not a PDF "
				 "document (no %%PDF- header)");
			return 1;
		}
	}
	bytes = PDFLIB(pl, g_bytes_new_static)(data, len);
	d = PDFLIB(pl, poppler_document_new_from_bytes)(bytes, NULL, &err);
	if (!d) {
		int enc = err &&
			err->domain == PDFLIB(pl, poppler_error_quark)() &&
			err->code == POPPLER_ERROR_ENCRYPTED;

		snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: %s",
			 enc ? "encrypted (a password is needed)" :
			 "damaged or unreadable (poppler could not open it)");
		if (err)
			PDFLIB(pl, g_error_free)(err);
		PDFLIB(pl, g_bytes_unref)(bytes);
		return 1;
	}
	if (title) {
		gchar *t = PDFLIB(pl, poppler_document_get_title)(d);
		size_t troom = 1024;

		if (t && add_collapsed(title, 0, t, strlen(t), &troom) < 0)
			rc = -1;
		while (title->len && title->data[title->len - 1] == ' ')
			buf_setlen(title, title->len - 1);
		PDFLIB(pl, g_free)(t);
	}
	n = PDFLIB(pl, poppler_document_get_n_pages)(d);
	for (i = 0; i < n && rc == 0; i++) {
		PopplerPage *pg;

		if (i == DIFF_PDF_MAX_PAGES) {
			snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: %d pages, only "
				 "the first %d read", n, DIFF_PDF_MAX_PAGES);
			break;
		}
		if (now_s() - t0 > DIFF_PDF_MAX_SECONDS) {
			snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: reading stopped "
				 "after %d s, at page %d of %d",
				 DIFF_PDF_MAX_SECONDS, i + 1, n);
			break;
		}
		if (!room || paras >= DIFF_MAX_BLOCKS) {
			snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: text over the "
				 "limit, cut at page %d of %d", i + 1, n);
			break;
		}
		pg = PDFLIB(pl, poppler_document_get_page)(d, i);
		if (!pg)
			continue;
		if (page_paras(pl, pg, out, &paras, &room) < 0)
			rc = -1;
		PDFLIB(pl, g_object_unref)(pg);
	}
	PDFLIB(pl, g_object_unref)(d);
	PDFLIB(pl, g_bytes_unref)(bytes);
	if (rc == 0 && !paras) {
		snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: no text found in %d "
			 "page%s (scanned images, or damaged)", n,
			 n == 1 ? "" : "s");
		return 1;
	}
	return rc;
}

int diff_pdf_text(const void *data, size_t len, struct buf *out,
		  char note[DIFF_PDF_NOTE_MAX])
{
	return pdf_read(data, len, out, NULL, note);
}

/* ---- in a child process ---- */

/* The child: "RC\tNOTE\nTITLE\n" then the paragraphs, on fd. */
static void child(int fd, const void *data, size_t len)
{
	struct buf text = BUF_INIT(0), title = BUF_INIT(0), head = BUF_INIT(0);
	char note[DIFF_PDF_NOTE_MAX];
	int null = open("/dev/null", O_WRONLY), rc;

	/* nothing of the parent's (its WARC files, the catalog, sockets,
	 * the stdout a script reads) stays open here */
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0u, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#ifndef __SANITIZE_ADDRESS__
	{
		struct rlimit rl = { DIFF_PDF_MAX_MEMORY, DIFF_PDF_MAX_MEMORY };

		setrlimit(RLIMIT_AS, &rl);
	}
#endif
	alarm(DIFF_PDF_KILL_SECONDS);
	rc = pdf_read(data, len, &text, &title, note);
	if (rc < 0) {
		snprintf(note, sizeof(note), "pdf: out of memory reading it");
		rc = 1;
	}
	if (buf_addf(&head, "%d\t%s\n%s\n", rc, note,
		     title.data ? title.data : "") < 0 ||
	    fd_write_all(fd, head.data, head.len) < 0 ||
	    (rc == 0 && fd_write_all(fd, text.data, text.len) < 0))
		_exit(1);
	_exit(0);
}

/* Read the child's answer (at most max bytes) until EOF or the deadline. */
static int read_child(int fd, pid_t pid, struct buf *ans, size_t max,
		      int *killed)
{
	double deadline = now_s() + DIFF_PDF_KILL_SECONDS + 1;
	char tmp[65536];

	*killed = 0;
	for (;;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		double left = deadline - now_s();
		ssize_t r;
		int pr;

		if (left <= 0) {
			kill(pid, SIGKILL);
			*killed = 1;
			return 0;
		}
		pr = poll(&pf, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		r = read(fd, tmp, sizeof(tmp));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		if (ans->len + (size_t)r > max) {
			kill(pid, SIGKILL);
			*killed = 1;
			return 0;
		}
		if (buf_add(ans, tmp, (size_t)r) < 0)
			return -1;
	}
}

/* Build the page from the child's paragraphs. */
static int to_page(const char *title, const char *p, const char *end,
		   struct diff_page *out)
{
	struct buf joined = BUF_INIT(0);
	size_t n = 0, alloc = 0;
	const char *nl;

	if (!(out->title = strdup(title)))
		return -1;
	snprintf(out->rule, sizeof(out->rule), "pdf");
	for (; p < end; p = nl + 1) {
		struct diff_block *t;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl == p)
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 32;
			t = realloc(out->blocks, alloc * sizeof(*t));
			if (!t)
				goto nomem;
			out->blocks = t;
		}
		out->blocks[n].kind = DIFF_BK_P;
		out->blocks[n].len = (size_t)(nl - p);
		if (!(out->blocks[n].text = strndup(p, (size_t)(nl - p))))
			goto nomem;
		out->n_blocks = ++n;
		if (nl == end)
			break;
	}
	if (diff_page_text(out, &joined) < 0)
		goto nomem;
	digest_sha1_label(joined.data, joined.len, out->text_digest);
	buf_release(&joined);
	return 0;
nomem:
	buf_release(&joined);
	return -1;
}

/* poppler builds its global parameters (built-in fonts, Unicode maps)
 * when a document opens while no other is open, and drops them when the
 * last one closes: in a forked child that was a third of the child's CPU.
 * One tiny document kept open in this process from the first PDF on means
 * every child inherits them built. */
static const char KEEP_PDF[] =
	"%PDF-1.4\n"
	"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
	"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>\n"
	"endobj\n"
	"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
	"0000000058 00000 n \n0000000115 00000 n \n"
	"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n182\n%%EOF\n";

/* 0, or 1 with note set when the library cannot be loaded. */
static int keep_params(char note[DIFF_PDF_NOTE_MAX])
{
	static PopplerDocument *keep;
	static int tried;
	const struct pdflib *pl;
	GBytes *bytes;

	if (!(pl = load(note)))
		return 1;
	if (tried)
		return 0;
	tried = 1;
	bytes = PDFLIB(pl, g_bytes_new_static)(KEEP_PDF, sizeof(KEEP_PDF) - 1);
	keep = PDFLIB(pl, poppler_document_new_from_bytes)(bytes, NULL, NULL);
	/* the document holds its own reference */
	PDFLIB(pl, g_bytes_unref)(bytes);
	(void)keep;
	return 0;
}

int pdf_note_answer(struct buf *ans, const char *note)
{
	buf_reset(ans);
	return buf_addf(ans, "1\t%s\n\n", note);
}

int pdf_child_answer(const void *data, size_t len, struct buf *ans,
		     struct err *e)
{
	int fds[2], status = 0, killed = 0, oom;
	char note[DIFF_PDF_NOTE_MAX];
	pid_t pid;

	buf_reset(ans);
	if (keep_params(note))
		return pdf_note_answer(ans, note) < 0 ?
			err_set(e, "pdf: out of memory") : 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return err_set(e, "pdf: pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return err_set(e, "pdf: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], data, len);
	}
	close(fds[1]);
	oom = read_child(fds[0], pid, ans, DIFF_PDF_ANSWER_MAX, &killed) < 0;
	if (oom)
		kill(pid, SIGKILL);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (oom)
		return err_set(e, "pdf: out of memory");
	if (killed || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (pdf_note_answer(ans, killed ?
				    "pdf: reading it took too long or too much "
				    "text: stopped" : WIFSIGNALED(status) ?
				    "pdf: reading it failed (over the memory "
				    "limit, or a crash in the PDF library)" :
				    "pdf: reading it failed") < 0)
			return err_set(e, "pdf: out of memory");
	}
	return 0;
}

int pdf_answer_page(struct buf *ans, struct diff_page *out,
		    char note[DIFF_PDF_NOTE_MAX], struct err *e)
{
	char *nl, *title;

	diff_page_init(out);
	note[0] = '\0';
	if (!ans->len || !(nl = memchr(ans->data, '\n', ans->len)) ||
	    (ans->data[0] != '0' && ans->data[0] != '1') ||
	    ans->data[1] != '\t') {
		snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: reading it failed");
		return 1;
	}
	*nl = '\0';
	snprintf(note, DIFF_PDF_NOTE_MAX, "%s", ans->data + 2);
	if (ans->data[0] == '1')
		return 1;
	title = nl + 1;
	nl = memchr(title, '\n', ans->len - (size_t)(title - ans->data));
	if (!nl) {
		snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: reading it failed");
		return 1;
	}
	*nl = '\0';
	if (to_page(title, nl + 1, ans->data + ans->len, out) < 0) {
		diff_page_release(out);
		return err_set(e, "pdf: out of memory");
	}
	return 0;
}
