/* test_webstate: web/webstate — barrage's JSON state (GET /api/state, each
 * /events message) from a hand-built snapshot, read back with jansson. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "report/percentiles.h"
#include "web/webstate.h"

/* Rows: GET /b with 1..100 ms, POST /a with 10 x 5 ms and 2 failures (HTTP 503);
 * a worker running and one lost; two timeline points; open model, 3 dropped. */
static web_snapshot_t *s_snapshot(void) {
    report_t *r = report_new();
    r->scenario_name = xstrdup("shop");
    r->host = xstrdup("http://127.0.0.1:8000");
    r->mode = xstrdup("open");
    r->users = 12;
    r->spawn_rate = 4;
    r->duration_ms = 90000;
    r->run_seconds = 2.5;
    histogram_t *hb = histogram_new(), *ha = histogram_new();
    for (uint64_t i = 1; i <= 100; i++)
        histogram_record(hb, i * 1000);
    histogram_record_n(ha, 5000, 10);
    results_row_delta_t rows[2] = {
        {.method = "GET", .name = "/b", .requests = 100, .bytes = 5000, .latency = hb},
        {.method = "POST", .name = "/a \"q\"", .requests = 10, .failures = 2, .latency = ha},
    };
    results_error_delta_t errs[1] = {
        {.method = "POST", .name = "/a \"q\"", .reason = "HTTP 503", .count = 2}};
    results_delta_t d = {.n_rows = 2, .rows = rows, .n_errors = 1, .errors = errs};
    results_add(r->results, &d);
    histogram_destroy(&hb);
    histogram_destroy(&ha);
    report_worker_t w1 = {
        .id = "w-1", .hostname = "lab1", .users = 7, .reports = 3, .state = "running"};
    report_worker_t w2 = {
        .id = "w-2", .hostname = "lab2", .users = 0, .reports = 1, .state = "lost"};
    report_add_worker(r, &w1);
    report_add_worker(r, &w2);
    timeline_point_t p0 = {.second = 0, .users = 4, .requests = 40, .failures = 1};
    p0.pct_us[PERCENTILES_P50] = 2500, p0.pct_us[PERCENTILES_P95] = 9000;
    p0.pct_us[PERCENTILES_P99] = 12000;
    timeline_point_t p1 = {.second = 1, .users = 7, .requests = 70, .failures = 1};
    timeline_append(r->timeline, &p0);
    timeline_append(r->timeline, &p1);
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = "running";
    s->user_count = 7;
    s->workers = 1;
    s->dropped = 3;
    s->report = r;
    s->n_rates = 3;
    s->current_rps = xcalloc(3, sizeof(double));
    s->current_fail_per_sec = xcalloc(3, sizeof(double));
    s->current_rps[0] = 10, s->current_rps[1] = 1.5, s->current_rps[2] = 11.5;
    s->current_fail_per_sec[1] = 0.25, s->current_fail_per_sec[2] = 0.25;
    return s;
}

static json_t *s_render(const web_snapshot_t *s) {
    strbuf_t b;
    strbuf_init(&b);
    webstate_json(s, &b);
    cr_assert_null(strchr(strbuf_str(&b), '\n'), "one line (one SSE data line)");
    json_error_t e;
    json_t *j = json_loads(strbuf_str(&b), 0, &e);
    cr_assert_not_null(j, "%s at %d: %s", e.text, e.position, strbuf_str(&b));
    strbuf_fini(&b);
    return j;
}

static double s_num(const json_t *o, const char *key) {
    const json_t *v = json_object_get(o, key);
    cr_assert(json_is_number(v), "%s is a number", key);
    return json_number_value(v);
}

static const char *s_text(const json_t *o, const char *key) {
    const json_t *v = json_object_get(o, key);
    cr_assert(json_is_string(v), "%s is a string", key);
    return json_string_value(v);
}

Test(webstate, before_any_snapshot_ready_and_empty) {
    json_t *j = s_render(NULL);
    cr_assert_str_eq(s_text(j, "state"), "ready");
    cr_assert_eq(s_num(j, "users"), 0);
    cr_assert(json_is_null(json_object_get(j, "run")));
    const char *arrays[] = {"workers", "stats", "failures", "timeline"};
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(json_array_size(json_object_get(j, arrays[i])), 0, "%s", arrays[i]);
    json_decref(j);
}

Test(webstate, header_figures_and_run) {
    web_snapshot_t *s = s_snapshot();
    json_t *j = s_render(s);
    cr_assert_str_eq(s_text(j, "state"), "running");
    cr_assert_eq(s_num(j, "users"), 7);
    cr_assert_eq(s_num(j, "worker_count"), 1);
    cr_assert_eq(s_num(j, "total_rps"), 11.5);
    cr_assert_float_eq(s_num(j, "fail_percent"), 100.0 * 2 / 110, 1e-9);
    cr_assert_eq(s_num(j, "dropped"), 3);
    const json_t *run = json_object_get(j, "run");
    cr_assert_str_eq(s_text(run, "scenario"), "shop");
    cr_assert_str_eq(s_text(run, "host"), "http://127.0.0.1:8000");
    cr_assert_str_eq(s_text(run, "mode"), "open");
    cr_assert_eq(s_num(run, "users"), 12);
    cr_assert_eq(s_num(run, "spawn_rate"), 4);
    cr_assert_eq(s_num(run, "run_time_s"), 90);
    cr_assert_eq(s_num(run, "elapsed_s"), 2.5);
    json_decref(j);
    web_snapshot_free(&s);
}

/* Every stats value equals what the merged histogram says, in ms. */
static void s_check_row(const json_t *row, const results_row_t *want, double rps, double fps) {
    const histogram_t *h = want->latency;
    cr_assert_eq(s_num(row, "requests"), (double)want->requests);
    cr_assert_eq(s_num(row, "failures"), (double)want->failures);
    const struct {
        const char *key;
        double p;
    } pcts[] = {{"median_ms", 50}, {"p90_ms", 90}, {"p95_ms", 95}, {"p99_ms", 99}};
    for (size_t i = 0; i < 4; i++)
        cr_assert_float_eq(s_num(row, pcts[i].key),
                           (double)histogram_percentile(h, pcts[i].p) / 1000.0, 1e-9, "%s",
                           pcts[i].key);
    cr_assert_float_eq(s_num(row, "avg_ms"), histogram_mean(h) / 1000.0, 1e-6);
    cr_assert_float_eq(s_num(row, "min_ms"), (double)histogram_min(h) / 1000.0, 1e-9);
    cr_assert_float_eq(s_num(row, "max_ms"), (double)histogram_max(h) / 1000.0, 1e-9);
    cr_assert_float_eq(s_num(row, "avg_size_bytes"), (double)want->bytes / (double)want->requests,
                       1e-6);
    cr_assert_eq(s_num(row, "current_rps"), rps);
    cr_assert_eq(s_num(row, "current_fail_per_sec"), fps);
}

Test(webstate, stats_rows_then_the_aggregate_exact_from_the_histograms) {
    web_snapshot_t *s = s_snapshot();
    json_t *j = s_render(s);
    const json_t *stats = json_object_get(j, "stats");
    cr_assert_eq(json_array_size(stats), 3);
    const results_t *res = s->report->results;
    cr_assert_str_eq(s_text(json_array_get(stats, 0), "name"), "/b");
    cr_assert_str_eq(s_text(json_array_get(stats, 0), "method"), "GET");
    cr_assert_str_eq(s_text(json_array_get(stats, 1), "name"), "/a \"q\"");
    cr_assert_str_eq(s_text(json_array_get(stats, 2), "name"), "Aggregated");
    cr_assert(json_is_null(json_object_get(json_array_get(stats, 2), "method")));
    s_check_row(json_array_get(stats, 0), results_row(res, 0), 10, 0);
    s_check_row(json_array_get(stats, 1), results_row(res, 1), 1.5, 0.25);
    s_check_row(json_array_get(stats, 2), results_total(res), 11.5, 0.25);
    /* 1..100 ms: the median is 50 ms within the histogram's precision. */
    cr_assert_float_eq(s_num(json_array_get(stats, 0), "median_ms"), 50, 0.1);
    cr_assert_eq(s_num(json_array_get(stats, 2), "requests"), 110);
    json_decref(j);
    web_snapshot_free(&s);
}

Test(webstate, failures_workers_and_timeline) {
    web_snapshot_t *s = s_snapshot();
    json_t *j = s_render(s);
    const json_t *f = json_object_get(j, "failures");
    cr_assert_eq(json_array_size(f), 1);
    cr_assert_str_eq(s_text(json_array_get(f, 0), "method"), "POST");
    cr_assert_str_eq(s_text(json_array_get(f, 0), "name"), "/a \"q\"");
    cr_assert_str_eq(s_text(json_array_get(f, 0), "reason"), "HTTP 503");
    cr_assert_eq(s_num(json_array_get(f, 0), "count"), 2);
    const json_t *ws = json_object_get(j, "workers");
    cr_assert_eq(json_array_size(ws), 2);
    const json_t *w1 = json_array_get(ws, 0), *w2 = json_array_get(ws, 1);
    cr_assert_str_eq(s_text(w1, "id"), "w-1");
    cr_assert_str_eq(s_text(w1, "host"), "lab1");
    cr_assert_str_eq(s_text(w1, "state"), "running");
    cr_assert_eq(s_num(w1, "users"), 7);
    cr_assert_eq(s_num(w1, "reports"), 3);
    cr_assert(json_is_false(json_object_get(w1, "lost")));
    cr_assert(json_is_true(json_object_get(w2, "lost")));
    const json_t *t = json_object_get(j, "timeline");
    cr_assert_eq(json_array_size(t), 2);
    const json_t *p0 = json_array_get(t, 0), *p1 = json_array_get(t, 1);
    cr_assert_eq(s_num(p0, "second"), 0);
    cr_assert_eq(s_num(p0, "rps"), 40);
    cr_assert_eq(s_num(p0, "fail_per_sec"), 1);
    cr_assert_eq(s_num(p0, "users"), 4);
    cr_assert_eq(s_num(p0, "p50_ms"), 2.5);
    cr_assert_eq(s_num(p0, "p95_ms"), 9);
    cr_assert_eq(s_num(p0, "p99_ms"), 12);
    cr_assert_eq(s_num(p1, "second"), 1);
    cr_assert_eq(s_num(p1, "users"), 7);
    cr_assert_eq(s_num(p1, "p95_ms"), 0);
    json_decref(j);
    web_snapshot_free(&s);
}

/* The next start's scenario (classes with ratios, errors), server-side
 * metrics, the failures that are the scenario's own, and the log lines. */
Test(webstate, scenario_metrics_exceptions_and_logs) {
    report_t *r = report_new();
    histogram_t *lat = histogram_new(), *db = histogram_new(), *q = histogram_new();
    histogram_record_n(lat, 20000, 4);
    histogram_record_n(db, 12300, 4);  /* db;dur=12.3 (ms, x1000) */
    histogram_record_n(q, 21000, 4);   /* X-Query-Count: 21 (x1000) */
    results_metric_delta_t m[2] = {{.name = "db", .values = db}, {.name = "queries", .values = q}};
    results_row_delta_t rows[1] = {{.method = "GET", .name = "/items", .requests = 4,
                                    .failures = 3, .latency = lat, .n_metrics = 2, .metrics = m}};
    results_error_delta_t errs[3] = {
        {.method = "GET", .name = "/items", .reason = "HTTP 503", .count = 1},
        {.method = "GET", .name = "/items", .reason = "capture: $.token not found", .count = 1},
        {.method = "GET", .name = "/items", .reason = "not sent: bad URL", .count = 1}};
    results_delta_t d = {.n_rows = 1, .rows = rows, .n_errors = 3, .errors = errs};
    results_add(r->results, &d);
    histogram_destroy(&lat);
    histogram_destroy(&db);
    histogram_destroy(&q);
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = "stopped";
    s->report = r;
    web_scenario_t *v = xcalloc(1, sizeof *v);
    v->file = xstrdup("shop.yaml");
    v->host = xstrdup("http://127.0.0.1:8000");
    v->users = 10;
    v->spawn_rate = 2;
    v->run_time_ms = 30000;
    v->n_classes = 2;
    v->classes = xcalloc(2, sizeof *v->classes);
    v->classes[0] = (web_class_t){.name = xstrdup("Reader"), .weight = 3, .n_tasks = 2};
    v->classes[0].tasks = xcalloc(2, sizeof(web_task_t));
    v->classes[0].tasks[0] = (web_task_t){xstrdup("/items"), 3};
    v->classes[0].tasks[1] = (web_task_t){xstrdup("browse"), 1};
    v->classes[1] = (web_class_t){.name = xstrdup("Writer"), .weight = 1};
    v->errors = xstrdup("shop.yaml:3:5: error: expected a number");
    s->scenario = v;
    report_threshold_t t = {.text = "p95 < 300ms over 30s", .passed = false, .measured = "412ms"};
    report_add_threshold(r, &t);
    r->aborted_by = xstrdup("p95 < 300ms over 30s");
    report_worker_t wk9 = {.id = "w-9", .hostname = "h", .state = "running", .cpu_permille = 935,
                          .cpu_max_permille = 998, .rss_kib = 20480, .connections = 12,
                          .lag_max_us = 12500};
    report_add_worker(r, &wk9);
    report_saturation_t sat9 = {.worker = "w-9", .from_s = 2.5, .to_s = 7, .cpu_max_permille = 998};
    report_add_saturation(r, &sat9);
    s->n_logs = 1;
    s->logs = xcalloc(1, sizeof *s->logs);
    s->logs[0] = (log_line_t){1700000000123u, LOG_LEVEL_WARN, xstrdup("worker \"w1\" lost")};
    json_t *j = s_render(s);
    const json_t *sc = json_object_get(j, "scenario");
    cr_assert_str_eq(s_text(sc, "mode"), "closed");
    cr_assert_eq(s_num(sc, "users"), 10);
    cr_assert_eq(s_num(sc, "run_time_s"), 30);
    cr_assert(json_is_null(json_object_get(sc, "stages")));
    cr_assert_str_eq(s_text(sc, "errors"), "shop.yaml:3:5: error: expected a number");
    const json_t *reader = json_array_get(json_object_get(sc, "classes"), 0);
    cr_assert_float_eq(s_num(reader, "ratio"), 0.75, 1e-12);
    const json_t *browse = json_array_get(json_object_get(reader, "tasks"), 1);
    cr_assert_str_eq(s_text(browse, "name"), "browse");
    cr_assert_float_eq(s_num(browse, "ratio"), 0.25, 1e-12);
    const json_t *writer = json_array_get(json_object_get(sc, "classes"), 1);
    cr_assert_eq(json_array_size(json_object_get(writer, "tasks")), 0);
    const json_t *metrics = json_object_get(j, "metrics");
    cr_assert_eq(json_array_size(metrics), 2);
    const json_t *m0 = json_array_get(metrics, 0), *m1 = json_array_get(metrics, 1);
    cr_assert_str_eq(s_text(m0, "metric"), "db");
    cr_assert_str_eq(s_text(m0, "unit"), "ms");
    cr_assert_eq(s_num(m0, "count"), 4);
    cr_assert_float_eq(s_num(m0, "p95"), 12.3, 0.05, "within the histogram's precision");
    cr_assert_str_eq(s_text(m1, "unit"), "queries");
    cr_assert_float_eq(s_num(m1, "max"), 21, 0.05);
    const json_t *ex = json_object_get(j, "exceptions");
    cr_assert_eq(json_array_size(ex), 2, "capture and not sent; the 503 is the target's");
    cr_assert_str_eq(s_text(json_array_get(ex, 0), "reason"), "capture: $.token not found");
    cr_assert_eq(json_array_size(json_object_get(j, "failures")), 3, "all three stay failures");
    const json_t *t0 = json_array_get(json_object_get(j, "thresholds"), 0);
    cr_assert(json_is_null(json_object_get(t0, "name")));
    cr_assert_str_eq(s_text(t0, "check"), "p95 < 300ms over 30s");
    cr_assert(json_is_false(json_object_get(t0, "passed")));
    cr_assert_str_eq(s_text(t0, "measured"), "412ms");
    cr_assert_str_eq(s_text(j, "aborted_by"), "p95 < 300ms over 30s");
    const json_t *sat = json_array_get(json_object_get(j, "saturation"), 0);
    cr_assert_str_eq(s_text(sat, "worker"), "w-9");
    cr_assert_eq(s_num(sat, "from_s"), 2.5);
    cr_assert_eq(s_num(sat, "cpu_max_percent"), 99.8);
    const json_t *wk = json_array_get(json_object_get(j, "workers"), 0);
    cr_assert_eq(s_num(wk, "cpu_percent"), 93.5);
    cr_assert_eq(s_num(wk, "rss_mib"), 20);
    cr_assert_eq(s_num(wk, "connections"), 12);
    cr_assert_eq(s_num(wk, "lag_max_ms"), 12.5);
    const json_t *l0 = json_array_get(json_object_get(j, "logs"), 0);
    cr_assert_str_eq(s_text(l0, "level"), "warn");
    cr_assert_str_eq(s_text(l0, "text"), "worker \"w1\" lost");
    cr_assert_eq(s_num(l0, "wall_ms"), 1700000000123.0);
    json_decref(j);
    web_snapshot_free(&s);
}
