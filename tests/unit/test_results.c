/* test_results: the master's exact merge of worker reports, the aggregate row,
 * error counts and the live window (report/results.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rng.h"
#include "report/results.h"

static const double s_percentiles[] = {0, 1, 25, 50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100};

/* A row delta and the histogram it lends (a report's row as ingest builds it). */
typedef struct {
    results_row_delta_t d;
    histogram_t *latency;
} row_t;

static row_t s_row(const char *method, const char *name) {
    histogram_t *h = histogram_new();
    return (row_t){.d = {.method = method, .name = name, .latency = h}, .latency = h};
}

static void s_record(row_t *row, uint64_t latency_us, uint64_t bytes, bool failed) {
    row->d.requests++;
    row->d.failures += failed;
    row->d.bytes += bytes;
    histogram_record(row->latency, latency_us);
}

/* Asserts two histograms agree on everything the summary prints. */
static void s_expect_same(const histogram_t *got, const histogram_t *want, const char *what) {
    cr_assert_eq(histogram_count(got), histogram_count(want), "%s count", what);
    cr_expect_eq(histogram_min(got), histogram_min(want), "%s min", what);
    cr_expect_eq(histogram_max(got), histogram_max(want), "%s max", what);
    cr_expect_eq(histogram_sum(got), histogram_sum(want), "%s sum", what);
    for (size_t i = 0; i < sizeof s_percentiles / sizeof s_percentiles[0]; i++) {
        cr_expect_eq(histogram_percentile(got, s_percentiles[i]),
                     histogram_percentile(want, s_percentiles[i]), "%s p%g", what,
                     s_percentiles[i]);
    }
}

Test(results, new_is_empty) {
    results_t *r = results_new();
    cr_assert_not_null(r);
    cr_expect_eq(results_count(r), 0);
    cr_expect_eq(results_error_count(r), 0);
    cr_expect_null(results_row(r, 0));
    cr_expect_null(results_error(r, 0));
    cr_expect_null(results_find(r, "GET", "/"));
    const results_row_t *t = results_total(r);
    cr_assert_not_null(t);
    cr_expect_str_eq(t->method, "");
    cr_expect_str_eq(t->name, "");
    cr_expect_eq(t->requests, 0);
    cr_expect_eq(histogram_count(t->latency), 0);
    results_destroy(&r);
    cr_expect_null(r);
    results_destroy(&r);
    results_destroy(NULL);
}

Test(results, merge_of_reports_equals_histogram_of_all_samples) {
    enum { WORKERS = 4, INTERVALS = 5, PER_ROW = 2000 };
    const char *names[] = {"/a", "/b", "/c"};
    const char *methods[] = {"GET", "POST", "GET"};
    histogram_t *all[3], *everything = histogram_new();
    uint64_t reqs[3] = {0}, fails[3] = {0}, bytes[3] = {0};
    for (int n = 0; n < 3; n++) all[n] = histogram_new();
    results_t *r = results_new();
    rng_t rng;
    rng_seed(&rng, 31337);
    for (int w = 0; w < WORKERS; w++) {
        for (int iv = 0; iv < INTERVALS; iv++) {
            row_t rows[3];
            for (int n = 0; n < 3; n++) {
                rows[n] = s_row(methods[n], names[n]);
                for (int k = 0; k < PER_ROW; k++) {
                    /* Spread over five decades; slower rows for higher n. */
                    uint64_t us = rng_range(&rng, 1, 10u * (n + 1)) * rng_range(&rng, 1, 10000);
                    uint64_t b = rng_range(&rng, 0, 4096);
                    bool failed = rng_range(&rng, 0, 19) == 0;
                    s_record(&rows[n], us, b, failed);
                    histogram_record(all[n], us);
                    histogram_record(everything, us);
                    reqs[n]++;
                    fails[n] += failed;
                    bytes[n] += b;
                }
            }
            /* Workers report rows in different orders; row order stays first-seen. */
            if (w % 2) {
                row_t tmp = rows[0];
                rows[0] = rows[2];
                rows[2] = tmp;
            }
            results_row_delta_t d[3] = {rows[0].d, rows[1].d, rows[2].d};
            results_add(r, &(results_delta_t){.n_rows = 3, .rows = d});
            for (int n = 0; n < 3; n++) histogram_destroy(&rows[n].latency);
        }
    }
    cr_assert_eq(results_count(r), 3);
    for (int n = 0; n < 3; n++) {
        const results_row_t *row = results_row(r, (size_t)n);
        cr_expect_str_eq(row->name, names[n], "first-seen order");
        cr_expect_str_eq(row->method, methods[n]);
        cr_expect_eq(row, results_find(r, methods[n], names[n]));
        cr_expect_eq(row->requests, reqs[n]);
        cr_expect_eq(row->failures, fails[n]);
        cr_expect_eq(row->bytes, bytes[n]);
        s_expect_same(row->latency, all[n], names[n]);
        s_expect_same(row->win_latency, all[n], names[n]);
        histogram_destroy(&all[n]);
    }
    const results_row_t *t = results_total(r);
    cr_expect_eq(t->requests, reqs[0] + reqs[1] + reqs[2]);
    cr_expect_eq(t->failures, fails[0] + fails[1] + fails[2]);
    cr_expect_eq(t->bytes, bytes[0] + bytes[1] + bytes[2]);
    cr_expect_eq(t->win_requests, t->requests);
    s_expect_same(t->latency, everything, "Aggregated");
    histogram_destroy(&everything);
    results_destroy(&r);
}

Test(results, find_distinguishes_method_and_name) {
    results_t *r = results_new();
    row_t rows[] = {s_row("GET", "/x"), s_row("POST", "/x")};
    s_record(&rows[0], 10, 1, false);
    s_record(&rows[1], 20, 2, true);
    results_row_delta_t d[] = {rows[0].d, rows[1].d};
    results_add(r, &(results_delta_t){.n_rows = 2, .rows = d});
    cr_expect_eq(results_count(r), 2);
    const results_row_t *get = results_find(r, "GET", "/x");
    const results_row_t *post = results_find(r, "POST", "/x");
    cr_assert_not_null(get);
    cr_assert_not_null(post);
    cr_expect_eq(get->requests, 1);
    cr_expect_eq(post->failures, 1);
    cr_expect_null(results_find(r, "PUT", "/x"));
    cr_expect_null(results_find(r, "GET", "/y"));
    cr_expect_null(results_row(r, 2));
    histogram_destroy(&rows[0].latency);
    histogram_destroy(&rows[1].latency);
    results_destroy(&r);
}

Test(results, row_without_histogram_counts_requests) {
    results_t *r = results_new();
    results_row_delta_t row = {.method = "GET", .name = "/", .requests = 5, .failures = 1, .bytes = 9};
    results_delta_t st = {.n_rows = 1, .rows = &row};
    results_add(r, &st);
    const results_row_t *got = results_find(r, "GET", "/");
    cr_assert_not_null(got);
    cr_expect_eq(got->requests, 5);
    cr_expect_eq(got->failures, 1);
    cr_expect_eq(got->bytes, 9);
    cr_expect_eq(histogram_count(got->latency), 0);
    results_destroy(&r);
}

Test(results, errors_are_summed_by_method_name_reason) {
    results_t *r = results_new();
    results_error_delta_t e1[] = {
        {.method = "GET", .name = "/a", .reason = "HTTP 503", .count = 3},
        {.method = "GET", .name = "/a", .reason = "connect: refused", .count = 1},
        {.method = "POST", .name = "/a", .reason = "HTTP 503", .count = 2},
    };
    results_error_delta_t e2[] = {
        {.method = "GET", .name = "/a", .reason = "HTTP 503", .count = 4},
        {.method = "GET", .name = "/b", .reason = "HTTP 503", .count = 1},
    };
    results_delta_t st1 = {.n_errors = 3, .errors = e1}, st2 = {.n_errors = 2, .errors = e2};
    results_add(r, &st1);
    results_add(r, &st2);
    cr_assert_eq(results_error_count(r), 4);
    const results_error_t *e = results_error(r, 0);
    cr_expect_str_eq(e->method, "GET");
    cr_expect_str_eq(e->name, "/a");
    cr_expect_str_eq(e->reason, "HTTP 503");
    cr_expect_eq(e->count, 7);
    cr_expect_str_eq(results_error(r, 1)->reason, "connect: refused");
    cr_expect_eq(results_error(r, 1)->count, 1);
    cr_expect_str_eq(results_error(r, 2)->method, "POST");
    cr_expect_eq(results_error(r, 2)->count, 2);
    cr_expect_str_eq(results_error(r, 3)->name, "/b");
    cr_expect_eq(results_error(r, 3)->count, 1);
    cr_expect_null(results_error(r, 4));
    /* The strings were copied: the reports may go away. */
    e1[0].reason = "changed";
    cr_expect_str_eq(results_error(r, 0)->reason, "HTTP 503");
    results_destroy(&r);
}

Test(results, many_rows_and_errors_grow) {
    results_t *r = results_new();
    char names[200][16];
    results_row_delta_t rows[200];
    results_error_delta_t errs[200];
    for (int i = 0; i < 200; i++) {
        snprintf(names[i], sizeof names[i], "/n%d", i);
        rows[i] = (results_row_delta_t){.method = "GET", .name = names[i], .requests = (uint64_t)i + 1};
        errs[i] = (results_error_delta_t){.method = "GET", .name = names[i], .reason = "x", .count = 1};
    }
    results_delta_t st = {.n_rows = 200, .rows = rows, .n_errors = 200, .errors = errs};
    results_add(r, &st);
    results_add(r, &st);
    cr_assert_eq(results_count(r), 200);
    cr_assert_eq(results_error_count(r), 200);
    for (size_t i = 0; i < 200; i++) {
        cr_assert_str_eq(results_row(r, i)->name, names[i]);
        cr_assert_eq(results_row(r, i)->requests, 2 * (i + 1));
        cr_assert_eq(results_error(r, i)->count, 2);
    }
    cr_expect_eq(results_total(r)->requests, 200 * 201);
    results_destroy(&r);
}

Test(results, window_reset_clears_only_the_window) {
    results_t *r = results_new();
    row_t row = s_row("GET", "/");
    for (int i = 0; i < 10; i++) s_record(&row, 1000, 1, i < 2);
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &row.d});
    const results_row_t *got = results_find(r, "GET", "/");
    cr_expect_eq(got->win_requests, 10);
    cr_expect_eq(got->win_failures, 2);

    results_window_reset(r);
    got = results_find(r, "GET", "/");
    const results_row_t *t = results_total(r);
    cr_expect_eq(got->win_requests, 0);
    cr_expect_eq(got->win_failures, 0);
    cr_expect_eq(histogram_count(got->win_latency), 0);
    cr_expect_eq(t->win_requests, 0);
    cr_expect_eq(histogram_count(t->win_latency), 0);
    cr_expect_eq(got->requests, 10, "totals survive a window reset");
    cr_expect_eq(histogram_count(got->latency), 10);
    cr_expect_eq(t->requests, 10);

    /* The next window sees only what arrives after the reset. */
    histogram_reset(row.latency);
    row.d.requests = row.d.failures = row.d.bytes = 0;
    s_record(&row, 5000, 1, true);
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &row.d});
    got = results_find(r, "GET", "/");
    cr_expect_eq(got->win_requests, 1);
    cr_expect_eq(got->win_failures, 1);
    cr_expect_eq(histogram_min(got->win_latency), 5000);
    cr_expect_eq(got->requests, 11);
    cr_expect_eq(got->failures, 3);
    cr_expect_eq(histogram_min(got->latency), 1000);
    cr_expect_eq(results_total(r)->win_requests, 1);
    histogram_destroy(&row.latency);
    results_destroy(&r);
}

Test(results, metrics_merge_by_name_and_dropped_adds_up) {
    results_t *r = results_new();
    histogram_t *db = histogram_new(), *q = histogram_new();
    histogram_record(db, 12000);
    histogram_record(q, 3000);
    results_metric_delta_t m1[] = {{"db", db}, {"queries", q}}, m2[] = {{"db", db}, {"x", NULL}};
    results_row_delta_t rows[] = {
        {.method = "GET", .name = "/", .requests = 1, .n_metrics = 2, .metrics = m1},
        {.method = "GET", .name = "/", .requests = 1, .n_metrics = 2, .metrics = m2},
    };
    results_add(r, &(results_delta_t){.n_rows = 2, .rows = rows, .dropped = 3});
    results_add(r, &(results_delta_t){.dropped = 4});
    const results_row_t *got = results_find(r, "GET", "/");
    cr_assert_not_null(got);
    cr_assert_eq(got->n_metrics, 3, "first-seen order, merged by name");
    cr_expect_str_eq(got->metrics[0].name, "db");
    cr_expect_eq(histogram_count(got->metrics[0].values), 2);
    cr_expect_str_eq(got->metrics[1].name, "queries");
    cr_expect_eq(histogram_max(got->metrics[1].values), 3000);
    cr_expect_str_eq(got->metrics[2].name, "x");
    cr_expect_eq(histogram_count(got->metrics[2].values), 0, "NULL values: a name, no samples");
    cr_expect_eq(results_total(r)->n_metrics, 3);
    cr_expect_eq(results_dropped(r), 7);
    results_add_dropped(r, 2);
    cr_expect_eq(results_dropped(r), 9);
    cr_expect_eq(histogram_count(db), 1, "the lent histograms are only read");
    histogram_destroy(&db);
    histogram_destroy(&q);
    results_destroy(&r);
}

/* ---- clone, reset, per-second counts (the web snapshot's needs) ---- */

/* Adds n GET name requests at latency_us, fails of them failed, in `second`. */
static void s_add_at(results_t *r, const char *name, uint64_t n, uint64_t fails,
                     uint64_t latency_us, uint32_t second) {
    histogram_t *h = histogram_new();
    histogram_record_n(h, latency_us, n);
    results_row_delta_t row = {.method = "GET", .name = name, .requests = n, .failures = fails,
                               .bytes = 10 * n, .latency = h};
    results_error_delta_t err = {"GET", name, "HTTP 503", fails};
    results_add_at(r, &(results_delta_t){.n_rows = 1, .rows = &row, .n_errors = fails ? 1 : 0,
                                         .errors = &err, .dropped = 1},
                   second);
    histogram_destroy(&h);
}

Test(results, a_clone_is_deep_and_equal) {
    results_t *r = results_new();
    s_add_at(r, "/a", 10, 2, 3000, 0);
    s_add_at(r, "/b", 5, 0, 9000, 1);
    results_t *c = results_clone(r);
    cr_assert_eq(results_count(c), 2);
    cr_expect_str_eq(results_row(c, 1)->name, "/b");
    cr_expect_eq(results_row(c, 0)->failures, 2);
    s_expect_same(results_total(c)->latency, results_total(r)->latency, "total");
    s_expect_same(results_row(c, 0)->latency, results_row(r, 0)->latency, "/a");
    cr_expect_eq(results_error_count(c), 1);
    cr_expect_str_eq(results_error(c, 0)->reason, "HTTP 503");
    cr_expect_eq(results_dropped(c), 2);
    cr_expect_neq(results_row(c, 0)->latency, results_row(r, 0)->latency, "its own histogram");
    /* The original goes on; the copy does not move. */
    s_add_at(r, "/a", 10, 0, 3000, 2);
    cr_expect_eq(results_total(c)->requests, 15);
    cr_expect_eq(results_total(r)->requests, 25);
    results_destroy(&r);
    cr_expect_eq(histogram_count(results_row(c, 0)->latency), 10, "alive after the original");
    results_destroy(&c);
}

Test(results, reset_empties_rows_errors_and_dropped) {
    results_t *r = results_new();
    s_add_at(r, "/a", 10, 2, 3000, 0);
    results_reset(r);
    cr_expect_eq(results_count(r), 0);
    cr_expect_eq(results_total(r)->requests, 0);
    cr_expect_eq(histogram_count(results_total(r)->latency), 0);
    cr_expect_eq(results_error_count(r), 0);
    cr_expect_eq(results_dropped(r), 0);
    s_add_at(r, "/b", 3, 0, 3000, 5);
    cr_expect_eq(results_count(r), 1);
    cr_expect_str_eq(results_row(r, 0)->name, "/b");
    cr_expect_eq(results_total(r)->requests, 3);
    results_destroy(&r);
}

Test(results, current_rates_average_the_last_complete_seconds) {
    results_t *r = results_new();
    double rps, fps;
    results_current_rates(results_total(r), 0, &rps, &fps);
    cr_expect_eq(rps, 0);
    for (uint32_t s = 0; s < 30; s++) s_add_at(r, "/a", s < 20 ? 10 : 30, s < 20 ? 0 : 3, 1000, s);
    s_add_at(r, "/b", 50, 50, 1000, 29);
    /* Second 30 is open: the window is seconds 20..29. */
    results_current_rates(results_row(r, 0), 30, &rps, &fps);
    cr_expect_float_eq(rps, 30.0, 1e-9);
    cr_expect_float_eq(fps, 3.0, 1e-9);
    results_current_rates(results_row(r, 1), 30, &rps, &fps);
    cr_expect_float_eq(rps, 5.0, 1e-9, "50 in one second of ten");
    cr_expect_float_eq(fps, 5.0, 1e-9);
    results_current_rates(results_total(r), 30, &rps, &fps);
    cr_expect_float_eq(rps, 35.0, 1e-9);
    /* Early in a run the window is the seconds there are. */
    results_current_rates(results_row(r, 0), 2, &rps, &fps);
    cr_expect_eq(rps, 0, "seconds 0 and 1 were overwritten by 16 and 17");
    /* Seconds without reports count as 0. */
    results_current_rates(results_row(r, 0), 35, &rps, &fps);
    cr_expect_float_eq(rps, 15.0, 1e-9, "five seconds of 30 in ten");
    /* A report for a second older than the ring holds is left out of the rates only. */
    s_add_at(r, "/a", 1000, 0, 1000, 3);
    results_current_rates(results_row(r, 0), 30, &rps, &fps);
    cr_expect_float_eq(rps, 30.0, 1e-9);
    cr_expect_eq(results_row(r, 0)->requests, 20 * 10 + 10 * 30 + 1000);
    results_destroy(&r);
}

Test(results, early_seconds_average_over_the_seconds_so_far) {
    results_t *r = results_new();
    s_add_at(r, "/a", 8, 0, 1000, 0);
    s_add_at(r, "/a", 4, 0, 1000, 1);
    s_add_at(r, "/a", 99, 0, 1000, 2); /* the open second: not yet counted */
    double rps, fps;
    results_current_rates(results_row(r, 0), 2, &rps, &fps);
    cr_expect_float_eq(rps, 6.0, 1e-9);
    cr_expect_eq(fps, 0);
    results_destroy(&r);
}

Test(results, http_versions_add_up_and_the_first_known_asked_stays) {
    results_t *r = results_new();
    results_row_delta_t a = {
        .method = "GET", .name = "/a", .requests = 3, .http_versions = {0, 1, 2, 0}};
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &a});
    cr_expect_eq(results_find(r, "GET", "/a")->http_asked, RESULTS_ASKED_NONE, "not known yet");
    a.http_asked = RESULTS_ASKED_2;
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &a});
    a.http_asked = RESULTS_ASKED_1_1;
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &a});
    const results_row_t *row = results_find(r, "GET", "/a");
    cr_expect_eq(row->http_asked, RESULTS_ASKED_2);
    const uint64_t want[RESULTS_HTTP_N] = {0, 3, 6, 0};
    cr_expect_arr_eq(row->http_versions, want, sizeof want);
    cr_expect_arr_eq(results_total(r)->http_versions, want, sizeof want);
    results_t *c = results_clone(r);
    cr_expect_arr_eq(results_find(c, "GET", "/a")->http_versions, want, sizeof want);
    cr_expect_eq(results_find(c, "GET", "/a")->http_asked, RESULTS_ASKED_2);
    results_destroy(&c);
    results_destroy(&r);
}

/* Phases merge like latency (exact histograms), connections and wire bytes add up. */
Test(results, phases_connections_and_wire_bytes_merge) {
    results_t *r = results_new();
    histogram_t *dns = histogram_new(), *wait = histogram_new();
    histogram_record(dns, 20);
    histogram_record(wait, 50000);
    results_row_delta_t a = {.method = "GET",
                             .name = "/a",
                             .requests = 1,
                             .phases = {[RESULTS_PHASE_DNS] = dns, [RESULTS_PHASE_WAIT] = wait},
                             .connects = 1,
                             .wire_bytes = 300};
    results_row_delta_t b = a;
    b.name = "/b";
    b.phases[RESULTS_PHASE_DNS] = NULL; /* no samples */
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &a});
    histogram_reset(wait);
    histogram_record(wait, 10000);
    a.connects = 0;
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &a});
    results_add(r, &(results_delta_t){.n_rows = 1, .rows = &b});
    const results_row_t *row = results_find(r, "GET", "/a");
    cr_expect_eq(row->connects, 1);
    cr_expect_eq(row->wire_bytes, 600);
    cr_expect_eq(histogram_count(row->phases[RESULTS_PHASE_WAIT]), 2);
    cr_expect_eq(histogram_sum(row->phases[RESULTS_PHASE_WAIT]), 60000);
    cr_expect_eq(histogram_sum(row->phases[RESULTS_PHASE_DNS]), 40);
    cr_expect_eq(histogram_count(row->phases[RESULTS_PHASE_TLS]), 0);
    const results_row_t *tot = results_total(r);
    cr_expect_eq(tot->connects, 2);
    cr_expect_eq(tot->wire_bytes, 900);
    cr_expect_eq(histogram_count(tot->phases[RESULTS_PHASE_WAIT]), 3);
    cr_expect_eq(histogram_count(tot->phases[RESULTS_PHASE_DNS]), 2);
    results_t *c = results_clone(r);
    const results_row_t *cr = results_find(c, "GET", "/a");
    cr_expect_eq(cr->wire_bytes, 600);
    cr_expect_eq(histogram_sum(cr->phases[RESULTS_PHASE_WAIT]), 60000);
    cr_expect_neq(cr->phases[RESULTS_PHASE_WAIT], row->phases[RESULTS_PHASE_WAIT], "a deep copy");
    results_destroy(&c);
    results_reset(r);
    cr_expect_eq(results_total(r)->connects, 0);
    cr_expect_eq(histogram_count(results_total(r)->phases[RESULTS_PHASE_WAIT]), 0);
    results_destroy(&r);
    histogram_destroy(&dns);
    histogram_destroy(&wait);
}
