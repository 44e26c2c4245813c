/* routes: the demo target's endpoints, from a parsed request to a response. */
#ifndef BARRAGE_TARGET_ROUTES_H
#define BARRAGE_TARGET_ROUTES_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/target/counters.h"
#include "tests/target/faults.h"
#include "tests/target/http.h"

/* Limits of the query parameters (larger values get 400). */
#define ROUTES_MAX_JSON_BYTES ((uint64_t)10 * 1024 * 1024)
#define ROUTES_MAX_DELAY_MS 60000u

/* The key a GET /private without a valid bearer token is counted under in /__stats, so a
 * test sees at once whether every authenticated request carried its token. */
#define ROUTES_REJECTED_KEY "GET /private (rejected)"

typedef struct routes routes_t;

typedef struct {
    http_response_t resp; /* borrowed from the routes object: valid until the next call */
    uint32_t defer_ms;    /* > 0: answer later: call routes_handle again with resumed set */
    bool counted;         /* false for /__stats and /__reset, which are not counted */
    const char *count_as; /* NULL, or the literal key it is counted under instead of
                             "METHOD path" (ROUTES_REJECTED_KEY) */
    fault_t fault;        /* kind != FAULT_NONE: misbehave instead of answering (/fault/...) */
} routes_result_t;

/* Returns the endpoint table. counters is borrowed (read by /__stats, zeroed by /__reset) and
 * must outlive the routes. */
routes_t *routes_new(counters_t *counters);
/* Frees the routes; accepts NULL and nulls *p. */
void routes_destroy(routes_t **p);

/* True for the control endpoints (/__stats, /__reset): the caller flushes earlier responses
 * first so the counts they report include them. */
bool routes_is_control(const http_request_t *req);
/* A response to req was queued service_us after req was first handled (/mix keeps these:
 * GET /__mix reports the latencies it really served, see tests/target/dist.h). */
void routes_served(routes_t *r, const http_request_t *req, uint64_t service_us);
/* Answers req (parsed completely). resumed is true when the same request is handled again after
 * its defer_ms elapsed. HEAD is treated as GET; the caller omits the body. */
void routes_handle(routes_t *r, const http_request_t *req, bool resumed, routes_result_t *out);

#endif
