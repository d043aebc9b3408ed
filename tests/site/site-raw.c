/* site-raw: `govarch-site --hostile`, a site that attacks its crawler,
 * served over raw sockets so it can send exactly the broken HTTP that
 * libmicrohttpd never would.  A thread per connection; every answer closes
 * its connection.  The home page links every endpoint; robots.txt (600 KiB)
 * names the sitemap bomb and disallows /private/.  The request log has the
 * columns of site-http.c's.
 */
#include "site-raw.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "util/timeutil.h"

#define BOMB_BYTES (1ull << 30)    /* what each bomb decodes to */
#define BOMB_CHUNK (1u << 20)      /* compressed once, repeated */
#define REQ_MAX (64u << 10)        /* a longer request head: 431 */
#define ROBOTS_BYTES (600u << 10)
#define REDIRECT_CHAIN 50
#define LONG_URL 10000

/* PATH<TAB>what; `--list hostile-site` prints these. */
const char *const site_raw_paths[] = {
	"/\thome page linking every endpoint",
	"/robots.txt\t600 KiB; Disallow: /private/; Sitemap: /sitemap-bomb.xml.gz",
	"/bomb\tContent-Encoding: gzip of 1 GiB (an HTML page linking /bomb-link, then spaces)",
	"/bomb-link\tordinary page, linked only from inside /bomb",
	"/sitemap-bomb.xml.gz\tgzip file of 1 GiB (a urlset listing /sitemap-link, then spaces)",
	"/sitemap-link\tordinary page, listed only in the sitemap bomb",
	"/trickle\t200, then one byte a second, never ending",
	"/endless\t200, then a body that never ends, as fast as it is read",
	"/redirect/1\t302 chain /redirect/1 -> ... -> /redirect/50 -> /redirect-end",
	"/redirect-end\tordinary page at the end of the chain",
	"/big-header\ta 1 MB header line",
	"/bad-status/letters\tstatus line HTTP/1.1 abc Nonsense",
	"/bad-status/four-digits\tstatus line HTTP/1.1 2000 OK",
	"/bad-status/no-status\tno status line (HTTP/0.9-style body)",
	"/negative-length\tContent-Length: -5",
	"/absurd-length\tContent-Length: 99999999999999999999, 16 bytes sent",
	"/weird-urls\tlinks with CR, LF, NUL, spaces and 10,000 characters",
	"/bad-utf8\tinvalid UTF-8 labelled UTF-8",
	"/lying-charset\tUTF-16LE bytes labelled ISO-8859-1",
	"/redirect-offsite\t302 to http://localhost:PORT/offsite-target (another host)",
	"/redirect-file\t302 to file:///etc/passwd",
	"/redirect-javascript\t302 to javascript:alert(1)",
	"/private/secret\tunder the robots.txt Disallow (linked from the home page)",
	NULL,
};

static const char *const home_links[] = {
	"/bomb", "/trickle", "/endless", "/redirect/1", "/big-header",
	"/bad-status/letters", "/bad-status/four-digits",
	"/bad-status/no-status", "/negative-length", "/absurd-length",
	"/weird-urls", "/bad-utf8", "/lying-charset", "/redirect-offsite",
	"/redirect-file", "/redirect-javascript", "/private/secret",
};

static volatile int stopping;

struct conn {
	struct site_raw *srv;
	int fd;
	double time_in;
	char method[16];
	char target[2048];
	char hdr[4][512];   /* User-Agent, If-None-Match, If-Modified-Since,
			     * Accept-Encoding */
	int status;
};

static double now_seconds(void)
{
	struct timespec t = time_now();

	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int send_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- the bombs: a small gzip stream that decodes to BOMB_BYTES ---- */

/* Raw deflate of in, ended by a full flush (byte-aligned, no history). */
static int deflate_flushed(z_stream *z, const void *in, size_t n, int flush,
			   struct buf *out)
{
	unsigned char tmp[65536];
	int rc;

	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)n;
	do {
		z->next_out = tmp;
		z->avail_out = sizeof(tmp);
		rc = deflate(z, flush);
		if (rc == Z_STREAM_ERROR ||
		    buf_add(out, tmp, sizeof(tmp) - z->avail_out) < 0)
			return -1;
	} while (z->avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return 0;
}

static void put_le32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
			       (v >> 24) & 0xff };

	buf_add(b, p, 4);
}

/* A gzip member: head, BOMB_BYTES minus both ends of spaces, tail.  The
 * spaces are one compressed 1 MiB block repeated (after a full flush the
 * compressor starts afresh, so every block compresses the same). */
static int make_bomb(const char *head, const char *tail, struct buf *out)
{
	static const unsigned char gz_head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0,
						   0, 3 };
	size_t hl = strlen(head), tl = strlen(tail);
	uint64_t spaces = BOMB_BYTES - hl - tl, n_chunks = spaces / BOMB_CHUNK;
	size_t rest = (size_t)(spaces % BOMB_CHUNK);
	char *chunk = malloc(BOMB_CHUNK);
	struct buf block = BUF_INIT(0), check = BUF_INIT(0);
	uLong crc, crc_chunk;
	z_stream z;
	int rc = -1;

	memset(&z, 0, sizeof(z));
	if (!chunk || deflateInit2(&z, 9, Z_DEFLATED, -15, 9,
				   Z_DEFAULT_STRATEGY) != Z_OK) {
		free(chunk);
		return -1;
	}
	memset(chunk, ' ', BOMB_CHUNK);
	buf_add(out, gz_head, sizeof(gz_head));
	if (deflate_flushed(&z, head, hl, Z_FULL_FLUSH, out) < 0 ||
	    deflate_flushed(&z, chunk, BOMB_CHUNK, Z_FULL_FLUSH, &block) < 0 ||
	    deflate_flushed(&z, chunk, BOMB_CHUNK, Z_FULL_FLUSH, &check) < 0 ||
	    block.len != check.len || memcmp(block.data, check.data, block.len))
		goto out;
	for (uint64_t i = 0; i < n_chunks; i++)
		if (buf_add(out, block.data, block.len) < 0)
			goto out;
	if (deflate_flushed(&z, chunk, rest, Z_FULL_FLUSH, out) < 0 ||
	    deflate_flushed(&z, tail, tl, Z_FINISH, out) < 0)
		goto out;
	crc = crc32(0, (const Bytef *)head, (uInt)hl);
	crc_chunk = crc32(0, (const Bytef *)chunk, BOMB_CHUNK);
	for (uint64_t i = 0; i < n_chunks; i++)
		crc = crc32_combine(crc, crc_chunk, BOMB_CHUNK);
	crc = crc32(crc, (const Bytef *)chunk, (uInt)rest);
	crc = crc32(crc, (const Bytef *)tail, (uInt)tl);
	put_le32(out, (uint32_t)crc);
	put_le32(out, (uint32_t)BOMB_BYTES);
	rc = 0;
out:
	deflateEnd(&z);
	buf_release(&block);
	buf_release(&check);
	free(chunk);
	return rc;
}

/* ---- answers ---- */

static int answer(struct conn *c, int status, const char *reason,
		  const char *headers, const void *body, size_t n)
{
	struct buf head = BUF_INIT(0);
	int rc;

	c->status = status;
	buf_addf(&head, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n", status, reason, n);
	buf_adds(&head, headers);
	buf_adds(&head, "\r\n");
	rc = send_all(c->fd, head.data, head.len) < 0 ? -1 :
	     send_all(c->fd, body, n);
	buf_release(&head);
	return rc;
}

static int html(struct conn *c, const char *title, const char *body)
{
	struct buf b = BUF_INIT(0);
	int rc;

	buf_addf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
		 "\"utf-8\"><title>%s</title></head>\n<body><main><h1>%s</h1>\n"
		 "%s</main></body></html>\n", title, title, body);
	rc = answer(c, 200, "OK", "Content-Type: text/html; charset=utf-8\r\n",
		    b.data, b.len);
	buf_release(&b);
	return rc;
}

/* Exact bytes (a string literal); status is what the log says. */
#define RAW(c, status, lit) raw(c, status, lit, sizeof(lit) - 1)
static int raw(struct conn *c, int status, const char *bytes, size_t n)
{
	c->status = status;
	return send_all(c->fd, bytes, n);
}

static int redirect(struct conn *c, const char *location)
{
	char h[2300];

	snprintf(h, sizeof(h), "Location: %s\r\n", location);
	return answer(c, 302, "Found", h, "", 0);
}

static int home(struct conn *c)
{
	struct buf b = BUF_INIT(0);
	int rc;

	buf_adds(&b, "<ul>\n");
	for (size_t i = 0; i < sizeof(home_links) / sizeof(home_links[0]); i++)
		buf_addf(&b, "<li><a href=\"%s\">%s</a></li>\n", home_links[i],
			 home_links[i]);
	buf_adds(&b, "</ul>\n");
	rc = html(c, "Hostile site", b.data);
	buf_release(&b);
	return rc;
}

static int robots(struct conn *c)
{
	struct buf b = BUF_INIT(0);
	int rc;

	buf_addf(&b, "User-agent: *\nDisallow: /private/\nSitemap: http://"
		 "%s:%d/sitemap-bomb.xml.gz\n", c->srv->host, c->srv->port);
	while (b.len < ROBOTS_BYTES)
		buf_adds(&b, "# a long robots.txt: comments to make it large, "
			 "as some generated ones are\n");
	buf_setlen(&b, ROBOTS_BYTES);
	rc = answer(c, 200, "OK", "Content-Type: text/plain\r\n", b.data,
		    b.len);
	buf_release(&b);
	return rc;
}

/* Headers, then a body that never ends: one byte a second (slow) or as
 * fast as the client reads; until the client goes or the server stops. */
static int stream(struct conn *c, int slow)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; "
		"charset=utf-8\r\nConnection: close\r\n\r\n<!DOCTYPE html>\n"
		"<html><body><p>";
	char block[16384];

	c->status = 200;
	if (send_all(c->fd, head, sizeof(head) - 1) < 0)
		return -1;
	memset(block, 'x', sizeof(block));
	while (!stopping) {
		if (send_all(c->fd, block, slow ? 1 : sizeof(block)) < 0)
			return -1;
		if (slow)
			sleep(1);
	}
	return 0;
}

static int big_header(struct conn *c)
{
	size_t n = 1u << 20;
	char *line = malloc(n + 16);
	int rc;

	if (!line)
		return -1;
	memcpy(line, "X-Padding: ", 11);
	memset(line + 11, 'a', n - 13);
	memcpy(line + n - 2, "\r\n", 3);
	rc = answer(c, 200, "OK", line, "big\n", 4);
	free(line);
	return rc;
}

static int weird_urls(struct conn *c)
{
	struct buf b = BUF_INIT(0);
	int rc;

	buf_adds(&b, "<ul>\n<li><a href=\"/weird/cr\rInjected: cr\">CR</a></li>\n"
		 "<li><a href=\"/weird/lf\nInjected: lf\">LF</a></li>\n"
		 "<li><a href=\"/weird/crlf\r\nWARC-Type: forged\r\n\">CRLF</a></li>\n"
		 "<li><a href=\"/weird/with spaces?q=a b\">spaces</a></li>\n"
		 "<li><a href=\"/weird/long-");
	for (int i = 0; i < LONG_URL; i++)
		buf_addc(&b, (char)('a' + i % 26));
	buf_adds(&b, "\">long</a></li>\n<li><a href=\"/weird/nul");
	buf_add(&b, "\0Injected: nul", 14);
	buf_adds(&b, "\">NUL</a></li>\n</ul>\n");
	rc = html(c, "Weird URLs", b.data);
	buf_release(&b);
	return rc;
}

static int lying_charset(struct conn *c)
{
	static const char text[] = "<html><body><p>Kia ora</p>"
		"<a href=\"/utf16-link\">link</a></body></html>";
	char body[2 * sizeof(text)];
	size_t i;

	for (i = 0; i < sizeof(text) - 1; i++) {
		body[2 * i] = text[i];
		body[2 * i + 1] = 0;
	}
	return answer(c, 200, "OK", "Content-Type: text/html; charset=ISO-8859-1\r\n",
		      body, 2 * i);
}

static int route(struct conn *c)
{
	const char *p = c->target;
	struct site_raw *s = c->srv;
	char loc[256];

	if (!strcmp(p, "/"))
		return home(c);
	if (!strcmp(p, "/robots.txt"))
		return robots(c);
	if (!strcmp(p, "/bomb")) {
		return answer(c, 200, "OK", "Content-Type: text/html; "
			      "charset=utf-8\r\nContent-Encoding: gzip\r\n",
			      s->page_bomb.data, s->page_bomb.len);
	}
	if (!strcmp(p, "/sitemap-bomb.xml.gz"))
		return answer(c, 200, "OK", "Content-Type: application/gzip\r\n",
			      s->sitemap_bomb.data, s->sitemap_bomb.len);
	if (!strcmp(p, "/bomb-link") || !strcmp(p, "/sitemap-link") ||
	    !strcmp(p, "/redirect-end"))
		return html(c, p + 1, "<p>An ordinary page.</p>\n");
	if (!strcmp(p, "/trickle") || !strcmp(p, "/endless"))
		return stream(c, p[1] == 't');
	if (!strncmp(p, "/redirect/", 10)) {
		int n = atoi(p + 10);

		if (n < 1 || n > REDIRECT_CHAIN)
			return answer(c, 404, "Not Found", "", "", 0);
		if (n == REDIRECT_CHAIN)
			return redirect(c, "/redirect-end");
		snprintf(loc, sizeof(loc), "/redirect/%d", n + 1);
		return redirect(c, loc);
	}
	if (!strcmp(p, "/big-header"))
		return big_header(c);
	if (!strcmp(p, "/bad-status/letters"))
		return RAW(c, 0, "HTTP/1.1 abc Nonsense\r\nContent-Length: 3\r\n"
			   "Connection: close\r\n\r\nabc");
	if (!strcmp(p, "/bad-status/four-digits"))
		return RAW(c, 2000, "HTTP/1.1 2000 OK\r\nContent-Length: 3\r\n"
			   "Connection: close\r\n\r\nabc");
	if (!strcmp(p, "/bad-status/no-status"))
		return RAW(c, 0, "<html><body>no status line</body></html>\n");
	if (!strcmp(p, "/negative-length"))
		return RAW(c, 200, "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n"
			   "Connection: close\r\n\r\nabcdefghijklmnop");
	if (!strcmp(p, "/absurd-length"))
		return RAW(c, 200, "HTTP/1.1 200 OK\r\nContent-Length: "
			   "99999999999999999999\r\nConnection: close\r\n\r\n"
			   "abcdefghijklmnop");
	if (!strcmp(p, "/weird-urls"))
		return weird_urls(c);
	if (!strcmp(p, "/bad-utf8")) {
		static const char bad[] = "<html><body><p>bad \xff\xfe\xc3\x28 "
			"\xed\xa0\x80 utf-8</p><a href=\"/utf8-\xff-link\">x</a>"
			"</body></html>\n";

		return answer(c, 200, "OK", "Content-Type: text/html; "
			      "charset=utf-8\r\n", bad, sizeof(bad) - 1);
	}
	if (!strcmp(p, "/lying-charset"))
		return lying_charset(c);
	if (!strcmp(p, "/redirect-offsite")) {
		snprintf(loc, sizeof(loc), "http://localhost:%d/offsite-target",
			 s->port);
		return redirect(c, loc);
	}
	if (!strcmp(p, "/redirect-file"))
		return redirect(c, "file:///etc/passwd");
	if (!strcmp(p, "/redirect-javascript"))
		return redirect(c, "javascript:alert(1)");
	if (!strncmp(p, "/private/", 9))
		return html(c, "Private", "<p>Robots.txt forbids this.</p>\n");
	return answer(c, 404, "Not Found", "Content-Type: text/plain\r\n",
		      "not found\n", 10);
}

/* ---- connections ---- */

/* The request head (up to the blank line), NUL-terminated; -1 if none. */
static int read_head(int fd, char *head, size_t max)
{
	size_t n = 0;

	while (n + 1 < max) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;

		if (poll(&p, 1, 10000) <= 0)
			return -1;
		r = recv(fd, head + n, max - 1 - n, 0);
		if (r <= 0)
			return -1;
		n += (size_t)r;
		head[n] = 0;
		if (strstr(head, "\r\n\r\n") || strstr(head, "\n\n"))
			return 0;
	}
	return -1;
}

static void parse_head(struct conn *c, const char *head)
{
	static const char *const names[4] = { "User-Agent", "If-None-Match",
		"If-Modified-Since", "Accept-Encoding" };
	const char *sp = strchr(head, ' '), *line;

	if (sp && (size_t)(sp - head) < sizeof(c->method)) {
		const char *end = strchr(sp + 1, ' ');

		memcpy(c->method, head, (size_t)(sp - head));
		if (end && (size_t)(end - sp - 1) < sizeof(c->target))
			memcpy(c->target, sp + 1, (size_t)(end - sp - 1));
	}
	for (line = strchr(head, '\n'); line; line = strchr(line, '\n')) {
		line++;
		for (int i = 0; i < 4; i++) {
			size_t nl = strlen(names[i]);

			if (!strncasecmp(line, names[i], nl) && line[nl] == ':') {
				const char *v = line + nl + 1;

				while (*v == ' ')
					v++;
				snprintf(c->hdr[i], sizeof(c->hdr[i]), "%.*s",
					 (int)strcspn(v, "\r\n"), v);
			}
		}
	}
}

static void log_field(FILE *f, const char *s)
{
	if (!*s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void log_request(struct conn *c)
{
	FILE *f = c->srv->log;

	if (!f)
		return;
	pthread_mutex_lock(&c->srv->log_lock);
	fprintf(f, "%.6f\t%.6f\t", c->time_in, now_seconds());
	log_field(f, c->method);
	fputc('\t', f);
	log_field(f, c->target);
	fprintf(f, "\t%d", c->status);
	for (int i = 0; i < 4; i++) {
		fputc('\t', f);
		log_field(f, c->hdr[i]);
	}
	fputc('\n', f);
	fflush(f);
	pthread_mutex_unlock(&c->srv->log_lock);
}

static void *serve_conn(void *arg)
{
	struct conn *c = arg;
	char *head = malloc(REQ_MAX);

	c->time_in = now_seconds();
	if (head && read_head(c->fd, head, REQ_MAX) == 0) {
		parse_head(c, head);
		if (strcmp(c->method, "GET"))
			answer(c, 405, "Method Not Allowed", "", "", 0);
		else
			route(c);
		log_request(c);
	}
	free(head);
	close(c->fd);
	free(c);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct site_raw *s = arg;

	while (!stopping) {
		struct conn *c;
		pthread_t t;
		int fd = accept(s->listen_fd, NULL, NULL);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->srv = s;
		c->fd = fd;
		if (pthread_create(&t, NULL, serve_conn, c) != 0) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(t);
	}
	return NULL;
}

int site_raw_start(struct site_raw *s, const char *bind_addr, int port,
		   struct err *e)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int one = 1;
	char sitemap_head[256];

	pthread_mutex_init(&s->log_lock, NULL);
	buf_init(&s->page_bomb, 0);
	buf_init(&s->sitemap_bomb, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, bind_addr, &a.sin_addr) != 1 ||
	    (ntohl(a.sin_addr.s_addr) >> 24) != 127)
		return err_set(e, "%s: only a loopback address", bind_addr);
	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->listen_fd < 0 ||
	    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one,
		       sizeof(one)) < 0 ||
	    bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s->listen_fd, 64) < 0 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&a, &al) < 0)
		return err_set(e, "%s:%d: cannot listen: %s", bind_addr, port,
			       strerror(errno));
	s->port = ntohs(a.sin_port);
	inet_ntop(AF_INET, &a.sin_addr, s->host, sizeof(s->host));
	snprintf(sitemap_head, sizeof(sitemap_head), "<?xml version=\"1.0\" "
		 "encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/"
		 "schemas/sitemap/0.9\">\n<url><loc>http://%s:%d/"
		 "sitemap-link</loc></url>\n", s->host, s->port);
	if (make_bomb("<!DOCTYPE html>\n<html><head><title>Bomb</title></head>"
		      "<body><p><a href=\"/bomb-link\">inside the bomb</a></p>\n",
		      "</body></html>\n", &s->page_bomb) < 0 ||
	    make_bomb(sitemap_head, "</urlset>\n", &s->sitemap_bomb) < 0)
		return err_set(e, "cannot build the gzip bombs");
	if (pthread_create(&s->thread, NULL, accept_loop, s) != 0)
		return err_set(e, "cannot start the listener thread");
	s->started = 1;
	return 0;
}

void site_raw_stop(struct site_raw *s)
{
	stopping = 1;
	if (s->listen_fd > 0)
		shutdown(s->listen_fd, SHUT_RDWR);
	if (s->started)
		pthread_join(s->thread, NULL);
	if (s->listen_fd > 0)
		close(s->listen_fd);
	buf_release(&s->page_bomb);
	buf_release(&s->sitemap_bomb);
}
