/* test_timeline: the run second by second — binning by the caller's second,
 * closing seconds with users and wall clock, per-second percentiles and the
 * cumulative totals (report/timeline.h). */
#include <criterion/criterion.h>

#include <string.h>

#include "report/timeline.h"

/* Adds a report of one row: n requests of latency_us, failures of them failed. */
static void s_add(timeline_t *t, uint32_t second, uint64_t n, uint64_t latency_us,
                  uint64_t failures, uint64_t bytes) {
    histogram_t *h = histogram_new();
    histogram_record_n(h, latency_us, n);
    results_row_delta_t row = {.method = "GET",
                               .name = "/",
                               .requests = n,
                               .failures = failures,
                               .bytes = bytes,
                               .latency = h};
    timeline_add(t, second, &(results_delta_t){.n_rows = 1, .rows = &row});
    histogram_destroy(&h);
}

Test(timeline, new_is_empty_and_destroy_nulls) {
    timeline_t *t = timeline_new();
    cr_assert_not_null(t);
    cr_expect_eq(timeline_count(t), 0);
    cr_expect_null(timeline_point(t, 0));
    timeline_destroy(&t);
    cr_expect_null(t);
    timeline_destroy(&t);
    timeline_destroy(NULL);
}

Test(timeline, seconds_close_with_users_wall_clock_and_their_own_percentiles) {
    timeline_t *t = timeline_new();
    s_add(t, 0, 10, 1000, 1, 100);
    s_add(t, 0, 10, 3000, 0, 100);
    timeline_close_until(t, 1, 4, 1700000000000ull);
    s_add(t, 1, 5, 9000, 2, 50);
    timeline_close_until(t, 3, 6, 1700000000000ull); /* second 2 is quiet */
    cr_assert_eq(timeline_count(t), 3);

    const timeline_point_t *p0 = timeline_point(t, 0);
    cr_expect_eq(p0->second, 0);
    cr_expect_eq(p0->wall_ms, 1700000001000ull, "the end of second 0");
    cr_expect_eq(p0->users, 4);
    cr_expect_eq(p0->requests, 20);
    cr_expect_eq(p0->failures, 1);
    cr_expect_eq(p0->bytes, 200);
    cr_expect_eq(p0->pct_us[PERCENTILES_P50], 1000);
    cr_expect_eq(p0->pct_us[PERCENTILES_P95], 3000);
    cr_expect_eq(p0->total_requests, 20);

    const timeline_point_t *p1 = timeline_point(t, 1);
    cr_expect_eq(p1->users, 6);
    cr_expect_eq(p1->requests, 5);
    cr_expect_eq(p1->pct_us[PERCENTILES_P50], 9000, "only this second's latencies");
    cr_expect_eq(p1->total_requests, 25);
    cr_expect_eq(p1->total_failures, 3);
    cr_expect_eq(p1->total_bytes, 250);
    cr_expect_eq(p1->total_min_us, 1000);
    cr_expect_eq(p1->total_max_us, 9000);
    cr_expect_eq(p1->total_median_us, 3000);
    cr_expect_float_eq(p1->total_avg_us, (10 * 1000 + 10 * 3000 + 5 * 9000) / 25.0, 1e-9);

    const timeline_point_t *p2 = timeline_point(t, 2);
    cr_expect_eq(p2->wall_ms, 1700000003000ull);
    cr_expect_eq(p2->requests, 0);
    for (int i = 0; i < PERCENTILES_N; i++)
        cr_expect_eq(p2->pct_us[i], 0, "quiet: no percentiles");
    cr_expect_eq(p2->total_requests, 25, "the totals carry on");
    cr_expect_null(timeline_point(t, 3));
    timeline_destroy(&t);
}

Test(timeline, a_report_for_a_closed_second_counts_in_the_open_one) {
    timeline_t *t = timeline_new();
    timeline_close_until(t, 2, 1, 0);
    s_add(t, 0, 7, 500, 0, 0); /* late: seconds 0 and 1 are closed */
    timeline_close_until(t, 3, 1, 0);
    cr_assert_eq(timeline_count(t), 3);
    cr_expect_eq(timeline_point(t, 0)->requests, 0);
    cr_expect_eq(timeline_point(t, 1)->requests, 0);
    cr_expect_eq(timeline_point(t, 2)->requests, 7);
    timeline_close_until(t, 3, 1, 0);
    cr_expect_eq(timeline_count(t), 3, "closing up to a closed second does nothing");
    timeline_destroy(&t);
}

Test(timeline, append_keeps_ready_made_points) {
    timeline_t *t = timeline_new();
    for (uint32_t s = 0; s < 100; s++) {
        timeline_point_t p = {.second = s, .requests = s * 2, .total_avg_us = s + 0.5};
        timeline_append(t, &p);
    }
    cr_assert_eq(timeline_count(t), 100);
    cr_expect_eq(timeline_point(t, 99)->requests, 198);
    cr_expect_float_eq(timeline_point(t, 42)->total_avg_us, 42.5, 1e-12);
    timeline_destroy(&t);
}

Test(timeline, a_clone_is_deep_and_goes_on_like_the_original) {
    timeline_t *t = timeline_new();
    s_add(t, 0, 10, 1000, 1, 100);
    timeline_close_until(t, 1, 4, 1700000000000ull);
    s_add(t, 1, 5, 9000, 2, 50); /* the open second, in the clone too */
    timeline_t *c = timeline_clone(t);
    cr_assert_eq(timeline_count(c), 1);
    cr_expect_eq(timeline_point(c, 0)->requests, 10);
    timeline_close_until(c, 2, 6, 1700000000000ull);
    timeline_close_until(t, 2, 6, 1700000000000ull);
    cr_assert_eq(timeline_count(c), 2);
    cr_expect_eq(memcmp(timeline_point(c, 1), timeline_point(t, 1), sizeof(timeline_point_t)), 0);
    cr_expect_eq(timeline_point(c, 1)->total_requests, 15);
    timeline_destroy(&t);
    cr_expect_eq(timeline_point(c, 0)->users, 4, "alive after the original");
    timeline_destroy(&c);
}
