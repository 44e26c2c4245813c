/* test_verdicts: report/verdicts — thresholds judged each second while a run
 * goes on, and when one with abort set stops it. */
#include <criterion/criterion.h>
#include <string.h>

#include "report/verdicts.h"

static thresholds_check_t s_check(const char *text, bool abort, uint64_t delay_ms) {
    thresholds_check_t c;
    char err[200];
    cr_assert_eq(thresholds_parse(text, &c, err, sizeof err, NULL), 0, "%s: %s", text, err);
    c.abort = abort;
    c.delay_ms = delay_ms;
    return c;
}

/* One second of n requests at us each, failures of them failed, into both the
 * run's results and the verdicts' windows. */
static void s_second(verdicts_t *v, results_t *r, uint32_t second, uint64_t us, uint64_t n,
                     uint64_t failures) {
    histogram_t *h = histogram_new();
    histogram_record_n(h, us, n);
    results_row_delta_t row = {.method = "GET", .name = "/", .requests = n, .failures = failures,
                               .latency = h};
    results_delta_t d = {.n_rows = 1, .rows = &row};
    results_add(r, &d);
    verdicts_add(v, second, &d);
    histogram_destroy(&h);
}

Test(verdicts, an_aborting_threshold_stops_the_run_once_its_delay_has_passed) {
    thresholds_check_t c[2] = {s_check("p95 < 1s", false, 0),
                               s_check("failure_rate < 1%", true, 2000)};
    verdicts_t *v = verdicts_new(c, 2);
    results_t *r = results_new();
    cr_expect_eq(verdicts_count(v), 0, "nothing judged yet");
    /* Second 0: failing already, but the delay (2 s) has not passed. */
    s_second(v, r, 0, 5000, 100, 50);
    cr_expect_eq(verdicts_judge(v, r, 1, 1000), VERDICTS_NO_ABORT);
    cr_assert_eq(verdicts_count(v), 2);
    cr_expect(verdicts_get(v, 0)->passed);
    cr_expect_not(verdicts_get(v, 1)->passed);
    cr_expect_str_eq(verdicts_get(v, 1)->measured, "50%");
    cr_expect_eq(verdicts_failing(v), 1);
    /* Seconds 1..3 clean: the whole-run rate falls but stays above 1%. */
    for (uint32_t s = 1; s < 4; s++) s_second(v, r, s, 5000, 100, 0);
    cr_expect_eq(verdicts_judge(v, r, 4, 4000), 1, "failing after its delay: stop");
    cr_expect_str_eq(verdicts_get(v, 1)->measured, "12.5%");
    verdicts_destroy(&v);
    results_destroy(&r);
    thresholds_check_fini(&c[0]);
    thresholds_check_fini(&c[1]);
}

Test(verdicts, nothing_measured_fails_but_never_aborts) {
    thresholds_check_t c = s_check("p95 < 300ms", true, 0);
    verdicts_t *v = verdicts_new(&c, 1);
    results_t *r = results_new();
    cr_expect_eq(verdicts_judge(v, r, 3, 3000), VERDICTS_NO_ABORT);
    cr_expect_not(verdicts_get(v, 0)->passed);
    cr_expect_str_eq(verdicts_get(v, 0)->measured, "no requests");
    verdicts_destroy(&v);
    results_destroy(&r);
    thresholds_check_fini(&c);
}

Test(verdicts, a_windowed_threshold_forgets_a_bad_start) {
    thresholds_check_t c = s_check("p95 < 300ms over 2s", true, 0);
    verdicts_t *v = verdicts_new(&c, 1);
    results_t *r = results_new();
    s_second(v, r, 0, 900000, 100, 0); /* a cold start: 900 ms */
    cr_expect_eq(verdicts_judge(v, r, 1, 1000), 0, "over its window so far: failing");
    verdicts_destroy(&v);
    v = verdicts_new(&c, 1);
    results_destroy(&r);
    r = results_new();
    s_second(v, r, 0, 900000, 100, 0);
    s_second(v, r, 1, 20000, 100, 0);
    s_second(v, r, 2, 20000, 100, 0);
    cr_expect_eq(verdicts_judge(v, r, 3, 3000), VERDICTS_NO_ABORT,
                 "seconds 1 and 2 are fast: the slow second 0 has left the window");
    cr_expect(verdicts_get(v, 0)->passed, "measured %s", verdicts_get(v, 0)->measured);
    cr_expect_str_eq(verdicts_get(v, 0)->measured, "20ms");
    cr_expect_eq(window_closed(verdicts_window(v)), 3);
    verdicts_destroy(&v);
    results_destroy(&r);
    thresholds_check_fini(&c);
}
