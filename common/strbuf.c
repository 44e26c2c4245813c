/* strbuf: growable NUL-terminated buffer. */
#include "common/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

void strbuf_init(strbuf_t *b) {
    *b = (strbuf_t){0};
}

void strbuf_fini(strbuf_t *b) {
    free(b->data);
    *b = (strbuf_t){0};
}

void strbuf_reset(strbuf_t *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

static void s_reserve(strbuf_t *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void strbuf_append(strbuf_t *b, const void *data, size_t len) {
    s_reserve(b, len);
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void strbuf_append_str(strbuf_t *b, const char *s) {
    strbuf_append(b, s, strlen(s));
}

void strbuf_append_char(strbuf_t *b, char c) {
    strbuf_append(b, &c, 1);
}

void strbuf_appendf(strbuf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        strbuf_append(b, small, (size_t)n);
        return;
    }
    s_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *strbuf_str(const strbuf_t *b) {
    return b->data ? b->data : "";
}
