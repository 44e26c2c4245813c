/* suggest: "did you mean" — the closest known word to a misspelt one, by
 * optimal string alignment distance (a swap of neighbours counts as one edit). */
#ifndef BARRAGE_COMMON_SUGGEST_H
#define BARRAGE_COMMON_SUGGEST_H

#include <stddef.h>

/* Edits between a (la bytes) and the NUL-terminated b; SIZE_MAX when either
 * is 32 bytes or longer (too long to be a typo of a key or a name). */
size_t suggest_distance(const char *a, size_t la, const char *b);

/* Updates *best / *best_dist with the closest of words[0..n) (stopping early
 * at a NULL entry, so n may be SIZE_MAX for a NULL-terminated list). */
void suggest_closest(const char *word, size_t len, const char *const *words, size_t n,
                     const char **best, size_t *best_dist);

#endif
