/* strbuf: a growable byte buffer, always NUL-terminated, reused across
 * requests so that once it has grown, appending never allocates. */
#ifndef BARRAGE_COMMON_STRBUF_H
#define BARRAGE_COMMON_STRBUF_H

#include <stddef.h>

typedef struct {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} strbuf_t;

void strbuf_init(strbuf_t *b);
void strbuf_fini(strbuf_t *b);
/* Empties b, keeping its memory. */
void strbuf_reset(strbuf_t *b);
void strbuf_append(strbuf_t *b, const void *data, size_t len);
void strbuf_append_str(strbuf_t *b, const char *s);
void strbuf_append_char(strbuf_t *b, char c);
void strbuf_appendf(strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The content, "" when empty (never NULL). */
const char *strbuf_str(const strbuf_t *b);

#endif
