/* test_webapi: web/webapi — /stats/requests from a hand-built report (Locust's
 * key sets, order and values) and the /swarm form parser. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "web/webapi.h"

/* Locust 2.x's keys (Debian's python3-locust, as a master). */
static const char *const TOP_KEYS[] = {"current_response_time_percentile_50",
                                       "current_response_time_percentile_95",
                                       "errors",
                                       "fail_ratio",
                                       "state",
                                       "stats",
                                       "total_rps",
                                       "user_count",
                                       "workers"};
static const char *const STAT_KEYS[] = {"avg_content_length",
                                        "avg_response_time",
                                        "current_fail_per_sec",
                                        "current_rps",
                                        "max_response_time",
                                        "median_response_time",
                                        "method",
                                        "min_response_time",
                                        "name",
                                        "ninetieth_response_time",
                                        "ninety_ninth_response_time",
                                        "num_failures",
                                        "num_requests",
                                        "safe_name"};

/* Rows: /b GET with 1..100 ms (100 samples), /a POST with 10 samples at 5 ms, 2 failures. */
static web_snapshot_t *s_snapshot(void) {
    report_t *r = report_new();
    histogram_t *hb = histogram_new(), *ha = histogram_new();
    for (uint64_t i = 1; i <= 100; i++)
        histogram_record(hb, i * 1000);
    histogram_record_n(ha, 5000, 10);
    results_row_delta_t rows[2] = {
        {.method = "GET",
         .name = "/b",
         .requests = 100,
         .failures = 0,
         .bytes = 5000,
         .latency = hb},
        {.method = "POST",
         .name = "/a <x>",
         .requests = 10,
         .failures = 2,
         .bytes = 0,
         .latency = ha},
    };
    results_error_delta_t errs[1] = {
        {.method = "POST", .name = "/a <x>", .reason = "HTTP 503 \"x\"", .count = 2}};
    results_delta_t d = {.n_rows = 2, .rows = rows, .n_errors = 1, .errors = errs};
    results_add(r->results, &d);
    histogram_destroy(&hb);
    histogram_destroy(&ha);
    report_worker_t w = {.id = "w-1", .hostname = "lab", .pid = 1, .users = 7, .state = "running",
                         .cpu_permille = 412, .rss_kib = 20480};
    report_add_worker(r, &w);
    report_worker_t w2 = {.id = "w-2", .hostname = "lab", .pid = 2, .state = "running"};
    report_add_worker(r, &w2);
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = "running";
    s->user_count = 7;
    s->workers = 1;
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
    webapi_requests_json(s, &b);
    json_error_t e;
    json_t *j = json_loads(strbuf_str(&b), 0, &e);
    cr_assert_not_null(j, "not JSON: %s in %s", e.text, strbuf_str(&b));
    strbuf_fini(&b);
    return j;
}

static void s_same_keys(json_t *obj, const char *const *keys, size_t n, const char *what) {
    cr_assert_eq(json_object_size(obj), n, "%s: %zu keys, want %zu", what, json_object_size(obj),
                 n);
    for (size_t i = 0; i < n; i++)
        cr_assert_not_null(json_object_get(obj, keys[i]), "%s: no %s", what, keys[i]);
}

static double s_num(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    cr_assert(json_is_number(v), "%s is not a number", k);
    return json_number_value(v);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

Test(webapi, key_sets_are_locusts) {
    web_snapshot_t *s = s_snapshot();
    json_t *j = s_render(s);
    s_same_keys(j, TOP_KEYS, N(TOP_KEYS), "top level");
    json_t *st = json_object_get(j, "stats");
    cr_assert_eq(json_array_size(st), 3);
    for (size_t i = 0; i < 3; i++)
        s_same_keys(json_array_get(st, i), STAT_KEYS, N(STAT_KEYS), "stats[]");
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    static const char *const EK[] = {"method", "name", "error", "occurrences"};
    s_same_keys(e, EK, N(EK), "errors[]");
    json_t *w = json_array_get(json_object_get(j, "workers"), 0);
    static const char *const WK[] = {"id", "state", "user_count", "cpu_usage", "memory_usage"};
    s_same_keys(w, WK, N(WK), "workers[]");
    json_decref(j);
    web_snapshot_free(&s);
}

Test(webapi, values_come_from_the_snapshot) {
    web_snapshot_t *s = s_snapshot();
    json_t *j = s_render(s);
    cr_assert_str_eq(json_string_value(json_object_get(j, "state")), "running");
    cr_assert_eq(s_num(j, "user_count"), 7);
    cr_assert_eq(s_num(j, "total_rps"), 11.5);
    cr_assert_float_eq(s_num(j, "fail_ratio"), 2.0 / 110, 1e-12);
    json_t *st = json_object_get(j, "stats");
    /* Sorted by name: "/a <x>" before "/b", then Aggregated. */
    json_t *a = json_array_get(st, 0), *b = json_array_get(st, 1), *g = json_array_get(st, 2);
    cr_assert_str_eq(json_string_value(json_object_get(a, "name")), "/a <x>");
    cr_assert_str_eq(json_string_value(json_object_get(a, "safe_name")), "/a &lt;x&gt;");
    cr_assert_str_eq(json_string_value(json_object_get(a, "method")), "POST");
    cr_assert_eq(s_num(a, "num_requests"), 10);
    cr_assert_eq(s_num(a, "num_failures"), 2);
    cr_assert_eq(s_num(a, "current_rps"), 1.5, "rates follow their row, not the sorted position");
    cr_assert_eq(s_num(a, "current_fail_per_sec"), 0.25);
    cr_assert_eq(s_num(a, "median_response_time"), 5.0);
    cr_assert_eq(s_num(a, "avg_content_length"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(b, "name")), "/b");
    cr_assert_eq(s_num(b, "num_requests"), 100);
    cr_assert_eq(s_num(b, "current_rps"), 10);
    cr_assert_eq(s_num(b, "min_response_time"), 1.0);
    cr_assert_eq(s_num(b, "max_response_time"), 100.0);
    cr_assert_float_eq(s_num(b, "avg_response_time"), 50.5, 1e-9);
    /* The merged histogram's own percentiles (3 significant digits), in ms. */
    const histogram_t *hb = results_row(s->report->results, 0)->latency;
    cr_assert_eq(s_num(b, "median_response_time"), (double)histogram_percentile(hb, 50) / 1000);
    cr_assert_eq(s_num(b, "ninetieth_response_time"), (double)histogram_percentile(hb, 90) / 1000);
    cr_assert_eq(s_num(b, "ninety_ninth_response_time"),
                 (double)histogram_percentile(hb, 99) / 1000);
    cr_assert_float_eq(s_num(b, "median_response_time"), 50.0, 0.05);
    cr_assert_float_eq(s_num(b, "ninety_ninth_response_time"), 99.0, 0.1);
    cr_assert_eq(s_num(b, "avg_content_length"), 50.0);
    cr_assert(json_is_null(json_object_get(g, "method")));
    cr_assert_str_eq(json_string_value(json_object_get(g, "name")), "Aggregated");
    cr_assert_eq(s_num(g, "num_requests"), 110);
    cr_assert_eq(s_num(g, "num_failures"), 2);
    cr_assert_eq(s_num(g, "current_fail_per_sec"), 0.25);
    json_t *e = json_array_get(json_object_get(j, "errors"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(e, "name")), "/a &lt;x&gt;");
    cr_assert_str_eq(json_string_value(json_object_get(e, "error")), "HTTP 503 &quot;x&quot;");
    cr_assert_eq(s_num(e, "occurrences"), 2);
    json_t *w = json_array_get(json_object_get(j, "workers"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(w, "id")), "w-1");
    cr_assert_eq(s_num(w, "user_count"), 7);
    cr_assert_float_eq(s_num(w, "cpu_usage"), 41.2, 1e-9, "percent of one core, as Locust's");
    cr_assert_eq(s_num(w, "memory_usage"), 20480.0 * 1024, "bytes");
    json_t *w2 = json_array_get(json_object_get(j, "workers"), 1);
    cr_assert(json_is_null(json_object_get(w2, "cpu_usage")), "no health yet: null, not a 0");
    json_decref(j);
    web_snapshot_free(&s);
}

Test(webapi, before_the_first_run_the_ready_workers_are_listed_as_locust_does) {
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = "ready";
    s->workers = 2;
    s->n_ready_workers = 2;
    s->ready_workers = xcalloc(2, sizeof *s->ready_workers);
    s->ready_workers[0] = xstrdup("lab-1");
    s->ready_workers[1] = xstrdup("lab-2");
    json_t *j = s_render(s);
    s_same_keys(j, TOP_KEYS, N(TOP_KEYS), "top level");
    json_t *ws = json_object_get(j, "workers");
    cr_assert_eq(json_array_size(ws), 2, "a script waiting for its workers sees them");
    static const char *const WK[] = {"id", "state", "user_count", "cpu_usage", "memory_usage"};
    for (size_t i = 0; i < 2; i++)
        s_same_keys(json_array_get(ws, i), WK, N(WK), "workers[]");
    json_t *w1 = json_array_get(ws, 1);
    cr_expect_str_eq(json_string_value(json_object_get(w1, "id")), "lab-2");
    cr_expect_str_eq(json_string_value(json_object_get(w1, "state")), "ready");
    cr_expect_eq(s_num(w1, "user_count"), 0);
    cr_expect(json_is_null(json_object_get(w1, "cpu_usage")));
    json_decref(j);
    web_snapshot_free(&s);
}

Test(webapi, a_lost_worker_holds_no_users) {
    /* Its users were handed to the others: the workers' user_count add up to the total. */
    web_snapshot_t *s = s_snapshot();
    report_worker_t lost = {.id = "w-3", .hostname = "lab", .pid = 3, .users = 4, .state = "lost"};
    report_add_worker(s->report, &lost);
    json_t *j = s_render(s);
    json_t *ws = json_object_get(j, "workers");
    cr_assert_eq(json_array_size(ws), 3);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(ws, 2), "state")), "lost");
    cr_expect_eq(s_num(json_array_get(ws, 2), "user_count"), 0);
    cr_expect_eq(s_num(json_array_get(ws, 0), "user_count"), 7, "the others keep theirs");
    json_decref(j);
    web_snapshot_free(&s);
}

Test(webapi, no_snapshot_is_a_ready_empty_run) {
    json_t *j = s_render(NULL);
    s_same_keys(j, TOP_KEYS, N(TOP_KEYS), "top level");
    cr_assert_str_eq(json_string_value(json_object_get(j, "state")), "ready");
    json_t *st = json_object_get(j, "stats");
    cr_assert_eq(json_array_size(st), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(st, 0), "name")),
                     "Aggregated");
    cr_assert(json_is_null(json_object_get(j, "current_response_time_percentile_95")));
    json_decref(j);
}

/* A run with one target failure (HTTP 503) and two of the scenario's own: a capture
 * that found nothing and a request not sent. */
static web_snapshot_t *s_snapshot_exceptions(void) {
    report_t *r = report_new();
    histogram_t *h = histogram_new();
    histogram_record_n(h, 2000, 9);
    results_row_delta_t rows[1] = {
        {.method = "POST", .name = "/login", .requests = 9, .failures = 9, .latency = h}};
    results_error_delta_t errs[3] = {
        {.method = "POST", .name = "/login", .reason = "HTTP 503", .count = 2},
        {.method = "POST",
         .name = "/login",
         .reason = "capture: token: json:$.access_token found nothing, \"<x>\"",
         .count = 4},
        {.method = "POST", .name = "/login", .reason = "not sent: bad URL", .count = 3}};
    results_delta_t d = {.n_rows = 1, .rows = rows, .n_errors = 3, .errors = errs};
    results_add(r->results, &d);
    histogram_destroy(&h);
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = "running";
    s->report = r;
    return s;
}

Test(webapi, exceptions_are_locusts_shape_with_the_scenarios_own_failures) {
    web_snapshot_t *s = s_snapshot_exceptions();
    strbuf_t b;
    strbuf_init(&b);
    webapi_exceptions_json(s, &b);
    json_error_t e;
    json_t *j = json_loads(strbuf_str(&b), 0, &e);
    cr_assert_not_null(j, "not JSON: %s in %s", e.text, strbuf_str(&b));
    cr_assert_eq(json_object_size(j), 1, "Locust's one key");
    json_t *ex = json_object_get(j, "exceptions");
    cr_assert_eq(json_array_size(ex), 2, "HTTP 503 is the target's answer, not an exception");
    static const char *const EK[] = {"count", "msg", "traceback", "nodes"};
    s_same_keys(json_array_get(ex, 0), EK, N(EK), "exceptions[]");
    json_t *e0 = json_array_get(ex, 0), *e1 = json_array_get(ex, 1);
    cr_expect_eq(s_num(e0, "count"), 4);
    cr_expect_str_eq(json_string_value(json_object_get(e0, "msg")),
                     "POST /login: capture: token: json:$.access_token found nothing, "
                     "&quot;&lt;x&gt;&quot;",
                     "HTML-escaped as Locust's");
    cr_expect_str_eq(json_string_value(json_object_get(e0, "traceback")), "");
    cr_expect_str_eq(json_string_value(json_object_get(e0, "nodes")), "");
    cr_expect_eq(s_num(e1, "count"), 3);
    cr_expect_str_eq(json_string_value(json_object_get(e1, "msg")),
                     "POST /login: not sent: bad URL");
    json_decref(j);
    strbuf_fini(&b);

    strbuf_init(&b);
    webapi_exceptions_csv(s, &b);
    cr_expect_str_eq(strbuf_str(&b),
                     "Count,Message,Traceback,Nodes\r\n"
                     "4,\"POST /login: capture: token: json:$.access_token found nothing, "
                     "\"\"<x>\"\"\",,\r\n"
                     "3,POST /login: not sent: bad URL,,\r\n");
    strbuf_fini(&b);
    web_snapshot_free(&s);

    strbuf_init(&b);
    webapi_exceptions_json(NULL, &b);
    cr_expect_str_eq(strbuf_str(&b), "{\"exceptions\": []}\n", "none before a run");
    strbuf_fini(&b);
    strbuf_init(&b);
    webapi_exceptions_csv(NULL, &b);
    cr_expect_str_eq(strbuf_str(&b), "Count,Message,Traceback,Nodes\r\n");
    strbuf_fini(&b);
}

static web_cmd_t s_ok(const char *form) {
    web_cmd_t c;
    char *err = NULL;
    cr_assert_eq(webapi_parse_swarm(form, strlen(form), &c, &err), 0, "%s: %s", form,
                 err ? err : "?");
    cr_assert_null(err);
    cr_assert_eq(c.type, WEB_CMD_SWARM);
    return c;
}

static void s_bad(const char *form, const char *why) {
    web_cmd_t c;
    char *err = NULL;
    cr_assert_eq(webapi_parse_swarm(form, strlen(form), &c, &err), -1, "%s parsed", form);
    cr_assert(err && strstr(err, why), "%s: got '%s', want '%s'", form, err ? err : "", why);
    cr_assert_null(c.host);
    free(err);
}

Test(webapi, swarm_form_parses_locusts_fields) {
    web_cmd_t c =
        s_ok("user_count=10&spawn_rate=2.5&host=http%3A%2F%2F127.0.0.1%3A8000&run_time=1m30s");
    cr_assert_eq(c.users, 10);
    cr_assert_eq(c.spawn_rate, 2.5);
    cr_assert_str_eq(c.host, "http://127.0.0.1:8000");
    cr_assert_eq(c.run_time_ms, 90000);
    web_cmd_fini(&c);
    cr_assert_null(c.host);
    c = s_ok("user_classes=A&user_classes=B&spawn_rate=1&user_count=0&host=&run_time=&shape_class="
             "Default");
    cr_assert_eq(c.users, 0);
    cr_assert_null(c.host, "empty host keeps the scenario's");
    cr_assert_eq(c.run_time_ms, 0, "empty run_time keeps -t");
    cr_assert_eq(c.n_classes, 2, "the class picker's fields, in order");
    cr_assert_str_eq(c.classes[0], "A");
    cr_assert_str_eq(c.classes[1], "B");
    web_cmd_fini(&c);
    cr_assert_null(c.classes);
    c = s_ok("user_count=1&spawn_rate=1&run_time=20");
    cr_assert_eq(c.run_time_ms, 20000, "a bare number is seconds, as in Locust");
    c = s_ok("user_count=1&spawn_rate=1&host=https://x.example/a+b");
    cr_assert_str_eq(c.host, "https://x.example/a b");
    web_cmd_fini(&c);
}

Test(webapi, swarm_form_refuses_malformed_values) {
    s_bad("user_count=-1&spawn_rate=2", "user_count must be a whole number >= 0 (got '-1')");
    s_bad("user_count=1.5&spawn_rate=2", "user_count must be a whole number");
    s_bad("user_count=99999999999&spawn_rate=2", "user_count must be a whole number");
    s_bad("user_count=&spawn_rate=2", "user_count must be a whole number");
    s_bad("user_count=10&spawn_rate=abc", "spawn_rate must be a number > 0 (got 'abc')");
    s_bad("user_count=10&spawn_rate=0", "spawn_rate must be a number > 0");
    s_bad("user_count=10&spawn_rate=nan", "spawn_rate must be a number > 0");
    s_bad("user_count=10&spawn_rate=2&run_time=x", "run_time must be a duration");
    s_bad("user_count=10&spawn_rate=2&host=ftp%3A%2F%2Fx&run_time=1s", "host must be an http://");
    s_bad("host=http://x&user_count=10&spawn_rate=2&run_time=x", "run_time must be a duration");
    s_bad("spawn_rate=2", "user_count is missing");
    s_bad("user_count=2", "spawn_rate is missing");
    s_bad("user_count=%ZZ&spawn_rate=2", "not valid application/x-www-form-urlencoded");
    s_bad("user_count=1%00&spawn_rate=2", "not valid application/x-www-form-urlencoded");
    strbuf_t many;
    strbuf_init(&many);
    strbuf_append_str(&many, "user_count=1&spawn_rate=1");
    for (int i = 0; i <= WEB_MAX_CLASSES; i++) strbuf_appendf(&many, "&user_classes=C%d", i);
    s_bad(strbuf_str(&many), "at most 64 user_classes");
    strbuf_fini(&many);
}

Test(webapi, result_json_is_locusts_answer) {
    strbuf_t b;
    strbuf_init(&b);
    webapi_result_json(&b, true, "Swarming started", "http://h");
    cr_assert_str_eq(
        strbuf_str(&b),
        "{\"success\": true, \"message\": \"Swarming started\", \"host\": \"http://h\"}\n");
    strbuf_reset(&b);
    webapi_result_json(&b, false, "a \"q\"", NULL);
    cr_assert_str_eq(strbuf_str(&b), "{\"success\": false, \"message\": \"a \\\"q\\\"\"}\n");
    strbuf_fini(&b);
}

Test(webapi, swarm_answer_has_host_and_run_time_as_locust) {
    strbuf_t b;
    strbuf_init(&b);
    web_cmd_t c = {.type = WEB_CMD_SWARM, .users = 1, .spawn_rate = 1};
    webapi_swarm_json(&b, &c, "http://h");
    cr_assert_str_eq(
        strbuf_str(&b),
        "{\"success\": true, \"message\": \"Swarming started\", \"host\": \"http://h\"}\n");
    strbuf_reset(&b);
    c.run_time_ms = 90000;
    webapi_swarm_json(&b, &c, "");
    cr_assert_str_eq(strbuf_str(&b), "{\"success\": true, \"message\": \"Swarming started\", "
                                     "\"host\": \"\", \"run_time\": 90}\n");
    strbuf_reset(&b);
    c.run_time_ms = 1500;
    webapi_swarm_json(&b, &c, "");
    cr_assert(strstr(strbuf_str(&b), "\"run_time\": 1.500}"), "%s", strbuf_str(&b));
    strbuf_fini(&b);
}
