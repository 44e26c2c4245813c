/* timeline: per-second points of a run. */
#include "report/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

struct timeline {
    timeline_point_t *points;
    size_t n, cap;
    uint32_t current; /* the second being filled */
    uint64_t requests, failures, bytes;
    histogram_t *second; /* latency of the current second */
    histogram_t *total;  /* latency since the start */
    uint64_t total_failures, total_bytes;
};

timeline_t *timeline_new(void) {
    timeline_t *t = xcalloc(1, sizeof *t);
    t->second = histogram_new();
    t->total = histogram_new();
    return t;
}

void timeline_destroy(timeline_t **tp) {
    if (!tp || !*tp) return;
    timeline_t *t = *tp;
    histogram_destroy(&t->second);
    histogram_destroy(&t->total);
    free(t->points);
    free(t);
    *tp = NULL;
}

void timeline_append(timeline_t *t, const timeline_point_t *p) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->points = xrealloc(t->points, t->cap * sizeof *t->points);
    }
    t->points[t->n++] = *p;
}

static void s_close_current(timeline_t *t, uint32_t users, uint64_t start_wall_ms) {
    timeline_point_t p = {.second = t->current,
                          .wall_ms = start_wall_ms + ((uint64_t)t->current + 1) * 1000u,
                          .users = users,
                          .requests = t->requests,
                          .failures = t->failures,
                          .bytes = t->bytes};
    for (int i = 0; i < PERCENTILES_N; i++) {
        p.pct_us[i] = histogram_percentile(t->second, PERCENTILES_VALUES[i]);
    }
    p.total_requests = histogram_count(t->total);
    p.total_failures = t->total_failures;
    p.total_bytes = t->total_bytes;
    p.total_median_us = histogram_percentile(t->total, 50);
    p.total_min_us = histogram_min(t->total);
    p.total_max_us = histogram_max(t->total);
    p.total_avg_us = histogram_mean(t->total);
    timeline_append(t, &p);
    t->requests = t->failures = t->bytes = 0;
    histogram_reset(t->second);
    t->current++;
}

void timeline_close_until(timeline_t *t, uint32_t second, uint32_t users, uint64_t start_wall_ms) {
    while (t->current < second) s_close_current(t, users, start_wall_ms);
}

void timeline_add(timeline_t *t, uint32_t second, const results_delta_t *d) {
    /* The open second is `second` once the caller has closed the ones before
     * it; an older second is closed already and the report counts in the open one. */
    (void)second;
    for (size_t i = 0; i < d->n_rows; i++) {
        const results_row_delta_t *s = &d->rows[i];
        t->requests += s->requests;
        t->failures += s->failures;
        t->bytes += s->bytes;
        t->total_failures += s->failures;
        t->total_bytes += s->bytes;
        if (s->latency) {
            histogram_merge(t->second, s->latency);
            histogram_merge(t->total, s->latency);
        }
    }
}

size_t timeline_count(const timeline_t *t) {
    return t->n;
}

const timeline_point_t *timeline_point(const timeline_t *t, size_t i) {
    return i < t->n ? &t->points[i] : NULL;
}

timeline_t *timeline_clone(const timeline_t *t) {
    timeline_t *c = xcalloc(1, sizeof *c);
    *c = *t;
    c->cap = t->n;
    c->points = xcalloc(t->n ? t->n : 1, sizeof *c->points);
    if (t->n) memcpy(c->points, t->points, t->n * sizeof *c->points);
    c->second = histogram_new();
    histogram_merge(c->second, t->second);
    c->total = histogram_new();
    histogram_merge(c->total, t->total);
    return c;
}
