/* sha256: SHA-256 (FIPS 180-4) of a buffer as hex, through libsodium's
 * crypto_hash_sha256; identifies a scenario's text in results. */
#ifndef BARRAGE_SCENARIOS_SHA256_H
#define BARRAGE_SCENARIOS_SHA256_H

#include <stddef.h>

/* 64 lower case hex digits and a NUL. */
#define SHA256_HEX_BYTES 65

/* Writes the digest of data (len bytes) into hex as 64 lower case hex digits
 * and a NUL. libsodium is initialised on the first call of the process
 * (sodium_init, once). Returns 0, or -1 if libsodium cannot be initialised
 * (hex is then ""). */
int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_BYTES]);

#endif
