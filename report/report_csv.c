/* report_csv: Locust-compatible CSV files from a report. */
#include "report/report_csv.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/xmalloc.h"
#include "report/percentiles.h"
#include "report/phases.h"

void report_csv_field(strbuf_t *b, const char *s) {
    if (!s) s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        strbuf_append_str(b, s);
        return;
    }
    strbuf_append_char(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"') strbuf_append_char(b, '"');
        strbuf_append_char(b, *p);
    }
    strbuf_append_char(b, '"');
}

/* One field of a row, after a comma unless it is the first. */
static void s_field(strbuf_t *b, const char *s, bool first) {
    if (!first) strbuf_append_char(b, ',');
    report_csv_field(b, s);
}

static void s_end_row(strbuf_t *b) {
    strbuf_append_str(b, "\r\n");
}

static void s_u64(strbuf_t *b, uint64_t v) {
    strbuf_appendf(b, ",%" PRIu64, v);
}

/* A decimal with up to 3 places, trailing zeros trimmed: "12.345", "7", "0.5". */
static void s_dec(strbuf_t *b, double v) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.3f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0') *end-- = '\0';
        if (end == dot) *end = '\0';
    }
    if (strcmp(buf, "-0") == 0) strcpy(buf, "0");
    strbuf_appendf(b, ",%s", buf);
}

/* Microseconds as milliseconds (exact to the microsecond). */
static void s_ms(strbuf_t *b, uint64_t us) {
    s_dec(b, (double)us / 1000.0);
}

static double s_ratio(uint64_t part, double whole) {
    return whole > 0 ? (double)part / whole : 0;
}

static void s_header(strbuf_t *b, const char *const *cols, size_t n, bool percentiles,
                     const char *const *tail, size_t n_tail) {
    for (size_t i = 0; i < n; i++) s_field(b, cols[i], i == 0);
    for (int i = 0; percentiles && i < PERCENTILES_N; i++) s_field(b, PERCENTILES_LABELS[i], false);
    for (size_t i = 0; i < n_tail; i++) s_field(b, tail[i], false);
    s_end_row(b);
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- stats */

static void s_stats_row(strbuf_t *b, const results_row_t *row, const char *method,
                        const char *name, double run_s) {
    const histogram_t *h = row->latency;
    s_field(b, method, true);
    s_field(b, name, false);
    s_u64(b, row->requests);
    s_u64(b, row->failures);
    s_ms(b, histogram_percentile(h, 50));
    s_dec(b, histogram_mean(h) / 1000.0);
    s_ms(b, histogram_min(h));
    s_ms(b, histogram_max(h));
    s_dec(b, row->requests ? (double)row->bytes / (double)row->requests : 0);
    s_dec(b, s_ratio(row->requests, run_s));
    s_dec(b, s_ratio(row->failures, run_s));
    for (int i = 0; i < PERCENTILES_N; i++) {
        if (histogram_count(h) == 0) {
            strbuf_append_str(b, ",N/A");
        } else {
            s_ms(b, histogram_percentile(h, PERCENTILES_VALUES[i]));
        }
    }
    s_end_row(b);
}

static int s_row_cmp(const void *a, const void *b) {
    const results_row_t *x = *(const results_row_t *const *)a;
    const results_row_t *y = *(const results_row_t *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->method, y->method);
}

void report_csv_stats(const report_t *r, strbuf_t *b) {
    static const char *const cols[] = {
        "Type",           "Name",         "Request Count",          "Failure Count",
        "Median Response Time", "Average Response Time", "Min Response Time",
        "Max Response Time",    "Average Content Size",  "Requests/s", "Failures/s"};
    s_header(b, cols, COUNT_OF(cols), true, NULL, 0);
    size_t n = results_count(r->results);
    const results_row_t **rows = xcalloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) rows[i] = results_row(r->results, i);
    qsort(rows, n, sizeof *rows, s_row_cmp);
    for (size_t i = 0; i < n; i++) s_stats_row(b, rows[i], rows[i]->method, rows[i]->name, r->run_seconds);
    s_stats_row(b, results_total(r->results), "", "Aggregated", r->run_seconds);
    free(rows);
}

/* ---------------------------------------------------------------- phases */

static void s_phases_row(strbuf_t *b, const results_row_t *row, const char *method,
                         const char *name) {
    uint64_t n = phases_count(row);
    s_field(b, method, true);
    s_field(b, name, false);
    s_u64(b, n);
    s_u64(b, row->connects);
    s_u64(b, row->wire_bytes);
    s_u64(b, row->bytes);
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        const histogram_t *h = row->phases[p];
        s_dec(b, histogram_mean(h) / 1000.0);
        if (n == 0) {
            strbuf_append_str(b, ",N/A");
        } else {
            s_ms(b, histogram_percentile(h, 95));
        }
        strbuf_appendf(b, ",%.4f", phases_share(row, p));
    }
    s_dec(b, phases_total_avg_us(row) / 1000.0);
    s_end_row(b);
}

void report_csv_phases(const report_t *r, strbuf_t *b) {
    static const char *const cols[] = {
        "Type", "Name", "Measured Count", "New Connections", "Wire Bytes", "Decoded Bytes"};
    /* Then per phase its average, p95 and share ("DNS Average"), and the total. */
    char names[3 * RESULTS_PHASE_N + 1][32];
    const char *tail[3 * RESULTS_PHASE_N + 1];
    static const char *const what[] = {"Average", "p95", "Share"};
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        for (int k = 0; k < 3; k++) {
            snprintf(names[3 * p + k], sizeof names[0], "%s %s", phases_label(p), what[k]);
            tail[3 * p + k] = names[3 * p + k];
        }
    }
    tail[3 * RESULTS_PHASE_N] = "Total Average";
    s_header(b, cols, COUNT_OF(cols), false, tail, COUNT_OF(tail));
    size_t n = results_count(r->results);
    const results_row_t **rows = xcalloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++)
        rows[i] = results_row(r->results, i);
    qsort(rows, n, sizeof *rows, s_row_cmp);
    for (size_t i = 0; i < n; i++)
        s_phases_row(b, rows[i], rows[i]->method, rows[i]->name);
    s_phases_row(b, results_total(r->results), "", "Aggregated");
    free(rows);
}

/* ---------------------------------------------------------------- history */

void report_csv_history(const report_t *r, strbuf_t *b) {
    static const char *const cols[] = {"Timestamp", "User Count", "Type",
                                       "Name",      "Requests/s", "Failures/s"};
    static const char *const tail[] = {
        "Total Request Count",     "Total Failure Count",     "Total Median Response Time",
        "Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
        "Total Average Content Size"};
    s_header(b, cols, COUNT_OF(cols), true, tail, COUNT_OF(tail));
    for (size_t i = 0; i < timeline_count(r->timeline); i++) {
        const timeline_point_t *p = timeline_point(r->timeline, i);
        strbuf_appendf(b, "%" PRIu64, p->wall_ms / 1000);
        s_u64(b, p->users);
        s_field(b, "", false);
        s_field(b, "Aggregated", false);
        /* Each point covers one second: its counts are its rates. */
        s_dec(b, (double)p->requests);
        s_dec(b, (double)p->failures);
        for (int k = 0; k < PERCENTILES_N; k++) {
            if (p->requests == 0) {
                strbuf_append_str(b, ",N/A");
            } else {
                s_ms(b, p->pct_us[k]);
            }
        }
        s_u64(b, p->total_requests);
        s_u64(b, p->total_failures);
        s_ms(b, p->total_median_us);
        s_dec(b, p->total_avg_us / 1000.0);
        s_ms(b, p->total_min_us);
        s_ms(b, p->total_max_us);
        s_dec(b, p->total_requests ? (double)p->total_bytes / (double)p->total_requests : 0);
        s_end_row(b);
    }
}

/* ---------------------------------------------------------------- failures */

static int s_error_cmp(const void *a, const void *b) {
    const results_error_t *x = *(const results_error_t *const *)a;
    const results_error_t *y = *(const results_error_t *const *)b;
    int c = strcmp(x->name, y->name);
    if (!c) c = strcmp(x->method, y->method);
    return c ? c : strcmp(x->reason, y->reason);
}

void report_csv_failures(const report_t *r, strbuf_t *b) {
    static const char *const cols[] = {"Method", "Name", "Error", "Occurrences"};
    s_header(b, cols, COUNT_OF(cols), false, NULL, 0);
    size_t n = results_error_count(r->results);
    const results_error_t **errs = xcalloc(n ? n : 1, sizeof *errs);
    for (size_t i = 0; i < n; i++) errs[i] = results_error(r->results, i);
    qsort(errs, n, sizeof *errs, s_error_cmp);
    for (size_t i = 0; i < n; i++) {
        s_field(b, errs[i]->method, true);
        s_field(b, errs[i]->name, false);
        s_field(b, errs[i]->reason, false);
        s_u64(b, errs[i]->count);
        s_end_row(b);
    }
    free(errs);
}

/* ---------------------------------------------------------------- files */

int report_csv_write(const report_t *r, const char *prefix, char **err) {
    static const char *const suffix[] = {"_stats.csv", "_stats_history.csv", "_failures.csv",
                                         "_phases.csv"};
    void (*const render[])(const report_t *, strbuf_t *) = {report_csv_stats, report_csv_history,
                                                            report_csv_failures, report_csv_phases};
    int rc = 0;
    *err = NULL;
    for (size_t i = 0; i < COUNT_OF(suffix); i++) {
        strbuf_t b;
        strbuf_init(&b);
        render[i](r, &b);
        char *path = xasprintf("%s%s", prefix, suffix[i]);
        char *why = NULL;
        if (file_replace(path, strbuf_str(&b), b.len, &why) != 0) {
            rc = -1;
            if (!*err) {
                *err = why;
                why = NULL;
            }
        }
        free(why);
        free(path);
        strbuf_fini(&b);
    }
    return rc;
}
