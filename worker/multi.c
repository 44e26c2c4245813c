/* multi: curl_multi_socket_action glue for the epoll loop. */
#include "worker/multi.h"

#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/xmalloc.h"

struct multi {
    CURLM *cm;
    loop_t *loop;
    loop_timer_t timer;
    multi_done_cb done;
    void *arg;
    int in_flight;
    uint32_t open_sockets; /* curl's sockets between open and close */
};

static void s_drain(multi_t *m) {
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m->cm, &left))) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL *easy = msg->easy_handle;
        CURLcode rc = msg->data.result;
        CURLMcode mrc = curl_multi_remove_handle(m->cm, easy);
        if (mrc != CURLM_OK) {
            log_error("curl_multi_remove_handle: %s (%s:%d)", curl_multi_strerror(mrc), __FILE__,
                      __LINE__);
        }
        m->in_flight--;
        m->done(easy, rc, m->arg);
    }
}

static void s_action(multi_t *m, curl_socket_t fd, int mask) {
    int running;
    CURLMcode rc = curl_multi_socket_action(m->cm, fd, mask, &running);
    if (rc != CURLM_OK) {
        log_error("curl_multi_socket_action: %s (%s:%d)", curl_multi_strerror(rc), __FILE__,
                  __LINE__);
    }
    s_drain(m);
}

static void s_on_fd(loop_t *loop, int fd, uint32_t events, void *arg) {
    (void)loop;
    int mask = 0;
    if (events & EPOLLIN) mask |= CURL_CSELECT_IN;
    if (events & EPOLLOUT) mask |= CURL_CSELECT_OUT;
    if (events & (EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_ERR;
    s_action(arg, fd, mask);
}

static void s_on_timer(loop_t *loop, void *arg) {
    (void)loop;
    s_action(arg, CURL_SOCKET_TIMEOUT, 0);
}

static int s_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
    (void)easy;
    (void)socketp;
    multi_t *m = userp;
    if (what == CURL_POLL_REMOVE) {
        /* Usually a keep-alive socket going idle until the next request. */
        loop_park(m->loop, fd);
        return 0;
    }
    uint32_t events = 0;
    if (what & CURL_POLL_IN) events |= EPOLLIN;
    if (what & CURL_POLL_OUT) events |= EPOLLOUT;
    if (loop_watch(m->loop, fd, events, s_on_fd, m) == 0) return 0;
    /* Inside curl's callback: nobody to return the text to. curl fails the transfer. */
    log_error("%s", loop_error(m->loop));
    return -1;
}

static int s_timer_cb(CURLM *cm, long timeout_ms, void *userp) {
    (void)cm;
    multi_t *m = userp;
    if (timeout_ms < 0) {
        loop_timer_stop(m->loop, &m->timer);
    } else {
        /* 0 means "as soon as possible": the loop fires it on its next round. */
        loop_timer_start(m->loop, &m->timer, clock_now_us() + (uint64_t)timeout_ms * 1000u);
    }
    return 0;
}

/* Curl's own sockets go through these two, so the loop knows each one from
 * birth to close and can keep it in the epoll set between requests. */
static curl_socket_t s_open_socket(void *clientp, curlsocktype purpose,
                                   struct curl_sockaddr *addr) {
    (void)purpose;
    multi_t *m = clientp;
    int fd = socket(addr->family, addr->socktype, addr->protocol);
    if (fd >= 0) {
        loop_adopt(m->loop, fd);
        m->open_sockets++;
    }
    return fd >= 0 ? fd : CURL_SOCKET_BAD;
}

static int s_close_socket(void *clientp, curl_socket_t fd) {
    multi_t *m = clientp;
    loop_forget(m->loop, fd);
    if (m->open_sockets) m->open_sockets--;
    return close(fd);
}

int multi_setopt_check(CURLcode rc, const char *opt, const char *file, int line, char **err) {
    if (rc == CURLE_OK) return 0;
    if (err) {
        *err = xasprintf("curl_easy_setopt(%s): %s (%s:%d)", opt, curl_easy_strerror(rc), file,
                         line);
    }
    return -1;
}

int multi_prepare(multi_t *m, CURL *easy, char **err) {
    if (MULTI_SETOPT(easy, CURLOPT_OPENSOCKETFUNCTION, s_open_socket, err) ||
        MULTI_SETOPT(easy, CURLOPT_OPENSOCKETDATA, m, err) ||
        MULTI_SETOPT(easy, CURLOPT_CLOSESOCKETFUNCTION, s_close_socket, err) ||
        MULTI_SETOPT(easy, CURLOPT_CLOSESOCKETDATA, m, err)) {
        return -1;
    }
    /* No signals (see STYLE.md), and no proxy from the environment: a load
     * generator talks to its target directly, and the lookups cost five
     * getenv() scans per request. */
    if (MULTI_SETOPT(easy, CURLOPT_NOSIGNAL, 1L, err) ||
        MULTI_SETOPT(easy, CURLOPT_PROXY, "", err) ||
        MULTI_SETOPT(easy, CURLOPT_NOPROXY, "*", err)) {
        return -1;
    }
    return 0;
}

CURLSH *multi_pool_new(multi_t *m, CURL *easy, char **err) {
    (void)m;
    CURLSH *sh = curl_share_init();
    if (!sh) {
        *err = xasprintf("curl_share_init: failed (%s:%d)", __FILE__, __LINE__);
        return NULL;
    }
    CURLSHcode rc = curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    if (rc != CURLSHE_OK) {
        *err = xasprintf("curl_share_setopt(CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT): %s (%s:%d)",
                         curl_share_strerror(rc), __FILE__, __LINE__);
        curl_share_cleanup(sh);
        return NULL;
    }
    if (MULTI_SETOPT(easy, CURLOPT_SHARE, sh, err) != 0) {
        curl_share_cleanup(sh);
        return NULL;
    }
    return sh;
}

void multi_pool_destroy(CURLSH **pool) {
    if (!pool || !*pool) return;
    /* Closes the pool's connections, through the close hook of multi_prepare. */
    CURLSHcode rc = curl_share_cleanup(*pool);
    if (rc != CURLSHE_OK) {
        log_warn("curl_share_cleanup: %s (%s:%d)", curl_share_strerror(rc), __FILE__, __LINE__);
    }
    *pool = NULL;
}

/* curl_multi_setopt checked, as MULTI_SETOPT. */
#define S_MULTI_SETOPT(cm, opt, value, err)                                                        \
    s_multi_setopt_check(curl_multi_setopt((cm), (opt), (value)), #opt, __LINE__, (err))

static int s_multi_setopt_check(CURLMcode rc, const char *opt, int line, char **err) {
    if (rc == CURLM_OK) return 0;
    *err = xasprintf("curl_multi_setopt(%s): %s (%s:%d)", opt, curl_multi_strerror(rc), __FILE__,
                     line);
    return -1;
}

multi_t *multi_new(loop_t *loop, multi_done_cb done, void *arg, char **err) {
    CURLM *cm = curl_multi_init();
    if (!cm) {
        *err = xasprintf("curl_multi_init: failed (%s:%d)", __FILE__, __LINE__);
        return NULL;
    }
    multi_t *m = xcalloc(1, sizeof *m);
    m->cm = cm;
    m->loop = loop;
    m->done = done;
    m->arg = arg;
    loop_timer_init(&m->timer, s_on_timer, m);
    /* By default curl caches 4 connections per easy handle *added*; users
     * thinking between requests are not added, so their keep-alive
     * connections would be closed and reopened. Keep them all. */
    if (S_MULTI_SETOPT(cm, CURLMOPT_SOCKETFUNCTION, s_socket_cb, err) ||
        S_MULTI_SETOPT(cm, CURLMOPT_SOCKETDATA, m, err) ||
        S_MULTI_SETOPT(cm, CURLMOPT_TIMERFUNCTION, s_timer_cb, err) ||
        S_MULTI_SETOPT(cm, CURLMOPT_TIMERDATA, m, err) ||
        S_MULTI_SETOPT(cm, CURLMOPT_MAXCONNECTS, MULTI_MAX_CACHED_CONNECTIONS, err)) {
        multi_destroy(&m);
        return NULL;
    }
    return m;
}

int multi_share(multi_t *m, long max_host_connections, long max_streams, char **err) {
    if (S_MULTI_SETOPT(m->cm, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX, err) ||
        S_MULTI_SETOPT(m->cm, CURLMOPT_MAX_HOST_CONNECTIONS, max_host_connections, err))
        return -1;
    if (max_streams > 0 && S_MULTI_SETOPT(m->cm, CURLMOPT_MAX_CONCURRENT_STREAMS, max_streams, err))
        return -1;
    return 0;
}

void multi_destroy(multi_t **mp) {
    if (!mp || !*mp) return;
    multi_t *m = *mp;
    loop_timer_stop(m->loop, &m->timer);
    CURLMcode rc = curl_multi_cleanup(m->cm);
    if (rc != CURLM_OK) {
        log_error("curl_multi_cleanup: %s (%s:%d)", curl_multi_strerror(rc), __FILE__, __LINE__);
    }
    free(m);
    *mp = NULL;
}

CURLMcode multi_add(multi_t *m, CURL *easy) {
    CURLMcode rc = curl_multi_add_handle(m->cm, easy);
    if (rc == CURLM_OK) m->in_flight++;
    return rc;
}

CURLMcode multi_remove(multi_t *m, CURL *easy) {
    CURLMcode rc = curl_multi_remove_handle(m->cm, easy);
    if (rc == CURLM_OK) m->in_flight--;
    return rc;
}

int multi_in_flight(const multi_t *m) {
    return m->in_flight;
}

uint32_t multi_open_sockets(const multi_t *m) {
    return m->open_sockets;
}
