/* report_json: the JSON result file — a report_t written completely (metadata,
 * workers, per-name stats with their full HDR histograms, failures, timeline,
 * thresholds) and read back into an equal report_t, so `barrage report` and
 * `barrage compare` can regenerate or recompute any output later. The schema
 * is documented in docs/json.md. */
#ifndef BARRAGE_REPORT_REPORT_JSON_H
#define BARRAGE_REPORT_REPORT_JSON_H

#include "common/strbuf.h"
#include "report/report.h"

/* The schema version written in "format_version"; a reader refuses newer ones. */
#define REPORT_JSON_FORMAT_VERSION 1

/* Appends the whole JSON result for r to b: the bytes report_json_write writes. */
void report_json_render(const report_t *r, strbuf_t *b);

/* Writes r to path as JSON, through PATH.tmp-PID renamed over path, so a
 * failed write never leaves a half-written file. Returns 0, or -1 with *err
 * (caller frees) naming the path and the system's reason. */
int report_json_write(const report_t *r, const char *path, char **err);

/* Reads a result file written by report_json_write into a new report
 * (caller destroys with report_destroy). Histograms are rebuilt bucket for
 * bucket, rows and failures through results_add, the timeline point by point.
 * Returns NULL with *err (caller frees) on an unreadable file, malformed or
 * truncated JSON, a missing key or wrong type, or inconsistent content; the
 * message names the file and the JSON path, e.g.
 * "r.json: stats[2].histogram.buckets[5]: bucket index out of range". */
report_t *report_json_read(const char *path, char **err);

#endif
