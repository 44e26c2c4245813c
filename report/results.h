/* results: the master's merged statistics — per (method, name) totals with
 * an exact merged latency histogram, the aggregate over all names, failure
 * reasons with counts, and a "window" of the same since the last
 * results_window_reset, for the live view. Rows keep first-seen order. */
#ifndef BARRAGE_REPORT_RESULTS_H
#define BARRAGE_REPORT_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "common/histogram.h"
#include "proto/proto.h"

/* A server-side metric of a row, values x1000 (see proto_metric_t). */
typedef struct {
    char *name;
    histogram_t *values;
} results_metric_t;

typedef struct {
    char *method;
    char *name;
    uint64_t requests, failures, bytes;
    histogram_t *latency;
    results_metric_t *metrics; /* Server-Timing / X-Query-Count, first-seen order */
    size_t n_metrics;
    uint64_t win_requests, win_failures; /* since the last window reset */
    histogram_t *win_latency;
} results_row_t;

typedef struct {
    char *method;
    char *name;
    char *reason;
    uint64_t count;
} results_error_t;

typedef struct results results_t;

results_t *results_new(void);
void results_destroy(results_t **r);

/* Merges one worker report (STATS or FINAL body) into the totals and the window. */
void results_add(results_t *r, const proto_stats_t *st);

size_t results_count(const results_t *r);
/* Row i (0 .. count-1), borrowed. */
const results_row_t *results_row(const results_t *r, size_t i);
/* The aggregate of every row ("Aggregated"), borrowed; method and name are "". */
const results_row_t *results_total(const results_t *r);
/* Looks a row up by method and name; NULL if absent. */
const results_row_t *results_find(const results_t *r, const char *method, const char *name);

size_t results_error_count(const results_t *r);
const results_error_t *results_error(const results_t *r, size_t i);

/* Open model: iterations dropped because max_users was reached (the sum of
 * the reports' dropped counts); results_add_dropped adds n (a JSON read). */
uint64_t results_dropped(const results_t *r);
void results_add_dropped(results_t *r, uint64_t n);

/* Starts a new live-view window (window counters and histograms emptied). */
void results_window_reset(results_t *r);

#endif
