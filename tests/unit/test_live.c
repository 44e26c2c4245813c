/* test_live: the live view — the plain progress line and the terminal table,
 * which share the load part and the window (master/live.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "master/live.h"

/* GET /fast: n requests of latency_us, failures of them failed. */
static void s_add(results_t *r, uint64_t n, uint64_t latency_us, uint64_t failures) {
    histogram_t *h = histogram_new();
    histogram_record_n(h, latency_us, n);
    results_row_delta_t row = {
        .method = "GET", .name = "/fast", .requests = n, .failures = failures, .latency = h};
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &row});
    histogram_destroy(&h);
}

/* One tick of l drawn into a string (caller frees). */
static char *s_tick(bool tty, live_t **lp, results_t *r, const summary_live_t *info) {
    char *text = NULL;
    size_t bytes = 0;
    FILE *f = open_memstream(&text, &bytes);
    cr_assert_not_null(f);
    if (!*lp) *lp = live_new(f, tty);
    live_tick(*lp, r, info);
    fclose(f);
    return text;
}

Test(live, line_shows_progress_load_totals_and_window) {
    results_t *r = results_new();
    s_add(r, 104, 50000, 10);
    summary_live_t info = {.elapsed_s = 12.5,
                           .duration_s = 60,
                           .window_s = 2,
                           .users = 5,
                           .users_target = 10,
                           .workers = 2};
    live_t *l = NULL;
    char *text = s_tick(false, &l, r, &info);
    cr_expect_str_eq(text, "[  12.5s/60s] users 5/10  workers 2  reqs 104  fails 10 (9.62%)  "
                           "rps 52.0  p50 50.0ms p95 50.0ms p99 50.0ms\n");
    cr_expect_eq(results_total(r)->win_requests, 0, "the tick consumed the window");
    free(text);
    live_destroy(&l);
    results_destroy(&r);
}

Test(live, line_of_a_run_without_a_run_time_shows_no_bound) {
    results_t *r = results_new();
    s_add(r, 10, 1000, 0);
    summary_live_t info = {.elapsed_s = 4, .window_s = 2, .users = 4, .users_target = 4,
                           .workers = 2};
    live_t *l = NULL;
    char *text = s_tick(false, &l, r, &info);
    cr_expect(strncmp(text, "[   4.0s] users 4/4  workers 2  reqs 10", 39) == 0,
              "no '/0s' (it reads as a run already over): %s", text);
    free(text);
    live_destroy(&l);
    text = s_tick(true, &l, r, &info);
    cr_expect(strstr(text, "elapsed 4s  until stopped\n") != NULL, "%s", text);
    cr_expect(strstr(text, "remaining") == NULL, "%s", text);
    free(text);
    live_destroy(&l);
    results_destroy(&r);
}

Test(live, line_of_the_open_model_and_an_empty_window) {
    results_t *r = results_new();
    summary_live_t info = {.elapsed_s = 1,
                           .duration_s = 10,
                           .window_s = 0,
                           .open = true,
                           .rate = 200,
                           .users = 3,
                           .users_target = 50,
                           .dropped = 7,
                           .workers = 1};
    live_t *l = NULL;
    char *text = s_tick(false, &l, r, &info);
    cr_expect_str_eq(text,
                     "[   1.0s/10s] rate 200.0/s  in flight 3/50  dropped 7  workers 1  "
                     "reqs 0  fails 0 (0.00%)  rps 0.0  p50 0.000ms p95 0.000ms p99 0.000ms\n");
    free(text);
    live_destroy(&l);
    results_destroy(&r);
}

/* A rate ramp at 0/s (its first or last moment) is still the open model: the
 * line must not switch to "users N/max_users". */
Test(live, line_of_the_open_model_at_a_rate_of_zero) {
    results_t *r = results_new();
    summary_live_t info = {.elapsed_s = 4, .duration_s = 4, .window_s = 2, .open = true,
                           .rate = 0, .users = 1, .users_target = 50, .workers = 2};
    live_t *l = NULL;
    char *text = s_tick(false, &l, r, &info);
    cr_expect_str_eq(text,
                     "[   4.0s/4s] rate 0.0/s  in flight 1/50  dropped 0  workers 2  "
                     "reqs 0  fails 0 (0.00%)  rps 0.0  p50 0.000ms p95 0.000ms p99 0.000ms\n");
    free(text);
    live_destroy(&l);
    results_destroy(&r);
}

Test(live, line_rate_and_percentiles_span_the_last_slots) {
    results_t *r = results_new();
    char *text = NULL;
    size_t bytes = 0;
    FILE *f = open_memstream(&text, &bytes);
    cr_assert_not_null(f);
    live_t *l = live_new(f, false);
    summary_live_t info = {.elapsed_s = 2, .duration_s = 60, .window_s = 2, .workers = 1};
    /* 20 fast requests in the first 2 s, 80 slow ones in the next 2 s. */
    s_add(r, 20, 1000, 0);
    live_tick(l, r, &info);
    fflush(f);
    size_t first = bytes;
    s_add(r, 80, 9000, 0);
    info.elapsed_s = 4;
    live_tick(l, r, &info);
    fflush(f);
    cr_expect(strstr(text + first, "reqs 100  fails 0 (0.00%)  rps 25.0  p50 9.00ms"),
              "100 requests over two 2 s slots, the median among the slow: %s", text + first);
    /* After LIVE_WINDOW_SLOTS quiet ticks both have left the window. */
    for (int i = 0; i < LIVE_WINDOW_SLOTS; i++)
        live_tick(l, r, &info);
    fflush(f);
    cr_expect(strstr(strrchr(text, '['), "reqs 100  fails 0 (0.00%)  rps 0.0  p50 0.000ms"), "%s",
              strrchr(text, '['));
    live_destroy(&l);
    fclose(f);
    free(text);
    results_destroy(&r);
}

Test(live, table_has_the_same_load_part_and_one_row_per_name) {
    results_t *r = results_new();
    s_add(r, 104, 50000, 10);
    summary_live_t info = {.elapsed_s = 30,
                           .duration_s = 60,
                           .window_s = 2,
                           .users = 5,
                           .users_target = 10,
                           .workers = 2};
    live_t *l = NULL;
    char *text = s_tick(true, &l, r, &info);
    cr_expect(strstr(text,
                     "\033[H\033[2Jbarrage  users 5/10  workers 2  elapsed 30s  remaining 30s  "
                     "[###############...............]\n"),
              "%s", text);
    cr_expect(strstr(text, "(rps and percentiles over the last 10 s)\n"), "%s", text);
    cr_expect(strstr(text, "GET     /fast"), "%s", text);
    cr_expect(strstr(text, "        Aggregated"), "%s", text);
    cr_expect(strstr(text, "       104       10      52.0      50.0      50.0      50.0\n"), "%s",
              text);
    free(text);
    live_destroy(&l);
    results_destroy(&r);
}

Test(live, reset_forgets_the_window) {
    results_t *r = results_new();
    char *text = NULL;
    size_t bytes = 0;
    FILE *f = open_memstream(&text, &bytes);
    cr_assert_not_null(f);
    live_t *l = live_new(f, false);
    summary_live_t info = {.elapsed_s = 2, .duration_s = 60, .window_s = 2, .workers = 1};
    s_add(r, 80, 9000, 0);
    live_tick(l, r, &info);
    /* A new run (or a reset): the results start again, and so does the window. */
    live_reset(l);
    results_reset(r);
    s_add(r, 20, 1000, 0);
    live_tick(l, r, &info);
    fflush(f);
    cr_expect(strstr(strrchr(text, '['), "reqs 20  fails 0 (0.00%)  rps 10.0  p50 1.00ms"), "%s",
              strrchr(text, '['));
    live_reset(l);
    live_reset(l);
    live_destroy(&l);
    fclose(f);
    free(text);
    results_destroy(&r);
}

Test(live, line_says_how_many_thresholds_hold_now) {
    results_t *r = results_new();
    s_add(r, 104, 50000, 10);
    summary_live_t info = {.elapsed_s = 3,
                           .duration_s = 60,
                           .window_s = 2,
                           .users = 5,
                           .users_target = 5,
                           .workers = 1,
                           .thresholds = 3,
                           .thresholds_failing = 1,
                           .failing_first = "/login: p95 < 300ms"};
    live_t *l = NULL;
    char *text = s_tick(false, &l, r, &info);
    cr_expect(strstr(text, "users 5/5  workers 1  thresholds 2/3 ok (failing: /login: p95 < 300ms)  "
                           "reqs 104"),
              "%s", text);
    free(text);
    live_destroy(&l);
    results_destroy(&r);
}
