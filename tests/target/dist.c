/* dist: /mix, /dist and /__stall on the demo target. */
#include "tests/target/dist.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/rng.h"
#include "common/xmalloc.h"

/* The 99th percentile of the standard normal distribution. */
#define S_Z99 2.3263478740408408
#define S_JSON "application/json"
/* /mix latencies kept for /__mix; more are not recorded (a test run is far smaller). */
#define S_MAX_SERVED 1000000u

struct dist {
    uint64_t mix_count;   /* /mix requests seen */
    rng_t rng;            /* /dist draws */
    uint64_t stall_until; /* CLOCK_MONOTONIC µs; responses wait until then */
    uint64_t *served_us;  /* /mix service times, in the order served */
    size_t n_served, cap_served;
    char body[160];
};

dist_t *dist_new(void) {
    dist_t *d = xcalloc(1, sizeof *d);
    rng_seed(&d->rng, 0x6261727261676521ull); /* fixed: the same sequence in every run */
    return d;
}

void dist_destroy(dist_t **p) {
    if (!p || !*p) return;
    free((*p)->served_us);
    free(*p);
    *p = NULL;
}

static void __attribute__((format(printf, 4, 5)))
s_answer(dist_t *d, routes_result_t *out, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(d->body, sizeof d->body, fmt, ap);
    va_end(ap);
    out->resp.status = status;
    out->resp.content_type = S_JSON;
    out->resp.body = d->body;
    out->resp.body_bytes = n < 0 ? 0 : (size_t)n < sizeof d->body ? (size_t)n : sizeof d->body - 1;
}

/* Reads milliseconds (an optional "ms" suffix allowed); false (a 400 set) when present but bad. */
static bool s_ms(dist_t *d, const http_request_t *req, const char *name, uint64_t def, uint64_t max,
                 uint64_t *out, routes_result_t *res) {
    http_slice_t v;
    *out = def;
    if (!http_query_get(req->query, name, &v)) return true;
    if (v.len > 2 && memcmp(v.ptr + v.len - 2, "ms", 2) == 0) v.len -= 2;
    if (http_parse_uint(v, max, out)) return true;
    s_answer(d, res, 400, "{\"error\": \"%s must be a whole number of ms in 0..%llu\"}", name,
             (unsigned long long)max);
    return false;
}

static void s_mix(dist_t *d, const http_request_t *req, bool resumed, routes_result_t *out) {
    uint64_t fast, slow, pct;
    if (!s_ms(d, req, "fast", 10, ROUTES_MAX_DELAY_MS, &fast, out) ||
        !s_ms(d, req, "slow", 100, ROUTES_MAX_DELAY_MS, &slow, out) ||
        !s_ms(d, req, "slow_pct", 10, 100, &pct, out))
        return;
    if (resumed) {
        s_answer(d, out, 200, "{\"mix\": true}");
        return;
    }
    uint64_t n = d->mix_count++;
    bool is_slow = (n + 1) * pct / 100 > n * pct / 100;
    uint64_t ms = is_slow ? slow : fast;
    if (ms > 0) {
        out->defer_ms = (uint32_t)ms;
        return;
    }
    s_answer(d, out, 200, "{\"mix\": true}");
}

/* A standard normal draw (Box-Muller). */
static double s_normal(rng_t *r) {
    double u1 = rng_unit(r), u2 = rng_unit(r);
    return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
}

static void s_dist(dist_t *d, const http_request_t *req, bool resumed, routes_result_t *out) {
    uint64_t p50, p99;
    if (!s_ms(d, req, "p50", 10, ROUTES_MAX_DELAY_MS, &p50, out) ||
        !s_ms(d, req, "p99", 100, ROUTES_MAX_DELAY_MS, &p99, out))
        return;
    if (p99 < p50) {
        s_answer(d, out, 400, "{\"error\": \"p99 must be >= p50\"}");
        return;
    }
    if (resumed || p50 == 0) {
        s_answer(d, out, 200, "{\"dist\": true}");
        return;
    }
    double sigma = log((double)p99 / (double)p50) / S_Z99;
    double ms = (double)p50 * exp(sigma * s_normal(&d->rng));
    if (ms > ROUTES_MAX_DELAY_MS) ms = ROUTES_MAX_DELAY_MS;
    out->defer_ms = ms < 1 ? 1 : (uint32_t)(ms + 0.5);
}

static void s_stall(dist_t *d, const http_request_t *req, routes_result_t *out) {
    uint64_t ms;
    if (!s_ms(d, req, "ms", 1000, ROUTES_MAX_DELAY_MS, &ms, out)) return;
    uint64_t until = clock_now_us() + ms * 1000u;
    if (until > d->stall_until) d->stall_until = until;
    s_answer(d, out, 200, "{\"stall_ms\": %llu}", (unsigned long long)ms);
}

void dist_served(dist_t *d, const http_request_t *req, uint64_t service_us) {
    if (!http_slice_eq(req->path, "/mix") || d->n_served == S_MAX_SERVED) return;
    if (d->n_served == d->cap_served) {
        d->cap_served = d->cap_served ? d->cap_served * 2 : 4096;
        d->served_us = xrealloc(d->served_us, d->cap_served * sizeof *d->served_us);
    }
    d->served_us[d->n_served++] = service_us;
}

static int s_cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank: the ceil(p n / 100)-th smallest of sorted[n], in ms. */
static double s_rank_ms(const uint64_t *sorted, size_t n, unsigned p) {
    if (n == 0) return 0;
    size_t rank = (n * p + 99) / 100;
    return (double)sorted[rank ? rank - 1 : 0] / 1000.0;
}

static void s_served(dist_t *d, routes_result_t *out) {
    uint64_t *sorted = xmalloc((d->n_served ? d->n_served : 1) * sizeof *sorted);
    if (d->n_served) memcpy(sorted, d->served_us, d->n_served * sizeof *sorted);
    qsort(sorted, d->n_served, sizeof *sorted, s_cmp_u64);
    s_answer(d, out, 200, "{\"count\": %zu, \"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f}",
             d->n_served, s_rank_ms(sorted, d->n_served, 50), s_rank_ms(sorted, d->n_served, 90),
             s_rank_ms(sorted, d->n_served, 99));
    free(sorted);
}

bool dist_hold(dist_t *d, const http_request_t *req, routes_result_t *out) {
    if (req->path.len >= 3 && memcmp(req->path.ptr, "/__", 3) == 0) return false;
    uint64_t now = clock_now_us();
    if (now >= d->stall_until) return false;
    out->defer_ms = (uint32_t)((d->stall_until - now + 999) / 1000);
    return true;
}

bool dist_route(dist_t *d, const http_request_t *req, bool resumed, routes_result_t *out) {
    bool get = http_slice_eq(req->method, "GET") || http_slice_eq(req->method, "HEAD");
    if (http_slice_eq(req->path, "/mix") && get) {
        s_mix(d, req, resumed, out);
    } else if (http_slice_eq(req->path, "/dist") && get) {
        s_dist(d, req, resumed, out);
    } else if (http_slice_eq(req->path, "/__stall") && http_slice_eq(req->method, "POST")) {
        s_stall(d, req, out);
    } else if (http_slice_eq(req->path, "/__mix") && get) {
        s_served(d, out);
    } else {
        return false;
    }
    return true;
}
