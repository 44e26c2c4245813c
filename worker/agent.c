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
#include "worker/agentcore.h"
#include "worker/engine.h"
#include "worker/fdlimit.h"
#include "worker/health.h"
#include "worker/loop.h"
#include "worker/watch.h"

typedef struct {
    loop_t *loop;
    health_t health; /* the last CPU reading, for each heartbeat's share */
    void *zctx, *sock;
    int sigfd;
    char *id;
    char hostname[256];
    engine_t *engine;
    agentcore_t core; /* the decisions; this file performs them */
    loop_timer_t tick;  /* at agentcore_next_us: heartbeats, hellos, the master's silence */
    loop_timer_t check, reap;
    int exit_code;
    /* The link itself: where, with which keys, and what no answer means. */
    const agent_opts_t *o;
    watch_t *watch;
    bool gave_up_logged;
    loop_timer_t retry; /* connect again after libzmq gave up (key refused, keys on one side) */
} agent_t;

static void s_perform(agent_t *a, agentcore_out_t out, const proto_msg_t *m);

static void s_send(agent_t *a, const proto_msg_t *m) {
    if (wire_send(a->sock, m) != 0) {
        log_warn("wire_send(%s): %s (%s:%d)", proto_type_name(m->type), zmq_strerror(errno),
                 __FILE__, __LINE__);
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

static void s_heartbeat(agent_t *a) {
    proto_msg_t m = {.type = PROTO_HEARTBEAT};
    bool live = a->engine && !engine_done(a->engine);
    m.u.heartbeat.run_id = live ? engine_run_id(a->engine) : 0;
    m.u.heartbeat.users = live ? engine_users(a->engine) : 0;
    uint64_t lag_us = loop_take_lag_us(a->loop);
    m.u.heartbeat.health = (proto_health_t){
        .cpu_permille = health_cpu_permille(&a->health, health_process_cpu_us(), clock_now_us()),
        .rss_kib = health_rss_kib(),
        .connections = a->engine ? engine_connections(a->engine) : 0,
        .lag_us = lag_us > UINT32_MAX ? UINT32_MAX : (uint32_t)lag_us};
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
}

static void s_on_finished(void *arg) {
    agent_t *a = arg;
    log_info("run %u finished", engine_run_id(a->engine));
    /* The engine is on the stack: destroy it on the next round. */
    loop_timer_start(a->loop, &a->reap, clock_now_us());
    s_perform(a, agentcore_on_run_done(&a->core), NULL);
}

/* --- performing the core's actions --- */

static void s_start_run(agent_t *a, const proto_run_t *run) {
    engine_destroy(&a->engine); /* a finished one not reaped yet */
    char *err = NULL;
    engine_hooks_t hooks = {.report = s_on_report, .finished = s_on_finished, .arg = a};
    uint64_t seed = clock_now_us() ^ ((uint64_t)getpid() << 32) ^ run->worker_index;
    a->engine = engine_new(a->loop, run, seed, hooks, &err);
    if (!a->engine) {
        log_error("run %u refused: %s", run->run_id, err);
        proto_msg_t m = {.type = PROTO_REJECT};
        m.u.reject.reason = err;
        s_send(a, &m);
        free(err);
        agentcore_on_run_refused(&a->core);
        return;
    }
    uint32_t users = 0;
    for (uint32_t c = 0; c < run->n_classes; c++) users += run->users_per_class[c];
    log_info("run %u: %u users at %.2f/s for %llu ms", run->run_id, users, run->spawn_rate,
             (unsigned long long)run->duration_ms);
    char *fds = fdlimit_check(users);
    if (fds) log_warn("run %u: %s", run->run_id, fds);
    free(fds);
}

/* A new share of the running run: the master lost or gained a worker. */
static void s_set_users(agent_t *a, const proto_users_t *u) {
    uint32_t users = 0, before = engine_users(a->engine);
    for (uint32_t c = 0; c < u->n_classes; c++) users += u->users_per_class[c];
    if (engine_set_users(a->engine, u) != 0) {
        log_warn("users for run %u name %u user classes: dropped", u->run_id, u->n_classes);
        return;
    }
    log_info("run %u rebalanced: now %u users (from %u) at %.2f/s", u->run_id, users, before,
             u->spawn_rate);
}

static void s_joined(agent_t *a, const proto_welcome_t *w) {
    a->gave_up_logged = false;
    watch_reset(a->watch);
    char ident[32];
    snprintf(ident, sizeof ident, "worker-%u", w->worker_index);
    log_init(ident, log_get_level());
    log_info("joined master as %s", a->id);
}

/* Why no master answered, as far as this side can tell. */
static const char *s_unanswered_hint(const agent_t *a);

/* Logs why the core decided what it did; m is the message, if any. */
static void s_note(const agent_t *a, agentcore_out_t out, const proto_msg_t *m) {
    const char *type = m ? proto_type_name(m->type) : "";
    switch (out.note) {
    case AGENTCORE_NOTE_MASTER_LOST:
        log_warn("master silent for %u ms: %s and waiting for a master",
                 a->core.master_timeout_ms,
                 (out.actions & AGENTCORE_DROP_RUN) ? "stopping all traffic of the run" : "idle");
        break;
    case AGENTCORE_NOTE_RUN_REPLACED:
        log_warn("new run %u while run %u is active: dropping the old one", m->u.run.run_id,
                 a->engine ? engine_run_id(a->engine) : 0);
        break;
    case AGENTCORE_NOTE_DUPLICATE_RUN:
        log_debug("run %u again: already running it, dropped", m->u.run.run_id);
        break;
    case AGENTCORE_NOTE_OTHER_RUN:
    case AGENTCORE_NOTE_NOT_JOINED:
    case AGENTCORE_NOTE_QUITTING:
        log_debug("%s message for a run this worker does not run (%s): dropped", type,
                  agentcore_state_name(a->core.state));
        break;
    case AGENTCORE_NOTE_REFUSED:
        log_error("the master refused this worker: %s", m->u.reject.reason);
        break;
    case AGENTCORE_NOTE_QUIT:
        log_info("the master says quit");
        break;
    case AGENTCORE_NOTE_UNEXPECTED:
        log_warn("unexpected %s message from the master: dropped", type);
        break;
    case AGENTCORE_NOTE_SIGNAL: /* said by s_on_signal, with the signal's number */
    case AGENTCORE_NOTE_SIGNAL_ECHO:
    case AGENTCORE_NOTE_NONE:
        break;
    }
    if (out.actions & AGENTCORE_WARN_UNANSWERED) {
        log_warn("no master answered at %s within %.0f s (still trying): %s", a->o->master,
                 (double)out.waited_ms / 1e3, s_unanswered_hint(a));
    }
}

/* Does what the core decided, in the order of the action bits. */
static void s_perform(agent_t *a, agentcore_out_t out, const proto_msg_t *m) {
    s_note(a, out, m);
    if (out.actions & AGENTCORE_DROP_RUN) engine_destroy(&a->engine);
    if ((out.actions & AGENTCORE_STOP_RUN) && a->engine) engine_stop(a->engine);
    if (out.actions & AGENTCORE_START_RUN) s_start_run(a, &m->u.run);
    if ((out.actions & AGENTCORE_SET_USERS) && a->engine) s_set_users(a, &m->u.users);
    if (out.actions & AGENTCORE_JOINED) s_joined(a, &m->u.welcome);
    if (out.actions & AGENTCORE_SEND_HELLO) s_hello(a);
    if (out.actions & AGENTCORE_SEND_HEARTBEAT) s_heartbeat(a);
    if (out.actions & AGENTCORE_EXIT) {
        a->exit_code = out.exit_code;
        loop_stop(a->loop);
    }
    loop_timer_start(a->loop, &a->tick, agentcore_next_us(&a->core));
}

/* --- messages from the master --- */

static uint32_t s_run_id_of(const proto_msg_t *m) {
    switch (m->type) {
    case PROTO_RUN:
        return m->u.run.run_id;
    case PROTO_STOP:
        return m->u.stop.run_id;
    case PROTO_USERS:
        return m->u.users.run_id;
    default:
        return 0;
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
    s_perform(a, agentcore_on_message(&a->core, m.type, s_run_id_of(&m), clock_now_us()), &m);
    proto_msg_fini(&m);
}

static void s_drain_socket(agent_t *a) {
    for (;;) {
        int events = 0;
        size_t sz = sizeof events;
        if (zmq_getsockopt(a->sock, ZMQ_EVENTS, &events, &sz) != 0) {
            log_error("zmq_getsockopt(ZMQ_EVENTS): %s (%s:%d)", zmq_strerror(errno), __FILE__,
                      __LINE__);
            return;
        }
        if (!(events & ZMQ_POLLIN)) return;
        zmq_msg_t msg;
        zmq_msg_init(&msg);
        if (zmq_msg_recv(&msg, a->sock, ZMQ_DONTWAIT) < 0) {
            if (errno != EAGAIN && errno != EINTR) {
                log_error("zmq_msg_recv: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
            }
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

/* --- the link: refusals, and no answer at all --- */

static void s_on_retry(loop_t *loop, void *arg) {
    (void)loop;
    agent_t *a = arg;
    /* libzmq gave up on the refused connection: make a new one. ENOENT: it
     * already dropped the endpoint itself. */
    if (zmq_disconnect(a->sock, a->o->master) != 0 && errno != ENOENT) {
        log_error("zmq_disconnect(%s): %s (%s:%d)", a->o->master, zmq_strerror(errno), __FILE__,
                  __LINE__);
    }
    if (zmq_connect(a->sock, a->o->master) != 0) {
        log_error("zmq_connect(%s): %s (%s:%d); trying again in %u s", a->o->master,
                  zmq_strerror(errno), __FILE__, __LINE__, AGENT_REFUSED_RETRY_MS / 1000u);
        loop_timer_start(a->loop, &a->retry, clock_now_us() + AGENT_REFUSED_RETRY_MS * 1000ull);
        return;
    }
    agentcore_set_link(&a->core, true);
}

static void s_explain_broken(const agent_t *a, uint32_t protocol_error) {
    if (protocol_error == ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC ||
        protocol_error == ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE) {
        log_error("the CURVE handshake with the master at %s failed: check that --master-key "
                  "is this master's public key (the .pub file beside its --key); trying again "
                  "every %u s",
                  a->o->master, AGENT_REFUSED_RETRY_MS / 1000u);
    } else if (protocol_error != ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) {
        log_error("the handshake with the master at %s failed (ZeroMQ protocol error 0x%x): is "
                  "it a barrage master? trying again every %u s",
                  a->o->master, protocol_error, AGENT_REFUSED_RETRY_MS / 1000u);
    } else if (a->o->master_key) {
        log_error("the master at %s has no CURVE keys but this worker has: start the master "
                  "with --key and --allow, or this worker without --master-key and --key; "
                  "trying again every %u s",
                  a->o->master, AGENT_REFUSED_RETRY_MS / 1000u);
    } else {
        log_error("the master at %s requires CURVE keys: start this worker with --master-key "
                  "MASTER.pub --key WORKER.key (and WORKER.key.pub in the master's --allow); "
                  "trying again every %u s",
                  a->o->master, AGENT_REFUSED_RETRY_MS / 1000u);
    }
}

/* libzmq gave up on the connection: say why (once until the next welcome)
 * and connect again a little later. */
static void s_on_gave_up(agent_t *a, watch_event_t why) {
    const watch_stats_t *st = watch_stats(a->watch);
    if (a->gave_up_logged) {
        log_debug("the master refused this worker again (%u times, %u failed handshakes)",
                  st->refusals, st->handshake_failures);
    } else if (why == WATCH_REFUSED) {
        log_error("the master at %s refused this worker's key %s (status %u): the master "
                  "must list this worker's .pub file with --allow; trying again every %u s",
                  a->o->master, a->o->public_key ? a->o->public_key : "(none)",
                  st->refusal_status, AGENT_REFUSED_RETRY_MS / 1000u);
    } else {
        s_explain_broken(a, st->protocol_error);
    }
    a->gave_up_logged = true;
    /* No connection to say hello on until s_on_retry makes one. */
    agentcore_set_link(&a->core, false);
    loop_timer_start(a->loop, &a->retry, clock_now_us() + AGENT_REFUSED_RETRY_MS * 1000ull);
}

static void s_on_watch_fd(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)loop, (void)fd, (void)events;
    agent_t *a = arg;
    watch_event_t why = watch_drain(a->watch);
    if (why != WATCH_NOTHING) s_on_gave_up(a, why);
}

/* Why no master answered, as far as this side can tell. */
static const char *s_unanswered_hint(const agent_t *a) {
    const watch_stats_t *st = watch_stats(a->watch);
    if (st->refusals || st->protocol_error) return "see the error above";
    if (a->o->master_key && st->handshake_failures) {
        return "connections were made but the CURVE handshake failed: check that --master-key "
               "is this master's public key (the .pub file beside its --key)";
    }
    if (a->o->master_key) {
        return "is the master running and reachable? check also that --master-key is its "
               "public key (the .pub file beside its --key)";
    }
    if (st->handshake_failures) {
        return "connections were made but the handshake failed: if the master has keys, give "
               "this worker --master-key MASTER.pub and --key WORKER.key";
    }
    return "is the master running and reachable?";
}

/* --- timers and signals --- */

static void s_on_tick(loop_t *loop, void *arg) {
    (void)loop;
    agent_t *a = arg;
    s_perform(a, agentcore_on_time(&a->core, clock_now_us()), NULL);
}

static void s_on_signal(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)loop, (void)events;
    agent_t *a = arg;
    struct signalfd_siginfo si;
    ssize_t n = read(fd, &si, sizeof si);
    if (n != (ssize_t)sizeof si) {
        if (n < 0 && errno != EAGAIN) {
            log_error("read(signalfd): %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
        }
        return;
    }
    agentcore_out_t out = agentcore_on_signal(&a->core, clock_now_us());
    log_info("signal %u: %s", si.ssi_signo,
             out.note == AGENTCORE_NOTE_SIGNAL_ECHO
                 ? "the stop already under way (a second signal after 1 s exits at once)"
             : (out.actions & AGENTCORE_STOP_RUN) ? "stopping the run, then exiting"
             : (out.actions & AGENTCORE_EXIT)     ? "exiting"
                                                  : "exiting once the run's drain is done");
    out.note = AGENTCORE_NOTE_NONE; /* said */
    s_perform(a, out, NULL);
}

/* loop_watch, its failure said with what the fd is. */
static int s_watch_fd(agent_t *a, int fd, uint32_t events, loop_fd_cb cb, const char *what) {
    if (loop_watch(a->loop, fd, events, cb, a) == 0) return 0;
    log_error("cannot watch %s: %s", what, loop_error(a->loop));
    return -1;
}

static int s_setup_signals(agent_t *a) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
        log_error("sigprocmask: %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    a->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (a->sigfd < 0) {
        log_error("signalfd: %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    return s_watch_fd(a, a->sigfd, EPOLLIN, s_on_signal, "the signal fd");
}

/* --- setup --- */

/* CURVE client: the master must prove it holds the secret of master_key. */
static int s_curve(agent_t *a) {
    const agent_opts_t *o = a->o;
    if (!o->master_key) return 0;
    if (zmq_setsockopt(a->sock, ZMQ_CURVE_SERVERKEY, o->master_key, strlen(o->master_key) + 1) ||
        zmq_setsockopt(a->sock, ZMQ_CURVE_PUBLICKEY, o->public_key, strlen(o->public_key) + 1) ||
        zmq_setsockopt(a->sock, ZMQ_CURVE_SECRETKEY, o->secret_key, strlen(o->secret_key) + 1)) {
        log_error("cannot set the CURVE keys: %s (%s:%d)", zmq_strerror(errno), __FILE__,
                  __LINE__);
        return -1;
    }
    return 0;
}

static int s_watch(agent_t *a) {
    char *err = NULL;
    a->watch = watch_new(a->zctx, a->sock, &err);
    int fd = a->watch ? watch_fd(a->watch, &err) : -1;
    if (fd < 0) {
        log_error("cannot watch the link to the master: %s", err);
        free(err);
        return -1;
    }
    if ( s_watch_fd(a, fd, EPOLLIN | EPOLLET, s_on_watch_fd, "the link monitor") != 0) {
        return -1;
    }
    /* An edge comes only once the PAIR has been found empty: look once now. */
    watch_drain(a->watch);
    return 0;
}

/* zmq_setsockopt, its failure logged with the option's name. */
static int s_setsockopt(void *sock, int option, const char *name, const void *value,
                        size_t value_bytes) {
    if (zmq_setsockopt(sock, option, value, value_bytes) == 0) return 0;
    log_error("zmq_setsockopt(%s): %s (%s:%d)", name, zmq_strerror(errno), __FILE__, __LINE__);
    return -1;
}

static int s_connect(agent_t *a, const char *endpoint) {
    a->zctx = zmq_ctx_new();
    if (!a->zctx) {
        log_error("zmq_ctx_new: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    a->sock = zmq_socket(a->zctx, ZMQ_DEALER);
    if (!a->sock) {
        log_error("zmq_socket: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    int linger_ms = 3000, ivl_ms = 200, ivl_max_ms = 2000;
    if (s_setsockopt(a->sock, ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID", a->id, strlen(a->id)) ||
        s_setsockopt(a->sock, ZMQ_LINGER, "ZMQ_LINGER", &linger_ms, sizeof linger_ms) ||
        s_setsockopt(a->sock, ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL", &ivl_ms, sizeof ivl_ms) ||
        s_setsockopt(a->sock, ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX", &ivl_max_ms,
                     sizeof ivl_max_ms)) {
        return -1;
    }
    if (s_curve(a) != 0 || s_watch(a) != 0) return -1;
    if (zmq_connect(a->sock, endpoint) != 0) {
        log_error("zmq_connect(%s): %s (%s:%d)", endpoint, zmq_strerror(errno), __FILE__,
                  __LINE__);
        return -1;
    }
    int fd;
    size_t sz = sizeof fd;
    if (zmq_getsockopt(a->sock, ZMQ_FD, &fd, &sz) != 0) {
        log_error("zmq_getsockopt(ZMQ_FD): %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
        return -1;
    }
    return s_watch_fd(a, fd, EPOLLIN | EPOLLET, s_on_zmq_fd, "the master's socket");
}

static void s_teardown(agent_t *a) {
    engine_destroy(&a->engine);
    watch_destroy(&a->watch);
    if (a->sock && zmq_close(a->sock) != 0) {
        log_error("zmq_close: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
    }
    /* EINTR: a signal arrived while lingering; the context is gone all the same. */
    if (a->zctx && zmq_ctx_term(a->zctx) != 0 && errno != EINTR) {
        log_error("zmq_ctx_term: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
    }
    if (a->sigfd >= 0 && close(a->sigfd) != 0) {
        log_error("close(signalfd): %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
    }
    loop_destroy(&a->loop);
    free(a->id);
}

int agent_run(const agent_opts_t *opts) {
    agent_t a = {.sigfd = -1, .exit_code = AGENT_EXIT_OK, .o = opts};
    uint32_t heartbeat_ms = opts->heartbeat_ms ? opts->heartbeat_ms : TIMEOUT_HEARTBEAT_MS;
    uint32_t master_timeout_ms =
        opts->master_timeout_ms ? opts->master_timeout_ms : TIMEOUT_MASTER_LOST_MS;
    if (gethostname(a.hostname, sizeof a.hostname - 1) != 0) snprintf(a.hostname, 8, "unknown");
    a.id = opts->id ? xstrdup(opts->id) : xasprintf("%s-%ld", a.hostname, (long)getpid());
    char *err = NULL;
    a.loop = loop_new(&err);
    if (!a.loop) {
        log_error("cannot make the event loop: %s", err);
        free(err);
    }
    loop_timer_init(&a.tick, s_on_tick, &a);
    loop_timer_init(&a.check, s_on_check, &a);
    loop_timer_init(&a.reap, s_on_reap, &a);
    loop_timer_init(&a.retry, s_on_retry, &a);
    if (!a.loop || s_setup_signals(&a) != 0 || s_connect(&a, opts->master) != 0) {
        s_teardown(&a);
        return AGENT_EXIT_RUNTIME;
    }
    log_info("worker %s connecting to %s%s", a.id, opts->master,
             opts->master_key ? " with CURVE keys" : "");
    agentcore_init(&a.core, heartbeat_ms, master_timeout_ms, clock_now_us());
    loop_timer_start(a.loop, &a.tick, agentcore_next_us(&a.core));
    if (loop_run(a.loop) != 0) {
        log_error("the event loop failed: %s", loop_error(a.loop));
        a.exit_code = AGENT_EXIT_RUNTIME;
    }
    /* Timers must be disarmed before the loop that holds them goes away. */
    loop_timer_stop(a.loop, &a.tick);
    loop_timer_stop(a.loop, &a.check);
    loop_timer_stop(a.loop, &a.reap);
    loop_timer_stop(a.loop, &a.retry);
    s_teardown(&a);
    return a.exit_code;
}
