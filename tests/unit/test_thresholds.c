/* test_thresholds: parsing every metric, operator and unit with precise
 * errors, and evaluating checks on hand-built reports (report/thresholds.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/thresholds.h"

/* Adds n requests of latency_us (failures of them failed) to r under method/name. */
static void s_add(report_t *r, const char *method, const char *name, uint64_t latency_us,
                  uint64_t n, uint64_t failures) {
    histogram_t *h = histogram_new();
    histogram_record_n(h, latency_us, n);
    results_row_delta_t row = {
        .method = method, .name = name, .latency = h, .requests = n, .failures = failures};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &row});
    histogram_destroy(&h);
}

static thresholds_check_t s_parse_ok(const char *text) {
    thresholds_check_t c;
    char err[256] = "";
    size_t off = 999;
    int rc = thresholds_parse(text, &c, err, sizeof err, &off);
    cr_assert_eq(rc, 0, "'%s' should parse: %s (at %zu)", text, err, off);
    return c;
}

/* Evaluates one check on r and returns a copy of its verdict's fields. */
static const report_threshold_t *s_eval(report_t *r, const char *text) {
    thresholds_check_t c = s_parse_ok(text);
    thresholds_evaluate(r, &c, 1, NULL);
    thresholds_check_fini(&c);
    cr_assert_gt(r->n_thresholds, 0);
    return &r->thresholds[r->n_thresholds - 1];
}

static void s_expect_verdict(report_t *r, const char *text, bool passed, const char *measured) {
    const report_threshold_t *t = s_eval(r, text);
    cr_expect_eq(t->passed, passed, "'%s': expected %s, measured %s", text,
                 passed ? "PASS" : "FAIL", t->measured);
    cr_expect_str_eq(t->measured, measured, "'%s'", text);
}

Test(thresholds, parses_every_metric) {
    static const struct {
        const char *text;
        thresholds_metric_t metric;
        double percentile;
    } cases[] = {
        {"p50 < 1", THRESHOLDS_PERCENTILE, 50},
        {"p66 < 1", THRESHOLDS_PERCENTILE, 66},
        {"p75 < 1", THRESHOLDS_PERCENTILE, 75},
        {"p80 < 1", THRESHOLDS_PERCENTILE, 80},
        {"p90 < 1", THRESHOLDS_PERCENTILE, 90},
        {"p95 < 1", THRESHOLDS_PERCENTILE, 95},
        {"p98 < 1", THRESHOLDS_PERCENTILE, 98},
        {"p99 < 1", THRESHOLDS_PERCENTILE, 99},
        {"p99.9 < 1", THRESHOLDS_PERCENTILE, 99.9},
        {"p99.99 < 1", THRESHOLDS_PERCENTILE, 99.99},
        {"p100 < 1", THRESHOLDS_PERCENTILE, 100},
        {"p42.5 < 1", THRESHOLDS_PERCENTILE, 42.5},
        {"p0.1 < 1", THRESHOLDS_PERCENTILE, 0.1},
        {"med < 1", THRESHOLDS_PERCENTILE, 50},
        {"avg < 1", THRESHOLDS_AVG, 0},
        {"min < 1", THRESHOLDS_MIN, 0},
        {"max < 1", THRESHOLDS_MAX, 0},
        {"failure_rate < 1%", THRESHOLDS_FAILURE_RATE, 0},
        {"failures < 1", THRESHOLDS_FAILURES, 0},
        {"requests > 1", THRESHOLDS_REQUESTS, 0},
        {"rps > 1", THRESHOLDS_RPS, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        thresholds_check_t c = s_parse_ok(cases[i].text);
        cr_expect_eq(c.metric, cases[i].metric, "%s", cases[i].text);
        cr_expect_float_eq(c.percentile, cases[i].percentile, 1e-12, "%s", cases[i].text);
        cr_expect_str_eq(c.text, cases[i].text);
        cr_expect_null(c.name);
        thresholds_check_fini(&c);
        cr_expect_null(c.text);
    }
    thresholds_check_fini(NULL);
}

Test(thresholds, parses_every_operator_with_or_without_spaces) {
    static const struct {
        const char *text;
        thresholds_op_t op;
    } cases[] = {
        {"p95 < 300ms", THRESHOLDS_LT},  {"p95<=300ms", THRESHOLDS_LE},
        {"p95 >300ms", THRESHOLDS_GT},   {"p95>= 300ms", THRESHOLDS_GE},
        {"p95 == 300ms", THRESHOLDS_EQ}, {"p95!=300ms", THRESHOLDS_NE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        thresholds_check_t c = s_parse_ok(cases[i].text);
        cr_expect_eq(c.op, cases[i].op, "%s", cases[i].text);
        cr_expect_float_eq(c.limit, 300, 1e-12, "%s", cases[i].text);
        cr_expect_eq(c.unit, THRESHOLDS_UNIT_MS, "%s", cases[i].text);
        thresholds_check_fini(&c);
    }
}

Test(thresholds, parses_every_unit) {
    static const struct {
        const char *text;
        thresholds_unit_t unit;
        double limit;
    } cases[] = {
        {"p95 < 850us", THRESHOLDS_UNIT_US, 850},
        {"p95 < 300ms", THRESHOLDS_UNIT_MS, 300},
        {"p95 < 300", THRESHOLDS_UNIT_MS, 300}, /* bare number: ms */
        {"p95 < 1.5s", THRESHOLDS_UNIT_S, 1.5},
        {"p95 < 2m", THRESHOLDS_UNIT_MIN, 2},
        {"p95 < 300 ms", THRESHOLDS_UNIT_MS, 300},
        {"avg < .5s", THRESHOLDS_UNIT_S, 0.5},
        {"failure_rate < 1%", THRESHOLDS_UNIT_PERCENT, 1},
        {"failure_rate < 0.01", THRESHOLDS_UNIT_FRACTION, 0.01},
        {"failure_rate <= 100%", THRESHOLDS_UNIT_PERCENT, 100},
        {"failure_rate <= 1", THRESHOLDS_UNIT_FRACTION, 1},
        {"failures == 0", THRESHOLDS_UNIT_COUNT, 0},
        {"requests >= 10000", THRESHOLDS_UNIT_COUNT, 10000},
        {"rps > 150", THRESHOLDS_UNIT_PER_S, 150},
        {"rps > 150.5/s", THRESHOLDS_UNIT_PER_S, 150.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        thresholds_check_t c = s_parse_ok(cases[i].text);
        cr_expect_eq(c.unit, cases[i].unit, "%s", cases[i].text);
        cr_expect_float_eq(c.limit, cases[i].limit, 1e-12, "%s", cases[i].text);
        thresholds_check_fini(&c);
    }
}

Test(thresholds, name_prefix_is_everything_before_the_last_colon) {
    thresholds_check_t c = s_parse_ok("/login: p99 < 1s");
    cr_expect_str_eq(c.name, "/login");
    cr_expect_str_eq(c.text, "p99 < 1s");
    thresholds_check_fini(&c);

    c = s_parse_ok("  /orgs/{id}/dashboard :p95<300ms  ");
    cr_expect_str_eq(c.name, "/orgs/{id}/dashboard");
    cr_expect_str_eq(c.text, "p95<300ms");
    thresholds_check_fini(&c);

    c = s_parse_ok("urn:x:checkout: failure_rate < 1%");
    cr_expect_str_eq(c.name, "urn:x:checkout");
    cr_expect_str_eq(c.text, "failure_rate < 1%");
    thresholds_check_fini(&c);
}

Test(thresholds, parse_named_takes_the_scenario_name) {
    thresholds_check_t c;
    cr_assert_eq(thresholds_parse_named("/orgs/{id}/dashboard", "p99 < 1s", &c, NULL, 0, NULL), 0);
    cr_expect_str_eq(c.name, "/orgs/{id}/dashboard");
    cr_expect_str_eq(c.text, "p99 < 1s");
    cr_expect_eq(c.metric, THRESHOLDS_PERCENTILE);
    thresholds_check_fini(&c);

    cr_assert_eq(thresholds_parse_named(NULL, "p99 < 1s", &c, NULL, 0, NULL), 0);
    cr_expect_null(c.name);
    thresholds_check_fini(&c);

    char err[256];
    size_t off = 99;
    cr_expect_eq(thresholds_parse_named("/a", " /b: p99 < 1s", &c, err, sizeof err, &off), -1);
    cr_expect_str_eq(err, "the check names '/b' but the threshold already has name '/a'");
    cr_expect_eq(off, 1);
    cr_expect_null(c.text);
    cr_expect_eq(thresholds_parse_named("", "p99 < 1s", &c, err, sizeof err, &off), -1);
    cr_expect_str_eq(err, "empty threshold name");
}

Test(thresholds, every_error_has_a_message_and_offset) {
    static const struct {
        const char *text;
        const char *err;
        size_t offset;
    } cases[] = {
        {"p95x < 300ms",
         "unknown metric 'p95x' (expected pNN, avg, min, max, med, failure_rate, failures, "
         "requests or rps)",
         0},
        {"/login: latency < 1s",
         "unknown metric 'latency' (expected pNN, avg, min, max, med, failure_rate, failures, "
         "requests or rps)",
         8},
        {"p < 1",
         "unknown metric 'p' (expected pNN, avg, min, max, med, failure_rate, failures, "
         "requests or rps)",
         0},
        {"p95 300ms", "expected an operator (<, <=, >, >=, ==, !=) after 'p95'", 4},
        {"p95 = 300ms", "expected an operator (<, <=, >, >=, ==, !=) after 'p95'", 4},
        {"p95 => 300ms", "expected an operator (<, <=, >, >=, ==, !=) after 'p95'", 4},
        {"avg", "expected an operator (<, <=, >, >=, ==, !=) after 'avg'", 3},
        {"p95 < 300xs",
         "bad value '300xs' (expected a time like 300ms; units us, ms, s, m; bare = ms)", 6},
        {"p95 < -5ms",
         "bad value '-5ms' (expected a time like 300ms; units us, ms, s, m; bare = ms)", 6},
        {"p95 < 1h", "bad value '1h' (expected a time like 300ms; units us, ms, s, m; bare = ms)",
         6},
        {"p95 < 300ms and more",
         "bad value '300ms and more' (expected a time like 300ms; units us, ms, s, m; bare = ms)",
         6},
        {"p95 < 1e3", "bad value '1e3' (expected a time like 300ms; units us, ms, s, m; bare = ms)",
         6},
        {"p95 <", "expected a value after 'p95 <'", 5},
        {"p95 <=   ", "expected a value after 'p95 <='", 9},
        {"", "empty threshold (expected e.g. \"p95 < 300ms\")", 0},
        {"   ", "empty threshold (expected e.g. \"p95 < 300ms\")", 3},
        {"< 300ms",
         "expected a metric (pNN, avg, min, max, med, failure_rate, failures, requests or rps) at "
         "'< 300ms'",
         0},
        {"p0 < 1ms", "percentile out of range in 'p0' (expected p0 < NN <= p100)", 0},
        {"/x: p100.5 < 1ms", "percentile out of range in 'p100.5' (expected p0 < NN <= p100)", 4},
        {"failure_rate < 5", "bad value '5' (expected a rate like 1% or 0.01)", 15},
        {"failure_rate < 101%", "bad value '101%' (expected a rate like 1% or 0.01)", 15},
        {"failure_rate < 1ms", "bad value '1ms' (expected a rate like 1% or 0.01)", 15},
        {"failures < 1.5", "bad value '1.5' (expected a whole number like 100)", 11},
        {"requests > 10ms", "bad value '10ms' (expected a whole number like 100)", 11},
        {"rps > 100/m", "bad value '100/m' (expected a rate like 100 or 100/s)", 6},
        {"rps > fast", "bad value 'fast' (expected a rate like 100 or 100/s)", 6},
        {"p95 < 300ms over", "expected a duration after 'over' (e.g. over 30s)", 12},
        {"p95 < 300ms over 1.5s", "the window must be whole seconds, e.g. over 30s (got '1.5s')",
         17},
        {"p95 < 300ms over soon", "the window must be whole seconds, e.g. over 30s (got 'soon')",
         17},
        {"p95 < 300ms over 11m", "the window may be at most 600s (got '11m')", 17},
        {"p95 < over 30s", "expected a value after 'p95 <'", 6},
        {": p95 < 1s", "empty name before ':'", 0},
        {"  : p95 < 1s", "empty name before ':'", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        thresholds_check_t c;
        char err[256] = "";
        size_t off = 999;
        cr_expect_eq(thresholds_parse(cases[i].text, &c, err, sizeof err, &off), -1, "'%s'",
                     cases[i].text);
        cr_expect_str_eq(err, cases[i].err, "'%s'", cases[i].text);
        cr_expect_eq(off, cases[i].offset, "'%s': offset %zu, want %zu", cases[i].text, off,
                     cases[i].offset);
        cr_expect_null(c.text);
        cr_expect_null(c.name);
    }
    /* err and offset are optional; a tiny buffer truncates. */
    thresholds_check_t c;
    cr_expect_eq(thresholds_parse("p95x < 1", &c, NULL, 0, NULL), -1);
    char tiny[8];
    cr_expect_eq(thresholds_parse("p95x < 1", &c, tiny, sizeof tiny, NULL), -1);
    cr_expect_str_eq(tiny, "unknown");
    cr_expect_eq(thresholds_parse(NULL, &c, NULL, 0, NULL), -1);
}

/* 100 requests of 212 ms, 1 failed, over 10 s. */
static report_t *s_report_212ms(void) {
    report_t *r = report_new();
    r->run_seconds = 10;
    s_add(r, "GET", "/a", 212000, 100, 1);
    return r;
}

Test(thresholds, evaluates_latency_in_the_written_unit) {
    report_t *r = s_report_212ms();
    s_expect_verdict(r, "p95 < 300ms", true, "212ms");
    cr_expect_float_eq(r->thresholds[0].value, 212, 1e-9);
    cr_expect_str_eq(r->thresholds[0].text, "p95 < 300ms");
    cr_expect_null(r->thresholds[0].name);
    s_expect_verdict(r, "p95 < 300", true, "212ms");
    s_expect_verdict(r, "p95 < 0.2s", false, "212ms"); /* below 1 s: shown in ms */
    s_expect_verdict(r, "p95 < 2s", true, "212ms");
    cr_expect_float_eq(r->thresholds[2].value, 0.212, 1e-9);
    s_expect_verdict(r, "p99.99 <= 212ms", true, "212ms");
    s_expect_verdict(r, "med != 212ms", false, "212ms");
    s_expect_verdict(r, "avg == 212", true, "212ms");
    s_expect_verdict(r, "max == 212000us", true, "212000us");
    s_expect_verdict(r, "min > 1m", false, "212ms");
    s_expect_verdict(r, "p50 >= 212ms", true, "212ms");
    s_expect_verdict(r, "p50 > 212ms", false, "212ms");
    cr_expect_eq(r->n_thresholds, 11);
    cr_expect_not(report_thresholds_passed(r));
    report_destroy(&r);
}

Test(thresholds, evaluates_counts_rates_and_rps) {
    report_t *r = s_report_212ms();
    s_expect_verdict(r, "failure_rate < 1%", false, "1%");
    s_expect_verdict(r, "failure_rate <= 1%", true, "1%");
    s_expect_verdict(r, "failure_rate <= 0.01", true, "0.01");
    s_expect_verdict(r, "failure_rate < 0.005", false, "0.01");
    s_expect_verdict(r, "failures == 1", true, "1");
    s_expect_verdict(r, "failures < 1", false, "1");
    s_expect_verdict(r, "requests >= 100", true, "100");
    s_expect_verdict(r, "requests > 100", false, "100");
    s_expect_verdict(r, "rps > 10/s", false, "10.0/s");
    s_expect_verdict(r, "rps >= 10", true, "10.0/s");
    cr_expect_float_eq(r->thresholds[9].value, 10, 1e-9);
    report_destroy(&r);
}

Test(thresholds, failure_rate_compares_without_binary_fraction_noise) {
    report_t *r = report_new();
    r->run_seconds = 1;
    s_add(r, "GET", "/a", 1000, 1000, 3);
    s_expect_verdict(r, "failure_rate <= 0.3%", true, "0.3%");
    s_expect_verdict(r, "failure_rate == 0.003", true, "0.003");
    s_expect_verdict(r, "failure_rate < 0.3%", false, "0.3%");
    report_destroy(&r);
}

Test(thresholds, per_name_combines_every_method_of_that_name) {
    report_t *r = report_new();
    r->run_seconds = 2;
    s_add(r, "GET", "/login", 1420000, 10, 0);
    s_add(r, "GET", "/cart", 10000, 3, 1);
    s_add(r, "POST", "/cart", 100000, 1, 1);
    s_add(r, "GET", "/other", 5000000, 50, 50);
    s_expect_verdict(r, "/login: p99 < 1s", false, "1.42s");
    cr_expect_str_eq(r->thresholds[0].name, "/login");
    cr_expect_str_eq(r->thresholds[0].text, "p99 < 1s");
    s_expect_verdict(r, "/login: p99 < 1.5s", true, "1.42s");
    s_expect_verdict(r, "/cart: requests == 4", true, "4");
    s_expect_verdict(r, "/cart: failures == 2", true, "2");
    s_expect_verdict(r, "/cart: failure_rate == 50%", true, "50%");
    s_expect_verdict(r, "/cart: max == 100ms", true, "100ms");
    s_expect_verdict(r, "/cart: min == 10ms", true, "10ms");
    /* Percentiles of a merge are bucket midpoints (3 significant digits). */
    s_expect_verdict(r, "/cart: p50 < 10.1ms", true, "10ms");
    s_expect_verdict(r, "/cart: p50 > 9.9ms", true, "10ms");
    s_expect_verdict(r, "/cart: p99 > 99ms", true, "100ms");
    s_expect_verdict(r, "/cart: avg == 32.5ms", true, "32.5ms");
    s_expect_verdict(r, "/cart: rps == 2", true, "2.0/s");
    /* The aggregate sees everything. */
    s_expect_verdict(r, "requests == 64", true, "64");
    s_expect_verdict(r, "max < 1s", false, "5s");
    /* Names are exact. */
    s_expect_verdict(r, "/Cart: requests > 0", false, "no requests");
    report_destroy(&r);
}

Test(thresholds, name_without_requests_fails_with_no_requests) {
    report_t *r = s_report_212ms();
    static const char *const texts[] = {"/nope: p95 < 1s", "/nope: failure_rate < 1%",
                                        "/nope: failures == 0", "/nope: requests == 0",
                                        "/nope: rps >= 0"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const report_threshold_t *t = s_eval(r, texts[i]);
        cr_expect_not(t->passed, "%s", texts[i]);
        cr_expect_str_eq(t->measured, "no requests", "%s", texts[i]);
        cr_expect_float_eq(t->value, 0, 1e-12);
        cr_expect_str_eq(t->name, "/nope");
    }
    report_destroy(&r);
}

Test(thresholds, empty_run_fails_every_aggregated_threshold) {
    report_t *r = report_new();
    r->run_seconds = 10;
    s_expect_verdict(r, "failure_rate < 1%", false, "no requests");
    s_expect_verdict(r, "failures == 0", false, "no requests");
    s_expect_verdict(r, "p95 < 1s", false, "no requests");
    s_expect_verdict(r, "requests == 0", false, "no requests");
    report_destroy(&r);
}

Test(thresholds, rps_without_run_time_fails) {
    report_t *r = s_report_212ms();
    r->run_seconds = 0;
    s_expect_verdict(r, "rps > 1", false, "no run time");
    s_expect_verdict(r, "requests > 1", true, "100");
    report_destroy(&r);
}

Test(thresholds, evaluate_appends_in_order_and_all_pass) {
    report_t *r = s_report_212ms();
    const char *texts[] = {"p95 < 300ms", "/a: requests == 100", "failure_rate < 2%"};
    thresholds_check_t c[3];
    for (int i = 0; i < 3; i++)
        c[i] = s_parse_ok(texts[i]);
    thresholds_evaluate(r, c, 3, NULL);
    thresholds_evaluate(r, c, 0, NULL);
    cr_assert_eq(r->n_thresholds, 3);
    for (int i = 0; i < 3; i++) {
        cr_expect_str_eq(r->thresholds[i].text, c[i].text);
        cr_expect(r->thresholds[i].passed, "%s", texts[i]);
        thresholds_check_fini(&c[i]);
    }
    cr_expect_str_eq(r->thresholds[1].name, "/a");
    cr_expect(report_thresholds_passed(r));
    report_destroy(&r);
}

static char *s_print(const report_t *r) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    thresholds_print(f, r);
    fclose(f);
    return buf;
}

Test(thresholds, print_lines_and_total) {
    report_t *r = report_new();
    r->run_seconds = 10;
    s_add(r, "GET", "/fast", 212000, 100, 0);
    s_add(r, "POST", "/login", 1420000, 10, 0);
    const char *texts[] = {"p95 < 300ms", "/login: p99 < 1s", "failure_rate < 1%"};
    thresholds_check_t c[3];
    for (int i = 0; i < 3; i++)
        c[i] = s_parse_ok(texts[i]);
    thresholds_evaluate(r, c, 3, NULL);
    for (int i = 0; i < 3; i++)
        thresholds_check_fini(&c[i]);
    char *got = s_print(r);
    cr_expect_str_eq(got, "  FAIL  p95 < 300ms               (measured 1420ms)\n"
                          "  FAIL  /login: p99 < 1s          (measured 1.42s)\n"
                          "  PASS  failure_rate < 1%         (measured 0%)\n"
                          "  1 of 3 thresholds passed, 2 failed\n");
    free(got);
    report_destroy(&r);
}

Test(thresholds, print_all_passed_and_nothing_without_thresholds) {
    report_t *r = s_report_212ms();
    char *got = s_print(r);
    cr_expect_str_eq(got, "");
    free(got);
    thresholds_check_t c = s_parse_ok("p95 < 300ms");
    thresholds_evaluate(r, &c, 1, NULL);
    thresholds_check_fini(&c);
    got = s_print(r);
    cr_expect_str_eq(got, "  PASS  p95 < 300ms               (measured 212ms)\n"
                          "  1 of 1 threshold passed\n");
    free(got);
    report_destroy(&r);
}

Test(thresholds, a_window_is_parsed_after_the_value) {
    thresholds_check_t c = s_parse_ok("/login: p95 < 300ms over 30s");
    cr_expect_str_eq(c.name, "/login");
    cr_expect_str_eq(c.text, "p95 < 300ms over 30s", "the text keeps the window");
    cr_expect_eq(c.window_ms, 30000);
    cr_expect_float_eq(c.limit, 300, 1e-9);
    thresholds_check_fini(&c);
    c = s_parse_ok("failure_rate<1% over 1m");
    cr_expect_eq(c.window_ms, 60000);
    cr_expect_eq(c.unit, THRESHOLDS_UNIT_PERCENT);
    thresholds_check_fini(&c);
    c = s_parse_ok("rps > 10");
    cr_expect_eq(c.window_ms, 0, "no window: the whole run");
    cr_expect_not(c.abort, "abort comes from the scenario's mapping");
    thresholds_check_fini(&c);
}

Test(thresholds, print_names_the_threshold_that_stopped_the_run) {
    report_t *r = report_new();
    s_add(r, "GET", "/", 1000, 10, 5);
    thresholds_check_t c = s_parse_ok("failure_rate < 1%");
    thresholds_evaluate(r, &c, 1, NULL);
    r->aborted_by = strdup("failure_rate < 1%");
    r->aborted_at_s = 5.04;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    thresholds_print(f, r);
    fclose(f);
    cr_expect(strstr(text, "  the run was stopped after 5.0 s: 'failure_rate < 1%' failed and "
                           "has abort set\n"),
              "%s", text);
    free(text);
    thresholds_check_fini(&c);
    report_destroy(&r);
}
