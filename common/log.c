/* log: leveled, timestamped diagnostics on stderr. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Process-wide logging configuration: written once at start-up by log_init. */
static struct {
    char ident[32];
    log_level_t level;
} s_log = {"barrage", LOG_LEVEL_INFO};

static const char *const s_names[] = {"error", "warn", "info", "debug"};

void log_init(const char *ident, log_level_t level) {
    snprintf(s_log.ident, sizeof s_log.ident, "%s", ident);
    s_log.level = level;
}

log_level_t log_get_level(void) {
    return s_log.level;
}

void log_write(log_level_t level, const char *fmt, ...) {
    if (level > s_log.level) return;
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
    fprintf(stderr, "%s.%03ld %s[%ld] %s %s\n", stamp, (long)(tv.tv_usec / 1000), s_log.ident,
            (long)getpid(), s_names[level], msg);
}
