/* arrival: the open model on one worker — starts iterations at the times its
 * schedule says, whatever the latency. Each arrival picks a user class by
 * weight and goes to a free slot of that class (a virtual user kept between
 * iterations, with its variables and captures), or to a new slot while fewer
 * than max_slots exist; otherwise it is dropped and counted. The iteration's
 * latency is measured from the arrival's intended time (its place in the
 * schedule), not from when a slot got to it: a stalled target or a late
 * timer shows up in the percentiles (coordinated omission).
 *
 * No clock and no timer of its own: the owner calls arrival_run_due at
 * arrival_next_us (worker/engine.c does, from its loop timer), runs the
 * iterations through the hooks and hands each slot back with arrival_release. */
#ifndef BARRAGE_WORKER_ARRIVAL_H
#define BARRAGE_WORKER_ARRIVAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/ramp.h"

typedef struct arrival arrival_t;

typedef struct {
    /* A new slot of class cls, or NULL if none can be made (the arrival is dropped). */
    void *(*create)(void *arg, uint32_t cls);
    /* Starts one iteration on slot, due at intended_us (CLOCK_MONOTONIC µs).
     * The slot is busy until arrival_release. */
    void (*run)(void *arg, void *slot, uint64_t intended_us);
    void *arg;
} arrival_hooks_t;

typedef struct {
    ramp_t ramp;             /* this worker's iterations/s over time (stages copied) */
    double phase;            /* 0 <= phase < 1: worker index / worker count */
    uint64_t start_us;       /* the ramp's origin (CLOCK_MONOTONIC) */
    uint64_t end_us;         /* no arrival at or after it; 0 = no end */
    uint32_t max_slots;      /* cap on slots, all classes together (>= 1) */
    const uint32_t *weights; /* per user class (copied) */
    size_t n_classes;
} arrival_spec_t;

/* arrival_next_us when no arrival is left (stopped, past end_us, or a rate of 0 for good). */
#define ARRIVAL_NEVER UINT64_MAX

/* Schedules arrivals from spec->start_us. Never NULL. */
arrival_t *arrival_new(const arrival_spec_t *spec, arrival_hooks_t hooks);
/* Frees *a (NULL allowed; the slots are the owner's); sets *a = NULL. */
void arrival_destroy(arrival_t **a);

/* Dispatches every arrival due by now_us, late ones included, each with its
 * intended time: to a free slot of its class, a new slot, or dropped. Hooks
 * run from here. Returns the number of arrivals dispatched or dropped. */
uint32_t arrival_run_due(arrival_t *a, uint64_t now_us);
/* When the next arrival is due, or ARRIVAL_NEVER. */
uint64_t arrival_next_us(const arrival_t *a);

/* Slot (of class cls) finished its iteration and is free again. */
void arrival_release(arrival_t *a, uint32_t cls, void *slot);
/* No arrival from now on (a run's stop). */
void arrival_stop(arrival_t *a);
/* From now_us on the rate is factor times what it was and at most max_slots
 * slots are used (existing ones stay); e.g. a new share after a rebalance. */
void arrival_rescale(arrival_t *a, double factor, uint32_t max_slots, uint64_t now_us);

/* Slots running an iteration now. */
uint32_t arrival_busy(const arrival_t *a);
/* Slots created so far. */
uint32_t arrival_slots(const arrival_t *a);
/* Iterations started so far. */
uint64_t arrival_started(const arrival_t *a);
/* Arrivals dropped since the previous call (max_slots reached). */
uint64_t arrival_take_dropped(arrival_t *a);

#endif
