/* enginecore: the engine's run-level and per-user decisions, pure (see enginecore.h). */
#include "worker/enginecore.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "load/schedule.h"
#include "proto/timeouts.h"

static void s_ramp_init(enginecore_t *c, const proto_run_t *spec) {
    c->stages = xcalloc(spec->n_stages, sizeof *c->stages);
    memcpy(c->stages, spec->stages, spec->n_stages * sizeof *c->stages);
    c->ramp = (ramp_t){.start = 0, .stages = c->stages, .n_stages = spec->n_stages};
    c->ramp_users = xcalloc(c->n_classes ? c->n_classes : 1, sizeof *c->ramp_users);
    for (uint32_t k = 0; k < c->n_classes; k++)
        c->ramp_peak += c->target[k];
    c->next_ramp_us = c->start_us;
}

void enginecore_init(enginecore_t *c, const proto_run_t *spec, uint64_t now_us) {
    uint32_t n = spec->n_classes;
    *c = (enginecore_t){.state = ENGINECORE_RUNNING,
                        .n_classes = n,
                        .target = xcalloc(n ? n : 1, sizeof *c->target),
                        .active = xcalloc(n ? n : 1, sizeof *c->active),
                        .start_us = now_us,
                        .self_stop_us = ENGINECORE_NEVER,
                        .next_ramp_us = ENGINECORE_NEVER};
    if (n) memcpy(c->target, spec->users_per_class, n * sizeof *c->target);
    moves_init(&c->moves, n);
    uint32_t every_ms = spec->report_interval_ms ? spec->report_interval_ms : TIMEOUT_REPORT_MS;
    c->report_every_us = (uint64_t)every_ms * 1000u;
    c->next_report_us = now_us + c->report_every_us;
    if (spec->duration_ms) {
        c->self_stop_us = now_us + (spec->duration_ms + TIMEOUT_SELF_STOP_GRACE_MS) * 1000u;
    }
    if (spec->arrival_rate > 0) return; /* open model: arrivals, not moves */
    if (spec->n_stages > 0) {
        s_ramp_init(c, spec);
    } else {
        moves_plan(&c->moves, c->active, c->target, spec->spawn_rate, now_us);
    }
}

void enginecore_fini(enginecore_t *c) {
    free(c->target);
    free(c->active);
    free(c->stages);
    free(c->ramp_users);
    moves_fini(&c->moves);
    *c = (enginecore_t){0};
}

/* The ramp's users at now, scaled to the current share; the moves to get there at once. */
static void s_ramp_tick(enginecore_t *c, uint64_t now_us) {
    uint64_t t = now_us - c->start_us;
    uint32_t peak = 0;
    for (uint32_t k = 0; k < c->n_classes; k++)
        peak += c->target[k];
    /* After a rebalance the ramp keeps its shape at the new share. */
    double scale = c->ramp_peak ? (double)peak / c->ramp_peak : 1.0;
    double want = ramp_value_at(&c->ramp, t) * scale + 0.5;
    uint32_t total = want < peak ? (uint32_t)want : peak;
    schedule_split_users(total, c->target, c->n_classes, c->ramp_users);
    moves_plan(&c->moves, c->active, c->ramp_users, 0, now_us);
    c->next_ramp_us =
        t < ramp_total_us(&c->ramp) ? now_us + ENGINECORE_RAMP_TICK_US : ENGINECORE_NEVER;
}

static enginecore_out_t s_final(enginecore_t *c, unsigned actions) {
    c->state = ENGINECORE_DONE;
    return (enginecore_out_t){.actions = actions | ENGINECORE_SEND_FINAL};
}

void enginecore_set_on_stop(enginecore_t *c, bool on_stop) {
    c->on_stop = on_stop;
}

enginecore_out_t enginecore_on_stop(enginecore_t *c, uint64_t now_us, uint32_t in_flight) {
    if (c->state != ENGINECORE_RUNNING) return (enginecore_out_t){0};
    c->state = ENGINECORE_DRAINING;
    if (c->on_stop) { /* FINAL once the on_stop requests are done too */
        c->drain_until_us = now_us + TIMEOUT_DRAIN_MS * 1000ull;
        return (enginecore_out_t){.actions = ENGINECORE_STOP_STARTING | ENGINECORE_START_ON_STOP};
    }
    if (in_flight == 0) return s_final(c, ENGINECORE_STOP_STARTING);
    c->drain_until_us = now_us + TIMEOUT_DRAIN_MS * 1000ull;
    return (enginecore_out_t){.actions = ENGINECORE_STOP_STARTING};
}

enginecore_out_t enginecore_on_request_done(enginecore_t *c, uint32_t in_flight) {
    if (c->state == ENGINECORE_DRAINING && in_flight == 0) return s_final(c, 0);
    return (enginecore_out_t){0};
}

enginecore_out_t enginecore_on_time(enginecore_t *c, uint64_t now_us, uint32_t in_flight) {
    enginecore_out_t out = {0};
    if (c->state == ENGINECORE_DONE) return out;
    if (now_us >= c->next_report_us) {
        out.actions |= ENGINECORE_SEND_STATS;
        /* One report however late the call; the next on the original grid. */
        while (c->next_report_us <= now_us)
            c->next_report_us += c->report_every_us;
    }
    if (c->state == ENGINECORE_RUNNING && now_us >= c->self_stop_us) {
        enginecore_out_t stop = enginecore_on_stop(c, now_us, in_flight);
        out.actions |= stop.actions;
        out.self_stop = true;
        return out;
    }
    if (c->state == ENGINECORE_DRAINING) {
        if (now_us >= c->drain_until_us) {
            out = s_final(c, out.actions | (in_flight ? ENGINECORE_ABORT_IN_FLIGHT : 0));
        }
        return out;
    }
    if (c->stages && now_us >= c->next_ramp_us) s_ramp_tick(c, now_us);
    if (moves_due(&c->moves, now_us) > 0) out.actions |= ENGINECORE_MOVE_USERS;
    return out;
}

static uint64_t s_min(uint64_t a, uint64_t b) {
    return a < b ? a : b;
}

uint64_t enginecore_next_us(const enginecore_t *c) {
    switch (c->state) {
    case ENGINECORE_RUNNING: {
        uint64_t next = s_min(c->next_report_us, c->self_stop_us);
        next = s_min(next, c->next_ramp_us);
        return s_min(next, moves_next_at(&c->moves));
    }
    case ENGINECORE_DRAINING:
        return s_min(c->next_report_us, c->drain_until_us);
    case ENGINECORE_DONE:
    default:
        return ENGINECORE_NEVER;
    }
}

int enginecore_set_users(enginecore_t *c, const proto_users_t *spec, uint64_t now_us) {
    if (spec->n_classes != c->n_classes) return -1;
    if (c->state != ENGINECORE_RUNNING) return 0;
    if (c->n_classes) memcpy(c->target, spec->users_per_class, c->n_classes * sizeof *c->target);
    moves_plan(&c->moves, c->active, c->target, spec->spawn_rate, now_us);
    if (c->stages) s_ramp_tick(c, now_us); /* the ramp, at the new share, from now */
    return 0;
}

int enginecore_take_move(enginecore_t *c, uint64_t now_us, uint32_t *cls) {
    if (c->state != ENGINECORE_RUNNING || moves_due(&c->moves, now_us) == 0) return 0;
    return moves_next(&c->moves, cls);
}

void enginecore_user_started(enginecore_t *c, uint32_t cls) {
    if (cls >= c->n_classes) return;
    c->active[cls]++;
    c->n_active++;
}

void enginecore_user_retired(enginecore_t *c, uint32_t cls) {
    if (cls >= c->n_classes || c->active[cls] == 0) return;
    c->active[cls]--;
    c->n_active--;
}

uint32_t enginecore_users(const enginecore_t *c) {
    return c->state == ENGINECORE_RUNNING ? c->n_active : 0;
}

enginecore_after_t enginecore_after_request(const enginecore_user_t *u, uint64_t now_us,
                                            uint64_t think_until_us) {
    if (u->in_on_stop) { /* its last requests: step by step, until one fails */
        if (!u->not_sent && !u->task_failed && u->step + 1 < u->n_steps)
            return (enginecore_after_t){.next = ENGINECORE_NEXT_STEP};
        return (enginecore_after_t){.next = u->retiring ? ENGINECORE_RELEASE : ENGINECORE_STAY};
    }
    if (u->retiring)
        return (enginecore_after_t){.next = u->has_on_stop ? ENGINECORE_ON_STOP : ENGINECORE_RELEASE};
    if (!u->running)
        return (enginecore_after_t){.next = u->has_on_stop ? ENGINECORE_ON_STOP : ENGINECORE_STAY};
    bool failed_start = u->on_start && (u->task_failed || u->not_sent);
    /* A failed on_start step ends the attempt: no tasks without its token. */
    if (!u->not_sent && !failed_start && u->step + 1 < u->n_steps) {
        return (enginecore_after_t){.next = ENGINECORE_NEXT_STEP};
    }
    bool on_start_ok = u->on_start && !failed_start;
    /* An open-model iteration ends with its task; a successful on_start
     * goes straight on to the iteration's task. */
    if (u->open_model && !on_start_ok)
        return (enginecore_after_t){.next = ENGINECORE_END_ITERATION};
    uint64_t until = on_start_ok ? now_us : think_until_us;
    if (failed_start || u->not_sent) {
        if (until < now_us + ENGINECORE_RETRY_MIN_US) until = now_us + ENGINECORE_RETRY_MIN_US;
    }
    if (until <= now_us) {
        return (enginecore_after_t){.next = ENGINECORE_NEXT_TASK, .on_start_ok = on_start_ok};
    }
    return (enginecore_after_t){.next = ENGINECORE_SLEEP, .wake_us = until};
}
