/* userids: the user ids a worker may give out in a run — the block of its
 * RUN message, then the blocks of later USERS messages, used in order, each
 * id once. The master hands out disjoint blocks, so ids stay unique across
 * the run's workers. */
#ifndef BARRAGE_LOAD_USERIDS_H
#define BARRAGE_LOAD_USERIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t *first; /* block starts */
    uint32_t *count; /* ids left in each block */
    size_t n, cap;   /* blocks */
    size_t head;     /* the block ids come from next */
} userids_t;

void userids_init(userids_t *u);
void userids_fini(userids_t *u);
/* Adds the block first .. first + count - 1 (nothing when count is 0). */
void userids_add(userids_t *u, uint64_t first, uint32_t count);
/* Takes the next id into *id; false when every block is used up. */
bool userids_take(userids_t *u, uint64_t *id);
/* Ids left in every block together. */
uint64_t userids_left(const userids_t *u);

#endif
