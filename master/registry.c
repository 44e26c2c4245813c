/* registry: the master's table of workers. */
#include "master/registry.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

void registry_init(registry_t *reg) {
    *reg = (registry_t){0};
}

void registry_fini(registry_t *reg) {
    for (size_t i = 0; i < reg->n; i++) {
        worker_entry_t *w = reg->items[i];
        free(w->routing_id);
        free(w->worker_id);
        free(w->hostname);
        free(w->class_users);
        free(w);
    }
    free(reg->items);
    *reg = (registry_t){0};
}

worker_entry_t *registry_find(registry_t *reg, const void *routing_id, size_t bytes) {
    for (size_t i = 0; i < reg->n; i++) {
        worker_entry_t *w = reg->items[i];
        if (w->routing_id_bytes == bytes && memcmp(w->routing_id, routing_id, bytes) == 0) return w;
    }
    return NULL;
}

worker_entry_t *registry_add(registry_t *reg, const void *routing_id, size_t bytes,
                             const char *worker_id, const char *hostname) {
    if (reg->n == reg->cap) {
        reg->cap = reg->cap ? reg->cap * 2 : 16;
        reg->items = xrealloc(reg->items, reg->cap * sizeof *reg->items);
    }
    /* One allocation per entry: growing the table moves the pointers only. */
    worker_entry_t *w = xmalloc(sizeof *w);
    reg->items[reg->n] = w;
    *w = (worker_entry_t){.routing_id = xmalloc(bytes),
                          .routing_id_bytes = bytes,
                          .worker_id = xstrdup(worker_id),
                          .hostname = xstrdup(hostname),
                          .index = (uint32_t)reg->n,
                          .state = WORKER_READY};
    memcpy(w->routing_id, routing_id, bytes);
    reg->n++;
    return w;
}

void registry_set_share(worker_entry_t *w, const uint32_t *class_users, size_t n) {
    w->class_users = xrealloc(w->class_users, (n ? n : 1) * sizeof *w->class_users);
    w->assigned = 0;
    for (size_t c = 0; c < n; c++) {
        w->class_users[c] = class_users[c];
        w->assigned += class_users[c];
    }
}

void registry_detach(worker_entry_t *w) {
    /* A zero-length id never matches: ZeroMQ routing ids have at least one byte. */
    w->routing_id_bytes = 0;
}

size_t registry_count(const registry_t *reg, worker_state_t s) {
    size_t n = 0;
    for (size_t i = 0; i < reg->n; i++) n += reg->items[i]->state == s;
    return n;
}

const char *registry_state_name(worker_state_t s) {
    static const char *const names[] = {"ready", "running", "stopping", "finished", "lost",
                                        "refused"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}
