/* tokens: bearer tokens issued by POST /login and checked by GET /private. */
#ifndef BARRAGE_TARGET_TOKENS_H
#define BARRAGE_TARGET_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

/* "tok-" + 16 lowercase hex digits + NUL. */
#define TOKENS_BUF_BYTES 21

typedef struct tokens tokens_t;

/* Returns an empty set of issued tokens. */
tokens_t *tokens_new(void);
/* Frees the set; accepts NULL and nulls *p. */
void tokens_destroy(tokens_t **p);

/* Writes the token for email to out ("tok-" + FNV-1a 64 of the email in hex: the same email
 * always gets the same token) and remembers it as issued. */
void tokens_issue(tokens_t *t, const char *email, size_t email_bytes, char out[TOKENS_BUF_BYTES]);
/* True if token (not NUL-terminated) was issued by this process. */
bool tokens_valid(const tokens_t *t, const char *token, size_t token_bytes);

#endif
