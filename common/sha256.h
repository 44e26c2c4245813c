/* sha256: SHA-256 (FIPS 180-4) of a buffer, for identifying scenario texts in results. */
#ifndef BARRAGE_COMMON_SHA256_H
#define BARRAGE_COMMON_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Writes the 32-byte digest of data (len bytes) into out. */
void sha256(const void *data, size_t len, uint8_t out[32]);
/* Returns the digest as 64 lowercase hex characters; caller frees. */
char *sha256_hex(const void *data, size_t len);

#endif
