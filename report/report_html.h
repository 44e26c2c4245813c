/* report_html: the report as one self-contained HTML page — header with the
 * verdict and totals, inline SVG charts (RPS and failures, users, latency
 * percentiles over time, latency distribution), the per-name table, the
 * server-side metrics (Server-Timing / X-Query-Count per name; only when some
 * row has them), and the error, threshold and worker tables. Readable
 * offline: no script, no external request of any kind. */
#ifndef BARRAGE_REPORT_REPORT_HTML_H
#define BARRAGE_REPORT_REPORT_HTML_H

#include "common/strbuf.h"
#include "report/report.h"

/* Appends the whole page for r to b. */
void report_html_render(const report_t *r, strbuf_t *b);

/* Writes the page to PATH.tmp-PID, then renames it over path. Returns 0, or
 * -1 with *err set to a message naming path (malloc'd: the caller frees). */
int report_html_write(const report_t *r, const char *path, char **err);

#endif
