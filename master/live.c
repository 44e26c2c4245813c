/* live: the live table (terminal) or live lines (pipe). */
#include "master/live.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

typedef struct {
    uint64_t requests[LIVE_WINDOW_SLOTS], failures[LIVE_WINDOW_SLOTS];
    double seconds[LIVE_WINDOW_SLOTS];
    histogram_t *latency[LIVE_WINDOW_SLOTS];
} ring_t;

struct live {
    FILE *out;
    bool tty;
    ring_t *rings; /* one per results row (same index), then the aggregate last */
    size_t n_rings;
    size_t head; /* slot being written this tick */
    histogram_t *scratch;
};

live_t *live_new(FILE *out, bool tty) {
    live_t *l = xcalloc(1, sizeof *l);
    l->out = out;
    l->tty = tty;
    l->scratch = histogram_new();
    return l;
}

static void s_ring_fini(ring_t *g) {
    for (int i = 0; i < LIVE_WINDOW_SLOTS; i++) histogram_destroy(&g->latency[i]);
}

void live_destroy(live_t **lp) {
    if (!lp || !*lp) return;
    live_t *l = *lp;
    for (size_t i = 0; i < l->n_rings; i++) s_ring_fini(&l->rings[i]);
    free(l->rings);
    histogram_destroy(&l->scratch);
    free(l);
    *lp = NULL;
}

static void s_absorb(ring_t *g, size_t slot, const results_row_t *row, double seconds) {
    if (!g->latency[slot]) g->latency[slot] = histogram_new();
    histogram_reset(g->latency[slot]);
    histogram_merge(g->latency[slot], row->win_latency);
    g->requests[slot] = row->win_requests;
    g->failures[slot] = row->win_failures;
    g->seconds[slot] = seconds;
}

/* Window totals of a ring; merges its latency into l->scratch. */
static void s_window(live_t *l, const ring_t *g, uint64_t *reqs, double *seconds) {
    histogram_reset(l->scratch);
    *reqs = 0;
    *seconds = 0;
    for (int i = 0; i < LIVE_WINDOW_SLOTS; i++) {
        if (!g->latency[i]) continue;
        histogram_merge(l->scratch, g->latency[i]);
        *reqs += g->requests[i];
        *seconds += g->seconds[i];
    }
}

static void s_bar(FILE *out, double done) {
    int width = 30, full = (int)(done * width + 0.5);
    if (full > width) full = width;
    fputc('[', out);
    for (int i = 0; i < width; i++) fputc(i < full ? '#' : '.', out);
    fputc(']', out);
}

/* "p50 / p95 / p99" of h in milliseconds into three buffers. */
typedef struct {
    char p50[16], p95[16], p99[16];
} pcts_t;

static pcts_t s_pcts(const histogram_t *h) {
    pcts_t p;
    summary_format_ms(histogram_percentile(h, 50), p.p50, sizeof p.p50);
    summary_format_ms(histogram_percentile(h, 95), p.p95, sizeof p.p95);
    summary_format_ms(histogram_percentile(h, 99), p.p99, sizeof p.p99);
    return p;
}

/* The load part shared by the line and the table's header: the model's size
 * now, then the workers. */
static void s_load(FILE *o, const summary_live_t *info) {
    if (info->open) {
        fprintf(o, "rate %.1f/s  in flight %u/%u  dropped %llu", info->rate, info->users,
                info->users_target, (unsigned long long)info->dropped);
    } else {
        fprintf(o, "users %u/%u", info->users, info->users_target);
    }
    fprintf(o, "  workers %u", info->workers);
    if (info->cpu_max_permille) fprintf(o, " (cpu max %.0f%%)", info->cpu_max_permille / 10.0);
    if (info->thresholds)
        fprintf(o, "  thresholds %zu/%zu ok", info->thresholds - info->thresholds_failing,
                info->thresholds);
    if (info->failing_first) fprintf(o, " (failing: %s)", info->failing_first);
}

static void s_table_row(live_t *l, const char *method, const char *name, const ring_t *g,
                        const results_row_t *row) {
    uint64_t reqs;
    double secs;
    s_window(l, g, &reqs, &secs);
    pcts_t p = s_pcts(l->scratch);
    fprintf(l->out, "%-7s %-32.32s %10llu %8llu %9.1f %9s %9s %9s\n", method, name,
            (unsigned long long)row->requests, (unsigned long long)row->failures,
            secs > 0 ? (double)reqs / secs : 0, p.p50, p.p95, p.p99);
}

static void s_draw_table(live_t *l, const results_t *r, const summary_live_t *info) {
    FILE *o = l->out;
    fputs("\033[H\033[2J", o); /* home and clear: redraw in place */
    double remaining = info->duration_s - info->elapsed_s;
    fputs("barrage  ", o);
    s_load(o, info);
    if (info->duration_s > 0) {
        fprintf(o, "  elapsed %.0fs  remaining %.0fs  ", info->elapsed_s,
                remaining > 0 ? remaining : 0);
        s_bar(o, info->elapsed_s / info->duration_s);
    } else { /* no run time: no bar to fill */
        fprintf(o, "  elapsed %.0fs  until stopped", info->elapsed_s);
    }
    fprintf(o, "\n\n%-7s %-32s %10s %8s %9s %9s %9s %9s\n", "Type", "Name", "# reqs", "# fails",
            "rps", "p50 ms", "p95 ms", "p99 ms");
    fprintf(o, "(rps and percentiles over the last %d s)\n", LIVE_WINDOW_SLOTS * 2);
    for (size_t i = 0; i < results_count(r); i++) {
        const results_row_t *row = results_row(r, i);
        s_table_row(l, row->method, row->name, &l->rings[i], row);
    }
    s_table_row(l, "", "Aggregated", &l->rings[l->n_rings - 1], results_total(r));
    fflush(o);
}

/* The plain line: progress, load, totals, and the aggregate's rps and
 * percentiles over the same window as the table. */
static void s_draw_line(live_t *l, const results_t *r, const summary_live_t *info) {
    const results_row_t *t = results_total(r);
    uint64_t reqs;
    double secs;
    s_window(l, &l->rings[l->n_rings - 1], &reqs, &secs);
    pcts_t p = s_pcts(l->scratch);
    double fail_pct = t->requests ? 100.0 * (double)t->failures / (double)t->requests : 0;
    if (info->duration_s > 0)
        fprintf(l->out, "[%6.1fs/%.0fs] ", info->elapsed_s, info->duration_s);
    else /* no run time: it goes on until stopped */
        fprintf(l->out, "[%6.1fs] ", info->elapsed_s);
    s_load(l->out, info);
    fprintf(l->out, "  reqs %llu  fails %llu (%.2f%%)  rps %.1f  p50 %sms p95 %sms p99 %sms\n",
            (unsigned long long)t->requests, (unsigned long long)t->failures, fail_pct,
            secs > 0 ? (double)reqs / secs : 0, p.p50, p.p95, p.p99);
    fflush(l->out);
}

void live_tick(live_t *l, results_t *r, const summary_live_t *info) {
    size_t need = results_count(r) + 1;
    if (need > l->n_rings) {
        l->rings = xrealloc(l->rings, need * sizeof *l->rings);
        /* The aggregate lives last: move it to the new end. */
        if (l->n_rings) l->rings[need - 1] = l->rings[l->n_rings - 1];
        size_t first_new = l->n_rings ? l->n_rings - 1 : 0;
        memset(&l->rings[first_new], 0, (need - 1 - first_new) * sizeof *l->rings);
        if (!l->n_rings) memset(&l->rings[need - 1], 0, sizeof *l->rings);
        l->n_rings = need;
    }
    for (size_t i = 0; i < results_count(r); i++) {
        s_absorb(&l->rings[i], l->head, results_row(r, i), info->window_s);
    }
    s_absorb(&l->rings[need - 1], l->head, results_total(r), info->window_s);
    if (l->tty) {
        s_draw_table(l, r, info);
    } else {
        s_draw_line(l, r, info);
    }
    results_window_reset(r);
    l->head = (l->head + 1) % LIVE_WINDOW_SLOTS;
}

void live_reset(live_t *l) {
    for (size_t i = 0; i < l->n_rings; i++) s_ring_fini(&l->rings[i]);
    free(l->rings);
    l->rings = NULL;
    l->n_rings = 0;
    l->head = 0;
}
