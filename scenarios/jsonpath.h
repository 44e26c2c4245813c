/* jsonpath: the JSONPath subset captures and expects use — $.a.b[0].c,
 * $['key with spaces'], $[2], $.list[-1] — compiled once, evaluated over raw
 * JSON text without building a tree (no allocation beyond the output buffer).
 * Malformed or hostile JSON makes an evaluation fail, never crash. */
#ifndef BARRAGE_SCENARIOS_JSONPATH_H
#define BARRAGE_SCENARIOS_JSONPATH_H

#include <stddef.h>

#include "common/strbuf.h"

typedef struct jsonpath jsonpath_t;

/* Compiles text (NUL-terminated). Returns NULL on a syntax error, with the
 * byte offset of the problem in *err_offset and a message in err
 * ("expected a key name or [index] after '.'"). */
jsonpath_t *jsonpath_compile(const char *text, size_t *err_offset, char *err, size_t err_bytes);
void jsonpath_destroy(jsonpath_t **p);

/* Finds the path's value in json (len bytes) and appends it to out: a string
 * unescaped to UTF-8, a number, true, false or null as written, an object
 * or array as its raw JSON text. Returns 0, or -1 if the path is absent or
 * the JSON is malformed on the way (out then holds nothing new). */
int jsonpath_extract(const jsonpath_t *p, const char *json, size_t len, strbuf_t *out);

#endif
