/* fdlimit: the open-file limit (RLIMIT_NOFILE, `ulimit -n`) against what a run
 * needs — one connection per virtual user plus the worker's own descriptors —
 * so a limit too low for the users is said once, clearly, when the run starts
 * (the connections beyond it then fail as "connect: out of file descriptors"). */
#ifndef BARRAGE_WORKER_FDLIMIT_H
#define BARRAGE_WORKER_FDLIMIT_H

#include <stdint.h>

/* Descriptors a worker uses besides its users' connections (ZeroMQ, epoll,
 * timers, curl's resolver). */
#define FDLIMIT_RESERVED 64u

/* Descriptors a run of users needs. */
uint64_t fdlimit_needed(uint32_t users);

/* Raises the soft limit towards fdlimit_needed(users) (as far as the hard
 * limit allows). Returns NULL when the limit now suffices, else a message for
 * the log (caller frees): how many are needed, the limit, and what to do. */
char *fdlimit_check(uint32_t users);

#endif
