/* catalog output: a diff of two captures, the changes list as text, json,
 * html or atom, and ARCHIVE/changes.atom with its html diffs. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog-int.h"
#include "diff/diff.h"
#include "diff/render.h"
#include "util/digest.h"
#include "util/escape.h"
#include "util/fdio.h"
#include "util/timeutil.h"

#define ATOM_MAX_PAIRS 50   /* crawl pairs looked at for the feed */

/* 1 when other has a block with this text. */
static int ignored_in(const struct diff_page *other, const char *text)
{
	size_t i;

	for (i = 0; i < other->n_blocks; i++)
		if (!strcmp(other->blocks[i].text, text))
			return 1;
	return 0;
}

/* One ignored block of either side ('-' FROM only, '+' TO only) in the
 * format's own way. */
static int put_ignored(struct buf *out, enum diff_format f,
		       const char *pattern, char side, const char *text,
		       int first)
{
	if (f == DIFF_FMT_JSON)
		return buf_adds(out, first ? "" : ",") < 0 ||
			buf_adds(out, "{\"pattern\":") < 0 ||
			escape_json(out, pattern, strlen(pattern)) < 0 ||
			buf_addf(out, ",\"side\":\"%s\",\"text\":",
				 side == '-' ? "from" : "to") < 0 ||
			escape_json(out, text, strlen(text)) < 0 ||
			buf_addc(out, '}') < 0 ? -1 : 0;
	if (f == DIFF_FMT_HTML)
		return buf_adds(out, "<li>ignored (ignore-text <code>") < 0 ||
			escape_html(out, pattern, strlen(pattern)) < 0 ||
			buf_addf(out, "</code>): %s", side == '-' ?
				 "<del>" : "<ins>") < 0 ||
			escape_html(out, text, strlen(text)) < 0 ||
			buf_adds(out, side == '-' ? "</del></li>\n" :
				 "</ins></li>\n") < 0 ? -1 : 0;
	return buf_addf(out, "ignored (ignore-text %s): %c%s\n", pattern, side,
			text);
}

/* pre, body, post inserted into out at byte at. */
static int insert_at(struct buf *out, size_t at, const char *pre,
		     const struct buf *body, const char *post)
{
	struct buf tail = BUF_INIT(0);
	int rc;

	rc = buf_add(&tail, out->data + at, out->len - at);
	if (rc == 0) {
		buf_setlen(out, at);
		rc = buf_adds(out, pre) < 0 ||
			buf_add(out, body->data, body->len) < 0 ||
			buf_adds(out, post) < 0 ||
			buf_add(out, tail.data, tail.len) < 0 ? -1 : 0;
	}
	buf_release(&tail);
	return rc;
}

/* The blocks the ignore-text rules left out of the comparison, those that
 * are not the same on both sides, appended to the rendering: text and
 * word after it, html as a section before </body>, json as an "ignored"
 * array in the top object. */
static int add_ignored(struct buf *out, enum diff_format f,
		       const struct diff_rules *r, const struct diff_page *ia,
		       const struct diff_page *ib, struct err *e)
{
	struct buf sec = BUF_INIT(0);
	size_t i, n = 0, at;
	const char *end;
	int rc = 0;

	for (i = 0; i < ia->n_blocks + ib->n_blocks && rc == 0; i++) {
		int a = i < ia->n_blocks;
		const char *t = a ? ia->blocks[i].text
			: ib->blocks[i - ia->n_blocks].text;
		int k = diff_rules_ignored(r, t);

		if (k < 0 || ignored_in(a ? ib : ia, t))
			continue;
		rc = put_ignored(&sec, f, r->ignore_text[k], a ? '-' : '+', t,
				 n++ == 0);
	}
	if (rc == 0 && n) {
		if (f == DIFF_FMT_JSON) {
			end = out->len ? strrchr(out->data, '}') : NULL;
			at = end ? (size_t)(end - out->data) : out->len;
			rc = insert_at(out, at, ",\"ignored\":[", &sec, "]");
		} else if (f == DIFF_FMT_HTML) {
			end = out->len ? strstr(out->data, "</body>") : NULL;
			at = end ? (size_t)(end - out->data) : out->len;
			rc = insert_at(out, at, "<section class=\"ignored\">"
				       "<h2>Ignored lines</h2>\n<ul>\n", &sec,
				       "</ul></section>\n");
		} else {
			rc = buf_add(out, sec.data, sec.len);
		}
	}
	buf_release(&sec);
	return rc < 0 ? err_set(e, "diff: out of memory") : 0;
}

int catalog_render_diff(struct catalog *c, const struct catalog_capture *a,
			const struct catalog_capture *b, const char *fmt,
			struct buf *out, struct err *e)
{
	struct diff_page pa, pb, ia, ib;
	struct diff_rules rules;
	struct diff_result r;
	struct diff_render_opts o;
	char ta[32], tb[32];
	int f = diff_format_parse(fmt ? fmt : "text"), rc = -1, ra, rb;

	if (f < 0)
		return err_set(e, "'%s': no such diff format (text, word, html, "
			       "json)", fmt);
	diff_page_init(&pa);
	diff_page_init(&pb);
	diff_page_init(&ia);
	diff_page_init(&ib);
	diff_rules_init(&rules);
	memset(&r, 0, sizeof(r));
	ra = cat_capture_page(c, a, &pa, e);
	rb = ra < 0 ? -1 : cat_capture_page(c, b, &pb, e);
	if (ra < 0 || rb < 0)
		goto out;
	if (!ra || !rb) {
		const struct catalog_capture *x = !ra ? a : b;

		err_set(e, "%s: capture %s (%s at %llu, HTTP %d, %s) has no "
			"extracted text", x->url, x->ts, x->warc_file,
			(unsigned long long)x->offset, x->eff_status, x->mime);
		goto out;
	}
	/* ignore-text of the later capture's crawl, as `changes` has it */
	if (cat_crawl_rules(c, b->crawl_id, &rules, e) < 0)
		goto out;
	if (diff_page_split_ignored(&pa, &rules, &ia) < 0 ||
	    diff_page_split_ignored(&pb, &rules, &ib) < 0) {
		err_set(e, "%s: out of memory", b->url);
		goto out;
	}
	if (diff_pages(&pa, &pb, &r, e) < 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.url = b->url;
	time_iso(a->date, ta);
	time_iso(b->date, tb);
	o.from_timestamp = ta;
	o.to_timestamp = tb;
	rc = diff_render((enum diff_format)f, &r, &o, out, e);
	if (rc == 0)
		rc = add_ignored(out, (enum diff_format)f, &rules, &ia, &ib, e);
out:
	diff_result_release(&r);
	diff_page_release(&pa);
	diff_page_release(&pb);
	diff_page_release(&ia);
	diff_page_release(&ib);
	diff_rules_release(&rules);
	return rc;
}

int catalog_text_differs(struct catalog *c, const struct catalog_capture *a,
			 const struct catalog_capture *b, struct err *e)
{
	struct diff_rules rules;
	int rc;

	if (!a->text_digest || !b->text_digest)
		return a->text_digest != b->text_digest;
	if (!strcmp(a->text_digest, b->text_digest))
		return 0;
	if (cat_crawl_rules(c, b->crawl_id, &rules, e) < 0) {
		diff_rules_release(&rules);
		return -1;
	}
	rc = cat_only_ignored(c, &rules, a, b, e);
	diff_rules_release(&rules);
	return rc < 0 ? -1 : !rc;
}

/* ---- changes: text, json, html ---- */

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

/* "START" or, for a crawl that did not finish complete, "START, partial:
 * REASON" (or "START, STATUS": interrupted, running, failed). */
static void crawl_label(const char *start, const char *status,
			const char *reason, char out[200])
{
	char t[32];

	time_iso(start, t);
	if (!strcmp(status, "complete") || !strcmp(status, "imported") ||
	    !*status)
		snprintf(out, 200, "%s", t);
	else if (*reason)
		snprintf(out, 200, "%s, %s: %s", t, status, reason);
	else
		snprintf(out, 200, "%s, %s", t, status);
}

/* KIND, or over a span the kinds of every step: "added,edited". */
static void put_kinds(struct buf *out, const struct catalog_change *c)
{
	size_t k;

	if (!c->nsteps) {
		buf_adds(out, catalog_kind_name(c->kind));
		return;
	}
	for (k = 0; k < c->nsteps; k++)
		buf_addf(out, "%s%s", k ? "," : "",
			 catalog_kind_name(c->steps[k].kind));
}

static int fmt_text(const struct catalog_changes *ch, struct buf *out)
{
	char tf[200], tt[200];
	size_t i;

	crawl_label(ch->from_start, ch->from_status, ch->from_reason, tf);
	crawl_label(ch->to_start, ch->to_status, ch->to_reason, tt);
	if (ch->ncrawls)
		buf_addf(out, "# changes from crawl %lld (%s) to crawl %lld (%s) "
			 "over %zu crawls: %zu\n", (long long)ch->from_crawl, tf,
			 (long long)ch->to_crawl, tt, ch->ncrawls, ch->n);
	else
		buf_addf(out, "# changes from crawl %lld (%s) to crawl %lld (%s): "
			 "%zu\n", (long long)ch->from_crawl, tf,
			 (long long)ch->to_crawl, tt, ch->n);
	for (i = 0; i < ch->n; i++) {
		const struct catalog_change *c = &ch->v[i];

		put_kinds(out, c);
		buf_addf(out, "\t%s\t%s\t%s\t%s\n", dash(c->url),
			 dash(c->last_updated_from), dash(c->last_updated_to),
			 dash(c->summary));
	}
	return 0;
}

static void json_str_or_null(struct buf *out, const char *s)
{
	if (s && *s)
		escape_json(out, s, strlen(s));
	else
		buf_adds(out, "null");
}

static void json_lines(struct buf *out, const char *s)
{
	const char *p, *nl;
	int first = 1;

	buf_addc(out, '[');
	for (p = s; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (!first)
			buf_addc(out, ',');
		first = 0;
		escape_json(out, p, (size_t)(nl - p));
		if (!*nl)
			break;
	}
	buf_addc(out, ']');
}

/* A capture's timestamp in JSON: ISO 8601, or null when there is none. */
static void json_time(struct buf *out, const char *ts)
{
	char iso[32];

	if (!ts || !*ts) {
		buf_adds(out, "null");
		return;
	}
	time_iso(ts, iso);
	json_str_or_null(out, iso);
}

/* ,"SIDE_file":"F","SIDE_offset":N (nulls when there is no such capture). */
static void json_record(struct buf *out, const char *side, const char *file,
			uint64_t offset)
{
	buf_addf(out, ",\"%s_file\":", side);
	json_str_or_null(out, file);
	if (file)
		buf_addf(out, ",\"%s_offset\":%llu", side,
			 (unsigned long long)offset);
	else
		buf_addf(out, ",\"%s_offset\":null", side);
}

static void json_status(struct buf *out, const char *status,
			const char *reason)
{
	buf_adds(out, ",\"status\":");
	json_str_or_null(out, status);
	buf_adds(out, ",\"reason\":");
	json_str_or_null(out, reason);
}

static const char *span_start(const struct catalog_changes *ch, int64_t id)
{
	size_t k;

	for (k = 0; k < ch->ncrawls; k++)
		if (ch->crawls[k].id == id)
			return ch->crawls[k].start;
	return "";
}

/* One change's members (no braces); a step of a span starts with its crawl
 * and that crawl's start. */
static void json_change(struct buf *out, const struct catalog_changes *ch,
			const struct catalog_change *c, int step)
{
	size_t k;

	if (step) {
		buf_addf(out, "\"crawl\":%lld,\"start\":", (long long)c->crawl);
		json_time(out, span_start(ch, c->crawl));
		buf_addc(out, ',');
	}
	buf_adds(out, "\"url\":");
	json_str_or_null(out, c->url);
	if (!step && c->nsteps) {
		buf_adds(out, ",\"kinds\":[");
		for (k = 0; k < c->nsteps; k++)
			buf_addf(out, "%s\"%s\"", k ? "," : "",
				 catalog_kind_name(c->steps[k].kind));
		buf_addc(out, ']');
	} else {
		buf_addf(out, ",\"kind\":\"%s\"", catalog_kind_name(c->kind));
	}
	buf_adds(out, ",\"from\":");
	json_time(out, c->from_ts);
	buf_adds(out, ",\"to\":");
	json_time(out, c->to_ts);
	json_record(out, "from", c->from_file, c->from_offset);
	json_record(out, "to", c->to_file, c->to_offset);
	buf_adds(out, ",\"last_updated_from\":");
	json_str_or_null(out, c->last_updated_from);
	buf_adds(out, ",\"last_updated_to\":");
	json_str_or_null(out, c->last_updated_to);
	if (c->kind == CATALOG_REDIRECTED || c->kind == CATALOG_MOVED) {
		buf_adds(out, ",\"target\":");
		json_str_or_null(out, c->target);
	}
	if (c->kind == CATALOG_SITEWIDE && !c->nsteps) {
		buf_addf(out, ",\"pages\":%zu,\"removed\":", c->pages);
		json_lines(out, c->removed);
		buf_adds(out, ",\"added\":");
		json_lines(out, c->added);
		if (c->link_change[0]) {
			buf_adds(out, ",\"link\":{\"url\":");
			json_str_or_null(out, c->target);
			buf_addf(out, ",\"change\":\"%s\"}", c->link_change);
		}
	}
	buf_adds(out, ",\"summary\":");
	escape_json(out, c->summary ? c->summary : "",
		    c->summary ? strlen(c->summary) : 0);
	if (!step && c->nsteps) {
		buf_adds(out, ",\"steps\":[");
		for (k = 0; k < c->nsteps; k++) {
			buf_adds(out, k ? ",{" : "{");
			json_change(out, ch, &c->steps[k], 1);
			buf_addc(out, '}');
		}
		buf_addc(out, ']');
	}
}

static int fmt_json(const struct catalog_changes *ch, struct buf *out)
{
	size_t i;

	buf_addf(out, "{\"from\":{\"crawl\":%lld,\"start\":",
		 (long long)ch->from_crawl);
	json_time(out, ch->from_start);
	json_status(out, ch->from_status, ch->from_reason);
	buf_addf(out, "},\"to\":{\"crawl\":%lld,\"start\":",
		 (long long)ch->to_crawl);
	json_time(out, ch->to_start);
	json_status(out, ch->to_status, ch->to_reason);
	buf_adds(out, "},");
	if (ch->ncrawls) {
		buf_adds(out, "\"crawls\":[");
		for (i = 0; i < ch->ncrawls; i++) {
			buf_addf(out, "%s{\"crawl\":%lld,\"start\":", i ? "," : "",
				 (long long)ch->crawls[i].id);
			json_time(out, ch->crawls[i].start);
			buf_addc(out, '}');
		}
		buf_adds(out, "],");
	}
	buf_adds(out, "\"changes\":[");
	for (i = 0; i < ch->n; i++) {
		buf_adds(out, i ? ",\n{" : "\n{");
		json_change(out, ch, &ch->v[i], 0);
		buf_adds(out, "}");
	}
	buf_adds(out, ch->n ? "\n]}\n" : "]}\n");
	return 0;
}

static void esc(struct buf *out, const char *s)
{
	escape_html(out, s ? s : "", s ? strlen(s) : 0);
}

static void diff_cmd(struct buf *out, const struct catalog_change *c)
{
	buf_adds(out, "govarch diff ");
	buf_adds(out, c->url);
	buf_addf(out, " %s %s", c->from_ts, c->to_ts);
}

static int has_diff(const struct catalog_change *c)
{
	return (c->kind == CATALOG_EDITED || c->kind == CATALOG_SILENT ||
		c->kind == CATALOG_DATE_ONLY) && c->from_ts[0] && c->to_ts[0];
}

static void diff_file_of(int64_t from, int64_t to, const char *url,
			 char out[128]);
static int write_diff_file(struct catalog *c, int64_t from, int64_t to,
			   const struct catalog_change *chg, struct err *e);

/* The crawl before id in a span (the FROM crawl of that step). */
static int64_t span_prev(const struct catalog_changes *ch, int64_t id)
{
	size_t k;

	for (k = 1; k < ch->ncrawls; k++)
		if (ch->crawls[k].id == id)
			return ch->crawls[k - 1].id;
	return ch->from_crawl;
}

/* A link to the change's html diff under ARCHIVE/diffs/ (written now when
 * missing), relative to the archive directory; the diff command when the
 * file can't be written. */
static void html_diff_cell(struct catalog *cat, int64_t from, int64_t to,
			   const struct catalog_change *c, struct buf *out)
{
	char rel[128], *path = NULL;
	struct buf cmd = BUF_INIT(0);
	struct err e;

	if (!has_diff(c))
		return;
	diff_file_of(from, to, c->url, rel);
	if (write_diff_file(cat, from, to, c, &e) == 0 &&
	    asprintf(&path, "%s/%s", cat->dir, rel) >= 0 &&
	    access(path, F_OK) == 0) {
		buf_adds(out, "<a href=\"");
		esc(out, rel);
		buf_adds(out, "\">diff</a>");
	} else {
		diff_cmd(&cmd, c);
		buf_adds(out, "<code>");
		esc(out, cmd.data);
		buf_adds(out, "</code>");
		buf_release(&cmd);
	}
	free(path);
}

static void html_url_cell(const struct catalog_change *c, struct buf *out)
{
	if (c->url && *c->url) {
		buf_adds(out, "<a href=\"");
		esc(out, c->url);
		buf_adds(out, "\">");
		esc(out, c->url);
		buf_adds(out, "</a>");
	} else {
		buf_addf(out, "%zu pages", c->pages);
	}
}

static int fmt_html(struct catalog *cat, const struct catalog_changes *ch,
		    struct buf *out)
{
	struct buf ef = BUF_INIT(0), et = BUF_INIT(0);
	char tf[200], tt[200];
	size_t i, k;
	int kind = -1;

	crawl_label(ch->from_start, ch->from_status, ch->from_reason, tf);
	crawl_label(ch->to_start, ch->to_status, ch->to_reason, tt);
	esc(&ef, tf);
	esc(&et, tt);
	buf_addf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\""
		 "utf-8\"><title>Changes from crawl %lld to crawl %lld</title>\n"
		 "<style>body{font-family:sans-serif;margin:2em}table{border-"
		 "collapse:collapse}td,th{border:1px solid #ccc;padding:.3em;"
		 "text-align:left;vertical-align:top}code{font-size:.85em}"
		 ".silent{background:#fff3cd}</style></head><body>\n"
		 "<h1>Changes from crawl %lld (%s) to crawl %lld (%s)</h1>\n",
		 (long long)ch->from_crawl, (long long)ch->to_crawl,
		 (long long)ch->from_crawl, ef.data, (long long)ch->to_crawl,
		 et.data);
	buf_release(&ef);
	buf_release(&et);
	if (ch->ncrawls)
		buf_addf(out, "<p>%zu changes over %zu crawls. Diff links are "
			 "relative to the archive directory.</p>\n<table><tr><th>"
			 "URL</th><th>Last updated</th><th>Changes</th></tr>\n",
			 ch->n, ch->ncrawls);
	else
		buf_addf(out, "<p>%zu changes. Diff links are relative to the "
			 "archive directory.</p>\n", ch->n);
	for (i = 0; i < ch->n; i++) {
		const struct catalog_change *c = &ch->v[i];

		if (ch->ncrawls) {
			buf_adds(out, "<tr><td>");
			html_url_cell(c, out);
			buf_adds(out, "</td><td>");
			esc(out, dash(c->last_updated_from));
			buf_adds(out, " &rarr; ");
			esc(out, dash(c->last_updated_to));
			buf_adds(out, "</td><td><ul>");
			for (k = 0; k < c->nsteps; k++) {
				const struct catalog_change *st = &c->steps[k];
				char when[32];

				time_iso(span_start(ch, st->crawl), when);
				buf_addf(out, "<li class=\"%s\">%s crawl %lld: <b>%s"
					 "</b> ", catalog_kind_name(st->kind), when,
					 (long long)st->crawl,
					 catalog_kind_name(st->kind));
				esc(out, st->summary);
				buf_adds(out, " ");
				html_diff_cell(cat, span_prev(ch, st->crawl),
					       st->crawl, st, out);
				buf_adds(out, "</li>");
			}
			buf_adds(out, "</ul></td></tr>\n");
			continue;
		}
		if ((int)c->kind != kind) {
			if (kind >= 0)
				buf_adds(out, "</table>\n");
			kind = (int)c->kind;
			buf_addf(out, "<h2>%s</h2>\n<table><tr><th>URL</th><th>"
				 "Last updated</th><th>Summary</th><th>Diff</th>"
				 "</tr>\n", catalog_kind_name(c->kind));
		}
		buf_addf(out, "<tr class=\"%s\"><td>", catalog_kind_name(c->kind));
		html_url_cell(c, out);
		buf_adds(out, "</td><td>");
		esc(out, dash(c->last_updated_from));
		buf_adds(out, " &rarr; ");
		esc(out, dash(c->last_updated_to));
		buf_adds(out, "</td><td>");
		esc(out, c->summary);
		buf_adds(out, "</td><td>");
		html_diff_cell(cat, ch->from_crawl, ch->to_crawl, c, out);
		buf_adds(out, "</td></tr>\n");
	}
	if (kind >= 0 || ch->ncrawls)
		buf_adds(out, "</table>\n");
	buf_adds(out, "</body></html>\n");
	return 0;
}

/* ---- atom ---- */

/* "urn:uuid:" + a name-based id (sha1 of s, RFC 4122 v5 layout). */
static void urn_of(const char *s, char out[64])
{
	uint8_t raw[DIGEST_MAX];
	char hex[41];
	struct digest d;

	if (digest_init(&d, DIGEST_SHA1) < 0) {
		snprintf(out, 64, "urn:uuid:00000000-0000-5000-8000-000000000000");
		return;
	}
	digest_update(&d, s, strlen(s));
	digest_final(&d, raw);
	digest_release(&d);
	raw[6] = (uint8_t)((raw[6] & 0x0f) | 0x50);
	raw[8] = (uint8_t)((raw[8] & 0x3f) | 0x80);
	digest_hex(raw, 16, hex);
	snprintf(out, 64, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		 hex + 12, hex + 16, hex + 20);
}

/* The html diff file of a change, relative to the archive dir. */
static void diff_file_of(int64_t from, int64_t to, const char *url,
			 char out[128])
{
	char d[48];

	digest_sha1_label(url, strlen(url), d);
	snprintf(out, 128, "%s/%lld-%lld/%.16s.html", CATALOG_DIFF_DIR,
		 (long long)from, (long long)to, d + 5);
}

static void atom_entry(const struct catalog_changes *ch,
		       const struct catalog_change *c, const char *updated,
		       int link_diff, struct buf *out)
{
	struct buf b = BUF_INIT(0);
	char id[64], file[128];

	buf_addf(&b, "%lld %lld %s %s", (long long)ch->from_crawl,
		 (long long)ch->to_crawl, catalog_kind_name(c->kind), c->url);
	/* site-wide changes have no URL: their summary tells them apart */
	if (!c->url || !*c->url)
		buf_addf(&b, " %s", c->summary ? c->summary : "");
	urn_of(b.data, id);
	buf_reset(&b);
	buf_addf(out, "<entry>\n<id>%s</id>\n<title>", id);
	if (c->link_change[0])
		buf_addf(&b, "%s: menu link %s %s", catalog_kind_name(c->kind),
			 c->link_change, c->target ? c->target : "");
	else
		buf_addf(&b, "%s: %s", catalog_kind_name(c->kind),
			 c->url && *c->url ? c->url : "site-wide change");
	esc(out, b.data);
	buf_addf(out, "</title>\n<updated>%s</updated>\n", updated);
	if (c->url && *c->url) {
		buf_adds(out, "<link rel=\"related\" href=\"");
		esc(out, c->url);
		buf_adds(out, "\"/>\n");
	}
	if (link_diff && has_diff(c)) {
		diff_file_of(ch->from_crawl, ch->to_crawl, c->url, file);
		buf_addf(out, "<link rel=\"alternate\" type=\"text/html\" "
			 "href=\"%s\"/>\n", file);
	}
	buf_reset(&b);
	buf_addf(&b, "%s: %s", catalog_kind_name(c->kind),
		 c->summary ? c->summary : "");
	buf_adds(out, "<summary>");
	esc(out, b.data);
	buf_adds(out, "</summary>\n<content type=\"text\">");
	buf_adds(&b, "\n");
	if (has_diff(c))
		diff_cmd(&b, c);
	else
		buf_addf(&b, "govarch changes --from %lld --to %lld",
			 (long long)ch->from_crawl, (long long)ch->to_crawl);
	buf_addf(&b, "\nlast updated: %s -> %s", dash(c->last_updated_from),
		 dash(c->last_updated_to));
	if ((c->kind == CATALOG_REDIRECTED || c->kind == CATALOG_MOVED) &&
	    c->target)
		buf_addf(&b, "\nnow redirects to %s", c->target);
	esc(out, b.data);
	buf_adds(out, "</content>\n</entry>\n");
	buf_release(&b);
}

static void atom_head(struct catalog *c, const char *updated, struct buf *out)
{
	char id[64], real[PATH_MAX];
	struct buf b = BUF_INIT(0);

	if (!realpath(c->dir, real))
		snprintf(real, sizeof(real), "%s", c->dir);
	buf_addf(&b, "govarch feed %s", real);
	urn_of(b.data, id);
	buf_release(&b);
	buf_addf(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
		 "<title>govarch: changes in ");
	esc(out, real);
	buf_addf(out, "</title>\n<id>%s</id>\n<updated>%s</updated>\n"
		 "<author><name>govarch</name></author>\n"
		 "<generator>govarch</generator>\n", id, updated);
}

static const char *pair_updated(const struct catalog_crawl *to)
{
	return to->end[0] ? to->end : to->start;
}

int catalog_changes_format(struct catalog *c, const struct catalog_changes *ch,
			   const char *fmt, struct buf *out, struct err *e)
{
	struct catalog_crawl to;
	size_t i;

	if (!strcmp(fmt, "text"))
		fmt_text(ch, out);
	else if (!strcmp(fmt, "json"))
		fmt_json(ch, out);
	else if (!strcmp(fmt, "html"))
		fmt_html(c, ch, out);
	else if (!strcmp(fmt, "atom")) {
		if (catalog_crawl_get(c, ch->to_crawl, &to, e) <= 0)
			return err_set(e, "%s: no crawl %lld", c->db.path,
				       (long long)ch->to_crawl);
		atom_head(c, pair_updated(&to), out);
		for (i = 0; i < ch->n; i++)
			atom_entry(ch, &ch->v[i], pair_updated(&to), 0, out);
		buf_adds(out, "</feed>\n");
	} else {
		return err_set(e, "'%s': no such format (text, json, atom, html)",
			       fmt);
	}
	return 0;
}

/* Write ARCHIVE/diffs/F-T/X.html for one change unless it exists. */
static int write_diff_file(struct catalog *c, int64_t from, int64_t to,
			   const struct catalog_change *chg, struct err *e)
{
	struct catalog_capture *v = NULL;
	struct buf html = BUF_INIT(0);
	char rel[128], *path = NULL, *dir = NULL;
	size_t n = 0, i;
	long ia = -1, ib = -1;
	int rc = -1;

	diff_file_of(from, to, chg->url, rel);
	if (asprintf(&path, "%s/%s", c->dir, rel) < 0) {
		path = NULL;
		goto nomem;
	}
	if (access(path, F_OK) == 0) {
		rc = 0;
		goto out;
	}
	if (catalog_captures_of(c, chg->url, &v, &n, e) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].ts, chg->from_ts) && v[i].crawl_id == from)
			ia = (long)i;
		if (!strcmp(v[i].ts, chg->to_ts) && v[i].crawl_id == to)
			ib = (long)i;
	}
	if (ia < 0 || ib < 0) {
		rc = 0;
		goto out;
	}
	if (catalog_render_diff(c, &v[ia], &v[ib], "html", &html, e) < 0) {
		rc = 0;     /* a page without text: entry without a diff file */
		goto out;
	}
	if (asprintf(&dir, "%s/%s", c->dir, CATALOG_DIFF_DIR) < 0) {
		dir = NULL;
		goto nomem;
	}
	mkdir(dir, 0777);
	free(dir);
	if (asprintf(&dir, "%s/%s/%lld-%lld", c->dir, CATALOG_DIFF_DIR,
		     (long long)from, (long long)to) < 0) {
		dir = NULL;
		goto nomem;
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		err_set(e, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (fd_replace_file(path, html.data, html.len, 0, e) < 0)
		goto out;
	rc = 0;
	goto out;
nomem:
	err_set(e, "%s: out of memory", c->dir);
out:
	catalog_captures_free(v, n);
	buf_release(&html);
	free(path);
	free(dir);
	return rc;
}

/* Delete the html diffs under ARCHIVE/diffs/ the feed no longer links (their
 * crawls gone, or fallen out of the feed's window), and directories left
 * empty.  keep: "\n"-separated relative paths, each followed by "\n".
 * Best effort: a file that can't be removed stays. */
static void prune_diffs(struct catalog *c, const struct buf *keep)
{
	char *top = NULL, *sub = NULL, *f = NULL, rel[600];
	struct dirent *d, *d2;
	DIR *dt, *ds;

	if (asprintf(&top, "%s/%s", c->dir, CATALOG_DIFF_DIR) < 0)
		return;
	dt = opendir(top);
	while (dt && (d = readdir(dt))) {
		long long a, b;
		int used = 0;
		char tail;

		if (sscanf(d->d_name, "%lld-%lld%c", &a, &b, &tail) != 2)
			continue;
		if (asprintf(&sub, "%s/%s", top, d->d_name) < 0)
			break;
		ds = opendir(sub);
		while (ds && (d2 = readdir(ds))) {
			size_t n = strlen(d2->d_name);
			int html = n > 5 && !strcmp(d2->d_name + n - 5, ".html");
			int tmp = n > 9 && !strcmp(d2->d_name + n - 9,
						   ".html.tmp");

			if (d2->d_name[0] == '.')
				continue;
			snprintf(rel, sizeof(rel), "\n%s/%s/%s\n",
				 CATALOG_DIFF_DIR, d->d_name, d2->d_name);
			if ((!html && !tmp) ||          /* not ours */
			    (html && keep->data && strstr(keep->data, rel))) {
				used = 1;
				continue;
			}
			if (asprintf(&f, "%s/%s", sub, d2->d_name) >= 0) {
				if (unlink(f) < 0)
					used = 1;
				free(f);
			}
		}
		if (ds)
			closedir(ds);
		if (!used)
			rmdir(sub);
		free(sub);
	}
	if (dt)
		closedir(dt);
	free(top);
}

int catalog_write_atom(struct catalog *c, struct err *e)
{
	struct buf keep = BUF_INIT(0);
	struct catalog_crawl *cr = NULL;
	struct buf out = BUF_INIT(0), entries = BUF_INIT(0);
	size_t ncr = 0, k, count = 0, pairs = 0;
	long hi;
	char *path = NULL;
	const char *updated = NULL;
	int rc = -1;

	if (catalog_crawls(c, &cr, &ncr, e) < 0)
		return -1;
	/* Newest pair of consecutive complete crawls first. */
	for (hi = (long)ncr - 1; hi > 0 && count < CATALOG_ATOM_MAX &&
	     pairs < ATOM_MAX_PAIRS; hi--) {
		struct catalog_changes ch;
		long lo;

		if (strcmp(cr[hi].status, "complete"))
			continue;
		for (lo = hi - 1; lo >= 0 && strcmp(cr[lo].status, "complete"); lo--)
			;
		if (lo < 0)
			break;
		if (catalog_changes(c, cr[lo].id, cr[hi].id, &ch, e) < 0)
			goto out;
		pairs++;
		if (!updated && ch.n)
			updated = pair_updated(&cr[hi]);
		for (k = 0; k < ch.n && count < CATALOG_ATOM_MAX; k++, count++) {
			if (has_diff(&ch.v[k])) {
				char rel[128];

				if (write_diff_file(c, ch.from_crawl, ch.to_crawl,
						    &ch.v[k], e) < 0) {
					catalog_changes_release(&ch);
					goto out;
				}
				diff_file_of(ch.from_crawl, ch.to_crawl,
					     ch.v[k].url, rel);
				buf_addf(&keep, "%s%s\n", keep.len ? "" : "\n",
					 rel);
			}
			atom_entry(&ch, &ch.v[k], pair_updated(&cr[hi]), 1,
				   &entries);
		}
		catalog_changes_release(&ch);
	}
	if (!updated)
		updated = ncr ? pair_updated(&cr[ncr - 1]) : "1970-01-01T00:00:00Z";
	atom_head(c, updated, &out);
	buf_add(&out, entries.data, entries.len);
	buf_adds(&out, "</feed>\n");
	if (asprintf(&path, "%s/%s", c->dir, CATALOG_ATOM_FILE) < 0)
		path = NULL;
	if (!path) {
		err_set(e, "%s: out of memory", c->dir);
		goto out;
	}
	if (fd_replace_file(path, out.data, out.len, 0, e) < 0)
		goto out;
	prune_diffs(c, &keep);
	rc = 0;
out:
	free(cr);
	free(path);
	buf_release(&out);
	buf_release(&entries);
	buf_release(&keep);
	return rc;
}
