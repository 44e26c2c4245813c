/* enginecore: the engine's decisions as functions of (state, event, now)
 * that return actions — when a STATS report is due, when the run stops by
 * itself, the drain after a stop and its FINAL, which users to start or
 * retire and when (the spawn rate, a closed model's ramp, a rebalance), and
 * what a user does after each request. No sockets, no clock, no curl:
 * worker/engine.c feeds it events and performs the actions, in the order of
 * their bits.
 *
 * The run's life:
 *   RUNNING   a STATS every report interval from the start (no drift: the
 *             k-th is due at start + k intervals); user moves as planned. At
 *             duration + TIMEOUT_SELF_STOP_GRACE_MS without a STOP from the
 *             master it stops by itself (a stop with out.self_stop set).
 *   DRAINING  after a stop: no request starts (STOP_STARTING) but users'
 *             on_stop (START_ON_STOP, when the scenario has one: a user runs
 *             it once, when it stops); STATS go on;
 *             FINAL as soon as no request is in flight, or after
 *             TIMEOUT_DRAIN_MS, when the ones left are aborted and each
 *             counted as a failed request (ABORT_IN_FLIGHT, then FINAL).
 *   DONE      the FINAL was sent, exactly once; nothing more is due. */
#ifndef BARRAGE_WORKER_ENGINECORE_H
#define BARRAGE_WORKER_ENGINECORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/ramp.h"
#include "load/moves.h"
#include "proto/proto.h"

/* enginecore_next_us when nothing is due any more. */
#define ENGINECORE_NEVER UINT64_MAX
/* A closed model's ramp recomputes its users this often. */
#define ENGINECORE_RAMP_TICK_US 50000u
/* A user whose on_start failed, or whose request could not be sent, waits at
 * least this long before its next try, whatever its think time, so that a
 * broken login or a refusing curl does not spin. */
#define ENGINECORE_RETRY_MIN_US 1000000u

typedef enum { ENGINECORE_RUNNING, ENGINECORE_DRAINING, ENGINECORE_DONE } enginecore_state_t;

/* Actions, to perform in this order (lowest bit first). */
enum {
    ENGINECORE_SEND_STATS = 1u << 0,    /* a STATS report of the interval */
    ENGINECORE_MOVE_USERS = 1u << 1,    /* starts or retirements are due: enginecore_take_move */
    ENGINECORE_STOP_STARTING = 1u << 2, /* no request starts from now: arrivals and wake-ups off */
    ENGINECORE_START_ON_STOP = 1u << 3, /* each idle user with on_stop starts it; then tell
                                           enginecore_on_request_done what is in flight */
    ENGINECORE_ABORT_IN_FLIGHT = 1u << 4, /* abort the requests left, each a counted failure */
    ENGINECORE_SEND_FINAL = 1u << 5,      /* the FINAL report, then the finished hook */
};

typedef struct {
    unsigned actions; /* ENGINECORE_* bits */
    bool self_stop;   /* the stop is the run's own: no STOP came in time */
} enginecore_out_t;

/* Plain data; read it, change it only through the functions below. */
typedef struct {
    enginecore_state_t state;
    uint32_t n_classes;
    uint32_t *target; /* users per class the master wants here */
    uint32_t *active; /* users per class started and not retiring */
    uint32_t n_active;
    moves_t moves; /* starts and retirements still to make, paced */
    uint64_t start_us;
    uint64_t report_every_us, next_report_us;
    uint64_t self_stop_us;   /* ENGINECORE_NEVER: no duration */
    uint64_t drain_until_us; /* DRAINING: when the drain gives up */
    /* A closed model with stages follows its ramp (stages == NULL: none). */
    ramp_stage_t *stages;
    ramp_t ramp;
    uint32_t ramp_peak;   /* users at the ramp's peak (sum of the first target) */
    uint32_t *ramp_users; /* users per class the ramp wants now */
    uint64_t next_ramp_us;
    bool on_stop; /* users run on_stop when they stop (enginecore_set_on_stop) */
} enginecore_t;

/* Starts the run of spec at now_us: its users per class (at spec's spawn
 * rate, or along its stages for a closed model with stages; none for the
 * open model, where arrivals start the iterations), its report interval
 * (spec's, or TIMEOUT_REPORT_MS when 0) and its self-stop. Copies what it keeps. */
void enginecore_init(enginecore_t *c, const proto_run_t *spec, uint64_t now_us);
void enginecore_fini(enginecore_t *c);
/* Whether users run on_stop requests when they stop (a class has on_stop, in
 * the closed model): a stop then starts them (START_ON_STOP) before FINAL. */
void enginecore_set_on_stop(enginecore_t *c, bool on_stop);

/* Time passed; in_flight is the number of requests in flight now. Call it at
 * enginecore_next_us (earlier is harmless). */
enginecore_out_t enginecore_on_time(enginecore_t *c, uint64_t now_us, uint32_t in_flight);
/* When enginecore_on_time has something to do next, or ENGINECORE_NEVER. */
uint64_t enginecore_next_us(const enginecore_t *c);

/* STOP (or QUIT, or a signal): the drain starts. Idempotent. */
enginecore_out_t enginecore_on_stop(enginecore_t *c, uint64_t now_us, uint32_t in_flight);
/* A request finished (or was not sent); in_flight is what is left. */
enginecore_out_t enginecore_on_request_done(enginecore_t *c, uint32_t in_flight);

/* A new share (PROTO_USERS): from now on start or retire users towards
 * spec's users per class at spec's spawn rate (a ramp keeps its shape at
 * the new share). Returns 0 (nothing to do once stopping), or -1 if spec
 * names another number of classes. */
int enginecore_set_users(enginecore_t *c, const proto_users_t *spec, uint64_t now_us);

/* Takes the next move due by now_us: sets *cls and returns +1 (start a user
 * of that class) or -1 (retire one), or 0 when none is due. The caller
 * reports what it did with enginecore_user_started / _retired. */
int enginecore_take_move(enginecore_t *c, uint64_t now_us, uint32_t *cls);
void enginecore_user_started(enginecore_t *c, uint32_t cls);
void enginecore_user_retired(enginecore_t *c, uint32_t cls);

/* Users started and not retiring while RUNNING; 0 after a stop. */
uint32_t enginecore_users(const enginecore_t *c);

/* --- one user, after each request --- */

/* What a user does next. */
typedef enum {
    ENGINECORE_NEXT_STEP,     /* fire the task's next step */
    ENGINECORE_NEXT_TASK,     /* start its next task (or on_start again) now */
    ENGINECORE_SLEEP,         /* start its next task at wake_us */
    ENGINECORE_END_ITERATION, /* open model: the iteration is over, hand the slot back */
    ENGINECORE_RELEASE,       /* retiring: its last request is counted, free it */
    ENGINECORE_ON_STOP,       /* stopping (the run's stop or a retirement): start on_stop now */
    ENGINECORE_STAY,          /* the run is stopping: nothing more */
} enginecore_next_t;

/* Where the user is when its request ended. */
typedef struct {
    bool running;         /* the engine is RUNNING */
    bool retiring;        /* a rebalance retires it */
    bool open_model;      /* its iterations come from arrivals */
    bool on_start;        /* the request was of on_start (it has not succeeded yet) */
    bool task_failed;     /* a request of the task (or on_start) failed, this one included */
    bool not_sent;        /* this request could not be handed to curl (counted as failed) */
    bool has_on_stop;     /* it will run on_stop when it stops (not begun yet) */
    bool in_on_stop;      /* the request was of its on_stop */
    size_t step, n_steps; /* the request's step of its task */
} enginecore_user_t;

typedef struct {
    enginecore_next_t next;
    uint64_t wake_us; /* ENGINECORE_SLEEP */
    bool on_start_ok; /* on_start has now succeeded: tasks from now on */
} enginecore_after_t;

/* Decides the user's next move. think_until_us is when its think time ends
 * (now_us for none). A failed on_start step ends the attempt; a request that
 * could not be sent ends the task (the rest of it would miss what it should
 * have captured) and the user tries again at its next iteration, at least
 * ENGINECORE_RETRY_MIN_US later: one counted failure per attempt, never a
 * user left hanging. */
enginecore_after_t enginecore_after_request(const enginecore_user_t *u, uint64_t now_us,
                                            uint64_t think_until_us);

#endif
