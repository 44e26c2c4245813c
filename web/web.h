/* web: the master's HTTP side (libmicrohttpd, its own threads) — the Locust
 * web API (/swarm, /stop, /stats/reset, /stats/requests, the CSV downloads,
 * /stats/report), Prometheus /metrics, and barrage's own JSON API (the
 * history of finished runs and their comparison: /api/runs, /api/compare).
 *
 * It never touches the run: the conductor publishes a snapshot of the run
 * once a second (web_publish) and takes the commands the web side queued
 * (web_take_command) between two rounds of its loop, so a browser or a
 * scrape can never stall the merge. Every handler reads the latest
 * snapshot, which is immutable once published and freed when the last
 * reader is done with it.
 *
 * Security: a bind beyond loopback needs auth ("USER:PASSWORD", HTTP Basic)
 * or insecure; state-changing requests are refused (403) when the Host
 * header does not name the bound address or an Origin header is present and
 * foreign (DNS rebinding, cross-site forms). */
#ifndef BARRAGE_WEB_WEB_H
#define BARRAGE_WEB_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/log.h"
#include "report/report.h"

/* A task of a user class as planned: its name (a single request's name when
 * the task has no name of its own) and weight. */
typedef struct {
    char *name;
    uint32_t weight;
} web_task_t;

typedef struct {
    char *name;
    uint32_t weight;
    size_t n_tasks;
    web_task_t *tasks;
} web_class_t;

/* The scenario as the next start would take it — what fills the start form
 * and the Current ratio tab before and between runs. */
typedef struct {
    char *file;           /* the scenario file, as given */
    char *host;           /* -H, else the scenario's */
    bool open;            /* open model (arrival rate) */
    uint32_t users;       /* closed: users; open: max_users */
    double spawn_rate;    /* closed: users/s (0 = all at once) */
    double rate;          /* open: iterations/s (the peak, with stages) */
    uint64_t run_time_ms; /* 0 = until stopped */
    char *stages;         /* "30s:100,1m:500", or NULL without stages */
    size_t n_classes;
    web_class_t *classes;
    char *errors;         /* the last start's reload errors, one per line (it was
                             refused); NULL when the file loaded */
} web_scenario_t;

void web_scenario_free(web_scenario_t **s);

/* The run as the web side sees it at one moment. Everything is owned by the
 * snapshot (web_snapshot_free). */
typedef struct {
    const char *state;   /* Locust's words: "ready", "spawning", "running", "stopped" (static) */
    uint32_t user_count; /* virtual users running now, over all workers */
    uint32_t workers;    /* workers in the run now */
    uint64_t dropped;    /* open model: iterations dropped so far */
    report_t *report;    /* the run so far (or the last one, after it): results with
                            merged histograms, timeline, workers, metadata; NULL before
                            any run */
    /* Current rates, over the last few seconds (Locust's current_rps and
     * current_fail_per_sec): one per results row, in results_row order, then
     * the aggregate. NULL when report is NULL. */
    double *current_rps;
    double *current_fail_per_sec;
    size_t n_rates; /* results_count(report->results) + 1 */
    web_scenario_t *scenario; /* what the next start takes; NULL when not known */
    log_line_t *logs;         /* the master's recent log lines, oldest first */
    size_t n_logs;
    /* Before the first run (report NULL): the ids of the workers connected and
     * ready for a start, which Locust lists in /stats/requests' workers[] with
     * state "ready"; NULL once a run has a report (its workers are there). */
    char **ready_workers;
    size_t n_ready_workers;
} web_snapshot_t;

/* Frees *s and all it owns (NULL allowed); sets *s = NULL. */
void web_snapshot_free(web_snapshot_t **s);

typedef enum {
    WEB_CMD_SWARM, /* start a run with these parameters (or, while running, edit it) */
    WEB_CMD_STOP,  /* stop the running run */
    WEB_CMD_RESET, /* reset the stats of the running run */
} web_cmd_type_t;

/* The most user classes a start may name. */
#define WEB_MAX_CLASSES 64

/* A command from the web side, checked for form (numbers are numbers, within
 * range) but not against the scenario: the conductor decides, and answers a
 * SWARM with web_answer. */
typedef struct {
    web_cmd_type_t type;
    uint64_t id;          /* SWARM: what web_answer names (1, 2, ...); 0 for the others */
    uint32_t users;       /* SWARM: user_count */
    double spawn_rate;    /* SWARM: spawn_rate (users/s) */
    char *host;           /* SWARM: host, or NULL to keep the scenario's / -H */
    uint64_t run_time_ms; /* SWARM: run_time, or 0 to keep -t / the scenario's */
    char **classes;       /* SWARM: the user classes that take part (Locust's user_classes) */
    size_t n_classes;     /* 0 = every class */
} web_cmd_t;

/* Frees what a command owns (its host and classes) and zeroes it. */
void web_cmd_fini(web_cmd_t *c);

/* The conductor's verdict on a SWARM. */
typedef enum {
    WEB_ANSWER_DONE,     /* started, or the running run edited (200) */
    WEB_ANSWER_INVALID,  /* the form names what the scenario lacks, or the scenario no
                            longer loads (400) */
    WEB_ANSWER_REFUSED,  /* the state forbids it: no worker, still stopping ... (409) */
} web_answer_kind_t;

typedef struct {
    const char *addr;        /* "127.0.0.1:8089", "[::1]:8089", "0.0.0.0:8089"; port 0 = any */
    const char *auth;        /* "USER:PASSWORD" for HTTP Basic, or NULL */
    bool insecure;           /* allow a non-loopback bind without auth */
    const char *results_dir; /* keep each finished run there as JSON and load the ones
                                already there at start (web/history.h); NULL = memory only */
    uint32_t answer_wait_ms; /* how long POST /swarm waits for web_answer; 0 =
                                WEB_ANSWER_WAIT_S */
} web_opts_t;

typedef struct web web_t;

/* Starts serving on o->addr. Returns NULL with *err (caller frees) when the
 * address does not parse, cannot be bound, or is beyond loopback without
 * auth or insecure. */
web_t *web_new(const web_opts_t *o, char **err);
/* Stops serving (waits for handlers in flight) and frees *w (NULL allowed). */
void web_destroy(web_t **w);
/* The URL it serves, with the real port: "http://127.0.0.1:8089/". */
const char *web_url(const web_t *w);

/* Replaces the published snapshot with *s (taken: *s is set to NULL). */
void web_publish(web_t *w, web_snapshot_t **s);
/* Keeps a finished run in the history (taken: *r is set to NULL), under
 * the next id (1, 2, 3 ... in finishing order, after the runs loaded from
 * results_dir), and writes it to results_dir when given (a failed write is
 * logged; the run stays listed). Served by GET /api/runs,
 * /api/runs/ID/json and /api/compare (docs/web.md). */
void web_add_run(web_t *w, report_t **r);

/* Takes the oldest queued command into *out (caller calls web_cmd_fini);
 * false when none is queued. */
bool web_take_command(web_t *w, web_cmd_t *out);

/* How long POST /swarm waits for the conductor's answer by default. A start
 * not taken by then is withdrawn (503, nothing starts). */
#define WEB_ANSWER_WAIT_S 10

/* Answers the SWARM command id: POST /swarm, which waits for it, answers
 * Locust's {"success": true, "message": "Swarming started", "host": host}
 * for DONE (host: the run's), else {"success": false, "message": message}
 * with 400 or 409. message may hold several lines (a scenario's errors).
 * An id nobody waits for any more is ignored. */
void web_answer(web_t *w, uint64_t id, web_answer_kind_t kind, const char *message,
                const char *host);

#endif
