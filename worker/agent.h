/* agent: one worker process — a DEALER link to the master, heartbeats both
 * ways, and the engine of the current run. Serves runs until the master
 * says quit (or a signal arrives); when the master goes silent it stops all
 * traffic and waits for a master again. */
#ifndef BARRAGE_WORKER_AGENT_H
#define BARRAGE_WORKER_AGENT_H

#include <stdint.h>

/* Exit codes of a worker process. */
enum { AGENT_EXIT_OK = 0, AGENT_EXIT_USAGE = 2, AGENT_EXIT_RUNTIME = 3 };

/* The master counts as lost after this much silence during a run. */
#define AGENT_MASTER_TIMEOUT_MS 5000u

typedef struct {
    const char *master;     /* endpoint, e.g. "tcp://127.0.0.1:5557" */
    const char *id;         /* worker id; NULL = "<hostname>-<pid>" */
    uint32_t heartbeat_ms;  /* default 1000 */
    uint32_t master_timeout_ms; /* default AGENT_MASTER_TIMEOUT_MS */
} agent_opts_t;

/* Runs the worker until quit or SIGINT/SIGTERM; returns an AGENT_EXIT_* code. */
int agent_run(const agent_opts_t *opts);

#endif
