/* test_history: web/history — ids in finishing order, ownership, the
 * results directory (written per run, loaded at start sorted by start time,
 * a broken file skipped), and the /api JSON bodies. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "report/compare.h"
#include "report/report_json.h"
#include "web/history.h"

/* A run of `scenario` started at started_ms: n requests of latency_us on GET /x. */
static report_t *s_run(const char *scenario, uint64_t started_ms, uint64_t n, uint64_t latency_us,
                       uint64_t failures) {
    report_t *r = report_new();
    r->scenario_name = xstrdup(scenario);
    r->scenario_file = xstrdup("load.yaml");
    r->users = 3;
    r->run_seconds = 10;
    r->started_ms = started_ms;
    r->ended_ms = started_ms + 10000;
    histogram_t *h = histogram_new();
    histogram_record_n(h, latency_us, n);
    results_row_delta_t row = {
        .method = "GET", .name = "/x", .latency = h, .requests = n, .failures = failures};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &row});
    histogram_destroy(&h);
    return r;
}

static json_t *s_parse(const strbuf_t *b) {
    json_error_t e;
    json_t *j = json_loads(strbuf_str(b), 0, &e);
    cr_assert_not_null(j, "%s: %s", e.text, strbuf_str(b));
    return j;
}

static char *s_tmpdir(void) {
    char tmpl[] = "/tmp/test_history.XXXXXX";
    cr_assert_not_null(mkdtemp(tmpl));
    return xstrdup(tmpl);
}

static void s_rmrf(const char *dir) {
    char *cmd = xasprintf("rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
}

Test(history, add_takes_ownership_and_numbers_in_finishing_order) {
    char *err = NULL;
    history_t *h = history_new(NULL, &err);
    cr_assert_not_null(h);
    cr_assert_eq(history_count(h), 0);
    report_t *a = s_run("a", 2000, 10, 1000, 0), *b = s_run("b", 1000, 20, 2000, 0);
    cr_assert_eq(history_add(h, &a), 1);
    cr_assert_null(a);
    cr_assert_eq(history_add(h, &b), 2);
    cr_assert_null(b);
    cr_assert_eq(history_count(h), 2);
    strbuf_t sb;
    strbuf_init(&sb);
    history_list_json(h, &sb);
    json_t *j = s_parse(&sb);
    json_t *runs = json_object_get(j, "runs");
    cr_assert_eq(json_array_size(runs), 2);
    json_t *r1 = json_array_get(runs, 0), *r2 = json_array_get(runs, 1);
    cr_assert_eq(json_integer_value(json_object_get(r1, "id")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(r1, "name")), "a");
    cr_assert_str_eq(json_string_value(json_object_get(r1, "scenario")), "load.yaml");
    cr_assert_eq(json_integer_value(json_object_get(r1, "started_ms")), 2000);
    cr_assert_eq(json_integer_value(json_object_get(r1, "ended_ms")), 12000);
    cr_assert_float_eq(json_number_value(json_object_get(r1, "duration_s")), 10.0, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(r1, "users")), 3);
    cr_assert_eq(json_integer_value(json_object_get(r1, "requests")), 10);
    cr_assert_eq(json_integer_value(json_object_get(r2, "id")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(r2, "name")), "b");
    cr_assert_float_eq(json_number_value(json_object_get(r2, "rps")), 2.0, 1e-9);
    json_decref(j);
    strbuf_fini(&sb);
    history_destroy(&h);
    cr_assert_null(h);
    history_destroy(&h); /* NULL allowed */
}

Test(history, list_gives_failures_rate_and_p95) {
    char *err = NULL;
    history_t *h = history_new(NULL, &err);
    report_t *a = s_run("a", 1, 200, 50000, 50);
    uint64_t p95_us = histogram_percentile(results_total(a->results)->latency, 95);
    history_add(h, &a);
    strbuf_t sb;
    strbuf_init(&sb);
    history_list_json(h, &sb);
    json_t *j = s_parse(&sb);
    json_t *r = json_array_get(json_object_get(j, "runs"), 0);
    cr_assert_eq(json_integer_value(json_object_get(r, "failures")), 50);
    cr_assert_float_eq(json_number_value(json_object_get(r, "failure_rate_pct")), 25.0, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(r, "p95_ms")), (double)p95_us / 1000.0,
                       1e-9);
    cr_assert_eq(json_integer_value(json_object_get(r, "thresholds")), 0);
    cr_assert_eq(json_integer_value(json_object_get(r, "thresholds_failed")), 0);
    json_decref(j);
    strbuf_fini(&sb);
    history_destroy(&h);
}

Test(history, list_counts_the_thresholds_and_those_that_failed) {
    char *err = NULL;
    history_t *h = history_new(NULL, &err);
    report_t *a = s_run("a", 1, 200, 50000, 0), *b = s_run("b", 2, 200, 50000, 0);
    report_add_threshold(a, &(report_threshold_t){.text = "p95 < 300ms", .passed = true,
                                                  .value = 50, .measured = "50ms"});
    report_add_threshold(a, &(report_threshold_t){.text = "p99 < 10ms", .passed = false,
                                                  .value = 50, .measured = "50ms"});
    report_add_threshold(a, &(report_threshold_t){.text = "rps > 100", .name = "/x",
                                                  .passed = false, .value = 20,
                                                  .measured = "20.0/s"});
    report_add_threshold(b, &(report_threshold_t){.text = "p95 < 300ms", .passed = true,
                                                  .value = 50, .measured = "50ms"});
    history_add(h, &a);
    history_add(h, &b);
    strbuf_t sb;
    strbuf_init(&sb);
    history_list_json(h, &sb);
    json_t *j = s_parse(&sb);
    json_t *runs = json_object_get(j, "runs");
    json_t *ra = json_array_get(runs, 0), *rb = json_array_get(runs, 1);
    cr_assert_eq(json_integer_value(json_object_get(ra, "thresholds")), 3);
    cr_assert_eq(json_integer_value(json_object_get(ra, "thresholds_failed")), 2);
    cr_assert_eq(json_integer_value(json_object_get(rb, "thresholds")), 1);
    cr_assert_eq(json_integer_value(json_object_get(rb, "thresholds_failed")), 0);
    json_decref(j);
    strbuf_fini(&sb);
    history_destroy(&h);
}

Test(history, result_json_is_report_json_render_and_unknown_ids_fail) {
    char *err = NULL;
    history_t *h = history_new(NULL, &err);
    report_t *a = s_run("a", 1, 10, 1000, 0);
    strbuf_t want, got;
    strbuf_init(&want);
    strbuf_init(&got);
    report_json_render(a, &want);
    history_add(h, &a);
    cr_assert_eq(history_result_json(h, 1, &got), 0);
    cr_assert_str_eq(strbuf_str(&got), strbuf_str(&want));
    strbuf_reset(&got);
    cr_assert_eq(history_result_json(h, 0, &got), -1);
    cr_assert_eq(history_result_json(h, 2, &got), -1);
    cr_assert_eq(got.len, 0);
    strbuf_fini(&want);
    strbuf_fini(&got);
    history_destroy(&h);
}

Test(history, compare_json_is_compare_json_of_the_two_runs) {
    char *err = NULL;
    history_t *h = history_new(NULL, &err);
    report_t *a = s_run("a", 1, 100, 50000, 0), *b = s_run("a", 2, 100, 5000, 0);
    strbuf_t want, got;
    strbuf_init(&want);
    strbuf_init(&got);
    compare_json(a, b, NULL, &want);
    history_add(h, &a);
    history_add(h, &b);
    cr_assert_eq(history_compare_json(h, 1, 2, &got), 0);
    cr_assert_str_eq(strbuf_str(&got), strbuf_str(&want));
    json_t *j = s_parse(&got);
    cr_assert_str_eq(json_string_value(
                         json_object_get(json_array_get(json_object_get(j, "rows"), 0), "verdict")),
                     "better");
    json_decref(j);
    strbuf_reset(&got);
    cr_assert_eq(history_compare_json(h, 1, 3, &got), -1);
    cr_assert_eq(history_compare_json(h, 3, 1, &got), -1);
    cr_assert_eq(got.len, 0);
    strbuf_fini(&want);
    strbuf_fini(&got);
    history_destroy(&h);
}

Test(history, parse_id_takes_positive_decimal_ids_only) {
    uint32_t id = 0;
    cr_assert_eq(history_parse_id("1", &id), 0);
    cr_assert_eq(id, 1);
    cr_assert_eq(history_parse_id("4294967295", &id), 0);
    cr_assert_eq(id, 4294967295u);
    const char *bad[] = {NULL, "", "0", "-1", "+1", "1x", " 1", "4294967296", "99999999999", "0x1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(history_parse_id(bad[i], &id), -1, "%s", bad[i] ? bad[i] : "NULL");
}

Test(history, results_dir_is_created_and_each_run_written) {
    char *root = s_tmpdir();
    char *dir = xasprintf("%s/results", root);
    char *err = NULL;
    history_t *h = history_new(dir, &err);
    cr_assert_not_null(h, "%s", err ? err : "?");
    struct stat st;
    cr_assert_eq(stat(dir, &st), 0);
    cr_assert(S_ISDIR(st.st_mode));
    /* 2026-12-07 05:00:00 UTC */
    report_t *a = s_run("a", 1796619600000ull, 10, 1000, 0);
    history_add(h, &a);
    char *path = xasprintf("%s/run-1-20261207-050000.json", dir);
    report_t *back = report_json_read(path, &err);
    cr_assert_not_null(back, "%s", err ? err : "?");
    cr_assert_eq(results_total(back->results)->requests, 10);
    strbuf_t want, got;
    strbuf_init(&want);
    strbuf_init(&got);
    report_json_render(back, &want);
    history_result_json(h, 1, &got);
    cr_assert_str_eq(strbuf_str(&got), strbuf_str(&want));
    strbuf_fini(&want);
    strbuf_fini(&got);
    report_destroy(&back);
    free(path);
    history_destroy(&h);
    s_rmrf(root);
    free(dir);
    free(root);
}

Test(history, results_dir_is_loaded_in_start_order_and_a_broken_file_skipped) {
    char *dir = s_tmpdir();
    char *err = NULL;
    /* Written in the reverse of their start order, under names that sort the same way. */
    report_t *late = s_run("late", 3000, 30, 1000, 0), *early = s_run("early", 1000, 10, 1000, 0);
    char *p1 = xasprintf("%s/a.json", dir), *p2 = xasprintf("%s/b.json", dir);
    cr_assert_eq(report_json_write(late, p1, &err), 0);
    cr_assert_eq(report_json_write(early, p2, &err), 0);
    char *bad = xasprintf("%s/c.json", dir), *other = xasprintf("%s/notes.txt", dir);
    FILE *f = fopen(bad, "w");
    cr_assert_not_null(f);
    fputs("{\"format_version\": 1, \"trunc", f);
    fclose(f);
    f = fopen(other, "w");
    cr_assert_not_null(f);
    fputs("not a result", f);
    fclose(f);
    history_t *h = history_new(dir, &err);
    cr_assert_not_null(h, "%s", err ? err : "?");
    cr_assert_eq(history_count(h), 2);
    strbuf_t sb;
    strbuf_init(&sb);
    history_list_json(h, &sb);
    json_t *j = s_parse(&sb);
    json_t *runs = json_object_get(j, "runs");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(runs, 0), "name")), "early");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(runs, 1), "name")), "late");
    json_decref(j);
    strbuf_fini(&sb);
    /* A new run comes after the loaded ones. */
    report_t *next = s_run("next", 5000, 5, 1000, 0);
    cr_assert_eq(history_add(h, &next), 3);
    history_destroy(&h);
    report_destroy(&late);
    report_destroy(&early);
    s_rmrf(dir);
    free(p1);
    free(p2);
    free(bad);
    free(other);
    free(dir);
}

Test(history, a_results_dir_that_cannot_be_created_is_an_error) {
    char *err = NULL;
    history_t *h = history_new("/proc/no/such/dir", &err);
    cr_assert_null(h);
    cr_assert_not_null(err);
    cr_assert(strstr(err, "/proc/no/such/dir"), "%s", err);
    free(err);
}
