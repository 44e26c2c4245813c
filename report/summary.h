/* summary: the text a person reads at the end — the final summary (Locust's
 * request table and percentile columns, the error report), per name and
 * aggregated — and what the live view (master/live.h) is given each tick.
 * Times are printed in milliseconds. */
#ifndef BARRAGE_REPORT_SUMMARY_H
#define BARRAGE_REPORT_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report/percentiles.h"
#include "report/report.h"
#include "report/results.h"


/* The state of the run at a live tick (the live view draws it, master/live.h). */
typedef struct {
    double elapsed_s;  /* time since the run started */
    double duration_s; /* planned run time */
    double window_s;   /* length of the live window */
    uint32_t users, users_target; /* open model: iterations in flight, max_users */
    uint32_t workers;
    bool open;        /* the open model (arrival rate), even while its ramp is at 0/s */
    double rate;      /* open model: the arrival rate asked for now */
    uint64_t dropped; /* open model: iterations dropped so far (max_users reached) */
    size_t thresholds, thresholds_failing; /* judged so far, and failing now */
    const char *failing_first; /* the first failing threshold as written, or NULL (borrowed) */
    uint32_t cpu_max_permille; /* the busiest worker's CPU at its last heartbeat */
} summary_live_t;

/* The final summary; run_s is the measured run time used for req/s. After
 * Locust's tables: server-side metrics, where the time went (per name the
 * average/p95 of each phase and its share, then new connections and the
 * bytes received on the wire and decoded), then HTTP versions when a name asked
 * for HTTP/2 or got another version than 1.1 (with a line per name that
 * asked for HTTP/2 and got something else, e.g. "GET /api: asked HTTP/2, got
 * HTTP/1.1 for 40 of 40 responses"), then the error report. */
void summary_print_final(FILE *out, const results_t *r, double run_s);

/* One line on the run's load: the model and its size, the ramp, and for the
 * open model how many iterations were dropped (max_users reached), e.g.
 * "Load: open model (arrival rate), 1000/s, max_users 2000: 0 iterations dropped";
 * then, for a run stopped by SIGINT or SIGTERM, a second line saying so
 * ("Interrupted: stopped by a signal after 1.5 s of 30.0 s (rates are over
 * the time it ran)"). */
void summary_print_load(FILE *out, const report_t *r);

/* One line per saturation episode of r ("worker W was saturated from 2.5 s
 * to 9.8 s (CPU up to 99.8%, loop lag up to 41.0 ms): latencies from it
 * include time waiting for CPU; add workers or processes"); nothing without. */
void summary_print_saturations(FILE *out, const report_t *r);

/* Formats a microsecond value as milliseconds with precision that keeps
 * three significant digits for small values ("0.215", "12.3", "250"). */
char *summary_format_ms(uint64_t us, char *buf, size_t buf_bytes);

#endif
