/* zap: the master's CURVE authentication — a ZAP handler (RFC 27) on its own
 * thread that lets in only the allowed worker public keys and logs, as a
 * warning, each refused key (Z85) with the address it came from.
 *
 * libzmq asks the handler bound at inproc://zeromq.zap.01 in the socket's
 * context about every CURVE handshake; without one it would let every
 * client in, so zap_new must come before the ROUTER binds. A handler that
 * stopped answering fails closed: handshakes wait and nobody gets in. */
#ifndef BARRAGE_MASTER_ZAP_H
#define BARRAGE_MASTER_ZAP_H

#include "proto/keys.h"

typedef struct zap zap_t;

/* Binds the handler in zctx and starts its thread; allowed is copied.
 * Returns NULL with *err (caller frees) on failure. */
zap_t *zap_new(void *zctx, const keys_list_t *allowed, char **err);

/* Stops the thread and closes its sockets (before zmq_ctx_term); NULL allowed. */
void zap_destroy(zap_t **z);

/* Makes sock a CURVE server with this secret key (Z85), authenticated
 * through the ZAP handler; call before zmq_bind. Returns 0, or -1 with *err. */
int zap_curve_server(void *sock, const char *secret_z85, char **err);

#endif
