/* timeouts: the timing contract of a master/worker link, in one place because the
 * values depend on each other — a worker's drain must end before the master stops
 * waiting for its final report, silence must last several heartbeats before either
 * side gives up on the other, and a worker the master never stops must outlast the
 * master's own wait. The static asserts below keep that order. */
#ifndef BARRAGE_PROTO_TIMEOUTS_H
#define BARRAGE_PROTO_TIMEOUTS_H

/* Both sides send a heartbeat this often (RUN's heartbeat_interval_ms). */
#define TIMEOUT_HEARTBEAT_MS 1000u
/* Workers report their stats this often (RUN's report_interval_ms). */
#define TIMEOUT_REPORT_MS 1000u
/* The master counts a worker of the run as lost after this much silence. */
#define TIMEOUT_WORKER_LOST_MS 3000u
/* A worker counts its master as lost after this much silence, and stops firing. */
#define TIMEOUT_MASTER_LOST_MS 5000u
/* After STOP, a worker lets in-flight requests finish for at most this long. */
#define TIMEOUT_DRAIN_MS 5000u
/* After STOP, the master waits this long for every FINAL report: a drain plus the
 * report that follows it, with room for the network. */
#define TIMEOUT_FINAL_WAIT_MS 8000u
/* A run the master never stops ends on its own this long after its duration. */
#define TIMEOUT_SELF_STOP_GRACE_MS 10000u

_Static_assert(TIMEOUT_WORKER_LOST_MS >= 3 * TIMEOUT_HEARTBEAT_MS,
               "a worker is lost only after three missed heartbeats");
_Static_assert(TIMEOUT_MASTER_LOST_MS >= 3 * TIMEOUT_HEARTBEAT_MS,
               "a master is lost only after three missed heartbeats");
_Static_assert(TIMEOUT_FINAL_WAIT_MS >= TIMEOUT_DRAIN_MS + 2 * TIMEOUT_REPORT_MS,
               "the master waits for a full drain and the final report after it");
_Static_assert(TIMEOUT_SELF_STOP_GRACE_MS > TIMEOUT_FINAL_WAIT_MS,
               "a worker stops by itself only after the master stopped waiting for it");
_Static_assert(TIMEOUT_SELF_STOP_GRACE_MS > TIMEOUT_MASTER_LOST_MS,
               "a silent master is noticed before the self-stop");

#endif
