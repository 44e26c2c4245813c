/* regex_cost: a one-pass estimate of regcomp's work for a POSIX extended regex. */
#include "scenarios/regex_cost.h"

#include <stddef.h>

#define S_CAP ((uint64_t)REGEX_COST_MAX + 1)

/* An element of a sequence, or what a group or alternative adds up to. */
typedef struct {
    uint64_t cost;
    bool nullable; /* can match the empty string (its closures chain) */
    int stack;     /* repetition operators stacked on it */
} s_part_t;

/* One open group: its finished alternatives, the current sequence, its last element. */
typedef struct {
    s_part_t alts, seq, last;
    bool has_alts, has_last;
} s_frame_t;

static uint64_t s_add(uint64_t a, uint64_t b) {
    return a + b > S_CAP ? S_CAP : a + b;
}

static uint64_t s_mul(uint64_t a, uint64_t b) {
    if (a && b > S_CAP / a) return S_CAP;
    return a * b > S_CAP ? S_CAP : a * b;
}

static int s_max(int a, int b) {
    return a > b ? a : b;
}

static void s_frame_init(s_frame_t *f) {
    *f = (s_frame_t){.seq = {.nullable = true}};
}

static void s_flush_last(s_frame_t *f) {
    if (!f->has_last) return;
    f->seq.cost = s_add(f->seq.cost, f->last.cost);
    f->seq.nullable = f->seq.nullable && f->last.nullable;
    f->seq.stack = s_max(f->seq.stack, f->last.stack);
    f->has_last = false;
}

static void s_end_alternative(s_frame_t *f) {
    s_flush_last(f);
    f->alts.cost = s_add(s_add(f->alts.cost, f->seq.cost), 1);
    f->alts.nullable = f->alts.nullable || f->seq.nullable;
    f->alts.stack = s_max(f->alts.stack, f->seq.stack);
    f->has_alts = true;
    f->seq = (s_part_t){.nullable = true};
}

/* What the whole group amounts to. */
static s_part_t s_close(s_frame_t *f) {
    s_end_alternative(f);
    s_part_t p = f->alts;
    p.cost = s_add(p.cost, 1);
    return p;
}

static void s_push(s_frame_t *f, s_part_t p) {
    s_flush_last(f);
    f->last = p;
    f->has_last = true;
}

/* Applies a repetition {lo,hi} (hi < 0: unbounded) to the last element: regcomp
 * makes max(lo, hi) copies (lo + 1 when unbounded), and the optional ones (or
 * all, if the element matches empty) build closures quadratic in their count. */
static void s_repeat(s_frame_t *f, uint64_t lo, int64_t hi) {
    s_part_t *p = &f->last;
    uint64_t copies = hi < 0 ? lo + 1 : (uint64_t)hi > lo ? (uint64_t)hi : lo;
    if (copies == 0) copies = 1;
    uint64_t optional = p->nullable ? copies
                        : hi < 0            ? 1
                        : (uint64_t)hi > lo ? (uint64_t)hi - lo
                                            : 0; /* {2,1} is regcomp's error to report */
    uint64_t closures = optional >= ((uint64_t)1 << 20) ? S_CAP : optional * optional / 8;
    p->cost = s_add(s_add(s_mul(p->cost, copies), closures), 1);
    p->nullable = p->nullable || lo == 0;
    p->stack++;
}

/* v * 10 + the digit c, saturated. */
static uint64_t s_digit(uint64_t v, char c) {
    return v < S_CAP ? v * 10 + (uint64_t)(c - '0') : S_CAP;
}

/* "{n}", "{n,}" or "{n,m}" at *pp (at the '{'); false if it is not an interval. */
static bool s_interval(const char **pp, uint64_t *lo, int64_t *hi) {
    const char *p = *pp + 1;
    uint64_t a = 0, b = 0;
    bool digits = false, comma = false, more = false;
    for (; *p >= '0' && *p <= '9'; p++, digits = true) a = s_digit(a, *p);
    if (*p == ',') {
        comma = true;
        for (p++; *p >= '0' && *p <= '9'; p++, more = true) b = s_digit(b, *p);
    }
    if (!digits || *p != '}') return false;
    *lo = a;
    *hi = !comma ? (int64_t)a : more ? (int64_t)b : -1;
    *pp = p + 1;
    return true;
}

/* Skips a bracket expression at *p ('['): "[]a]", "[^]a]", "[[:alpha:]x]". */
static const char *s_bracket(const char *p) {
    p++;
    if (*p == '^') p++;
    if (*p == ']') p++;
    while (*p && *p != ']') {
        if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
            char close = p[1];
            const char *q = p + 2;
            while (*q && !(q[0] == close && q[1] == ']')) q++;
            p = *q ? q + 2 : q;
        } else {
            p++;
        }
    }
    return *p ? p + 1 : p;
}

/* Steps over one atom at p; sets *nullable for zero-width ones (anchors, \b ...) and
 * *backref for \1 .. \9. */
static const char *s_atom(const char *p, bool *nullable, bool *backref) {
    *nullable = *p == '^' || *p == '$';
    *backref = *p == '\\' && p[1] >= '1' && p[1] <= '9';
    if (*p == '[') return s_bracket(p);
    if (*p == '\\' && p[1]) {
        *nullable = p[1] == 'b' || p[1] == 'B' || p[1] == '<' || p[1] == '>' || p[1] == '`' ||
                    p[1] == '\'';
        return p + 2;
    }
    return p + 1;
}

bool regex_cost_ok(const char *pattern, uint64_t *cost, const char **why) {
    s_frame_t frames[REGEX_COST_MAX_GROUPS + 1];
    int depth = 0;
    s_frame_init(&frames[0]);
    *why = NULL;
    for (const char *p = pattern; *p;) {
        s_frame_t *f = &frames[depth];
        uint64_t lo;
        int64_t hi;
        if (*p == '(') {
            if (depth == REGEX_COST_MAX_GROUPS) {
                *cost = S_CAP;
                *why = "too costly to compile: groups nested too deep";
                return false;
            }
            s_flush_last(f);
            s_frame_init(&frames[++depth]);
            p++;
        } else if (*p == ')' && depth > 0) {
            s_part_t group = s_close(&frames[depth--]);
            s_push(&frames[depth], group);
            p++;
        } else if (*p == '|') {
            s_end_alternative(f);
            p++;
        } else if (f->has_last && (*p == '*' || *p == '+' || *p == '?')) {
            s_repeat(f, *p == '+' ? 1 : 0, *p == '?' ? 1 : -1);
            p++;
        } else if (f->has_last && *p == '{' && s_interval(&p, &lo, &hi)) {
            s_repeat(f, lo, hi);
        } else {
            bool nullable, backref;
            p = s_atom(p, &nullable, &backref);
            if (backref) {
                *cost = S_CAP;
                *why = "back-references (\\1 .. \\9) are not supported: "
                       "matching them can take exponential time";
                return false;
            }
            s_push(f, (s_part_t){.cost = 1, .nullable = nullable});
        }
    }
    while (depth > 0) { /* unbalanced: regcomp reports it; estimate what is there */
        s_part_t group = s_close(&frames[depth--]);
        s_push(&frames[depth], group);
    }
    s_part_t all = s_close(&frames[0]);
    *cost = all.cost;
    if (all.stack > REGEX_COST_MAX_STACK) {
        *why = "too costly to compile: repetitions nested too deep";
        return false;
    }
    if (all.cost > REGEX_COST_MAX) {
        *why = "too costly to compile: too many repeated copies";
        return false;
    }
    return true;
}
