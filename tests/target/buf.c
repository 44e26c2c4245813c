/* buf: growable byte buffer for connection input/output and generated bodies. */
#include "tests/target/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

void buf_init(buf_t *b) {
    b->data = NULL;
    b->off = b->len = b->cap = 0;
}

void buf_fini(buf_t *b) {
    free(b->data);
    buf_init(b);
}

size_t buf_pending(const buf_t *b) {
    return b->len - b->off;
}

char *buf_reserve(buf_t *b, size_t extra_bytes) {
    if (b->cap - b->len >= extra_bytes) return b->data + b->len;
    size_t pending = b->len - b->off;
    /* Sliding the pending bytes to the front is cheaper than growing when most is consumed. */
    if (b->off > 0 && b->cap - pending >= extra_bytes && pending <= b->cap / 2) {
        memmove(b->data, b->data + b->off, pending);
        b->off = 0;
        b->len = pending;
        return b->data + b->len;
    }
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->len < extra_bytes)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    return b->data + b->len;
}

void buf_append(buf_t *b, const void *p, size_t n) {
    if (n == 0) return;
    memcpy(buf_reserve(b, n), p, n);
    b->len += n;
}

void buf_vappendf(buf_t *b, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    char *dst = buf_reserve(b, 256);
    int n = vsnprintf(dst, b->cap - b->len, fmt, ap);
    if (n >= 0 && (size_t)n >= b->cap - b->len) {
        dst = buf_reserve(b, (size_t)n + 1);
        vsnprintf(dst, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    if (n > 0) b->len += (size_t)n;
}

void buf_appendf(buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    buf_vappendf(b, fmt, ap);
    va_end(ap);
}

void buf_consume(buf_t *b, size_t n) {
    b->off += n;
    if (b->off >= b->len) b->off = b->len = 0;
}

void buf_reset(buf_t *b, size_t keep_cap) {
    if (b->cap > keep_cap) {
        buf_fini(b);
        return;
    }
    b->off = b->len = 0;
}
