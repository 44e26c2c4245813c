/* ramp: a load profile over time — a start value, then stages that each move
 * linearly from the previous value to their target over their duration, then
 * the last target held (k6's ramping executors). The value is an arrival rate
 * (iterations/s) or a user count; the arithmetic is the same.
 *
 * ramp_integral is the number of arrivals due by a time (the area under the
 * rate), ramp_time_of its inverse: the arrival scheduler fires arrival k when
 * the integral reaches k + phase, computed afresh for every k so rounding never
 * accumulates. Pure arithmetic on plain data; times are µs from the ramp's
 * origin. */
#ifndef BARRAGE_COMMON_RAMP_H
#define BARRAGE_COMMON_RAMP_H

#include <stddef.h>
#include <stdint.h>

/* ramp_time_of when the integral never reaches the count (the rate ends at 0). */
#define RAMP_NEVER UINT64_MAX

typedef struct {
    uint64_t duration_us; /* 0 = a step: the value jumps to target */
    double target;        /* >= 0 */
} ramp_stage_t;

typedef struct {
    double start;               /* the value at time 0, before the first stage */
    const ramp_stage_t *stages; /* borrowed */
    size_t n_stages;
} ramp_t;

/* The value at t_us (linear inside a stage; the last target after the end;
 * start when there are no stages). */
double ramp_value_at(const ramp_t *r, uint64_t t_us);
/* The area under the value from 0 to t_us, in value x seconds (for a rate:
 * the arrivals due by t_us). */
double ramp_integral(const ramp_t *r, uint64_t t_us);
/* When ramp_integral reaches count (to the nearest µs; 0 for count <= 0), or
 * RAMP_NEVER if the value drops to 0 for good before that. */
uint64_t ramp_time_of(const ramp_t *r, double count);
/* The sum of the stage durations. */
uint64_t ramp_total_us(const ramp_t *r);
/* The largest of start and every target. */
double ramp_peak(const ramp_t *r);

#endif
