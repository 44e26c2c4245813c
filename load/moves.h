/* moves: the order and pace in which a worker's users go from one count per
 * user class to another — at the start of a run (from none) and when the
 * master rebalances it. Starts and retirements are interleaved across classes
 * so that any prefix keeps the classes' mix, one every 1/rate s, the first at
 * once (rate 0: all at once). Pure arithmetic on plain data. */
#ifndef BARRAGE_LOAD_MOVES_H
#define BARRAGE_LOAD_MOVES_H

#include <stdint.h>

/* moves_next_at when no move is left. */
#define MOVES_NONE UINT64_MAX

typedef struct {
    uint32_t n_classes;
    uint32_t *need; /* |to - from| per class */
    int8_t *sign;   /* +1 start, -1 retire, per class */
    uint32_t *done; /* moves taken per class */
    uint32_t total, taken;
    double rate;       /* moves per second; 0 = all at once */
    uint64_t start_us; /* when the first move is due */
} moves_t;

void moves_init(moves_t *m, uint32_t n_classes);
void moves_fini(moves_t *m);

/* Plans the moves from `from` to `to` (n_classes entries each), the first
 * due at now_us. Replaces whatever was left of an earlier plan. */
void moves_plan(moves_t *m, const uint32_t *from, const uint32_t *to, double rate, uint64_t now_us);
/* Moves due by now_us and not taken yet. */
uint32_t moves_due(const moves_t *m, uint64_t now_us);
/* Takes the next move: sets *cls and returns +1 (start a user of that class)
 * or -1 (retire one); returns 0 when none is left. */
int moves_next(moves_t *m, uint32_t *cls);
/* When the next move is due, or MOVES_NONE. */
uint64_t moves_next_at(const moves_t *m);
/* Moves not taken yet. */
uint32_t moves_left(const moves_t *m);

#endif
