/* report: everything a finished run produced — metadata, workers, merged
 * stats with their histograms, failures, the timeline and the threshold
 * verdicts. It is the one input of every output (summary, CSV, JSON, HTML,
 * JUnit, compare), built by the master at the end of a run or read back from
 * a JSON result file, so any output can be regenerated later. */
#ifndef BARRAGE_REPORT_REPORT_H
#define BARRAGE_REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/results.h"
#include "report/timeline.h"

typedef struct {
    char *id;
    char *hostname;
    uint32_t pid;
    uint32_t users;   /* assigned in the run */
    uint64_t reports; /* STATS + FINAL received */
    char *state;      /* "finished", "lost", "refused", ... */
    uint64_t lost_at_ms; /* wall clock; 0 unless lost */
    /* Health, from its heartbeats (0 when none came): the last, and the most. */
    uint32_t cpu_permille, cpu_max_permille; /* process CPU, thousandths of a core */
    uint64_t rss_kib, rss_max_kib;
    uint32_t connections;
    uint32_t lag_max_us; /* how late its loop's timers fired, at most */
} report_worker_t;

/* A span of time when a worker was the bottleneck (master/saturation.h): its
 * latencies include time waiting for CPU. */
typedef struct {
    char *worker;     /* its id */
    double from_s, to_s; /* since the run's start */
    uint32_t cpu_max_permille, lag_max_us;
} report_saturation_t;

typedef struct {
    char *text; /* as written: "p95 < 300ms" */
    char *name; /* NULL = aggregated, else the stats name */
    bool passed;
    double value;    /* the measured value, in the threshold's unit */
    char *measured;  /* the measured value as shown: "212ms", "0.4%", "153.2/s" */
} report_threshold_t;

typedef struct report {
    /* Metadata. */
    char *barrage_version;
    char *scenario_name;
    char *scenario_file;
    char *scenario_sha256; /* of the scenario text, hex */
    char *host;
    char *mode; /* "closed" (users) or "open" (arrival rate) */
    uint32_t users;
    double spawn_rate;
    double rate;          /* open model: peak iterations/s requested; 0 = closed */
    uint32_t max_users;   /* open model: cap on iterations in flight */
    char *stages;         /* the ramp, "30s:100,1m:500" (rate or users); "" or NULL = none */
    uint64_t duration_ms; /* planned */
    double run_seconds;   /* measured, RUN to STOP */
    uint64_t started_ms, ended_ms; /* wall clock */
    bool interrupted;
    char *aborted_by;    /* the threshold that stopped the run ("p95 < 300ms over 30s",
                            "/login: failure_rate < 1%"), or NULL */
    double aborted_at_s; /* when, in seconds since the run's start */
    /* Workers, in joining order. */
    report_worker_t *workers;
    size_t n_workers;
    /* Stats: per (method, name), the aggregate, failures. Owned. */
    results_t *results;
    timeline_t *timeline; /* owned */
    report_threshold_t *thresholds;
    size_t n_thresholds;
    report_saturation_t *saturations; /* in the order they began */
    size_t n_saturations;
} report_t;

/* An empty report with new results and timeline; fill its fields directly
 * (strings are owned: allocate them with xstrdup). */
report_t *report_new(void);
void report_destroy(report_t **r);

/* A deep copy of r (metadata, workers, results, timeline, thresholds); the
 * caller destroys it. */
report_t *report_clone(const report_t *r);
/* Adds a worker (strings copied). */
void report_add_worker(report_t *r, const report_worker_t *w);
/* Adds a saturation episode (strings copied). */
void report_add_saturation(report_t *r, const report_saturation_t *s);
/* Adds a threshold verdict (strings copied). */
void report_add_threshold(report_t *r, const report_threshold_t *t);
/* True if every threshold passed (or there are none). */
bool report_thresholds_passed(const report_t *r);

#endif
