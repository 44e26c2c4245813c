/* test_ingest: the one adapter from wire stats to report rows (master/ingest.h). */
#include <criterion/criterion.h>

#include "master/ingest.h"

Test(ingest, wire_rows_errors_metrics_and_dropped_reach_results_and_timeline) {
    histogram_t *lat[2] = {histogram_new(), histogram_new()}, *db = histogram_new();
    histogram_record_n(lat[0], 1000, 3);
    histogram_record_n(lat[1], 9000, 1);
    histogram_record(db, 4000);
    proto_metric_t metrics[] = {{"db", db}, {"queries", NULL}};
    proto_stat_t stats[] = {
        {.method = "GET",
         .name = "/a",
         .requests = 3,
         .failures = 1,
         .bytes = 30,
         .latency = lat[0],
         .n_metrics = 2,
         .metrics = metrics},
        {.method = "POST", .name = "/b", .requests = 1, .bytes = 5, .latency = lat[1]},
        {.method = "GET", .name = "/none", .requests = 2}, /* NULL latency: counts only */
    };
    proto_error_t errors[] = {{"GET", "/a", "HTTP 503", 1}};
    proto_stats_t st = {.run_id = 1,
                        .users = 4,
                        .dropped = 6,
                        .n_stats = 3,
                        .stats = stats,
                        .n_errors = 1,
                        .errors = errors};
    results_t *r = results_new();
    timeline_t *t = timeline_new();
    ingest_stats(r, t, NULL, 0, &st);
    ingest_stats(r, t, NULL, 0, &st);
    timeline_close_until(t, 1, 4, 1000);

    cr_assert_eq(results_count(r), 3);
    const results_row_t *a = results_find(r, "GET", "/a");
    cr_assert_not_null(a);
    cr_expect_eq(a->requests, 6);
    cr_expect_eq(a->failures, 2);
    cr_expect_eq(a->bytes, 60);
    cr_expect_eq(histogram_count(a->latency), 6);
    cr_assert_eq(a->n_metrics, 2);
    cr_expect_str_eq(a->metrics[0].name, "db");
    cr_expect_eq(histogram_count(a->metrics[0].values), 2);
    cr_expect_str_eq(a->metrics[1].name, "queries");
    cr_expect_eq(results_find(r, "GET", "/none")->requests, 4);
    cr_expect_eq(results_find(r, "POST", "/b")->n_metrics, 0);
    cr_expect_eq(results_total(r)->requests, 12);
    cr_assert_eq(results_error_count(r), 1);
    cr_expect_eq(results_error(r, 0)->count, 2);
    cr_expect_eq(results_dropped(r), 12);

    cr_assert_eq(timeline_count(t), 1);
    const timeline_point_t *p = timeline_point(t, 0);
    cr_expect_eq(p->requests, 12);
    cr_expect_eq(p->failures, 2);
    cr_expect_eq(p->bytes, 70);
    cr_expect_eq(p->users, 4);
    cr_expect_eq(p->pct_us[PERCENTILES_N - 1], histogram_max(lat[1]));
    cr_expect_eq(histogram_count(lat[0]), 3, "the wire's histograms are only lent");

    timeline_destroy(&t);
    results_destroy(&r);
    for (int i = 0; i < 2; i++)
        histogram_destroy(&lat[i]);
    histogram_destroy(&db);
}

Test(ingest, http_versions_and_what_was_asked_reach_the_rows) {
    proto_stat_t stats[] = {
        {.method = "GET",
         .name = "/h2",
         .requests = 5,
         .http_versions = {0, 1, 4, 0},
         .http_asked = PROTO_ASKED_2},
        {.method = "GET",
         .name = "/c",
         .requests = 2,
         .http_versions = {0, 0, 2, 0},
         .http_asked = PROTO_ASKED_H2C},
        {.method = "GET",
         .name = "/x",
         .requests = 1,
         .http_versions = {1, 0, 0, 0},
         .http_asked = PROTO_ASKED_NONE},
    };
    proto_stats_t st = {.run_id = 1, .n_stats = 3, .stats = stats};
    results_t *r = results_new();
    timeline_t *t = timeline_new();
    ingest_stats(r, t, NULL, 0, &st);
    ingest_stats(r, t, NULL, 1, &st);
    const results_row_t *h2 = results_find(r, "GET", "/h2");
    const uint64_t want[RESULTS_HTTP_N] = {0, 2, 8, 0};
    cr_expect_arr_eq(h2->http_versions, want, sizeof want);
    cr_expect_eq(h2->http_asked, RESULTS_ASKED_2);
    cr_expect_eq(results_find(r, "GET", "/c")->http_asked, RESULTS_ASKED_H2C);
    cr_expect_eq(results_find(r, "GET", "/x")->http_asked, RESULTS_ASKED_NONE);
    cr_expect_eq(results_find(r, "GET", "/x")->http_versions[RESULTS_HTTP_1_0], 2);
    const uint64_t total[RESULTS_HTTP_N] = {2, 2, 12, 0};
    cr_expect_arr_eq(results_total(r)->http_versions, total, sizeof total);
    cr_expect_eq(results_total(r)->http_asked, RESULTS_ASKED_NONE, "the aggregate asked nothing");
    timeline_destroy(&t);
    results_destroy(&r);
}

Test(ingest, phases_connections_and_wire_bytes_reach_the_rows) {
    histogram_t *ph[PROTO_PHASE_N];
    for (int p = 0; p < PROTO_PHASE_N; p++) {
        ph[p] = histogram_new();
        histogram_record(ph[p], 100u * (uint64_t)(p + 1));
    }
    proto_stat_t stats[] = {{.method = "GET",
                             .name = "/p",
                             .requests = 1,
                             .phases = {ph[0], ph[1], ph[2], ph[3], ph[4]},
                             .connects = 1,
                             .wire_bytes = 512}};
    proto_stats_t st = {.run_id = 1, .n_stats = 1, .stats = stats};
    results_t *r = results_new();
    timeline_t *t = timeline_new();
    ingest_stats(r, t, NULL, 0, &st);
    ingest_stats(r, t, NULL, 1, &st);
    const results_row_t *row = results_find(r, "GET", "/p");
    cr_expect_eq(row->connects, 2);
    cr_expect_eq(row->wire_bytes, 1024);
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        cr_expect_eq(histogram_count(row->phases[p]), 2);
        cr_expect_eq(histogram_sum(row->phases[p]), 200u * (uint64_t)(p + 1), "phase %d in order",
                     p);
    }
    timeline_destroy(&t);
    results_destroy(&r);
    for (int p = 0; p < PROTO_PHASE_N; p++)
        histogram_destroy(&ph[p]);
}
