/* keys: CURVE key files for authenticated master/worker links — generating a
 * key pair, writing and reading it, and lists of allowed public keys.
 *
 * `barrage keygen PATH` writes two text files:
 *
 *   PATH (mode 0600, the key pair; keep it secret)
 *     # barrage CURVE key pair, written by barrage keygen.
 *     # Keep this file secret. Give others the .pub file written beside it, never this one.
 *     public-key = <40 characters of Z85>
 *     secret-key = <40 characters of Z85>
 *
 *   PATH.pub (mode 0644, the public key only)
 *     # barrage CURVE public key, written by barrage keygen.
 *     public-key = <40 characters of Z85>
 *
 * Reading: blank lines and lines whose first non-blank character is '#' are
 * ignored; every other line is `NAME = VALUE` with NAME public-key or
 * secret-key, each at most once; VALUE is a canonical Z85 key (32 bytes), and
 * may stand in double quotes. Anything else is an error naming PATH:LINE.
 * A public key may be read from either file; a key pair must match (the
 * public key is derived from the secret one and compared).
 *
 * Errors come back as malloc'd strings (caller frees) that name the file,
 * e.g. "workers/w1.pub:3: 'public-key' is not a Z85 key (40 characters)". */
#ifndef BARRAGE_PROTO_KEYS_H
#define BARRAGE_PROTO_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Length of a Z85-encoded CURVE key, without its terminating NUL. */
#define KEYS_Z85_LEN 40

typedef char keys_z85_t[KEYS_Z85_LEN + 1];

typedef struct {
    keys_z85_t public_z85;
    keys_z85_t secret_z85;
} keys_pair_t;

/* Allowed public keys (an embedded object: keys_list_init / keys_list_fini). */
typedef struct {
    keys_z85_t *items;
    size_t n, cap;
} keys_list_t;

/* True if this libzmq supports CURVE (it was built with libsodium). */
bool keys_available(void);

/* Makes a new key pair. Returns 0, or -1 with *err when CURVE is unavailable. */
int keys_generate(keys_pair_t *out, char **err);

/* Writes the key pair to path (mode 0600) and its public key to path.pub
 * (mode 0644), each atomically. Without force, an existing path or path.pub
 * is an error and nothing is written. Returns 0; KEYS_ERR_EXISTS with *err
 * for that, or for a path ending in .pub; -1 with *err if writing failed. */
enum { KEYS_ERR_EXISTS = -2 };
int keys_write(const char *path, const keys_pair_t *k, bool force, char **err);

/* Reads a key pair file (both lines, matching). Returns 0, or -1 with *err. */
int keys_read_pair(const char *path, keys_pair_t *out, char **err);

/* Reads the public key of a .pub file (or of a key pair file). Returns 0, or -1 with *err. */
int keys_read_public(const char *path, keys_z85_t out, char **err);

void keys_list_init(keys_list_t *l);
void keys_list_fini(keys_list_t *l);

/* Adds one Z85 public key (ignored if already listed). */
void keys_list_add(keys_list_t *l, const char *z85);

/* Adds the key of a public key file, or of every *.pub file in a directory
 * (a directory without any is an error). Returns 0, or -1 with *err. */
int keys_list_load(keys_list_t *l, const char *path, char **err);

bool keys_list_contains(const keys_list_t *l, const char *z85);

#endif
