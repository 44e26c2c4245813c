/* units: duration parsing and formatting. */
#include "common/units.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
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

/* Scans <digits>[.<digits>] at *p and advances *p. Done by hand rather than
 * with strtod, which would also take signs, exponents, hex ("0x10s") and
 * inf, and whose decimal point depends on the locale. */
static int s_number(const char **p, double *out) {
    const char *s = *p;
    double v = 0;
    if (!isdigit((unsigned char)*s)) return -1;
    while (isdigit((unsigned char)*s))
        v = v * 10 + (*s++ - '0');
    if (*s == '.') {
        s++;
        if (!isdigit((unsigned char)*s)) return -1;
        for (double scale = 0.1; isdigit((unsigned char)*s); scale /= 10)
            v += (*s++ - '0') * scale;
    }
    *p = s;
    *out = v;
    return 0;
}

int units_parse_duration_ms(const char *text, uint64_t *out_ms) {
    const char *p = text;
    double total_us = 0;
    int groups = 0;
    while (*p) {
        double v;
        if (s_number(&p, &v) != 0) return -1;
        const char *u = p;
        while (isalpha((unsigned char)*p)) p++;
        double mult = 1e6;
        if (p > u && s_unit_us(u, (size_t)(p - u), &mult) != 0) return -1;
        if (p == u && *p) return -1; /* a bare number only at the end */
        total_us += v * mult;
        groups++;
    }
    if (groups == 0 || !(total_us <= 1e15)) return -1;
    *out_ms = (uint64_t)llround(total_us / 1000.0);
    return 0;
}

char *units_format_us(uint64_t us, char *buf, size_t buf_bytes) {
    /* Each unit ends where rounding would carry into the next one, so
     * 999999 us is "1.00s", not "1000.0ms", and 59.999 s is "1m00s". */
    if (us < 1000) {
        snprintf(buf, buf_bytes, "%lluus", (unsigned long long)us);
    } else if (us < 999950) {
        snprintf(buf, buf_bytes, "%.1fms", (double)us / 1e3);
    } else if (us < 59995000) {
        snprintf(buf, buf_bytes, "%.2fs", (double)us / 1e6);
    } else {
        unsigned long long s = us / 1000000 + (us % 1000000 >= 500000);
        snprintf(buf, buf_bytes, "%llum%02llus", s / 60, s % 60);
    }
    return buf;
}
