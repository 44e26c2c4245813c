/* servertiming: a small hand-written parser of the Server-Timing grammar
 * (metric *( OWS ";" OWS param ) separated by commas; param = token [ "=" value ],
 * value = token / quoted-string). */
#include "worker/servertiming.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *p, *end;
} cursor_t;

static bool s_is_tchar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static void s_ows(cursor_t *c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t')) c->p++;
}

/* Reads a token; returns its length (0 if none). */
static size_t s_token(cursor_t *c, const char **start) {
    *start = c->p;
    while (c->p < c->end && s_is_tchar(*c->p)) c->p++;
    return (size_t)(c->p - *start);
}

/* Skips a quoted string (the cursor is on the opening quote). */
static bool s_quoted(cursor_t *c) {
    for (c->p++; c->p < c->end; c->p++) {
        if (*c->p == '\\') {
            if (++c->p == c->end) return false;
        } else if (*c->p == '"') {
            c->p++;
            return true;
        }
    }
    return false;
}

/* dur's value as a number in [0, SERVERTIMING_MAX_DUR_MS], or -1. */
static double s_number(const char *s, size_t len) {
    char buf[32];
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *endp;
    double v = strtod(buf, &endp);
    if (*endp || !isfinite(v) || v < 0 || v > SERVERTIMING_MAX_DUR_MS) return -1;
    return v;
}

/* One parameter after ';'. Sets *dur when it is a valid dur=. */
static bool s_param(cursor_t *c, double *dur) {
    const char *name;
    size_t name_len = s_token(c, &name);
    if (name_len == 0) return false;
    s_ows(c);
    if (c->p == c->end || *c->p != '=') return true; /* a parameter without value */
    c->p++;
    s_ows(c);
    if (c->p < c->end && *c->p == '"') return s_quoted(c);
    const char *val;
    size_t val_len = s_token(c, &val);
    if (name_len == 3 && strncasecmp(name, "dur", 3) == 0) {
        double v = s_number(val, val_len);
        if (v >= 0) *dur = v;
    }
    return true;
}

int servertiming_parse(const char *value, size_t len, servertiming_cb cb, void *arg) {
    cursor_t c = {value, value + len};
    int reported = 0;
    for (;;) {
        s_ows(&c);
        if (c.p == c.end) return reported;
        const char *name;
        size_t name_len = s_token(&c, &name);
        if (name_len == 0) return -1;
        double dur = -1;
        for (s_ows(&c); c.p < c.end && *c.p == ';'; s_ows(&c)) {
            c.p++;
            s_ows(&c);
            if (!s_param(&c, &dur)) return -1;
        }
        if (dur >= 0) {
            cb(name, name_len, dur, arg);
            reported++;
        }
        if (c.p == c.end) return reported;
        if (*c.p != ',') return -1;
        c.p++;
    }
}
