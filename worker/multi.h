/* multi: libcurl's multi interface driven by the worker's loop
 * (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION + curl_multi_socket_action).
 * Finished transfers are drained with curl_multi_info_read after every action
 * and handed to the done callback — never from inside a curl callback.
 *
 * Errors: functions with a caller return them — a CURLMcode, or -1 with
 * *err — and the caller decides what to say; only failures inside the
 * loop's own callbacks, which have nobody to return to, are logged here.
 * Error text, in *err and in the log alike, names the call, the library's
 * message and where: "curl_easy_setopt(CURLOPT_URL): Out of memory (worker/x.c:12)". */
#ifndef BARRAGE_WORKER_MULTI_H
#define BARRAGE_WORKER_MULTI_H

#include <curl/curl.h>

#include "worker/loop.h"

typedef struct multi multi_t;

/* Idle keep-alive connections kept for reuse (curl closes the oldest beyond). */
#define MULTI_MAX_CACHED_CONNECTIONS 1000000L

/* Called once per finished transfer, after it was removed from the multi
 * handle; the callback may add the same easy handle again. */
typedef void (*multi_done_cb)(CURL *easy, CURLcode result, void *arg);

/* Returns a new multi bound to loop, or NULL with *err (caller frees). */
multi_t *multi_new(loop_t *loop, multi_done_cb done, void *arg, char **err);
/* Frees *m (NULL allowed) and sets *m = NULL. Remove every transfer first:
 * easy handles are the caller's. */
void multi_destroy(multi_t **m);

/* Sockets curl has open now (opened and not yet closed through the hooks
 * multi_prepare sets): the worker's connections, idle keep-alive ones too. */
uint32_t multi_open_sockets(const multi_t *m);

/* Sets, once per easy handle, what every transfer of m needs: socket
 * open/close hooks that keep the loop's view of curl's sockets exact (so
 * idle keep-alive sockets stay in epoll at no cost), CURLOPT_NOSIGNAL, and
 * no proxy from the environment. Returns 0, or -1 with *err (caller frees;
 * err may be NULL to drop the text). */
int multi_prepare(multi_t *m, CURL *easy, char **err);

/* curl_easy_setopt(easy, opt, value) checked: 0, or -1 with *err naming
 * the option, curl's message and the caller's file:line (caller frees; err
 * may be NULL). */
#define MULTI_SETOPT(easy, opt, value, err)                                                       \
    multi_setopt_check(curl_easy_setopt((easy), (opt), (value)), #opt, __FILE__, __LINE__, (err))
/* MULTI_SETOPT's check: 0 when rc is CURLE_OK, else -1 with *err. */
int multi_setopt_check(CURLcode rc, const char *opt, const char *file, int line, char **err);

/* Gives easy a connection pool of its own (a curl share of
 * CURL_LOCK_DATA_CONNECT): a virtual user keeps its own keep-alive
 * connection, as a Locust user does, and finishing a transfer no longer
 * walks every connection of the worker (curl 7.88 does, in
 * curl_multi_remove_handle, which made thousands of users quadratic).
 * Returns the pool, to free with multi_pool_destroy after
 * curl_easy_cleanup(easy); NULL with *err (caller frees) leaves easy on the
 * common pool, which works, only slower. */
CURLSH *multi_pool_new(multi_t *m, CURL *easy, char **err);
/* Closes the pool's connections and frees it (NULL allowed); sets *pool = NULL.
 * The multi it was made for must still exist. */
void multi_pool_destroy(CURLSH **pool);

/* Makes m's common pool the users' shared one (connections: shared): at
 * most max_host_connections per host (0 = no limit; transfers beyond wait
 * for one), HTTP/2 transfers multiplexed on them, at most max_streams each
 * (0 = libcurl's default, 100). Returns 0, or -1 with *err (caller frees). */
int multi_share(multi_t *m, long max_host_connections, long max_streams, char **err);

/* Starts a transfer. Returns CURLM_OK (0), or curl's code for why it could
 * not (curl_multi_strerror names it); nothing is logged. */
CURLMcode multi_add(multi_t *m, CURL *easy);
/* Aborts a transfer without calling done. Returns CURLM_OK (0), or curl's code. */
CURLMcode multi_remove(multi_t *m, CURL *easy);
/* Transfers added and not yet finished. */
int multi_in_flight(const multi_t *m);

#endif
