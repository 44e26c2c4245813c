/* units: duration parsing and formatting. */
#include "common/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_unit_us(const char *u, size_t len, double *mult_us) {
    static const struct {
        const char *name;
        double us;
    } units[] = {{"us", 1.0}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}, {"h", 3600e6}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == len && strncmp(u, units[i].name, len) == 0) {
            *mult_us = units[i].us;
            return 0;
        }
    }
    return -1;
}

int units_parse_duration_ms(const char *text, uint64_t *out_ms) {
    const char *p = text;
    double total_us = 0;
    int groups = 0;
    while (*p) {
        if (!isdigit((unsigned char)*p) && *p != '.') return -1;
        char *end;
        double v = strtod(p, &end);
        if (end == p || v < 0 || !isfinite(v)) return -1;
        p = end;
        const char *u = p;
        while (isalpha((unsigned char)*p)) p++;
        double mult = 1e6;
        if (p > u && s_unit_us(u, (size_t)(p - u), &mult) != 0) return -1;
        if (p == u && *p) return -1; /* a bare number only at the end */
        total_us += v * mult;
        groups++;
    }
    if (groups == 0 || total_us > 1e15) return -1;
    *out_ms = (uint64_t)llround(total_us / 1000.0);
    return 0;
}

char *units_format_us(uint64_t us, char *buf, size_t buf_bytes) {
    if (us < 1000) {
        snprintf(buf, buf_bytes, "%lluus", (unsigned long long)us);
    } else if (us < 1000000) {
        snprintf(buf, buf_bytes, "%.1fms", (double)us / 1e3);
    } else if (us < 60000000) {
        snprintf(buf, buf_bytes, "%.2fs", (double)us / 1e6);
    } else {
        unsigned long long s = us / 1000000;
        snprintf(buf, buf_bytes, "%llum%02llus", s / 60, s % 60);
    }
    return buf;
}
