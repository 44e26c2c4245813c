/* live: progress while a run goes on, the one place it is rendered. On a
 * terminal, a table redrawn every interval — users (or rate), workers and a
 * progress bar, then per name the requests, failures, RPS and p50/p95/p99
 * over the last LIVE_WINDOW_SLOTS intervals; otherwise one plain line per
 * interval:
 *   [  12.5s/60s] users 5/10  workers 2  reqs 104  fails 10 (9.62%)  rps 52.0  p50 50.0ms p95 ...
 * with the same load part and the aggregate's RPS and percentiles over the
 * same window as the table. It consumes the results' window
 * (results_window_reset) each tick. */
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

/* Takes the interval that just ended (info->window_s long) from r's window,
 * resets it, and draws the table or the line. */
void live_tick(live_t *l, results_t *r, const summary_live_t *info);
/* Forgets the window (a new run, or its stats reset: the results' rows
 * start again). */
void live_reset(live_t *l);

#endif
