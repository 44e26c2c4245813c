/* conn: one client connection: reads requests, answers them in order, counts what was sent.
 *
 * "Served" (what the counters count): a request is counted when the last byte of its response
 * has been accepted by send() into the kernel's socket buffer. Responses that were only queued
 * in user space when the connection died (client reset, close during a /delay) are not
 * counted; a client that resets after the kernel took the bytes may still be counted. */
#ifndef BARRAGE_TARGET_CONN_H
#define BARRAGE_TARGET_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "tests/target/counters.h"
#include "tests/target/routes.h"
#include "tests/target/timers.h"

typedef struct conn conn_t;

/* What all connections share; owned by the server, plain data. */
typedef struct {
    int epoll_fd;
    routes_t *routes;      /* borrowed */
    counters_t *counters;  /* borrowed */
    timers_t *timers;      /* borrowed */
    uint32_t malformed_id; /* counters id for unparseable requests */
    conn_t *live;          /* every open connection, for conn_close_all */
    size_t live_count;
} conn_env_t;

/* Takes ownership of the non-blocking socket fd, registers it with env->epoll_fd (epoll data
 * is the conn_t pointer) and returns the connection, or NULL (fd closed, error logged). */
conn_t *conn_open(conn_env_t *env, int fd);
/* Handles the epoll events reported for c; may close and free c. */
void conn_on_events(conn_t *c, uint32_t events);
/* Handles an expired timer (a deferred response is due); may close and free the conn. */
void conn_on_timer(timer_node_t *timer);
/* Closes and frees every connection in env, without counting queued responses. */
void conn_close_all(conn_env_t *env);

#endif
