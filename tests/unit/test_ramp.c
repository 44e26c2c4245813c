/* test_ramp: piecewise-linear load profiles, their integral and its inverse (common/ramp.h). */
#include <criterion/criterion.h>
#include <math.h>

#include "common/ramp.h"

#define S 1000000ull /* one second in µs */

Test(ramp, constant_without_stages) {
    ramp_t r = {.start = 200};
    cr_expect_float_eq(ramp_value_at(&r, 0), 200, 1e-9);
    cr_expect_float_eq(ramp_value_at(&r, 5 * S), 200, 1e-9);
    cr_expect_float_eq(ramp_integral(&r, 3 * S), 600, 1e-9);
    /* Arrival k of a constant rate is due at k / rate. */
    cr_expect_eq(ramp_time_of(&r, 1), 5000);
    cr_expect_eq(ramp_time_of(&r, 600), 3 * S);
    cr_expect_eq(ramp_time_of(&r, 0), 0);
    cr_expect_eq(ramp_total_us(&r), 0);
    cr_expect_float_eq(ramp_peak(&r), 200, 1e-9);
}

Test(ramp, linear_stages_from_zero) {
    /* 0 -> 100/s over 10 s, then 100 -> 500/s over 60 s, then 500/s held. */
    ramp_stage_t st[] = {{10 * S, 100}, {60 * S, 500}};
    ramp_t r = {.start = 0, .stages = st, .n_stages = 2};
    cr_expect_float_eq(ramp_value_at(&r, 5 * S), 50, 1e-9);
    cr_expect_float_eq(ramp_value_at(&r, 10 * S), 100, 1e-9);
    cr_expect_float_eq(ramp_value_at(&r, 40 * S), 300, 1e-9);
    cr_expect_float_eq(ramp_value_at(&r, 100 * S), 500, 1e-9);
    /* Triangle then trapezoid: 500 + (100 + 500) / 2 * 60 = 18500 by 70 s. */
    cr_expect_float_eq(ramp_integral(&r, 10 * S), 500, 1e-6);
    cr_expect_float_eq(ramp_integral(&r, 70 * S), 18500, 1e-6);
    cr_expect_float_eq(ramp_integral(&r, 72 * S), 19500, 1e-6);
    cr_expect_eq(ramp_total_us(&r), 70 * S);
    cr_expect_float_eq(ramp_peak(&r), 500, 1e-9);
}

Test(ramp, time_of_inverts_the_integral) {
    ramp_stage_t st[] = {{10 * S, 100}, {60 * S, 500}, {20 * S, 0}};
    ramp_t r = {.start = 20, .stages = st, .n_stages = 3};
    double total = ramp_integral(&r, ramp_total_us(&r));
    for (double c = 0.5; c < total; c += 97.3) {
        uint64_t t = ramp_time_of(&r, c);
        cr_assert_neq(t, RAMP_NEVER);
        /* To the microsecond: the integral moves by at most 500 / 1e6 per µs. */
        cr_expect(fabs(ramp_integral(&r, t) - c) < 1e-3, "count %.1f at %llu us: integral %.6f", c,
                  (unsigned long long)t, ramp_integral(&r, t));
    }
}

Test(ramp, triangle_start_follows_the_square_root) {
    /* From 0 up to 100/s over 10 s the rate is 10 t, so the integral is 5 t^2:
     * arrival 1 at sqrt(1/5) s, arrival 20 at 2 s. */
    ramp_stage_t st[] = {{10 * S, 100}};
    ramp_t r = {.stages = st, .n_stages = 1};
    cr_expect_eq(ramp_time_of(&r, 1), (uint64_t)llround(sqrt(0.2) * 1e6));
    cr_expect_eq(ramp_time_of(&r, 20), 2 * S);
}

Test(ramp, ending_at_zero_means_never) {
    ramp_stage_t st[] = {{10 * S, 0}};
    ramp_t r = {.start = 10, .stages = st, .n_stages = 1}; /* 50 arrivals, then none */
    cr_expect_eq(ramp_time_of(&r, 50), 10 * S);
    cr_expect_eq(ramp_time_of(&r, 50.5), RAMP_NEVER);
    ramp_t zero = {.start = 0};
    cr_expect_eq(ramp_time_of(&zero, 1), RAMP_NEVER);
}

Test(ramp, zero_duration_stage_is_a_step) {
    ramp_stage_t st[] = {{0, 100}, {10 * S, 100}, {0, 300}};
    ramp_t r = {.start = 0, .stages = st, .n_stages = 3};
    cr_expect_float_eq(ramp_value_at(&r, 0), 100, 1e-9);
    cr_expect_float_eq(ramp_value_at(&r, 10 * S), 300, 1e-9);
    cr_expect_float_eq(ramp_integral(&r, 11 * S), 1300, 1e-6);
    cr_expect_eq(ramp_time_of(&r, 1000), 10 * S);
    cr_expect_eq(ramp_time_of(&r, 1300), 11 * S);
    cr_expect_float_eq(ramp_peak(&r), 300, 1e-9);
}

Test(ramp, downward_stage_solves_without_cancellation) {
    /* 1000 -> 0 over 1 s: integral 1000 t - 500 t^2; half the area (250) at 1 - sqrt(0.5). */
    ramp_stage_t st[] = {{1 * S, 0}};
    ramp_t r = {.start = 1000, .stages = st, .n_stages = 1};
    cr_expect_eq(ramp_time_of(&r, 500), S);
    uint64_t t = ramp_time_of(&r, 250);
    cr_expect(llabs((long long)t - llround((1 - sqrt(0.5)) * 1e6)) <= 1, "t = %llu",
              (unsigned long long)t);
}
