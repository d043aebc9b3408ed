/* rules-keys: which config keys are extraction rules for the diff module
 * (src/diff/extract.h, diff_rules_set): name, main, remove, date,
 * date-format, issue-date, each also with an "extract-" prefix.  Such lines
 * are kept verbatim in crawl_config.rules and handed to diff_rules_set. */
#ifndef GOVARCH_CRAWL_RULES_KEYS_H
#define GOVARCH_CRAWL_RULES_KEYS_H

#include <string.h>

static inline int crawl_rules_key(const char *key)
{
	static const char *const k[] = { "name", "main", "remove", "date",
					 "date-format", "issue-date" };
	size_t i;

	if (!strncmp(key, "extract-", 8))
		key += 8;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (!strcmp(key, k[i]))
			return 1;
	return 0;
}

#endif
