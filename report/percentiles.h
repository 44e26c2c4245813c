/* percentiles: the one list of percentile columns every output shows — the
 * summary table, the CSV files, the JSON result, the HTML report and the
 * timeline's per-second points (Locust's columns). */
#ifndef BARRAGE_REPORT_PERCENTILES_H
#define BARRAGE_REPORT_PERCENTILES_H

#define PERCENTILES_N 11

/* Indexes into PERCENTILES_VALUES (and every array in its order, such as
 * timeline_point_t.pct_us) of the percentiles the charts draw. */
enum { PERCENTILES_P50 = 0, PERCENTILES_P95 = 5, PERCENTILES_P99 = 7 };

/* The percentiles in percent, increasing: 50, 66, 75, 80, 90, 95, 98, 99,
 * 99.9, 99.99, 100. */
extern const double PERCENTILES_VALUES[PERCENTILES_N];
/* Their column titles, Locust's: "50%", ..., "99.99%", "100%". */
extern const char *const PERCENTILES_LABELS[PERCENTILES_N];

#endif
