/* plan: a scenario compiled for firing — per step the full URL, the merged
 * header list (defaults < class < request), the stats slot and the method;
 * per class the cumulative task weights. Built once when a run starts so the
 * request path only reads it. */
#ifndef BARRAGE_WORKER_PLAN_H
#define BARRAGE_WORKER_PLAN_H

#include <curl/curl.h>
#include <stdint.h>

#include "scenarios/scenario.h"
#include "worker/wstats.h"

typedef struct {
    const scenario_request_t *req;
    char *url;
    struct curl_slist *headers; /* NULL when there are none */
    int slot;                   /* wstats slot of (method, name) */
    long timeout_ms;
} plan_step_t;

typedef struct {
    plan_step_t *steps;
    size_t n_steps;
} plan_task_t;

typedef struct {
    const scenario_class_t *cls;
    plan_task_t *tasks;
    size_t n_tasks;
    uint64_t *cum_weight; /* cum_weight[i] = sum of weights of tasks 0..i */
    uint64_t total_weight;
} plan_class_t;

typedef struct plan {
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
