/* html_fixture: writes the HTML report of a hand-built, realistic run to argv[1]
 * (argv[2] "empty" for a run without requests; "coinciding" for a run whose
 * p50, p95 and p99 are the same every second, so their chart lines coincide
 * from end to end), to look at the page without a real run. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "report/report_html.h"

/* A log-normal-ish spread of n latencies around median_us. */
static histogram_t *s_latencies(uint64_t median_us, uint64_t n, unsigned seed) {
    histogram_t *h = histogram_new();
    srand(seed);
    for (uint64_t i = 0; i < n; i++) {
        double u1 = (rand() + 1.0) / (RAND_MAX + 2.0), u2 = (rand() + 1.0) / (RAND_MAX + 2.0);
        double z = sqrt(-2 * log(u1)) * cos(6.283185307 * u2);
        histogram_record(h, (uint64_t)((double)median_us * exp(0.5 * z)));
    }
    return h;
}

static void s_results(report_t *r) {
    results_row_delta_t st[4] = {
        {.method = "GET", .name = "/events?user={id}", .requests = 5200, .failures = 0},
        {.method = "POST", .name = "/checkout", .requests = 1300, .failures = 41},
        {.method = "GET", .name = "/my-events?user={id}", .requests = 2600, .failures = 0},
        {.method = "POST", .name = "/auth/login <script>alert(1)</script>", .requests = 50,
         .failures = 2},
    };
    histogram_t *latency[4] = {s_latencies(6000, st[0].requests, 1),
                               s_latencies(250000, st[1].requests, 2),
                               s_latencies(45000, st[2].requests, 3),
                               s_latencies(1200, st[3].requests, 4)};
    for (int i = 0; i < 4; i++) st[i].latency = latency[i];
    /* What the server said: Server-Timing durations (ms x1000) and X-Query-Count. */
    histogram_t *h[6] = {s_latencies(4200, st[0].requests, 5),   histogram_new(),
                         s_latencies(240000, st[1].requests, 6), s_latencies(180000, st[1].requests, 7),
                         histogram_new(),                        s_latencies(900, st[3].requests, 8)};
    for (uint64_t i = 0; i < st[0].requests; i++)
        histogram_record(h[1], 1000 * (1 + i % 3));
    histogram_record_n(h[4], 12000, st[1].requests);
    results_metric_delta_t m0[2] = {{"app", h[0]}, {"queries", h[1]}};
    results_metric_delta_t m1[3] = {{"app", h[2]}, {"db", h[3]}, {"queries", h[4]}};
    results_metric_delta_t m3[1] = {{"auth <b>hash</b>", h[5]}};
    st[0].metrics = m0, st[0].n_metrics = 2;
    st[1].metrics = m1, st[1].n_metrics = 3;
    st[3].metrics = m3, st[3].n_metrics = 1;
    results_error_delta_t errors[3] = {
        {.method = "POST", .name = "/checkout", .reason = "HTTP 503", .count = 30},
        {.method = "POST", .name = "/checkout", .reason = "timeout after 10s", .count = 11},
        {.method = "POST", .name = "/auth/login <script>alert(1)</script>",
         .reason = "expect: status 200, got 401 <b>unauthorized</b>", .count = 2},
    };
    results_delta_t s = {.n_rows = 4, .rows = st, .n_errors = 3, .errors = errors};
    results_add(r->results, &s);
    for (int i = 0; i < 4; i++) histogram_destroy(&latency[i]);
    for (int i = 0; i < 6; i++) histogram_destroy(&h[i]);
}

static void s_timeline(report_t *r, bool coinciding) {
    for (uint32_t s = 0; s < 60; s++) {
        uint32_t users = s < 10 ? 5 * (s + 1) : 50;
        timeline_point_t p = {.second = s, .wall_ms = r->started_ms + (s + 1) * 1000ull,
                              .users = users};
        p.requests = s == 33 ? 0 : (uint64_t)(users * 3.1 + 6 * sin(s / 3.0));
        p.failures = s > 40 ? (s % 3) : 0;
        double base = 9000 + 150.0 * users + (s > 40 ? 4000.0 * (s - 40) : 0);
        static const double spread[PERCENTILES_N] = {1,   1.4, 1.8, 2.2,  3.5, 6,
                                                              8.5, 11,  17,  22.0, 25};
        for (int i = 0; i < PERCENTILES_N; i++) {
            p.pct_us[i] = p.requests ? (uint64_t)(base * (coinciding ? 1 : spread[i])) : 0;
        }
        timeline_append(r->timeline, &p);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: html_fixture FILE [empty|coinciding]\n");
        return 2;
    }
    report_t *r = report_new();
    r->barrage_version = xstrdup("0.1.0");
    r->scenario_name = xstrdup("fest-checkout");
    r->scenario_file = xstrdup("scenarios/examples/checkout.yaml");
    r->scenario_sha256 =
        xstrdup("9f2c1e0b7d4a55e3c1f0a8b6d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0");
    r->host = xstrdup("http://127.0.0.1:8000");
    r->mode = xstrdup("closed");
    r->users = 50;
    r->spawn_rate = 5;
    r->duration_ms = 60000;
    r->run_seconds = 60.04;
    r->started_ms = 1754035200000ull;
    r->ended_ms = r->started_ms + 60040;
    if (argc < 3 || strcmp(argv[2], "empty") != 0) {
        s_results(r);
        s_timeline(r, argc >= 3 && strcmp(argv[2], "coinciding") == 0);
        report_add_worker(r, &(report_worker_t){.id = "worker-1", .hostname = "loadgen-a",
                                                .pid = 4242, .users = 25, .reports = 61,
                                                .state = "finished"});
        report_add_worker(r, &(report_worker_t){.id = "worker-2", .hostname = "loadgen-b",
                                                .pid = 977, .users = 25, .reports = 23,
                                                .state = "lost",
                                                .lost_at_ms = r->started_ms + 23500});
        report_add_threshold(r, &(report_threshold_t){.text = "p95 < 300ms", .passed = true,
                                                      .measured = "212ms"});
        report_add_threshold(r, &(report_threshold_t){.text = "failure_rate < 1%",
                                                      .name = "/checkout", .passed = false,
                                                      .measured = "3.15%"});
    }
    char *err = NULL;
    int rc = report_html_write(r, argv[1], &err);
    if (rc != 0) fprintf(stderr, "html_fixture: %s\n", err);
    free(err);
    report_destroy(&r);
    return rc ? 1 : 0;
}
