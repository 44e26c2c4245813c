/* test_metrics: web/metrics — the Prometheus text format (HELP/TYPE before
 * each family, escaped labels, summary and histogram series) and its values. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "web/metrics.h"

/* One row GET "/a\"b" with 1000 samples at 1..1000 ms, 3 failures; dropped 4. */
static web_snapshot_t *s_snapshot(void) {
    report_t *r = report_new();
    histogram_t *h = histogram_new();
    for (uint64_t i = 1; i <= 1000; i++)
        histogram_record(h, i * 1000);
    results_row_delta_t row = {
        .method = "GET", .name = "/a\"b\\c", .requests = 1000, .failures = 3, .latency = h};
    results_delta_t d = {.n_rows = 1, .rows = &row, .dropped = 4};
    results_add(r->results, &d);
    histogram_destroy(&h);
    web_snapshot_t *s = xcalloc(1, sizeof *s);
    s->state = "running";
    s->user_count = 12;
    s->workers = 3;
    s->dropped = 4;
    s->report = r;
    return s;
}

static char *s_render(const web_snapshot_t *s) {
    strbuf_t b;
    strbuf_init(&b);
    metrics_render(s, &b);
    return strbuf_detach(&b, NULL);
}

/* The value on the line starting with prefix (followed by a space); fails if absent. */
static double s_value(const char *text, const char *prefix) {
    size_t n = strlen(prefix);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, prefix, n) == 0 && p[n] == ' ') return strtod(p + n + 1, NULL);
    cr_assert_fail("no line '%s' in:\n%s", prefix, text);
    return 0;
}

#define L "{method=\"GET\",name=\"/a\\\"b\\\\c\""

Test(metrics, counters_and_gauges) {
    web_snapshot_t *s = s_snapshot();
    char *t = s_render(s);
    cr_assert_eq(s_value(t, "barrage_requests_total" L "}"), 1000);
    cr_assert_eq(s_value(t, "barrage_failures_total" L "}"), 3);
    cr_assert_eq(s_value(t, "barrage_users"), 12);
    cr_assert_eq(s_value(t, "barrage_workers"), 3);
    cr_assert_eq(s_value(t, "barrage_dropped_iterations_total"), 4);
    cr_assert(strstr(t, "# TYPE barrage_requests_total counter\n"));
    cr_assert(strstr(t, "# TYPE barrage_users gauge\n"));
    cr_assert(strstr(t, "# TYPE barrage_dropped_iterations_total counter\n"));
    free(t);
    web_snapshot_free(&s);
}

Test(metrics, summary_quantiles_are_the_histograms) {
    web_snapshot_t *s = s_snapshot();
    char *t = s_render(s);
    const histogram_t *h = results_row(s->report->results, 0)->latency;
    static const double q[] = {0.5, 0.9, 0.95, 0.99};
    for (size_t i = 0; i < 4; i++) {
        char key[128];
        snprintf(key, sizeof key, "barrage_response_time_seconds" L ",quantile=\"%g\"}", q[i]);
        cr_assert_float_eq(s_value(t, key), (double)histogram_percentile(h, q[i] * 100) / 1e6, 1e-7,
                           "%s", key);
    }
    cr_assert_float_eq(s_value(t, "barrage_response_time_seconds_sum" L "}"), 500.5, 1e-6);
    cr_assert_eq(s_value(t, "barrage_response_time_seconds_count" L "}"), 1000);
    cr_assert(strstr(t, "# TYPE barrage_response_time_seconds summary\n"));
    free(t);
    web_snapshot_free(&s);
}

Test(metrics, histogram_buckets_are_cumulative_and_exact_at_the_bounds) {
    web_snapshot_t *s = s_snapshot();
    char *t = s_render(s);
    static const double bounds_s[] = METRICS_BUCKETS_S;
    /* Samples at 1, 2, ..., 1000 ms: "le" 0.001 holds 1, 0.0025 holds 2, ..., 0.5 holds 500
     * (up to the histogram's 3 significant digits); 1 and above hold all 1000. */
    static const double want[] = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 1000, 1000, 1000};
    double last = 0;
    for (size_t i = 0; i < sizeof bounds_s / sizeof bounds_s[0]; i++) {
        char key[160];
        snprintf(key, sizeof key, "barrage_response_time_bucketed_seconds_bucket" L ",le=\"%g\"}",
                 bounds_s[i]);
        double v = s_value(t, key);
        cr_assert_geq(v, last, "cumulative");
        cr_assert_float_eq(v, want[i], want[i] * 0.002 + 0.5, "%s = %g, want %g", key, v, want[i]);
        last = v;
    }
    cr_assert_eq(s_value(t, "barrage_response_time_bucketed_seconds_bucket" L ",le=\"+Inf\"}"),
                 1000);
    cr_assert_eq(s_value(t, "barrage_response_time_bucketed_seconds_count" L "}"), 1000);
    cr_assert(strstr(t, "# TYPE barrage_response_time_bucketed_seconds histogram\n"));
    free(t);
    web_snapshot_free(&s);
}

Test(metrics, every_family_has_help_and_type_first) {
    web_snapshot_t *s = s_snapshot();
    char *t = s_render(s);
    char family[128] = "";
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "# HELP ", 7) == 0) continue;
        if (sscanf(line, "# TYPE %127s", family) == 1) continue;
        cr_assert_neq(family[0], '\0', "a sample before any TYPE: %s", line);
        cr_assert_eq(strncmp(line, family, strlen(family)), 0, "'%s' outside family %s", line,
                     family);
    }
    free(t);
    web_snapshot_free(&s);
}

Test(metrics, no_snapshot_gives_zero_gauges_and_no_series) {
    char *t = s_render(NULL);
    cr_assert_eq(s_value(t, "barrage_users"), 0);
    cr_assert_eq(s_value(t, "barrage_workers"), 0);
    cr_assert_null(strstr(t, "barrage_requests_total{"));
    free(t);
}
