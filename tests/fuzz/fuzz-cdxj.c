/* fuzz-cdxj: libFuzzer target for the CDXJ index (`govarch index --cdxj`).
 * The program reads no CDXJ; it writes it from WARC records whose every
 * field comes from outside (target URI, date, HTTP status and
 * Content-Type, payload digest), so the input is a WARC file, put alone in
 * a temporary archive directory and indexed by catalog_cdxj.  Every line
 * must then be what a CDXJ reader (pywb) splits safely: a key without
 * space or control bytes, a space, 14 digits, a space, one JSON object on
 * one line.  A line that breaks this aborts.  `make fuzz` builds it;
 * `make fuzz-regress` replays tests/fuzz/corpus/cdxj/ through it:
 *
 *   mkdir -p /tmp/fuzz-cdxj && build-fuzz/fuzz-cdxj -max_len=65536 /tmp/fuzz-cdxj tests/fuzz/corpus/cdxj
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_line(const char *s, size_t n)
{
	size_t i = 0, d;

	if (n == 0)
		abort();
	for (; i < n && s[i] != ' '; i++)     /* the key */
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
	if (i == 0 || i == n)
		abort();
	for (d = 0, i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		d++;
	if (d != 14 || i + 2 > n || s[i] != ' ' || s[i + 1] != '{' ||
	    s[n - 1] != '}')
		abort();
	for (i += 2; i < n; i++)              /* JSON: no raw control bytes */
		if ((unsigned char)s[i] < 0x20)
			abort();
}

static char dir[64], path[96];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT(1u << 24);
	struct catalog_rebuild_stats st;
	struct err e;
	size_t at, nl;
	FILE *f;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/fuzz-cdxj-%d", (int)getpid());
		mkdir(dir, 0700);
		snprintf(path, sizeof(path), "%s/in.warc", dir);
		atexit(cleanup);
	}
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	memset(&st, 0, sizeof(st));
	if (catalog_cdxj(dir, &out, &st, &e) == 0) {
		for (at = 0; at < out.len; at = nl + 1) {
			const char *p = memchr(out.data + at, '\n', out.len - at);

			if (!p)
				abort();          /* every line ends in \n */
			nl = (size_t)(p - out.data);
			check_line(out.data + at, nl - at);
		}
	}
	buf_release(&out);
	return 0;
}
