/* xmalloc: allocation that aborts on out-of-memory, naming size and file:line.
 *
 * barrage is an application: there is no sensible recovery from OOM, so every
 * allocation goes through these macros. Results are never NULL (xmalloc(0)
 * returns a valid unique pointer). Free with plain free(). */
#ifndef BARRAGE_COMMON_XMALLOC_H
#define BARRAGE_COMMON_XMALLOC_H

#include <stddef.h>

void *xmalloc_at(size_t size_bytes, const char *file, int line);
void *xcalloc_at(size_t n, size_t size_bytes, const char *file, int line);
void *xrealloc_at(void *p, size_t size_bytes, const char *file, int line);
char *xstrdup_at(const char *s, const char *file, int line);
char *xstrndup_at(const char *s, size_t len, const char *file, int line);

#define xmalloc(sz) xmalloc_at((sz), __FILE__, __LINE__)
#define xcalloc(n, sz) xcalloc_at((n), (sz), __FILE__, __LINE__)
#define xrealloc(p, sz) xrealloc_at((p), (sz), __FILE__, __LINE__)
#define xstrdup(s) xstrdup_at((s), __FILE__, __LINE__)
#define xstrndup(s, n) xstrndup_at((s), (n), __FILE__, __LINE__)

/* Aborts with "barrage: fatal: <what> at file:line": for a library that
 * allocates on its own and fails only when memory runs out (libyaml, jansson). */
_Noreturn void xfatal_at(const char *what, const char *file, int line);
#define xfatal(what) xfatal_at((what), __FILE__, __LINE__)

/* Returns a newly allocated printf-formatted string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
