/* regress-main: run a fuzz target over files without libFuzzer, so every
 * corpus input is replayed under ASan+UBSan in `make check`
 * (`make fuzz-regress`).  Arguments are files or directories (their
 * regular files, one level).  Prints "NAME: N inputs"; a sanitizer
 * finding aborts with its report. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REGRESS_MAX_INPUT (64u << 20)

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t n = 0, cap = 0, got;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (n == cap) {
			uint8_t *nd;

			cap = cap ? cap * 2 : 65536;
			if (cap > REGRESS_MAX_INPUT || !(nd = realloc(data, cap))) {
				fprintf(stderr, "%s: larger than %u bytes\n", path,
					REGRESS_MAX_INPUT);
				free(data);
				fclose(f);
				return -1;
			}
			data = nd;
		}
		got = fread(data + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	return 0;
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted, so runs are repeatable. */
static int run_dir(const char *dir, long *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		char *p;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			break;
		if (stat(p, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 64) *
					    sizeof(*nn));

			if (!nn) {
				free(p);
				break;
			}
			names = nn;
		}
		names[n++] = p;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), compare);
	for (i = 0; i < n; i++) {
		if (run_file(names[i]) < 0)
			rc = -1;
		else
			(*count)++;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	long count = 0;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) < 0)
				rc = 1;
		} else if (run_file(argv[i]) < 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("%s: %ld inputs\n", argv[0], count);
	return rc;
}
