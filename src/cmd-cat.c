/* govarch cat: one record (or its HTTP payload) out of a WARC file. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "cmd.h"
#include "util/timeutil.h"
#include "warc/warc.h"

/* A block larger than this is not held in memory: its start (the HTTP
 * head) is, the rest is streamed to the output. */
#define CAT_KEEP (1u << 20)

struct sink {
	FILE *f;
	uint64_t skip;              /* block bytes not written (the HTTP head) */
};

static int sink_write(void *ctx, const void *p, size_t n)
{
	struct sink *s = ctx;

	if (s->skip >= n) {
		s->skip -= n;
		return 0;
	}
	p = (const char *)p + s->skip;
	n -= (size_t)s->skip;
	s->skip = 0;
	return fwrite(p, 1, n, s->f) == n ? 0 : -1;
}

/* Position r on the record at offset: seek when we can, else read in order
 * (whole-file gzip streams, bz2, xz: offsets are uncompressed positions).
 * With sk (seekable files only), the block goes through it. */
static int find_record(const char *path, uint64_t off, struct sink *sk,
		       struct warc_reader **rp, struct warc_record **recp,
		       struct err *e)
{
	struct warc_reader *r = warc_reader_open(path, e);
	int rc;

	if (!r)
		return -1;
	warc_reader_set_block_keep(r, CAT_KEEP);
	if (sk && warc_reader_seekable(r))
		warc_reader_set_block_sink(r, sink_write, sk);
	if (sk && warc_reader_seekable(r)) {
		/* the second reading of a large record: its errors as they are
		 * (output failed: a full disk) */
		if (warc_reader_seek(r, off, e) == 0 &&
		    warc_reader_next(r, recp, e) > 0) {
			*rp = r;
			return 0;
		}
		warc_reader_free(r);
		return -1;
	}
	if (warc_reader_seekable(r) && warc_reader_seek(r, off, e) == 0 &&
	    warc_reader_next(r, recp, e) > 0 && (*recp)->offset == off) {
		*rp = r;
		return 0;
	}
	if (strstr(e->msg, "dictionary")) {
		warc_reader_free(r);
		return -1;
	}
	warc_reader_free(r);
	if (sk)
		return err_set(e, "%s:%llu: no record starts at this offset",
			       path, (unsigned long long)off);
	r = warc_reader_open(path, e);
	if (!r)
		return -1;
	/* in order: a record of the size asked is read whole */
	while ((rc = warc_reader_next(r, recp, e)) > 0) {
		if ((*recp)->offset == off) {
			*rp = r;
			return 0;
		}
		if ((*recp)->offset > off && (*recp)->length)
			break;
	}
	warc_reader_free(r);
	if (rc < 0)
		return -1;
	return err_set(e, "%s:%llu: no record starts at this offset", path,
		       (unsigned long long)off);
}

/* The catalog that knows FILE: the archive's (--archive), else the one in
 * the file's directory or the one above it (ARCHIVE/FILE, ARCHIVE/x/FILE). */
static struct catalog *open_catalog_of(const char *file, char **dir)
{
	struct catalog *c;
	struct err e;
	char *d = strdup(file), *slash;
	int up;

	*dir = NULL;
	if ((c = catalog_open(cmd_archive, CATALOG_READONLY, &e))) {
		free(d);
		*dir = strdup(cmd_archive);
		return c;
	}
	for (up = 0; d && up < 2; up++) {
		slash = strrchr(d, '/');
		if (!slash)
			break;
		*slash = '\0';
		if ((c = catalog_open(*d ? d : "/", CATALOG_READONLY, &e))) {
			*dir = d;
			return c;
		}
	}
	if (d && up == 0 && !strchr(file, '/') &&
	    (c = catalog_open(".", CATALOG_READONLY, &e))) {
		free(d);
		*dir = strdup(".");
		return c;
	}
	free(d);
	return NULL;
}

/* A revisit has no payload of its own: the record it refers to, found
 * through the catalog (by record id, WARC-Refers-To, target URI + date, or
 * URL + payload digest).  *r and *rec replaced by the original's; *path
 * set to its file (malloc'd).  -1 with e saying why when not found. */
static int revisit_original(const char *file, uint64_t off,
			    struct warc_reader **r, struct warc_record **rec,
			    char **path, struct err *e)
{
	struct catalog_revisit rv;
	struct catalog *c;
	char ts[15] = "", *dir = NULL, *rel = NULL;
	uint64_t at = 0;
	time_t t;
	int rc;

	memset(&rv, 0, sizeof(rv));
	rv.record_id = (*rec)->record_id;
	rv.refers_to = warc_fields_get(&(*rec)->fields, "WARC-Refers-To");
	rv.refers_to_target = warc_fields_get(&(*rec)->fields,
					      "WARC-Refers-To-Target-URI");
	rv.refers_to_date = warc_fields_get(&(*rec)->fields,
					    "WARC-Refers-To-Date");
	rv.url = (*rec)->target_uri;
	rv.payload_digest = warc_fields_get(&(*rec)->fields,
					    "WARC-Payload-Digest");
	if ((*rec)->date && time_parse_warc_date((*rec)->date, &t) == 0) {
		time_ts14(t, ts);
		rv.ts = ts;
	}
	c = open_catalog_of(file, &dir);
	if (!c) {
		free(dir);
		return err_set(e, "%s:%llu: a revisit of %s; no catalog (%s) to "
			       "find the record it refers to", file,
			       (unsigned long long)off, rv.url ? rv.url : "?",
			       cmd_archive);
	}
	rc = catalog_revisit_original(c, &rv, &rel, &at, e);
	catalog_close(c);
	if (rc == 0)
		err_set(e, "%s:%llu: a revisit of %s; the record it refers to is "
			"not in %s's catalog", file, (unsigned long long)off,
			rv.url ? rv.url : "?", dir);
	if (rc <= 0) {
		free(dir);
		return -1;
	}
	if (asprintf(path, "%s/%s", dir, rel) < 0)
		*path = NULL;
	free(dir);
	free(rel);
	if (!*path)
		return err_set(e, "out of memory");
	warc_reader_free(*r);
	*r = NULL;
	if (find_record(*path, at, NULL, r, rec, e) < 0)
		return -1;
	return 0;
}

static int cat_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "payload", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct warc_reader *r = NULL;
	struct warc_record *rec;
	struct buf out = BUF_INIT(0);
	const char *file = NULL, *offs = NULL;
	char *path = NULL;
	int payload = 0, o, rc = EXIT_FAIL, hops = 0;
	unsigned long long off;
	char *end;
	struct err e;

	while ((o = cmd_getopt("cat", argc, argv, "", opts)) != -1) {
		if (o == '?')
			return EXIT_USAGE;
		payload = 1;
	}
	if (argc - optind < 2)
		return cmd_usage_error("cat", "missing %s", argc > optind ?
				       "OFFSET" : "FILE and OFFSET");
	if (argc - optind > 2)
		return cmd_usage_error("cat", "unexpected argument '%s'",
				       argv[optind + 2]);
	file = argv[optind];
	offs = argv[optind + 1];
	errno = 0;
	off = strtoull(offs, &end, 10);
	if (errno || *end || end == offs || !isdigit((unsigned char)*offs))
		return cmd_usage_error("cat", "'%s' is not an offset (a number "
				       "of bytes, as ls shows it)", offs);
	e.msg[0] = '\0';
	if (find_record(file, off, NULL, &r, &rec, &e) < 0) {
		cmd_error("cat", "%s", e.msg);
		return EXIT_FAIL;
	}
	/* a revisit's payload is its original's (a chain: at most 5 steps) */
	while (payload && rec->type == WARC_T_REVISIT && hops++ < 5) {
		char *orig = NULL;

		if (revisit_original(file, off, &r, &rec, &orig, &e) < 0) {
			free(orig);
			cmd_error("cat", "%s", e.msg);
			goto out;
		}
		free(path);
		file = path = orig;
		off = rec->offset;
	}
	if (rec->block_cut) {
		/* a large block: streamed (the payload when the body is stored
		 * as sent: neither chunked nor content-encoded) */
		struct sink sk = { stdout, 0 };
		struct warc_http h;
		int whole = 1;

		if (payload && warc_record_is_http(rec)) {
			const char *ce;

			warc_http_init(&h);
			if (warc_http_parse(rec->block.data, rec->block.len, &h,
					    &e) < 0) {
				cmd_error("cat", "%s:%llu: %s", file, off, e.msg);
				warc_http_release(&h);
				goto out;
			}
			ce = warc_fields_get(&h.headers, "Content-Encoding");
			sk.skip = h.head_len;
			whole = !h.chunked && (!ce || !*ce || !strcasecmp(ce, "identity"));
			warc_http_release(&h);
		}
		if (whole) {
			if (!payload)
				fwrite(rec->header_raw.data, 1, rec->header_raw.len,
				       stdout);
			warc_reader_free(r);
			r = NULL;
			if (find_record(file, off, &sk, &r, &rec, &e) < 0) {
				cmd_error("cat", "%s", e.msg);
				goto out;
			}
			if (!payload)
				fwrite("\r\n\r\n", 1, 4, stdout);
			rc = EXIT_OK;   /* main checks what reached stdout */
			goto out;
		}
		/* chunked or encoded: decoded from the whole block */
		warc_reader_free(r);
		r = warc_reader_open(file, &e);
		if (!r || warc_reader_seek(r, off, &e) < 0 ||
		    warc_reader_next(r, &rec, &e) <= 0) {
			cmd_error("cat", "%s", e.msg);
			goto out;
		}
	}
	if (!payload) {
		fwrite(rec->header_raw.data, 1, rec->header_raw.len, stdout);
		fwrite(rec->block.data, 1, rec->block.len, stdout);
		fwrite("\r\n\r\n", 1, 4, stdout);
	} else if (warc_record_is_http(rec)) {
		struct warc_http h;

		warc_http_init(&h);
		if (warc_http_parse(rec->block.data, rec->block.len, &h, &e) < 0 ||
		    warc_http_payload(rec->block.data, rec->block.len, &h, 1, &out, &e) < 0) {
			cmd_error("cat", "%s:%llu: %s", file, off, e.msg);
			warc_http_release(&h);
			goto out;
		}
		warc_http_release(&h);
		fwrite(out.data, 1, out.len, stdout);
	} else {
		fwrite(rec->block.data, 1, rec->block.len, stdout);
	}
	rc = EXIT_OK;
out:
	buf_release(&out);
	warc_reader_free(r);
	free(path);
	return rc;
}

const struct cmd_entry cmd_cat_entry = { "cat", "FILE OFFSET [--payload]\n  the record at OFFSET (as ls shows it): WARC header and block as stored, uncompressed; with --payload only the HTTP entity body, de-chunked and content-decoded (gzip, deflate, br), or the block of a non-HTTP record; a revisit's payload is that of the record it refers to, found through the archive's catalog (--archive, else the catalog beside FILE or one directory up; by record id, WARC-Refers-To, WARC-Refers-To-Target-URI + WARC-Refers-To-Date, or URL + payload digest): an error when it cannot be found", "print one record or its payload", cat_exec };
