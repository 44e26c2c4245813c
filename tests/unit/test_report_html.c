/* Unit tests for report_html (the self-contained HTML page) and svg (its charts). */
#include <errno.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/xmalloc.h"
#include "report/report_html.h"
#include "report/svg.h"

#define HOSTILE "<script>alert(1)</script>"

static char *s_slurp(const char *path) {
    size_t len = 0;
    char *s = file_read(path, (size_t)1 << 30, &len);
    cr_assert_not_null(s, "cannot read %s: %s", path, strerror(errno));
    return s;
}

static size_t s_count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static histogram_t *s_hist(uint64_t base_us, uint64_t n) {
    histogram_t *h = histogram_new();
    for (uint64_t i = 0; i < n; i++) histogram_record(h, base_us + (i * 7919) % (base_us * 20));
    return h;
}

static void s_add_results(report_t *r) {
    histogram_t *h[3] = {s_hist(2000, 900), s_hist(40000, 300), s_hist(250, 200)};
    results_row_delta_t stats[3] = {
        {.method = "GET", .name = "/orgs/{id}/tasks", .requests = 900, .failures = 0},
        {.method = "POST", .name = HOSTILE, .requests = 300, .failures = 12},
        {.method = "GET", .name = "/checkout?a=1&b=\"2\"", .requests = 200, .failures = 3},
    };
    for (int i = 0; i < 3; i++) stats[i].latency = h[i];
    results_error_delta_t errors[2] = {
        {.method = "POST", .name = HOSTILE, .reason = "HTTP 503 <img src=x onerror=alert(1)>",
         .count = 12},
        {.method = "GET", .name = "/checkout?a=1&b=\"2\"", .reason = "timeout", .count = 3},
    };
    results_delta_t st = {.n_rows = 3, .rows = stats, .n_errors = 2, .errors = errors};
    results_add(r->results, &st);
    for (int i = 0; i < 3; i++) histogram_destroy(&h[i]);
}

static void s_add_timeline(report_t *r) {
    for (uint32_t s = 0; s < 60; s++) {
        timeline_point_t p = {
            .second = s, .wall_ms = 1700000001000ull + s * 1000, .users = s < 10 ? s + 1 : 10};
        p.requests = s == 30 ? 0 : 20 + s; /* one quiet second: the latency line breaks */
        p.failures = s % 7 == 0 ? 1 : 0;
        for (int i = 0; i < PERCENTILES_N; i++)
            p.pct_us[i] = p.requests ? 1000u * (i + 1) + s * 10 : 0;
        p.total_requests = 20 * (s + 1);
        timeline_append(r->timeline, &p);
    }
}

static report_t *s_full_report(void) {
    report_t *r = report_new();
    r->barrage_version = xstrdup("0.1.0-test");
    r->scenario_name = xstrdup("fest " HOSTILE);
    r->scenario_file = xstrdup("fest.yaml");
    r->scenario_sha256 = xstrdup("ab12");
    r->host = xstrdup("http://127.0.0.1:8000");
    r->mode = xstrdup("closed");
    r->users = 10;
    r->spawn_rate = 2;
    r->duration_ms = 60000;
    r->run_seconds = 60.2;
    r->started_ms = 1700000000000ull;
    r->ended_ms = 1700000060200ull;
    s_add_results(r);
    s_add_timeline(r);
    report_add_worker(r, &(report_worker_t){.id = "w-1", .hostname = "loadgen-a", .pid = 4242,
                                            .users = 5, .reports = 61, .state = "finished"});
    report_add_worker(r, &(report_worker_t){.id = "w-2", .hostname = "loadgen-" HOSTILE,
                                            .pid = 4343, .users = 5, .reports = 20,
                                            .state = "lost", .lost_at_ms = 1700000020000ull});
    report_add_threshold(r, &(report_threshold_t){.text = "p95 < 300ms", .passed = true,
                                                  .value = 212, .measured = "212ms"});
    report_add_threshold(r, &(report_threshold_t){.text = "failure_rate < 1%", .name = HOSTILE,
                                                  .passed = false, .value = 4,
                                                  .measured = "4%"});
    return r;
}

/* A fresh directory for one test; the caller frees the path. */
static char *s_tmpdir(void) {
    char *dir = xstrdup("/tmp/test_report_html.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    return dir;
}

static char *s_write(const report_t *r, const char *dir) {
    char *path = xasprintf("%s/report.html", dir);
    char *err = NULL;
    cr_assert_eq(report_html_write(r, path, &err), 0, "write failed: %s", err ? err : "?");
    cr_assert_null(err);
    char *html = s_slurp(path);
    free(path);
    return html;
}

static void s_cleanup(const char *dir) {
    char *cmd = xasprintf("rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
}

/* The stroke colours of the <path>s of the chart titled `title` (up to 8). */
static size_t s_chart_strokes(const char *html, const char *title, char colors[8][16]) {
    char key[128];
    snprintf(key, sizeof key, "aria-label=\"%s\"", title);
    const char *p = strstr(html, key), *end = p ? strstr(p, "</svg>") : NULL;
    size_t n = 0;
    for (p = p ? strstr(p, "<path ") : NULL; p && p < end && n < 8; p = strstr(p + 1, "<path ")) {
        const char *c = strstr(p, " stroke=\"");
        cr_assert_not_null(c);
        snprintf(colors[n++], 16, "%.*s", (int)strcspn(c + 9, "\""), c + 9);
    }
    return n;
}

Test(report_html, latency_lines_and_failures_have_distinct_colours) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    char load[8][16], lat[8][16];
    cr_assert_eq(s_chart_strokes(strbuf_str(&b), "Requests and failures per second", load), 2);
    cr_assert_eq(s_chart_strokes(strbuf_str(&b), "Response time percentiles per second", lat), 3);
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < i; j++) cr_expect_str_neq(lat[i], lat[j], "p-lines %d and %d", i, j);
        cr_expect_str_neq(lat[i], load[1], "latency line %d vs failures/s", i);
    }
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, page_has_four_svg_charts) {
    report_t *r = s_full_report();
    char *dir = s_tmpdir();
    char *html = s_write(r, dir);
    cr_expect(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    cr_expect_eq(s_count(html, "<svg"), 4, "charts: %zu", s_count(html, "<svg"));
    cr_expect_eq(s_count(html, "</svg>"), 4);
    cr_expect(strstr(html, "Requests and failures per second"));
    cr_expect(strstr(html, "Response time percentiles per second"));
    cr_expect(strstr(html, "Active users"));
    cr_expect(strstr(html, "Response time distribution"));
    cr_expect(strstr(html, ">requests/s<") && strstr(html, ">failures/s<"), "legend");
    cr_expect(strstr(html, ">p95<") && strstr(html, ">p99<"), "latency legend");
    cr_expect(strstr(html, "60s</text>"), "x ticks carry seconds");
    cr_expect(strstr(html, " ms</text>"), "y ticks carry ms");
    cr_expect_eq(s_count(html, "<path "), 2 + 3 + 1, "one path per series");
    cr_expect_eq(s_count(html, "no data"), 0);
    free(html);
    report_destroy(&r);
    s_cleanup(dir);
    free(dir);
}

Test(report_html, header_shows_run_and_verdict) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *html = strbuf_str(&b);
    cr_expect(strstr(html, "http://127.0.0.1:8000"));
    cr_expect(strstr(html, "closed (virtual users)"));
    cr_expect(strstr(html, "10 users, spawn rate 2/s"));
    cr_expect(strstr(html, "1m 00s planned, 1m 00s measured"));
    cr_expect(strstr(html, "0.1.0-test"));
    cr_expect(strstr(html, "thresholds failed: 1 of 2"));
    cr_expect(strstr(html, ">1400<"), "total requests");
    cr_expect(strstr(html, "1.07%"), "failure percentage 15/1400");
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, tables_have_every_row) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *html = strbuf_str(&b);
    /* 3 names + Aggregated; 2 errors; 2 thresholds; 2 workers; 4 header rows. */
    cr_expect_eq(s_count(html, "<tr"), 4 + 2 + 2 + 2 + 4, "rows: %zu", s_count(html, "<tr"));
    cr_expect(strstr(html, "/orgs/{id}/tasks"));
    cr_expect(strstr(html, "<tr class=\"total\">"));
    cr_expect(strstr(html, ">Aggregated<"));
    cr_expect(strstr(html, ">p99.99<") && strstr(html, ">p100<") && strstr(html, ">p66<"));
    cr_expect(strstr(html, ">lost<") && strstr(html, ">finished<"));
    cr_expect(strstr(html, "class=\"bad\">FAIL<") && strstr(html, "class=\"ok\">pass<"));
    cr_expect(strstr(html, ">timeout<"));
    cr_expect(strstr(html, "Slowest at p95"), "the hint names what to fix");
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, hostile_strings_are_escaped) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *html = strbuf_str(&b);
    cr_expect_null(strstr(html, "<script"), "no raw script tag");
    cr_expect_null(strstr(html, "<img"), "no raw img tag from a reason");
    cr_expect(s_count(html, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 6,
              "name in title, h1, table, hint, error, threshold, worker");
    cr_expect(strstr(html, "/checkout?a=1&amp;b=&quot;2&quot;"));
    cr_expect(strstr(html, "HTTP 503 &lt;img src=x onerror=alert(1)&gt;"));
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, nothing_external) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *html = strbuf_str(&b);
    /* The hostile reason contains "src=" escaped as text, not as an attribute. */
    cr_expect_null(strstr(html, " src=\""));
    cr_expect_null(strstr(html, "href="));
    cr_expect_null(strstr(html, "@import"));
    cr_expect_null(strstr(html, "url("));
    cr_expect_null(strstr(html, "<link"));
    cr_expect_null(strstr(html, "<iframe"));
    cr_expect_null(strstr(html, "xmlns"));
    cr_expect(strstr(html, "default-src 'none'"), "a CSP forbids any request");
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, empty_report_still_renders) {
    report_t *r = report_new();
    char *dir = s_tmpdir();
    char *html = s_write(r, dir);
    cr_expect_eq(s_count(html, "<svg"), 4);
    cr_expect_eq(s_count(html, "no data"), 4);
    cr_expect_eq(s_count(html, "<div class=\"v\">&#8212;</div>"), 3, "p50/p95/p99 cards: a dash");
    cr_expect_null(strstr(html, "Server-side metrics"));
    cr_expect(strstr(html, ">Aggregated<"));
    cr_expect(strstr(html, "no thresholds"));
    cr_expect(strstr(html, "No failures."));
    cr_expect(strstr(html, "No workers recorded."));
    cr_expect(strstr(html, "</html>"));
    free(html);
    report_destroy(&r);
    s_cleanup(dir);
    free(dir);
}

Test(report_html, replaces_atomically_and_leaves_no_temp_file) {
    report_t *r = s_full_report();
    char *dir = s_tmpdir();
    char *path = xasprintf("%s/report.html", dir);
    FILE *f = fopen(path, "w");
    fputs("old content", f);
    fclose(f);
    char *err = NULL;
    cr_assert_eq(report_html_write(r, path, &err), 0);
    char *html = s_slurp(path);
    cr_expect_null(strstr(html, "old content"));
    DIR *d = opendir(dir);
    size_t entries = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        entries++;
        cr_expect_null(strstr(e->d_name, ".tmp-"), "left behind: %s", e->d_name);
    }
    closedir(d);
    cr_expect_eq(entries, 1);
    free(html);
    free(path);
    report_destroy(&r);
    s_cleanup(dir);
    free(dir);
}

Test(report_html, unwritable_path_is_named_in_the_error) {
    report_t *r = report_new();
    char *dir = s_tmpdir();
    char *path = xasprintf("%s/missing/report.html", dir);
    char *err = NULL;
    cr_assert_eq(report_html_write(r, path, &err), -1);
    cr_assert_not_null(err);
    cr_expect(strstr(err, path), "error names the path: %s", err);
    cr_expect(strstr(err, "No such file"), "and the reason: %s", err);
    struct stat st;
    cr_expect_neq(stat(path, &st), 0);
    free(err);
    free(path);
    report_destroy(&r);
    s_cleanup(dir);
    free(dir);
}

/* A row with Server-Timing "app" (30 ms each) and X-Query-Count 3, behind 40 ms responses. */
static void s_add_metrics(report_t *r) {
    histogram_t *h[4] = {histogram_new(), histogram_new(), histogram_new(), histogram_new()};
    histogram_record_n(h[0], 30000, 10); /* x1000: 30 ms */
    histogram_record_n(h[1], 3000, 10);  /* x1000: 3 queries */
    histogram_record_n(h[2], 2500, 10);
    histogram_record_n(h[3], 100, 10); /* 0.1 of 40 ms */
    results_metric_delta_t m[4] = {{"app", h[0]}, {"queries", h[1]}, {"db <i>", h[2]}, {"cache", h[3]}};
    histogram_t *latency = histogram_new();
    histogram_record_n(latency, 40000, 10);
    results_row_delta_t st = {.method = "GET",
                              .name = "/delay",
                              .requests = 10,
                              .latency = latency,
                              .n_metrics = 4,
                              .metrics = m};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &st});
    histogram_destroy(&latency);
    for (int i = 0; i < 4; i++) histogram_destroy(&h[i]);
}

/* The text of the metrics row for metric `name`, from "<td>name</td>" to "</tr>". */
static char *s_metric_row(const char *html, const char *name) {
    char *cell = xasprintf("<td>%s</td>", name);
    const char *p = strstr(strstr(html, "<table class=\"metrics\">"), cell);
    free(cell);
    cr_assert_not_null(p, "no metrics row for %s", name);
    return xstrndup(p, (size_t)(strstr(p, "</tr>") - p));
}

Test(report_html, metrics_section_shows_server_timing_and_query_count) {
    report_t *r = s_full_report();
    s_add_metrics(r);
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *html = strbuf_str(&b);
    const char *section = strstr(html, "<h2>Server-side metrics</h2>");
    cr_assert_not_null(section);
    cr_expect(section > strstr(html, "<h2>Requests") && section < strstr(html, "<h2>Failures"),
              "between the request table and the failures");
    cr_expect(strstr(section, "<code>Server-Timing</code>") &&
                  strstr(section, "<code>X-Query-Count</code>"),
              "the note says where the numbers come from");
    cr_expect_eq(s_count(html, "<table class=\"metrics\">"), 1);
    /* Method, name, metric, source, unit, count, avg, p50, p95, p99, max, share. */
    char *app = s_metric_row(html, "app");
    cr_expect(strstr(app, "<td>Server-Timing</td><td>ms</td><td class=\"num\">10</td>"
                          "<td class=\"num\">30.0</td><td class=\"num\">30.0</td>"
                          "<td class=\"num\">30.0</td><td class=\"num\">30.0</td>"
                          "<td class=\"num\">30.0</td><td class=\"num\">75%</td>"),
              "app in ms, 30 of 40 ms: %s", app);
    char *queries = s_metric_row(html, "queries");
    cr_expect(strstr(queries, "<td>X-Query-Count</td><td>queries</td><td class=\"num\">10</td>"
                              "<td class=\"num\">3.0</td><td class=\"num\">3</td>"
                              "<td class=\"num\">3</td><td class=\"num\">3</td>"
                              "<td class=\"num\">3</td><td class=\"num\">&#8212;</td>"),
              "queries as a count, no share: %s", queries);
    char *db = s_metric_row(html, "db &lt;i&gt;");
    cr_expect(strstr(db, "<td class=\"num\">2.50</td>"), "a metric name from a header is escaped");
    cr_expect(strstr(db, "<td class=\"num\">6%</td>"), "2.5 of 40 ms: %s", db);
    cr_expect_null(strstr(html, "db <i>"));
    char *cache = s_metric_row(html, "cache");
    cr_expect(strstr(cache, "<td class=\"num\">&lt;1%</td>"), "a sliver is <1%%, not 0%%");
    free(cache);
    free(app);
    free(queries);
    free(db);
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, metrics_section_omitted_without_metrics) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    cr_expect_null(strstr(strbuf_str(&b), "Server-side metrics"));
    cr_expect_null(strstr(strbuf_str(&b), "class=\"metrics\""));
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, timeline_points_sit_inside_their_second) {
    report_t *r = report_new();
    for (uint32_t s = 0; s < 4; s++) {
        timeline_point_t p = {.second = s, .users = 8, .requests = 100, .pct_us = {30000}};
        timeline_append(r->timeline, &p);
    }
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *html = strbuf_str(&b);
    /* The plot spans x 72..876 for 0..4 s: counts at 0.5 s (172.5), users at 1 s (273). */
    cr_expect(strstr(html, "d=\"M172.5 "), "requests/s start mid-second");
    cr_expect(strstr(html, "d=\"M273.0 "), "users start when the second closes");
    cr_expect(strstr(html, ">4s</text>") && !strstr(html, ">4.5s</text>"), "the axis ends at 4 s");
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, scenario_path_breaks_at_slashes) {
    report_t *r = s_full_report();
    free(r->scenario_file);
    r->scenario_file = xstrdup("scenarios/examples/<b>.yaml");
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    cr_expect(strstr(strbuf_str(&b), "scenarios/<wbr>examples/<wbr>&lt;b&gt;.yaml"));
    strbuf_fini(&b);
    report_destroy(&r);
}


Test(report_html, render_appends_the_bytes_write_writes) {
    report_t *r = s_full_report();
    char *dir = s_tmpdir();
    char *file = s_write(r, dir);
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    cr_assert_str_eq(strbuf_str(&b), file, "the download (/stats/report) equals --html");
    strbuf_fini(&b);
    free(file);
    s_cleanup(dir);
    free(dir);
    report_destroy(&r);
}

Test(report_html, http_versions_table_only_when_a_name_asked_for_http2) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    cr_expect_null(strstr(strbuf_str(&b), "HTTP versions"), "plain HTTP/1.1: no table");
    strbuf_fini(&b);
    results_row_delta_t rows[2] = {
        {.method = "GET",
         .name = "/h2<x>",
         .requests = 10,
         .http_asked = RESULTS_ASKED_2,
         .http_versions = {0, 0, 10, 0}},
        {.method = "GET",
         .name = "/fallback",
         .requests = 8,
         .http_asked = RESULTS_ASKED_2,
         .http_versions = {0, 8, 0, 0}},
    };
    results_add(r->results, &(results_delta_t){.n_rows = 2, .rows = rows});
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *html = strbuf_str(&b);
    const char *table = strstr(html, "<h2>HTTP versions</h2>");
    cr_assert_not_null(table);
    cr_expect(strstr(table, ">/h2&lt;x&gt;</td><td>2</td><td>HTTP/2 10</td><td class=\"ok\"></td>"),
              "%s", table);
    cr_expect(strstr(table, "<td class=\"bad\">asked HTTP/2, got HTTP/1.1 for 8 of 8 "
                            "responses</td>"));
    cr_expect_null(strstr(table, "/orgs/{id}/tasks"), "names without versions are left out");
    strbuf_fini(&b);
    report_destroy(&r);
}

Test(report_html, where_the_time_went_has_a_chart_and_a_table_when_there_are_phases) {
    report_t *r = s_full_report();
    strbuf_t b;
    strbuf_init(&b);
    report_html_render(r, &b);
    cr_expect_null(strstr(strbuf_str(&b), "Where the time went"), "no phases: no section");
    strbuf_fini(&b);
    histogram_t *ph[RESULTS_PHASE_N];
    const uint64_t us[RESULTS_PHASE_N] = {100, 1000, 8000, 40000, 900};
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        ph[p] = histogram_new();
        histogram_record(ph[p], us[p]);
    }
    results_row_delta_t row = {.method = "GET",
                               .name = "/tls<x>",
                               .requests = 1,
                               .phases = {ph[0], ph[1], ph[2], ph[3], ph[4]},
                               .connects = 1,
                               .wire_bytes = 345,
                               .bytes = 1000};
    results_add(r->results, &(results_delta_t){.n_rows = 1, .rows = &row});
    strbuf_init(&b);
    report_html_render(r, &b);
    const char *sec = strstr(strbuf_str(&b), "<h2>Where the time went</h2>");
    cr_assert_not_null(sec);
    cr_expect(strstr(sec, "<title>GET /tls&lt;x&gt;: Wait 40ms (80.0%)</title>"), "%s", sec);
    cr_expect(strstr(sec, ">/tls&lt;x&gt;</td><td class=\"num\">0.100 / 0.100 (0%)</td>"));
    cr_expect(strstr(sec, "<td class=\"num\">40.000 / 40.000 (80%)</td>"));
    cr_expect(strstr(sec, "<td class=\"num\">50.000</td><td class=\"num\">1</td>"
                          "<td class=\"num\">345</td><td class=\"num\">1000</td></tr>"));
    cr_expect(strstr(sec, ">Aggregated</td>"));
    cr_expect_null(strstr(strstr(sec, "<table class=\"phases\">"), "/orgs/{id}/tasks"),
                   "names without phases are left out of the table");
    strbuf_fini(&b);
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        histogram_destroy(&ph[p]);
    report_destroy(&r);
}
