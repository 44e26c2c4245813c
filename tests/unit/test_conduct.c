/* test_conduct: the master's run decisions (master/conduct.h) driven with
 * hand-made worker messages and times — no sockets, no clocks, no processes. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load/split.h"
#include "master/conduct.h"
#include "proto/timeouts.h"

#define T0_US 1000000000ull /* the monotonic clock when the core is made */
#define WALL0_MS 1700000000000ull

typedef struct {
    scenario_class_t classes[2];
    scenario_t sc;
    conduct_opts_t o;
    conduct_t *c;
    uint64_t now; /* us */
} fx_t;

/* A scenario of two classes weighted 3:1, closed (rate 0) or open. */
static void fx_init(fx_t *f, uint32_t expect, uint32_t users, double rate) {
    memset(f, 0, sizeof *f);
    f->classes[0] = (scenario_class_t){.name = "Reader", .weight = 3};
    f->classes[1] = (scenario_class_t){.name = "Writer", .weight = 1};
    f->sc.classes = f->classes;
    f->sc.n_classes = 2;
    f->o = (conduct_opts_t){.scenario = &f->sc,
                            .scenario_name = "t.yaml",
                            .scenario_text = "host: x",
                            .scenario_bytes = 7,
                            .expect_workers = expect,
                            .users = rate > 0 ? 0 : users,
                            .spawn_rate = rate > 0 ? 0 : 40,
                            .duration_ms = 10000,
                            .rate = rate,
                            .max_users = rate > 0 ? users : 0,
                            .report_ms = 1000,
                            .heartbeat_ms = 1000,
                            .live_ms = 2000,
                            .wait_workers_ms = 15000};
    f->now = T0_US;
    f->c = conduct_new(&f->o, f->now, WALL0_MS);
}

static void fx_fini(fx_t *f) {
    conduct_destroy(&f->c);
    cr_expect_null(f->c);
}

static void s_rid(int i, char *rid, size_t bytes) {
    snprintf(rid, bytes, "rid-%d", i);
}

static void hello(fx_t *f, int i) {
    char rid[16], wid[16];
    s_rid(i, rid, sizeof rid);
    snprintf(wid, sizeof wid, "w%d", i);
    proto_msg_t m = {.type = PROTO_HELLO};
    m.u.hello = (proto_hello_t){.worker_id = wid, .hostname = "h", .pid = 100 + i, .cpus = 2};
    conduct_on_message(f->c, rid, strlen(rid), &m, f->now);
}

static void from(fx_t *f, int i, const proto_msg_t *m) {
    char rid[16];
    s_rid(i, rid, sizeof rid);
    conduct_on_message(f->c, rid, strlen(rid), m, f->now);
}

static void heartbeat(fx_t *f, int i) {
    proto_msg_t m = {.type = PROTO_HEARTBEAT};
    m.u.heartbeat = (proto_heartbeat_t){.run_id = conduct_run_id(f->c), .users = 4};
    from(f, i, &m);
}

/* A report of `requests` GET / requests at 5 ms. */
static void report(fx_t *f, int i, proto_type_t type, uint32_t run_id, uint32_t seq,
                   uint64_t requests) {
    proto_stat_t row = {
        .method = "GET", .name = "/", .requests = requests, .latency = histogram_new()};
    histogram_record_n(row.latency, 5000, requests);
    proto_msg_t m = {.type = type};
    m.u.stats =
        (proto_stats_t){.run_id = run_id, .seq = seq, .users = 4, .n_stats = 1, .stats = &row};
    from(f, i, &m);
    histogram_destroy(&row.latency);
}

static void tick(fx_t *f, uint64_t at_us) {
    f->now = at_us;
    conduct_tick(f->c, f->now);
}

static size_t n_kind(const fx_t *f, conduct_kind_t kind) {
    size_t n = 0;
    for (size_t i = 0; i < conduct_outputs(f->c); i++)
        n += conduct_output(f->c, i)->kind == kind;
    return n;
}

static const conduct_out_t *find_kind(const fx_t *f, conduct_kind_t kind) {
    for (size_t i = 0; i < conduct_outputs(f->c); i++) {
        if (conduct_output(f->c, i)->kind == kind) return conduct_output(f->c, i);
    }
    return NULL;
}

static size_t n_sent(const fx_t *f, proto_type_t type) {
    size_t n = 0;
    for (size_t i = 0; i < conduct_outputs(f->c); i++) {
        const conduct_out_t *o = conduct_output(f->c, i);
        n += o->kind == CONDUCT_SEND && o->msg.type == type;
    }
    return n;
}

/* The message of this type queued for worker i, or NULL. */
static const proto_msg_t *sent_to(const fx_t *f, int i, proto_type_t type) {
    char rid[16];
    s_rid(i, rid, sizeof rid);
    for (size_t k = 0; k < conduct_outputs(f->c); k++) {
        const conduct_out_t *o = conduct_output(f->c, k);
        if (o->kind == CONDUCT_SEND && o->msg.type == type && o->routing_id_bytes == strlen(rid) &&
            memcmp(o->routing_id, rid, strlen(rid)) == 0) {
            return &o->msg;
        }
    }
    return NULL;
}

static const worker_entry_t *worker(const fx_t *f, int i) {
    char rid[16];
    s_rid(i, rid, sizeof rid);
    const registry_t *reg = conduct_registry(f->c);
    for (size_t k = 0; k < reg->n; k++) {
        const worker_entry_t *w = reg->items[k];
        if (w->routing_id_bytes == strlen(rid) && memcmp(w->routing_id, rid, strlen(rid)) == 0) {
            return w;
        }
    }
    return NULL;
}

static uint64_t requests(fx_t *f) {
    return results_total(conduct_results(f->c))->requests;
}

/* n workers say hello and the run starts; the outputs are cleared. */
static void start(fx_t *f, int n) {
    for (int i = 0; i < n; i++)
        hello(f, i);
    tick(f, f->now + 1000);
    cr_assert_eq(n_sent(f, PROTO_RUN), (size_t)n);
    conduct_outputs_clear(f->c);
}

/* Workers in `alive` (a bit mask) send a heartbeat, then time moves to at_us. */
static void live_until(fx_t *f, unsigned alive, uint64_t at_us) {
    while (f->now < at_us) {
        uint64_t next = f->now + 500000 < at_us ? f->now + 500000 : at_us;
        for (int i = 0; i < 8; i++) {
            if (alive & (1u << i)) heartbeat(f, i);
        }
        tick(f, next);
    }
}

/* ---- waiting for workers ---------------------------------------------------- */

Test(conduct, waits_for_the_expected_workers_then_sends_each_its_run) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    hello(&f, 0);
    cr_expect_not_null(sent_to(&f, 0, PROTO_WELCOME));
    cr_expect_eq(sent_to(&f, 0, PROTO_WELCOME)->u.welcome.worker_index, 0);
    cr_expect_eq(n_kind(&f, CONDUCT_WORKER_JOINED), 1);
    tick(&f, f.now + 1000);
    cr_expect_eq(n_sent(&f, PROTO_RUN), 0, "one of two: still waiting");
    cr_expect_eq(sent_to(&f, 0, PROTO_HEARTBEAT)->u.heartbeat.run_id, 0);
    cr_expect_not(conduct_done(f.c));
    conduct_outputs_clear(f.c);
    hello(&f, 1);
    tick(&f, f.now + 1000);
    const proto_msg_t *r0 = sent_to(&f, 0, PROTO_RUN), *r1 = sent_to(&f, 1, PROTO_RUN);
    cr_assert_not_null(r0);
    cr_assert_not_null(r1);
    cr_expect_eq(n_kind(&f, CONDUCT_RUN_STARTED), 1);
    uint32_t run_id = conduct_run_id(f.c);
    cr_expect_neq(run_id, 0);
    cr_expect_eq(r0->u.run.run_id, run_id);
    cr_expect_eq(r0->u.run.users_per_class[0] + r1->u.run.users_per_class[0], 6, "3:1 of 8");
    cr_expect_eq(r0->u.run.users_per_class[1] + r1->u.run.users_per_class[1], 2);
    cr_expect_eq(r0->u.run.users_per_class[0] + r0->u.run.users_per_class[1], 4);
    cr_expect_eq(r0->u.run.first_user_id, 1);
    cr_expect_eq(r1->u.run.first_user_id, 5, "user ids follow on");
    cr_expect_eq(r0->u.run.duration_ms, 10000);
    cr_expect_eq(r1->u.run.worker_index, 1);
    cr_expect_str_eq(r0->u.run.scenario_text, "host: x");
    cr_expect_eq(worker(&f, 1)->state, WORKER_RUNNING);
    cr_expect_eq(worker(&f, 1)->assigned, 4);
    fx_fini(&f);
}

Test(conduct, gives_up_when_too_few_workers_join_in_time) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    hello(&f, 0);
    tick(&f, T0_US + 14999000);
    cr_expect_not(conduct_done(f.c));
    conduct_outputs_clear(f.c);
    tick(&f, T0_US + 15000000);
    cr_expect(conduct_done(f.c));
    const conduct_out_t *o = find_kind(&f, CONDUCT_NO_WORKERS_EV);
    cr_assert_not_null(o);
    cr_expect_eq(o->level, LOG_LEVEL_ERROR);
    cr_expect_str_eq(o->text, "only 1 of 2 workers joined within 15 s");
    cr_expect_eq(n_sent(&f, PROTO_RUN), 0);
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_NO_WORKERS);
    fx_fini(&f);
}

Test(conduct, a_signal_while_waiting_gives_up) {
    fx_t f;
    fx_init(&f, 3, 8, 0);
    hello(&f, 0);
    conduct_on_signal(f.c);
    tick(&f, f.now + 1000);
    cr_expect(conduct_done(f.c));
    cr_expect_eq(n_kind(&f, CONDUCT_NO_WORKERS_EV), 1);
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_NO_WORKERS);
    fx_fini(&f);
}

Test(conduct, refuses_a_peer_of_another_protocol_version) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    conduct_on_version(f.c, "old", 3, PROTO_VERSION + 1);
    cr_assert_eq(conduct_outputs(f.c), 2);
    const conduct_out_t *ev = find_kind(&f, CONDUCT_VERSION_REFUSED),
                        *s = find_kind(&f, CONDUCT_SEND);
    cr_assert_not_null(ev);
    cr_assert_not_null(s);
    cr_expect_eq(ev->level, LOG_LEVEL_ERROR);
    cr_expect_eq(s->msg.type, PROTO_REJECT);
    cr_expect_eq(s->routing_id_bytes, 3);
    cr_expect_eq(memcmp(s->routing_id, "old", 3), 0);
    cr_expect_eq(s->worker, CONDUCT_NO_WORKER);
    char want[128];
    snprintf(want, sizeof want, "protocol version %u is not supported: the master speaks %u",
             PROTO_VERSION + 1, PROTO_VERSION);
    cr_expect_str_eq(s->msg.u.reject.reason, want);
    cr_expect_eq(conduct_registry(f.c)->n, 0, "not admitted");
    fx_fini(&f);
}

Test(conduct, a_message_from_an_unknown_peer_is_dropped) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    report(&f, 5, PROTO_STATS, 1, 0, 10);
    cr_expect_eq(n_kind(&f, CONDUCT_UNKNOWN_PEER), 1);
    cr_expect_eq(n_kind(&f, CONDUCT_SEND), 0);
    cr_expect_eq(requests(&f), 0);
    fx_fini(&f);
}

Test(conduct, messages_from_unknown_peers_are_said_once_at_warn_level) {
    /* A master started on the endpoint of an earlier one gets the heartbeats and reports
     * its workers queued meanwhile, a dozen of them: one warning, the rest at debug. */
    fx_t f;
    fx_init(&f, 1, 8, 0);
    report(&f, 5, PROTO_STATS, 1, 0, 10);
    heartbeat(&f, 5);
    report(&f, 6, PROTO_STATS, 1, 1, 10);
    cr_assert_eq(n_kind(&f, CONDUCT_UNKNOWN_PEER), 3);
    size_t warned = 0, debug = 0;
    for (size_t i = 0; i < conduct_outputs(f.c); i++) {
        const conduct_out_t *o = conduct_output(f.c, i);
        if (o->kind != CONDUCT_UNKNOWN_PEER) continue;
        warned += o->level == LOG_LEVEL_WARN;
        debug += o->level == LOG_LEVEL_DEBUG;
    }
    cr_expect_eq(warned, 1);
    cr_expect_eq(debug, 2);
    const conduct_out_t *first = find_kind(&f, CONDUCT_UNKNOWN_PEER);
    cr_expect_eq(first->level, LOG_LEVEL_WARN);
    cr_expect(strstr(first->text, "stats message from an unknown peer: dropped (a worker that "
                                  "served an earlier master") != NULL,
              "%s", first->text);
    cr_expect_eq(requests(&f), 0);
    fx_fini(&f);
}

/* ---- lost workers and joiners ----------------------------------------------- */

Test(conduct, a_lost_workers_users_move_to_the_survivors) {
    fx_t f;
    fx_init(&f, 3, 9, 0);
    start(&f, 3);
    uint32_t run = conduct_run_id(f.c);
    report(&f, 2, PROTO_STATS, run, 0, 50);
    /* w2 falls silent; w0 and w1 keep talking. */
    live_until(&f, 0x3, f.now + TIMEOUT_WORKER_LOST_MS * 1000u - 10000);
    cr_expect_eq(n_kind(&f, CONDUCT_WORKER_LOST), 0, "not yet");
    live_until(&f, 0x3, f.now + 20000);
    const conduct_out_t *lost = find_kind(&f, CONDUCT_WORKER_LOST);
    cr_assert_not_null(lost);
    cr_expect_eq(lost->worker, worker(&f, 2)->index);
    cr_expect(strstr(lost->text, "worker w2 on h lost: silent for 3000 ms") != NULL, "%s",
              lost->text);
    cr_expect(strstr(lost->text, "(1 reports)") != NULL);
    cr_expect_eq(worker(&f, 2)->state, WORKER_LOST);
    cr_expect_eq(worker(&f, 2)->lost_at_ms, WALL0_MS + (f.now - T0_US) / 1000);
    cr_expect_eq(n_kind(&f, CONDUCT_REBALANCED), 1);
    const proto_msg_t *u0 = sent_to(&f, 0, PROTO_USERS), *u1 = sent_to(&f, 1, PROTO_USERS);
    cr_assert_not_null(u0);
    cr_assert_not_null(u1);
    cr_expect_null(sent_to(&f, 2, PROTO_USERS));
    uint32_t total = 0;
    for (int k = 0; k < 2; k++)
        total += u0->u.users.users_per_class[k] + u1->u.users.users_per_class[k];
    cr_expect_eq(total, 9, "the survivors hold all 9 users");
    cr_expect_eq(u0->u.users.users_per_class[0] + u1->u.users.users_per_class[0], 7, "3:1 of 9");
    cr_expect_eq(worker(&f, 0)->assigned + worker(&f, 1)->assigned, 9);
    cr_expect_gt(u0->u.users.first_user_id, 9, "new users get ids never used in the run");
    cr_expect_eq(requests(&f), 50, "its stats up to its last report are kept");
    fx_fini(&f);
}

Test(conduct, a_lost_workers_rate_share_moves_to_the_survivors) {
    fx_t f;
    fx_init(&f, 3, 30, 300);
    for (int i = 0; i < 3; i++)
        hello(&f, i);
    tick(&f, f.now + 1000);
    double before = 0;
    for (int i = 0; i < 3; i++)
        before += sent_to(&f, i, PROTO_RUN)->u.run.arrival_rate;
    cr_expect(fabs(before - 300) < 1e-6, "three shares add up to the rate (%g)", before);
    conduct_outputs_clear(f.c);
    live_until(&f, 0x5, f.now + TIMEOUT_WORKER_LOST_MS * 1000u + 10000);
    cr_assert_eq(worker(&f, 1)->state, WORKER_LOST);
    const proto_msg_t *u0 = sent_to(&f, 0, PROTO_USERS), *u2 = sent_to(&f, 2, PROTO_USERS);
    cr_assert_not_null(u0);
    cr_assert_not_null(u2);
    cr_expect(fabs(u0->u.users.arrival_rate + u2->u.users.arrival_rate - 300) < 1e-6,
              "two shares add up to the rate (%g + %g)", u0->u.users.arrival_rate,
              u2->u.users.arrival_rate);
    cr_expect_eq(u0->u.users.max_users + u2->u.users.max_users, 30);
    cr_expect_eq(u0->u.users.n_user_ids, u0->u.users.max_users, "a fresh id for every slot");
    fx_fini(&f);
}

Test(conduct, a_worker_joining_mid_run_gets_its_share) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    live_until(&f, 0x3, f.now + 2000000);
    conduct_outputs_clear(f.c);
    hello(&f, 2);
    const conduct_out_t *joined = find_kind(&f, CONDUCT_WORKER_JOINED);
    cr_assert_not_null(joined);
    cr_expect(strstr(joined->text, "it gets a share of the running run") != NULL);
    cr_expect_not_null(sent_to(&f, 2, PROTO_WELCOME));
    live_until(&f, 0x7, f.now + 1000);
    const proto_msg_t *run = sent_to(&f, 2, PROTO_RUN);
    cr_assert_not_null(run);
    uint32_t mine = run->u.run.users_per_class[0] + run->u.run.users_per_class[1];
    cr_expect(mine == 2 || mine == 3, "a third of 8 (got %u)", mine);
    cr_expect_lt(run->u.run.duration_ms, 10000, "only what is left of the run");
    cr_expect_gt(run->u.run.duration_ms, 7000);
    cr_expect_eq(run->u.run.worker_index, 2);
    cr_expect_eq(worker(&f, 0)->assigned + worker(&f, 1)->assigned + worker(&f, 2)->assigned, 8);
    cr_expect_eq(n_sent(&f, PROTO_USERS), 2, "the others retire users for it");
    cr_expect_eq(n_kind(&f, CONDUCT_REBALANCED), 1);
    fx_fini(&f);
}

Test(conduct, a_worker_joining_an_open_run_gets_a_rate_share) {
    fx_t f;
    fx_init(&f, 2, 20, 200);
    start(&f, 2);
    hello(&f, 2);
    live_until(&f, 0x7, f.now + 1000);
    const proto_msg_t *run = sent_to(&f, 2, PROTO_RUN);
    const proto_msg_t *u0 = sent_to(&f, 0, PROTO_USERS), *u1 = sent_to(&f, 1, PROTO_USERS);
    cr_assert_not_null(run);
    cr_assert_not_null(u0);
    cr_assert_not_null(u1);
    double sum = run->u.run.arrival_rate + u0->u.users.arrival_rate + u1->u.users.arrival_rate;
    cr_expect(fabs(sum - 200) < 1e-6, "three shares add up to the rate (%g)", sum);
    cr_expect_eq(run->u.run.max_users + u0->u.users.max_users + u1->u.users.max_users, 20);
    fx_fini(&f);
}

Test(conduct, a_worker_refusing_the_run_hands_its_users_on) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    proto_msg_t m = {.type = PROTO_REJECT};
    m.u.reject.reason = "cannot read users.csv";
    from(&f, 1, &m);
    const conduct_out_t *ev = find_kind(&f, CONDUCT_WORKER_REFUSED);
    cr_assert_not_null(ev);
    cr_expect_str_eq(ev->text, "worker w1 refused the run: cannot read users.csv");
    cr_expect_eq(worker(&f, 1)->state, WORKER_REFUSED);
    live_until(&f, 0x1, f.now + 1000);
    const proto_msg_t *u0 = sent_to(&f, 0, PROTO_USERS);
    cr_assert_not_null(u0);
    cr_expect_eq(u0->u.users.users_per_class[0] + u0->u.users.users_per_class[1], 8);
    fx_fini(&f);
}

Test(conduct, a_worker_stopping_its_part_mid_run_hands_its_users_on) {
    /* SIGTERM to one worker: it drains, sends its FINAL and leaves while the run goes on. */
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint32_t run = conduct_run_id(f.c);
    live_until(&f, 0x3, f.now + 3000000);
    report(&f, 1, PROTO_FINAL, run, 0, 25);
    cr_expect_eq(worker(&f, 1)->state, WORKER_FINISHED);
    const conduct_out_t *ev = find_kind(&f, CONDUCT_WORKER_LEFT);
    cr_assert_not_null(ev);
    cr_expect_eq(ev->worker, worker(&f, 1)->index);
    cr_expect(strstr(ev->text, "worker w1 on h stopped its part of run") != NULL, "%s", ev->text);
    cr_expect(strstr(ev->text, "its users go to the other workers") != NULL, "%s", ev->text);
    live_until(&f, 0x1, f.now + 1000);
    const proto_msg_t *u0 = sent_to(&f, 0, PROTO_USERS);
    cr_assert_not_null(u0, "the survivor takes the users of the one that left");
    cr_expect_eq(u0->u.users.users_per_class[0], 6, "3:1 of 8");
    cr_expect_eq(u0->u.users.users_per_class[1], 2);
    cr_expect_null(sent_to(&f, 1, PROTO_USERS));
    cr_expect_eq(worker(&f, 0)->assigned, 8);
    cr_expect_eq(requests(&f), 25, "its final report is merged");
    cr_expect_not(conduct_done(f.c), "the run goes on with w0");
    conduct_outputs_clear(f.c);
    report(&f, 0, PROTO_FINAL, run, 0, 5);
    ev = find_kind(&f, CONDUCT_WORKER_LEFT);
    cr_assert_not_null(ev);
    cr_expect(strstr(ev->text, "; no worker is left: the run ends") != NULL, "%s", ev->text);
    tick(&f, f.now + 1000);
    cr_expect_eq(n_kind(&f, CONDUCT_RUN_STOPPED), 1, "nobody runs it any more");
    fx_fini(&f);
}

Test(conduct, hello_again_mid_run_is_a_lost_worker_and_a_new_one) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    const worker_entry_t *old = worker(&f, 1);
    hello(&f, 1); /* restarted */
    cr_expect_eq(old->state, WORKER_LOST, "the old entry stays, lost");
    cr_expect(strstr(find_kind(&f, CONDUCT_WORKER_LOST)->text, "said hello again") != NULL);
    const worker_entry_t *again = worker(&f, 1);
    cr_assert_neq(again, old);
    cr_expect_eq(again->state, WORKER_READY);
    cr_expect_eq(conduct_registry(f.c)->n, 3);
    live_until(&f, 0x3, f.now + 1000);
    const proto_msg_t *run = sent_to(&f, 1, PROTO_RUN);
    cr_assert_not_null(run, "it comes back with a share");
    cr_expect_eq(worker(&f, 0)->assigned + worker(&f, 1)->assigned, 8);
    fx_fini(&f);
}

Test(conduct, the_run_stops_when_every_worker_is_lost) {
    fx_t f;
    fx_init(&f, 1, 4, 0);
    start(&f, 1);
    live_until(&f, 0, f.now + TIMEOUT_WORKER_LOST_MS * 1000u + 10000);
    cr_expect_eq(worker(&f, 0)->state, WORKER_LOST);
    cr_expect_eq(n_kind(&f, CONDUCT_RUN_STOPPED), 1);
    tick(&f, f.now + 1000);
    cr_expect(conduct_done(f.c));
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_FAILED, "nobody reported");
    fx_fini(&f);
}

/* ---- reports ----------------------------------------------------------------- */

Test(conduct, reports_are_merged_in_sequence) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint32_t run = conduct_run_id(f.c);
    report(&f, 0, PROTO_STATS, run, 0, 10);
    report(&f, 1, PROTO_STATS, run, 0, 20);
    report(&f, 0, PROTO_STATS, run, 1, 5);
    cr_expect_eq(requests(&f), 35);
    cr_expect_eq(worker(&f, 0)->reports, 2);
    cr_expect_eq(worker(&f, 0)->next_seq, 2);
    cr_expect_eq(conduct_outputs(f.c), 0, "nothing to say");
    fx_fini(&f);
}

Test(conduct, a_report_of_another_run_is_not_merged) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    start(&f, 1);
    report(&f, 0, PROTO_STATS, conduct_run_id(f.c) + 1, 0, 10);
    cr_expect_eq(requests(&f), 0);
    cr_expect_eq(worker(&f, 0)->reports, 0);
    const conduct_out_t *ev = find_kind(&f, CONDUCT_REPORT_IGNORED);
    cr_assert_not_null(ev);
    cr_expect_eq(ev->level, LOG_LEVEL_DEBUG);
    fx_fini(&f);
}

Test(conduct, a_late_report_from_a_lost_worker_is_not_merged_and_it_is_told_to_stop) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint32_t run = conduct_run_id(f.c);
    report(&f, 1, PROTO_STATS, run, 0, 10);
    live_until(&f, 0x1, f.now + TIMEOUT_WORKER_LOST_MS * 1000u + 10000);
    cr_assert_eq(worker(&f, 1)->state, WORKER_LOST);
    conduct_outputs_clear(f.c);
    report(&f, 1, PROTO_STATS, run, 1, 99); /* it was only slow */
    cr_expect_eq(requests(&f), 10, "not merged");
    const proto_msg_t *stop = sent_to(&f, 1, PROTO_STOP);
    cr_assert_not_null(stop);
    cr_expect_eq(stop->u.stop.run_id, run);
    cr_expect_eq(n_kind(&f, CONDUCT_LOST_STOPPED), 1);
    conduct_outputs_clear(f.c);
    heartbeat(&f, 1);
    cr_expect_not_null(sent_to(&f, 1, PROTO_STOP), "a heartbeat of the run: told again");
    conduct_outputs_clear(f.c);
    report(&f, 1, PROTO_FINAL, run, 2, 7);
    cr_expect_eq(conduct_outputs(f.c), 0, "a final: it stopped, nothing to do");
    cr_expect_eq(requests(&f), 10);
    fx_fini(&f);
}

Test(conduct, a_duplicate_report_is_merged_once) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    start(&f, 1);
    uint32_t run = conduct_run_id(f.c);
    report(&f, 0, PROTO_STATS, run, 0, 10);
    report(&f, 0, PROTO_STATS, run, 1, 20);
    report(&f, 0, PROTO_STATS, run, 1, 20);
    report(&f, 0, PROTO_STATS, run, 0, 10);
    cr_expect_eq(requests(&f), 30);
    cr_expect_eq(worker(&f, 0)->reports, 2);
    cr_expect_eq(worker(&f, 0)->reports_duplicate, 2);
    cr_expect_eq(n_kind(&f, CONDUCT_REPORT_DUPLICATE), 2);
    report(&f, 0, PROTO_STATS, run, 2, 5);
    cr_expect_eq(requests(&f), 35, "the sequence goes on");
    fx_fini(&f);
}

Test(conduct, a_gap_in_the_sequence_is_counted_and_logged_once) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    start(&f, 1);
    uint32_t run = conduct_run_id(f.c);
    report(&f, 0, PROTO_STATS, run, 0, 10);
    report(&f, 0, PROTO_STATS, run, 3, 10); /* 1 and 2 lost */
    const conduct_out_t *gap = find_kind(&f, CONDUCT_REPORT_GAP);
    cr_assert_not_null(gap);
    cr_expect_eq(gap->level, LOG_LEVEL_WARN);
    cr_expect(strstr(gap->text, "worker w0: 2 reports of run") != NULL, "%s", gap->text);
    report(&f, 0, PROTO_STATS, run, 5, 10); /* 4 lost */
    cr_expect_eq(n_kind(&f, CONDUCT_REPORT_GAP), 1, "logged once");
    cr_expect_eq(worker(&f, 0)->reports_missed, 3, "counted every time");
    cr_expect_eq(requests(&f), 30, "what came is merged");
    conduct_outputs_clear(f.c);
    conduct_finish(f.c, f.now);
    const conduct_out_t *missed = find_kind(&f, CONDUCT_REPORTS_MISSED);
    cr_assert_not_null(missed);
    cr_expect(strstr(missed->text, "worker w0: 3 of its reports never arrived") != NULL);
    fx_fini(&f);
}

Test(conduct, the_first_report_of_a_joiner_starts_its_own_sequence) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    start(&f, 1);
    uint32_t run = conduct_run_id(f.c);
    report(&f, 0, PROTO_STATS, run, 0, 1);
    report(&f, 0, PROTO_STATS, run, 1, 1);
    hello(&f, 1);
    live_until(&f, 0x3, f.now + 1000);
    report(&f, 1, PROTO_STATS, run, 0, 1);
    cr_expect_eq(requests(&f), 3);
    cr_expect_eq(worker(&f, 1)->reports_missed + worker(&f, 1)->reports_duplicate, 0);
    fx_fini(&f);
}

/* ---- stopping ---------------------------------------------------------------- */

Test(conduct, at_its_duration_the_run_drains_every_running_worker) {
    fx_t f;
    fx_init(&f, 3, 9, 0);
    start(&f, 3);
    uint64_t started = f.now;
    uint32_t run = conduct_run_id(f.c);
    live_until(&f, 0x3, started + 4000000); /* w2 is lost on the way */
    cr_assert_eq(worker(&f, 2)->state, WORKER_LOST);
    live_until(&f, 0x3, started + 9999000);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 0);
    conduct_outputs_clear(f.c);
    tick(&f, started + 10000000);
    cr_expect_eq(n_kind(&f, CONDUCT_RUN_STOPPED), 1);
    cr_expect_not_null(sent_to(&f, 0, PROTO_STOP));
    cr_expect_not_null(sent_to(&f, 1, PROTO_STOP));
    cr_expect_null(sent_to(&f, 2, PROTO_STOP), "not to the lost one");
    cr_expect_eq(sent_to(&f, 0, PROTO_STOP)->u.stop.run_id, run);
    cr_expect_eq(worker(&f, 0)->state, WORKER_STOPPING);
    cr_expect_not(conduct_done(f.c));
    report(&f, 0, PROTO_FINAL, run, 0, 10);
    cr_expect_eq(worker(&f, 0)->state, WORKER_FINISHED);
    tick(&f, f.now + 1000);
    cr_expect_not(conduct_done(f.c), "w1's final is still out");
    report(&f, 1, PROTO_FINAL, run, 0, 20);
    tick(&f, f.now + 1000);
    cr_expect(conduct_done(f.c), "every final is in, long before the deadline");
    cr_expect_eq(n_kind(&f, CONDUCT_RUN_DONE), 1);
    cr_expect_eq(n_kind(&f, CONDUCT_WORKER_LEFT), 0, "finals after STOP are the run's end");
    cr_expect_eq(n_sent(&f, PROTO_USERS), 0);
    cr_expect_eq(requests(&f), 30);
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_OK);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now + 5000000);
    cr_expect(fabs(r->run_seconds - 10.0) < 1e-9, "RUN to STOP: %g s", r->run_seconds);
    cr_expect_not(r->interrupted);
    cr_expect_eq(r->ended_ms - r->started_ms, 10000);
    report_destroy(&r);
    fx_fini(&f);
}

Test(conduct, the_wait_for_final_reports_is_bounded_and_names_the_missing_worker) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint32_t run = conduct_run_id(f.c);
    live_until(&f, 0x3, f.now + 10000000);
    cr_assert_eq(worker(&f, 1)->state, WORKER_STOPPING);
    uint64_t stopped = f.now;
    report(&f, 0, PROTO_FINAL, run, 0, 10);
    /* w1 keeps its heartbeat but never sends its final. */
    live_until(&f, 0x2, stopped + TIMEOUT_FINAL_WAIT_MS * 1000u - 1000);
    cr_expect_not(conduct_done(f.c));
    conduct_outputs_clear(f.c);
    tick(&f, stopped + TIMEOUT_FINAL_WAIT_MS * 1000u);
    cr_expect(conduct_done(f.c));
    const conduct_out_t *missing = find_kind(&f, CONDUCT_FINAL_MISSING);
    cr_assert_not_null(missing);
    cr_expect_eq(missing->worker, worker(&f, 1)->index);
    cr_expect_str_eq(missing->text, "worker w1 on h sent no final report within 8000 ms: its "
                                    "last interval is missing");
    cr_expect_eq(worker(&f, 1)->state, WORKER_LOST);
    cr_expect_neq(worker(&f, 1)->lost_at_ms, 0);
    cr_expect_eq(worker(&f, 0)->state, WORKER_FINISHED);
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_OK, "w0 reported");
    fx_fini(&f);
}

Test(conduct, a_signal_while_running_stops_and_collects_the_finals) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint32_t run = conduct_run_id(f.c);
    live_until(&f, 0x3, f.now + 3000000);
    conduct_outputs_clear(f.c);
    conduct_on_signal(f.c);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 0, "acted on at the tick");
    tick(&f, f.now + 1000);
    cr_expect_eq(n_kind(&f, CONDUCT_INTERRUPTED), 1);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 2);
    report(&f, 0, PROTO_FINAL, run, 0, 1);
    report(&f, 1, PROTO_FINAL, run, 0, 1);
    tick(&f, f.now + 1000);
    cr_expect(conduct_done(f.c));
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_OK);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    cr_expect(r->interrupted);
    cr_expect(r->run_seconds > 3.0 && r->run_seconds < 3.1, "%g", r->run_seconds);
    report_destroy(&r);
    fx_fini(&f);
}

Test(conduct, no_report_at_all_fails_the_run) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    start(&f, 1);
    live_until(&f, 0x1, f.now + 10000000);
    proto_msg_t m = {.type = PROTO_REJECT};
    m.u.reject.reason = "no";
    from(&f, 0, &m); /* refuses while stopping: nothing to wait for */
    tick(&f, f.now + 1000);
    cr_expect(conduct_done(f.c));
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_FAILED);
    fx_fini(&f);
}

Test(conduct, abort_ends_the_run_failed) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    start(&f, 1);
    conduct_abort(f.c);
    cr_expect(conduct_done(f.c));
    conduct_finish(f.c, f.now);
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_FAILED);
    fx_fini(&f);
}

Test(conduct, quit_goes_to_every_worker_not_lost_at_the_end) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    conduct_destroy(&f.c);
    f.o.quit_workers = true; /* the core copies its options when made */
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    start(&f, 2);
    live_until(&f, 0x1, f.now + 10000000); /* w1 lost */
    report(&f, 0, PROTO_FINAL, conduct_run_id(f.c), 0, 1);
    tick(&f, f.now + 1000);
    cr_assert(conduct_done(f.c));
    conduct_outputs_clear(f.c);
    conduct_finish(f.c, f.now);
    cr_expect_not_null(sent_to(&f, 0, PROTO_QUIT));
    cr_expect_null(sent_to(&f, 1, PROTO_QUIT));
    fx_fini(&f);
}

/* ---- time-driven output -------------------------------------------------------- */

Test(conduct, heartbeats_go_out_on_their_interval_with_the_run_id) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint64_t at = f.now;
    tick(&f, at + 10);
    cr_expect_eq(n_sent(&f, PROTO_HEARTBEAT), 0, "one went out at the start");
    tick(&f, at + 1000000);
    cr_expect_eq(n_sent(&f, PROTO_HEARTBEAT), 2);
    cr_expect_eq(sent_to(&f, 1, PROTO_HEARTBEAT)->u.heartbeat.run_id, conduct_run_id(f.c));
    cr_expect_leq(conduct_next_due_us(f.c), at + 2000000);
    fx_fini(&f);
}

Test(conduct, a_live_tick_carries_the_users_and_workers) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint64_t at = f.now;
    live_until(&f, 0x3, at + 1999000);
    cr_expect_eq(n_kind(&f, CONDUCT_LIVE), 0);
    live_until(&f, 0x3, at + 2000000);
    const conduct_out_t *l = find_kind(&f, CONDUCT_LIVE);
    cr_assert_not_null(l);
    cr_expect_null(l->text);
    cr_expect_eq(l->live.workers, 2);
    cr_expect_eq(l->live.users, 8, "heartbeats said 4 each");
    cr_expect_eq(l->live.users_target, 8);
    cr_expect(fabs(l->live.elapsed_s - 2.0) < 1e-9);
    cr_expect(fabs(l->live.duration_s - 10.0) < 1e-9);
    fx_fini(&f);
}

/* An open run whose rate ramp is at 0/s is still open in the live tick. */
Test(conduct, a_live_tick_of_an_open_ramp_at_zero_is_open) {
    fx_t f;
    fx_init(&f, 2, 50, 100);
    conduct_destroy(&f.c);
    ramp_stage_t st[2] = {{.duration_us = 1000000, .target = 100},
                          {.duration_us = 1000000, .target = 0}};
    f.o.stages = st;
    f.o.n_stages = 2;
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    start(&f, 2);
    live_until(&f, 0x3, f.now + 2000000);
    const conduct_out_t *l = find_kind(&f, CONDUCT_LIVE);
    cr_assert_not_null(l);
    cr_expect(l->live.open);
    cr_expect(fabs(l->live.rate) < 1e-9, "the ramp ended at 0/s (got %g)", l->live.rate);
    cr_expect_eq(l->live.users_target, 50, "max_users");
    fx_fini(&f);
}

/* The run's last seconds close after the stop, when the workers have stopped:
 * they are stamped with the users of the stop, not 0 (the history CSV's "User
 * Count" and the users chart dropped to 0 for the last second). */
Test(conduct, the_last_seconds_keep_the_users_of_the_stop) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint32_t run = conduct_run_id(f.c);
    uint64_t at = f.now;
    for (uint32_t s = 0; s < 10; s++) {
        live_until(&f, 0x3, at + (s + 1) * 1000000u);
        report(&f, 0, PROTO_STATS, run, s, 10);
        report(&f, 1, PROTO_STATS, run, s, 10);
    }
    live_until(&f, 0x3, at + 10100000);
    cr_assert_eq(n_sent(&f, PROTO_STOP), 2, "the run time is over");
    report(&f, 0, PROTO_FINAL, run, 10, 5);
    report(&f, 1, PROTO_FINAL, run, 10, 5);
    tick(&f, f.now + 1000);
    cr_assert(conduct_done(f.c));
    conduct_finish(f.c, f.now);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    size_t n = timeline_count(r->timeline);
    cr_assert_geq(n, 10);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(timeline_point(r->timeline, i)->users, 8, "second %zu of %zu: %u users", i,
                     n, timeline_point(r->timeline, i)->users);
    report_destroy(&r);
    fx_fini(&f);
}

Test(conduct, the_report_lists_every_worker_with_its_state) {
    fx_t f;
    fx_init(&f, 2, 8, 0);
    start(&f, 2);
    uint32_t run = conduct_run_id(f.c);
    report(&f, 0, PROTO_STATS, run, 0, 10);
    live_until(&f, 0x1, f.now + 10000000);
    report(&f, 0, PROTO_FINAL, run, 1, 10);
    tick(&f, f.now + 1000);
    conduct_finish(f.c, f.now);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    cr_assert_eq(r->n_workers, 2);
    cr_expect_str_eq(r->workers[0].id, "w0");
    cr_expect_str_eq(r->workers[0].state, "finished");
    cr_expect_eq(r->workers[0].reports, 2);
    cr_expect_eq(r->workers[0].users, 8, "w1's users came to it");
    cr_expect_str_eq(r->workers[1].state, "lost");
    cr_expect_gt(r->workers[1].lost_at_ms, r->started_ms);
    cr_expect_eq(r->started_ms, WALL0_MS + 1);
    cr_expect_eq(results_total(r->results)->requests, 20);
    cr_expect_eq(requests(&f), 0, "moved out of the core");
    report_destroy(&r);
    fx_fini(&f);
}

/* ---- multi-run: starts, stops, resets and edits from the web ------------------------ */

/* A multi-run core (the web without --autostart): users 8 (closed) or a rate. */
static void fx_multi(fx_t *f, uint32_t users, double rate, uint64_t autoquit_ms) {
    fx_init(f, 1, users, rate);
    conduct_destroy(&f->c);
    f->o.multi_run = true;
    f->o.autoquit_ms = autoquit_ms;
    f->c = conduct_new(&f->o, f->now, WALL0_MS);
}

static conduct_swarm_rc_t swarm(fx_t *f, uint32_t users, double spawn_rate) {
    conduct_swarm_t s = {.users = users, .spawn_rate = spawn_rate};
    return conduct_on_swarm(f->c, &s, f->now);
}

/* Sums of the users per class the workers 0..n-1 were last given (RUN or USERS). */
static void shares(const fx_t *f, int n, uint32_t *cls0, uint32_t *cls1) {
    *cls0 = *cls1 = 0;
    for (int i = 0; i < n; i++) {
        *cls0 += worker(f, i)->class_users[0];
        *cls1 += worker(f, i)->class_users[1];
    }
}

/* Workers 0..n-1 send their FINAL (one request each) and the run ends. */
static void finals(fx_t *f, int n, uint32_t seq) {
    for (int i = 0; i < n; i++) report(f, i, PROTO_FINAL, conduct_run_id(f->c), seq, 1);
    tick(f, f->now + 1000);
}

Test(conduct, multi_run_waits_for_a_start_and_starts_with_its_users) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    cr_expect_eq(conduct_state(f.c, f.now), CONDUCT_READY);
    hello(&f, 0);
    hello(&f, 1);
    live_until(&f, 0x3, f.now + 30000000); /* long past any wait for workers */
    cr_expect_eq(n_sent(&f, PROTO_RUN), 0, "no start, no run");
    cr_expect_not(conduct_done(f.c));
    cr_expect(conduct_idle(f.c));
    cr_expect_eq(conduct_worker_count(f.c), 2);
    conduct_outputs_clear(f.c);
    conduct_swarm_t s = {.users = 6, .spawn_rate = 3, .host = "http://other:1",
                         .run_time_ms = 4000};
    cr_assert_eq(conduct_on_swarm(f.c, &s, f.now), CONDUCT_SWARM_STARTED);
    const proto_msg_t *r0 = sent_to(&f, 0, PROTO_RUN), *r1 = sent_to(&f, 1, PROTO_RUN);
    cr_assert(r0 && r1);
    cr_expect_eq(r0->u.run.users_per_class[0] + r0->u.run.users_per_class[1] +
                     r1->u.run.users_per_class[0] + r1->u.run.users_per_class[1],
                 6);
    cr_expect_float_eq(r0->u.run.spawn_rate + r1->u.run.spawn_rate, 3.0, 1e-9);
    cr_expect_eq(r0->u.run.duration_ms, 4000, "the start's run time");
    cr_expect_str_eq(r0->u.run.host_override, "http://other:1");
    cr_expect_eq(conduct_state(f.c, f.now), CONDUCT_SPAWNING, "6 users at 3/s: 2 s");
    cr_expect_eq(conduct_state(f.c, f.now + 2100000), CONDUCT_RUNNING);
    report_t *meta = report_new();
    conduct_fill_meta(f.c, meta);
    cr_expect_eq(meta->users, 6);
    cr_expect_str_eq(meta->host, "http://other:1");
    cr_expect_eq(meta->duration_ms, 4000);
    cr_expect_str_eq(meta->mode, "closed");
    report_destroy(&meta);
    fx_fini(&f);
}

Test(conduct, a_start_without_workers_or_users_is_refused_with_a_reason) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    cr_expect_eq(swarm(&f, 5, 1), CONDUCT_SWARM_REFUSED);
    const conduct_out_t *o = find_kind(&f, CONDUCT_COMMAND_REFUSED);
    cr_assert_not_null(o);
    cr_expect(strstr(o->text, "no worker") != NULL, "%s", o->text);
    conduct_outputs_clear(f.c);
    hello(&f, 0);
    cr_expect_eq(swarm(&f, 0, 1), CONDUCT_SWARM_REFUSED);
    o = find_kind(&f, CONDUCT_COMMAND_REFUSED);
    cr_assert_not_null(o);
    cr_expect(strstr(o->text, "at least 1") != NULL, "%s", o->text);
    cr_expect_eq(n_sent(&f, PROTO_RUN), 0);
    cr_expect(conduct_idle(f.c));
    conduct_on_stop(f.c, f.now);
    conduct_on_reset(f.c, f.now);
    cr_expect_eq(n_kind(&f, CONDUCT_COMMAND_REFUSED), 3, "stop and reset with no run: refused");
    fx_fini(&f);
}

Test(conduct, stop_drains_the_run_and_the_master_stays_up) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    hello(&f, 0);
    hello(&f, 1);
    cr_assert_eq(swarm(&f, 4, 0), CONDUCT_SWARM_STARTED);
    conduct_outputs_clear(f.c);
    live_until(&f, 0x3, f.now + 2000000);
    conduct_on_stop(f.c, f.now);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 2);
    cr_expect_eq(conduct_state(f.c, f.now), CONDUCT_STOPPING);
    cr_expect_eq(swarm(&f, 4, 0), CONDUCT_SWARM_REFUSED, "still stopping");
    finals(&f, 2, 0);
    cr_expect(conduct_run_ended(f.c));
    cr_expect_not(conduct_done(f.c));
    conduct_finish(f.c, f.now);
    cr_expect_not(conduct_run_ended(f.c));
    cr_expect_not(conduct_done(f.c), "multi-run: it waits for the next start");
    cr_expect_eq(conduct_outcome(f.c), CONDUCT_OK);
    cr_expect_eq(conduct_state(f.c, f.now), CONDUCT_STOPPED);
    cr_expect_eq(n_sent(&f, PROTO_QUIT), 0);
    fx_fini(&f);
}

Test(conduct, two_runs_back_to_back_reuse_the_workers_with_a_new_id_and_empty_results) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    hello(&f, 0);
    hello(&f, 1);
    cr_assert_eq(swarm(&f, 4, 0), CONDUCT_SWARM_STARTED);
    uint32_t first = conduct_run_id(f.c);
    report(&f, 0, PROTO_STATS, first, 0, 30);
    live_until(&f, 0x3, f.now + 10000000); /* the plan's 10 s */
    finals(&f, 2, 1);
    cr_assert(conduct_run_ended(f.c));
    conduct_finish(f.c, f.now);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    cr_expect_eq(results_total(r->results)->requests, 32);
    cr_expect_eq(r->n_workers, 2);
    conduct_keep_report(f.c, &r);
    cr_expect_null(r);
    report_t *between = conduct_copy_report(f.c, f.now);
    cr_assert_not_null(between, "the finished run stays available");
    cr_expect_eq(results_total(between->results)->requests, 32);
    report_destroy(&between);
    conduct_outputs_clear(f.c);
    f.now += 5000000;
    cr_assert_eq(swarm(&f, 6, 0), CONDUCT_SWARM_STARTED);
    uint32_t second = conduct_run_id(f.c);
    cr_expect_neq(second, first);
    cr_expect_eq(n_sent(&f, PROTO_RUN), 2, "the same two workers");
    cr_expect_eq(sent_to(&f, 1, PROTO_RUN)->u.run.run_id, second);
    cr_expect_eq(requests(&f), 0, "the next run starts with empty results");
    cr_expect_eq(worker(&f, 0)->reports, 0);
    cr_expect_eq(worker(&f, 0)->state, WORKER_RUNNING);
    report(&f, 1, PROTO_STATS, first, 2, 5);
    cr_expect_eq(requests(&f), 0, "a late report of the first run is not merged");
    report(&f, 1, PROTO_STATS, second, 0, 5);
    cr_expect_eq(requests(&f), 5, "the new run's sequence starts at 0");
    report_t *live = conduct_copy_report(f.c, f.now);
    cr_expect_eq(results_total(live->results)->requests, 5);
    cr_expect_eq(live->users, 6);
    report_destroy(&live);
    fx_fini(&f);
}

Test(conduct, an_edit_resplits_the_users_exactly_over_the_running_workers) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    for (int i = 0; i < 3; i++) hello(&f, i);
    cr_assert_eq(swarm(&f, 8, 0), CONDUCT_SWARM_STARTED);
    uint64_t end_us = f.now + 10000000;
    conduct_outputs_clear(f.c);
    uint32_t targets[] = {13, 3, 1, 40, 7};
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        cr_assert_eq(swarm(&f, targets[t], 5), CONDUCT_SWARM_EDITED);
        cr_expect_eq(n_kind(&f, CONDUCT_EDITED), 1);
        uint32_t c0, c1, weights[2] = {3, 1}, want[2];
        split_classes(targets[t], weights, 2, want);
        shares(&f, 3, &c0, &c1);
        cr_expect_eq(c0, want[0], "%u users: class 0", targets[t]);
        cr_expect_eq(c1, want[1], "%u users: class 1", targets[t]);
        uint32_t lo = UINT32_MAX, hi = 0;
        for (int i = 0; i < 3; i++) {
            uint32_t a = worker(&f, i)->assigned;
            lo = a < lo ? a : lo;
            hi = a > hi ? a : hi;
        }
        cr_expect_leq(hi - lo, 1, "level shares");
        double rate = 0;
        for (int i = 0; i < 3; i++) {
            const proto_msg_t *m = sent_to(&f, i, PROTO_USERS);
            if (m) rate += m->u.users.spawn_rate;
        }
        cr_expect_float_eq(rate, 5.0, 1e-9, "the new spawn rate over the workers that move");
        conduct_outputs_clear(f.c);
    }
    live_until(&f, 0x7, end_us - 1000);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 0, "the run's end does not move");
    live_until(&f, 0x7, end_us + 1000);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 3);
    fx_fini(&f);
}

Test(conduct, an_edit_of_an_open_run_shares_the_new_rate) {
    fx_t f;
    fx_multi(&f, 50, 100, CONDUCT_NO_AUTOQUIT);
    for (int i = 0; i < 3; i++) hello(&f, i);
    cr_assert_eq(swarm(&f, 0, 0), CONDUCT_SWARM_STARTED, "open: 0 keeps the plan");
    cr_expect_float_eq(sent_to(&f, 0, PROTO_RUN)->u.run.arrival_rate, 100.0 / 3, 1e-5);
    conduct_outputs_clear(f.c);
    cr_assert_eq(swarm(&f, 60, 250), CONDUCT_SWARM_EDITED);
    double rate = 0;
    uint32_t max_users = 0;
    for (int i = 0; i < 3; i++) {
        rate += sent_to(&f, i, PROTO_USERS)->u.users.arrival_rate;
        max_users += sent_to(&f, i, PROTO_USERS)->u.users.max_users;
    }
    cr_expect_float_eq(rate, 250.0, 1e-6);
    cr_expect_eq(max_users, 60);
    cr_expect_eq(swarm(&f, 2, 0), CONDUCT_SWARM_REFUSED, "max_users below the workers");
    fx_fini(&f);
}

Test(conduct, a_run_following_stages_is_not_edited) {
    fx_t f;
    fx_init(&f, 1, 8, 0);
    conduct_destroy(&f.c);
    ramp_stage_t st[1] = {{.duration_us = 10000000, .target = 8}};
    f.o.stages = st;
    f.o.n_stages = 1;
    f.o.multi_run = true;
    f.o.autostart = true;
    f.o.autoquit_ms = CONDUCT_NO_AUTOQUIT;
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    start(&f, 1); /* autostart: the first run starts as without multi-run */
    cr_expect_eq(swarm(&f, 4, 1), CONDUCT_SWARM_REFUSED);
    cr_expect(strstr(find_kind(&f, CONDUCT_COMMAND_REFUSED)->text, "stages") != NULL);
    fx_fini(&f);
}

Test(conduct, reset_empties_the_stats_and_the_workers_go_on) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    hello(&f, 0);
    cr_assert_eq(swarm(&f, 4, 0), CONDUCT_SWARM_STARTED);
    uint32_t id = conduct_run_id(f.c);
    report(&f, 0, PROTO_STATS, id, 0, 30);
    live_until(&f, 0x1, f.now + 4000000);
    cr_expect_eq(requests(&f), 30);
    conduct_outputs_clear(f.c);
    uint64_t reset_at = f.now;
    conduct_on_reset(f.c, f.now);
    cr_expect_eq(n_kind(&f, CONDUCT_STATS_RESET), 1);
    cr_expect_eq(requests(&f), 0);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 0);
    cr_expect_eq(conduct_stats_second(f.c, f.now), 0);
    report(&f, 0, PROTO_STATS, id, 1, 7);
    cr_expect_eq(requests(&f), 7, "the sequence goes on");
    live_until(&f, 0x1, f.now + 3000000);
    report_t *r = conduct_copy_report(f.c, f.now);
    cr_expect_eq(results_total(r->results)->requests, 7);
    cr_expect_float_eq(r->run_seconds, (double)(f.now - reset_at) / 1e6, 1e-9,
                       "the run time counts from the reset");
    cr_expect_eq(r->started_ms, WALL0_MS + (reset_at - T0_US) / 1000);
    cr_expect_leq(timeline_count(r->timeline), 3, "the timeline starts again");
    report_destroy(&r);
    fx_fini(&f);
}

Test(conduct, a_signal_between_runs_ends_the_master_and_quits_the_workers) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    conduct_destroy(&f.c);
    f.o.quit_workers = true;
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    hello(&f, 0);
    tick(&f, f.now + 1000);
    conduct_on_signal(f.c);
    tick(&f, f.now + 1000);
    cr_expect(conduct_done(f.c));
    cr_expect_eq(n_kind(&f, CONDUCT_QUITTING), 1);
    conduct_outputs_clear(f.c);
    conduct_finish(f.c, f.now);
    cr_expect_not_null(sent_to(&f, 0, PROTO_QUIT));
    conduct_outputs_clear(f.c);
    conduct_finish(f.c, f.now);
    cr_expect_eq(n_sent(&f, PROTO_QUIT), 0, "once");
    fx_fini(&f);
}

Test(conduct, a_signal_mid_run_ends_the_run_then_the_master) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    hello(&f, 0);
    cr_assert_eq(swarm(&f, 4, 0), CONDUCT_SWARM_STARTED);
    conduct_on_signal(f.c);
    tick(&f, f.now + 1000);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 1);
    finals(&f, 1, 0);
    cr_assert(conduct_run_ended(f.c));
    conduct_finish(f.c, f.now);
    cr_expect(conduct_done(f.c));
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    cr_expect(r->interrupted);
    report_destroy(&r);
    fx_fini(&f);
}

Test(conduct, autoquit_ends_the_master_that_long_after_a_run_ended) {
    fx_t f;
    fx_multi(&f, 8, 0, 3000);
    hello(&f, 0);
    live_until(&f, 0x1, f.now + 10000000);
    cr_expect_not(conduct_done(f.c), "no run ended yet: no autoquit");
    cr_assert_eq(swarm(&f, 4, 0), CONDUCT_SWARM_STARTED);
    conduct_on_stop(f.c, f.now);
    finals(&f, 1, 0);
    conduct_finish(f.c, f.now);
    uint64_t ended = f.now;
    cr_expect_eq(conduct_next_due_us(f.c) <= ended + 3000000, true);
    live_until(&f, 0x1, ended + 2900000);
    cr_expect_not(conduct_done(f.c));
    live_until(&f, 0x1, ended + 3000000);
    cr_expect(conduct_done(f.c));
    cr_expect_not_null(find_kind(&f, CONDUCT_QUITTING));
    fx_fini(&f);
}

Test(conduct, an_idle_worker_gone_silent_is_not_given_the_next_run) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    hello(&f, 0);
    hello(&f, 1);
    live_until(&f, 0x1, f.now + TIMEOUT_WORKER_LOST_MS * 1000ull + 600000);
    cr_expect_eq(worker(&f, 1)->state, WORKER_LOST);
    cr_expect_eq(conduct_worker_count(f.c), 1);
    const conduct_out_t *lost = find_kind(&f, CONDUCT_WORKER_LOST);
    cr_assert_not_null(lost);
    cr_expect_str_eq(lost->text, "worker w1 on h gone: silent for 3000 ms; it takes no part in "
                                 "the next start (if it comes back, it says hello and joins "
                                 "again)",
                     "no stats or users to hand on between runs");
    conduct_outputs_clear(f.c);
    cr_assert_eq(swarm(&f, 4, 0), CONDUCT_SWARM_STARTED);
    cr_expect_eq(n_sent(&f, PROTO_RUN), 1);
    cr_expect_eq(sent_to(&f, 0, PROTO_RUN)->u.run.worker_count, 1);
    fx_fini(&f);
}

Test(conduct, a_start_with_a_reloaded_plan_runs_it_and_keeps_it_for_the_next) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    hello(&f, 0);
    conduct_opts_t plan = f.o;
    plan.scenario_text = "host: y";
    plan.scenario_bytes = 7;
    plan.duration_ms = 2000;
    plan.scenario_sha256 = "ab12";
    conduct_swarm_t s = {.plan = &plan, .users = 3};
    cr_assert_eq(conduct_on_swarm(f.c, &s, f.now), CONDUCT_SWARM_STARTED);
    cr_expect_str_eq(sent_to(&f, 0, PROTO_RUN)->u.run.scenario_text, "host: y");
    cr_expect_eq(sent_to(&f, 0, PROTO_RUN)->u.run.duration_ms, 2000);
    report_t *meta = report_new();
    conduct_fill_meta(f.c, meta);
    cr_expect_str_eq(meta->scenario_sha256, "ab12");
    report_destroy(&meta);
    fx_fini(&f);
}

Test(conduct, a_run_without_a_run_time_goes_on_until_stopped) {
    fx_t f;
    fx_multi(&f, 8, 0, CONDUCT_NO_AUTOQUIT);
    conduct_destroy(&f.c);
    f.o.duration_ms = 0; /* --web without -t or a duration */
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    hello(&f, 0);
    cr_assert_eq(swarm(&f, 2, 0), CONDUCT_SWARM_STARTED);
    cr_expect_eq(sent_to(&f, 0, PROTO_RUN)->u.run.duration_ms, 0, "the worker's no end");
    cr_expect(strstr(find_kind(&f, CONDUCT_RUN_STARTED)->text, "until stopped") != NULL);
    conduct_outputs_clear(f.c);
    live_until(&f, 0x1, f.now + 3600000000ull);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 0, "an hour on, still running");
    conduct_on_stop(f.c, f.now);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 1);
    fx_fini(&f);
}

/* A report of `requests` GET / requests at 5 ms, `failures` of them failed. */
static void report_failing(fx_t *f, int i, uint32_t seq, uint64_t requests, uint64_t failures) {
    proto_stat_t row = {.method = "GET", .name = "/", .requests = requests, .failures = failures,
                        .latency = histogram_new()};
    histogram_record_n(row.latency, 5000, requests);
    proto_msg_t m = {.type = PROTO_STATS};
    m.u.stats = (proto_stats_t){
        .run_id = conduct_run_id(f->c), .seq = seq, .users = 4, .n_stats = 1, .stats = &row};
    from(f, i, &m);
    histogram_destroy(&row.latency);
}

/* A windowed threshold judged at the run's end counts the run's last second:
 * the window closes with the timeline when the run settles. */
Test(conduct, the_final_judgement_of_a_window_includes_the_last_second) {
    fx_t f;
    fx_init(&f, 1, 4, 0);
    thresholds_check_t checks[1];
    char err[200];
    cr_assert_eq(thresholds_parse("requests > 0 over 1s", &checks[0], err, sizeof err, NULL), 0);
    f.o.checks = checks;
    f.o.n_checks = 1;
    f.o.duration_ms = 3000;
    conduct_destroy(&f.c);
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    start(&f, 1);
    uint32_t run = conduct_run_id(f.c);
    uint64_t at = f.now;
    for (uint32_t s = 0; s < 2; s++) {
        live_until(&f, 0x1, at + (s + 1) * 1000000u);
        report(&f, 0, PROTO_STATS, run, s, 10 + s);
    }
    live_until(&f, 0x1, at + 3000000);
    cr_assert_eq(n_sent(&f, PROTO_STOP), 1, "the run time is over");
    report(&f, 0, PROTO_FINAL, run, 2, 7);
    tick(&f, f.now + 1000);
    cr_assert(conduct_done(f.c));
    conduct_finish(f.c, f.now);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    conduct_judge(f.c, r);
    cr_assert_eq(r->n_thresholds, 1);
    cr_expect(r->thresholds[0].passed, "measured %s", r->thresholds[0].measured);
    cr_expect_float_eq(r->thresholds[0].value, 7, 1e-9, "the last second's 7 requests (got %g)",
                       r->thresholds[0].value);
    report_destroy(&r);
    fx_fini(&f);
    thresholds_check_fini(&checks[0]);
}

Test(conduct, an_aborting_threshold_that_fails_stops_the_run_after_its_delay) {
    fx_t f;
    fx_init(&f, 1, 4, 0);
    thresholds_check_t checks[2];
    char err[200];
    cr_assert_eq(thresholds_parse("p99 < 1s", &checks[0], err, sizeof err, NULL), 0);
    cr_assert_eq(thresholds_parse("failure_rate < 1%", &checks[1], err, sizeof err, NULL), 0);
    checks[1].abort = true;
    checks[1].delay_ms = 2500;
    f.o.checks = checks;
    f.o.n_checks = 2;
    conduct_destroy(&f.c);
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    hello(&f, 0);
    tick(&f, f.now + 1000);
    uint64_t start = f.now;
    cr_assert_eq(n_sent(&f, PROTO_RUN), 1);
    conduct_outputs_clear(f.c);
    /* Second 0 already fails (10%), but the delay holds it. */
    tick(&f, start + 1000000);
    report_failing(&f, 0, 0, 100, 10);
    tick(&f, start + 2000000);
    cr_expect_eq(n_kind(&f, CONDUCT_THRESHOLD_ABORT), 0, "within its delay (2.5 s)");
    cr_expect_eq(n_sent(&f, PROTO_STOP), 0);
    report_failing(&f, 0, 1, 100, 0);
    tick(&f, start + 3000000);
    const conduct_out_t *ev = find_kind(&f, CONDUCT_THRESHOLD_ABORT);
    cr_assert_not_null(ev, "failing (5%) after its delay: the run stops");
    cr_expect(strstr(ev->text, "threshold 'failure_rate < 1%' failed after 3.0 s (measured 5%)"),
              "%s", ev->text);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 1, "the workers drain as after any stop");
    cr_expect_eq(conduct_state(f.c, f.now), CONDUCT_STOPPING);
    /* The final report arrives; the run ends; the report says who stopped it. */
    report(&f, 0, PROTO_FINAL, conduct_run_id(f.c), 2, 10);
    tick(&f, f.now + 1000);
    cr_expect(conduct_run_ended(f.c) || conduct_done(f.c));
    conduct_finish(f.c, f.now);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    conduct_judge(f.c, r);
    cr_expect_str_eq(r->aborted_by, "failure_rate < 1%");
    cr_expect_float_eq(r->aborted_at_s, 3.0, 1e-9);
    cr_assert_eq(r->n_thresholds, 2, "judged at the end too");
    cr_expect(r->thresholds[0].passed);
    cr_expect_not(r->thresholds[1].passed);
    cr_expect_eq(results_total(r->results)->requests, 210, "the final report is in");
    report_destroy(&r);
    fx_fini(&f);
    thresholds_check_fini(&checks[0]);
    thresholds_check_fini(&checks[1]);
}

/* A report of `requests` GET / requests that all failed with reason. */
static void report_refused(fx_t *f, int i, uint32_t seq, uint64_t requests, const char *reason) {
    proto_stat_t row = {.method = "GET", .name = "/", .requests = requests, .failures = requests,
                        .latency = histogram_new()};
    histogram_record_n(row.latency, 100, requests);
    proto_error_t err = {.method = "GET", .name = "/", .reason = (char *)reason, .count = requests};
    proto_msg_t m = {.type = PROTO_STATS};
    m.u.stats = (proto_stats_t){.run_id = conduct_run_id(f->c), .seq = seq, .users = 4,
                                .n_stats = 1, .stats = &row, .n_errors = 1, .errors = &err};
    from(f, i, &m);
    histogram_destroy(&row.latency);
}

Test(conduct, a_target_that_refuses_every_connection_is_said_at_once_and_may_stop_the_run) {
    for (int abort = 0; abort <= 1; abort++) {
        fx_t f;
        fx_init(&f, 1, 4, 0);
        f.sc.host = "http://127.0.0.1:1";
        f.o.abort_if_unreachable = abort;
        conduct_destroy(&f.c);
        f.c = conduct_new(&f.o, f.now, WALL0_MS);
        hello(&f, 0);
        tick(&f, f.now + 1000);
        uint64_t start = f.now;
        conduct_outputs_clear(f.c);
        tick(&f, start + 1000000);
        report_refused(&f, 0, 0, 5000, "connect: Couldn't connect to server");
        tick(&f, start + 2000000);
        const conduct_out_t *ev = find_kind(&f, CONDUCT_TARGET_UNREACHABLE);
        cr_assert_not_null(ev, "said in the first seconds");
        cr_expect(strstr(ev->text, "every request of GET / (5000) failed to connect (connect: "
                                   "Couldn't connect to server) — is the target up at "
                                   "http://127.0.0.1:1?"),
                  "%s", ev->text);
        cr_expect_eq(n_sent(&f, PROTO_STOP), (size_t)abort, "stops only with the option");
        conduct_outputs_clear(f.c);
        report_refused(&f, 0, 1, 5000, "connect: Couldn't connect to server");
        tick(&f, start + 3000000);
        cr_expect_eq(n_kind(&f, CONDUCT_TARGET_UNREACHABLE), 0, "said once");
        if (abort) {
            report(&f, 0, PROTO_FINAL, conduct_run_id(f.c), 2, 0);
            tick(&f, f.now + 1000);
            conduct_finish(f.c, f.now);
            cr_expect_eq(conduct_outcome(f.c), CONDUCT_UNREACHABLE);
        }
        fx_fini(&f);
    }
}

Test(conduct, some_connections_refused_is_not_a_dead_target) {
    fx_t f;
    fx_init(&f, 1, 4, 0);
    f.o.abort_if_unreachable = true;
    conduct_destroy(&f.c);
    f.c = conduct_new(&f.o, f.now, WALL0_MS);
    hello(&f, 0);
    tick(&f, f.now + 1000);
    uint64_t start = f.now;
    tick(&f, start + 1000000);
    report_refused(&f, 0, 0, 50, "connect: Couldn't connect to server");
    report(&f, 0, PROTO_STATS, conduct_run_id(f.c), 1, 10); /* 10 of / answered */
    tick(&f, start + 2000000);
    cr_expect_eq(n_kind(&f, CONDUCT_TARGET_UNREACHABLE), 0);
    cr_expect_eq(n_sent(&f, PROTO_STOP), 0);
    fx_fini(&f);
}

static void heartbeat_health(fx_t *f, int i, uint32_t cpu_permille, uint32_t lag_us) {
    proto_msg_t m = {.type = PROTO_HEARTBEAT};
    m.u.heartbeat = (proto_heartbeat_t){
        .run_id = conduct_run_id(f->c),
        .users = 4,
        .health = {.cpu_permille = cpu_permille, .rss_kib = 30000, .connections = 4,
                   .lag_us = lag_us}};
    from(f, i, &m);
}

Test(conduct, a_saturated_worker_is_said_once_per_episode_and_kept_in_the_report) {
    fx_t f;
    fx_init(&f, 1, 4, 0);
    hello(&f, 0);
    tick(&f, f.now + 1000);
    uint64_t start = f.now;
    conduct_outputs_clear(f.c);
    for (int s = 1; s <= 6; s++) { /* 97% from second 1 */
        tick(&f, start + (uint64_t)s * 1000000u);
        heartbeat_health(&f, 0, 970, 2000);
    }
    cr_expect_eq(n_kind(&f, CONDUCT_WORKER_SATURATED), 1, "said once, 3 s after it began");
    const conduct_out_t *ev = find_kind(&f, CONDUCT_WORKER_SATURATED);
    cr_assert_not_null(ev);
    cr_expect(strstr(ev->text, "worker w0 is saturated: latencies from it include time waiting "
                               "for CPU; add workers or processes (CPU 97%"),
              "%s", ev->text);
    tick(&f, start + 7000000);
    heartbeat_health(&f, 0, 300, 1000); /* the episode ends */
    tick(&f, start + 8000000);
    heartbeat_health(&f, 0, 350, 1200);
    report_t *r = report_new();
    conduct_fill_report(f.c, r, f.now);
    cr_assert_eq(r->n_saturations, 1);
    cr_expect_str_eq(r->saturations[0].worker, "w0");
    cr_expect_float_eq(r->saturations[0].from_s, 1.0, 1e-9);
    cr_expect_float_eq(r->saturations[0].to_s, 7.0, 1e-9);
    cr_expect_eq(r->saturations[0].cpu_max_permille, 970);
    cr_assert_eq(r->n_workers, 1);
    cr_expect_eq(r->workers[0].cpu_permille, 350, "the last heartbeat's");
    cr_expect_eq(r->workers[0].cpu_max_permille, 970);
    cr_expect_eq(r->workers[0].connections, 4);
    cr_expect_eq(r->workers[0].rss_kib, 30000);
    report_destroy(&r);
    fx_fini(&f);
}

/* --tls-no-verify reaches every worker in its RUN, and only when given. */
Test(conduct, the_run_carries_tls_no_verify) {
    for (int flag = 0; flag <= 1; flag++) {
        fx_t f;
        memset(&f, 0, sizeof f);
        fx_init(&f, 2, 8, 0);
        conduct_destroy(&f.c);
        f.o.tls_no_verify = flag == 1;
        f.c = conduct_new(&f.o, f.now, WALL0_MS);
        hello(&f, 0);
        hello(&f, 1);
        tick(&f, f.now + 1000);
        for (int i = 0; i < 2; i++) {
            const proto_msg_t *run = sent_to(&f, i, PROTO_RUN);
            cr_assert_not_null(run);
            cr_expect_eq(run->u.run.tls_no_verify, (uint32_t)flag, "worker %d, flag %d", i, flag);
        }
        fx_fini(&f);
    }
}
