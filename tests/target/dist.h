/* dist: the demo target's latency shapes — known response-time mixes for
 * accuracy tests, and a stall of every response for coordinated-omission
 * tests.
 *
 *   GET /mix?fast=MS&slow=MS&slow_pct=P  waits fast ms, except a fixed
 *       slow_pct % of the requests, which wait slow ms. /mix requests are
 *       numbered from 0 as they arrive (all parameters together); request n
 *       is slow when floor((n+1) P / 100) > floor(n P / 100), so with P = 10
 *       exactly requests 9, 19, 29 ... are: any N requests hold floor(N P/100)
 *       slow ones. Defaults: fast=10 slow=100 slow_pct=10.
 *   GET /__mix  the latencies /mix really served (from reading a request to queueing
 *       its response, as its Server-Timing app says), the truth an accuracy test
 *       compares a load generator with: {"count": N, "p50_ms": x, "p90_ms": y,
 *       "p99_ms": z}, nearest rank (the ceil(p N / 100)-th smallest), since start.
 *   GET /dist?p50=MS&p99=MS  waits a log-normal time with that median and
 *       99th percentile, from a generator seeded the same way in every process
 *       (values may be written 10 or 10ms).
 *   POST /__stall?ms=N  from now until N ms later every response is held —
 *       also those already waiting — and released when the stall ends; the
 *       stall request itself is answered at once. A request that arrives
 *       during a stall is answered when it ends (its own delay is skipped).
 *       Paths starting with /__ are never held. */
#ifndef BARRAGE_TARGET_DIST_H
#define BARRAGE_TARGET_DIST_H

#include <stdbool.h>

#include "tests/target/http.h"
#include "tests/target/routes.h"

typedef struct dist dist_t;

/* Returns the endpoints' state (the /mix counter, the /dist generator, the stall). */
dist_t *dist_new(void);
/* Frees it; accepts NULL and nulls *p. */
void dist_destroy(dist_t **p);

/* During a stall, holds req: sets out->defer_ms to the stall's rest and
 * returns true. False when req goes ahead. */
bool dist_hold(dist_t *d, const http_request_t *req, routes_result_t *out);
/* Records that a response to req was queued service_us after req arrived (kept for /mix). */
void dist_served(dist_t *d, const http_request_t *req, uint64_t service_us);
/* Answers /mix, /dist, /__stall and /__mix (see above) and returns true; false for
 * any other path. */
bool dist_route(dist_t *d, const http_request_t *req, bool resumed, routes_result_t *out);

#endif
