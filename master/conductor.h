/* conductor: the master's side of a run over ZeroMQ — the thin shell around
 * the decision core (master/conduct.h). It binds the ROUTER socket (with the
 * CURVE authenticator when the master has keys), polls it, receives and
 * decodes each worker message, hands it to the core with the time, sends what
 * the core queues, logs its events, draws the live view, and turns SIGINT and
 * SIGTERM into a signal for the core (its handlers stay from the first
 * conductor_run until conductor_destroy, so a signal between two runs is
 * taken at the next one rather than killing the master). What a run does (admitting workers,
 * splitting users, rebalancing, stopping, the bounded wait for final reports)
 * is decided in the core. */
#ifndef BARRAGE_MASTER_CONDUCTOR_H
#define BARRAGE_MASTER_CONDUCTOR_H

#include "master/conduct.h"
#include "proto/timeouts.h" /* the link's timeouts, for the options */
#include "report/report.h"

/* The options of a conductor: the core's, with bind, curve_secret, allowed
 * and live read by this shell. */
typedef conduct_opts_t conductor_opts_t;

/* Results of conductor_run. */
enum {
    CONDUCTOR_OK = CONDUCT_OK,
    CONDUCTOR_NO_WORKERS = CONDUCT_NO_WORKERS,
    CONDUCTOR_FAILED = CONDUCT_FAILED,
    CONDUCTOR_QUIT = -3, /* multi-run: the master ends, no run ended in this call */
    CONDUCTOR_UNREACHABLE = CONDUCT_UNREACHABLE,
};

/* Called once a loop round, after the core's tick, with the core and the
 * time (the web glue: commands in, snapshots out); what it makes the core
 * queue is carried out in the same round. */
typedef void conductor_round_fn(void *arg, conduct_t *core, uint64_t now_us);

typedef struct conductor conductor_t;

/* Binds the socket. Returns NULL with *err (caller frees) on failure. opts
 * and what it points to must outlive the conductor. */
conductor_t *conductor_new(const conductor_opts_t *opts, char **err);
void conductor_destroy(conductor_t **c);

/* The bound endpoint with the real port, e.g. "tcp://127.0.0.1:40123". */
const char *conductor_endpoint(const conductor_t *c);

/* Sets the round hook (NULL: none); call before conductor_run. */
void conductor_set_round(conductor_t *c, conductor_round_fn *fn, void *arg);

/* Runs the lifecycle until a run ended. Returns CONDUCTOR_OK when the run
 * completed (even with lost workers), CONDUCTOR_NO_WORKERS if too few joined
 * in time, CONDUCTOR_FAILED if every worker refused or was lost before
 * reporting, or the socket failed. Single-run: call once. Multi-run
 * (opts->multi_run): call again after each run's report until it returns
 * CONDUCTOR_QUIT (Ctrl-C, --autoquit). */
int conductor_run(conductor_t *c);

/* Moves the merged results and the timeline into r (replacing r's empty
 * ones) and adds the workers, run time, start/end and whether a signal cut
 * the run short; the conductor keeps empty results afterwards. Call once,
 * after conductor_run. */
void conductor_fill_report(conductor_t *c, report_t *r);
/* The run's metadata into r (conduct_fill_meta). */
/* The run's thresholds judged at its end into r (conduct_judge). */
void conductor_judge(conductor_t *c, report_t *r);
void conductor_fill_meta(conductor_t *c, report_t *r);
/* Multi-run: keeps the finished run's report for the web (takes *r). */
void conductor_keep_report(conductor_t *c, report_t **r);

#endif
