/* fetch: raw HTTP capture through libcurl (see fetch.h). */
#include "crawl/fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/timeutil.h"
#include "warc/warc.h"

#define HEAD_MAX (256u << 10)   /* a response head larger than this: error */

static int spool_open(struct crawl_fetch *f)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/govarch-spool-XXXXXX",
		 f->o.spool_dir ? f->o.spool_dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	f->spool_fd = fd;
	return 0;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	struct crawl_fetch *f = ud;
	size_t len = sz * n, take = len;

	if (!f->t_first)
		f->t_first = time_mono();
	if (f->o.max_body && f->body_len + take > f->o.max_body) {
		take = (size_t)(f->o.max_body - f->body_len);
		f->truncated = "length";
	}
	if (take) {
		size_t mem = 0;

		if (f->spool_fd < 0 && f->body.len < f->o.spool_at) {
			mem = f->o.spool_at - f->body.len;
			if (mem > take)
				mem = take;
			if (buf_add(&f->body, p, mem) < 0)
				return 0;
		}
		if (take > mem) {
			if (f->spool_fd < 0 && spool_open(f) < 0)
				return 0;
			if (pwrite(f->spool_fd, p + mem, take - mem,
				   (off_t)f->spool_len) != (ssize_t)(take - mem))
				return 0;
			f->spool_len += take - mem;
		}
		f->body_len += take;
	}
	return f->truncated ? 0 : len;   /* 0 stops the transfer when cut */
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct crawl_fetch *f = ud;
	size_t len = sz * n;

	if (!f->t_first)
		f->t_first = time_mono();
	/* A new status line (after a 1xx): keep only the final response. */
	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
		buf_reset(&f->resp_head);
		f->head_done = 0;
	}
	if (buf_add(&f->resp_head, p, len) < 0)
		return 0;
	if ((len == 2 && p[0] == '\r') || (len == 1 && p[0] == '\n'))
		f->head_done = 1;
	return len;
}

static int on_debug(CURL *h, curl_infotype t, char *p, size_t n, void *ud)
{
	struct crawl_fetch *f = ud;

	(void)h;
	if (t == CURLINFO_HEADER_OUT) {
		buf_reset(&f->req_head);   /* the last request sent wins */
		buf_add(&f->req_head, p, n);
	}
	return 0;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut,
		       curl_off_t un)
{
	struct crawl_fetch *f = ud;

	(void)dt; (void)dn; (void)ut; (void)un;
	if (!f->t_first && f->o.first_byte_timeout > 0 &&
	    time_mono() - f->t_start > f->o.first_byte_timeout) {
		f->aborted_first_byte = 1;
		return 1;
	}
	return 0;
}

struct crawl_fetch *crawl_fetch_start(CURLM *multi, const char *url,
				      const struct crawl_fetch_opts *o,
				      void *owner, struct err *e)
{
	struct crawl_fetch *f = calloc(1, sizeof(*f));
	char hdr[2048];
	CURL *h;

	if (!f || !(f->url = strdup(url))) {
		free(f);
		err_set(e, "out of memory");
		return NULL;
	}
	f->o = *o;
	f->owner = owner;
	f->spool_fd = -1;
	buf_init(&f->req_head, 64u << 10);
	buf_init(&f->resp_head, HEAD_MAX);
	buf_init(&f->body, 0);
	h = f->easy = curl_easy_init();
	if (!h) {
		err_set(e, "%s: curl_easy_init failed", url);
		goto fail;
	}
	f->hdrs = curl_slist_append(f->hdrs, "Accept: text/html,application/"
				    "xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
	snprintf(hdr, sizeof(hdr), "Accept-Encoding: %s",
		 o->accept_encoding ? o->accept_encoding : "identity");
	f->hdrs = curl_slist_append(f->hdrs, hdr);
	if (o->if_none_match && *o->if_none_match) {
		snprintf(hdr, sizeof(hdr), "If-None-Match: %s", o->if_none_match);
		f->hdrs = curl_slist_append(f->hdrs, hdr);
	}
	if (o->if_modified_since && *o->if_modified_since) {
		snprintf(hdr, sizeof(hdr), "If-Modified-Since: %s",
			 o->if_modified_since);
		f->hdrs = curl_slist_append(f->hdrs, hdr);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PRIVATE, f);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, f->hdrs);
	curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(h, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(h, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, f);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, f);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, f->errbuf);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(o->connect_timeout * 1000));
	if (o->total_timeout > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
				 (long)(o->total_timeout * 1000));
	f->date = time_now();
	f->t_start = time_mono();
	if (curl_multi_add_handle(multi, h) != CURLM_OK) {
		err_set(e, "%s: curl_multi_add_handle failed", url);
		goto fail;
	}
	return f;
fail:
	crawl_fetch_free(NULL, f);
	return NULL;
}

void crawl_fetch_done(struct crawl_fetch *f, CURLcode result)
{
	char *ip = NULL;

	f->result = result;
	f->t_end = time_mono();
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &f->status);
	if (curl_easy_getinfo(f->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
	    ip)
		snprintf(f->ip, sizeof(f->ip), "%s", ip);
	/* A total timeout after the whole head: keep what came, marked. */
	if (result == CURLE_OPERATION_TIMEDOUT && f->head_done &&
	    !f->truncated && !f->aborted_first_byte)
		f->truncated = "time";
}

void crawl_fetch_free(CURLM *multi, struct crawl_fetch *f)
{
	if (!f)
		return;
	if (f->easy) {
		if (multi)
			curl_multi_remove_handle(multi, f->easy);
		curl_easy_cleanup(f->easy);
	}
	curl_slist_free_all(f->hdrs);
	if (f->spool_fd >= 0)
		close(f->spool_fd);
	buf_release(&f->req_head);
	buf_release(&f->resp_head);
	buf_release(&f->body);
	free(f->url);
	free(f);
}

int crawl_fetch_ok(const struct crawl_fetch *f)
{
	if (!f->head_done || f->status < 100 || !f->req_head.len)
		return 0;
	if (f->result == CURLE_OK)
		return 1;
	return f->truncated != NULL;
}

const char *crawl_fetch_header(const struct crawl_fetch *f, const char *name,
			       char *out, size_t outsz)
{
	const char *p = f->resp_head.data, *end = p + f->resp_head.len;
	size_t nl = strlen(name);

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *v, *ve;

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > nl && p[nl] == ':' &&
		    !strncasecmp(p, name, nl)) {
			v = p + nl + 1;
			ve = eol;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && isspace((unsigned char)ve[-1]))
				ve--;
			snprintf(out, outsz, "%.*s", (int)(ve - v), v);
			return out;
		}
		p = eol + 1;
	}
	return NULL;
}

const char *crawl_fetch_error(const struct crawl_fetch *f)
{
	if (f->aborted_first_byte)
		return "first-byte-timeout";
	if (f->result == CURLE_OPERATION_TIMEDOUT)
		return "timeout";
	if (f->result == CURLE_COULDNT_CONNECT)
		return "connect";
	if (f->result == CURLE_COULDNT_RESOLVE_HOST)
		return "dns";
	if (f->result != CURLE_OK)
		return curl_easy_strerror(f->result);
	if (!f->head_done)
		return "no-response";
	return "ok";
}

int crawl_fetch_payload(const struct crawl_fetch *f, int decode,
			struct buf *out)
{
	struct buf block = BUF_INIT(0);
	struct warc_http h;
	int rc = -1;

	warc_http_init(&h);
	if (buf_add(&block, f->resp_head.data, f->resp_head.len) < 0 ||
	    buf_add(&block, f->body.data, f->body.len) < 0 ||
	    warc_http_parse(block.data, block.len, &h, NULL) < 0)
		goto out;
	if (warc_http_payload(block.data, block.len, &h, decode, out,
			      NULL) < 0) {
		if (!decode)
			goto out;
		/* undecodable (br, cut gzip): links from what we have */
		buf_reset(out);
		if (warc_http_payload(block.data, block.len, &h, 0, out,
				      NULL) < 0)
			goto out;
	}
	rc = 0;
out:
	warc_http_release(&h);
	buf_release(&block);
	return rc;
}
