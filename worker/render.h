/* render: turns a plan step into the user's next request — renders the
 * templates of its URL, query, headers and body into the user's reused
 * buffers and sets the curl options. Constant parts were precomputed by
 * plan and are set only when the step changes. */
#ifndef BARRAGE_WORKER_RENDER_H
#define BARRAGE_WORKER_RENDER_H

#include <stdbool.h>

#include "worker/vuser.h"

/* Allocates u's template values and request buffers for its class. */
void render_user_init(vuser_t *u);
/* Frees what render_user_init allocated. */
void render_user_fini(vuser_t *u);

/* Renders the class's vars: for u, in order (once per user). */
void render_vars(vuser_t *u, rng_t *rng);

/* Sets variable slot of u to value (len bytes), e.g. from a capture. */
void render_set_var(vuser_t *u, size_t slot, const char *value, size_t len);

/* Prepares u->easy for step st. Returns CURLE_OK, or the first error a
 * curl_easy_setopt returned (out of memory): the request must not be sent. */
CURLcode render_step(vuser_t *u, const plan_step_t *st, rng_t *rng);

/* The method to give curl as CURLOPT_CUSTOMREQUEST for a request of method
 * (upper case) with or without a body, or NULL when curl's own choice is it:
 * POST and HEAD, and GET without a body (with one, curl would send POST). */
const char *render_custom_method(const char *method, bool has_body);

#endif
