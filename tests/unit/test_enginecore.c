/* test_enginecore: the engine's decisions without sockets, clocks or curl —
 * report cadence, the drain after a stop and its single FINAL, the self-stop,
 * starts and retirements at the spawn rate and after a rebalance, a closed
 * model's ramp, and what a user does after each request, including one that
 * curl would not take (worker/enginecore.h). Times are made up. */
#include <criterion/criterion.h>

#include "proto/timeouts.h"
#include "worker/enginecore.h"

#define T0 7000000000ull /* any origin: the core never reads a clock */
#define MS(x) ((uint64_t)(x)*1000u)

static uint32_t s_users2[2];
static ramp_stage_t s_stages[2];

/* A closed-model RUN of users (a, b) at rate, reporting every second. */
static proto_run_t s_run(uint32_t a, uint32_t b, double rate, uint64_t duration_ms) {
    s_users2[0] = a;
    s_users2[1] = b;
    return (proto_run_t){.run_id = 1,
                         .n_classes = 2,
                         .users_per_class = s_users2,
                         .spawn_rate = rate,
                         .duration_ms = duration_ms,
                         .report_interval_ms = 1000};
}

/* Takes every move due by now: counts starts and retirements per class, as the engine does. */
static void s_take(enginecore_t *c, uint64_t now, int starts[2], int retires[2]) {
    uint32_t cls;
    for (int dir; (dir = enginecore_take_move(c, now, &cls)) != 0;) {
        cr_assert_lt(cls, 2);
        if (dir > 0) {
            starts[cls]++;
            enginecore_user_started(c, cls);
        } else {
            retires[cls]++;
            enginecore_user_retired(c, cls);
        }
    }
}

/* --- reports --- */

Test(enginecore, stats_every_interval_on_the_grid) {
    proto_run_t spec = s_run(0, 0, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(1000));
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(999), 0).actions, 0);
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(1000), 0).actions, ENGINECORE_SEND_STATS);
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(1000), 0).actions, 0, "once per interval");
    /* A late timer does not shift the grid. */
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(2300), 0).actions, ENGINECORE_SEND_STATS);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(3000));
    enginecore_fini(&c);
}

Test(enginecore, a_late_call_sends_one_stats_not_a_burst) {
    proto_run_t spec = s_run(0, 0, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(5500), 0).actions, ENGINECORE_SEND_STATS);
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(5900), 0).actions, 0);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(6000));
    enginecore_fini(&c);
}

Test(enginecore, default_report_interval) {
    proto_run_t spec = s_run(0, 0, 0, 0);
    spec.report_interval_ms = 0;
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(TIMEOUT_REPORT_MS));
    enginecore_fini(&c);
}

/* --- stop, drain, FINAL --- */

Test(enginecore, stop_with_nothing_in_flight_sends_the_final_at_once) {
    proto_run_t spec = s_run(2, 0, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    enginecore_out_t out = enginecore_on_stop(&c, T0 + MS(10), 0);
    cr_expect_eq(out.actions, ENGINECORE_STOP_STARTING | ENGINECORE_SEND_FINAL);
    cr_expect_not(out.self_stop);
    cr_expect_eq(c.state, ENGINECORE_DONE);
    cr_expect_eq(enginecore_next_us(&c), ENGINECORE_NEVER);
    enginecore_fini(&c);
}

Test(enginecore, drain_waits_for_in_flight_requests_then_final) {
    proto_run_t spec = s_run(3, 0, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    cr_expect_eq(enginecore_on_stop(&c, T0 + MS(100), 3).actions, ENGINECORE_STOP_STARTING);
    cr_expect_eq(c.state, ENGINECORE_DRAINING);
    cr_expect_eq(enginecore_users(&c), 0, "no users once stopping");
    cr_expect_eq(enginecore_on_request_done(&c, 2).actions, 0);
    cr_expect_eq(enginecore_on_request_done(&c, 1).actions, 0);
    cr_expect_eq(enginecore_on_request_done(&c, 0).actions, ENGINECORE_SEND_FINAL);
    cr_expect_eq(c.state, ENGINECORE_DONE);
    enginecore_fini(&c);
}

Test(enginecore, stats_go_on_while_draining) {
    proto_run_t spec = s_run(1, 0, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    enginecore_on_stop(&c, T0 + MS(900), 1);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(1000));
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(1000), 1).actions, ENGINECORE_SEND_STATS);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(2000));
    enginecore_fini(&c);
}

Test(enginecore, drain_gives_up_after_its_timeout_and_aborts_the_rest) {
    proto_run_t spec = s_run(2, 0, 0, 0);
    spec.report_interval_ms = 60000; /* keep reports out of the way */
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    enginecore_on_stop(&c, T0, 2);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(TIMEOUT_DRAIN_MS));
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(TIMEOUT_DRAIN_MS) - 1, 2).actions, 0);
    enginecore_out_t out = enginecore_on_time(&c, T0 + MS(TIMEOUT_DRAIN_MS), 2);
    cr_expect_eq(out.actions, ENGINECORE_ABORT_IN_FLIGHT | ENGINECORE_SEND_FINAL);
    cr_expect_eq(c.state, ENGINECORE_DONE);
    enginecore_fini(&c);
}

Test(enginecore, final_exactly_once) {
    proto_run_t spec = s_run(1, 0, 0, 1000);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    int finals = 0;
    finals += !!(enginecore_on_stop(&c, T0 + MS(10), 1).actions & ENGINECORE_SEND_FINAL);
    finals += !!(enginecore_on_stop(&c, T0 + MS(20), 1).actions & ENGINECORE_SEND_FINAL);
    finals += !!(enginecore_on_request_done(&c, 0).actions & ENGINECORE_SEND_FINAL);
    finals += !!(enginecore_on_request_done(&c, 0).actions & ENGINECORE_SEND_FINAL);
    finals += !!(enginecore_on_stop(&c, T0 + MS(30), 0).actions & ENGINECORE_SEND_FINAL);
    for (uint64_t t = T0; t < T0 + MS(60000); t += MS(500)) {
        enginecore_out_t out = enginecore_on_time(&c, t, 0);
        cr_expect_eq(out.actions, 0, "nothing after the FINAL");
    }
    cr_expect_eq(finals, 1);
    enginecore_fini(&c);
}

/* --- the run's own stop --- */

Test(enginecore, stops_by_itself_after_duration_and_grace) {
    proto_run_t spec = s_run(0, 0, 0, 3000);
    spec.report_interval_ms = 60000;
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    uint64_t at = T0 + MS(3000 + TIMEOUT_SELF_STOP_GRACE_MS);
    cr_expect_eq(enginecore_next_us(&c), at);
    enginecore_out_t out = enginecore_on_time(&c, at - 1, 1);
    cr_expect_not(out.self_stop);
    out = enginecore_on_time(&c, at, 1);
    cr_expect(out.self_stop);
    cr_expect_eq(out.actions, ENGINECORE_STOP_STARTING, "a drain like any stop");
    cr_expect_eq(c.state, ENGINECORE_DRAINING);
    cr_expect_eq(enginecore_on_request_done(&c, 0).actions, ENGINECORE_SEND_FINAL);
    enginecore_fini(&c);
}

Test(enginecore, self_stop_with_nothing_in_flight_is_final_at_once) {
    proto_run_t spec = s_run(1, 0, 0, 1000);
    spec.report_interval_ms = 60000;
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    enginecore_out_t out = enginecore_on_time(&c, T0 + MS(1000 + TIMEOUT_SELF_STOP_GRACE_MS), 0);
    cr_expect(out.self_stop);
    cr_expect_eq(out.actions, ENGINECORE_STOP_STARTING | ENGINECORE_SEND_FINAL);
    enginecore_fini(&c);
}

Test(enginecore, no_self_stop_without_a_duration) {
    proto_run_t spec = s_run(0, 0, 0, 0);
    spec.report_interval_ms = 3600000;
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    enginecore_out_t out = enginecore_on_time(&c, T0 + MS(3000000), 0);
    cr_expect_not(out.self_stop);
    cr_expect_eq(c.state, ENGINECORE_RUNNING);
    enginecore_fini(&c);
}

Test(enginecore, a_stop_from_the_master_cancels_the_self_stop) {
    proto_run_t spec = s_run(0, 0, 0, 1000);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    enginecore_on_stop(&c, T0 + MS(1000), 1);
    enginecore_out_t out = enginecore_on_time(&c, T0 + MS(1000 + TIMEOUT_SELF_STOP_GRACE_MS), 1);
    cr_expect_not(out.self_stop);
    enginecore_fini(&c);
}

/* --- users: spawn rate, rebalance, ramp --- */

Test(enginecore, users_start_at_the_spawn_rate_first_at_once) {
    proto_run_t spec = s_run(3, 1, 2.0, 0); /* 4 users at 2/s: 0, 0.5, 1, 1.5 s */
    spec.report_interval_ms = 60000;
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    int starts[2] = {0}, retires[2] = {0};
    cr_expect_eq(enginecore_next_us(&c), T0);
    cr_expect_eq(enginecore_on_time(&c, T0, 0).actions, ENGINECORE_MOVE_USERS);
    s_take(&c, T0, starts, retires);
    cr_expect_eq(starts[0] + starts[1], 1);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(500));
    s_take(&c, T0 + MS(1499), starts, retires);
    cr_expect_eq(starts[0] + starts[1], 3);
    s_take(&c, T0 + MS(1500), starts, retires);
    cr_expect_eq(starts[0], 3);
    cr_expect_eq(starts[1], 1);
    cr_expect_eq(enginecore_users(&c), 4);
    cr_expect_eq(enginecore_on_time(&c, T0 + MS(1600), 0).actions, 0, "all started");
    enginecore_fini(&c);
}

Test(enginecore, rate_zero_starts_everyone_at_once) {
    proto_run_t spec = s_run(5, 5, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    int starts[2] = {0}, retires[2] = {0};
    s_take(&c, T0, starts, retires);
    cr_expect_eq(starts[0], 5);
    cr_expect_eq(starts[1], 5);
    enginecore_fini(&c);
}

Test(enginecore, set_users_retires_and_starts_at_the_given_rate) {
    proto_run_t spec = s_run(3, 1, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    int starts[2] = {0}, retires[2] = {0};
    s_take(&c, T0, starts, retires);
    uint32_t to[2] = {1, 3};
    proto_users_t users = {.run_id = 1, .n_classes = 2, .users_per_class = to, .spawn_rate = 4};
    cr_assert_eq(enginecore_set_users(&c, &users, T0 + MS(10000)), 0);
    cr_expect(enginecore_on_time(&c, T0 + MS(10000), 0).actions & ENGINECORE_MOVE_USERS,
              "the first move at once");
    int s2[2] = {0}, r2[2] = {0};
    s_take(&c, T0 + MS(10000), s2, r2);
    cr_expect_eq(s2[0] + s2[1] + r2[0] + r2[1], 1);
    s_take(&c, T0 + MS(10500), s2, r2); /* 4/s: 3 more by 0.75 s */
    cr_expect_eq(s2[0] + s2[1] + r2[0] + r2[1], 3);
    s_take(&c, T0 + MS(10750), s2, r2);
    cr_expect_eq(r2[0], 2);
    cr_expect_eq(s2[1], 2);
    cr_expect_eq(s2[0] + r2[1], 0, "moves as little as possible");
    cr_expect_eq(c.active[0], 1);
    cr_expect_eq(c.active[1], 3);
    enginecore_fini(&c);
}

Test(enginecore, set_users_with_other_classes_is_refused) {
    proto_run_t spec = s_run(1, 1, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    uint32_t to[3] = {1, 1, 1};
    proto_users_t users = {.run_id = 1, .n_classes = 3, .users_per_class = to};
    cr_expect_eq(enginecore_set_users(&c, &users, T0), -1);
    enginecore_fini(&c);
}

Test(enginecore, set_users_once_stopping_does_nothing) {
    proto_run_t spec = s_run(1, 1, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    int starts[2] = {0}, retires[2] = {0};
    s_take(&c, T0, starts, retires);
    enginecore_on_stop(&c, T0 + MS(10), 2);
    uint32_t to[2] = {5, 5};
    proto_users_t users = {.run_id = 1, .n_classes = 2, .users_per_class = to};
    cr_expect_eq(enginecore_set_users(&c, &users, T0 + MS(20)), 0);
    uint32_t cls;
    cr_expect_eq(enginecore_take_move(&c, T0 + MS(30), &cls), 0);
    enginecore_fini(&c);
}

Test(enginecore, a_stop_ends_pending_starts) {
    proto_run_t spec = s_run(10, 0, 1.0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    int starts[2] = {0}, retires[2] = {0};
    s_take(&c, T0 + MS(2000), starts, retires);
    cr_expect_eq(starts[0], 3);
    enginecore_on_stop(&c, T0 + MS(2100), 1);
    s_take(&c, T0 + MS(9000), starts, retires);
    cr_expect_eq(starts[0], 3);
    enginecore_fini(&c);
}

Test(enginecore, closed_ramp_follows_its_stages_and_a_new_share) {
    s_stages[0] = (ramp_stage_t){.duration_us = MS(1000), .target = 10};
    s_stages[1] = (ramp_stage_t){.duration_us = MS(1000), .target = 0};
    proto_run_t spec = s_run(10, 0, 0, 0);
    spec.stages = s_stages;
    spec.n_stages = 2;
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    s_stages[0].target = 99; /* the core keeps its own copy */
    int starts[2] = {0}, retires[2] = {0};
    enginecore_on_time(&c, T0, 0);
    s_take(&c, T0, starts, retires);
    cr_expect_eq(starts[0], 0, "the ramp starts at 0");
    cr_expect_eq(enginecore_next_us(&c), T0 + ENGINECORE_RAMP_TICK_US);
    enginecore_on_time(&c, T0 + MS(500), 0);
    s_take(&c, T0 + MS(500), starts, retires);
    cr_expect_eq(c.n_active, 5);
    enginecore_on_time(&c, T0 + MS(1000), 0);
    s_take(&c, T0 + MS(1000), starts, retires);
    cr_expect_eq(c.n_active, 10);
    /* Half the share: the ramp keeps its shape at 5 users peak. */
    uint32_t to[2] = {5, 0};
    proto_users_t users = {.run_id = 1, .n_classes = 2, .users_per_class = to};
    cr_assert_eq(enginecore_set_users(&c, &users, T0 + MS(1500)), 0);
    s_take(&c, T0 + MS(1500), starts, retires);
    cr_expect_eq(c.n_active, 3, "half of 5 at the middle of the way down, rounded");
    enginecore_on_time(&c, T0 + MS(2000), 0);
    s_take(&c, T0 + MS(2000), starts, retires);
    cr_expect_eq(c.n_active, 0);
    cr_expect_eq(retires[0], 10);
    cr_expect_eq(c.next_ramp_us, ENGINECORE_NEVER, "the ramp is over");
    enginecore_fini(&c);
}

Test(enginecore, open_model_starts_no_users) {
    proto_run_t spec = s_run(0, 0, 0, 0);
    spec.arrival_rate = 100;
    spec.max_users = 10;
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    uint32_t cls;
    cr_expect_eq(enginecore_take_move(&c, T0 + MS(5000), &cls), 0);
    cr_expect_eq(enginecore_next_us(&c), T0 + MS(1000), "only reports");
    enginecore_fini(&c);
}

/* --- one user, after a request --- */

static enginecore_user_t s_user(size_t step, size_t n_steps) {
    return (enginecore_user_t){.running = true, .step = step, .n_steps = n_steps};
}

Test(enginecore, after_request_next_step_of_the_task) {
    enginecore_user_t u = s_user(0, 3);
    cr_expect_eq(enginecore_after_request(&u, T0, T0 + MS(100)).next, ENGINECORE_NEXT_STEP);
    u.task_failed = true; /* a failed step of a task does not end it */
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_NEXT_STEP);
}

Test(enginecore, after_request_end_of_task_thinks) {
    enginecore_user_t u = s_user(2, 3);
    enginecore_after_t a = enginecore_after_request(&u, T0, T0 + MS(100));
    cr_expect_eq(a.next, ENGINECORE_SLEEP);
    cr_expect_eq(a.wake_us, T0 + MS(100));
    a = enginecore_after_request(&u, T0, T0); /* think: none */
    cr_expect_eq(a.next, ENGINECORE_NEXT_TASK);
}

Test(enginecore, after_request_on_start_success_goes_straight_to_tasks) {
    enginecore_user_t u = s_user(0, 1);
    u.on_start = true;
    enginecore_after_t a = enginecore_after_request(&u, T0, T0 + MS(5000));
    cr_expect_eq(a.next, ENGINECORE_NEXT_TASK, "no think after on_start");
    cr_expect(a.on_start_ok);
    u.open_model = true;
    a = enginecore_after_request(&u, T0, T0);
    cr_expect_eq(a.next, ENGINECORE_NEXT_TASK, "the iteration goes on with its task");
    cr_expect(a.on_start_ok);
}

Test(enginecore, after_request_on_start_failure_retries_no_sooner_than_the_minimum) {
    enginecore_user_t u = s_user(0, 2);
    u.on_start = true;
    u.task_failed = true;
    enginecore_after_t a = enginecore_after_request(&u, T0, T0);
    cr_expect_eq(a.next, ENGINECORE_SLEEP, "a failed on_start step ends the attempt");
    cr_expect_eq(a.wake_us, T0 + ENGINECORE_RETRY_MIN_US);
    cr_expect_not(a.on_start_ok);
    a = enginecore_after_request(&u, T0, T0 + MS(3000));
    cr_expect_eq(a.wake_us, T0 + MS(3000), "a longer think stands");
    u.open_model = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_END_ITERATION);
}

Test(enginecore, after_request_open_model_ends_the_iteration) {
    enginecore_user_t u = s_user(1, 2);
    u.open_model = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0 + MS(100)).next, ENGINECORE_END_ITERATION);
}

Test(enginecore, after_request_retiring_user_is_released) {
    enginecore_user_t u = s_user(0, 3);
    u.retiring = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_RELEASE);
    u.not_sent = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_RELEASE);
}

Test(enginecore, after_request_stopping_stays) {
    enginecore_user_t u = s_user(0, 3);
    u.running = false;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_STAY);
}

Test(enginecore, not_sent_ends_the_task_and_retries_at_the_next_iteration) {
    enginecore_user_t u = s_user(0, 3); /* even mid-task: the rest would lack its captures */
    u.not_sent = true;
    u.task_failed = true;
    enginecore_after_t a = enginecore_after_request(&u, T0, T0);
    cr_expect_eq(a.next, ENGINECORE_SLEEP, "no spin on a handle curl refuses");
    cr_expect_eq(a.wake_us, T0 + ENGINECORE_RETRY_MIN_US);
    a = enginecore_after_request(&u, T0, T0 + MS(2500));
    cr_expect_eq(a.wake_us, T0 + MS(2500), "its own think when longer");
}

Test(enginecore, not_sent_in_the_open_model_ends_the_iteration) {
    enginecore_user_t u = s_user(0, 3);
    u.open_model = true;
    u.not_sent = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_END_ITERATION);
    u.on_start = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_END_ITERATION);
}

Test(enginecore, not_sent_on_start_is_a_failed_on_start) {
    enginecore_user_t u = s_user(0, 1);
    u.on_start = true;
    u.not_sent = true;
    enginecore_after_t a = enginecore_after_request(&u, T0, T0);
    cr_expect_eq(a.next, ENGINECORE_SLEEP);
    cr_expect_not(a.on_start_ok);
    cr_expect_eq(a.wake_us, T0 + ENGINECORE_RETRY_MIN_US);
}

Test(enginecore, a_stop_with_on_stop_starts_it_before_the_final) {
    proto_run_t spec = s_run(3, 0, 0, 0);
    enginecore_t c;
    enginecore_init(&c, &spec, T0);
    enginecore_set_on_stop(&c, true);
    enginecore_out_t out = enginecore_on_stop(&c, T0 + MS(100), 0);
    cr_expect_eq(out.actions, ENGINECORE_STOP_STARTING | ENGINECORE_START_ON_STOP,
                 "no FINAL before the users' on_stop");
    cr_expect_eq(c.state, ENGINECORE_DRAINING);
    cr_expect_eq(enginecore_on_request_done(&c, 3).actions, 0, "three users log out");
    cr_expect_eq(enginecore_on_request_done(&c, 0).actions, ENGINECORE_SEND_FINAL);
    enginecore_fini(&c);
    /* No user had anything to run: the engine asks at once, and FINAL comes. */
    enginecore_init(&c, &spec, T0);
    enginecore_set_on_stop(&c, true);
    enginecore_on_stop(&c, T0 + MS(100), 0);
    cr_expect_eq(enginecore_on_request_done(&c, 0).actions, ENGINECORE_SEND_FINAL);
    enginecore_fini(&c);
    /* The drain's timeout bounds on_stop too. */
    enginecore_init(&c, &spec, T0);
    enginecore_set_on_stop(&c, true);
    enginecore_on_stop(&c, T0 + MS(100), 2);
    out = enginecore_on_time(&c, T0 + MS(100) + TIMEOUT_DRAIN_MS * 1000ull, 1);
    cr_expect(out.actions & ENGINECORE_ABORT_IN_FLIGHT);
    cr_expect(out.actions & ENGINECORE_SEND_FINAL);
    enginecore_fini(&c);
}

Test(enginecore, after_request_a_stopping_user_runs_its_on_stop_once) {
    enginecore_user_t u = s_user(0, 3);
    u.running = false;
    u.has_on_stop = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_ON_STOP,
                 "the run stopped: its on_stop now, not the rest of its task");
    u.retiring = true;
    u.running = true;
    cr_expect_eq(enginecore_after_request(&u, T0, T0).next, ENGINECORE_ON_STOP,
                 "retired: its on_stop before it goes");
    /* In its on_stop: step by step, then gone (retired) or staying (stopped). */
    enginecore_user_t s = s_user(0, 2);
    s.in_on_stop = true;
    s.running = false;
    cr_expect_eq(enginecore_after_request(&s, T0, T0).next, ENGINECORE_NEXT_STEP);
    s.step = 1;
    cr_expect_eq(enginecore_after_request(&s, T0, T0).next, ENGINECORE_STAY);
    s.retiring = true;
    cr_expect_eq(enginecore_after_request(&s, T0, T0).next, ENGINECORE_RELEASE);
    s.step = 0;
    s.task_failed = true;
    cr_expect_eq(enginecore_after_request(&s, T0, T0).next, ENGINECORE_RELEASE,
                 "a failed on_stop step ends it");
}
