/* server: the listening socket and the single-threaded epoll loop that drives connections,
 * deferred-response timers and SIGINT/SIGTERM. */
#ifndef BARRAGE_TARGET_SERVER_H
#define BARRAGE_TARGET_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/target/counters.h"

typedef struct server server_t;

/* Binds host:port (port 0 picks a free one) and listens. Unless allow_remote is set, host must
 * resolve to a loopback address. SIGINT and SIGTERM must already be blocked in the calling
 * thread (the server receives them through a signalfd). counters is borrowed. Returns NULL
 * after printing "barrage: error: ..." on stderr. */
server_t *server_new(const char *host, uint16_t port, bool allow_remote, counters_t *counters);
/* Frees the server and closes every connection; accepts NULL and nulls *p. */
void server_destroy(server_t **p);

/* The base URL actually bound, e.g. "http://127.0.0.1:40123" or "http://[::1]:40123". */
const char *server_url(const server_t *s);
/* Serves until SIGINT or SIGTERM arrives. Returns 0, or -1 if the event loop failed. */
int server_run(server_t *s);

#endif
