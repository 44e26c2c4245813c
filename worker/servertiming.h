/* servertiming: parses a Server-Timing response header value
 * ("db;dur=12.3, cache;desc=\"hit\", total;dur=20") into its metrics, for the
 * per-name "where the time went" distributions. Quoted parameter values may
 * hold commas and semicolons. Never reads past len; malformed input stops
 * the parse, it never crashes. */
#ifndef BARRAGE_WORKER_SERVERTIMING_H
#define BARRAGE_WORKER_SERVERTIMING_H

#include <stddef.h>

/* Largest dur accepted (about 11.6 days): beyond it a dur is ignored like a
 * malformed one, so a hostile value such as 1e308 never reaches the
 * recorder's integer conversion. */
#define SERVERTIMING_MAX_DUR_MS 1e9

/* Called for each metric that has a dur parameter (milliseconds, 0 to
 * SERVERTIMING_MAX_DUR_MS). */
typedef void (*servertiming_cb)(const char *name, size_t name_len, double dur_ms, void *arg);

/* Parses value (len bytes). Returns the number of metrics reported, or -1 if
 * the value is malformed (metrics before the problem were still reported). */
int servertiming_parse(const char *value, size_t len, servertiming_cb cb, void *arg);

#endif
