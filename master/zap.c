/* zap: a ZAP handler thread that accepts only the allowed CURVE public keys. */
#include "master/zap.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "common/log.h"
#include "common/xmalloc.h"

#define ZAP_ENDPOINT "inproc://zeromq.zap.01"
/* version, request id, domain, address, routing id, mechanism, credentials */
#define ZAP_REQUEST_FRAMES 7
#ifdef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZAP_ENFORCE_DOMAIN ZMQ_ZAP_ENFORCE_DOMAIN
#else
#define ZAP_ENFORCE_DOMAIN 93 /* libzmq's draft API number, stable since 4.2.3 */
#endif

struct zap {
    void *rep;       /* the handler socket: the thread's once it runs */
    void *stop_main; /* the main thread's end of the stop pipe */
    void *stop_thread;
    keys_list_t allowed;
    keys_list_t warned; /* refused keys already logged as warnings (thread only) */
    pthread_t thread;
    bool started;
};

static void s_close(void **sock) {
    if (!*sock) return;
    int linger_ms = 0;
    if (zmq_setsockopt(*sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms) != 0) {
        log_error("zap: zmq_setsockopt(ZMQ_LINGER): %s (%s:%d)", zmq_strerror(errno), __FILE__,
                  __LINE__);
    }
    if (zmq_close(*sock) != 0) {
        log_error("zap: zmq_close: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
    }
    *sock = NULL;
}

static int s_send(void *sock, const void *data, size_t len, bool more) {
    return zmq_send(sock, data, len, more ? ZMQ_SNDMORE : 0) < 0 ? -1 : 0;
}

/* The reply frames of RFC 27: version, request id, status, text, user id, metadata. */
static void s_reply(zap_t *z, const zmq_msg_t *request_id, const char *status, const char *text,
                    const char *user_id) {
    const void *id = request_id ? zmq_msg_data((zmq_msg_t *)request_id) : "";
    size_t id_bytes = request_id ? zmq_msg_size((zmq_msg_t *)request_id) : 0;
    if (s_send(z->rep, "1.0", 3, true) != 0 || s_send(z->rep, id, id_bytes, true) != 0 ||
        s_send(z->rep, status, strlen(status), true) != 0 ||
        s_send(z->rep, text, strlen(text), true) != 0 ||
        s_send(z->rep, user_id, strlen(user_id), true) != 0 || s_send(z->rep, "", 0, false) != 0) {
        log_error("zap: cannot reply: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
    }
}

static bool s_frame_is(zmq_msg_t *m, const char *text) {
    return zmq_msg_size(m) == strlen(text) && memcmp(zmq_msg_data(m), text, strlen(text)) == 0;
}

static void s_decide(zap_t *z, zmq_msg_t *f) {
    if (!s_frame_is(&f[0], "1.0")) {
        s_reply(z, &f[1], "500", "unsupported ZAP version", "");
        return;
    }
    char address[64];
    snprintf(address, sizeof address, "%.*s", (int)zmq_msg_size(&f[3]),
             (const char *)zmq_msg_data(&f[3]));
    if (!s_frame_is(&f[5], "CURVE") || zmq_msg_size(&f[6]) != 32) {
        log_warn("refused a peer from %s: it did not present a CURVE key", address);
        s_reply(z, &f[1], "400", "CURVE key required", "");
        return;
    }
    keys_z85_t key;
    zmq_z85_encode(key, zmq_msg_data(&f[6]), 32);
    if (keys_list_contains(&z->allowed, key)) {
        log_info("accepted worker key %s from %s", key, address);
        s_reply(z, &f[1], "200", "OK", key);
        return;
    }
    if (keys_list_contains(&z->warned, key)) {
        log_debug("refused worker key %s from %s again", key, address);
    } else {
        log_warn("refused a worker from %s: its public key %s is not allowed (to let it in, "
                 "add its .pub file to --allow)",
                 address, key);
        keys_list_add(&z->warned, key);
    }
    s_reply(z, &f[1], "400", "public key not allowed", "");
}

/* Receives one request (all its frames) and answers it. */
static void s_handle(zap_t *z) {
    zmq_msg_t f[ZAP_REQUEST_FRAMES + 1]; /* the last one takes any extra frames, dropped */
    size_t n = 0;
    int more = 1;
    size_t more_size = sizeof more;
    bool ok = true;
    while (more && ok) {
        zmq_msg_t *m = &f[n < ZAP_REQUEST_FRAMES ? n : ZAP_REQUEST_FRAMES];
        if (n > ZAP_REQUEST_FRAMES) zmq_msg_close(m);
        zmq_msg_init(m);
        ok = zmq_msg_recv(m, z->rep, 0) >= 0;
        n++;
        if (ok && zmq_getsockopt(z->rep, ZMQ_RCVMORE, &more, &more_size) != 0) {
            log_error("zap: zmq_getsockopt(ZMQ_RCVMORE): %s (%s:%d)", zmq_strerror(errno),
                      __FILE__, __LINE__);
            more = 0; /* answer what came; the request is then malformed */
        }
    }
    if (!ok) {
        log_error("zap: zmq_msg_recv: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
    } else if (n == ZAP_REQUEST_FRAMES) {
        s_decide(z, f);
    } else {
        log_warn("zap: dropped a request of %zu frames", n);
        s_reply(z, n > 1 ? &f[1] : NULL, "500", "malformed ZAP request", "");
    }
    for (size_t i = 0; i < n && i <= ZAP_REQUEST_FRAMES; i++)
        zmq_msg_close(&f[i]);
}

static void *s_thread(void *arg) {
    zap_t *z = arg;
    for (;;) {
        zmq_pollitem_t items[2] = {{.socket = z->rep, .events = ZMQ_POLLIN},
                                   {.socket = z->stop_thread, .events = ZMQ_POLLIN}};
        if (zmq_poll(items, 2, -1) < 0) {
            if (errno == EINTR) continue;
            log_error("zap: zmq_poll: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
            break;
        }
        if (items[1].revents & ZMQ_POLLIN) break;
        if (items[0].revents & ZMQ_POLLIN) s_handle(z);
    }
    return NULL;
}

static int s_sockets(zap_t *z, void *zctx, char **err) {
    char stop[64];
    snprintf(stop, sizeof stop, "inproc://barrage-zap-stop-%p", (void *)z);
    z->rep = zmq_socket(zctx, ZMQ_REP);
    z->stop_main = zmq_socket(zctx, ZMQ_PAIR);
    z->stop_thread = zmq_socket(zctx, ZMQ_PAIR);
    if (!z->rep || !z->stop_main || !z->stop_thread) {
        *err = xasprintf("zmq_socket (ZAP handler): %s", zmq_strerror(errno));
        return -1;
    }
    if (zmq_bind(z->rep, ZAP_ENDPOINT) != 0) {
        *err =
            xasprintf("cannot bind the ZAP handler at %s: %s", ZAP_ENDPOINT, zmq_strerror(errno));
        return -1;
    }
    if (zmq_bind(z->stop_main, stop) != 0 || zmq_connect(z->stop_thread, stop) != 0) {
        *err =
            xasprintf("cannot make the ZAP handler's stop pipe %s: %s", stop, zmq_strerror(errno));
        return -1;
    }
    return 0;
}

zap_t *zap_new(void *zctx, const keys_list_t *allowed, char **err) {
    zap_t *z = xcalloc(1, sizeof *z);
    keys_list_init(&z->allowed);
    keys_list_init(&z->warned);
    for (size_t i = 0; i < allowed->n; i++)
        keys_list_add(&z->allowed, allowed->items[i]);
    if (s_sockets(z, zctx, err) != 0) {
        zap_destroy(&z);
        return NULL;
    }
    /* Signals belong to the main thread, whose zmq_poll they must interrupt. */
    sigset_t all, old;
    sigfillset(&all);
    int rc = pthread_sigmask(SIG_SETMASK, &all, &old);
    if (rc != 0) {
        *err = xasprintf("pthread_sigmask: %s (%s:%d)", strerror(rc), __FILE__, __LINE__);
        zap_destroy(&z);
        return NULL;
    }
    rc = pthread_create(&z->thread, NULL, s_thread, z);
    int mask_rc = pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (mask_rc != 0) {
        log_error("pthread_sigmask: %s (%s:%d)", strerror(mask_rc), __FILE__, __LINE__);
    }
    if (rc != 0) {
        *err = xasprintf("cannot start the ZAP handler thread: %s", strerror(rc));
        zap_destroy(&z);
        return NULL;
    }
    z->started = true;
    return z;
}

void zap_destroy(zap_t **zp) {
    if (!zp || !*zp) return;
    zap_t *z = *zp;
    if (z->started) {
        if (zmq_send(z->stop_main, "", 0, 0) < 0) {
            log_error("zap: cannot stop the handler: %s (%s:%d)", zmq_strerror(errno), __FILE__,
                      __LINE__);
        }
        int rc = pthread_join(z->thread, NULL);
        if (rc != 0) {
            log_error("zap: pthread_join: %s (%s:%d)", strerror(rc), __FILE__, __LINE__);
        }
    }
    s_close(&z->rep);
    s_close(&z->stop_thread);
    s_close(&z->stop_main);
    keys_list_fini(&z->allowed);
    keys_list_fini(&z->warned);
    free(z);
    *zp = NULL;
}

int zap_curve_server(void *sock, const char *secret_z85, char **err) {
    int one = 1;
    const char *domain = "barrage";
    const char *failed = NULL;
    int line = 0;
    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) != 0) {
        failed = "ZMQ_CURVE_SERVER", line = __LINE__;
    } else if (zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, secret_z85, KEYS_Z85_LEN + 1) != 0) {
        failed = "ZMQ_CURVE_SECRETKEY", line = __LINE__;
    } else if (zmq_setsockopt(sock, ZMQ_ZAP_DOMAIN, domain, strlen(domain)) != 0) {
        failed = "ZMQ_ZAP_DOMAIN", line = __LINE__;
    }
    if (failed) {
        *err = xasprintf("cannot make the master a CURVE server: zmq_setsockopt(%s): %s (%s:%d)",
                         failed, zmq_strerror(errno), __FILE__, line);
        return -1;
    }
    /* Without a handler libzmq would let every key in; with this (draft)
     * option it refuses instead. Builds without the draft API say EINVAL:
     * then only the handler bound first stands between. */
    if (zmq_setsockopt(sock, ZAP_ENFORCE_DOMAIN, &one, sizeof one) != 0) {
        log_debug("ZMQ_ZAP_ENFORCE_DOMAIN unsupported: %s", zmq_strerror(errno));
    }
    return 0;
}
