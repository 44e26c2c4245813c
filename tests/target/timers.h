/* timers: a binary min-heap of deadlines, so delayed responses never block the event loop. */
#ifndef BARRAGE_TARGET_TIMERS_H
#define BARRAGE_TARGET_TIMERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Embed one in the object that waits; the heap stores pointers to it (no allocation per timer
 * once the heap array has grown). Initialise with timer_node_init. */
typedef struct {
    uint64_t deadline_us; /* CLOCK_MONOTONIC, see clock_now_us */
    size_t heap_index;    /* TIMERS_UNARMED when not in a heap */
} timer_node_t;

#define TIMERS_UNARMED ((size_t)-1)

typedef struct timers timers_t;

void timer_node_init(timer_node_t *n);
bool timer_node_armed(const timer_node_t *n);

/* Returns an empty heap. */
timers_t *timers_new(void);
/* Frees the heap (not the nodes, which belong to their owners); accepts NULL, nulls *p. */
void timers_destroy(timers_t **p);

/* Arms n for deadline_us; re-arms it if it was already armed. */
void timers_add(timers_t *t, timer_node_t *n, uint64_t deadline_us);
/* Disarms n; no-op if not armed. */
void timers_remove(timers_t *t, timer_node_t *n);
/* Removes and returns the earliest node whose deadline is <= now_us, or NULL. */
timer_node_t *timers_pop_expired(timers_t *t, uint64_t now_us);
/* Milliseconds (rounded up) until the earliest deadline, 0 if due, -1 if the heap is empty:
 * the value epoll_wait takes as its timeout. */
int timers_timeout_ms(const timers_t *t, uint64_t now_us);
/* The same in microseconds (not rounded; at most 60 s), -1 if the heap is empty: for
 * epoll_pwait2, so a 10 ms delay is not served up to a millisecond late. */
int64_t timers_timeout_us(const timers_t *t, uint64_t now_us);

#endif
