/* conductor: the master's run lifecycle over a ZeroMQ ROUTER socket. */
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
#include "master/ingest.h"
#include "master/live.h"
#include "load/rebalance.h"
#include "load/split.h"
#include "report/timeline.h"
#include "master/zap.h"
#include "report/summary.h"
#include "proto/wire.h"

typedef enum { PHASE_WAITING, PHASE_RUNNING, PHASE_STOPPING, PHASE_DONE } phase_t;

/* Set by the signal handler; the one mutable global, as a handler needs. */
static volatile sig_atomic_t s_signalled;

struct conductor {
    const conductor_opts_t *o;
    void *zctx, *sock;
    zap_t *zap; /* the CURVE authenticator, when the master has keys */
    char endpoint[256];
    registry_t reg;
    results_t *results;
    timeline_t *timeline;
    live_t *live;
    phase_t phase;
    uint32_t run_id;
    int outcome;
    bool interrupted;
    uint64_t phase_deadline_us; /* WAITING: give up; RUNNING: stop; STOPPING: stop waiting */
    uint64_t run_start_us, run_stop_us;
    uint64_t run_start_wall_ms, run_stop_wall_ms;
    uint64_t next_heartbeat_us, next_live_us, last_live_us;
    /* Rebalancing: the run's users per class, the next user id never given
     * out, the next worker position; set when a worker is lost or joins. */
    uint32_t *per_class;
    uint64_t next_user_id;
    uint32_t next_position;
    bool rebalance_due;
};

static void s_on_signal(int sig) {
    (void)sig;
    s_signalled = 1;
}

static int s_bind(conductor_t *c, char **err) {
    c->zctx = zmq_ctx_new();
    c->sock = c->zctx ? zmq_socket(c->zctx, ZMQ_ROUTER) : NULL;
    if (!c->sock) {
        *err = xasprintf("zmq_socket(ROUTER): %s", zmq_strerror(errno));
        return -1;
    }
    int one = 1, linger_ms = 1000;
    zmq_setsockopt(c->sock, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    zmq_setsockopt(c->sock, ZMQ_ROUTER_HANDOVER, &one, sizeof one);
    zmq_setsockopt(c->sock, ZMQ_LINGER, &linger_ms, sizeof linger_ms);
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
    zmq_getsockopt(c->sock, ZMQ_LAST_ENDPOINT, c->endpoint, &sz);
    return 0;
}

conductor_t *conductor_new(const conductor_opts_t *opts, char **err) {
    conductor_t *c = xcalloc(1, sizeof *c);
    c->o = opts;
    registry_init(&c->reg);
    c->results = results_new();
    c->timeline = timeline_new();
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
    if (c->sock) zmq_close(c->sock);
    zap_destroy(&c->zap);
    if (c->zctx) zmq_ctx_term(c->zctx);
    registry_fini(&c->reg);
    free(c->per_class);
    results_destroy(&c->results);
    timeline_destroy(&c->timeline);
    live_destroy(&c->live);
    free(c);
    *cp = NULL;
}

const char *conductor_endpoint(const conductor_t *c) {
    return c->endpoint;
}

static void s_send(conductor_t *c, worker_entry_t *w, const proto_msg_t *m) {
    if (wire_send_to(c->sock, w->routing_id, w->routing_id_bytes, m) != 0) {
        log_debug("send %s to %s: %s", proto_type_name(m->type), w->worker_id,
                  zmq_strerror(errno));
    }
}

static bool s_in_run(const worker_entry_t *w) {
    return w->state == WORKER_RUNNING || w->state == WORKER_STOPPING;
}

/* --- starting and stopping the run --- */

/* A RUN with this worker's share: per_class users, ids from first_user_id,
 * started at spawn_rate, for duration_ms (less for a worker joining late). */
static void s_send_run(conductor_t *c, worker_entry_t *w, uint32_t n_workers, uint32_t pos,
                       uint32_t *per_class, uint64_t first_user_id, double spawn_rate,
                       uint64_t duration_ms) {
    const scenario_t *sc = c->o->scenario;
    proto_msg_t m = {.type = PROTO_RUN};
    proto_run_t *r = &m.u.run;
    bool open = c->o->rate > 0;
    uint32_t slot = pos % n_workers; /* shares and phase among the run's workers */
    ramp_stage_t *stages = xcalloc(c->o->n_stages + 1, sizeof *stages);
    split_stages(c->o->stages, c->o->n_stages, open, n_workers, slot, stages);
    uint32_t max_users = split_count_share(c->o->max_users, n_workers, slot);
    *r = (proto_run_t){.run_id = c->run_id,
                       .scenario_name = (char *)c->o->scenario_name,
                       .scenario_text = (char *)c->o->scenario_text,
                       .scenario_bytes = c->o->scenario_bytes,
                       .host_override = (char *)c->o->host,
                       .worker_index = pos,
                       .worker_count = n_workers,
                       .first_user_id = first_user_id,
                       .n_classes = (uint32_t)sc->n_classes,
                       .users_per_class = per_class,
                       .spawn_rate = spawn_rate,
                       .arrival_rate = open ? split_rate_share(c->o->rate, n_workers, slot) : 0,
                       .max_users = open ? (max_users ? max_users : 1) : 0,
                       .n_stages = (uint32_t)c->o->n_stages,
                       .stages = stages,
                       .duration_ms = duration_ms,
                       .report_interval_ms = c->o->report_ms,
                       .heartbeat_interval_ms = c->o->heartbeat_ms,
                       .n_files = c->o->n_files,
                       .files = (proto_file_t *)c->o->files};
    registry_set_share(w, per_class, sc->n_classes);
    if (open) w->assigned = r->max_users; /* its slots: the user ids it may use */
    w->state = WORKER_RUNNING;
    w->reports = 0;
    s_send(c, w, &m);
    free(stages);
}

/* A new share of the running run for a worker already in it. */
static void s_send_users(conductor_t *c, worker_entry_t *w, const uint32_t *per_class,
                         uint64_t first_user_id, uint32_t n_user_ids, double spawn_rate) {
    size_t n_classes = c->o->scenario->n_classes;
    proto_msg_t m = {.type = PROTO_USERS};
    m.u.users = (proto_users_t){.run_id = c->run_id,
                                .n_classes = (uint32_t)n_classes,
                                .users_per_class = (uint32_t *)per_class,
                                .spawn_rate = spawn_rate,
                                .first_user_id = first_user_id,
                                .n_user_ids = n_user_ids};
    registry_set_share(w, per_class, n_classes);
    s_send(c, w, &m);
}

static void s_start_run(conductor_t *c) {
    const scenario_t *sc = c->o->scenario;
    uint32_t n_workers = (uint32_t)registry_count(&c->reg, WORKER_READY);
    uint32_t *weights = xcalloc(sc->n_classes, sizeof *weights);
    uint32_t *per_class = xcalloc(sc->n_classes ? sc->n_classes : 1, sizeof *per_class);
    uint32_t *table = xcalloc((size_t)n_workers * sc->n_classes, sizeof *table);
    for (size_t k = 0; k < sc->n_classes; k++) weights[k] = sc->classes[k].weight;
    split_classes(c->o->users, weights, sc->n_classes, per_class);
    split_workers(per_class, sc->n_classes, n_workers, table);
    c->run_id = (uint32_t)(clock_wall_ms() % 2000000000u) + 1;
    uint32_t pos = 0;
    uint64_t next_user_id = 1; /* user ids are consecutive per worker, unique in the run */
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = &c->reg.items[i];
        if (w->state != WORKER_READY) continue;
        uint32_t *row = &table[(size_t)pos * sc->n_classes];
        uint32_t users = 0;
        for (size_t k = 0; k < sc->n_classes; k++) users += row[k];
        double rate = c->o->users ? c->o->spawn_rate * users / c->o->users : 0;
        s_send_run(c, w, n_workers, pos, row, next_user_id, rate, c->o->duration_ms);
        next_user_id += w->assigned;
        pos++;
    }
    free(weights);
    free(c->per_class);
    c->per_class = per_class; /* kept: rebalancing hands out these totals */
    c->next_user_id = next_user_id;
    c->next_position = n_workers;
    c->rebalance_due = false;
    free(table);
    c->phase = PHASE_RUNNING;
    c->run_start_us = clock_now_us();
    c->run_start_wall_ms = clock_wall_ms();
    c->phase_deadline_us = c->run_start_us + c->o->duration_ms * 1000u;
    c->last_live_us = c->run_start_us;
    c->next_live_us = c->run_start_us + (uint64_t)c->o->live_ms * 1000u;
    log_info("run %u started: %u users on %u workers for %.1f s", c->run_id, c->o->users,
             n_workers, (double)c->o->duration_ms / 1000.0);
}

static void s_stop_run(conductor_t *c) {
    c->phase = PHASE_STOPPING;
    c->run_stop_us = clock_now_us();
    c->run_stop_wall_ms = clock_wall_ms();
    c->phase_deadline_us = c->run_stop_us + TIMEOUT_FINAL_WAIT_MS * 1000u;
    proto_msg_t m = {.type = PROTO_STOP};
    m.u.stop.run_id = c->run_id;
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = &c->reg.items[i];
        if (w->state != WORKER_RUNNING) continue;
        w->state = WORKER_STOPPING;
        s_send(c, w, &m);
    }
}

/* --- lost and joining workers --- */

/* Marks a worker of the run lost: its stats up to its last report stay in
 * the results, and while the run goes on its users go to the others. */
static void s_mark_lost(conductor_t *c, worker_entry_t *w, const char *why) {
    w->state = WORKER_LOST;
    w->lost_at_ms = clock_wall_ms();
    log_warn("worker %s on %s lost: %s; its stats up to its last report are kept (%llu "
             "reports)%s",
             w->worker_id, w->hostname, why, (unsigned long long)w->reports,
             c->phase == PHASE_RUNNING ? "; its users go to the other workers" : "");
    if (c->phase == PHASE_RUNNING) c->rebalance_due = true;
}

/* The open model's rebalance: the n workers in ws (running, or joining:
 * READY) share the arrival rate and max_users exactly again, worker j taking
 * share j, so the total rate stays what was asked whoever was lost or joined.
 * A running worker rescales its schedule (stages included) to its new share
 * and gets a fresh block of user ids for its slots. */
static void s_rebalance_open(conductor_t *c, worker_entry_t **ws, uint32_t n) {
    uint64_t now = clock_now_us();
    uint64_t left_ms = c->phase_deadline_us > now ? (c->phase_deadline_us - now) / 1000u : 1;
    uint32_t *none = xcalloc(c->o->scenario->n_classes + 1, sizeof *none);
    for (uint32_t j = 0; j < n; j++) {
        uint64_t first = c->next_user_id;
        if (ws[j]->state == WORKER_READY) {
            s_send_run(c, ws[j], n, j, none, first, 0, left_ms ? left_ms : 1);
            c->next_user_id += ws[j]->assigned;
            continue;
        }
        uint32_t max_users = split_count_share(c->o->max_users, n, j);
        proto_msg_t m = {.type = PROTO_USERS};
        m.u.users = (proto_users_t){.run_id = c->run_id,
                                    .n_classes = (uint32_t)c->o->scenario->n_classes,
                                    .users_per_class = none,
                                    .first_user_id = first,
                                    .n_user_ids = max_users ? max_users : 1,
                                    .arrival_rate = split_rate_share(c->o->rate, n, j),
                                    .max_users = max_users ? max_users : 1};
        c->next_user_id += m.u.users.n_user_ids;
        ws[j]->assigned = m.u.users.max_users;
        s_send(c, ws[j], &m);
    }
    log_info("rebalanced: %u workers share %g iterations/s", n, c->o->rate);
    free(none);
}

/* Gives the users of lost or refused workers to the workers still running,
 * and workers that joined mid-run their share, moving as few users as
 * possible, at the run's spawn rate (see master/rebalance.h). */
static void s_rebalance(conductor_t *c) {
    c->rebalance_due = false;
    size_t k = c->o->scenario->n_classes;
    worker_entry_t **ws = xcalloc(c->reg.n ? c->reg.n : 1, sizeof *ws);
    uint32_t n = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = &c->reg.items[i];
        if (w->state == WORKER_RUNNING || w->state == WORKER_READY) ws[n++] = w;
    }
    if (c->o->rate > 0) {
        if (n > 0) s_rebalance_open(c, ws, n);
        free(ws);
        return;
    }
    uint32_t *cur = xcalloc((size_t)n * k + 1, sizeof *cur);
    uint32_t *out = xcalloc((size_t)n * k + 1, sizeof *out);
    for (uint32_t j = 0; j < n; j++) {
        if (ws[j]->state == WORKER_RUNNING && ws[j]->class_users) {
            memcpy(&cur[j * k], ws[j]->class_users, k * sizeof *cur);
        }
    }
    if (n > 0 && rebalance_plan(c->per_class, k, cur, n, out) == 0) {
        uint32_t total_moves = 0, moved = 0;
        for (uint32_t j = 0; j < n; j++) {
            total_moves += rebalance_moves(&cur[j * k], &out[j * k], k);
        }
        uint64_t now = clock_now_us();
        uint64_t left_ms = c->phase_deadline_us > now ? (c->phase_deadline_us - now) / 1000u : 1;
        for (uint32_t j = 0; j < n; j++) {
            uint32_t moves = rebalance_moves(&cur[j * k], &out[j * k], k);
            uint32_t starts = rebalance_starts(&cur[j * k], &out[j * k], k);
            double rate = rebalance_rate(c->o->spawn_rate, moves, total_moves);
            uint64_t first = c->next_user_id;
            c->next_user_id += starts;
            moved += moves;
            if (ws[j]->state == WORKER_READY) {
                s_send_run(c, ws[j], n, c->next_position++, &out[j * k], first, rate,
                           left_ms ? left_ms : 1);
            } else if (moves) {
                s_send_users(c, ws[j], &out[j * k], first, starts, rate);
            }
        }
        if (moved) {
            log_info("rebalanced: %u users started or retired so that %u workers share %u users",
                     moved, n, c->o->users);
        }
    }
    free(cur);
    free(out);
    free(ws);
}

/* A worker counted as lost speaks again (a network hiccup longer than the
 * loss timeout): its users run elsewhere now, so it must stop firing. What
 * it reports from now on is not counted. */
static void s_on_lost_message(conductor_t *c, worker_entry_t *w, const proto_msg_t *m) {
    uint32_t run_id = 0;
    if (m->type == PROTO_HEARTBEAT) run_id = m->u.heartbeat.run_id;
    if (m->type == PROTO_STATS) run_id = m->u.stats.run_id;
    if (run_id == 0 || run_id != c->run_id) return;
    log_debug("worker %s, counted as lost, still runs run %u: told to stop", w->worker_id, run_id);
    proto_msg_t stop = {.type = PROTO_STOP};
    stop.u.stop.run_id = run_id;
    s_send(c, w, &stop);
}

/* --- messages from workers --- */

static void s_on_hello(conductor_t *c, const void *rid, size_t rid_bytes, const proto_hello_t *h) {
    worker_entry_t *w = registry_find(&c->reg, rid, rid_bytes);
    if (w && (s_in_run(w) || w->state == WORKER_LOST)) {
        /* It restarted or lost us: whatever it ran is gone. The old entry
         * stays (lost, for the report); the worker comes in anew. */
        if (s_in_run(w)) s_mark_lost(c, w, "it said hello again (restarted, or lost the master)");
        registry_detach(w);
        w = NULL;
    }
    if (!w) {
        w = registry_add(&c->reg, rid, rid_bytes, h->worker_id, h->hostname);
        bool joins = c->phase == PHASE_RUNNING;
        log_info("worker %s joined from %s (pid %u, %u cpus)%s", h->worker_id, h->hostname,
                 h->pid, h->cpus,
                 c->phase == PHASE_WAITING ? ""
                 : joins                   ? "; it gets a share of the running run"
                                           : "; idle until the next run");
        if (joins) c->rebalance_due = true;
    }
    w->pid = h->pid;
    w->cpus = h->cpus;
    w->last_seen_us = clock_now_us();
    proto_msg_t m = {.type = PROTO_WELCOME};
    m.u.welcome.worker_index = w->index;
    s_send(c, w, &m);
}

static uint32_t s_users(const conductor_t *c) {
    uint32_t users = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = &c->reg.items[i];
        if (w->state == WORKER_RUNNING) users += w->users;
    }
    return users;
}

/* The timeline second a report received now counts in. A report covers the
 * interval before it was sent: it is binned by that interval's middle, half
 * an interval before its arrival. */
static uint32_t s_timeline_second(const conductor_t *c, uint64_t now) {
    uint64_t elapsed = now - c->run_start_us, half = (uint64_t)c->o->report_ms * 500u;
    return (uint32_t)((elapsed > half ? elapsed - half : 0) / 1000000u);
}

static void s_on_stats(conductor_t *c, worker_entry_t *w, const proto_msg_t *m) {
    const proto_stats_t *st = &m->u.stats;
    if (st->run_id != c->run_id || !s_in_run(w)) {
        log_debug("report of run %u from %s (%s) ignored", st->run_id, w->worker_id,
                  registry_state_name(w->state));
        return;
    }
    uint64_t now = clock_now_us();
    uint32_t second = s_timeline_second(c, now);
    timeline_close_until(c->timeline, second, s_users(c), c->run_start_wall_ms);
    ingest_stats(c->results, c->timeline, second, st);
    w->reports++;
    w->users = st->users;
    if (m->type == PROTO_FINAL) w->state = WORKER_FINISHED;
}

static void s_on_message(conductor_t *c, worker_entry_t *w, const proto_msg_t *m) {
    w->last_seen_us = clock_now_us();
    if (w->state == WORKER_LOST) {
        s_on_lost_message(c, w, m);
        return;
    }
    switch (m->type) {
    case PROTO_STATS:
    case PROTO_FINAL:
        s_on_stats(c, w, m);
        break;
    case PROTO_HEARTBEAT:
        if (s_in_run(w)) w->users = m->u.heartbeat.users;
        break;
    case PROTO_REJECT:
        log_error("worker %s refused the run: %s", w->worker_id, m->u.reject.reason);
        if (s_in_run(w)) {
            w->state = WORKER_REFUSED;
            if (c->phase == PHASE_RUNNING) c->rebalance_due = true; /* its users go elsewhere */
        }
        break;
    default:
        log_warn("unexpected %s message from worker %s: dropped", proto_type_name(m->type),
                 w->worker_id);
    }
}

static void s_refuse_version(conductor_t *c, const void *rid, size_t rid_bytes, uint32_t theirs) {
    log_error("refused a worker speaking protocol version %u: this master speaks %u", theirs,
              PROTO_VERSION);
    char reason[128];
    snprintf(reason, sizeof reason, "protocol version %u is not supported: the master speaks %u",
             theirs, PROTO_VERSION);
    proto_msg_t m = {.type = PROTO_REJECT};
    m.u.reject.reason = reason;
    wire_send_to(c->sock, rid, rid_bytes, &m);
}

static void s_dispatch(conductor_t *c, const void *rid, size_t rid_bytes, const void *data,
                       size_t len) {
    proto_msg_t m;
    int rc = proto_decode(data, len, &m);
    if (rc == PROTO_ERR_VERSION) {
        s_refuse_version(c, rid, rid_bytes, m.version);
        return;
    }
    if (rc != 0) {
        log_warn("dropped a malformed message (%zu bytes): %s", len, proto_strerror(rc));
        return;
    }
    if (m.type == PROTO_HELLO) {
        s_on_hello(c, rid, rid_bytes, &m.u.hello);
    } else {
        worker_entry_t *w = registry_find(&c->reg, rid, rid_bytes);
        if (w) {
            s_on_message(c, w, &m);
        } else {
            log_warn("%s message from an unknown peer: dropped", proto_type_name(m.type));
        }
    }
    proto_msg_fini(&m);
}

/* Reads one [routing id][payload] message; false when none is waiting. */
static bool s_receive_one(conductor_t *c) {
    zmq_msg_t id, body;
    zmq_msg_init(&id);
    if (zmq_msg_recv(&id, c->sock, ZMQ_DONTWAIT) < 0) {
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

/* --- periodic work --- */

static void s_heartbeat(conductor_t *c, uint64_t now) {
    if (now < c->next_heartbeat_us) return;
    c->next_heartbeat_us = now + (uint64_t)c->o->heartbeat_ms * 1000u;
    proto_msg_t m = {.type = PROTO_HEARTBEAT};
    m.u.heartbeat.run_id = c->phase == PHASE_WAITING ? 0 : c->run_id;
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = &c->reg.items[i];
        if (w->state != WORKER_LOST) s_send(c, w, &m);
    }
}

static void s_check_lost(conductor_t *c, uint64_t now) {
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = &c->reg.items[i];
        if (!s_in_run(w) || now - w->last_seen_us < TIMEOUT_WORKER_LOST_MS * 1000u) continue;
        char why[64];
        snprintf(why, sizeof why, "silent for %u ms", TIMEOUT_WORKER_LOST_MS);
        s_mark_lost(c, w, why);
    }
}

static void s_live(conductor_t *c, uint64_t now) {
    if (c->phase != PHASE_RUNNING || now < c->next_live_us) return;
    bool open = c->o->rate > 0;
    ramp_t ramp = {.start = c->o->n_stages ? 0 : open ? c->o->rate : c->o->users,
                   .stages = c->o->stages,
                   .n_stages = c->o->n_stages};
    double target = ramp_value_at(&ramp, now - c->run_start_us);
    summary_live_t l = {.elapsed_s = (double)(now - c->run_start_us) / 1e6,
                        .duration_s = (double)c->o->duration_ms / 1000.0,
                        .window_s = (double)(now - c->last_live_us) / 1e6,
                        .users_target = open ? c->o->max_users : (uint32_t)(target + 0.5),
                        .rate = open ? target : 0,
                        .dropped = results_dropped(c->results)};
    for (size_t i = 0; i < c->reg.n; i++) {
        if (!s_in_run(&c->reg.items[i])) continue;
        l.users += c->reg.items[i].users;
        l.workers++;
    }
    if (c->live) {
        live_tick(c->live, c->results, &l);
    } else {
        results_window_reset(c->results);
    }
    c->last_live_us = now;
    c->next_live_us = now + (uint64_t)c->o->live_ms * 1000u;
}

static size_t s_in_run_count(const conductor_t *c) {
    return registry_count(&c->reg, WORKER_RUNNING) + registry_count(&c->reg, WORKER_STOPPING);
}

static void s_name_missing(conductor_t *c) {
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = &c->reg.items[i];
        if (w->state != WORKER_STOPPING) continue;
        log_error("worker %s on %s sent no final report within %u ms: its last interval is missing",
                  w->worker_id, w->hostname, TIMEOUT_FINAL_WAIT_MS);
        w->state = WORKER_LOST;
        w->lost_at_ms = clock_wall_ms();
    }
}

static void s_advance(conductor_t *c, uint64_t now) {
    switch (c->phase) {
    case PHASE_WAITING:
        if (registry_count(&c->reg, WORKER_READY) >= c->o->expect_workers) {
            s_start_run(c);
        } else if (now >= c->phase_deadline_us || s_signalled) {
            log_error("only %zu of %u workers joined within %.0f s",
                      registry_count(&c->reg, WORKER_READY), c->o->expect_workers,
                      (double)c->o->wait_workers_ms / 1000.0);
            c->outcome = CONDUCTOR_NO_WORKERS;
            c->phase = PHASE_DONE;
        }
        break;
    case PHASE_RUNNING:
        if (s_signalled && !c->interrupted) {
            c->interrupted = true;
            log_warn("interrupted: stopping the run and collecting final reports");
        }
        if (now >= c->phase_deadline_us || c->interrupted || s_in_run_count(c) == 0) s_stop_run(c);
        break;
    case PHASE_STOPPING:
        if (registry_count(&c->reg, WORKER_STOPPING) == 0) {
            c->phase = PHASE_DONE;
        } else if (now >= c->phase_deadline_us) {
            s_name_missing(c);
            c->phase = PHASE_DONE;
        }
        break;
    case PHASE_DONE:
        break;
    }
}

static long s_poll_timeout_ms(const conductor_t *c, uint64_t now) {
    uint64_t next = c->next_heartbeat_us;
    if (c->phase_deadline_us && c->phase_deadline_us < next) next = c->phase_deadline_us;
    if (c->phase == PHASE_RUNNING && c->next_live_us < next) next = c->next_live_us;
    /* Loss detection and signals need a look at least every 250 ms. */
    long ms = next > now ? (long)((next - now + 999) / 1000) : 0;
    return ms > 250 ? 250 : ms;
}

static void s_quit_workers(conductor_t *c) {
    proto_msg_t m = {.type = PROTO_QUIT};
    for (size_t i = 0; i < c->reg.n; i++) {
        if (c->reg.items[i].state != WORKER_LOST) s_send(c, &c->reg.items[i], &m);
    }
}

static void s_install_signals(struct sigaction *old_int, struct sigaction *old_term) {
    struct sigaction sa = {0};
    sa.sa_handler = s_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
    s_signalled = 0;
}

int conductor_run(conductor_t *c) {
    struct sigaction old_int, old_term;
    s_install_signals(&old_int, &old_term);
    c->phase = PHASE_WAITING;
    c->phase_deadline_us = clock_now_us() + c->o->wait_workers_ms * 1000u;
    log_info("master on %s: waiting for %u workers", c->endpoint, c->o->expect_workers);
    while (c->phase != PHASE_DONE) {
        uint64_t now = clock_now_us();
        zmq_pollitem_t item = {.socket = c->sock, .events = ZMQ_POLLIN};
        if (zmq_poll(&item, 1, s_poll_timeout_ms(c, now)) < 0 && errno != EINTR) {
            log_error("zmq_poll: %s (%s:%d)", zmq_strerror(errno), __FILE__, __LINE__);
            c->outcome = CONDUCTOR_FAILED;
            break;
        }
        /* Bounded, so heartbeats, STOP and the live view go out on time even
         * when reports arrive faster than they are merged; the rest wait in
         * ZeroMQ's queue for the next round (zmq_poll returns at once). */
        uint64_t round_end = clock_now_us() + 50000u;
        for (int n = 0; n < 2000 && s_receive_one(c); n++) {
            if ((n & 63) == 63 && clock_now_us() > round_end) break;
        }
        now = clock_now_us();
        s_heartbeat(c, now);
        if (c->phase == PHASE_RUNNING || c->phase == PHASE_STOPPING) {
            s_check_lost(c, now);
            if (c->rebalance_due && c->phase == PHASE_RUNNING) s_rebalance(c);
            /* Seconds close on time, stamped with the users of that moment. */
            timeline_close_until(c->timeline, s_timeline_second(c, now), s_users(c),
                                 c->run_start_wall_ms);
        }
        s_live(c, now);
        s_advance(c, now);
    }
    if (c->run_start_us) {
        /* Close the last, partial second too. */
        timeline_close_until(c->timeline, s_timeline_second(c, clock_now_us()) + 1, s_users(c),
                             c->run_start_wall_ms);
    }
    bool reported = false;
    for (size_t i = 0; i < c->reg.n; i++) reported |= c->reg.items[i].reports > 0;
    if (c->outcome == CONDUCTOR_OK && !reported) c->outcome = CONDUCTOR_FAILED;
    if (c->o->quit_workers) s_quit_workers(c);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return c->outcome;
}

const results_t *conductor_results(const conductor_t *c) {
    return c->results;
}

void conductor_fill_report(conductor_t *c, report_t *r) {
    results_destroy(&r->results);
    timeline_destroy(&r->timeline);
    r->results = c->results;
    r->timeline = c->timeline;
    c->results = results_new();
    c->timeline = timeline_new();
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = &c->reg.items[i];
        report_worker_t rw = {.id = w->worker_id,
                              .hostname = w->hostname,
                              .pid = w->pid,
                              .users = w->assigned,
                              .reports = w->reports,
                              .state = (char *)registry_state_name(w->state),
                              .lost_at_ms = w->lost_at_ms};
        report_add_worker(r, &rw);
    }
    r->run_seconds = conductor_run_seconds(c);
    r->interrupted = c->interrupted;
    r->started_ms = c->run_start_wall_ms;
    r->ended_ms = c->run_stop_wall_ms;
}

const registry_t *conductor_registry(const conductor_t *c) {
    return &c->reg;
}

double conductor_run_seconds(const conductor_t *c) {
    if (!c->run_start_us) return 0;
    uint64_t end = c->run_stop_us ? c->run_stop_us : clock_now_us();
    return (double)(end - c->run_start_us) / 1e6;
}

bool conductor_interrupted(const conductor_t *c) {
    return c->interrupted;
}
