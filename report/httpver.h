/* httpver: a row's HTTP versions in words — the version its requests asked
 * for and the ones its responses came in — for the summary, the HTML report
 * and the JSON result (which names versions "1.0", "1.1", "2", "3" and what
 * was asked "1.1", "2", "h2c", as the scenario's http: does). */
#ifndef BARRAGE_REPORT_HTTPVER_H
#define BARRAGE_REPORT_HTTPVER_H

#include <stdbool.h>
#include <stddef.h>

#include "report/results.h"

/* "1.0", "1.1", "2" or "3" for RESULTS_HTTP_*; "" beyond. */
const char *httpver_name(int version);
/* "1.1", "2" or "h2c"; "" for RESULTS_ASKED_NONE and beyond. */
const char *httpver_asked_name(results_asked_t asked);
/* The RESULTS_HTTP_* named text ("1.1"), or -1. */
int httpver_parse(const char *text);
/* The results_asked_t named text ("h2c"), or RESULTS_ASKED_MAX for any other. */
results_asked_t httpver_asked_parse(const char *text);

/* True if row is worth a line on HTTP versions: it asked for HTTP/2 (2 or
 * h2c), or some responses came in another version than HTTP/1.1. */
bool httpver_shown(const results_row_t *row);
/* True if any row of r is (httpver_shown). */
bool httpver_any_shown(const results_t *r);

/* The responses by version into buf, e.g. "HTTP/1.1 150, HTTP/2 2", or
 * "no response" when none came. Returns buf. */
char *httpver_counts(const results_row_t *row, char *buf, size_t buf_bytes);

/* When row asked for HTTP/2 (2 or h2c) and some responses came in another
 * version: writes e.g. "asked HTTP/2, got HTTP/1.1 for 152 of 152 responses"
 * into buf and returns true. Otherwise returns false (buf untouched). */
bool httpver_fallback(const results_row_t *row, char *buf, size_t buf_bytes);

#endif
