/* test_arrival: the open model's iteration starts on a real loop — counts at a
 * rate, slot reuse, the cap and its drops, rescale and stop (worker/arrival.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/clock.h"
#include "worker/arrival.h"
#include "worker/loop.h"

static void s_bound(void) {
    alarm(30);
}

TestSuite(arrival, .init = s_bound);

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

static void s_run(void *arg, void *slot, uint64_t intended_us) {
    owner_t *o = arg;
    uint64_t now = clock_now_us();
    cr_assert_geq(now, intended_us, "an arrival ran before its time");
    if (now - intended_us > o->latest_late_us) o->latest_late_us = now - intended_us;
    if (!o->runs) o->first_intended_us = intended_us;
    o->last_intended_us = intended_us;
    o->runs++;
    uint32_t cls = o->slot_class[(int *)slot - o->slots];
    o->runs_per_class[cls]++;
    if (o->release_at_once) arrival_release(o->a, cls, slot);
}

/* Runs the loop until deadline_us (a guard timer stops it). */
static void s_on_guard(loop_t *loop, void *arg) {
    (void)arg;
    loop_stop(loop);
}

static void s_run_loop(loop_t *loop, uint64_t until_us) {
    loop_timer_t guard;
    loop_timer_init(&guard, s_on_guard, NULL);
    loop_timer_start(loop, &guard, until_us);
    cr_assert_eq(loop_run(loop), 0);
}

Test(arrival, starts_the_scheduled_count_and_reuses_slots) {
    loop_t *loop = loop_new();
    owner_t o = {.release_at_once = true};
    uint32_t weights[] = {3, 1};
    uint64_t start = clock_now_us() + 10000;
    arrival_spec_t spec = {.ramp = {.start = 400}, /* one every 2.5 ms */
                           .start_us = start,
                           .end_us = start + 250000,
                           .max_slots = 8,
                           .weights = weights,
                           .n_classes = 2};
    o.a = arrival_new(loop, &spec, (arrival_hooks_t){s_create, s_run, &o});
    s_run_loop(loop, start + 400000);
    /* 250 ms at 400/s: arrivals at 0, 2.5 ... 247.5 ms. */
    cr_expect_eq(o.runs, 100);
    cr_expect_eq(arrival_started(o.a), 100);
    cr_expect_eq(o.runs_per_class[0], 75);
    cr_expect_eq(o.runs_per_class[1], 25);
    cr_expect_eq(o.first_intended_us, start);
    cr_expect_eq(o.last_intended_us, start + 247500);
    /* Released at once, so one slot per class is enough. */
    cr_expect_eq(arrival_slots(o.a), 2);
    cr_expect_eq(arrival_busy(o.a), 0);
    cr_expect_eq(arrival_take_dropped(o.a), 0);
    arrival_destroy(&o.a);
    cr_expect_null(o.a);
    loop_destroy(&loop);
}

Test(arrival, drops_when_every_slot_is_busy) {
    loop_t *loop = loop_new();
    owner_t o = {.release_at_once = false}; /* iterations never end: a stalled server */
    uint32_t weights[] = {1};
    uint64_t start = clock_now_us() + 5000;
    arrival_spec_t spec = {.ramp = {.start = 1000},
                           .start_us = start,
                           .end_us = start + 50000,
                           .max_slots = 10,
                           .weights = weights,
                           .n_classes = 1};
    o.a = arrival_new(loop, &spec, (arrival_hooks_t){s_create, s_run, &o});
    s_run_loop(loop, start + 100000);
    cr_expect_eq(o.runs, 10);
    cr_expect_eq(arrival_busy(o.a), 10);
    cr_expect_eq(arrival_take_dropped(o.a), 40);
    cr_expect_eq(arrival_take_dropped(o.a), 0, "taken: counted once");
    /* A slot handed back serves the next arrival. */
    arrival_release(o.a, 0, &o.slots[3]);
    cr_expect_eq(arrival_busy(o.a), 9);
    arrival_destroy(&o.a);
    loop_destroy(&loop);
}

Test(arrival, rescale_and_stop) {
    loop_t *loop = loop_new();
    owner_t o = {.release_at_once = true};
    uint32_t weights[] = {1};
    uint64_t start = clock_now_us() + 5000;
    arrival_spec_t spec = {.ramp = {.start = 200},
                           .start_us = start,
                           .max_slots = 4,
                           .weights = weights,
                           .n_classes = 1};
    o.a = arrival_new(loop, &spec, (arrival_hooks_t){s_create, s_run, &o});
    s_run_loop(loop, start + 100000); /* 200/s: ~20 */
    int before = o.runs;
    cr_expect(before >= 19 && before <= 21, "runs %d", before);
    arrival_rescale(o.a, 0, 4); /* rate 0: no more arrivals */
    s_run_loop(loop, clock_now_us() + 50000);
    cr_expect_eq(o.runs, before);
    arrival_stop(o.a);
    arrival_destroy(&o.a);
    loop_destroy(&loop);
}
