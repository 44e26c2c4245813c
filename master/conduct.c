/* conduct: the master's run lifecycle as decisions over (state, input, now). */
#include "master/conduct.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "load/rebalance.h"
#include "load/split.h"
#include "common/strbuf.h"
#include "master/ingest.h"
#include "report/verdicts.h"
#include "master/loadplan.h"
#include "proto/timeouts.h"
#include "report/timeline.h"

/* IDLE: multi-run, waiting for a start; ENDED: multi-run, a run ended and
 * waits for conduct_finish. */
typedef enum {
    PHASE_WAITING,
    PHASE_IDLE,
    PHASE_RUNNING,
    PHASE_STOPPING,
    PHASE_ENDED,
    PHASE_DONE
} phase_t;

struct conduct {
    conduct_opts_t base; /* the plan: the options, or the run fields of the last plan started */
    conduct_opts_t run;  /* the run's: base with the start's overrides */
    char *swarm_host;    /* the start's host (run.host points here), owned */
    report_t *last;      /* multi-run: the last finished run's report, kept (conduct_keep_report) */
    uint64_t epoch_us, epoch_wall_ms; /* one moment on both clocks: wall = f(monotonic) */
    registry_t reg;
    results_t *results;
    timeline_t *timeline;
    verdicts_t *verdicts; /* the run's thresholds judged each second */
    uint32_t judged;      /* seconds closed at the last judgement */
    char *aborted_by;     /* the threshold that stopped the run, or NULL */
    double aborted_at_s;
    bool unreachable_said; /* the dead-target warning was given in this run */
    char *failing_label; /* the live line's first failing threshold (s_failing_first), owned */
    report_saturation_t *saturations; /* the run's episodes that ended (worker borrowed) */
    size_t n_saturations;
    phase_t phase;
    uint32_t run_id;
    int outcome;
    bool signalled, interrupted;
    uint64_t phase_deadline_us; /* WAITING: give up; RUNNING: stop; STOPPING: stop waiting */
    uint64_t run_start_us, run_stop_us;
    uint64_t run_start_wall_ms, run_stop_wall_ms;
    uint32_t users_at_stop; /* the users when the run was stopped (its last seconds' stamp) */
    uint64_t stats_start_us, stats_start_wall_ms; /* the run's start, or its last reset */
    uint64_t spawn_until_us; /* users ramp up until then (the state "spawning") */
    uint64_t ended_us;       /* multi-run: when the last run was settled */
    bool any_run_ended, settled, quit_sent;
    uint64_t next_heartbeat_us, next_live_us, last_live_us;
    /* Rebalancing: the run's users per class, the next user id never given
     * out, the next worker position; set when a worker is lost or joins. */
    uint32_t *per_class;
    uint64_t next_user_id;
    uint32_t next_position;
    bool rebalance_due;
    bool unknown_peer_logged; /* a message from an unknown peer was logged at warn */
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
    c->base = c->run = *opts;
    c->epoch_us = now_us;
    c->epoch_wall_ms = wall_ms;
    registry_init(&c->reg);
    c->results = results_new();
    c->timeline = timeline_new();
    c->verdicts = verdicts_new(opts->checks, opts->n_checks);
    c->phase = PHASE_WAITING;
    c->phase_deadline_us = now_us + opts->wait_workers_ms * 1000u;
    if (opts->multi_run && !opts->autostart) {
        c->phase = PHASE_IDLE;
        c->phase_deadline_us = 0;
    }
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
    free(c->swarm_host);
    report_destroy(&c->last);
    results_destroy(&c->results);
    timeline_destroy(&c->timeline);
    verdicts_destroy(&c->verdicts);
    free(c->aborted_by);
    free(c->failing_label);
    free(c->saturations);
    free(c);
    *cp = NULL;
}

static bool s_in_run(const worker_entry_t *w) {
    return w->state == WORKER_RUNNING || w->state == WORKER_STOPPING;
}

static size_t s_n_classes(const conduct_t *c) {
    return c->run.scenario->n_classes;
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
    const scenario_t *sc = c->run.scenario;
    proto_msg_t m = {.type = PROTO_RUN};
    proto_run_t *r = &m.u.run;
    bool open = c->run.rate > 0;
    uint32_t slot = pos % n_workers; /* shares and phase among the run's workers */
    ramp_stage_t *stages = xcalloc(c->run.n_stages + 1, sizeof *stages);
    split_stages(c->run.stages, c->run.n_stages, open, n_workers, slot, stages);
    uint32_t max_users = split_count_share(c->run.max_users, n_workers, slot);
    uint32_t *share = s_copy_classes(c, per_class); /* NULL: none of any class */
    *r = (proto_run_t){.run_id = c->run_id,
                       .tls_no_verify = c->run.tls_no_verify ? 1u : 0u,
                       .scenario_name = (char *)c->run.scenario_name,
                       .scenario_text = (char *)c->run.scenario_text,
                       .scenario_bytes = c->run.scenario_bytes,
                       .host_override = (char *)c->run.host,
                       .worker_index = pos,
                       .worker_count = n_workers,
                       .first_user_id = first_user_id,
                       .n_classes = (uint32_t)sc->n_classes,
                       .users_per_class = share,
                       .spawn_rate = spawn_rate,
                       .arrival_rate = open ? split_rate_share(c->run.rate, n_workers, slot) : 0,
                       .max_users = open ? (max_users ? max_users : 1) : 0,
                       .n_stages = (uint32_t)c->run.n_stages,
                       .stages = stages,
                       .duration_ms = duration_ms,
                       .report_interval_ms = c->run.report_ms,
                       .heartbeat_interval_ms = c->run.heartbeat_ms,
                       .n_files = c->run.n_files,
                       .files = (proto_file_t *)c->run.files};
    registry_set_share(w, share, sc->n_classes);
    if (open) w->assigned = r->max_users; /* its slots: the user ids it may use */
    w->state = WORKER_RUNNING;
    if (w->last_run != c->run_id) { /* a new run: its counters start again */
        w->reports = w->reports_missed = w->reports_duplicate = 0;
        w->gap_logged = false;
        w->lost_at_ms = 0;
    }
    w->last_run = c->run_id;
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

/* The run's thresholds judged from now on, from nothing. */
static void s_new_verdicts(conduct_t *c) {
    verdicts_destroy(&c->verdicts);
    c->verdicts = verdicts_new(c->run.checks, c->run.n_checks);
    c->judged = 0;
}

/* Multi-run: the workers of the last run (finished, or refused it) are
 * ready for the next; the results and timeline start empty. */
static void s_prepare_run(conduct_t *c) {
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state == WORKER_FINISHED || w->state == WORKER_REFUSED) w->state = WORKER_READY;
        w->cpu_max_permille = w->lag_max_us = 0;
        w->rss_max_kib = 0;
        w->saturation = (saturation_t){0};
    }
    results_reset(c->results);
    timeline_destroy(&c->timeline);
    c->timeline = timeline_new();
    s_new_verdicts(c);
    free(c->aborted_by);
    c->aborted_by = NULL;
    c->aborted_at_s = 0;
    c->unreachable_said = false;
    free(c->saturations);
    c->saturations = NULL;
    c->n_saturations = 0;
    c->interrupted = false;
    c->settled = false;
    c->outcome = CONDUCT_OK;
    c->run_stop_us = c->run_stop_wall_ms = 0;
    c->users_at_stop = 0;
}

/* When the users of a constant closed run are all started, `moves` of them
 * at spawn_rate from now. */
static uint64_t s_spawn_until(const conduct_t *c, uint32_t moves, double spawn_rate,
                              uint64_t now) {
    if (c->run.rate > 0 || c->run.n_stages || !(spawn_rate > 0)) return now;
    return now + (uint64_t)((double)moves / spawn_rate * 1e6);
}

static void s_start_run(conduct_t *c, uint64_t now) {
    const scenario_t *sc = c->run.scenario;
    s_prepare_run(c);
    uint32_t n_workers = (uint32_t)registry_count(&c->reg, WORKER_READY);
    uint32_t *weights = xcalloc(sc->n_classes + 1, sizeof *weights);
    uint32_t *per_class = xcalloc(sc->n_classes ? sc->n_classes : 1, sizeof *per_class);
    uint32_t *table = xcalloc((size_t)n_workers * sc->n_classes + 1, sizeof *table);
    for (size_t k = 0; k < sc->n_classes; k++)
        weights[k] = sc->classes[k].weight;
    split_classes(c->run.users, weights, sc->n_classes, per_class);
    split_workers(per_class, sc->n_classes, n_workers, table);
    c->run_start_wall_ms = s_wall_ms(c, now);
    uint32_t run_id = (uint32_t)(c->run_start_wall_ms % 2000000000u) + 1;
    c->run_id = run_id == c->run_id ? run_id % 2000000000u + 1 : run_id; /* runs differ */
    uint32_t pos = 0;
    uint64_t next_user_id = 1; /* user ids are consecutive per worker, unique in the run */
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state != WORKER_READY) continue;
        uint32_t *row = &table[(size_t)pos * sc->n_classes];
        uint32_t users = 0;
        for (size_t k = 0; k < sc->n_classes; k++)
            users += row[k];
        double rate = c->run.users ? c->run.spawn_rate * users / c->run.users : 0;
        s_send_run(c, w, n_workers, pos, row, next_user_id, rate, c->run.duration_ms);
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
    c->run_start_us = c->stats_start_us = now;
    c->stats_start_wall_ms = c->run_start_wall_ms;
    c->spawn_until_us = s_spawn_until(c, c->run.users, c->run.spawn_rate, now);
    /* A run without a run time (multi-run) goes on until stopped. */
    c->phase_deadline_us = c->run.duration_ms ? now + c->run.duration_ms * 1000u : UINT64_MAX;
    c->last_live_us = now;
    c->next_live_us = now + (uint64_t)c->run.live_ms * 1000u;
    char how_long[48] = "until stopped";
    if (c->run.duration_ms)
        snprintf(how_long, sizeof how_long, "for %.1f s", (double)c->run.duration_ms / 1000.0);
    s_event(c, CONDUCT_RUN_STARTED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
            "run %u started: %u users on %u workers %s", c->run_id, c->run.users, n_workers,
            how_long);
}

static uint32_t s_users(const conduct_t *c) {
    uint32_t users = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        if (w->state == WORKER_RUNNING) users += w->users;
    }
    return users;
}

static void s_stop_run(conduct_t *c, uint64_t now) {
    c->users_at_stop = s_users(c);
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
    bool in_run = s_in_run(w);
    w->state = WORKER_LOST;
    w->lost_at_ms = s_wall_ms(c, now);
    if (!in_run) { /* between runs (multi-run): no stats, no users to speak of */
        s_event(c, CONDUCT_WORKER_LOST, w->index, LOG_LEVEL_WARN,
                "worker %s on %s gone: %s; it takes no part in the next start (if it comes "
                "back, it says hello and joins again)",
                w->worker_id, w->hostname, why);
        return;
    }
    s_event(c, CONDUCT_WORKER_LOST, w->index, LOG_LEVEL_WARN,
            "worker %s on %s lost: %s; its stats up to its last report are kept (%llu "
            "reports)%s",
            w->worker_id, w->hostname, why, (unsigned long long)w->reports,
            c->phase == PHASE_RUNNING ? "; its users go to the other workers" : "");
    if (c->phase == PHASE_RUNNING) c->rebalance_due = true;
}

static uint64_t s_left_ms(const conduct_t *c, uint64_t now) {
    if (!c->run.duration_ms) return 0; /* no end: nor for a joiner */
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
        uint32_t max_users = split_count_share(c->run.max_users, n, j);
        proto_msg_t m = {.type = PROTO_USERS};
        m.u.users = (proto_users_t){.run_id = c->run_id,
                                    .n_classes = (uint32_t)s_n_classes(c),
                                    .users_per_class = s_copy_classes(c, NULL),
                                    .first_user_id = first,
                                    .n_user_ids = max_users ? max_users : 1,
                                    .arrival_rate = split_rate_share(c->run.rate, n, j),
                                    .max_users = max_users ? max_users : 1};
        c->next_user_id += m.u.users.n_user_ids;
        ws[j]->assigned = m.u.users.max_users;
        s_send(c, ws[j], &m);
    }
    s_event(c, CONDUCT_REBALANCED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
            "rebalanced: %u workers share %g iterations/s", n, c->run.rate);
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
            double rate = rebalance_rate(c->run.spawn_rate, moves, total_moves);
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
                    moved, n, c->run.users);
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
    if (n > 0 && c->run.rate > 0) {
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
                c->phase == PHASE_WAITING || c->phase == PHASE_IDLE ? ""
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

/* The users a timeline second is stamped with: those of the moment it
 * closes while the run goes on; once stopped, those of the stop (the run's
 * last seconds close after it, when the workers have stopped). */
static uint32_t s_timeline_users(const conduct_t *c) {
    return c->phase == PHASE_RUNNING ? s_users(c) : c->users_at_stop;
}

/* The timeline second a report received now counts in. A report covers the
 * interval before it was sent: it is binned by that interval's middle, half
 * an interval before its arrival. */
static uint32_t s_timeline_second(const conduct_t *c, uint64_t now) {
    uint64_t elapsed = now > c->stats_start_us ? now - c->stats_start_us : 0;
    uint64_t half = (uint64_t)c->run.report_ms * 500u;
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

/* A FINAL ends w's part of the run. One that comes while the run goes on
 * (before the master's STOP: the worker was stopped from its side, e.g.
 * SIGTERM) leaves its users unserved: they go to the other workers, as a lost
 * worker's do, so the load stays the one asked for. */
static void s_on_final(conduct_t *c, worker_entry_t *w) {
    w->state = WORKER_FINISHED;
    if (c->phase != PHASE_RUNNING) return;
    bool others = registry_count(&c->reg, WORKER_RUNNING) > 0;
    s_event(c, CONDUCT_WORKER_LEFT, w->index, LOG_LEVEL_WARN,
            "worker %s on %s stopped its part of run %u before the run's end (its final "
            "report came before STOP); %s",
            w->worker_id, w->hostname, c->run_id,
            others ? "its users go to the other workers" : "no worker is left: the run ends");
    c->rebalance_due = true;
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
    timeline_close_until(c->timeline, second, s_timeline_users(c), c->stats_start_wall_ms);
    ingest_stats(c->results, c->timeline, c->verdicts, second, st);
    w->reports++;
    w->users = st->users;
    if (m->type == PROTO_FINAL) s_on_final(c, w);
}

/* Seconds since the run's start at now. */
static double s_run_s(const conduct_t *c, uint64_t now) {
    return now > c->run_start_us ? (double)(now - c->run_start_us) / 1e6 : 0;
}

/* w's saturation episode, from its start to `to` (the worker's id borrowed). */
static report_saturation_t s_episode(const conduct_t *c, const worker_entry_t *w, uint64_t to) {
    return (report_saturation_t){.worker = w->worker_id,
                                 .from_s = s_run_s(c, w->saturation.began_us),
                                 .to_s = s_run_s(c, to),
                                 .cpu_max_permille = w->saturation.cpu_max_permille,
                                 .lag_max_us = w->saturation.lag_max_us};
}

/* Keeps an episode of w's saturation, from its start to `to`. */
static void s_keep_saturation(conduct_t *c, const worker_entry_t *w, uint64_t to) {
    c->saturations = xrealloc(c->saturations, (c->n_saturations + 1) * sizeof *c->saturations);
    c->saturations[c->n_saturations++] = s_episode(c, w, to);
}

/* A heartbeat's health: the worker's maxima, and its saturation said once
 * per episode (master/saturation.h). */
static void s_on_health(conduct_t *c, worker_entry_t *w, uint64_t now) {
    const proto_health_t *h = &w->health;
    if (h->cpu_permille > w->cpu_max_permille) w->cpu_max_permille = h->cpu_permille;
    if (h->lag_us > w->lag_max_us) w->lag_max_us = h->lag_us;
    if (h->rss_kib > w->rss_max_kib) w->rss_max_kib = h->rss_kib;
    switch (saturation_update(&w->saturation, h, now)) {
    case SATURATION_BEGAN:
        s_event(c, CONDUCT_WORKER_SATURATED, w->index, LOG_LEVEL_WARN,
                "worker %s is saturated: latencies from it include time waiting for CPU; add "
                "workers or processes (CPU %.0f%%, loop lag %.1f ms, since %.1f s)",
                w->worker_id, h->cpu_permille / 10.0, h->lag_us / 1000.0,
                s_run_s(c, w->saturation.began_us));
        break;
    case SATURATION_ENDED:
        s_keep_saturation(c, w, now);
        break;
    case SATURATION_SAME:
        break;
    }
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
        w->health = m->u.heartbeat.health;
        if (s_in_run(w)) {
            w->users = m->u.heartbeat.users;
            s_on_health(c, w, now);
        }
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
        /* Usually a worker of an earlier master on this endpoint: ZeroMQ delivers the
         * heartbeats and reports it queued while no master listened, then it says hello.
         * Said once; the rest at debug level (a restart brings one per queued message). */
        bool first = !c->unknown_peer_logged;
        c->unknown_peer_logged = true;
        s_event(c, CONDUCT_UNKNOWN_PEER, CONDUCT_NO_WORKER,
                first ? LOG_LEVEL_WARN : LOG_LEVEL_DEBUG,
                "%s message from an unknown peer: dropped%s", proto_type_name(m->type),
                first ? " (a worker that served an earlier master sends what it queued, then "
                        "says hello; further ones are logged at debug level)"
                      : "");
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
    c->next_heartbeat_us = now + (uint64_t)c->run.heartbeat_ms * 1000u;
    proto_msg_t m = {.type = PROTO_HEARTBEAT};
    m.u.heartbeat.run_id = c->phase == PHASE_WAITING || c->phase == PHASE_IDLE ? 0 : c->run_id;
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (w->state != WORKER_LOST) s_send(c, w, &m);
    }
}

/* Workers that would take part in the next run. */
static bool s_available(const worker_entry_t *w) {
    return w->state == WORKER_READY || w->state == WORKER_FINISHED || w->state == WORKER_REFUSED;
}

static size_t s_available_count(const conduct_t *c) {
    size_t n = 0;
    for (size_t i = 0; i < c->reg.n; i++) n += s_available(c->reg.items[i]);
    return n;
}

static void s_check_lost(conduct_t *c, uint64_t now) {
    /* Multi-run: an idle worker heartbeats too; one gone silent is not counted for a start. */
    bool idle_too = c->run.multi_run && (c->phase == PHASE_IDLE || c->phase == PHASE_WAITING);
    for (size_t i = 0; i < c->reg.n; i++) {
        worker_entry_t *w = c->reg.items[i];
        if (!(s_in_run(w) || (idle_too && s_available(w))) || now < w->last_seen_us + TIMEOUT_WORKER_LOST_MS * 1000u) continue;
        char why[64];
        snprintf(why, sizeof why, "silent for %u ms", TIMEOUT_WORKER_LOST_MS);
        s_mark_lost(c, w, why, now);
    }
}

/* The first threshold failing now, as written ("/login: p95 < 300ms"), or NULL;
 * kept until the next live tick. */
static const char *s_failing_first(conduct_t *c) {
    free(c->failing_label);
    c->failing_label = NULL;
    for (size_t i = 0; i < verdicts_count(c->verdicts) && !c->failing_label; i++) {
        const report_threshold_t *t = verdicts_get(c->verdicts, i);
        if (!t->passed) c->failing_label = thresholds_label(t);
    }
    return c->failing_label;
}

static void s_live(conduct_t *c, uint64_t now) {
    if (c->phase != PHASE_RUNNING || now < c->next_live_us) return;
    bool open = c->run.rate > 0;
    ramp_t ramp = {.start = c->run.n_stages ? 0
                            : open         ? c->run.rate
                                           : c->run.users,
                   .stages = c->run.stages,
                   .n_stages = c->run.n_stages};
    double target = ramp_value_at(&ramp, now - c->run_start_us);
    conduct_out_t *o = s_push(c, CONDUCT_LIVE, CONDUCT_NO_WORKER);
    o->live = (summary_live_t){.elapsed_s = (double)(now - c->run_start_us) / 1e6,
                               .duration_s = (double)c->run.duration_ms / 1000.0,
                               .window_s = (double)(now - c->last_live_us) / 1e6,
                               .users_target = open ? c->run.max_users : (uint32_t)(target + 0.5),
                               .open = open,
                               .rate = open ? target : 0,
                               .dropped = results_dropped(c->results),
                               .thresholds = verdicts_count(c->verdicts),
                               .thresholds_failing = verdicts_failing(c->verdicts),
                               .failing_first = s_failing_first(c)};
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        if (!s_in_run(w)) continue;
        o->live.users += w->users;
        o->live.workers++;
        if (w->health.cpu_permille > o->live.cpu_max_permille)
            o->live.cpu_max_permille = w->health.cpu_permille;
    }
    c->last_live_us = now;
    c->next_live_us = now + (uint64_t)c->run.live_ms * 1000u;
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
    c->phase = c->run.multi_run ? PHASE_ENDED : PHASE_DONE;
    s_event(c, CONDUCT_RUN_DONE, CONDUCT_NO_WORKER, LOG_LEVEL_DEBUG, "run %u done: %s", c->run_id,
            how);
}

/* Multi-run: the master ends. */
static void s_quit(conduct_t *c, const char *why) {
    s_event(c, CONDUCT_QUITTING, CONDUCT_NO_WORKER, LOG_LEVEL_INFO, "master quits: %s", why);
    c->phase = PHASE_DONE;
}

static uint64_t s_autoquit_at(const conduct_t *c) {
    if (!c->any_run_ended || c->run.autoquit_ms == CONDUCT_NO_AUTOQUIT) return UINT64_MAX;
    return c->ended_us + c->run.autoquit_ms * 1000u;
}

static bool s_autoquit_due(const conduct_t *c, uint64_t now) {
    return now >= s_autoquit_at(c);
}

static void s_advance(conduct_t *c, uint64_t now) {
    switch (c->phase) {
    case PHASE_WAITING:
        if (registry_count(&c->reg, WORKER_READY) >= c->run.expect_workers) {
            s_start_run(c, now);
        } else if (c->run.multi_run && c->signalled) {
            s_quit(c, "interrupted");
        } else if (c->run.multi_run && now >= c->phase_deadline_us) {
            s_event(c, CONDUCT_NO_WORKERS_EV, CONDUCT_NO_WORKER, LOG_LEVEL_ERROR,
                    "only %zu of %u workers joined within %.0f s: not started; start it from "
                    "the web page",
                    registry_count(&c->reg, WORKER_READY), c->run.expect_workers,
                    (double)c->run.wait_workers_ms / 1000.0);
            c->phase = PHASE_IDLE;
            c->phase_deadline_us = 0;
        } else if (now >= c->phase_deadline_us || c->signalled) {
            s_event(c, CONDUCT_NO_WORKERS_EV, CONDUCT_NO_WORKER, LOG_LEVEL_ERROR,
                    "only %zu of %u workers joined within %.0f s",
                    registry_count(&c->reg, WORKER_READY), c->run.expect_workers,
                    (double)c->run.wait_workers_ms / 1000.0);
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
    case PHASE_IDLE:
        if (c->signalled) {
            s_quit(c, "interrupted");
        } else if (s_autoquit_due(c, now)) {
            s_quit(c, "--autoquit: the time after the last run is up");
        }
        break;
    case PHASE_ENDED:
    case PHASE_DONE:
        break;
    }
}

/* Requests of row i of r that failed to connect or resolve (the workers'
 * "connect: ..." reasons), and the first such reason. */
static uint64_t s_connect_failures(const results_t *r, const results_row_t *row,
                                   const char **reason) {
    uint64_t n = 0;
    for (size_t k = 0; k < results_error_count(r); k++) {
        const results_error_t *e = results_error(r, k);
        if (strcmp(e->method, row->method) != 0 || strcmp(e->name, row->name) != 0 ||
            strncmp(e->reason, "connect:", 8) != 0)
            continue;
        if (!n) *reason = e->reason;
        n += e->count;
    }
    return n;
}

/* In a run's first seconds: the names whose every request failed to
 * connect, said at once, once ("is the target up?"); with
 * abort_if_unreachable the run stops (outcome CONDUCT_UNREACHABLE). */
static void s_check_unreachable(conduct_t *c, uint32_t closed, uint64_t now) {
    if (c->unreachable_said || closed > CONDUCT_UNREACHABLE_S) return;
    strbuf_t names;
    strbuf_init(&names);
    const char *reason = NULL;
    for (size_t i = 0; i < results_count(c->results); i++) {
        const results_row_t *row = results_row(c->results, i);
        const char *why = NULL;
        if (!row->requests || s_connect_failures(c->results, row, &why) != row->requests) continue;
        strbuf_appendf(&names, "%s%s %s (%llu)", names.len ? ", " : "", row->method, row->name,
                       (unsigned long long)row->requests);
        if (!reason) reason = why;
    }
    if (names.len) {
        c->unreachable_said = true;
        const char *host = conduct_run_host(c);
        s_event(c, CONDUCT_TARGET_UNREACHABLE, CONDUCT_NO_WORKER, LOG_LEVEL_ERROR,
                "every request of %s failed to connect (%s) — is the target up at %s?%s",
                strbuf_str(&names), reason, host ? host : "its host",
                c->run.abort_if_unreachable ? " Stopping the run (abort if unreachable)" : "");
        if (c->run.abort_if_unreachable) {
            c->outcome = CONDUCT_UNREACHABLE;
            s_stop_run(c, now);
        }
    }
    strbuf_fini(&names);
}

/* Once a second: every threshold judged on what is merged; an aborting
 * one that failed stops the run (workers drain, final reports come in, the
 * outputs are written as after any stop). */
static void s_judge(conduct_t *c, uint64_t now) {
    uint32_t closed = s_timeline_second(c, now);
    if (closed <= c->judged || c->phase != PHASE_RUNNING) return;
    c->judged = closed;
    s_check_unreachable(c, closed, now);
    if (c->phase != PHASE_RUNNING) return;
    uint64_t elapsed_ms = (now - c->stats_start_us) / 1000u;
    size_t k = verdicts_judge(c->verdicts, c->results, closed, elapsed_ms);
    if (k == VERDICTS_NO_ABORT) return;
    const report_threshold_t *t = verdicts_get(c->verdicts, k);
    free(c->aborted_by);
    c->aborted_by = thresholds_label(t);
    c->aborted_at_s = (double)(now - c->run_start_us) / 1e6;
    s_event(c, CONDUCT_THRESHOLD_ABORT, CONDUCT_NO_WORKER, LOG_LEVEL_ERROR,
            "run %u: threshold '%s' failed after %.1f s (measured %s) and has abort set: "
            "stopping the run",
            c->run_id, c->aborted_by, c->aborted_at_s, t->measured);
    s_stop_run(c, now);
}

void conduct_tick(conduct_t *c, uint64_t now) {
    if (c->phase == PHASE_DONE || c->phase == PHASE_ENDED) return;
    s_heartbeat(c, now);
    s_check_lost(c, now);
    if (c->phase == PHASE_RUNNING || c->phase == PHASE_STOPPING) {
        if (c->rebalance_due && c->phase == PHASE_RUNNING) s_rebalance(c, now);
        /* Seconds close on time, stamped with the users of that moment. */
        timeline_close_until(c->timeline, s_timeline_second(c, now), s_timeline_users(c),
                             c->stats_start_wall_ms);
        s_judge(c, now);
    }
    s_live(c, now);
    s_advance(c, now);
}

/* The run's end: its last second, outcome and missed reports, once. */
static void s_settle(conduct_t *c, uint64_t now_us) {
    c->settled = true;
    if (c->run_start_us) {
        /* Close the last, partial second too, in the windowed thresholds as well. */
        uint32_t end = s_timeline_second(c, now_us) + 1;
        timeline_close_until(c->timeline, end, s_timeline_users(c), c->stats_start_wall_ms);
        verdicts_close_until(c->verdicts, end);
    }
    bool reported = false;
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        if (c->run_id && w->last_run != c->run_id) continue; /* not in this run */
        reported |= w->reports > 0;
        if (w->reports_missed) {
            s_event(c, CONDUCT_REPORTS_MISSED, w->index, LOG_LEVEL_WARN,
                    "worker %s: %llu of its reports never arrived; their requests are missing "
                    "from the results",
                    w->worker_id, (unsigned long long)w->reports_missed);
        }
    }
    if (c->outcome == CONDUCT_OK && !reported) c->outcome = CONDUCT_FAILED;
}

void conduct_finish(conduct_t *c, uint64_t now_us) {
    if (!c->settled && (c->run_start_us || !c->run.multi_run)) s_settle(c, now_us);
    if (c->phase == PHASE_ENDED) {
        c->any_run_ended = true;
        c->ended_us = now_us;
        c->phase = PHASE_IDLE;
        c->phase_deadline_us = 0;
        if (c->signalled) s_quit(c, "interrupted");
    }
    if (c->phase == PHASE_DONE && c->run.quit_workers && !c->quit_sent) {
        c->quit_sent = true;
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

bool conduct_run_ended(const conduct_t *c) {
    return c->phase == PHASE_ENDED;
}

int conduct_outcome(const conduct_t *c) {
    return c->outcome;
}

uint64_t conduct_next_due_us(const conduct_t *c) {
    uint64_t next = c->next_heartbeat_us;
    if (c->phase_deadline_us && c->phase_deadline_us < next) next = c->phase_deadline_us;
    if (c->phase == PHASE_RUNNING && c->next_live_us < next) next = c->next_live_us;
    if (c->phase == PHASE_IDLE && s_autoquit_at(c) < next) next = s_autoquit_at(c);
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

/* Seconds from the RUN (or the last reset) to the STOP (to now_us while
 * running; 0 before). */
static double s_run_seconds(const conduct_t *c, uint64_t now_us) {
    if (!c->run_start_us) return 0;
    uint64_t end = c->run_stop_us ? c->run_stop_us : now_us;
    return end > c->stats_start_us ? (double)(end - c->stats_start_us) / 1e6 : 0;
}

/* The workers of the run: all but those lost before it. */
static void s_add_workers(const conduct_t *c, report_t *r) {
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        if (w->state == WORKER_LOST && w->last_run != c->run_id) continue;
        report_worker_t rw = {.id = w->worker_id,
                              .hostname = w->hostname,
                              .pid = w->pid,
                              .users = w->assigned,
                              .reports = w->reports,
                              .state = (char *)registry_state_name(w->state),
                              .lost_at_ms = w->lost_at_ms,
                              .cpu_permille = w->health.cpu_permille,
                              .cpu_max_permille = w->cpu_max_permille,
                              .rss_kib = w->health.rss_kib,
                              .rss_max_kib = w->rss_max_kib,
                              .connections = w->health.connections,
                              .lag_max_us = w->lag_max_us};
        report_add_worker(r, &rw);
    }
}

/* The run's saturation episodes; one still going on ends at the run's stop
 * (or now). */
static void s_add_saturations(const conduct_t *c, report_t *r, uint64_t now_us) {
    for (size_t i = 0; i < c->n_saturations; i++) report_add_saturation(r, &c->saturations[i]);
    uint64_t end = c->run_stop_us ? c->run_stop_us : now_us;
    for (size_t i = 0; i < c->reg.n; i++) {
        const worker_entry_t *w = c->reg.items[i];
        if (!w->saturation.open || w->last_run != c->run_id) continue;
        report_saturation_t s = s_episode(c, w, end);
        report_add_saturation(r, &s);
    }
}

static void s_fill_run(const conduct_t *c, report_t *r, uint64_t now_us) {
    s_add_workers(c, r);
    s_add_saturations(c, r, now_us);
    r->run_seconds = s_run_seconds(c, now_us);
    r->interrupted = c->interrupted;
    r->started_ms = c->stats_start_wall_ms;
    r->ended_ms = c->run_stop_wall_ms;
}

void conduct_fill_report(conduct_t *c, report_t *r, uint64_t now_us) {
    results_destroy(&r->results);
    timeline_destroy(&r->timeline);
    r->results = c->results;
    r->timeline = c->timeline;
    c->results = results_new();
    c->timeline = timeline_new();
    s_fill_run(c, r, now_us);
}

static void s_set(char **field, const char *value) {
    free(*field);
    *field = value ? xstrdup(value) : NULL;
}

const char *conduct_run_host(const conduct_t *c) {
    return c->run.host ? c->run.host : c->run.scenario->host;
}

void conduct_fill_meta(const conduct_t *c, report_t *r) {
    const conduct_opts_t *o = &c->run;
    s_set(&r->barrage_version, BARRAGE_VERSION);
    s_set(&r->scenario_name, o->scenario->name);
    s_set(&r->scenario_file, o->scenario_name);
    s_set(&r->scenario_sha256, o->scenario_sha256);
    s_set(&r->host, conduct_run_host(c));
    s_set(&r->mode, o->rate > 0 ? "open" : "closed");
    r->users = o->users;
    r->spawn_rate = o->spawn_rate;
    r->duration_ms = o->duration_ms;
    r->rate = o->rate;
    r->max_users = o->max_users;
    free(r->stages);
    r->stages = loadplan_stages_text(o->stages, o->n_stages);
}

void conduct_keep_report(conduct_t *c, report_t **r) {
    report_destroy(&c->last);
    c->last = *r;
    *r = NULL;
}

report_t *conduct_copy_report(const conduct_t *c, uint64_t now_us) {
    if (c->phase != PHASE_RUNNING && c->phase != PHASE_STOPPING && c->phase != PHASE_ENDED) {
        return c->last ? report_clone(c->last) : NULL;
    }
    report_t *r = report_new();
    results_destroy(&r->results);
    timeline_destroy(&r->timeline);
    r->results = results_clone(c->results);
    r->timeline = timeline_clone(c->timeline);
    conduct_fill_meta(c, r);
    s_fill_run(c, r, now_us);
    /* While running, the thresholds' current verdicts. */
    for (size_t i = 0; i < verdicts_count(c->verdicts); i++)
        report_add_threshold(r, verdicts_get(c->verdicts, i));
    return r;
}

void conduct_judge(const conduct_t *c, report_t *r) {
    thresholds_evaluate(r, c->run.checks, c->run.n_checks, verdicts_window(c->verdicts));
    free(r->aborted_by);
    r->aborted_by = c->aborted_by ? xstrdup(c->aborted_by) : NULL;
    r->aborted_at_s = c->aborted_at_s;
}

/* --- commands (the web's SWARM, STOP, RESET) --- */

static void s_refuse(conduct_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_refuse(conduct_t *c, const char *fmt, ...) {
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    s_event(c, CONDUCT_COMMAND_REFUSED, CONDUCT_NO_WORKER, LOG_LEVEL_WARN, "%s", text);
}

/* The plan's run fields (what a reloaded scenario changes) into *o. */
static void s_take_plan(conduct_opts_t *o, const conduct_opts_t *plan) {
    o->scenario = plan->scenario;
    o->scenario_name = plan->scenario_name;
    o->scenario_text = plan->scenario_text;
    o->scenario_bytes = plan->scenario_bytes;
    o->scenario_sha256 = plan->scenario_sha256;
    o->files = plan->files;
    o->n_files = plan->n_files;
    o->host = plan->host;
    o->users = plan->users;
    o->spawn_rate = plan->spawn_rate;
    o->duration_ms = plan->duration_ms;
    o->rate = plan->rate;
    o->max_users = plan->max_users;
    o->stages = plan->stages;
    o->n_stages = plan->n_stages;
    o->checks = plan->checks;
    o->n_checks = plan->n_checks;
    o->abort_if_unreachable = plan->abort_if_unreachable;
}

/* Applies a start's users, spawn rate and run time to run; -1 (refused,
 * said) when the run could not start with them on n workers. */
static int s_override(conduct_t *c, const conduct_swarm_t *s, conduct_opts_t *run, size_t n) {
    if (n == 0) {
        s_refuse(c, "start refused: no worker has joined yet");
        return -1;
    }
    if (run->rate > 0) {
        if (s->spawn_rate > 0) {
            run->rate = s->spawn_rate;
            run->stages = NULL;
            run->n_stages = 0;
        }
        if (s->users) run->max_users = s->users;
        if (run->max_users < n) {
            s_refuse(c, "start refused: max_users %u is below the %zu workers: each needs one",
                     run->max_users, n);
            return -1;
        }
    } else {
        if (s->users == 0) {
            s_refuse(c, "start refused: the number of users must be at least 1");
            return -1;
        }
        run->users = s->users;
        run->spawn_rate = s->spawn_rate > 0 ? s->spawn_rate : 0;
        run->stages = NULL;
        run->n_stages = 0;
    }
    if (s->run_time_ms) run->duration_ms = s->run_time_ms;
    return 0;
}

static conduct_swarm_rc_t s_swarm_start(conduct_t *c, const conduct_swarm_t *s, uint64_t now) {
    conduct_opts_t base = c->base;
    if (s->plan) s_take_plan(&base, s->plan);
    conduct_opts_t run = base;
    if (s_override(c, s, &run, s_available_count(c)) != 0) return CONDUCT_SWARM_REFUSED;
    free(c->swarm_host);
    c->swarm_host = s->host ? xstrdup(s->host) : NULL;
    if (c->swarm_host) run.host = c->swarm_host;
    c->base = base;
    c->run = run;
    s_start_run(c, now);
    return CONDUCT_SWARM_STARTED;
}

/* Lowers cur (n rows of k classes) until no class holds more than
 * per_class: each user too many is taken from a worker holding the most of
 * that class, so the rows stay as level as they were. */
static void s_trim(uint32_t *cur, const uint32_t *per_class, size_t k, uint32_t n) {
    for (size_t cl = 0; cl < k; cl++) {
        uint64_t total = 0;
        for (uint32_t j = 0; j < n; j++) total += cur[j * k + cl];
        while (total > per_class[cl]) {
            uint32_t top = 0;
            for (uint32_t j = 0; j < n; j++)
                if (cur[j * k + cl] > top) top = cur[j * k + cl];
            for (uint32_t j = 0; j < n && total > per_class[cl]; j++) {
                if (cur[j * k + cl] == top) {
                    cur[j * k + cl]--;
                    total--;
                }
            }
        }
    }
}

/* The running workers, in joining order, into a new array (caller frees). */
static worker_entry_t **s_running(const conduct_t *c, uint32_t *n) {
    worker_entry_t **ws = xcalloc(c->reg.n ? c->reg.n : 1, sizeof *ws);
    *n = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        if (c->reg.items[i]->state == WORKER_RUNNING) ws[(*n)++] = c->reg.items[i];
    }
    return ws;
}

/* The closed model's edit: per_class from the new users, each running
 * worker from its share to its new one (trimmed, then levelled by
 * rebalance_plan), at the new spawn rate shared by moves. */
static void s_edit_closed(conduct_t *c, uint32_t users, double spawn_rate, worker_entry_t **ws,
                          uint32_t n, uint64_t now) {
    const scenario_t *sc = c->run.scenario;
    size_t k = sc->n_classes;
    uint32_t *weights = xcalloc(k + 1, sizeof *weights);
    for (size_t i = 0; i < k; i++) weights[i] = sc->classes[i].weight;
    uint32_t *per_class = xcalloc(k + 1, sizeof *per_class);
    split_classes(users, weights, k, per_class);
    uint32_t *cur = xcalloc((size_t)n * k + 1, sizeof *cur);
    uint32_t *trimmed = xcalloc((size_t)n * k + 1, sizeof *trimmed);
    uint32_t *out = xcalloc((size_t)n * k + 1, sizeof *out);
    for (uint32_t j = 0; j < n; j++) {
        if (ws[j]->class_users) memcpy(&cur[j * k], ws[j]->class_users, k * sizeof *cur);
    }
    memcpy(trimmed, cur, (size_t)n * k * sizeof *cur);
    s_trim(trimmed, per_class, k, n);
    rebalance_plan(per_class, k, trimmed, n, out); /* trimmed fits per_class: cannot fail */
    uint32_t total_moves = 0;
    for (uint32_t j = 0; j < n; j++) total_moves += rebalance_moves(&cur[j * k], &out[j * k], k);
    for (uint32_t j = 0; j < n; j++) {
        uint32_t moves = rebalance_moves(&cur[j * k], &out[j * k], k);
        uint32_t starts = rebalance_starts(&cur[j * k], &out[j * k], k);
        double rate = rebalance_rate(spawn_rate, moves, total_moves);
        uint64_t first = c->next_user_id;
        c->next_user_id += starts;
        if (moves) s_send_users(c, ws[j], &out[j * k], first, starts, rate);
    }
    free(c->per_class);
    c->per_class = per_class;
    c->run.users = users;
    c->run.spawn_rate = spawn_rate;
    c->spawn_until_us = s_spawn_until(c, total_moves, spawn_rate, now);
    s_event(c, CONDUCT_EDITED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
            "run %u edited: %u users on %u workers (%u started or retired at %g/s)", c->run_id,
            users, n, total_moves, spawn_rate);
    free(weights);
    free(cur);
    free(trimmed);
    free(out);
}

static conduct_swarm_rc_t s_swarm_edit(conduct_t *c, const conduct_swarm_t *s, uint64_t now) {
    bool open = c->run.rate > 0;
    if (c->run.n_stages) {
        s_refuse(c, "edit refused: run %u follows stages (a ramp of %s): stop it and start a "
                    "new run",
                 c->run_id, open ? "the rate" : "users");
        return CONDUCT_SWARM_REFUSED;
    }
    uint32_t n;
    worker_entry_t **ws = s_running(c, &n);
    conduct_swarm_rc_t rc = CONDUCT_SWARM_EDITED;
    if (n == 0) {
        s_refuse(c, "edit refused: no worker runs run %u", c->run_id);
        rc = CONDUCT_SWARM_REFUSED;
    } else if (!open && s->users == 0) {
        s_refuse(c, "edit refused: the number of users must be at least 1");
        rc = CONDUCT_SWARM_REFUSED;
    } else if (open && s->users && s->users < n) {
        s_refuse(c, "edit refused: max_users %u is below the %u workers: each needs one",
                 s->users, n);
        rc = CONDUCT_SWARM_REFUSED;
    } else if (!open) {
        s_edit_closed(c, s->users, s->spawn_rate > 0 ? s->spawn_rate : 0, ws, n, now);
    } else {
        if (s->spawn_rate > 0) c->run.rate = s->spawn_rate;
        if (s->users) c->run.max_users = s->users;
        s_rebalance_open(c, ws, n, now);
        s_event(c, CONDUCT_EDITED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
                "run %u edited: %g iterations/s, max_users %u, on %u workers", c->run_id,
                c->run.rate, c->run.max_users, n);
    }
    free(ws);
    return rc;
}

conduct_swarm_rc_t conduct_on_swarm(conduct_t *c, const conduct_swarm_t *s, uint64_t now_us) {
    switch (c->phase) {
    case PHASE_RUNNING:
        return s_swarm_edit(c, s, now_us);
    case PHASE_STOPPING:
    case PHASE_ENDED:
        s_refuse(c, "start refused: run %u is still stopping (waiting for its final reports, at "
                    "most %u ms): start again once it has stopped",
                 c->run_id, TIMEOUT_FINAL_WAIT_MS);
        return CONDUCT_SWARM_REFUSED;
    case PHASE_DONE:
        s_refuse(c, "start refused: the master is quitting");
        return CONDUCT_SWARM_REFUSED;
    case PHASE_WAITING:
    case PHASE_IDLE:
        break;
    }
    return s_swarm_start(c, s, now_us);
}

void conduct_on_stop(conduct_t *c, uint64_t now_us) {
    if (c->phase != PHASE_RUNNING) {
        s_refuse(c, "stop refused: no run is running");
        return;
    }
    s_event(c, CONDUCT_RUN_STOPPED, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
            "run %u: stop asked after %.1f s", c->run_id,
            (double)(now_us - c->run_start_us) / 1e6);
    s_stop_run(c, now_us);
}

void conduct_on_reset(conduct_t *c, uint64_t now_us) {
    if (c->phase != PHASE_RUNNING && c->phase != PHASE_STOPPING) {
        s_refuse(c, "reset refused: no run is in flight");
        return;
    }
    results_reset(c->results);
    timeline_destroy(&c->timeline);
    c->timeline = timeline_new();
    s_new_verdicts(c);
    c->stats_start_us = now_us;
    c->stats_start_wall_ms = s_wall_ms(c, now_us);
    s_event(c, CONDUCT_STATS_RESET, CONDUCT_NO_WORKER, LOG_LEVEL_INFO,
            "run %u: stats reset after %.1f s; the workers go on", c->run_id,
            (double)(now_us - c->run_start_us) / 1e6);
}

/* --- the state, for the web's snapshot --- */

bool conduct_idle(const conduct_t *c) {
    return c->phase == PHASE_WAITING || c->phase == PHASE_IDLE;
}

conduct_state_t conduct_state(const conduct_t *c, uint64_t now_us) {
    switch (c->phase) {
    case PHASE_RUNNING:
        return now_us < c->spawn_until_us ? CONDUCT_SPAWNING : CONDUCT_RUNNING;
    case PHASE_STOPPING:
    case PHASE_ENDED:
        return CONDUCT_STOPPING;
    case PHASE_WAITING:
    case PHASE_IDLE:
    case PHASE_DONE:
        break;
    }
    return c->any_run_ended || c->settled ? CONDUCT_STOPPED : CONDUCT_READY;
}

uint32_t conduct_user_count(const conduct_t *c) {
    if (c->phase != PHASE_RUNNING && c->phase != PHASE_STOPPING) return 0;
    uint32_t users = 0;
    for (size_t i = 0; i < c->reg.n; i++) {
        if (s_in_run(c->reg.items[i])) users += c->reg.items[i]->users;
    }
    return users;
}

uint32_t conduct_worker_count(const conduct_t *c) {
    if (c->phase == PHASE_RUNNING || c->phase == PHASE_STOPPING) {
        return (uint32_t)s_in_run_count(c);
    }
    return (uint32_t)s_available_count(c);
}

uint32_t conduct_stats_second(const conduct_t *c, uint64_t now_us) {
    return c->run_start_us ? s_timeline_second(c, now_us) : 0;
}
