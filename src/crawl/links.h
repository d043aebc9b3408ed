/* links: outlinks of an HTML page or a CSS file, absolute and normalised.
 *
 * The references of a page are those src/html's html_walk_urls reports
 * (html.h lists them), resolved against the document's base (its first
 * <base href>, else its URL).  Each link says whether it is a page link
 * (to crawl as a page) or a requisite (needed to render the page: fetched
 * even from other hosts), and the element/attribute it came from
 * ("a/@href", "img/@srcset", "meta/refresh", "style/url", "@style/url"...;
 * "css/url" and "css/@import" for a stylesheet's, all requisites).
 *
 * URLs are resolved with url_resolve (non-http(s) ones such as mailto: and
 * javascript: are skipped, as are empty and "#..." self references);
 * duplicates are dropped (a URL seen as both kinds becomes a requisite),
 * first-seen order kept, and at most `max` links are kept.
 */
#ifndef GOVARCH_CRAWL_LINKS_H
#define GOVARCH_CRAWL_LINKS_H

#include <stddef.h>

#include "html/html.h"
#include "util/hashmap.h"
#include "util/err.h"

#define CRAWL_LINKS_MAX_URL HTML_MAX_URL  /* longer references are dropped */

enum crawl_link_kind { CRAWL_LINK_PAGE, CRAWL_LINK_REQUISITE };

struct crawl_link {
	char *url;                 /* absolute, normalised (malloc'd) */
	enum crawl_link_kind kind;
	const char *source;        /* static, e.g. "img/@srcset", "css/url" */
};

struct crawl_links_memo;

struct crawl_links {
	struct crawl_link *v;
	size_t n;
	size_t max;                /* keep at most this many (0: no limit) */
	int truncated;             /* links were dropped at max */
	struct crawl_links_memo *memo; /* optional, not owned: set after init */
	struct html_doc *doc;      /* private: the page being read, whose
				    * html_resolve answers are shared */
	/* private: dedupe set; the origin of the last base, for the memo */
	struct hmap set;           /* url -> index + 1 (keys borrowed from v) */
	size_t cap;
	char *memo_base, *memo_origin;
};

void crawl_links_init(struct crawl_links *l, size_t max);
/* Back to empty (l->memo is kept, still not owned). */
void crawl_links_release(struct crawl_links *l);

/* A memo of resolved references, shared by the pages of one crawl (a site's
 * menu is the same few hundred links on every page).  A reference starting
 * with "/" but not "//" resolves against any base of the same origin
 * (scheme://userinfo@host:port) to the same URL, so its result (or refusal)
 * is kept, keyed by (origin, reference): the links found are exactly those
 * found without a memo.  Bounded: at CRAWL_LINKS_MEMO_MAX entries or
 * CRAWL_LINKS_MEMO_BYTES bytes it starts over.  new: NULL when out of
 * memory; free(NULL) is a no-op. */
#define CRAWL_LINKS_MEMO_MAX 32768
#define CRAWL_LINKS_MEMO_BYTES (8u << 20)
struct crawl_links_memo *crawl_links_memo_new(void);
void crawl_links_memo_free(struct crawl_links_memo *m);

/* Add the links of a parsed HTML document.  Links accumulate in l across
 * calls.  Returns 0, or -1 with e set when memory runs out. */
int crawl_links_from_doc(struct crawl_links *l, struct html_doc *d,
			 struct err *e);

/* Add the url() and @import references of a stylesheet fetched from
 * base_url (all requisites).  Returns 0, or -1 when out of memory. */
int crawl_links_from_css(struct crawl_links *l, const char *css, size_t len,
			 const char *base_url, struct err *e);

/* Add one reference by hand (resolved against base): 1 added, 0 skipped
 * (duplicate, refused, or at max), -1 out of memory. */
int crawl_links_add(struct crawl_links *l, const char *base, const char *ref,
		    size_t reflen, enum crawl_link_kind kind, const char *source);

const char *crawl_link_kind_name(enum crawl_link_kind k); /* "page", "requisite" */

#endif
