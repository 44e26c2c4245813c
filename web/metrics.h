/* metrics: the snapshot in Prometheus's text exposition format 0.0.4
 * (GET /metrics); docs/web.md lists the metrics and the histogram buckets. */
#ifndef BARRAGE_WEB_METRICS_H
#define BARRAGE_WEB_METRICS_H

#include "common/strbuf.h"
#include "web/web.h"

/* The histogram's upper bounds, in seconds (then +Inf). */
#define METRICS_BUCKETS_S                                                                          \
    { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 }

/* Appends the metrics of s (NULL = no snapshot yet: the gauges at 0 and no
 * per-name series) to b. Per (method, name): barrage_requests_total,
 * barrage_failures_total (counters), barrage_response_time_seconds (summary,
 * quantiles 0.5 0.9 0.95 0.99 exact from the merged histogram) and
 * barrage_response_time_bucketed_seconds (histogram, METRICS_BUCKETS_S);
 * barrage_users, barrage_workers (gauges), barrage_dropped_iterations_total
 * (counter). */
void metrics_render(const web_snapshot_t *s, strbuf_t *b);

#endif
