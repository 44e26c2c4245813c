/* summary: live line and final tables. */
#include "report/summary.h"

#include <stdbool.h>
#include <string.h>

#include "report/httpver.h"
#include "report/phases.h"

char *summary_format_ms(uint64_t us, char *buf, size_t buf_bytes) {
    double ms = (double)us / 1000.0;
    /* Thresholds on the rounded value: 9.996 ms prints "10.0", not "10.00". */
    if (us < 1000) {
        snprintf(buf, buf_bytes, "%.3f", ms);
    } else if (us < 9995) {
        snprintf(buf, buf_bytes, "%.2f", ms);
    } else if (us < 99950) {
        snprintf(buf, buf_bytes, "%.1f", ms);
    } else {
        snprintf(buf, buf_bytes, "%.0f", ms);
    }
    return buf;
}

static int s_name_width(const results_t *r) {
    int w = 24;
    for (size_t i = 0; i < results_count(r); i++) {
        int n = (int)strlen(results_row(r, i)->name);
        if (n > w) w = n;
    }
    return w > 60 ? 60 : w;
}

static void s_rule(FILE *out, int name_w, int cols) {
    fprintf(out, "--------|-%.*s", name_w, "------------------------------------------------------------");
    for (int i = 0; i < cols; i++) fprintf(out, "|--------");
    fputc('\n', out);
}

static void s_request_row(FILE *out, const results_row_t *row, int name_w, double run_s) {
    char avg[16], mn[16], mx[16], med[16];
    const histogram_t *h = row->latency;
    double rps = run_s > 0 ? (double)row->requests / run_s : 0;
    double fps = run_s > 0 ? (double)row->failures / run_s : 0;
    fprintf(out, "%-8s %-*.*s %8llu %8llu %8s %8s %8s %8s %8.2f %8.2f\n", row->method, name_w,
            name_w, row->name, (unsigned long long)row->requests,
            (unsigned long long)row->failures,
            summary_format_ms((uint64_t)(histogram_mean(h) + 0.5), avg, sizeof avg),
            summary_format_ms(histogram_min(h), mn, sizeof mn),
            summary_format_ms(histogram_max(h), mx, sizeof mx),
            summary_format_ms(histogram_percentile(h, 50), med, sizeof med), rps, fps);
}

static void s_percentile_row(FILE *out, const results_row_t *row, int name_w) {
    fprintf(out, "%-8s %-*.*s", row->method, name_w, name_w, row->name);
    for (int i = 0; i < PERCENTILES_N; i++) {
        char v[16];
        fprintf(out, " %8s",
                summary_format_ms(histogram_percentile(row->latency, PERCENTILES_VALUES[i]), v,
                                  sizeof v));
    }
    fprintf(out, " %8llu\n", (unsigned long long)row->requests);
}

static void s_print_requests(FILE *out, const results_t *r, int w, double run_s) {
    fprintf(out, "%-8s %-*s %8s %8s %8s %8s %8s %8s %8s %8s\n", "Type", w, "Name", "# reqs",
            "# fails", "Avg", "Min", "Max", "Med", "req/s", "fails/s");
    s_rule(out, w, 8);
    for (size_t i = 0; i < results_count(r); i++) s_request_row(out, results_row(r, i), w, run_s);
    s_rule(out, w, 8);
    results_row_t agg = *results_total(r);
    agg.method = "";
    agg.name = "Aggregated";
    s_request_row(out, &agg, w, run_s);
}

static void s_print_percentiles(FILE *out, const results_t *r, int w) {
    fprintf(out, "\nResponse time percentiles (ms; exact to 3 significant digits)\n");
    fprintf(out, "%-8s %-*s", "Type", w, "Name");
    for (int i = 0; i < PERCENTILES_N; i++) fprintf(out, " %8s", PERCENTILES_LABELS[i]);
    fprintf(out, " %8s\n", "# reqs");
    s_rule(out, w, PERCENTILES_N + 1);
    for (size_t i = 0; i < results_count(r); i++) s_percentile_row(out, results_row(r, i), w);
    s_rule(out, w, PERCENTILES_N + 1);
    results_row_t agg = *results_total(r);
    agg.method = "";
    agg.name = "Aggregated";
    s_percentile_row(out, &agg, w);
}

static void s_print_errors(FILE *out, const results_t *r) {
    if (results_error_count(r) == 0) return;
    fprintf(out, "\nError report\n%-14s %s\n", "# occurrences", "Error");
    fprintf(out, "---------------|----------------------------------------------\n");
    for (size_t i = 0; i < results_error_count(r); i++) {
        const results_error_t *e = results_error(r, i);
        fprintf(out, "%14llu  %s %s: %s\n", (unsigned long long)e->count, e->method, e->name,
                e->reason);
    }
}

/* A metric value recorded x1000, shown in its unit (ms, or a plain count). */
static char *s_metric_value(const char *metric, uint64_t v_x1000, char *buf, size_t n) {
    if (results_metric_is_count(metric)) {
        snprintf(buf, n, "%.1f", (double)v_x1000 / 1000.0);
        return buf;
    }
    return summary_format_ms(v_x1000, buf, n);
}

static void s_metric_row(FILE *out, const results_row_t *row, const results_metric_t *m, int w) {
    const histogram_t *h = m->values;
    char avg[16], p50[16], p95[16], p99[16], mx[16];
    fprintf(out, "%-8s %-*.*s %-10.10s %8llu %8s %8s %8s %8s %8s\n", row->method, w, w, row->name,
            m->name, (unsigned long long)histogram_count(h),
            s_metric_value(m->name, (uint64_t)(histogram_mean(h) + 0.5), avg, sizeof avg),
            s_metric_value(m->name, histogram_percentile(h, 50), p50, sizeof p50),
            s_metric_value(m->name, histogram_percentile(h, 95), p95, sizeof p95),
            s_metric_value(m->name, histogram_percentile(h, 99), p99, sizeof p99),
            s_metric_value(m->name, histogram_max(h), mx, sizeof mx));
}

/* Server-Timing / X-Query-Count: where the time went, per name, under load. */
static void s_print_metrics(FILE *out, const results_t *r, int w) {
    bool any = false;
    for (size_t i = 0; i < results_count(r); i++) any |= results_row(r, i)->n_metrics > 0;
    if (!any) return;
    fprintf(out, "\nServer-side metrics (Server-Timing in ms, X-Query-Count as queries)\n");
    fprintf(out, "%-8s %-*s %-10s %8s %8s %8s %8s %8s %8s\n", "Type", w, "Name", "Metric", "count",
            "avg", "p50", "p95", "p99", "max");
    for (size_t i = 0; i < results_count(r); i++) {
        const results_row_t *row = results_row(r, i);
        for (size_t k = 0; k < row->n_metrics; k++) s_metric_row(out, row, &row->metrics[k], w);
    }
}

/* HTTP versions, when a name asked for HTTP/2 or got another version than
 * 1.1: what each asked for, what came, and a line per name that fell back. */
static void s_print_http(FILE *out, const results_t *r, int w) {
    if (!httpver_any_shown(r)) return;
    fprintf(out, "\nHTTP versions (asked for, and the responses by the version they came in)\n");
    fprintf(out, "%-8s %-*s %-8s %s\n", "Type", w, "Name", "Asked", "Responses");
    for (size_t i = 0; i < results_count(r); i++) {
        const results_row_t *row = results_row(r, i);
        if (!httpver_shown(row)) continue;
        char counts[160];
        const char *asked = httpver_asked_name(row->http_asked);
        fprintf(out, "%-8s %-*.*s %-8s %s\n", row->method, w, w, row->name, *asked ? asked : "-",
                httpver_counts(row, counts, sizeof counts));
    }
    for (size_t i = 0; i < results_count(r); i++) {
        const results_row_t *row = results_row(r, i);
        char line[256];
        if (httpver_fallback(row, line, sizeof line))
            fprintf(out, "%s %s: %s\n", row->method, row->name, line);
    }
}

/* One row of the phases table: per phase "avg/p95 share", then the total's average. */
static void s_phase_row(FILE *out, const results_row_t *row, int w) {
    fprintf(out, "%-8s %-*.*s", row->method, w, w, row->name);
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        const histogram_t *h = row->phases[p];
        char avg[16], p95[16], cell[40];
        snprintf(cell, sizeof cell, "%s/%s %3.0f%%",
                 summary_format_ms((uint64_t)(histogram_mean(h) + 0.5), avg, sizeof avg),
                 summary_format_ms(histogram_percentile(h, 95), p95, sizeof p95),
                 100.0 * phases_share(row, p));
        fprintf(out, " %18s", cell);
    }
    char total[16];
    fprintf(out, " %8s\n",
            summary_format_ms((uint64_t)(phases_total_avg_us(row) + 0.5), total, sizeof total));
}

/* One row of the connections table: new connections, bytes as received and as decoded. */
static void s_transfer_row(FILE *out, const results_row_t *row, int w) {
    uint64_t n = phases_count(row);
    fprintf(out, "%-8s %-*.*s %8llu %10llu %14llu %14llu %10.0f %10.0f\n", row->method, w, w,
            row->name, (unsigned long long)n, (unsigned long long)row->connects,
            (unsigned long long)row->wire_bytes, (unsigned long long)row->bytes,
            n ? (double)row->wire_bytes / (double)n : 0.0,
            row->requests ? (double)row->bytes / (double)row->requests : 0.0);
}

/* Where the time went: the phases of the requests curl performed, per name,
 * then the connections they opened and the bytes they received. */
static void s_print_phases(FILE *out, const results_t *r, int w) {
    if (!phases_any(r)) return;
    fprintf(out, "\nWhere the time went (ms: average/p95 of each phase and its share of the total; "
                 "the phases add up to curl's total time)\n");
    fprintf(out, "%-8s %-*s", "Type", w, "Name");
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        fprintf(out, " %18s", phases_label(p));
    fprintf(out, " %8s\n", "Total");
    results_row_t agg = *results_total(r);
    agg.method = "";
    agg.name = "Aggregated";
    for (size_t i = 0; i < results_count(r); i++)
        if (phases_count(results_row(r, i))) s_phase_row(out, results_row(r, i), w);
    s_phase_row(out, &agg, w);
    fprintf(out, "\nConnections and bytes received (wire: headers + body as sent, before any "
                 "decoding; body: as delivered, decoded if libcurl decoded it)\n");
    fprintf(out, "%-8s %-*s %8s %10s %14s %14s %10s %10s\n", "Type", w, "Name", "measured",
            "new conns", "wire bytes", "body bytes", "wire/req", "body/req");
    for (size_t i = 0; i < results_count(r); i++)
        if (phases_count(results_row(r, i))) s_transfer_row(out, results_row(r, i), w);
    s_transfer_row(out, &agg, w);
}

void summary_print_final(FILE *out, const results_t *r, double run_s) {
    int w = s_name_width(r);
    fputc('\n', out);
    s_print_requests(out, r, w, run_s);
    s_print_percentiles(out, r, w);
    s_print_metrics(out, r, w);
    s_print_phases(out, r, w);
    s_print_http(out, r, w);
    s_print_errors(out, r);
    fflush(out);
}

void summary_print_load(FILE *out, const report_t *r) {
    bool open = r->mode && strcmp(r->mode, "open") == 0;
    if (open) {
        uint64_t dropped = results_dropped(r->results);
        fprintf(out, "Load: open model (arrival rate), %g/s, max_users %u", r->rate, r->max_users);
        if (r->stages && *r->stages) fprintf(out, ", stages %s", r->stages);
        fprintf(out, ": %llu iterations dropped%s\n", (unsigned long long)dropped,
                dropped ? " (max_users reached: raise it or lower the rate)" : "");
    } else {
        fprintf(out, "Load: closed model (virtual users), %u users", r->users);
        if (r->stages && *r->stages) fprintf(out, ", stages %s", r->stages);
        fputc('\n', out);
    }
    if (r->interrupted) {
        fprintf(out, "Interrupted: stopped by a signal after %.1f s", r->run_seconds);
        if (r->duration_ms) fprintf(out, " of %.1f s", (double)r->duration_ms / 1000.0);
        fprintf(out, " (rates are over the time it ran)\n");
    }
}

void summary_print_saturations(FILE *out, const report_t *r) {
    for (size_t i = 0; i < r->n_saturations; i++) {
        const report_saturation_t *x = &r->saturations[i];
        fprintf(out,
                "  warning: worker %s was saturated from %.1f s to %.1f s (CPU up to %.1f%%, "
                "loop lag up to %.1f ms): latencies from it include time waiting for CPU; add "
                "workers or processes\n",
                x->worker, x->from_s, x->to_s, x->cpu_max_permille / 10.0, x->lag_max_us / 1000.0);
    }
}
