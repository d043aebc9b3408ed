/* digest: SHA-1 / SHA-256 through OpenSSL, and the encodings WARC uses.
 *
 * WARC digests are written "sha1:" + RFC 4648 base32 (32 upper-case
 * characters).  Readers meet other forms too; digest_parse accepts
 * "sha1:"/"sha-1:"/"sha256:"/"sha-256:"/"md5:" with base32, hex, base64 or
 * base64url values and returns the raw bytes for comparison.
 */
#ifndef GOVARCH_DIGEST_H
#define GOVARCH_DIGEST_H

#include <stddef.h>
#include <stdint.h>

enum digest_alg { DIGEST_NONE = 0, DIGEST_SHA1, DIGEST_SHA256, DIGEST_MD5 };

#define DIGEST_MAX 32   /* bytes in the largest digest we handle */

struct digest {
	enum digest_alg alg;
	void *ctx;                  /* EVP_MD_CTX */
};

int digest_init(struct digest *d, enum digest_alg alg);     /* 0 or -1 */
void digest_update(struct digest *d, const void *p, size_t n);
/* Finish into out (DIGEST_MAX bytes); returns the length; resets nothing. */
size_t digest_final(struct digest *d, uint8_t *out);
void digest_release(struct digest *d);
size_t digest_len(enum digest_alg alg);

/* One-shot "sha1:BASE32" of p[0..n) into out (at least 40 bytes). */
void digest_sha1_label(const void *p, size_t n, char out[40]);
/* Format raw sha1 bytes as "sha1:BASE32" (out at least 40 bytes). */
void digest_sha1_format(const uint8_t raw[20], char out[40]);
/* Hex of n bytes into out (2n+1 bytes). */
void digest_hex(const uint8_t *raw, size_t n, char *out);

/* Parse a WARC digest label.  Returns 0 and fills alg/raw/len, or -1 when the
 * algorithm is unknown or the value is in no encoding we know. */
int digest_parse(const char *label, enum digest_alg *alg, uint8_t *raw,
		 size_t *len);

/* RFC 4648 base32 (upper case, no padding needed for 20 bytes). */
size_t base32_encode(const uint8_t *in, size_t n, char *out, size_t outsz);
/* Decode base32 (either case, '=' padding ignored); -1 on a bad character. */
long base32_decode(const char *in, size_t n, uint8_t *out, size_t outsz);

#endif
