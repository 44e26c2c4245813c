/* suggest: edit distance for "did you mean" hints. */
#include "common/suggest.h"

#include <stdint.h>
#include <string.h>

size_t suggest_distance(const char *a, size_t la, const char *b) {
    enum { MAX = 32 };
    size_t lb = strlen(b);
    if (la >= MAX || lb >= MAX) return SIZE_MAX;
    size_t dist[MAX + 1][MAX + 1];
    for (size_t i = 0; i <= la; i++) dist[i][0] = i;
    for (size_t j = 0; j <= lb; j++) dist[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = dist[i - 1][j] + 1;
            if (dist[i][j - 1] + 1 < best) best = dist[i][j - 1] + 1;
            if (dist[i - 1][j - 1] + cost < best) best = dist[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                dist[i - 2][j - 2] + 1 < best) {
                best = dist[i - 2][j - 2] + 1;
            }
            dist[i][j] = best;
        }
    }
    return dist[la][lb];
}

void suggest_closest(const char *word, size_t len, const char *const *words, size_t n,
                     const char **best, size_t *best_dist) {
    for (size_t i = 0; words && i < n && words[i]; i++) {
        size_t d = suggest_distance(word, len, words[i]);
        if (d < *best_dist) {
            *best_dist = d;
            *best = words[i];
        }
    }
}
