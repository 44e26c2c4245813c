/* strbuf: the growable byte buffer, always NUL-terminated, reused across
 * requests so that once it has grown, appending never allocates. Also the
 * one JSON string escaper (strbuf_append_json). */
#ifndef BARRAGE_COMMON_STRBUF_H
#define BARRAGE_COMMON_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/* Plain data: embed it. data[len] is always '\0' once data is not NULL. */
typedef struct {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap; /* bytes allocated at data, the NUL included */
} strbuf_t;

void strbuf_init(strbuf_t *b);
/* Frees the memory; b is empty and reusable afterwards. */
void strbuf_fini(strbuf_t *b);
/* Empties b, keeping its memory. */
void strbuf_reset(strbuf_t *b);
/* Empties b, and frees its memory too if it grew past max_keep_bytes (a
 * buffer that once held a huge message does not stay huge). */
void strbuf_reset_capped(strbuf_t *b, size_t max_keep_bytes);
void strbuf_append(strbuf_t *b, const void *data, size_t len);
void strbuf_append_str(strbuf_t *b, const char *s);
void strbuf_append_char(strbuf_t *b, char c);
void strbuf_appendf(strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* strbuf_appendf with a va_list (which it does not va_end). */
void strbuf_vappendf(strbuf_t *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends s (len bytes) as the content of a JSON string, without the quotes:
 * '"' and '\\' and the bytes below 0x20 are escaped (\n \r \t \b \f, the
 * others as \u00xx with lower case hex); every other byte, UTF-8 included,
 * is copied as is (RFC 8259, section 7). */
void strbuf_append_json(strbuf_t *b, const char *s, size_t len);
/* Appends the NUL-terminated s as a JSON string value, quotes included
 * (escaped as strbuf_append_json does), or null when s is NULL. */
void strbuf_append_json_string(strbuf_t *b, const char *s);
/* Appends v as a JSON number with 15 significant digits (%.15g), or null when
 * v is NaN or infinite (JSON has neither). */
void strbuf_append_json_number(strbuf_t *b, double v);

/* Makes room for at least extra_bytes after the content and returns where
 * they go (strbuf_room bytes may be written there); the bytes count once
 * strbuf_commit says how many were written. May move data. */
char *strbuf_reserve(strbuf_t *b, size_t extra_bytes);
/* Bytes that can be written after the content without growing. */
size_t strbuf_room(const strbuf_t *b);
/* Adds n bytes written at strbuf_reserve's pointer (n <= strbuf_room) to the content. */
void strbuf_commit(strbuf_t *b, size_t n);
/* Removes the first n bytes (all of them if n >= len), moving the rest to
 * the front: costs the length of the rest. */
void strbuf_drop_front(strbuf_t *b, size_t n);
/* Returns the content as a NUL-terminated string the caller frees (never
 * NULL, "" when empty), its length in *len if len is not NULL; b is left
 * empty, as after strbuf_init. */
char *strbuf_detach(strbuf_t *b, size_t *len);

/* The content, "" when empty (never NULL). */
const char *strbuf_str(const strbuf_t *b);

#endif
