/* loop: the worker's event loop — epoll for file descriptors, one timerfd for
 * a min-heap of timers. One loop per process; not thread safe.
 *
 * Timers are embedded in their owner (loop_timer_t), so arming one never
 * allocates. File descriptors are registered with one callback each. */
#ifndef BARRAGE_WORKER_LOOP_H
#define BARRAGE_WORKER_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct loop loop_t;

/* events are EPOLLIN / EPOLLOUT / EPOLLERR / EPOLLHUP bits as epoll reports them. */
typedef void (*loop_fd_cb)(loop_t *loop, int fd, uint32_t events, void *arg);
typedef void (*loop_timer_cb)(loop_t *loop, void *arg);

typedef struct loop_timer {
    uint64_t when_us;   /* CLOCK_MONOTONIC deadline (see common/clock.h) */
    size_t heap_index;  /* position in the heap + 1; 0 when not armed */
    loop_timer_cb cb;
    void *arg;
} loop_timer_t;

/* Creates a loop; NULL if epoll or timerfd cannot be created, with *err
 * (caller frees; err may be NULL) as "call: strerror (file:line)". */
loop_t *loop_new(char **err);
/* Frees *loop (NULL allowed); fds it watches are not closed. Sets *loop = NULL. */
void loop_destroy(loop_t **loop);

/* Watches fd for events (EPOLLIN|EPOLLOUT, optionally EPOLLET), replacing any
 * earlier registration of fd. For an adopted fd already in the set for the
 * same events (parked, typically) this makes no system call. Returns 0, or
 * -1 with loop_error saying why. */
int loop_watch(loop_t *loop, int fd, uint32_t events, loop_fd_cb cb, void *arg);
/* Stops watching fd (one already closed is fine). Returns 0, or -1 if it
 * was not watched, or with loop_error if epoll refused. */
int loop_unwatch(loop_t *loop, int fd);

/* Stops delivering fd's events but leaves it in the epoll set, betting that
 * it will be watched again soon (curl parks each keep-alive socket between
 * requests): a later loop_watch for the same events then costs nothing. If
 * an event arrives while parked, the fd is removed for real and its
 * callback is not called. */
void loop_park(loop_t *loop, int fd);
/* Adopts a freshly opened fd: whatever a closed fd of the same number left
 * in the loop is dropped, and the caller promises to call loop_forget (or
 * loop_unwatch) before closing it. In return, watching it again after a
 * park costs no system call. fds that are not adopted may be closed behind
 * the loop's back (a parked one then simply leaves the set). */
void loop_adopt(loop_t *loop, int fd);
/* Forgets fd, which the caller is about to close (closing takes it out of
 * the epoll set; no system call). Unknown fds are ignored. */
void loop_forget(loop_t *loop, int fd);

/* Sets cb/arg of a timer (not armed). */
void loop_timer_init(loop_timer_t *t, loop_timer_cb cb, void *arg);
/* Arms t to fire once at when_us (re-arms if already armed). */
void loop_timer_start(loop_t *loop, loop_timer_t *t, uint64_t when_us);
/* Disarms t; no effect if not armed. */
void loop_timer_stop(loop_t *loop, loop_timer_t *t);
bool loop_timer_armed(const loop_timer_t *t);

/* How late a timer fired, at most, since the last call (the loop's lag: a
 * busy process runs its timers late); then starts counting again. */
uint64_t loop_take_lag_us(loop_t *loop);

/* Waits for and dispatches one batch of events and due timers. Returns 0, or
 * -1 with loop_error when epoll or the timerfd fail (EINTR is not a failure). */
int loop_run_once(loop_t *loop);
/* Runs until loop_stop is called. Returns 0, or -1 with loop_error. */
int loop_run(loop_t *loop);
void loop_stop(loop_t *loop);

/* Why the last call that returned -1 failed: "call(what): strerror
 * (file:line)"; "" before any failure. Library-style: the loop returns its
 * errors, its callers say them with their context. */
const char *loop_error(const loop_t *loop);

#endif
