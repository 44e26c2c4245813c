/* conductor: the master's side of a run — binds the ROUTER socket, admits
 * workers (refusing other protocol versions), waits for the expected number,
 * splits the users and sends each worker its RUN, merges their reports, sends
 * heartbeats, notices lost workers (silent for TIMEOUT_WORKER_LOST_MS:
 * their stats up to their last report are kept, their users handed to the
 * others at the spawn rate) and gives workers joining mid-run their share
 * (PROTO_USERS, master/rebalance.h), stops the run at its duration (or on
 * SIGINT/SIGTERM) and waits, bounded, for every live worker's FINAL report. */
#ifndef BARRAGE_MASTER_CONDUCTOR_H
#define BARRAGE_MASTER_CONDUCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/timeouts.h"
#include "proto/keys.h"
#include "common/ramp.h"
#include "master/registry.h"
#include "report/report.h"
#include "proto/proto.h"
#include "report/results.h"
#include "scenarios/scenario.h"


typedef struct {
    const scenario_t *scenario;
    const char *scenario_name;  /* file name, for the workers' diagnostics */
    const char *scenario_text;  /* the YAML source sent to the workers */
    size_t scenario_bytes;
    const proto_file_t *files;  /* data files the scenario names, shipped in RUN */
    uint32_t n_files;
    const char *bind;           /* e.g. "tcp://127.0.0.1:0" (port 0 = any free port) */
    const char *host;           /* -H override, or NULL */
    uint32_t expect_workers;
    uint32_t users;
    double spawn_rate;          /* users/s over the whole run; 0 = all at once */
    uint64_t duration_ms;
    double rate;                /* open model: peak iterations/s over all workers (the rate
                                   without stages); 0 = closed model */
    uint32_t max_users;         /* open model: cap on iterations in flight over all workers */
    const ramp_stage_t *stages; /* ramp of the rate (open) or the users (closed; users is the
                                   peak) from 0, over the whole run; NULL = constant */
    size_t n_stages;
    uint32_t report_ms;         /* worker report interval (default 1000) */
    uint32_t heartbeat_ms;      /* default 1000 */
    uint32_t live_ms;           /* live line interval (default 2000) */
    uint64_t wait_workers_ms;   /* how long to wait for expect_workers */
    bool quit_workers;          /* send QUIT at the end (local workers) */
    bool live;                  /* print live lines on stderr */
    const char *curve_secret;   /* the master's secret key (Z85): CURVE on; NULL: off */
    const keys_list_t *allowed; /* with curve_secret: the worker public keys let in */
} conductor_opts_t;

/* Results of conductor_run. */
enum { CONDUCTOR_OK = 0, CONDUCTOR_NO_WORKERS = -1, CONDUCTOR_FAILED = -2 };

typedef struct conductor conductor_t;

/* Binds the socket. Returns NULL with *err (caller frees) on failure. opts
 * and what it points to must outlive the conductor. */
conductor_t *conductor_new(const conductor_opts_t *opts, char **err);
void conductor_destroy(conductor_t **c);

/* The bound endpoint with the real port, e.g. "tcp://127.0.0.1:40123". */
const char *conductor_endpoint(const conductor_t *c);

/* Runs the whole lifecycle. Returns CONDUCTOR_OK when the run completed
 * (even with lost workers), CONDUCTOR_NO_WORKERS if too few joined in time,
 * CONDUCTOR_FAILED if every worker refused or was lost before reporting. */
int conductor_run(conductor_t *c);

const results_t *conductor_results(const conductor_t *c);
/* Moves the merged results and the timeline into r (replacing r's empty
 * ones) and adds the workers, run time and start/end; the conductor keeps
 * empty results afterwards. Call once, after conductor_run. */
void conductor_fill_report(conductor_t *c, report_t *r);
const registry_t *conductor_registry(const conductor_t *c);
/* Seconds from the RUN to the STOP (the measured run time). */
double conductor_run_seconds(const conductor_t *c);
/* True if the run was cut short by a signal. */
bool conductor_interrupted(const conductor_t *c);

#endif
