/* engine: virtual users of one run, driven by the loop and curl multi. */
#include "worker/engine.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/rng.h"
#include "common/xmalloc.h"
#include "load/userids.h"
#include "scenarios/scenario.h"
#include "worker/arrival.h"
#include "worker/check.h"
#include "worker/enginecore.h"
#include "worker/multi.h"
#include "worker/plan.h"
#include "worker/render.h"
#include "worker/servertiming.h"
#include "worker/timing.h"
#include "worker/vuser.h"
#include "worker/wstats.h"

struct engine {
    loop_t *loop;
    multi_t *multi;
    scenario_t *scenario;
    plan_t *plan;
    wstats_t *stats;
    rng_t rng;
    engine_hooks_t hooks;
    enginecore_t core; /* the run's decisions; this file performs them */
    uint32_t run_id, seq;
    uint32_t worker_index;
    /* Users live in slots allocated one by one (timers and curl point into
     * them, so they never move); a retired user's slot is reused. */
    vuser_t **users;
    uint32_t n_slots, cap_slots, n_free;
    uint32_t n_classes;
    userids_t ids;
    loop_timer_t tick; /* at the earlier of enginecore_next_us and arrival_next_us */
    /* Open model: iterations started at the arrival rate (NULL: closed model). */
    arrival_t *arrival;
    double arrival_rate; /* this worker's peak iterations/s, to rescale on a new share */
    bool not_sent_said;  /* a request curl would not take has been logged (once a run) */
    bool timing_said;    /* curl would not give a request's timings: logged (once a run) */
    uint32_t users_failed; /* users that could not start (the first is logged) */
    bool pool_failed_said; /* a user without a connection pool of its own has been logged */
};

static void s_fire(vuser_t *u);
static void s_next_task(vuser_t *u);
static void s_release(engine_t *e, vuser_t *u);
static void s_perform(engine_t *e, enginecore_out_t out, uint64_t now);

/* --- reporting --- */

static void s_report(engine_t *e, proto_type_t type) {
    proto_msg_t msg = {.type = type};
    proto_stats_t *st = &msg.u.stats;
    st->run_id = e->run_id;
    st->seq = e->seq++;
    st->users = engine_users(e);
    st->dropped = e->arrival ? arrival_take_dropped(e->arrival) : 0;
    wstats_snapshot(e->stats, st);
    e->hooks.report(&msg, e->hooks.arg);
    wstats_snapshot_done(e->stats, st);
}


/* --- one user's cycle: fire a step, check it, next step or think --- */

static size_t s_on_body(char *data, size_t size, size_t nmemb, void *arg) {
    vuser_t *u = arg;
    size_t n = size * nmemb;
    u->body_bytes += n;
    if (u->keep_body && u->response.len + n <= CHECK_MAX_BODY_BYTES) {
        strbuf_append(&u->response, data, n);
    }
    return n;
}

static void s_after_request(vuser_t *u, uint64_t now, bool not_sent);

/* curl would not take the request: one counted failure ("not sent: <curl's
 * reason>"), said once a run in the log, and the user tries again at its
 * next iteration (enginecore_after_request). */
static void s_not_sent(vuser_t *u, const char *call, const char *reason, int line) {
    engine_t *e = u->engine;
    if (!e->not_sent_said) {
        log_warn("run %u: %s: %s (%s:%d): such requests count as failed "
                 "(\"not sent\") and their users try again at their next iteration",
                 e->run_id, call, reason, __FILE__, line);
        e->not_sent_said = true;
    }
    uint64_t now = clock_now_us();
    const plan_step_t *st = &u->task->steps[u->step];
    wstats_reason_t why = {.category = "not sent", .detail = reason};
    wstats_record(e->stats, st->slot, now > u->started_us ? now - u->started_us : 0, 0, &why);
    u->task_failed = true;
    s_after_request(u, now, true);
    s_perform(e, enginecore_on_request_done(&e->core, (uint32_t)multi_in_flight(e->multi)), now);
}

static void s_fire(vuser_t *u) {
    engine_t *e = u->engine;
    const plan_step_t *st = &u->task->steps[u->step];
    CURLcode render_rc = render_step(u, st, &e->rng);
    u->body_bytes = 0;
    u->keep_body = st->keep_body;
    strbuf_reset(&u->response);
    /* An open-model iteration's first request counts from its intended start;
     * a closed-model request from when it is ready to go (rendering excluded). */
    u->started_us = u->intended_us ? u->intended_us : clock_now_us();
    u->intended_us = 0;
    if (render_rc != CURLE_OK) {
        s_not_sent(u, "curl_easy_setopt", curl_easy_strerror(render_rc), __LINE__);
        return;
    }
    CURLMcode rc = multi_add(e->multi, u->easy);
    if (rc == CURLM_OK) {
        u->in_flight = true;
        uint64_t deadline = plan_wait_deadline_us(&e->plan->pool, clock_now_us(), st->timeout_ms);
        if (deadline) loop_timer_start(e->loop, &u->deadline, deadline);
        return;
    }
    s_not_sent(u, "curl_multi_add_handle", curl_multi_strerror(rc), __LINE__);
}

/* Starts on_start (until it has succeeded) or a task picked by weight. */
static void s_next_task(vuser_t *u) {
    engine_t *e = u->engine;
    if (e->core.state != ENGINECORE_RUNNING) return;
    u->task = u->started ? plan_pick(u->cls, rng_next(&e->rng)) : &u->cls->on_start;
    u->step = 0;
    u->task_failed = false;
    u->task_started_us = clock_now_us();
    s_fire(u);
}

/* Whether u runs on_stop when it stops: closed model, a class with on_stop,
 * a user past its on_start, not begun yet. */
static bool s_has_on_stop(const vuser_t *u) {
    return !u->engine->arrival && u->cls->on_stop.n_steps > 0 && u->started && !u->stopping;
}

/* Starts u's on_stop, even while the run drains (its last requests). */
static void s_start_on_stop(vuser_t *u) {
    loop_timer_stop(u->engine->loop, &u->wake);
    u->stopping = true;
    u->task = &u->cls->on_stop;
    u->step = 0;
    u->task_failed = false;
    u->task_started_us = clock_now_us();
    s_fire(u);
}

static void s_on_wake(loop_t *loop, void *arg) {
    (void)loop;
    s_next_task(arg);
}

static uint64_t s_think_until(engine_t *e, const vuser_t *u, uint64_t now) {
    const scenario_think_t *t = &u->cls->cls->think;
    switch (t->kind) {
    case SCENARIO_THINK_CONSTANT:
        return now + t->min_ms * 1000u;
    case SCENARIO_THINK_BETWEEN:
        return now + rng_range(&e->rng, t->min_ms * 1000u, t->max_ms * 1000u);
    case SCENARIO_THINK_PACING: {
        uint64_t next = u->task_started_us + t->min_ms * 1000u;
        return next > now ? next : now;
    }
    case SCENARIO_THINK_NONE:
    default:
        return now;
    }
}

/* What the user does after a request (or one that was not sent). */
static void s_after_request(vuser_t *u, uint64_t now, bool not_sent) {
    engine_t *e = u->engine;
    enginecore_user_t view = {.running = e->core.state == ENGINECORE_RUNNING,
                              .retiring = u->retiring,
                              .open_model = e->arrival != NULL,
                              .on_start = !u->started,
                              .task_failed = u->task_failed,
                              .not_sent = not_sent,
                              .has_on_stop = s_has_on_stop(u),
                              .in_on_stop = u->stopping,
                              .step = u->step,
                              .n_steps = u->task->n_steps};
    uint64_t think = view.running && !view.retiring ? s_think_until(e, u, now) : now;
    enginecore_after_t next = enginecore_after_request(&view, now, think);
    if (next.on_start_ok) u->started = true;
    switch (next.next) {
    case ENGINECORE_NEXT_STEP:
        u->step++;
        s_fire(u);
        break;
    case ENGINECORE_NEXT_TASK:
        s_next_task(u);
        break;
    case ENGINECORE_SLEEP:
        loop_timer_start(e->loop, &u->wake, next.wake_us);
        break;
    case ENGINECORE_END_ITERATION:
        arrival_release(e->arrival, u->class_index, u);
        break;
    case ENGINECORE_RELEASE:
        s_release(e, u); /* its last request is counted; its slot is free */
        break;
    case ENGINECORE_ON_STOP:
        s_start_on_stop(u);
        break;
    case ENGINECORE_STAY:
        break;
    }
}

static void s_on_metric(const char *name, size_t len, double dur_ms, void *arg) {
    const vuser_t *u = arg;
    const plan_step_t *st = &u->task->steps[u->step];
    wstats_record_metric(u->engine->stats, st->slot, name, len, (uint64_t)(dur_ms * 1000.0 + 0.5));
}

/* Server-Timing metrics and X-Query-Count, recorded per stats name. */
static void s_server_metrics(vuser_t *u) {
    struct curl_header *h = NULL;
    for (size_t i = 0; curl_easy_header(u->easy, "Server-Timing", i, CURLH_HEADER, -1, &h) ==
                       CURLHE_OK;
         i++) {
        servertiming_parse(h->value, strlen(h->value), s_on_metric, u);
        if (i + 1 >= h->amount) break;
    }
    if (curl_easy_header(u->easy, "X-Query-Count", 0, CURLH_HEADER, -1, &h) == CURLHE_OK) {
        char *end;
        unsigned long long n = strtoull(h->value, &end, 10);
        if (end != h->value && *end == '\0') {
            const plan_step_t *st = &u->task->steps[u->step];
            wstats_record_metric(u->engine->stats, st->slot, "queries", 7, n * 1000u);
        }
    }
}

/* curl's timings, new connections and received bytes of a finished transfer,
 * recorded in slot; a transfer curl cannot describe is left out of the
 * phases (said once a run). */
static void s_record_transfer(engine_t *e, CURL *easy, int slot) {
    curl_off_t us[6] = {0}, body_wire = 0;
    long connects = 0, header_bytes = 0;
    char *scheme = NULL;
    static const CURLINFO infos[6] = {CURLINFO_NAMELOOKUP_TIME_T,    CURLINFO_CONNECT_TIME_T,
                                      CURLINFO_APPCONNECT_TIME_T,    CURLINFO_PRETRANSFER_TIME_T,
                                      CURLINFO_STARTTRANSFER_TIME_T, CURLINFO_TOTAL_TIME_T};
    CURLcode rc = CURLE_OK;
    for (int i = 0; rc == CURLE_OK && i < 6; i++)
        rc = curl_easy_getinfo(easy, infos[i], &us[i]);
    /* SIZE_DOWNLOAD_T counts the body as received, before content decoding
     * (measured on 7.88: 124 bytes for a gzip body the write callback gets
     * as 20001); HEADER_SIZE every response header of the transfer. */
    if (rc == CURLE_OK) rc = curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body_wire);
    if (rc == CURLE_OK) rc = curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &header_bytes);
    if (rc == CURLE_OK) rc = curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    /* The scheme only matters for a transfer that ended before its first byte. */
    if (rc == CURLE_OK && us[4] <= 0) rc = curl_easy_getinfo(easy, CURLINFO_SCHEME, &scheme);
    if (rc != CURLE_OK) {
        if (!e->timing_said)
            log_warn("run %u: curl_easy_getinfo (timings): %s (%s:%d): such requests are left "
                     "out of the phases",
                     e->run_id, curl_easy_strerror(rc), __FILE__, __LINE__);
        e->timing_said = true;
        return;
    }
    for (int i = 0; i < 6; i++)
        if (us[i] < 0) us[i] = 0;
    timing_curl_t t = {.namelookup_us = (uint64_t)us[0],
                       .connect_us = (uint64_t)us[1],
                       .appconnect_us = (uint64_t)us[2],
                       .pretransfer_us = (uint64_t)us[3],
                       .starttransfer_us = (uint64_t)us[4],
                       .total_us = (uint64_t)us[5],
                       .tls = scheme && strcasecmp(scheme, "https") == 0};
    uint64_t phases_us[PROTO_PHASE_N];
    timing_split(&t, phases_us);
    uint64_t wire =
        (body_wire > 0 ? (uint64_t)body_wire : 0) + (header_bytes > 0 ? (uint64_t)header_bytes : 0);
    wstats_record_transfer(e->stats, slot, phases_us, connects > 0 ? (uint64_t)connects : 0, wire);
}

static void s_on_done(CURL *easy, CURLcode rc, void *arg) {
    engine_t *e = arg;
    vuser_t *u = NULL;
    CURLcode grc = curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&u);
    if (grc != CURLE_OK || !u) {
        /* Cannot happen for a handle of ours: CURLOPT_PRIVATE is set when the user starts. */
        log_error("curl_easy_getinfo(CURLINFO_PRIVATE): %s (%s:%d)", curl_easy_strerror(grc),
                  __FILE__, __LINE__);
        return;
    }
    uint64_t now = clock_now_us();
    u->in_flight = false;
    loop_timer_stop(e->loop, &u->deadline);
    const plan_step_t *st = &u->task->steps[u->step];
    uint64_t latency_us = now - u->started_us;
    wstats_reason_t why;
    bool failed = check_response(u, st, rc, latency_us, &why);
    /* curl's own message (a TLS failure's): kept for the run, as reasons must be. */
    if (failed && why.detail == u->curl_error)
        why.detail = wstats_message(e->stats, u->curl_error, curl_easy_strerror(rc));
    if (rc == CURLE_OK) s_server_metrics(u);
    long http_version = 0; /* 0: no response */
    if (curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &http_version) == CURLE_OK)
        wstats_record_http(e->stats, st->slot, http_version);
    s_record_transfer(e, easy, st->slot);
    u->task_failed |= failed;
    wstats_record(e->stats, st->slot, latency_us, u->body_bytes, failed ? &why : NULL);
    s_after_request(u, now, false);
    s_perform(e, enginecore_on_request_done(&e->core, (uint32_t)multi_in_flight(e->multi)), now);
}

/* A request still in flight well past its timeout: with a shared pool, one
 * libcurl 7.88 keeps waiting for a connection (plan_wait_deadline_us). It
 * fails as a timeout and the user moves on, as after curl's own. */
static void s_on_deadline(loop_t *loop, void *arg) {
    (void)loop;
    vuser_t *u = arg;
    engine_t *e = u->engine;
    if (!u->in_flight) return;
    CURLMcode rc = multi_remove(e->multi, u->easy);
    if (rc != CURLM_OK) {
        log_error("curl_multi_remove_handle: %s (%s:%d)", curl_multi_strerror(rc), __FILE__,
                  __LINE__);
        return;
    }
    uint64_t now = clock_now_us();
    u->in_flight = false;
    const plan_step_t *st = &u->task->steps[u->step];
    wstats_reason_t why = {.category = "timeout", .detail = PLAN_WAIT_REASON};
    u->task_failed = true;
    wstats_record(e->stats, st->slot, now - u->started_us, u->body_bytes, &why);
    s_after_request(u, now, false);
    s_perform(e, enginecore_on_request_done(&e->core, (uint32_t)multi_in_flight(e->multi)), now);
}

/* --- spawning --- */

static const char *const *s_data_row(engine_t *e, uint64_t user_id) {
    const scenario_data_t *d = e->scenario->data;
    if (!d || d->n_rows == 0) return NULL;
    uint64_t r;
    switch (d->order) {
    case SCENARIO_DATA_RANDOM:
        r = rng_range(&e->rng, 0, d->n_rows - 1);
        break;
    case SCENARIO_DATA_UNIQUE: /* the master checked users <= rows */
    case SCENARIO_DATA_SEQUENTIAL:
    default:
        r = (user_id - 1) % d->n_rows;
    }
    return (const char *const *)&d->fields[r * d->n_columns];
}

/* The curl options a user's handle keeps for the whole run. */
static int s_user_options(engine_t *e, vuser_t *u, char **err) {
    CURL *c = u->easy;
    /* NOSIGNAL, socket hooks, no proxy from the environment. */
    if (multi_prepare(e->multi, c, err) != 0) return -1;
    const plan_pool_t *pool = &e->plan->pool;
    /* Without a first request of its own, the policy of render has nothing to set. */
    if (!pool->fresh_first) u->conn_state = 2;
    if (e->plan->resolve && MULTI_SETOPT(c, CURLOPT_RESOLVE, e->plan->resolve, err)) return -1;
    char *why = NULL;
    /* per_user, new: its own keep-alive connection; shared: the multi's pool. */
    if (pool->own_pool) u->pool = multi_pool_new(e->multi, c, &why);
    if (pool->own_pool && !u->pool) {
        /* It works on the common pool, only slower: said once a run. */
        if (!e->pool_failed_said) {
            log_warn("run %u: %s; users without a pool of their own share one", e->run_id, why);
        }
        e->pool_failed_said = true;
        free(why);
    }
    if (MULTI_SETOPT(c, CURLOPT_PRIVATE, (char *)u, err) ||
        MULTI_SETOPT(c, CURLOPT_WRITEFUNCTION, s_on_body, err) ||
        MULTI_SETOPT(c, CURLOPT_WRITEDATA, u, err) ||
        MULTI_SETOPT(c, CURLOPT_USERAGENT, "barrage/" BARRAGE_VERSION, err) ||
        MULTI_SETOPT(c, CURLOPT_MAXREDIRS, 10L, err) ||
        MULTI_SETOPT(c, CURLOPT_ERRORBUFFER, u->curl_error, err) || /* tls failures' reasons */
        MULTI_SETOPT(c, CURLOPT_COOKIEFILE, "", err)) { /* a cookie jar per virtual user */
        return -1;
    }
    return 0;
}

/* Frees what a user holds (its slot stays). */
static void s_user_fini(engine_t *e, vuser_t *u) {
    loop_timer_stop(e->loop, &u->wake);
    loop_timer_stop(e->loop, &u->deadline);
    if (u->in_flight && multi_remove(e->multi, u->easy) == CURLM_OK) u->in_flight = false;
    curl_easy_cleanup(u->easy);
    u->easy = NULL;
    multi_pool_destroy(&u->pool);
    render_user_fini(u);
}

/* Sets a user up in a fresh slot. Returns 0, or -1 with *err (caller frees;
 * nothing of the user is left to free). */
static int s_user_init(engine_t *e, vuser_t *u, uint64_t user_id, uint32_t class_index,
                       char **err) {
    u->engine = e;
    u->cls = &e->plan->classes[class_index];
    u->class_index = class_index;
    u->host = e->plan->host;
    u->user_id = user_id;
    u->worker_id = e->worker_index;
    u->started = u->cls->on_start.n_steps == 0;
    loop_timer_init(&u->wake, s_on_wake, u);
    loop_timer_init(&u->deadline, s_on_deadline, u);
    u->easy = curl_easy_init();
    if (!u->easy) {
        *err = xasprintf("curl_easy_init: failed (%s:%d)", __FILE__, __LINE__);
        return -1;
    }
    render_user_init(u);
    u->row = s_data_row(e, u->user_id);
    render_vars(u, &e->rng);
    if (s_user_options(e, u, err) != 0) {
        s_user_fini(e, u);
        return -1;
    }
    return 0;
}

/* A retired user's slot, or a new one. */
static vuser_t *s_free_slot(engine_t *e) {
    if (e->n_free > 0) {
        for (uint32_t i = 0; i < e->n_slots; i++) {
            if (!e->users[i]->retired) continue;
            e->n_free--;
            memset(e->users[i], 0, sizeof *e->users[i]);
            return e->users[i];
        }
    }
    if (e->n_slots == e->cap_slots) {
        e->cap_slots = e->cap_slots ? e->cap_slots * 2 : 16;
        e->users = xrealloc(e->users, e->cap_slots * sizeof *e->users);
    }
    e->users[e->n_slots] = xcalloc(1, sizeof *e->users[e->n_slots]);
    return e->users[e->n_slots++];
}

/* A user of class_index with the next id, or NULL (said in the log once a run). */
static vuser_t *s_new_user(engine_t *e, uint32_t class_index) {
    uint64_t id;
    if (!userids_take(&e->ids, &id)) {
        /* The master gives enough ids for every start; never reuse one. */
        id = UINT64_MAX - e->n_slots;
        log_debug("run %u: out of user ids; using %llu", e->run_id, (unsigned long long)id);
    }
    vuser_t *u = s_free_slot(e);
    char *err = NULL;
    if (s_user_init(e, u, id, class_index, &err) != 0) {
        static const char what[] = "a virtual user could not start";
        if (e->users_failed++ == 0) {
            log_error("run %u: %s: %s", e->run_id, what, err);
        } else {
            log_debug("run %u: %s: %s", e->run_id, what, err);
        }
        free(err);
        u->retired = true;
        e->n_free++;
        return NULL;
    }
    return u;
}

static void s_start_user(engine_t *e, uint32_t class_index) {
    vuser_t *u = s_new_user(e, class_index);
    if (!u) return;
    enginecore_user_started(&e->core, class_index);
    s_next_task(u);
}

/* Frees what a user holds and marks its slot free. */
static void s_release(engine_t *e, vuser_t *u) {
    s_user_fini(e, u);
    u->retiring = false;
    u->retired = true;
    e->n_free++;
}

/* Retires a user of the class: one that is thinking goes at once; if all
 * are in flight, the newest finishes its request (counted) and then goes. */
static void s_retire_user(engine_t *e, uint32_t class_index) {
    vuser_t *pick = NULL;
    for (uint32_t i = e->n_slots; i-- > 0;) {
        vuser_t *u = e->users[i];
        if (u->retired || u->retiring || u->class_index != class_index) continue;
        if (!u->in_flight) {
            pick = u;
            break;
        }
        if (!pick) pick = u;
    }
    if (!pick) return;
    enginecore_user_retired(&e->core, class_index);
    if (pick->in_flight) {
        pick->retiring = true;
    } else if (s_has_on_stop(pick)) {
        pick->retiring = true; /* released after its on_stop */
        s_start_on_stop(pick);
    } else {
        s_release(e, pick);
    }
}

/* Makes the starts and retirements due by now. */
static void s_move_users(engine_t *e, uint64_t now) {
    uint32_t cls;
    for (int dir; (dir = enginecore_take_move(&e->core, now, &cls)) != 0;) {
        if (dir > 0) {
            s_start_user(e, cls);
        } else {
            s_retire_user(e, cls);
        }
    }
}

/* --- open model: slots run iterations started by the arrival scheduler --- */

static void *s_open_create(void *arg, uint32_t cls) {
    return s_new_user(arg, cls);
}

static void s_open_run(void *arg, void *slot, uint64_t intended_us) {
    (void)arg;
    vuser_t *u = slot;
    u->intended_us = intended_us;
    s_next_task(u); /* on_start first on a new slot, then one task */
}

static void s_open_init(engine_t *e, const proto_run_t *spec) {
    uint32_t *weights = xcalloc(e->n_classes ? e->n_classes : 1, sizeof *weights);
    for (uint32_t c = 0; c < e->n_classes; c++) weights[c] = e->plan->classes[c].cls->weight;
    uint64_t start_us = e->core.start_us;
    /* The RUN's stages are ramp stages already: the arrivals copy them. */
    arrival_spec_t as = {
        .ramp = {.start = spec->n_stages ? 0 : spec->arrival_rate,
                 .stages = spec->stages,
                 .n_stages = spec->n_stages},
        .phase = spec->worker_count
                     ? (double)(spec->worker_index % spec->worker_count) / spec->worker_count
                     : 0,
        .start_us = start_us,
        .end_us = spec->duration_ms ? start_us + spec->duration_ms * 1000u : 0,
        .max_slots = spec->max_users,
        .weights = weights,
        .n_classes = e->n_classes};
    arrival_hooks_t hooks = {.create = s_open_create, .run = s_open_run, .arg = e};
    e->arrival = arrival_new(&as, hooks); /* copies the stages and weights */
    e->arrival_rate = spec->arrival_rate;
    userids_add(&e->ids, spec->first_user_id ? spec->first_user_id : 1, spec->max_users);
    free(weights);
}

/* --- the run: the core decides, these perform --- */

/* Counts each request still in flight as failed and aborts it (the drain ran out). */
static void s_abort_in_flight(engine_t *e, uint64_t now) {
    uint32_t aborted = 0;
    wstats_reason_t why = {.category = "aborted", .detail = "still in flight when the drain ended"};
    for (uint32_t i = 0; i < e->n_slots; i++) {
        vuser_t *u = e->users[i];
        if (u->retired || !u->in_flight) continue;
        CURLMcode rc = multi_remove(e->multi, u->easy);
        if (rc != CURLM_OK) {
            log_error("curl_multi_remove_handle: %s (%s:%d)", curl_multi_strerror(rc), __FILE__,
                      __LINE__);
            continue;
        }
        u->in_flight = false;
        loop_timer_stop(e->loop, &u->deadline);
        const plan_step_t *st = &u->task->steps[u->step];
        wstats_record(e->stats, st->slot, now - u->started_us, u->body_bytes, &why);
        aborted++;
    }
    log_warn("run %u: %u requests still in flight %u ms after the stop: aborted, counted as "
             "failed (\"aborted\")",
             e->run_id, aborted, TIMEOUT_DRAIN_MS);
}

/* The run stopped: each idle user with on_stop starts it (one in flight
 * starts it after its request). */
static void s_start_on_stops(engine_t *e) {
    for (uint32_t i = 0; i < e->n_slots; i++) {
        vuser_t *u = e->users[i];
        if (!u->retired && !u->in_flight && s_has_on_stop(u)) s_start_on_stop(u);
    }
}

/* No request starts from now on. */
static void s_stop_starting(engine_t *e) {
    if (e->arrival) arrival_stop(e->arrival);
    for (uint32_t i = 0; i < e->n_slots; i++) loop_timer_stop(e->loop, &e->users[i]->wake);
}

/* The loop timer at the next thing the core or the arrivals have to do. */
static void s_arm(engine_t *e) {
    uint64_t next = enginecore_next_us(&e->core);
    if (e->arrival && e->core.state == ENGINECORE_RUNNING) {
        uint64_t a = arrival_next_us(e->arrival);
        if (a < next) next = a;
    }
    if (next == ENGINECORE_NEVER) {
        loop_timer_stop(e->loop, &e->tick);
    } else {
        loop_timer_start(e->loop, &e->tick, next);
    }
}

/* Does what the core decided, in the order of the action bits. */
static void s_perform(engine_t *e, enginecore_out_t out, uint64_t now) {
    if (out.actions == 0) return; /* nothing changed: the timer stands */
    if (out.self_stop) {
        log_warn("run %u: no stop from the master %u ms after its duration; stopping", e->run_id,
                 TIMEOUT_SELF_STOP_GRACE_MS);
    }
    if (out.actions & ENGINECORE_SEND_STATS) s_report(e, PROTO_STATS);
    if (out.actions & ENGINECORE_MOVE_USERS) s_move_users(e, now);
    if (out.actions & ENGINECORE_STOP_STARTING) s_stop_starting(e);
    if (out.actions & ENGINECORE_START_ON_STOP) {
        s_start_on_stops(e);
        /* FINAL now if none was in flight and nobody had an on_stop to run. */
        out.actions |=
            enginecore_on_request_done(&e->core, (uint32_t)multi_in_flight(e->multi)).actions;
    }
    if (out.actions & ENGINECORE_ABORT_IN_FLIGHT) s_abort_in_flight(e, now);
    s_arm(e);
    if (out.actions & ENGINECORE_SEND_FINAL) {
        s_report(e, PROTO_FINAL);
        e->hooks.finished(e->hooks.arg); /* last: the hook may reap the engine later */
    }
}

static void s_on_tick(loop_t *loop, void *arg) {
    (void)loop;
    engine_t *e = arg;
    uint64_t now = clock_now_us();
    if (e->arrival && e->core.state == ENGINECORE_RUNNING) arrival_run_due(e->arrival, now);
    enginecore_out_t out =
        enginecore_on_time(&e->core, now, (uint32_t)multi_in_flight(e->multi));
    if (out.actions == 0) {
        s_arm(e);
    } else {
        s_perform(e, out, now);
    }
}

static int s_check_spec(const proto_run_t *spec, const scenario_t *sc, char **err) {
    if (spec->n_classes != sc->n_classes) {
        *err = xasprintf("run names %u user classes, the scenario has %zu", spec->n_classes,
                         sc->n_classes);
        return -1;
    }
    return 0;
}

/* Serves the data files the master shipped in the RUN message. */
static char *s_read_shipped(void *ctx, const char *name, size_t *len) {
    const proto_run_t *spec = ctx;
    for (uint32_t i = 0; i < spec->n_files; i++) {
        if (strcmp(spec->files[i].name, name) == 0) {
            *len = spec->files[i].data_bytes;
            return xstrndup(spec->files[i].data, spec->files[i].data_bytes);
        }
    }
    errno = ENOENT;
    return NULL;
}

static scenario_t *s_load(const proto_run_t *spec, char **err) {
    scenario_errors_t errs = {0};
    scenario_files_t files = {.read = s_read_shipped, .ctx = (void *)spec};
    scenario_t *sc = scenario_load_with(spec->scenario_name ? spec->scenario_name : "scenario",
                                        spec->scenario_text, spec->scenario_bytes, &files, &errs);
    if (!sc) *err = xstrdup(errs.n ? errs.lines[0] : "scenario does not load");
    scenario_errors_fini(&errs);
    if (sc && s_check_spec(spec, sc, err) != 0) scenario_destroy(&sc);
    return sc;
}

/* Users run on_stop when they stop, in the closed model; in the open model
 * an iteration has no end of its user to run it at (said once). */
static void s_on_stop_mode(engine_t *e) {
    bool any = false;
    for (size_t c = 0; c < e->plan->n_classes; c++) any |= e->plan->classes[c].on_stop.n_steps > 0;
    if (any && e->arrival)
        log_warn("run %u: on_stop is not run in the open model (its iterations end, not its "
                 "users)",
                 e->run_id);
    enginecore_set_on_stop(&e->core, any && !e->arrival);
}

engine_t *engine_new(loop_t *loop, const proto_run_t *spec, uint64_t seed, engine_hooks_t hooks,
                     char **err) {
    scenario_t *sc = s_load(spec, err);
    if (!sc) return NULL;
    engine_t *e = xcalloc(1, sizeof *e);
    e->loop = loop;
    e->scenario = sc;
    userids_init(&e->ids);
    loop_timer_init(&e->tick, s_on_tick, e);
    enginecore_init(&e->core, spec, clock_now_us());
    e->stats = wstats_new();
    e->plan = plan_new(sc, spec->host_override, spec->tls_no_verify, e->stats, err);
    e->multi = e->plan ? multi_new(loop, s_on_done, e, err) : NULL;
    if (e->multi && !e->plan->pool.own_pool &&
        multi_share(e->multi, e->plan->pool.max_host_connections, e->plan->pool.max_streams, err) !=
            0)
        multi_destroy(&e->multi);
    if (!e->multi) {
        engine_destroy(&e);
        return NULL;
    }
    e->hooks = hooks;
    e->run_id = spec->run_id;
    e->worker_index = spec->worker_index;
    rng_seed(&e->rng, seed);
    e->n_classes = spec->n_classes;
    uint32_t n_users = 0;
    for (uint32_t c = 0; c < e->n_classes; c++) n_users += spec->users_per_class[c];
    userids_add(&e->ids, spec->first_user_id ? spec->first_user_id : 1, n_users);
    if (spec->arrival_rate > 0) s_open_init(e, spec);
    s_on_stop_mode(e);
    s_arm(e);
    return e;
}

void engine_stop(engine_t *e) {
    uint64_t now = clock_now_us();
    s_perform(e, enginecore_on_stop(&e->core, now, (uint32_t)multi_in_flight(e->multi)), now);
}

void engine_destroy(engine_t **ep) {
    if (!ep || !*ep) return;
    engine_t *e = *ep;
    arrival_destroy(&e->arrival);
    for (uint32_t i = 0; i < e->n_slots; i++) {
        vuser_t *u = e->users[i];
        if (!u->retired) s_user_fini(e, u);
        free(u);
    }
    loop_timer_stop(e->loop, &e->tick);
    multi_destroy(&e->multi);
    plan_destroy(&e->plan);
    wstats_destroy(&e->stats);
    scenario_destroy(&e->scenario);
    free(e->users);
    enginecore_fini(&e->core);
    userids_fini(&e->ids);
    free(e);
    *ep = NULL;
}

uint32_t engine_run_id(const engine_t *e) {
    return e->run_id;
}

uint32_t engine_users(const engine_t *e) {
    if (e->core.state != ENGINECORE_RUNNING) return 0;
    return e->arrival ? arrival_busy(e->arrival) : enginecore_users(&e->core);
}

int engine_set_users(engine_t *e, const proto_users_t *spec) {
    uint64_t now = clock_now_us();
    if (enginecore_set_users(&e->core, spec, now) != 0) return -1;
    if (e->core.state != ENGINECORE_RUNNING) return 0;
    userids_add(&e->ids, spec->first_user_id, spec->n_user_ids);
    if (e->arrival && spec->arrival_rate > 0 && e->arrival_rate > 0) {
        arrival_rescale(e->arrival, spec->arrival_rate / e->arrival_rate, spec->max_users, now);
        e->arrival_rate = spec->arrival_rate;
    }
    s_arm(e);
    return 0;
}

bool engine_done(const engine_t *e) {
    return e->core.state == ENGINECORE_DONE;
}

uint32_t engine_connections(const engine_t *e) {
    return e->multi ? multi_open_sockets(e->multi) : 0;
}
