/* counters: open-addressing hash of interned "METHOD path" keys to counts. */
#include "tests/target/counters.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

typedef struct {
    char *key;
    size_t key_len;
    uint64_t hash;
    uint64_t count;
} entry_t;

struct counters {
    entry_t *entries; /* indexed by id */
    uint32_t count;
    uint32_t cap;
    uint32_t *slots;     /* id + 1, 0 = empty */
    uint32_t slot_count; /* power of two */
    uint64_t total;
};

counters_t *counters_new(void) {
    counters_t *c = xcalloc(1, sizeof *c);
    c->slot_count = 256;
    c->slots = xcalloc(c->slot_count, sizeof *c->slots);
    return c;
}

void counters_destroy(counters_t **p) {
    if (!p || !*p) return;
    counters_t *c = *p;
    for (uint32_t i = 0; i < c->count; i++)
        free(c->entries[i].key);
    free(c->entries);
    free(c->slots);
    free(c);
    *p = NULL;
}

/* FNV-1a over the key's pieces as if they were joined. */
static uint64_t s_hash(uint64_t h, const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static void s_grow_slots(counters_t *c) {
    uint32_t slot_count = c->slot_count * 2;
    uint32_t *slots = xcalloc(slot_count, sizeof *slots);
    for (uint32_t id = 0; id < c->count; id++) {
        uint32_t i = (uint32_t)c->entries[id].hash & (slot_count - 1);
        while (slots[i])
            i = (i + 1) & (slot_count - 1);
        slots[i] = id + 1;
    }
    free(c->slots);
    c->slots = slots;
    c->slot_count = slot_count;
}

static bool s_matches(const entry_t *e, uint64_t hash, const char *a, size_t a_len, const char *b,
                      size_t b_len) {
    return e->hash == hash && e->key_len == a_len + b_len && memcmp(e->key, a, a_len) == 0 &&
           memcmp(e->key + a_len, b, b_len) == 0;
}

/* Looks up the key a+b (b may be empty); creates it when create is set and room is left.
 * Returns the id, or UINT32_MAX. */
static uint32_t s_find(counters_t *c, const char *a, size_t a_len, const char *b, size_t b_len,
                       bool create) {
    uint64_t hash = s_hash(s_hash(14695981039346656037ull, a, a_len), b, b_len);
    uint32_t i = (uint32_t)hash & (c->slot_count - 1);
    for (; c->slots[i]; i = (i + 1) & (c->slot_count - 1)) {
        uint32_t id = c->slots[i] - 1;
        if (s_matches(&c->entries[id], hash, a, a_len, b, b_len)) return id;
    }
    if (!create || c->count >= COUNTERS_MAX_KEYS) return UINT32_MAX;
    if (c->count == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->entries = xrealloc(c->entries, c->cap * sizeof *c->entries);
    }
    uint32_t id = c->count++;
    entry_t *e = &c->entries[id];
    e->key_len = a_len + b_len;
    e->key = xmalloc(e->key_len + 1);
    memcpy(e->key, a, a_len);
    memcpy(e->key + a_len, b, b_len);
    e->key[e->key_len] = '\0';
    e->hash = hash;
    e->count = 0;
    c->slots[i] = id + 1;
    if ((uint64_t)c->count * 2 > c->slot_count) s_grow_slots(c);
    return id;
}

uint32_t counters_intern_key(counters_t *c, const char *key) {
    uint32_t id = s_find(c, key, strlen(key), "", 0, true);
    /* Literal keys are interned at start-up, long before the cap can be reached. */
    return id != UINT32_MAX ? id : 0;
}

uint32_t counters_intern(counters_t *c, const char *method, size_t method_len, const char *path,
                         size_t path_len) {
    /* "METHOD path" without building the string: hash and compare "METHOD " then the path. */
    char head[40];
    if (method_len > sizeof head - 1) method_len = sizeof head - 1;
    memcpy(head, method, method_len);
    head[method_len] = ' ';
    uint32_t id = s_find(c, head, method_len + 1, path, path_len, true);
    if (id == UINT32_MAX)
        id = s_find(c, COUNTERS_OTHER_KEY, strlen(COUNTERS_OTHER_KEY), "", 0, true);
    if (id == UINT32_MAX) id = 0; /* unreachable: "(other)" is interned before the cap */
    return id;
}

void counters_add(counters_t *c, uint32_t id) {
    if (id >= c->count) return;
    c->entries[id].count++;
    c->total++;
}

void counters_reset(counters_t *c) {
    for (uint32_t i = 0; i < c->count; i++)
        c->entries[i].count = 0;
    c->total = 0;
}

uint64_t counters_total(const counters_t *c) {
    return c->total;
}

static int s_cmp_ids(const void *a, const void *b, void *ctx) {
    const entry_t *entries = ctx;
    return strcmp(entries[*(const uint32_t *)a].key, entries[*(const uint32_t *)b].key);
}

void counters_format_json(const counters_t *c, strbuf_t *out) {
    uint32_t *ids = xmalloc((c->count ? c->count : 1) * sizeof *ids);
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->count; i++)
        if (c->entries[i].count) ids[n++] = i;
    qsort_r(ids, n, sizeof *ids, s_cmp_ids, c->entries);
    strbuf_appendf(out, "{\"total\": %llu, \"requests\": {", (unsigned long long)c->total);
    for (uint32_t i = 0; i < n; i++) {
        const entry_t *e = &c->entries[ids[i]];
        if (i) strbuf_append(out, ", ", 2);
        strbuf_append_char(out, '"');
        strbuf_append_json(out, e->key, e->key_len);
        strbuf_append_char(out, '"');
        strbuf_appendf(out, ": %llu", (unsigned long long)e->count);
    }
    strbuf_append(out, "}}", 2);
    free(ids);
}
