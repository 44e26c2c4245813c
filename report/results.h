/* results: the master's merged statistics — per (method, name) totals with
 * an exact merged latency histogram, the aggregate over all names, failure
 * reasons with counts, and a "window" of the same since the last
 * results_window_reset, for the live view. Rows keep first-seen order. */
#ifndef BARRAGE_REPORT_RESULTS_H
#define BARRAGE_REPORT_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/histogram.h"

/* The most server-side metrics a row may have (the JSON reader's limit; the
 * wire carries at most as many in a whole message, see master/ingest.c). */
#define RESULTS_MAX_METRICS 1024u

/* The HTTP versions a row counts responses of (report/httpver.h names them). */
enum { RESULTS_HTTP_1_0, RESULTS_HTTP_1_1, RESULTS_HTTP_2, RESULTS_HTTP_3, RESULTS_HTTP_N };
/* The phases of a request's time (report/phases.h names them); they add up
 * to curl's total time of the request (docs/phases.md). */
enum {
    RESULTS_PHASE_DNS,
    RESULTS_PHASE_CONNECT,
    RESULTS_PHASE_TLS,
    RESULTS_PHASE_WAIT,
    RESULTS_PHASE_RECEIVE,
    RESULTS_PHASE_N
};
/* The HTTP version a row's requests asked for (the scenario's http:). */
typedef enum {
    RESULTS_ASKED_NONE = 0, /* not known, or its requests ask for different ones */
    RESULTS_ASKED_1_1,
    RESULTS_ASKED_2,   /* HTTP/2 over TLS (ALPN), HTTP/1.1 when the server lacks it */
    RESULTS_ASKED_H2C, /* HTTP/2 with prior knowledge */
    RESULTS_ASKED_MAX
} results_asked_t;

/* What one report adds (a worker's interval, or a row read back from a JSON
 * result). Plain rows, no wire types: master/ingest.c converts the wire's
 * stats into these. Everything is borrowed: results_add copies what it keeps
 * and only reads the histograms. */

/* A server-side metric of a row delta: its values recorded x1000 (a
 * Server-Timing dur in ms as us, a count as milli-counts). */
typedef struct {
    const char *name;          /* "db", "total", "queries" */
    const histogram_t *values; /* NULL = no values */
} results_metric_delta_t;

/* One (method, name) row of a report: the counts and latency of its interval. */
typedef struct {
    const char *method;
    const char *name;
    uint64_t requests, failures, bytes; /* bytes: response body bytes received */
    uint64_t http_versions[RESULTS_HTTP_N]; /* responses by HTTP version (sum <= requests) */
    results_asked_t http_asked;
    const histogram_t *latency;         /* NULL = no samples */
    const histogram_t *phases[RESULTS_PHASE_N]; /* per RESULTS_PHASE_*, in us; NULL = none */
    uint64_t connects;                          /* new connections opened */
    uint64_t wire_bytes; /* response bytes received: headers + undecoded body */
    size_t n_metrics;
    const results_metric_delta_t *metrics;
} results_row_delta_t;

/* One failure reason of a report with how many times it occurred. */
typedef struct {
    const char *method;
    const char *name;
    const char *reason; /* e.g. "HTTP 503", "connect: Connection refused" */
    uint64_t count;
} results_error_delta_t;

/* One report: rows, errors, and (open model) iterations dropped. */
typedef struct {
    size_t n_rows;
    const results_row_delta_t *rows;
    size_t n_errors;
    const results_error_delta_t *errors;
    uint64_t dropped; /* iterations not started because max_users was reached */
} results_delta_t;

/* Whether a metric is X-Query-Count's (the workers record it as "queries"): a count,
 * not a Server-Timing duration in ms. */
bool results_metric_is_count(const char *name);

/* A server-side metric of a row, values x1000 (see results_metric_delta_t). */
typedef struct {
    char *name;
    histogram_t *values;
} results_metric_t;

/* Per-second counts of a row for its current rates: slot second % RESULTS_RATE_SECONDS
 * holds that second (stored as second + 1; 0 = empty). */
#define RESULTS_RATE_SECONDS 16u
/* The current rates average the last RESULTS_RATE_WINDOW_S complete seconds
 * (Locust's current_rps: a ~10 s sliding window of per-second counts). */
#define RESULTS_RATE_WINDOW_S 10u

typedef struct {
    uint32_t second_plus1[RESULTS_RATE_SECONDS];
    uint64_t requests[RESULTS_RATE_SECONDS], failures[RESULTS_RATE_SECONDS];
} results_persec_t;

typedef struct {
    char *method;
    char *name;
    uint64_t requests, failures, bytes;
    uint64_t http_versions[RESULTS_HTTP_N]; /* responses by the HTTP version they came in */
    results_asked_t http_asked;             /* the first known one merged; NONE for the aggregate */
    histogram_t *latency;
    histogram_t *phases[RESULTS_PHASE_N]; /* where the time went, per RESULTS_PHASE_*, in us */
    uint64_t connects;                    /* new connections opened */
    uint64_t wire_bytes;       /* response bytes received: headers + body before decoding */
    results_metric_t *metrics; /* Server-Timing / X-Query-Count, first-seen order */
    size_t n_metrics;
    uint64_t win_requests, win_failures; /* since the last window reset */
    histogram_t *win_latency;
    results_persec_t persec; /* the last seconds' counts (results_add_at) */
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

/* Merges one report into the totals and the window: rows by (method, name)
 * (counts, HTTP versions, connections, wire bytes and histograms — latency
 * and phases — added; the version asked kept from
 * the first delta that knows it), errors by (method, name, reason), dropped
 * added. Borrows d. */
void results_add(results_t *r, const results_delta_t *d);
/* results_add, and each row's (and the aggregate's) requests and failures
 * also counted in `second` (seconds since the stats started) for the
 * current rates. A second older than RESULTS_RATE_SECONDS before the newest
 * counted is left out of the rates only. */
void results_add_at(results_t *r, const results_delta_t *d, uint32_t second);
/* A row's current requests/s and failures/s at `now_second` (the second
 * still being filled): the mean over the complete seconds
 * [now_second - RESULTS_RATE_WINDOW_S, now_second), clipped at 0; both 0
 * when now_second is 0. */
void results_current_rates(const results_row_t *row, uint32_t now_second, double *rps,
                           double *fail_per_s);

/* A deep copy of r (rows with their histograms, errors, dropped, windows,
 * per-second counts); the caller destroys it. */
results_t *results_clone(const results_t *r);
/* Empties r: no rows, no errors, nothing dropped (Locust's "reset stats"). */
void results_reset(results_t *r);

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
