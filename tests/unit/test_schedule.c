/* test_schedule: open-model arrival times, worker phases and class picks (load/schedule.h). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "load/schedule.h"

#define S 1000000ull

Test(schedule, constant_rate_spaces_arrivals_evenly) {
    ramp_t r = {.start = 500};
    schedule_t s;
    schedule_init(&s, &r, 0);
    cr_expect_eq(schedule_at(&s, 0), 0);
    cr_expect_eq(schedule_at(&s, 1), 2000);
    cr_expect_eq(schedule_at(&s, 500), S);
    /* No drift after many arrivals: each is computed from k. */
    cr_expect_eq(schedule_at(&s, 10000), 20 * S);
}

Test(schedule, two_workers_interleave_with_phases) {
    /* 1000/s over 2 workers: 500/s each, phases 0 and 1/2. */
    ramp_t r = {.start = 500};
    schedule_t w0, w1;
    schedule_init(&w0, &r, 0.0);
    schedule_init(&w1, &r, 0.5);
    for (uint64_t k = 0; k < 1000; k++) {
        cr_assert_eq(schedule_at(&w0, k), 2000 * k);
        cr_assert_eq(schedule_at(&w1, k), 2000 * k + 1000);
    }
}

Test(schedule, three_uneven_shares_sum_to_the_rate) {
    /* 1000/s over 3 workers (shares 333.333334, 333.333333, 333.333333): over 60 s they
     * fire 60000 arrivals together, give or take one per worker. */
    double shares[] = {333.333334, 333.333333, 333.333333};
    uint64_t total = 0;
    for (int w = 0; w < 3; w++) {
        ramp_t r = {.start = shares[w]};
        schedule_t s;
        schedule_init(&s, &r, w / 3.0);
        uint64_t k = 0;
        while (schedule_at(&s, k) < 60 * S)
            k++;
        total += k;
    }
    cr_expect(llabs((long long)total - 60000) <= 3, "total %llu", (unsigned long long)total);
}

Test(schedule, rescale_is_continuous) {
    ramp_t r = {.start = 100};
    schedule_t s;
    schedule_init(&s, &r, 0);
    cr_expect_eq(schedule_at(&s, 100), S);
    /* At 1 s (100 arrivals due) the rate doubles: the next 200 take 1 s. */
    schedule_rescale(&s, S, 2.0);
    cr_expect_eq(schedule_at(&s, 100), S);
    cr_expect_eq(schedule_at(&s, 300), 2 * S);
    /* Halved again at 2 s: back to 100/s. */
    schedule_rescale(&s, 2 * S, 0.5);
    cr_expect_eq(schedule_at(&s, 400), 3 * S);
    schedule_rescale(&s, 3 * S, 0);
    cr_expect_eq(schedule_at(&s, 401), RAMP_NEVER);
}

Test(schedule, ramped_arrivals_follow_the_ramp) {
    /* 0 -> 100/s over 10 s: 500 arrivals in the ramp, 125 in its first half (5 t^2). */
    ramp_stage_t st[] = {{10 * S, 100}};
    ramp_t r = {.stages = st, .n_stages = 1};
    schedule_t s;
    schedule_init(&s, &r, 0);
    uint64_t k = 0;
    while (schedule_at(&s, k) < 5 * S)
        k++;
    cr_expect_eq(k, 125);
    while (schedule_at(&s, k) < 10 * S)
        k++;
    cr_expect_eq(k, 500);
}

Test(schedule, mix_follows_weights_smoothly) {
    uint32_t w[] = {8, 2};
    schedule_mix_t m;
    schedule_mix_init(&m, w, 2);
    int got[2] = {0, 0};
    for (int i = 0; i < 10; i++)
        got[schedule_mix_next(&m)]++;
    cr_expect_eq(got[0], 8);
    cr_expect_eq(got[1], 2);
    /* Any 5 consecutive picks hold exactly one B. */
    int b = 0;
    for (int i = 0; i < 5; i++)
        b += schedule_mix_next(&m) == 1;
    cr_expect_eq(b, 1);
    schedule_mix_fini(&m);
}

Test(schedule, mix_never_picks_zero_weights) {
    uint32_t w[] = {0, 3, 0, 1};
    schedule_mix_t m;
    schedule_mix_init(&m, w, 4);
    int got[4] = {0};
    for (int i = 0; i < 400; i++)
        got[schedule_mix_next(&m)]++;
    cr_expect_eq(got[0], 0);
    cr_expect_eq(got[2], 0);
    cr_expect_eq(got[1], 300);
    cr_expect_eq(got[3], 100);
    schedule_mix_fini(&m);
    uint32_t none[] = {0, 0};
    schedule_mix_init(&m, none, 2);
    cr_expect_eq(schedule_mix_next(&m), 0);
    schedule_mix_fini(&m);
}

Test(schedule, users_ramp_keeps_the_class_mix) {
    uint32_t peak[] = {8, 2, 0}, out[3];
    for (uint32_t total = 0; total <= 10; total++) {
        schedule_split_users(total, peak, 3, out);
        cr_expect_eq(out[0] + out[1] + out[2], total);
        cr_expect_leq(out[0], 8);
        cr_expect_leq(out[1], 2);
        cr_expect_eq(out[2], 0);
    }
    schedule_split_users(5, peak, 3, out);
    cr_expect_eq(out[0], 4);
    cr_expect_eq(out[1], 1);
    uint32_t none[] = {0, 0};
    schedule_split_users(3, none, 2, out);
    cr_expect_eq(out[0] + out[1], 0);
}
