/* report_csv: the report as Locust's three CSV files, so tooling written for
 * Locust's --csv reads them unchanged, and one of barrage's own next to them:
 *   PREFIX_stats.csv          per (method, name), sorted by name then method
 *                             as Locust sorts, then the "Aggregated" row
 *   PREFIX_stats_history.csv  one "Aggregated" row per second of the run
 *   PREFIX_failures.csv       per (method, name, reason) the occurrences
 *   PREFIX_phases.csv         per (method, name) as in _stats.csv, where the
 *                             time went (average, p95 and share of each phase),
 *                             new connections, wire and decoded bytes
 * Headers are byte-equal to Locust 2.x's, rows end in CRLF and fields are
 * quoted as Python's csv module quotes them (QUOTE_MINIMAL). Times are in
 * milliseconds with microsecond precision ("12.345"), not rounded to Locust's
 * two significant digits; percentiles come from the exact merged histograms.
 * docs/csv.md says column by column what each value is. */
#ifndef BARRAGE_REPORT_REPORT_CSV_H
#define BARRAGE_REPORT_REPORT_CSV_H

#include "common/strbuf.h"
#include "report/report.h"

/* Appends one field, quoted as Python's csv.QUOTE_MINIMAL does: when it holds
 * a comma, a quote, CR or LF; quotes inside are doubled. NULL is empty. */
void report_csv_field(strbuf_t *b, const char *s);

/* The three documents, each appended to its buffer. */
void report_csv_stats(const report_t *r, strbuf_t *b);
void report_csv_history(const report_t *r, strbuf_t *b);
void report_csv_failures(const report_t *r, strbuf_t *b);
void report_csv_phases(const report_t *r, strbuf_t *b);

/* Writes PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv and
 * PREFIX_phases.csv, each atomically. Returns 0, or -1 with *err (caller frees) naming the first
 * file that could not be written (the others are still attempted). */
int report_csv_write(const report_t *r, const char *prefix, char **err);

#endif
