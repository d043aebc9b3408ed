/* capture-links: what a capture points at: its links, Location and
 * sitemap entries, or for a 304 those of the original it refers to. */
#include "crawl/capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawl/sitemap-glue.h"
#include "util/url.h"

#define LINKS_MAX 10000         /* links kept per page */

void capture_links_init(struct capture_links *l, struct catalog *cat,
			const char *archive)
{
	memset(l, 0, sizeof(*l));
	l->cat = cat;
	l->archive = archive;
}

void capture_links_release(struct capture_links *l)
{
	crawl_links_memo_free(l->memo);
	warc_reader_free(l->reader);
	l->memo = NULL;
	l->reader = NULL;
}

static int is_type(const char *ct, const char *what)
{
	return ct && strcasestr(ct, what) != NULL;
}

struct sm_ctx {
	struct outlinks *out;
	int hops;
};

static int sm_add(void *ctx, const char *url, int is_sitemap)
{
	struct sm_ctx *s = ctx;

	return outlinks_add(s->out, url, is_sitemap ? CRAWL_KIND_SITEMAP :
			    CRAWL_KIND_PAGE, is_sitemap ? s->hops : s->hops + 1,
			    0);
}

/* The entity body (decoded) and Content-Type of the original capture a
 * 304 refers to, read back from its WARC record, so a page the server says
 * is unchanged still yields its links.  0, or -1 when it can't be read. */
static int original_payload(struct capture_links *c, const struct job *j,
			    struct buf *out, char *ct, size_t ctsz)
{
	struct catalog_capture *v = NULL;
	struct warc_record *rec;
	struct warc_http h;
	char path[CAPTURE_PATH_MAX];
	size_t n = 0, i;
	long pick = -1;
	int rc = -1;

	warc_http_init(&h);
	if (catalog_captures_of(c->cat, j->u.url, &v, &n, NULL) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].type == CATALOG_RESPONSE && v[i].record_id &&
		    j->prev.record_id &&
		    !strcmp(v[i].record_id, j->prev.record_id))
			pick = (long)i;
	if (pick < 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", c->archive, v[pick].warc_file);
	if (!c->reader || strcmp(c->reader_path, path)) {
		warc_reader_free(c->reader);
		c->reader = warc_reader_open(path, NULL);
		snprintf(c->reader_path, sizeof(c->reader_path), "%s", path);
		if (!c->reader)
			goto out;
	}
	if (warc_reader_seek(c->reader, v[pick].offset, NULL) < 0 ||
	    warc_reader_next(c->reader, &rec, NULL) != 1 ||
	    warc_http_parse(rec->block.data, rec->block.len, &h, NULL) < 0 ||
	    warc_http_payload(rec->block.data, rec->block.len, &h, 1, out,
			      NULL) < 0)
		goto out;
	snprintf(ct, ctsz, "%s", warc_fields_get(&h.headers, "Content-Type") ?
		 warc_fields_get(&h.headers, "Content-Type") : "");
	rc = 0;
out:
	warc_http_release(&h);
	catalog_captures_free(v, n);
	return rc;
}

void capture_links_find(struct capture_links *c, const struct job *j,
			int status, const char *ct, const struct buf *payload,
			struct outlinks *out)
{
	const struct crawl_url *u = &j->u;
	char loc[CRAWL_HEADER_MAX], *abs = NULL;
	size_t i;

	if (status >= 300 && status < 400 &&
	    crawl_fetch_header(j->f, "Location", loc, sizeof(loc)) &&
	    url_resolve(u->url, loc, 0, &abs, NULL) == 0) {
		outlinks_add(out, abs, u->kind, u->hops, u->redirs + 1);
		free(abs);
	}
	if (status < 200 || status >= 300 || !payload ||
	    u->kind == CRAWL_KIND_OFFSITE)
		return;
	if (u->kind == CRAWL_KIND_SITEMAP) {
		struct sm_ctx sc = { out, u->hops };

		crawl_sitemap_glue(payload->data, payload->len, u->url, ct,
				   sm_add, &sc);
		return;
	}
	if (is_type(ct, "html") || is_type(ct, "css")) {
		struct crawl_links l;
		int css = is_type(ct, "css");

		crawl_links_init(&l, LINKS_MAX);
		if (!c->memo)           /* NULL (out of memory): no memo */
			c->memo = crawl_links_memo_new();
		l.memo = c->memo;
		if (css)
			crawl_links_from_css(&l, payload->data, payload->len,
					     u->url, NULL);
		else
			crawl_links_from_html(&l, payload->data, payload->len,
					      u->url, ct, NULL);
		for (i = 0; i < l.n; i++)
			outlinks_add(out, l.v[i].url,
				l.v[i].kind == CRAWL_LINK_REQUISITE || css ?
				CRAWL_KIND_REQUISITE : CRAWL_KIND_PAGE,
				u->hops + 1, 0);
		crawl_links_release(&l);
	}
}

void capture_links_unchanged(struct capture_links *l, const struct job *j,
			     struct outlinks *out)
{
	struct buf orig = BUF_INIT(0);
	char oct[CAPTURE_CONTENT_TYPE_MAX];

	if (original_payload(l, j, &orig, oct, sizeof(oct)) == 0)
		capture_links_find(l, j, 200, oct, &orig, out);
	buf_release(&orig);
}
