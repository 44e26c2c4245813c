/* engine: one run on one worker process — its virtual users, spawned at the
 * spawn rate, each looping over weighted tasks with think time; stats
 * reported every interval; a draining stop that lets in-flight requests
 * finish (bounded) so no answered request goes uncounted.
 *
 * The engine is the shell around worker/enginecore.h, which makes every
 * decision (when to report, stop, drain, start or retire a user, what a
 * user does after a request); this file performs them with the loop, curl
 * and the arrivals. It lives on the worker's loop and talks to the outside
 * only through its hooks: report() for STATS/FINAL messages, finished()
 * once the final report is out. Hooks must not destroy the engine from inside.
 *
 * A request curl will not take (curl_easy_setopt or curl_multi_add_handle
 * fails: out of memory, a handle in a bad state) is not lost and does not orphan its user: it is
 * one failed request in its step's row, reason "not sent: <curl's message>",
 * said once per run in the log (never per request). The user's task ends
 * there; it tries again at its next iteration, no sooner than
 * ENGINECORE_RETRY_MIN_US (open model: the iteration ends and its slot is
 * free for the next arrival; a retiring user goes). */
#ifndef BARRAGE_WORKER_ENGINE_H
#define BARRAGE_WORKER_ENGINE_H

#include <stdint.h>

#include "proto/timeouts.h"
#include "proto/proto.h"
#include "worker/loop.h"


typedef struct engine engine_t;

typedef struct {
    /* msg is a PROTO_STATS or PROTO_FINAL owned by the engine: encode it, do not keep it. */
    void (*report)(const proto_msg_t *msg, void *arg);
    void (*finished)(void *arg);
    void *arg;
} engine_hooks_t;

/* Starts the run described by spec (its scenario text is parsed here).
 * Returns NULL with *err set (caller frees) if the scenario does not load or
 * has no host. */
engine_t *engine_new(loop_t *loop, const proto_run_t *spec, uint64_t seed, engine_hooks_t hooks,
                     char **err);
/* Frees *e (NULL allowed), aborting anything in flight; sets *e = NULL. */
void engine_destroy(engine_t **e);

/* Stops starting requests; reports FINAL once in-flight requests finish, or
 * after TIMEOUT_DRAIN_MS, when the ones left are aborted and each counted as
 * a failed request ("aborted"); then calls finished. Idempotent. */
void engine_stop(engine_t *e);

/* Moves the run to a new share (PROTO_USERS, after the master lost or
 * gained a worker): starts users of classes below their new count and
 * retires users of classes above it, at spec->spawn_rate, from now on (a
 * retiring user in flight finishes its request first, so it is counted).
 * New users take their ids from spec's block. Returns 0 (nothing to do once
 * stopping), or -1 if spec names another number of classes. */
int engine_set_users(engine_t *e, const proto_users_t *spec);

uint32_t engine_run_id(const engine_t *e);
/* Virtual users started and not stopped. */
uint32_t engine_users(const engine_t *e);
/* Connections (curl's sockets) the engine has open now. */
uint32_t engine_connections(const engine_t *e);
/* True once the final report has been handed to the report hook. */
bool engine_done(const engine_t *e);

#endif
