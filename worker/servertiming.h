/* servertiming: parses a Server-Timing response header value
 * ("db;dur=12.3, cache;desc=\"hit\", total;dur=20") into its metrics, for the
 * per-name "where the time went" distributions. Quoted parameter values may
 * hold commas and semicolons. Never reads past len; malformed input stops
 * the parse, it never crashes. */
#ifndef BARRAGE_WORKER_SERVERTIMING_H
#define BARRAGE_WORKER_SERVERTIMING_H

#include <stddef.h>

/* Called for each metric that has a dur parameter (milliseconds, >= 0). */
typedef void (*servertiming_cb)(const char *name, size_t name_len, double dur_ms, void *arg);

/* Parses value (len bytes). Returns the number of metrics reported, or -1 if
 * the value is malformed (metrics before the problem were still reported). */
int servertiming_parse(const char *value, size_t len, servertiming_cb cb, void *arg);

#endif
