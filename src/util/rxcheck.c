/* rxcheck: checks on POSIX extended regular expressions from configs. */
#include "util/rxcheck.h"

/* 1 when a repetition operator follows another ("a++", "a*{2}"): POSIX
 * leaves it undefined and glibc's regcomp takes memory exponential in
 * their number (found by fuzz-config). */
int rxcheck_stacked_repetition(const char *v)
{
	int prev = 0, bracket = 0;

	for (; *v; v++) {
		int rep = 0;

		if (*v == '\\' && v[1]) {
			v++;
		} else if (bracket) {
			bracket = *v != ']';
		} else if (*v == '[') {
			bracket = 1;
			if (v[1] == ']')
				v++;
		} else if (*v == '*' || *v == '+' || *v == '?' || *v == '{') {
			if (prev)
				return 1;
			rep = 1;
			if (*v == '{')
				while (v[1] && v[1] != '}')
					v++;
			if (*v != '}' && v[1] == '}')
				v++;
		}
		prev = rep;
	}
	return 0;
}
