/* watch: socket monitor events of the worker's link to its master. */
#include "worker/watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "common/log.h"
#include "common/xmalloc.h"

#define WATCH_EVENTS                                                                               \
    (ZMQ_EVENT_CONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |                                  \
     ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)

struct watch {
    void *sock; /* the monitored socket (not ours) */
    void *pair; /* receives its events */
    watch_stats_t stats;
    watch_event_t gave_up; /* since the last watch_drain */
};

watch_t *watch_new(void *zctx, void *sock, char **err) {
    watch_t *w = xcalloc(1, sizeof *w);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "inproc://barrage-watch-%p", (void *)w);
    if (zmq_socket_monitor(sock, endpoint, WATCH_EVENTS) != 0) {
        *err = xasprintf("zmq_socket_monitor: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        free(w);
        return NULL;
    }
    w->sock = sock;
    w->pair = zmq_socket(zctx, ZMQ_PAIR);
    if (!w->pair) {
        *err = xasprintf("zmq_socket(ZMQ_PAIR): %s (%s:%d)", zmq_strerror(errno), __FILE__,
                         __LINE__);
        watch_destroy(&w);
        return NULL;
    }
    if (zmq_connect(w->pair, endpoint) != 0) {
        *err = xasprintf("zmq_connect(%s): %s (%s:%d)", endpoint, zmq_strerror(errno), __FILE__,
                         __LINE__);
        watch_destroy(&w);
        return NULL;
    }
    return w;
}

void watch_destroy(watch_t **wp) {
    if (!wp || !*wp) return;
    watch_t *w = *wp;
    /* Nobody to return to: failures are said here; the sockets go all the same. */
    if (w->sock && zmq_socket_monitor(w->sock, NULL, 0) != 0) {
        log_warn("zmq_socket_monitor(stop): %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
    }
    if (w->pair) {
        int linger_ms = 0;
        if (zmq_setsockopt(w->pair, ZMQ_LINGER, &linger_ms, sizeof linger_ms) != 0) {
            log_warn("zmq_setsockopt(ZMQ_LINGER): %s (%s:%d)", zmq_strerror(errno), __FILE__,
                     __LINE__);
        }
        if (zmq_close(w->pair) != 0) {
            log_warn("zmq_close: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        }
    }
    free(w);
    *wp = NULL;
}

int watch_fd(const watch_t *w, char **err) {
    int fd = -1;
    size_t sz = sizeof fd;
    if (zmq_getsockopt(w->pair, ZMQ_FD, &fd, &sz) != 0) {
        *err = xasprintf("zmq_getsockopt(ZMQ_FD): %s (%s:%d)", zmq_strerror(errno), __FILE__,
                         __LINE__);
        return -1;
    }
    return fd;
}

static void s_count(watch_t *w, uint16_t event, uint32_t value) {
    switch (event) {
    case ZMQ_EVENT_CONNECTED:
        w->stats.connects++;
        break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
        /* The master hung up mid-handshake, as it does on a wrong --master-key. */
        w->stats.handshake_failures++;
        log_debug("handshake with the master failed: %s", zmq_strerror((int)value));
        break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
        w->stats.handshake_failures++;
        w->stats.protocol_error = value;
        w->gave_up = WATCH_PROTOCOL;
        log_debug("handshake with the master failed: protocol error 0x%x", value);
        break;
    case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
        w->stats.refusals++;
        w->stats.refusal_status = value;
        w->gave_up = WATCH_REFUSED;
        break;
    default:
        break;
    }
}

/* Receives one event: a frame of event number (16 bits) and value (32
 * bits), then a frame with the endpoint. False when none is waiting. */
static bool s_read_event(watch_t *w) {
    zmq_msg_t head, where;
    zmq_msg_init(&head);
    if (zmq_msg_recv(&head, w->pair, ZMQ_DONTWAIT) < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            log_warn("zmq_msg_recv(monitor): %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        }
        zmq_msg_close(&head);
        return false;
    }
    zmq_msg_init(&where);
    /* The endpoint frame is not used; a failure to read it only loses it. */
    if (zmq_msg_more(&head) && zmq_msg_recv(&where, w->pair, ZMQ_DONTWAIT) < 0) {
        log_debug("zmq_msg_recv(monitor endpoint): %s (%s:%d)", zmq_strerror(errno), __FILE__,
                  __LINE__);
    }
    if (zmq_msg_size(&head) >= 6) {
        uint16_t event;
        uint32_t value;
        memcpy(&event, zmq_msg_data(&head), sizeof event);
        memcpy(&value, (const char *)zmq_msg_data(&head) + 2, sizeof value);
        s_count(w, event, value);
    }
    zmq_msg_close(&where);
    zmq_msg_close(&head);
    return true;
}

watch_event_t watch_drain(watch_t *w) {
    for (;;) {
        int events = 0;
        size_t sz = sizeof events;
        if (zmq_getsockopt(w->pair, ZMQ_EVENTS, &events, &sz) != 0) {
            log_warn("zmq_getsockopt(ZMQ_EVENTS): %s (%s:%d)", zmq_strerror(errno), __FILE__,
                     __LINE__);
            break;
        }
        if (!(events & ZMQ_POLLIN)) break;
        if (!s_read_event(w)) break;
    }
    watch_event_t gave_up = w->gave_up;
    w->gave_up = WATCH_NOTHING;
    return gave_up;
}

const watch_stats_t *watch_stats(const watch_t *w) {
    return &w->stats;
}

void watch_reset(watch_t *w) {
    w->stats = (watch_stats_t){0};
}
