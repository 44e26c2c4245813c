/* secure: the master's side of --key, --allow and --insecure — loads the key
 * pair and the allowed worker keys for the conductor, says on stderr what
 * protects the link, and implements `barrage keygen`. */
#ifndef BARRAGE_MASTER_SECURE_H
#define BARRAGE_MASTER_SECURE_H

#include <stdbool.h>

#include "proto/keys.h"
#include "master/cli.h"

typedef struct {
    bool on;             /* --key was given and everything loaded */
    keys_pair_t pair;    /* the master's own keys */
    keys_list_t allowed; /* the worker keys let in */
} secure_t;

/* Loads --key and every --allow into s (keygen's file format). For `barrage
 * run` (local) the master's own public key is allowed too: its local workers
 * authenticate with the master's key pair, so nothing is generated. Returns
 * 0, or -1 after printing "barrage: error: ..." naming the bad file. Call
 * secure_fini either way. */
int secure_load(secure_t *s, const cli_opts_t *o, bool local);
void secure_fini(secure_t *s);

/* Before the master waits for workers: a warning when --insecure opens a
 * non-loopback endpoint, and (unless quiet) the master's public key. */
void secure_announce(const secure_t *s, const cli_opts_t *o, const char *endpoint);

/* barrage keygen PATH [--force]: writes the pair and PATH.pub, prints the
 * public key on stdout. Returns a BARRAGE_EXIT_* code. */
int secure_keygen(const cli_opts_t *o);

#endif
