/* schedule: the open model's arithmetic on one worker — when its k-th arrival
 * is due, and which user class each arrival goes to. Pure, plain data.
 *
 * The worker's rate follows a ramp (common/ramp.h); arrival k is due when the
 * ramp's integral (arrivals due so far) reaches k + phase. Workers of a run
 * get phases index / count, so with equal shares their arrivals interleave
 * evenly: at 1000/s over 2 workers, worker 0 fires at 0, 2, 4 ... ms and
 * worker 1 at 1, 3, 5 ... ms. Each time is computed from k afresh, so a long
 * run never drifts. */
#ifndef BARRAGE_LOAD_SCHEDULE_H
#define BARRAGE_LOAD_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "common/ramp.h"

typedef struct {
    ramp_t ramp;   /* borrowed stages */
    double phase;  /* 0 <= phase < 1 */
    double scale;  /* the rate is scale x the ramp (1 until a rescale) */
    double offset; /* arrivals owed to earlier scales, keeps the count continuous */
} schedule_t;

/* A schedule along ramp (its stages are borrowed) with phase in [0, 1). */
void schedule_init(schedule_t *s, const ramp_t *ramp, double phase);
/* When arrival k (0-based) is due, in µs from the ramp's origin, or RAMP_NEVER. */
uint64_t schedule_at(const schedule_t *s, uint64_t k);
/* From t_us on the rate is factor times what it was (0 stops the arrivals);
 * arrivals already due are unaffected. */
void schedule_rescale(schedule_t *s, uint64_t t_us, double factor);

/* Smooth weighted round robin over the user classes: any run of picks keeps
 * the weights' mix as closely as whole picks can (8:2 gives A A B A A A A B
 * A A ...), deterministically. */
typedef struct {
    size_t n;
    int64_t *weight;
    int64_t *current;
    int64_t total;
} schedule_mix_t;

/* Copies n weights; a zero weight is never picked. */
void schedule_mix_init(schedule_mix_t *m, const uint32_t *weights, size_t n);
void schedule_mix_fini(schedule_mix_t *m);
/* The next class (0 when every weight is 0). */
uint32_t schedule_mix_next(schedule_mix_t *m);

/* The closed model's ramp on one worker: total users over the classes in
 * proportion to weights (each class's count at the ramp's peak), largest
 * remainder first, so the counts add up to total and never pass a weight
 * while total <= the weights' sum. Fills out[n]. */
void schedule_split_users(uint32_t total, const uint32_t *weights, size_t n, uint32_t *out);

#endif
