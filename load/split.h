/* split: dividing a run's virtual users exactly — across user classes by
 * weight (largest remainder, so class counts sum to the total and follow the
 * weights globally), then across workers as evenly as possible (per-worker
 * totals differ by at most one). */
#ifndef BARRAGE_LOAD_SPLIT_H
#define BARRAGE_LOAD_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ramp.h"

/* Fills per_class[n_classes] with users split by weights. Returns 0, or -1
 * if the weights sum to 0. */
int split_classes(uint32_t users, const uint32_t *weights, size_t n_classes, uint32_t *per_class);

/* Fills out[w * n_classes + c], the users of class c on worker w, for
 * n_workers >= 1. Every class's users sum exactly to per_class[c]. */
void split_workers(const uint32_t *per_class, size_t n_classes, uint32_t n_workers, uint32_t *out);

/* Worker pos's share (0 <= pos < n_workers) of a rate: the rate is dealt in
 * micro-units (1e-6/s) like users, so the n_workers shares add up to the rate
 * exactly (1000/s over 3 workers: 333.333334 + 333.333333 + 333.333333). */
double split_rate_share(double rate, uint32_t n_workers, uint32_t pos);
/* Worker pos's share of a count: total / n_workers, plus one for the first
 * total % n_workers workers (the shares add up to total). */
uint32_t split_count_share(uint32_t total, uint32_t n_workers, uint32_t pos);
/* Worker pos's ramp: every stage's target replaced by its share (a rate's by
 * split_rate_share, users' by split_count_share), into out[n_stages]. */
void split_stages(const ramp_stage_t *stages, size_t n_stages, bool rate, uint32_t n_workers,
                  uint32_t pos, ramp_stage_t *out);

#endif
