/* test_arrival: the open model's iteration starts with made-up times, no
 * loop and no clock — due arrivals at a rate, late ones with their intended
 * times, slot reuse, the cap and its drops, rescale and stop (worker/arrival.h). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "worker/arrival.h"

#define T0 5000000000ull /* any origin */

#define MAX_SLOTS 64

/* The owner's side: slots are small records; iterations end at once or never. */
typedef struct {
    arrival_t *a;
    int slots[MAX_SLOTS];
    uint32_t slot_class[MAX_SLOTS];
    int n_slots;
    int runs, runs_per_class[2];
    bool release_at_once;
    uint64_t latest_late_us; /* the largest (now - intended) seen */
    uint64_t first_intended_us, last_intended_us;
} owner_t;

static void *s_create(void *arg, uint32_t cls) {
    owner_t *o = arg;
    if (o->n_slots == MAX_SLOTS) return NULL;
    o->slot_class[o->n_slots] = cls;
    return &o->slots[o->n_slots++];
}

static uint64_t s_now; /* the time the test hands to arrival_run_due */

static void s_run(void *arg, void *slot, uint64_t intended_us) {
    owner_t *o = arg;
    uint64_t now = s_now;
    cr_assert_geq(now, intended_us, "an arrival ran before its time");
    if (now - intended_us > o->latest_late_us) o->latest_late_us = now - intended_us;
    if (!o->runs) o->first_intended_us = intended_us;
    o->last_intended_us = intended_us;
    o->runs++;
    uint32_t cls = o->slot_class[(int *)slot - o->slots];
    o->runs_per_class[cls]++;
    if (o->release_at_once) arrival_release(o->a, cls, slot);
}

/* Calls arrival_run_due at every arrival_next_us up to until_us, as the engine's timer does. */
static uint32_t s_follow(arrival_t *a, uint64_t until_us) {
    uint32_t n = 0;
    for (uint64_t t = arrival_next_us(a); t <= until_us; t = arrival_next_us(a)) {
        s_now = t;
        n += arrival_run_due(a, t);
    }
    return n;
}

Test(arrival, starts_the_scheduled_count_and_reuses_slots) {
    owner_t o = {.release_at_once = true};
    uint32_t weights[] = {3, 1};
    arrival_spec_t spec = {.ramp = {.start = 400}, /* one every 2.5 ms */
                           .start_us = T0,
                           .end_us = T0 + 250000,
                           .max_slots = 8,
                           .weights = weights,
                           .n_classes = 2};
    o.a = arrival_new(&spec, (arrival_hooks_t){s_create, s_run, &o});
    cr_expect_eq(arrival_next_us(o.a), T0);
    cr_expect_eq(s_follow(o.a, T0 + 400000), 100);
    /* 250 ms at 400/s: arrivals at 0, 2.5 ... 247.5 ms, each on time. */
    cr_expect_eq(o.runs, 100);
    cr_expect_eq(o.latest_late_us, 0);
    cr_expect_eq(arrival_started(o.a), 100);
    cr_expect_eq(o.runs_per_class[0], 75);
    cr_expect_eq(o.runs_per_class[1], 25);
    cr_expect_eq(o.first_intended_us, T0);
    cr_expect_eq(o.last_intended_us, T0 + 247500);
    cr_expect_eq(arrival_next_us(o.a), ARRIVAL_NEVER, "none at or after end_us");
    /* Released at once, so one slot per class is enough. */
    cr_expect_eq(arrival_slots(o.a), 2);
    cr_expect_eq(arrival_busy(o.a), 0);
    cr_expect_eq(arrival_take_dropped(o.a), 0);
    arrival_destroy(&o.a);
    cr_expect_null(o.a);
}

Test(arrival, late_arrivals_run_at_once_with_their_intended_times) {
    owner_t o = {.release_at_once = true};
    uint32_t weights[] = {1};
    arrival_spec_t spec = {.ramp = {.start = 1000},
                           .start_us = T0,
                           .max_slots = 4,
                           .weights = weights,
                           .n_classes = 1};
    o.a = arrival_new(&spec, (arrival_hooks_t){s_create, s_run, &o});
    s_now = T0 + 9500; /* a stalled loop: 10 arrivals are due */
    cr_expect_eq(arrival_run_due(o.a, s_now), 10);
    cr_expect_eq(o.first_intended_us, T0);
    cr_expect_eq(o.last_intended_us, T0 + 9000);
    cr_expect_eq(o.latest_late_us, 9500, "the first one ran 9.5 ms late");
    cr_expect_eq(arrival_next_us(o.a), T0 + 10000);
    cr_expect_eq(arrival_run_due(o.a, s_now), 0, "nothing twice");
    arrival_destroy(&o.a);
}

Test(arrival, drops_when_every_slot_is_busy) {
    owner_t o = {.release_at_once = false}; /* iterations never end: a stalled server */
    uint32_t weights[] = {1};
    arrival_spec_t spec = {.ramp = {.start = 1000},
                           .start_us = T0,
                           .end_us = T0 + 50000,
                           .max_slots = 10,
                           .weights = weights,
                           .n_classes = 1};
    o.a = arrival_new(&spec, (arrival_hooks_t){s_create, s_run, &o});
    cr_expect_eq(s_follow(o.a, T0 + 100000), 50, "dispatched or dropped");
    cr_expect_eq(o.runs, 10);
    cr_expect_eq(arrival_busy(o.a), 10);
    cr_expect_eq(arrival_take_dropped(o.a), 40);
    cr_expect_eq(arrival_take_dropped(o.a), 0, "taken: counted once");
    /* A slot handed back serves the next arrival. */
    arrival_release(o.a, 0, &o.slots[3]);
    cr_expect_eq(arrival_busy(o.a), 9);
    arrival_destroy(&o.a);
}

Test(arrival, a_slot_that_cannot_be_made_is_a_drop) {
    owner_t o = {.release_at_once = false, .n_slots = MAX_SLOTS}; /* create returns NULL */
    uint32_t weights[] = {1};
    arrival_spec_t spec = {.ramp = {.start = 1000},
                           .start_us = T0,
                           .end_us = T0 + 5000,
                           .max_slots = 100,
                           .weights = weights,
                           .n_classes = 1};
    o.a = arrival_new(&spec, (arrival_hooks_t){s_create, s_run, &o});
    cr_expect_eq(s_follow(o.a, T0 + 10000), 5);
    cr_expect_eq(o.runs, 0);
    cr_expect_eq(arrival_slots(o.a), 0);
    cr_expect_eq(arrival_take_dropped(o.a), 5);
    arrival_destroy(&o.a);
}

Test(arrival, rescale_and_stop) {
    owner_t o = {.release_at_once = true};
    uint32_t weights[] = {1};
    arrival_spec_t spec = {
        .ramp = {.start = 200}, .start_us = T0, .max_slots = 4, .weights = weights, .n_classes = 1};
    o.a = arrival_new(&spec, (arrival_hooks_t){s_create, s_run, &o});
    s_follow(o.a, T0 + 99999); /* 200/s: at 0, 5 ... 95 ms */
    cr_expect_eq(o.runs, 20);
    arrival_rescale(o.a, 2.0, 4, T0 + 100000); /* 400/s from 100 ms */
    s_follow(o.a, T0 + 199999);
    cr_expect_eq(o.runs, 60);
    arrival_rescale(o.a, 0, 4, T0 + 200000); /* rate 0: no more arrivals */
    cr_expect_eq(arrival_next_us(o.a), ARRIVAL_NEVER);
    arrival_destroy(&o.a);
}

Test(arrival, stop_ends_the_arrivals) {
    owner_t o = {.release_at_once = true};
    uint32_t weights[] = {1};
    arrival_spec_t spec = {
        .ramp = {.start = 200}, .start_us = T0, .max_slots = 4, .weights = weights, .n_classes = 1};
    o.a = arrival_new(&spec, (arrival_hooks_t){s_create, s_run, &o});
    s_follow(o.a, T0 + 50000);
    cr_expect_eq(o.runs, 11);
    arrival_stop(o.a);
    cr_expect_eq(arrival_next_us(o.a), ARRIVAL_NEVER);
    s_now = T0 + 10000000;
    cr_expect_eq(arrival_run_due(o.a, s_now), 0, "stopped: nothing is due");
    cr_expect_eq(o.runs, 11);
    arrival_destroy(&o.a);
}
