/* server: listener, accept loop, epoll dispatch, timers and signals. */
#include "tests/target/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "tests/target/conn.h"
#include "tests/target/routes.h"
#include "tests/target/timers.h"

#define S_MAX_EVENTS 512

struct server {
    int listen_fd;
    int signal_fd;
    int spare_fd; /* kept open to be closed when accept hits EMFILE, see s_accept */
    char url[96];
    counters_t *counters; /* borrowed */
    routes_t *routes;
    timers_t *timers;
    conn_env_t env;
};

static bool s_is_loopback(const struct sockaddr *sa) {
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) ==
               127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
    return false;
}

/* Creates, binds and listens on the first address of host that works. Returns the fd or -1. */
static int s_listen(const char *host, uint16_t port, bool allow_remote) {
    char port_str[8];
    snprintf(port_str, sizeof port_str, "%u", (unsigned)port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, port_str, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "barrage: error: cannot resolve --host %s: %s\n", host, gai_strerror(rc));
        return -1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        if (!allow_remote && !s_is_loopback(ai->ai_addr)) {
            err = EADDRNOTAVAIL;
            continue;
        }
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
            log_warn("setsockopt(SO_REUSEADDR) at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 4096) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0 && err == EADDRNOTAVAIL && !allow_remote)
        fprintf(stderr, "barrage: error: --host %s: not a loopback address (pass --allow-remote)\n",
                host);
    else if (fd < 0)
        fprintf(stderr, "barrage: error: cannot listen on %s:%u: %s\n", host, (unsigned)port,
                strerror(err));
    return fd;
}

/* Fills s->url from the address the socket really got (port 0 resolved). */
static int s_fill_url(server_t *s) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len = sizeof ss;
    if (getsockname(s->listen_fd, (struct sockaddr *)&ss, &len) < 0) {
        log_error("getsockname at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
        return -1;
    }
    char addr[INET6_ADDRSTRLEN] = "";
    if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof addr);
        snprintf(s->url, sizeof s->url, "http://[%s]:%u", addr, (unsigned)ntohs(sin6->sin6_port));
    } else {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof addr);
        snprintf(s->url, sizeof s->url, "http://%s:%u", addr, (unsigned)ntohs(sin->sin_port));
    }
    return 0;
}

static int s_epoll_add(int epoll_fd, int fd, void *tag) {
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tag};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        log_error("epoll_ctl(ADD, %d) at %s:%d: %s", fd, __FILE__, __LINE__, strerror(errno));
        return -1;
    }
    return 0;
}

static int s_setup_events(server_t *s) {
    s->env.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (s->env.epoll_fd < 0) {
        log_error("epoll_create1 at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
        return -1;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    s->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (s->signal_fd < 0) {
        log_error("signalfd at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
        return -1;
    }
    s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (s->spare_fd < 0)
        log_warn("open(/dev/null) at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
    if (s_epoll_add(s->env.epoll_fd, s->listen_fd, &s->listen_fd) < 0) return -1;
    return s_epoll_add(s->env.epoll_fd, s->signal_fd, &s->signal_fd);
}

server_t *server_new(const char *host, uint16_t port, bool allow_remote, counters_t *counters) {
    server_t *s = xcalloc(1, sizeof *s);
    s->signal_fd = s->spare_fd = s->env.epoll_fd = -1;
    s->counters = counters;
    s->routes = routes_new(counters);
    s->timers = timers_new();
    s->env.routes = s->routes;
    s->env.counters = counters;
    s->env.timers = s->timers;
    s->env.malformed_id = counters_intern_key(counters, COUNTERS_MALFORMED_KEY);
    counters_intern_key(counters, COUNTERS_OTHER_KEY); /* before the key cap can be reached */
    s->listen_fd = s_listen(host, port, allow_remote);
    if (s->listen_fd < 0 || s_fill_url(s) < 0 || s_setup_events(s) < 0) {
        server_destroy(&s);
        return NULL;
    }
    return s;
}

void server_destroy(server_t **p) {
    if (!p || !*p) return;
    server_t *s = *p;
    conn_close_all(&s->env);
    if (s->listen_fd >= 0) close(s->listen_fd);
    if (s->signal_fd >= 0) close(s->signal_fd);
    if (s->spare_fd >= 0) close(s->spare_fd);
    if (s->env.epoll_fd >= 0) close(s->env.epoll_fd);
    routes_destroy(&s->routes);
    timers_destroy(&s->timers);
    free(s);
    *p = NULL;
}

const char *server_url(const server_t *s) {
    return s->url;
}

/* Out of descriptors: accept and drop one pending connection with the spare fd so the
 * level-triggered listener does not spin, and so the client sees a close, not a hang. */
static void s_shed_one(server_t *s) {
    if (s->spare_fd < 0) return;
    close(s->spare_fd);
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd >= 0) close(fd);
    s->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void s_accept(server_t *s) {
    for (;;) {
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE) {
                log_warn("accept: %s (%zu connections open): dropping one", strerror(errno),
                         s->env.live_count);
                s_shed_one(s);
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                log_warn("accept at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
            }
            return;
        }
        /* Responses are written whole: never hold them back for Nagle. */
        int one = 1;
        if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
            log_warn("setsockopt(TCP_NODELAY) at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
        conn_open(&s->env, fd);
    }
}

/* Returns true if SIGINT or SIGTERM arrived. */
static bool s_signalled(server_t *s) {
    struct signalfd_siginfo si;
    bool stop = false;
    while (read(s->signal_fd, &si, sizeof si) == (ssize_t)sizeof si) {
        log_info("received signal %u: stopping", si.ssi_signo);
        stop = true;
    }
    return stop;
}

/* epoll_wait with the timers' exact timeout (epoll_pwait2, Linux 5.11), or in whole
 * milliseconds rounded up where the kernel lacks it. */
static int s_wait(server_t *s, struct epoll_event *events, bool *precise) {
    uint64_t now_us = clock_now_us();
    if (*precise) {
        int64_t us = timers_timeout_us(s->timers, now_us);
        struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000};
        int n = epoll_pwait2(s->env.epoll_fd, events, S_MAX_EVENTS, us < 0 ? NULL : &ts, NULL);
        if (n >= 0 || errno != ENOSYS) return n;
        *precise = false;
    }
    return epoll_wait(s->env.epoll_fd, events, S_MAX_EVENTS, timers_timeout_ms(s->timers, now_us));
}

int server_run(server_t *s) {
    struct epoll_event events[S_MAX_EVENTS];
    bool precise = true;
    for (;;) {
        int n = s_wait(s, events, &precise);
        if (n < 0 && errno != EINTR) {
            log_error("epoll_wait at %s:%d: %s", __FILE__, __LINE__, strerror(errno));
            return -1;
        }
        bool stop = false;
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &s->listen_fd)
                s_accept(s);
            else if (tag == &s->signal_fd)
                stop = s_signalled(s) || stop;
            else
                conn_on_events(tag, events[i].events);
        }
        if (stop) return 0;
        uint64_t now_us = clock_now_us();
        timer_node_t *t;
        while ((t = timers_pop_expired(s->timers, now_us)) != NULL)
            conn_on_timer(t);
    }
}
