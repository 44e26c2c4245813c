/* registry: the workers a master knows — routing id, identity, state,
 * liveness, assigned users and report sequence. Entries are allocated one by
 * one and never removed or moved while the registry lives, so a pointer to an
 * entry (and its index) stays valid across any number of registry_add calls,
 * and lost workers stay reportable. */
#ifndef BARRAGE_MASTER_REGISTRY_H
#define BARRAGE_MASTER_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "master/saturation.h"
#include "proto/proto.h"

typedef enum {
    WORKER_READY,    /* joined, idle */
    WORKER_RUNNING,  /* has a RUN, reporting */
    WORKER_STOPPING, /* told to STOP, waiting for its FINAL */
    WORKER_FINISHED, /* FINAL received */
    WORKER_LOST,     /* silent too long */
    WORKER_REFUSED,  /* refused the run */
} worker_state_t;

typedef struct {
    char *routing_id;
    size_t routing_id_bytes;
    char *worker_id;
    char *hostname;
    uint32_t pid, cpus;
    uint32_t index; /* order of joining, from 0: items[index] is this entry */
    worker_state_t state;
    uint64_t last_seen_us;
    uint64_t lost_at_ms; /* wall clock, when state became WORKER_LOST */
    uint32_t users;      /* last reported active users */
    uint32_t assigned;   /* users given in the run (its latest share) */
    uint64_t reports;    /* STATS and FINAL received and merged in the run */
    uint32_t next_seq;   /* the report sequence number expected next (STATS seq) */
    uint64_t reports_missed; /* reports that never arrived: gaps in the sequence */
    uint64_t reports_duplicate; /* reports received again (seq already seen): not merged */
    bool gap_logged;     /* a gap in its sequence was already logged */
    uint32_t *class_users; /* its latest share per user class (owned; NULL before a run) */
    uint32_t last_run;     /* id of the last run it was given (0: none yet) */
    proto_health_t health; /* from its last heartbeat */
    uint32_t cpu_max_permille, lag_max_us; /* the most in the run */
    uint64_t rss_max_kib;
    saturation_t saturation; /* its episode, if one is going on */
} worker_entry_t;

typedef struct {
    worker_entry_t **items; /* items[i] is the entry of index i, allocated on its own */
    size_t n, cap;
} registry_t;

void registry_init(registry_t *reg);
void registry_fini(registry_t *reg);

/* Entry with this routing id, or NULL. */
worker_entry_t *registry_find(registry_t *reg, const void *routing_id, size_t bytes);
/* Adds a worker (strings copied) and returns its entry, state WORKER_READY.
 * The entry's address never changes until registry_fini. */
worker_entry_t *registry_add(registry_t *reg, const void *routing_id, size_t bytes,
                             const char *worker_id, const char *hostname);
/* Copies a worker's share per class (n entries) into w->class_users and
 * sets w->assigned to their sum. */
void registry_set_share(worker_entry_t *w, const uint32_t *class_users, size_t n);
/* Forgets w's routing id, so that a worker coming back under the same id
 * gets a new entry while this one stays in the table (e.g. as lost). */
void registry_detach(worker_entry_t *w);
/* Workers currently in state s. */
size_t registry_count(const registry_t *reg, worker_state_t s);
const char *registry_state_name(worker_state_t s);

#endif
