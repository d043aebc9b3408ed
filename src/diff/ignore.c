/* ignore: the site rules' ignore-text patterns applied to a page's blocks
 * (extract.h).  The stored text is never filtered; only two versions being
 * compared are. */
#include <stdlib.h>
#include <string.h>

#include "diff/extract.h"

int diff_rules_ignored(const struct diff_rules *r, const char *text)
{
	size_t i;

	for (i = 0; r && i < r->n_ignore_text; i++)
		if (regexec(&r->ignore_re[i], text, 0, NULL, 0) == 0)
			return (int)i;
	return -1;
}

int diff_page_split_ignored(struct diff_page *p, const struct diff_rules *r,
			    struct diff_page *ignored)
{
	struct diff_block *grown;
	size_t i, k = 0, n = 0;

	if (!r || !r->n_ignore_text)
		return 0;
	for (i = 0; i < p->n_blocks; i++)
		n += diff_rules_ignored(r, p->blocks[i].text) >= 0;
	if (!n)
		return 0;
	grown = realloc(ignored->blocks,
			(ignored->n_blocks + n) * sizeof(*grown));
	if (!grown)
		return -1;
	ignored->blocks = grown;
	for (i = 0; i < p->n_blocks; i++) {
		if (diff_rules_ignored(r, p->blocks[i].text) >= 0)
			ignored->blocks[ignored->n_blocks++] = p->blocks[i];
		else
			p->blocks[k++] = p->blocks[i];
	}
	p->n_blocks = k;
	return 0;
}
