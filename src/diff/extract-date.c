/* extract-date: dates as pages write them, and the site-rule settings.
 *
 * A small strptime-like matcher: formats come from the config
 * ("date-format") and from a default set covering what DPMC and other NZ
 * government sites print.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "diff/extract.h"
#include "diff/extract-internal.h"
#include "util/rxcheck.h"

static const char *const months[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};
static const char *const weekdays[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};

/* "Monday, 21 October 2024", "Fri 10 Feb 2023", "21 Oct 2024",
 * "21 October, 2024", "October 21, 2024", "2024-10-21", "2024/10/21",
 * "21/10/2024" (day first: New Zealand). */
static const char *const default_formats[] = {
	"%A, %d %B, %Y", "%d %B, %Y", "%A, %B %d, %Y", "%B %d, %Y",
	"%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y",
};

/* Length of a name from list (full, or its first 3 letters, or "sept"/
 * "tues"/"thur"/"thurs") at s, followed by a non-letter; -1 if none. */
static int match_name(const char *s, size_t n, const char *const *list,
		      int count, int *idx)
{
	size_t len = 0;
	int i;

	while (len < n && isalpha((unsigned char)s[len]))
		len++;
	if (len < 3)
		return -1;
	for (i = 0; i < count; i++) {
		size_t full = strlen(list[i]);

		if ((len == full || len == 3 ||
		     (len == 4 && (i == 8 || list == weekdays)) ||
		     (len == 5 && list == weekdays && i == 3)) &&
		    len <= full && strncasecmp(s, list[i], len) == 0) {
			*idx = i;
			return (int)len;
		}
	}
	return -1;
}

static int match_num(const char *s, size_t n, int min_d, int max_d, int *v)
{
	int len = 0;

	*v = 0;
	while ((size_t)len < n && len < max_d && isdigit((unsigned char)s[len]))
		*v = *v * 10 + (s[len++] - '0');
	if (len < min_d || ((size_t)len < n && isdigit((unsigned char)s[len])))
		return -1;
	return len;
}

static int days_in(int y, int m)
{
	static const int d[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 28;
	return d[m - 1];
}

/* Match fmt at s; bytes consumed or -1. */
static long match_fmt(const char *s, size_t n, const char *fmt, char ymd[11])
{
	size_t i = 0;
	int y = -1, m = -1, d = -1, k, idx;

	for (; *fmt; fmt++) {
		if (*fmt == ' ') {
			while (i < n && s[i] == ' ')
				i++;
			continue;
		}
		if (*fmt == ',') {
			if (i < n && s[i] == ',')
				i++;
			continue;
		}
		if (*fmt != '%') {
			if (i >= n || tolower((unsigned char)s[i]) !=
			    tolower((unsigned char)*fmt))
				return -1;
			i++;
			continue;
		}
		fmt++;
		switch (*fmt) {
		case 'A': case 'a':
			k = match_name(s + i, n - i, weekdays, 7, &idx);
			if (k < 0)
				return -1;
			i += k;
			if (i < n && s[i] == '.')
				i++;
			break;
		case 'B': case 'b':
			k = match_name(s + i, n - i, months, 12, &idx);
			if (k < 0)
				return -1;
			m = idx + 1;
			i += k;
			if (i < n && s[i] == '.')
				i++;
			break;
		case 'd': case 'e':
			k = match_num(s + i, n - i, 1, 2, &d);
			if (k < 0)
				return -1;
			i += k;
			/* "21st" */
			if (i + 2 <= n && (!strncasecmp(s + i, "st", 2) ||
			    !strncasecmp(s + i, "nd", 2) ||
			    !strncasecmp(s + i, "rd", 2) ||
			    !strncasecmp(s + i, "th", 2)) &&
			    (i + 2 == n || !isalpha((unsigned char)s[i + 2])))
				i += 2;
			break;
		case 'm':
			k = match_num(s + i, n - i, 1, 2, &m);
			if (k < 0)
				return -1;
			i += k;
			break;
		case 'Y':
			k = match_num(s + i, n - i, 4, 4, &y);
			if (k < 0)
				return -1;
			i += k;
			break;
		case '%':
			if (i >= n || s[i] != '%')
				return -1;
			i++;
			break;
		default:
			return -1;
		}
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in(y, m))
		return -1;
	ymd[0] = (char)('0' + y / 1000), ymd[1] = (char)('0' + y / 100 % 10);
	ymd[2] = (char)('0' + y / 10 % 10), ymd[3] = (char)('0' + y % 10);
	ymd[4] = '-', ymd[5] = (char)('0' + m / 10), ymd[6] = (char)('0' + m % 10);
	ymd[7] = '-', ymd[8] = (char)('0' + d / 10), ymd[9] = (char)('0' + d % 10);
	ymd[10] = '\0';
	return (long)i;
}

long diff_date_match(const char *s, size_t n, const struct diff_rules *r,
		     char ymd[11])
{
	size_t i;
	long k;

	if (!n || !isalnum((unsigned char)s[0]))
		return -1;
	for (i = 0; r && i < r->n_date_format; i++)
		if ((k = match_fmt(s, n, r->date_format[i], ymd)) > 0)
			return k;
	for (i = 0; i < sizeof(default_formats) / sizeof(*default_formats); i++)
		if ((k = match_fmt(s, n, default_formats[i], ymd)) > 0)
			return k;
	return -1;
}

long diff_date_find(const char *s, size_t n, const struct diff_rules *rules,
		    char ymd[11])
{
	size_t i;
	long k;

	for (i = 0; i < n; i++) {
		if (i > 0 && isalnum((unsigned char)s[i - 1]))
			continue;
		if ((k = diff_date_match(s + i, n - i, rules, ymd)) > 0)
			return (long)i + k;
	}
	return -1;
}

/* "2024-10-21", "2024-10-21T10:00:00+13:00": 0 and ymd, or -1. */
int diff_date_iso(const char *s, char ymd[11])
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return match_fmt(s, strlen(s), "%Y-%m-%d", ymd) == 10 ? 0 : -1;
}

/* PHP date() letters to our % form ("l, j F Y" -> "%A, %d %B %Y"). */
static char *php_format(const char *v)
{
	size_t n = strlen(v), o = 0;
	char *out = malloc(n * 2 + 1);

	if (!out)
		return NULL;
	for (; *v; v++) {
		const char *rep = NULL;

		switch (*v) {
		case 'l': case 'D': rep = "%A"; break;
		case 'j': case 'd': rep = "%d"; break;
		case 'F': case 'M': rep = "%B"; break;
		case 'n': case 'm': rep = "%m"; break;
		case 'Y': rep = "%Y"; break;
		case '\\':
			if (v[1])
				v++;
			break;
		}
		if (rep) {
			memcpy(out + o, rep, 2);
			o += 2;
		} else {
			out[o++] = *v;
		}
	}
	out[o] = '\0';
	return out;
}

void diff_rules_init(struct diff_rules *r)
{
	memset(r, 0, sizeof(*r));
}

static void free_list(char **l, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free(l[i]);
	*n = 0;
}

void diff_rules_release(struct diff_rules *r)
{
	if (!r)
		return;
	free(r->name);
	free_list(r->main, &r->n_main);
	free_list(r->remove, &r->n_remove);
	free_list(r->date, &r->n_date);
	free_list(r->date_format, &r->n_date_format);
	free_list(r->issue_date, &r->n_issue_date);
	for (size_t i = 0; i < r->n_ignore_text; i++)
		regfree(&r->ignore_re[i]);
	free_list(r->ignore_text, &r->n_ignore_text);
	memset(r, 0, sizeof(*r));
}

static int check_xpath(const char *key, const char *v, struct err *e)
{
	xmlXPathCompExprPtr c;

	html_silence();
	c = xmlXPathCompile((const xmlChar *)v);
	if (!c)
		return err_set(e, "extraction rule %s: bad XPath: %s", key, v);
	xmlXPathFreeCompExpr(c);
	return 0;
}

/* ignore-text = REGEX: compiled now, so a bad one is a config error. */
static int add_ignore(struct diff_rules *r, const char *value, struct err *e)
{
	char msg[128];
	size_t n = r->n_ignore_text;
	int rc;

	if (!*value)
		return err_set(e, "extraction rule ignore-text: empty value");
	if (n >= DIFF_RULES_MAX)
		return err_set(e, "extraction rule ignore-text: more than %d "
			       "values", DIFF_RULES_MAX);
	if (rxcheck_stacked_repetition(value))
		return err_set(e, "extraction rule ignore-text: bad regular "
			       "expression '%s': a repetition operator after "
			       "another (e.g. '++')", value);
	rc = regcomp(&r->ignore_re[n], value, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, &r->ignore_re[n], msg, sizeof(msg));
		regfree(&r->ignore_re[n]);
		return err_set(e, "extraction rule ignore-text: bad regular "
			       "expression '%s': %s", value, msg);
	}
	r->ignore_text[n] = strdup(value);
	if (!r->ignore_text[n]) {
		regfree(&r->ignore_re[n]);
		return err_set(e, "extraction rule ignore-text: no memory");
	}
	r->n_ignore_text = n + 1;
	return 1;
}

int diff_rules_set(struct diff_rules *r, const char *key, const char *value,
		   struct err *e)
{
	char **list = NULL;
	size_t *n = NULL;
	int is_xpath = 1;
	char *copy;

	if (strncmp(key, "extract-", 8) == 0)
		key += 8;
	if (strcmp(key, "name") == 0) {
		if (!*value)
			return err_set(e, "extraction rule name: empty value");
		free(r->name);
		r->name = strdup(value);
		return r->name ? 1 : err_set(e, "extraction rule name: no memory");
	}
	if (strcmp(key, "main") == 0) {
		list = r->main; n = &r->n_main;
	} else if (strcmp(key, "remove") == 0) {
		list = r->remove; n = &r->n_remove;
	} else if (strcmp(key, "date") == 0) {
		list = r->date; n = &r->n_date;
	} else if (strcmp(key, "issue-date") == 0) {
		list = r->issue_date; n = &r->n_issue_date;
	} else if (strcmp(key, "ignore-text") == 0) {
		return add_ignore(r, value, e);
	} else if (strcmp(key, "date-format") == 0) {
		list = r->date_format; n = &r->n_date_format;
		is_xpath = 0;
	} else {
		return 0;
	}
	if (!*value)
		return err_set(e, "extraction rule %s: empty value", key);
	if (*n >= DIFF_RULES_MAX)
		return err_set(e, "extraction rule %s: more than %d values",
			       key, DIFF_RULES_MAX);
	if (is_xpath && check_xpath(key, value, e) < 0)
		return -1;
	copy = is_xpath || strchr(value, '%') ? strdup(value) : php_format(value);
	if (!copy)
		return err_set(e, "extraction rule %s: no memory", key);
	list[(*n)++] = copy;
	return 1;
}

int diff_rules_parse_line(struct diff_rules *r, const char *line,
			  struct err *e)
{
	char key[64];
	const char *eq, *v, *end;
	size_t kn;
	char *val;
	int rc;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#' || *line == '\n' || *line == '\r')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return 0;
	end = eq;
	while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	kn = (size_t)(end - line);
	if (kn == 0 || kn >= sizeof(key))
		return 0;
	memcpy(key, line, kn);
	key[kn] = '\0';
	v = eq + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		end--;
	val = strndup(v, (size_t)(end - v));
	if (!val)
		return err_set(e, "extraction rule %s: no memory", key);
	rc = diff_rules_set(r, key, val, e);
	free(val);
	return rc;
}
