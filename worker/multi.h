/* multi: libcurl's multi interface driven by the worker's loop
 * (CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION + curl_multi_socket_action).
 * Finished transfers are drained with curl_multi_info_read after every action
 * and handed to the done callback — never from inside a curl callback. */
#ifndef BARRAGE_WORKER_MULTI_H
#define BARRAGE_WORKER_MULTI_H

#include <curl/curl.h>

#include "worker/loop.h"

typedef struct multi multi_t;

/* Called once per finished transfer, after it was removed from the multi
 * handle; the callback may add the same easy handle again. */
typedef void (*multi_done_cb)(CURL *easy, CURLcode result, void *arg);

/* Returns a new multi bound to loop, or NULL (logged). */
multi_t *multi_new(loop_t *loop, multi_done_cb done, void *arg);
/* Frees *m (NULL allowed) and sets *m = NULL. Remove every transfer first:
 * easy handles are the caller's. */
void multi_destroy(multi_t **m);

/* Starts a transfer. Returns 0, or -1 (logged). */
int multi_add(multi_t *m, CURL *easy);
/* Aborts a transfer without calling done. Returns 0, or -1. */
int multi_remove(multi_t *m, CURL *easy);
/* Transfers added and not yet finished. */
int multi_in_flight(const multi_t *m);

#endif
