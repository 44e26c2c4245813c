/* compare: two reports side by side — the "document the optimization" step.
 *
 * Rows are matched by (method, name); a name only in BEFORE is listed as
 * "removed", only in AFTER as "added"; the aggregate comes last. For each
 * row: requests, failure rate, RPS (requests / run seconds of that run), p50,
 * p95 and p99 in ms — before, after, delta and delta %.
 *
 * Verdict of a row present on both sides:
 *   - a latency change counts when p95 or p99 moves by more than rel_pct
 *     percent AND by more than abs_ms milliseconds (defaults 5% and 1 ms, so
 *     noise on fast routes and small drifts on slow ones are both "same");
 *   - a failure-rate change counts when it moves by more than
 *     fail_rate_points percentage points (default 0.1);
 *   - "worse" if any counting change is for the worse (a regression anywhere
 *     wins), else "better" if any is for the better, else "same".
 *   - requests and RPS are shown but do not decide: they follow the load shape.
 *   - a side with no requests: "worse" if only AFTER has none, else "n/a".
 *
 * Regression gate (fail_on_regression_pct > 0): a row present on both sides
 * regressed when its p95 or its failure rate grew by more than that many
 * percent of the BEFORE value (from 0 to anything > 0 counts as infinitely
 * worse) and also beyond the noise bar above (abs_ms for p95,
 * fail_rate_points for the failure rate), or when BEFORE had requests and
 * AFTER none. */
#ifndef BARRAGE_REPORT_COMPARE_H
#define BARRAGE_REPORT_COMPARE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/strbuf.h"
#include "report/report.h"

typedef enum {
    COMPARE_TEXT, /* aligned columns for a terminal */
    COMPARE_MD,   /* a GitHub markdown table with a short heading */
} compare_format_t;

typedef struct {
    compare_format_t format;
    double rel_pct;                /* latency: relative bar in percent (5) */
    double abs_ms;                 /* latency: absolute bar in ms (1) */
    double fail_rate_points;       /* failure rate: bar in percentage points (0.1) */
    double fail_on_regression_pct; /* > 0: return 1 on a regression beyond it; 0: off */
    const char *before_label;      /* shown in the heading, e.g. the file name; NULL: "before" */
    const char *after_label;       /* NULL: "after" */
} compare_opts_t;

#define COMPARE_OPTS_DEFAULT                                                                       \
    ((compare_opts_t){                                                                             \
        .format = COMPARE_TEXT, .rel_pct = 5.0, .abs_ms = 1.0, .fail_rate_points = 0.1})

/* One side of a row: what a run measured for that name. */
typedef struct {
    bool present; /* the name is in this run */
    uint64_t requests;
    double fail_pct; /* failures / requests, in percent (0 without requests) */
    double rps;      /* requests / run seconds of that run */
    uint64_t p50_us, p95_us, p99_us;
} compare_side_t;

typedef enum {
    COMPARE_SAME,
    COMPARE_BETTER,
    COMPARE_WORSE,
    COMPARE_ADDED,   /* only in AFTER */
    COMPARE_REMOVED, /* only in BEFORE */
    COMPARE_NA,      /* no requests on a side (and not a regression) */
} compare_verdict_t;

typedef struct {
    char *label; /* "GET /x" or the name alone; "Aggregated" for the last row */
    compare_side_t before, after;
    compare_verdict_t verdict;
    char *regression; /* why it regressed beyond the gate; NULL if it did not */
} compare_row_t;

/* The rows of a comparison, in the order the outputs show them: BEFORE's
 * names, then names only in AFTER, then "Aggregated". */
typedef struct {
    compare_row_t *rows;
    size_t n;
} compare_table_t;

/* Computes the comparison of before and after into *t (o NULL:
 * COMPARE_OPTS_DEFAULT); the caller calls compare_table_fini. */
void compare_compute(compare_table_t *t, const report_t *before, const report_t *after,
                     const compare_opts_t *o);
/* Frees what t owns and empties it. */
void compare_table_fini(compare_table_t *t);
/* "same", "better", "worse", "added", "removed", "n/a" (static). */
const char *compare_verdict_name(compare_verdict_t v);

/* Appends the comparison as one JSON object to b (o NULL: defaults; format
 * and labels unused): {"rules", "before" and "after" (scenario, started_ms,
 * ended_ms, run_seconds), "rows": [{name, verdict, regression, before,
 * after (null when absent: requests, failures_pct, rps, p50_ms, p95_ms,
 * p99_ms; the rate and times null without requests), delta and delta_pct
 * (same keys; null where a side has no value, delta_pct null when infinite)}],
 * "p95_per_second": {"before": [[second, p95_ms], ...], "after": [...]}}
 * (from the timelines, seconds with requests only). docs/web.md has it. */
void compare_json(const report_t *before, const report_t *after, const compare_opts_t *o,
                  strbuf_t *b);

/* Parses a --format value: "text", "md" or "markdown". Returns 0, or -1. */
int compare_format_parse(const char *s, compare_format_t *out);

/* Prints the comparison of before and after to out in o->format (o NULL:
 * COMPARE_OPTS_DEFAULT). With o->fail_on_regression_pct > 0 the output ends
 * with the rows that regressed beyond it. Returns 1 when some row regressed
 * beyond fail_on_regression_pct (never when it is 0), 0 otherwise, -1 when
 * writing to out failed. */
int compare_reports(FILE *out, const report_t *before, const report_t *after,
                    const compare_opts_t *o);

#endif
