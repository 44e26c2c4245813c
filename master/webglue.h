/* webglue: the master's side of the web UI — it starts the web side
 * (web/web.h), turns its commands into the conduct core's decisions
 * (a start reloads the scenario file first, so that an edited scenario is
 * picked up; one that no longer loads is refused with its errors), and
 * publishes a snapshot (master/snapshot.h) each second and whenever the
 * state changes. Its callers are main.c and the conductor's round hook. */
#ifndef BARRAGE_MASTER_WEBGLUE_H
#define BARRAGE_MASTER_WEBGLUE_H

#include <stdint.h>

#include "master/cli.h"
#include "master/conduct.h"
#include "master/runplan.h"

typedef struct webglue webglue_t;

/* o: the command line (--web, --web-auth, --insecure, the scenario and load
 * flags for reloading); co: the conductor's options (copied for each start's
 * plan); plan: the plan in use, replaced on each start by the reloaded one
 * (the old one destroyed), read by main for the run's thresholds;
 * n_workers: for loadplan_resolve. All must outlive the glue. Returns NULL
 * with *err (caller frees) when the web side cannot start. */
webglue_t *webglue_new(const cli_opts_t *o, const conduct_opts_t *co, runplan_t **plan,
                       uint32_t n_workers, char **err);
void webglue_destroy(webglue_t **g);
/* The URL served, e.g. "http://127.0.0.1:8089/" (borrowed). */
/* Keeps a copy of a finished run in the web side's history (and its
 * --results-dir); r stays the caller's. */
void webglue_add_run(webglue_t *g, const report_t *r);
const char *webglue_url(const webglue_t *g);

/* The conductor's round hook (conductor_round_fn; arg is the glue): takes
 * every queued command into the core, then publishes a snapshot when one
 * second passed since the last or the state changed. */
void webglue_round(void *arg, conduct_t *core, uint64_t now_us);

#endif
