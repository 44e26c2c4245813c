/* ingest: the one adapter from the wire to the report — a worker's STATS or FINAL
 * body (proto types) merged into the run's results and into its timeline second. */
#ifndef BARRAGE_MASTER_INGEST_H
#define BARRAGE_MASTER_INGEST_H

#include <stdint.h>

#include "proto/proto.h"
#include "report/results.h"
#include "report/timeline.h"
#include "report/verdicts.h"

/* Converts st into report rows (results_delta_t, borrowing st's strings and
 * histograms: nothing is copied but the row headers) and merges them into r
 * (totals and live window), into t and into the live thresholds' windows v
 * (NULL: none) at `second` (seconds since the run's start; see timeline_add
 * for what the caller passes). Borrows st. */
void ingest_stats(results_t *r, timeline_t *t, verdicts_t *v, uint32_t second,
                  const proto_stats_t *st);

#endif
