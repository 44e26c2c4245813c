/* curl_loop: the plainest libcurl multi loop (epoll + curl_multi_socket_action), the
 * reference row of bench/peers.sh: what libcurl itself costs per request, with nothing of
 * barrage's around it. Keeps N easy handles busy on one URL for D seconds and prints
 * "requests: R failed: F".
 *
 * usage: curl_loop URL N SECONDS [HTTP [CONNS STREAMS]]
 *   HTTP: 1.1 (default), 2 (over TLS, ALPN) or h2c (prior knowledge, a fresh connection per
 *   request: libcurl 7.88 cannot reuse one, curl #10634); CONNS and STREAMS: at most CONNS
 *   connections to the host, multiplexing at most STREAMS streams each (barrage's
 *   `connections: {shared: CONNS, streams: STREAMS}`). TLS is not verified (the bench's
 *   certificate is its own).
 *   (built by peers.sh: cc -O2 curl_loop.c -lcurl)
 * The request loop is curl_loop_run, never inlined or cloned: bench/instructions.sh counts
 * its instructions alone (callgrind --toggle-collect=curl_loop_run), without the set-up. */
#include <curl/curl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

static int s_epfd;
static long s_timeout_ms = -1;

static size_t s_discard(char *data, size_t size, size_t nmemb, void *arg) {
    (void)data, (void)arg;
    return size * nmemb;
}

static int s_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
    (void)easy, (void)userp, (void)socketp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(s_epfd, EPOLL_CTL_DEL, fd, NULL);
        return 0;
    }
    struct epoll_event ev = {.data.fd = fd};
    if (what & CURL_POLL_IN) ev.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) ev.events |= EPOLLOUT;
    if (epoll_ctl(s_epfd, EPOLL_CTL_MOD, fd, &ev) != 0) epoll_ctl(s_epfd, EPOLL_CTL_ADD, fd, &ev);
    return 0;
}

static int s_timer_cb(CURLM *cm, long timeout_ms, void *userp) {
    (void)cm, (void)userp;
    s_timeout_ms = timeout_ms;
    return 0;
}

static double s_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Drives the transfers of cm until `end` (s_now's clock), then drains them; re-adds each
 * finished handle until then. Returns the requests done, *failed those that failed. */
__attribute__((noinline, noclone)) static long curl_loop_run(CURLM *cm, double end,
                                                              long *failed) {
    long done = 0;
    int running = 1;
    bool stopping = false;
    while (!stopping || running > 0) {
        struct epoll_event evs[256];
        int n = epoll_wait(s_epfd, evs, 256, (int)s_timeout_ms);
        if (n == 0 || s_timeout_ms == 0) {
            curl_multi_socket_action(cm, CURL_SOCKET_TIMEOUT, 0, &running);
        }
        for (int i = 0; i < n; i++) {
            int mask = 0;
            if (evs[i].events & EPOLLIN) mask |= CURL_CSELECT_IN;
            if (evs[i].events & EPOLLOUT) mask |= CURL_CSELECT_OUT;
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_ERR;
            curl_multi_socket_action(cm, evs[i].data.fd, mask, &running);
        }
        stopping = stopping || s_now() >= end;
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(cm, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL *e = msg->easy_handle;
            done++;
            if (msg->data.result != CURLE_OK) (*failed)++;
            curl_multi_remove_handle(cm, e);
            if (stopping) {
                curl_easy_cleanup(e);
            } else {
                curl_multi_add_handle(cm, e);
                running++;
            }
        }
    }
    return done;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5 && argc != 7) {
        fprintf(stderr, "usage: curl_loop URL N SECONDS [1.1|2|h2c [CONNS STREAMS]]\n");
        return 2;
    }
    int conns = atoi(argv[2]);
    const char *http = argc > 4 ? argv[4] : "1.1";
    long version = CURL_HTTP_VERSION_1_1;
    if (strcmp(http, "2") == 0) version = CURL_HTTP_VERSION_2TLS;
    if (strcmp(http, "h2c") == 0) version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    bool fresh = version == CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    double end = s_now() + atof(argv[3]);
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    s_epfd = epoll_create1(0);
    CURLM *cm = curl_multi_init();
    curl_multi_setopt(cm, CURLMOPT_SOCKETFUNCTION, s_socket_cb);
    curl_multi_setopt(cm, CURLMOPT_TIMERFUNCTION, s_timer_cb);
    if (argc == 7) {
        curl_multi_setopt(cm, CURLMOPT_MAX_HOST_CONNECTIONS, atol(argv[5]));
        curl_multi_setopt(cm, CURLMOPT_MAX_CONCURRENT_STREAMS, atol(argv[6]));
    }
    for (int i = 0; i < conns; i++) {
        CURL *e = curl_easy_init();
        curl_easy_setopt(e, CURLOPT_URL, argv[1]);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, s_discard);
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, version);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, fresh ? 1L : 0L);
        curl_multi_add_handle(cm, e);
    }
    long failed = 0;
    long done = curl_loop_run(cm, end, &failed);
    printf("requests: %ld failed: %ld\n", done, failed);
    curl_multi_cleanup(cm);
    curl_global_cleanup();
    return failed ? 1 : 0;
}
