/* arrival: the open model's timer-driven iteration starts, slot pools and drops. */
#include "worker/arrival.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "load/schedule.h"

/* A class's free slots, a stack: the slot freed last (warm connection) goes first. */
typedef struct {
    void **items;
    uint32_t n, cap;
} s_pool_t;

struct arrival {
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
};

uint64_t arrival_next_us(const arrival_t *a) {
    if (a->stopped) return ARRIVAL_NEVER;
    uint64_t at = schedule_at(&a->sched, a->next_k);
    if (at == RAMP_NEVER) return ARRIVAL_NEVER;
    uint64_t when = a->start_us + at;
    if (a->end_us && when >= a->end_us) return ARRIVAL_NEVER;
    return when;
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

uint32_t arrival_run_due(arrival_t *a, uint64_t now_us) {
    uint32_t n = 0;
    /* Everything due by now, late ones included (each keeps its intended
     * time); a hook may stop the arrivals. */
    for (uint64_t when = arrival_next_us(a); when <= now_us; when = arrival_next_us(a)) {
        a->next_k++;
        s_dispatch(a, when);
        n++;
    }
    return n;
}

arrival_t *arrival_new(const arrival_spec_t *spec, arrival_hooks_t hooks) {
    arrival_t *a = xcalloc(1, sizeof *a);
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
    return a;
}

void arrival_destroy(arrival_t **ap) {
    if (!ap || !*ap) return;
    arrival_t *a = *ap;
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
}

void arrival_rescale(arrival_t *a, double factor, uint32_t max_slots, uint64_t now_us) {
    schedule_rescale(&a->sched, now_us > a->start_us ? now_us - a->start_us : 0, factor);
    a->max_slots = max_slots ? max_slots : 1;
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
