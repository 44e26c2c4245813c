/* template: strings with {{ expression }} parts — compiled once when a
 * scenario loads, rendered per request into a reused buffer without
 * allocating.
 *
 * Expressions: a variable name (`token`, resolved at compile time to a slot
 * of the user's variables), `row.COLUMN` (a field of the user's data-file
 * row), or a call of a built-in function with literal arguments (integers,
 * 'single' or "double" quoted strings):
 *   randint(a, b)   uniform integer in [a, b]
 *   choice(x, ...)  one of the arguments, uniformly
 *   random()        uniform float in [0, 1), written as Python's repr writes it
 *                   (random.random(): shortest round-trip digits, 5e-05 below 1e-4)
 *   uuid()          random RFC 4122 version 4 UUID
 *   seq()           the user's counter: 1, 2, 3, ... one step per render
 *   user_id()       the virtual user's number, 1-based, unique across workers
 *   worker_id()     the worker's index, 0-based
 *   env('NAME')     the environment variable NAME of the rendering process
 *                   (read once at compile time; unset is a compile error)
 * user_id, worker_id and seq may be written without parentheses.
 * Text outside {{ }} is literal; "{{" inside literal text cannot be escaped
 * (not needed by any target so far).
 *
 * Substitutions can be escaped for their context: none (headers), JSON
 * string content (inside json: bodies), percent-encoding (query and form
 * values) or what a URL cannot hold percent-encoded (paths: a value "Bo 1"
 * becomes Bo%201, a captured "/items?page=2" stays as it is). Literal text
 * is never escaped. */
#ifndef BARRAGE_SCENARIOS_TEMPLATE_H
#define BARRAGE_SCENARIOS_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/rng.h"
#include "common/strbuf.h"

typedef enum {
    TEMPLATE_ESCAPE_NONE = 0,
    TEMPLATE_ESCAPE_JSON, /* as inside a JSON string: \" \\ \n \u00XX ... */
    TEMPLATE_ESCAPE_FORM, /* percent-encoded for a query or form value (scenarios/encode.h) */
    TEMPLATE_ESCAPE_URL,  /* a URL or path: what a URL cannot hold is percent-encoded (encode.h) */
} template_escape_t;

/* The names a template may use, resolved at compile time. */
typedef struct {
    const char *const *vars; /* user variable names; a name's slot is its index */
    size_t n_vars;
    const char *const *columns; /* data-file columns for row.NAME; NULL = no data file */
    size_t n_columns;
} template_names_t;

/* Where compilation failed: byte offset into the text and a message such as
 * "unknown function 'randomint' (expected randint, choice, random, uuid, seq, user_id,
 * worker_id or env)". */
typedef struct {
    size_t offset;
    char message[200];
} template_error_t;

/* What a render reads: one virtual user's state. */
typedef struct {
    const char *const *values; /* values[slot]: NUL-terminated; NULL renders as "" */
    const size_t *value_lens;  /* lengths of values[slot] (NULL = use strlen) */
    const char *const *row;    /* the user's data row, one field per column; NULL if none */
    const size_t *row_lens;    /* NULL = use strlen */
    uint64_t user_id;
    uint32_t worker_id;
    uint64_t *seq; /* incremented by each seq() */
    rng_t *rng;
} template_ctx_t;

typedef struct template template_t;

/* Compiles text (len bytes). Returns NULL with *err filled on a syntax
 * error, an unknown function or variable, wrong argument counts or types
 * (randint wants two integers a <= b, choice at least one argument, env one
 * string naming a set variable), or an unknown row column (or row.X without
 * a data file). */
template_t *template_compile(const char *text, size_t len, template_escape_t escape,
                             const template_names_t *names, template_error_t *err);
void template_destroy(template_t **t);

/* True if the template has no {{ }} part: it renders as its literal text. */
bool template_is_constant(const template_t *t);
/* The literal text of a constant template (NUL-terminated), else NULL. */
const char *template_constant(const template_t *t);

/* Appends the rendering to out (no allocation once out has grown). */
void template_render(const template_t *t, const template_ctx_t *ctx, strbuf_t *out);

/* Calls fn for each variable slot the template reads (for validate's plan). */
void template_each_var(const template_t *t, void (*fn)(size_t slot, void *arg), void *arg);
/* True if the template uses row.X. */
bool template_uses_row(const template_t *t);

#endif
