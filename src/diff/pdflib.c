/* pdflib: libpoppler-glib through dlopen.  See pdflib.h. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "diff/pdflib.h"

static struct pdflib lib;
static int loaded;
static char failure[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	const char *name = getenv("GOVARCH_TEST_POPPLER");
	const char *err;
	void *h, *sym;

	if (!name || !*name)
		name = PDFLIB_SONAME;
	/* RTLD_NODELETE: never unloaded, so the pointers stay good */
	h = dlopen(name, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!h) {
		err = dlerror();
		snprintf(failure, sizeof(failure), "%s",
			 err ? err : name);
		return;
	}
	/* dlsym searches the library and the libraries it brought */
#define PDFLIB_SYM(f)                                                   \
	sym = dlsym(h, #f);                                             \
	if (!sym) {                                                     \
		snprintf(failure, sizeof(failure), "%s: no function %s", \
			 name, #f);                                     \
		return;                                                 \
	}                                                               \
	*(void **)&lib.f = sym;
	PDFLIB_FUNCTIONS(PDFLIB_SYM)
#undef PDFLIB_SYM
	loaded = 1;
}

const struct pdflib *pdflib_load(char *why, size_t n)
{
	pthread_once(&once, load);
	if (loaded)
		return &lib;
	if (why && n)
		snprintf(why, n, "%s", failure);
	return NULL;
}
