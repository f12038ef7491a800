/* hmac.c -- SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), small and dependency-free. */
#include "autoconfig.h"

#include <string.h>

#include "hmac.h"

static const uint32_t hmac_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t
hmac_rotr(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void
hmac_compress(struct hmac_sha256_ctx *c, const unsigned char *p)
{
	uint32_t	 w[64], a, b, cc, d, e, f, g, h, t1, t2;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = hmac_rotr(w[i - 15], 7) ^ hmac_rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = hmac_rotr(w[i - 2], 17) ^ hmac_rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3];
	e = c->h[4]; f = c->h[5]; g = c->h[6]; h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (hmac_rotr(e, 6) ^ hmac_rotr(e, 11) ^ hmac_rotr(e, 25)) +
		    ((e & f) ^ (~e & g)) + hmac_k[i] + w[i];
		t2 = (hmac_rotr(a, 2) ^ hmac_rotr(a, 13) ^ hmac_rotr(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g; g = f; f = e; e = d + t1;
		d = cc; cc = b; b = a; a = t1 + t2;
	}
	c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
	c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

void
hmac_sha256_init(struct hmac_sha256_ctx *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->total = 0;
	c->fill = 0;
}

void
hmac_sha256_update(struct hmac_sha256_ctx *c, const void *data, size_t len)
{
	const unsigned char	*p = data;
	size_t			 take;

	c->total += len;
	while (len > 0) {
		take = HMAC_SHA256_BLOCK - c->fill;
		if (take > len)
			take = len;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		len -= take;
		if (c->fill == HMAC_SHA256_BLOCK) {
			hmac_compress(c, c->block);
			c->fill = 0;
		}
	}
}

void
hmac_sha256_final(struct hmac_sha256_ctx *c, unsigned char out[HMAC_SHA256_LEN])
{
	uint64_t	 bits = c->total * 8;
	int		 i;

	/* FIPS 180-4 section 5.1.1: 0x80, zeros, then the length in bits, big-endian. */
	c->block[c->fill++] = 0x80;
	if (c->fill > HMAC_SHA256_BLOCK - 8) {
		memset(c->block + c->fill, 0, HMAC_SHA256_BLOCK - c->fill);
		hmac_compress(c, c->block);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, HMAC_SHA256_BLOCK - 8 - c->fill);
	for (i = 0; i < 8; i++)
		c->block[HMAC_SHA256_BLOCK - 1 - i] = (unsigned char)(bits >> (8 * i));
	hmac_compress(c, c->block);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
	memset(c, 0, sizeof(*c));
}

void
hmac_sha256_hash(const void *p, size_t len, unsigned char out[HMAC_SHA256_LEN])
{
	struct hmac_sha256_ctx	 c;

	hmac_sha256_init(&c);
	hmac_sha256_update(&c, p, len);
	hmac_sha256_final(&c, out);
}

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[HMAC_SHA256_LEN])
{
	struct hmac_sha256_ctx	 c;
	unsigned char		 k[HMAC_SHA256_BLOCK], pad[HMAC_SHA256_BLOCK];
	unsigned char		 inner[HMAC_SHA256_LEN];
	size_t			 i;

	/* RFC 2104 section 2: keys longer than a block are hashed first. */
	memset(k, 0, sizeof(k));
	if (keylen > HMAC_SHA256_BLOCK)
		hmac_sha256_hash(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);

	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	hmac_sha256_init(&c);
	hmac_sha256_update(&c, pad, sizeof(pad));
	hmac_sha256_update(&c, msg, len);
	hmac_sha256_final(&c, inner);

	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	hmac_sha256_init(&c);
	hmac_sha256_update(&c, pad, sizeof(pad));
	hmac_sha256_update(&c, inner, sizeof(inner));
	hmac_sha256_final(&c, out);

	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
	memset(inner, 0, sizeof(inner));
}

int
hmac_equal(const void *a, const void *b, size_t n)
{
	const volatile unsigned char	*x = a, *y = b;
	unsigned char			 diff = 0;
	size_t				 i;

	for (i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}
