/* agent: one worker process — a DEALER link to the master, heartbeats both
 * ways, and the engine of the current run. Serves runs until the master
 * says quit (or a signal arrives); when the master goes silent it stops all
 * traffic and waits for a master again. With keys the link is CURVE: the
 * worker talks only to the master whose public key it was given. While no
 * master answers it keeps trying, and says so on stderr with the likely
 * cause (a wrong --master-key, its key refused by the master). */
#ifndef BARRAGE_WORKER_AGENT_H
#define BARRAGE_WORKER_AGENT_H

#include <stdint.h>

#include "proto/timeouts.h"

/* Exit codes of a worker process. */
enum { AGENT_EXIT_OK = 0, AGENT_EXIT_USAGE = 2, AGENT_EXIT_RUNTIME = 3 };

/* A worker no master answered says so after this long, then at doubling
 * intervals up to AGENT_NO_MASTER_MAX_GAP_MS, with what it knows of why. */
#define AGENT_NO_MASTER_WARN_MS 5000u
#define AGENT_NO_MASTER_MAX_GAP_MS 300000u
/* After the master refused this worker's key, or a handshake broke (keys on
 * one side only), libzmq stops trying: connect again this much later. */
#define AGENT_REFUSED_RETRY_MS 5000u

typedef struct {
    const char *master;     /* endpoint, e.g. "tcp://127.0.0.1:5557" */
    const char *id;         /* worker id; NULL = "<hostname>-<pid>" */
    uint32_t heartbeat_ms;  /* default 1000 */
    uint32_t master_timeout_ms; /* default TIMEOUT_MASTER_LOST_MS */
    const char *master_key; /* the master's public key (Z85): CURVE on; NULL: off */
    const char *public_key; /* with master_key: this worker's key pair (Z85) */
    const char *secret_key;
} agent_opts_t;

/* Runs the worker until quit or SIGINT/SIGTERM; returns an AGENT_EXIT_* code. */
int agent_run(const agent_opts_t *opts);

#endif
