/* test_histogram: precision, exact merge, and the sparse rebuild API (common/histogram.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "common/histogram.h"

#define N_SAMPLES 100000

static const double s_percentiles[] = {50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100};

/* splitmix64: a small seeded generator, so failures reproduce. */
static uint64_t s_next(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double s_uniform(uint64_t *state) {
    return ((double)(s_next(state) >> 11) + 0.5) / 9007199254740992.0;
}

static double s_normal(uint64_t *state) {
    double u1 = s_uniform(state), u2 = s_uniform(state);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static uint64_t s_clamp_sample(double v) {
    if (v < 1) return 1;
    if (v > (double)HISTOGRAM_HIGHEST_US) return HISTOGRAM_HIGHEST_US;
    return (uint64_t)v;
}

/* 70% fast responses around 2 ms, 30% slow ones around 80 ms. */
static uint64_t s_bimodal(uint64_t *state) {
    if (s_uniform(state) < 0.7) return s_clamp_sample(2000 + 300 * s_normal(state));
    return s_clamp_sample(80000 + 10000 * s_normal(state));
}

/* Median 20 ms with a long tail reaching into seconds. */
static uint64_t s_lognormal(uint64_t *state) {
    return s_clamp_sample(exp(log(20000.0) + 1.5 * s_normal(state)));
}

static int s_cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Index of the bucket value_us lands in, found through the public API with
 * scratch, an empty histogram left empty again. */
static int32_t s_index_in(histogram_t *scratch, uint64_t value_us) {
    histogram_record(scratch, value_us);
    int32_t idx = -1;
    uint64_t count = 0;
    cr_assert(histogram_next_bucket(scratch, &idx, &count));
    cr_assert_eq(count, 1);
    histogram_reset(scratch);
    return idx;
}

static int32_t s_index_of(uint64_t value_us) {
    histogram_t *h = histogram_new();
    int32_t idx = s_index_in(h, value_us);
    histogram_destroy(&h);
    return idx;
}

static void s_assert_same(const histogram_t *a, const histogram_t *b) {
    cr_assert_eq(histogram_count(a), histogram_count(b));
    cr_assert_eq(histogram_min(a), histogram_min(b));
    cr_assert_eq(histogram_max(a), histogram_max(b));
    cr_assert_eq(histogram_sum(a), histogram_sum(b));
    int32_t ia = -1, ib = -1;
    uint64_t ca = 0, cb = 0;
    for (;;) {
        bool more_a = histogram_next_bucket(a, &ia, &ca);
        bool more_b = histogram_next_bucket(b, &ib, &cb);
        cr_assert_eq(more_a, more_b, "bucket lists differ in length");
        if (!more_a) break;
        cr_assert_eq(ia, ib, "bucket index");
        cr_assert_eq(ca, cb, "count of bucket %d", ia);
    }
}

static void s_check_percentiles(uint64_t (*gen)(uint64_t *), uint64_t seed) {
    uint64_t state = seed;
    uint64_t *samples = malloc(N_SAMPLES * sizeof *samples);
    cr_assert_not_null(samples);
    histogram_t *h = histogram_new();
    for (size_t i = 0; i < N_SAMPLES; i++) {
        samples[i] = gen(&state);
        histogram_record(h, samples[i]);
    }
    qsort(samples, N_SAMPLES, sizeof *samples, s_cmp_u64);
    cr_assert_eq(histogram_count(h), N_SAMPLES);
    cr_assert_eq(histogram_min(h), samples[0]);
    cr_assert_eq(histogram_max(h), samples[N_SAMPLES - 1]);
    for (size_t i = 0; i < sizeof s_percentiles / sizeof s_percentiles[0]; i++) {
        double p = s_percentiles[i];
        size_t rank = (size_t)ceil(p / 100.0 * N_SAMPLES);
        uint64_t exact = samples[rank - 1], got = histogram_percentile(h, p);
        double err = fabs((double)got - (double)exact) / (double)exact;
        cr_assert_leq(err, 0.001, "p%g: histogram %llu, exact %llu (error %.5f%%)", p,
                      (unsigned long long)got, (unsigned long long)exact, err * 100);
        cr_assert_leq(got, histogram_max(h), "p%g above max", p);
    }
    cr_assert_eq(histogram_percentile(h, 100), samples[N_SAMPLES - 1]);
    histogram_destroy(&h);
    free(samples);
}

Test(histogram, percentiles_of_bimodal_within_0_1_percent) {
    s_check_percentiles(s_bimodal, 42);
    s_check_percentiles(s_bimodal, 4242);
}

Test(histogram, percentiles_of_lognormal_within_0_1_percent) {
    s_check_percentiles(s_lognormal, 7);
    s_check_percentiles(s_lognormal, 777);
}

Test(histogram, percentiles_never_exceed_max_and_are_monotonic) {
    uint64_t state = 99;
    histogram_t *h = histogram_new();
    for (int i = 0; i < 5000; i++)
        histogram_record(h, s_lognormal(&state));
    uint64_t prev = 0;
    for (double p = 0; p <= 100; p += 0.25) {
        uint64_t v = histogram_percentile(h, p);
        cr_assert_leq(v, histogram_max(h), "p%g", p);
        cr_assert_geq(v, histogram_min(h), "p%g", p);
        cr_assert_geq(v, prev, "p%g went down", p);
        prev = v;
    }
    cr_assert_eq(histogram_percentile(h, 0), histogram_min(h));
    cr_assert_eq(histogram_percentile(h, 100), histogram_max(h));
    cr_assert_eq(histogram_percentile(h, 150), histogram_max(h));
    cr_assert_eq(histogram_percentile(h, -5), histogram_min(h));
    cr_assert_eq(histogram_percentile(h, NAN), histogram_min(h));
    histogram_destroy(&h);
}

Test(histogram, percentile_clamped_to_min_and_max) {
    histogram_t *h = histogram_new();
    /* 1,000,000 us sits in a 512 us wide bucket whose midpoint is above it. */
    histogram_record_n(h, 1000000, 3);
    for (double p = 1; p <= 100; p += 1)
        cr_assert_eq(histogram_percentile(h, p), 1000000, "p%g", p);
    histogram_reset(h);
    /* ...and one near the top of a bucket, whose midpoint is below it. */
    histogram_record_n(h, 1000400, 3);
    cr_assert_eq(histogram_percentile(h, 50), 1000400);
    histogram_destroy(&h);
}

Test(histogram, small_values_are_exact) {
    histogram_t *h = histogram_new();
    for (uint64_t v = 1; v <= 100; v++)
        histogram_record(h, v);
    cr_assert_eq(histogram_percentile(h, 50), 50);
    cr_assert_eq(histogram_percentile(h, 99), 99);
    cr_assert_eq(histogram_percentile(h, 1), 1);
    cr_assert_eq(histogram_percentile(h, 0.5), 1);
    histogram_destroy(&h);
}

Test(histogram, empty_is_all_zero) {
    histogram_t *h = histogram_new();
    int32_t idx = -1;
    uint64_t count = 0;
    cr_assert_eq(histogram_count(h), 0);
    cr_assert_eq(histogram_min(h), 0);
    cr_assert_eq(histogram_max(h), 0);
    cr_assert_eq(histogram_sum(h), 0);
    cr_assert_eq(histogram_mean(h), 0.0);
    cr_assert_eq(histogram_percentile(h, 50), 0);
    cr_assert_not(histogram_next_bucket(h, &idx, &count));
    histogram_destroy(&h);
    cr_assert_null(h, "destroy sets the pointer to NULL");
    histogram_destroy(&h);
    histogram_destroy(NULL);
}

Test(histogram, merge_of_subsets_equals_histogram_of_union) {
    enum { K = 8 };
    uint64_t state = 2024;
    histogram_t *parts[K], *all = histogram_new(), *merged = histogram_new();
    for (int k = 0; k < K; k++)
        parts[k] = histogram_new();
    for (int i = 0; i < N_SAMPLES; i++) {
        uint64_t v = (i % 2) ? s_bimodal(&state) : s_lognormal(&state);
        histogram_record(all, v);
        histogram_record(parts[s_next(&state) % K], v);
    }
    for (int k = 0; k < K; k++)
        histogram_merge(merged, parts[k]);
    s_assert_same(merged, all);
    for (size_t i = 0; i < sizeof s_percentiles / sizeof s_percentiles[0]; i++)
        cr_assert_eq(histogram_percentile(merged, s_percentiles[i]),
                     histogram_percentile(all, s_percentiles[i]));
    for (int k = 0; k < K; k++)
        histogram_destroy(&parts[k]);
    histogram_destroy(&all);
    histogram_destroy(&merged);
}

Test(histogram, merge_of_empty_changes_nothing) {
    histogram_t *a = histogram_new(), *empty = histogram_new(), *copy = histogram_new();
    histogram_record(a, 1234);
    histogram_record(a, 99);
    histogram_merge(copy, a);
    histogram_merge(a, empty);
    s_assert_same(a, copy);
    histogram_merge(empty, a); /* into an empty one: takes min, max, sum */
    s_assert_same(empty, a);
    histogram_destroy(&a);
    histogram_destroy(&empty);
    histogram_destroy(&copy);
}

Test(histogram, reset_empties_everything) {
    histogram_t *h = histogram_new();
    histogram_record(h, 5);
    histogram_record(h, 1000000);
    histogram_record(h, HISTOGRAM_HIGHEST_US);
    histogram_reset(h);
    int32_t idx = -1;
    uint64_t count = 0;
    cr_assert_eq(histogram_count(h), 0);
    cr_assert_eq(histogram_min(h), 0);
    cr_assert_eq(histogram_max(h), 0);
    cr_assert_eq(histogram_sum(h), 0);
    cr_assert_not(histogram_next_bucket(h, &idx, &count));
    /* No stale bucket survives, not even at the old min and max. */
    histogram_record(h, 5);
    histogram_record(h, HISTOGRAM_HIGHEST_US);
    uint64_t seen = 0;
    idx = -1;
    while (histogram_next_bucket(h, &idx, &count)) {
        cr_assert_eq(count, 1, "bucket %d kept a stale count", idx);
        seen++;
    }
    cr_assert_eq(seen, 2);
    cr_assert_eq(histogram_count(h), 2);
    cr_assert_eq(histogram_percentile(h, 50), 5);
    histogram_destroy(&h);
}

Test(histogram, clamps_out_of_range_values) {
    histogram_t *h = histogram_new();
    histogram_record(h, UINT64_MAX);
    histogram_record(h, HISTOGRAM_HIGHEST_US + 1);
    cr_assert_eq(histogram_count(h), 2);
    cr_assert_eq(histogram_max(h), HISTOGRAM_HIGHEST_US);
    cr_assert_eq(histogram_sum(h), 2 * HISTOGRAM_HIGHEST_US);
    cr_assert_eq(histogram_percentile(h, 50), HISTOGRAM_HIGHEST_US);
    histogram_record(h, 0);
    cr_assert_eq(histogram_min(h), HISTOGRAM_LOWEST_US, "0 counts as 1 us");
    histogram_record_n(h, 77, 0);
    cr_assert_eq(histogram_count(h), 3, "n = 0 records nothing");
    histogram_destroy(&h);
}

Test(histogram, mean_and_sum_are_exact) {
    histogram_t *h = histogram_new();
    for (uint64_t v = 1; v <= 1000; v++)
        histogram_record(h, v);
    cr_assert_eq(histogram_mean(h), 500.5);
    histogram_reset(h);
    /* Same bucket (512 us wide here): the mean is of values, not of buckets. */
    histogram_record(h, 1000001);
    histogram_record(h, 1000003);
    cr_assert_eq(s_index_of(1000001), s_index_of(1000003));
    cr_assert_eq(histogram_sum(h), 2000004);
    cr_assert_eq(histogram_mean(h), 1000002.0);
    histogram_record_n(h, 7, 3);
    cr_assert_eq(histogram_sum(h), 2000025);
    cr_assert_eq(histogram_count(h), 5);
    cr_assert_eq(histogram_mean(h), 400005.0);
    histogram_destroy(&h);
}

Test(histogram, buckets_hold_three_significant_digits) {
    int32_t total = histogram_bucket_total();
    cr_assert_gt(total, 0);
    cr_assert_eq(histogram_bucket_low_us(s_index_of(1)), 1);
    cr_assert_lt(s_index_of(HISTOGRAM_HIGHEST_US), total);
    histogram_t *scratch = histogram_new();
    int32_t first = s_index_of(1), last = s_index_of(HISTOGRAM_HIGHEST_US);
    for (int32_t i = first; i + 1 <= last; i++) {
        uint64_t low = histogram_bucket_low_us(i), next = histogram_bucket_low_us(i + 1);
        cr_assert_gt(next, low, "bucket %d", i);
        cr_assert_leq((next - low) * 1024, low < 1024 ? 1024 : low, "bucket %d too wide", i);
        cr_assert_eq(s_index_in(scratch, low), i, "low of bucket %d lands in it", i);
        cr_assert_eq(s_index_in(scratch, next - 1), i, "top of bucket %d lands in it", i);
    }
    histogram_destroy(&scratch);
}

/* The decode side: rebuilding from next_bucket output reproduces the histogram. */
Test(histogram, rebuild_from_sparse_parts) {
    uint64_t state = 5;
    histogram_t *src = histogram_new(), *dst = histogram_new();
    for (int i = 0; i < 20000; i++)
        histogram_record(src, s_lognormal(&state));
    int32_t idx = -1;
    uint64_t count;
    while (histogram_next_bucket(src, &idx, &count))
        cr_assert_eq(histogram_add_bucket(dst, idx, count), 0);
    cr_assert_eq(
        histogram_set_stats(dst, histogram_min(src), histogram_max(src), histogram_sum(src)), 0);
    s_assert_same(dst, src);
    cr_assert_eq(histogram_percentile(dst, 99.9), histogram_percentile(src, 99.9));
    histogram_reset(dst);
    cr_assert_eq(histogram_count(dst), 0);
    histogram_destroy(&src);
    histogram_destroy(&dst);
}

Test(histogram, add_bucket_refuses_out_of_range) {
    histogram_t *h = histogram_new();
    cr_assert_eq(histogram_add_bucket(h, -1, 1), -1);
    cr_assert_eq(histogram_add_bucket(h, INT32_MIN, 1), -1);
    cr_assert_eq(histogram_add_bucket(h, s_index_of(1) - 1, 1), -1, "below 1 us");
    cr_assert_eq(histogram_add_bucket(h, s_index_of(HISTOGRAM_HIGHEST_US) + 1, 1), -1);
    cr_assert_eq(histogram_add_bucket(h, histogram_bucket_total(), 1), -1);
    cr_assert_eq(histogram_add_bucket(h, INT32_MAX, 1), -1);
    cr_assert_eq(histogram_count(h), 0, "refusals add nothing");
    cr_assert_eq(histogram_add_bucket(h, s_index_of(HISTOGRAM_HIGHEST_US), 1), 0);
    cr_assert_eq(histogram_add_bucket(h, s_index_of(1), 1), 0);
    /* A count that would overflow the bucket or the total. */
    cr_assert_eq(histogram_add_bucket(h, s_index_of(1), UINT64_MAX), -1);
    cr_assert_eq(histogram_count(h), 2);
    cr_assert_eq(histogram_set_stats(h, 1, HISTOGRAM_HIGHEST_US, 1 + HISTOGRAM_HIGHEST_US), 0);
    cr_assert_eq(histogram_percentile(h, 100), HISTOGRAM_HIGHEST_US);
    histogram_destroy(&h);
}

Test(histogram, set_stats_refuses_inconsistent) {
    histogram_t *h = histogram_new();
    cr_assert_eq(histogram_set_stats(h, 0, 0, 0), 0, "empty with zero stats");
    cr_assert_eq(histogram_set_stats(h, 1, 1, 1), -1, "empty with stats");
    cr_assert_eq(histogram_set_stats(h, 0, 0, 5), -1, "empty with a sum");
    /* Two values of 1000 us and one of 5000 us (a 4 us wide bucket: 5000..5003). */
    cr_assert_eq(histogram_add_bucket(h, s_index_of(1000), 2), 0);
    cr_assert_eq(histogram_add_bucket(h, s_index_of(5000), 1), 0);
    cr_assert_eq(histogram_set_stats(h, 999, 5000, 7000), -1, "min below its bucket");
    cr_assert_eq(histogram_set_stats(h, 1001, 5000, 7002), -1, "min above its bucket");
    cr_assert_eq(histogram_set_stats(h, 1000, 4999, 7000), -1, "max below its bucket");
    cr_assert_eq(histogram_set_stats(h, 1000, 5004, 7000), -1, "max above its bucket");
    cr_assert_eq(histogram_set_stats(h, 1000, 3000, 5000), -1, "max in an empty bucket");
    cr_assert_eq(histogram_set_stats(h, 0, 5000, 7000), -1, "min 0");
    cr_assert_eq(histogram_set_stats(h, 5000, 1000, 7000), -1, "min > max");
    cr_assert_eq(histogram_set_stats(h, 1000, 5000, 2999), -1, "sum < count * min");
    cr_assert_eq(histogram_set_stats(h, 1000, 5000, 15001), -1, "sum > count * max");
    cr_assert_eq(histogram_set_stats(h, 1000, HISTOGRAM_HIGHEST_US + 1, 7000), -1);
    cr_assert_eq(histogram_set_stats(h, 1000, 5003, 7003), 0, "consistent");
    cr_assert_eq(histogram_min(h), 1000);
    cr_assert_eq(histogram_max(h), 5003);
    cr_assert_eq(histogram_sum(h), 7003);
    cr_assert_eq(histogram_percentile(h, 50), 1000);
    cr_assert_eq(histogram_percentile(h, 100), 5003);
    histogram_destroy(&h);
}

/* Histograms start sparse and turn dense past a few hundred buckets; every
 * path (record, merge sparse into sparse, sparse into dense, dense into
 * sparse, add_bucket, reset) must give the same buckets and percentiles as
 * recording every sample into one histogram. */
static bool s_same_buckets(const histogram_t *a, const histogram_t *b) {
    int32_t ia = -1, ib = -1;
    uint64_t ca = 0, cb = 0;
    for (;;) {
        bool ma = histogram_next_bucket(a, &ia, &ca), mb = histogram_next_bucket(b, &ib, &cb);
        if (ma != mb) return false;
        if (!ma) return true;
        if (ia != ib || ca != cb) return false;
    }
}

Test(histogram, sparse_and_dense_forms_agree) {
    histogram_t *all = histogram_new(), *merged = histogram_new();
    histogram_t *parts[20];
    uint64_t x = 12345;
    for (int p = 0; p < 20; p++) {
        parts[p] = histogram_new();
        /* Part p holds 30 distinct values around its own decade: sparse. */
        for (int i = 0; i < 30; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t v = 100 + (uint64_t)p * 997 + (x >> 33) % 200;
            histogram_record(parts[p], v);
            histogram_record(all, v);
        }
        histogram_merge(merged, parts[p]); /* turns dense after ~4 parts */
    }
    cr_expect(s_same_buckets(all, merged));
    cr_expect_eq(histogram_count(merged), 600);
    cr_expect_eq(histogram_min(merged), histogram_min(all));
    cr_expect_eq(histogram_max(merged), histogram_max(all));
    cr_expect_eq(histogram_sum(merged), histogram_sum(all));
    for (double p = 0; p <= 100; p += 0.5) {
        cr_expect_eq(histogram_percentile(merged, p), histogram_percentile(all, p), "p%g", p);
    }
    /* A dense histogram merged into an empty (sparse) one. */
    histogram_t *copy = histogram_new();
    histogram_merge(copy, merged);
    cr_expect(s_same_buckets(copy, all));
    /* Rebuilt bucket by bucket, as the decoder does. */
    histogram_t *rebuilt = histogram_new();
    int32_t idx = -1;
    uint64_t count;
    while (histogram_next_bucket(all, &idx, &count)) {
        cr_assert_eq(histogram_add_bucket(rebuilt, idx, count), 0);
    }
    cr_expect_eq(histogram_set_stats(rebuilt, histogram_min(all), histogram_max(all),
                                     histogram_sum(all)),
                 0);
    cr_expect(s_same_buckets(rebuilt, all));
    cr_expect_eq(histogram_percentile(rebuilt, 99), histogram_percentile(all, 99));
    /* Reset empties either form; both record again from scratch. */
    histogram_reset(merged);
    histogram_reset(parts[0]);
    cr_expect_eq(histogram_count(merged), 0);
    cr_expect_not(histogram_next_bucket(merged, &(int32_t){-1}, &count));
    histogram_record(merged, 5000);
    histogram_record(parts[0], 5000);
    cr_expect(s_same_buckets(merged, parts[0]));
    cr_expect_eq(histogram_percentile(parts[0], 50), 5000);
    for (int p = 0; p < 20; p++) histogram_destroy(&parts[p]);
    histogram_destroy(&all);
    histogram_destroy(&merged);
    histogram_destroy(&copy);
    histogram_destroy(&rebuilt);
}
