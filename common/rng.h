/* rng: small fast PRNG (xoshiro256**) with explicit state; one per owner, no globals. */
#ifndef BARRAGE_COMMON_RNG_H
#define BARRAGE_COMMON_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];
} rng_t;

/* Seeds state from seed via splitmix64 (any seed, including 0, is fine). */
void rng_seed(rng_t *r, uint64_t seed);
uint64_t rng_next(rng_t *r);
/* Uniform integer in [lo, hi] (inclusive); lo when hi <= lo. */
uint64_t rng_range(rng_t *r, uint64_t lo, uint64_t hi);
/* Uniform double in [0, 1). */
double rng_unit(rng_t *r);

#endif
