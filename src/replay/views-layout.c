/* views-layout: the one frame (head, CSS, navigation) of the replay
 * server's pages, and the escaping of what goes into them: text through
 * util/escape, archived URLs percent-encoded where a URL may not hold a
 * byte, then escaped for the attribute. */
#include <string.h>

#include "replay/views-int.h"
#include "util/escape.h"
#include "util/timeutil.h"
#include "util/url.h"

static const char css[] =
	"body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#222;"
	"background:#fff}"
	"header.gv{background:#1d2b36;color:#eef;padding:.5em 1.5em}"
	"header.gv a{color:#9cd3ff;margin-right:1.2em}"
	"header.gv .name{color:#fff;font-weight:bold;text-decoration:none}"
	"main{margin:1em 1.5em}"
	"h1{font-size:1.3em;overflow-wrap:anywhere}"
	"h2{font-size:1.1em;margin-top:1.5em}"
	"table{border-collapse:collapse}"
	"td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left;"
	"vertical-align:top}"
	"td.url{overflow-wrap:anywhere;max-width:40em}"
	/* kind colours on the word (and heading), not on whole rows */
	":not(tr).k-first,:not(tr).k-added{color:#2e7d32}"
	":not(tr).k-edited{color:#1565c0}"
	":not(tr).k-silent{color:#ef6c00;font-weight:bold}"
	":not(tr).k-date-only{color:#8e24aa}"
	":not(tr).k-redirected{color:#00838f}"
	":not(tr).k-removed,:not(tr).k-failed{color:#c62828}"
	":not(tr).k-unchanged{color:#777}"
	"svg{max-width:100%;height:auto;display:block;margin:1em 0}"
	"ul.urls li{overflow-wrap:anywhere}"
	".more{font-style:italic}"
	"td.d{white-space:nowrap}"
	"#prefix{width:min(40em,90%)}";

void vw_esc(struct buf *out, const char *s)
{
	escape_html(out, s ? s : "", s ? strlen(s) : 0);
}

void vw_begin(struct buf *out, const char *title)
{
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		 "content=\"width=device-width, initial-scale=1\">\n<title>");
	vw_esc(out, title);
	buf_addf(out, " \xE2\x80\x94 govarch archive</title>\n<style>%s</style>\n"
		 "</head>\n<body>\n<header class=\"gv\"><a class=\"name\" "
		 "href=\"/\">govarch archive</a><a href=\"/\">Crawls and "
		 "search</a><a href=\"/changes\">Latest changes</a></header>\n"
		 "<main>\n", css);
}

void vw_end(struct buf *out)
{
	buf_adds(out, "</main>\n</body>\n</html>\n");
}

int vw_message(struct buf *out, int status, const char *title,
	       const char *text)
{
	/* the catalog's messages start with its full path: not for the web */
	const char *p = text ? strstr(text, CATALOG_FILE ": ") : NULL;

	if (p)
		text = p + strlen(CATALOG_FILE ": ");
	vw_begin(out, title);
	buf_adds(out, "<h1>");
	vw_esc(out, title);
	buf_adds(out, "</h1>\n<p>");
	vw_esc(out, text);
	buf_adds(out, "</p>\n");
	vw_end(out);
	return status;
}

void vw_url(struct buf *out, const char *url)
{
	struct buf enc = BUF_INIT(0);
	const unsigned char *p;

	for (p = (const unsigned char *)(url ? url : ""); *p; p++) {
		if (*p <= 0x20 || *p >= 0x7F || strchr("\"'<>\\^`{|}#", *p))
			url_add_escape(&enc, *p);
		else
			buf_addc(&enc, (char)*p);
	}
	escape_html(out, enc.data, enc.len);
	buf_release(&enc);
}

void vw_query(struct buf *out, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_addc(out, (char)*p);
		else
			url_add_escape(out, *p);
	}
}

void vw_href_replay(struct buf *out, const char *ts, const char *url)
{
	buf_addc(out, '/');
	vw_esc(out, ts);
	buf_addc(out, '/');
	vw_url(out, url);
}

void vw_href_calendar(struct buf *out, const char *url)
{
	buf_adds(out, "/calendar/");
	vw_url(out, url);
}

void vw_href_diff(struct buf *out, const char *from_ts, const char *to_ts,
		  const char *url)
{
	buf_adds(out, "/diff/");
	vw_esc(out, from_ts);
	buf_addc(out, '/');
	vw_esc(out, to_ts);
	buf_addc(out, '/');
	vw_url(out, url);
}

void vw_a_replay(struct buf *out, const char *ts, const char *url,
		 const char *text)
{
	buf_adds(out, "<a href=\"");
	vw_href_replay(out, ts, url);
	buf_adds(out, "\">");
	vw_esc(out, text);
	buf_adds(out, "</a>");
}

void vw_a_calendar(struct buf *out, const char *url)
{
	buf_adds(out, "<a href=\"");
	vw_href_calendar(out, url);
	buf_adds(out, "\">");
	vw_esc(out, url);
	buf_adds(out, "</a>");
}

void vw_iso(const char *ts, char out[32])
{
	time_iso(ts ? ts : "", out);
}

int vw_is_ts14(const char *s)
{
	return s && strlen(s) == 14 && strspn(s, "0123456789") == 14;
}
