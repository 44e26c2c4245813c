/* metrics: Prometheus text exposition of a snapshot. */
#include "web/metrics.h"

#include <string.h>

static void s_help(strbuf_t *b, const char *name, const char *type, const char *help) {
    strbuf_appendf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void s_label(strbuf_t *b, const char *v) {
    for (const char *p = v; *p; p++) {
        if (*p == '\\')
            strbuf_append_str(b, "\\\\");
        else if (*p == '"')
            strbuf_append_str(b, "\\\"");
        else if (*p == '\n')
            strbuf_append_str(b, "\\n");
        else
            strbuf_append_char(b, *p);
    }
}

static void s_labels(strbuf_t *b, const results_row_t *row) {
    strbuf_append_str(b, "method=\"");
    s_label(b, row->method);
    strbuf_append_str(b, "\",name=\"");
    s_label(b, row->name);
    strbuf_append_char(b, '"');
}

static void s_counter_rows(strbuf_t *b, const results_t *res, const char *name, bool failures) {
    for (size_t i = 0; res && i < results_count(res); i++) {
        const results_row_t *row = results_row(res, i);
        strbuf_appendf(b, "%s{", name);
        s_labels(b, row);
        strbuf_appendf(b, "} %llu\n",
                       (unsigned long long)(failures ? row->failures : row->requests));
    }
}

static double s_seconds(uint64_t us) {
    return (double)us / 1e6;
}

static void s_summary(strbuf_t *b, const results_row_t *row) {
    static const double q[] = {0.5, 0.9, 0.95, 0.99};
    const histogram_t *h = row->latency;
    uint64_t n = h ? histogram_count(h) : 0;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        strbuf_append_str(b, "barrage_response_time_seconds{");
        s_labels(b, row);
        if (n)
            strbuf_appendf(b, ",quantile=\"%g\"} %.6f\n", q[i],
                           s_seconds(histogram_percentile(h, q[i] * 100)));
        else
            strbuf_appendf(b, ",quantile=\"%g\"} NaN\n", q[i]);
    }
    strbuf_append_str(b, "barrage_response_time_seconds_sum{");
    s_labels(b, row);
    strbuf_appendf(b, "} %.6f\n", n ? s_seconds(histogram_sum(h)) : 0.0);
    strbuf_append_str(b, "barrage_response_time_seconds_count{");
    s_labels(b, row);
    strbuf_appendf(b, "} %llu\n", (unsigned long long)n);
}

/* Samples <= bound_us, at the histogram's resolution: every bucket whose
 * lowest value is <= the bound, so a sample equal to the bound always counts
 * (and the bucket's others, which the histogram cannot tell from it). */
static uint64_t s_at_most(const histogram_t *h, uint64_t bound_us) {
    uint64_t total = 0, count;
    int32_t idx = -1;
    while (h && histogram_next_bucket(h, &idx, &count)) {
        if (histogram_bucket_low_us(idx) > bound_us) break;
        total += count;
    }
    return total;
}

static void s_histogram(strbuf_t *b, const results_row_t *row) {
    static const double bounds_s[] = METRICS_BUCKETS_S;
    const histogram_t *h = row->latency;
    uint64_t n = h ? histogram_count(h) : 0;
    for (size_t i = 0; i < sizeof bounds_s / sizeof bounds_s[0]; i++) {
        strbuf_append_str(b, "barrage_response_time_bucketed_seconds_bucket{");
        s_labels(b, row);
        strbuf_appendf(b, ",le=\"%g\"} %llu\n", bounds_s[i],
                       (unsigned long long)s_at_most(h, (uint64_t)(bounds_s[i] * 1e6 + 0.5)));
    }
    strbuf_append_str(b, "barrage_response_time_bucketed_seconds_bucket{");
    s_labels(b, row);
    strbuf_appendf(b, ",le=\"+Inf\"} %llu\n", (unsigned long long)n);
    strbuf_append_str(b, "barrage_response_time_bucketed_seconds_sum{");
    s_labels(b, row);
    strbuf_appendf(b, "} %.6f\n", n ? s_seconds(histogram_sum(h)) : 0.0);
    strbuf_append_str(b, "barrage_response_time_bucketed_seconds_count{");
    s_labels(b, row);
    strbuf_appendf(b, "} %llu\n", (unsigned long long)n);
}

void metrics_render(const web_snapshot_t *s, strbuf_t *b) {
    const results_t *res = s && s->report ? s->report->results : NULL;
    size_t n = res ? results_count(res) : 0;
    s_help(b, "barrage_requests_total", "counter", "Requests completed, per method and name.");
    s_counter_rows(b, res, "barrage_requests_total", false);
    s_help(b, "barrage_failures_total", "counter", "Requests that failed, per method and name.");
    s_counter_rows(b, res, "barrage_failures_total", true);
    s_help(b, "barrage_response_time_seconds", "summary",
           "Response time per method and name; quantiles exact from the merged histogram.");
    for (size_t i = 0; i < n; i++)
        s_summary(b, results_row(res, i));
    s_help(b, "barrage_response_time_bucketed_seconds", "histogram",
           "Response time per method and name, in fixed buckets.");
    for (size_t i = 0; i < n; i++)
        s_histogram(b, results_row(res, i));
    s_help(b, "barrage_users", "gauge", "Virtual users running now, over all workers.");
    strbuf_appendf(b, "barrage_users %u\n", s ? s->user_count : 0);
    s_help(b, "barrage_workers", "gauge", "Workers in the run now.");
    strbuf_appendf(b, "barrage_workers %u\n", s ? s->workers : 0);
    s_help(b, "barrage_dropped_iterations_total", "counter",
           "Open model: iterations not started because max_users was reached.");
    strbuf_appendf(b, "barrage_dropped_iterations_total %llu\n",
                   (unsigned long long)(s ? s->dropped : 0));
}
