/* capture-records: the WARC records of a capture (response or revisit,
 * request, metadata), the config and summary records, and where the
 * current file's committed records end. */
#include "crawl/capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/timeutil.h"

int capture_register_file(struct crawl_capture *c, struct err *e)
{
	const char *path = warc_writer_path(c->w);
	const char *base = strrchr(path, '/');
	struct stat sb;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".open"))
		n -= 5;
	snprintf(c->warc_name, sizeof(c->warc_name), "%.*s", (int)n, base);
	if (stat(path, &sb) < 0)
		return err_set(e, "%s: %s", path, strerror(errno));
	if (frontier_warc_set(c->fr, c->warc_name, (uint64_t)sb.st_size) < 0)
		return err_set(e, "%s: can't record in the state", path);
	return 0;
}

int capture_maybe_rotate(struct crawl_capture *c, struct err *e)
{
	struct stat sb;

	if (stat(warc_writer_path(c->w), &sb) == 0 &&
	    (uint64_t)sb.st_size >= c->cfg->rotate_size) {
		if (warc_writer_rotate(c->w, e) < 0)
			return -1;
		capture_kill_point("rotate");
		return capture_register_file(c, e);
	}
	return 0;
}

int capture_write_records(struct crawl_capture *c, struct job *j, int status,
			  const char *digest, const struct outlinks *ol,
			  struct written *wr, struct err *e)
{
	struct crawl_fetch *f = j->f;
	struct warc_record_in in;
	struct buf meta = BUF_INIT(0);
	char date[32];
	int rc = -1;

	time_warc_date(f->date, date);
	memset(&in, 0, sizeof(in));
	in.target_uri = j->u.url;
	in.date = date;
	in.ip_address = *f->ip ? f->ip : NULL;
	in.head = f->resp_head.data;
	in.head_len = f->resp_head.len;
	wr->type = CATALOG_RESPONSE;
	wr->outcome = f->truncated ? (!strcmp(f->truncated, "length") ?
			"truncated(length)" : "truncated(time)") : "ok";
	if (status == 304 && j->have_prev) {
		in.type = WARC_T_REVISIT;
		in.profile = WARC_PROFILE_NOT_MODIFIED;
		in.body = f->body.data;
		in.body_len = f->body.len;
		if (j->prev.payload_digest && *j->prev.payload_digest)
			in.payload_digest = j->prev.payload_digest;
		wr->type = CATALOG_REVISIT;
		wr->outcome = "not-modified";
	} else if (digest && j->have_prev && j->prev.payload_digest &&
		   !strcmp(digest, j->prev.payload_digest) &&
		   status >= 200 && status < 300) {
		in.type = WARC_T_REVISIT;
		in.profile = WARC_PROFILE_IDENTICAL;
		in.truncated = "length";
		in.payload_digest = digest;
		wr->type = CATALOG_REVISIT;
		wr->outcome = "revisit";
	} else {
		in.type = WARC_T_RESPONSE;
		in.truncated = f->truncated;
		in.body = f->body.data;
		in.body_len = f->body.len;
		if (f->spool_fd >= 0) {
			in.body_fd = f->spool_fd;
			in.body_fd_len = f->spool_len;
		}
	}
	if (in.type == WARC_T_REVISIT) {
		in.refers_to = j->prev.record_id;
		in.refers_to_target_uri = j->prev.target;
		in.refers_to_date = j->prev.date;
	}
	if (warc_writer_write(c->w, &in, &wr->main, e) < 0)
		goto out;
	snprintf(wr->payload_digest, sizeof(wr->payload_digest), "%s",
		 in.payload_digest ? in.payload_digest : wr->main.payload_digest);

	memset(&in, 0, sizeof(in));
	in.type = WARC_T_REQUEST;
	in.target_uri = j->u.url;
	in.date = date;
	in.concurrent_to = wr->main.id;
	in.head = f->req_head.data;
	in.head_len = f->req_head.len;
	if (warc_writer_write(c->w, &in, &wr->req, e) < 0)
		goto out;

	/* A revisit's outlinks are the original's (same URL; same payload,
	 * or the server says unchanged), listed in the original's metadata
	 * record: no metadata record of its own, the bulk of what an
	 * unchanged page would cost (crawl.h). */
	if (wr->type == CATALOG_REVISIT)
		goto done;
	buf_addf(&meta, "hopsFromSeed: %d\r\n", j->u.hops);
	if (j->u.via && *j->u.via)
		buf_addf(&meta, "via: %s\r\n", j->u.via);
	buf_addf(&meta, "fetchTimeMs: %.0f\r\n", (f->t_end - f->t_start) * 1000);
	if (f->t_first)
		buf_addf(&meta, "firstByteMs: %.0f\r\n",
			 (f->t_first - f->t_start) * 1000);
	outlinks_format(&meta, ol);
	memset(&in, 0, sizeof(in));
	in.type = WARC_T_METADATA;
	in.target_uri = j->u.url;
	in.date = date;
	in.concurrent_to = wr->main.id;
	in.body = meta.data;
	in.body_len = meta.len;
	if (warc_writer_write(c->w, &in, &wr->meta, e) < 0)
		goto out;
	wr->has_meta = 1;
done:
	c->st->warc_bytes += wr->main.length + wr->req.length +
			     (wr->has_meta ? wr->meta.length : 0);
	rc = 0;
out:
	buf_release(&meta);
	return rc;
}

/* The config record opens the crawl's first file; written with the first
 * capture so a dictionary trained before it lets the writer rewrite the
 * file in place instead of rotating. */
int capture_config_record(struct crawl_capture *c, struct err *e)
{
	struct warc_record_in in;
	char uri[128];

	if (c->config_written)
		return 0;
	memset(&in, 0, sizeof(in));
	snprintf(uri, sizeof(uri), "%s%lld", CATALOG_CONFIG_URI,
		 (long long)c->crawl_id);
	in.type = WARC_T_METADATA;
	in.target_uri = uri;
	in.content_type = "text/plain; charset=utf-8";
	in.body = c->o->config_text;
	in.body_len = strlen(c->o->config_text);
	if (warc_writer_write(c->w, &in, NULL, e) < 0)
		return -1;
	c->config_written = 1;
	return capture_register_file(c, e);
}

/* The pages this crawl left out because a rule excludes them now, before
 * its summary (CATALOG_EXCLUDED_URI): so a rebuild knows them too. */
static int exclusions_record(struct crawl_capture *c, struct err *e)
{
	struct warc_record_in in;
	struct buf b = BUF_INIT(0);
	char uri[128];
	int n, rc = 0;

	n = catalog_exclusions_text(c->cat, c->crawl_id, &b, e);
	if (n > 0) {
		memset(&in, 0, sizeof(in));
		snprintf(uri, sizeof(uri), "%s%lld", CATALOG_EXCLUDED_URI,
			 (long long)c->crawl_id);
		in.type = WARC_T_METADATA;
		in.target_uri = uri;
		in.content_type = "text/plain; charset=utf-8";
		in.body = b.data;
		in.body_len = b.len;
		rc = warc_writer_write(c->w, &in, NULL, e);
	}
	buf_release(&b);
	return n < 0 ? -1 : rc;
}

int capture_summary_record(struct crawl_capture *c, struct err *e)
{
	struct warc_record_in in;
	struct buf b = BUF_INIT(0);
	char uri[128];
	int rc;

	if (exclusions_record(c, e) < 0)
		return -1;

	if (catalog_crawl_summary_fields(c->cat, c->crawl_id, &b, e) < 0) {
		buf_release(&b);
		return -1;
	}
	/* every HTML page parsed once: by the crawler, or by the catalog when
	 * the body was spooled to disk */
	c->st->html_parses += (long)catalog_html_parses(c->cat);
	if (buf_addf(&b, "govarch-html-pages: %ld\r\n"
		     "govarch-html-parses: %ld\r\n", c->st->html_pages,
		     c->st->html_parses) < 0) {
		buf_release(&b);
		return err_set(e, "out of memory");
	}
	memset(&in, 0, sizeof(in));
	snprintf(uri, sizeof(uri), "%s%lld", CATALOG_CRAWL_URI,
		 (long long)c->crawl_id);
	in.type = WARC_T_METADATA;
	in.target_uri = uri;
	in.body = b.data;
	in.body_len = b.len;
	rc = warc_writer_write(c->w, &in, NULL, e);
	buf_release(&b);
	if (rc == 0)
		rc = capture_register_file(c, e);
	return rc;
}
