/* split: exact division of users across classes and workers. */
#include "load/split.h"

#include "common/xmalloc.h"

#include <math.h>
#include <stdlib.h>

int split_classes(uint32_t users, const uint32_t *weights, size_t n_classes, uint32_t *per_class) {
    uint64_t total_weight = 0;
    for (size_t c = 0; c < n_classes; c++) total_weight += weights[c];
    if (total_weight == 0) return -1;
    uint64_t given = 0;
    uint64_t *rem = xcalloc(n_classes, sizeof *rem);
    for (size_t c = 0; c < n_classes; c++) {
        uint64_t exact = (uint64_t)users * weights[c];
        per_class[c] = (uint32_t)(exact / total_weight);
        rem[c] = exact % total_weight;
        given += per_class[c];
    }
    /* Largest remainders first; ties go to the class listed first. */
    while (given < users) {
        size_t best = 0;
        for (size_t c = 1; c < n_classes; c++) {
            if (rem[c] > rem[best]) best = c;
        }
        per_class[best]++;
        rem[best] = 0;
        given++;
    }
    free(rem);
    return 0;
}

void split_workers(const uint32_t *per_class, size_t n_classes, uint32_t n_workers, uint32_t *out) {
    /* Each class is dealt evenly; its leftover users continue round-robin
     * from where the previous class's leftovers stopped, so totals stay level. */
    uint32_t cursor = 0;
    for (size_t c = 0; c < n_classes; c++) {
        uint32_t base = per_class[c] / n_workers, extra = per_class[c] % n_workers;
        for (uint32_t w = 0; w < n_workers; w++) out[(size_t)w * n_classes + c] = base;
        for (uint32_t k = 0; k < extra; k++) {
            out[(size_t)cursor * n_classes + c]++;
            cursor = (cursor + 1) % n_workers;
        }
    }
}

double split_rate_share(double rate, uint32_t n_workers, uint32_t pos) {
    if (n_workers == 0 || !(rate > 0)) return 0;
    if (rate > 1e12) return rate / n_workers; /* beyond micro-units in 64 bits; absurd anyway */
    uint64_t units = (uint64_t)llround(rate * 1e6);
    uint64_t share = units / n_workers + (pos < units % n_workers ? 1 : 0);
    return (double)share / 1e6;
}

uint32_t split_count_share(uint32_t total, uint32_t n_workers, uint32_t pos) {
    if (n_workers == 0) return 0;
    return total / n_workers + (pos < total % n_workers ? 1 : 0);
}

void split_stages(const ramp_stage_t *stages, size_t n_stages, bool rate, uint32_t n_workers,
                  uint32_t pos, ramp_stage_t *out) {
    for (size_t i = 0; i < n_stages; i++) {
        double t = stages[i].target;
        out[i].duration_us = stages[i].duration_us;
        out[i].target = rate ? split_rate_share(t, n_workers, pos)
                             : (double)split_count_share(t < UINT32_MAX ? (uint32_t)t : UINT32_MAX,
                                                         n_workers, pos);
    }
}
