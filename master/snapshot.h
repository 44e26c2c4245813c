/* snapshot: the run as the web side sees it (web/web.h's web_snapshot_t),
 * built from the conduct core at one moment — a pure function of the core's
 * state and the time, which leaves the core untouched.
 *
 * State in Locust's words: "ready" before the first run, "spawning" while
 * the users ramp up (a closed run at its spawn rate, after a start or an
 * edit), "running", "stopping" between a STOP and the last final report,
 * "stopped" after a run. Current rates (Locust's current_rps and
 * current_fail_per_sec), per results row and aggregated: the mean per-second
 * requests and failures over the last RESULTS_RATE_WINDOW_S complete seconds
 * of the stats (report/results.h, results_current_rates); 0 between runs. */
#ifndef BARRAGE_MASTER_SNAPSHOT_H
#define BARRAGE_MASTER_SNAPSHOT_H

#include <stdint.h>

#include "master/cli.h"
#include "master/conduct.h"
#include "master/runplan.h"
#include "web/web.h"

/* A new snapshot of c at now_us: the state, users, workers, dropped
 * iterations, a deep copy of the run's report (conduct_copy_report: NULL
 * before any run) and the current rates. Everything is owned by the
 * snapshot, allocated as web_snapshot_free frees it (the struct and the rate
 * arrays with malloc, the report with report_new). Never NULL. */
web_snapshot_t *snapshot_build(const conduct_t *c, uint64_t now_us);

/* What the next start takes, from the plan in use p (the last one loaded)
 * and the command line o: file, host, model, users or rate, spawn rate, run
 * time, stages, classes and their tasks with weights (a class left out of
 * the last start has weight 0); errors (copied, NULL = none) are the last
 * reload's. Freed with web_scenario_free. Never NULL. */
web_scenario_t *snapshot_scenario(const runplan_t *p, const cli_opts_t *o, const char *errors);

/* The Locust word of a state (static). */
const char *snapshot_state_name(conduct_state_t s);

#endif
