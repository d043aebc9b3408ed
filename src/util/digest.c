#include "util/digest.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

static const EVP_MD *digest_md(enum digest_alg alg)
{
	switch (alg) {
	case DIGEST_SHA1: return EVP_sha1();
	case DIGEST_SHA256: return EVP_sha256();
	case DIGEST_MD5: return EVP_md5();
	default: return NULL;
	}
}

size_t digest_len(enum digest_alg alg)
{
	switch (alg) {
	case DIGEST_SHA1: return 20;
	case DIGEST_SHA256: return 32;
	case DIGEST_MD5: return 16;
	default: return 0;
	}
}

int digest_init(struct digest *d, enum digest_alg alg)
{
	const EVP_MD *md = digest_md(alg);

	d->alg = alg;
	d->ctx = NULL;
	if (!md)
		return -1;
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || !EVP_DigestInit_ex(d->ctx, md, NULL)) {
		digest_release(d);
		return -1;
	}
	return 0;
}

void digest_update(struct digest *d, const void *p, size_t n)
{
	if (d->ctx && n)
		EVP_DigestUpdate(d->ctx, p, n);
}

size_t digest_final(struct digest *d, uint8_t *out)
{
	unsigned int n = 0;

	if (!d->ctx)
		return 0;
	EVP_DigestFinal_ex(d->ctx, out, &n);
	return n;
}

void digest_release(struct digest *d)
{
	if (d->ctx)
		EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}

size_t base32_encode(const uint8_t *in, size_t n, char *out, size_t outsz)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t o = 0, i;
	unsigned bits = 0, acc = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			if (o + 1 < outsz)
				out[o++] = alpha[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits && o + 1 < outsz)
		out[o++] = alpha[(acc << (5 - bits)) & 31];
	while (o % 8 && o + 1 < outsz)
		out[o++] = '=';
	if (outsz)
		out[o] = '\0';
	return o;
}

/* Decode in[0..n) up to the first '=', each character giving width bits
 * (value: the character's bits, or -1 when it is not in the alphabet).
 * Bytes decoded, or -1 on a foreign character or when out is full. */
static long radix_decode(const char *in, size_t n, unsigned width,
			 int (*value)(int c), uint8_t *out, size_t outsz)
{
	unsigned acc = 0, bits = 0;
	size_t o = 0, i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)in[i], v;

		if (c == '=')
			break;
		if ((v = value(c)) < 0)
			return -1;
		acc = (acc << width) | (unsigned)v;
		bits += width;
		if (bits >= 8) {
			if (o >= outsz)
				return -1;
			out[o++] = (uint8_t)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return (long)o;
}

/* RFC 4648 base32, either case. */
static int base32_value(int c)
{
	c = toupper(c);
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

long base32_decode(const char *in, size_t n, uint8_t *out, size_t outsz)
{
	return radix_decode(in, n, 5, base32_value, out, outsz);
}

void digest_sha1_format(const uint8_t raw[20], char out[40])
{
	memcpy(out, "sha1:", 5);
	base32_encode(raw, 20, out + 5, 35);
}

void digest_sha1_label(const void *p, size_t n, char out[40])
{
	uint8_t raw[DIGEST_MAX];
	struct digest d;

	if (digest_init(&d, DIGEST_SHA1) < 0) {
		out[0] = '\0';
		return;
	}
	digest_update(&d, p, n);
	digest_final(&d, raw);
	digest_release(&d);
	digest_sha1_format(raw, out);
}

void digest_hex(const uint8_t *raw, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[2 * n] = '\0';
}

static long hex_decode(const char *in, size_t n, uint8_t *out, size_t outsz)
{
	size_t i;

	if (n % 2 || n / 2 > outsz)
		return -1;
	for (i = 0; i < n; i += 2) {
		char b[3] = { in[i], in[i + 1], 0 };

		if (!isxdigit((unsigned char)b[0]) || !isxdigit((unsigned char)b[1]))
			return -1;
		out[i / 2] = (uint8_t)strtol(b, NULL, 16);
	}
	return (long)(n / 2);
}

/* base64 and base64url alike. */
static int base64_value(int c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+' || c == '-') return 62;
	if (c == '/' || c == '_') return 63;
	return -1;
}

static long base64_decode(const char *in, size_t n, uint8_t *out, size_t outsz)
{
	return radix_decode(in, n, 6, base64_value, out, outsz);
}

int digest_parse(const char *label, enum digest_alg *alg, uint8_t *raw,
		 size_t *len)
{
	const char *colon = strchr(label, ':'), *v;
	size_t alen, vlen, want;
	long got;

	if (!colon)
		return -1;
	alen = (size_t)(colon - label);
	if ((alen == 4 && !strncasecmp(label, "sha1", 4)) ||
	    (alen == 5 && !strncasecmp(label, "sha-1", 5)))
		*alg = DIGEST_SHA1;
	else if ((alen == 6 && !strncasecmp(label, "sha256", 6)) ||
		 (alen == 7 && !strncasecmp(label, "sha-256", 7)))
		*alg = DIGEST_SHA256;
	else if (alen == 3 && !strncasecmp(label, "md5", 3))
		*alg = DIGEST_MD5;
	else
		return -1;
	want = digest_len(*alg);
	v = colon + 1;
	while (*v == ' ')
		v++;
	vlen = strlen(v);
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\r'))
		vlen--;
	/* Try each encoding whose length fits the algorithm. */
	if (vlen == want * 2 && (got = hex_decode(v, vlen, raw, DIGEST_MAX)) == (long)want)
		goto ok;
	if ((got = base32_decode(v, vlen, raw, DIGEST_MAX)) == (long)want)
		goto ok;
	if ((got = base64_decode(v, vlen, raw, DIGEST_MAX)) == (long)want)
		goto ok;
	return -1;
ok:
	*len = want;
	return 0;
}
