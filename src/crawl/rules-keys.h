/* rules-keys: which config keys are extraction rules for the diff module
 * (src/diff/extract.h, diff_rules_set): name, main, remove, date,
 * date-format, issue-date, ignore-text, each also with an "extract-" prefix.  Such lines
 * are kept verbatim in crawl_config.rules and handed to diff_rules_set. */
#ifndef GOVARCH_CRAWL_RULES_KEYS_H
#define GOVARCH_CRAWL_RULES_KEYS_H

#include <string.h>

/* The i-th rule key (without the prefix), NULL past the last. */
static inline const char *crawl_rules_key_name(size_t i)
{
	static const char *const k[] = { "name", "main", "remove", "date",
					 "date-format", "issue-date",
					 "ignore-text" };

	return i < sizeof(k) / sizeof(k[0]) ? k[i] : NULL;
}

static inline int crawl_rules_key(const char *key)
{
	const char *k;
	size_t i;

	if (!strncmp(key, "extract-", 8))
		key += 8;
	for (i = 0; (k = crawl_rules_key_name(i)); i++)
		if (!strcmp(key, k))
			return 1;
	return 0;
}

#endif
