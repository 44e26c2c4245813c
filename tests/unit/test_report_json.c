/* test_report_json: the JSON result file (report/report_json.h) — a realistic
 * report written and read back equal field by field (histograms bucket for
 * bucket, server metrics included), a rewrite byte-identical to the first
 * file, every class of bad input refused with the file and the JSON path, and
 * the atomic write. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/xmalloc.h"
#include "report/phases.h"
#include "report/report_json.h"

/* ---------------------------------------------------------------- fixture */

static char s_dir[64];

static void s_setup(void) {
    snprintf(s_dir, sizeof s_dir, "/tmp/barrage-rjson-XXXXXX");
    cr_assert_not_null(mkdtemp(s_dir));
}

/* Removes the test directory, one level of subdirectories included. */
static void s_rmtree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        if (unlink(p) != 0) s_rmtree(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static void s_teardown(void) {
    s_rmtree(s_dir);
}

TestSuite(report_json, .init = s_setup, .fini = s_teardown);

/* A path in the test directory; caller frees. */
static char *s_path(const char *name) {
    return xasprintf("%s/%s", s_dir, name);
}

static char *s_slurp(const char *path, size_t *len_out) {
    size_t len = 0;
    char *s = file_read(path, (size_t)1 << 30, &len);
    cr_assert_not_null(s, "cannot read %s: %s", path, strerror(errno));
    if (len_out) *len_out = len;
    return s;
}

static void s_spit(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create %s", path);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fclose(f), 0);
}

/* Entries of the test directory whose name contains part. */
static size_t s_count_entries(const char *part) {
    DIR *d = opendir(s_dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, part) != NULL;
    closedir(d);
    return n;
}

/* ---------------------------------------------------------------- a realistic report */

/* Deterministic pseudo-random numbers (a 64-bit LCG), enough for spreads. */
static uint64_t s_next(uint64_t *state) {
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

/* A worker's report as the test builds it (owning everything), and its
 * delivery as report rows, the way master/ingest.c lends a wire report. */
typedef struct {
    char *name;
    histogram_t *values;
} t_metric_t;

typedef struct {
    char *method, *name;
    uint64_t requests, failures, bytes;
    uint64_t http_versions[RESULTS_HTTP_N];
    results_asked_t http_asked;
    histogram_t *latency;
    histogram_t *phases[RESULTS_PHASE_N]; /* NULL until s_phases */
    uint64_t connects, wire_bytes;
    size_t n_metrics;
    t_metric_t *metrics;
} t_stat_t;

typedef struct {
    char *method, *name, *reason;
    uint64_t count;
} t_error_t;

typedef struct {
    size_t n_stats;
    t_stat_t *stats;
    size_t n_errors;
    t_error_t *errors;
} t_stats_t;

static void s_deliver(report_t *r, uint32_t second, const t_stats_t *st, bool timeline) {
    results_row_delta_t rows[8];
    results_metric_delta_t metrics[8][4];
    results_error_delta_t errors[8];
    cr_assert(st->n_stats <= 8 && st->n_errors <= 8);
    for (size_t i = 0; i < st->n_stats; i++) {
        const t_stat_t *s = &st->stats[i];
        cr_assert(s->n_metrics <= 4);
        for (size_t k = 0; k < s->n_metrics; k++) {
            metrics[i][k] = (results_metric_delta_t){s->metrics[k].name, s->metrics[k].values};
        }
        rows[i] = (results_row_delta_t){.method = s->method,
                                        .name = s->name,
                                        .requests = s->requests,
                                        .failures = s->failures,
                                        .bytes = s->bytes,
                                        .http_asked = s->http_asked,
                                        .latency = s->latency,
                                        .connects = s->connects,
                                        .wire_bytes = s->wire_bytes,
                                        .n_metrics = s->n_metrics,
                                        .metrics = metrics[i]};
        for (int p = 0; p < RESULTS_PHASE_N; p++)
            rows[i].phases[p] = s->phases[p];
        memcpy(rows[i].http_versions, s->http_versions, sizeof s->http_versions);
    }
    for (size_t i = 0; i < st->n_errors; i++) {
        const t_error_t *e = &st->errors[i];
        errors[i] = (results_error_delta_t){e->method, e->name, e->reason, e->count};
    }
    results_delta_t d = {st->n_stats, rows, st->n_errors, errors, 0};
    results_add(r->results, &d);
    if (timeline) timeline_add(r->timeline, second, &d);
}

static t_stat_t s_stat(const char *method, const char *name) {
    return (t_stat_t){
        .method = xstrdup(method), .name = xstrdup(name), .latency = histogram_new()};
}

/* Adds a metric to a row; values are recorded x1000 like the worker does
 * (Server-Timing dur in ms -> us; X-Query-Count -> milli-queries). */
static histogram_t *s_metric(t_stat_t *row, const char *name) {
    row->metrics = xrealloc(row->metrics, (row->n_metrics + 1) * sizeof *row->metrics);
    histogram_t *h = histogram_new();
    row->metrics[row->n_metrics++] = (t_metric_t){.name = xstrdup(name), .values = h};
    return h;
}

static void s_requests(t_stat_t *row, uint64_t n, uint64_t base_us, uint64_t spread_us,
                       unsigned fail_every, uint64_t body_bytes, uint64_t *rng) {
    for (uint64_t i = 0; i < n; i++) {
        uint64_t us = base_us + s_next(rng) % spread_us;
        if (s_next(rng) % 97 == 0) us *= 20; /* a slow tail */
        histogram_record(row->latency, us);
        row->requests++;
        row->bytes += body_bytes;
        if (fail_every && s_next(rng) % fail_every == 0) row->failures++;
    }
}

/* Phases for each of the row's requests (one new connection, over TLS when
 * tls), and the bytes as received: headers plus a compressed body. */
static void s_phases(t_stat_t *row, bool tls) {
    uint64_t own = 7 + row->requests, *rng = &own; /* the fixture's own stream stays as it was */
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        row->phases[p] = histogram_new();
    for (uint64_t i = 0; i < row->requests; i++) {
        bool first = i == 0;
        histogram_record(row->phases[RESULTS_PHASE_DNS], 3 + s_next(rng) % 40);
        histogram_record(row->phases[RESULTS_PHASE_CONNECT], first ? 250 : 0);
        histogram_record(row->phases[RESULTS_PHASE_TLS], first && tls ? 4000 : 0);
        histogram_record(row->phases[RESULTS_PHASE_WAIT], 1000 + s_next(rng) % 9000);
        histogram_record(row->phases[RESULTS_PHASE_RECEIVE], 20 + s_next(rng) % 300);
    }
    row->connects = row->requests ? 1 : 0;
    row->wire_bytes = row->requests * 240 + row->bytes / 3;
}

static void s_stats_fini(t_stats_t *st) {
    for (size_t i = 0; i < st->n_stats; i++) {
        t_stat_t *s = &st->stats[i];
        for (int p = 0; p < RESULTS_PHASE_N; p++)
            histogram_destroy(&s->phases[p]);
        for (size_t k = 0; k < s->n_metrics; k++) {
            free(s->metrics[k].name);
            histogram_destroy(&s->metrics[k].values);
        }
        free(s->metrics);
        free(s->method);
        free(s->name);
        histogram_destroy(&s->latency);
    }
    for (size_t i = 0; i < st->n_errors; i++) {
        free(st->errors[i].method);
        free(st->errors[i].name);
        free(st->errors[i].reason);
    }
    free(st->stats);
    free(st->errors);
}

/* One worker's report for one interval, merged into the results and the
 * timeline the way the conductor does. Interval 0 has no server metrics on
 * GET /events but "queries" on POST /checkout, so the aggregate's metric
 * order (queries first) differs from the order of the rows' metrics. */
static void s_interval(report_t *r, uint32_t second, uint32_t worker, uint64_t *rng) {
    t_stats_t st = {0};
    st.stats = xcalloc(5, sizeof *st.stats);
    t_stat_t *ev = &st.stats[st.n_stats++];
    *ev = s_stat("GET", "/events?user={id}");
    s_requests(ev, 40, 1500, 9000, 0, 2048, rng);
    /* Asked for HTTP/2; one worker's server fell back to HTTP/1.1 now and then. */
    ev->http_asked = RESULTS_ASKED_2;
    ev->http_versions[RESULTS_HTTP_1_1] = worker == 1 ? 5 : 0;
    ev->http_versions[RESULTS_HTTP_2] = ev->requests - ev->http_versions[RESULTS_HTTP_1_1] - 1;
    s_phases(ev, true);
    if (second > 0) {
        histogram_t *db = s_metric(ev, "db"), *total = s_metric(ev, "total");
        for (int i = 0; i < 40; i++) {
            histogram_record(db, 200 + s_next(rng) % 3000);     /* db;dur=0.2..3.2 */
            histogram_record(total, 1000 + s_next(rng) % 8000); /* total;dur=1..9 */
        }
    }
    t_stat_t *co = &st.stats[st.n_stats++];
    *co = s_stat("POST", "/checkout");
    s_requests(co, 12, 180000, 140000, 4, 97, rng);
    s_phases(co, false);
    histogram_t *q = s_metric(co, "queries");
    for (int i = 0; i < 12; i++)
        histogram_record(q, 1000 * (3 + s_next(rng) % 4)); /* 3..6 */
    if (second > 0) histogram_record(s_metric(co, "db"), 45678);
    t_stat_t *odd = &st.stats[st.n_stats++];
    *odd = s_stat("GET", "/search?q=\"a,b\"\n\t caf\xc3\xa9 \xe2\x82\xac");
    s_requests(odd, 3, 300, 400, 0, 0, rng);
    if (worker == 2) { /* a row seen but without a single completed request */
        t_stat_t *none = &st.stats[st.n_stats++];
        *none = s_stat("DELETE", "/tasks/{id}");
    }
    st.errors = xcalloc(3, sizeof *st.errors);
    if (co->failures) {
        st.errors[st.n_errors++] = (t_error_t){xstrdup("POST"), xstrdup("/checkout"),
                                                   xstrdup("HTTP 503"), co->failures};
    }
    if (second == 2) {
        st.errors[st.n_errors++] =
            (t_error_t){xstrdup("POST"), xstrdup("/checkout"),
                            xstrdup("expect: status 500 not in [200, 201], body \"oops\""), 0};
        st.errors[st.n_errors++] = (t_error_t){xstrdup("GET"), xstrdup("/events?user={id}"),
                                                   xstrdup("connect: Connection refused"), 2};
    }
    s_deliver(r, second, &st, true);
    s_stats_fini(&st);
}

static report_t *s_build(void) {
    report_t *r = report_new();
    r->barrage_version = xstrdup("0.1.0");
    r->scenario_name = xstrdup("fest \"checkout\" lab");
    r->scenario_file = xstrdup("scenarios/examples/fest.yaml");
    r->scenario_sha256 =
        xstrdup("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    r->host = xstrdup("http://127.0.0.1:8000");
    r->mode = xstrdup("closed");
    r->users = 30;
    r->spawn_rate = 2.5;
    r->stages = xstrdup("2s:30,2s:30"); /* a ramp of users, then hold */
    r->duration_ms = 4000;
    r->run_seconds = 4.0123456789; /* no short decimal: exercises the shortest round trip */
    r->started_ms = 1714564800123ull;
    r->ended_ms = 1714564804135ull;
    r->interrupted = true;
    r->aborted_by = xstrdup("/login: failure_rate < 1% over 30s");
    r->aborted_at_s = 5.25;
    report_saturation_t sat = {.worker = "loadgen-1-4242-0", .from_s = 2.5, .to_s = 9.75,
                               .cpu_max_permille = 998, .lag_max_us = 41000};
    report_add_saturation(r, &sat);

    report_worker_t w[3] = {
        {.id = "loadgen-1-4242-0",
         .hostname = "loadgen-1",
         .pid = 4242,
         .users = 10,
         .reports = 5,
         .state = "finished",
         .cpu_permille = 412,
         .cpu_max_permille = 998,
         .rss_kib = 20480,
         .rss_max_kib = 22016,
         .connections = 10,
         .lag_max_us = 41000},
        {.id = "loadgen-2-777-0",
         .hostname = "loadgen-2",
         .pid = 777,
         .users = 10,
         .reports = 5,
         .state = "finished"},
        {.id = "loadgen-2-778-1",
         .hostname = "loadgen-2",
         .pid = 778,
         .users = 10,
         .reports = 3,
         .state = "lost",
         .lost_at_ms = 1714564803001ull},
    };
    for (int i = 0; i < 3; i++)
        report_add_worker(r, &w[i]);

    uint64_t rng = 42;
    for (uint32_t second = 0; second < 4; second++) {
        for (uint32_t worker = 0; worker < 3; worker++) {
            if (worker == 2 && second == 3) continue; /* lost */
            s_interval(r, second, worker, &rng);
        }
        timeline_close_until(r->timeline, second + 1, second == 3 ? 20 : 30, r->started_ms);
    }
    timeline_close_until(r->timeline, 5, 20, r->started_ms); /* a quiet second */

    report_threshold_t t[4] = {
        {.text = "p95 < 300ms", .passed = true, .value = 212.5, .measured = "212.5ms"},
        {.text = "p99 < 1s",
         .name = "/checkout",
         .passed = false,
         .value = 1234.567,
         .measured = "1.23s"},
        {.text = "failure_rate < 1%", .passed = false, .value = 0.1 + 0.2, .measured = "30%"},
        {.text = "rps > 10",
         .name = "/tasks/{id}",
         .passed = false,
         .value = NAN,
         .measured = NULL},
    };
    for (int i = 0; i < 4; i++)
        report_add_threshold(r, &t[i]);
    return r;
}

/* ---------------------------------------------------------------- equality */

static void s_same_str(const char *got, const char *want, const char *what) {
    if (!want) {
        cr_assert_null(got, "%s: got \"%s\", want null", what, got);
    } else {
        cr_assert_not_null(got, "%s: got null, want \"%s\"", what, want);
        cr_assert_str_eq(got, want, "%s", what);
    }
}

static void s_same_double(double got, double want, const char *what) {
    if (isnan(want)) {
        cr_assert(isnan(got), "%s: got %.17g, want NaN", what, got);
    } else {
        cr_assert(got == want, "%s: got %.17g, want %.17g", what, got, want);
    }
}

/* Count, min, max, exact sum and every bucket. */
static void s_same_histogram(const histogram_t *got, const histogram_t *want, const char *what) {
    cr_assert_eq(histogram_count(got), histogram_count(want), "%s count", what);
    cr_assert_eq(histogram_min(got), histogram_min(want), "%s min", what);
    cr_assert_eq(histogram_max(got), histogram_max(want), "%s max", what);
    cr_assert_eq(histogram_sum(got), histogram_sum(want), "%s sum", what);
    int32_t ig = -1, iw = -1;
    uint64_t cg = 0, cw = 0;
    size_t n = 0;
    for (;;) {
        bool more_g = histogram_next_bucket(got, &ig, &cg);
        bool more_w = histogram_next_bucket(want, &iw, &cw);
        cr_assert_eq(more_g, more_w, "%s: bucket lists differ in length after %zu", what, n);
        if (!more_g) break;
        cr_assert_eq(ig, iw, "%s: bucket #%zu index %d, want %d", what, n, ig, iw);
        cr_assert_eq(cg, cw, "%s: bucket %d count %llu, want %llu", what, ig,
                     (unsigned long long)cg, (unsigned long long)cw);
        n++;
    }
}

static const results_metric_t *s_find_metric(const results_row_t *row, const char *name) {
    for (size_t i = 0; i < row->n_metrics; i++) {
        if (!strcmp(row->metrics[i].name, name)) return &row->metrics[i];
    }
    return NULL;
}

/* Rows keep their metric order; the aggregate's metrics are compared by name
 * (their order is whatever order the rows were merged in). */
static void s_same_row(const results_row_t *got, const results_row_t *want, bool ordered,
                       const char *what) {
    s_same_str(got->method, want->method, what);
    s_same_str(got->name, want->name, what);
    cr_assert_eq(got->requests, want->requests, "%s requests", what);
    cr_assert_eq(got->failures, want->failures, "%s failures", what);
    cr_assert_eq(got->bytes, want->bytes, "%s bytes", what);
    cr_assert_arr_eq(got->http_versions, want->http_versions, sizeof want->http_versions,
                     "%s http_versions", what);
    cr_assert_eq(got->http_asked, want->http_asked, "%s http", what);
    s_same_histogram(got->latency, want->latency, what);
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        char *pwhat = xasprintf("%s phase %d", what, p);
        s_same_histogram(got->phases[p], want->phases[p], pwhat);
        free(pwhat);
    }
    cr_assert_eq(got->connects, want->connects, "%s connections_opened", what);
    cr_assert_eq(got->wire_bytes, want->wire_bytes, "%s wire_bytes", what);
    cr_assert_eq(got->n_metrics, want->n_metrics, "%s: number of metrics", what);
    for (size_t k = 0; k < want->n_metrics; k++) {
        const results_metric_t *w = &want->metrics[k];
        const results_metric_t *g = ordered ? &got->metrics[k] : s_find_metric(got, w->name);
        cr_assert_not_null(g, "%s: metric %s missing", what, w->name);
        char *mwhat = xasprintf("%s metric %s", what, w->name);
        s_same_str(g->name, w->name, mwhat);
        s_same_histogram(g->values, w->values, mwhat);
        free(mwhat);
    }
}

static void s_same_point(const timeline_point_t *g, const timeline_point_t *w, size_t i) {
    cr_assert_eq(g->second, w->second, "timeline[%zu].second", i);
    cr_assert_eq(g->wall_ms, w->wall_ms, "timeline[%zu].wall_ms", i);
    cr_assert_eq(g->users, w->users, "timeline[%zu].users", i);
    cr_assert_eq(g->requests, w->requests, "timeline[%zu].requests", i);
    cr_assert_eq(g->failures, w->failures, "timeline[%zu].failures", i);
    cr_assert_eq(g->bytes, w->bytes, "timeline[%zu].bytes", i);
    for (int k = 0; k < PERCENTILES_N; k++) {
        cr_assert_eq(g->pct_us[k], w->pct_us[k], "timeline[%zu].pct_us[%d]", i, k);
    }
    cr_assert_eq(g->total_requests, w->total_requests, "timeline[%zu].total_requests", i);
    cr_assert_eq(g->total_failures, w->total_failures, "timeline[%zu].total_failures", i);
    cr_assert_eq(g->total_bytes, w->total_bytes, "timeline[%zu].total_bytes", i);
    cr_assert_eq(g->total_median_us, w->total_median_us, "timeline[%zu].total_median_us", i);
    cr_assert_eq(g->total_min_us, w->total_min_us, "timeline[%zu].total_min_us", i);
    cr_assert_eq(g->total_max_us, w->total_max_us, "timeline[%zu].total_max_us", i);
    s_same_double(g->total_avg_us, w->total_avg_us, "timeline total_avg_us");
}

static void s_same_meta(const report_t *g, const report_t *w) {
    s_same_str(g->barrage_version, w->barrage_version, "barrage_version");
    s_same_str(g->scenario_name, w->scenario_name, "scenario.name");
    s_same_str(g->scenario_file, w->scenario_file, "scenario.file");
    s_same_str(g->scenario_sha256, w->scenario_sha256, "scenario.sha256");
    s_same_str(g->host, w->host, "host");
    s_same_str(g->mode, w->mode, "mode");
    cr_assert_eq(g->users, w->users, "users");
    s_same_double(g->spawn_rate, w->spawn_rate, "spawn_rate");
    s_same_double(g->rate, w->rate, "rate");
    cr_assert_eq(g->max_users, w->max_users, "max_users");
    s_same_str(g->stages, w->stages, "stages");
    cr_assert_eq(results_dropped(g->results), results_dropped(w->results), "dropped");
    cr_assert_eq(g->duration_ms, w->duration_ms, "duration_ms");
    s_same_double(g->run_seconds, w->run_seconds, "run_seconds");
    cr_assert_eq(g->started_ms, w->started_ms, "started_ms");
    cr_assert_eq(g->ended_ms, w->ended_ms, "ended_ms");
    cr_assert_eq(g->interrupted, w->interrupted, "interrupted");
    s_same_str(g->aborted_by, w->aborted_by, "aborted_by");
    s_same_double(g->aborted_at_s, w->aborted_at_s, "aborted_at_s");
    cr_assert_eq(g->n_saturations, w->n_saturations, "saturation episodes");
    for (size_t i = 0; i < g->n_saturations; i++) {
        s_same_str(g->saturations[i].worker, w->saturations[i].worker, "saturation worker");
        s_same_double(g->saturations[i].from_s, w->saturations[i].from_s, "from_s");
        s_same_double(g->saturations[i].to_s, w->saturations[i].to_s, "to_s");
        cr_assert_eq(g->saturations[i].cpu_max_permille, w->saturations[i].cpu_max_permille);
        cr_assert_eq(g->saturations[i].lag_max_us, w->saturations[i].lag_max_us);
    }
}

static void s_same_report(const report_t *g, const report_t *w) {
    s_same_meta(g, w);
    cr_assert_eq(g->n_workers, w->n_workers, "number of workers");
    for (size_t i = 0; i < w->n_workers; i++) {
        const report_worker_t *a = &g->workers[i], *b = &w->workers[i];
        s_same_str(a->id, b->id, "worker id");
        s_same_str(a->hostname, b->hostname, "worker host");
        cr_assert_eq(a->pid, b->pid, "workers[%zu].pid", i);
        cr_assert_eq(a->users, b->users, "workers[%zu].users", i);
        cr_assert_eq(a->reports, b->reports, "workers[%zu].reports", i);
        s_same_str(a->state, b->state, "worker state");
        cr_assert_eq(a->lost_at_ms, b->lost_at_ms, "workers[%zu].lost_at_ms", i);
        cr_assert_eq(a->cpu_permille, b->cpu_permille, "workers[%zu].cpu_permille", i);
        cr_assert_eq(a->cpu_max_permille, b->cpu_max_permille, "workers[%zu]", i);
        cr_assert_eq(a->rss_kib, b->rss_kib, "workers[%zu].rss_kib", i);
        cr_assert_eq(a->rss_max_kib, b->rss_max_kib, "workers[%zu].rss_max_kib", i);
        cr_assert_eq(a->connections, b->connections, "workers[%zu].connections", i);
        cr_assert_eq(a->lag_max_us, b->lag_max_us, "workers[%zu].lag_max_us", i);
    }
    cr_assert_eq(results_count(g->results), results_count(w->results), "number of rows");
    for (size_t i = 0; i < results_count(w->results); i++) {
        char *what = xasprintf("stats[%zu]", i);
        s_same_row(results_row(g->results, i), results_row(w->results, i), true, what);
        free(what);
    }
    s_same_row(results_total(g->results), results_total(w->results), false, "aggregated");
    cr_assert_eq(results_error_count(g->results), results_error_count(w->results), "errors");
    for (size_t i = 0; i < results_error_count(w->results); i++) {
        const results_error_t *a = results_error(g->results, i), *b = results_error(w->results, i);
        s_same_str(a->method, b->method, "error method");
        s_same_str(a->name, b->name, "error name");
        s_same_str(a->reason, b->reason, "error reason");
        cr_assert_eq(a->count, b->count, "errors[%zu].count", i);
    }
    cr_assert_eq(timeline_count(g->timeline), timeline_count(w->timeline), "timeline points");
    for (size_t i = 0; i < timeline_count(w->timeline); i++) {
        s_same_point(timeline_point(g->timeline, i), timeline_point(w->timeline, i), i);
    }
    cr_assert_eq(g->n_thresholds, w->n_thresholds, "number of thresholds");
    for (size_t i = 0; i < w->n_thresholds; i++) {
        const report_threshold_t *a = &g->thresholds[i], *b = &w->thresholds[i];
        s_same_str(a->text, b->text, "threshold text");
        s_same_str(a->name, b->name, "threshold name");
        cr_assert_eq(a->passed, b->passed, "thresholds[%zu].passed", i);
        s_same_double(a->value, b->value, "threshold value");
        s_same_str(a->measured, b->measured, "threshold measured");
    }
}

/* Writes r to name in the test directory; returns the path (caller frees). */
static char *s_write(const report_t *r, const char *name) {
    char *path = s_path(name), *err = NULL;
    int rc = report_json_write(r, path, &err);
    cr_assert_eq(rc, 0, "report_json_write: %s", err ? err : "?");
    cr_assert_null(err);
    return path;
}

static report_t *s_read_ok(const char *path) {
    char *err = NULL;
    report_t *r = report_json_read(path, &err);
    cr_assert_not_null(r, "report_json_read: %s", err ? err : "?");
    cr_assert_null(err);
    return r;
}

/* ---------------------------------------------------------------- round trip */

Test(report_json, the_fixture_is_realistic) {
    report_t *r = s_build();
    cr_assert_eq(results_count(r->results), 4);
    const results_row_t *ev = results_find(r->results, "GET", "/events?user={id}");
    const results_row_t *co = results_find(r->results, "POST", "/checkout");
    cr_assert_eq(ev->requests, 11 * 40);
    cr_assert_eq(ev->n_metrics, 2);
    cr_assert_eq(co->n_metrics, 2);
    cr_assert_gt(co->failures, 0);
    cr_assert_eq(results_find(r->results, "DELETE", "/tasks/{id}")->requests, 0);
    const results_row_t *t = results_total(r->results);
    cr_assert_eq(t->n_metrics, 3);
    cr_assert_str_eq(t->metrics[0].name, "queries"); /* not the rows' order: db, total, queries */
    cr_assert_eq(results_error_count(r->results), 3);
    cr_assert_eq(timeline_count(r->timeline), 5);
    cr_assert_eq(timeline_point(r->timeline, 4)->requests, 0);
    report_destroy(&r);
}

Test(report_json, read_back_equals_the_report_field_by_field) {
    report_t *r = s_build();
    char *path = s_write(r, "r.json");
    report_t *back = s_read_ok(path);
    s_same_report(back, r);
    report_destroy(&back);
    report_destroy(&r);
    free(path);
}

Test(report_json, rewriting_what_was_read_is_byte_identical) {
    report_t *r = s_build();
    char *p1 = s_write(r, "first.json");
    report_t *back = s_read_ok(p1);
    char *p2 = s_write(back, "second.json");
    size_t n1, n2;
    char *a = s_slurp(p1, &n1), *b = s_slurp(p2, &n2);
    cr_assert_gt(n1, 1000);
    cr_assert_eq(n1, n2, "sizes %zu and %zu", n1, n2);
    cr_assert(memcmp(a, b, n1) == 0, "the second file differs from the first");
    free(a);
    free(b);
    report_destroy(&back);
    report_destroy(&r);
    free(p1);
    free(p2);
}

Test(report_json, an_empty_report_round_trips) {
    report_t *r = report_new(); /* a run that never started: no strings, rows or points */
    char *p1 = s_write(r, "empty.json");
    report_t *back = s_read_ok(p1);
    s_same_report(back, r);
    char *p2 = s_write(back, "empty2.json");
    char *a = s_slurp(p1, NULL), *b = s_slurp(p2, NULL);
    cr_assert_str_eq(a, b);
    cr_assert(strstr(a, "\"started\": null"), "%s", a);
    cr_assert(strstr(a, "\"stats\": []"), "%s", a);
    free(a);
    free(b);
    report_destroy(&back);
    report_destroy(&r);
    free(p1);
    free(p2);
}

/* Adds n samples of latency_us to method/name, with optional metric values. */
static void s_add(report_t *r, const char *method, const char *name, uint64_t latency_us,
                  uint64_t n, const char *metric, uint64_t metric_x1000) {
    t_stats_t st = {.n_stats = 1, .stats = xcalloc(1, sizeof(t_stat_t))};
    st.stats[0] = s_stat(method, name);
    st.stats[0].requests = n;
    st.stats[0].bytes = 100 * n;
    histogram_record_n(st.stats[0].latency, latency_us, n);
    if (metric) histogram_record_n(s_metric(&st.stats[0], metric), metric_x1000, n);
    s_deliver(r, 0, &st, false);
    s_stats_fini(&st);
}

Test(report_json, times_are_milliseconds_with_microsecond_precision) {
    report_t *r = report_new();
    s_add(r, "GET", "/one", 12345, 1, "db", 1234);     /* 12.345 ms; db;dur=1.234 */
    s_add(r, "GET", "/two", 7000, 2, "queries", 3000); /* 7 ms; 3 queries */
    char *path = s_write(r, "ms.json");
    char *text = s_slurp(path, NULL);
    cr_assert(strstr(text, "\"avg_ms\": 12.345,"), "%s", text);
    cr_assert(strstr(text, "\"min_ms\": 12.345,"), "%s", text);
    cr_assert(strstr(text, "\"percentiles_ms\": {\"50\": 12.345, \"66\": 12.345"), "%s", text);
    cr_assert(strstr(text, "\"99.9\": 12.345, \"99.99\": 12.345, \"100\": 12.345}"), "%s", text);
    cr_assert(strstr(text, "\"max_ms\": 7,"), "%s", text);
    cr_assert(strstr(text, "\"name\": \"db\",\n          \"avg\": 1.234,"), "%s", text);
    cr_assert(strstr(text, "\"name\": \"queries\",\n          \"avg\": 3,"), "%s", text);
    cr_assert(strstr(text, "\"count\": 1,\n        \"min_us\": 12345,\n        \"max_us\": 12345,\n"
                           "        \"sum_us\": 12345,"),
              "%s", text);
    /* The aggregated row after the rows, the merge of both. */
    cr_assert(strstr(text, "\"aggregated\": {\n    \"method\": \"\",\n    \"name\": \"Aggregated\","
                           "\n    \"requests\": 3,"),
              "%s", text);
    free(text);
    free(path);
    report_destroy(&r);
}

Test(report_json, doubles_are_the_shortest_exact_decimal) {
    const double values[] = {10, 2.5, 0.1 + 0.2, 1200, 1e-7, 1e20, 123456789012.75, 0};
    const char *want[] = {"10",    "2.5",   "0.30000000000000004", "1200",
                          "1e-07", "1e+20", "123456789012.75",     "0"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        report_t *r = report_new();
        r->spawn_rate = values[i];
        char *path = s_write(r, "d.json");
        char *text = s_slurp(path, NULL), *line = xasprintf("\"spawn_rate\": %s,\n", want[i]);
        cr_assert(strstr(text, line), "want %s in:\n%.400s", line, text);
        report_t *back = s_read_ok(path);
        cr_assert(back->spawn_rate == values[i], "%.17g read back as %.17g", values[i],
                  back->spawn_rate);
        report_destroy(&back);
        free(line);
        free(text);
        free(path);
        report_destroy(&r);
    }
}

Test(report_json, invalid_utf8_becomes_replacement_characters_and_stays_stable) {
    report_t *r = report_new();
    s_add(r, "GET", "/bad\xff\xfe-\xc3", 1000, 1, NULL, 0);
    char *p1 = s_write(r, "u1.json");
    report_t *back = s_read_ok(p1);
    cr_assert_str_eq(results_row(back->results, 0)->name,
                     "/bad\xef\xbf\xbd\xef\xbf\xbd-\xef\xbf\xbd");
    char *p2 = s_write(back, "u2.json");
    char *a = s_slurp(p1, NULL), *b = s_slurp(p2, NULL);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    free(p1);
    free(p2);
    report_destroy(&back);
    report_destroy(&r);
}

Test(report_json, open_model_fields_round_trip) {
    report_t *r = report_new();
    r->mode = xstrdup("open");
    r->rate = 200.5;
    r->max_users = 1000;
    r->stages = xstrdup("30s:100,1m:500");
    s_add(r, "GET", "/", 1000, 10, NULL, 0);
    results_add(r->results, &(results_delta_t){.dropped = 17}); /* iterations not started */
    char *p1 = s_write(r, "open.json");
    char *text = s_slurp(p1, NULL);
    cr_assert(
        strstr(text, "\"rate\": 200.5,\n  \"max_users\": 1000,\n  \"stages\": \"30s:100,1m:500\","),
        "%s", text);
    cr_assert(strstr(text, "\n  \"dropped\": 17,\n"), "%s", text);
    report_t *back = s_read_ok(p1);
    s_same_report(back, r);
    char *p2 = s_write(back, "open2.json");
    char *again = s_slurp(p2, NULL);
    cr_assert_str_eq(again, text);
    free(again);
    free(text);
    free(p1);
    free(p2);
    report_destroy(&back);
    report_destroy(&r);
}

static void s_drop_open_model_keys(json_t *root) {
    json_object_del(root, "rate");
    json_object_del(root, "max_users");
    json_object_del(root, "stages");
    json_object_del(root, "dropped");
}

Test(report_json, files_from_before_the_open_model_keys_still_read) {
    report_t *r = s_build();
    char *path = s_write(r, "r.json");
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    s_drop_open_model_keys(root);
    cr_assert_eq(json_dump_file(root, path, JSON_INDENT(2)), 0);
    json_decref(root);
    report_t *back = s_read_ok(path);
    cr_assert_eq(back->rate, 0);
    cr_assert_eq(back->max_users, 0);
    cr_assert_null(back->stages);
    cr_assert_eq(results_dropped(back->results), 0);
    cr_assert_eq(results_count(back->results), results_count(r->results));
    report_destroy(&back);
    report_destroy(&r);
    free(path);
}

/* ---------------------------------------------------------------- bad input */

/* Reads path, which must fail with exactly "PATH: want" (want may be NULL to
 * skip the check); returns the message (caller frees). */
static char *s_read_fails(const char *path, const char *want) {
    char *err = NULL;
    report_t *r = report_json_read(path, &err);
    cr_assert_null(r, "%s was accepted", path);
    cr_assert_not_null(err);
    if (want) {
        char *full = xasprintf("%s: %s", path, want);
        cr_assert_str_eq(err, full);
        free(full);
    }
    return err;
}

typedef void (*edit_fn)(json_t *root);

/* Writes the realistic report, edits it as a JSON document, and expects the
 * reader to refuse it with "PATH: want". */
static void s_expect_refused(edit_fn edit, const char *want) {
    report_t *r = s_build();
    char *good = s_write(r, "good.json"), *bad = s_path("bad.json");
    json_error_t je;
    json_t *root = json_load_file(good, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    edit(root);
    cr_assert_eq(json_dump_file(root, bad, JSON_INDENT(2)), 0);
    json_decref(root);
    free(s_read_fails(bad, want));
    free(good);
    free(bad);
    report_destroy(&r);
}

static json_t *s_row_of(json_t *root, size_t i) {
    json_t *row = json_array_get(json_object_get(root, "stats"), i);
    cr_assert_not_null(row);
    return row;
}

static json_t *s_buckets(json_t *obj) {
    json_t *b = json_object_get(json_object_get(obj, "histogram"), "buckets");
    cr_assert(json_is_array(b) && json_array_size(b) > 2);
    return b;
}

Test(report_json, a_missing_file_names_the_file_and_the_reason) {
    char *path = s_path("nope.json");
    char *err = s_read_fails(path, NULL);
    char *want = xasprintf("unable to open %s: No such file or directory", path);
    cr_assert_str_eq(err, want);
    free(want);
    free(err);
    free(path);
}

Test(report_json, a_directory_is_not_a_result_file) {
    char *path = s_path("adir");
    cr_assert_eq(mkdir(path, 0755), 0);
    char *err = s_read_fails(path, NULL);
    char *want = xasprintf("unable to open %s: Is a directory", path);
    cr_assert_str_eq(err, want);
    free(want);
    free(err);
    free(path);
}

Test(report_json, truncated_json_names_file_line_and_column) {
    char *path = s_path("cut.json");
    s_spit(path, "{\n  \"format\": \"barrage-result\",\n  \"stats\": [1, 2");
    char *err = s_read_fails(path, NULL);
    char *want = xasprintf("%s:3:16: ']' expected near end of file", path);
    cr_assert_str_eq(err, want);
    free(want);
    free(err);
    /* Cut right after a newline: the end of the file is at column 1 of the next line. */
    s_spit(path, "{\n  \"format\": \"barrage-result\",\n");
    err = s_read_fails(path, NULL);
    want = xasprintf("%s:3:1: string or '}' expected near end of file", path);
    cr_assert_str_eq(err, want);
    free(want);
    free(err);
    free(path);
}

Test(report_json, a_real_result_cut_short_is_refused_with_a_position) {
    report_t *r = s_build();
    char *path = s_write(r, "r.json");
    size_t n;
    char *text = s_slurp(path, &n);
    text[n / 2] = '\0';
    s_spit(path, text);
    char *err = s_read_fails(path, NULL);
    size_t plen = strlen(path);
    int line = 0, col = 0;
    cr_assert(!strncmp(err, path, plen) && sscanf(err + plen, ":%d:%d: ", &line, &col) == 2, "%s",
              err);
    cr_assert_gt(line, 10);
    cr_assert_gt(col, 0);
    free(err);
    free(text);
    free(path);
    report_destroy(&r);
}

Test(report_json, not_a_result_file) {
    char *path = s_path("other.json");
    s_spit(path, "[1, 2, 3]\n");
    free(s_read_fails(path, "(top level): expected an object"));
    s_spit(path, "{\"format\": \"har\", \"format_version\": 1}\n");
    free(s_read_fails(path, "format: not a barrage result (\"har\")"));
    s_spit(path, "{\"format_version\": 1}\n");
    free(s_read_fails(path, "format: missing"));
    free(path);
}

static void s_edit_newer_version(json_t *root) {
    json_object_set_new(root, "format_version", json_integer(REPORT_JSON_FORMAT_VERSION + 1));
}

Test(report_json, a_newer_format_version_is_refused) {
    char *want = xasprintf("format_version: version %d is not supported (this barrage reads %d)",
                           REPORT_JSON_FORMAT_VERSION + 1, REPORT_JSON_FORMAT_VERSION);
    s_expect_refused(s_edit_newer_version, want);
    free(want);
}

static void s_edit_requests_string(json_t *root) {
    json_object_set_new(s_row_of(root, 0), "requests", json_string("440"));
}
static void s_edit_negative_pid(json_t *root) {
    json_object_set_new(json_array_get(json_object_get(root, "workers"), 2), "pid",
                        json_integer(-1));
}
static void s_edit_pid_too_big(json_t *root) {
    json_object_set_new(json_array_get(json_object_get(root, "workers"), 1), "pid",
                        json_integer(1ll << 32));
}
static void s_edit_pct_real(json_t *root) {
    json_t *p = json_array_get(json_object_get(root, "timeline"), 1);
    json_array_set_new(json_object_get(p, "pct_us"), 3, json_real(1.5));
}
static void s_edit_passed_string(json_t *root) {
    json_object_set_new(json_array_get(json_object_get(root, "thresholds"), 0), "passed",
                        json_string("yes"));
}
static void s_edit_stats_object(json_t *root) {
    json_object_set_new(root, "stats", json_object());
}
static void s_edit_name_number(json_t *root) {
    json_object_set_new(s_row_of(root, 1), "name", json_integer(5));
}
static void s_edit_run_seconds_string(json_t *root) {
    json_object_set_new(root, "run_seconds", json_string("4.0"));
}
static void s_edit_stages_number(json_t *root) {
    json_object_set_new(root, "stages", json_integer(3));
}
static void s_edit_dropped_negative(json_t *root) {
    json_object_set_new(root, "dropped", json_integer(-2));
}

Test(report_json, a_wrong_type_names_the_json_path) {
    s_expect_refused(s_edit_requests_string, "stats[0].requests: expected a non-negative integer");
    s_expect_refused(s_edit_negative_pid, "workers[2].pid: expected a non-negative integer");
    s_expect_refused(s_edit_pid_too_big,
                     "workers[1].pid: 4294967296 is out of range (at most 4294967295)");
    s_expect_refused(s_edit_pct_real, "timeline[1].pct_us[3]: expected a non-negative integer");
    s_expect_refused(s_edit_passed_string, "thresholds[0].passed: expected true or false");
    s_expect_refused(s_edit_stats_object, "stats: expected an array");
    s_expect_refused(s_edit_name_number, "stats[1].name: expected a string");
    s_expect_refused(s_edit_run_seconds_string, "run_seconds: expected a number");
    s_expect_refused(s_edit_stages_number, "stages: expected a string or null");
    s_expect_refused(s_edit_dropped_negative, "dropped: expected a non-negative integer");
}

static void s_edit_drop_failures(json_t *root) {
    json_object_del(s_row_of(root, 2), "failures");
}
static void s_edit_drop_histogram(json_t *root) {
    json_object_del(s_row_of(root, 0), "histogram");
}

Test(report_json, a_missing_key_names_the_json_path) {
    s_expect_refused(s_edit_drop_failures, "stats[2].failures: missing");
    s_expect_refused(s_edit_drop_histogram, "stats[0].histogram: missing");
}

static void s_edit_bucket_past_the_end(json_t *root) {
    json_t *b = json_array_get(s_buckets(s_row_of(root, 0)), 1);
    json_array_set_new(b, 0, json_integer(histogram_bucket_total()));
}
static void s_edit_bucket_negative(json_t *root) {
    json_array_set_new(json_array_get(s_buckets(s_row_of(root, 1)), 0), 0, json_integer(-3));
}
static void s_edit_bucket_zero(json_t *root) { /* index 0 holds 0 us, which is never recorded */
    json_array_set_new(json_array_get(s_buckets(s_row_of(root, 1)), 0), 0, json_integer(0));
}

Test(report_json, a_bucket_index_out_of_range_is_refused) {
    s_expect_refused(s_edit_bucket_past_the_end,
                     "stats[0].histogram.buckets[1]: bucket index out of range");
    s_expect_refused(s_edit_bucket_negative,
                     "stats[1].histogram.buckets[0]: bucket index out of range");
    s_expect_refused(s_edit_bucket_zero,
                     "stats[1].histogram.buckets[0]: bucket index out of range");
}

static void s_edit_bucket_order(json_t *root) {
    json_t *b = s_buckets(s_row_of(root, 0));
    json_array_set(b, 1, json_array_get(b, 0));
}
static void s_edit_bucket_shape(json_t *root) {
    json_array_set_new(s_buckets(s_row_of(root, 0)), 2, json_integer(7));
}
static void s_edit_bucket_count_zero(json_t *root) {
    json_array_set_new(json_array_get(s_buckets(s_row_of(root, 0)), 2), 1, json_integer(0));
}
static void s_edit_count(json_t *root) {
    json_t *h = json_object_get(s_row_of(root, 0), "histogram");
    json_object_set_new(h, "count",
                        json_integer(json_integer_value(json_object_get(h, "count")) + 1));
}
static void s_edit_min(json_t *root) {
    json_t *h = json_object_get(s_row_of(root, 0), "histogram");
    json_object_set_new(h, "min_us", json_integer(1));
}

Test(report_json, an_inconsistent_histogram_is_refused) {
    s_expect_refused(s_edit_bucket_order, "stats[0].histogram.buckets[1]: bucket indexes must "
                                          "increase (1515 after 1515)");
    s_expect_refused(s_edit_bucket_shape,
                     "stats[0].histogram.buckets[2]: expected [index, count] (two integers)");
    s_expect_refused(s_edit_bucket_count_zero,
                     "stats[0].histogram.buckets[2]: bucket count must be positive");
    s_expect_refused(s_edit_count, "stats[0].histogram.count: 441 but the buckets hold 440");
    s_expect_refused(s_edit_min, "stats[0].histogram: min_us, max_us and sum_us are "
                                 "inconsistent with the buckets");
}

static void s_edit_agg_requests(json_t *root) {
    json_t *a = json_object_get(root, "aggregated");
    json_object_set_new(a, "requests",
                        json_integer(json_integer_value(json_object_get(a, "requests")) - 1));
}
/* Moves one sample of the aggregate from a middle bucket to its neighbour:
 * count, min, max still agree, the distribution does not. */
static void s_edit_agg_bucket(json_t *root) {
    json_t *b = s_buckets(json_object_get(root, "aggregated"));
    size_t mid = json_array_size(b) / 2;
    json_t *pair = json_array_get(b, mid), *next = json_array_get(b, mid + 1);
    json_int_t idx = json_integer_value(json_array_get(pair, 0));
    cr_assert_gt(json_integer_value(json_array_get(next, 0)), idx + 1, "fixture: no gap");
    json_array_set_new(pair, 0, json_integer(idx + 1));
}
static void s_edit_drop_row(json_t *root) {
    json_array_remove(json_object_get(root, "stats"), 2);
}
static void s_edit_agg_metric(json_t *root) {
    json_t *m = json_array_get(json_object_get(json_object_get(root, "aggregated"), "metrics"), 0);
    json_t *h = json_object_get(m, "histogram");
    json_int_t max = json_integer_value(json_object_get(h, "max_us"));
    json_t *b = json_object_get(h, "buckets");
    json_t *last = json_array_get(b, json_array_size(b) - 1);
    json_array_set_new(last, 1, json_integer(json_integer_value(json_array_get(last, 1)) + 1));
    json_object_set_new(h, "count",
                        json_integer(json_integer_value(json_object_get(h, "count")) + 1));
    json_object_set_new(h, "sum_us",
                        json_integer(json_integer_value(json_object_get(h, "sum_us")) + max));
}
static void s_edit_agg_metric_name(json_t *root) {
    json_t *m = json_array_get(json_object_get(json_object_get(root, "aggregated"), "metrics"), 2);
    json_object_set_new(m, "name", json_string("cache"));
}
static void s_edit_agg_metric_missing(json_t *root) {
    json_array_remove(json_object_get(json_object_get(root, "aggregated"), "metrics"), 1);
}

Test(report_json, an_aggregated_row_that_is_not_the_merge_of_the_rows_is_refused) {
    s_expect_refused(s_edit_agg_requests,
                     "aggregated.requests: 604 but the stats rows add up to 605");
    s_expect_refused(s_edit_agg_bucket,
                     "aggregated.histogram: differs from the merge of the stats rows");
    s_expect_refused(s_edit_drop_row, "aggregated.requests: 605 but the stats rows add up to 572");
    s_expect_refused(s_edit_agg_metric,
                     "aggregated.metrics[0].histogram: differs from the merge of the stats rows");
    s_expect_refused(s_edit_agg_metric_name,
                     "aggregated.metrics[2].name: no stats row has a metric \"cache\"");
    s_expect_refused(s_edit_agg_metric_missing,
                     "aggregated.metrics: 2 metrics but the stats rows have 3");
}

static void s_edit_metrics_object(json_t *root) {
    json_object_set_new(s_row_of(root, 0), "metrics", json_object());
}
static void s_edit_metric_not_object(json_t *root) {
    json_array_set_new(json_object_get(s_row_of(root, 1), "metrics"), 0, json_string("db"));
}
static void s_edit_metric_no_name(json_t *root) {
    json_object_del(json_array_get(json_object_get(s_row_of(root, 0), "metrics"), 1), "name");
}
static void s_edit_metric_bucket(json_t *root) {
    json_t *m = json_array_get(json_object_get(s_row_of(root, 0), "metrics"), 0);
    json_array_set_new(json_array_get(s_buckets(m), 0), 0, json_integer(1 << 30));
}
static void s_edit_metric_no_histogram(json_t *root) {
    json_object_del(json_array_get(json_object_get(s_row_of(root, 1), "metrics"), 1), "histogram");
}
static void s_edit_metric_twice(json_t *root) {
    json_t *arr = json_object_get(s_row_of(root, 0), "metrics");
    json_array_append(arr, json_array_get(arr, 0));
}

Test(report_json, malformed_metrics_are_refused) {
    s_expect_refused(s_edit_metrics_object, "stats[0].metrics: expected an array");
    s_expect_refused(s_edit_metric_not_object, "stats[1].metrics[0]: expected an object");
    s_expect_refused(s_edit_metric_no_name, "stats[0].metrics[1].name: missing");
    s_expect_refused(s_edit_metric_bucket,
                     "stats[0].metrics[0].histogram.buckets[0]: bucket index out of range");
    s_expect_refused(s_edit_metric_no_histogram, "stats[1].metrics[1].histogram: missing");
    s_expect_refused(s_edit_metric_twice, "stats[0].metrics[2]: a second metric \"db\"");
}

static void s_edit_duplicate_row(json_t *root) {
    json_array_append(json_object_get(root, "stats"), s_row_of(root, 0));
}
static void s_edit_duplicate_error(json_t *root) {
    json_t *e = json_object_get(root, "errors");
    json_array_append(e, json_array_get(e, 0));
}
static void s_edit_timeline_order(json_t *root) {
    json_t *p = json_array_get(json_object_get(root, "timeline"), 3);
    json_object_set_new(p, "second", json_integer(1));
}

Test(report_json, repeated_rows_errors_and_seconds_are_refused) {
    s_expect_refused(s_edit_duplicate_row, "stats[4]: a second row for GET /events?user={id}");
    s_expect_refused(s_edit_duplicate_error, "errors[3]: the same error as errors[0]");
    s_expect_refused(s_edit_timeline_order, "timeline[3].second: 1 after 2: seconds must increase");
}

Test(report_json, a_duplicate_key_is_refused_with_a_position) {
    char *path = s_path("dup.json");
    s_spit(path, "{\n  \"format\": \"barrage-result\",\n  \"format\": \"barrage-result\"\n}\n");
    char *err = s_read_fails(path, NULL);
    char *want = xasprintf("%s:3:10: duplicate object key near '\"format\"'", path);
    cr_assert_str_eq(err, want);
    free(want);
    free(err);
    free(path);
}

/* ---------------------------------------------------------------- atomic write */

Test(report_json, a_missing_directory_fails_with_a_clear_message) {
    report_t *r = s_build();
    char *path = s_path("no/such/dir/r.json"), *err = NULL;
    cr_assert_eq(report_json_write(r, path, &err), -1);
    char *want = xasprintf("cannot write %s: No such file or directory", path);
    cr_assert_str_eq(err, want);
    free(want);
    free(err);
    free(path);
    report_destroy(&r);
}

Test(report_json, a_failed_write_leaves_no_temporary_file) {
    report_t *r = s_build();
    /* The target is a directory: the temporary file is written, the rename
     * over the directory fails, and the temporary must be gone. */
    char *path = s_path("taken"), *err = NULL;
    cr_assert_eq(mkdir(path, 0755), 0);
    cr_assert_eq(report_json_write(r, path, &err), -1);
    char *want = xasprintf("cannot write %s: Is a directory", path);
    cr_assert_str_eq(err, want);
    cr_assert_eq(s_count_entries(".tmp-"), 0, "a temporary file was left behind");
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert(S_ISDIR(st.st_mode), "the directory was replaced");
    free(want);
    free(err);
    free(path);
    report_destroy(&r);
}

Test(report_json, a_write_replaces_an_existing_file_whole) {
    report_t *r = s_build();
    char *path = s_path("r.json");
    s_spit(path, "old content that is not JSON");
    free(s_write(r, "r.json"));
    report_t *back = s_read_ok(path);
    s_same_report(back, r);
    cr_assert_eq(s_count_entries(".tmp-"), 0);
    report_destroy(&back);
    report_destroy(&r);
    free(path);
}

/* ---------------------------------------------------------------- in memory */

Test(report_json, render_appends_the_bytes_write_writes) {
    report_t *r = s_build();
    char *path = s_write(r, "r.json");
    size_t file_len = 0;
    char *file = s_slurp(path, &file_len);
    strbuf_t b;
    strbuf_init(&b);
    strbuf_append_str(&b, "prefix:");
    report_json_render(r, &b);
    cr_assert_eq(b.len, file_len + 7);
    cr_assert_eq(memcmp(b.data, "prefix:", 7), 0);
    cr_assert_eq(memcmp(b.data + 7, file, file_len), 0, "rendered bytes differ from the file's");
    strbuf_fini(&b);
    free(file);
    free(path);
    report_destroy(&r);
}

/* ---------------------------------------------------------------- HTTP versions */

static void s_edit_http_unknown(json_t *root) {
    json_object_set_new(s_row_of(root, 0), "http", json_string("3"));
}
static void s_edit_http_number(json_t *root) {
    json_object_set_new(s_row_of(root, 0), "http", json_integer(2));
}
static void s_edit_versions_array(json_t *root) {
    json_object_set_new(s_row_of(root, 0), "http_versions", json_array());
}
static void s_edit_versions_bad_key(json_t *root) {
    json_object_set_new(json_object_get(s_row_of(root, 0), "http_versions"), "2.0",
                        json_integer(1));
}
static void s_edit_versions_negative(json_t *root) {
    json_object_set_new(json_object_get(s_row_of(root, 0), "http_versions"), "2", json_integer(-1));
}
/* More responses than requests: "2" (read after "1.1") gets all the requests. */
static void s_edit_versions_too_many(json_t *root) {
    json_t *row = s_row_of(root, 0);
    json_int_t requests = json_integer_value(json_object_get(row, "requests"));
    json_object_set_new(json_object_get(row, "http_versions"), "2", json_integer(requests));
}

Test(report_json, http_versions_are_written_per_row_and_checked_when_read) {
    report_t *r = s_build();
    char *path = s_write(r, "h.json");
    char *text = s_slurp(path, NULL);
    const results_row_t *ev = results_find(r->results, "GET", "/events?user={id}");
    char want[160];
    snprintf(want, sizeof want,
             "\"http\": \"2\",\n      \"http_versions\": {\"1.1\": %" PRIu64 ", \"2\": %" PRIu64
             "},",
             ev->http_versions[RESULTS_HTTP_1_1], ev->http_versions[RESULTS_HTTP_2]);
    cr_expect(strstr(text, want), "no %s in the result", want);
    cr_expect_gt(ev->http_versions[RESULTS_HTTP_1_1], 0);
    char too_many[160];
    snprintf(too_many, sizeof too_many,
             "stats[0].http_versions.2: %" PRIu64 " is out of range (at most %" PRIu64 ")",
             ev->requests, ev->requests - ev->http_versions[RESULTS_HTTP_1_1]);
    free(text);
    free(path);
    report_destroy(&r);
    s_expect_refused(s_edit_http_unknown, "stats[0].http: expected \"1.1\", \"2\" or \"h2c\"");
    s_expect_refused(s_edit_http_number, "stats[0].http: expected \"1.1\", \"2\" or \"h2c\"");
    s_expect_refused(s_edit_versions_array, "stats[0].http_versions: expected an object");
    s_expect_refused(s_edit_versions_bad_key,
                     "stats[0].http_versions.2.0: expected a version: 1.0, 1.1, 2 or 3");
    s_expect_refused(s_edit_versions_negative,
                     "stats[0].http_versions.2: expected a non-negative integer");
    s_expect_refused(s_edit_versions_too_many, too_many);
}

/* ---- where the time went ---- */

static json_t *s_phase_of(json_t *row, const char *phase) {
    json_t *ph = json_object_get(json_object_get(row, "phases"), phase);
    cr_assert_not_null(ph, "phases.%s", phase);
    return ph;
}

Test(report_json, phases_are_written_per_name_with_share_and_histogram) {
    report_t *r = s_build();
    char *path = s_write(r, "phases.json");
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    json_t *ev = s_row_of(root, 0);
    const results_row_t *want = results_find(r->results, "GET", "/events?user={id}");
    double shares = 0;
    for (int p = 0; p < RESULTS_PHASE_N; p++) {
        json_t *ph = s_phase_of(ev, phases_name(p));
        shares += json_number_value(json_object_get(ph, "share"));
        json_t *h = json_object_get(ph, "histogram");
        cr_assert_eq(json_integer_value(json_object_get(h, "count")),
                     (json_int_t)histogram_count(want->phases[p]));
        cr_assert(json_is_number(json_object_get(ph, "avg_ms")));
        cr_assert(json_is_number(json_object_get(ph, "p95_ms")));
    }
    cr_assert_float_eq(shares, 1.0, 1e-9, "the shares add up to 1");
    cr_assert_eq(json_integer_value(json_object_get(ev, "wire_bytes")),
                 (json_int_t)want->wire_bytes);
    cr_assert_eq(json_integer_value(json_object_get(ev, "connections_opened")),
                 (json_int_t)want->connects);
    /* A name whose requests have no phases says nothing about them. */
    json_t *odd = s_row_of(root, 2);
    cr_assert_null(json_object_get(odd, "phases"));
    cr_assert_null(json_object_get(odd, "wire_bytes"));
    cr_assert_null(json_object_get(odd, "connections_opened"));
    cr_assert_not_null(json_object_get(json_object_get(root, "aggregated"), "phases"));
    json_decref(root);
    free(path);
    report_destroy(&r);
}

static void s_drop_phases(json_t *root) {
    json_t *stats = json_object_get(root, "stats");
    for (size_t i = 0; i < json_array_size(stats); i++) {
        json_object_del(json_array_get(stats, i), "phases");
        json_object_del(json_array_get(stats, i), "wire_bytes");
        json_object_del(json_array_get(stats, i), "connections_opened");
    }
    json_t *agg = json_object_get(root, "aggregated");
    json_object_del(agg, "phases");
    json_object_del(agg, "wire_bytes");
    json_object_del(agg, "connections_opened");
}

Test(report_json, files_from_before_phases_still_read) {
    report_t *r = s_build();
    char *good = s_write(r, "good.json"), *old = s_path("old.json");
    json_error_t je;
    json_t *root = json_load_file(good, 0, &je);
    cr_assert_not_null(root, "%s", je.text);
    s_drop_phases(root);
    cr_assert_eq(json_dump_file(root, old, JSON_INDENT(2)), 0);
    json_decref(root);
    report_t *back = s_read_ok(old);
    const results_row_t *row = results_find(back->results, "GET", "/events?user={id}");
    cr_assert_eq(histogram_count(row->phases[RESULTS_PHASE_WAIT]), 0);
    cr_assert_eq(row->wire_bytes, 0);
    report_destroy(&back);
    free(good);
    free(old);
    report_destroy(&r);
}

static void s_edit_unknown_phase(json_t *root) {
    json_object_set_new(json_object_get(s_row_of(root, 0), "phases"), "queue", json_object());
}
static void s_edit_phase_missing(json_t *root) {
    json_object_del(json_object_get(s_row_of(root, 0), "phases"), "tls");
}
static void s_edit_phase_uneven(json_t *root) {
    /* One more sample in wait's histogram: first bucket count + 1, count + 1. */
    json_t *h = json_object_get(s_phase_of(s_row_of(root, 0), "wait"), "histogram");
    json_t *b = json_object_get(h, "buckets");
    json_t *pair = json_array_get(b, 0);
    json_array_set_new(pair, 1, json_integer(json_integer_value(json_array_get(pair, 1)) + 1));
    json_object_set_new(h, "count",
                        json_integer(json_integer_value(json_object_get(h, "count")) + 1));
}
static void s_edit_phases_array(json_t *root) {
    json_object_set_new(s_row_of(root, 0), "phases", json_array());
}
static void s_edit_wire_bytes_string(json_t *root) {
    json_object_set_new(s_row_of(root, 1), "wire_bytes", json_string("12"));
}
static void s_edit_agg_wire_bytes(json_t *root) {
    json_t *agg = json_object_get(root, "aggregated");
    json_object_set_new(agg, "wire_bytes",
                        json_integer(json_integer_value(json_object_get(agg, "wire_bytes")) + 1));
}
static void s_edit_agg_phase(json_t *root) {
    json_t *agg = json_object_get(root, "aggregated");
    json_t *ph = json_object_get(agg, "phases");
    json_t *dns = json_incref(json_object_get(ph, "dns"));
    json_object_set(ph, "dns", json_object_get(ph, "wait")); /* same count, other values */
    json_object_set_new(ph, "wait", dns);
}

Test(report_json, bad_phases_are_refused_with_their_path) {
    s_expect_refused(s_edit_unknown_phase,
                     "stats[0].phases.queue: expected a phase: dns, connect, tls, wait or receive");
    s_expect_refused(s_edit_phase_missing, "stats[0].phases.tls: missing");
    s_expect_refused(s_edit_phases_array, "stats[0].phases: expected an object");
    s_expect_refused(s_edit_wire_bytes_string,
                     "stats[1].wire_bytes: expected a non-negative integer");
    s_expect_refused(s_edit_agg_wire_bytes, NULL);
    s_expect_refused(s_edit_agg_phase,
                     "aggregated.phases.dns: differs from the merge of the stats rows");
    /* uneven: the reader names the phase whose count differs */
    s_expect_refused(s_edit_phase_uneven, NULL);
}
