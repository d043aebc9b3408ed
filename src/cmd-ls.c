/* govarch ls: one line per record of a WARC file. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "warc/warc.h"

/* Print s with tabs, newlines and other controls as '?', so a field never
 * breaks the line format. */
static void put_field(const char *s)
{
	if (!s || !*s) {
		fputc('-', stdout);
		return;
	}
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, stdout);
}

static void ls_record(const struct warc_record *rec)
{
	struct warc_http h;
	char mime[128] = "", status[8] = "";
	const char *hct = NULL;

	warc_http_init(&h);
	if (warc_record_is_http(rec) &&
	    warc_http_parse(rec->block.data, rec->block.len, &h, NULL) == 0) {
		if (!h.is_request && h.status)
			snprintf(status, sizeof(status), "%d", h.status);
		hct = warc_fields_get(&h.headers, "Content-Type");
	}
	warc_mime_only(hct && *hct ? hct : rec->content_type, mime, sizeof(mime));
	printf("%llu\t%llu\t", (unsigned long long)rec->offset,
	       (unsigned long long)rec->length);
	put_field(rec->type_name);
	fputc('\t', stdout);
	put_field(rec->date);
	fputc('\t', stdout);
	put_field(rec->target_uri);
	fputc('\t', stdout);
	put_field(status);
	fputc('\t', stdout);
	put_field(mime);
	fputc('\n', stdout);
	warc_http_release(&h);
}

static int ls_exec(int argc, char **argv)
{
	struct warc_reader *r;
	struct warc_record *rec;
	struct err e;
	int rc;

	if (argc != 2)
		return cmd_usage("ls");
	r = warc_reader_open(argv[1], &e);
	if (!r) {
		cmd_error("ls", "%s", e.msg);
		return EXIT_FAIL;
	}
	while ((rc = warc_reader_next(r, &rec, &e)) > 0)
		ls_record(rec);
	fflush(stdout);
	if (rc < 0)
		cmd_error("ls", "%s", e.msg);
	warc_reader_free(r);
	return rc < 0 ? EXIT_FAIL : EXIT_OK;
}

const struct cmd_entry cmd_ls_entry = { "ls", "FILE\n  one line per record, tab-separated: offset, compressed length (0 when records can't be addressed: whole-file gzip, bz2, xz), WARC-Type, WARC-Date, target URI, HTTP status, mime (HTTP Content-Type without parameters, else the record's Content-Type); '-' for what is absent.  Errors: FILE:OFFSET: what", "list the records of a WARC file", ls_exec };
