/* history: the finished runs, their results directory and the /api JSON. */
#include "web/history.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "report/compare.h"
#include "report/report_json.h"

struct history {
    pthread_mutex_t lock; /* guards runs, n */
    char *dir;            /* NULL = memory only */
    report_t **runs;      /* runs[i] has id i + 1 */
    uint32_t n;
};

static void s_lock(history_t *h) {
    int rc = pthread_mutex_lock(&h->lock);
    if (rc != 0) xfatal("pthread_mutex_lock");
}

static void s_unlock(history_t *h) {
    int rc = pthread_mutex_unlock(&h->lock);
    if (rc != 0) xfatal("pthread_mutex_unlock");
}

static void s_push(history_t *h, report_t *r) {
    h->runs = xrealloc(h->runs, (h->n + 1) * sizeof *h->runs);
    h->runs[h->n++] = r;
}

static int s_by_start(const void *a, const void *b) {
    const report_t *x = *(report_t *const *)a, *y = *(report_t *const *)b;
    if (x->started_ms != y->started_ms) return x->started_ms < y->started_ms ? -1 : 1;
    return x->ended_ms < y->ended_ms ? -1 : x->ended_ms > y->ended_ms;
}

static bool s_is_json(const char *name) {
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Loads dir's *.json results into h, sorted by start time. */
static int s_load(history_t *h, char **err) {
    DIR *d = opendir(h->dir);
    if (!d) {
        *err = xasprintf("cannot read %s: opendir: %s", h->dir, strerror(errno));
        return -1;
    }
    for (struct dirent *e; (e = readdir(d));) {
        if (!s_is_json(e->d_name)) continue;
        char *path = xasprintf("%s/%s", h->dir, e->d_name);
        char *why = NULL;
        report_t *r = report_json_read(path, &why);
        if (r)
            s_push(h, r);
        else
            log_warn("results dir: skipping %s: %s", path, why ? why : "does not read");
        free(why);
        free(path);
    }
    if (closedir(d) != 0)
        log_warn("closedir %s: %s (%s:%d)", h->dir, strerror(errno), __FILE__, __LINE__);
    if (h->n) qsort(h->runs, h->n, sizeof *h->runs, s_by_start);
    return 0;
}

history_t *history_new(const char *dir, char **err) {
    history_t *h = xcalloc(1, sizeof *h);
    int rc = pthread_mutex_init(&h->lock, NULL);
    if (rc != 0) xfatal("pthread_mutex_init");
    if (!dir) return h;
    h->dir = xstrdup(dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        *err = xasprintf("cannot create %s: mkdir: %s", dir, strerror(errno));
        history_destroy(&h);
        return NULL;
    }
    if (s_load(h, err) != 0) history_destroy(&h);
    return h;
}

void history_destroy(history_t **hp) {
    if (!hp || !*hp) return;
    history_t *h = *hp;
    for (uint32_t i = 0; i < h->n; i++)
        report_destroy(&h->runs[i]);
    free(h->runs);
    free(h->dir);
    pthread_mutex_destroy(&h->lock);
    free(h);
    *hp = NULL;
}

/* Writes run id to the directory; a failure is logged only. */
static void s_write(const history_t *h, uint32_t id, const report_t *r) {
    time_t t = (time_t)((r->started_ms ? r->started_ms : (uint64_t)time(NULL) * 1000u) / 1000u);
    struct tm tm;
    char stamp[32] = "00000000-000000";
    if (gmtime_r(&t, &tm)) strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    char *path = xasprintf("%s/run-%" PRIu32 "-%s.json", h->dir, id, stamp);
    char *err = NULL;
    if (report_json_write(r, path, &err) != 0) {
        log_error("results dir: run %" PRIu32 " kept in memory only: %s", id, err);
        free(err);
    }
    free(path);
}

uint32_t history_add(history_t *h, report_t **r) {
    report_t *run = *r;
    *r = NULL;
    s_lock(h);
    s_push(h, run);
    uint32_t id = h->n;
    s_unlock(h);
    if (h->dir) s_write(h, id, run);
    return id;
}

uint32_t history_count(history_t *h) {
    s_lock(h);
    uint32_t n = h->n;
    s_unlock(h);
    return n;
}

/* The run with that id, or NULL; never freed before history_destroy. */
static const report_t *s_get(history_t *h, uint32_t id) {
    s_lock(h);
    const report_t *r = id >= 1 && id <= h->n ? h->runs[id - 1] : NULL;
    s_unlock(h);
    return r;
}

static void s_num(strbuf_t *b, const char *key, double v) {
    strbuf_appendf(b, ",\"%s\":", key);
    strbuf_append_json_number(b, v);
}

static void s_str(strbuf_t *b, const char *key, const char *s) {
    strbuf_appendf(b, ",\"%s\":", key);
    strbuf_append_json_string(b, s);
}

static void s_entry(strbuf_t *b, uint32_t id, const report_t *r) {
    const results_row_t *t = results_total(r->results);
    strbuf_appendf(b, "{\"id\":%" PRIu32, id);
    s_str(b, "name", r->scenario_name);
    s_str(b, "scenario", r->scenario_file);
    strbuf_appendf(b, ",\"started_ms\":%" PRIu64 ",\"ended_ms\":%" PRIu64, r->started_ms,
                   r->ended_ms);
    s_num(b, "duration_s", r->run_seconds);
    strbuf_appendf(b, ",\"users\":%" PRIu32 ",\"requests\":%" PRIu64 ",\"failures\":%" PRIu64,
                   r->users, t->requests, t->failures);
    s_num(b, "failure_rate_pct",
          t->requests ? 100.0 * (double)t->failures / (double)t->requests : 0);
    s_num(b, "p95_ms", t->requests ? (double)histogram_percentile(t->latency, 95) / 1000.0 : NAN);
    s_num(b, "rps", r->run_seconds > 0 ? (double)t->requests / r->run_seconds : 0);
    size_t failed = 0;
    for (size_t i = 0; i < r->n_thresholds; i++)
        failed += !r->thresholds[i].passed;
    strbuf_appendf(b, ",\"thresholds\":%zu,\"thresholds_failed\":%zu", r->n_thresholds, failed);
    strbuf_append_char(b, '}');
}

void history_list_json(history_t *h, strbuf_t *b) {
    uint32_t n = history_count(h);
    strbuf_append_str(b, "{\"runs\":[");
    for (uint32_t id = 1; id <= n; id++) {
        if (id > 1) strbuf_append_char(b, ',');
        s_entry(b, id, s_get(h, id));
    }
    strbuf_append_str(b, "]}");
}

int history_result_json(history_t *h, uint32_t id, strbuf_t *b) {
    const report_t *r = s_get(h, id);
    if (!r) return -1;
    report_json_render(r, b);
    return 0;
}

int history_compare_json(history_t *h, uint32_t before, uint32_t after, strbuf_t *b) {
    const report_t *rb = s_get(h, before), *ra = s_get(h, after);
    if (!rb || !ra) return -1;
    compare_json(rb, ra, NULL, b);
    return 0;
}

int history_parse_id(const char *s, uint32_t *out) {
    if (!s || !*s || strlen(s) > 10) return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    if (v < 1 || v > UINT32_MAX) return -1;
    *out = (uint32_t)v;
    return 0;
}
