/* test_loop: the worker's epoll + timerfd loop — timer order, stop/re-arm,
 * fd watching and loop_stop (worker/loop.h). Every run is bounded by a guard timer
 * or by the suite's alarm. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/rng.h"
#include "worker/loop.h"

/* A hung test dies by SIGALRM (reported as a crash) instead of stalling the suite.
 * (Not Criterion's .timeout: with --jobs 2 its runner leaks under LeakSanitizer.) */
static void s_bound(void) {
    alarm(30);
}

TestSuite(loop, .init = s_bound);

/* A timer that logs when it fired, for order checks. */
typedef struct {
    loop_timer_t timer;
    int id;
    uint64_t deadline_us;
    uint64_t fired_at_us;
    int fired;
} probe_t;

/* Shared firing log: ids in the order the callbacks ran. */
typedef struct {
    int *order;
    size_t n, want;
} log_t;

static log_t s_log;

static void s_on_probe(loop_t *loop, void *arg) {
    probe_t *p = arg;
    cr_assert_not(loop_timer_armed(&p->timer), "a timer is disarmed before its callback runs");
    p->fired++;
    p->fired_at_us = clock_now_us();
    if (s_log.order) s_log.order[s_log.n] = p->id;
    s_log.n++;
    if (s_log.n == s_log.want) loop_stop(loop);
}

static void s_on_stop(loop_t *loop, void *arg) {
    (void)arg;
    loop_stop(loop);
}

/* Arms a timer that ends loop_run after ms milliseconds: every run is bounded. */
static void s_guard(loop_t *loop, loop_timer_t *guard, uint64_t ms) {
    loop_timer_init(guard, s_on_stop, NULL);
    loop_timer_start(loop, guard, clock_now_us() + ms * 1000);
}

Test(loop, new_and_destroy) {
    loop_t *loop = loop_new(NULL);
    cr_assert_not_null(loop);
    loop_destroy(&loop);
    cr_expect_null(loop);
    loop_destroy(&loop); /* NULL is fine */
    loop_destroy(NULL);
}

Test(loop, timer_init_start_stop_armed) {
    loop_t *loop = loop_new(NULL);
    probe_t p = {0};
    loop_timer_init(&p.timer, s_on_probe, &p);
    cr_expect_not(loop_timer_armed(&p.timer));
    loop_timer_start(loop, &p.timer, clock_now_us() + 1000000);
    cr_expect(loop_timer_armed(&p.timer));
    loop_timer_stop(loop, &p.timer);
    cr_expect_not(loop_timer_armed(&p.timer));
    loop_timer_stop(loop, &p.timer); /* stopping a disarmed timer is a no-op */
    cr_expect_not(loop_timer_armed(&p.timer));
    loop_destroy(&loop);
}

Test(loop, timers_fire_in_deadline_order) {
    loop_t *loop = loop_new(NULL);
    int order[3];
    s_log = (log_t){.order = order, .want = 3};
    uint64_t now = clock_now_us();
    probe_t p[3] = {{.id = 0}, {.id = 1}, {.id = 2}};
    uint64_t offsets_ms[3] = {30, 10, 20};
    for (int i = 0; i < 3; i++) {
        loop_timer_init(&p[i].timer, s_on_probe, &p[i]);
        p[i].deadline_us = now + offsets_ms[i] * 1000;
        loop_timer_start(loop, &p[i].timer, p[i].deadline_us);
    }
    cr_assert_eq(loop_run(loop), 0);
    cr_assert_eq(s_log.n, 3);
    cr_expect_eq(order[0], 1);
    cr_expect_eq(order[1], 2);
    cr_expect_eq(order[2], 0);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(p[i].fired, 1);
        cr_expect_geq(p[i].fired_at_us, p[i].deadline_us, "timer %d fired early", i);
    }
    loop_destroy(&loop);
}

Test(loop, stopped_timer_does_not_fire) {
    loop_t *loop = loop_new(NULL);
    s_log = (log_t){0};
    probe_t p = {0};
    loop_timer_t guard;
    loop_timer_init(&p.timer, s_on_probe, &p);
    loop_timer_start(loop, &p.timer, clock_now_us() + 10000);
    s_guard(loop, &guard, 60);
    loop_timer_stop(loop, &p.timer);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(p.fired, 0);
    loop_destroy(&loop);
}

Test(loop, restart_moves_the_deadline) {
    loop_t *loop = loop_new(NULL);
    s_log = (log_t){.want = 1};
    probe_t p = {0};
    loop_timer_init(&p.timer, s_on_probe, &p);
    uint64_t start = clock_now_us();
    loop_timer_start(loop, &p.timer, start + 5 * 1000000); /* 5 s ... */
    loop_timer_start(loop, &p.timer, start + 10000);       /* ... re-armed to 10 ms */
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(p.fired, 1);
    cr_expect_lt(p.fired_at_us - start, 2000000, "fired after %llu us",
                 (unsigned long long)(p.fired_at_us - start));
    loop_destroy(&loop);
}

Test(loop, restart_later_postpones) {
    loop_t *loop = loop_new(NULL);
    s_log = (log_t){.want = 1};
    probe_t p = {0};
    loop_timer_init(&p.timer, s_on_probe, &p);
    uint64_t start = clock_now_us();
    loop_timer_start(loop, &p.timer, start + 5000);
    loop_timer_start(loop, &p.timer, start + 80000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(p.fired, 1);
    cr_expect_geq(p.fired_at_us, start + 80000);
    loop_destroy(&loop);
}

/* A periodic timer: the callback re-arms its own timer. */
typedef struct {
    loop_timer_t timer;
    int ticks;
} ticker_t;

static void s_on_tick(loop_t *loop, void *arg) {
    ticker_t *t = arg;
    if (++t->ticks == 5) {
        loop_stop(loop);
        return;
    }
    loop_timer_start(loop, &t->timer, clock_now_us() + 2000);
}

Test(loop, callback_may_rearm_its_own_timer) {
    loop_t *loop = loop_new(NULL);
    ticker_t t = {0};
    loop_timer_init(&t.timer, s_on_tick, &t);
    loop_timer_start(loop, &t.timer, clock_now_us() + 2000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(t.ticks, 5);
    cr_expect_not(loop_timer_armed(&t.timer));
    loop_destroy(&loop);
}

/* A timer started by a callback for "now" runs in the next round, not the current one. */
typedef struct {
    loop_timer_t first, second;
    int first_fired, second_fired;
} chain_t;

static void s_on_second(loop_t *loop, void *arg) {
    (void)loop;
    ((chain_t *)arg)->second_fired++;
}

static void s_on_first(loop_t *loop, void *arg) {
    chain_t *c = arg;
    c->first_fired++;
    loop_timer_start(loop, &c->second, clock_now_us());
}

Test(loop, timer_started_for_now_runs_on_the_next_round) {
    loop_t *loop = loop_new(NULL);
    chain_t c = {0};
    loop_timer_init(&c.first, s_on_first, &c);
    loop_timer_init(&c.second, s_on_second, &c);
    loop_timer_start(loop, &c.first, clock_now_us());
    cr_assert_eq(loop_run_once(loop), 0);
    cr_expect_eq(c.first_fired, 1);
    cr_expect_eq(c.second_fired, 0);
    cr_assert_eq(loop_run_once(loop), 0);
    cr_expect_eq(c.second_fired, 1);
    loop_destroy(&loop);
}

Test(loop, past_deadline_fires_at_once) {
    loop_t *loop = loop_new(NULL);
    s_log = (log_t){0};
    probe_t p = {0};
    loop_timer_init(&p.timer, s_on_probe, &p);
    loop_timer_start(loop, &p.timer, 1); /* long ago on CLOCK_MONOTONIC */
    cr_assert_eq(loop_run_once(loop), 0);
    cr_expect_eq(p.fired, 1);
    loop_destroy(&loop);
}

static int s_cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

Test(loop, ten_thousand_random_timers_fire_sorted) {
    enum { N = 10000 };
    loop_t *loop = loop_new(NULL);
    probe_t *p = calloc(N, sizeof *p);
    int *order = calloc(N, sizeof *order);
    uint64_t *sorted = calloc(N, sizeof *sorted);
    s_log = (log_t){.order = order, .want = N};
    rng_t r;
    rng_seed(&r, 10000);
    uint64_t now = clock_now_us();
    for (int i = 0; i < N; i++) {
        p[i].id = i;
        p[i].deadline_us = now + 1000 + rng_range(&r, 0, 200000); /* within 200 ms */
        sorted[i] = p[i].deadline_us;
        loop_timer_init(&p[i].timer, s_on_probe, &p[i]);
        loop_timer_start(loop, &p[i].timer, p[i].deadline_us);
    }
    qsort(sorted, N, sizeof *sorted, s_cmp_u64);
    cr_assert_eq(loop_run(loop), 0);
    cr_assert_eq(s_log.n, N);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(p[order[i]].deadline_us, sorted[i], "firing %d out of order", i);
        cr_assert_eq(p[order[i]].fired, 1);
        cr_assert_geq(p[order[i]].fired_at_us, p[order[i]].deadline_us);
    }
    free(sorted);
    free(order);
    free(p);
    loop_destroy(&loop);
}

Test(loop, stopping_random_timers_keeps_the_heap_sorted) {
    enum { N = 5000 };
    loop_t *loop = loop_new(NULL);
    probe_t *p = calloc(N, sizeof *p);
    int *order = calloc(N, sizeof *order);
    rng_t r;
    rng_seed(&r, 5000);
    uint64_t now = clock_now_us();
    for (int i = 0; i < N; i++) {
        p[i].id = i;
        p[i].deadline_us = now + 1000 + rng_range(&r, 0, 100000);
        loop_timer_init(&p[i].timer, s_on_probe, &p[i]);
        loop_timer_start(loop, &p[i].timer, p[i].deadline_us);
    }
    /* Stop about half (from anywhere in the heap) and re-arm a quarter to new deadlines. */
    size_t live = 0;
    for (int i = 0; i < N; i++) {
        uint64_t dice = rng_range(&r, 0, 3);
        if (dice < 2) {
            loop_timer_stop(loop, &p[i].timer);
            p[i].deadline_us = 0;
        } else if (dice == 2) {
            p[i].deadline_us = now + 1000 + rng_range(&r, 0, 100000);
            loop_timer_start(loop, &p[i].timer, p[i].deadline_us);
        }
        live += loop_timer_armed(&p[i].timer);
    }
    s_log = (log_t){.order = order, .want = live};
    loop_timer_t guard;
    s_guard(loop, &guard, 5000);
    cr_assert_eq(loop_run(loop), 0);
    cr_assert_eq(s_log.n, live);
    for (size_t i = 1; i < live; i++) {
        cr_assert_leq(p[order[i - 1]].deadline_us, p[order[i]].deadline_us, "firing %zu", i);
    }
    for (int i = 0; i < N; i++) cr_assert_eq(p[i].fired, p[i].deadline_us ? 1 : 0, "timer %d", i);
    free(order);
    free(p);
    loop_destroy(&loop);
}

/* --- file descriptors --- */

typedef struct {
    int calls;
    int fd;
    uint32_t events;
    void *arg;
    char byte;
} fd_probe_t;

static void s_on_readable(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)loop;
    fd_probe_t *fp = arg;
    fp->calls++;
    fp->fd = fd;
    fp->events = events;
    fp->arg = arg;
    if (events & EPOLLIN) cr_assert_eq(read(fd, &fp->byte, 1), 1);
}

static void s_on_readable_stop(loop_t *loop, int fd, uint32_t events, void *arg) {
    s_on_readable(loop, fd, events, arg);
    loop_stop(loop);
}

Test(loop, watched_pipe_delivers_epollin) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    cr_assert_eq(write(fds[1], "x", 1), 1);
    cr_assert_eq(loop_run_once(loop), 0);
    cr_expect_eq(fp.calls, 1);
    cr_expect_eq(fp.fd, fds[0]);
    cr_expect(fp.events & EPOLLIN);
    cr_expect_eq(fp.arg, &fp);
    cr_expect_eq(fp.byte, 'x');
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, unwatch_stops_delivery) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    cr_assert_eq(loop_unwatch(loop, fds[0]), 0);
    cr_expect_eq(loop_unwatch(loop, fds[0]), -1, "already unwatched");
    cr_assert_eq(write(fds[1], "x", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 50);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 0);
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, unwatch_of_unknown_fd_fails) {
    loop_t *loop = loop_new(NULL);
    cr_expect_eq(loop_unwatch(loop, 3), -1);
    cr_expect_eq(loop_unwatch(loop, 100000), -1);
    cr_expect_eq(loop_unwatch(loop, -1), -1);
    loop_destroy(&loop);
}

Test(loop, watch_of_bad_fd_fails) {
    loop_t *loop = loop_new(NULL);
    fd_probe_t fp = {0};
    cr_expect_eq(loop_watch(loop, -1, EPOLLIN, s_on_readable, &fp), -1);
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    close(fds[0]);
    close(fds[1]);
    cr_expect_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), -1, "closed fd");
    loop_destroy(&loop);
}

Test(loop, watch_again_replaces_callback_and_events) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t first = {0}, second = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &first), 0);
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &second), 0);
    cr_assert_eq(write(fds[1], "y", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 5000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(first.calls, 0);
    cr_expect_eq(second.calls, 1);
    cr_expect_eq(second.byte, 'y');
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, writable_fd_delivers_epollout) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[1], EPOLLOUT, s_on_readable_stop, &fp), 0);
    loop_timer_t guard;
    s_guard(loop, &guard, 5000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    cr_expect(fp.events & EPOLLOUT);
    cr_expect_not(fp.events & EPOLLIN);
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, closed_writer_reports_hangup) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &fp), 0);
    close(fds[1]);
    loop_timer_t guard;
    s_guard(loop, &guard, 5000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    cr_expect(fp.events & EPOLLHUP);
    loop_destroy(&loop);
    close(fds[0]);
}

Test(loop, high_fd_numbers_are_watched) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    int high = 700;
    cr_assert_eq(dup2(fds[0], high), high);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, high, EPOLLIN, s_on_readable_stop, &fp), 0);
    cr_assert_eq(write(fds[1], "z", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 5000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    cr_expect_eq(fp.fd, high);
    loop_destroy(&loop);
    close(high);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, destroy_does_not_close_watched_fds) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    loop_destroy(&loop);
    cr_expect_neq(fcntl(fds[0], F_GETFD), -1, "fd was closed by loop_destroy");
    close(fds[0]);
    close(fds[1]);
}

/* --- loop_run / loop_stop --- */

Test(loop, stop_from_a_timer_ends_run) {
    loop_t *loop = loop_new(NULL);
    loop_timer_t guard;
    uint64_t start = clock_now_us();
    s_guard(loop, &guard, 20);
    cr_assert_eq(loop_run(loop), 0);
    uint64_t took = clock_now_us() - start;
    cr_expect_geq(took, 20000);
    cr_expect_lt(took, 2000000);
    loop_destroy(&loop);
}

Test(loop, run_can_be_started_again_after_stop) {
    loop_t *loop = loop_new(NULL);
    s_log = (log_t){0};
    loop_timer_t guard;
    s_guard(loop, &guard, 5);
    cr_assert_eq(loop_run(loop), 0);
    probe_t p = {0};
    loop_timer_init(&p.timer, s_on_probe, &p);
    loop_timer_start(loop, &p.timer, clock_now_us() + 5000);
    s_guard(loop, &guard, 30);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(p.fired, 1, "the second run dispatched again");
    loop_destroy(&loop);
}

Test(loop, stop_from_an_fd_callback_ends_run) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &fp), 0);
    cr_assert_eq(write(fds[1], "s", 1), 1);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, parked_fd_is_not_delivered_and_is_dropped_when_it_stirs) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    loop_park(loop, fds[0]);
    cr_assert_eq(write(fds[1], "x", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 50);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 0, "a parked fd's callback is not called");
    cr_expect_eq(loop_unwatch(loop, fds[0]), -1, "it was removed for real when it stirred");
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, parked_fd_watched_again_delivers) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    loop_park(loop, fds[0]);
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &fp), 0);
    cr_assert_eq(write(fds[1], "y", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 1000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    cr_expect_eq(fp.byte, 'y');
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, parked_fd_closed_and_reused_is_watched_again) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    loop_park(loop, fds[0]);
    int old = fds[0];
    close(fds[0]); /* the kernel drops it from the epoll set */
    close(fds[1]);
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    cr_assert_eq(fds[0], old, "the lowest free number comes back");
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &fp), 0);
    cr_assert_eq(write(fds[1], "z", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 1000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    cr_expect_eq(fp.byte, 'z');
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, adopted_fd_parked_and_watched_again_delivers) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    loop_adopt(loop, fds[0]);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    loop_park(loop, fds[0]);
    /* Same events: no system call, but the new callback and a live watch. */
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &fp), 0);
    cr_assert_eq(write(fds[1], "a", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 1000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    cr_expect_eq(fp.byte, 'a');
    loop_forget(loop, fds[0]);
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, adopted_fd_forgotten_closed_and_reused_is_watched_again) {
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    loop_adopt(loop, fds[0]);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    loop_park(loop, fds[0]);
    int old = fds[0];
    loop_forget(loop, fds[0]);
    close(fds[0]);
    close(fds[1]);
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    cr_assert_eq(fds[0], old, "the lowest free number comes back");
    /* Not adopted (like curl's resolver socketpair): only loop_forget above
     * keeps the old slot from passing for this fd. */
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &fp), 0);
    cr_assert_eq(write(fds[1], "b", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 1000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1, "the new fd is in the epoll set");
    cr_expect_eq(fp.byte, 'b');
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

Test(loop, adopt_drops_what_a_closed_fd_left_behind) {
    /* An fd closed behind the loop's back (never adopted) leaves a stale
     * slot; adopting the new fd of that number must not trust it. */
    loop_t *loop = loop_new(NULL);
    int fds[2];
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    fd_probe_t fp = {0};
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable, &fp), 0);
    loop_park(loop, fds[0]);
    int old = fds[0];
    close(fds[0]);
    close(fds[1]);
    cr_assert_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    cr_assert_eq(fds[0], old);
    loop_adopt(loop, fds[0]);
    cr_assert_eq(loop_watch(loop, fds[0], EPOLLIN, s_on_readable_stop, &fp), 0);
    cr_assert_eq(write(fds[1], "c", 1), 1);
    loop_timer_t guard;
    s_guard(loop, &guard, 1000);
    cr_assert_eq(loop_run(loop), 0);
    cr_expect_eq(fp.calls, 1);
    loop_forget(loop, fds[0]);
    loop_forget(loop, -1);     /* ignored */
    loop_forget(loop, 100000); /* ignored */
    loop_adopt(loop, -1);      /* ignored */
    loop_destroy(&loop);
    close(fds[0]);
    close(fds[1]);
}

static void s_never(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)loop, (void)fd, (void)events, (void)arg;
    cr_assert_fail("a refused fd fired");
}

Test(loop, a_refused_watch_returns_the_call_and_its_reason) {
    char *err = NULL;
    loop_t *loop = loop_new(&err);
    cr_assert_not_null(loop, "%s", err);
    cr_expect_null(err, "nothing to say on success");
    cr_expect_str_eq(loop_error(loop), "", "no failure yet");
    /* epoll refuses regular files (EPERM). */
    char path[] = "/tmp/test_loop_XXXXXX";
    int file = mkstemp(path);
    cr_assert_geq(file, 0);
    unlink(path);
    cr_expect_eq(loop_watch(loop, file, EPOLLIN, s_never, NULL), -1);
    cr_expect(strstr(loop_error(loop), "epoll_ctl(EPOLL_CTL_ADD, fd ") == loop_error(loop), "%s",
              loop_error(loop));
    cr_expect(strstr(loop_error(loop), strerror(EPERM)) != NULL, "%s", loop_error(loop));
    cr_expect(strstr(loop_error(loop), "worker/loop.c:") != NULL, "%s", loop_error(loop));
    cr_expect_eq(loop_unwatch(loop, file), -1, "it was never watched");
    close(file);
    loop_destroy(&loop);
}

Test(loop, unwatching_a_closed_fd_is_fine) {
    loop_t *loop = loop_new(NULL);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(loop_watch(loop, p[0], EPOLLIN, s_never, NULL), 0);
    close(p[0]); /* curl closes its sockets before telling us */
    cr_expect_eq(loop_unwatch(loop, p[0]), 0, "%s", loop_error(loop));
    close(p[1]);
    loop_destroy(&loop);
}
