/* plan: a scenario compiled for firing. Per step: the URL, headers and body
 * — precomputed when constant, or the templates to render per user when not
 * — plus the stats slot, redirect policy, and the readable reasons its
 * expects and captures report on failure. Per class: cumulative task
 * weights and the on_start steps. Built once when a run starts; the request
 * path only reads it. */
#ifndef BARRAGE_WORKER_PLAN_H
#define BARRAGE_WORKER_PLAN_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "scenarios/scenario.h"
#include "worker/wstats.h"

/* One header of a step after precedence (defaults < class < request). */
typedef struct {
    const char *name;
    const template_t *value;
} plan_header_t;

/* A step's transport options: TLS, HTTP version, connection reuse,
 * compression and proxy, as libcurl takes them.
 * render sets them on a handle only when they differ from the ones it holds
 * (plan_transport_equal), so steps alike cost nothing when a user moves on. */
typedef struct {
    long verify;           /* 1: check the peer's certificate and name; 0: neither */
    struct curl_blob ca;   /* CURLOPT_CAINFO_BLOB; data NULL = the system CAs */
    struct curl_blob cert; /* CURLOPT_SSLCERT_BLOB; data NULL = no client certificate */
    struct curl_blob key;  /* CURLOPT_SSLKEY_BLOB; data NULL = none (or in cert) */
    long ssl_version;      /* CURLOPT_SSLVERSION */
    long http_version;     /* CURLOPT_HTTP_VERSION */
    bool no_reuse;         /* a new connection for each request, closed after it
                              (CURLOPT_FRESH_CONNECT, CURLOPT_FORBID_REUSE): connections:
                              new, and h2c where libcurl cannot reuse an h2c connection
                              (plan_h2c_reuse_works) */
    const char *accept_encoding; /* CURLOPT_ACCEPT_ENCODING; NULL = none, "" = all libcurl has */
    const char *proxy;           /* CURLOPT_PROXY; NULL = none ("": the environment ignored) */
} plan_transport_t;

/* Where a worker's requests get their connections (connections:), decided
 * once for the run: engine and multi apply it when users start. */
typedef struct {
    bool own_pool;             /* each user a pool of its own (multi_pool_new): per_user, new */
    bool fresh_first;          /* a user's first request opens its own connection: per_user */
    long max_host_connections; /* CURLMOPT_MAX_HOST_CONNECTIONS; 0 = no limit */
    long max_streams;          /* CURLMOPT_MAX_CONCURRENT_STREAMS; 0 = libcurl's default */
} plan_pool_t;

typedef struct {
    const scenario_request_t *req;
    int slot; /* wstats slot of (method, name) */
    plan_transport_t transport;
    long timeout_ms;
    long follow_redirects;
    /* URL: static_url when the path is constant and there is no query. */
    char *static_url;
    /* Headers: static_headers when every value is constant; else headers[]
     * rendered per request (Content-Type of json:/form: included). */
    struct curl_slist *static_headers;
    plan_header_t *headers;
    size_t n_headers;
    bool dynamic_headers;
    /* Body: NULL tbody = none; constant bodies are sent from static_body. */
    const char *static_body;
    size_t static_body_bytes;
    bool dynamic_body;
    /* The response body is kept when a capture or expect reads it. */
    bool keep_body;
    /* Failure reasons (static for the run): expect.status, body_contains,
     * each expect.json (its value differs; its path is absent), max_duration,
     * and each capture. */
    char *why_status;
    char *why_body;
    char **why_json;
    char **why_json_absent;
    char *why_duration;
    char **why_capture;
} plan_step_t;

typedef struct {
    plan_step_t *steps;
    size_t n_steps;
} plan_task_t;

typedef struct {
    const scenario_class_t *cls;
    plan_task_t on_start; /* n_steps == 0 when the class has none */
    plan_task_t on_stop;  /* n_steps == 0 when the class has none */
    plan_task_t *tasks;
    size_t n_tasks;
    uint64_t *cum_weight; /* cum_weight[i] = sum of weights of tasks 0..i */
    uint64_t total_weight;
    size_t max_headers; /* most headers of any step, for per-user header nodes */
} plan_class_t;

typedef struct plan {
    const scenario_t *scenario;
    char *host; /* without trailing slashes */
    plan_class_t *classes;
    size_t n_classes;
    plan_pool_t pool;           /* plan_pool of the scenario's connections: */
    struct curl_slist *resolve; /* CURLOPT_RESOLVE for every user's handle; NULL = none */
} plan_t;

/* Compiles sc against host (the scenario's own host when host is NULL or
 * empty), registering every (method, name) in stats with the HTTP version
 * its requests ask for. tls_no_verify turns certificate verification off for
 * every step (--tls-no-verify), whatever the scenario says. Returns NULL and
 * sets *err (caller frees) when there is no usable host. sc must outlive the
 * plan: the transport's blobs point into its files. */
plan_t *plan_new(const scenario_t *sc, const char *host, bool tls_no_verify, wstats_t *stats,
                 char **err);
void plan_destroy(plan_t **plan);

/* The transport options request rq of sc runs with (scenario_request_tls,
 * scenario_request_http, scenario_request_accept_encoding,
 * scenario_request_proxy), verification off when tls_no_verify; a request
 * opens a new connection each time with connections: new, and for h2c
 * unless h2c_reuse. Blobs and strings borrow sc's (CURL_BLOB_NOCOPY). */
plan_transport_t plan_transport(const scenario_t *sc, const scenario_request_t *rq,
                                bool tls_no_verify, bool h2c_reuse);
/* True if the libcurl of version_num (curl_version_info's, 0xXXYYZZ) reuses
 * an HTTP/2 prior-knowledge connection: before 8.0.0 the second request on
 * one fails with "Error in the HTTP2 framing layer" (curl issue #10634,
 * fixed by curl PR #10643); Debian 12 has 7.88.1. */
bool plan_h2c_reuse_works(unsigned version_num);
/* The wire's name (PROTO_ASKED_*) for an HTTP version a request asks for. */
uint32_t plan_asked(scenario_http_t http);
/* True if a and b set the same options (blobs compared by address: they
 * point into the scenario's files, one per name). */
bool plan_transport_equal(const plan_transport_t *a, const plan_transport_t *b);

/* The pool connections c asks for: per_user (users' own pools, a user's
 * first request on a connection of its own), new (own pools; the steps
 * forbid reuse), shared (the worker's common pool: at most c->shared
 * connections per host, c->streams HTTP/2 streams on each). */
plan_pool_t plan_pool(const scenario_connections_t *c);

/* How much later than its timeout a request still waiting for a shared
 * connection is failed by the engine: libcurl 7.88 does not time out a
 * transfer waiting for a connection (curl PR #13276, 8.8), and the grace
 * leaves a transfer that has one to curl's own, exact, timeout. */
#define PLAN_WAIT_GRACE_MS 50u
/* The reason such a request fails with (category "timeout"). */
#define PLAN_WAIT_REASON "waited for a shared connection until the request timed out"

/* When the engine fails a request started at started_us with timeout_ms if
 * it is still in flight: started + timeout + PLAN_WAIT_GRACE_MS, in µs;
 * 0 = never (a pool of its own never makes a request wait). */
uint64_t plan_wait_deadline_us(const plan_pool_t *pool, uint64_t started_us, long timeout_ms);

/* Picks a task of c by weight, given a uniform random 64-bit number. */
const plan_task_t *plan_pick(const plan_class_t *c, uint64_t random);

#endif
