/* multi: curl_multi_socket_action glue for the epoll loop. */
#include "worker/multi.h"

#include <stdlib.h>
#include <sys/epoll.h>

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
};

static void s_drain(multi_t *m) {
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m->cm, &left))) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL *easy = msg->easy_handle;
        CURLcode rc = msg->data.result;
        curl_multi_remove_handle(m->cm, easy);
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
    return loop_watch(m->loop, fd, events, s_on_fd, m) == 0 ? 0 : -1;
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

multi_t *multi_new(loop_t *loop, multi_done_cb done, void *arg) {
    CURLM *cm = curl_multi_init();
    if (!cm) {
        log_error("curl_multi_init failed (%s:%d)", __FILE__, __LINE__);
        return NULL;
    }
    multi_t *m = xcalloc(1, sizeof *m);
    m->cm = cm;
    m->loop = loop;
    m->done = done;
    m->arg = arg;
    loop_timer_init(&m->timer, s_on_timer, m);
    curl_multi_setopt(cm, CURLMOPT_SOCKETFUNCTION, s_socket_cb);
    curl_multi_setopt(cm, CURLMOPT_SOCKETDATA, m);
    curl_multi_setopt(cm, CURLMOPT_TIMERFUNCTION, s_timer_cb);
    curl_multi_setopt(cm, CURLMOPT_TIMERDATA, m);
    return m;
}

void multi_destroy(multi_t **mp) {
    if (!mp || !*mp) return;
    multi_t *m = *mp;
    loop_timer_stop(m->loop, &m->timer);
    curl_multi_cleanup(m->cm);
    free(m);
    *mp = NULL;
}

int multi_add(multi_t *m, CURL *easy) {
    CURLMcode rc = curl_multi_add_handle(m->cm, easy);
    if (rc != CURLM_OK) {
        log_error("curl_multi_add_handle: %s (%s:%d)", curl_multi_strerror(rc), __FILE__, __LINE__);
        return -1;
    }
    m->in_flight++;
    return 0;
}

int multi_remove(multi_t *m, CURL *easy) {
    CURLMcode rc = curl_multi_remove_handle(m->cm, easy);
    if (rc != CURLM_OK) return -1;
    m->in_flight--;
    return 0;
}

int multi_in_flight(const multi_t *m) {
    return m->in_flight;
}
