/* pdflib: libpoppler-glib loaded with dlopen the first time a PDF is read,
 * so that no other command pays for it at start (poppler-glib brings 51 of
 * the binary's 86 shared libraries and C++ relocations: ~17 ms of every
 * run).  govarch is compiled against poppler-glib's headers but not linked
 * with it; each function pdf.c calls is one pointer in struct pdflib, whose
 * type is the header's (__typeof__), so a mismatch is a compile error.  The
 * glib and gobject functions come through the same handle (they are
 * poppler-glib's dependencies).
 *
 * The library loaded is PDFLIB_SONAME (the soname the build was compiled
 * against), or the file $GOVARCH_TEST_POPPLER names (for the tests).
 */
#ifndef GOVARCH_DIFF_PDFLIB_H
#define GOVARCH_DIFF_PDFLIB_H

#include <stddef.h>

#include <poppler.h>

#ifndef PDFLIB_SONAME
#define PDFLIB_SONAME "libpoppler-glib.so.8"
#endif

#define PDFLIB_FUNCTIONS(X)                 \
	X(poppler_document_new_from_bytes)  \
	X(poppler_document_get_title)       \
	X(poppler_document_get_n_pages)     \
	X(poppler_document_get_page)        \
	X(poppler_page_get_text)            \
	X(poppler_page_get_text_layout)     \
	X(poppler_error_quark)              \
	X(g_bytes_new_static)               \
	X(g_bytes_unref)                    \
	X(g_object_unref)                   \
	X(g_error_free)                     \
	X(g_free)                           \
	X(g_utf8_strlen)                    \
	X(g_log_set_default_handler)

struct pdflib {
#define PDFLIB_FIELD(f) __typeof__(f) *f;
	PDFLIB_FUNCTIONS(PDFLIB_FIELD)
#undef PDFLIB_FIELD
};

/* A call through the table: PDFLIB(pl, g_free)(p).  The parentheses keep a
 * library macro of the same name from expanding. */
#define PDFLIB(pl, f) ((pl)->f)

/* The functions, the library loaded on the first call (thread-safe; later
 * calls give the same answer).  NULL when it could not be loaded or lacks
 * one of them: why (at most n bytes) then says so in one line naming the
 * library, as dlerror has it ("libpoppler-glib.so.8: cannot open shared
 * object file: No such file or directory"). */
const struct pdflib *pdflib_load(char *why, size_t n);

#endif
