/* watch: the worker's view of its connection to the master, through a
 * ZeroMQ socket monitor — TCP connections made, security handshakes that
 * failed (a wrong --master-key, or keys on one side only), and the master
 * refusing this worker's key. The events arrive on an inproc PAIR socket
 * whose ZMQ_FD joins the worker's epoll, edge-triggered like the DEALER's:
 * drain it after every wake. */
#ifndef BARRAGE_WORKER_WATCH_H
#define BARRAGE_WORKER_WATCH_H

#include <stdbool.h>
#include <stdint.h>

typedef struct watch watch_t;

/* Counts since the last watch_reset. */
typedef struct {
    uint32_t connects;           /* TCP connections made */
    uint32_t handshake_failures; /* handshakes the master ended without an answer */
    uint32_t refusals;           /* the master refused this worker's key */
    uint32_t refusal_status;     /* its last ZAP status code, e.g. 400 */
    uint32_t protocol_error;     /* the last ZMQ_PROTOCOL_ERROR_* of a broken handshake */
} watch_stats_t;

/* What made libzmq give up on the connection (it does not reconnect then). */
typedef enum {
    WATCH_NOTHING,  /* nothing: libzmq keeps (re)connecting by itself */
    WATCH_REFUSED,  /* the master refused this worker's key */
    WATCH_PROTOCOL, /* the handshake broke, e.g. keys on one side only (see protocol_error) */
} watch_event_t;

/* Starts monitoring sock (a socket of zctx); call before zmq_connect.
 * Returns NULL with *err (caller frees). */
watch_t *watch_new(void *zctx, void *sock, char **err);
/* Stops monitoring and closes the PAIR socket; call before closing sock. NULL allowed. */
void watch_destroy(watch_t **w);

/* The fd to watch for EPOLLIN | EPOLLET, or -1 with *err (caller frees). */
int watch_fd(const watch_t *w, char **err);

/* Reads every pending event. Returns what made libzmq give up on the
 * connection since the last call (the latest), or WATCH_NOTHING; after
 * anything else the caller must connect again to retry. */
watch_event_t watch_drain(watch_t *w);

const watch_stats_t *watch_stats(const watch_t *w);
void watch_reset(watch_t *w);

#endif
