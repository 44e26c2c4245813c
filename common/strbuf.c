/* strbuf: growable NUL-terminated buffer, and the JSON string escaper. */
#include "common/strbuf.h"

#include <math.h>
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

void strbuf_reset_capped(strbuf_t *b, size_t max_keep_bytes) {
    if (b->cap > max_keep_bytes)
        strbuf_fini(b);
    else
        strbuf_reset(b);
}

/* The slow path of every append: grows b to hold extra_bytes more and the NUL. */
static void __attribute__((noinline)) s_grow(strbuf_t *b, size_t extra_bytes) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra_bytes + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0';
}

char *strbuf_reserve(strbuf_t *b, size_t extra_bytes) {
    if (b->len + extra_bytes + 1 > b->cap) s_grow(b, extra_bytes);
    return b->data + b->len;
}

size_t strbuf_room(const strbuf_t *b) {
    return b->cap ? b->cap - b->len - 1 : 0;
}

void strbuf_commit(strbuf_t *b, size_t n) {
    if (!b->data) strbuf_reserve(b, 0); /* a commit of 0 before any append */
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_append(strbuf_t *b, const void *data, size_t len) {
    /* The request path's most frequent call: the fast path is a compare and a copy. */
    if (b->len + len + 1 > b->cap) s_grow(b, len);
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

void strbuf_vappendf(strbuf_t *b, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    /* Format straight into the buffer; a second pass only when it was too small. */
    char *dst = strbuf_reserve(b, 256);
    int n = vsnprintf(dst, strbuf_room(b) + 1, fmt, ap);
    if (n >= 0 && (size_t)n > strbuf_room(b)) {
        dst = strbuf_reserve(b, (size_t)n);
        vsnprintf(dst, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    strbuf_commit(b, n > 0 ? (size_t)n : 0);
}

void strbuf_appendf(strbuf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    strbuf_vappendf(b, fmt, ap);
    va_end(ap);
}

/* The escape sequence for c (a byte that needs one) into esc; returns its length. */
static size_t s_json_escape(unsigned char c, char esc[6]) {
    static const char hex[] = "0123456789abcdef";
    static const char from[] = "\"\\\n\r\t\b\f", to[] = "\"\\nrtbf";
    const char *hit = c ? memchr(from, c, sizeof from - 1) : NULL;
    esc[0] = '\\';
    if (hit) {
        esc[1] = to[hit - from];
        return 2;
    }
    esc[1] = 'u';
    esc[2] = esc[3] = '0';
    esc[4] = hex[c >> 4];
    esc[5] = hex[c & 15];
    return 6;
}

void strbuf_append_json(strbuf_t *b, const char *s, size_t len) {
    size_t run = 0; /* start of the bytes not yet appended: copied in runs */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        strbuf_append(b, s + run, i - run);
        char esc[6];
        strbuf_append(b, esc, s_json_escape(c, esc));
        run = i + 1;
    }
    strbuf_append(b, s + run, len - run);
}

void strbuf_drop_front(strbuf_t *b, size_t n) {
    if (n >= b->len) {
        strbuf_reset(b);
        return;
    }
    memmove(b->data, b->data + n, b->len - n + 1); /* the NUL too */
    b->len -= n;
}

char *strbuf_detach(strbuf_t *b, size_t *len) {
    strbuf_reserve(b, 0);
    char *s = b->data;
    if (len) *len = b->len;
    strbuf_init(b);
    return s;
}

const char *strbuf_str(const strbuf_t *b) {
    return b->data ? b->data : "";
}

void strbuf_append_json_string(strbuf_t *b, const char *s) {
    if (!s) {
        strbuf_append_str(b, "null");
        return;
    }
    strbuf_append_char(b, '"');
    strbuf_append_json(b, s, strlen(s));
    strbuf_append_char(b, '"');
}

void strbuf_append_json_number(strbuf_t *b, double v) {
    if (isnan(v) || isinf(v))
        strbuf_append_str(b, "null");
    else
        strbuf_appendf(b, "%.15g", v);
}
