/* verdicts: the thresholds judged while a run goes on. Each second the core
 * asks for a judgement: every check is judged on the merged results so far
 * (or on its window's last seconds, report/window.h), its current verdict
 * kept for the live line, the web UI and the reports; a check with abort set
 * that fails once its delay has passed is named, so the core can stop the
 * run. Plain data in, verdicts out: no clock, no I/O. */
#ifndef BARRAGE_REPORT_VERDICTS_H
#define BARRAGE_REPORT_VERDICTS_H

#include <stddef.h>
#include <stdint.h>

#include "report/results.h"
#include "report/thresholds.h"
#include "report/window.h"

typedef struct verdicts verdicts_t;

/* For checks[0..n-1] (borrowed: they must outlive it). Never NULL. */
verdicts_t *verdicts_new(const thresholds_check_t *checks, size_t n);
void verdicts_destroy(verdicts_t **v);

/* A report's rows, counted into `second` of the windows (as timeline_add). */
void verdicts_add(verdicts_t *v, uint32_t second, const results_delta_t *d);

/* No abort is due (verdicts_judge). */
#define VERDICTS_NO_ABORT SIZE_MAX

/* Judges every check with `closed` seconds of the run closed and elapsed_ms
 * of it passed: a whole-run check on res over elapsed_ms, a windowed one on
 * its window's last closed seconds. Returns the index of the first check
 * with abort set that failed on something measured with elapsed_ms >= its
 * delay_ms, else VERDICTS_NO_ABORT. A check measuring nothing yet ("no
 * requests") fails but never aborts. */
size_t verdicts_judge(verdicts_t *v, const results_t *res, uint32_t closed, uint64_t elapsed_ms);

/* The verdicts of the last judgement (none before the first), one per check
 * in order; text and name borrowed from the checks. */
size_t verdicts_count(const verdicts_t *v);
const report_threshold_t *verdicts_get(const verdicts_t *v, size_t i);
/* How many of them failed. */
size_t verdicts_failing(const verdicts_t *v);

/* Closes every second of the windows before `second`, as verdicts_judge does:
 * at the run's end, so its last second counts in the final judgement. */
void verdicts_close_until(verdicts_t *v, uint32_t second);

/* The windows, for the judgement at the run's end (thresholds_evaluate). */
const window_t *verdicts_window(const verdicts_t *v);

#endif
