/* log: leveled, timestamped diagnostics on stderr. */
#include "common/log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/xmalloc.h"

/* Process-wide logging configuration: written once at start-up by log_init. */
static struct {
    char ident[32];
    log_level_t level;
} s_log = {"barrage", LOG_LEVEL_INFO};

static const char *const s_names[] = {"error", "warn", "info", "debug"};

/* The lines kept (log_keep_recent): a ring of cap lines, the oldest at
 * head; guarded by s_recent_lock. */
static pthread_mutex_t s_recent_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    log_line_t *lines;
    size_t cap, head, n;
} s_recent;
/* The most verbose level kept (read unlocked by log_write: set before the
 * threads that log start). */
static log_level_t s_keep_level = LOG_LEVEL_ERROR;
static size_t s_keeping; /* cap, as log_write sees it */

static void s_recent_lock_or_die(void) {
    if (pthread_mutex_lock(&s_recent_lock) != 0) abort();
}

static void s_recent_unlock(void) {
    if (pthread_mutex_unlock(&s_recent_lock) != 0) abort();
}

void log_keep_recent(size_t n, log_level_t level) {
    if (n > LOG_MAX_RECENT) n = LOG_MAX_RECENT;
    s_keep_level = level;
    s_keeping = n;
    s_recent_lock_or_die();
    for (size_t i = 0; i < s_recent.n; i++)
        free(s_recent.lines[(s_recent.head + i) % s_recent.cap].text);
    free(s_recent.lines);
    s_recent.lines = n ? xcalloc(n, sizeof *s_recent.lines) : NULL;
    s_recent.cap = n;
    s_recent.head = s_recent.n = 0;
    s_recent_unlock();
}

/* Keeps one line, dropping the oldest when full. */
static void s_keep(uint64_t wall_ms, log_level_t level, const char *msg) {
    s_recent_lock_or_die();
    if (s_recent.cap) {
        size_t at = (s_recent.head + s_recent.n) % s_recent.cap;
        if (s_recent.n == s_recent.cap) {
            free(s_recent.lines[s_recent.head].text);
            s_recent.head = (s_recent.head + 1) % s_recent.cap;
        } else {
            s_recent.n++;
        }
        s_recent.lines[at] = (log_line_t){wall_ms, level, xstrdup(msg)};
    }
    s_recent_unlock();
}

size_t log_recent(log_line_t **out) {
    *out = NULL;
    s_recent_lock_or_die();
    size_t n = s_recent.n;
    log_line_t *copy = n ? xcalloc(n, sizeof *copy) : NULL;
    for (size_t i = 0; i < n; i++) {
        const log_line_t *l = &s_recent.lines[(s_recent.head + i) % s_recent.cap];
        copy[i] = (log_line_t){l->wall_ms, l->level, xstrdup(l->text)};
    }
    s_recent_unlock();
    *out = copy;
    return n;
}

void log_lines_free(log_line_t *lines, size_t n) {
    for (size_t i = 0; i < n; i++) free(lines[i].text);
    free(lines);
}

const char *log_level_name(log_level_t level) {
    return level <= LOG_LEVEL_DEBUG ? s_names[level] : "?";
}

void log_init(const char *ident, log_level_t level) {
    snprintf(s_log.ident, sizeof s_log.ident, "%s", ident);
    s_log.level = level;
}

log_level_t log_get_level(void) {
    return s_log.level;
}

void log_write(log_level_t level, const char *fmt, ...) {
    bool print = level <= s_log.level, keep = s_keeping && level <= s_keep_level;
    if (!print && !keep) return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);

    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One fprintf per line so concurrent processes do not interleave mid-line. */
    if (print)
        fprintf(stderr, "%s.%03ld %s[%ld] %s %s\n", stamp, (long)(tv.tv_usec / 1000),
                s_log.ident, (long)getpid(), s_names[level], msg);
    if (keep) s_keep((uint64_t)tv.tv_sec * 1000u + (uint64_t)(tv.tv_usec / 1000), level, msg);
}
