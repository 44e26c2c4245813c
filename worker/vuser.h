/* vuser: one virtual user's state — shared by the engine (its lifecycle),
 * render (building its next request) and check (judging its response).
 * Everything a request needs is allocated when the user starts and reused,
 * so firing a request allocates nothing of ours. */
#ifndef BARRAGE_WORKER_VUSER_H
#define BARRAGE_WORKER_VUSER_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/rng.h"
#include "common/strbuf.h"
#include "worker/loop.h"
#include "worker/plan.h"

struct engine;

typedef struct vuser {
    struct engine *engine;
    CURL *easy;
    CURLSH *pool; /* its own connection pool (worker/multi.h), or NULL */
    const plan_class_t *cls;
    uint32_t class_index; /* cls's position in the plan */
    const char *host; /* the plan's host, for relative paths */
    uint64_t user_id;   /* 1-based, unique across workers */
    uint32_t worker_id; /* the worker's index */
    /* Where the user is: a task (or on_start) and a step of it. */
    const plan_task_t *task;
    size_t step;
    bool started; /* on_start has succeeded (or there is none) */
    bool stopping; /* its on_stop has begun (it runs once) */
    bool task_failed; /* a request of the current task (or on_start) failed */
    const plan_step_t *configured; /* step whose constant options the handle holds */
    const plan_transport_t *transport; /* TLS and HTTP options the handle holds; NULL = none yet */
    char curl_error[CURL_ERROR_SIZE];  /* curl's message for the last transfer (CURLOPT_ERRORBUFFER)
                                        */
    uint8_t conn_state; /* 0: no request yet, 1: the first opens its own connection, 2: reuse */
    uint64_t started_us;           /* current request */
    uint64_t intended_us;          /* open model: the iteration's scheduled start; 0 = none */
    uint64_t task_started_us;      /* current task, for pacing */
    loop_timer_t wake;
    loop_timer_t deadline; /* shared pool: fails a request left waiting (plan_wait_deadline_us) */
    bool in_flight;
    bool retiring; /* leaves once its request in flight is done (a rebalance) */
    bool retired;  /* gone: its slot holds nothing and may be reused */
    /* Template state: the class's variables, the data row, seq(). */
    strbuf_t *values;
    const char **value_ptrs;
    size_t *value_lens;
    size_t n_values;
    const char *const *row;
    uint64_t seq;
    /* Per-request buffers. */
    strbuf_t url, body, header_text, response, scratch;
    struct curl_slist *header_nodes; /* max_headers nodes pointing into header_text */
    uint64_t body_bytes;
    bool keep_body;
} vuser_t;

#endif
