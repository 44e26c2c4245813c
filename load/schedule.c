/* schedule: arrival times from a ramp and a phase; class picks by weight. */
#include "load/schedule.h"

#include <stdlib.h>

#include "common/xmalloc.h"

void schedule_init(schedule_t *s, const ramp_t *ramp, double phase) {
    *s = (schedule_t){.ramp = *ramp, .phase = phase, .scale = 1.0, .offset = 0};
}

uint64_t schedule_at(const schedule_t *s, uint64_t k) {
    if (!(s->scale > 0)) return RAMP_NEVER;
    /* scale * integral(t) + offset = k + phase */
    return ramp_time_of(&s->ramp, ((double)k + s->phase - s->offset) / s->scale);
}

void schedule_rescale(schedule_t *s, uint64_t t_us, double factor) {
    double due = ramp_integral(&s->ramp, t_us);
    double scale = s->scale * (factor > 0 ? factor : 0);
    s->offset += (s->scale - scale) * due;
    s->scale = scale;
}

void schedule_mix_init(schedule_mix_t *m, const uint32_t *weights, size_t n) {
    m->n = n;
    m->weight = xcalloc(n ? n : 1, sizeof *m->weight);
    m->current = xcalloc(n ? n : 1, sizeof *m->current);
    m->total = 0;
    for (size_t i = 0; i < n; i++) {
        m->weight[i] = weights[i];
        m->total += weights[i];
    }
}

void schedule_mix_fini(schedule_mix_t *m) {
    free(m->weight);
    free(m->current);
    *m = (schedule_mix_t){0};
}

uint32_t schedule_mix_next(schedule_mix_t *m) {
    if (m->total == 0) return 0;
    size_t best = 0;
    for (size_t i = 0; i < m->n; i++) {
        m->current[i] += m->weight[i];
        if (m->current[i] > m->current[best]) best = i;
    }
    m->current[best] -= m->total;
    return (uint32_t)best;
}

void schedule_split_users(uint32_t total, const uint32_t *weights, size_t n, uint32_t *out) {
    uint64_t sum = 0, given = 0;
    for (size_t i = 0; i < n; i++)
        sum += weights[i];
    for (size_t i = 0; i < n; i++) {
        out[i] = sum ? (uint32_t)((uint64_t)total * weights[i] / sum) : 0;
        given += out[i];
    }
    /* Leftovers one by one to the class furthest below its share (first on ties). */
    while (sum && given < total) {
        size_t best = 0;
        double best_gap = -1e300;
        for (size_t i = 0; i < n; i++) {
            double gap = (double)total * (double)weights[i] / (double)sum - out[i];
            if (weights[i] && gap > best_gap) {
                best_gap = gap;
                best = i;
            }
        }
        out[best]++;
        given++;
    }
}
