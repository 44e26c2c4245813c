/* loop: epoll + timerfd event loop with an embedded-timer min-heap. */
#include "worker/loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"

typedef struct {
    loop_fd_cb cb;
    void *arg;
    uint32_t events; /* what the epoll set holds for it, when used */
    bool used;       /* in the epoll set (as far as we know) */
    bool parked;     /* in the set, but nobody wants its events */
    bool adopted;    /* its owner calls loop_forget before closing it */
} fd_slot_t;

struct loop {
    int epfd;
    int tfd;
    uint64_t armed_us; /* deadline the timerfd is set to; 0 = disarmed */
    fd_slot_t *fds;    /* indexed by fd */
    size_t fds_len;
    loop_timer_t **heap;
    size_t heap_len, heap_cap;
    bool stop;
    uint64_t lag_max_us; /* how late a timer fired, at most, since loop_take_lag_us */
    char error[256]; /* the last failure, for loop_error */
};

/* Text of a failed system call: "call(what): strerror (file:line)". */
static void s_format(char *out, size_t out_bytes, const char *call, const char *what, int errnum,
                     int line) {
    snprintf(out, out_bytes, "%s%s%s%s: %s (%s:%d)", call, what ? "(" : "", what ? what : "",
             what ? ")" : "", strerror(errnum), __FILE__, line);
}

/* Records a failed call for loop_error; returns -1. */
static int s_fail(loop_t *l, const char *call, const char *what, int errnum, int line) {
    s_format(l->error, sizeof l->error, call, what, errnum, line);
    return -1;
}

/* loop_new's failures: *err gets the text (NULL: it is dropped). */
static loop_t *s_new_failed(char **err, const char *call, int errnum, int line) {
    if (err) {
        char text[256];
        s_format(text, sizeof text, call, NULL, errnum, line);
        *err = xstrdup(text);
    }
    return NULL;
}

const char *loop_error(const loop_t *l) {
    return l->error;
}

loop_t *loop_new(char **err) {
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) return s_new_failed(err, "epoll_create1", errno, __LINE__);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (tfd < 0) {
        int errnum = errno;
        close(epfd); /* nothing in it yet: its close cannot lose anything */
        return s_new_failed(err, "timerfd_create", errnum, __LINE__);
    }
    loop_t *l = xcalloc(1, sizeof *l);
    l->epfd = epfd;
    l->tfd = tfd;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = tfd};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &ev) != 0) {
        int errnum = errno;
        loop_destroy(&l);
        return s_new_failed(err, "epoll_ctl(EPOLL_CTL_ADD, timerfd)", errnum, __LINE__);
    }
    return l;
}

void loop_destroy(loop_t **loop) {
    if (!loop || !*loop) return;
    loop_t *l = *loop;
    /* Nobody to return to: a failed close is said here (it loses nothing of ours). */
    if (close(l->tfd) != 0) {
        log_warn("close(timerfd): %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
    }
    if (close(l->epfd) != 0) {
        log_warn("close(epoll fd): %s (%s:%d)", strerror(errno), __FILE__, __LINE__);
    }
    free(l->fds);
    free(l->heap);
    free(l);
    *loop = NULL;
}

static void s_grow(loop_t *l, int fd) {
    if ((size_t)fd >= l->fds_len) {
        size_t n = l->fds_len ? l->fds_len : 64;
        while (n <= (size_t)fd) n *= 2;
        l->fds = xrealloc(l->fds, n * sizeof *l->fds);
        memset(l->fds + l->fds_len, 0, (n - l->fds_len) * sizeof *l->fds);
        l->fds_len = n;
    }
}

int loop_watch(loop_t *l, int fd, uint32_t events, loop_fd_cb cb, void *arg) {
    if (fd < 0) return -1;
    s_grow(l, fd);
    fd_slot_t *slot = &l->fds[fd];
    /* The common case — curl resuming a parked keep-alive socket for the same
     * events — needs no system call. Only for adopted fds: one closed behind
     * our back could have come back as a new fd that is not in the set. */
    if (slot->used && slot->adopted && slot->events == events) {
        slot->cb = cb;
        slot->arg = arg;
        slot->parked = false;
        return 0;
    }
    struct epoll_event ev = {.events = events, .data.fd = fd};
    int op = slot->used ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int rc = epoll_ctl(l->epfd, op, fd, &ev);
    /* A parked fd that was closed and whose number came back is no longer in the set. */
    if (rc != 0 && op == EPOLL_CTL_MOD && errno == ENOENT) {
        rc = epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev);
    }
    if (rc != 0) {
        int errnum = errno;
        slot->used = false;
        char what[48];
        snprintf(what, sizeof what, "%s, fd %d",
                 op == EPOLL_CTL_MOD ? "EPOLL_CTL_MOD" : "EPOLL_CTL_ADD", fd);
        return s_fail(l, "epoll_ctl", what, errnum, __LINE__);
    }
    bool adopted = slot->adopted;
    *slot = (fd_slot_t){.cb = cb, .arg = arg, .events = events, .used = true, .adopted = adopted};
    return 0;
}

void loop_adopt(loop_t *l, int fd) {
    if (fd < 0) return;
    s_grow(l, fd);
    /* Whatever an earlier fd of this number left behind is stale now. */
    l->fds[fd] = (fd_slot_t){.adopted = true};
}

void loop_forget(loop_t *l, int fd) {
    /* Closing the fd takes it out of the epoll set: no system call needed. */
    if (fd >= 0 && (size_t)fd < l->fds_len) l->fds[fd] = (fd_slot_t){0};
}

void loop_park(loop_t *l, int fd) {
    if (fd >= 0 && (size_t)fd < l->fds_len && l->fds[fd].used) l->fds[fd].parked = true;
}

int loop_unwatch(loop_t *l, int fd) {
    if (fd < 0 || (size_t)fd >= l->fds_len || !l->fds[fd].used) return -1;
    l->fds[fd].used = false;
    l->fds[fd].parked = false; /* still adopted, if it was: its owner will forget it */
    /* The fd may already be closed (curl closes before telling us: EBADF), or
     * its number taken by a file that is not in the set (ENOENT): it is out
     * of the set either way. */
    if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL) != 0 && errno != EBADF && errno != ENOENT) {
        char what[48];
        snprintf(what, sizeof what, "EPOLL_CTL_DEL, fd %d", fd);
        return s_fail(l, "epoll_ctl", what, errno, __LINE__);
    }
    return 0;
}

/* --- timer heap (1-based heap_index stored in each timer) --- */

static void s_heap_set(loop_t *l, size_t i, loop_timer_t *t) {
    l->heap[i] = t;
    t->heap_index = i + 1;
}

static void s_sift_up(loop_t *l, size_t i) {
    loop_timer_t *t = l->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (l->heap[parent]->when_us <= t->when_us) break;
        s_heap_set(l, i, l->heap[parent]);
        i = parent;
    }
    s_heap_set(l, i, t);
}

static void s_sift_down(loop_t *l, size_t i) {
    loop_timer_t *t = l->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= l->heap_len) break;
        if (c + 1 < l->heap_len && l->heap[c + 1]->when_us < l->heap[c]->when_us) c++;
        if (l->heap[c]->when_us >= t->when_us) break;
        s_heap_set(l, i, l->heap[c]);
        i = c;
    }
    s_heap_set(l, i, t);
}

void loop_timer_init(loop_timer_t *t, loop_timer_cb cb, void *arg) {
    *t = (loop_timer_t){.cb = cb, .arg = arg};
}

bool loop_timer_armed(const loop_timer_t *t) {
    return t->heap_index != 0;
}

void loop_timer_stop(loop_t *l, loop_timer_t *t) {
    if (!t->heap_index) return;
    size_t i = t->heap_index - 1;
    t->heap_index = 0;
    loop_timer_t *last = l->heap[--l->heap_len];
    if (i == l->heap_len) return;
    s_heap_set(l, i, last);
    s_sift_up(l, i);
    s_sift_down(l, last->heap_index - 1);
}

void loop_timer_start(loop_t *l, loop_timer_t *t, uint64_t when_us) {
    loop_timer_stop(l, t);
    if (l->heap_len == l->heap_cap) {
        l->heap_cap = l->heap_cap ? l->heap_cap * 2 : 64;
        l->heap = xrealloc(l->heap, l->heap_cap * sizeof *l->heap);
    }
    t->when_us = when_us;
    l->heap[l->heap_len++] = t;
    s_sift_up(l, l->heap_len - 1);
}

/* Points the timerfd at the earliest timer, touching it only when that changed. */
static int s_arm(loop_t *l) {
    uint64_t want = l->heap_len ? l->heap[0]->when_us : 0;
    if (want == l->armed_us) return 0;
    struct itimerspec its = {0};
    if (want) {
        its.it_value.tv_sec = (time_t)(want / 1000000u);
        its.it_value.tv_nsec = (long)(want % 1000000u) * 1000;
    }
    if (timerfd_settime(l->tfd, TFD_TIMER_ABSTIME, &its, NULL) != 0) {
        return s_fail(l, "timerfd_settime", NULL, errno, __LINE__);
    }
    l->armed_us = want;
    return 0;
}

static int s_fire_due(loop_t *l, bool tfd_fired) {
    if (tfd_fired) {
        uint64_t drained;
        /* EAGAIN: a timer re-armed since the wake already took the expiry away. */
        if (read(l->tfd, &drained, sizeof drained) < 0 && errno != EAGAIN) {
            return s_fail(l, "read", "timerfd", errno, __LINE__);
        }
        l->armed_us = 0; /* a one-shot timerfd is disarmed once it fires */
    }
    uint64_t now = clock_now_us();
    /* A timer started by a callback for "now" runs on the next round, not in this one. */
    size_t budget = l->heap_len;
    while (l->heap_len && l->heap[0]->when_us <= now && budget--) {
        loop_timer_t *t = l->heap[0];
        if (now - t->when_us > l->lag_max_us) l->lag_max_us = now - t->when_us;
        loop_timer_stop(l, t);
        t->cb(l, t->arg);
    }
    return 0;
}

int loop_run_once(loop_t *l) {
    if (s_arm(l) != 0) return -1;
    struct epoll_event evs[256];
    /* A timer already due makes the wait non-blocking. */
    int wait_ms = (l->heap_len && l->heap[0]->when_us <= clock_now_us()) ? 0 : -1;
    int n = epoll_wait(l->epfd, evs, 256, wait_ms);
    if (n < 0) {
        if (errno == EINTR) return 0;
        return s_fail(l, "epoll_wait", NULL, errno, __LINE__);
    }
    bool tfd_fired = false;
    for (int i = 0; i < n; i++) {
        int fd = evs[i].data.fd;
        if (fd == l->tfd) {
            tfd_fired = true;
            continue;
        }
        if ((size_t)fd >= l->fds_len || !l->fds[fd].used) continue;
        if (l->fds[fd].parked) {
            /* An idle parked socket stirred: drop it for real (left in the
             * set, it would wake every round). */
            if (loop_unwatch(l, fd) != 0) return -1;
        } else {
            l->fds[fd].cb(l, fd, evs[i].events, l->fds[fd].arg);
        }
    }
    return s_fire_due(l, tfd_fired);
}

int loop_run(loop_t *l) {
    l->stop = false;
    while (!l->stop) {
        if (loop_run_once(l) != 0) return -1;
    }
    return 0;
}

void loop_stop(loop_t *l) {
    l->stop = true;
}

uint64_t loop_take_lag_us(loop_t *l) {
    uint64_t lag = l->lag_max_us;
    l->lag_max_us = 0;
    return lag;
}
