/* timeline: the run second by second, for the history CSV and the HTML
 * charts — per second the users, requests, failures and bytes of that second,
 * the latency percentiles of that second (PERCENTILES_VALUES), and the
 * cumulative totals at that moment. A report counts in the second its caller
 * gives (the conductor gives the middle of the interval the report covers,
 * half a report interval before it arrived). Memory grows by one small point
 * per second; no histogram is kept per point. */
#ifndef BARRAGE_REPORT_TIMELINE_H
#define BARRAGE_REPORT_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "common/histogram.h"
#include "report/percentiles.h"
#include "report/results.h"

typedef struct {
    uint32_t second;  /* since the run started: this point covers [second, second + 1) */
    uint64_t wall_ms; /* wall clock at the end of the second */
    uint32_t users;
    uint64_t requests, failures, bytes; /* in this second */
    uint64_t pct_us[PERCENTILES_N]; /* this second's percentiles (0 when no requests) */
    /* Cumulative since the start, at the end of this second. */
    uint64_t total_requests, total_failures, total_bytes;
    uint64_t total_median_us, total_min_us, total_max_us;
    double total_avg_us;
} timeline_point_t;

typedef struct timeline timeline_t;

timeline_t *timeline_new(void);
void timeline_destroy(timeline_t **t);

/* Adds a report's rows to `second` (seconds since the start, chosen by the
 * caller: the conductor passes the middle of the interval the report covers).
 * The caller first closes the seconds before it with timeline_close_until, so
 * the open second is `second`; a report for a second already closed counts in
 * the open one (seconds never go back). Borrows d. */
void timeline_add(timeline_t *t, uint32_t second, const results_delta_t *d);
/* Closes every second before `second`, stamping users, and wall_ms as the
 * end of that second: start_wall_ms (the run's start, wall clock) plus
 * (second + 1) s. Points for seconds without reports have zero counts. */
void timeline_close_until(timeline_t *t, uint32_t second, uint32_t users, uint64_t start_wall_ms);

size_t timeline_count(const timeline_t *t);
const timeline_point_t *timeline_point(const timeline_t *t, size_t i);
/* A deep copy of t (points, the open second and its histograms); the
 * caller destroys it. */
timeline_t *timeline_clone(const timeline_t *t);
/* Appends a ready-made point (the JSON reader rebuilds timelines this way). */
void timeline_append(timeline_t *t, const timeline_point_t *p);

#endif
