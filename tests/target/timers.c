/* timers: binary min-heap of timer_node_t pointers keyed by deadline. */
#include "tests/target/timers.h"

#include <stdlib.h>

#include "common/xmalloc.h"

struct timers {
    timer_node_t **nodes;
    size_t count;
    size_t cap;
};

void timer_node_init(timer_node_t *n) {
    n->deadline_us = 0;
    n->heap_index = TIMERS_UNARMED;
}

bool timer_node_armed(const timer_node_t *n) {
    return n->heap_index != TIMERS_UNARMED;
}

timers_t *timers_new(void) {
    return xcalloc(1, sizeof(timers_t));
}

void timers_destroy(timers_t **p) {
    if (!p || !*p) return;
    for (size_t i = 0; i < (*p)->count; i++)
        (*p)->nodes[i]->heap_index = TIMERS_UNARMED;
    free((*p)->nodes);
    free(*p);
    *p = NULL;
}

static void s_place(timers_t *t, size_t i, timer_node_t *n) {
    t->nodes[i] = n;
    n->heap_index = i;
}

static void s_sift_up(timers_t *t, size_t i) {
    timer_node_t *n = t->nodes[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (t->nodes[parent]->deadline_us <= n->deadline_us) break;
        s_place(t, i, t->nodes[parent]);
        i = parent;
    }
    s_place(t, i, n);
}

static void s_sift_down(timers_t *t, size_t i) {
    timer_node_t *n = t->nodes[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= t->count) break;
        if (child + 1 < t->count && t->nodes[child + 1]->deadline_us < t->nodes[child]->deadline_us)
            child++;
        if (n->deadline_us <= t->nodes[child]->deadline_us) break;
        s_place(t, i, t->nodes[child]);
        i = child;
    }
    s_place(t, i, n);
}

void timers_add(timers_t *t, timer_node_t *n, uint64_t deadline_us) {
    timers_remove(t, n);
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->nodes = xrealloc(t->nodes, t->cap * sizeof(timer_node_t *));
    }
    n->deadline_us = deadline_us;
    s_place(t, t->count++, n);
    s_sift_up(t, t->count - 1);
}

void timers_remove(timers_t *t, timer_node_t *n) {
    if (!timer_node_armed(n)) return;
    size_t i = n->heap_index;
    n->heap_index = TIMERS_UNARMED;
    timer_node_t *last = t->nodes[--t->count];
    if (i == t->count) return;
    s_place(t, i, last);
    /* The moved node may belong either above or below its new slot. */
    s_sift_up(t, i);
    s_sift_down(t, last->heap_index);
}

timer_node_t *timers_pop_expired(timers_t *t, uint64_t now_us) {
    if (t->count == 0 || t->nodes[0]->deadline_us > now_us) return NULL;
    timer_node_t *n = t->nodes[0];
    timers_remove(t, n);
    return n;
}

int timers_timeout_ms(const timers_t *t, uint64_t now_us) {
    if (t->count == 0) return -1;
    uint64_t deadline_us = t->nodes[0]->deadline_us;
    if (deadline_us <= now_us) return 0;
    uint64_t wait_ms = (deadline_us - now_us + 999) / 1000;
    return wait_ms > 60000 ? 60000 : (int)wait_ms;
}

int64_t timers_timeout_us(const timers_t *t, uint64_t now_us) {
    if (t->count == 0) return -1;
    uint64_t deadline_us = t->nodes[0]->deadline_us;
    if (deadline_us <= now_us) return 0;
    uint64_t wait_us = deadline_us - now_us;
    return wait_us > 60000000u ? 60000000 : (int64_t)wait_us;
}
