/* site-prose: the main text of generated pages.
 *
 * Everything comes from a generator seeded by the page's key, so a page
 * reads the same on every request and in every version, except the
 * paragraphs a version edits: paragraph i's seed also takes the last step
 * whose edit chose i.  Structure (subheads, list, table, figure, PDF) is
 * drawn from its own seed and never changes with an edit.
 */
#include "site.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const subjects[] = {
	"The Department", "DPMC", "The Cabinet Office", "Officials",
	"The Government", "Agencies across the public sector",
	"The Policy Advisory Group", "Ministers", "The National Security Group",
	"Our teams", "The Chief Executive", "The Honours Unit",
};
static const char *const verbs[] = {
	"works with", "supports", "provides advice on", "coordinates",
	"reports on", "publishes guidance on", "leads work on", "monitors",
	"reviews", "is responsible for", "contributes to", "consults on",
};
static const char *const objects[] = {
	"national security priorities", "the Cabinet decision-making process",
	"public sector agencies", "the constitutional arrangements of New Zealand",
	"emergency management", "policy quality", "official information requests",
	"the New Zealand Royal Honours system", "risk and resilience",
	"community engagement", "long-term insights briefings",
	"the Government's priorities", "recovery and regeneration",
	"the work of the Executive Council", "strategic crisis management",
};
static const char *const clauses[] = {
	"to ensure advice is timely and well informed",
	"in line with the Cabinet Manual", "across the wider public sector",
	"in partnership with iwi and communities",
	"under the Official Information Act 1982",
	"as part of its annual work programme",
	"so that Ministers can make informed decisions",
	"with the support of other agencies", "throughout the year",
	"while protecting the privacy of the people involved",
};
static const char *const headings[] = {
	"Background", "Our role", "What we do", "Key documents",
	"How to contact us", "Next steps", "Further information", "Related work",
	"Who is involved", "Timeline", "Purpose", "How decisions are made",
};
static const char *const list_items[] = {
	"Policy advice to the Prime Minister and Cabinet",
	"Support for the Governor-General", "Coordination of national security",
	"Leadership of the policy profession", "Secretariat services to Cabinet",
	"Administration of the honours system", "Monitoring of Government targets",
	"Guidance on the caretaker convention", "Reporting to Parliament",
	"Engagement with communities and iwi",
};
static const char *const title_adjs[] = {
	"Annual", "Quarterly", "Regional", "Interim", "Updated", "Independent",
	"Final", "Draft",
};
static const char *const title_nouns[] = {
	"progress report", "engagement summary", "review findings",
	"guidance note", "work programme", "briefing", "evaluation",
	"consultation outcomes",
};

static const char *pick(struct site_rng *r, const char *const *words, size_t n)
{
	return words[site_rng_below(r, (unsigned)n)];
}

void site_prose_title(uint64_t seed, struct buf *out)
{
	struct site_rng r;

	site_rng_seed(&r, seed);
	buf_addf(out, "%s %s %u", pick(&r, title_adjs, N(title_adjs)),
		 pick(&r, title_nouns, N(title_nouns)),
		 2024u + site_rng_below(&r, 2));
}

void site_prose_paragraph(struct buf *b, uint64_t seed, const char *topic)
{
	struct site_rng r;
	unsigned sentences;

	site_rng_seed(&r, seed);
	sentences = 2 + site_rng_below(&r, 4);
	buf_adds(b, "<p>");
	for (unsigned i = 0; i < sentences; i++) {
		if (i)
			buf_addc(b, ' ');
		if (topic && i == 0 && site_rng_below(&r, 2)) {
			buf_adds(b, "This page sets out information about ");
			site_html_escape(b, topic);
			buf_addf(b, ", %s.", pick(&r, clauses, N(clauses)));
			continue;
		}
		buf_addf(b, "%s %s %s %s.", pick(&r, subjects, N(subjects)),
			 pick(&r, verbs, N(verbs)), pick(&r, objects, N(objects)),
			 pick(&r, clauses, N(clauses)));
	}
	buf_adds(b, "</p>\n");
}

/* Where a page keeps its files: a year-month folder picked by its key. */
static void files_folder(const char *key, char out[16])
{
	uint64_t h = site_hash(key, 22);

	snprintf(out, 16, "%04u-%02u", 2019u + (unsigned)(h % 6),
		 1u + (unsigned)((h / 6) % 12));
}

static void file_base(const char *key, char *out, size_t n)
{
	const char *slash = strrchr(key, '/');

	snprintf(out, n, "%s", slash && slash[1] ? slash + 1 : "dpmc-home");
}

static int has_figure(const char *key)
{
	return strcmp(key, "/") == 0 || site_hash(key, 20) % 10 == 0;
}

static int has_pdf(const char *key)
{
	return strcmp(key, "/") == 0 || site_hash(key, 21) % 12 == 0;
}

void site_prose_requisites(const char *key, struct buf *out)
{
	char folder[16], base[256];

	files_folder(key, folder);
	file_base(key, base, sizeof(base));
	if (has_figure(key))
		buf_addf(out, "/sites/default/files/styles/large/public/%s/%s.png\n"
			 "/sites/default/files/styles/medium/public/%s/%s.png\n",
			 folder, base, folder, base);
	if (has_pdf(key))
		buf_addf(out, "/sites/default/files/%s/%s.pdf\n", folder, base);
}

static void add_list(struct buf *b, struct site_rng *r)
{
	unsigned n = 3 + site_rng_below(r, 4), first = site_rng_below(r, N(list_items));

	buf_adds(b, "<ul>\n");
	for (unsigned i = 0; i < n; i++)
		buf_addf(b, "<li>%s</li>\n", list_items[(first + i) % N(list_items)]);
	buf_adds(b, "</ul>\n");
}

static void add_table(struct buf *b, struct site_rng *r)
{
	static const char *const status[] = { "Published", "In progress",
		"Under review", "Completed" };
	unsigned rows = 3 + site_rng_below(r, 3);

	buf_adds(b, "<table>\n<caption>Reports and their status</caption>\n"
		 "<thead><tr><th>Year</th><th>Report</th><th>Status</th></tr>"
		 "</thead>\n<tbody>\n");
	for (unsigned i = 0; i < rows; i++)
		buf_addf(b, "<tr><td>%u</td><td>%s %s</td><td>%s</td></tr>\n",
			 2024 - i, pick(r, title_adjs, N(title_adjs)),
			 pick(r, title_nouns, N(title_nouns)),
			 status[site_rng_below(r, N(status))]);
	buf_adds(b, "</tbody>\n</table>\n");
}

static void add_figure(struct buf *b, const char *key, const char *title)
{
	char folder[16], base[256];

	files_folder(key, folder);
	file_base(key, base, sizeof(base));
	buf_addf(b, "<figure class=\"image\">\n<img src=\"/sites/default/files/"
		 "styles/large/public/%s/%s.png\" srcset=\"/sites/default/files/"
		 "styles/medium/public/%s/%s.png 480w, /sites/default/files/"
		 "styles/large/public/%s/%s.png 960w\" sizes=\"(min-width: 960px)"
		 " 960px, 100vw\" width=\"960\" height=\"540\" alt=\"",
		 folder, base, folder, base, folder, base);
	site_html_escape(b, title);
	buf_adds(b, "\" loading=\"lazy\">\n<figcaption>");
	site_html_escape(b, title);
	buf_adds(b, "</figcaption>\n</figure>\n");
}

static void add_pdf_link(struct buf *b, const char *key, const char *title)
{
	char folder[16], base[256];

	files_folder(key, folder);
	file_base(key, base, sizeof(base));
	buf_addf(b, "<p class=\"file\"><a href=\"/sites/default/files/%s/%s.pdf\""
		 " type=\"application/pdf\">", folder, base);
	site_html_escape(b, title);
	buf_adds(b, " (PDF, 1 KB)</a></p>\n");
}

/* The seed of paragraph i: changes with the last step that edited it. */
static uint64_t paragraph_seed(const char *key, unsigned i, unsigned n,
			       unsigned text_steps)
{
	uint64_t seed = site_hash(key, 1000 + (uint64_t)i);

	for (unsigned step = 1; step < SITE_VERSIONS; step++)
		if ((text_steps & (1u << step)) &&
		    site_hash(key, 600 + (uint64_t)step) % n == i)
			seed = site_mix(seed ^ (0x5eed0000ULL + step));
	return seed;
}

void site_prose_body(struct buf *b, const char *key, const char *title,
		     unsigned text_steps)
{
	struct site_rng shape;
	unsigned paragraphs;
	int with_list, with_table;

	site_rng_seed(&shape, site_hash(key, 7));
	paragraphs = 3 + site_rng_below(&shape, 6);
	with_list = site_rng_below(&shape, 3) == 0;
	with_table = site_rng_below(&shape, 9) == 0;
	for (unsigned i = 0; i < paragraphs; i++) {
		if (i > 0 && site_rng_below(&shape, 3) == 0)
			buf_addf(b, "<h2>%s</h2>\n", pick(&shape, headings,
							  N(headings)));
		site_prose_paragraph(b, paragraph_seed(key, i, paragraphs,
						       text_steps),
				     i == 0 ? title : NULL);
		if (i == 1 && with_list)
			add_list(b, &shape);
		if (i == 2 && with_table)
			add_table(b, &shape);
	}
	if (has_figure(key))
		add_figure(b, key, title);
	if (has_pdf(key))
		add_pdf_link(b, key, title);
}
