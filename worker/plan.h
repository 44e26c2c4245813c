/* plan: a scenario compiled for firing. Per step: the URL, headers and body
 * — precomputed when constant, or the templates to render per user when not
 * — plus the stats slot, redirect policy, and the readable reasons its
 * expects and captures report on failure. Per class: cumulative task
 * weights and the on_start steps. Built once when a run starts; the request
 * path only reads it. */
#ifndef BARRAGE_WORKER_PLAN_H
#define BARRAGE_WORKER_PLAN_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "scenarios/scenario.h"
#include "worker/wstats.h"

/* One header of a step after precedence (defaults < class < request). */
typedef struct {
    const char *name;
    const template_t *value;
} plan_header_t;

typedef struct {
    const scenario_request_t *req;
    int slot; /* wstats slot of (method, name) */
    long timeout_ms;
    long follow_redirects;
    /* URL: static_url when the path is constant and there is no query. */
    char *static_url;
    /* Headers: static_headers when every value is constant; else headers[]
     * rendered per request (Content-Type of json:/form: included). */
    struct curl_slist *static_headers;
    plan_header_t *headers;
    size_t n_headers;
    bool dynamic_headers;
    /* Body: NULL tbody = none; constant bodies are sent from static_body. */
    const char *static_body;
    size_t static_body_bytes;
    bool dynamic_body;
    /* The response body is kept when a capture or expect reads it. */
    bool keep_body;
    /* Failure reasons (static for the run): expect.status, body_contains,
     * each expect.json, max_duration, and each capture. */
    char *why_status;
    char *why_body;
    char **why_json;
    char *why_duration;
    char **why_capture;
} plan_step_t;

typedef struct {
    plan_step_t *steps;
    size_t n_steps;
} plan_task_t;

typedef struct {
    const scenario_class_t *cls;
    plan_task_t on_start; /* n_steps == 0 when the class has none */
    plan_task_t *tasks;
    size_t n_tasks;
    uint64_t *cum_weight; /* cum_weight[i] = sum of weights of tasks 0..i */
    uint64_t total_weight;
    size_t max_headers; /* most headers of any step, for per-user header nodes */
} plan_class_t;

typedef struct plan {
    const scenario_t *scenario;
    char *host; /* without trailing slashes */
    plan_class_t *classes;
    size_t n_classes;
} plan_t;

/* Compiles sc against host (the scenario's own host when host is NULL or
 * empty), registering every (method, name) in stats. Returns NULL and sets
 * *err (caller frees) when there is no usable host. sc must outlive the plan. */
plan_t *plan_new(const scenario_t *sc, const char *host, wstats_t *stats, char **err);
void plan_destroy(plan_t **plan);

/* Picks a task of c by weight, given a uniform random 64-bit number. */
const plan_task_t *plan_pick(const plan_class_t *c, uint64_t random);

#endif
