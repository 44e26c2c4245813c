/* compare: before/after per name with deltas, verdicts and a regression gate. */
#include "report/compare.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "report/percentiles.h"
#include "report/summary.h"

static const char *const s_verdict_word[] = {"same", "better", "worse", "added", "removed", "n/a"};

static compare_side_t s_side(const results_row_t *row, double run_s) {
    if (!row) return (compare_side_t){0};
    return (compare_side_t){
        .present = true,
        .requests = row->requests,
        .fail_pct = row->requests ? 100.0 * (double)row->failures / (double)row->requests : 0,
        .rps = run_s > 0 ? (double)row->requests / run_s : 0,
        .p50_us = histogram_percentile(row->latency, 50),
        .p95_us = histogram_percentile(row->latency, 95),
        .p99_us = histogram_percentile(row->latency, 99),
    };
}

static void s_add(compare_table_t *t, char *label, const results_row_t *b, double run_b,
                  const results_row_t *a, double run_a) {
    t->rows = xrealloc(t->rows, (t->n + 1) * sizeof *t->rows);
    t->rows[t->n++] =
        (compare_row_t){.label = label, .before = s_side(b, run_b), .after = s_side(a, run_a)};
}

/* -1 better, 0 same, 1 worse: counts only beyond both bars. */
static int s_latency_change(uint64_t b_us, uint64_t a_us, const compare_opts_t *o) {
    double d = (double)a_us - (double)b_us;
    if (fabs(d) <= o->abs_ms * 1000.0) return 0;
    if (b_us > 0 && fabs(d) / (double)b_us * 100.0 <= o->rel_pct) return 0;
    return d < 0 ? -1 : 1;
}

static double s_growth_pct(double b, double a) {
    if (b > 0) return (a - b) / b * 100.0;
    return a > 0 ? INFINITY : 0;
}

/* g beyond limit, ignoring binary-fraction noise: 1% -> 1.1% is +10%, not
 * +10.000000000000009%. */
static bool s_beyond(double g, double limit) {
    return g > limit + 1e-9 * fmax(1.0, fabs(limit));
}

static void s_judge(compare_row_t *r, const compare_opts_t *o) {
    if (!r->before.present || !r->after.present) {
        r->verdict = r->before.present ? COMPARE_REMOVED : COMPARE_ADDED;
        return;
    }
    if (r->before.requests && !r->after.requests) {
        r->verdict = COMPARE_WORSE;
        if (o->fail_on_regression_pct > 0) r->regression = xstrdup("no requests after");
        return;
    }
    if (!r->before.requests || !r->after.requests) {
        r->verdict = COMPARE_NA;
        return;
    }
    int c95 = s_latency_change(r->before.p95_us, r->after.p95_us, o);
    int c99 = s_latency_change(r->before.p99_us, r->after.p99_us, o);
    double dfail = r->after.fail_pct - r->before.fail_pct;
    int cf = s_beyond(dfail, o->fail_rate_points)    ? 1
             : s_beyond(-dfail, o->fail_rate_points) ? -1
                                                     : 0;
    r->verdict = (c95 > 0 || c99 > 0 || cf > 0)   ? COMPARE_WORSE
                 : (c95 < 0 || c99 < 0 || cf < 0) ? COMPARE_BETTER
                                                  : COMPARE_SAME;
    if (o->fail_on_regression_pct <= 0) return;
    double g95 = s_growth_pct((double)r->before.p95_us, (double)r->after.p95_us);
    double gf = s_growth_pct(r->before.fail_pct, r->after.fail_pct);
    strbuf_t why;
    strbuf_init(&why);
    /* The noise bars apply to the gate too: a sub-millisecond route whose p95
     * goes from 0.3 to 0.4 ms did not regress by 33 %. */
    bool p95_moved = fabs((double)r->after.p95_us - (double)r->before.p95_us) > o->abs_ms * 1000.0;
    bool fail_moved = s_beyond(fabs(dfail), o->fail_rate_points);
    if (p95_moved && s_beyond(g95, o->fail_on_regression_pct))
        strbuf_appendf(&why, "p95 %+.1f%%", g95);
    if (fail_moved && s_beyond(gf, o->fail_on_regression_pct))
        strbuf_appendf(&why, "%sfailure rate %.2f%% -> %.2f%%", why.len ? ", " : "",
                       r->before.fail_pct, r->after.fail_pct);
    if (why.len) r->regression = xstrdup(strbuf_str(&why));
    strbuf_fini(&why);
}

static char *s_label(const results_row_t *row) {
    return *row->method ? xasprintf("%s %s", row->method, row->name) : xstrdup(row->name);
}

void compare_compute(compare_table_t *t, const report_t *before, const report_t *after,
                     const compare_opts_t *o) {
    compare_opts_t dflt = COMPARE_OPTS_DEFAULT;
    if (!o) o = &dflt;
    *t = (compare_table_t){0};
    const results_t *rb = before->results, *ra = after->results;
    for (size_t i = 0; i < results_count(rb); i++) {
        const results_row_t *b = results_row(rb, i);
        s_add(t, s_label(b), b, before->run_seconds, results_find(ra, b->method, b->name),
              after->run_seconds);
    }
    for (size_t i = 0; i < results_count(ra); i++) {
        const results_row_t *a = results_row(ra, i);
        if (!results_find(rb, a->method, a->name))
            s_add(t, s_label(a), NULL, before->run_seconds, a, after->run_seconds);
    }
    s_add(t, xstrdup("Aggregated"), results_total(rb), before->run_seconds, results_total(ra),
          after->run_seconds);
    for (size_t i = 0; i < t->n; i++)
        s_judge(&t->rows[i], o);
}

/* ---- cells ---- */

enum { S_METRICS = 6, S_CELL = 32 };
static const char *const s_metric_name[S_METRICS] = {"requests", "failure rate", "rps",
                                                     "p50 (ms)", "p95 (ms)",     "p99 (ms)"};

static void s_ms(double us, char *buf, size_t buf_bytes) {
    summary_format_ms((uint64_t)fabs(us), buf, buf_bytes);
}

static void s_signed_ms(double d_us, char *buf) {
    char v[S_CELL - 2];
    s_ms(d_us, v, sizeof v);
    snprintf(buf, S_CELL, "%s%s", d_us > 0 ? "+" : d_us < 0 ? "-" : "", v);
}

/* v, or +0 when it rounds to zero at `decimals` (a tiny negative delta
 * printed "-0.0" beside two equal values). */
static double s_no_negative_zero(double v, int decimals) {
    return fabs(v) < 0.5 * pow(10.0, -decimals) ? 0.0 : v;
}

static void s_pct(double b, double a, char *buf) {
    double g = s_growth_pct(b, a);
    if (isinf(g))
        snprintf(buf, S_CELL, "+inf%%");
    else
        snprintf(buf, S_CELL, "%+.1f%%", s_no_negative_zero(g, 1));
}

/* The before, after, delta and delta % cells of metric m. */
static void s_cells(const compare_row_t *r, int m, char cell[4][S_CELL]) {
    const compare_side_t *b = &r->before, *a = &r->after;
    const compare_side_t *side[2] = {b, a};
    double vb = 0, va = 0;
    for (int k = 0; k < 2; k++) {
        const compare_side_t *s = side[k];
        double *v = k ? &va : &vb;
        /* Without requests there is no failure rate or latency to show. */
        if (!s->present || ((m == 1 || m >= 3) && !s->requests)) {
            snprintf(cell[k], S_CELL, "-");
            continue;
        }
        switch (m) {
        case 0:
            *v = (double)s->requests;
            snprintf(cell[k], S_CELL, "%llu", (unsigned long long)s->requests);
            break;
        case 1:
            *v = s->fail_pct;
            snprintf(cell[k], S_CELL, "%.2f%%", s->fail_pct);
            break;
        case 2:
            *v = s->rps;
            snprintf(cell[k], S_CELL, "%.1f", s->rps);
            break;
        default: {
            uint64_t us = m == 3 ? s->p50_us : m == 4 ? s->p95_us : s->p99_us;
            *v = (double)us;
            s_ms((double)us, cell[k], S_CELL);
        }
        }
    }
    if (!strcmp(cell[0], "-") || !strcmp(cell[1], "-")) {
        snprintf(cell[2], S_CELL, "-");
        snprintf(cell[3], S_CELL, "-");
        return;
    }
    double d = va - vb;
    switch (m) {
    case 0:
        snprintf(cell[2], S_CELL, "%+lld", (long long)d);
        break;
    case 1:
        snprintf(cell[2], S_CELL, "%+.2fpt", s_no_negative_zero(d, 2));
        break;
    case 2:
        snprintf(cell[2], S_CELL, "%+.1f", s_no_negative_zero(d, 1));
        break;
    default:
        s_signed_ms(d, cell[2]);
    }
    s_pct(vb, va, cell[3]);
}

/* ---- output ---- */

static const char *s_or(const char *s, const char *dflt) {
    return s && *s ? s : dflt;
}

static void s_md_escape(FILE *out, const char *s) {
    for (; *s; s++) {
        if (*s == '|') fputc('\\', out);
        fputc(*s, out);
    }
}

static void s_print_text(FILE *out, const compare_table_t *t, const report_t *before,
                         const report_t *after, const compare_opts_t *o) {
    int w = 10;
    for (size_t i = 0; i < t->n; i++) {
        int n = (int)strlen(t->rows[i].label);
        if (n > w) w = n;
    }
    if (w > 60) w = 60;
    fprintf(out, "barrage compare: %s -> %s\n", s_or(o->before_label, "before"),
            s_or(o->after_label, "after"));
    fprintf(out, "before: %s, %.1f s run; after: %s, %.1f s run\n\n",
            s_or(before->scenario_name, "?"), before->run_seconds, s_or(after->scenario_name, "?"),
            after->run_seconds);
    fprintf(out, "%-*s  %-12s %10s %10s %10s %9s  %s\n", w, "Name", "Metric", "Before", "After",
            "Delta", "Delta %", "Verdict");
    for (size_t i = 0; i < t->n; i++) {
        const compare_row_t *r = &t->rows[i];
        for (int m = 0; m < S_METRICS; m++) {
            char cell[4][S_CELL];
            s_cells(r, m, cell);
            fprintf(out, "%-*s  %-12s %10s %10s %10s %9s", w, m ? "" : r->label, s_metric_name[m],
                    cell[0], cell[1], cell[2], cell[3]);
            if (m == 0) fprintf(out, "  %s", s_verdict_word[r->verdict]);
            fputc('\n', out);
        }
    }
}

static void s_print_md(FILE *out, const compare_table_t *t, const report_t *before,
                       const report_t *after, const compare_opts_t *o) {
    fprintf(out, "### barrage compare: %s → %s\n\n", s_or(o->before_label, "before"),
            s_or(o->after_label, "after"));
    fprintf(out, "Before: %s, %.1f s run. After: %s, %.1f s run.\n\n",
            s_or(before->scenario_name, "?"), before->run_seconds, s_or(after->scenario_name, "?"),
            after->run_seconds);
    fprintf(out, "| Name | Metric | Before | After | Delta | Delta %% | Verdict |\n");
    fprintf(out, "| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (size_t i = 0; i < t->n; i++) {
        const compare_row_t *r = &t->rows[i];
        for (int m = 0; m < S_METRICS; m++) {
            char cell[4][S_CELL];
            s_cells(r, m, cell);
            fputs("| ", out);
            if (m == 0) {
                fputc('`', out);
                s_md_escape(out, r->label);
                fputc('`', out);
            }
            fprintf(out, " | %s | %s | %s | %s | %s | %s%s%s |\n", s_metric_name[m], cell[0],
                    cell[1], cell[2], cell[3], m ? "" : "**", m ? "" : s_verdict_word[r->verdict],
                    m ? "" : "**");
        }
    }
}

/* The rule line and, with a gate, the rows that regressed. Returns 1 if any. */
static int s_print_footer(FILE *out, const compare_table_t *t, const compare_opts_t *o) {
    bool md = o->format == COMPARE_MD;
    fprintf(out,
            "\n%sA latency change counts when p95 or p99 moves by more than %g%% and more than "
            "%g ms; a failure-rate change when it moves by more than %g points.%s\n",
            md ? "_" : "", o->rel_pct, o->abs_ms, o->fail_rate_points, md ? "_" : "");
    if (o->fail_on_regression_pct <= 0) return 0;
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += t->rows[i].regression != NULL;
    if (n == 0) {
        fprintf(out, "\n%sNo regressions beyond %g%%.%s\n", md ? "**" : "",
                o->fail_on_regression_pct, md ? "**" : "");
        return 0;
    }
    fprintf(out, "\n%sRegressions beyond %g%%:%s\n", md ? "**" : "", o->fail_on_regression_pct,
            md ? "**" : "");
    for (size_t i = 0; i < t->n; i++) {
        const compare_row_t *r = &t->rows[i];
        if (!r->regression) continue;
        if (md) {
            fputs("- `", out);
            s_md_escape(out, r->label);
            fprintf(out, "`: %s\n", r->regression);
        } else {
            fprintf(out, "  %s: %s\n", r->label, r->regression);
        }
    }
    return 1;
}

void compare_table_fini(compare_table_t *t) {
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].label);
        free(t->rows[i].regression);
    }
    free(t->rows);
    *t = (compare_table_t){0};
}

const char *compare_verdict_name(compare_verdict_t v) {
    return s_verdict_word[v];
}

/* ---- JSON ---- */

/* Metric m of side s as a number (NaN: no value), in the JSON's units. */
static double s_metric(const compare_side_t *s, int m) {
    if (!s->present || ((m == 1 || m >= 3) && !s->requests)) return NAN;
    switch (m) {
    case 0:
        return (double)s->requests;
    case 1:
        return s->fail_pct;
    case 2:
        return s->rps;
    case 3:
        return (double)s->p50_us / 1000.0;
    case 4:
        return (double)s->p95_us / 1000.0;
    default:
        return (double)s->p99_us / 1000.0;
    }
}

static const char *const s_json_key[S_METRICS] = {"requests", "failures_pct", "rps",
                                                  "p50_ms",   "p95_ms",       "p99_ms"};

/* kind 0: the side's values; 1: after - before; 2: growth in percent. */
static void s_json_metrics(strbuf_t *b, const compare_row_t *r, int kind) {
    const compare_side_t *s = kind == 0 ? &r->before : &r->after;
    strbuf_append_char(b, '{');
    for (int m = 0; m < S_METRICS; m++) {
        double vb = s_metric(&r->before, m), va = s_metric(&r->after, m);
        double v = kind == 0                ? s_metric(s, m)
                   : isnan(vb) || isnan(va) ? NAN
                   : kind == 1              ? va - vb
                                            : s_growth_pct(vb, va);
        strbuf_appendf(b, "%s\"%s\":", m ? "," : "", s_json_key[m]);
        strbuf_append_json_number(b, v);
    }
    strbuf_append_char(b, '}');
}

static void s_json_row(strbuf_t *b, const compare_row_t *r) {
    strbuf_append_str(b, "{\"name\":");
    strbuf_append_json_string(b, r->label);
    strbuf_appendf(b, ",\"verdict\":\"%s\",\"regression\":", s_verdict_word[r->verdict]);
    strbuf_append_json_string(b, r->regression);
    strbuf_append_str(b, ",\"before\":");
    if (r->before.present)
        s_json_metrics(b, r, 0);
    else
        strbuf_append_str(b, "null");
    strbuf_append_str(b, ",\"after\":");
    if (r->after.present) {
        compare_row_t swapped = {.before = r->after};
        s_json_metrics(b, &swapped, 0);
    } else {
        strbuf_append_str(b, "null");
    }
    strbuf_append_str(b, ",\"delta\":");
    s_json_metrics(b, r, 1);
    strbuf_append_str(b, ",\"delta_pct\":");
    s_json_metrics(b, r, 2);
    strbuf_append_char(b, '}');
}

static void s_json_run(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, "{\"scenario\":");
    strbuf_append_json_string(b, r->scenario_name);
    strbuf_appendf(b, ",\"started_ms\":%llu,\"ended_ms\":%llu,\"run_seconds\":",
                   (unsigned long long)r->started_ms, (unsigned long long)r->ended_ms);
    strbuf_append_json_number(b, r->run_seconds);
    strbuf_append_char(b, '}');
}

static void s_json_p95(strbuf_t *b, const report_t *r) {
    strbuf_append_char(b, '[');
    size_t n = r->timeline ? timeline_count(r->timeline) : 0;
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        const timeline_point_t *p = timeline_point(r->timeline, i);
        if (!p->requests) continue;
        strbuf_appendf(b, "%s[%u,", first ? "" : ",", (unsigned)p->second);
        strbuf_append_json_number(b, (double)p->pct_us[PERCENTILES_P95] / 1000.0);
        strbuf_append_char(b, ']');
        first = false;
    }
    strbuf_append_char(b, ']');
}

void compare_json(const report_t *before, const report_t *after, const compare_opts_t *o,
                  strbuf_t *b) {
    compare_opts_t dflt = COMPARE_OPTS_DEFAULT;
    if (!o) o = &dflt;
    compare_table_t t;
    compare_compute(&t, before, after, o);
    strbuf_append_str(b, "{\"rules\":{\"rel_pct\":");
    strbuf_append_json_number(b, o->rel_pct);
    strbuf_append_str(b, ",\"abs_ms\":");
    strbuf_append_json_number(b, o->abs_ms);
    strbuf_append_str(b, ",\"fail_rate_points\":");
    strbuf_append_json_number(b, o->fail_rate_points);
    strbuf_append_str(b, "},\"before\":");
    s_json_run(b, before);
    strbuf_append_str(b, ",\"after\":");
    s_json_run(b, after);
    strbuf_append_str(b, ",\"rows\":[");
    for (size_t i = 0; i < t.n; i++) {
        if (i) strbuf_append_char(b, ',');
        s_json_row(b, &t.rows[i]);
    }
    strbuf_append_str(b, "],\"p95_per_second\":{\"before\":");
    s_json_p95(b, before);
    strbuf_append_str(b, ",\"after\":");
    s_json_p95(b, after);
    strbuf_append_str(b, "}}");
    compare_table_fini(&t);
}

int compare_format_parse(const char *s, compare_format_t *out) {
    if (!s) return -1;
    if (!strcmp(s, "text")) {
        *out = COMPARE_TEXT;
    } else if (!strcmp(s, "md") || !strcmp(s, "markdown")) {
        *out = COMPARE_MD;
    } else {
        return -1;
    }
    return 0;
}

int compare_reports(FILE *out, const report_t *before, const report_t *after,
                    const compare_opts_t *o) {
    compare_opts_t dflt = COMPARE_OPTS_DEFAULT;
    if (!o) o = &dflt;
    compare_table_t t;
    compare_compute(&t, before, after, o);
    if (o->format == COMPARE_MD)
        s_print_md(out, &t, before, after, o);
    else
        s_print_text(out, &t, before, after, o);
    int rc = s_print_footer(out, &t, o);
    compare_table_fini(&t);
    if (fflush(out) != 0 || ferror(out)) return -1;
    return rc;
}
