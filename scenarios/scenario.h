/* scenario: the in-memory model of a scenario file, and its YAML loader.
 * Only this module touches libyaml.
 *
 * scenario_load parses and validates a whole file, collecting every error
 * (up to SCENARIO_MAX_ERRORS) as compiler-style lines
 * "file:line:col: error: what was expected", so a person fixes them all at
 * once. Unknown keys and wrong types are errors. The model is plain data,
 * owned by the scenario_t and released by scenario_destroy. */
#ifndef BARRAGE_SCENARIOS_SCENARIO_H
#define BARRAGE_SCENARIOS_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#define SCENARIO_MAX_ERRORS 20

/* Position in the source file, 1-based. */
typedef struct {
    int line;
    int col;
} scenario_pos_t;

typedef struct {
    char *name;
    char *value;
} scenario_header_t;

typedef struct {
    size_t n;
    scenario_header_t *items;
} scenario_headers_t;

/* One HTTP request: a task's only step, or one of its steps. */
typedef struct {
    char *method;               /* upper case: GET POST PUT PATCH DELETE HEAD OPTIONS */
    char *path;                 /* as written: "/x?y=1" or an absolute URL */
    char *name;                 /* stats group; defaults to path */
    scenario_headers_t headers; /* request-level headers */
    char *body;                 /* NULL, or the body (json: is serialized to JSON text) */
    size_t body_bytes;
    char *content_type;         /* NULL, or "application/json" for json: */
    uint64_t timeout_ms;        /* 0 = the defaults' timeout */
    scenario_pos_t pos;         /* where the request's mapping starts */
} scenario_request_t;

typedef struct {
    char *name; /* NULL for a single-request task (its request's name is used) */
    uint32_t weight;
    size_t n_steps; /* 1 for a single request */
    scenario_request_t *steps;
} scenario_task_t;

typedef enum {
    SCENARIO_THINK_NONE = 0,
    SCENARIO_THINK_CONSTANT, /* wait min_ms after each task */
    SCENARIO_THINK_BETWEEN,  /* wait uniform [min_ms, max_ms] after each task */
    SCENARIO_THINK_PACING,   /* start tasks min_ms apart (start to start) */
} scenario_think_kind_t;

typedef struct {
    scenario_think_kind_t kind;
    uint64_t min_ms;
    uint64_t max_ms;
} scenario_think_t;

typedef struct {
    char *name;
    uint32_t weight;
    scenario_think_t think;
    scenario_headers_t headers; /* class-level headers */
    size_t n_tasks;
    scenario_task_t *tasks;
} scenario_class_t;

typedef struct {
    uint32_t users;       /* closed model; 0 = not set */
    double spawn_rate;    /* users per second; 0 = not set */
    uint64_t duration_ms; /* 0 = not set */
    double rate;          /* open model iterations per second; 0 = closed model */
    uint32_t max_users;   /* open model cap; 0 = not set */
} scenario_load_t;

typedef struct {
    char *text;         /* as written, e.g. "p95 < 300ms" */
    char *name;         /* NULL = aggregated, else the stats name it applies to */
    scenario_pos_t pos;
} scenario_threshold_t;

typedef struct scenario {
    char *file;           /* file name used in diagnostics */
    char *name;           /* scenario name; defaults to the file's base name */
    char *host;           /* NULL if not set (then -H is required) */
    scenario_load_t load;
    uint64_t default_timeout_ms; /* defaults.timeout, 10000 when not set */
    scenario_headers_t default_headers;
    size_t n_classes;
    scenario_class_t *classes;
    size_t n_thresholds;
    scenario_threshold_t *thresholds;
} scenario_t;

/* Collected diagnostics, each a full line without trailing newline. */
typedef struct {
    size_t n;
    char *lines[SCENARIO_MAX_ERRORS];
    size_t dropped; /* errors beyond SCENARIO_MAX_ERRORS */
} scenario_errors_t;

/* Parses text (len bytes) as a scenario; file is used in diagnostics.
 * Returns a new scenario, or NULL with errs filled (errs may already hold
 * lines; they are appended to). */
scenario_t *scenario_load(const char *file, const char *text, size_t text_bytes,
                          scenario_errors_t *errs);
/* Reads path and calls scenario_load; an unreadable file is one error line
 * "path: error: cannot read: <strerror>". */
scenario_t *scenario_load_file(const char *path, scenario_errors_t *errs);
void scenario_destroy(scenario_t **s);

/* Appends a formatted diagnostic line to errs (counts it in dropped when full). */
void scenario_errors_add(scenario_errors_t *errs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Frees the collected lines; errs may be reused after. */
void scenario_errors_fini(scenario_errors_t *errs);

#endif
