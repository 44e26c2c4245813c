/* live: progress while a run goes on. On a terminal, a table redrawn every
 * interval — per name the requests, failures, current RPS and p50/p95/p99 over
 * the last LIVE_WINDOW_SLOTS intervals, then users, workers and a progress
 * bar; otherwise one plain line per interval. It consumes the results'
 * window (results_window_reset) each tick. */
#ifndef BARRAGE_MASTER_LIVE_H
#define BARRAGE_MASTER_LIVE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/results.h"
#include "report/summary.h"

/* With 2 s ticks, five slots make the 10 s window. */
#define LIVE_WINDOW_SLOTS 5

typedef struct live live_t;

/* out: where to draw; tty: draw the table (else plain lines). */
live_t *live_new(FILE *out, bool tty);
void live_destroy(live_t **l);

/* Takes the interval that just ended from r's window, resets it, and draws. */
void live_tick(live_t *l, results_t *r, const summary_live_t *info);

#endif
