/* health: what a worker says of itself in each heartbeat (proto_health_t) —
 * its process's CPU share over the last interval (getrusage, user + system),
 * its resident memory (/proc/self/statm), and what the caller adds: open
 * connections and the loop's lag. The share is a pure function of two
 * readings, unit-tested with made-up numbers. */
#ifndef BARRAGE_WORKER_HEALTH_H
#define BARRAGE_WORKER_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

/* The last reading: process CPU time and the monotonic clock, in us. */
typedef struct {
    uint64_t cpu_us, wall_us;
    bool started;
} health_t;

/* The CPU share between the last reading and this one (cpu_us of process
 * time at now_us), in thousandths of one core (1000 = one core busy; more
 * with threads on several cores); 0 at the first reading or when no time
 * passed. Keeps this reading as the last. */
uint32_t health_cpu_permille(health_t *h, uint64_t cpu_us, uint64_t now_us);

/* The process's CPU time so far (user + system), from getrusage. */
uint64_t health_process_cpu_us(void);
/* The process's resident memory now, in KiB; 0 when /proc cannot say. */
uint64_t health_rss_kib(void);

#endif
