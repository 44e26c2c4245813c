/* test_rebalance: users moved when a worker is lost or joins mid-run (load/rebalance.h). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/rng.h"
#include "load/rebalance.h"
#include "load/split.h"

/* Checks the invariants of a plan: exact class totals, level worker totals,
 * and that a worker only gains or only sheds. */
static void s_check_plan(const uint32_t *per_class, size_t n_classes, const uint32_t *cur,
                         uint32_t n_workers, const uint32_t *out) {
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t c = 0; c < n_classes; c++) {
        uint64_t sum = 0;
        for (uint32_t w = 0; w < n_workers; w++)
            sum += out[w * n_classes + c];
        cr_assert_eq(sum, per_class[c], "class %zu: %llu users, want %u", c,
                     (unsigned long long)sum, per_class[c]);
    }
    for (uint32_t w = 0; w < n_workers; w++) {
        uint64_t before = 0, after = 0;
        bool gained = false, shed = false;
        for (size_t c = 0; c < n_classes; c++) {
            before += cur[w * n_classes + c];
            after += out[w * n_classes + c];
            gained |= out[w * n_classes + c] > cur[w * n_classes + c];
            shed |= out[w * n_classes + c] < cur[w * n_classes + c];
        }
        cr_assert(!(gained && shed), "worker %u both gains and sheds users", w);
        cr_assert(!gained || after > before, "worker %u gains only when its total grows", w);
        if (after < lo) lo = after;
        if (after > hi) hi = after;
    }
    cr_assert_leq(hi - lo, 1, "worker totals are level (%llu..%llu)", (unsigned long long)lo,
                  (unsigned long long)hi);
}

Test(rebalance, lost_worker_users_go_to_the_survivors) {
    /* 10 users of one class were 4/3/3 on three workers; the first one is lost. */
    uint32_t per_class[] = {10}, cur[] = {3, 3}, out[2];
    cr_assert_eq(rebalance_plan(per_class, 1, cur, 2, out), 0);
    cr_expect_eq(out[0], 5);
    cr_expect_eq(out[1], 5);
    s_check_plan(per_class, 1, cur, 2, out);
    cr_expect_eq(rebalance_starts(&cur[0], &out[0], 1), 2);
    cr_expect_eq(rebalance_moves(&cur[1], &out[1], 1), 2);
}

Test(rebalance, survivors_keep_their_users_and_classes_stay_exact) {
    /* 8:2 over 20 users, three workers; the middle one is lost. */
    uint32_t weights[] = {8, 2}, per_class[2], table[6];
    cr_assert_eq(split_classes(20, weights, 2, per_class), 0);
    split_workers(per_class, 2, 3, table);
    uint32_t cur[4] = {table[0], table[1], table[4], table[5]}, out[4];
    cr_assert_eq(rebalance_plan(per_class, 2, cur, 2, out), 0);
    s_check_plan(per_class, 2, cur, 2, out);
    cr_expect_eq(out[0] + out[1] + out[2] + out[3], 20);
    for (int i = 0; i < 4; i++)
        cr_expect_geq(out[i], cur[i], "nobody sheds after a loss");
}

Test(rebalance, a_newcomer_gets_its_share_from_the_others) {
    uint32_t per_class[] = {9, 3}, cur[] = {5, 1, 4, 2, 0, 0}, out[6];
    cr_assert_eq(rebalance_plan(per_class, 2, cur, 3, out), 0);
    s_check_plan(per_class, 2, cur, 3, out);
    cr_expect_eq(out[4] + out[5], 4, "the newcomer gets a level share");
    cr_expect_geq(out[5], 1, "...with users of both classes");
    cr_expect_geq(out[4], 1);
    for (int i = 0; i < 4; i++)
        cr_expect_leq(out[i], cur[i], "the others only shed");
}

Test(rebalance, a_level_table_does_not_move) {
    uint32_t per_class[] = {7, 5}, table[6];
    split_workers(per_class, 2, 3, table);
    uint32_t out[6];
    cr_assert_eq(rebalance_plan(per_class, 2, table, 3, out), 0);
    cr_expect_arr_eq(out, table, sizeof table);
    for (int w = 0; w < 3; w++)
        cr_expect_eq(rebalance_moves(&table[w * 2], &out[w * 2], 2), 0);
}

Test(rebalance, spare_users_stay_with_the_workers_that_hold_them) {
    /* 7 users on 2 survivors holding 3 and 2: targets 4 and 3, the 4 for the one with more. */
    uint32_t per_class[] = {7}, cur[] = {2, 3}, out[2];
    cr_assert_eq(rebalance_plan(per_class, 1, cur, 2, out), 0);
    cr_expect_eq(out[0], 3);
    cr_expect_eq(out[1], 4);
}

Test(rebalance, errors) {
    uint32_t per_class[] = {4}, cur[] = {3, 2}, out[2] = {77, 77};
    cr_expect_eq(rebalance_plan(per_class, 1, cur, 0, out), -1, "no workers");
    cr_expect_eq(rebalance_plan(per_class, 1, cur, 2, out), -1, "5 held of 4");
    cr_expect_eq(out[0], 77, "out untouched");
}

Test(rebalance, zero_users_and_zero_classes) {
    uint32_t per_class[] = {0, 0}, cur[4] = {0}, out[4] = {9, 9, 9, 9};
    cr_assert_eq(rebalance_plan(per_class, 2, cur, 2, out), 0);
    cr_expect_arr_eq(out, cur, sizeof cur);
    uint32_t none = 0;
    cr_expect_eq(rebalance_plan(NULL, 0, &none, 3, &none), 0);
}

Test(rebalance, rates_split_the_run_rate_by_moves) {
    cr_expect_float_eq(rebalance_rate(10.0, 3, 4), 7.5, 1e-9);
    cr_expect_float_eq(rebalance_rate(10.0, 4, 4), 10.0, 1e-9);
    cr_expect_eq(rebalance_rate(0, 3, 4), 0, "0 = all at once");
    cr_expect_eq(rebalance_rate(10.0, 0, 4), 0);
    cr_expect_eq(rebalance_rate(10.0, 0, 0), 0);
}

Test(rebalance, starts_and_moves_per_class) {
    uint32_t from[] = {5, 0, 2}, to[] = {3, 2, 4};
    cr_expect_eq(rebalance_starts(from, to, 3), 4);
    cr_expect_eq(rebalance_moves(from, to, 3), 6);
}

/* Random runs: split, lose or add workers in turn, and check every plan. */
Test(rebalance, random_losses_and_joins_keep_every_invariant) {
    rng_t rng;
    rng_seed(&rng, 4242);
    for (int round = 0; round < 300; round++) {
        size_t n_classes = 1 + rng_range(&rng, 0, 3);
        uint32_t users = (uint32_t)rng_range(&rng, 0, 500);
        uint32_t weights[4], per_class[4];
        for (size_t c = 0; c < n_classes; c++)
            weights[c] = 1 + (uint32_t)rng_range(&rng, 0, 9);
        cr_assert_eq(split_classes(users, weights, n_classes, per_class), 0);
        uint32_t n = 1 + (uint32_t)rng_range(&rng, 0, 7);
        uint32_t *table = calloc((size_t)(n + 8) * n_classes, sizeof *table);
        uint32_t *out = calloc((size_t)(n + 8) * n_classes, sizeof *out);
        split_workers(per_class, n_classes, n, table);
        for (int step = 0; step < 6; step++) {
            if (n > 1 && rng_range(&rng, 0, 1) == 0) {
                /* Lose a random worker: drop its row. */
                uint32_t lost = (uint32_t)rng_range(&rng, 0, n - 1);
                memmove(&table[lost * n_classes], &table[(lost + 1) * n_classes],
                        (n - lost - 1) * n_classes * sizeof *table);
                n--;
            } else if (n < 8) {
                memset(&table[n * n_classes], 0, n_classes * sizeof *table);
                n++;
            }
            cr_assert_eq(rebalance_plan(per_class, n_classes, table, n, out), 0);
            s_check_plan(per_class, n_classes, table, n, out);
            memcpy(table, out, (size_t)n * n_classes * sizeof *table);
        }
        free(table);
        free(out);
    }
}
