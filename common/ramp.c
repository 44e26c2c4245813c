/* ramp: piecewise-linear load profiles, their integral and its inverse. */
#include "common/ramp.h"

#include <math.h>

double ramp_value_at(const ramp_t *r, uint64_t t_us) {
    double prev = r->start;
    uint64_t at = 0;
    for (size_t i = 0; i < r->n_stages; i++) {
        const ramp_stage_t *st = &r->stages[i];
        if (t_us - at < st->duration_us) {
            double f = (double)(t_us - at) / (double)st->duration_us;
            return prev + (st->target - prev) * f;
        }
        at += st->duration_us;
        prev = st->target;
    }
    return prev;
}

double ramp_integral(const ramp_t *r, uint64_t t_us) {
    double area = 0, prev = r->start;
    uint64_t at = 0;
    for (size_t i = 0; i < r->n_stages; i++) {
        const ramp_stage_t *st = &r->stages[i];
        uint64_t d = st->duration_us, in = t_us - at < d ? t_us - at : d;
        if (d > 0) {
            double end = prev + (st->target - prev) * (double)in / (double)d;
            area += (prev + end) / 2.0 * ((double)in / 1e6);
        }
        if (in < d) return area;
        at += d;
        prev = st->target;
    }
    return area + prev * ((double)(t_us - at) / 1e6);
}

/* Time into one linear stage (a -> b over d_s seconds) at which its area reaches left. */
static double s_solve(double a, double b, double d_s, double left) {
    /* a*t + (b-a)/(2 d) * t^2 = left, written so that it stays exact when
     * b == a and does not cancel when a >> the slope. */
    double k2 = (b - a) / (2.0 * d_s);
    double disc = a * a + 4.0 * k2 * left;
    double denom = a + sqrt(disc > 0 ? disc : 0);
    double t = denom > 0 ? 2.0 * left / denom : d_s;
    return t < d_s ? t : d_s;
}

uint64_t ramp_time_of(const ramp_t *r, double count) {
    if (!(count > 0)) return 0;
    double left = count, prev = r->start;
    uint64_t at = 0;
    for (size_t i = 0; i < r->n_stages; i++) {
        const ramp_stage_t *st = &r->stages[i];
        if (st->duration_us > 0) {
            double d_s = (double)st->duration_us / 1e6;
            double area = (prev + st->target) / 2.0 * d_s;
            if (left <= area)
                return at + (uint64_t)llround(s_solve(prev, st->target, d_s, left) * 1e6);
            left -= area;
        }
        at += st->duration_us;
        prev = st->target;
    }
    if (!(prev > 0)) return RAMP_NEVER;
    double rest_us = left / prev * 1e6;
    if (rest_us >= (double)(RAMP_NEVER - at) - 1e6) return RAMP_NEVER;
    return at + (uint64_t)llround(rest_us);
}

uint64_t ramp_total_us(const ramp_t *r) {
    uint64_t total = 0;
    for (size_t i = 0; i < r->n_stages; i++)
        total += r->stages[i].duration_us;
    return total;
}

double ramp_peak(const ramp_t *r) {
    double peak = r->start;
    for (size_t i = 0; i < r->n_stages; i++)
        if (r->stages[i].target > peak) peak = r->stages[i].target;
    return peak;
}
