/* test_snapshot: the web's view of the run built from the conduct core
 * (master/snapshot.h) at made-up times with hand-made worker messages; the
 * web server itself is not linked. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "master/snapshot.h"

#define T0_US 1000000000ull
#define WALL0_MS 1700000000000ull

typedef struct {
    scenario_class_t classes[1];
    scenario_t sc;
    conduct_opts_t o;
    conduct_t *c;
    uint64_t now;
} fx_t;

static void fx_init(fx_t *f, bool multi) {
    memset(f, 0, sizeof *f);
    f->classes[0] = (scenario_class_t){.name = "Reader", .weight = 1};
    f->sc = (scenario_t){.name = "shop", .host = "http://127.0.0.1:1", .classes = f->classes,
                         .n_classes = 1};
    f->o = (conduct_opts_t){.scenario = &f->sc, .scenario_name = "shop.yaml",
                            .scenario_text = "x", .scenario_bytes = 1, .expect_workers = 1,
                            .users = 10, .spawn_rate = 5, .duration_ms = 60000,
                            .report_ms = 1000, .heartbeat_ms = 1000, .live_ms = 2000,
                            .wait_workers_ms = 15000, .multi_run = multi,
                            .autoquit_ms = CONDUCT_NO_AUTOQUIT};
    f->now = T0_US;
    f->c = conduct_new(&f->o, f->now, WALL0_MS);
}

/* What web_snapshot_free does (web/ is not linked here): the contract of
 * snapshot_build's ownership. */
static void s_free(web_snapshot_t **s) {
    for (size_t i = 0; i < (*s)->n_ready_workers; i++) free((*s)->ready_workers[i]);
    free((*s)->ready_workers);
    report_destroy(&(*s)->report);
    free((*s)->current_rps);
    free((*s)->current_fail_per_sec);
    free(*s);
    *s = NULL;
}

static void msg(fx_t *f, int i, const proto_msg_t *m) {
    char rid[16];
    snprintf(rid, sizeof rid, "rid-%d", i);
    conduct_on_message(f->c, rid, strlen(rid), m, f->now);
}

static void hello(fx_t *f, int i) {
    char wid[16];
    snprintf(wid, sizeof wid, "w%d", i);
    proto_msg_t m = {.type = PROTO_HELLO};
    m.u.hello = (proto_hello_t){.worker_id = wid, .hostname = "h", .pid = 1, .cpus = 1};
    msg(f, i, &m);
}

/* Worker i reports n requests of `name` (fails of them failed) with 3 users. */
static void report(fx_t *f, int i, uint32_t seq, const char *name, uint64_t n, uint64_t fails) {
    proto_stat_t row = {.method = "GET", .name = (char *)name, .requests = n, .failures = fails,
                        .latency = histogram_new()};
    histogram_record_n(row.latency, 2000, n);
    proto_msg_t m = {.type = PROTO_STATS};
    m.u.stats = (proto_stats_t){.run_id = conduct_run_id(f->c), .seq = seq, .users = 3,
                                .n_stats = 1, .stats = &row, .dropped = 0};
    msg(f, i, &m);
    histogram_destroy(&row.latency);
}

static void tick(fx_t *f, uint64_t at) {
    f->now = at;
    conduct_tick(f->c, f->now);
    conduct_outputs_clear(f->c);
}

Test(snapshot, before_any_run_it_is_ready_without_a_report) {
    fx_t f;
    fx_init(&f, true);
    hello(&f, 0);
    hello(&f, 1);
    web_snapshot_t *s = snapshot_build(f.c, f.now);
    cr_expect_str_eq(s->state, "ready");
    cr_expect_eq(s->workers, 2, "ready for the next start");
    cr_expect_eq(s->user_count, 0);
    cr_expect_null(s->report);
    cr_expect_null(s->current_rps);
    cr_expect_eq(s->n_rates, 0);
    cr_assert_eq(s->n_ready_workers, 2, "the workers a start would take, as Locust lists them");
    cr_expect_str_eq(s->ready_workers[0], "w0");
    cr_expect_str_eq(s->ready_workers[1], "w1");
    s_free(&s);
    conduct_destroy(&f.c);
}

Test(snapshot, a_running_run_with_its_rows_rates_and_users) {
    fx_t f;
    fx_init(&f, true);
    hello(&f, 0);
    hello(&f, 1);
    conduct_swarm_t sw = {.users = 6, .spawn_rate = 2};
    cr_assert_eq(conduct_on_swarm(f.c, &sw, f.now), CONDUCT_SWARM_STARTED);
    conduct_outputs_clear(f.c);
    web_snapshot_t *s = snapshot_build(f.c, f.now);
    cr_expect_str_eq(s->state, "spawning", "6 users at 2/s take 3 s");
    cr_assert_not_null(s->report);
    cr_expect_eq(s->report->users, 6);
    cr_expect_str_eq(s->report->scenario_name, "shop");
    cr_expect_eq(s->n_rates, 1, "no rows yet: the aggregate");
    s_free(&s);
    /* Reports arrive every second from 1.5 s on: second k gets w0's 20 /a (2 failed)
     * and w1's 10 /b. */
    for (uint32_t k = 0; k < 12; k++) {
        tick(&f, T0_US + 1500000ull + k * 1000000ull);
        report(&f, 0, k, "/a", 20, 2);
        report(&f, 1, k, "/b", 10, 0);
    }
    f.now += 200000; /* 12.7 s: second 12 is open */
    s = snapshot_build(f.c, f.now);
    cr_expect_str_eq(s->state, "running");
    cr_expect_eq(s->user_count, 6, "3 users from each");
    cr_expect_eq(s->workers, 2);
    cr_assert_eq(s->n_rates, 3);
    cr_assert_eq(results_count(s->report->results), 2);
    cr_expect_str_eq(results_row(s->report->results, 0)->name, "/a");
    cr_expect_float_eq(s->current_rps[0], 20.0, 1e-9);
    cr_expect_float_eq(s->current_fail_per_sec[0], 2.0, 1e-9);
    cr_expect_float_eq(s->current_rps[1], 10.0, 1e-9);
    cr_expect_float_eq(s->current_rps[2], 30.0, 1e-9, "aggregate");
    cr_expect_eq(results_total(s->report->results)->requests, 360);
    cr_expect_eq(s->report->n_workers, 2);
    cr_expect_float_eq(s->report->run_seconds, 12.7, 1e-9);
    cr_expect_geq(timeline_count(s->report->timeline), 11);
    /* The core is untouched: its window is still there for the live view, and
     * the snapshot does not move with it. */
    cr_expect_eq(results_total(conduct_results(f.c))->win_requests, 360);
    report(&f, 0, 12, "/a", 20, 0);
    cr_expect_eq(results_total(s->report->results)->requests, 360);
    cr_expect_eq(results_total(conduct_results(f.c))->requests, 380);
    s_free(&s);
    /* Quiet seconds lower the current rate. */
    tick(&f, f.now + 5000000);
    s = snapshot_build(f.c, f.now);
    cr_expect_lt(s->current_rps[2], 30.0);
    s_free(&s);
    conduct_destroy(&f.c);
}

Test(snapshot, after_a_run_it_is_stopped_with_the_kept_report_and_no_rates) {
    fx_t f;
    fx_init(&f, true);
    hello(&f, 0);
    conduct_swarm_t sw = {.users = 2};
    cr_assert_eq(conduct_on_swarm(f.c, &sw, f.now), CONDUCT_SWARM_STARTED);
    tick(&f, f.now + 1500000);
    report(&f, 0, 0, "/a", 20, 0);
    conduct_on_stop(f.c, f.now);
    web_snapshot_t *s = snapshot_build(f.c, f.now);
    cr_expect_str_eq(s->state, "stopping");
    s_free(&s);
    proto_msg_t fin = {.type = PROTO_FINAL};
    fin.u.stats = (proto_stats_t){.run_id = conduct_run_id(f.c), .seq = 1};
    msg(&f, 0, &fin);
    tick(&f, f.now + 1000);
    cr_assert(conduct_run_ended(f.c));
    conduct_finish(f.c, f.now);
    report_t *r = report_new();
    conduct_fill_meta(f.c, r);
    conduct_fill_report(f.c, r, f.now);
    conduct_keep_report(f.c, &r);
    s = snapshot_build(f.c, f.now + 1000000);
    cr_expect_str_eq(s->state, "stopped");
    cr_expect_eq(s->user_count, 0);
    cr_expect_eq(s->workers, 1, "ready for the next run");
    cr_assert_not_null(s->report);
    cr_expect_eq(results_total(s->report->results)->requests, 20);
    cr_expect_eq(s->n_rates, 2);
    cr_expect_eq(s->current_rps[0], 0);
    cr_expect_eq(s->current_rps[1], 0);
    s_free(&s);
    conduct_destroy(&f.c);
}

Test(snapshot, state_names) {
    cr_expect_str_eq(snapshot_state_name(CONDUCT_READY), "ready");
    cr_expect_str_eq(snapshot_state_name(CONDUCT_SPAWNING), "spawning");
    cr_expect_str_eq(snapshot_state_name(CONDUCT_RUNNING), "running");
    cr_expect_str_eq(snapshot_state_name(CONDUCT_STOPPING), "stopping");
    cr_expect_str_eq(snapshot_state_name(CONDUCT_STOPPED), "stopped");
}

/* Rough cost, printed (not asserted): 20 names, a 10-minute timeline. */
Test(snapshot, cost_of_a_snapshot_of_twenty_names) {
    fx_t f;
    fx_init(&f, true);
    hello(&f, 0);
    conduct_swarm_t sw = {.users = 2, .run_time_ms = 3600000};
    cr_assert_eq(conduct_on_swarm(f.c, &sw, f.now), CONDUCT_SWARM_STARTED);
    for (uint32_t k = 0; k < 600; k++) {
        tick(&f, T0_US + 1500000ull + k * 1000000ull);
        proto_stat_t rows[20];
        char names[20][16];
        for (int i = 0; i < 20; i++) {
            snprintf(names[i], sizeof names[i], "/n%d", i);
            rows[i] = (proto_stat_t){.method = "GET", .name = names[i], .requests = 100,
                                     .latency = histogram_new()};
            for (int v = 0; v < 100; v++) histogram_record(rows[i].latency, 500u + 97u * (uint64_t)v * (uint64_t)(i + 1));
        }
        proto_msg_t m = {.type = PROTO_STATS};
        m.u.stats = (proto_stats_t){.run_id = conduct_run_id(f.c), .seq = k, .users = 2,
                                    .n_stats = 20, .stats = rows};
        msg(&f, 0, &m);
        for (int i = 0; i < 20; i++) histogram_destroy(&rows[i].latency);
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int n = 50;
    for (int i = 0; i < n; i++) {
        web_snapshot_t *s = snapshot_build(f.c, f.now);
        cr_assert_eq(s->n_rates, 21);
        s_free(&s);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6) / n;
    fprintf(stderr, "snapshot of 20 names, 600 s timeline: %.3f ms each\n", ms);
    conduct_destroy(&f.c);
}

/* What the next start takes, from a plan loaded from a real file and the
 * command line (-H wins over the scenario's host; stages as written). */
Test(snapshot, the_scenario_view_of_a_plan) {
    char path[] = "/tmp/test_snapshot_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *yaml = "name: shop\n"
                       "host: http://127.0.0.1:1\n"
                       "load: {users: 4, spawn_rate: 2, duration: 7s}\n"
                       "users:\n"
                       "  - name: Reader\n"
                       "    weight: 3\n"
                       "    tasks:\n"
                       "      - {get: /items, name: items, weight: 5}\n"
                       "      - name: browse\n"
                       "        steps: [{get: /a}, {get: /b}]\n";
    cr_assert_eq(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    close(fd);
    char *argv[] = {"barrage", "run", path, "-H", "http://127.0.0.1:2", "--web", NULL};
    cli_opts_t o;
    cr_assert_eq(cli_parse(6, argv, &o), 0);
    runplan_t *p = runplan_load(&o, 1, stderr);
    cr_assert_not_null(p);
    web_scenario_t *v = snapshot_scenario(p, &o, "earlier: broken");
    cr_expect_str_eq(v->file, path);
    cr_expect_str_eq(v->host, "http://127.0.0.1:2");
    cr_expect_not(v->open);
    cr_expect_eq(v->users, 4);
    cr_expect_float_eq(v->spawn_rate, 2.0, 1e-12);
    cr_expect_eq(v->run_time_ms, 7000);
    cr_expect_null(v->stages);
    cr_assert_eq(v->n_classes, 1);
    cr_expect_str_eq(v->classes[0].name, "Reader");
    cr_expect_eq(v->classes[0].weight, 3);
    cr_assert_eq(v->classes[0].n_tasks, 2);
    cr_expect_str_eq(v->classes[0].tasks[0].name, "items", "a single request's name");
    cr_expect_eq(v->classes[0].tasks[0].weight, 5);
    cr_expect_str_eq(v->classes[0].tasks[1].name, "browse");
    cr_expect_str_eq(v->errors, "earlier: broken");
    web_scenario_free(&v);
    cr_expect_null(v);
    runplan_destroy(&p);
    unlink(path);
}
