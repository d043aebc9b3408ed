/* site-assets: page requisites (theme CSS, JS, logo, favicon, font, images,
 * PDFs), robots.txt and the sitemaps.  Images and PDFs are small but valid
 * files generated from their path. */
#include "site.h"

#include <stdio.h>
#include <string.h>
#include <zlib.h>

#define THEME "/themes/custom/dpmc"

const char *const site_theme_files[] = {
	THEME "/css/style.css", THEME "/js/main.js", THEME "/logo.png",
	THEME "/favicon.ico", THEME "/fonts/fira-sans-regular.woff2",
	THEME "/images/header-background.png", NULL,
};

int site_gzip(const void *in, size_t n, struct buf *out)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	if (buf_grow(out, deflateBound(&z, n)) < 0) {
		deflateEnd(&z);
		return -1;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->data + out->len;
	z.avail_out = (uInt)(out->cap - out->len - 1);
	rc = deflate(&z, Z_FINISH);
	out->len += z.total_out;
	out->data[out->len] = '\0';
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

static void put_be32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };

	buf_add(b, x, 4);
}

static void png_chunk(struct buf *b, const char *type, const void *data,
		      size_t n)
{
	uLong crc = crc32(0, (const Bytef *)type, 4);

	put_be32(b, (uint32_t)n);
	buf_add(b, type, 4);
	buf_add(b, data, n);
	crc = crc32(crc, data, (uInt)n);
	put_be32(b, (uint32_t)crc);
}

/* A w x h RGB PNG in one colour picked by the seed, with a stripe. */
static void make_png(struct buf *b, uint64_t seed, unsigned w, unsigned h)
{
	unsigned char ihdr[13] = { 0 }, rgb[3] = { seed, seed >> 8, seed >> 16 };
	unsigned char raw[64 * (3 * 64 + 1)];
	uLongf zlen = compressBound(sizeof(raw));
	unsigned char z[sizeof(raw) + 128];
	size_t n = 0;

	for (unsigned y = 0; y < h; y++) {
		raw[n++] = 0;
		for (unsigned x = 0; x < w; x++)
			for (int c = 0; c < 3; c++)
				raw[n++] = y == h / 2 ? 255 - rgb[c] : rgb[c];
	}
	for (int i = 0; i < 4; i++) {
		ihdr[i] = (unsigned char)(w >> (24 - 8 * i));
		ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	ihdr[8] = 8;
	ihdr[9] = 2;
	zlen = sizeof(z);
	compress(z, &zlen, raw, n);
	buf_add(b, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(b, "IHDR", ihdr, 13);
	png_chunk(b, "IDAT", z, zlen);
	png_chunk(b, "IEND", "", 0);
}

static void make_ico(struct buf *b)
{
	struct buf png = BUF_INIT(0);
	unsigned char dir[22] = { 0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0 };

	make_png(&png, 0x1f3b6e, 16, 16);
	for (int i = 0; i < 4; i++)
		dir[14 + i] = (unsigned char)(png.len >> (8 * i));
	dir[18] = 22;
	buf_add(b, dir, sizeof(dir));
	buf_add(b, png.data, png.len);
	buf_release(&png);
}

static void make_css(struct buf *b)
{
	static const char *const blocks[] = { "header", "navigation", "breadcrumb",
		"main-content", "sidebar", "footer", "pager", "views-row",
		"field--name-body", "quick-links", "facets", "latest-news" };

	buf_adds(b, "/* DPMC theme (govarch replica) */\n@font-face {\n"
		 "  font-family: \"Fira Sans\";\n"
		 "  src: url(\"../fonts/fira-sans-regular.woff2\") format(\"woff2\");\n"
		 "  font-display: swap;\n}\n"
		 "body { font-family: \"Fira Sans\", Arial, sans-serif; margin: 0; "
		 "color: #1d1d1b; }\n.site-header { background: #fff "
		 "url(/themes/custom/dpmc/images/header-background.png) no-repeat "
		 "right top; }\n");
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		buf_addf(b, ".%s { padding: 1rem; margin: 0 auto; max-width: 75rem; }\n"
			 ".%s a { color: #005a9c; text-decoration: underline; }\n"
			 ".%s a:hover, .%s a:focus { color: #003a66; }\n",
			 blocks[i], blocks[i], blocks[i], blocks[i]);
}

static const char main_js[] =
	"/* DPMC theme behaviours (govarch replica) */\n"
	"(function () {\n"
	"  'use strict';\n"
	"  document.addEventListener('DOMContentLoaded', function () {\n"
	"    var toggle = document.querySelector('.search-block-form button');\n"
	"    if (toggle) toggle.setAttribute('aria-expanded', 'false');\n"
	"  });\n"
	"})();\n";

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int site_asset_reply(const struct site_request *q, struct site_reply *r)
{
	const char *p = q->path;

	r->status = 200;
	r->last_modified = site_day(2024, 10, 1);
	r->cache_control = "max-age=86400, public";
	if (strcmp(p, THEME "/css/style.css") == 0) {
		r->content_type = "text/css";
		r->may_gzip = 1;
		make_css(&r->body);
	} else if (strcmp(p, THEME "/js/main.js") == 0) {
		r->content_type = "application/javascript";
		buf_adds(&r->body, main_js);
	} else if (strcmp(p, THEME "/favicon.ico") == 0) {
		r->content_type = "image/vnd.microsoft.icon";
		make_ico(&r->body);
	} else if (strcmp(p, THEME "/fonts/fira-sans-regular.woff2") == 0) {
		r->content_type = "font/woff2";
		buf_add(&r->body, "wOF2\0\1\0\0", 8);
		for (int i = 0; i < 120; i++)
			buf_addc(&r->body, (char)site_mix((uint64_t)i));
	} else if (strcmp(p, THEME "/logo.png") == 0) {
		r->content_type = "image/png";
		make_png(&r->body, 0x6e3b1f, 48, 16);
	} else if ((strncmp(p, THEME "/images/", 21) == 0 ||
		    strncmp(p, "/sites/default/files/", 21) == 0) &&
		   ends_with(p, ".png")) {
		r->content_type = "image/png";
		make_png(&r->body, site_hash(p, 4), 32, 18);
	} else if (strncmp(p, "/sites/default/files/", 21) == 0 &&
		   ends_with(p, ".pdf")) {
		r->content_type = "application/pdf";
		if (strncmp(p, "/sites/default/files/hostile/", 29) == 0) {
			if (!site_pdf_hostile(p + 29, &r->body)) {
				r->status = 0;
				r->cache_control = NULL;
				return 0;
			}
		} else {
			site_pdf_make(&r->body, p, q->version);
		}
	} else {
		r->status = 0;
		r->cache_control = NULL;
		return 0;
	}
	return 1;
}

void site_robots_reply(const struct site_request *q,
		       const struct site_robots *o, struct site_reply *r)
{
	r->last_modified = site_day(2024, 10, 1);
	if (o->status != 200) {
		site_reply_text(r, o->status, "text/plain",
				"robots.txt is not available\n");
		return;
	}
	r->status = 200;
	r->content_type = "text/plain";
	buf_adds(&r->body, "#\n# robots.txt\n#\n# This file is to prevent the "
		 "crawling and indexing of certain parts\n# of your site by web "
		 "crawlers and spiders.\n\nUser-agent: *\n");
	if (o->crawl_delay > 0)
		buf_addf(&r->body, "Crawl-delay: %d\n", o->crawl_delay);
	buf_addf(&r->body, "Disallow: /internal/\nDisallow: /search$\n"
		 "Disallow: /search?\nDisallow: /user/login\n\n"
		 "User-agent: BadBot\nDisallow: /\n\n"
		 "Sitemap: http://%s/sitemap.xml\n", q->host);
}

static void url_entry(struct buf *b, const char *host, const char *path,
		      time_t lastmod)
{
	char w3c[32];

	site_date_w3c(lastmod, w3c);
	buf_addf(b, "<url><loc>http://%s", host);
	site_html_escape(b, path);
	buf_addf(b, "</loc><lastmod>%s</lastmod></url>\n", w3c);
}

static void sitemap_pages(const struct site *s, const struct site_request *q,
			  struct buf *b)
{
	int v = q->version;

	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns="
		 "\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	url_entry(b, q->host, "/", site_release_date(1));
	url_entry(b, q->host, "/news", s->news[0].issued);
	for (int i = 0; i < s->n_nodes; i++)
		if (s->nodes[i].present[v - 1])
			url_entry(b, q->host, s->nodes[i].path[v - 1],
				  s->nodes[i].updated[v - 1]);
	buf_adds(b, "</urlset>\n");
}

int site_sitemap_reply(const struct site *s, const struct site_request *q,
		       struct site_reply *r)
{
	char w3c[32];

	r->status = 200;
	r->last_modified = site_release_date(q->version);
	site_date_w3c(r->last_modified, w3c);
	if (strcmp(q->path, "/sitemap.xml") == 0) {
		r->content_type = "application/xml; charset=utf-8";
		buf_addf(&r->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
			 "sitemap/0.9\">\n<sitemap><loc>http://%s/sitemap-pages.xml"
			 "</loc><lastmod>%s</lastmod></sitemap>\n<sitemap><loc>"
			 "http://%s/sitemap-news.xml.gz</loc><lastmod>%s</lastmod>"
			 "</sitemap>\n</sitemapindex>\n", q->host, w3c, q->host, w3c);
	} else if (strcmp(q->path, "/sitemap-pages.xml") == 0) {
		r->content_type = "application/xml; charset=utf-8";
		sitemap_pages(s, q, &r->body);
	} else if (strcmp(q->path, "/sitemap-news.xml.gz") == 0) {
		struct buf xml = BUF_INIT(0);

		buf_adds(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
			 "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
		for (int i = 0; i < s->n_news; i++)
			url_entry(&xml, q->host, s->news[i].path, s->news[i].issued);
		buf_adds(&xml, "</urlset>\n");
		r->content_type = "application/gzip";
		site_gzip(xml.data, xml.len, &r->body);
		buf_release(&xml);
	} else {
		r->status = 0;
		return 0;
	}
	return 1;
}
