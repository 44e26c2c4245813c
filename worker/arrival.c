/* arrival: the open model's timer-driven iteration starts, slot pools and drops. */
#include "worker/arrival.h"

#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/xmalloc.h"
#include "load/schedule.h"

/* A class's free slots, a stack: the slot freed last (warm connection) goes first. */
typedef struct {
    void **items;
    uint32_t n, cap;
} s_pool_t;

struct arrival {
    loop_t *loop;
    arrival_hooks_t hooks;
    ramp_stage_t *stages;
    schedule_t sched;
    schedule_mix_t mix;
    s_pool_t *pools; /* per class */
    size_t n_classes;
    uint64_t start_us, end_us;
    uint64_t next_k; /* the next arrival's index */
    uint32_t max_slots, n_slots, busy;
    uint64_t started, dropped;
    bool stopped;
    loop_timer_t timer;
};

static void s_arm(arrival_t *a) {
    if (a->stopped) return;
    uint64_t at = schedule_at(&a->sched, a->next_k);
    if (at == RAMP_NEVER) return;
    uint64_t when = a->start_us + at;
    if (a->end_us && when >= a->end_us) return;
    loop_timer_start(a->loop, &a->timer, when);
}

/* One arrival due at intended_us: a free slot, a new one, or a drop. */
static void s_dispatch(arrival_t *a, uint64_t intended_us) {
    uint32_t cls = schedule_mix_next(&a->mix);
    s_pool_t *pool = &a->pools[cls];
    void *slot = NULL;
    if (pool->n > 0) {
        slot = pool->items[--pool->n];
    } else if (a->n_slots < a->max_slots) {
        slot = a->hooks.create(a->hooks.arg, cls);
        if (slot) a->n_slots++;
    }
    if (!slot) {
        a->dropped++;
        return;
    }
    a->busy++;
    a->started++;
    a->hooks.run(a->hooks.arg, slot, intended_us);
}

static void s_on_timer(loop_t *loop, void *arg) {
    (void)loop;
    arrival_t *a = arg;
    uint64_t now = clock_now_us();
    /* Everything due by now, late ones included (each keeps its intended time). */
    while (!a->stopped) {
        uint64_t at = schedule_at(&a->sched, a->next_k);
        if (at == RAMP_NEVER || a->start_us + at > now) break;
        if (a->end_us && a->start_us + at >= a->end_us) break;
        a->next_k++;
        s_dispatch(a, a->start_us + at);
    }
    s_arm(a);
}

arrival_t *arrival_new(loop_t *loop, const arrival_spec_t *spec, arrival_hooks_t hooks) {
    arrival_t *a = xcalloc(1, sizeof *a);
    a->loop = loop;
    a->hooks = hooks;
    size_t n = spec->ramp.n_stages;
    a->stages = xcalloc(n ? n : 1, sizeof *a->stages);
    if (n) memcpy(a->stages, spec->ramp.stages, n * sizeof *a->stages);
    ramp_t ramp = {.start = spec->ramp.start, .stages = a->stages, .n_stages = n};
    schedule_init(&a->sched, &ramp, spec->phase);
    schedule_mix_init(&a->mix, spec->weights, spec->n_classes);
    a->n_classes = spec->n_classes;
    a->pools = xcalloc(spec->n_classes ? spec->n_classes : 1, sizeof *a->pools);
    a->start_us = spec->start_us;
    a->end_us = spec->end_us;
    a->max_slots = spec->max_slots ? spec->max_slots : 1;
    loop_timer_init(&a->timer, s_on_timer, a);
    s_arm(a);
    return a;
}

void arrival_destroy(arrival_t **ap) {
    if (!ap || !*ap) return;
    arrival_t *a = *ap;
    loop_timer_stop(a->loop, &a->timer);
    for (size_t c = 0; c < a->n_classes; c++)
        free(a->pools[c].items);
    free(a->pools);
    schedule_mix_fini(&a->mix);
    free(a->stages);
    free(a);
    *ap = NULL;
}

void arrival_release(arrival_t *a, uint32_t cls, void *slot) {
    if (cls >= a->n_classes) return;
    s_pool_t *pool = &a->pools[cls];
    if (pool->n == pool->cap) {
        pool->cap = pool->cap ? pool->cap * 2 : 16;
        pool->items = xrealloc(pool->items, pool->cap * sizeof *pool->items);
    }
    pool->items[pool->n++] = slot;
    if (a->busy) a->busy--;
}

void arrival_stop(arrival_t *a) {
    a->stopped = true;
    loop_timer_stop(a->loop, &a->timer);
}

void arrival_rescale(arrival_t *a, double factor, uint32_t max_slots) {
    uint64_t now = clock_now_us();
    schedule_rescale(&a->sched, now > a->start_us ? now - a->start_us : 0, factor);
    a->max_slots = max_slots ? max_slots : 1;
    loop_timer_stop(a->loop, &a->timer);
    s_arm(a);
}

uint32_t arrival_busy(const arrival_t *a) {
    return a->busy;
}

uint32_t arrival_slots(const arrival_t *a) {
    return a->n_slots;
}

uint64_t arrival_started(const arrival_t *a) {
    return a->started;
}

uint64_t arrival_take_dropped(arrival_t *a) {
    uint64_t n = a->dropped;
    a->dropped = 0;
    return n;
}
