/* userids: blocks of user ids, used in order. */
#include "load/userids.h"

#include <stdlib.h>

#include "common/xmalloc.h"

void userids_init(userids_t *u) {
    *u = (userids_t){0};
}

void userids_fini(userids_t *u) {
    free(u->first);
    free(u->count);
    *u = (userids_t){0};
}

void userids_add(userids_t *u, uint64_t first, uint32_t count) {
    if (count == 0) return;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 4;
        u->first = xrealloc(u->first, u->cap * sizeof *u->first);
        u->count = xrealloc(u->count, u->cap * sizeof *u->count);
    }
    u->first[u->n] = first;
    u->count[u->n] = count;
    u->n++;
}

bool userids_take(userids_t *u, uint64_t *id) {
    while (u->head < u->n && u->count[u->head] == 0)
        u->head++;
    if (u->head == u->n) return false;
    *id = u->first[u->head]++;
    u->count[u->head]--;
    return true;
}

uint64_t userids_left(const userids_t *u) {
    uint64_t n = 0;
    for (size_t i = u->head; i < u->n; i++)
        n += u->count[i];
    return n;
}
