/* split: dividing a run's virtual users exactly — across user classes by
 * weight (largest remainder, so class counts sum to the total and follow the
 * weights globally), then across workers as evenly as possible (per-worker
 * totals differ by at most one). */
#ifndef BARRAGE_MASTER_SPLIT_H
#define BARRAGE_MASTER_SPLIT_H

#include <stddef.h>
#include <stdint.h>

/* Fills per_class[n_classes] with users split by weights. Returns 0, or -1
 * if the weights sum to 0. */
int split_classes(uint32_t users, const uint32_t *weights, size_t n_classes, uint32_t *per_class);

/* Fills out[w * n_classes + c], the users of class c on worker w, for
 * n_workers >= 1. Every class's users sum exactly to per_class[c]. */
void split_workers(const uint32_t *per_class, size_t n_classes, uint32_t n_workers, uint32_t *out);

#endif
