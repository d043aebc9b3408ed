/* govarch cat: one record (or its HTTP payload) out of a WARC file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "warc/warc.h"

/* Position r on the record at offset: seek when we can, else read in order
 * (whole-file gzip streams, bz2, xz: offsets are uncompressed positions). */
static int find_record(const char *path, uint64_t off, struct warc_reader **rp,
		       struct warc_record **recp, struct err *e)
{
	struct warc_reader *r = warc_reader_open(path, e);
	int rc;

	if (!r)
		return -1;
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
	r = warc_reader_open(path, e);
	if (!r)
		return -1;
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

static int cat_exec(int argc, char **argv)
{
	struct warc_reader *r = NULL;
	struct warc_record *rec;
	struct buf out = BUF_INIT(0);
	const char *file = NULL, *offs = NULL;
	int payload = 0, i, rc = EXIT_FAIL;
	unsigned long long off;
	char *end;
	struct err e;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--payload"))
			payload = 1;
		else if (!file)
			file = argv[i];
		else if (!offs)
			offs = argv[i];
		else
			return cmd_usage("cat");
	}
	if (!file || !offs)
		return cmd_usage("cat");
	errno = 0;
	off = strtoull(offs, &end, 10);
	if (errno || *end || end == offs) {
		cmd_error("cat", "bad offset '%s'", offs);
		return EXIT_USAGE;
	}
	e.msg[0] = '\0';
	if (find_record(file, off, &r, &rec, &e) < 0) {
		cmd_error("cat", "%s", e.msg);
		return EXIT_FAIL;
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
	if (fflush(stdout) != 0) {
		cmd_error("cat", "write failed: %s", strerror(errno));
		goto out;
	}
	rc = EXIT_OK;
out:
	buf_release(&out);
	warc_reader_free(r);
	return rc;
}

const struct cmd_entry cmd_cat_entry = { "cat", "FILE OFFSET [--payload]\n  the record at OFFSET (as ls shows it): WARC header and block as stored, uncompressed; with --payload only the HTTP entity body, de-chunked and content-decoded (gzip, deflate, br), or the block of a non-HTTP record", "print one record or its payload", cat_exec };
