/* test_window: report/window — per-second samples of windowed thresholds;
 * a window's percentile is that of the union of its seconds. */
#include <criterion/criterion.h>
#include <string.h>

#include "common/histogram.h"
#include "report/window.h"

static thresholds_check_t s_check(const char *text) {
    thresholds_check_t c;
    char err[200];
    cr_assert_eq(thresholds_parse(text, &c, err, sizeof err, NULL), 0, "%s: %s", text, err);
    return c;
}

/* One row of n requests at us each (failures of them failed) under name. */
static void s_add(window_t *w, uint32_t second, const char *name, uint64_t us, uint64_t n,
                  uint64_t failures) {
    histogram_t *h = histogram_new();
    histogram_record_n(h, us, n);
    results_row_delta_t row = {.method = "GET", .name = name, .requests = n, .failures = failures,
                               .latency = h};
    results_delta_t d = {.n_rows = 1, .rows = &row};
    window_add(w, second, &d);
    histogram_destroy(&h);
}

Test(window, a_windows_percentile_is_that_of_the_union_of_its_seconds) {
    thresholds_check_t c[2] = {s_check("p95 < 300ms over 3s"), s_check("p95 < 300ms")};
    window_t *w = window_new(c, 2);
    histogram_t *u = histogram_new();
    /* Seconds 0..5 with different latencies: the last 3 closed seconds (3, 4, 5) count. */
    for (uint32_t s = 0; s < 6; s++) {
        uint64_t us = 1000 * (s + 1) * (s + 1), n = 10 + 7 * s;
        s_add(w, s, "/a", us, n, s == 4 ? 2 : 0);
        if (s >= 3) histogram_record_n(u, us, n);
    }
    window_close_until(w, 6);
    cr_assert_eq(window_closed(w), 6);
    thresholds_sample_t s;
    histogram_t *own = NULL;
    uint32_t covered = 0;
    window_sample(w, 0, &s, &own, &covered);
    cr_expect_eq(covered, 3);
    cr_expect_eq(s.requests, (10 + 21) + (10 + 28) + (10 + 35));
    cr_expect_eq(s.failures, 2);
    for (double p = 50; p <= 100; p += 5)
        cr_expect_eq(histogram_percentile(s.latency, p), histogram_percentile(u, p),
                     "p%g of the window = p%g of the union", p, p);
    histogram_destroy(&own);
    window_sample(w, 1, &s, &own, &covered);
    cr_expect_eq(s.requests, 0, "a check without a window keeps no seconds");
    cr_expect_null(own);
    histogram_destroy(&u);
    window_destroy(&w);
    thresholds_check_fini(&c[0]);
    thresholds_check_fini(&c[1]);
}

/* As the master feeds it: each second closes before reports go to the next.
 * With one slot per second of the window, the open second's first report
 * evicted the window's oldest second ("p95 < 1s over 1s" measured "no
 * requests" at every run's end). */
Test(window, reports_to_the_open_second_keep_the_closed_ones) {
    thresholds_check_t c[1] = {s_check("rps > 1 over 2s")};
    window_t *w = window_new(c, 1);
    for (uint32_t s = 0; s < 5; s++) {
        window_close_until(w, s);
        s_add(w, s, "/a", 1000, s + 1, 0);
    }
    /* Second 4 is open (5 requests in it); the window is seconds 2 and 3. */
    thresholds_sample_t smp;
    histogram_t *own = NULL;
    uint32_t covered = 0;
    window_sample(w, 0, &smp, &own, &covered);
    cr_expect_eq(covered, 2);
    cr_expect_eq(smp.requests, 3 + 4, "got %llu", (unsigned long long)smp.requests);
    histogram_destroy(&own);
    window_close_until(w, 5);
    window_sample(w, 0, &smp, &own, &covered);
    cr_expect_eq(smp.requests, 4 + 5, "seconds 3 and 4 once 4 closed");
    histogram_destroy(&own);
    window_destroy(&w);
    thresholds_check_fini(&c[0]);
}

Test(window, a_window_longer_than_the_run_uses_what_exists) {
    thresholds_check_t c = s_check("p99 < 1s over 30s");
    window_t *w = window_new(&c, 1);
    s_add(w, 0, "/a", 5000, 4, 0);
    s_add(w, 1, "/a", 9000, 6, 1);
    window_close_until(w, 2);
    thresholds_sample_t s;
    histogram_t *own = NULL;
    uint32_t covered = 0;
    window_sample(w, 0, &s, &own, &covered);
    cr_expect_eq(covered, 2, "two seconds exist");
    cr_expect_eq(s.requests, 10);
    cr_expect_eq(s.failures, 1);
    cr_expect_eq(histogram_max(s.latency), histogram_max(own));
    histogram_destroy(&own);
    window_destroy(&w);
    thresholds_check_fini(&c);
}

Test(window, a_named_check_counts_its_rows_and_old_seconds_leave) {
    thresholds_check_t c = s_check("/b: failure_rate < 1% over 2s");
    window_t *w = window_new(&c, 1);
    s_add(w, 0, "/b", 1000, 10, 10);
    s_add(w, 0, "/a", 1000, 50, 50); /* not /b's */
    s_add(w, 3, "/b", 1000, 10, 0);
    window_close_until(w, 4);
    s_add(w, 2, "/b", 1000, 5, 0); /* late: counts in the open second, 4 */
    window_close_until(w, 5);
    thresholds_sample_t s;
    histogram_t *own = NULL;
    uint32_t covered = 0;
    window_sample(w, 0, &s, &own, &covered);
    cr_expect_eq(covered, 2);
    cr_expect_eq(s.requests, 15, "seconds 3 and 4; second 0 has left the window");
    cr_expect_eq(s.failures, 0);
    histogram_destroy(&own);
    window_destroy(&w);
    thresholds_check_fini(&c);
}
