/* report_html: the self-contained HTML page of a report. */
#include "report/report_html.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/file.h"
#include "common/xmalloc.h"
#include "report/httpver.h"
#include "report/percentiles.h"
#include "report/phases.h"
#include "report/summary.h"
#include "report/svg.h"
#include "report/xml.h"

/* The page may load nothing at all: the policy makes a browser refuse any
 * request even if a future edit slips a URL in. */
static const char s_style[] =
    "*{box-sizing:border-box}"
    "body{margin:0;background:#f5f6f8;color:#222;font:14px/1.45 system-ui,-apple-system,"
    "'Segoe UI',Roboto,sans-serif}"
    "main{max-width:1240px;margin:0 auto;padding:20px 24px}"
    "h1{font-size:24px;margin:0 0 4px}"
    "h2{font-size:18px;margin:32px 0 10px}"
    ".sub{color:#666;margin:0 0 16px}"
    ".badge{display:inline-block;padding:3px 10px;border-radius:12px;font-weight:600;"
    "font-size:13px;margin-right:6px;vertical-align:middle}"
    ".pass{background:#e3f4e6;color:#1b5e20}.fail{background:#fde7e7;color:#b71c1c}"
    ".none{background:#eceff1;color:#455a64}.warn{background:#fff3e0;color:#e65100}"
    ".meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:4px 24px;"
    "background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:12px 16px;margin:0}"
    ".meta div{display:flex;gap:8px}.meta dt{color:#666;min-width:120px;flex:none}"
    /* Break a long path or URL only where it must, never a short word. */
    ".meta dd{margin:0;min-width:0;overflow-wrap:break-word}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;"
    "margin:16px 0}"
    ".card{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:10px 14px}"
    ".card .k{color:#666;font-size:12px;text-transform:uppercase;letter-spacing:.04em}"
    ".card .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}"
    ".card .v small{font-size:13px;font-weight:400;color:#666}"
    ".card.bad .v{color:#b71c1c}"
    ".chart{display:block;width:100%;height:auto;background:#fff;"
    "border:1px solid #e1e4e8;border-radius:8px;margin:0 0 14px}"
    ".hint{margin:0 0 10px;color:#444}"
    ".note{margin:0 0 10px;color:#555;max-width:900px}"
    "code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eceff3;"
    "padding:1px 4px;border-radius:3px}"
    ".scroll{overflow-x:auto;background:#fff;border:1px solid #e1e4e8;border-radius:8px}"
    "table{border-collapse:collapse;width:100%;font-size:12.5px;font-variant-numeric:tabular-nums}"
    "th,td{padding:4px 6px;border-bottom:1px solid #eceef1;text-align:left;white-space:nowrap}"
    "th{background:#f0f2f5;font-weight:600;position:sticky;top:0}"
    "td.num,th.num{text-align:right}"
    "td.name{white-space:normal;overflow-wrap:anywhere;min-width:120px;max-width:260px}"
    "td.reason{white-space:normal;word-break:break-word;max-width:520px}"
    "tr:nth-child(even) td{background:#fafbfc}"
    "tr.total td{font-weight:600;background:#eef1f5;border-top:2px solid #cfd5dd}"
    "td.hot{color:#b71c1c;font-weight:600}"
    "td.ok{color:#1b5e20;font-weight:600}td.bad{color:#b71c1c;font-weight:600}"
    ".empty{color:#666;font-style:italic;margin:0}"
    "footer{color:#888;font-size:12px;margin:32px 0 0}";

#define COLOR_RPS "#1f77b4"
#define COLOR_FAIL "#d62728"
#define COLOR_USERS "#9467bd"
#define COLOR_P50 "#2ca02c"
#define COLOR_P95 "#ff7f0e"
#define COLOR_P99 "#8c564b" /* not COLOR_FAIL: a reader must tell p99 from failures */


/* A path escaped, with a line-break opportunity after each '/'. */
static void s_esc_path(strbuf_t *b, const char *path) {
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        char *part = xstrndup(p, n);
        xml_escape(b, part);
        free(part);
        p += n;
        if (*p == '/') {
            strbuf_append_str(b, "/<wbr>");
            p++;
        }
    }
}

static double s_pct(uint64_t part, uint64_t whole) {
    return whole ? 100.0 * (double)part / (double)whole : 0;
}

static double s_per_s(uint64_t n, double seconds) {
    return seconds > 0 ? (double)n / seconds : 0;
}

static void s_ms(strbuf_t *b, uint64_t us) {
    char buf[32];
    strbuf_append_str(b, summary_format_ms(us, buf, sizeof buf));
}

/* Wall-clock time in local time: the date too unless time_only. */
static void s_wall(strbuf_t *b, uint64_t wall_ms, bool time_only) {
    if (!wall_ms) {
        strbuf_append_str(b, "&#8212;");
        return;
    }
    time_t t = (time_t)(wall_ms / 1000);
    struct tm tm;
    char buf[64];
    size_t n = 0;
    if (localtime_r(&t, &tm)) {
        n = time_only ? strftime(buf, sizeof buf, "%H:%M:%S", &tm)
                      : strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z", &tm);
    }
    if (n == 0) {
        strbuf_appendf(b, "%" PRIu64 " ms", wall_ms);
        return;
    }
    xml_escape(b, buf);
}

static void s_duration(strbuf_t *b, double seconds) {
    if (seconds < 60) {
        strbuf_appendf(b, "%.1fs", seconds);
        return;
    }
    unsigned long s = (unsigned long)(seconds + 0.5);
    if (s >= 3600) strbuf_appendf(b, "%luh ", s / 3600);
    strbuf_appendf(b, "%lum %02lus", s % 3600 / 60, s % 60);
}

static void s_head(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                         "'none'; style-src 'unsafe-inline'\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, "
                         "initial-scale=1\">\n<title>barrage report: ");
    xml_escape(b, r->scenario_name && *r->scenario_name ? r->scenario_name : "run");
    strbuf_appendf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", s_style);
}

static void s_verdict(strbuf_t *b, const report_t *r) {
    size_t failed = 0;
    for (size_t i = 0; i < r->n_thresholds; i++) failed += !r->thresholds[i].passed;
    if (r->n_thresholds == 0)
        strbuf_append_str(b, "<span class=\"badge none\">no thresholds</span>");
    else if (failed)
        strbuf_appendf(b, "<span class=\"badge fail\">thresholds failed: %zu of %zu</span>",
                       failed, r->n_thresholds);
    else
        strbuf_appendf(b, "<span class=\"badge pass\">thresholds passed: %zu of %zu</span>",
                       r->n_thresholds, r->n_thresholds);
    if (r->interrupted) strbuf_append_str(b, "<span class=\"badge warn\">interrupted</span>");
    if (r->aborted_by) {
        strbuf_appendf(b, "<span class=\"badge fail\">stopped after %.1f s by ", r->aborted_at_s);
        xml_escape(b, r->aborted_by);
        strbuf_append_str(b, " (abort: true)</span>");
    }
}

static void s_meta_open(strbuf_t *b, const char *key) {
    strbuf_appendf(b, "<div><dt>%s</dt><dd>", key);
}

static void s_meta(strbuf_t *b, const char *key, const char *value) {
    s_meta_open(b, key);
    xml_escape(b, value && *value ? value : "-");
    strbuf_append_str(b, "</dd></div>");
}

static void s_metadata(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, "<dl class=\"meta\">");
    s_meta(b, "Host", r->host);
    s_meta_open(b, "Mode");
    xml_escape(b, r->mode && *r->mode ? r->mode : "-");
    if (r->mode && strcmp(r->mode, "open") == 0) strbuf_append_str(b, " (arrival rate)");
    if (r->mode && strcmp(r->mode, "closed") == 0) strbuf_append_str(b, " (virtual users)");
    strbuf_append_str(b, "</dd></div>");
    if (r->mode && strcmp(r->mode, "open") == 0) {
        s_meta_open(b, "Arrivals");
        strbuf_appendf(b, "%g/s, max_users %" PRIu32 ", %" PRIu64 " dropped</dd></div>", r->rate,
                       r->max_users, results_dropped(r->results));
    } else {
        s_meta_open(b, "Users");
        strbuf_appendf(b, "%" PRIu32 " users, spawn rate %g/s</dd></div>", r->users,
                       r->spawn_rate);
    }
    if (r->stages && *r->stages) s_meta(b, "Stages", r->stages);
    s_meta_open(b, "Duration");
    s_duration(b, (double)r->duration_ms / 1000.0);
    strbuf_append_str(b, " planned, ");
    s_duration(b, r->run_seconds);
    strbuf_append_str(b, " measured</dd></div>");
    s_meta_open(b, "Started");
    s_wall(b, r->started_ms, false);
    strbuf_append_str(b, "</dd></div>");
    s_meta_open(b, "Ended");
    s_wall(b, r->ended_ms, false);
    strbuf_append_str(b, "</dd></div>");
    s_meta_open(b, "Scenario file");
    s_esc_path(b, r->scenario_file && *r->scenario_file ? r->scenario_file : "-");
    strbuf_append_str(b, "</dd></div>");
    s_meta_open(b, "Scenario sha256");
    /* The prefix identifies the scenario; the whole hash is in the tooltip. */
    const char *sha = r->scenario_sha256 && *r->scenario_sha256 ? r->scenario_sha256 : "-";
    strbuf_append_str(b, "<span title=\"");
    xml_escape(b, sha);
    char prefix[17];
    snprintf(prefix, sizeof prefix, "%s", sha);
    strbuf_append_str(b, "\">");
    xml_escape(b, prefix);
    strbuf_append_str(b, strlen(sha) > 16 ? "&#8230;</span></dd></div>" : "</span></dd></div>");
    s_meta(b, "barrage", r->barrage_version);
    strbuf_append_str(b, "</dl>\n");
}

static void s_card_open(strbuf_t *b, const char *key, bool bad) {
    strbuf_appendf(b, "<div class=\"card%s\"><div class=\"k\">%s</div><div class=\"v\">",
                   bad ? " bad" : "", key);
}

static void s_cards(strbuf_t *b, const report_t *r) {
    const results_row_t *t = results_total(r->results);
    strbuf_append_str(b, "<div class=\"cards\">");
    s_card_open(b, "Requests", false);
    strbuf_appendf(b, "%" PRIu64 "</div></div>", t->requests);
    s_card_open(b, "Failures", t->failures > 0);
    strbuf_appendf(b, "%.2f%% <small>%" PRIu64 "</small></div></div>",
                   s_pct(t->failures, t->requests), t->failures);
    s_card_open(b, "Requests/s", false);
    strbuf_appendf(b, "%.1f</div></div>", s_per_s(t->requests, r->run_seconds));
    static const struct {
        const char *key;
        double p;
    } cards[] = {{"p50", 50}, {"p95", 95}, {"p99", 99}};
    for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
        s_card_open(b, cards[i].key, false);
        /* No response, no latency: a dash rather than a misleading 0.000 ms. */
        if (histogram_count(t->latency) == 0) {
            strbuf_append_str(b, "&#8212;</div></div>");
            continue;
        }
        s_ms(b, histogram_percentile(t->latency, cards[i].p));
        strbuf_append_str(b, " <small>ms</small></div></div>");
    }
    strbuf_append_str(b, "</div>\n");
}

static void s_header(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, "<h1>");
    xml_escape(b, r->scenario_name && *r->scenario_name ? r->scenario_name : "barrage run");
    strbuf_append_str(b, "</h1>\n<p class=\"sub\">barrage load test report &#183; ");
    s_verdict(b, r);
    strbuf_append_str(b, "</p>\n");
    s_cards(b, r);
    s_metadata(b, r);
}

/* Timeline series, in the units the charts show. A point's counts and
 * percentiles cover [second, second + 1): they are drawn at its middle; its
 * users are stamped when the second closes: they are drawn at its end. */
typedef struct {
    size_t n;
    double x_end; /* every chart spans [0, x_end] so the charts line up */
    double *x_mid, *x_close, *rps, *fps, *users, *p50, *p95, *p99;
    const char *x_unit;
} s_series_t;

static void s_series_build(s_series_t *s, const timeline_t *tl) {
    enum { COLS = 8 };
    s->n = timeline_count(tl);
    size_t rows = s->n ? s->n : 1;
    double *all = xcalloc(COLS * rows, sizeof *all);
    double *cols[COLS];
    for (size_t c = 0; c < COLS; c++) cols[c] = all + c * rows;
    s->x_mid = cols[0], s->x_close = cols[1], s->rps = cols[2], s->fps = cols[3];
    s->users = cols[4], s->p50 = cols[5], s->p95 = cols[6], s->p99 = cols[7];
    const timeline_point_t *last = s->n ? timeline_point(tl, s->n - 1) : NULL;
    /* Long runs read better in minutes. */
    double scale = last && last->second + 1 > 600 ? 60.0 : 1.0;
    s->x_unit = scale > 1 ? "min" : "s";
    s->x_end = last ? (last->second + 1) / scale : 0;
    for (size_t i = 0; i < s->n; i++) {
        const timeline_point_t *p = timeline_point(tl, i);
        s->x_mid[i] = (p->second + 0.5) / scale;
        s->x_close[i] = (p->second + 1) / scale;
        s->rps[i] = (double)p->requests;
        s->fps[i] = (double)p->failures;
        s->users[i] = p->users;
        /* A second without requests has no latency: break the line there. */
        s->p50[i] = p->requests ? (double)p->pct_us[PERCENTILES_P50] / 1000.0 : NAN;
        s->p95[i] = p->requests ? (double)p->pct_us[PERCENTILES_P95] / 1000.0 : NAN;
        s->p99[i] = p->requests ? (double)p->pct_us[PERCENTILES_P99] / 1000.0 : NAN;
    }
}

static void s_timeline_charts(strbuf_t *b, const report_t *r) {
    s_series_t s;
    s_series_build(&s, r->timeline);
    svg_series_t load[] = {{"requests/s", COLOR_RPS, s.rps}, {"failures/s", COLOR_FAIL, s.fps}};
    svg_line_chart_t c = {.title = "Requests and failures per second",
                          .x_unit = s.x_unit,
                          .y_unit = "/s",
                          .x = s.x_mid,
                          .x_max = s.x_end,
                          .n = s.n,
                          .series = load,
                          .n_series = 2};
    svg_line_chart(b, &c);
    svg_series_t lat[] = {{"p50", COLOR_P50, s.p50}, {"p95", COLOR_P95, s.p95},
                          {"p99", COLOR_P99, s.p99}};
    c.title = "Response time percentiles per second";
    c.y_unit = " ms";
    c.series = lat;
    c.n_series = 3;
    svg_line_chart(b, &c);
    svg_series_t users[] = {{"active users", COLOR_USERS, s.users}};
    c.title = "Active users";
    c.y_unit = "";
    c.x = s.x_close;
    c.series = users;
    c.n_series = 1;
    svg_line_chart(b, &c);
    free(s.x_mid);
}

/* Log-spaced bins over whole decades; finer when the range is narrow. */
static void s_distribution(strbuf_t *b, const histogram_t *h) {
    uint64_t total = histogram_count(h);
    int lo = 0, hi = 1, per_decade = 10;
    if (total) {
        lo = (int)floor(log10((double)(histogram_min(h) ? histogram_min(h) : 1)));
        hi = (int)ceil(log10((double)histogram_max(h) + 1));
        if (hi <= lo) hi = lo + 1;
        per_decade = 100 / (hi - lo);
        per_decade = per_decade < 10 ? 10 : per_decade > 50 ? 50 : per_decade;
    }
    size_t n = total ? (size_t)((hi - lo) * per_decade) : 0;
    double *edges = xcalloc(n + 1, sizeof *edges);
    double *values = xcalloc(n + 1, sizeof *values);
    char **tips = xcalloc(n + 1, sizeof *tips);
    for (size_t i = 0; i <= n; i++) edges[i] = pow(10, lo + (double)i / per_decade);
    int32_t idx = -1;
    uint64_t count;
    while (total && histogram_next_bucket(h, &idx, &count)) {
        double v = (double)histogram_bucket_low_us(idx);
        double pos = (log10(v > 1 ? v : 1) - lo) * per_decade;
        size_t bin = pos < 0 ? 0 : (size_t)(pos + 1e-9);
        if (bin >= n) bin = n - 1;
        values[bin] += (double)count;
    }
    for (size_t i = 0; i < n; i++) {
        char a[32], z[32];
        tips[i] = xasprintf("%s to %s: %.0f requests (%.2f%%)",
                            svg_format_us(edges[i], a, sizeof a),
                            svg_format_us(edges[i + 1], z, sizeof z), values[i],
                            100.0 * values[i] / (double)total);
        values[i] = 100.0 * values[i] / (double)total;
    }
    char l50[48], l95[48], l99[48], f[32];
    uint64_t p50 = histogram_percentile(h, 50), p95 = histogram_percentile(h, 95),
             p99 = histogram_percentile(h, 99);
    snprintf(l50, sizeof l50, "p50 %s", svg_format_us((double)p50, f, sizeof f));
    snprintf(l95, sizeof l95, "p95 %s", svg_format_us((double)p95, f, sizeof f));
    snprintf(l99, sizeof l99, "p99 %s", svg_format_us((double)p99, f, sizeof f));
    svg_marker_t marks[] = {{l50, (double)p50}, {l95, (double)p95}, {l99, (double)p99}};
    svg_log_bars_t c = {.title = "Response time distribution (all requests, % per bin)",
                        .y_unit = "%",
                        .edges = edges,
                        .values = values,
                        .tips = (const char *const *)tips,
                        .n = n,
                        .color = COLOR_RPS,
                        .markers = marks,
                        .n_markers = 3};
    svg_log_bars(b, &c);
    for (size_t i = 0; i < n; i++) free(tips[i]);
    free(tips);
    free(values);
    free(edges);
}

static void s_charts(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, "<h2>Charts</h2>\n");
    s_timeline_charts(b, r);
    s_distribution(b, results_total(r->results)->latency);
}

static void s_num_header(strbuf_t *b, const char *label) {
    strbuf_appendf(b, "<th class=\"num\">%s</th>", label);
}

/* The row with the highest p95 and the one with the highest failure rate. */
static void s_hot_rows(const results_t *res, size_t *slow, size_t *failing) {
    uint64_t worst_p95 = 0;
    double worst_fail = 0;
    *slow = *failing = SIZE_MAX;
    for (size_t i = 0; i < results_count(res); i++) {
        const results_row_t *row = results_row(res, i);
        uint64_t p95 = histogram_percentile(row->latency, 95);
        double f = s_pct(row->failures, row->requests);
        if (p95 > worst_p95) worst_p95 = p95, *slow = i;
        if (f > worst_fail) worst_fail = f, *failing = i;
    }
}

static void s_stats_row(strbuf_t *b, const results_row_t *row, double run_s, bool total,
                        bool slow) {
    const histogram_t *h = row->latency;
    strbuf_append_str(b, total ? "<tr class=\"total\"><td>" : "<tr><td>");
    xml_escape(b, row->method);
    strbuf_append_str(b, "</td><td class=\"name\">");
    xml_escape(b, total ? "Aggregated" : row->name);
    double fail_pct = s_pct(row->failures, row->requests);
    strbuf_appendf(b,
                   "</td><td class=\"num\">%" PRIu64 "</td><td class=\"num%s\">%" PRIu64
                   "</td><td class=\"num%s\">%.2f%%</td><td class=\"num\">%.1f</td>",
                   row->requests, row->failures ? " hot" : "", row->failures,
                   row->failures ? " hot" : "", fail_pct, s_per_s(row->requests, run_s));
    strbuf_append_str(b, "<td class=\"num\">");
    s_ms(b, (uint64_t)llround(histogram_mean(h)));
    strbuf_append_str(b, "</td><td class=\"num\">");
    s_ms(b, histogram_min(h));
    strbuf_append_str(b, "</td><td class=\"num\">");
    s_ms(b, histogram_max(h));
    strbuf_append_str(b, "</td>");
    for (int i = 0; i < PERCENTILES_N; i++) {
        strbuf_append_str(b, slow && i == PERCENTILES_P95 ? "<td class=\"num hot\">" : "<td class=\"num\">");
        s_ms(b, histogram_percentile(h, PERCENTILES_VALUES[i]));
        strbuf_append_str(b, "</td>");
    }
    strbuf_append_str(b, "</tr>\n");
}

static void s_hint(strbuf_t *b, const report_t *r, size_t slow, size_t failing) {
    if (slow == SIZE_MAX && failing == SIZE_MAX) return;
    strbuf_append_str(b, "<p class=\"hint\">");
    if (slow != SIZE_MAX) {
        const results_row_t *row = results_row(r->results, slow);
        strbuf_append_str(b, "Slowest at p95: <strong>");
        xml_escape(b, row->method);
        strbuf_append_char(b, ' ');
        xml_escape(b, row->name);
        strbuf_append_str(b, "</strong> (");
        s_ms(b, histogram_percentile(row->latency, 95));
        strbuf_append_str(b, " ms). ");
    }
    if (failing != SIZE_MAX) {
        const results_row_t *row = results_row(r->results, failing);
        strbuf_append_str(b, "Highest failure rate: <strong>");
        xml_escape(b, row->method);
        strbuf_append_char(b, ' ');
        xml_escape(b, row->name);
        strbuf_appendf(b, "</strong> (%.2f%%).", s_pct(row->failures, row->requests));
    }
    strbuf_append_str(b, "</p>\n");
}

static void s_stats_table(strbuf_t *b, const report_t *r) {
    size_t slow, failing;
    s_hot_rows(r->results, &slow, &failing);
    strbuf_append_str(b, "<h2>Requests <small>(times in ms)</small></h2>\n");
    s_hint(b, r, slow, failing);
    strbuf_append_str(b, "<div class=\"scroll\"><table class=\"stats\">\n<thead><tr><th>Method"
                         "</th><th>Name</th>");
    static const char *const cols[] = {"Requests", "Failures", "Failure %", "RPS",
                                       "Avg",      "Min",      "Max"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) s_num_header(b, cols[i]);
    for (int i = 0; i < PERCENTILES_N; i++) {
        char label[16];
        snprintf(label, sizeof label, "p%g", PERCENTILES_VALUES[i]);
        s_num_header(b, label);
    }
    strbuf_append_str(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < results_count(r->results); i++) {
        s_stats_row(b, results_row(r->results, i), r->run_seconds, false, i == slow);
    }
    s_stats_row(b, results_total(r->results), r->run_seconds, true, false);
    strbuf_append_str(b, "</tbody></table></div>\n");
}

/* A metric value recorded x1000, in its unit: ms like the other tables, or a
 * count — whole unless it is an average or fell in a bucket between two counts. */
static void s_metric_value(strbuf_t *b, const results_metric_t *m, double v_x1000, bool avg) {
    if (!results_metric_is_count(m->name)) {
        s_ms(b, (uint64_t)llround(v_x1000));
        return;
    }
    double v = v_x1000 / 1000.0;
    strbuf_appendf(b, !avg && v == floor(v) ? "%.0f" : "%.1f", v);
}

/* How much of the response time barrage measured the server accounts for. */
static void s_metric_share(strbuf_t *b, const results_row_t *row, const results_metric_t *m) {
    double latency_us = histogram_mean(row->latency);
    double pct = latency_us > 0 ? 100.0 * histogram_mean(m->values) / latency_us : 0;
    if (results_metric_is_count(m->name) || histogram_count(m->values) == 0 || !(latency_us > 0))
        strbuf_append_str(b, "&#8212;");
    else if (pct < 0.5)
        strbuf_append_str(b, "&lt;1%");
    else
        strbuf_appendf(b, "%.0f%%", pct);
}

static void s_metric_row(strbuf_t *b, const results_row_t *row, const results_metric_t *m) {
    const histogram_t *h = m->values;
    strbuf_append_str(b, "<tr><td>");
    xml_escape(b, row->method);
    strbuf_append_str(b, "</td><td class=\"name\">");
    xml_escape(b, row->name);
    strbuf_append_str(b, "</td><td>");
    xml_escape(b, m->name);
    strbuf_appendf(b, "</td><td>%s</td><td>%s</td><td class=\"num\">%" PRIu64 "</td>",
                   results_metric_is_count(m->name) ? "X-Query-Count" : "Server-Timing",
                   results_metric_is_count(m->name) ? "queries" : "ms", histogram_count(h));
    double values[] = {histogram_mean(h), (double)histogram_percentile(h, 50),
                       (double)histogram_percentile(h, 95), (double)histogram_percentile(h, 99),
                       (double)histogram_max(h)};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        strbuf_append_str(b, "<td class=\"num\">");
        s_metric_value(b, m, values[i], i == 0);
        strbuf_append_str(b, "</td>");
    }
    strbuf_append_str(b, "<td class=\"num\">");
    s_metric_share(b, row, m);
    strbuf_append_str(b, "</td></tr>\n");
}

/* Server-Timing / X-Query-Count per name: where the time went, under load. */
static void s_metrics_table(strbuf_t *b, const report_t *r) {
    bool any = false;
    for (size_t i = 0; i < results_count(r->results); i++)
        any |= results_row(r->results, i)->n_metrics > 0;
    if (!any) return;
    strbuf_append_str(
        b, "<h2>Server-side metrics</h2>\n<p class=\"note\">Reported by the server in its "
           "responses, not measured by barrage: durations from the <code>Server-Timing</code> "
           "header (<code>name;dur=</code> in ms), <code>queries</code> from the "
           "<code>X-Query-Count</code> header, per response that carried them. "
           "&#8220;Of response&#8221; is the metric&#8217;s average as a share of the average "
           "response time barrage measured for the same name.</p>\n"
           "<div class=\"scroll\"><table class=\"metrics\">\n<thead><tr><th>Method</th>"
           "<th>Name</th><th>Metric</th><th>Source</th><th>Unit</th>");
    static const char *const cols[] = {"Count", "Avg", "p50", "p95", "p99", "Max", "Of response"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) s_num_header(b, cols[i]);
    strbuf_append_str(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < results_count(r->results); i++) {
        const results_row_t *row = results_row(r->results, i);
        for (size_t k = 0; k < row->n_metrics; k++) s_metric_row(b, row, &row->metrics[k]);
    }
    strbuf_append_str(b, "</tbody></table></div>\n");
}

/* The phases' colours, in RESULTS_PHASE_* order. */
static const char *const s_phase_colors[RESULTS_PHASE_N] = {"#9467bd", "#8c564b", "#e377c2",
                                                            "#1f77b4", "#2ca02c"};

/* A stacked bar per name that has phases (the averages), then the aggregate. */
static void s_phases_chart(strbuf_t *b, const report_t *r) {
    size_t n = results_count(r->results) + 1, k = 0;
    const char **labels = xcalloc(n, sizeof *labels);
    char **owned = xcalloc(n, sizeof *owned);
    double *values = xcalloc(n * RESULTS_PHASE_N, sizeof *values);
    for (size_t i = 0; i < n; i++) {
        const results_row_t *row =
            i + 1 < n ? results_row(r->results, i) : results_total(r->results);
        if (!phases_count(row)) continue;
        owned[k] = i + 1 < n ? xasprintf("%s %s", row->method, row->name) : xstrdup("Aggregated");
        labels[k] = owned[k];
        for (int p = 0; p < RESULTS_PHASE_N; p++)
            values[k * RESULTS_PHASE_N + (size_t)p] = histogram_mean(row->phases[p]);
        k++;
    }
    svg_part_t parts[RESULTS_PHASE_N];
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        parts[p] = (svg_part_t){phases_label(p), s_phase_colors[p]};
    svg_stacked_bars(b, &(svg_stacked_bars_t){.title = "Where the time went (average per request)",
                                              .labels = labels,
                                              .values = values,
                                              .n = k,
                                              .parts = parts,
                                              .n_parts = RESULTS_PHASE_N});
    for (size_t i = 0; i < k; i++)
        free(owned[i]);
    free(owned);
    free(labels);
    free(values);
}

static void s_phase_row(strbuf_t *b, const results_row_t *row, const char *method,
                        const char *name) {
    strbuf_append_str(b, "<tr><td>");
    xml_escape(b, method);
    strbuf_append_str(b, "</td><td class=\"name\">");
    xml_escape(b, name);
    strbuf_append_str(b, "</td>");
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        const histogram_t *h = row->phases[p];
        strbuf_appendf(b, "<td class=\"num\">%.3f / %.3f (%.0f%%)</td>", histogram_mean(h) / 1000.0,
                       (double)histogram_percentile(h, 95) / 1000.0, 100.0 * phases_share(row, p));
    }
    strbuf_appendf(b,
                   "<td class=\"num\">%.3f</td><td class=\"num\">%" PRIu64
                   "</td><td class=\"num\">%" PRIu64 "</td><td class=\"num\">%" PRIu64
                   "</td></tr>\n",
                   phases_total_avg_us(row) / 1000.0, row->connects, row->wire_bytes, row->bytes);
}

/* Where the time went: the chart and, per name, each phase's average / p95
 * in ms and share, with new connections and the bytes received. */
static void s_phases_section(strbuf_t *b, const report_t *r) {
    if (!phases_any(r->results)) return;
    strbuf_append_str(
        b, "<h2>Where the time went</h2>\n<p class=\"note\">From libcurl&#8217;s timings of "
           "every request: DNS, connect, TLS handshake, wait (from the request sent to the "
           "first byte of the response: the server&#8217;s work) and receive (the rest of the "
           "response). The phases of a request add up to curl&#8217;s total time for it; "
           "reused connections have no connect or TLS time. Wire bytes are the response "
           "headers and body as received, before any decoding; decoded bytes the body as "
           "delivered (decoded when libcurl decodes it).</p>\n");
    s_phases_chart(b, r);
    strbuf_append_str(b, "<div class=\"scroll\"><table class=\"phases\">\n<thead><tr><th>Method"
                         "</th><th>Name</th>");
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        char label[64];
        snprintf(label, sizeof label, "%s avg / p95 ms (share)", phases_label(p));
        s_num_header(b, label);
    }
    static const char *const cols[] = {"Total avg ms", "New connections", "Wire bytes",
                                       "Decoded bytes"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        s_num_header(b, cols[i]);
    strbuf_append_str(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < results_count(r->results); i++) {
        const results_row_t *row = results_row(r->results, i);
        if (phases_count(row)) s_phase_row(b, row, row->method, row->name);
    }
    s_phase_row(b, results_total(r->results), "", "Aggregated");
    strbuf_append_str(b, "</tbody></table></div>\n");
}

/* HTTP versions, when a name asked for HTTP/2 or got another version than 1.1. */
static void s_http_table(strbuf_t *b, const report_t *r) {
    if (!httpver_any_shown(r->results)) return;
    strbuf_append_str(b, "<h2>HTTP versions</h2>\n<div class=\"scroll\"><table class=\"http\">\n"
                         "<thead><tr><th>Method</th><th>Name</th><th>Asked</th><th>Responses"
                         "</th><th>Note</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < results_count(r->results); i++) {
        const results_row_t *row = results_row(r->results, i);
        if (!httpver_shown(row)) continue;
        char counts[160], note[256];
        const char *asked = httpver_asked_name(row->http_asked);
        bool fell_back = httpver_fallback(row, note, sizeof note);
        strbuf_append_str(b, "<tr><td>");
        xml_escape(b, row->method);
        strbuf_append_str(b, "</td><td class=\"name\">");
        xml_escape(b, row->name);
        strbuf_appendf(b, "</td><td>%s</td><td>%s</td><td class=\"%s\">%s</td></tr>\n",
                       *asked ? asked : "-", httpver_counts(row, counts, sizeof counts),
                       fell_back ? "bad" : "ok", fell_back ? note : "");
    }
    strbuf_append_str(b, "</tbody></table></div>\n");
}

static int s_error_cmp(const void *a, const void *b) {
    uint64_t x = (*(const results_error_t *const *)a)->count;
    uint64_t y = (*(const results_error_t *const *)b)->count;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void s_errors_table(strbuf_t *b, const report_t *r) {
    size_t n = results_error_count(r->results);
    strbuf_append_str(b, "<h2>Failures</h2>\n");
    if (n == 0) {
        strbuf_append_str(b, "<p class=\"empty\">No failures.</p>\n");
        return;
    }
    /* Most frequent first: that is the one to look at. */
    const results_error_t **sorted = xcalloc(n, sizeof *sorted);
    for (size_t i = 0; i < n; i++) sorted[i] = results_error(r->results, i);
    qsort(sorted, n, sizeof *sorted, s_error_cmp);
    strbuf_append_str(b, "<div class=\"scroll\"><table class=\"errors\">\n<thead><tr><th>Method"
                         "</th><th>Name</th><th>Reason</th><th class=\"num\">Count</th></tr>"
                         "</thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        strbuf_append_str(b, "<tr><td>");
        xml_escape(b, sorted[i]->method);
        strbuf_append_str(b, "</td><td class=\"name\">");
        xml_escape(b, sorted[i]->name);
        strbuf_append_str(b, "</td><td class=\"reason\">");
        xml_escape(b, sorted[i]->reason);
        strbuf_appendf(b, "</td><td class=\"num\">%" PRIu64 "</td></tr>\n", sorted[i]->count);
    }
    strbuf_append_str(b, "</tbody></table></div>\n");
    free(sorted);
}

static void s_workers_table(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, "<h2>Workers</h2>\n");
    if (r->n_workers == 0) {
        strbuf_append_str(b, "<p class=\"empty\">No workers recorded.</p>\n");
        return;
    }
    strbuf_append_str(b, "<div class=\"scroll\"><table class=\"workers\">\n<thead><tr><th>Id"
                         "</th><th>Host</th><th class=\"num\">PID</th><th class=\"num\">Users"
                         "</th><th class=\"num\">Reports</th><th>State</th><th>Lost at</th>"
                         "<th class=\"num\">CPU max</th><th class=\"num\">RSS max</th>"
                         "<th class=\"num\">Connections</th><th class=\"num\">Loop lag max</th>"
                         "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n_workers; i++) {
        const report_worker_t *w = &r->workers[i];
        bool lost = w->lost_at_ms || (w->state && strcmp(w->state, "lost") == 0);
        strbuf_append_str(b, "<tr><td>");
        xml_escape(b, w->id);
        strbuf_append_str(b, "</td><td>");
        xml_escape(b, w->hostname);
        strbuf_appendf(b,
                       "</td><td class=\"num\">%" PRIu32 "</td><td class=\"num\">%" PRIu32
                       "</td><td class=\"num\">%" PRIu64 "</td><td%s>",
                       w->pid, w->users, w->reports, lost ? " class=\"bad\"" : "");
        xml_escape(b, w->state);
        strbuf_append_str(b, "</td><td>");
        if (w->lost_at_ms)
            s_wall(b, w->lost_at_ms, true);
        else
            strbuf_append_str(b, "&#8212;");
        strbuf_appendf(b,
                       "</td><td class=\"num%s\">%.0f%%</td><td class=\"num\">%.1f MiB</td>"
                       "<td class=\"num\">%" PRIu32 "</td><td class=\"num\">%.1f ms</td></tr>\n",
                       w->cpu_max_permille >= 900 ? " bad" : "", w->cpu_max_permille / 10.0,
                       w->rss_max_kib / 1024.0, w->connections, w->lag_max_us / 1000.0);
    }
    strbuf_append_str(b, "</tbody></table></div>\n");
    for (size_t i = 0; i < r->n_saturations; i++) {
        const report_saturation_t *x = &r->saturations[i];
        strbuf_append_str(b, "<p class=\"warn\">Worker ");
        xml_escape(b, x->worker);
        strbuf_appendf(b,
                       " was saturated from %.1f s to %.1f s (CPU up to %.1f%%, loop lag up to "
                       "%.1f ms): latencies from it include time waiting for CPU; add workers or "
                       "processes.</p>\n",
                       x->from_s, x->to_s, x->cpu_max_permille / 10.0, x->lag_max_us / 1000.0);
    }
}

static void s_thresholds_table(strbuf_t *b, const report_t *r) {
    strbuf_append_str(b, "<h2>Thresholds</h2>\n");
    if (r->n_thresholds == 0) {
        strbuf_append_str(b, "<p class=\"empty\">No thresholds in this scenario.</p>\n");
        return;
    }
    strbuf_append_str(b, "<div class=\"scroll\"><table class=\"thresholds\">\n<thead><tr><th>"
                         "Check</th><th>Name</th><th class=\"num\">Measured</th><th>Result</th>"
                         "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n_thresholds; i++) {
        const report_threshold_t *t = &r->thresholds[i];
        strbuf_append_str(b, "<tr><td>");
        xml_escape(b, t->text);
        strbuf_append_str(b, "</td><td class=\"name\">");
        xml_escape(b, t->name ? t->name : "Aggregated");
        strbuf_append_str(b, "</td><td class=\"num\">");
        xml_escape(b, t->measured ? t->measured : "-");
        strbuf_appendf(b, "</td><td class=\"%s\">%s</td></tr>\n", t->passed ? "ok" : "bad",
                       t->passed ? "pass" : "FAIL");
    }
    strbuf_append_str(b, "</tbody></table></div>\n");
}

void report_html_render(const report_t *r, strbuf_t *b) {
    s_head(b, r);
    s_header(b, r);
    s_charts(b, r);
    s_stats_table(b, r);
    s_metrics_table(b, r);
    s_phases_section(b, r);
    s_http_table(b, r);
    s_errors_table(b, r);
    s_thresholds_table(b, r);
    s_workers_table(b, r);
    strbuf_append_str(b, "<footer>Generated by barrage ");
    xml_escape(b, r->barrage_version);
    strbuf_append_str(b, " &#183; one self-contained file, readable offline.</footer>\n"
                         "</main>\n</body>\n</html>\n");
}


int report_html_write(const report_t *r, const char *path, char **err) {
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    int rc = file_replace(path, strbuf_str(&b), b.len, err);
    strbuf_fini(&b);
    return rc;
}
