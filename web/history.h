/* history: every finished run the master has kept, numbered 1, 2, 3 ... in
 * finishing order, and barrage's JSON API over them (/api/runs,
 * /api/runs/ID/json, /api/compare). Optionally backed by a results
 * directory: each added run is written there as run-<id>-<yyyymmdd-hhmmss>.json
 * and the results already there are loaded at start, so the history
 * survives a restart.
 *
 * Thread safety: every function may be called from any thread; the list is
 * guarded by the history's own mutex. A report, once added, is never
 * changed or freed before history_destroy, so it is rendered outside the lock. */
#ifndef BARRAGE_WEB_HISTORY_H
#define BARRAGE_WEB_HISTORY_H

#include <stdint.h>

#include "common/strbuf.h"
#include "report/report.h"

typedef struct history history_t;

/* A new, empty history. dir (copied; NULL = memory only) is created (one
 * level) if missing, and the *.json results in it are loaded, sorted by
 * their start time (a file that does not read is logged and skipped).
 * Returns NULL with *err (caller frees) when dir cannot be created or read. */
history_t *history_new(const char *dir, char **err);
/* Frees *h and every report in it (NULL allowed); sets *h = NULL. */
void history_destroy(history_t **h);

/* Adds *r (taken: *r is set to NULL) as the next id and returns that id.
 * With a directory, also writes it there (atomically, report_json_write);
 * a failed write is logged and the run stays in memory. */
uint32_t history_add(history_t *h, report_t **r);
/* How many runs are kept. */
uint32_t history_count(history_t *h);

/* Appends {"runs": [...]} to b, oldest first: per run id, name (the
 * scenario's name), scenario (its file), started_ms, ended_ms, duration_s,
 * users, requests, failures, failure_rate_pct, p95_ms, rps, thresholds (how
 * many the run checked) and thresholds_failed. */
void history_list_json(history_t *h, strbuf_t *b);
/* Appends run id's result JSON (report_json_render's bytes) to b. Returns 0,
 * or -1 (b untouched) when there is no such run. */
int history_result_json(history_t *h, uint32_t id, strbuf_t *b);
/* Appends compare_json of runs before and after (default bars) to b.
 * Returns 0, or -1 (b untouched) when either id is unknown. */
int history_compare_json(history_t *h, uint32_t before, uint32_t after, strbuf_t *b);

/* Parses a run id: decimal digits only, 1 .. UINT32_MAX. Returns 0, or -1. */
int history_parse_id(const char *s, uint32_t *out);

#endif
