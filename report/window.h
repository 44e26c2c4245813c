/* window: the last seconds of a run, one slot per second, for the thresholds
 * judged over a sliding window ("p95 < 300ms over 30s"). For each such check
 * it keeps, per second, the requests, failures and latency histogram of the
 * rows the check names (or of all rows): a window's sample is the union of
 * its seconds — its percentiles exact, not an average of per-second ones.
 * Seconds count as in the timeline (report/timeline.h): a report counts in
 * the second its caller gives, or in the open one if that second closed. */
#ifndef BARRAGE_REPORT_WINDOW_H
#define BARRAGE_REPORT_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "report/results.h"
#include "report/thresholds.h"

typedef struct window window_t;

/* A window for checks[0..n-1] (borrowed: they must outlive it); only the
 * checks with a window_ms keep seconds. Never NULL. */
window_t *window_new(const thresholds_check_t *checks, size_t n);
void window_destroy(window_t **w);

/* Counts d's rows into `second` (seconds since the run's start). */
void window_add(window_t *w, uint32_t second, const results_delta_t *d);
/* Closes every second before `second` (seconds never go back). */
void window_close_until(window_t *w, uint32_t second);
/* Seconds closed so far. */
uint32_t window_closed(const window_t *w);

/* Check i's sample over its window's last closed seconds (all of them when
 * fewer have closed: a window longer than the run uses what exists);
 * *covered is how many seconds that is. The latency is borrowed from *own
 * (the caller destroys it; NULL without requests). A check without a
 * window gives an empty sample. */
void window_sample(const window_t *w, size_t i, thresholds_sample_t *s, histogram_t **own,
                   uint32_t *covered);

#endif
