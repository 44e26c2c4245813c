/* counters: exact per-"METHOD path" request counts, reported by /__stats and at exit.
 *
 * Keys are interned once (the first request for a new method/path allocates; later ones do not)
 * and identified by a small integer, so a connection can resolve the key when it queues a
 * response and add the count later, when the response has been written. */
#ifndef BARRAGE_TARGET_COUNTERS_H
#define BARRAGE_TARGET_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"

typedef struct counters counters_t;

/* Distinct keys kept; further new keys are all counted under COUNTERS_OTHER_KEY. */
#define COUNTERS_MAX_KEYS 100000
#define COUNTERS_OTHER_KEY "(other)"
/* Key for requests that could not be parsed (400, 413, 431, 501, 505 before routing). */
#define COUNTERS_MALFORMED_KEY "(malformed)"

/* Returns an empty counter set. */
counters_t *counters_new(void);
/* Frees everything; accepts NULL and nulls *p. */
void counters_destroy(counters_t **p);

/* Returns the id of key "<method> <path>", creating it with count 0 if new. Ids stay valid for
 * the life of the set (counters_reset keeps them). */
uint32_t counters_intern(counters_t *c, const char *method, size_t method_len, const char *path,
                         size_t path_len);
/* Returns the id of a literal key such as COUNTERS_MALFORMED_KEY. */
uint32_t counters_intern_key(counters_t *c, const char *key);
/* Adds one to the key and to the total. */
void counters_add(counters_t *c, uint32_t id);
/* Zeroes every count and the total. */
void counters_reset(counters_t *c);
/* Sum of all counts since start or the last reset. */
uint64_t counters_total(const counters_t *c);
/* Appends {"total": N, "requests": {"GET /": n, ...}} to out: keys sorted bytewise, keys with
 * a zero count left out, no trailing newline. */
void counters_format_json(const counters_t *c, strbuf_t *out);

#endif
