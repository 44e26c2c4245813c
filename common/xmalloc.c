/* xmalloc: allocation wrappers that abort with a located message on OOM. */
#include "common/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_oom(size_t size_bytes, const char *file, int line) {
    fprintf(stderr, "barrage: fatal: out of memory allocating %zu bytes at %s:%d\n", size_bytes,
            file, line);
    abort();
}

void xfatal_at(const char *what, const char *file, int line) {
    fprintf(stderr, "barrage: fatal: %s at %s:%d\n", what, file, line);
    abort();
}

void *xmalloc_at(size_t size_bytes, const char *file, int line) {
    void *p = malloc(size_bytes ? size_bytes : 1);
    if (!p) s_oom(size_bytes, file, line);
    return p;
}

void *xcalloc_at(size_t n, size_t size_bytes, const char *file, int line) {
    void *p = calloc(n ? n : 1, size_bytes ? size_bytes : 1);
    if (!p) s_oom(n * size_bytes, file, line);
    return p;
}

void *xrealloc_at(void *p, size_t size_bytes, const char *file, int line) {
    void *q = realloc(p, size_bytes ? size_bytes : 1);
    if (!q) s_oom(size_bytes, file, line);
    return q;
}

char *xstrdup_at(const char *s, const char *file, int line) {
    return xstrndup_at(s, strlen(s), file, line);
}

char *xstrndup_at(const char *s, size_t len, const char *file, int line) {
    char *p = xmalloc_at(len + 1, file, line);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *out = NULL;
    int n = vasprintf(&out, fmt, ap);
    va_end(ap);
    if (n < 0) s_oom(strlen(fmt), __FILE__, __LINE__);
    return out;
}
