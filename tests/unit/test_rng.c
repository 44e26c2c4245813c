/* test_rng: xoshiro256** seeding, determinism, range bounds and uniformity (common/rng.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "common/rng.h"

Test(rng, same_seed_gives_same_sequence) {
    rng_t a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++) cr_assert_eq(rng_next(&a), rng_next(&b), "diverged at %d", i);
}

Test(rng, different_seeds_give_different_sequences) {
    rng_t a, b;
    rng_seed(&a, 1);
    rng_seed(&b, 2);
    int same = 0;
    for (int i = 0; i < 100; i++) same += rng_next(&a) == rng_next(&b);
    cr_expect_eq(same, 0);
}

Test(rng, seed_zero_is_usable) {
    rng_t r;
    rng_seed(&r, 0);
    cr_expect(r.s[0] | r.s[1] | r.s[2] | r.s[3], "all-zero state would only ever yield 0");
    uint64_t x = 0;
    for (int i = 0; i < 10; i++) x |= rng_next(&r);
    cr_expect_neq(x, 0);
}

Test(rng, reseeding_restarts_the_sequence) {
    rng_t r;
    rng_seed(&r, 7);
    uint64_t first = rng_next(&r);
    rng_next(&r);
    rng_seed(&r, 7);
    cr_expect_eq(rng_next(&r), first);
}

Test(rng, range_is_inclusive_and_hits_both_ends) {
    rng_t r;
    rng_seed(&r, 3);
    bool saw_lo = false, saw_hi = false;
    for (int i = 0; i < 10000; i++) {
        uint64_t v = rng_range(&r, 10, 15);
        cr_assert(v >= 10 && v <= 15, "out of range: %llu", (unsigned long long)v);
        saw_lo |= v == 10;
        saw_hi |= v == 15;
    }
    cr_expect(saw_lo);
    cr_expect(saw_hi);
}

Test(rng, range_with_empty_span_returns_lo) {
    rng_t r;
    rng_seed(&r, 3);
    cr_expect_eq(rng_range(&r, 5, 5), 5);
    cr_expect_eq(rng_range(&r, 9, 2), 9);
}

Test(rng, full_range_does_not_hang) {
    rng_t r;
    rng_seed(&r, 11);
    uint64_t or_bits = 0;
    for (int i = 0; i < 64; i++) or_bits |= rng_range(&r, 0, UINT64_MAX);
    cr_expect_gt(or_bits, UINT64_MAX / 2, "high bits should appear over the full range");
}

Test(rng, range_is_roughly_uniform) {
    enum { BUCKETS = 10, DRAWS = 200000 };
    rng_t r;
    rng_seed(&r, 12345);
    uint64_t counts[BUCKETS] = {0};
    for (int i = 0; i < DRAWS; i++) counts[rng_range(&r, 0, BUCKETS - 1)]++;
    double expected = (double)DRAWS / BUCKETS;
    double chi2 = 0;
    for (int b = 0; b < BUCKETS; b++) {
        double d = (double)counts[b] - expected;
        chi2 += d * d / expected;
        cr_expect(fabs(d) < expected * 0.03, "bucket %d: %llu vs %.0f", b,
                  (unsigned long long)counts[b], expected);
    }
    /* 9 degrees of freedom: P(chi2 > 27.9) = 0.001. */
    cr_expect_lt(chi2, 27.9);
}

Test(rng, unit_is_in_half_open_interval_with_mean_one_half) {
    rng_t r;
    rng_seed(&r, 99);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = rng_unit(&r);
        cr_assert(u >= 0.0 && u < 1.0, "out of [0,1): %f", u);
        sum += u;
    }
    cr_expect_float_eq(sum / 100000, 0.5, 0.01);
}
