/* log: leveled diagnostics on stderr, one line each: "time ident[pid] level message".
 *
 * The process calls log_init once with its ident ("master", "worker-3"); the
 * level filters what is printed. Nothing in barrage logs per request. */
#ifndef BARRAGE_COMMON_LOG_H
#define BARRAGE_COMMON_LOG_H

typedef enum { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG } log_level_t;

/* Sets the ident (copied, at most 31 chars) and the most verbose level printed. */
void log_init(const char *ident, log_level_t level);
log_level_t log_get_level(void);

void log_write(log_level_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_write(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_write(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
