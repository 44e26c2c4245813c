/* conduct: the master's run lifecycle as decisions over (state, input, now). */
#include "master/conduct.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "load/rebalance.h"
#include "load/split.h"
#include "master/ingest.h"
#include "proto/timeouts.h"
#include "report/timeline.h"

typedef enum { PHASE_WAITING, PHASE_RUNNING, PHASE_STOPPING, PHASE_DONE } phase_t;

struct conduct {
    const conduct_opts_t *o;
    uint64_t epoch_us, epoch_wall_ms; /* one moment on both clocks: wall = f(monotonic) */
    registry_t reg;
    results_t *results;
    timeline_t *timeline;
    phase_t phase;
    uint32_t run_id;
    int outcome;
    bool signalled, interrupted;
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
    conduct_out_t *out;
    size_t n_out, cap_out;
};

static uint64_t s_wall_ms(const conduct_t *c, uint64_t now_us) {
    return c->epoch_wall_ms + (now_us > c->epoch_us ? (now_us - c->epoch_us) / 1000u : 0);
}

/* --- the output queue --- */

static conduct_out_t *s_push(conduct_t *c, conduct_kind_t kind, uint32_t worker) {
    if (c->n_out == c->cap_out) {
        c->cap_out = c->cap_out ? c->cap_out * 2 : 16;
        c->out = xrealloc(c->out, c->cap_out * sizeof *c->out);
    }
    conduct_out_t *o = &c->out[c->n_out++];
    *o = (conduct_out_t){.kind = kind, .worker = worker};
    return o;
}

static void s_event(conduct_t *c, conduct_kind_t kind, uint32_t worker, log_level_t level,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void s_event(conduct_t *c, conduct_kind_t kind, uint32_t worker, log_level_t level,
                    const char *fmt, ...) {
    conduct_out_t *o = s_push(c, kind, worker);
    o->level = level;
    char text[1024]; /* log_write's own limit */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    o->text = xstrdup(text);
}

/* Queues m to a routing id. The queue takes the arrays s_send_run and
 * s_send_users allocate (users_per_class, stages) and the reject reason. */
static void s_send_to(conduct_t *c, uint32_t worker, const void *rid, size_t rid_bytes,
                      const proto_msg_t *m) {
    conduct_out_t *o = s_push(c, CONDUCT_SEND, worker);
    o->routing_id = xmalloc(rid_bytes ? rid_bytes : 1);
    memcpy(o->routing_id, rid, rid_bytes);
    o->routing_id_bytes = rid_bytes;
    o->msg = *m;
}

static void s_send(conduct_t *c, const worker_entry_t *w, const proto_msg_t *m) {
    s_send_to(c, w->index, w->routing_id, w->routing_id_bytes, m);
}

static void s_out_fini(conduct_out_t *o) {
    free(o->routing_id);
    free(o->text);
    if (o->kind == CONDUCT_SEND) {
        if (o->msg.type == PROTO_RUN) {
            free(o->msg.u.run.users_per_class);
            free(o->msg.u.run.stages);
        } else if (o->msg.type == PROTO_USERS) {
            free(o->msg.u.users.users_per_class);
        } else if (o->msg.type == PROTO_REJECT) {
            free(o->msg.u.reject.reason);
        }
    }
}

size_t conduct_outputs(const conduct_t *c) {
    return c->n_out;
}

const conduct_out_t *conduct_output(const conduct_t *c, size_t i) {
    return i < c->n_out ? &c->out[i] : NULL;
}

void conduct_outputs_clear(conduct_t *c) {
    for (size_t i = 0; i < c->n_out; i++)
        s_out_fini(&c->out[i]);
    c->n_out = 0;
}

/* --- life --- */

conduct_t *conduct_new(const conduct_opts_t *opts, uint64_t now_us, uint64_t wall_ms) {
    conduct_t *c = xcalloc(1, sizeof *c);
    c->o = opts;
    c->epoch_us = now_us;
    c->epoch_wall_ms = wall_ms;
    registry_init(&c->reg);
    c->results = results_new();
    c->timeline = timeline_new();
    c->phase = PHASE_WAITING;
    c->phase_deadline_us = now_us + opts->wait_workers_ms * 1000u;
    c->next_heartbeat_us = now_us;
    return c;
}

void conduct_destroy(conduct_t **cp) {
    if (!cp || !*cp) return;
    conduct_t *c = *cp;
    conduct_outputs_clear(c);
    free(c->out);
    registry_fini(&c->reg);
    free(c->per_class);
    results_destroy(&c->results);
    timeline_destroy(&c->timeline);
    free(c);
    *cp = NULL;
}

static bool s_in_run(const worker_entry_t *w) {
    return w->state == WORKER_RUNNING || w->state == WORKER_STOPPING;
}

static size_t s_n_classes(const conduct_t *c) {
    return c->o->scenario->n_classes;
}

static uint32_t *s_copy_classes(const conduct_t *c, const uint32_t *per_class) {
    size_t k = s_n_classes(c);
    uint32_t *copy = xcalloc(k ? k : 1, sizeof *copy);
    if (per_class && k) memcpy(copy, per_class, k * sizeof *copy);
    return copy;
}

/* --- starting and stopping the run --- */

/* A RUN with this worker's share: per_class users, ids from first_user_id,
 * started at spawn_rate, for duration_ms (less for a worker joining late). */
static void s_send_run(conduct_t *c, worker_entry_t *w, uint32_t n_workers, uint32_t pos,
                       const uint32_t *per_class, uint64_t first_user_id, double spawn_rate,
                       uint64_t duration_ms) {
    const scenario_t *sc = c->o->scenario;
    proto_msg_t m = {.type = PROTO_RUN};
    proto_run_t *r = &m.u.run;
    bool open = c->o->rate > 0;
    uint32_t slot = pos % n_workers; /* shares and phase among the run's workers */
    ramp_stage_t *stages = xcalloc(c->o->n_stages + 1, sizeof *stages);
    split_stages(c->o->stages, c->o->n_stages, open, n_workers, slot, stages);
    uint32_t max_users = split_count_share(c->o->max_users, n_workers, slot);
    uint32_t *share = s_copy_classes(c, per_class); /* NULL: none of any class */
    *r = (proto_run_t){.run_id = c->run_id,
                       .scenario_name = (char *)c->o->scenario_name,
                       .scenario_text = (char *)c->o->scenario_text,
                       .scenario_bytes = c->o->scenario_bytes,
                       .host_override = (char *)c->o->host,
                       .worker_index = pos,
                       .worker_count = n_workers,
                       .first_user_id = first_user_id,
                       .n_classes = (uint32_t)sc->n_classes,
                       .users_per_class = share,
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
    registry_set_share(w, share, sc->n_classes);
    if (open) w->assigned = r->max_users; /* its slots: the user ids it may use */
    w->state = WORKER_RUNNING;
    w->reports = 0;
    w->next_seq = 0;
    s_send(c, w, &m);
}

/* A new share of the running run for a worker already in it. */
static void s_send_users(conduct_t *c, worker_entry_t *w, const uint32_t *per_class,
                         uint64_t first_user_id, uint32_t n_user_ids, double spawn_rate) {
    size_t n_classes = s_n_classes(c);
    proto_msg_t m = {.type = PROTO_USERS};
    m.u.users = (proto_users_t){.run_id = c->run_id,
                                .n_classes = (uint32_t)n_classes,
                                .users_per_class = s_copy_classes(c, per_class),
                                .spawn_rate = spawn_rate,
                                .first_user_id = first_user_id,
                                .n_user_ids = n_user_ids};
    registry_set_share(w, per_class, n_classes);
    s_send(c, w, &m);
}

static void s_start_run(conduct_t *c, uint64_t now) {
    const scenario_t *sc = c->o->scenario;
    uint32_t n_workers = (uint32_t)registry_count(&c->reg, WORKER_READY);
    uint32_t *weights = xcalloc(sc->n_classes + 1, sizeof *weights);
    uint32_t *per_class = xcalloc(sc->n_classes ? sc->n_classes : 1, sizeof *per_class);
    uint32_t *table = xcalloc((size_t)n_workers * sc->n_classes + 1, sizeof *table);
    for (size_t k = 0; k < sc->n_classes; k++)
        weights[k] = sc->classes[k].weight;
    split_classes(c->o->users, weights, sc->n_classes, per_class);
    split_workers(per_class, sc->n_classes, n_workers, table);
    c->run_start_wall_ms = s_wall_ms(c, now);
    c->run_id = (uint32_t)(c->run_start_wall_ms % 2000000000u) + 1;
    uint32_t pos = 0;
    uint64_t next_user_id = 1; /* user ids are consecutive per worker, unique in the run */
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state != WORKER_READY) continue;
        uint32_t *row = &table[(size_t)pos * sc->n_classes];
        uint32_t users = 0;
        for (size_t k = 0; k < sc->n_classes; k++)
            users += row[k];
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
    c->run_start_us = now;
    c->phase_deadline_us = now + c->o->duration_ms * 1000u;
    c->last_live_us = now;
    c->next_live_us = now + (uint64_t)c->o->live_ms * 1000u;
    s_event(c, CONDUCT_RUN_STARTED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
            "run %u started: %u users on %u workers for %.1f s", c->run_id, c->o->users, n_workers,
            (double)c->o->duration_ms / 1000.0);
}

static void s_stop_run(conduct_t *c, uint64_t now) {
    c->phase = PHASE_STOPPING;
    c->run_stop_us = now;
    c->run_stop_wall_ms = s_wall_ms(c, now);
    c->phase_deadline_us = now + TIMEOUT_FINAL_WAIT_MS * 1000u;
    proto_msg_t m = {.type = PROTO_STOP};
    m.u.stop.run_id = c->run_id;
    size_t told = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state != WORKER_RUNNING) continue;
        w->state = WORKER_STOPPING;
        s_send(c, w, &m);
        told++;
    }
    s_event(c, CONDUCT_RUN_STOPPED, CONDUCT_NO_WORKER, LOG_LEVEL_DEBUG,
            "run %u stopped after %.1f s: STOP sent to %zu workers, waiting for their final "
            "reports",
            c->run_id, (double)(now - c->run_start_us) / 1e6, told);
}

/* --- lost and joining workers --- */

/* Marks a worker of the run lost: its stats up to its last report stay in
 * the results, and while the run goes on its users go to the others. */
static void s_mark_lost(conduct_t *c, worker_entry_t *w, const char *why, uint64_t now) {
    w->state = WORKER_LOST;
    w->lost_at_ms = s_wall_ms(c, now);
    s_event(c, CONDUCT_WORKER_LOST, w->index, LOG_LEVEL_WARN,
            "worker %s on %s lost: %s; its stats up to its last report are kept (%llu "
            "reports)%s",
            w->worker_id, w->hostname, why, (unsigned long long)w->reports,
            c->phase == PHASE_RUNNING ? "; its users go to the other workers" : "");
    if (c->phase == PHASE_RUNNING) c->rebalance_due = true;
}

static uint64_t s_left_ms(const conduct_t *c, uint64_t now) {
    uint64_t left_ms = c->phase_deadline_us > now ? (c->phase_deadline_us - now) / 1000u : 1;
    return left_ms ? left_ms : 1;
}

/* The open model's rebalance: the n workers in ws (running, or joining:
 * READY) share the arrival rate and max_users exactly again, worker j taking
 * share j, so the total rate stays what was asked whoever was lost or joined.
 * A running worker rescales its schedule (stages included) to its new share
 * and gets a fresh block of user ids for its slots. */
static void s_rebalance_open(conduct_t *c, worker_entry_t **ws, uint32_t n, uint64_t now) {
    uint64_t left_ms = s_left_ms(c, now);
    for (uint32_t j = 0; j < n; j++) {
        uint64_t first = c->next_user_id;
        if (ws[j]->state == WORKER_READY) {
            s_send_run(c, ws[j], n, j, NULL, first, 0, left_ms);
            c->next_user_id += ws[j]->assigned;
            continue;
        }
        uint32_t max_users = split_count_share(c->o->max_users, n, j);
        proto_msg_t m = {.type = PROTO_USERS};
        m.u.users = (proto_users_t){.run_id = c->run_id,
                                    .n_classes = (uint32_t)s_n_classes(c),
                                    .users_per_class = s_copy_classes(c, NULL),
                                    .first_user_id = first,
                                    .n_user_ids = max_users ? max_users : 1,
                                    .arrival_rate = split_rate_share(c->o->rate, n, j),
                                    .max_users = max_users ? max_users : 1};
        c->next_user_id += m.u.users.n_user_ids;
        ws[j]->assigned = m.u.users.max_users;
        s_send(c, ws[j], &m);
    }
    s_event(c, CONDUCT_REBALANCED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
            "rebalanced: %u workers share %g iterations/s", n, c->o->rate);
}

/* The closed model's rebalance over the n workers in ws (see s_rebalance). */
static void s_rebalance_closed(conduct_t *c, worker_entry_t **ws, uint32_t n, uint64_t now) {
    size_t k = s_n_classes(c);
    uint32_t *cur = xcalloc((size_t)n * k + 1, sizeof *cur);
    uint32_t *out = xcalloc((size_t)n * k + 1, sizeof *out);
    for (uint32_t j = 0; j < n; j++) {
        if (ws[j]->state == WORKER_RUNNING && ws[j]->class_users) {
            memcpy(&cur[j * k], ws[j]->class_users, k * sizeof *cur);
        }
    }
    if (rebalance_plan(c->per_class, k, cur, n, out) == 0) {
        uint32_t total_moves = 0, moved = 0;
        for (uint32_t j = 0; j < n; j++)
            total_moves += rebalance_moves(&cur[j * k], &out[j * k], k);
        uint64_t left_ms = s_left_ms(c, now);
        for (uint32_t j = 0; j < n; j++) {
            uint32_t moves = rebalance_moves(&cur[j * k], &out[j * k], k);
            uint32_t starts = rebalance_starts(&cur[j * k], &out[j * k], k);
            double rate = rebalance_rate(c->o->spawn_rate, moves, total_moves);
            uint64_t first = c->next_user_id;
            c->next_user_id += starts;
            moved += moves;
            if (ws[j]->state == WORKER_READY) {
                s_send_run(c, ws[j], n, c->next_position++, &out[j * k], first, rate, left_ms);
            } else if (moves) {
                s_send_users(c, ws[j], &out[j * k], first, starts, rate);
            }
        }
        if (moved) {
            s_event(c, CONDUCT_REBALANCED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
                    "rebalanced: %u users started or retired so that %u workers share %u users",
                    moved, n, c->o->users);
        }
    }
    free(cur);
    free(out);
}

/* Gives the users (or rate share) of lost or refused workers to the workers
 * still running, and workers that joined mid-run their share, moving as few
 * users as possible, at the run's spawn rate (see load/rebalance.h). */
static void s_rebalance(conduct_t *c, uint64_t now) {
    c->rebalance_due = false;
    worker_entry_t **ws = xcalloc(c->reg.n ? c->reg.n : 1, sizeof *ws);
    uint32_t n = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state == WORKER_RUNNING || w->state == WORKER_READY) ws[n++] = w;
    }
    if (n > 0 && c->o->rate > 0) {
        s_rebalance_open(c, ws, n, now);
    } else if (n > 0) {
        s_rebalance_closed(c, ws, n, now);
    }
    free(ws);
}

/* A worker counted as lost speaks again (a network hiccup longer than the
 * loss timeout): its users run elsewhere now, so it must stop firing. What
 * it reports from now on is not counted. */
static void s_on_lost_message(conduct_t *c, worker_entry_t *w, const proto_msg_t *m) {
    uint32_t run_id = 0;
    if (m->type == PROTO_HEARTBEAT) run_id = m->u.heartbeat.run_id;
    if (m->type == PROTO_STATS) run_id = m->u.stats.run_id;
    if (run_id == 0 || run_id != c->run_id) return;
    s_event(c, CONDUCT_LOST_STOPPED, w->index, LOG_LEVEL_DEBUG,
            "worker %s, counted as lost, still runs run %u: told to stop", w->worker_id, run_id);
    proto_msg_t stop = {.type = PROTO_STOP};
    stop.u.stop.run_id = run_id;
    s_send(c, w, &stop);
}

/* --- messages from workers --- */

static void s_on_hello(conduct_t *c, const void *rid, size_t rid_bytes, const proto_hello_t *h,
                       uint64_t now) {
    worker_entry_t *w = registry_find(&c->reg, rid, rid_bytes);
    if (w && (s_in_run(w) || w->state == WORKER_LOST)) {
        /* It restarted or lost us: whatever it ran is gone. The old entry
         * stays (lost, for the report); the worker comes in anew. */
        if (s_in_run(w)) {
            s_mark_lost(c, w, "it said hello again (restarted, or lost the master)", now);
        }
        registry_detach(w);
        w = NULL;
    }
    if (!w) {
        w = registry_add(&c->reg, rid, rid_bytes, h->worker_id, h->hostname);
        bool joins = c->phase == PHASE_RUNNING;
        s_event(c, CONDUCT_WORKER_JOINED, w->index, LOG_LEVEL_INFO,
                "worker %s joined from %s (pid %u, %u cpus)%s", h->worker_id, h->hostname, h->pid,
                h->cpus,
                c->phase == PHASE_WAITING ? ""
                : joins                   ? "; it gets a share of the running run"
                                          : "; idle until the next run");
        if (joins) c->rebalance_due = true;
    }
    w->pid = h->pid;
    w->cpus = h->cpus;
    w->last_seen_us = now;
    proto_msg_t m = {.type = PROTO_WELCOME};
    m.u.welcome.worker_index = w->index;
    s_send(c, w, &m);
}

static uint32_t s_users(const conduct_t *c) {
    uint32_t users = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        if (w->state == WORKER_RUNNING) users += w->users;
    }
    return users;
}

/* The timeline second a report received now counts in. A report covers the
 * interval before it was sent: it is binned by that interval's middle, half
 * an interval before its arrival. */
static uint32_t s_timeline_second(const conduct_t *c, uint64_t now) {
    uint64_t elapsed = now > c->run_start_us ? now - c->run_start_us : 0;
    uint64_t half = (uint64_t)c->o->report_ms * 500u;
    return (uint32_t)((elapsed > half ? elapsed - half : 0) / 1000000u);
}

/* Checks a report's sequence number against the one expected from w.
 * Returns false for a report already merged (a duplicate or a replay);
 * a gap (reports that never came) is counted and logged once per worker. */
static bool s_check_seq(conduct_t *c, worker_entry_t *w, const proto_stats_t *st) {
    if (st->seq < w->next_seq) {
        w->reports_duplicate++;
        s_event(c, CONDUCT_REPORT_DUPLICATE, w->index, LOG_LEVEL_WARN,
                "worker %s sent report %u of run %u again (expected %u): not merged twice",
                w->worker_id, st->seq, st->run_id, w->next_seq);
        return false;
    }
    if (st->seq > w->next_seq) {
        uint32_t missing = st->seq - w->next_seq;
        w->reports_missed += missing;
        if (!w->gap_logged) {
            w->gap_logged = true;
            s_event(c, CONDUCT_REPORT_GAP, w->index, LOG_LEVEL_WARN,
                    "worker %s: %u reports of run %u never arrived before report %u; their "
                    "requests are missing from the results (further gaps of this worker are "
                    "counted, not logged)",
                    w->worker_id, missing, st->run_id, st->seq);
        }
    }
    w->next_seq = st->seq + 1;
    return true;
}

static void s_on_stats(conduct_t *c, worker_entry_t *w, const proto_msg_t *m, uint64_t now) {
    const proto_stats_t *st = &m->u.stats;
    if (st->run_id != c->run_id || !s_in_run(w)) {
        s_event(c, CONDUCT_REPORT_IGNORED, w->index, LOG_LEVEL_DEBUG,
                "report of run %u from %s (%s) ignored", st->run_id, w->worker_id,
                registry_state_name(w->state));
        return;
    }
    if (!s_check_seq(c, w, st)) return;
    uint32_t second = s_timeline_second(c, now);
    timeline_close_until(c->timeline, second, s_users(c), c->run_start_wall_ms);
    ingest_stats(c->results, c->timeline, second, st);
    w->reports++;
    w->users = st->users;
    if (m->type == PROTO_FINAL) w->state = WORKER_FINISHED;
}

static void s_on_worker_message(conduct_t *c, worker_entry_t *w, const proto_msg_t *m,
                                uint64_t now) {
    w->last_seen_us = now;
    if (w->state == WORKER_LOST) {
        s_on_lost_message(c, w, m);
        return;
    }
    switch (m->type) {
    case PROTO_STATS:
    case PROTO_FINAL:
        s_on_stats(c, w, m, now);
        break;
    case PROTO_HEARTBEAT:
        if (s_in_run(w)) w->users = m->u.heartbeat.users;
        break;
    case PROTO_REJECT:
        s_event(c, CONDUCT_WORKER_REFUSED, w->index, LOG_LEVEL_ERROR,
                "worker %s refused the run: %s", w->worker_id, m->u.reject.reason);
        if (s_in_run(w)) {
            w->state = WORKER_REFUSED;
            if (c->phase == PHASE_RUNNING) c->rebalance_due = true; /* its users go elsewhere */
        }
        break;
    default:
        s_event(c, CONDUCT_UNEXPECTED, w->index, LOG_LEVEL_WARN,
                "unexpected %s message from worker %s: dropped", proto_type_name(m->type),
                w->worker_id);
    }
}

void conduct_on_message(conduct_t *c, const void *rid, size_t rid_bytes, const proto_msg_t *m,
                        uint64_t now_us) {
    if (m->type == PROTO_HELLO) {
        s_on_hello(c, rid, rid_bytes, &m->u.hello, now_us);
        return;
    }
    worker_entry_t *w = registry_find(&c->reg, rid, rid_bytes);
    if (w) {
        s_on_worker_message(c, w, m, now_us);
    } else {
        s_event(c, CONDUCT_UNKNOWN_PEER, CONDUCT_NO_WORKER, LOG_LEVEL_WARN,
                "%s message from an unknown peer: dropped", proto_type_name(m->type));
    }
}

void conduct_on_version(conduct_t *c, const void *rid, size_t rid_bytes, uint32_t theirs) {
    s_event(c, CONDUCT_VERSION_REFUSED, CONDUCT_NO_WORKER, LOG_LEVEL_ERROR,
            "refused a worker speaking protocol version %u: this master speaks %u", theirs,
            PROTO_VERSION);
    proto_msg_t m = {.type = PROTO_REJECT};
    m.u.reject.reason = xasprintf("protocol version %u is not supported: the master speaks %u",
                                  theirs, PROTO_VERSION);
    s_send_to(c, CONDUCT_NO_WORKER, rid, rid_bytes, &m);
}

void conduct_on_signal(conduct_t *c) {
    c->signalled = true;
}

void conduct_abort(conduct_t *c) {
    c->outcome = CONDUCT_FAILED;
    c->phase = PHASE_DONE;
}

/* --- periodic work --- */

static void s_heartbeat(conduct_t *c, uint64_t now) {
    if (now < c->next_heartbeat_us) return;
    c->next_heartbeat_us = now + (uint64_t)c->o->heartbeat_ms * 1000u;
    proto_msg_t m = {.type = PROTO_HEARTBEAT};
    m.u.heartbeat.run_id = c->phase == PHASE_WAITING ? 0 : c->run_id;
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state != WORKER_LOST) s_send(c, w, &m);
    }
}

static void s_check_lost(conduct_t *c, uint64_t now) {
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (!s_in_run(w) || now < w->last_seen_us + TIMEOUT_WORKER_LOST_MS * 1000u) continue;
        char why[64];
        snprintf(why, sizeof why, "silent for %u ms", TIMEOUT_WORKER_LOST_MS);
        s_mark_lost(c, w, why, now);
    }
}

static void s_live(conduct_t *c, uint64_t now) {
    if (c->phase != PHASE_RUNNING || now < c->next_live_us) return;
    bool open = c->o->rate > 0;
    ramp_t ramp = {.start = c->o->n_stages ? 0
                            : open         ? c->o->rate
                                           : c->o->users,
                   .stages = c->o->stages,
                   .n_stages = c->o->n_stages};
    double target = ramp_value_at(&ramp, now - c->run_start_us);
    conduct_out_t *o = s_push(c, CONDUCT_LIVE, CONDUCT_NO_WORKER);
    o->live = (summary_live_t){.elapsed_s = (double)(now - c->run_start_us) / 1e6,
                               .duration_s = (double)c->o->duration_ms / 1000.0,
                               .window_s = (double)(now - c->last_live_us) / 1e6,
                               .users_target = open ? c->o->max_users : (uint32_t)(target + 0.5),
                               .rate = open ? target : 0,
                               .dropped = results_dropped(c->results)};
    for (size_t i = 0; i < c->reg.n; i++) {
        if (!s_in_run(c->reg.items[i])) continue;
        o->live.users += c->reg.items[i]->users;
        o->live.workers++;
    }
    c->last_live_us = now;
    c->next_live_us = now + (uint64_t)c->o->live_ms * 1000u;
}

static size_t s_in_run_count(const conduct_t *c) {
    return registry_count(&c->reg, WORKER_RUNNING) + registry_count(&c->reg, WORKER_STOPPING);
}

static void s_name_missing(conduct_t *c, uint64_t now) {
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state != WORKER_STOPPING) continue;
        s_event(c, CONDUCT_FINAL_MISSING, w->index, LOG_LEVEL_ERROR,
                "worker %s on %s sent no final report within %u ms: its last interval is "
                "missing",
                w->worker_id, w->hostname, TIMEOUT_FINAL_WAIT_MS);
        w->state = WORKER_LOST;
        w->lost_at_ms = s_wall_ms(c, now);
    }
}

static void s_done(conduct_t *c, const char *how) {
    c->phase = PHASE_DONE;
    s_event(c, CONDUCT_RUN_DONE, CONDUCT_NO_WORKER, LOG_LEVEL_DEBUG, "run %u done: %s", c->run_id,
            how);
}

static void s_advance(conduct_t *c, uint64_t now) {
    switch (c->phase) {
    case PHASE_WAITING:
        if (registry_count(&c->reg, WORKER_READY) >= c->o->expect_workers) {
            s_start_run(c, now);
        } else if (now >= c->phase_deadline_us || c->signalled) {
            s_event(c, CONDUCT_NO_WORKERS_EV, CONDUCT_NO_WORKER, LOG_LEVEL_ERROR,
                    "only %zu of %u workers joined within %.0f s",
                    registry_count(&c->reg, WORKER_READY), c->o->expect_workers,
                    (double)c->o->wait_workers_ms / 1000.0);
            c->outcome = CONDUCT_NO_WORKERS;
            c->phase = PHASE_DONE;
        }
        break;
    case PHASE_RUNNING:
        if (c->signalled && !c->interrupted) {
            c->interrupted = true;
            s_event(c, CONDUCT_INTERRUPTED, CONDUCT_NO_WORKER, LOG_LEVEL_WARN,
                    "interrupted: stopping the run and collecting final reports");
        }
        if (now >= c->phase_deadline_us || c->interrupted || s_in_run_count(c) == 0) {
            s_stop_run(c, now);
        }
        break;
    case PHASE_STOPPING:
        if (registry_count(&c->reg, WORKER_STOPPING) == 0) {
            s_done(c, "every final report is in");
        } else if (now >= c->phase_deadline_us) {
            s_name_missing(c, now);
            s_done(c, "the wait for final reports ended");
        }
        break;
    case PHASE_DONE:
        break;
    }
}

void conduct_tick(conduct_t *c, uint64_t now) {
    if (c->phase == PHASE_DONE) return;
    s_heartbeat(c, now);
    if (c->phase == PHASE_RUNNING || c->phase == PHASE_STOPPING) {
        s_check_lost(c, now);
        if (c->rebalance_due && c->phase == PHASE_RUNNING) s_rebalance(c, now);
        /* Seconds close on time, stamped with the users of that moment. */
        timeline_close_until(c->timeline, s_timeline_second(c, now), s_users(c),
                             c->run_start_wall_ms);
    }
    s_live(c, now);
    s_advance(c, now);
}

void conduct_finish(conduct_t *c, uint64_t now_us) {
    if (c->run_start_us) {
        /* Close the last, partial second too. */
        timeline_close_until(c->timeline, s_timeline_second(c, now_us) + 1, s_users(c),
                             c->run_start_wall_ms);
    }
    bool reported = false;
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        reported |= w->reports > 0;
        if (w->reports_missed) {
            s_event(c, CONDUCT_REPORTS_MISSED, w->index, LOG_LEVEL_WARN,
                    "worker %s: %llu of its reports never arrived; their requests are missing "
                    "from the results",
                    w->worker_id, (unsigned long long)w->reports_missed);
        }
    }
    if (c->outcome == CONDUCT_OK && !reported) c->outcome = CONDUCT_FAILED;
    if (c->o->quit_workers) {
        proto_msg_t m = {.type = PROTO_QUIT};
        for (size_t i = 0; i < c->reg.n; i++) {
            if (c->reg.items[i]->state != WORKER_LOST) s_send(c, c->reg.items[i], &m);
        }
    }
}

/* --- queries --- */

bool conduct_done(const conduct_t *c) {
    return c->phase == PHASE_DONE;
}

int conduct_outcome(const conduct_t *c) {
    return c->outcome;
}

uint64_t conduct_next_due_us(const conduct_t *c) {
    uint64_t next = c->next_heartbeat_us;
    if (c->phase_deadline_us && c->phase_deadline_us < next) next = c->phase_deadline_us;
    if (c->phase == PHASE_RUNNING && c->next_live_us < next) next = c->next_live_us;
    return next;
}

uint32_t conduct_run_id(const conduct_t *c) {
    return c->run_id;
}

const registry_t *conduct_registry(const conduct_t *c) {
    return &c->reg;
}

results_t *conduct_results(conduct_t *c) {
    return c->results;
}

/* Seconds from the RUN to the STOP (to now_us while running; 0 before). */
static double s_run_seconds(const conduct_t *c, uint64_t now_us) {
    if (!c->run_start_us) return 0;
    uint64_t end = c->run_stop_us ? c->run_stop_us : now_us;
    return end > c->run_start_us ? (double)(end - c->run_start_us) / 1e6 : 0;
}

void conduct_fill_report(conduct_t *c, report_t *r, uint64_t now_us) {
    results_destroy(&r->results);
    timeline_destroy(&r->timeline);
    r->results = c->results;
    r->timeline = c->timeline;
    c->results = results_new();
    c->timeline = timeline_new();
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        report_worker_t rw = {.id = w->worker_id,
                              .hostname = w->hostname,
                              .pid = w->pid,
                              .users = w->assigned,
                              .reports = w->reports,
                              .state = (char *)registry_state_name(w->state),
                              .lost_at_ms = w->lost_at_ms};
        report_add_worker(r, &rw);
    }
    r->run_seconds = s_run_seconds(c, now_us);
    r->interrupted = c->interrupted;
    r->started_ms = c->run_start_wall_ms;
    r->ended_ms = c->run_stop_wall_ms;
}
