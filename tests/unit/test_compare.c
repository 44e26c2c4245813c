/* test_compare: before/after tables in text and markdown, verdict rules,
 * added/removed names and the regression gate (report/compare.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include <jansson.h>

#include "common/strbuf.h"
#include "report/compare.h"
#include "report/percentiles.h"

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

static report_t *s_report(double run_seconds) {
    report_t *r = report_new();
    r->scenario_name = xstrdup("demo");
    r->run_seconds = run_seconds;
    return r;
}

/* Runs compare_reports into a string; *rc gets its return value. */
static char *s_compare(const report_t *b, const report_t *a, const compare_opts_t *o, int *rc) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    *rc = compare_reports(f, b, a, o);
    fclose(f);
    return buf;
}

/* /delay 50 ms before, 5 ms after and ten times the requests; /old only
 * before; /new only after, with one failure in ten. */
static void s_delay_pair(report_t **b, report_t **a) {
    *b = s_report(10);
    *a = s_report(10);
    s_add(*b, "GET", "/delay", 50000, 100, 0);
    s_add(*b, "GET", "/old", 5000, 10, 0);
    s_add(*a, "GET", "/delay", 5000, 1000, 0);
    s_add(*a, "GET", "/new", 5000, 10, 1);
}

static const char s_text_golden[] =
    "barrage compare: before.json -> after.json\n"
    "before: demo, 10.0 s run; after: demo, 10.0 s run\n"
    "\n"
    "Name        Metric           Before      After      Delta   Delta %  Verdict\n"
    "GET /delay  requests            100       1000       +900   +900.0%  better\n"
    "            failure rate      0.00%      0.00%    +0.00pt     +0.0%\n"
    "            rps                10.0      100.0      +90.0   +900.0%\n"
    "            p50 (ms)           50.0       5.00      -45.0    -90.0%\n"
    "            p95 (ms)           50.0       5.00      -45.0    -90.0%\n"
    "            p99 (ms)           50.0       5.00      -45.0    -90.0%\n"
    "GET /old    requests             10          -          -         -  removed\n"
    "            failure rate      0.00%          -          -         -\n"
    "            rps                 1.0          -          -         -\n"
    "            p50 (ms)           5.00          -          -         -\n"
    "            p95 (ms)           5.00          -          -         -\n"
    "            p99 (ms)           5.00          -          -         -\n"
    "GET /new    requests              -         10          -         -  added\n"
    "            failure rate          -     10.00%          -         -\n"
    "            rps                   -        1.0          -         -\n"
    "            p50 (ms)              -       5.00          -         -\n"
    "            p95 (ms)              -       5.00          -         -\n"
    "            p99 (ms)              -       5.00          -         -\n"
    "Aggregated  requests            110       1010       +900   +818.2%  better\n"
    "            failure rate      0.00%      0.10%    +0.10pt     +inf%\n"
    "            rps                11.0      101.0      +90.0   +818.2%\n"
    "            p50 (ms)           50.0       5.00      -45.0    -90.0%\n"
    "            p95 (ms)           50.0       5.00      -45.0    -90.0%\n"
    "            p99 (ms)           50.0       5.00      -45.0    -90.0%\n"
    "\n"
    "A latency change counts when p95 or p99 moves by more than 5% and more than 1 ms; a "
    "failure-rate change when it moves by more than 0.1 points.\n"
    "\n"
    "No regressions beyond 10%.\n";

static const char s_md_golden[] =
    "### barrage compare: before.json → after.json\n"
    "\n"
    "Before: demo, 10.0 s run. After: demo, 10.0 s run.\n"
    "\n"
    "| Name | Metric | Before | After | Delta | Delta % | Verdict |\n"
    "| --- | --- | ---: | ---: | ---: | ---: | --- |\n"
    "| `GET /delay` | requests | 100 | 1000 | +900 | +900.0% | **better** |\n"
    "|  | failure rate | 0.00% | 0.00% | +0.00pt | +0.0% |  |\n"
    "|  | rps | 10.0 | 100.0 | +90.0 | +900.0% |  |\n"
    "|  | p50 (ms) | 50.0 | 5.00 | -45.0 | -90.0% |  |\n"
    "|  | p95 (ms) | 50.0 | 5.00 | -45.0 | -90.0% |  |\n"
    "|  | p99 (ms) | 50.0 | 5.00 | -45.0 | -90.0% |  |\n"
    "| `GET /old` | requests | 10 | - | - | - | **removed** |\n"
    "|  | failure rate | 0.00% | - | - | - |  |\n"
    "|  | rps | 1.0 | - | - | - |  |\n"
    "|  | p50 (ms) | 5.00 | - | - | - |  |\n"
    "|  | p95 (ms) | 5.00 | - | - | - |  |\n"
    "|  | p99 (ms) | 5.00 | - | - | - |  |\n"
    "| `GET /new` | requests | - | 10 | - | - | **added** |\n"
    "|  | failure rate | - | 10.00% | - | - |  |\n"
    "|  | rps | - | 1.0 | - | - |  |\n"
    "|  | p50 (ms) | - | 5.00 | - | - |  |\n"
    "|  | p95 (ms) | - | 5.00 | - | - |  |\n"
    "|  | p99 (ms) | - | 5.00 | - | - |  |\n"
    "| `Aggregated` | requests | 110 | 1010 | +900 | +818.2% | **better** |\n"
    "|  | failure rate | 0.00% | 0.10% | +0.10pt | +inf% |  |\n"
    "|  | rps | 11.0 | 101.0 | +90.0 | +818.2% |  |\n"
    "|  | p50 (ms) | 50.0 | 5.00 | -45.0 | -90.0% |  |\n"
    "|  | p95 (ms) | 50.0 | 5.00 | -45.0 | -90.0% |  |\n"
    "|  | p99 (ms) | 50.0 | 5.00 | -45.0 | -90.0% |  |\n"
    "\n"
    "_A latency change counts when p95 or p99 moves by more than 5% and more than 1 ms; a "
    "failure-rate change when it moves by more than 0.1 points._\n"
    "\n"
    "**No regressions beyond 10%.**\n";

Test(compare, text_table_with_verdicts_added_removed_and_gate) {
    report_t *b, *a;
    s_delay_pair(&b, &a);
    compare_opts_t o = COMPARE_OPTS_DEFAULT;
    o.before_label = "before.json";
    o.after_label = "after.json";
    o.fail_on_regression_pct = 10;
    int rc;
    char *got = s_compare(b, a, &o, &rc);
    cr_expect_str_eq(got, s_text_golden);
    /* The aggregate's failure rate went from 0 to 0.1%: infinitely worse in
     * percent, but not beyond the 0.1-point noise bar. */
    cr_expect_eq(rc, 0);
    free(got);
    report_destroy(&b);
    report_destroy(&a);
}

Test(compare, markdown_table_ready_to_paste) {
    report_t *b, *a;
    s_delay_pair(&b, &a);
    compare_opts_t o = COMPARE_OPTS_DEFAULT;
    o.format = COMPARE_MD;
    o.before_label = "before.json";
    o.after_label = "after.json";
    o.fail_on_regression_pct = 10;
    int rc;
    char *got = s_compare(b, a, &o, &rc);
    cr_expect_str_eq(got, s_md_golden);
    cr_expect_eq(rc, 0);
    free(got);
    report_destroy(&b);
    report_destroy(&a);
}

Test(compare, without_gate_returns_zero_and_lists_no_regressions) {
    report_t *b, *a;
    s_delay_pair(&b, &a);
    int rc;
    char *got = s_compare(b, a, NULL, &rc);
    cr_expect_eq(rc, 0);
    cr_expect_not_null(strstr(got, "barrage compare: before -> after\n"), "%s", got);
    cr_expect_null(strstr(got, "Regressions"), "%s", got);
    cr_expect_eq(strcmp(got + strlen(got) - strlen("0.1 points.\n"), "0.1 points.\n"), 0, "%s",
                 got);
    free(got);
    report_destroy(&b);
    report_destroy(&a);
}

Test(compare, fix_from_250ms_to_6ms_is_better_by_97_6_percent) {
    report_t *b = s_report(60), *a = s_report(60);
    s_add(b, "GET", "/checkout", 250000, 600, 0);
    s_add(a, "GET", "/checkout", 6000, 600, 0);
    int rc;
    char *got = s_compare(b, a, NULL, &rc);
    cr_expect_not_null(
        strstr(got,
               "GET /checkout  requests            600        600         +0     +0.0%  better\n"),
        "%s", got);
    cr_expect_not_null(
        strstr(got, "               p50 (ms)            250       6.00       -244    -97.6%\n"),
        "%s", got);
    cr_expect_eq(rc, 0);
    free(got);
    report_destroy(&b);
    report_destroy(&a);
}

/* The verdict of GET /x when its latency goes from b_us to a_us and its
 * failures from bf to af in 1000 requests. */
static char *s_verdict_of(uint64_t b_us, uint64_t a_us, uint64_t bf, uint64_t af) {
    report_t *b = s_report(10), *a = s_report(10);
    s_add(b, "GET", "/x", b_us, 1000, bf);
    s_add(a, "GET", "/x", a_us, 1000, af);
    int rc;
    char *got = s_compare(b, a, NULL, &rc);
    cr_assert_eq(rc, 0);
    char *line = strstr(got, "GET /x ");
    cr_assert_not_null(line, "%s", got);
    char *eol = strchr(line, '\n');
    char *word = eol;
    while (word > line && word[-1] != ' ')
        word--;
    char *verdict = xstrndup(word, (size_t)(eol - word));
    free(got);
    report_destroy(&b);
    report_destroy(&a);
    return verdict;
}

Test(compare, verdict_needs_both_the_relative_and_the_absolute_bar) {
    static const struct {
        uint64_t b_us, a_us, bf, af;
        const char *verdict;
    } cases[] = {
        {50000, 5000, 0, 0, "better"},  /* -90%, -45 ms */
        {5000, 5500, 0, 0, "same"},     /* +10% but only 0.5 ms */
        {100000, 104000, 0, 0, "same"}, /* 4 ms but only +4% */
        {100000, 110000, 0, 0, "worse"},
        {100000, 90000, 0, 0, "better"},
        {100000, 100000, 0, 0, "same"},
        {10000, 10000, 0, 2, "worse"},  /* failure rate +0.2 points */
        {10000, 10000, 0, 1, "same"},   /* +0.1 points is not more than 0.1 */
        {10000, 10000, 5, 2, "better"}, /* -0.3 points */
        {50000, 5000, 0, 5, "worse"},   /* faster, but failing: a regression wins */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *v = s_verdict_of(cases[i].b_us, cases[i].a_us, cases[i].bf, cases[i].af);
        cr_expect_str_eq(v, cases[i].verdict, "case %zu: %llu us -> %llu us, %llu -> %llu failures",
                         i, (unsigned long long)cases[i].b_us, (unsigned long long)cases[i].a_us,
                         (unsigned long long)cases[i].bf, (unsigned long long)cases[i].af);
        free(v);
    }
}

static int s_gate(uint64_t b_us, uint64_t a_us, uint64_t bf, uint64_t af, double pct, char **out) {
    report_t *b = s_report(10), *a = s_report(10);
    s_add(b, "GET", "/x", b_us, 1000, bf);
    s_add(a, "GET", "/x", a_us, 1000, af);
    compare_opts_t o = COMPARE_OPTS_DEFAULT;
    o.fail_on_regression_pct = pct;
    int rc;
    *out = s_compare(b, a, &o, &rc);
    report_destroy(&b);
    report_destroy(&a);
    return rc;
}

Test(compare, regression_gate_on_p95_and_failure_rate) {
    char *out;
    cr_expect_eq(s_gate(10000, 12000, 0, 0, 10, &out), 1, "p95 +20%% > 10%%");
    cr_expect_not_null(strstr(out, "\nRegressions beyond 10%:\n  GET /x: p95 +20.0%\n"
                                   "  Aggregated: p95 +20.0%\n"),
                       "%s", out);
    free(out);
    cr_expect_eq(s_gate(10000, 12000, 0, 0, 25, &out), 0, "p95 +20%% <= 25%%");
    cr_expect_not_null(strstr(out, "\nNo regressions beyond 25%.\n"), "%s", out);
    free(out);
    cr_expect_eq(s_gate(10000, 12000, 0, 0, 0, &out), 0, "gate off");
    free(out);
    cr_expect_eq(s_gate(10000, 8000, 0, 0, 10, &out), 0, "faster is no regression");
    free(out);
    cr_expect_eq(s_gate(300, 400, 0, 0, 10, &out), 0, "+33%% but only 0.1 ms: noise");
    free(out);
    cr_expect_eq(s_gate(5000, 5000, 0, 1, 10, &out), 0, "0 -> 0.1%% is within the 0.1-point bar");
    free(out);
    cr_expect_eq(s_gate(5000, 5000, 0, 2, 1000, &out), 1, "0 -> 2 failures is infinitely worse");
    cr_expect_not_null(strstr(out, "  GET /x: failure rate 0.00% -> 0.20%\n"), "%s", out);
    free(out);
    cr_expect_eq(s_gate(5000, 5000, 100, 110, 10, &out), 0, "failure rate +10%% is not > 10%%");
    free(out);
    cr_expect_eq(s_gate(5000, 5000, 10, 12, 10, &out), 1, "failure rate +20%%");
    free(out);
    cr_expect_eq(s_gate(10000, 12000, 0, 2, 10, &out), 1);
    cr_expect_not_null(strstr(out, "  GET /x: p95 +20.0%, failure rate 0.00% -> 0.20%\n"), "%s",
                       out);
    free(out);
}

Test(compare, added_and_removed_rows_never_regress) {
    report_t *b = s_report(10), *a = s_report(10);
    s_add(b, "GET", "/x", 5000, 100, 0);
    s_add(b, "GET", "/gone", 5000, 100, 0);
    s_add(a, "GET", "/x", 5000, 100, 0);
    s_add(a, "POST", "/x", 900000, 100, 100); /* same name, new method: added */
    compare_opts_t o = COMPARE_OPTS_DEFAULT;
    o.fail_on_regression_pct = 10;
    o.rel_pct = 1e9; /* keep the aggregate's latency out of this */
    int rc;
    char *got = s_compare(b, a, &o, &rc);
    cr_expect_not_null(strstr(got, "GET /gone"), "%s", got);
    cr_expect_not_null(strstr(got, "  removed\n"), "%s", got);
    cr_expect_not_null(strstr(got, "POST /x"), "%s", got);
    cr_expect_not_null(strstr(got, "  added\n"), "%s", got);
    /* Only the aggregate (its failures went 0 -> 50%, p95 too) regressed. */
    cr_expect_eq(rc, 1);
    cr_expect_null(strstr(got, "  POST /x: "), "%s", got);
    cr_expect_not_null(strstr(got, "  Aggregated: p95"), "%s", got);
    free(got);
    report_destroy(&b);
    report_destroy(&a);
}

Test(compare, empty_after_run_is_worse_and_regresses) {
    report_t *b = s_report(10), *a = s_report(10);
    s_add(b, "GET", "/x", 5000, 100, 0);
    compare_opts_t o = COMPARE_OPTS_DEFAULT;
    o.fail_on_regression_pct = 50;
    int rc;
    char *got = s_compare(b, a, &o, &rc);
    cr_expect_eq(rc, 1);
    cr_expect_not_null(strstr(got, "Aggregated  requests            100          0       -100   "
                                   "-100.0%  worse\n"),
                       "%s", got);
    cr_expect_not_null(strstr(got, "            p95 (ms)           5.00          -          -"),
                       "%s", got);
    cr_expect_not_null(strstr(got, "  Aggregated: no requests after\n"), "%s", got);
    free(got);
    /* Both empty: nothing to judge. */
    report_t *e = s_report(0);
    got = s_compare(e, e, &o, &rc);
    cr_expect_eq(rc, 0);
    cr_expect_not_null(strstr(got, "Aggregated  requests              0          0         +0     "
                                   "+0.0%  n/a\n"),
                       "%s", got);
    free(got);
    report_destroy(&e);
    report_destroy(&b);
    report_destroy(&a);
}

/* 22 requests over 2.0 s and over 2.0001 s: the same 11.0 rps, whose delta
 * printed "-0.0 -0.0%". */
Test(compare, equal_shown_values_have_no_negative_zero_delta) {
    report_t *b = s_report(2.0), *a = s_report(2.0001);
    s_add(b, "GET", "/", 1000, 22, 0);
    s_add(a, "GET", "/", 1000, 22, 0);
    compare_opts_t o = COMPARE_OPTS_DEFAULT;
    int rc;
    char *got = s_compare(b, a, &o, &rc);
    cr_expect_null(strstr(got, "-0.0"), "%s", got);
    cr_expect_not_null(strstr(got, "+0.0     +0.0%"), "%s", got);
    free(got);
    report_destroy(&b);
    report_destroy(&a);
}

Test(compare, markdown_escapes_pipes_in_names) {
    report_t *b = s_report(10), *a = s_report(10);
    s_add(b, "GET", "/a|b", 5000, 100, 0);
    s_add(a, "GET", "/a|b", 5000, 100, 0);
    compare_opts_t o = COMPARE_OPTS_DEFAULT;
    o.format = COMPARE_MD;
    int rc;
    char *got = s_compare(b, a, &o, &rc);
    cr_expect_not_null(
        strstr(got, "| `GET /a\\|b` | requests | 100 | 100 | +0 | +0.0% | **same** |\n"), "%s",
        got);
    free(got);
    report_destroy(&b);
    report_destroy(&a);
}

Test(compare, format_parse) {
    compare_format_t f = COMPARE_MD;
    cr_expect_eq(compare_format_parse("text", &f), 0);
    cr_expect_eq(f, COMPARE_TEXT);
    cr_expect_eq(compare_format_parse("md", &f), 0);
    cr_expect_eq(f, COMPARE_MD);
    f = COMPARE_TEXT;
    cr_expect_eq(compare_format_parse("markdown", &f), 0);
    cr_expect_eq(f, COMPARE_MD);
    cr_expect_eq(compare_format_parse("html", &f), -1);
    cr_expect_eq(compare_format_parse(NULL, &f), -1);
}

Test(compare, write_error_returns_minus_one) {
    FILE *full = fopen("/dev/full", "w");
    if (!full) cr_skip_test("no /dev/full");
    report_t *b, *a;
    s_delay_pair(&b, &a);
    cr_expect_eq(compare_reports(full, b, a, NULL), -1);
    fclose(full);
    report_destroy(&b);
    report_destroy(&a);
}

/* ---- rows and JSON (compare_compute, compare_json) ---- */

Test(compare, compute_gives_the_rows_the_text_shows) {
    report_t *b, *a;
    s_delay_pair(&b, &a);
    compare_table_t t;
    compare_compute(&t, b, a, NULL);
    cr_assert_eq(t.n, 4);
    cr_assert_str_eq(t.rows[0].label, "GET /delay");
    cr_assert_eq(t.rows[0].verdict, COMPARE_BETTER);
    cr_assert_eq(t.rows[0].before.requests, 100);
    cr_assert_eq(t.rows[0].after.requests, 1000);
    cr_assert_float_eq(t.rows[0].after.rps, 100.0, 1e-9);
    cr_assert_str_eq(t.rows[1].label, "GET /old");
    cr_assert_eq(t.rows[1].verdict, COMPARE_REMOVED);
    cr_assert(!t.rows[1].after.present);
    cr_assert_eq(t.rows[2].verdict, COMPARE_ADDED);
    cr_assert_float_eq(t.rows[2].after.fail_pct, 10.0, 1e-9);
    cr_assert_str_eq(t.rows[3].label, "Aggregated");
    cr_assert_str_eq(compare_verdict_name(t.rows[3].verdict), "better");
    compare_table_fini(&t);
    cr_assert_eq(t.n, 0);
    cr_assert_null(t.rows);
    report_destroy(&b);
    report_destroy(&a);
}

static json_t *s_json(const report_t *b, const report_t *a, const compare_opts_t *o) {
    strbuf_t sb;
    strbuf_init(&sb);
    compare_json(b, a, o, &sb);
    json_error_t e;
    json_t *j = json_loads(strbuf_str(&sb), 0, &e);
    cr_assert_not_null(j, "%s: %s", e.text, strbuf_str(&sb));
    strbuf_fini(&sb);
    return j;
}

Test(compare, json_has_the_same_rows_numbers_and_verdicts) {
    report_t *b, *a;
    s_delay_pair(&b, &a);
    json_t *j = s_json(b, a, NULL);
    json_t *rows = json_object_get(j, "rows");
    cr_assert_eq(json_array_size(rows), 4);
    compare_table_t t;
    compare_compute(&t, b, a, NULL);
    for (size_t i = 0; i < t.n; i++) {
        json_t *r = json_array_get(rows, i);
        cr_assert_str_eq(json_string_value(json_object_get(r, "name")), t.rows[i].label);
        cr_assert_str_eq(json_string_value(json_object_get(r, "verdict")),
                         compare_verdict_name(t.rows[i].verdict));
    }
    json_t *d = json_array_get(rows, 0);
    json_t *bs = json_object_get(d, "before"), *as = json_object_get(d, "after");
    cr_assert(json_is_integer(json_object_get(bs, "requests")));
    cr_assert_eq(json_integer_value(json_object_get(bs, "requests")), 100);
    cr_assert_float_eq(json_number_value(json_object_get(as, "rps")), 100.0, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(bs, "p95_ms")),
                       (double)t.rows[0].before.p95_us / 1000.0, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(json_object_get(d, "delta"), "requests")),
                       900.0, 1e-9);
    cr_assert_float_eq(
        json_number_value(json_object_get(json_object_get(d, "delta_pct"), "requests")), 900.0,
        1e-9);
    /* /old is only before: after is null, and so are its deltas. */
    json_t *old = json_array_get(rows, 1);
    cr_assert(json_is_null(json_object_get(old, "after")));
    cr_assert(json_is_null(json_object_get(json_object_get(old, "delta"), "p95_ms")));
    /* The aggregate's failure rate grew from 0: an infinite growth is null. */
    json_t *agg = json_array_get(rows, 3);
    cr_assert(json_is_null(json_object_get(json_object_get(agg, "delta_pct"), "failures_pct")));
    cr_assert_float_eq(json_number_value(json_object_get(json_object_get(j, "rules"), "rel_pct")),
                       5.0, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "before"), "scenario")),
                     "demo");
    compare_table_fini(&t);
    json_decref(j);
    report_destroy(&b);
    report_destroy(&a);
}

Test(compare, json_gives_both_runs_p95_per_second_from_their_timelines) {
    report_t *b = s_report(2), *a = s_report(2);
    for (uint32_t s = 0; s < 2; s++) {
        histogram_t *h = histogram_new();
        histogram_record_n(h, 10000 * (s + 1), 5);
        results_row_delta_t row = {.method = "GET", .name = "/", .latency = h, .requests = 5};
        results_delta_t dl = {.n_rows = 1, .rows = &row};
        timeline_close_until(b->timeline, s, 1, 0);
        timeline_add(b->timeline, s, &dl);
        results_add(b->results, &dl);
        histogram_destroy(&h);
    }
    timeline_close_until(b->timeline, 2, 1, 0);
    json_t *j = s_json(b, a, NULL);
    json_t *pb = json_object_get(json_object_get(j, "p95_per_second"), "before");
    json_t *pa = json_object_get(json_object_get(j, "p95_per_second"), "after");
    cr_assert_eq(json_array_size(pb), 2);
    cr_assert_eq(json_array_size(pa), 0);
    for (size_t i = 0; i < 2; i++) {
        const timeline_point_t *p = timeline_point(b->timeline, i);
        json_t *pt = json_array_get(pb, i);
        cr_assert_eq(json_integer_value(json_array_get(pt, 0)), (json_int_t)p->second);
        cr_assert_float_eq(json_number_value(json_array_get(pt, 1)),
                           (double)p->pct_us[PERCENTILES_P95] / 1000.0, 1e-9);
    }
    cr_assert_gt(json_number_value(json_array_get(json_array_get(pb, 1), 1)),
                 json_number_value(json_array_get(json_array_get(pb, 0), 1)));
    json_decref(j);
    report_destroy(&b);
    report_destroy(&a);
}
