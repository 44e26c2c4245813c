/* agent: the worker process's link to its master and its current run. */
#include "worker/agent.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <zmq.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "proto/wire.h"
#include "worker/engine.h"
#include "worker/loop.h"

typedef struct {
    loop_t *loop;
    void *zctx, *sock;
    int sigfd;
    char *id;
    char hostname[256];
    engine_t *engine;
    bool welcomed, quitting;
    uint32_t index;
    uint64_t last_master_us;
    uint32_t heartbeat_ms, master_timeout_ms;
    loop_timer_t tick, check, reap;
    int exit_code;
} agent_t;

static void s_send(agent_t *a, const proto_msg_t *m) {
    if (wire_send(a->sock, m) != 0) {
        log_warn("send %s to master: %s", proto_type_name(m->type), zmq_strerror(errno));
    }
    /* ZMQ_FD is edge-triggered: a send can swallow the edge of a pending
     * receive, so look again — on the next round, not inside our caller. */
    loop_timer_start(a->loop, &a->check, clock_now_us());
}

static void s_hello(agent_t *a) {
    proto_msg_t m = {.type = PROTO_HELLO};
    m.u.hello = (proto_hello_t){.worker_id = a->id,
                                .hostname = a->hostname,
                                .pid = (uint32_t)getpid(),
                                .cpus = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN)};
    s_send(a, &m);
}

/* --- engine hooks --- */

static void s_on_report(const proto_msg_t *msg, void *arg) {
    s_send(arg, msg);
}

static void s_on_reap(loop_t *loop, void *arg) {
    (void)loop;
    agent_t *a = arg;
    if (a->engine && engine_done(a->engine)) engine_destroy(&a->engine);
    if (a->quitting && !a->engine) loop_stop(a->loop);
}

static void s_on_finished(void *arg) {
    agent_t *a = arg;
    log_info("run %u finished", engine_run_id(a->engine));
    /* The engine is on the stack: destroy it on the next round. */
    loop_timer_start(a->loop, &a->reap, clock_now_us());
}

/* --- messages from the master --- */

static void s_refuse_run(agent_t *a, const char *why) {
    proto_msg_t m = {.type = PROTO_REJECT};
    m.u.reject.reason = (char *)why;
    s_send(a, &m);
}

static void s_on_run(agent_t *a, const proto_run_t *run) {
    if (a->engine) {
        log_warn("new run %u while run %u is active: dropping the old one", run->run_id,
                 engine_run_id(a->engine));
        engine_destroy(&a->engine);
    }
    char *err = NULL;
    engine_hooks_t hooks = {.report = s_on_report, .finished = s_on_finished, .arg = a};
    uint64_t seed = clock_now_us() ^ ((uint64_t)getpid() << 32) ^ run->worker_index;
    a->engine = engine_new(a->loop, run, seed, hooks, &err);
    if (!a->engine) {
        log_error("run %u refused: %s", run->run_id, err);
        s_refuse_run(a, err);
        free(err);
        return;
    }
    uint32_t users = 0;
    for (uint32_t c = 0; c < run->n_classes; c++) users += run->users_per_class[c];
    log_info("run %u: %u users at %.2f/s for %llu ms", run->run_id, users, run->spawn_rate,
             (unsigned long long)run->duration_ms);
}

static void s_on_welcome(agent_t *a, const proto_welcome_t *w) {
    a->welcomed = true;
    a->index = w->worker_index;
    char ident[32];
    snprintf(ident, sizeof ident, "worker-%u", w->worker_index);
    log_init(ident, log_get_level());
    log_info("joined master as %s", a->id);
}

static void s_handle(agent_t *a, proto_msg_t *m) {
    a->last_master_us = clock_now_us();
    switch (m->type) {
    case PROTO_WELCOME:
        s_on_welcome(a, &m->u.welcome);
        break;
    case PROTO_REJECT:
        log_error("the master refused this worker: %s", m->u.reject.reason);
        a->exit_code = AGENT_EXIT_RUNTIME;
        a->quitting = true;
        loop_stop(a->loop);
        break;
    case PROTO_RUN:
        s_on_run(a, &m->u.run);
        break;
    case PROTO_STOP:
        if (a->engine && engine_run_id(a->engine) == m->u.stop.run_id) engine_stop(a->engine);
        break;
    case PROTO_QUIT:
        log_info("the master says quit");
        a->quitting = true;
        if (a->engine) {
            engine_stop(a->engine);
        } else {
            loop_stop(a->loop);
        }
        break;
    case PROTO_HEARTBEAT:
        break;
    default:
        log_warn("unexpected %s message from the master: dropped", proto_type_name(m->type));
    }
}

static void s_receive_one(agent_t *a, const void *data, size_t len) {
    proto_msg_t m;
    int rc = proto_decode(data, len, &m);
    if (rc == PROTO_ERR_VERSION) {
        log_error("the master speaks protocol version %u, this worker speaks %u: upgrade one of "
                  "them",
                  m.version, PROTO_VERSION);
        a->exit_code = AGENT_EXIT_RUNTIME;
        loop_stop(a->loop);
        return;
    }
    if (rc != 0) {
        log_warn("dropped a malformed message from the master (%zu bytes): %s", len,
                 proto_strerror(rc));
        return;
    }
    s_handle(a, &m);
    proto_msg_fini(&m);
}

static void s_drain_socket(agent_t *a) {
    for (;;) {
        int events = 0;
        size_t sz = sizeof events;
        if (zmq_getsockopt(a->sock, ZMQ_EVENTS, &events, &sz) != 0 || !(events & ZMQ_POLLIN)) {
            return;
        }
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, a->sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&msg);
            return;
        }
        s_receive_one(a, zmq_msg_data(&msg), zmq_msg_size(&msg));
        zmq_msg_close(&msg);
    }
}

static void s_on_zmq_fd(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)loop, (void)fd, (void)events;
    s_drain_socket(arg);
}

static void s_on_check(loop_t *loop, void *arg) {
    (void)loop;
    s_drain_socket(arg);
}

/* --- timers and signals --- */

static void s_on_tick(loop_t *loop, void *arg) {
    agent_t *a = arg;
    uint64_t now = clock_now_us();
    if (a->welcomed && now - a->last_master_us > (uint64_t)a->master_timeout_ms * 1000u) {
        log_warn("master silent for %u ms: stopping all traffic and waiting for a master",
                 a->master_timeout_ms);
        engine_destroy(&a->engine);
        a->welcomed = false;
    }
    if (!a->welcomed) {
        s_hello(a);
    } else {
        proto_msg_t m = {.type = PROTO_HEARTBEAT};
        m.u.heartbeat.run_id = a->engine ? engine_run_id(a->engine) : 0;
        m.u.heartbeat.users = a->engine ? engine_users(a->engine) : 0;
        s_send(a, &m);
    }
    loop_timer_start(loop, &a->tick, now + (uint64_t)a->heartbeat_ms * 1000u);
}

static void s_on_signal(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)events;
    agent_t *a = arg;
    struct signalfd_siginfo si;
    if (read(fd, &si, sizeof si) != (ssize_t)sizeof si) return;
    log_info("signal %u: %s", si.ssi_signo,
             a->engine ? "stopping the run, then exiting" : "exiting");
    a->quitting = true;
    if (a->engine && !engine_done(a->engine)) {
        engine_stop(a->engine);
    } else {
        loop_stop(loop);
    }
}

static int s_setup_signals(agent_t *a) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) return -1;
    a->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (a->sigfd < 0) {
        log_error("signalfd: %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    return loop_watch(a->loop, a->sigfd, EPOLLIN, s_on_signal, a);
}

/* --- setup --- */

static int s_connect(agent_t *a, const char *endpoint) {
    a->zctx = zmq_ctx_new();
    a->sock = a->zctx ? zmq_socket(a->zctx, ZMQ_DEALER) : NULL;
    if (!a->sock) {
        log_error("zmq_socket: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    int linger_ms = 3000, ivl_ms = 200, ivl_max_ms = 2000;
    zmq_setsockopt(a->sock, ZMQ_ROUTING_ID, a->id, strlen(a->id));
    zmq_setsockopt(a->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
    zmq_setsockopt(a->sock, ZMQ_RECONNECT_IVL, &ivl_ms, sizeof ivl_ms);
    zmq_setsockopt(a->sock, ZMQ_RECONNECT_IVL_MAX, &ivl_max_ms, sizeof ivl_max_ms);
    if (zmq_connect(a->sock, endpoint) != 0) {
        log_error("cannot connect to master %s: %s", endpoint, zmq_strerror(errno));
        return -1;
    }
    int fd;
    size_t sz = sizeof fd;
    if (zmq_getsockopt(a->sock, ZMQ_FD, &fd, &sz) != 0) {
        log_error("zmq_getsockopt(ZMQ_FD): %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    return loop_watch(a->loop, fd, EPOLLIN | EPOLLET, s_on_zmq_fd, a);
}

static void s_teardown(agent_t *a) {
    engine_destroy(&a->engine);
    if (a->sock) zmq_close(a->sock);
    if (a->zctx) zmq_ctx_term(a->zctx);
    if (a->sigfd > 0) close(a->sigfd);
    loop_destroy(&a->loop);
    free(a->id);
}

int agent_run(const agent_opts_t *opts) {
    agent_t a = {.sigfd = -1, .exit_code = AGENT_EXIT_OK};
    a.heartbeat_ms = opts->heartbeat_ms ? opts->heartbeat_ms : 1000;
    a.master_timeout_ms = opts->master_timeout_ms ? opts->master_timeout_ms
                                                  : AGENT_MASTER_TIMEOUT_MS;
    if (gethostname(a.hostname, sizeof a.hostname - 1) != 0) snprintf(a.hostname, 8, "unknown");
    a.id = opts->id ? xstrdup(opts->id) : xasprintf("%s-%ld", a.hostname, (long)getpid());
    a.loop = loop_new();
    loop_timer_init(&a.tick, s_on_tick, &a);
    loop_timer_init(&a.check, s_on_check, &a);
    loop_timer_init(&a.reap, s_on_reap, &a);
    if (!a.loop || s_setup_signals(&a) != 0 || s_connect(&a, opts->master) != 0) {
        s_teardown(&a);
        return AGENT_EXIT_RUNTIME;
    }
    log_info("worker %s connecting to %s", a.id, opts->master);
    loop_timer_start(a.loop, &a.tick, clock_now_us());
    if (loop_run(a.loop) != 0) a.exit_code = AGENT_EXIT_RUNTIME;
    /* Timers must be disarmed before the loop that holds them goes away. */
    loop_timer_stop(a.loop, &a.tick);
    loop_timer_stop(a.loop, &a.check);
    loop_timer_stop(a.loop, &a.reap);
    s_teardown(&a);
    return a.exit_code;
}
