/* rebalance: moving a running run's users when a worker is lost or joins.
 * The workers still in the run (survivors and newcomers) end with level
 * totals (differing by at most one), every class's users sum exactly to the
 * run's split, and users move as little as possible: a worker that holds no
 * more than its new share keeps every user it has and only gains; one that
 * holds more only sheds. Pure arithmetic, no I/O. */
#ifndef BARRAGE_LOAD_REBALANCE_H
#define BARRAGE_LOAD_REBALANCE_H

#include <stddef.h>
#include <stdint.h>

/* per_class[c]: the run's users of class c (from split_classes).
 * current[w * n_classes + c]: users of class c worker w holds now (all 0 for a
 * newcomer); users of lost workers are simply absent, so they are what
 * current lacks. Fills out (same shape as current) with the new shares.
 * Returns 0, or -1 (out untouched) if n_workers is 0 or current holds more
 * users of a class than per_class. */
int rebalance_plan(const uint32_t *per_class, size_t n_classes, const uint32_t *current,
                   uint32_t n_workers, uint32_t *out);

/* Users a worker starts to go from row `from` to row `to`: the sum over
 * classes of max(0, to - from). */
uint32_t rebalance_starts(const uint32_t *from, const uint32_t *to, size_t n_classes);
/* Users a worker starts or retires: the sum over classes of |to - from|. */
uint32_t rebalance_moves(const uint32_t *from, const uint32_t *to, size_t n_classes);

/* A worker's share of the run's spawn rate for its part of a rebalance:
 * rate * moves / total_moves, so that every worker finishes its moves at
 * about the same time and the run as a whole moves users at `rate`. 0 when
 * rate is 0 (all at once) or there is nothing to move. */
double rebalance_rate(double rate, uint32_t moves, uint32_t total_moves);

#endif
