/* units: parse and format durations ("500ms", "10s", "2m", "1h", "1m30s"). */
#ifndef BARRAGE_COMMON_UNITS_H
#define BARRAGE_COMMON_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Parses a duration into milliseconds. Accepts one or more <number><unit>
 * groups with units us, ms, s, m, h (a bare number means seconds), e.g.
 * "250ms", "1.5s", "1m30s". Returns 0, or -1 on malformed or overflowing input. */
int units_parse_duration_ms(const char *text, uint64_t *out_ms);

/* Writes a compact human duration of us microseconds ("850us", "12.3ms",
 * "1.20s", "2m05s") into buf; returns buf. */
char *units_format_us(uint64_t us, char *buf, size_t buf_bytes);

#endif
