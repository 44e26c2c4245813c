/* window: per-second samples of the windowed thresholds, in a ring per check. */
#include "report/window.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

/* One second of one check. */
typedef struct {
    uint32_t second; /* which second the slot holds (valid when used) */
    bool used;
    uint64_t requests, failures;
    histogram_t *latency;
} slot_t;

/* The ring of one windowed check: the window's seconds closed, plus the open
 * one that reports already go to, so seconds + 1 slots, second s at s % that
 * (with only `seconds` slots the open second evicted the oldest of the window). */
typedef struct {
    const thresholds_check_t *check;
    uint32_t seconds;
    slot_t *slots;
} ring_t;

static uint32_t s_slots(const ring_t *r) {
    return r->seconds + 1;
}

struct window {
    ring_t *rings; /* one per check; seconds == 0 for a check without a window */
    size_t n;
    uint32_t open; /* the open second: every one before it is closed */
};

window_t *window_new(const thresholds_check_t *checks, size_t n) {
    window_t *w = xcalloc(1, sizeof *w);
    w->rings = xcalloc(n ? n : 1, sizeof *w->rings);
    w->n = n;
    for (size_t i = 0; i < n; i++) {
        ring_t *r = &w->rings[i];
        r->check = &checks[i];
        r->seconds = (uint32_t)(checks[i].window_ms / 1000u);
        if (r->seconds) r->slots = xcalloc(s_slots(r), sizeof *r->slots);
    }
    return w;
}

void window_destroy(window_t **wp) {
    if (!wp || !*wp) return;
    window_t *w = *wp;
    for (size_t i = 0; i < w->n; i++) {
        for (uint32_t k = 0; w->rings[i].seconds && k < s_slots(&w->rings[i]); k++)
            histogram_destroy(&w->rings[i].slots[k].latency);
        free(w->rings[i].slots);
    }
    free(w->rings);
    free(w);
    *wp = NULL;
}

/* The slot of `second` in r, emptied when it held an older second. */
static slot_t *s_slot(ring_t *r, uint32_t second) {
    slot_t *s = &r->slots[second % s_slots(r)];
    if (!s->used || s->second != second) {
        s->used = true;
        s->second = second;
        s->requests = s->failures = 0;
        if (s->latency) histogram_reset(s->latency);
    }
    return s;
}

static void s_add_row(slot_t *s, const results_row_delta_t *row) {
    s->requests += row->requests;
    s->failures += row->failures;
    if (!row->latency) return;
    if (!s->latency) s->latency = histogram_new();
    histogram_merge(s->latency, row->latency);
}

void window_add(window_t *w, uint32_t second, const results_delta_t *d) {
    if (second < w->open) second = w->open;
    for (size_t i = 0; i < w->n; i++) {
        ring_t *r = &w->rings[i];
        if (!r->seconds) continue;
        slot_t *s = NULL;
        for (size_t k = 0; k < d->n_rows; k++) {
            const results_row_delta_t *row = &d->rows[k];
            if (r->check->name && strcmp(row->name, r->check->name) != 0) continue;
            if (!s) s = s_slot(r, second);
            s_add_row(s, row);
        }
    }
}

void window_close_until(window_t *w, uint32_t second) {
    if (second > w->open) w->open = second;
}

uint32_t window_closed(const window_t *w) {
    return w->open;
}

void window_sample(const window_t *w, size_t i, thresholds_sample_t *out, histogram_t **own,
                   uint32_t *covered) {
    *out = (thresholds_sample_t){0};
    *own = NULL;
    *covered = 0;
    if (i >= w->n || !w->rings[i].seconds) return;
    const ring_t *r = &w->rings[i];
    uint32_t from = w->open > r->seconds ? w->open - r->seconds : 0;
    *covered = w->open - from;
    for (uint32_t sec = from; sec < w->open; sec++) {
        const slot_t *s = &r->slots[sec % s_slots(r)];
        if (!s->used || s->second != sec) continue; /* a second without requests */
        out->requests += s->requests;
        out->failures += s->failures;
        if (!s->latency) continue;
        if (!*own) *own = histogram_new();
        histogram_merge(*own, s->latency);
    }
    out->latency = *own;
}
