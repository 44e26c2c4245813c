/* webstate: the page's JSON (barrage's own API) from a snapshot. */
#include "web/webstate.h"

#include <math.h>
#include <string.h>

#include "report/percentiles.h"
#include "web/webapi.h"

/* A finite double as JSON (NaN and infinity become 0: JSON has neither). */
static void s_num(strbuf_t *b, double v) {
    strbuf_appendf(b, "%.10g", isfinite(v) ? v : 0.0);
}

static void s_ms(strbuf_t *b, uint64_t us) {
    s_num(b, (double)us / 1000.0);
}

static double s_rate(const double *rates, const web_snapshot_t *s, size_t i) {
    return rates && i < s->n_rates ? rates[i] : 0;
}

static void s_pct(strbuf_t *b, const char *key, const histogram_t *h, double p) {
    strbuf_appendf(b, ",\"%s\":", key);
    s_ms(b, h && histogram_count(h) ? histogram_percentile(h, p) : 0);
}

static void s_row(strbuf_t *b, const results_row_t *row, const char *method, const char *name,
                  double rps, double fps) {
    const histogram_t *h = row->latency;
    bool any = h && histogram_count(h) > 0;
    strbuf_append_str(b, "{\"method\":");
    strbuf_append_json_string(b, method);
    strbuf_append_str(b, ",\"name\":");
    strbuf_append_json_string(b, name);
    strbuf_appendf(b, ",\"requests\":%llu,\"failures\":%llu", (unsigned long long)row->requests,
                   (unsigned long long)row->failures);
    s_pct(b, "median_ms", h, 50);
    s_pct(b, "p90_ms", h, 90);
    s_pct(b, "p95_ms", h, 95);
    s_pct(b, "p99_ms", h, 99);
    strbuf_append_str(b, ",\"avg_ms\":");
    s_num(b, any ? histogram_mean(h) / 1000.0 : 0);
    strbuf_append_str(b, ",\"min_ms\":");
    s_ms(b, any ? histogram_min(h) : 0);
    strbuf_append_str(b, ",\"max_ms\":");
    s_ms(b, any ? histogram_max(h) : 0);
    strbuf_append_str(b, ",\"avg_size_bytes\":");
    s_num(b, row->requests ? (double)row->bytes / (double)row->requests : 0);
    strbuf_append_str(b, ",\"current_rps\":");
    s_num(b, rps);
    strbuf_append_str(b, ",\"current_fail_per_sec\":");
    s_num(b, fps);
    strbuf_append_char(b, '}');
}

static void s_stats(strbuf_t *b, const web_snapshot_t *s, const results_t *res) {
    strbuf_append_str(b, ",\"stats\":[");
    size_t n = res ? results_count(res) : 0; /* a row, then ',', then the aggregate */
    for (size_t i = 0; i < n; i++) {
        const results_row_t *row = results_row(res, i);
        s_row(b, row, row->method, row->name, s_rate(s->current_rps, s, i),
              s_rate(s->current_fail_per_sec, s, i));
        strbuf_append_char(b, ',');
    }
    if (res)
        s_row(b, results_total(res), NULL, "Aggregated", s_rate(s->current_rps, s, n),
              s_rate(s->current_fail_per_sec, s, n));
    strbuf_append_char(b, ']');
}

/* The failures under key, those keep() keeps (NULL: all). */
static void s_errors(strbuf_t *b, const char *key, const results_t *res,
                     bool (*keep)(const char *reason)) {
    strbuf_appendf(b, ",\"%s\":[", key);
    bool first = true;
    for (size_t i = 0; res && i < results_error_count(res); i++) {
        const results_error_t *e = results_error(res, i);
        if (keep && !keep(e->reason)) continue;
        strbuf_append_str(b, first ? "{\"method\":" : ",{\"method\":");
        first = false;
        strbuf_append_json_string(b, e->method);
        strbuf_append_str(b, ",\"name\":");
        strbuf_append_json_string(b, e->name);
        strbuf_append_str(b, ",\"reason\":");
        strbuf_append_json_string(b, e->reason);
        strbuf_appendf(b, ",\"count\":%llu}", (unsigned long long)e->count);
    }
    strbuf_append_char(b, ']');
}

static void s_workers(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, ",\"workers\":[");
    for (size_t i = 0; r && i < r->n_workers; i++) {
        const report_worker_t *w = &r->workers[i];
        strbuf_append_str(b, i ? ",{\"id\":" : "{\"id\":");
        strbuf_append_json_string(b, w->id ? w->id : "");
        strbuf_append_str(b, ",\"host\":");
        strbuf_append_json_string(b, w->hostname ? w->hostname : "");
        strbuf_append_str(b, ",\"state\":");
        strbuf_append_json_string(b, w->state ? w->state : "");
        bool lost = w->state && strcmp(w->state, "lost") == 0;
        strbuf_appendf(b, ",\"users\":%u,\"reports\":%llu,\"lost\":%s", w->users,
                       (unsigned long long)w->reports, lost ? "true" : "false");
        strbuf_appendf(b,
                       ",\"cpu_percent\":%.1f,\"cpu_max_percent\":%.1f,\"rss_mib\":%.1f,"
                       "\"connections\":%u,\"lag_max_ms\":%.1f}",
                       w->cpu_permille / 10.0, w->cpu_max_permille / 10.0, w->rss_kib / 1024.0,
                       w->connections, w->lag_max_us / 1000.0);
    }
    strbuf_append_char(b, ']');
}

static void s_timeline(strbuf_t *b, const timeline_t *t) {
    strbuf_append_str(b, ",\"timeline\":[");
    size_t n = t ? timeline_count(t) : 0;
    for (size_t i = 0; i < n; i++) {
        const timeline_point_t *p = timeline_point(t, i);
        strbuf_appendf(b, "%s{\"second\":%u,\"rps\":%llu,\"fail_per_sec\":%llu,\"users\":%u",
                       i ? "," : "", p->second, (unsigned long long)p->requests,
                       (unsigned long long)p->failures, p->users);
        strbuf_append_str(b, ",\"p50_ms\":");
        s_ms(b, p->pct_us[PERCENTILES_P50]);
        strbuf_append_str(b, ",\"p95_ms\":");
        s_ms(b, p->pct_us[PERCENTILES_P95]);
        strbuf_append_str(b, ",\"p99_ms\":");
        s_ms(b, p->pct_us[PERCENTILES_P99]);
        strbuf_append_char(b, '}');
    }
    strbuf_append_char(b, ']');
}

/* The run's plan, for the start and edit forms (null before any run). */
static void s_run(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, ",\"run\":");
    if (!r) {
        strbuf_append_str(b, "null");
        return;
    }
    strbuf_append_str(b, "{\"scenario\":");
    strbuf_append_json_string(b, r->scenario_name);
    strbuf_append_str(b, ",\"host\":");
    strbuf_append_json_string(b, r->host);
    strbuf_append_str(b, ",\"mode\":");
    strbuf_append_json_string(b, r->mode);
    strbuf_appendf(b, ",\"users\":%u,\"spawn_rate\":", r->users);
    s_num(b, r->spawn_rate);
    strbuf_append_str(b, ",\"rate\":");
    s_num(b, r->rate);
    strbuf_append_str(b, ",\"run_time_s\":");
    s_num(b, (double)r->duration_ms / 1000.0);
    strbuf_append_str(b, ",\"elapsed_s\":");
    s_num(b, r->run_seconds);
    strbuf_append_char(b, '}');
}

/* Share of weight in total (0 when the total is 0). */
static double s_ratio(uint32_t weight, uint64_t total) {
    return total ? (double)weight / (double)total : 0;
}

static void s_class(strbuf_t *b, const web_class_t *c, uint64_t class_total) {
    strbuf_append_str(b, "{\"name\":");
    strbuf_append_json_string(b, c->name);
    strbuf_appendf(b, ",\"weight\":%u,\"ratio\":", c->weight);
    s_num(b, s_ratio(c->weight, class_total));
    uint64_t task_total = 0;
    for (size_t t = 0; t < c->n_tasks; t++) task_total += c->tasks[t].weight;
    strbuf_append_str(b, ",\"tasks\":[");
    for (size_t t = 0; t < c->n_tasks; t++) {
        strbuf_append_str(b, t ? ",{\"name\":" : "{\"name\":");
        strbuf_append_json_string(b, c->tasks[t].name);
        strbuf_appendf(b, ",\"weight\":%u,\"ratio\":", c->tasks[t].weight);
        s_num(b, s_ratio(c->tasks[t].weight, task_total));
        strbuf_append_char(b, '}');
    }
    strbuf_append_str(b, "]}");
}

/* What the next start takes (the form's defaults, Current ratio), or null. */
static void s_scenario(strbuf_t *b, const web_scenario_t *v) {
    strbuf_append_str(b, ",\"scenario\":");
    if (!v) {
        strbuf_append_str(b, "null");
        return;
    }
    strbuf_append_str(b, "{\"file\":");
    strbuf_append_json_string(b, v->file);
    strbuf_append_str(b, ",\"host\":");
    strbuf_append_json_string(b, v->host);
    strbuf_appendf(b, ",\"mode\":\"%s\",\"users\":%u,\"spawn_rate\":", v->open ? "open" : "closed",
                   v->users);
    s_num(b, v->spawn_rate);
    strbuf_append_str(b, ",\"rate\":");
    s_num(b, v->rate);
    strbuf_append_str(b, ",\"run_time_s\":");
    s_num(b, (double)v->run_time_ms / 1000.0);
    strbuf_append_str(b, ",\"stages\":");
    strbuf_append_json_string(b, v->stages);
    uint64_t class_total = 0;
    for (size_t i = 0; i < v->n_classes; i++) class_total += v->classes[i].weight;
    strbuf_append_str(b, ",\"classes\":[");
    for (size_t i = 0; i < v->n_classes; i++) {
        if (i) strbuf_append_char(b, ',');
        s_class(b, &v->classes[i], class_total);
    }
    strbuf_append_str(b, "],\"errors\":");
    strbuf_append_json_string(b, v->errors);
    strbuf_append_char(b, '}');
}

/* A metric value recorded x1000 in its unit (ms, or queries). */
static void s_metric_num(strbuf_t *b, const char *key, double v_x1000) {
    strbuf_appendf(b, ",\"%s\":", key);
    s_num(b, v_x1000 / 1000.0);
}

/* Server-Timing / X-Query-Count per name (docs/web.md). */
static void s_metrics(strbuf_t *b, const results_t *res) {
    strbuf_append_str(b, ",\"metrics\":[");
    bool first = true;
    for (size_t i = 0; res && i < results_count(res); i++) {
        const results_row_t *row = results_row(res, i);
        for (size_t k = 0; k < row->n_metrics; k++) {
            const results_metric_t *m = &row->metrics[k];
            const histogram_t *h = m->values;
            uint64_t n = h ? histogram_count(h) : 0;
            strbuf_append_str(b, first ? "{\"method\":" : ",{\"method\":");
            first = false;
            strbuf_append_json_string(b, row->method);
            strbuf_append_str(b, ",\"name\":");
            strbuf_append_json_string(b, row->name);
            strbuf_append_str(b, ",\"metric\":");
            strbuf_append_json_string(b, m->name);
            strbuf_appendf(b, ",\"unit\":\"%s\",\"count\":%llu",
                           results_metric_is_count(m->name) ? "queries" : "ms",
                           (unsigned long long)n);
            s_metric_num(b, "avg", n ? histogram_mean(h) : 0);
            s_metric_num(b, "p50", n ? (double)histogram_percentile(h, 50) : 0);
            s_metric_num(b, "p95", n ? (double)histogram_percentile(h, 95) : 0);
            s_metric_num(b, "p99", n ? (double)histogram_percentile(h, 99) : 0);
            s_metric_num(b, "max", n ? (double)histogram_max(h) : 0);
            strbuf_append_char(b, '}');
        }
    }
    strbuf_append_char(b, ']');
}

/* Each threshold's verdict: live while running (judged each second), the
 * final one after; and the one that stopped the run, if one did. */
static void s_thresholds(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, ",\"thresholds\":[");
    for (size_t i = 0; r && i < r->n_thresholds; i++) {
        const report_threshold_t *t = &r->thresholds[i];
        strbuf_append_str(b, i ? ",{\"name\":" : "{\"name\":");
        strbuf_append_json_string(b, t->name);
        strbuf_append_str(b, ",\"check\":");
        strbuf_append_json_string(b, t->text);
        strbuf_appendf(b, ",\"passed\":%s,\"measured\":", t->passed ? "true" : "false");
        strbuf_append_json_string(b, t->measured);
        strbuf_append_char(b, '}');
    }
    strbuf_append_str(b, "],\"saturation\":[");
    for (size_t i = 0; r && i < r->n_saturations; i++) {
        const report_saturation_t *x = &r->saturations[i];
        strbuf_append_str(b, i ? ",{\"worker\":" : "{\"worker\":");
        strbuf_append_json_string(b, x->worker);
        strbuf_append_str(b, ",\"from_s\":");
        s_num(b, x->from_s);
        strbuf_append_str(b, ",\"to_s\":");
        s_num(b, x->to_s);
        strbuf_appendf(b, ",\"cpu_max_percent\":%.1f,\"lag_max_ms\":%.1f}",
                       x->cpu_max_permille / 10.0, x->lag_max_us / 1000.0);
    }
    strbuf_append_str(b, "],\"aborted_by\":");
    strbuf_append_json_string(b, r ? r->aborted_by : NULL);
}

static void s_logs(strbuf_t *b, const web_snapshot_t *s) {
    strbuf_append_str(b, ",\"logs\":[");
    for (size_t i = 0; s && i < s->n_logs; i++) {
        const log_line_t *l = &s->logs[i];
        strbuf_appendf(b, "%s{\"wall_ms\":%llu,\"level\":\"%s\",\"text\":", i ? "," : "",
                       (unsigned long long)l->wall_ms, log_level_name(l->level));
        strbuf_append_json_string(b, l->text);
        strbuf_append_char(b, '}');
    }
    strbuf_append_char(b, ']');
}

void webstate_json(const web_snapshot_t *s, strbuf_t *b) {
    const report_t *r = s ? s->report : NULL;
    const results_t *res = r ? r->results : NULL;
    const results_row_t *total = res ? results_total(res) : NULL;
    strbuf_append_str(b, "{\"state\":");
    strbuf_append_json_string(b, s ? s->state : "ready");
    strbuf_appendf(b, ",\"users\":%u,\"worker_count\":%u", s ? s->user_count : 0,
                   s ? s->workers : 0);
    strbuf_append_str(b, ",\"total_rps\":");
    s_num(b, s && res ? s_rate(s->current_rps, s, results_count(res)) : 0);
    strbuf_append_str(b, ",\"fail_percent\":");
    s_num(b,
          total && total->requests ? 100.0 * (double)total->failures / (double)total->requests : 0);
    strbuf_appendf(b, ",\"dropped\":%llu", (unsigned long long)(s ? s->dropped : 0));
    s_run(b, r);
    s_workers(b, r);
    s_stats(b, s, res);
    s_errors(b, "failures", res, NULL);
    s_timeline(b, r ? r->timeline : NULL);
    s_scenario(b, s ? s->scenario : NULL);
    s_metrics(b, res);
    s_errors(b, "exceptions", res, webapi_is_exception);
    s_thresholds(b, r);
    s_logs(b, s);
    strbuf_append_char(b, '}');
}
