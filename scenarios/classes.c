/* classes: user classes, think times, tasks and requests of a scenario file. */
#include "scenarios/classes.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/units.h"
#include "common/xmalloc.h"
#include "scenarios/json_emit.h"

/* Indexes into s_task_keys; a step's keys are its first S_N_STEP_KEYS. */
#define S_N_METHODS 7
enum {
    S_NAME,
    S_METHOD, /* the methods: S_METHOD .. S_METHOD + S_N_METHODS - 1 */
    S_HEADERS = S_METHOD + S_N_METHODS,
    S_JSON,
    S_BODY,
    S_TIMEOUT,
    S_N_STEP_KEYS,
    S_WEIGHT = S_N_STEP_KEYS,
    S_STEPS,
    S_N_TASK_KEYS,
};
#define S_METHOD_LIST "get, post, put, patch, delete, head or options"
#define S_THINK_FORMS "none, constant 1s, between 2s 5s, pacing 3s"

static const char *const s_task_keys[] = {
    "name",    "get",  "post", "put",     "patch",  "delete", "head", "options",
    "headers", "json", "body", "timeout", "weight", "steps",  NULL,
};
static const char *const s_step_keys[] = {
    "name",    "get",     "post", "put",  "patch",   "delete", "head",
    "options", "headers", "json", "body", "timeout", NULL,
};
_Static_assert(sizeof s_task_keys / sizeof s_task_keys[0] == S_N_TASK_KEYS + 1, "task keys");
_Static_assert(sizeof s_step_keys / sizeof s_step_keys[0] == S_N_STEP_KEYS + 1, "step keys");

static void s_request_free(scenario_request_t *r) {
    free(r->method);
    free(r->path);
    free(r->name);
    scenario_doc_headers_fini(&r->headers);
    free(r->body);
    free(r->content_type);
}

/* The method key of a request: reports none or several; returns its index or -1. */
static int s_method(scenario_doc_t *d, const yaml_node_t *m, const scenario_field_t *f,
                    const char *what) {
    int first = -1;
    for (int i = S_METHOD; i < S_METHOD + S_N_METHODS; i++) {
        if (f[i].key && (first < 0 || scenario_doc_before(f[i].key, f[first].key))) first = i;
    }
    if (first < 0) {
        scenario_doc_error(d, m, "%s has no method (expected one of " S_METHOD_LIST ")", what);
        return -1;
    }
    bool several = false;
    for (int i = S_METHOD; i < S_METHOD + S_N_METHODS; i++) {
        if (i == first || !f[i].key) continue;
        scenario_doc_error(d, f[i].key, "%s has both '%s' and '%s' (expected exactly one method)",
                           what, s_task_keys[first], s_task_keys[i]);
        several = true;
    }
    return several ? -1 : first;
}

/* The value of a method key: a path or an absolute http(s) URL. */
static bool s_path(scenario_doc_t *d, const yaml_node_t *n, const char *method, char **out) {
    if (!scenario_doc_string(d, n, method, out)) return false;
    if ((*out)[0] == '/' || !strncmp(*out, "http://", 7) || !strncmp(*out, "https://", 8))
        return true;
    char got[96];
    scenario_doc_error(d, n, "%s must be a path starting with / or an http(s):// URL (got %s)",
                       method, scenario_doc_describe(n, got, sizeof got));
    free(*out);
    *out = NULL;
    return false;
}

static void s_body(scenario_doc_t *d, const scenario_field_t *f, scenario_request_t *r) {
    char got[96];
    const yaml_node_t *json = f[S_JSON].value, *body = f[S_BODY].value;
    if (json && body) {
        const scenario_field_t *later =
            scenario_doc_before(f[S_JSON].key, f[S_BODY].key) ? &f[S_BODY] : &f[S_JSON];
        scenario_doc_error(d, later->key,
                           "json and body cannot be combined (a request has one body)");
        return;
    }
    if (json) {
        r->body = scenario_json_emit(d, json, &r->body_bytes);
        if (r->body) r->content_type = xstrdup("application/json");
    } else if (body) {
        const char *t = scenario_doc_text(body);
        if (!t || (scenario_doc_is_null(body) && !*t)) {
            scenario_doc_error(d, body,
                               "body must be a string (got %s; use json: for a "
                               "structured body)",
                               scenario_doc_describe(body, got, sizeof got));
            return;
        }
        /* Block and quoted scalars may hold NULs ("\0"): copy by length. */
        r->body_bytes = body->data.scalar.length;
        r->body = xmalloc(r->body_bytes + 1);
        memcpy(r->body, t, r->body_bytes);
        r->body[r->body_bytes] = '\0';
    }
}

/* Fills r from the step keys of mapping m (a single-request task or a step). */
static void s_request(scenario_doc_t *d, const yaml_node_t *m, const scenario_field_t *f,
                      const char *what, scenario_request_t *r) {
    r->pos = scenario_doc_pos(m);
    int method = s_method(d, m, f, what);
    if (method >= 0 && s_path(d, f[method].value, s_task_keys[method], &r->path)) {
        r->method = xstrdup(s_task_keys[method]);
        for (char *c = r->method; *c; c++)
            *c = (char)toupper((unsigned char)*c);
    }
    if (f[S_NAME].value)
        scenario_doc_string(d, f[S_NAME].value, "name", &r->name);
    else if (r->path)
        r->name = xstrdup(r->path);
    if (f[S_HEADERS].value) scenario_doc_headers(d, f[S_HEADERS].value, &r->headers);
    s_body(d, f, r);
    if (f[S_TIMEOUT].value) scenario_doc_duration(d, f[S_TIMEOUT].value, "timeout", &r->timeout_ms);
}

static void s_steps(scenario_doc_t *d, const yaml_node_t *n, scenario_task_t *t) {
    char got[96];
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "steps must be a list of requests (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    if (scenario_doc_len(n) == 0) {
        scenario_doc_error(d, n, "steps must list at least one request");
        return;
    }
    t->n_steps = scenario_doc_len(n);
    t->steps = xcalloc(t->n_steps, sizeof t->steps[0]);
    for (size_t i = 0; i < t->n_steps; i++) {
        yaml_node_t *m = scenario_doc_item(d, n, i);
        scenario_field_t f[S_N_STEP_KEYS];
        if (scenario_doc_fields(d, m, "step", "in step", s_step_keys, f))
            s_request(d, m, f, "step", &t->steps[i]);
    }
}

/* Reads one task; returns false if its weight is unusable (then the sum is not checked). */
static bool s_task(scenario_doc_t *d, yaml_node_t *m, scenario_task_t *t) {
    scenario_field_t f[S_N_TASK_KEYS];
    t->weight = 1;
    if (!scenario_doc_fields(d, m, "task", "in task", s_task_keys, f)) return true;
    bool weight_ok =
        !f[S_WEIGHT].value || scenario_doc_uint(d, f[S_WEIGHT].value, "weight", 0, &t->weight);
    if (!f[S_STEPS].value) {
        t->n_steps = 1;
        t->steps = xcalloc(1, sizeof t->steps[0]);
        s_request(d, m, f, "task", &t->steps[0]);
        return weight_ok;
    }
    for (int i = S_METHOD; i < S_N_STEP_KEYS; i++) {
        if (f[i].key)
            scenario_doc_error(d, f[i].key, "'%s' cannot be used with steps (move it into a step)",
                               s_task_keys[i]);
    }
    if (f[S_NAME].value)
        scenario_doc_string(d, f[S_NAME].value, "name", &t->name);
    else
        scenario_doc_error(d, m, "a task with steps needs a name (its stats group)");
    s_steps(d, f[S_STEPS].value, t);
    return weight_ok;
}

static void s_tasks(scenario_doc_t *d, yaml_node_t *n, scenario_class_t *c) {
    char got[96];
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "tasks must be a list (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    if (scenario_doc_len(n) == 0) {
        scenario_doc_error(d, n, "tasks must list at least one task");
        return;
    }
    c->n_tasks = scenario_doc_len(n);
    c->tasks = xcalloc(c->n_tasks, sizeof c->tasks[0]);
    bool weights_ok = true;
    uint64_t sum = 0;
    for (size_t i = 0; i < c->n_tasks; i++) {
        weights_ok &= s_task(d, scenario_doc_item(d, n, i), &c->tasks[i]);
        sum += c->tasks[i].weight;
    }
    if (weights_ok && sum == 0)
        scenario_doc_error(d, n, "task weights sum to 0 (at least one task needs weight >= 1)");
}

/* One duration inside a think value; 0 is allowed there. */
static bool s_think_duration(scenario_doc_t *d, const yaml_node_t *n, const char *word,
                             uint64_t *out_ms) {
    if (units_parse_duration_ms(word, out_ms) == 0) return true;
    scenario_doc_error(d, n, "bad duration '%s' in think (expected e.g. 500ms, 10s, 2m, 1h)", word);
    return false;
}

static void s_think(scenario_doc_t *d, const yaml_node_t *n, scenario_think_t *th) {
    char got[96];
    const char *t = scenario_doc_text(n);
    char w[4][64] = {{0}};
    int words = t ? sscanf(t, "%63s %63s %63s %63s", w[0], w[1], w[2], w[3]) : 0;
    scenario_think_t out = {0};
    bool shape = true;
    if (words == 1 && !strcmp(w[0], "none")) {
        out.kind = SCENARIO_THINK_NONE;
    } else if (words == 2 && (!strcmp(w[0], "constant") || !strcmp(w[0], "pacing"))) {
        out.kind = w[0][0] == 'c' ? SCENARIO_THINK_CONSTANT : SCENARIO_THINK_PACING;
        if (!s_think_duration(d, n, w[1], &out.min_ms)) return;
        out.max_ms = out.min_ms;
    } else if (words == 3 && !strcmp(w[0], "between")) {
        out.kind = SCENARIO_THINK_BETWEEN;
        bool ok = s_think_duration(d, n, w[1], &out.min_ms);
        if (!s_think_duration(d, n, w[2], &out.max_ms) || !ok) return;
        if (out.min_ms > out.max_ms) {
            scenario_doc_error(d, n, "think between needs min <= max (got %s > %s)", w[1], w[2]);
            return;
        }
    } else {
        shape = false;
    }
    if (!shape) {
        scenario_doc_error(d, n, "think must be one of " S_THINK_FORMS " (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    *th = out;
}

/* Reads one class; returns false if its weight is unusable (then the sum is not checked). */
static bool s_class(scenario_doc_t *d, yaml_node_t *m, scenario_class_t *c,
                    const yaml_node_t **name_node) {
    static const char *const keys[] = {"name", "weight", "think", "headers", "tasks", NULL};
    enum { NAME, WEIGHT, THINK, HEADERS, TASKS };
    scenario_field_t f[5];
    c->weight = 1;
    if (!scenario_doc_fields(d, m, "user class", "in user class", keys, f)) return true;
    *name_node = f[NAME].value;
    if (f[NAME].value)
        scenario_doc_string(d, f[NAME].value, "name", &c->name);
    else
        scenario_doc_error(d, m, "user class has no name (expected name: ...)");
    bool weight_ok =
        !f[WEIGHT].value || scenario_doc_uint(d, f[WEIGHT].value, "weight", 0, &c->weight);
    if (f[THINK].value) s_think(d, f[THINK].value, &c->think);
    if (f[HEADERS].value) scenario_doc_headers(d, f[HEADERS].value, &c->headers);
    if (f[TASKS].value)
        s_tasks(d, f[TASKS].value, c);
    else
        scenario_doc_error(d, m, "user class has no tasks (expected tasks: a list of requests)");
    return weight_ok;
}

/* Reports a class named like an earlier one, at its name. */
static void s_unique_names(scenario_doc_t *d, const yaml_node_t **name_nodes, const scenario_t *s) {
    for (size_t i = 0; i < s->n_classes; i++) {
        for (size_t j = 0; j < i && s->classes[i].name; j++) {
            if (!s->classes[j].name || strcmp(s->classes[i].name, s->classes[j].name) != 0)
                continue;
            scenario_pos_t first = scenario_doc_pos(name_nodes[j]);
            scenario_doc_error(d, name_nodes[i], "duplicate user class name '%s' (first at %d:%d)",
                               s->classes[i].name, first.line, first.col);
            break;
        }
    }
}

void scenario_classes_read(scenario_doc_t *d, yaml_node_t *n, scenario_t *s) {
    char got[96];
    if (n->type != YAML_SEQUENCE_NODE) {
        scenario_doc_error(d, n, "users must be a list of user classes (got %s)",
                           scenario_doc_describe(n, got, sizeof got));
        return;
    }
    if (scenario_doc_len(n) == 0) {
        scenario_doc_error(d, n, "users must list at least one user class");
        return;
    }
    s->n_classes = scenario_doc_len(n);
    s->classes = xcalloc(s->n_classes, sizeof s->classes[0]);
    const yaml_node_t **name_nodes = xcalloc(s->n_classes, sizeof(const yaml_node_t *));
    bool weights_ok = true;
    uint64_t sum = 0;
    for (size_t i = 0; i < s->n_classes; i++) {
        weights_ok &= s_class(d, scenario_doc_item(d, n, i), &s->classes[i], &name_nodes[i]);
        sum += s->classes[i].weight;
    }
    s_unique_names(d, name_nodes, s);
    free(name_nodes);
    if (weights_ok && sum == 0)
        scenario_doc_error(d, n,
                           "user class weights sum to 0 (at least one class needs weight >= 1)");
}

void scenario_classes_free(scenario_t *s) {
    for (size_t i = 0; i < s->n_classes; i++) {
        scenario_class_t *c = &s->classes[i];
        for (size_t j = 0; j < c->n_tasks; j++) {
            scenario_task_t *t = &c->tasks[j];
            for (size_t k = 0; k < t->n_steps; k++)
                s_request_free(&t->steps[k]);
            free(t->steps);
            free(t->name);
        }
        free(c->tasks);
        free(c->name);
        scenario_doc_headers_fini(&c->headers);
    }
    free(s->classes);
    s->classes = NULL;
    s->n_classes = 0;
}
