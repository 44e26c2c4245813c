/* test_agentcore: the worker agent's decisions without sockets or clocks —
 * hellos and heartbeats, the master's silence in and out of a run, and each
 * master message in each state (worker/agentcore.h). Times are made up. */
#include <criterion/criterion.h>

#include "proto/timeouts.h"
#include "worker/agent.h"
#include "worker/agentcore.h"

#define HB_MS 1000u
#define LOST_MS TIMEOUT_MASTER_LOST_MS
#define T0 1000000000ull /* any origin: the core never reads a clock */
#define MS(x) ((uint64_t)(x)*1000u)

static agentcore_t s_waiting(void) {
    agentcore_t c;
    agentcore_init(&c, HB_MS, LOST_MS, T0);
    return c;
}

static agentcore_t s_idle(void) {
    agentcore_t c = s_waiting();
    agentcore_on_message(&c, PROTO_WELCOME, 0, T0);
    return c;
}

static agentcore_t s_running(uint32_t run_id) {
    agentcore_t c = s_idle();
    agentcore_out_t out = agentcore_on_message(&c, PROTO_RUN, run_id, T0);
    cr_assert_eq(out.actions, AGENTCORE_START_RUN);
    return c;
}

Test(agentcore, says_hello_until_welcomed) {
    agentcore_t c = s_waiting();
    cr_expect_eq(c.state, AGENTCORE_WAITING);
    cr_expect_eq(agentcore_next_us(&c), T0, "the first hello at once");
    cr_expect_eq(agentcore_on_time(&c, T0).actions, AGENTCORE_SEND_HELLO);
    cr_expect_eq(agentcore_next_us(&c), T0 + MS(HB_MS));
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(500)).actions, 0, "not due yet");
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(HB_MS)).actions, AGENTCORE_SEND_HELLO);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_WELCOME, 0, T0 + MS(1200));
    cr_expect_eq(out.actions, AGENTCORE_JOINED);
    cr_expect_eq(c.state, AGENTCORE_IDLE);
}

Test(agentcore, sends_heartbeats_once_welcomed) {
    agentcore_t c = s_idle();
    cr_expect_eq(agentcore_next_us(&c), T0 + MS(HB_MS));
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(HB_MS)).actions, AGENTCORE_SEND_HEARTBEAT);
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(HB_MS) + 1).actions, 0, "one per interval");
    agentcore_on_message(&c, PROTO_HEARTBEAT, 0, T0 + MS(1500));
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(2 * HB_MS)).actions, AGENTCORE_SEND_HEARTBEAT);
}

Test(agentcore, no_hello_while_the_link_is_down) {
    agentcore_t c = s_waiting();
    agentcore_set_link(&c, false);
    cr_expect_eq(agentcore_on_time(&c, T0).actions, 0);
    agentcore_set_link(&c, true);
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(HB_MS)).actions, AGENTCORE_SEND_HELLO);
}

Test(agentcore, warns_when_no_master_answers_at_doubling_gaps) {
    agentcore_t c = s_waiting();
    uint64_t warned[4];
    int n = 0;
    for (uint64_t t = T0; t <= T0 + MS(40000) && n < 4; t += MS(HB_MS)) {
        agentcore_out_t out = agentcore_on_time(&c, t);
        if (out.actions & AGENTCORE_WARN_UNANSWERED) {
            cr_expect_eq(out.waited_ms, (t - T0) / 1000u);
            warned[n++] = (t - T0) / 1000u;
        }
    }
    cr_assert_eq(n, 3);
    cr_expect_eq(warned[0], AGENT_NO_MASTER_WARN_MS);
    cr_expect_eq(warned[1], 3 * AGENT_NO_MASTER_WARN_MS);
    cr_expect_eq(warned[2], 7 * AGENT_NO_MASTER_WARN_MS);
}

Test(agentcore, master_silent_during_a_run_drops_it_and_waits_for_a_master) {
    agentcore_t c = s_running(7);
    /* Heartbeats go on while the master is silent, until the timeout. */
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(LOST_MS - 1)).actions, AGENTCORE_SEND_HEARTBEAT);
    cr_expect_eq(agentcore_next_us(&c), T0 + MS(LOST_MS), "looks again when it runs out");
    agentcore_out_t out = agentcore_on_time(&c, T0 + MS(LOST_MS));
    cr_expect_eq(out.note, AGENTCORE_NOTE_MASTER_LOST);
    cr_expect_eq(out.actions, AGENTCORE_DROP_RUN | AGENTCORE_SEND_HELLO,
                 "stop firing at once, hello again");
    cr_expect_eq(c.state, AGENTCORE_WAITING);
    cr_expect_eq(c.run_id, 0);
    /* A STOP of the dropped run from a master that comes back is ignored. */
    out = agentcore_on_message(&c, PROTO_STOP, 7, T0 + MS(LOST_MS + 10));
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_NOT_JOINED);
    cr_expect_eq(agentcore_on_time(&c, T0 + MS(LOST_MS + HB_MS)).actions, AGENTCORE_SEND_HELLO);
}

Test(agentcore, any_message_keeps_the_master_alive) {
    agentcore_t c = s_running(7);
    agentcore_on_message(&c, PROTO_HEARTBEAT, 0, T0 + MS(LOST_MS - 100));
    agentcore_out_t out = agentcore_on_time(&c, T0 + MS(LOST_MS));
    cr_expect_eq(out.actions & AGENTCORE_DROP_RUN, 0);
    cr_expect_eq(c.state, AGENTCORE_RUNNING);
    cr_expect_eq(agentcore_next_us(&c), T0 + MS(LOST_MS + HB_MS));
}

Test(agentcore, master_silent_when_idle_goes_back_to_hello) {
    agentcore_t c = s_idle();
    agentcore_out_t out = agentcore_on_time(&c, T0 + MS(LOST_MS));
    cr_expect_eq(out.note, AGENTCORE_NOTE_MASTER_LOST);
    cr_expect_eq(out.actions, AGENTCORE_SEND_HELLO, "nothing to drop");
    cr_expect_eq(c.state, AGENTCORE_WAITING);
}

Test(agentcore, master_silent_while_waiting_changes_nothing) {
    agentcore_t c = s_waiting();
    agentcore_out_t out = agentcore_on_time(&c, T0 + MS(10 * LOST_MS));
    cr_expect_eq(out.note, AGENTCORE_NOTE_NONE);
    cr_expect_eq(out.actions & AGENTCORE_SEND_HELLO, AGENTCORE_SEND_HELLO);
}

Test(agentcore, run_only_after_welcome) {
    agentcore_t c = s_waiting();
    agentcore_out_t out = agentcore_on_message(&c, PROTO_RUN, 3, T0);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_NOT_JOINED);
    cr_expect_eq(c.state, AGENTCORE_WAITING);
}

Test(agentcore, run_when_idle_starts_it) {
    agentcore_t c = s_running(3);
    cr_expect_eq(c.state, AGENTCORE_RUNNING);
    cr_expect_eq(c.run_id, 3);
}

Test(agentcore, run_refused_goes_back_to_idle) {
    agentcore_t c = s_running(3);
    agentcore_on_run_refused(&c);
    cr_expect_eq(c.state, AGENTCORE_IDLE);
    cr_expect_eq(agentcore_on_message(&c, PROTO_RUN, 4, T0).actions, AGENTCORE_START_RUN);
}

Test(agentcore, second_run_replaces_the_first) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_RUN, 4, T0 + 1);
    cr_expect_eq(out.actions, AGENTCORE_DROP_RUN | AGENTCORE_START_RUN);
    cr_expect_eq(out.note, AGENTCORE_NOTE_RUN_REPLACED);
    cr_expect_eq(c.run_id, 4);
    cr_expect_eq(c.state, AGENTCORE_RUNNING);
}

Test(agentcore, same_run_again_is_a_duplicate) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_RUN, 3, T0 + 1);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_DUPLICATE_RUN);
    agentcore_on_message(&c, PROTO_STOP, 3, T0 + 2);
    out = agentcore_on_message(&c, PROTO_RUN, 3, T0 + 3);
    cr_expect_eq(out.actions, 0, "not while it drains either");
}

Test(agentcore, run_while_stopping_replaces_the_draining_run) {
    agentcore_t c = s_running(3);
    agentcore_on_message(&c, PROTO_STOP, 3, T0 + 1);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_RUN, 4, T0 + 2);
    cr_expect_eq(out.actions, AGENTCORE_DROP_RUN | AGENTCORE_START_RUN);
    cr_expect_eq(c.state, AGENTCORE_RUNNING);
}

Test(agentcore, stop_drains_then_run_done_is_idle) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_STOP, 3, T0 + 1);
    cr_expect_eq(out.actions, AGENTCORE_STOP_RUN);
    cr_expect_eq(c.state, AGENTCORE_STOPPING);
    cr_expect_eq(agentcore_on_message(&c, PROTO_STOP, 3, T0 + 2).actions, 0, "idempotent");
    out = agentcore_on_run_done(&c);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(c.state, AGENTCORE_IDLE);
}

Test(agentcore, stop_for_another_run_is_ignored) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_STOP, 2, T0 + 1);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_OTHER_RUN);
    cr_expect_eq(c.state, AGENTCORE_RUNNING);
    c = s_idle();
    out = agentcore_on_message(&c, PROTO_STOP, 2, T0 + 1);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_OTHER_RUN);
}

Test(agentcore, users_for_this_run_rebalance_it) {
    agentcore_t c = s_running(3);
    cr_expect_eq(agentcore_on_message(&c, PROTO_USERS, 3, T0 + 1).actions, AGENTCORE_SET_USERS);
}

Test(agentcore, users_for_another_run_or_when_stopping_are_ignored) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_USERS, 9, T0 + 1);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_OTHER_RUN);
    agentcore_on_message(&c, PROTO_STOP, 3, T0 + 2);
    cr_expect_eq(agentcore_on_message(&c, PROTO_USERS, 3, T0 + 3).actions, 0);
    c = s_idle();
    cr_expect_eq(agentcore_on_message(&c, PROTO_USERS, 3, T0 + 3).actions, 0);
}

Test(agentcore, run_ends_by_itself_then_idle) {
    agentcore_t c = s_running(3); /* the engine's self-stop: no STOP came */
    cr_expect_eq(agentcore_on_run_done(&c).actions, 0);
    cr_expect_eq(c.state, AGENTCORE_IDLE);
    cr_expect_eq(c.run_id, 0);
}

Test(agentcore, quit_when_idle_or_waiting_exits) {
    agentcore_t c = s_idle();
    agentcore_out_t out = agentcore_on_message(&c, PROTO_QUIT, 0, T0);
    cr_expect_eq(out.actions, AGENTCORE_EXIT);
    cr_expect_eq(out.exit_code, AGENT_EXIT_OK);
    c = s_waiting();
    cr_expect_eq(agentcore_on_message(&c, PROTO_QUIT, 0, T0).actions, AGENTCORE_EXIT);
}

Test(agentcore, quit_while_running_stops_then_exits) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_QUIT, 0, T0 + 1);
    cr_expect_eq(out.actions, AGENTCORE_STOP_RUN);
    cr_expect_eq(out.note, AGENTCORE_NOTE_QUIT);
    cr_expect_eq(agentcore_on_message(&c, PROTO_RUN, 4, T0 + 2).actions, 0,
                 "no new run once quitting");
    out = agentcore_on_run_done(&c);
    cr_expect_eq(out.actions, AGENTCORE_EXIT);
    cr_expect_eq(out.exit_code, AGENT_EXIT_OK);
}

Test(agentcore, quit_while_stopping_waits_for_the_final) {
    agentcore_t c = s_running(3);
    agentcore_on_message(&c, PROTO_STOP, 3, T0 + 1);
    cr_expect_eq(agentcore_on_message(&c, PROTO_QUIT, 0, T0 + 2).actions, 0);
    cr_expect_eq(agentcore_on_run_done(&c).actions, AGENTCORE_EXIT);
}

Test(agentcore, master_lost_while_quitting_exits) {
    agentcore_t c = s_running(3);
    agentcore_on_message(&c, PROTO_QUIT, 0, T0);
    agentcore_out_t out = agentcore_on_time(&c, T0 + MS(LOST_MS));
    cr_expect_eq(out.actions, AGENTCORE_DROP_RUN | AGENTCORE_EXIT);
}

Test(agentcore, reject_exits_with_a_runtime_error) {
    agentcore_t c = s_waiting();
    agentcore_out_t out = agentcore_on_message(&c, PROTO_REJECT, 0, T0);
    cr_expect_eq(out.actions, AGENTCORE_EXIT);
    cr_expect_eq(out.exit_code, AGENT_EXIT_RUNTIME);
    cr_expect_eq(out.note, AGENTCORE_NOTE_REFUSED);
    c = s_running(3);
    out = agentcore_on_message(&c, PROTO_REJECT, 0, T0);
    cr_expect_eq(out.actions, AGENTCORE_DROP_RUN | AGENTCORE_EXIT);
}

Test(agentcore, signal_stops_the_run_and_a_second_one_exits_at_once) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_signal(&c, T0);
    cr_expect_eq(out.actions, AGENTCORE_STOP_RUN);
    cr_expect_eq(c.state, AGENTCORE_STOPPING);
    out = agentcore_on_signal(&c, T0 + AGENTCORE_SIGNAL_ECHO_MS * 1000ull);
    cr_expect_eq(out.actions, AGENTCORE_DROP_RUN | AGENTCORE_EXIT);
    c = s_idle();
    cr_expect_eq(agentcore_on_signal(&c, T0).actions, AGENTCORE_EXIT);
}

/* kill -TERM -- -PGID reaches a --processes child directly and again through its parent:
 * one stop, whose drain and FINAL must not be cut short. */
Test(agentcore, a_signal_echoed_within_a_second_is_the_same_stop) {
    agentcore_t c = s_running(3);
    cr_expect_eq(agentcore_on_signal(&c, T0).actions, AGENTCORE_STOP_RUN);
    agentcore_out_t out = agentcore_on_signal(&c, T0 + 2000);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_SIGNAL_ECHO);
    cr_expect_eq(c.state, AGENTCORE_STOPPING);
    out = agentcore_on_signal(&c, T0 + AGENTCORE_SIGNAL_ECHO_MS * 1000ull - 1);
    cr_expect_eq(out.actions, 0);
    /* The window counts from the first signal of the pair, so a third, later one exits. */
    out = agentcore_on_signal(&c, T0 + AGENTCORE_SIGNAL_ECHO_MS * 1000ull);
    cr_expect_eq(out.actions, AGENTCORE_DROP_RUN | AGENTCORE_EXIT);
    /* The drain's own end still exits after an echo. */
    c = s_running(3);
    agentcore_on_signal(&c, T0);
    agentcore_on_signal(&c, T0 + 10);
    cr_expect_eq(agentcore_on_run_done(&c).actions, AGENTCORE_EXIT);
}

Test(agentcore, signal_while_stopping_waits_for_the_final) {
    agentcore_t c = s_running(3);
    agentcore_on_message(&c, PROTO_STOP, 3, T0);
    cr_expect_eq(agentcore_on_signal(&c, T0).actions, 0);
    cr_expect_eq(agentcore_on_run_done(&c).actions, AGENTCORE_EXIT);
}

Test(agentcore, unexpected_types_are_noted_and_dropped) {
    agentcore_t c = s_running(3);
    agentcore_out_t out = agentcore_on_message(&c, PROTO_STATS, 0, T0);
    cr_expect_eq(out.actions, 0);
    cr_expect_eq(out.note, AGENTCORE_NOTE_UNEXPECTED);
    cr_expect_eq(c.state, AGENTCORE_RUNNING);
}

Test(agentcore, state_names) {
    cr_expect_str_eq(agentcore_state_name(AGENTCORE_WAITING), "waiting");
    cr_expect_str_eq(agentcore_state_name(AGENTCORE_STOPPING), "stopping");
}
