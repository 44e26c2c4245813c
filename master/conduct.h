/* conduct: the decisions of the master's run lifecycle, without sockets,
 * clocks or signals — a state machine driven by what the shell (conductor.c)
 * hands it: a decoded message from a worker (by routing id), a protocol
 * version mismatch, a signal, or a tick at a time. It admits workers, waits
 * for the expected number (bounded), splits the users (or the arrival rate)
 * and starts the run, merges reports (master/ingest.h) checking their
 * sequence numbers, notices lost workers (silent for TIMEOUT_WORKER_LOST_MS),
 * hands their users or rate share to the others and gives joiners theirs
 * (load/rebalance.h), stops the run at its duration or on a signal and waits,
 * bounded by TIMEOUT_FINAL_WAIT_MS, for every FINAL report.
 *
 * Every call appends to an output queue, in order: messages to send (to a
 * routing id) and events for the shell to log (a formatted line and its
 * level) or act on (CONDUCT_LIVE). The shell reads them with conduct_output
 * and empties the queue with conduct_outputs_clear. Times are CLOCK_MONOTONIC
 * microseconds; the wall clock is derived from the one given to conduct_new.
 *
 * Multi-run (the web UI, opts->multi_run): the core waits for a start
 * (conduct_on_swarm) instead of starting when expect_workers joined (unless
 * opts->autostart: then the first run starts as without multi-run), takes
 * stop, reset and edit commands, and after each run stays up with its
 * workers for the next start, until a signal or opts->autoquit_ms after a
 * run ended. */
#ifndef BARRAGE_MASTER_CONDUCT_H
#define BARRAGE_MASTER_CONDUCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/log.h"
#include "common/ramp.h"
#include "master/registry.h"
#include "proto/keys.h"
#include "proto/proto.h"
#include "report/report.h"
#include "report/results.h"
#include "report/summary.h"
#include "report/thresholds.h"
#include "scenarios/scenario.h"

/* What a run is. The core reads the run's fields; bind, curve_secret,
 * allowed and live are the shell's (conductor.c), kept here so that one
 * struct describes a conductor. Everything pointed to must outlive the core. */
typedef struct {
    const scenario_t *scenario;
    const char *scenario_name; /* file name, for the workers' diagnostics */
    const char *scenario_text; /* the YAML source sent to the workers */
    size_t scenario_bytes;
    const proto_file_t *files; /* data files the scenario names, shipped in RUN */
    uint32_t n_files;
    const char *bind; /* shell: e.g. "tcp://127.0.0.1:0" (port 0 = any free port) */
    const char *host; /* -H override, or NULL */
    bool tls_no_verify; /* --tls-no-verify: the workers verify no certificate */
    uint32_t expect_workers;
    uint32_t users;
    double spawn_rate; /* users/s over the whole run; 0 = all at once */
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
    bool live;                  /* shell: print live lines on stderr */
    const char *curve_secret;   /* shell: the master's secret key (Z85): CURVE on; NULL: off */
    const keys_list_t *allowed; /* shell: with curve_secret, the worker public keys let in */
    const char *scenario_sha256; /* hex, of scenario_text, for the report; NULL = unknown */
    bool multi_run;             /* web: wait for starts, stay up between runs */
    bool autostart;             /* with multi_run: the first run starts without a start */
    uint64_t autoquit_ms;       /* with multi_run: quit this long after a run ended;
                                   CONDUCT_NO_AUTOQUIT = never */
    const thresholds_check_t *checks; /* judged each second while running (an aborting one
                                         that fails stops the run) and at the end */
    size_t n_checks;
    bool abort_if_unreachable; /* stop the run when a name's every request failed to connect
                                  in its first seconds (CONDUCT_UNREACHABLE) */
} conduct_opts_t;

/* How long into a run the master looks for a target that is not there: a
 * name whose every request so far failed to connect or resolve. */
#define CONDUCT_UNREACHABLE_S 10u

#define CONDUCT_NO_AUTOQUIT UINT64_MAX

/* Outcomes of a run (conduct_outcome). */
enum {
    CONDUCT_OK = 0,
    CONDUCT_NO_WORKERS = -1,
    CONDUCT_FAILED = -2,
    CONDUCT_UNREACHABLE = -4, /* abort_if_unreachable stopped the run */
};

/* Where the core is, in Locust's words where it has them. */
typedef enum {
    CONDUCT_READY,    /* before the first run (waiting for workers or a start) */
    CONDUCT_SPAWNING, /* running, users still ramping up to the target */
    CONDUCT_RUNNING,
    CONDUCT_STOPPING, /* STOP sent, waiting for the final reports */
    CONDUCT_STOPPED,  /* after a run (multi-run: until the next start) */
} conduct_state_t;

/* No worker: the `worker` of an output about an unknown peer. */
#define CONDUCT_NO_WORKER UINT32_MAX

typedef enum {
    CONDUCT_SEND,             /* send msg to routing_id */
    CONDUCT_WORKER_JOINED,    /* a new worker (or one coming back anew) */
    CONDUCT_WORKER_LOST,      /* silent too long, or said hello again mid-run */
    CONDUCT_WORKER_REFUSED,   /* it refused the run (REJECT) */
    CONDUCT_WORKER_LEFT,      /* its FINAL came while the run goes on (SIGTERM): its users go on */
    CONDUCT_VERSION_REFUSED,  /* a peer of another protocol version (worker: none) */
    CONDUCT_FINAL_MISSING,    /* no FINAL within the bounded wait: marked lost */
    CONDUCT_LOST_STOPPED,     /* a worker counted lost still runs the run: told to stop */
    CONDUCT_REPORT_IGNORED,   /* a report of another run, or from a worker not in the run */
    CONDUCT_REPORT_DUPLICATE, /* a report whose seq was already merged: not merged again */
    CONDUCT_REPORT_GAP,       /* reports missing before this one (logged once per worker) */
    CONDUCT_REPORTS_MISSED,   /* at the end: a worker's count of reports that never came */
    CONDUCT_UNEXPECTED,       /* a message type the master does not take: dropped */
    CONDUCT_UNKNOWN_PEER,     /* a message from a peer that never said hello: dropped */
    CONDUCT_RUN_STARTED,
    CONDUCT_REBALANCED,
    CONDUCT_INTERRUPTED,   /* a signal: the run stops early */
    CONDUCT_RUN_STOPPED,   /* STOP sent to every running worker */
    CONDUCT_NO_WORKERS_EV, /* too few workers joined in time: done */
    CONDUCT_RUN_DONE,      /* every FINAL in, or the wait ended: done */
    CONDUCT_LIVE,          /* a live-view tick is due: live holds the figures */
    CONDUCT_COMMAND_REFUSED, /* a start, edit, stop or reset that cannot be done: text says why */
    CONDUCT_EDITED,        /* the running run's users (or rate) changed */
    CONDUCT_STATS_RESET,   /* the running run's results and timeline were emptied */
    CONDUCT_QUITTING,      /* multi-run: the master ends (signal, autoquit) */
    CONDUCT_THRESHOLD_ABORT, /* a threshold with abort set failed: the run stops */
    CONDUCT_WORKER_SATURATED, /* a worker's CPU or loop lag stayed high: said once per episode */
    CONDUCT_TARGET_UNREACHABLE, /* in its first seconds, a name's every request failed to
                                   connect: said once (and the run stops, with the option) */
} conduct_kind_t;

/* One output. Everything in it is owned by the queue (until
 * conduct_outputs_clear) except what RUN borrows from the options. */
typedef struct {
    conduct_kind_t kind;
    uint32_t worker; /* registry index of the worker concerned, or CONDUCT_NO_WORKER */
    /* CONDUCT_SEND */
    char *routing_id;
    size_t routing_id_bytes;
    proto_msg_t msg;
    /* events: the line to log and how loud (NULL for CONDUCT_SEND and CONDUCT_LIVE) */
    log_level_t level;
    char *text;
    /* CONDUCT_LIVE */
    summary_live_t live;
} conduct_out_t;

typedef struct conduct conduct_t;

/* A core in its waiting phase at now_us (monotonic), when the wall clock
 * reads wall_ms: it waits for opts->expect_workers until now_us +
 * opts->wait_workers_ms (multi-run without autostart: for a start). *opts
 * is copied; what it points to must outlive the core. Never NULL. */
conduct_t *conduct_new(const conduct_opts_t *opts, uint64_t now_us, uint64_t wall_ms);
void conduct_destroy(conduct_t **c);

/* A decoded message m (borrowed) from the peer with this routing id. */
void conduct_on_message(conduct_t *c, const void *routing_id, size_t routing_id_bytes,
                        const proto_msg_t *m, uint64_t now_us);
/* A peer spoke protocol version `theirs`: it is sent a REJECT. */
void conduct_on_version(conduct_t *c, const void *routing_id, size_t routing_id_bytes,
                        uint32_t theirs);
/* SIGINT or SIGTERM: while waiting, give up; while running, stop now and
 * collect the final reports. Acted on at the next conduct_tick. */
void conduct_on_signal(conduct_t *c);
/* Time passes: heartbeats due, lost workers, rebalancing, the timeline's
 * seconds, the live view, the phase's deadline. */
void conduct_tick(conduct_t *c, uint64_t now_us);
/* The shell cannot go on (e.g. zmq_poll failed): the run is done, failed. */
void conduct_abort(conduct_t *c);
/* Once done (or a run ended): closes the run's timeline's last second,
 * settles its outcome (FAILED when no worker reported) and names workers
 * with missed reports (once per run); multi-run, the core then waits for
 * the next start (or is done, after a signal). Once done, with quit_workers,
 * queues QUIT to every worker not lost (once). */
void conduct_finish(conduct_t *c, uint64_t now_us);

/* A start (the web's SWARM): users, spawn_rate, host and run time for the
 * run, over the plan's. Closed model: users (>= 1) and spawn_rate (users/s,
 * 0 = all at once) replace the plan's users, spawn rate and stages. Open
 * model: spawn_rate > 0 is the new arrival rate (iterations/s over all
 * workers, stages dropped) and users > 0 the new max_users; 0 keeps the
 * plan's. */
typedef struct {
    const conduct_opts_t *plan; /* a reloaded scenario's run fields (scenario .. stages, host,
                                   scenario_sha256; borrowed until the next start), or NULL
                                   to keep the current plan */
    uint32_t users;
    double spawn_rate;
    const char *host;     /* NULL = the plan's (copied) */
    uint64_t run_time_ms; /* 0 = the plan's */
} conduct_swarm_t;

typedef enum { CONDUCT_SWARM_STARTED, CONDUCT_SWARM_EDITED, CONDUCT_SWARM_REFUSED } conduct_swarm_rc_t;

/* A start: with no run in flight, starts a run with a new id on the ready
 * workers (STARTED); while running, an edit (EDITED): closed model, the new
 * users re-split exactly over the running workers (PROTO_USERS with each
 * one's new share, at the new spawn rate); open model, the new rate and
 * max_users shared again; the run's end does not move, plan, host and run
 * time are not used. REFUSED, with a CONDUCT_COMMAND_REFUSED event saying why:
 * no worker ready, users 0 (closed), a run still stopping, an edit of a run
 * that follows stages (closed), max_users below the workers (open). */
conduct_swarm_rc_t conduct_on_swarm(conduct_t *c, const conduct_swarm_t *s, uint64_t now_us);
/* Stops the running run as its duration would (STOP, final reports);
 * refused with an event when no run is running. */
void conduct_on_stop(conduct_t *c, uint64_t now_us);
/* Empties the running run's results and timeline; the workers go on, and
 * the report then covers the run from now on (its run time and start too).
 * Refused with an event when no run is in flight. */
void conduct_on_reset(conduct_t *c, uint64_t now_us);
/* True when no run is in flight (a start would start one). */
bool conduct_idle(const conduct_t *c);
/* Where the core is at now_us. */
conduct_state_t conduct_state(const conduct_t *c, uint64_t now_us);
/* Users reported by the workers in the run; workers in the run (while one
 * is in flight) or ready for the next. */
uint32_t conduct_user_count(const conduct_t *c);
uint32_t conduct_worker_count(const conduct_t *c);
/* The second of the stats (since the run's start or its last reset) that
 * reports arriving now count in (results_current_rates' now_second). */
uint32_t conduct_stats_second(const conduct_t *c, uint64_t now_us);

/* True once the master is done: single-run, the run is over (or never
 * started); multi-run, it quits. */
bool conduct_done(const conduct_t *c);
/* Multi-run: true when a run has ended and conduct_finish has not yet
 * settled it (the shell stops its loop, as for conduct_done). */
bool conduct_run_ended(const conduct_t *c);
/* CONDUCT_OK, CONDUCT_NO_WORKERS or CONDUCT_FAILED (after conduct_finish). */
int conduct_outcome(const conduct_t *c);
/* When the core next has something to do on its own (a heartbeat, a
 * deadline, a live tick), in monotonic microseconds. */
uint64_t conduct_next_due_us(const conduct_t *c);

/* The output queue, in order: n outputs, output i borrowed until the clear. */
size_t conduct_outputs(const conduct_t *c);
const conduct_out_t *conduct_output(const conduct_t *c, size_t i);
void conduct_outputs_clear(conduct_t *c);

/* The run's id (0 before it starts), the workers, and the merged results
 * (borrowed; the shell's live view consumes their window). */
uint32_t conduct_run_id(const conduct_t *c);
/* The host the run (the last one started) targets: its start's, -H, else the scenario's. */
const char *conduct_run_host(const conduct_t *c);
const registry_t *conduct_registry(const conduct_t *c);
results_t *conduct_results(conduct_t *c);

/* Moves the merged results and the timeline into r (replacing r's empty
 * ones) and adds the workers of the run (all but those lost before it), the
 * run time (RUN, or the last reset, to STOP; to now_us if it never
 * stopped), start (the RUN or the last reset)/end and whether a signal cut
 * the run short; the core keeps empty results afterwards. Call once per run,
 * after conduct_finish. */
void conduct_fill_report(conduct_t *c, report_t *r, uint64_t now_us);
/* Judges the run's checks at its end into r (whose results conduct_fill_report
 * filled): a windowed check on its window's last seconds; and names the
 * threshold that aborted the run, if one did (r->abort). */
void conduct_judge(const conduct_t *c, report_t *r);
/* Fills r's metadata from the run's plan (after any start's overrides):
 * version, scenario name, file and hash, host, mode, users, spawn rate,
 * duration, rate, max_users, stages (strings owned by r; r's are replaced). */
void conduct_fill_meta(const conduct_t *c, report_t *r);
/* Multi-run: keeps *r (taken, *r = NULL) as the last finished run's report,
 * the one conduct_copy_report gives between runs. */
void conduct_keep_report(conduct_t *c, report_t **r);
/* A new report of the run at now_us, the core untouched: while a run is in
 * flight, its metadata, a deep copy of the results and timeline (the
 * timeline's seconds closed up to now in the copy), the workers and the run
 * time so far; between runs a copy of the kept report; NULL before any run
 * (or when none was kept). The caller destroys it. */
report_t *conduct_copy_report(const conduct_t *c, uint64_t now_us);

#endif
