/* catalog surt-key: the SURT key of a capture's URL (util/surt.h, the shared
 * IA/pywb canonicaliser). */
#include <stdlib.h>

#include "catalog/catalog-int.h"
#include "util/surt.h"

char *cat_surt(const char *url)
{
	char *out = NULL;

	if (surt_key(url, &out, NULL) < 0)
		return NULL;
	return out;
}
