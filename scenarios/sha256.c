/* sha256: libsodium's SHA-256, written as hex. */
#include "scenarios/sha256.h"

#include <pthread.h>
#include <sodium.h>

/* Process-wide by nature: libsodium is initialised once for the process. */
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static int s_sodium_rc = -1;

static void s_init(void) {
    s_sodium_rc = sodium_init(); /* 0, or 1 if someone else did; -1 on failure */
}

int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_BYTES]) {
    hex[0] = '\0';
    if (pthread_once(&s_once, s_init) != 0 || s_sodium_rc < 0) return -1;
    unsigned char digest[crypto_hash_sha256_BYTES];
    if (crypto_hash_sha256(digest, data, len) != 0) return -1;
    sodium_bin2hex(hex, SHA256_HEX_BYTES, digest, sizeof digest);
    return 0;
}
