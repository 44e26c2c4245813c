/* phases: where a row's time went in words and numbers — the phases' names
 * (as the JSON result and the CSV file write them), whether a row has any,
 * and each phase's share of the row's total — for the summary, the JSON,
 * CSV and HTML reports. A row's phases add up to curl's total time of each
 * request (docs/phases.md). */
#ifndef BARRAGE_REPORT_PHASES_H
#define BARRAGE_REPORT_PHASES_H

#include <stdbool.h>
#include <stdint.h>

#include "report/results.h"

/* "dns", "connect", "tls", "wait", "receive" for RESULTS_PHASE_*; "" beyond. */
const char *phases_name(int phase);
/* "DNS", "Connect", "TLS", "Wait", "Receive" (table headers); "" beyond. */
const char *phases_label(int phase);
/* The RESULTS_PHASE_* that phases_name gives text, or -1. */
int phases_parse(const char *text);

/* Requests of row whose phases were measured (those curl performed). */
uint64_t phases_count(const results_row_t *row);
/* True if some row of r has phases. */
bool phases_any(const results_t *r);
/* The phase's share of the row's measured time (the sum over its phases),
 * 0 .. 1; 0 without phases. */
double phases_share(const results_row_t *row, int phase);
/* The average of the row's totals in us: the sum of its phases' averages
 * (0 without phases). */
double phases_total_avg_us(const results_row_t *row);

#endif
