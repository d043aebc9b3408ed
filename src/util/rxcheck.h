/* rxcheck: checks on POSIX extended regular expressions read from configs
 * (exclude, ignore-text) before regcomp sees them. */
#ifndef GOVARCH_UTIL_RXCHECK_H
#define GOVARCH_UTIL_RXCHECK_H

/* 1 when a repetition operator follows another ("a++", "a*{2}"): POSIX
 * leaves it undefined and glibc's regcomp takes memory exponential in
 * their number.  0 otherwise. */
int rxcheck_stacked_repetition(const char *v);

#endif
