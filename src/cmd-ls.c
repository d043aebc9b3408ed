/* govarch ls: one line per record of a WARC file. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util/buf.h"
#include "util/escape.h"
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

static void json_field(struct buf *b, const char *name, const char *s)
{
	buf_addf(b, ",\"%s\":", name);
	if (s && *s)
		escape_json(b, s, strlen(s));
	else
		buf_adds(b, "null");
}

static void ls_record(const struct warc_record *rec, int json, int first)
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
	if (json) {
		struct buf b = BUF_INIT(0);

		buf_addf(&b, "%s{\"offset\":%llu,\"length\":%llu",
			 first ? "[\n" : ",\n", (unsigned long long)rec->offset,
			 (unsigned long long)rec->length);
		json_field(&b, "type", rec->type_name);
		json_field(&b, "date", rec->date);
		json_field(&b, "uri", rec->target_uri);
		buf_adds(&b, ",\"status\":");
		buf_adds(&b, status[0] ? status : "null");
		json_field(&b, "mime", mime);
		buf_addc(&b, '}');
		fwrite(b.data, 1, b.len, stdout);
		buf_release(&b);
		warc_http_release(&h);
		return;
	}
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
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct warc_reader *r;
	struct warc_record *rec;
	const char *fmt = "text";
	struct err e;
	long n = 0;
	int o, json, rc;

	while ((o = cmd_getopt("ls", argc, argv, "f:", opts)) != -1) {
		if (o == '?')
			return EXIT_USAGE;
		fmt = optarg;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json"))
		return cmd_usage_error("ls", "'%s': no such format (text, json)",
				       fmt);
	json = !strcmp(fmt, "json");
	if (optind >= argc)
		return cmd_usage_error("ls", "missing FILE");
	if (argc - optind > 1)
		return cmd_usage_error("ls", "unexpected argument '%s'",
				       argv[optind + 1]);
	r = warc_reader_open(argv[optind], &e);
	if (!r) {
		cmd_error("ls", "%s", e.msg);
		return EXIT_FAIL;
	}
	/* the HTTP head is all a line shows: any record size, bounded memory */
	warc_reader_set_block_keep(r, 1u << 20);
	while ((rc = warc_reader_next(r, &rec, &e)) > 0)
		ls_record(rec, json, n++ == 0);
	if (json)
		fputs(n ? "\n]\n" : "[]\n", stdout);
	if (rc < 0)
		cmd_error("ls", "%s", e.msg);
	warc_reader_free(r);
	return rc < 0 ? EXIT_FAIL : EXIT_OK;
}

const struct cmd_entry cmd_ls_entry = { "ls", "FILE [--format text|json]\n  one line per record, tab-separated: offset, compressed length (0 when records can't be addressed: whole-file gzip, bz2, xz), WARC-Type, WARC-Date, target URI, HTTP status, mime (HTTP Content-Type without parameters, else the record's Content-Type); '-' for what is absent.  WARC-Date as the record has it.  json: an array of {offset, length, type, date, uri, status, mime} (status a number; null for what is absent).  Errors: FILE:OFFSET: what", "list the records of a WARC file", ls_exec };
