/* buf: a growable byte buffer with a consumed-prefix offset, reused across requests. */
#ifndef BARRAGE_TARGET_BUF_H
#define BARRAGE_TARGET_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* Bytes [off, len) are pending; [len, cap) is free space. Plain data: embed it. */
typedef struct {
    char *data;
    size_t off;
    size_t len;
    size_t cap;
} buf_t;

/* Initialises an empty buffer (no allocation until the first write). */
void buf_init(buf_t *b);
/* Frees the storage; the buffer is empty and reusable afterwards. */
void buf_fini(buf_t *b);

/* Number of pending bytes (len - off). */
size_t buf_pending(const buf_t *b);
/* Makes room for at least extra_bytes after len and returns a pointer to it. May move the
 * pending bytes to the front (invalidating pointers into the buffer). Never fails. */
char *buf_reserve(buf_t *b, size_t extra_bytes);
/* Appends n bytes. */
void buf_append(buf_t *b, const void *p, size_t n);
/* Appends printf-formatted text (no terminating NUL is kept). */
void buf_appendf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* buf_appendf with a va_list (which it does not va_end). */
void buf_vappendf(buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Drops n pending bytes from the front; the buffer rewinds to empty when all are gone. */
void buf_consume(buf_t *b, size_t n);
/* Empties the buffer, releasing the storage if it grew beyond keep_cap bytes. */
void buf_reset(buf_t *b, size_t keep_cap);

#endif
