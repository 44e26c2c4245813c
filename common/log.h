/* log: leveled diagnostics on stderr, one line each: "time ident[pid] level message".
 *
 * The process calls log_init once with its ident ("master", "worker-3"); the
 * level filters what is printed. Nothing in barrage logs per request.
 * Optionally (log_keep_recent) the last lines are also kept in
 * memory for the web UI's Logs tab; log_write and log_recent may then be
 * called from any thread. */
#ifndef BARRAGE_COMMON_LOG_H
#define BARRAGE_COMMON_LOG_H

#include <stddef.h>
#include <stdint.h>

typedef enum { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG } log_level_t;

/* Sets the ident (copied, at most 31 chars) and the most verbose level printed. */
void log_init(const char *ident, log_level_t level);
log_level_t log_get_level(void);

void log_write(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keeps the last n (<= LOG_MAX_RECENT) lines at level or louder from now
 * on, printed or not (the web's Logs tab shows info lines that stderr, at
 * warn, does not); n == 0 stops keeping and forgets them. */
#define LOG_MAX_RECENT 1000
void log_keep_recent(size_t n, log_level_t level);

/* A line kept: when (wall clock, ms since the epoch), how loud, and the
 * message without stamp, ident and level. */
typedef struct {
    uint64_t wall_ms;
    log_level_t level;
    char *text;
} log_line_t;

/* Copies the lines kept, oldest first, into *out (caller frees with
 * log_lines_free); returns how many (0 with *out NULL when none). */
size_t log_recent(log_line_t **out);
void log_lines_free(log_line_t *lines, size_t n);
/* "error", "warn", "info" or "debug". */
const char *log_level_name(log_level_t level);

#define log_error(...) log_write(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_write(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
