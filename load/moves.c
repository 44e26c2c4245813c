/* moves: interleaved, paced starts and retirements per user class. */
#include "load/moves.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

void moves_init(moves_t *m, uint32_t n_classes) {
    size_t n = n_classes ? n_classes : 1;
    *m = (moves_t){.n_classes = n_classes,
                   .need = xcalloc(n, sizeof *m->need),
                   .sign = xcalloc(n, sizeof *m->sign),
                   .done = xcalloc(n, sizeof *m->done)};
}

void moves_fini(moves_t *m) {
    free(m->need);
    free(m->sign);
    free(m->done);
    *m = (moves_t){0};
}

void moves_plan(moves_t *m, const uint32_t *from, const uint32_t *to, double rate,
                uint64_t now_us) {
    m->total = m->taken = 0;
    for (uint32_t c = 0; c < m->n_classes; c++) {
        m->sign[c] = to[c] >= from[c] ? 1 : -1;
        m->need[c] = to[c] >= from[c] ? to[c] - from[c] : from[c] - to[c];
        m->done[c] = 0;
        m->total += m->need[c];
    }
    m->rate = rate > 0 && isfinite(rate) ? rate : 0;
    m->start_us = now_us;
}

uint32_t moves_due(const moves_t *m, uint64_t now_us) {
    uint32_t left = m->total - m->taken;
    if (left == 0 || m->rate == 0) return left;
    if (now_us < m->start_us) return 0;
    /* The first move at start_us, then one every 1/rate s. */
    double by_now = floor((double)(now_us - m->start_us) * m->rate / 1e6) + 1.0;
    if (by_now <= (double)m->taken) return 0;
    double due = by_now - (double)m->taken;
    return due >= (double)left ? left : (uint32_t)due;
}

int moves_next(moves_t *m, uint32_t *cls) {
    if (m->taken == m->total) return 0;
    /* The class furthest behind its even share of the moves so far (ties:
     * the class listed first), so any prefix keeps the mix. */
    uint32_t best = 0;
    double best_gap = -1e300;
    for (uint32_t c = 0; c < m->n_classes; c++) {
        if (m->done[c] >= m->need[c]) continue;
        double gap = (double)m->need[c] * (m->taken + 1) / m->total - m->done[c];
        if (gap > best_gap) {
            best_gap = gap;
            best = c;
        }
    }
    m->done[best]++;
    m->taken++;
    *cls = best;
    return m->sign[best];
}

uint64_t moves_next_at(const moves_t *m) {
    if (m->taken == m->total) return MOVES_NONE;
    if (m->rate == 0) return m->start_us;
    return m->start_us + (uint64_t)((double)m->taken * 1e6 / m->rate);
}

uint32_t moves_left(const moves_t *m) {
    return m->total - m->taken;
}
