/* stages: load.stages in a scenario file and --stages on the command line. */
#include "scenarios/stages.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/units.h"
#include "common/xmalloc.h"

/* Rates are bounded like scenario_doc_positive's. */
#define S_MAX_RATE 1e15

static const char *const s_kind_names[] = {"nothing", "rate", "users"};

/* A plain number >= 0 (a stage's rate may ramp down to 0). */
static bool s_rate(scenario_doc_t *d, const yaml_node_t *n, double *out) {
    char got[96];
    const char *t = scenario_doc_is_plain(n) ? scenario_doc_text(n) : NULL;
    char *end = NULL;
    double v = 0;
    if (t && *t && strspn(t, "0123456789+-.eE") == strlen(t)) v = strtod(t, &end);
    if (!end || *end) {
        scenario_doc_error(d, n, "rate must be a number >= 0 (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return false;
    }
    if (!(v >= 0) || v > S_MAX_RATE) {
        scenario_doc_error(d, n, "rate must be %s (got %s)", v > 0 ? "<= 1e15" : ">= 0", t);
        return false;
    }
    *out = v;
    return true;
}

/* One {duration, rate|users}; returns what it ramps (NONE when that is unclear). */
static scenario_stages_kind_t s_stage(scenario_doc_t *d, yaml_node_t *n, scenario_stage_t *st) {
    static const char *const keys[] = {"duration", "rate", "users", NULL};
    enum { DURATION, RATE, USERS };
    scenario_field_t f[3];
    st->pos = scenario_doc_pos(n);
    if (!scenario_doc_fields(d, n, "a stage", "in a stage", keys, f)) return SCENARIO_STAGES_NONE;
    if (f[DURATION].value)
        scenario_doc_duration(d, f[DURATION].value, "duration", &st->duration_ms);
    else
        scenario_doc_error(d, n,
                           "stage has no duration (expected e.g. {duration: 30s, rate: 100})");
    if (f[RATE].key && f[USERS].key) {
        bool users_later = scenario_doc_before(f[RATE].key, f[USERS].key);
        scenario_doc_error(d, users_later ? f[USERS].key : f[RATE].key,
                           "a stage ramps rate or users, not both");
        return SCENARIO_STAGES_NONE;
    }
    if (f[RATE].value) {
        s_rate(d, f[RATE].value, &st->target);
        return SCENARIO_STAGES_RATE;
    }
    if (f[USERS].value) {
        uint32_t users = 0;
        if (scenario_doc_uint(d, f[USERS].value, "users", 0, &users)) st->target = users;
        return SCENARIO_STAGES_USERS;
    }
    scenario_doc_error(d, n,
                       "stage has no target (expected rate: N for the open model or users: N for "
                       "the closed one)");
    return SCENARIO_STAGES_NONE;
}

void scenario_stages_read(scenario_doc_t *d, yaml_node_t *n, scenario_load_t *load) {
    char got[96];
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "stages must be a list like [{duration: 30s, rate: 100}] (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    size_t len = scenario_doc_len(n);
    if (len == 0) {
        scenario_doc_error(d, n,
                           "stages is empty (expected at least one stage, e.g. {duration: 30s, "
                           "rate: 100})");
        return;
    }
    load->stages = xcalloc(len, sizeof *load->stages);
    load->n_stages = len;
    size_t first = 0;
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *item = scenario_doc_item(d, n, i);
        scenario_stages_kind_t k = s_stage(d, item, &load->stages[i]);
        if (k == SCENARIO_STAGES_NONE) continue;
        if (load->stages_kind == SCENARIO_STAGES_NONE) {
            load->stages_kind = k;
            first = i;
        } else if (k != load->stages_kind) {
            scenario_doc_error(d, item,
                               "stage %zu ramps %s but stage %zu ramps %s (all stages ramp the "
                               "same: rate for the open model, users for the closed one)",
                               i + 1, s_kind_names[k], first + 1, s_kind_names[load->stages_kind]);
        }
    }
}

/* One "DURATION:TARGET" of the command-line form. */
static int s_parse_one(const char *item, size_t len, size_t index, scenario_stage_t *st, char *err,
                       size_t err_bytes) {
    char buf[128];
    const char *colon = memchr(item, ':', len);
    if (len >= sizeof buf || !colon) {
        snprintf(err, err_bytes, "stage %zu: expected DURATION:TARGET like 30s:100 (got '%.*s')",
                 index, (int)(len < 60 ? len : 60), item);
        return -1;
    }
    memcpy(buf, item, len);
    buf[len] = '\0';
    buf[colon - item] = '\0';
    const char *target = buf + (colon - item) + 1;
    if (units_parse_duration_ms(buf, &st->duration_ms) != 0 || st->duration_ms == 0) {
        snprintf(err, err_bytes, "stage %zu: bad duration '%s' (expected e.g. 500ms, 30s, 2m)",
                 index, buf);
        return -1;
    }
    char *end = NULL;
    double v = 0;
    if (*target && strspn(target, "0123456789+-.eE") == strlen(target)) v = strtod(target, &end);
    if (!end || *end || !(v >= 0) || v > S_MAX_RATE) {
        snprintf(err, err_bytes, "stage %zu: target must be a number >= 0 (got '%s')", index,
                 target);
        return -1;
    }
    st->target = v;
    return 0;
}

int scenario_stages_parse(const char *text, scenario_stage_t **out, size_t *n_out, char *err,
                          size_t err_bytes) {
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    if (!*text) {
        snprintf(err, err_bytes, "no stages (expected e.g. 30s:100,1m:500)");
        return -1;
    }
    scenario_stage_t *stages = xcalloc(n, sizeof *stages);
    const char *item = text;
    for (size_t i = 0; i < n; i++) {
        const char *comma = strchr(item, ',');
        size_t len = comma ? (size_t)(comma - item) : strlen(item);
        if (s_parse_one(item, len, i + 1, &stages[i], err, err_bytes) != 0) {
            free(stages);
            return -1;
        }
        item += len + 1;
    }
    *out = stages;
    *n_out = n;
    return 0;
}
