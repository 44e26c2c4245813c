/* test_split: users across classes by weight and across workers (load/split.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/rng.h"
#include "load/split.h"

Test(split, classes_follow_weights_exactly) {
    uint32_t weights[] = {8, 2}, out[2];
    cr_assert_eq(split_classes(20, weights, 2, out), 0);
    cr_expect_eq(out[0], 16);
    cr_expect_eq(out[1], 4);
}

Test(split, classes_largest_remainder_breaks_ties_by_order) {
    /* 10 users over 1:1:1 -> 3.33 each; the one left over goes to the first class. */
    uint32_t weights[] = {1, 1, 1}, out[3];
    cr_assert_eq(split_classes(10, weights, 3, out), 0);
    cr_expect_eq(out[0], 4);
    cr_expect_eq(out[1], 3);
    cr_expect_eq(out[2], 3);
}

Test(split, classes_largest_remainder_goes_to_largest_fraction) {
    /* 5 users over 1:3 -> 1.25 and 3.75: the spare user goes to the second class. */
    uint32_t weights[] = {1, 3}, out[2];
    cr_assert_eq(split_classes(5, weights, 2, out), 0);
    cr_expect_eq(out[0], 1);
    cr_expect_eq(out[1], 4);
}

Test(split, classes_with_a_zero_weight_get_nobody) {
    uint32_t weights[] = {0, 5, 0}, out[3];
    cr_assert_eq(split_classes(7, weights, 3, out), 0);
    cr_expect_eq(out[0], 0);
    cr_expect_eq(out[1], 7);
    cr_expect_eq(out[2], 0);
}

Test(split, classes_all_zero_weights_is_an_error) {
    uint32_t weights[] = {0, 0}, out[2] = {0};
    cr_expect_eq(split_classes(10, weights, 2, out), -1);
}

Test(split, classes_zero_users) {
    uint32_t weights[] = {3, 1}, out[2] = {9, 9};
    cr_assert_eq(split_classes(0, weights, 2, out), 0);
    cr_expect_eq(out[0], 0);
    cr_expect_eq(out[1], 0);
}

Test(split, classes_random_inputs_are_exact_and_within_one) {
    rng_t r;
    rng_seed(&r, 2024);
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)rng_range(&r, 1, 12);
        uint32_t weights[12], out[12];
        uint64_t total_w = 0;
        for (size_t c = 0; c < n; c++) {
            weights[c] = (uint32_t)rng_range(&r, 0, 1000);
            total_w += weights[c];
        }
        if (total_w == 0) {
            weights[0] = 1;
            total_w = 1;
        }
        uint32_t users = (uint32_t)rng_range(&r, 0, 100000);
        cr_assert_eq(split_classes(users, weights, n, out), 0);
        uint64_t sum = 0;
        for (size_t c = 0; c < n; c++) {
            sum += out[c];
            double ideal = (double)users * weights[c] / (double)total_w;
            cr_assert(out[c] + 1e-9 >= ideal - 1 && out[c] - 1e-9 <= ideal + 1,
                      "round %d class %zu: %u users for ideal %.3f", round, c, out[c], ideal);
            /* Largest remainder: floor or ceil of the ideal, never further. */
            cr_assert(out[c] == (uint32_t)ideal || out[c] == (uint32_t)ideal + 1,
                      "round %d class %zu: %u is neither floor nor ceil of %.3f", round, c,
                      out[c], ideal);
            if (weights[c] == 0) cr_assert_eq(out[c], 0);
        }
        cr_assert_eq(sum, users, "round %d: %llu != %u", round, (unsigned long long)sum, users);
    }
}

Test(split, workers_20_users_8_to_2_on_2_workers) {
    uint32_t weights[] = {8, 2}, per_class[2], out[2 * 2];
    cr_assert_eq(split_classes(20, weights, 2, per_class), 0);
    split_workers(per_class, 2, 2, out);
    for (int w = 0; w < 2; w++) {
        cr_expect_eq(out[w * 2 + 0], 8, "worker %d class 0", w);
        cr_expect_eq(out[w * 2 + 1], 2, "worker %d class 1", w);
    }
}

Test(split, workers_one_worker_gets_everything) {
    uint32_t per_class[] = {5, 0, 7}, out[3];
    split_workers(per_class, 3, 1, out);
    cr_expect_eq(out[0], 5);
    cr_expect_eq(out[1], 0);
    cr_expect_eq(out[2], 7);
}

Test(split, workers_leftovers_keep_totals_level) {
    /* Three classes of one user each on three workers: one user per worker, not
     * three on the first. */
    uint32_t per_class[] = {1, 1, 1}, out[3 * 3];
    split_workers(per_class, 3, 3, out);
    for (uint32_t w = 0; w < 3; w++) {
        uint32_t total = out[w * 3 + 0] + out[w * 3 + 1] + out[w * 3 + 2];
        cr_expect_eq(total, 1, "worker %u has %u users", w, total);
    }
}

Test(split, workers_more_workers_than_users) {
    uint32_t per_class[] = {2}, out[5];
    split_workers(per_class, 1, 5, out);
    uint32_t sum = 0, max = 0;
    for (int w = 0; w < 5; w++) {
        sum += out[w];
        if (out[w] > max) max = out[w];
    }
    cr_expect_eq(sum, 2);
    cr_expect_eq(max, 1);
}

Test(split, workers_random_inputs_are_exact_and_level) {
    rng_t r;
    rng_seed(&r, 77);
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)rng_range(&r, 1, 8);
        uint32_t n_workers = (uint32_t)rng_range(&r, 1, 40);
        uint32_t per_class[8];
        for (size_t c = 0; c < n; c++) per_class[c] = (uint32_t)rng_range(&r, 0, 500);
        uint32_t *out = calloc((size_t)n_workers * n, sizeof *out);
        split_workers(per_class, n, n_workers, out);
        for (size_t c = 0; c < n; c++) {
            uint64_t sum = 0;
            uint32_t lo = UINT32_MAX, hi = 0;
            for (uint32_t w = 0; w < n_workers; w++) {
                uint32_t v = out[(size_t)w * n + c];
                sum += v;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            cr_assert_eq(sum, per_class[c], "round %d class %zu", round, c);
            cr_assert_leq(hi - lo, 1, "round %d class %zu spread %u..%u", round, c, lo, hi);
        }
        uint64_t lo = UINT64_MAX, hi = 0;
        for (uint32_t w = 0; w < n_workers; w++) {
            uint64_t t = 0;
            for (size_t c = 0; c < n; c++) t += out[(size_t)w * n + c];
            if (t < lo) lo = t;
            if (t > hi) hi = t;
        }
        cr_assert_leq(hi - lo, 1, "round %d: worker totals %llu..%llu", round,
                      (unsigned long long)lo, (unsigned long long)hi);
        free(out);
    }
}

Test(split, rate_shares_add_up_exactly) {
    /* Dealt in micro-units: 1000/s over 3 is 333.333334 + 333.333333 + 333.333333. */
    double rates[] = {1000, 1, 0.5, 7.25, 123456.789, 1e-6};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        for (uint32_t n = 1; n <= 7; n++) {
            long long units = 0;
            double lo = 1e300, hi = 0;
            for (uint32_t w = 0; w < n; w++) {
                double s = split_rate_share(rates[i], n, w);
                units += llround(s * 1e6);
                if (s < lo) lo = s;
                if (s > hi) hi = s;
            }
            cr_expect_eq(units, llround(rates[i] * 1e6), "rate %g over %u", rates[i], n);
            cr_expect(hi - lo <= 1.5e-6, "rate %g over %u: shares %g..%g", rates[i], n, lo,
                      hi);
        }
    }
    cr_expect_float_eq(split_rate_share(1000, 3, 0), 333.333334, 1e-9);
    cr_expect_float_eq(split_rate_share(1000, 3, 2), 333.333333, 1e-9);
    cr_expect_float_eq(split_rate_share(1000, 2, 1), 500, 1e-9);
    cr_expect_float_eq(split_rate_share(0, 2, 1), 0, 1e-9);
}

Test(split, count_shares_add_up) {
    uint32_t sum = 0;
    for (uint32_t w = 0; w < 4; w++) sum += split_count_share(10, 4, w);
    cr_expect_eq(sum, 10);
    cr_expect_eq(split_count_share(10, 4, 0), 3);
    cr_expect_eq(split_count_share(10, 4, 1), 3);
    cr_expect_eq(split_count_share(10, 4, 2), 2);
    cr_expect_eq(split_count_share(1, 3, 2), 0);
}

Test(split, stages_split_per_worker) {
    ramp_stage_t st[] = {{0, 50}, {30000000, 1000}, {60000000, 5}};
    ramp_stage_t a[3], b[3], c[3];
    split_stages(st, 3, true, 3, 0, a);
    split_stages(st, 3, true, 3, 1, b);
    split_stages(st, 3, true, 3, 2, c);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(a[i].duration_us, st[i].duration_us);
        cr_expect_eq(llround(a[i].target * 1e6) + llround(b[i].target * 1e6) +
                         llround(c[i].target * 1e6),
                     llround(st[i].target * 1e6));
    }
    split_stages(st, 3, false, 3, 0, a);
    split_stages(st, 3, false, 3, 2, c);
    cr_expect_float_eq(a[1].target, 334, 1e-9);
    cr_expect_float_eq(c[1].target, 333, 1e-9);
    cr_expect_float_eq(a[2].target, 2, 1e-9);
    cr_expect_float_eq(c[2].target, 1, 1e-9);
}
