/* rebalance: level shares with the fewest users moved. */
#include "load/rebalance.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

/* How far worker row `row` is above its fair share of class c, scaled by
 * the run's users so that it stays an integer: row[c] * users - per_class[c] * share. */
static int64_t s_excess(const uint32_t *row, const uint32_t *per_class, size_t c, uint64_t users,
                        uint32_t share) {
    return (int64_t)((uint64_t)row[c] * users) - (int64_t)((uint64_t)per_class[c] * share);
}

/* Level targets: everyone gets users / n; the spare ones go to the workers
 * that hold the most now (ties: the earlier one), so fewer users move. */
static void s_targets(const uint64_t *held, uint32_t n, uint64_t users, uint32_t *target) {
    uint64_t base = users / n, spare = users % n;
    bool *plus = xcalloc(n, sizeof *plus);
    for (uint64_t k = 0; k < spare; k++) {
        uint32_t best = UINT32_MAX;
        for (uint32_t w = 0; w < n; w++) {
            if (!plus[w] && (best == UINT32_MAX || held[w] > held[best])) best = w;
        }
        plus[best] = true;
    }
    for (uint32_t w = 0; w < n; w++)
        target[w] = (uint32_t)(base + (plus[w] ? 1 : 0));
    free(plus);
}

/* Takes users from a worker above its target, each time of the class it
 * holds most in excess of its fair share. */
static void s_shed(uint32_t *row, const uint32_t *per_class, size_t n_classes, uint64_t users,
                   uint32_t target, uint64_t *held, uint64_t *pool) {
    while (*held > target) {
        size_t best = n_classes;
        for (size_t c = 0; c < n_classes; c++) {
            if (row[c] == 0) continue;
            if (best == n_classes || s_excess(row, per_class, c, users, target) >
                                         s_excess(row, per_class, best, users, target))
                best = c;
        }
        row[best]--;
        pool[best]++;
        (*held)--;
    }
}

/* Gives users from the pool to a worker below its target, each time of the
 * class it lacks most compared with its fair share. */
static void s_fill(uint32_t *row, const uint32_t *per_class, size_t n_classes, uint64_t users,
                   uint32_t target, uint64_t *held, uint64_t *pool) {
    while (*held < target) {
        size_t best = n_classes;
        for (size_t c = 0; c < n_classes; c++) {
            if (pool[c] == 0) continue;
            if (best == n_classes || s_excess(row, per_class, c, users, target) <
                                         s_excess(row, per_class, best, users, target))
                best = c;
        }
        if (best == n_classes) return; /* cannot happen: the pool holds every deficit */
        row[best]++;
        pool[best]--;
        (*held)++;
    }
}

int rebalance_plan(const uint32_t *per_class, size_t n_classes, const uint32_t *current,
                   uint32_t n_workers, uint32_t *out) {
    if (n_workers == 0) return -1;
    uint64_t users = 0;
    uint64_t *pool = xcalloc(n_classes ? n_classes : 1, sizeof *pool);
    uint64_t *held = xcalloc(n_workers, sizeof *held);
    for (size_t c = 0; c < n_classes; c++) {
        uint64_t given = 0;
        for (uint32_t w = 0; w < n_workers; w++)
            given += current[(size_t)w * n_classes + c];
        if (given > per_class[c]) {
            free(pool);
            free(held);
            return -1;
        }
        pool[c] = per_class[c] - given; /* the lost workers' users */
        users += per_class[c];
    }
    memcpy(out, current, (size_t)n_workers * n_classes * sizeof *out);
    for (uint32_t w = 0; w < n_workers; w++) {
        for (size_t c = 0; c < n_classes; c++)
            held[w] += current[(size_t)w * n_classes + c];
    }
    uint32_t *target = xcalloc(n_workers, sizeof *target);
    s_targets(held, n_workers, users, target);
    /* Shed first, so the pool holds every user to hand out. */
    for (uint32_t w = 0; w < n_workers; w++) {
        s_shed(&out[(size_t)w * n_classes], per_class, n_classes, users, target[w], &held[w], pool);
    }
    for (uint32_t w = 0; w < n_workers; w++) {
        s_fill(&out[(size_t)w * n_classes], per_class, n_classes, users, target[w], &held[w], pool);
    }
    free(target);
    free(held);
    free(pool);
    return 0;
}

uint32_t rebalance_starts(const uint32_t *from, const uint32_t *to, size_t n_classes) {
    uint32_t n = 0;
    for (size_t c = 0; c < n_classes; c++)
        n += to[c] > from[c] ? to[c] - from[c] : 0;
    return n;
}

uint32_t rebalance_moves(const uint32_t *from, const uint32_t *to, size_t n_classes) {
    uint32_t n = 0;
    for (size_t c = 0; c < n_classes; c++)
        n += to[c] > from[c] ? to[c] - from[c] : from[c] - to[c];
    return n;
}

double rebalance_rate(double rate, uint32_t moves, uint32_t total_moves) {
    if (rate <= 0 || moves == 0 || total_moves == 0) return 0;
    return rate * moves / total_moves;
}
