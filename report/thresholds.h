/* thresholds: pass/fail checks on a finished run ("p95 < 300ms",
 * "/login: failure_rate < 1%"), parsed once before the run so a bad one is a
 * usage or scenario error, then evaluated against the report at the end.
 *
 * Syntax:   [NAME:] METRIC OP VALUE [over DURATION]   (spaces anywhere between tokens)
 *
 *   NAME    optional stats name, everything before the last ':' ("/login:
 *           p95 < 300ms"); without it the check applies to the aggregate of
 *           all names. A name matches the rows of that stats name whatever their
 *           method; several methods sharing a name (GET and POST /cart) are
 *           combined exactly: counts summed, histograms merged.
 *   METRIC  pNN (0 < NN <= 100: p50 p95 p99 p99.9 p100 ...), med (= p50), avg,
 *           min, max — latencies; failure_rate; failures, requests (counts);
 *           rps (requests per second over the measured run time).
 *   OP      <  <=  >  >=  ==  !=
 *   VALUE   latencies: a number with us, ms, s or m; a bare number is ms (as in
 *           Locust's tables): "300ms", "1.5s", "300".
 *           failure_rate: a percentage "1%" or a fraction 0..1 "0.01".
 *           failures, requests: a whole number. rps: a number, "/s" optional.
 *   over    a sliding window of whole seconds (at most THRESHOLDS_MAX_WINDOW_S):
 *           the check is judged on the last DURATION of the run only, from the
 *           per-second histograms of those seconds merged (report/window.h) —
 *           exact, not an average of percentiles; rps is then per second of
 *           the window.
 *
 * While a run goes on every check is judged each second (live verdicts); a
 * check with abort set stops the run when it fails, once delay_ms of the run
 * have passed (k6's abortOnFail and delayAbortEval).
 *
 * Names are case-sensitive, metrics and units lowercase. A run (or name) with
 * no requests fails every threshold on it with measured "no requests": a
 * threshold never passes on nothing measured. */
#ifndef BARRAGE_REPORT_THRESHOLDS_H
#define BARRAGE_REPORT_THRESHOLDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/report.h"

typedef enum {
    THRESHOLDS_PERCENTILE, /* pNN and med */
    THRESHOLDS_AVG,
    THRESHOLDS_MIN,
    THRESHOLDS_MAX,
    THRESHOLDS_FAILURE_RATE,
    THRESHOLDS_FAILURES,
    THRESHOLDS_REQUESTS,
    THRESHOLDS_RPS,
} thresholds_metric_t;

typedef enum {
    THRESHOLDS_LT,
    THRESHOLDS_LE,
    THRESHOLDS_GT,
    THRESHOLDS_GE,
    THRESHOLDS_EQ,
    THRESHOLDS_NE,
} thresholds_op_t;

/* The unit the value was written in; measured values are shown in it. */
typedef enum {
    THRESHOLDS_UNIT_US,
    THRESHOLDS_UNIT_MS,
    THRESHOLDS_UNIT_S,
    THRESHOLDS_UNIT_MIN,
    THRESHOLDS_UNIT_PERCENT,  /* failure_rate "1%" */
    THRESHOLDS_UNIT_FRACTION, /* failure_rate "0.01" */
    THRESHOLDS_UNIT_COUNT,    /* failures, requests */
    THRESHOLDS_UNIT_PER_S,    /* rps */
} thresholds_unit_t;

/* One parsed threshold. Plain data; strings owned (thresholds_check_fini). */
typedef struct {
    char *text; /* the check as written, without the name prefix: "p95 < 300ms" */
    char *name; /* NULL = aggregated, else the stats name */
    thresholds_metric_t metric;
    double percentile; /* THRESHOLDS_PERCENTILE: 0 < percentile <= 100 */
    thresholds_op_t op;
    thresholds_unit_t unit;
    double limit; /* in the written unit: 300 for "300ms", 1 for "1%", 0.01 for "0.01" */
    uint64_t window_ms; /* "over 30s": 30000; 0 = the whole run */
    bool abort;         /* stop the run when it fails while running (the scenario's abort:) */
    uint64_t delay_ms;  /* abort not before this much of the run has passed (delay:) */
} thresholds_check_t;

/* The longest window "over ..." may give, in seconds. */
#define THRESHOLDS_MAX_WINDOW_S 600u

/* Parses text ("p95 < 300ms", "/login: p99<1s") into *out. Returns 0, or -1
 * with a message in err (e.g. "unknown metric 'p95x' (expected pNN, avg, ...)")
 * and *err_offset = the byte offset in text where the problem starts; *out is
 * then left empty (nothing to free). err and err_offset may be NULL. On
 * success release *out with thresholds_check_fini. */
int thresholds_parse(const char *text, thresholds_check_t *out, char *err, size_t err_bytes,
                     size_t *err_offset);

/* As thresholds_parse, for a scenario's {name: NAME, check: TEXT} form: name
 * (NULL allowed = aggregated) applies to the check; a TEXT that carries its own
 * "NAME:" prefix as well is an error. Offsets are into text. */
int thresholds_parse_named(const char *name, const char *text, thresholds_check_t *out, char *err,
                           size_t err_bytes, size_t *err_offset);

/* Frees the strings of c (NULL allowed) and empties it. */
void thresholds_check_fini(thresholds_check_t *c);

/* What a check measures: the requests, failures and latency of the rows it
 * names (or of all rows), over the whole run or a window. */
typedef struct {
    uint64_t requests, failures;
    const histogram_t *latency; /* NULL when no requests */
} thresholds_sample_t;

/* The sample of the rows of res named name (NULL = the aggregate): several
 * methods under one name are combined exactly (histograms merged into *own,
 * which the caller destroys; NULL when nothing was merged). */
void thresholds_sample_of(const results_t *res, const char *name, thresholds_sample_t *s,
                          histogram_t **own);

/* Judges c on s over `seconds` of run (for rps) into *t: text and name
 * borrowed from c, passed, value, and measured written into measured
 * (measured_bytes; t->measured points to it). */
void thresholds_judge(const thresholds_check_t *c, const thresholds_sample_t *s, double seconds,
                      report_threshold_t *t, char *measured, size_t measured_bytes);

typedef struct window window_t; /* report/window.h */

/* Evaluates checks[0..n-1] against r (its results and run_seconds) and
 * appends one report_threshold_t per check, in order, with report_add_threshold:
 * passed, value (the measured value in the check's unit) and measured as
 * shown ("212ms", "0.4%", "153.2/s", or "no requests"). A windowed check
 * is judged on w's last seconds (w made from these checks; NULL: on the
 * whole run, as a result read back from JSON has no seconds). */
void thresholds_evaluate(report_t *r, const thresholds_check_t *checks, size_t n,
                         const window_t *w);

/* A verdict as a person names it: "p95 < 300ms", "/login: p99 < 1s" (caller frees). */
char *thresholds_label(const report_threshold_t *t);

/* Prints r's verdicts, one line each ("  PASS  p95 < 300ms   (measured 212ms)",
 * "  FAIL  /login: p99 < 1s   (measured 1.42s)"), then one total line
 * ("  2 of 3 thresholds passed, 1 failed", "  3 of 3 thresholds passed"),
 * and the one that stopped the run, if one did ("  the run was stopped
 * after 5.0 s: 'failure_rate < 1%' failed and has abort set"). Prints
 * nothing without thresholds. */
void thresholds_print(FILE *out, const report_t *r);

#endif
