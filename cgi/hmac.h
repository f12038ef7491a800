/* hmac.h -- SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) for the CSRF token. */
#ifndef FTS_HMAC_H
#define FTS_HMAC_H

#include <stddef.h>
#include <stdint.h>

#define HMAC_SHA256_LEN		32	/* bytes of a digest */
#define HMAC_SHA256_BLOCK	64	/* bytes of a compression block */

struct hmac_sha256_ctx {
	uint32_t	 h[8];
	uint64_t	 total;		/* bytes hashed so far */
	unsigned char	 block[HMAC_SHA256_BLOCK];
	size_t		 fill;		/* bytes waiting in block */
};

/* Start a SHA-256 computation. */
void hmac_sha256_init(struct hmac_sha256_ctx *c);
/* Hash len more bytes of p (len may be 0). */
void hmac_sha256_update(struct hmac_sha256_ctx *c, const void *p, size_t len);
/* Write the 32-byte digest to out; c must be re-initialised before reuse. */
void hmac_sha256_final(struct hmac_sha256_ctx *c, unsigned char out[HMAC_SHA256_LEN]);
/* SHA-256 of p[0..len) in one call. */
void hmac_sha256_hash(const void *p, size_t len, unsigned char out[HMAC_SHA256_LEN]);
/* HMAC-SHA256 of msg under key (any key length; RFC 2104 section 2). */
void hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    unsigned char out[HMAC_SHA256_LEN]);
/* 1 when a[0..n) equals b[0..n), in time that depends only on n. */
int hmac_equal(const void *a, const void *b, size_t n);

#endif
