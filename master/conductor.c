/* conductor: the ZeroMQ, clock and signal shell around the run's decision core. */
#include "master/conductor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "master/live.h"
#include "master/zap.h"
#include "proto/wire.h"

/* Set by the signal handler; the one mutable global, as a handler needs. */
static volatile sig_atomic_t s_signalled;

struct conductor {
    const conductor_opts_t *o;
    void *zctx, *sock;
    zap_t *zap; /* the CURVE authenticator, when the master has keys */
    char endpoint[256];
    conduct_t *core; /* from conductor_run on */
    live_t *live;
    conductor_round_fn *round; /* the web glue's hook, or NULL */
    void *round_arg;
    /* SIGINT/SIGTERM are ours from the first conductor_run to conductor_destroy,
     * so that a signal between two runs (while the last one's report is written)
     * is taken at the next round instead of killing the master. */
    bool signals_set;
    struct sigaction old_int, old_term;
};

static void s_install_signals(struct sigaction *old_int, struct sigaction *old_term);
static void s_restore_signals(const struct sigaction *old_int, const struct sigaction *old_term);

static void s_on_signal(int sig) {
    (void)sig;
    s_signalled = 1;
}

/* zmq_setsockopt with the failure in *err, naming the option and the caller's line. */
static int s_setsockopt_at(void *sock, int option, const char *name, const void *value,
                           size_t bytes, int line, char **err) {
    if (zmq_setsockopt(sock, option, value, bytes) == 0) return 0;
    *err = xasprintf("zmq_setsockopt(%s): %s (%s:%d)", name, zmq_strerror(errno), __FILE__, line);
    return -1;
}
#define s_setsockopt(sock, option, value, err)                                                     \
    s_setsockopt_at((sock), (option), #option, &(value), sizeof(value), __LINE__, (err))

static int s_bind(conductor_t *c, char **err) {
    c->zctx = zmq_ctx_new();
    c->sock = c->zctx ? zmq_socket(c->zctx, ZMQ_ROUTER) : NULL;
    if (!c->sock) {
        *err = xasprintf("zmq_socket(ROUTER): %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    int one = 1, linger_ms = 1000;
    if (s_setsockopt(c->sock, ZMQ_ROUTER_MANDATORY, one, err) != 0 ||
        s_setsockopt(c->sock, ZMQ_ROUTER_HANDOVER, one, err) != 0 ||
        s_setsockopt(c->sock, ZMQ_LINGER, linger_ms, err) != 0) {
        return -1;
    }
    /* The ZAP handler must be in place before the first handshake. */
    if (c->o->curve_secret) {
        c->zap = zap_new(c->zctx, c->o->allowed, err);
        if (!c->zap || zap_curve_server(c->sock, c->o->curve_secret, err) != 0) return -1;
    }
    /* "tcp://host:0" asks the OS for a free port; libzmq spells that "*". */
    char *bind = xstrdup(c->o->bind);
    size_t len = strlen(bind);
    if (len > 2 && strcmp(bind + len - 2, ":0") == 0) {
        bind = xrealloc(bind, len + 1);
        strcpy(bind + len - 1, "*");
    }
    int rc = zmq_bind(c->sock, bind);
    free(bind);
    if (rc != 0) {
        *err = xasprintf("cannot bind %s: %s", c->o->bind, zmq_strerror(errno));
        return -1;
    }
    size_t sz = sizeof c->endpoint;
    if (zmq_getsockopt(c->sock, ZMQ_LAST_ENDPOINT, c->endpoint, &sz) != 0) {
        *err = xasprintf("zmq_getsockopt(ZMQ_LAST_ENDPOINT): %s (%s:%d)", zmq_strerror(errno),
                         __FILE__, __LINE__);
        return -1;
    }
    return 0;
}

conductor_t *conductor_new(const conductor_opts_t *opts, char **err) {
    conductor_t *c = xcalloc(1, sizeof *c);
    c->o = opts;
    if (opts->live) c->live = live_new(stderr, isatty(STDERR_FILENO));
    if (s_bind(c, err) != 0) {
        conductor_destroy(&c);
        return NULL;
    }
    return c;
}

void conductor_destroy(conductor_t **cp) {
    if (!cp || !*cp) return;
    conductor_t *c = *cp;
    if (c->sock && zmq_close(c->sock) != 0) {
        log_error("zmq_close: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
    }
    zap_destroy(&c->zap);
    if (c->zctx) {
        while (zmq_ctx_term(c->zctx) != 0 && errno == EINTR) {
        }
    }
    conduct_destroy(&c->core);
    live_destroy(&c->live);
    if (c->signals_set) s_restore_signals(&c->old_int, &c->old_term);
    free(c);
    *cp = NULL;
}

const char *conductor_endpoint(const conductor_t *c) {
    return c->endpoint;
}

/* --- carrying out what the core decided --- */

static const char *s_peer_name(const conductor_t *c, uint32_t worker) {
    const registry_t *reg = conduct_registry(c->core);
    return worker < reg->n ? reg->items[worker]->worker_id : "a refused peer";
}

/* Sends, logs and draws everything the core queued, then empties the queue. */
static void s_flush(conductor_t *c) {
    size_t n = conduct_outputs(c->core);
    for (size_t i = 0; i < n; i++) {
        const conduct_out_t *o = conduct_output(c->core, i);
        if (o->kind == CONDUCT_SEND) {
            /* A send fails for a peer gone (EHOSTUNREACH) or a full queue: the
             * loss check or the next heartbeat deals with it. */
            if (wire_send_to(c->sock, o->routing_id, o->routing_id_bytes, &o->msg) != 0) {
                log_debug("send %s to %s: %s", proto_type_name(o->msg.type),
                          s_peer_name(c, o->worker), zmq_strerror(errno));
            }
        } else if (o->kind == CONDUCT_LIVE) {
            results_t *r = conduct_results(c->core);
            if (c->live) {
                live_tick(c->live, r, &o->live);
            } else {
                results_window_reset(r);
            }
        } else {
            /* A new run or a reset: the live window starts again. */
            if (c->live && (o->kind == CONDUCT_RUN_STARTED || o->kind == CONDUCT_STATS_RESET)) {
                live_reset(c->live);
            }
            log_write(o->level, "%s", o->text);
        }
    }
    conduct_outputs_clear(c->core);
}

/* Decodes one message and hands it to the core. */
static void s_dispatch(conductor_t *c, const void *rid, size_t rid_bytes, const void *data,
                       size_t len) {
    proto_msg_t m;
    int rc = proto_decode(data, len, &m);
    if (rc == PROTO_ERR_VERSION) {
        conduct_on_version(c->core, rid, rid_bytes, m.version);
    } else if (rc != 0) {
        log_warn("dropped a malformed message (%zu bytes): %s", len, proto_strerror(rc));
        return;
    } else {
        conduct_on_message(c->core, rid, rid_bytes, &m, clock_now_us());
        proto_msg_fini(&m);
    }
    s_flush(c);
}

/* Reads one [routing id][payload] message; false when none is waiting. */
static bool s_receive_one(conductor_t *c) {
    zmq_msg_t id, body;
    zmq_msg_init(&id);
    if (zmq_msg_recv(&id, c->sock, ZMQ_DONTWAIT) < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            log_error("zmq_msg_recv: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        }
        zmq_msg_close(&id);
        return false;
    }
    zmq_msg_init(&body);
    bool ok = zmq_msg_more(&id) && zmq_msg_recv(&body, c->sock, ZMQ_DONTWAIT) >= 0;
    if (ok && zmq_msg_more(&body)) {
        ok = false;
        /* Drop a message of unexpected shape whole. */
        zmq_msg_t extra;
        zmq_msg_init(&extra);
        while (zmq_msg_recv(&extra, c->sock, ZMQ_DONTWAIT) >= 0 && zmq_msg_more(&extra)) {
        }
        zmq_msg_close(&extra);
    }
    if (ok) {
        s_dispatch(c, zmq_msg_data(&id), zmq_msg_size(&id), zmq_msg_data(&body),
                   zmq_msg_size(&body));
    } else {
        log_warn("dropped a message with an unexpected frame count");
    }
    zmq_msg_close(&body);
    zmq_msg_close(&id);
    return true;
}

static long s_poll_timeout_ms(const conductor_t *c, uint64_t now) {
    uint64_t next = conduct_next_due_us(c->core);
    /* Loss detection and signals need a look at least every 250 ms. */
    long ms = next > now ? (long)((next - now + 999) / 1000) : 0;
    return ms > 250 ? 250 : ms;
}

/* --- signals --- */

static void s_install_signals(struct sigaction *old_int, struct sigaction *old_term) {
    struct sigaction sa = {0};
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    s_signalled = 0;
    if (sigaction(SIGINT, &sa, old_int) != 0 || sigaction(SIGTERM, &sa, old_term) != 0) {
        /* The run goes on; a signal then ends the master without a report. */
        log_error("sigaction: %s (%s:%d); Ctrl-C will not stop the run cleanly", strerror(errno),
                  __FILE__, __LINE__);
    }
}

static void s_restore_signals(const struct sigaction *old_int, const struct sigaction *old_term) {
    if (sigaction(SIGINT, old_int, NULL) != 0 || sigaction(SIGTERM, old_term, NULL) != 0) {
        log_error("sigaction: %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
    }
}

/* One round: wait for messages or the core's next deadline, take what came
 * (bounded, so heartbeats, STOP and the live view go out on time even when
 * reports arrive faster than they are merged; the rest wait in ZeroMQ's
 * queue for the next round), then let time pass in the core. */
static void s_round(conductor_t *c) {
    zmq_pollitem_t item = {.socket = c->sock, .events = ZMQ_POLLIN};
    if (zmq_poll(&item, 1, s_poll_timeout_ms(c, clock_now_us())) < 0 && errno != EINTR) {
        log_error("zmq_poll: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        conduct_abort(c->core);
        return;
    }
    uint64_t round_end = clock_now_us() + 50000u;
    for (int n = 0; n < 2000 && s_receive_one(c); n++) {
        if ((n & 63) == 63 && clock_now_us() > round_end) break;
    }
    if (s_signalled) conduct_on_signal(c->core);
    conduct_tick(c->core, clock_now_us());
    s_flush(c);
    if (c->round) {
        c->round(c->round_arg, c->core, clock_now_us());
        s_flush(c);
    }
}

void conductor_set_round(conductor_t *c, conductor_round_fn *fn, void *arg) {
    c->round = fn;
    c->round_arg = arg;
}

int conductor_run(conductor_t *c) {
    if (!c->signals_set) {
        s_install_signals(&c->old_int, &c->old_term);
        c->signals_set = true;
    }
    if (!c->core) {
        c->core = conduct_new(c->o, clock_now_us(), clock_wall_ms());
        if (c->o->multi_run && !c->o->autostart) {
            log_info("master on %s: runs start from the web UI", c->endpoint);
        } else {
            log_info("master on %s: waiting for %u workers", c->endpoint, c->o->expect_workers);
        }
    }
    while (!conduct_done(c->core) && !conduct_run_ended(c->core))
        s_round(c);
    bool ended = conduct_run_ended(c->core);
    conduct_finish(c->core, clock_now_us());
    s_flush(c);
    return ended || !c->o->multi_run ? conduct_outcome(c->core) : CONDUCTOR_QUIT;
}

void conductor_fill_report(conductor_t *c, report_t *r) {
    if (c->core) conduct_fill_report(c->core, r, clock_now_us());
}

void conductor_judge(conductor_t *c, report_t *r) {
    if (c->core) conduct_judge(c->core, r);
}

void conductor_fill_meta(conductor_t *c, report_t *r) {
    if (c->core) conduct_fill_meta(c->core, r);
}

void conductor_keep_report(conductor_t *c, report_t **r) {
    if (c->core) conduct_keep_report(c->core, r);
}
