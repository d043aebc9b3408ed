/* robots: RFC 9309 parsing and longest-match rules. */
#include "crawl/robots.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/url.h"

enum verdict { V_RULES, V_ALLOW_ALL, V_DISALLOW_ALL };

struct rule {
	char *pat;          /* normalised pattern */
	size_t len;
	int allow;
	int line;           /* where it is in the file (for explain) */
	size_t group;       /* index into crawl_robots.groups */
};

struct rules {
	struct rule *v;
	size_t n, cap;
};

struct crawl_robots {
	enum verdict verdict;
	struct rules rules;
	char **lines;       /* the file's lines the rules came from */
	size_t nlines;
	char **groups;      /* "User-agent: a, User-agent: b" per group */
	int *group_lines;   /* line of each group's first user-agent */
	size_t ngroups;
	double crawl_delay;
	char **sitemaps;
	size_t nsitemaps;
};

static void rules_release(struct rules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->v[i].pat);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static int rules_add(struct rules *rs, const char *val, size_t n, int allow,
		     int line, size_t group)
{
	struct rule *nv;
	char *pat, *raw;

	if (rs->n == rs->cap) {
		size_t ncap = rs->cap ? rs->cap * 2 : 16;

		nv = realloc(rs->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		rs->v = nv;
		rs->cap = ncap;
	}
	/* A pattern not starting with '/' or '*' is taken as rooted. */
	raw = malloc(n + 2);
	if (!raw)
		return -1;
	raw[0] = '/';
	memcpy(raw + 1, val, n);
	raw[n + 1] = '\0';
	pat = val[0] == '/' || val[0] == '*' ? url_pct_normalize(raw + 1, n)
					     : url_pct_normalize(raw, n + 1);
	free(raw);
	if (!pat)
		return -1;
	rs->v[rs->n].pat = pat;
	rs->v[rs->n].len = strlen(pat);
	rs->v[rs->n].allow = allow;
	rs->v[rs->n].line = line;
	rs->v[rs->n].group = group;
	rs->n++;
	return 0;
}

static struct crawl_robots *robots_new(enum verdict v)
{
	struct crawl_robots *r = calloc(1, sizeof(*r));

	if (r) {
		r->verdict = v;
		r->crawl_delay = -1;
	}
	return r;
}

struct crawl_robots *crawl_robots_allow_all(void)
{
	return robots_new(V_ALLOW_ALL);
}

struct crawl_robots *crawl_robots_disallow_all(void)
{
	return robots_new(V_DISALLOW_ALL);
}

void crawl_robots_free(struct crawl_robots *r)
{
	size_t i;

	if (!r)
		return;
	rules_release(&r->rules);
	for (i = 0; i < r->nsitemaps; i++)
		free(r->sitemaps[i]);
	free(r->sitemaps);
	for (i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->lines);
	for (i = 0; i < r->ngroups; i++)
		free(r->groups[i]);
	free(r->groups);
	free(r->group_lines);
	free(r);
}

/* Length of the product token at s: letters, '_' and '-'. */
static size_t token_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isalpha((unsigned char)s[i]) || s[i] == '_' ||
			 s[i] == '-'))
		i++;
	return i;
}

enum key { K_OTHER, K_AGENT, K_ALLOW, K_DISALLOW, K_DELAY, K_SITEMAP };

static enum key classify(const char *k, size_t n)
{
	static const struct { const char *name; enum key key; } keys[] = {
		{ "user-agent", K_AGENT }, { "useragent", K_AGENT },
		{ "user agent", K_AGENT }, { "allow", K_ALLOW },
		{ "disallow", K_DISALLOW }, { "dissallow", K_DISALLOW },
		{ "dissalow", K_DISALLOW }, { "disalow", K_DISALLOW },
		{ "crawl-delay", K_DELAY }, { "crawldelay", K_DELAY },
		{ "sitemap", K_SITEMAP }, { "site-map", K_SITEMAP },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i].name) == n && !strncasecmp(k, keys[i].name, n))
			return keys[i].key;
	return K_OTHER;
}

static int add_sitemap(struct crawl_robots *r, const char *v, size_t n)
{
	char **nv;

	if (!n || r->nsitemaps >= CRAWL_ROBOTS_MAX_SITEMAPS)
		return 0;
	nv = realloc(r->sitemaps, (r->nsitemaps + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	r->sitemaps = nv;
	if (!(nv[r->nsitemaps] = strndup(v, n)))
		return -1;
	r->nsitemaps++;
	return 0;
}

/* Parser state: which of the groups seen so far concern us. */
struct parse {
	const char *me;
	size_t melen;
	int in_agents;          /* the previous line was a user-agent line */
	int started;            /* a user-agent line has been seen */
	int cur_me, cur_star;   /* the current group names us / '*' */
	int found_me, found_star;
	struct rules mine, star;
	double delay_me, delay_star;
	int lineno;             /* of the line being parsed */
};

/* Keep line lineno's text (rules point at it by number). */
static int keep_line(struct crawl_robots *r, int lineno, const char *s,
		     size_t n)
{
	char **nv;

	if ((size_t)lineno > r->nlines) {
		size_t i;

		nv = realloc(r->lines, (size_t)lineno * sizeof(*nv));
		if (!nv)
			return -1;
		r->lines = nv;
		for (i = r->nlines; i < (size_t)lineno; i++)
			nv[i] = NULL;
		r->nlines = (size_t)lineno;
	}
	if (!r->lines[lineno - 1] &&
	    !(r->lines[lineno - 1] = strndup(s, n)))
		return -1;
	return 0;
}

/* A user-agent line: a new group, or one more name for the current one. */
static int group_add(struct crawl_robots *r, int new_group, int lineno,
		     const char *k, size_t kn, const char *v, size_t vn)
{
	struct buf b = BUF_INIT(0);
	char **ng;
	int *nl;

	if (new_group) {
		ng = realloc(r->groups, (r->ngroups + 1) * sizeof(*ng));
		if (!ng)
			return -1;
		r->groups = ng;
		nl = realloc(r->group_lines, (r->ngroups + 1) * sizeof(*nl));
		if (!nl)
			return -1;
		r->group_lines = nl;
		r->groups[r->ngroups] = NULL;
		r->group_lines[r->ngroups] = lineno;
		r->ngroups++;
	}
	ng = &r->groups[r->ngroups - 1];
	if (*ng)
		buf_addf(&b, "%s, ", *ng);
	if (buf_addf(&b, "%.*s: %.*s", (int)kn, k, (int)vn, v) < 0) {
		buf_release(&b);
		return -1;
	}
	free(*ng);
	*ng = buf_detach(&b, NULL);
	return *ng ? 0 : -1;
}

static int parse_line(struct parse *p, struct crawl_robots *r,
		      const char *key, size_t kn, const char *v, size_t vn)
{
	enum key k = classify(key, kn);
	double d;
	char tmp[32], *e;

	switch (k) {
	case K_AGENT:
		if (group_add(r, !p->in_agents, p->lineno, key, kn, v, vn) < 0)
			return -1;
		if (!p->in_agents)
			p->cur_me = p->cur_star = 0;
		p->in_agents = p->started = 1;
		if (vn && v[0] == '*') {
			p->cur_star = p->found_star = 1;
		} else {
			size_t t = token_len(v, vn);

			if (t && t == p->melen && !strncasecmp(v, p->me, t))
				p->cur_me = p->found_me = 1;
		}
		return 0;
	case K_SITEMAP:
		return add_sitemap(r, v, vn);
	case K_OTHER:
		return 0;
	default:
		break;
	}
	p->in_agents = 0;
	if (!p->started)
		return 0;
	if (k == K_DELAY) {
		if (vn >= sizeof(tmp))
			return 0;
		memcpy(tmp, v, vn);
		tmp[vn] = '\0';
		d = strtod(tmp, &e);
		if (e == tmp || !isfinite(d) || d < 0)
			return 0;
		if (p->cur_me)
			p->delay_me = d;
		if (p->cur_star)
			p->delay_star = d;
		return 0;
	}
	if (!vn)        /* "Disallow:" with no path allows everything */
		return 0;
	if ((p->cur_me || p->cur_star) &&
	    keep_line(r, p->lineno, key, (size_t)(v + vn - key)) < 0)
		return -1;
	if (p->cur_me && rules_add(&p->mine, v, vn, k == K_ALLOW, p->lineno,
				   r->ngroups - 1) < 0)
		return -1;
	if (p->cur_star && rules_add(&p->star, v, vn, k == K_ALLOW, p->lineno,
				     r->ngroups - 1) < 0)
		return -1;
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

struct crawl_robots *crawl_robots_parse(const char *txt, size_t len,
					const char *agent)
{
	struct crawl_robots *r = robots_new(V_RULES);
	struct parse p;
	const char *end, *line;

	if (!r)
		return NULL;
	memset(&p, 0, sizeof(p));
	p.me = agent ? agent : "";
	p.melen = token_len(p.me, strlen(p.me));
	p.delay_me = p.delay_star = -1;
	if (len > CRAWL_ROBOTS_MAX_BYTES) {
		/* Cut at the last line end inside the limit: half a rule
		 * could mean the opposite of the whole one. */
		len = CRAWL_ROBOTS_MAX_BYTES;
		while (len && txt[len - 1] != '\n' && txt[len - 1] != '\r')
			len--;
	}
	if (len >= 3 && !memcmp(txt, "\xEF\xBB\xBF", 3)) {
		txt += 3;
		len -= 3;
	}
	end = txt + len;
	for (line = txt; line < end;) {
		const char *eol = line, *colon, *hash, *k, *v;
		size_t ln, kn, vn;

		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		p.lineno++;
		ln = (size_t)(eol - line);
		hash = memchr(line, '#', ln);
		if (hash)
			ln = (size_t)(hash - line);
		colon = memchr(line, ':', ln);
		if (colon) {
			k = line;
			kn = (size_t)(colon - line);
			v = colon + 1;
			vn = ln - kn - 1;
			trim(&k, &kn);
			trim(&v, &vn);
			if (parse_line(&p, r, k, kn, v, vn) < 0)
				goto fail;
		}
		line = eol + (eol < end);
		if (eol < end && *eol == '\r' && line < end && *line == '\n')
			line++;
	}
	if (p.found_me) {
		r->rules = p.mine;
		r->crawl_delay = p.delay_me;
		rules_release(&p.star);
	} else {
		r->rules = p.star;
		r->crawl_delay = p.found_star ? p.delay_star : -1;
		rules_release(&p.mine);
	}
	return r;
fail:
	rules_release(&p.mine);
	rules_release(&p.star);
	crawl_robots_free(r);
	return NULL;
}

/* Does pat (with '*' and a final '$') match the start of path?  Google's
 * position-set walk: O(len(pat) * len(path)), no backtracking blow-up. */
static int pattern_match(const char *path, size_t n, const char *pat,
			 size_t plen, size_t *pos)
{
	size_t npos = 1, i, j;

	pos[0] = 0;
	for (i = 0; i < plen; i++) {
		if (pat[i] == '$' && i + 1 == plen)
			return pos[npos - 1] == n;
		if (pat[i] == '*') {
			npos = n - pos[0] + 1;
			for (j = 1; j < npos; j++)
				pos[j] = pos[0] + j;
		} else {
			size_t nn = 0;

			for (j = 0; j < npos; j++)
				if (pos[j] < n && path[pos[j]] == pat[i])
					pos[nn++] = pos[j] + 1;
			if (!nn)
				return 0;
			npos = nn;
		}
	}
	return 1;
}

/* The verdict for path_query and the index of the deciding rule (-1:
 * none decided: no rule matched, or a fixed verdict). */
static int decide(const struct crawl_robots *r, const char *path_query,
		  long *rule)
{
	char *path = NULL;
	size_t *pos = NULL, n, i, best = 0;
	int allowed = 1, found = 0;

	*rule = -1;
	if (!r || r->verdict == V_ALLOW_ALL)
		return 1;
	if (!path_query[0])
		path_query = "/";
	if (!strcmp(path_query, "/robots.txt"))
		return 1;
	if (r->verdict == V_DISALLOW_ALL)
		return 0;
	if (!r->rules.n)
		return 1;
	path = url_pct_normalize(path_query, strlen(path_query));
	n = path ? strlen(path) : 0;
	pos = path ? malloc((n + 1) * sizeof(*pos)) : NULL;
	if (!pos) {         /* out of memory: err on the side of politeness */
		allowed = 0;
		goto out;
	}
	for (i = 0; i < r->rules.n; i++) {
		const struct rule *ru = &r->rules.v[i];

		if (found && (ru->len < best || (ru->len == best && !ru->allow)))
			continue;
		if (!pattern_match(path, n, ru->pat, ru->len, pos))
			continue;
		if (!found || ru->len > best || ru->allow) {
			allowed = ru->allow;
			*rule = (long)i;
		}
		found = 1;
		best = ru->len;
	}
out:
	free(pos);
	free(path);
	return allowed;
}

int crawl_robots_allowed(const struct crawl_robots *r, const char *path_query)
{
	long rule;

	return decide(r, path_query, &rule);
}

int crawl_robots_explain(const struct crawl_robots *r, const char *path_query,
			 struct crawl_robots_why *why)
{
	long i;
	int allowed = decide(r, path_query, &i);

	memset(why, 0, sizeof(*why));
	why->fixed = !r || r->verdict != V_RULES ? (allowed ? 1 : -1) : 0;
	if (i >= 0) {
		const struct rule *ru = &r->rules.v[i];

		why->line = ru->line;
		why->text = (size_t)ru->line <= r->nlines ?
			    r->lines[ru->line - 1] : NULL;
		why->group = ru->group < r->ngroups ? r->groups[ru->group]
						     : NULL;
		why->group_line = ru->group < r->ngroups ?
				  r->group_lines[ru->group] : 0;
	}
	return allowed;
}

int crawl_robots_allowed_url(const struct crawl_robots *r, const char *url)
{
	char *pq = url_path_query(url);
	int ok;

	if (!pq)
		return 0;
	ok = crawl_robots_allowed(r, pq);
	free(pq);
	return ok;
}

double crawl_robots_crawl_delay(const struct crawl_robots *r)
{
	return r ? r->crawl_delay : -1;
}

size_t crawl_robots_sitemap_count(const struct crawl_robots *r)
{
	return r ? r->nsitemaps : 0;
}

const char *crawl_robots_sitemap(const struct crawl_robots *r, size_t i)
{
	return r && i < r->nsitemaps ? r->sitemaps[i] : NULL;
}

size_t crawl_robots_rule_count(const struct crawl_robots *r)
{
	return r ? r->rules.n : 0;
}

enum crawl_robots_action crawl_robots_policy(int status, int redirects)
{
	if (status >= 200 && status < 300)
		return CRAWL_ROBOTS_PARSE;
	if (status >= 300 && status < 400)
		return redirects < CRAWL_ROBOTS_MAX_REDIRECTS ? CRAWL_ROBOTS_FOLLOW
							      : CRAWL_ROBOTS_ALLOW_ALL;
	if (status == 429)
		return CRAWL_ROBOTS_DISALLOW_ALL;
	if (status >= 400 && status < 500)
		return CRAWL_ROBOTS_ALLOW_ALL;
	return CRAWL_ROBOTS_DISALLOW_ALL;
}

const char *crawl_robots_action_name(enum crawl_robots_action a)
{
	switch (a) {
	case CRAWL_ROBOTS_PARSE: return "parse";
	case CRAWL_ROBOTS_FOLLOW: return "follow";
	case CRAWL_ROBOTS_ALLOW_ALL: return "allow-all";
	case CRAWL_ROBOTS_DISALLOW_ALL: return "disallow-all";
	}
	return "?";
}

long crawl_robots_ttl(enum crawl_robots_action a, long max_age)
{
	long cap = a == CRAWL_ROBOTS_DISALLOW_ALL ? CRAWL_ROBOTS_RETRY_UNREACHABLE
						  : CRAWL_ROBOTS_MAX_AGE;

	if (max_age < 0 || max_age > cap)
		return cap;
	return max_age;
}
