/* saturation: when a worker is the bottleneck. From its heartbeats' health, a
 * worker is saturated while its CPU share stays at or above
 * SATURATION_CPU_PERMILLE, or its loop lag above SATURATION_LAG_US, for
 * SATURATION_HOLD_US: its requests then wait for CPU, and every latency it
 * measures is inflated. An episode begins then (said once) and ends at the
 * first heartbeat below both. Pure: fed with (state, health, now). */
#ifndef BARRAGE_MASTER_SATURATION_H
#define BARRAGE_MASTER_SATURATION_H

#include <stdbool.h>
#include <stdint.h>

#include "proto/proto.h"

#define SATURATION_CPU_PERMILLE 900u /* 90 % of one core, Locust's warning level */
#define SATURATION_LAG_US 10000u     /* timers firing 10 ms late */
#define SATURATION_HOLD_US 3000000u  /* for 3 s */

typedef struct {
    uint64_t above_since_us; /* 0 = below at the last heartbeat */
    bool open;               /* an episode is going on */
    uint64_t began_us;       /* the open episode's start: when it went above */
    uint32_t cpu_max_permille, lag_max_us; /* over the open episode */
} saturation_t;

typedef enum { SATURATION_SAME, SATURATION_BEGAN, SATURATION_ENDED } saturation_change_t;

/* One heartbeat's health h at now_us. BEGAN once an episode starts (s says
 * since when and how high), ENDED when it is over (s still holds it until
 * the next update), else SAME. */
saturation_change_t saturation_update(saturation_t *s, const proto_health_t *h, uint64_t now_us);

#endif
