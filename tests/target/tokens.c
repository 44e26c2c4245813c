/* tokens: an open-addressing set of the 64-bit hashes behind issued tokens. */
#include "tests/target/tokens.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

struct tokens {
    uint64_t *slots;   /* 0 = empty; a hash of 0 is stored as 1 (see s_key) */
    size_t slot_count; /* power of two */
    size_t count;
};

tokens_t *tokens_new(void) {
    tokens_t *t = xcalloc(1, sizeof *t);
    t->slot_count = 64;
    t->slots = xcalloc(t->slot_count, sizeof *t->slots);
    return t;
}

void tokens_destroy(tokens_t **p) {
    if (!p || !*p) return;
    free((*p)->slots);
    free(*p);
    *p = NULL;
}

static uint64_t s_key(uint64_t hash) {
    return hash ? hash : 1;
}

static bool s_insert(uint64_t *slots, size_t slot_count, uint64_t key) {
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (slot_count - 1);
    for (; slots[i]; i = (i + 1) & (slot_count - 1))
        if (slots[i] == key) return false;
    slots[i] = key;
    return true;
}

static void s_grow(tokens_t *t) {
    size_t slot_count = t->slot_count * 2;
    uint64_t *slots = xcalloc(slot_count, sizeof *slots);
    for (size_t i = 0; i < t->slot_count; i++)
        if (t->slots[i]) s_insert(slots, slot_count, t->slots[i]);
    free(t->slots);
    t->slots = slots;
    t->slot_count = slot_count;
}

void tokens_issue(tokens_t *t, const char *email, size_t email_bytes, char out[TOKENS_BUF_BYTES]) {
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < email_bytes; i++)
        h = (h ^ (unsigned char)email[i]) * 1099511628211ull;
    snprintf(out, TOKENS_BUF_BYTES, "tok-%016llx", (unsigned long long)h);
    if (s_insert(t->slots, t->slot_count, s_key(h)) && ++t->count * 2 > t->slot_count) s_grow(t);
}

bool tokens_valid(const tokens_t *t, const char *token, size_t token_bytes) {
    if (token_bytes != TOKENS_BUF_BYTES - 1 || memcmp(token, "tok-", 4) != 0) return false;
    uint64_t h = 0;
    for (size_t i = 4; i < token_bytes; i++) {
        char ch = token[i];
        int digit = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (digit < 0) return false;
        h = h << 4 | (uint64_t)digit;
    }
    uint64_t key = s_key(h);
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (t->slot_count - 1);
    for (; t->slots[i]; i = (i + 1) & (t->slot_count - 1))
        if (t->slots[i] == key) return true;
    return false;
}
