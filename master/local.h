/* local: worker processes on this machine for `barrage run` — started as
 * real barrage-worker processes connecting over loopback, ended with the
 * master (PR_SET_PDEATHSIG) and reaped with a bounded wait. */
#ifndef BARRAGE_MASTER_LOCAL_H
#define BARRAGE_MASTER_LOCAL_H

#include <stddef.h>
#include <sys/types.h>

typedef struct {
    pid_t *pids;
    size_t n;
} local_workers_t;

/* Path of barrage-worker beside the running executable (caller frees), or
 * plain "barrage-worker" (looked up in PATH) if there is none. */
char *local_worker_path(void);

/* Starts n workers connecting to endpoint with --log-level log_level. With
 * key_path (the master's key pair; NULL = none) each worker authenticates
 * with that pair and checks the master's public key read from it. Returns
 * 0, or -1 (logged) if a fork or exec failed; those started are in lw
 * either way. */
int local_spawn(local_workers_t *lw, size_t n, const char *worker_path, const char *endpoint,
                const char *log_level, const char *key_path);

/* Waits up to timeout_ms for every worker to exit, then SIGTERMs the rest,
 * then SIGKILLs after another second. Frees lw's array. Returns the number
 * of workers that exited non-zero or had to be killed. */
size_t local_reap(local_workers_t *lw, unsigned timeout_ms);

#endif
