/* secure: the master's keys from the command line, and barrage keygen. */
#include "master/secure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_fail(char *err) {
    fprintf(stderr, "barrage: error: %s\n", err);
    free(err);
    return -1;
}

int secure_load(secure_t *s, const cli_opts_t *o, bool local) {
    *s = (secure_t){0};
    keys_list_init(&s->allowed);
    if (!o->key_path) return 0;
    char *err = NULL;
    if (!keys_available()) {
        fprintf(stderr, "barrage: error: --key: this libzmq has no CURVE support (it must be "
                        "built with libsodium)\n");
        return -1;
    }
    if (keys_read_pair(o->key_path, &s->pair, &err) != 0) return s_fail(err);
    for (size_t i = 0; i < o->n_allow; i++) {
        if (keys_list_load(&s->allowed, o->allow[i], &err) != 0) return s_fail(err);
    }
    if (local) keys_list_add(&s->allowed, s->pair.public_z85);
    s->on = true;
    return 0;
}

void secure_fini(secure_t *s) {
    explicit_bzero(&s->pair, sizeof s->pair);
    keys_list_fini(&s->allowed);
    s->on = false;
}

void secure_announce(const secure_t *s, const cli_opts_t *o, const char *endpoint) {
    if (!s->on && o->insecure && !cli_endpoint_is_loopback(endpoint)) {
        fprintf(stderr,
                "barrage: warning: --insecure: the master on %s lets in any worker "
                "that can connect, without authentication or encryption; use --key "
                "and --allow beyond a trusted network\n",
                endpoint);
    }
    if (s->on && o->verbosity >= 0) {
        fprintf(stderr,
                "barrage: CURVE authentication on: master public key %s, %zu worker "
                "key%s allowed\n",
                s->pair.public_z85, s->allowed.n, s->allowed.n == 1 ? "" : "s");
    }
}

int secure_keygen(const cli_opts_t *o) {
    keys_pair_t k;
    char *err = NULL;
    int rc = keys_generate(&k, &err);
    if (rc == 0) rc = keys_write(o->scenario, &k, o->force, &err);
    if (rc != 0) {
        fprintf(stderr, "barrage: error: %s\n", err);
        free(err);
        explicit_bzero(&k, sizeof k);
        return rc == KEYS_ERR_EXISTS ? BARRAGE_EXIT_USAGE : BARRAGE_EXIT_RUNTIME;
    }
    printf("%s\n", k.public_z85);
    fflush(stdout);
    if (o->verbosity >= 0) {
        fprintf(stderr,
                "barrage: wrote %s (the key pair: keep it secret) and %s.pub (the "
                "public key to give to peers)\n",
                o->scenario, o->scenario);
    }
    explicit_bzero(&k, sizeof k);
    return BARRAGE_EXIT_OK;
}
