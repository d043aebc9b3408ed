/* Shared between the extract-*.c files; not part of the API. */
#ifndef GOVARCH_DIFF_EXTRACT_INTERNAL_H
#define GOVARCH_DIFF_EXTRACT_INTERNAL_H

#include <stddef.h>

#include "diff/extract.h"

/* A date starting exactly at s (rules' formats, then defaults): bytes
 * consumed and ymd, or -1. */
long diff_date_match(const char *s, size_t n, const struct diff_rules *r,
		     char ymd[11]);
/* An ISO date at the start of s (datetime attributes): 0 or -1. */
int diff_date_iso(const char *s, char ymd[11]);
/* libxml2 generic error sink that drops everything. */
void diff_xml_quiet(void *ctx, const char *msg, ...);

#endif
