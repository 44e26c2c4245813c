/* engine: virtual users of one run, driven by the loop and curl multi. */
#include "worker/engine.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/rng.h"
#include "common/xmalloc.h"
#include "scenarios/scenario.h"
#include "worker/arrival.h"
#include "worker/check.h"
#include "load/moves.h"
#include "worker/multi.h"
#include "worker/plan.h"
#include "worker/render.h"
#include "load/schedule.h"
#include "worker/servertiming.h"
#include "load/userids.h"
#include "worker/vuser.h"
#include "worker/wstats.h"

typedef enum { ENGINE_RUNNING, ENGINE_DRAINING, ENGINE_DONE } engine_state_t;

/* A user whose on_start failed and who thinks "none" still waits this long
 * before retrying, so a broken login does not spin. */
#define ENGINE_ON_START_RETRY_MIN_US 1000000u

struct engine {
    loop_t *loop;
    multi_t *multi;
    scenario_t *scenario;
    plan_t *plan;
    wstats_t *stats;
    rng_t rng;
    engine_hooks_t hooks;
    engine_state_t state;
    uint32_t run_id, seq;
    uint32_t worker_index;
    /* Users live in slots allocated one by one (timers and curl point into
     * them, so they never move); a retired user's slot is reused. */
    vuser_t **users;
    uint32_t n_slots, cap_slots, n_free;
    uint32_t n_classes;
    uint32_t *target; /* users per class the master wants here */
    uint32_t *active; /* users per class started and not retiring */
    uint32_t n_active;
    moves_t moves;    /* starts and retirements still to make, paced */
    userids_t ids;
    uint64_t start_us;
    uint32_t report_interval_ms;
    loop_timer_t spawn_timer, report_timer, end_timer, drain_timer;
    /* Open model: iterations started at the arrival rate (NULL: closed model). */
    arrival_t *arrival;
    double arrival_rate; /* this worker's peak iterations/s, to rescale on a new share */
    /* Closed model with stages: the users follow this ramp (NULL: no ramp). */
    ramp_stage_t *ramp_stages;
    ramp_t ramp;
    uint32_t ramp_peak;   /* this worker's users at the ramp's peak (sum of users_per_class) */
    uint32_t *ramp_users; /* users per class the ramp wants now */
    loop_timer_t ramp_timer;
};

static void s_fire(vuser_t *u);
static void s_next_task(vuser_t *u);
static void s_release(engine_t *e, vuser_t *u);

/* --- reporting --- */

static void s_report(engine_t *e, proto_type_t type) {
    proto_msg_t msg = {.type = type};
    proto_stats_t *st = &msg.u.stats;
    st->run_id = e->run_id;
    st->seq = e->seq++;
    st->users = e->state == ENGINE_RUNNING ? engine_users(e) : 0;
    st->dropped = e->arrival ? arrival_take_dropped(e->arrival) : 0;
    wstats_snapshot(e->stats, st);
    e->hooks.report(&msg, e->hooks.arg);
    wstats_snapshot_done(e->stats, st);
}

static void s_on_report_timer(loop_t *loop, void *arg) {
    engine_t *e = arg;
    s_report(e, PROTO_STATS);
    loop_timer_start(loop, &e->report_timer,
                     e->report_timer.when_us + (uint64_t)e->report_interval_ms * 1000u);
}

static void s_finish(engine_t *e) {
    loop_timer_stop(e->loop, &e->drain_timer);
    loop_timer_stop(e->loop, &e->report_timer);
    loop_timer_stop(e->loop, &e->end_timer);
    e->state = ENGINE_DONE;
    s_report(e, PROTO_FINAL);
    e->hooks.finished(e->hooks.arg);
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

static void s_fire(vuser_t *u) {
    engine_t *e = u->engine;
    const plan_step_t *st = &u->task->steps[u->step];
    render_step(u, st, &e->rng);
    u->body_bytes = 0;
    u->keep_body = st->keep_body;
    strbuf_reset(&u->response);
    /* An open-model iteration's first request counts from its intended start. */
    u->started_us = u->intended_us ? u->intended_us : clock_now_us();
    u->intended_us = 0;
    if (multi_add(e->multi, u->easy) != 0) return;
    u->in_flight = true;
}

/* Starts on_start (until it has succeeded) or a task picked by weight. */
static void s_next_task(vuser_t *u) {
    engine_t *e = u->engine;
    if (e->state != ENGINE_RUNNING) return;
    u->task = u->started ? plan_pick(u->cls, rng_next(&e->rng)) : &u->cls->on_start;
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

static void s_after_request(vuser_t *u, uint64_t now) {
    engine_t *e = u->engine;
    if (u->retiring) {
        s_release(e, u); /* its last request is counted; its slot is free */
        return;
    }
    if (e->state != ENGINE_RUNNING) return;
    bool on_start = !u->started;
    /* A failed on_start step ends the attempt: no tasks without its token. */
    if (++u->step < u->task->n_steps && !(on_start && u->task_failed)) {
        s_fire(u);
        return;
    }
    if (e->arrival && !(on_start && !u->task_failed)) {
        arrival_release(e->arrival, u->class_index, u); /* the iteration is over */
        return;
    }
    uint64_t until = s_think_until(e, u, now);
    if (on_start && u->task_failed) {
        if (until < now + ENGINE_ON_START_RETRY_MIN_US) until = now + ENGINE_ON_START_RETRY_MIN_US;
    } else if (on_start) {
        u->started = true;
        until = now; /* tasks begin right after on_start */
    }
    if (until <= now) {
        s_next_task(u);
    } else {
        loop_timer_start(e->loop, &u->wake, until);
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

static void s_on_done(CURL *easy, CURLcode rc, void *arg) {
    engine_t *e = arg;
    vuser_t *u = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&u);
    uint64_t now = clock_now_us();
    u->in_flight = false;
    const plan_step_t *st = &u->task->steps[u->step];
    uint64_t latency_us = now - u->started_us;
    wstats_reason_t why;
    bool failed = check_response(u, st, rc, latency_us, &why);
    if (rc == CURLE_OK) s_server_metrics(u);
    u->task_failed |= failed;
    wstats_record(e->stats, st->slot, latency_us, u->body_bytes, failed ? &why : NULL);
    s_after_request(u, now);
    if (e->state == ENGINE_DRAINING && multi_in_flight(e->multi) == 0) s_finish(e);
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

static int s_user_init(engine_t *e, vuser_t *u, uint64_t user_id, uint32_t class_index) {
    u->engine = e;
    u->cls = &e->plan->classes[class_index];
    u->class_index = class_index;
    u->host = e->plan->host;
    u->user_id = user_id;
    u->worker_id = e->worker_index;
    u->started = u->cls->on_start.n_steps == 0;
    loop_timer_init(&u->wake, s_on_wake, u);
    u->easy = curl_easy_init();
    if (!u->easy) {
        log_error("curl_easy_init failed (%s:%d)", __FILE__, __LINE__);
        return -1;
    }
    render_user_init(u);
    u->row = s_data_row(e, u->user_id);
    render_vars(u, &e->rng);
    CURL *c = u->easy;
    multi_prepare(e->multi, c); /* NOSIGNAL, socket hooks, no proxy from the environment */
    u->pool = multi_pool_new(e->multi, c); /* its own keep-alive connection */
    curl_easy_setopt(c, CURLOPT_PRIVATE, (char *)u);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, s_on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, u);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "barrage/" BARRAGE_VERSION);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_COOKIEFILE, ""); /* a cookie jar per virtual user */
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

static void s_start_user(engine_t *e, uint32_t class_index) {
    uint64_t id;
    if (!userids_take(&e->ids, &id)) {
        /* The master gives enough ids for every start; never reuse one. */
        id = UINT64_MAX - e->n_slots;
        log_debug("run %u: out of user ids; using %llu", e->run_id, (unsigned long long)id);
    }
    vuser_t *u = s_free_slot(e);
    if (s_user_init(e, u, id, class_index) != 0) {
        u->retired = true; /* nothing of it to free: curl_easy_init failed first */
        e->n_free++;
        return;
    }
    e->active[class_index]++;
    e->n_active++;
    s_next_task(u);
}

/* Frees what a user holds and marks its slot free. */
static void s_release(engine_t *e, vuser_t *u) {
    loop_timer_stop(e->loop, &u->wake);
    if (u->in_flight && multi_remove(e->multi, u->easy) == 0) u->in_flight = false;
    curl_easy_cleanup(u->easy);
    u->easy = NULL;
    multi_pool_destroy(&u->pool);
    render_user_fini(u);
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
    e->active[class_index]--;
    e->n_active--;
    if (pick->in_flight) {
        pick->retiring = true;
    } else {
        s_release(e, pick);
    }
}

/* Makes the starts and retirements due by now; re-arms for the next one. */
static void s_on_spawn_timer(loop_t *loop, void *arg) {
    engine_t *e = arg;
    uint64_t now = clock_now_us();
    for (uint32_t due = moves_due(&e->moves, now); due > 0; due--) {
        uint32_t cls;
        int dir = moves_next(&e->moves, &cls);
        if (dir > 0) {
            s_start_user(e, cls);
        } else if (dir < 0) {
            s_retire_user(e, cls);
        }
    }
    uint64_t next = moves_next_at(&e->moves);
    if (next != MOVES_NONE) loop_timer_start(loop, &e->spawn_timer, next > now ? next : now);
}

/* --- open model: slots run iterations started by the arrival scheduler --- */

static void *s_open_create(void *arg, uint32_t cls) {
    engine_t *e = arg;
    uint64_t id;
    if (!userids_take(&e->ids, &id)) id = UINT64_MAX - e->n_slots;
    vuser_t *u = s_free_slot(e);
    if (s_user_init(e, u, id, cls) != 0) {
        u->retired = true;
        e->n_free++;
        return NULL;
    }
    return u;
}

static void s_open_run(void *arg, void *slot, uint64_t intended_us) {
    (void)arg;
    vuser_t *u = slot;
    u->intended_us = intended_us;
    s_next_task(u); /* on_start first on a new slot, then one task */
}

/* This worker's ramp of a RUN (its shares), copied; the start is 0 with stages. */
static ramp_stage_t *s_ramp_of(const proto_run_t *spec, double start, ramp_t *ramp) {
    ramp_stage_t *st = xcalloc(spec->n_stages ? spec->n_stages : 1, sizeof *st);
    for (uint32_t i = 0; i < spec->n_stages; i++)
        st[i] = (ramp_stage_t){spec->stages[i].duration_us, spec->stages[i].target};
    *ramp = (ramp_t){.start = spec->n_stages ? 0 : start, .stages = st,
                     .n_stages = spec->n_stages};
    return st;
}

static void s_open_init(engine_t *e, const proto_run_t *spec) {
    uint32_t *weights = xcalloc(e->n_classes ? e->n_classes : 1, sizeof *weights);
    for (uint32_t c = 0; c < e->n_classes; c++) weights[c] = e->plan->classes[c].cls->weight;
    arrival_spec_t as = {
        .phase = spec->worker_count
                     ? (double)(spec->worker_index % spec->worker_count) / spec->worker_count
                     : 0,
        .start_us = e->start_us,
        .end_us = spec->duration_ms ? e->start_us + spec->duration_ms * 1000u : 0,
        .max_slots = spec->max_users,
        .weights = weights,
        .n_classes = e->n_classes};
    ramp_stage_t *st = s_ramp_of(spec, spec->arrival_rate, &as.ramp);
    arrival_hooks_t hooks = {.create = s_open_create, .run = s_open_run, .arg = e};
    e->arrival = arrival_new(e->loop, &as, hooks); /* copies the stages and weights */
    e->arrival_rate = spec->arrival_rate;
    userids_add(&e->ids, spec->first_user_id ? spec->first_user_id : 1, spec->max_users);
    free(st);
    free(weights);
}

/* --- closed model with stages: the users follow the ramp --- */

#define ENGINE_RAMP_TICK_US 50000u

static void s_on_ramp_timer(loop_t *loop, void *arg) {
    engine_t *e = arg;
    uint64_t now = clock_now_us(), t = now - e->start_us;
    uint32_t peak = 0;
    for (uint32_t c = 0; c < e->n_classes; c++) peak += e->target[c];
    /* After a rebalance the ramp keeps its shape at the new share. */
    double scale = e->ramp_peak ? (double)peak / e->ramp_peak : 1.0;
    double want = ramp_value_at(&e->ramp, t) * scale + 0.5;
    uint32_t total = want < peak ? (uint32_t)want : peak;
    schedule_split_users(total, e->target, e->n_classes, e->ramp_users);
    moves_plan(&e->moves, e->active, e->ramp_users, 0, now);
    loop_timer_start(loop, &e->spawn_timer, now);
    if (t < ramp_total_us(&e->ramp))
        loop_timer_start(loop, &e->ramp_timer, now + ENGINE_RAMP_TICK_US);
}

static void s_ramp_init(engine_t *e, const proto_run_t *spec) {
    e->ramp_stages = s_ramp_of(spec, 0, &e->ramp);
    e->ramp_users = xcalloc(e->n_classes ? e->n_classes : 1, sizeof *e->ramp_users);
    for (uint32_t c = 0; c < e->n_classes; c++) e->ramp_peak += e->target[c];
    loop_timer_init(&e->ramp_timer, s_on_ramp_timer, e);
    s_on_ramp_timer(e->loop, e);
}

/* --- lifecycle --- */

static void s_on_end_timer(loop_t *loop, void *arg) {
    (void)loop;
    log_warn("run %u: no stop from the master %u ms after its duration; stopping",
             ((engine_t *)arg)->run_id, TIMEOUT_SELF_STOP_GRACE_MS);
    engine_stop(arg);
}

static void s_on_drain_timer(loop_t *loop, void *arg) {
    (void)loop;
    engine_t *e = arg;
    uint32_t aborted = 0;
    for (uint32_t i = 0; i < e->n_slots; i++) {
        vuser_t *u = e->users[i];
        if (!u->retired && u->in_flight && multi_remove(e->multi, u->easy) == 0) {
            u->in_flight = false;
            aborted++;
        }
    }
    log_warn("run %u: %u requests still in flight after %u ms; aborted (not counted)", e->run_id,
             aborted, TIMEOUT_DRAIN_MS);
    s_finish(e);
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

static void s_init_timers(engine_t *e, const proto_run_t *spec) {
    loop_timer_init(&e->spawn_timer, s_on_spawn_timer, e);
    loop_timer_init(&e->report_timer, s_on_report_timer, e);
    loop_timer_init(&e->end_timer, s_on_end_timer, e);
    loop_timer_init(&e->drain_timer, s_on_drain_timer, e);
    e->start_us = clock_now_us();
    loop_timer_start(e->loop, &e->spawn_timer, e->start_us);
    loop_timer_start(e->loop, &e->report_timer,
                     e->start_us + (uint64_t)e->report_interval_ms * 1000u);
    if (spec->duration_ms) {
        loop_timer_start(e->loop, &e->end_timer,
                         e->start_us + (spec->duration_ms + TIMEOUT_SELF_STOP_GRACE_MS) * 1000u);
    }
}

engine_t *engine_new(loop_t *loop, const proto_run_t *spec, uint64_t seed, engine_hooks_t hooks,
                     char **err) {
    scenario_t *sc = s_load(spec, err);
    if (!sc) return NULL;
    engine_t *e = xcalloc(1, sizeof *e);
    e->loop = loop;
    e->scenario = sc;
    moves_init(&e->moves, (uint32_t)sc->n_classes);
    userids_init(&e->ids);
    e->stats = wstats_new();
    e->plan = plan_new(sc, spec->host_override, e->stats, err);
    e->multi = e->plan ? multi_new(loop, s_on_done, e) : NULL;
    if (!e->multi) {
        if (!*err) *err = xstrdup("cannot create the curl multi handle");
        engine_destroy(&e);
        return NULL;
    }
    e->hooks = hooks;
    e->run_id = spec->run_id;
    e->worker_index = spec->worker_index;
    e->report_interval_ms = spec->report_interval_ms ? spec->report_interval_ms : 1000;
    rng_seed(&e->rng, seed);
    e->n_classes = spec->n_classes;
    e->target = xcalloc(e->n_classes ? e->n_classes : 1, sizeof *e->target);
    e->active = xcalloc(e->n_classes ? e->n_classes : 1, sizeof *e->active);
    uint32_t n_users = 0;
    for (uint32_t c = 0; c < e->n_classes; c++) {
        e->target[c] = spec->users_per_class[c];
        n_users += e->target[c];
    }
    userids_add(&e->ids, spec->first_user_id ? spec->first_user_id : 1, n_users);
    s_init_timers(e, spec);
    if (spec->arrival_rate > 0) {
        s_open_init(e, spec);
    } else if (spec->n_stages > 0) {
        s_ramp_init(e, spec);
    } else {
        moves_plan(&e->moves, e->active, e->target, spec->spawn_rate, e->start_us);
    }
    return e;
}

void engine_stop(engine_t *e) {
    if (e->state != ENGINE_RUNNING) return;
    e->state = ENGINE_DRAINING;
    if (e->arrival) arrival_stop(e->arrival);
    if (e->ramp_stages) loop_timer_stop(e->loop, &e->ramp_timer);
    loop_timer_stop(e->loop, &e->spawn_timer);
    loop_timer_stop(e->loop, &e->end_timer);
    for (uint32_t i = 0; i < e->n_slots; i++) loop_timer_stop(e->loop, &e->users[i]->wake);
    if (multi_in_flight(e->multi) == 0) {
        s_finish(e);
    } else {
        loop_timer_start(e->loop, &e->drain_timer, clock_now_us() + TIMEOUT_DRAIN_MS * 1000u);
    }
}

void engine_destroy(engine_t **ep) {
    if (!ep || !*ep) return;
    engine_t *e = *ep;
    arrival_destroy(&e->arrival);
    if (e->ramp_stages) loop_timer_stop(e->loop, &e->ramp_timer);
    free(e->ramp_stages);
    free(e->ramp_users);
    for (uint32_t i = 0; i < e->n_slots; i++) {
        vuser_t *u = e->users[i];
        if (!u->retired) {
            loop_timer_stop(e->loop, &u->wake);
            if (u->in_flight) multi_remove(e->multi, u->easy);
            curl_easy_cleanup(u->easy);
            multi_pool_destroy(&u->pool);
            render_user_fini(u);
        }
        free(u);
    }
    loop_timer_stop(e->loop, &e->spawn_timer);
    loop_timer_stop(e->loop, &e->report_timer);
    loop_timer_stop(e->loop, &e->end_timer);
    loop_timer_stop(e->loop, &e->drain_timer);
    multi_destroy(&e->multi);
    plan_destroy(&e->plan);
    wstats_destroy(&e->stats);
    scenario_destroy(&e->scenario);
    free(e->users);
    free(e->target);
    free(e->active);
    moves_fini(&e->moves);
    userids_fini(&e->ids);
    free(e);
    *ep = NULL;
}

uint32_t engine_run_id(const engine_t *e) {
    return e->run_id;
}

uint32_t engine_users(const engine_t *e) {
    if (e->state != ENGINE_RUNNING) return 0;
    return e->arrival ? arrival_busy(e->arrival) : e->n_active;
}

int engine_set_users(engine_t *e, const proto_users_t *spec) {
    if (spec->n_classes != e->n_classes) return -1;
    if (e->state != ENGINE_RUNNING) return 0;
    userids_add(&e->ids, spec->first_user_id, spec->n_user_ids);
    memcpy(e->target, spec->users_per_class, e->n_classes * sizeof *e->target);
    uint64_t now = clock_now_us();
    moves_plan(&e->moves, e->active, e->target, spec->spawn_rate, now);
    loop_timer_start(e->loop, &e->spawn_timer, now);
    if (e->arrival && spec->arrival_rate > 0 && e->arrival_rate > 0) {
        arrival_rescale(e->arrival, spec->arrival_rate / e->arrival_rate, spec->max_users);
        e->arrival_rate = spec->arrival_rate;
    } else if (e->ramp_stages) {
        s_on_ramp_timer(e->loop, e); /* the ramp, at the new share, from now */
    }
    return 0;
}

bool engine_done(const engine_t *e) {
    return e->state == ENGINE_DONE;
}
