/* thresholds: pass/fail checks on a finished run ("p95 < 300ms",
 * "/login: failure_rate < 1%"), parsed once before the run so a bad one is a
 * usage or scenario error, then evaluated against the report at the end.
 *
 * Syntax:   [NAME:] METRIC OP VALUE        (spaces anywhere between tokens)
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
 *
 * Names are case-sensitive, metrics and units lowercase. A run (or name) with
 * no requests fails every threshold on it with measured "no requests": a
 * threshold never passes on nothing measured. */
#ifndef BARRAGE_REPORT_THRESHOLDS_H
#define BARRAGE_REPORT_THRESHOLDS_H

#include <stddef.h>
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
} thresholds_check_t;

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

/* Evaluates checks[0..n-1] against r (its results and run_seconds) and
 * appends one report_threshold_t per check, in order, with report_add_threshold:
 * passed, value (the measured value in the check's unit) and measured as
 * shown ("212ms", "0.4%", "153.2/s", or "no requests"). */
void thresholds_evaluate(report_t *r, const thresholds_check_t *checks, size_t n);

/* Prints r's verdicts, one line each ("  PASS  p95 < 300ms   (measured 212ms)",
 * "  FAIL  /login: p99 < 1s   (measured 1.42s)"), then one total line
 * ("  2 of 3 thresholds passed, 1 failed", "  3 of 3 thresholds passed").
 * Prints nothing without thresholds. */
void thresholds_print(FILE *out, const report_t *r);

#endif
