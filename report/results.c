/* results: exact merging of worker reports on the master. */
#include "report/results.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

struct results {
    results_row_t *rows;
    size_t n_rows, cap_rows;
    results_row_t total;
    results_error_t *errors;
    size_t n_errors, cap_errors;
    uint64_t dropped; /* open model: iterations not started (max_users reached) */
};

static void s_row_init(results_row_t *row, const char *method, const char *name) {
    *row = (results_row_t){.method = xstrdup(method),
                           .name = xstrdup(name),
                           .latency = histogram_new(),
                           .win_latency = histogram_new()};
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        row->phases[p] = histogram_new();
}

static void s_row_fini(results_row_t *row) {
    for (size_t i = 0; i < row->n_metrics; i++) {
        free(row->metrics[i].name);
        histogram_destroy(&row->metrics[i].values);
    }
    free(row->metrics);
    free(row->method);
    free(row->name);
    histogram_destroy(&row->latency);
    histogram_destroy(&row->win_latency);
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        histogram_destroy(&row->phases[p]);
}

static void s_errors_free(results_t *r) {
    for (size_t i = 0; i < r->n_errors; i++) {
        free(r->errors[i].method);
        free(r->errors[i].name);
        free(r->errors[i].reason);
    }
    r->n_errors = 0;
}

results_t *results_new(void) {
    results_t *r = xcalloc(1, sizeof *r);
    s_row_init(&r->total, "", "");
    return r;
}

void results_destroy(results_t **rp) {
    if (!rp || !*rp) return;
    results_t *r = *rp;
    for (size_t i = 0; i < r->n_rows; i++) s_row_fini(&r->rows[i]);
    s_row_fini(&r->total);
    s_errors_free(r);
    free(r->rows);
    free(r->errors);
    free(r);
    *rp = NULL;
}

static results_row_t *s_row(results_t *r, const char *method, const char *name) {
    for (size_t i = 0; i < r->n_rows; i++) {
        if (strcmp(r->rows[i].method, method) == 0 && strcmp(r->rows[i].name, name) == 0) {
            return &r->rows[i];
        }
    }
    if (r->n_rows == r->cap_rows) {
        r->cap_rows = r->cap_rows ? r->cap_rows * 2 : 16;
        r->rows = xrealloc(r->rows, r->cap_rows * sizeof *r->rows);
    }
    s_row_init(&r->rows[r->n_rows], method, name);
    return &r->rows[r->n_rows++];
}

static void s_merge_metric(results_row_t *row, const results_metric_delta_t *m) {
    size_t k = 0;
    while (k < row->n_metrics && strcmp(row->metrics[k].name, m->name) != 0) k++;
    if (k == row->n_metrics) {
        row->metrics = xrealloc(row->metrics, (k + 1) * sizeof *row->metrics);
        row->metrics[k] = (results_metric_t){xstrdup(m->name), histogram_new()};
        row->n_metrics++;
    }
    if (m->values) histogram_merge(row->metrics[k].values, m->values);
}

static void s_merge_into(results_row_t *row, const results_row_delta_t *s) {
    for (size_t i = 0; i < s->n_metrics; i++) s_merge_metric(row, &s->metrics[i]);
    row->requests += s->requests;
    row->failures += s->failures;
    row->bytes += s->bytes;
    row->connects += s->connects;
    row->wire_bytes += s->wire_bytes;
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        if (s->phases[p]) histogram_merge(row->phases[p], s->phases[p]);
    for (int v = 0; v < RESULTS_HTTP_N; v++)
        row->http_versions[v] += s->http_versions[v];
    row->win_requests += s->requests;
    row->win_failures += s->failures;
    if (s->latency) {
        histogram_merge(row->latency, s->latency);
        histogram_merge(row->win_latency, s->latency);
    }
}

static void s_add_error(results_t *r, const results_error_delta_t *e) {
    for (size_t i = 0; i < r->n_errors; i++) {
        results_error_t *x = &r->errors[i];
        if (strcmp(x->method, e->method) == 0 && strcmp(x->name, e->name) == 0 &&
            strcmp(x->reason, e->reason) == 0) {
            x->count += e->count;
            return;
        }
    }
    if (r->n_errors == r->cap_errors) {
        r->cap_errors = r->cap_errors ? r->cap_errors * 2 : 16;
        r->errors = xrealloc(r->errors, r->cap_errors * sizeof *r->errors);
    }
    r->errors[r->n_errors++] = (results_error_t){.method = xstrdup(e->method),
                                                 .name = xstrdup(e->name),
                                                 .reason = xstrdup(e->reason),
                                                 .count = e->count};
}

static void s_count_second(results_persec_t *p, uint32_t second, const results_row_delta_t *s) {
    uint32_t slot = second % RESULTS_RATE_SECONDS;
    if (p->second_plus1[slot] > second + 1u) return; /* that slot holds a newer second */
    if (p->second_plus1[slot] != second + 1u) {
        p->second_plus1[slot] = second + 1u;
        p->requests[slot] = p->failures[slot] = 0;
    }
    p->requests[slot] += s->requests;
    p->failures[slot] += s->failures;
}

void results_add_at(results_t *r, const results_delta_t *d, uint32_t second) {
    results_add(r, d);
    for (size_t i = 0; i < d->n_rows; i++) {
        const results_row_delta_t *s = &d->rows[i];
        s_count_second(&s_row(r, s->method, s->name)->persec, second, s);
        s_count_second(&r->total.persec, second, s);
    }
}

void results_current_rates(const results_row_t *row, uint32_t now_second, double *rps,
                           double *fail_per_s) {
    *rps = *fail_per_s = 0;
    uint32_t from = now_second > RESULTS_RATE_WINDOW_S ? now_second - RESULTS_RATE_WINDOW_S : 0;
    if (now_second == 0) return;
    uint64_t reqs = 0, fails = 0;
    for (uint32_t s = from; s < now_second; s++) {
        uint32_t slot = s % RESULTS_RATE_SECONDS;
        if (row->persec.second_plus1[slot] != s + 1u) continue;
        reqs += row->persec.requests[slot];
        fails += row->persec.failures[slot];
    }
    *rps = (double)reqs / (double)(now_second - from);
    *fail_per_s = (double)fails / (double)(now_second - from);
}

void results_add(results_t *r, const results_delta_t *d) {
    for (size_t i = 0; i < d->n_rows; i++) {
        const results_row_delta_t *s = &d->rows[i];
        results_row_t *row = s_row(r, s->method, s->name);
        s_merge_into(row, s);
        if (row->http_asked == RESULTS_ASKED_NONE && s->http_asked < RESULTS_ASKED_MAX)
            row->http_asked = s->http_asked;
        s_merge_into(&r->total, s);
    }
    for (size_t i = 0; i < d->n_errors; i++) s_add_error(r, &d->errors[i]);
    r->dropped += d->dropped;
}

uint64_t results_dropped(const results_t *r) {
    return r->dropped;
}

void results_add_dropped(results_t *r, uint64_t n) {
    r->dropped += n;
}

size_t results_count(const results_t *r) {
    return r->n_rows;
}

const results_row_t *results_row(const results_t *r, size_t i) {
    return i < r->n_rows ? &r->rows[i] : NULL;
}

const results_row_t *results_total(const results_t *r) {
    return &r->total;
}

const results_row_t *results_find(const results_t *r, const char *method, const char *name) {
    for (size_t i = 0; i < r->n_rows; i++) {
        if (strcmp(r->rows[i].method, method) == 0 && strcmp(r->rows[i].name, name) == 0) {
            return &r->rows[i];
        }
    }
    return NULL;
}

size_t results_error_count(const results_t *r) {
    return r->n_errors;
}

const results_error_t *results_error(const results_t *r, size_t i) {
    return i < r->n_errors ? &r->errors[i] : NULL;
}

static histogram_t *s_hist_clone(const histogram_t *h) {
    histogram_t *c = histogram_new();
    histogram_merge(c, h);
    return c;
}

static void s_row_clone(results_row_t *dst, const results_row_t *src) {
    *dst = *src;
    dst->method = xstrdup(src->method);
    dst->name = xstrdup(src->name);
    dst->latency = s_hist_clone(src->latency);
    dst->win_latency = s_hist_clone(src->win_latency);
    for (int p = 0; p < RESULTS_PHASE_N; p++)
        dst->phases[p] = s_hist_clone(src->phases[p]);
    dst->metrics = xcalloc(src->n_metrics ? src->n_metrics : 1, sizeof *dst->metrics);
    for (size_t i = 0; i < src->n_metrics; i++) {
        dst->metrics[i] = (results_metric_t){xstrdup(src->metrics[i].name),
                                             s_hist_clone(src->metrics[i].values)};
    }
}

results_t *results_clone(const results_t *r) {
    results_t *c = xcalloc(1, sizeof *c);
    c->n_rows = c->cap_rows = r->n_rows;
    c->rows = xcalloc(r->n_rows ? r->n_rows : 1, sizeof *c->rows);
    for (size_t i = 0; i < r->n_rows; i++) s_row_clone(&c->rows[i], &r->rows[i]);
    s_row_clone(&c->total, &r->total);
    c->n_errors = c->cap_errors = r->n_errors;
    c->errors = xcalloc(r->n_errors ? r->n_errors : 1, sizeof *c->errors);
    for (size_t i = 0; i < r->n_errors; i++) {
        const results_error_t *e = &r->errors[i];
        c->errors[i] = (results_error_t){.method = xstrdup(e->method),
                                         .name = xstrdup(e->name),
                                         .reason = xstrdup(e->reason),
                                         .count = e->count};
    }
    c->dropped = r->dropped;
    return c;
}

void results_reset(results_t *r) {
    for (size_t i = 0; i < r->n_rows; i++) s_row_fini(&r->rows[i]);
    r->n_rows = 0;
    s_row_fini(&r->total);
    s_row_init(&r->total, "", "");
    s_errors_free(r);
    r->dropped = 0;
}

static void s_window_reset(results_row_t *row) {
    row->win_requests = row->win_failures = 0;
    histogram_reset(row->win_latency);
}

void results_window_reset(results_t *r) {
    for (size_t i = 0; i < r->n_rows; i++) s_window_reset(&r->rows[i]);
    s_window_reset(&r->total);
}

bool results_metric_is_count(const char *name) {
    return strcmp(name, "queries") == 0;
}
