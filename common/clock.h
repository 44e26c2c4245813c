/* clock: monotonic time for durations, wall time for report timestamps. */
#ifndef BARRAGE_COMMON_CLOCK_H
#define BARRAGE_COMMON_CLOCK_H

#include <stdint.h>

/* Microseconds on CLOCK_MONOTONIC (arbitrary origin). */
uint64_t clock_now_us(void);
/* Milliseconds on CLOCK_MONOTONIC. */
uint64_t clock_now_ms(void);
/* Milliseconds since the Unix epoch (CLOCK_REALTIME), for reports only. */
uint64_t clock_wall_ms(void);

#endif
